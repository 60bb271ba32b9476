//! The screen on show: one variant per step (each keeps its own cursor and filter), and
//! the one place that lists them.

use super::*;

/// Where the operator is and what they see. Screen-local UI state lives in the variants.
#[derive(Debug, Clone)]
pub enum Screen {
    Vpcs(VpcsScreen),
    Subnets(SubnetsScreen),
    Endpoints(EndpointsScreen),
    Group(GroupScreen),
    Secondary(SecondaryScreen),
    Custom(CustomScreen),
    Access(AccessScreen),
    Dns(DnsScreen),
    Preview(PreviewScreen),
    /// An apply in progress, or its outcome.
    Progress(ProgressScreen),
    Export(ExportScreen),
}

/// What a screen opens with, besides the draft and the account (which its `sync` reads).
pub struct Opening {
    pub read_only: bool,
    /// Where the export step writes by default.
    pub export_dir: PathBuf,
}

impl Screen {
    /// `step`'s screen, fresh. The apply's screen is made by the apply (with its plan).
    pub fn open(step: Step, o: &Opening) -> Screen {
        match step {
            Step::Vpc => Screen::Vpcs(VpcsScreen::default()),
            Step::Subnets => Screen::Subnets(SubnetsScreen::default()),
            Step::Endpoints => Screen::Endpoints(EndpointsScreen::default()),
            Step::Group => Screen::Group(GroupScreen::default()),
            Step::Secondary => Screen::Secondary(SecondaryScreen::default()),
            Step::Custom => Screen::Custom(CustomScreen::default()),
            Step::Access => Screen::Access(AccessScreen::default()),
            Step::Dns => Screen::Dns(DnsScreen::default()),
            Step::Preview | Step::Apply => Screen::Preview(PreviewScreen::new(o.read_only)),
            Step::Export => Screen::Export(ExportScreen::new(o.export_dir.clone())),
        }
    }

    /// The screen behind its contract: the one place that lists the screens.
    pub fn get(&self) -> &dyn WizardScreen {
        match self {
            Screen::Vpcs(s) => s,
            Screen::Subnets(s) => s,
            Screen::Endpoints(s) => s,
            Screen::Group(s) => s,
            Screen::Secondary(s) => s,
            Screen::Custom(s) => s,
            Screen::Access(s) => s,
            Screen::Dns(s) => s,
            Screen::Preview(s) => s,
            Screen::Progress(s) => s,
            Screen::Export(s) => s,
        }
    }

    pub fn get_mut(&mut self) -> &mut dyn WizardScreen {
        match self {
            Screen::Vpcs(s) => s,
            Screen::Subnets(s) => s,
            Screen::Endpoints(s) => s,
            Screen::Group(s) => s,
            Screen::Secondary(s) => s,
            Screen::Custom(s) => s,
            Screen::Access(s) => s,
            Screen::Dns(s) => s,
            Screen::Preview(s) => s,
            Screen::Progress(s) => s,
            Screen::Export(s) => s,
        }
    }

    pub fn step(&self) -> Step {
        match self {
            Screen::Vpcs(_) => Step::Vpc,
            Screen::Subnets(_) => Step::Subnets,
            Screen::Endpoints(_) => Step::Endpoints,
            Screen::Group(_) => Step::Group,
            Screen::Secondary(_) => Step::Secondary,
            Screen::Custom(_) => Step::Custom,
            Screen::Access(_) => Step::Access,
            Screen::Dns(_) => Step::Dns,
            Screen::Preview(_) => Step::Preview,
            Screen::Progress(_) => Step::Apply,
            Screen::Export(_) => Step::Export,
        }
    }
}
