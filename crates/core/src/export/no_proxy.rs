//! `no-proxy`: the NO_PROXY value for nodes and tools behind an HTTP proxy (rule X7), as an
//! environment file (`. no-proxy.env` in a shell, `EnvironmentFile=` for systemd): what must
//! not go through the proxy is the instance metadata, the VPC's own addresses, the cluster
//! API and the interface endpoints the spec creates (through a proxy their private DNS
//! answers would not be used).

use super::{Cannot, Source};

/// The DNS names an interface endpoint answers for `service` (short name) in `region`; a
/// leading dot stands for every name under it.
pub(super) fn endpoint_names(service: &str, region: &str) -> Vec<String> {
    let host = crate::inventory::usual_service_host(service, region);
    match service {
        // Buckets are names under the host; registries too (`<account>.dkr.ecr.…`).
        "s3" => vec![host.clone(), format!(".{host}")],
        "ecr.dkr" => vec![format!(".{host}")],
        _ => crate::inventory::service_hosts(service, region),
    }
}

/// A NO_PROXY entry: host names, dotted suffixes, addresses and CIDRs only, so that the
/// file is safe to source.
fn safe(entry: &str) -> bool {
    !entry.is_empty()
        && entry
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-/:".contains(c))
}

pub fn render(src: &Source) -> Result<String, Cannot> {
    let spec = src.spec;
    let vpc = src.vpc()?;
    // The instance metadata (IPv4 and IPv6) and the EKS Pod Identity agent on each node
    // (169.254.170.23, fd00:ec2::23), which pods call for credentials.
    let mut entries: Vec<String> = [
        "localhost",
        "127.0.0.1",
        "169.254.169.254",
        "fd00:ec2::254",
        "169.254.170.23",
        "fd00:ec2::23",
    ]
    .map(str::to_string)
    .to_vec();
    entries.extend(vpc.active_cidrs().map(str::to_string));
    if let Some(s) = &spec.secondary_cidr {
        entries.push(s.cidr.trim().to_string());
    }
    // In-cluster names and the service CIDR: pods call the API through kubernetes.default.
    entries.extend([".svc", ".cluster.local"].map(str::to_string));
    if let Some(cidr) = src.cluster().and_then(|c| c.service_cidr.clone()) {
        entries.push(cidr);
    }
    // The cluster API (ABC.gr7.<region>.eks.amazonaws.com), and the cluster's own host
    // when it is elsewhere (an IPv6 cluster's eks-cluster.<region>.api.aws).
    entries.push(".eks.amazonaws.com".into());
    if let Some(c) = src.cluster() {
        let host = c.api_host();
        if !host.is_empty() && !host.ends_with(".eks.amazonaws.com") {
            entries.push(host);
        }
        // Its OIDC issuer: IRSA's web identity tokens are checked against it.
        entries.extend(crate::inventory::service_hosts("oidc-eks", &spec.region));
    }
    for svc in spec.endpoints.iter().flat_map(|e| &e.services) {
        entries.extend(endpoint_names(svc.trim(), &spec.region));
    }
    let mut seen: Vec<String> = vec![];
    for e in entries {
        if !safe(&e) {
            return Err(Cannot::Spec(format!(
                "{e:?} cannot be a NO_PROXY entry: fix the spec field it comes from"
            )));
        }
        if !seen.contains(&e) {
            seen.push(e);
        }
    }
    let value = seen.join(",");
    Ok(format!(
        "# {}\n\
         # NO_PROXY for nodes and tools behind an HTTP proxy (rule X7). Never let the proxy\n\
         # intercept TLS to oidc.eks.{}.amazonaws.com: IAM roles for service accounts break.\n\
         NO_PROXY={value}\n\
         no_proxy={value}\n",
        super::provenance(spec),
        spec.region
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit;

    #[test]
    fn the_value_covers_metadata_vpc_api_and_the_endpoints() {
        let inv = testkit::inventory();
        let mut s = testkit::spec();
        s.endpoints = Some(crate::spec::starter::base_endpoints(&inv, &s.metadata.name));
        s.secondary_cidr = Some(crate::spec::SecondaryCidr {
            cidr: "100.64.0.0/16".into(),
            pod_subnets: Default::default(),
        });
        let text = super::super::with_plan(&s, &inv, render).unwrap();
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix("NO_PROXY="))
            .unwrap();
        let entries: Vec<&str> = line.split(',').collect();
        let primary = inv.vpc("vpc-prod").unwrap().active_cidrs().next().unwrap();
        for want in [
            "169.254.169.254",
            primary,
            "100.64.0.0/16",
            ".eks.amazonaws.com",
            "sts.eu-west-1.amazonaws.com",
            "api.ecr.eu-west-1.amazonaws.com",
            ".dkr.ecr.eu-west-1.amazonaws.com",
            ".s3.eu-west-1.amazonaws.com",
        ] {
            assert!(entries.contains(&want), "{want} in {line}");
        }
        assert!(
            text.contains("oidc.eks.eu-west-1.amazonaws.com"),
            "the OIDC host, spelled as AWS does: {text}"
        );
        assert!(text.contains(&format!("no_proxy={line}\n")));
        // A spec value that would break a shell: refused, naming it.
        s.endpoints
            .as_mut()
            .unwrap()
            .services
            .push("sts;reboot".into());
        let e = super::super::with_plan(&s, &inv, render)
            .unwrap_err()
            .to_string();
        assert!(e.contains("sts;reboot"), "{e}");
    }

    /// Issue 25 (X7): the Pod Identity agent's link-local addresses, IMDS over IPv6, an
    /// IPv6 cluster's dual-stack API host and the api.aws names of the EKS endpoints.
    #[test]
    fn pod_identity_and_the_api_aws_names_bypass_the_proxy() {
        let mut inv = testkit::inventory();
        inv.clusters[0].ip_family = "ipv6".into();
        inv.clusters[0].endpoint =
            "https://ABC123.gr7.eu-west-1.eks-cluster.eu-west-1.api.aws".into();
        let mut s = testkit::spec();
        let mut ep = crate::spec::starter::base_endpoints(&inv, &s.metadata.name);
        ep.services
            .extend(["eks".into(), "eks-auth".into(), "eks-proxy".into()]);
        s.endpoints = Some(ep);
        let text = super::super::with_plan(&s, &inv, render).unwrap();
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix("NO_PROXY="))
            .unwrap();
        let entries: Vec<&str> = line.split(',').collect();
        for want in [
            "169.254.170.23",
            "fd00:ec2::23",
            "fd00:ec2::254",
            "abc123.gr7.eu-west-1.eks-cluster.eu-west-1.api.aws",
            "oidc.eks.eu-west-1.amazonaws.com",
            "oidc-eks.eu-west-1.api.aws",
            "eks.eu-west-1.amazonaws.com",
            "eks.eu-west-1.api.aws",
            "eks-auth.eu-west-1.api.aws",
            "eks-proxy.eu-west-1.api.aws",
            "eks-proxy.eks.eu-west-1.amazonaws.com",
        ] {
            assert!(entries.contains(&want), "{want} in {line}");
        }
    }
}
