//! What a screen's key handler asks the app to do. Screens return intents; only
//! `App::update` changes the draft spec, so no screen imports the app.

#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    ChooseVpc(String),
    /// Open the region list.
    PickRegion,
    ToggleSubnet(String),
    CycleCluster,
    /// Endpoints: a feature of the catalogue (by ID), a service, private DNS, an extra
    /// route table for the S3 gateway.
    ToggleFeature(String),
    ToggleService(String),
    TogglePrivateDns,
    ToggleRouteTable(String),
    /// The endpoints' group: an existing one (its ID), or a new one (None).
    UseGroup(Option<String>),
    /// The new group's name (checked already).
    RenameGroup(String),
    /// The secondary CIDR (checked already; pod subnets split evenly), or none.
    SetSecondaryCidr(Option<String>),
    /// One AZ's pod subnet (checked already).
    SetPodSubnet(String, String),
    /// Custom networking on (ENIConfigs) or off (subnet discovery).
    SetCustomNetworking(bool),
    /// The node label that selects ENIConfigs.
    SetEniLabel(String),
    /// A security group for the pods' ENIs, added or removed.
    TogglePodGroup(String),
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
