//! The core stays pure: `inventory`, `spec`, `rules`, `plan`, the apply engine, `export`
//! and `error` import nothing from the SDK, the UI, or the modules that wrap them
//! (`aws`, `tui`, `ops`, `commands`, `cli`). docs/architecture.md lists what each module
//! may import.

use std::path::{Path, PathBuf};

const CORE: &[&str] = &[
    "src/inventory",
    "src/error.rs",
    "src/calls.rs",
    "src/files.rs",
    "src/spec",
    "src/rules",
    "src/plan",
    "src/apply",
    "src/export",
];

const FORBIDDEN_CRATES: &[&str] = &[
    "ratatui",
    "crossterm",
    "aws_sdk_",
    "aws_config",
    "aws_smithy",
    "aws_credential_types",
    "tui_input",
    "clap",
];

const FORBIDDEN_MODULES: &[&str] = &["aws", "tui", "ops", "commands", "cli"];

/// What a line imports that the core may not, if anything.
fn violation(line: &str) -> Option<String> {
    let code = line.split("//").next().unwrap_or("");
    for c in FORBIDDEN_CRATES {
        let at_start = code.trim_start().starts_with(&format!("use {c}"))
            || code.trim_start().starts_with(&format!("pub use {c}"));
        let path = code.contains(&format!("{c}::")) && !code.contains(&format!("_{c}::"));
        if at_start || path {
            return Some(c.to_string());
        }
    }
    for m in FORBIDDEN_MODULES {
        for p in [
            format!("crate::{m}::"),
            format!("crate::{m};"),
            format!("crate::{m}}}"),
        ] {
            if code.contains(&p) {
                return Some(format!("crate::{m}"));
            }
        }
        if code.contains(&format!("crate::{{{m}")) || code.contains(&format!("crate::{m},")) {
            return Some(format!("crate::{m}"));
        }
    }
    None
}

fn rust_files(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        for e in std::fs::read_dir(p).unwrap() {
            rust_files(&e.unwrap().path(), out);
        }
    } else if p.extension().is_some_and(|e| e == "rs") {
        out.push(p.to_path_buf());
    }
}

#[test]
fn the_detector_sees_what_it_must() {
    for bad in [
        "use ratatui::Frame;",
        "use crate::aws::AwsError;",
        "    let x = crate::tui::app::App::new();",
        "use crate::{aws, spec};",
        "pub use aws_sdk_ec2::Client;",
        "use crate::ops;",
    ] {
        assert!(violation(bad).is_some(), "{bad}");
    }
    for good in [
        "use crate::spec::Spec;",
        "use crate::error::AwsError;",
        "// see crate::aws::discover",
        "let s = \"aws_sdk\";",
        "use crate::inventory::{Inventory, Vpc};",
    ] {
        assert!(violation(good).is_none(), "{good}");
    }
}

#[test]
fn the_core_imports_no_sdk_ui_or_front_end() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![];
    for c in CORE {
        rust_files(&root.join(c), &mut files);
    }
    assert!(files.len() > 20, "the core was not found: {files:?}");
    let mut bad = vec![];
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (i, line) in text.lines().enumerate() {
            if let Some(what) = violation(line) {
                bad.push(format!(
                    "{}:{}: imports {what}: {}",
                    f.strip_prefix(root).unwrap().display(),
                    i + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "the core must stay pure:\n{}",
        bad.join("\n")
    );
}
