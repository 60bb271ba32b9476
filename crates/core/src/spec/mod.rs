//! The spec: the desired state, saved as YAML. The single source of truth that the wizard
//! edits and `check`, `plan`, `apply` and `export` read (docs/spec.md). Users keep it in
//! git, so field names are a public format.
//!
//! Loading is strict (unknown fields are errors) and says where: file, line, column and
//! field path. Values are kept as written (CIDRs as text): whether they make sense for
//! the account is for the rules to say, naming the field.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

pub mod commented;
pub mod edit;
pub mod guard;
pub mod services;
pub mod starter;

/// The tag every resource apply creates carries, with the spec's `metadata.name` as value.
pub const PLAN_TAG: &str = "eks-private-tui:plan";
/// The plan address of a created resource.
pub const ADDRESS_TAG: &str = "eks-private-tui:address";
/// The spec's VPC (`vpcId`), on everything apply creates: destroy deletes only what
/// carries the spec's own.
pub const VPC_TAG: &str = "eks-private-tui:vpc";
/// On what the CloudFormation export's stack makes (value `cloudformation`): the stack
/// owns it, so destroy leaves it (and says so) while plan adopts it.
pub const OWNER_TAG: &str = "eks-private-tui:owner";

pub const API_VERSION: &str = "eks-private-tui/v1alpha1";
pub const KIND: &str = "PrivateNetwork";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Spec {
    pub api_version: String,
    pub kind: String,
    pub metadata: Metadata,
    pub region: String,
    pub vpc_id: String,
    /// Optional: cluster endpoint access, DNS and the eksctl export need it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_name: Option<String>,
    /// AZ name → subnet ID: one private or isolated subnet per AZ.
    #[serde(default)]
    pub node_subnets: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Endpoints>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_cidr: Option<SecondaryCidr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_networking: Option<CustomNetworking>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_endpoint: Option<ClusterEndpoint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns: Option<Dns>,
    /// The node group of the eksctl export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_group: Option<NodeGroup>,
    /// Quotas this account has raised above AWS's defaults: the plan refuses what the
    /// defaults would refuse half-way through an apply.
    #[serde(default, skip_serializing_if = "Quotas::is_default")]
    pub quotas: Quotas,
}

/// Account quotas the plan checks against (docs/spec.md, "Limits").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Quotas {
    /// Inbound rules per security group ("Inbound or outbound rules per security group":
    /// 60 unless raised; at most 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_group_rules: Option<u32>,
}

/// AWS's default for inbound rules per security group.
pub const DEFAULT_SECURITY_GROUP_RULES: u32 = 60;
/// The most a raised quota allows (rules per group × groups per interface ≤ 1000).
pub const MAX_SECURITY_GROUP_RULES: u32 = 1000;
/// Public access CIDRs an EKS cluster endpoint takes (not adjustable).
pub const MAX_PUBLIC_ACCESS_CIDRS: usize = 40;

impl Quotas {
    fn is_default(&self) -> bool {
        self == &Quotas::default()
    }

    /// Inbound rules a security group may hold here.
    pub fn security_group_rules(&self) -> u32 {
        self.security_group_rules
            .unwrap_or(DEFAULT_SECURITY_GROUP_RULES)
            .min(MAX_SECURITY_GROUP_RULES)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// Used in tags, client tokens and resource names.
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Endpoints {
    /// Short service names (`sts`, `ecr.dkr`); `s3` means the gateway endpoint.
    pub services: Vec<String>,
    /// What the cluster runs that needs endpoints (`karpenter`, `pod-identity`, …: the
    /// catalogue in assets/endpoints.toml): the rules check that their services are listed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    /// false = self-managed DNS: CNAME records get exported instead.
    #[serde(default = "yes")]
    pub private_dns: bool,
    pub security_group: SecurityGroupChoice,
    /// The S3 gateway also goes on these (node and pod subnets' tables are automatic).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_route_table_ids: Vec<String>,
}

/// Exactly one of `id` (use this group) or `create` (make one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecurityGroupChoice {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create: Option<CreateSecurityGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateSecurityGroup {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecondaryCidr {
    pub cidr: String,
    /// AZ name → pod subnet CIDR inside `cidr`.
    #[serde(default)]
    pub pod_subnets: BTreeMap<String, String>,
}

pub const LABEL_ZONE: &str = "topology.kubernetes.io/zone";
pub const LABEL_ZONE_ID: &str = "topology.k8s.aws/zone-id";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomNetworking {
    /// `topology.kubernetes.io/zone`, or `topology.k8s.aws/zone-id` for shared VPCs.
    #[serde(default = "zone_label")]
    pub eni_config_label: String,
    /// Empty: the cluster security group in the ENIConfigs (the node's primary ENI
    /// groups when the cluster has none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_group_ids: Vec<String>,
    /// aws-node's `ENABLE_PREFIX_DELEGATION`: a /28 per address slot instead of one
    /// address (Nitro instances; rule N6). The aws-node and eksctl exports carry it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub prefix_delegation: bool,
}

/// The managed node group the eksctl export describes (only that export reads it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeGroup {
    /// Default `<metadata.name>-nodes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default = "default_instance_type")]
    pub instance_type: String,
    #[serde(default = "default_capacity")]
    pub desired_capacity: u32,
    /// Default: from the instance type (rule N6, with custom networking and prefix
    /// delegation as the spec sets them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pods: Option<u32>,
}

pub const DEFAULT_INSTANCE_TYPE: &str = "m5.large";
pub const DEFAULT_DESIRED_CAPACITY: u32 = 2;

impl Default for NodeGroup {
    fn default() -> Self {
        NodeGroup {
            name: None,
            instance_type: default_instance_type(),
            desired_capacity: default_capacity(),
            max_pods: None,
        }
    }
}

fn default_instance_type() -> String {
    DEFAULT_INSTANCE_TYPE.into()
}

fn default_capacity() -> u32 {
    DEFAULT_DESIRED_CAPACITY
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterEndpoint {
    pub private_access: bool,
    pub public_access: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub public_access_cidrs: Vec<String>,
    /// tcp/443 on the cluster security group from these (bastions, peers, on-prem).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_https_from_cidrs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Dns {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbound_endpoint: Option<InboundEndpoint>,
    /// Only for client VPCs in AWS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_endpoint: Option<OutboundEndpoint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_rule: Option<ForwardRule>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InboundEndpoint {
    pub subnet_ids: Vec<String>,
    #[serde(default)]
    pub allow_from_cidrs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OutboundEndpoint {
    pub vpc_id: String,
    pub subnet_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ForwardRule {
    /// `auto`: the cluster API hostname from DescribeCluster.
    #[serde(default = "auto")]
    pub domain: String,
    #[serde(default)]
    pub associate_vpc_ids: Vec<String>,
}

fn yes() -> bool {
    true
}

fn zone_label() -> String {
    LABEL_ZONE.into()
}

fn auto() -> String {
    "auto".into()
}

/// A spec that could not be loaded: where and what.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadError {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Dotted field path (`endpoints.securityGroup.create`), empty at the top.
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ":{l}:{c}")?;
        }
        if !self.path.is_empty() && self.path != "." {
            write!(f, ": {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for LoadError {}

impl Spec {
    /// Whether a resource with these tags is one an apply of this spec made (its name in
    /// `eks-private-tui:plan`, its VPC in `eks-private-tui:vpc`) and no stack took over:
    /// the plan may change it.
    pub fn owns(&self, tags: &std::collections::BTreeMap<String, String>) -> bool {
        tags.get(PLAN_TAG) == Some(&self.metadata.name)
            && tags.get(VPC_TAG) == Some(&self.vpc_id)
            && !tags.contains_key(OWNER_TAG)
    }

    /// Whether an apply of this spec made a resource with these tags, whoever holds it
    /// now (the owner tag: a stack or Terraform made from its export).
    pub fn made(&self, tags: &std::collections::BTreeMap<String, String>) -> bool {
        tags.get(PLAN_TAG) == Some(&self.metadata.name) && tags.get(VPC_TAG) == Some(&self.vpc_id)
    }

    pub fn new(name: &str, region: &str, vpc_id: &str) -> Self {
        Spec {
            api_version: API_VERSION.into(),
            kind: KIND.into(),
            metadata: Metadata { name: name.into() },
            region: region.into(),
            vpc_id: vpc_id.into(),
            cluster_name: None,
            node_subnets: BTreeMap::new(),
            endpoints: None,
            secondary_cidr: None,
            custom_networking: None,
            cluster_endpoint: None,
            dns: None,
            node_group: None,
            quotas: Quotas::default(),
        }
    }

    pub fn to_yaml(&self) -> String {
        serde_yaml::to_string(self).expect("a spec always serializes")
    }

    /// Parse a spec; errors name the line, column, field path and what is wrong.
    pub fn from_yaml(text: &str) -> Result<Spec, String> {
        Self::parse(text, "spec").map_err(|e| {
            // Without the file name: the caller knows it.
            let mut e = e;
            e.file.clear();
            e.to_string()
                .trim_start_matches(':')
                .trim_start()
                .to_string()
        })
    }

    /// Parse `text` read from `file` (named in errors).
    pub fn parse(text: &str, file: &str) -> Result<Spec, LoadError> {
        // Bounded expansion and no duplicate key, before anything is built.
        guard::check(text).map_err(|e| {
            let loc = e.location();
            LoadError {
                file: file.into(),
                line: loc.as_ref().map(|l| l.line()),
                column: loc.as_ref().map(|l| l.column()),
                path: String::new(),
                message: strip_location(&e.to_string()),
            }
        })?;
        let de = serde_yaml::Deserializer::from_str(text);
        let spec: Spec = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let loc = inner.location();
            let mut message = strip_location(&inner.to_string());
            // serde_yaml starts its message with the parent's path; we show ours.
            if let Some((prefix, rest)) = message.split_once(": ")
                && !prefix.contains(' ')
                && path.starts_with(prefix)
            {
                message = rest.to_string();
            }
            LoadError {
                file: file.into(),
                line: loc.as_ref().map(|l| l.line()),
                column: loc.as_ref().map(|l| l.column()),
                path,
                message,
            }
        })?;
        let at = |path: &str, message: String| LoadError {
            file: file.into(),
            line: None,
            column: None,
            path: path.into(),
            message,
        };
        if spec.api_version != API_VERSION {
            return Err(at(
                "apiVersion",
                format!(
                    "is {:?}; this version reads {API_VERSION:?}",
                    spec.api_version
                ),
            ));
        }
        if spec.kind != KIND {
            return Err(at("kind", format!("is {:?}; expected {KIND:?}", spec.kind)));
        }
        Ok(spec)
    }

    /// Read and parse a spec file.
    pub fn load(path: &Path) -> Result<Spec, LoadError> {
        let file = path.display().to_string();
        let fail = |message: String| LoadError {
            file: file.clone(),
            line: None,
            column: None,
            path: String::new(),
            message,
        };
        // A link is not followed (its target could be any file), a FIFO not waited on.
        let text = crate::files::read(path, crate::files::MAX_SPEC_BYTES)
            .map_err(|e| fail(format!("cannot read: {e}")))?
            .ok_or_else(|| fail("cannot read: no such file".into()))?;
        Self::parse(&text, &file)
    }
}

/// serde_yaml appends " at line L column C" to its messages; we report them separately.
fn strip_location(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// A metadata name derived from a VPC or cluster name: lowercase, [a-z0-9-], ≤ 40 chars.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let out: String = out.chars().take(40).collect();
    if out.is_empty() {
        "private-network".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The complete example of docs/spec.md (kept in sync by tests/docs.rs).
    pub const FULL: &str = r#"apiVersion: eks-private-tui/v1alpha1
kind: PrivateNetwork
metadata:
  name: prod-private
region: eu-west-1
vpcId: vpc-0123
clusterName: prod
nodeSubnets:
  eu-west-1a: subnet-aaa
  eu-west-1b: subnet-bbb
endpoints:
  services:
  - ec2
  - ecr.api
  - ecr.dkr
  - sts
  - s3
  - eks
  - logs
  privateDns: true
  securityGroup:
    create:
      name: prod-private-endpoints
secondaryCidr:
  cidr: 100.64.0.0/16
  podSubnets:
    eu-west-1a: 100.64.0.0/19
    eu-west-1b: 100.64.32.0/19
customNetworking:
  eniConfigLabel: topology.kubernetes.io/zone
clusterEndpoint:
  privateAccess: true
  publicAccess: false
  allowHttpsFromCidrs:
  - 10.99.0.0/16
dns:
  inboundEndpoint:
    subnetIds:
    - subnet-aaa
    - subnet-bbb
    allowFromCidrs:
    - 10.99.0.0/16
    - 192.168.0.0/16
  outboundEndpoint:
    vpcId: vpc-0999
    subnetIds:
    - subnet-xxx
    - subnet-yyy
  forwardRule:
    domain: auto
    associateVpcIds:
    - vpc-0999
"#;

    #[test]
    fn full_spec_round_trips_unchanged() {
        let s = Spec::from_yaml(FULL).unwrap();
        assert_eq!(s.to_yaml(), FULL);
        assert_eq!(s.endpoints.as_ref().unwrap().services.len(), 7);
        assert_eq!(
            s.secondary_cidr.as_ref().unwrap().pod_subnets["eu-west-1b"],
            "100.64.32.0/19"
        );
        assert_eq!(
            s.dns
                .as_ref()
                .unwrap()
                .forward_rule
                .as_ref()
                .unwrap()
                .domain,
            "auto"
        );
    }

    #[test]
    fn minimal_spec_and_defaults() {
        let mut s = Spec::new("prod-private", "eu-west-1", "vpc-0123");
        s.cluster_name = Some("prod".into());
        s.node_subnets
            .insert("eu-west-1a".into(), "subnet-aaa".into());
        let y = s.to_yaml();
        assert_eq!(Spec::from_yaml(&y).unwrap(), s);
        assert!(y.starts_with("apiVersion: eks-private-tui/v1alpha1\nkind: PrivateNetwork\n"));
        let with_defaults = Spec::from_yaml(&format!(
            "{y}endpoints:\n  services: [sts]\n  securityGroup: {{id: sg-1}}\ncustomNetworking: {{}}\n"
        ))
        .unwrap();
        let ep = with_defaults.endpoints.unwrap();
        assert!(ep.private_dns, "privateDns defaults to true");
        assert_eq!(
            with_defaults.custom_networking.unwrap().eni_config_label,
            LABEL_ZONE
        );
    }

    #[test]
    fn errors_name_line_column_and_field_path() {
        let e = Spec::parse(&FULL.replace("privateDns", "privateDNS"), "prod.yaml").unwrap_err();
        assert_eq!(e.path, "endpoints.privateDNS");
        assert!(e.message.contains("unknown field `privateDNS`"), "{e}");
        assert_eq!(e.line, Some(20));
        let shown = e.to_string();
        assert!(shown.starts_with("prod.yaml:20:"), "{shown}");

        let e = Spec::parse(
            &FULL.replace("privateAccess: true", "privateAccess: yes please"),
            "p.yaml",
        )
        .unwrap_err();
        assert_eq!(e.path, "clusterEndpoint.privateAccess");
        assert!(e.message.contains("invalid type"), "{e}");

        let e = Spec::parse(
            &FULL.replace(
                "    create:\n      name: prod-private-endpoints\n",
                "    create: {}\n",
            ),
            "p.yaml",
        )
        .unwrap_err();
        assert_eq!(e.path, "endpoints.securityGroup.create");
        assert!(e.message.contains("missing field `name`"), "{e}");

        let e = Spec::parse(&FULL.replace("v1alpha1", "v9"), "p.yaml").unwrap_err();
        assert_eq!(e.path, "apiVersion");
        let e = Spec::parse("apiVersion: [", "p.yaml").unwrap_err();
        assert!(e.line.is_some(), "{e}");
        let e = Spec::from_yaml(&FULL.replace("vpcId", "vpcID")).unwrap_err();
        assert!(e.contains("vpcID") && e.contains(':'), "{e}");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Prod VPC (EU)"), "prod-vpc-eu");
        assert_eq!(slug("--"), "private-network");
    }
}
