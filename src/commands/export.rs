//! `export`: files other tools read (docs/export.md), to stdout or into `--out DIR`.

use super::{load_spec, say_data, say_err, say_plain, spec_path};
use crate::cli::{ExportArgs, Global};
use crate::ops::{self, Failure};

pub async fn run(global: &Global, args: &ExportArgs) -> Result<u8, Failure> {
    // Everything wrong on its face is said before any call.
    let selection = crate::cli::FormatArg::selection(&args.format);
    if (selection.all || selection.named.len() > 1) && args.out.is_none() {
        return Err(Failure::Usage(
            "several formats need --out DIR (stdout takes one)".into(),
        ));
    }
    let spec = load_spec(spec_path(global, "export")?)?;
    let aws = ops::connect(global.aws_options(), Some(&spec)).await?;
    let inv = ops::read_account(&aws, Some(&spec), None, global.concurrency).await?;
    let done = ops::export(&spec, &inv, &selection)?;
    for (f, why) in &done.skipped {
        say_err(&format!("skipped {}: {why}\n", f.name()));
    }
    match &args.out {
        None => {
            if done.files.len() > 1 {
                return Err(Failure::Usage(format!(
                    "{} makes {} files: give --out DIR",
                    selection.named[0].name(),
                    done.files.len()
                )));
            }
            for (_, file) in &done.files {
                say_data(&file.text);
            }
        }
        Some(dir) => {
            for p in ops::write_exports(dir, &done.files, args.force)? {
                say_plain(&format!("wrote {}\n", p.display()));
            }
        }
    }
    Ok(0)
}
