//! What a screen's key handler asks the app to do. Screens return intents; only
//! `App::update` changes the draft spec, so no screen imports the app.

#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    ChooseVpc(String),
    /// Open the region list.
    PickRegion,
    /// A change to the draft (only `App::update` applies it, through `Spec::apply`).
    Edit(Edit),
    /// The export step (`o` on the preview or after an apply).
    OpenExport,
    /// Write export files into `dir` (`force`: overwrite what exists, as the operator
    /// said).
    Export {
        dir: std::path::PathBuf,
        files: Vec<(crate::export::Format, crate::export::File)>,
        force: bool,
    },
    /// Enter: on to the next step (the last one before the preview saves first).
    Next,
    /// `a` on the preview: confirm, then apply.
    Apply,
    Flash(Level, String),
    /// A command the app handles on every screen (quit, help, save, reload, checks, back).
    Global(super::keys::Command),
}

/// How much a flash line matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

/// The edits' own terms, as the screens name them.
pub use crate::spec::edit::{AccessFlag, CidrList, DnsSide, Edit};
