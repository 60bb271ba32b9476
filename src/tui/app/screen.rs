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

impl Screen {
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
