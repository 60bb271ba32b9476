//! Exports: files other tools read, rendered from the spec, the account as read and the
//! plan (pure functions, one module per format). `ops::export` picks the formats and
//! writes them; the CLI's `export` and the wizard share it (docs/export.md).
//!
//! An ID that exists only once apply has run (a pod subnet, a Resolver endpoint's IPs) is
//! taken from the account, through the plan's adopted resources; before apply the format
//! says which values are still unknown instead of inventing them.

use crate::inventory::{Cluster, Inventory, Vpc};
use crate::plan::Plan;
use crate::spec::Spec;

mod aws_node;
mod cloudformation;
mod dns;
mod eksctl;
mod eniconfig;
mod held;
mod iam;
mod no_proxy;
mod nodeclass;
mod spec;
mod terraform;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    /// The spec itself (YAML): export → load → identical.
    Spec,
    /// eksctl's ClusterConfig.
    Eksctl,
    /// One ENIConfig per node AZ (custom networking).
    Eniconfig,
    /// An EKS Auto Mode NodeClass with the pod subnets (instead of ENIConfigs, rule K1).
    Nodeclass,
    /// The VPC CNI's configuration values and the runbook that applies them (rule N5).
    AwsNode,
    /// On-premises DNS forwarders for the cluster API (BIND, dnsmasq, Windows DNS), and a
    /// zone for self-managed endpoint DNS.
    Dns,
    /// The NO_PROXY value for nodes and tools behind an HTTP proxy (rule X7).
    NoProxy,
    /// A least-privilege IAM policy for discovery, this plan's apply and destroy.
    Iam,
    /// A CloudFormation template that creates what the plan creates.
    Cloudformation,
    /// Terraform HCL with the same resources, and import blocks for what exists.
    Terraform,
}

impl Format {
    pub const ALL: [Format; 10] = [
        Format::Spec,
        Format::Eksctl,
        Format::Eniconfig,
        Format::Nodeclass,
        Format::AwsNode,
        Format::Dns,
        Format::NoProxy,
        Format::Iam,
        Format::Cloudformation,
        Format::Terraform,
    ];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Spec => "spec",
            Format::Eksctl => "eksctl",
            Format::Eniconfig => "eniconfig",
            Format::Nodeclass => "nodeclass",
            Format::AwsNode => "aws-node",
            Format::Dns => "dns",
            Format::NoProxy => "no-proxy",
            Format::Iam => "iam",
            Format::Cloudformation => "cloudformation",
            Format::Terraform => "terraform",
        }
    }
}

/// What `--format` asked for: formats by name (each must be made), and `all` (every
/// format this spec has what it needs for; the others are skipped, saying why).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub named: Vec<Format>,
    pub all: bool,
}

impl Selection {
    /// The formats to try, in order.
    pub fn formats(&self) -> Vec<Format> {
        if self.all {
            Format::ALL.to_vec()
        } else {
            self.named.clone()
        }
    }

    /// Whether `f` was asked for by name (so that not making it is an error).
    pub fn required(&self, f: Format) -> bool {
        self.named.contains(&f)
    }
}

/// One file of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Its name under `--out`.
    pub name: String,
    pub text: String,
}

impl File {
    fn new(name: impl Into<String>, text: impl Into<String>) -> File {
        File {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// Why a format cannot be made for this spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cannot {
    /// The spec lacks what the format needs, or holds a value it cannot carry: what to
    /// add or fix.
    Spec(String),
    /// Values that exist only once apply has run: which.
    Unknown(Vec<String>),
}

impl std::fmt::Display for Cannot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cannot::Spec(why) => write!(f, "{why}"),
            Cannot::Unknown(what) => write!(
                f,
                "not in the account until apply has run: {} — run apply, then export again",
                what.join(", ")
            ),
        }
    }
}

/// What a format renders from: the spec, the account as read, and the plan against it
/// (its adopted resources are what exists already, with their IDs).
pub struct Source<'a> {
    pub spec: &'a Spec,
    pub inv: &'a Inventory,
    pub plan: &'a Plan,
}

impl<'a> Source<'a> {
    /// The spec's cluster, as read.
    fn cluster(&self) -> Option<&'a Cluster> {
        let name = self.spec.cluster_name.as_ref()?;
        self.inv.clusters.iter().find(|c| &c.name == name)
    }

    /// The spec's VPC, as read.
    fn vpc(&self) -> Result<&'a Vpc, Cannot> {
        self.inv.vpc(&self.spec.vpc_id).ok_or_else(|| {
            Cannot::Spec(format!(
                "the spec's VPC {} is not in the account as read: check vpcId and region",
                self.spec.vpc_id
            ))
        })
    }

    /// The ID of what the plan adopted at `address` (it exists in the account).
    fn adopted(&self, address: &str) -> Option<&'a str> {
        self.plan
            .adopted
            .iter()
            .find(|(a, _)| a == address)
            .map(|(_, id)| id.as_str())
    }

    /// K1: an Auto Mode cluster takes no VPC CNI settings; `what` names the export.
    fn not_auto_mode(&self, what: &str) -> Result<(), Cannot> {
        match self.cluster().filter(|c| c.auto_mode) {
            Some(c) => Err(Cannot::Spec(format!(
                "cluster {} runs EKS Auto Mode, where {what} do not apply (K1): use the nodeclass export",
                c.name
            ))),
            None => Ok(()),
        }
    }

    /// The cluster name, or what to add.
    fn cluster_name(&self, format: Format) -> Result<&'a str, Cannot> {
        self.spec
            .cluster_name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| {
                Cannot::Spec(format!(
                    "{} needs the cluster's name: add clusterName to the spec",
                    format.name()
                ))
            })
    }
}

/// What every export says first (as a comment where the format has them): the tool, its
/// version and the spec it came from.
pub fn provenance(spec: &Spec) -> String {
    // On one line whatever the spec holds: every format writes it as a comment.
    crate::report::one_line(&format!(
        "Written by eks-private-tui {} from the spec {:?} ({} in {}).",
        env!("CARGO_PKG_VERSION"),
        spec.metadata.name,
        spec.vpc_id,
        spec.region
    ))
}

/// `format` for `src`: its files, or why it cannot be made.
/// Something the operator does outside this tool once the plan is applied, and the
/// export that carries it (if one does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextStep {
    pub what: String,
    pub export: Option<Format>,
}

/// What is left to do outside this tool for `spec`, in the order to do it (rule N5: the
/// node roll after the CNI settings, public access off last).
pub fn next_steps(spec: &Spec, inv: &Inventory) -> Vec<NextStep> {
    let step = |what: String, export: Option<Format>| NextStep { what, export };
    let cluster = spec
        .cluster_name
        .as_deref()
        .and_then(|n| inv.clusters.iter().find(|c| c.name == n));
    let mut out = vec![];
    let named = spec
        .cluster_name
        .as_deref()
        .map(|n| format!(" {n}"))
        .unwrap_or_default();
    if cluster.is_none() {
        // With custom networking the node group waits for the ENIConfigs.
        out.push(step(
            if spec.custom_networking.is_some() {
                format!(
                    "create the cluster{named} in the node subnets without its node group (eksctl create cluster -f --without-nodegroup)"
                )
            } else {
                format!("create the cluster{named} in the node subnets (eksctl create cluster -f)")
            },
            Some(Format::Eksctl),
        ));
    }
    if spec.custom_networking.is_some() {
        out.push(step(
            "kubectl apply the ENIConfigs, one per AZ, before any node restarts".into(),
            Some(Format::Eniconfig),
        ));
        out.push(step(
            "set aws-node's AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true and ENI_CONFIG_LABEL_DEF (kubectl set env, or the add-on's configuration values)".into(),
            Some(Format::AwsNode),
        ));
        if cluster.is_none() {
            out.push(step(
                "create the node group (eksctl create nodegroup -f): its nodes start with their ENIConfig".into(),
                Some(Format::Eksctl),
            ));
        } else {
            out.push(step(
                "roll the nodes in the N5 order: new nodes first, then cordon, drain and remove the old ones, one AZ at a time".into(),
                Some(Format::AwsNode),
            ));
        }
    } else if spec.secondary_cidr.is_some() {
        out.push(step(
            "make sure the VPC CNI is 1.18 or later: it then finds the tagged pod subnets itself (N8)".into(),
            Some(Format::AwsNode),
        ));
    }
    // On-prem resolvers forward to the inbound endpoint only when clients other than the
    // forward rule's VPC are let in (the rule's VPC asks through the outbound endpoint).
    let rule_vpc: Vec<ipnet::Ipv4Net> = spec
        .dns
        .as_ref()
        .filter(|d| d.forward_rule.is_some())
        .and_then(|d| d.outbound_endpoint.as_ref())
        .and_then(|o| inv.vpc(&o.vpc_id))
        .map(|v| v.active_cidrs().filter_map(|c| c.parse().ok()).collect())
        .unwrap_or_default();
    if let Some(inb) = spec.dns.as_ref().and_then(|d| d.inbound_endpoint.as_ref())
        && !inb.subnet_ids.is_empty()
        && inb.allow_from_cidrs.iter().any(|c| {
            c.parse::<ipnet::Ipv4Net>()
                .is_ok_and(|n| !rule_vpc.iter().any(|v| v.contains(&n)))
        })
    {
        out.push(step(
            "forward the cluster's API hostname from the on-prem resolvers to the inbound endpoint's IPs".into(),
            Some(Format::Dns),
        ));
    }
    out.push(step(
        "give the operators' and CI's roles the least-privilege policy for this spec".into(),
        Some(Format::Iam),
    ));
    let public_now = cluster.is_some_and(|c| c.public_access);
    match &spec.cluster_endpoint {
        Some(e) if e.public_access && e.private_access => out.push(step(
            "check kubectl through the private endpoint from a bastion or a peered network, then turn public access off last (clusterEndpoint.publicAccess: false, apply again from inside)".into(),
            Some(Format::Spec),
        )),
        Some(e) if !e.public_access => out.push(step(
            "check kubectl from inside the VPC, a peered VPC or over VPN/Direct Connect: that is now the only way in".into(),
            None,
        )),
        None if public_now => out.push(step(
            "choose endpoint access (step 7): public access goes off last, once kubectl works privately".into(),
            Some(Format::Spec),
        )),
        _ => {}
    }
    out
}

pub fn render(format: Format, src: &Source) -> Result<Vec<File>, Cannot> {
    match format {
        Format::Spec => Ok(vec![File::new(
            format!("{}.yaml", crate::spec::slug(&src.spec.metadata.name)),
            spec::render(src.spec),
        )]),
        Format::Eksctl => eksctl::render(src),
        Format::Eniconfig => eniconfig::render(src),
        Format::Nodeclass => nodeclass::render(src),
        Format::AwsNode => aws_node::render(src),
        Format::Dns => dns::render(src),
        Format::NoProxy => no_proxy::render(src).map(|t| vec![File::new("no-proxy.env", t)]),
        Format::Iam => iam::render(src),
        Format::Cloudformation => cloudformation::render(src),
        Format::Terraform => terraform::render(src),
    }
}

/// A YAML mapping with its keys in the order given (the files read like their tools'
/// own examples: apiVersion and kind first); a null value leaves its key out.
fn map<'a>(pairs: impl IntoIterator<Item = (&'a str, serde_yaml::Value)>) -> serde_yaml::Value {
    let mut m = serde_yaml::Mapping::new();
    for (k, v) in pairs {
        if !v.is_null() {
            m.insert(k.into(), v);
        }
    }
    serde_yaml::Value::Mapping(m)
}

/// `value` as YAML after a `# provenance` line.
fn yaml(spec: &Spec, value: &serde_yaml::Value) -> String {
    format!(
        "# {}\n{}",
        provenance(spec),
        serde_yaml::to_string(value).expect("a YAML value always serializes")
    )
}

/// A value a generated file quotes or names: printable ASCII without the characters that
/// would end a quoted string or start a comment in the formats here. Spec values outside
/// it are refused, naming the field, rather than escaped differently per format.
fn plain(field: &str, value: &str) -> Result<(), Cannot> {
    let ok = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_graphic() && !"\"'`\\$;#{}<>|&".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Cannot::Spec(format!(
            "{field} {value:?} cannot go into an exported file: use letters, digits and - . _ / : only"
        )))
    }
}

/// What a CloudFormation or Terraform file says instead of an action that makes no
/// resource of its own: this tool's record of the cluster's access, subnets added to an
/// existing endpoint, and destroy's restores. None for the others.
fn not_a_resource(a: &crate::plan::Action) -> Option<String> {
    use crate::plan::Change;
    match &a.change {
        Change::TagCluster { cluster, .. } => Some(format!(
            "the record of cluster {cluster}'s endpoint access before (a tag of this tool's, for destroy)"
        )),
        Change::AddEndpointSubnets {
            endpoint_id,
            subnet_ids,
        } => Some(format!(
            "subnets {} on {endpoint_id} (an existing endpoint)",
            subnet_ids.join(", ")
        )),
        Change::UntagCluster { .. }
        | Change::UntagSubnet { .. }
        | Change::RemoveGatewayRouteTables { .. }
        | Change::RemoveEndpointSubnets { .. } => {
            Some(format!("{} (destroy's restore)", a.address))
        }
        _ => None,
    }
}

/// `f` on `spec` in `inv` with the plan against it (the format tests).
#[cfg(test)]
fn with_plan<T>(spec: &Spec, inv: &Inventory, f: impl FnOnce(&Source) -> T) -> T {
    let plan = crate::plan::plan(spec, inv);
    f(&Source {
        spec,
        inv,
        plan: &plan,
    })
}

#[cfg(test)]
mod next_step_tests {
    use super::*;
    use crate::rules::testkit;

    #[test]
    fn next_steps_follow_the_spec() {
        let inv = testkit::inventory();
        let mut spec = testkit::spec();
        let names = |s: &Spec| -> Vec<(String, Option<Format>)> {
            next_steps(s, &inv)
                .into_iter()
                .map(|n| (n.what, n.export))
                .collect()
        };
        // The demo cluster is public: choosing access is what is left, with the IAM policy.
        let n = names(&spec);
        assert_eq!(n.len(), 2, "{n:?}");
        assert!(n[1].0.contains("public access goes off last"));
        // Custom networking: ENIConfigs, aws-node, the roll, in that order.
        spec.secondary_cidr = Some(crate::spec::SecondaryCidr {
            cidr: "100.64.0.0/16".into(),
            pod_subnets: Default::default(),
        });
        spec.custom_networking = Some(crate::spec::CustomNetworking {
            eni_config_label: crate::spec::LABEL_ZONE.into(),
            security_group_ids: vec![],
            prefix_delegation: false,
        });
        spec.cluster_endpoint = Some(crate::spec::ClusterEndpoint {
            private_access: true,
            public_access: true,
            public_access_cidrs: vec![],
            allow_https_from_cidrs: vec![],
        });
        let n = names(&spec);
        let formats: Vec<Option<Format>> = n.iter().map(|x| x.1).collect();
        assert_eq!(
            formats,
            [
                Some(Format::Eniconfig),
                Some(Format::AwsNode),
                Some(Format::AwsNode),
                Some(Format::Iam),
                Some(Format::Spec)
            ],
            "{n:?}"
        );
        assert!(n[4].0.contains("turn public access off last"));
        // No cluster yet: create it first, with eksctl.
        spec.cluster_name = Some("new".into());
        assert_eq!(names(&spec)[0].1, Some(Format::Eksctl));
        // Issue 26, 7: on-prem DNS only when clients other than the forward rule's VPC
        // may query the inbound endpoint.
        let mut inv = inv.clone();
        inv.vpcs.push(testkit::client_vpc(&inv));
        let mut s = testkit::spec();
        let dns = |allow: &[&str]| crate::spec::Dns {
            inbound_endpoint: Some(crate::spec::InboundEndpoint {
                subnet_ids: vec!["subnet-priv-a".into(), "subnet-priv-b".into()],
                allow_from_cidrs: allow.iter().map(|c| c.to_string()).collect(),
            }),
            outbound_endpoint: Some(crate::spec::OutboundEndpoint {
                vpc_id: "vpc-client".into(),
                subnet_ids: vec!["subnet-c1".into(), "subnet-c2".into()],
            }),
            forward_rule: Some(crate::spec::ForwardRule {
                domain: "auto".into(),
                associate_vpc_ids: vec!["vpc-client".into()],
            }),
        };
        let on_prem = |s: &Spec| {
            next_steps(s, &inv)
                .iter()
                .any(|n| n.export == Some(Format::Dns))
        };
        s.dns = Some(dns(&["10.99.0.0/16"]));
        assert!(!on_prem(&s), "the client VPC asks through the forward rule");
        s.dns = Some(dns(&["10.99.0.0/16", "192.168.0.0/16"]));
        assert!(on_prem(&s), "another network forwards to the inbound IPs");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_are_listed_with_what_to_do() {
        let c = Cannot::Unknown(vec!["a".into(), "b".into()]);
        assert_eq!(
            c.to_string(),
            "not in the account until apply has run: a, b — run apply, then export again"
        );
        assert!(plain("clusterName", "prod-1").is_ok());
        for bad in ["", "a b", "x\"y", "$(id)", "a;b", "é"] {
            assert!(plain("f", bad).is_err(), "{bad:?}");
        }
    }
}
