//! The endpoint catalogue (`assets/endpoints.toml`, which states its sources and date): the
//! services a private cluster reaches through VPC endpoints, one line on what needs each,
//! and the features (`endpoints.features` in the spec) with the services they need.
//! Whether the region offers a service is the inventory's to say (rule P1), never this
//! file's.

use serde::Deserialize;
use std::sync::OnceLock;

pub const EMBEDDED: &str = include_str!("../../../../assets/endpoints.toml");

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub name: String,
    /// Every private cluster needs it (rule P7).
    #[serde(default)]
    pub base: bool,
    /// A gateway endpoint (on route tables), not an interface endpoint.
    #[serde(default)]
    pub gateway: bool,
    /// Its name carries no region: `com.amazonaws.iam`, `com.amazonaws.route53` (P12).
    #[serde(default)]
    pub regionless: bool,
    pub why: String,
}

/// The endpoint service name of `svc` where the region's list does not say it: the
/// partition prefix, the region unless the service is regionless, and the short name.
pub fn default_service_name(svc: &str, region: &str) -> String {
    if catalogue().service(svc).is_some_and(|s| s.regionless) {
        format!("com.amazonaws.{svc}")
    } else {
        format!("com.amazonaws.{region}.{svc}")
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feature {
    /// As written in `endpoints.features`.
    pub id: String,
    pub title: String,
    pub services: Vec<String>,
    /// What no endpoint provides and the operator must still do ("" when nothing).
    #[serde(default)]
    pub note: String,
    /// The EKS add-ons (ListAddons names) that are this feature: a cluster running one
    /// needs the feature's services whatever the spec says (rule P9).
    #[serde(default)]
    pub addons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    #[serde(rename = "service")]
    pub services: Vec<Service>,
    #[serde(rename = "feature")]
    pub features: Vec<Feature>,
}

impl Catalogue {
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }

    pub fn feature(&self, id: &str) -> Option<&Feature> {
        self.features.iter().find(|f| f.id == id)
    }

    pub fn base(&self) -> impl Iterator<Item = &str> {
        self.services
            .iter()
            .filter(|s| s.base)
            .map(|s| s.name.as_str())
    }

    /// The feature an EKS add-on is, if the catalogue knows it.
    pub fn feature_of_addon(&self, addon: &str) -> Option<&Feature> {
        self.features
            .iter()
            .find(|f| f.addons.iter().any(|a| a == addon))
    }

    pub fn feature_ids(&self) -> Vec<&str> {
        self.features.iter().map(|f| f.id.as_str()).collect()
    }

    /// The services `features` need, beyond the base set, in catalogue order.
    pub fn needed_by<'a>(&'a self, features: &[String]) -> Vec<&'a str> {
        self.services
            .iter()
            .filter(|s| {
                features
                    .iter()
                    .filter_map(|f| self.feature(f))
                    .any(|f| f.services.contains(&s.name))
            })
            .map(|s| s.name.as_str())
            .collect()
    }
}

/// The endpoint set every private cluster needs (rule P7; `s3` is the gateway endpoint):
/// the catalogue's `base` services, in its order. The rules, the starter spec and the
/// wizard's endpoint screen all take it from here.
pub fn base_services() -> &'static [&'static str] {
    static BASE: OnceLock<Vec<&'static str>> = OnceLock::new();
    BASE.get_or_init(|| catalogue().base().collect())
}

/// The catalogue as shipped.
pub fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| toml::from_str(EMBEDDED).expect("assets/endpoints.toml parses"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_consistent() {
        let c = catalogue();
        // The base set is the one the rules and the starter use.
        assert_eq!(
            c.base().collect::<Vec<_>>(),
            ["ec2", "ecr.api", "ecr.dkr", "s3", "sts"]
        );
        assert_eq!(base_services(), c.base().collect::<Vec<_>>());
        // Every feature names services of the catalogue, and IDs are unique.
        for f in &c.features {
            // A feature no endpoint serves says so in its note (Marketplace metering).
            assert!(
                !f.services.is_empty() || f.note.contains("no VPC endpoint"),
                "{} needs no service and says nothing",
                f.id
            );
            for s in &f.services {
                assert!(
                    c.service(s).is_some(),
                    "{}: {s} is not in the catalogue",
                    f.id
                );
            }
            assert_eq!(c.features.iter().filter(|x| x.id == f.id).count(), 1);
        }
        assert_eq!(
            c.needed_by(&["karpenter".into(), "nope".into()]),
            ["ec2", "sts", "eks", "ssm"]
        );
        // SQS only with interruption handling (issue 25).
        assert_eq!(
            c.needed_by(&["karpenter".into(), "karpenter-interruption".into()]),
            ["ec2", "sts", "eks", "sqs", "ssm"]
        );
        // Services without a region in their names (P12), and the names the plan uses.
        assert!(c.service("iam").unwrap().regionless);
        assert!(c.service("route53").unwrap().regionless);
        assert_eq!(
            super::default_service_name("iam", "us-east-1"),
            "com.amazonaws.iam"
        );
        assert_eq!(
            super::default_service_name("oidc-eks", "eu-west-1"),
            "com.amazonaws.eu-west-1.oidc-eks"
        );
        // The feature list is all there.
        for id in [
            "eks-api",
            "pod-identity",
            "karpenter",
            "load-balancer-controller",
            "cluster-autoscaler",
            "ssm-sessions",
            "logs",
            "xray",
            "kms",
            "ecr-pull-through",
        ] {
            assert!(c.feature(id).is_some(), "{id}");
        }
    }
}
