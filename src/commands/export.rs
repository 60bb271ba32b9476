//! `export`: files other tools read (docs/export.md), to stdout or into `--out DIR`.

use super::{load_spec, say_data, say_plain, spec_path};
use crate::cli::{ExportArgs, Global};
use crate::export::Format;
use crate::ops::{self, Failure};

pub async fn run(global: &Global, args: &ExportArgs) -> Result<u8, Failure> {
    // Everything wrong on its face is said before any call.
    let formats = Format::parse_list(&args.format).map_err(Failure::Usage)?;
    if formats.len() > 1 && args.out.is_none() {
        return Err(Failure::Usage(format!(
            "{} formats need --out DIR (stdout takes one)",
            formats.len()
        )));
    }
    let spec = load_spec(spec_path(global, "export")?)?;
    let aws = ops::connect(global.aws_options(), Some(&spec)).await?;
    let inv = ops::read_account(&aws, Some(&spec), None, global.concurrency).await?;
    let files = ops::export(&spec, &inv, &formats)?;
    match &args.out {
        None => {
            for (_, text) in &files {
                say_data(text);
            }
        }
        Some(dir) => {
            for p in ops::write_exports(dir, &spec, &files, args.force)? {
                say_plain(&format!("wrote {}\n", p.display()));
            }
        }
    }
    Ok(0)
}
