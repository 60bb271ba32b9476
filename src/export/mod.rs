//! Exports: files other tools read, rendered from the spec and the account as read (pure
//! functions, one file per format). `ops::export` picks the formats and writes them; the
//! CLI's `export` and the wizard share it (docs/export.md).

use crate::inventory::Inventory;
use crate::spec::Spec;

mod no_proxy;
mod spec;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    /// The spec itself (YAML): export → load → identical.
    Spec,
    /// The NO_PROXY value for nodes and tools behind an HTTP proxy (rule X7).
    NoProxy,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Spec, Format::NoProxy];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Spec => "spec",
            Format::NoProxy => "no-proxy",
        }
    }

    /// A `--format` value: a name, or `all`.
    pub fn parse_list(list: &[String]) -> Result<Vec<Format>, String> {
        let mut out = vec![];
        for item in list.iter().flat_map(|l| l.split(',')).map(str::trim) {
            let found: Vec<Format> = match item {
                "all" => Format::ALL.to_vec(),
                n => match Format::ALL.iter().find(|f| f.name() == n) {
                    Some(f) => vec![*f],
                    None => {
                        return Err(format!(
                            "--format {n:?} is not a format: choose from {}, or all",
                            Format::ALL.map(Format::name).join(", ")
                        ));
                    }
                },
            };
            for f in found {
                if !out.contains(&f) {
                    out.push(f);
                }
            }
        }
        if out.is_empty() {
            return Err("--format needs a format: spec, no-proxy or all".into());
        }
        out.sort();
        Ok(out)
    }

    /// The file it is written to under `--out`.
    pub fn file_name(self, spec: &Spec) -> String {
        match self {
            Format::Spec => format!("{}.yaml", crate::spec::slug(&spec.metadata.name)),
            Format::NoProxy => "no-proxy.env".into(),
        }
    }
}

/// What every export says first (as a comment where the format has them): the tool, its
/// version and the spec it came from.
pub fn provenance(spec: &Spec) -> String {
    format!(
        "Written by eks-private-tui {} from the spec {:?} ({} in {}).",
        env!("CARGO_PKG_VERSION"),
        spec.metadata.name,
        spec.vpc_id,
        spec.region
    )
}

/// `format` for `spec` in the account `inv`: the file's text, or what the spec lacks for it.
pub fn render(format: Format, spec: &Spec, inv: &Inventory) -> Result<String, String> {
    match format {
        Format::Spec => Ok(spec::render(spec)),
        Format::NoProxy => no_proxy::render(spec, inv),
    }
}
