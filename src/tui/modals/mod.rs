//! The dialogs over a screen, one per file: each lists its keys as bindings of the key
//! table (a `[dialog]` scope for its answers, the global keys where they mean the same),
//! turns a key into a [`Reply`] the app carries out, and draws itself. The footer shows
//! the open dialog's keys.

pub mod checks;
pub mod disk_changed;
pub mod drop_comments;
pub mod help;
pub mod quit;
pub mod regions;
pub mod resume;
pub mod stop_apply;
pub mod topology;
pub mod typed;

pub use help::Help;
pub use typed::Typed;

use super::keys::Binding;
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub enum Modal {
    /// `?`: why the step matters and its keys.
    Help(Help),
    /// Quit with unsaved choices.
    ConfirmQuit,
    /// Every finding for the current choices (`c`).
    Checks(checks::ChecksView),
    /// Apply? Only the typed word [`typed::APPLY`] confirms.
    ConfirmApply(Typed),
    /// The spec file changed on disk since it was read (found by a save, or by `r`).
    DiskChanged { saving: bool },
    /// The file holds a spec for another region: only the typed word
    /// [`typed::OVERWRITE`] replaces it.
    ConfirmForeign { region: String, typed: Typed },
    /// A save would drop these comments of the user's.
    DropComments(Vec<String>),
    /// The region list (`R` on the VPC list).
    Regions(regions::RegionPicker),
    /// Ctrl-C while an apply runs.
    StopApply,
    /// The VPC drawn as AZ columns (`t`).
    Topology(topology::Topology),
    /// The spec's journal records an apply that did not finish (its done steps).
    Resume(usize),
}

/// What a key in a dialog asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The dialog stays open.
    Stay,
    /// Close it, nothing else.
    Close,
    /// Quit now, without saving.
    Quit,
    SaveAndQuit,
    /// Stop the running apply after its running steps.
    Stop,
    ToPreview,
    Overwrite,
    LoadDisk,
    KeepDraft,
    SaveAnyway,
    /// A save cancelled (comments kept).
    Cancelled,
    /// The typed word, confirmed.
    Confirmed,
    /// Enter with another word.
    Refused,
}

impl Modal {
    /// The keys of the dialog, as its footer shows them.
    pub fn bindings(&self) -> &'static [Binding] {
        match self {
            Modal::Help(_) => help::BINDINGS,
            Modal::ConfirmQuit => quit::BINDINGS,
            Modal::Checks(_) => checks::BINDINGS,
            Modal::ConfirmApply(_) | Modal::ConfirmForeign { .. } => typed::BINDINGS,
            Modal::DiskChanged { saving } => disk_changed::bindings(*saving),
            Modal::DropComments(_) => drop_comments::BINDINGS,
            Modal::Regions(p) => p.bindings(),
            Modal::StopApply => stop_apply::BINDINGS,
            Modal::Topology(_) => topology::BINDINGS,
            Modal::Resume(_) => resume::BINDINGS,
        }
    }
}

/// A path as a dialog says it.
pub fn said(path: &Path) -> String {
    path.display().to_string()
}
