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
    /// The node group's instance type (max pods, N6): saved in the spec, and read from
    /// EC2 when the account has not been asked about it.
    SetInstanceType(String),
    /// Endpoint access: private or public on or off (the spec's clusterEndpoint is made
    /// from the cluster as it is, if it has none).
    ToggleAccess(AccessFlag),
    /// A CIDR (checked already) added to, or removed from, an access list.
    AddCidr(CidrList, String),
    RemoveCidr(CidrList, String),
    /// DNS: a Resolver set up from the account's suggestion, or dns removed.
    ToggleDns,
    /// A subnet of an endpoint's, in or out.
    ToggleDnsSubnet(DnsSide, String),
    /// The outbound endpoint's client VPC: the next one, or none after the last.
    CycleOutboundVpc,
    /// The forward rule's domain (checked already; `auto` for the API hostname).
    SetForwardDomain(String),
    /// A client VPC the forward rule is associated with, in or out.
    ToggleAssociation(String),
    /// The export step (`o` on the preview or after an apply).
    OpenExport,
    /// Write the chosen export files (`force`: overwrite what exists, as the operator said).
    Export {
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

/// Which of the cluster endpoint's accesses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessFlag {
    Private,
    Public,
}

/// Which CIDR list of the endpoint access step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CidrList {
    /// clusterEndpoint.publicAccessCidrs
    Public,
    /// clusterEndpoint.allowHttpsFromCidrs
    Https,
    /// dns.inboundEndpoint.allowFromCidrs
    DnsClients,
}

/// Which Resolver endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DnsSide {
    Inbound,
    Outbound,
}
