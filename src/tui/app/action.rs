//! What comes into `update` (keys, answers of effects, ticks) and what goes out of it
//! (effects the runtime runs in spawned tasks; each answer carries its request id).

use super::*;

#[derive(Debug)]
pub enum Action {
    Key(KeyEvent),
    Resize(u16, u16),
    /// Spinner frame, sent only while something is in flight.
    Tick,
    InventoryLoaded {
        request: u64,
        result: Result<Arc<Inventory>, AwsError>,
    },
    /// What the load `request` has read so far (`inv.pending` says what is missing).
    InventoryPartial {
        request: u64,
        inv: Arc<Inventory>,
    },
    /// The spec file as read again (`r`).
    SpecRead {
        request: u64,
        result: Result<Option<String>, String>,
    },
    Saved {
        request: u64,
        path: PathBuf,
        result: Result<u64, spec_file::SaveError>,
    },
    ClearFlash(u64),
    /// One event of the apply started by request `request`.
    ApplyEvent {
        request: u64,
        event: crate::apply::Event,
    },
    /// The apply did not start: why.
    ApplyAborted {
        request: u64,
        message: String,
    },
    /// What the export `request` wrote, or found in the way.
    Exported {
        request: u64,
        outcome: crate::tui::screens::export::Outcome,
    },
    /// EC2's answer about an instance type (from [`Effect::ReadInstanceType`]).
    InstanceTypeRead {
        region: String,
        name: String,
        result: Result<crate::inventory::InstanceType, AwsError>,
    },
    /// SIGTERM / SIGHUP: leave now, restoring the terminal.
    Terminate,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadInventory {
        request: u64,
        /// The VPC whose details are read first (the draft's).
        first: Option<String>,
        /// The region to read, when the region list chose one (else the configured one).
        region: Option<String>,
    },
    /// The highlighted VPC changed while its details are still being read: read it next.
    FocusVpc(String),
    /// Read the spec file again.
    ReadSpec {
        request: u64,
        path: PathBuf,
    },
    /// Write `yaml` if the file is still the one read (`expect`).
    SaveSpec {
        request: u64,
        path: PathBuf,
        yaml: String,
        expect: spec_file::Fingerprint,
    },
    ClearFlashAfter {
        id: u64,
        after: Duration,
    },
    /// Write export files into `dir` (`force`: over files that exist; else those are
    /// listed and nothing is written).
    Export {
        request: u64,
        dir: PathBuf,
        files: Vec<(crate::export::Format, crate::export::File)>,
        force: bool,
    },
    /// Ask EC2 what instance type `name` offers pods (DescribeInstanceTypes in `region`).
    ReadInstanceType {
        region: String,
        name: String,
    },
    /// Launch nothing new in the apply `request`; the running steps finish.
    StopApply {
        request: u64,
    },
    /// Read the account again, check the saved spec against it, and apply its plan if it
    /// is still the one previewed (`expected`).
    Apply {
        request: u64,
        path: PathBuf,
        spec: Box<Spec>,
        expected: ops::Signature,
    },
}
