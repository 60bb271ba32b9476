//! The rules that break private EKS clusters (docs/rules.md), as pure functions of
//! (inventory, spec) → findings. Each rule has a stable ID used in code, tests and docs;
//! [`CATALOG`] holds its severity, why and fix, and docs/rules.md is checked against it.
//!
//! Where each rule is: every file of this module begins with the IDs it checks (`Rules:`;
//! a test keeps the line true): `vpc` V1–V4, V6, X8 · `bpa` V5 · `subnets` S1–S6, N5 ·
//! `cluster` S7, A5, I1 · `endpoints` P1–P10, P13, G1, G2 · `addons` P8, P9 · `hub` P11 ·
//! `egress` E1, E2, X4–X7, X9 · `access` A1–A4, E3, E4 · `dns` D1–D5, G4 · `nacl` G5 ·
//! `secondary` C1–C6, N1 · `cni` N1–N8, G3 · `kinds` K1, K2 · `readiness` R1 (and the
//! A, G, P findings it restates) · this file S3 (a node subnet with a public route).

mod access;
mod addons;
mod bpa;
#[cfg(test)]
mod cases;
pub mod catalog;
pub mod cidr;
mod cluster;
pub mod cni;
pub mod dns;
pub use endpoints::missing_node_azs;
mod egress;
mod endpoints;
mod hub;
mod kinds;
pub mod nacl;
pub mod names;
mod readiness;
pub mod secondary;
pub mod senders;
pub mod sources;
pub mod subnets;
/// The test inventory and spec shared by rule, plan and spec tests (and, behind the
/// `testkit` feature, by the other crates' tests).
#[cfg(any(test, feature = "testkit"))]
pub mod testkit;
mod vpc;

use crate::inventory::{Cluster, Inventory, Vpc};
use crate::spec::Spec;
use serde::Serialize;

pub use catalog::{Area, CATALOG, Id, rule};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks apply.
    Error,
    /// Shown in the preview and the check report.
    Warn,
    /// Explains.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warn => "warn",
            Severity::Info => "info",
        }
    }
}

/// One rule: what it guards, why, and the usual fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: Id,
    pub area: Area,
    pub severity: Severity,
    pub title: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
    /// The AWS documentation page a reader follows (the published form of the sources).
    pub docs: &'static str,
    /// The texts the rule rests on, each at the commit read: the first is the main one.
    pub sources: &'static [&'static sources::Source],
    /// When the rule's text was last compared with its sources (YYYY-MM-DD).
    pub checked: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub id: Id,
    /// The wizard step the finding is about (its rule's).
    #[serde(skip)]
    pub area: Area,
    pub severity: Severity,
    /// What it is about: a resource ID or a spec field path.
    pub subject: String,
    pub message: String,
    pub why: &'static str,
    pub fix: String,
    pub docs: &'static str,
    /// The readiness audit (R1): whether it breaks the cluster now, or only once the
    /// egress path (NAT, internet gateway) is gone. None for the other findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breaks: Option<Breaks>,
    /// What would make the finding go away, as changes a plan can make. When the spec's
    /// plan makes every one, the finding is about the state before it and says so
    /// ([`crate::plan::assess`]): it never claims missing what the plan adds.
    #[serde(skip)]
    pub remedies: Vec<Remedy>,
}

/// A change to the account that answers a finding, in the terms a plan's actions have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remedy {
    /// One of `groups` lets `protocol`/`port` in from `cidr`.
    Ingress {
        groups: Vec<String>,
        protocol: &'static str,
        port: i32,
        cidr: String,
    },
    /// The S3 gateway endpoint is on route table `table`.
    GatewayRoute { table: String },
    /// Subnet `subnet` carries tag `key`.
    SubnetTag { subnet: String, key: String },
    /// Interface endpoint `endpoint` has a network interface in `subnet`.
    EndpointSubnet { endpoint: String, subnet: String },
}

/// When a readiness finding (R1) breaks the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Breaks {
    /// Now, with the egress path still there.
    Today,
    /// Once the NAT or internet gateway path is removed.
    WithoutEgress,
}

impl Breaks {
    pub fn as_str(self) -> &'static str {
        match self {
            Breaks::Today => "today",
            Breaks::WithoutEgress => "without-egress",
        }
    }

    /// How the finding's message starts.
    pub fn words(self) -> &'static str {
        match self {
            Breaks::Today => "breaks today",
            Breaks::WithoutEgress => "breaks once the NAT or internet path is gone",
        }
    }
}

impl Rule {
    /// A finding of this rule with its usual severity and fix.
    pub fn at(&self, subject: impl Into<String>, message: impl Into<String>) -> Finding {
        Finding {
            id: self.id,
            area: self.area,
            severity: self.severity,
            subject: subject.into(),
            message: message.into(),
            why: self.why,
            fix: self.fix.to_string(),
            docs: self.docs,
            breaks: None,
            remedies: vec![],
        }
    }
}

impl Finding {
    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = fix.into();
        self
    }

    pub fn severity(mut self, s: Severity) -> Self {
        self.severity = s;
        self
    }

    /// What would answer it (see [`Finding::remedies`]).
    pub fn remedy(mut self, r: Remedy) -> Self {
        self.remedies.push(r);
        self
    }

    pub fn remedies(mut self, r: impl IntoIterator<Item = Remedy>) -> Self {
        self.remedies.extend(r);
        self
    }

    /// Show it on another step than its rule's (a rule that spans steps).
    pub fn area(mut self, a: Area) -> Self {
        self.area = a;
        self
    }

    /// A readiness finding (R1): when it breaks the cluster, said first in the message;
    /// breaking today is an error, breaking without egress a warning.
    pub fn breaks(mut self, when: Breaks) -> Self {
        self.message = format!("{}: {}", when.words(), self.message);
        self.severity = match when {
            Breaks::Today => Severity::Error,
            Breaks::WithoutEgress => Severity::Warn,
        };
        self.breaks = Some(when);
        self
    }
}

/// An optional read that did not answer, as a finding of the rule that needed it: a
/// warning naming the permission when it was refused, else information (the region or
/// the endpoint does not offer the call). `needs` says what the rule could not check.
pub(super) fn unread_finding(
    id: Id,
    subject: &str,
    u: &crate::inventory::Unread,
    needs: &str,
) -> Finding {
    let message = format!(
        "{} could not be read ({}: {}), so {needs} are not checked",
        u.what, u.call, u.reason
    );
    if u.access_denied {
        rule(id)
            .at(subject, message)
            .severity(Severity::Warn)
            .fix(format!(
                "grant {} (the IAM export's policy has it) and run check again",
                u.call
            ))
    } else {
        rule(id)
            .at(subject, message)
            .severity(Severity::Info)
            .fix(format!(
                "nothing to do if {} is not offered where this runs; else run check again",
                u.call
            ))
    }
}

/// What the rules look at.
pub struct Context<'a> {
    pub inv: &'a Inventory,
    pub spec: Option<&'a Spec>,
    /// The VPC under audit (the spec's, or `--vpc`), if it exists.
    pub vpc: Option<&'a Vpc>,
    /// The cluster under audit (the spec's clusterName, or `--cluster`), if it exists.
    pub cluster: Option<&'a Cluster>,
}

/// A node subnet under audit: the field or subject findings name, the AZ the spec
/// declares for it (none for a cluster's own subnets), and the subnet ID.
pub struct NodeSubnet<'a> {
    pub field: String,
    pub declared_az: Option<&'a str>,
    pub id: &'a str,
}

impl<'a> Context<'a> {
    /// The spec's node subnets; without a spec, where the cluster's nodes run (its managed
    /// node groups' subnets and its running nodes'), else, when no node is known, the
    /// cluster's own subnets.
    pub fn node_subnets(&self) -> Vec<NodeSubnet<'a>> {
        match (self.spec, self.cluster) {
            (Some(s), _) => s
                .node_subnets
                .iter()
                .map(|(az, id)| NodeSubnet {
                    field: format!("nodeSubnets.{az}"),
                    declared_az: Some(az.as_str()),
                    id: id.as_str(),
                })
                .collect(),
            (None, Some(c)) => {
                let nodes = c.node_subnets();
                if nodes.is_empty() {
                    return self.cluster_subnets();
                }
                nodes
                    .into_iter()
                    .map(|(who, id)| NodeSubnet {
                        field: format!("{who} subnet {id}"),
                        declared_az: None,
                        id,
                    })
                    .collect()
            }
            (None, None) => vec![],
        }
    }

    /// The cluster's own subnets (where EKS puts the control plane's interfaces).
    pub fn cluster_subnets(&self) -> Vec<NodeSubnet<'a>> {
        self.cluster
            .map(|c| {
                c.subnet_ids
                    .iter()
                    .map(|id| NodeSubnet {
                        field: format!("cluster {} subnet {id}", c.name),
                        declared_az: None,
                        id: id.as_str(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Run every rule. `vpc` / `cluster` choose what to audit when there is no spec (a spec
/// names its own); with neither, every VPC that holds a cluster is audited.
pub fn evaluate(
    inv: &Inventory,
    spec: Option<&Spec>,
    vpc: Option<&str>,
    cluster: Option<&str>,
) -> Vec<Finding> {
    let mut out = vec![];
    let cluster_name = spec.and_then(|s| s.cluster_name.as_deref()).or(cluster);
    // Without a spec or --vpc, a named cluster chooses its own VPC.
    let cluster_vpc = cluster_name
        .and_then(|n| inv.clusters.iter().find(|c| c.name == n))
        .and_then(|c| c.vpc_id.as_deref());
    let vpc_id = spec.map(|s| s.vpc_id.as_str()).or(vpc).or(cluster_vpc);
    let targets: Vec<&Vpc> = match vpc_id {
        Some(id) => match inv.vpc(id) {
            Some(v) => vec![v],
            None => {
                out.push(Finding {
                    id: Id::S3,
                    area: Area::Vpc,
                    severity: Severity::Error,
                    subject: if spec.is_some() {
                        "vpcId".into()
                    } else {
                        id.into()
                    },
                    message: format!("VPC {id} does not exist in {}", inv.region),
                    why: rule(Id::S3).why,
                    fix: "check vpcId and the region; `eks-private-tui inventory` lists the VPCs"
                        .into(),
                    docs: rule(Id::S3).docs,
                    breaks: None,
                    remedies: vec![],
                });
                vec![]
            }
        },
        None => inv
            .vpcs
            .iter()
            .filter(|v| inv.clusters_in(&v.id).next().is_some())
            .collect(),
    };
    for v in targets {
        let cluster = match cluster_name {
            Some(n) => inv.clusters.iter().find(|c| c.name == n),
            None => inv.clusters_in(&v.id).next(),
        };
        let ctx = Context {
            inv,
            spec,
            vpc: Some(v),
            cluster,
        };
        vpc::check(&ctx, &mut out);
        subnets::check(&ctx, &mut out);
        secondary::check(&ctx, &mut out);
        endpoints::check(&ctx, &mut out);
        access::check(&ctx, &mut out);
        dns::check(&ctx, &mut out);
        cni::check(&ctx, &mut out);
        egress::check(&ctx, &mut out);
        nacl::check(&ctx, &mut out);
        readiness::check(&ctx, &mut out);
        cluster::check(&ctx, &mut out);
        addons::check(&ctx, &mut out);
        bpa::check(&ctx, &mut out);
        hub::check(&ctx, &mut out);
        kinds::check(&ctx, &mut out);
    }
    out.sort_by(|a, b| {
        (a.severity, a.id, &a.subject, &a.message).cmp(&(b.severity, b.id, &b.subject, &b.message))
    });
    out.dedup();
    out
}

/// Counts by severity.
pub fn summary(findings: &[Finding]) -> (usize, usize, usize) {
    let count = |s| findings.iter().filter(|f| f.severity == s).count();
    (
        count(Severity::Error),
        count(Severity::Warn),
        count(Severity::Info),
    )
}

#[cfg(test)]
mod files {
    use super::Id;
    use std::collections::BTreeSet;

    const FILES: &[&str] = &[
        "access",
        "addons",
        "bpa",
        "cluster",
        "cni",
        "dns",
        "egress",
        "endpoints",
        "hub",
        "kinds",
        "nacl",
        "readiness",
        "secondary",
        "subnets",
        "vpc",
    ];

    /// The IDs a file's code names (its tests left out).
    fn named(text: &str) -> BTreeSet<String> {
        let code = text
            .split("\n#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or(text);
        let mut out = BTreeSet::new();
        for part in code.split("Id::").skip(1) {
            let id: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if Id::parse(&id).is_some() {
                out.insert(id);
            }
        }
        out
    }

    /// The first line of every rules file lists the rules it checks, and every rule is
    /// listed by at least one.
    #[test]
    fn each_file_says_which_rules_it_holds() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
        let mut all = BTreeSet::new();
        for f in FILES {
            let text = std::fs::read_to_string(dir.join(format!("{f}.rs"))).unwrap();
            let first = text.lines().next().unwrap_or("");
            let said: BTreeSet<String> = first
                .strip_prefix("//! Rules: ")
                .unwrap_or_else(|| panic!("{f}.rs does not begin with `//! Rules: `"))
                .trim_end_matches('.')
                .split(", ")
                .map(str::to_string)
                .collect();
            let mut named = named(&text);
            named.remove("");
            assert_eq!(said, named, "{f}.rs: its first line and its code differ");
            all.extend(named);
        }
        let mod_rs = std::fs::read_to_string(dir.join("mod.rs")).unwrap();
        all.extend(named(&mod_rs));
        for id in Id::ALL {
            assert!(all.contains(id.as_str()), "{id} is in no rules file");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testkit::*;
    use super::*;

    #[test]
    fn a_sound_setup_has_no_errors_or_warnings() {
        let inv = inventory();
        let mut s = with_access(spec());
        s.endpoints = Some(crate::spec::starter::base_endpoints(&inv, &s.metadata.name));
        let f = evaluate(&inv, Some(&s), None, None);
        let noisy: Vec<_> = f.iter().filter(|f| f.severity != Severity::Info).collect();
        assert!(noisy.is_empty(), "{noisy:#?}");
    }

    #[test]
    fn catalog_ids_are_unique_and_documented_in_rules_md() {
        let mut seen = std::collections::HashSet::new();
        for r in CATALOG {
            assert!(seen.insert(r.id), "duplicate {}", r.id);
            assert!(!r.why.is_empty() && !r.fix.is_empty() && r.docs.starts_with("https://"));
        }
    }

    /// Item 9 of issue 25: every rule names a source it can be checked against, each a
    /// file at a commit with that commit's date, and was compared with them on a real day.
    #[test]
    fn every_rule_has_a_source_with_a_file_a_commit_and_a_date() {
        fn is_date(d: &str) -> bool {
            let b = d.as_bytes();
            d.len() == 10
                && b[4] == b'-'
                && b[7] == b'-'
                && d.chars().filter(|c| c.is_ascii_digit()).count() == 8
                && ("2000".."2100").contains(&&d[..4])
                && ("01"..="12").contains(&&d[5..7])
                && ("01"..="31").contains(&&d[8..])
        }
        for s in sources::ALL {
            let (repo, file) = s.file.split_once(' ').unwrap_or((s.file, ""));
            assert!(
                repo.split('/').count() == 2 && !file.trim().is_empty(),
                "{}: not \"owner/repo file\"",
                s.file
            );
            assert!(
                s.commit.len() >= 7 && s.commit.chars().all(|c| c.is_ascii_hexdigit()),
                "{}: commit {:?} is not a git hash",
                s.file,
                s.commit
            );
            assert!(is_date(s.date), "{}: date {:?}", s.file, s.date);
        }
        for r in CATALOG {
            assert!(!r.sources.is_empty(), "{} names no source", r.id);
            for s in r.sources {
                assert!(
                    sources::ALL.iter().any(|a| std::ptr::eq(*a, *s)),
                    "{}: {} is not in sources::ALL",
                    r.id,
                    s.file
                );
            }
            assert!(is_date(r.checked), "{}: checked {:?}", r.id, r.checked);
            // Checked on or after the newest of its sources' dates.
            let newest = r.sources.iter().map(|s| s.date).max().unwrap();
            assert!(r.checked >= newest, "{} checked before its source", r.id);
        }
        // Every source is used by some rule.
        for s in sources::ALL {
            assert!(
                CATALOG
                    .iter()
                    .any(|r| r.sources.iter().any(|x| std::ptr::eq(*x, *s))),
                "{} is cited by no rule",
                s.file
            );
        }
    }

    #[test]
    fn a_named_cluster_is_audited_in_its_own_vpc_only() {
        let mut inv = inventory();
        let mut other = inv.vpcs[0].clone();
        other.id = "vpc-other".into();
        other.dns_support = false;
        inv.vpcs.push(other);
        let mut c2 = inv.clusters[0].clone();
        c2.name = "other".into();
        c2.vpc_id = Some("vpc-other".into());
        inv.clusters.push(c2);
        // Auditing "prod" must not report vpc-other's V1.
        let f = evaluate(&inv, None, None, Some("prod"));
        assert!(!f.iter().any(|f| f.id == "V1"), "{f:#?}");
        let f = evaluate(&inv, None, None, Some("other"));
        assert!(
            f.iter().any(|f| f.id == "V1" && f.subject == "vpc-other"),
            "{f:#?}"
        );
        // With neither, every VPC that holds a cluster.
        let f = evaluate(&inv, None, None, None);
        assert!(f.iter().any(|f| f.id == "V1"));
    }

    #[test]
    fn a_missing_vpc_is_an_error_naming_the_field() {
        let inv = inventory();
        let mut s = spec();
        s.vpc_id = "vpc-gone".into();
        let f = evaluate(&inv, Some(&s), None, None);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].subject, "vpcId");
        assert!(f[0].message.contains("vpc-gone does not exist"));
    }
}
