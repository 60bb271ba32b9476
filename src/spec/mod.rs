//! The spec: the wizard's choices, saved as YAML. The single source of truth that
//! `plan`, `apply` and `export` read (docs/spec.md). This is its first part: where
//! (region, VPC, cluster) and the node subnets; later sections extend it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_name: Option<String>,
    /// AZ name → subnet ID: one private or isolated subnet per AZ.
    #[serde(default)]
    pub node_subnets: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// Used in tags, client tokens and resource names.
    pub name: String,
}

impl Spec {
    pub fn new(name: &str, region: &str, vpc_id: &str) -> Self {
        Spec {
            api_version: API_VERSION.into(),
            kind: KIND.into(),
            metadata: Metadata { name: name.into() },
            region: region.into(),
            vpc_id: vpc_id.into(),
            cluster_name: None,
            node_subnets: BTreeMap::new(),
        }
    }

    pub fn to_yaml(&self) -> String {
        serde_yaml::to_string(self).expect("a spec always serializes")
    }

    /// Parse a spec; errors name the line, column and what is wrong.
    pub fn from_yaml(text: &str) -> Result<Spec, String> {
        let spec: Spec = serde_yaml::from_str(text).map_err(|e| match e.location() {
            Some(l) => format!("line {}, column {}: {e}", l.line(), l.column()),
            None => e.to_string(),
        })?;
        if spec.api_version != API_VERSION {
            return Err(format!(
                "apiVersion is {:?}; this version reads {API_VERSION:?}",
                spec.api_version
            ));
        }
        if spec.kind != KIND {
            return Err(format!("kind is {:?}; expected {KIND:?}", spec.kind));
        }
        Ok(spec)
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

    #[test]
    fn round_trip_and_errors() {
        let mut s = Spec::new("prod-private", "eu-west-1", "vpc-0123");
        s.cluster_name = Some("prod".into());
        s.node_subnets
            .insert("eu-west-1a".into(), "subnet-aaa".into());
        let y = s.to_yaml();
        assert_eq!(Spec::from_yaml(&y).unwrap(), s);
        assert!(y.starts_with("apiVersion: eks-private-tui/v1alpha1\nkind: PrivateNetwork\n"));
        let err = Spec::from_yaml(&y.replace("vpcId", "vpcID")).unwrap_err();
        assert!(err.contains("line") && err.contains("vpcID"), "{err}");
        let err = Spec::from_yaml(&y.replace("v1alpha1", "v9")).unwrap_err();
        assert!(err.contains("apiVersion"), "{err}");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Prod VPC (EU)"), "prod-vpc-eu");
        assert_eq!(slug("--"), "private-network");
    }
}
