//! `dns`: what DNS servers outside the VPC need for the private cluster.
//! - Conditional forwarders for the cluster API hostname (the forward rule's domain) to
//!   the Resolver inbound endpoint's IPs (rules D1, D5): a BIND `zone` of type forward,
//!   dnsmasq `server=/NAME/IP` lines, and Windows DNS PowerShell
//!   (`Add-DnsServerConditionalForwarderZone`).
//! - With self-managed endpoint DNS (`endpoints.privateDns: false`), a BIND
//!   response-policy zone with a CNAME per interface endpoint hostname to the endpoint's
//!   own DNS name. A response-policy zone answers for exactly those names; an ordinary
//!   zone for `<region>.amazonaws.com` would shadow every other regional service.
//!
//! The IPs and endpoint names exist once apply has made them: they are read from the
//! account, and before apply the export says they are unknown.

use super::{Cannot, File, Source, plain, provenance};
use crate::inventory::ResolverIpStatus;

pub const BIND: &str = "dns-bind.conf";
pub const DNSMASQ: &str = "dns-dnsmasq.conf";
pub const WINDOWS: &str = "dns-windows.ps1";
pub const ZONE: &str = "endpoints.rpz.zone";

/// A DNS name as the files here write it: lowercase labels of letters, digits and `-`
/// (a leading `*.` allowed), no trailing dot.
fn dns_name(field: &str, name: &str) -> Result<String, Cannot> {
    let n = name.trim().trim_end_matches('.').to_lowercase();
    let ok = !n.is_empty()
        && n.len() <= 253
        && n.split('.').enumerate().all(|(i, l)| {
            (i == 0 && l == "*")
                || (!l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        });
    if ok {
        Ok(n)
    } else {
        Err(Cannot::Spec(format!(
            "{field} {name:?} is not a DNS name: fix it in the spec"
        )))
    }
}

/// The domain on-premises servers forward: the forward rule's, or the cluster API
/// hostname as read.
fn domain(src: &Source) -> Result<String, Cannot> {
    let explicit = src
        .spec
        .dns
        .as_ref()
        .and_then(|d| d.forward_rule.as_ref())
        .map(|r| r.domain.trim())
        .filter(|d| *d != "auto");
    if let Some(d) = explicit {
        return dns_name("dns.forwardRule.domain", d);
    }
    let name = src.cluster_name(super::Format::Dns)?;
    let c = src.cluster().ok_or_else(|| {
        Cannot::Spec(format!(
            "cluster {name} is not in the account as read, so its API hostname is unknown: check clusterName, or set dns.forwardRule.domain"
        ))
    })?;
    let host = c.api_host();
    if host.is_empty() {
        return Err(Cannot::Unknown(vec![format!(
            "the API hostname of cluster {name} (it is still being created)"
        )]));
    }
    dns_name("the cluster endpoint", &host)
}

/// The inbound endpoint's IPv4 addresses, as read.
fn inbound_ips(src: &Source) -> Result<Vec<String>, Cannot> {
    let unknown = || Cannot::Unknown(vec!["the Resolver inbound endpoint's IP addresses".into()]);
    let id = src
        .adopted("resolver_endpoint.inbound")
        .ok_or_else(unknown)?;
    let e = src
        .inv
        .resolver
        .endpoints
        .iter()
        .find(|e| e.id == id)
        .ok_or_else(unknown)?;
    let ips: Vec<String> = e
        .ips
        .iter()
        .filter(|i| i.status != ResolverIpStatus::Deleting)
        .filter_map(|i| i.ip.parse::<std::net::Ipv4Addr>().ok())
        .map(|ip| ip.to_string())
        .collect();
    if ips.is_empty() {
        return Err(unknown());
    }
    Ok(ips)
}

fn forwarders(src: &Source, out: &mut Vec<File>) -> Result<(), Cannot> {
    let domain = domain(src)?;
    let ips = inbound_ips(src)?;
    let head = provenance(src.spec);
    let why = format!(
        "Forwards {domain} to the Route 53 Resolver inbound endpoint in {} (rule D5).",
        src.spec.vpc_id
    );
    out.push(File::new(
        BIND,
        format!(
            "// {head}\n// {why}\n// Include it from named.conf: include \"{BIND}\";\nzone \"{domain}\" {{\n    type forward;\n    forward only;\n    forwarders {{ {}; }};\n}};\n",
            ips.join("; ")
        ),
    ));
    out.push(File::new(
        DNSMASQ,
        format!(
            "# {head}\n# {why}\n# Put it in /etc/dnsmasq.d/ (or pass --conf-file).\n{}",
            ips.iter()
                .map(|ip| format!("server=/{domain}/{ip}\n"))
                .collect::<String>()
        ),
    ));
    out.push(File::new(
        WINDOWS,
        format!(
            "# {head}\n# {why}\n# Run on the Windows DNS server, as an administrator.\nAdd-DnsServerConditionalForwarderZone -Name '{domain}' -MasterServers {} -PassThru\n",
            ips.iter()
                .map(|ip| format!("'{ip}'"))
                .collect::<Vec<_>>()
                .join(",")
        ),
    ));
    Ok(())
}

/// The regional DNS name of an interface endpoint (`vpce-….sts.eu-west-1.vpce.amazonaws.com`):
/// of its own names (`vpce-…`, not the private ones), the shortest; a zonal name adds its
/// AZ to the first label.
fn regional_name(names: &[String]) -> Option<&String> {
    names
        .iter()
        .filter(|n| n.starts_with("vpce-"))
        .min_by_key(|n| n.len())
}

fn self_managed_zone(src: &Source, out: &mut Vec<File>) -> Result<(), Cannot> {
    let ep = src.spec.endpoints.as_ref().expect("checked by the caller");
    let vpc = src.vpc()?;
    let origin = format!("{}.rpz", crate::spec::slug(&src.spec.metadata.name));
    let mut records = vec![];
    let mut unknown = vec![];
    for svc in ep.services.iter().map(|s| s.trim()) {
        if svc == "s3" {
            continue; // the gateway endpoint: routes, no DNS
        }
        plain("endpoints.services", svc)?;
        let address = crate::plan::endpoint_address(svc);
        let target = src
            .adopted(&address)
            .and_then(|id| vpc.endpoints.iter().find(|e| e.id == id))
            .and_then(|e| regional_name(&e.dns_names));
        let Some(target) = target else {
            unknown.push(format!("the DNS name of the {svc} endpoint"));
            continue;
        };
        let target = dns_name("the endpoint DNS name", target)?;
        for name in super::no_proxy::endpoint_names(svc, &src.spec.region) {
            let owner = match name.strip_prefix('.') {
                Some(rest) => format!("*.{rest}"),
                None => name,
            };
            let owner = dns_name("endpoints.services", &owner)?;
            records.push(format!("{owner} IN CNAME {target}."));
        }
    }
    if !unknown.is_empty() {
        return Err(Cannot::Unknown(unknown));
    }
    out.push(File::new(
        ZONE,
        format!(
            "; {}\n\
             ; Self-managed DNS for the interface endpoints (endpoints.privateDns: false): each\n\
             ; service hostname answers with its endpoint's own name. A BIND response-policy zone:\n\
             ;   zone \"{origin}\" {{ type primary; file \"{ZONE}\"; }};\n\
             ;   options {{ response-policy {{ zone \"{origin}\"; }}; }};\n\
             ; Check it with: named-checkzone {origin} {ZONE}\n\
             $TTL 300\n\
             @ IN SOA localhost. hostmaster.localhost. 1 3600 600 86400 300\n\
             @ IN NS localhost.\n\
             {}\n",
            provenance(src.spec),
            records.join("\n")
        ),
    ));
    Ok(())
}

pub fn render(src: &Source) -> Result<Vec<File>, Cannot> {
    let inbound = src
        .spec
        .dns
        .as_ref()
        .is_some_and(|d| d.inbound_endpoint.is_some());
    let self_managed = src.spec.endpoints.as_ref().is_some_and(|e| !e.private_dns);
    if !inbound && !self_managed {
        return Err(Cannot::Spec(
            "dns is for servers outside the VPC: add dns.inboundEndpoint (forwarders for the cluster API), or set endpoints.privateDns: false (a zone for the endpoints)".into(),
        ));
    }
    let mut out = vec![];
    if inbound {
        forwarders(src, &mut out)?;
    }
    if self_managed {
        self_managed_zone(src, &mut out)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{ResolverEndpoint, ResolverIp};
    use crate::rules::testkit;
    use crate::spec::{Dns, ForwardRule, InboundEndpoint};

    fn dns_spec() -> crate::spec::Spec {
        let mut s = testkit::spec();
        s.dns = Some(Dns {
            inbound_endpoint: Some(InboundEndpoint {
                subnet_ids: vec!["subnet-priv-a".into(), "subnet-priv-b".into()],
                allow_from_cidrs: vec!["192.168.0.0/16".into()],
            }),
            outbound_endpoint: None,
            forward_rule: None,
        });
        s
    }

    fn with_inbound(inv: &mut crate::inventory::Inventory) {
        inv.resolver.endpoints.push(ResolverEndpoint {
            id: "rslvr-in-1".into(),
            direction: "INBOUND".into(),
            vpc_id: "vpc-prod".into(),
            ips: ["10.0.1.10", "10.0.2.10"]
                .map(|ip| ResolverIp {
                    ip: ip.into(),
                    subnet_id: "subnet-priv-a".into(),
                    ..Default::default()
                })
                .to_vec(),
            ..Default::default()
        });
    }

    fn run(s: &crate::spec::Spec, inv: &crate::inventory::Inventory) -> Result<Vec<File>, Cannot> {
        super::super::with_plan(s, inv, render)
    }

    #[test]
    fn forwarders_point_the_api_host_at_the_inbound_ips() {
        let mut inv = testkit::inventory();
        let s = dns_spec();
        assert!(
            run(&s, &inv)
                .unwrap_err()
                .to_string()
                .contains("API hostname")
        );
        inv.clusters[0].endpoint = "https://ABC123.gr7.eu-west-1.eks.amazonaws.com".into();
        assert_eq!(
            run(&s, &inv).unwrap_err(),
            Cannot::Unknown(vec!["the Resolver inbound endpoint's IP addresses".into()])
        );
        with_inbound(&mut inv);
        let files = run(&s, &inv).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, [BIND, DNSMASQ, WINDOWS]);
        let host = "abc123.gr7.eu-west-1.eks.amazonaws.com";
        assert!(
            files[0].text.contains(&format!("zone \"{host}\" {{"))
                && files[0]
                    .text
                    .contains("forwarders { 10.0.1.10; 10.0.2.10; };"),
            "{}",
            files[0].text
        );
        assert!(
            files[1]
                .text
                .contains(&format!("server=/{host}/10.0.2.10\n"))
        );
        assert!(files[2].text.contains(&format!(
            "Add-DnsServerConditionalForwarderZone -Name '{host}' -MasterServers '10.0.1.10','10.0.2.10'"
        )));
        // A domain of the spec's own, checked as a DNS name.
        let mut s = s;
        s.dns.as_mut().unwrap().forward_rule = Some(ForwardRule {
            domain: "EKS.Example.com.".into(),
            associate_vpc_ids: vec![],
        });
        assert!(
            run(&s, &inv).unwrap()[1]
                .text
                .contains("server=/eks.example.com/")
        );
        s.dns
            .as_mut()
            .unwrap()
            .forward_rule
            .as_mut()
            .unwrap()
            .domain = "a'b.com".into();
        assert!(
            run(&s, &inv)
                .unwrap_err()
                .to_string()
                .contains("not a DNS name")
        );
    }

    #[test]
    fn self_managed_dns_gets_a_cname_per_endpoint_hostname() {
        let mut inv = testkit::inventory();
        let mut s = testkit::spec();
        let mut ep = crate::spec::starter::base_endpoints(&inv, &s.metadata.name);
        ep.private_dns = false;
        s.endpoints = Some(ep);
        let e = run(&s, &inv).unwrap_err();
        assert!(
            e.to_string().contains("the DNS name of the sts endpoint"),
            "{e}"
        );
        // As after apply: every interface endpoint exists with its names.
        let plan = crate::plan::plan(&s, &inv);
        let mut adopted = plan.adopted.clone();
        for a in plan.actions.iter().filter(|a| a.kind == "vpc_endpoint") {
            let svc = a.address.trim_start_matches("endpoint.").replace('_', ".");
            let id = format!("vpce-{}", svc.replace('.', ""));
            inv.vpcs[0].endpoints.push(crate::inventory::Endpoint {
                id: id.clone(),
                service: svc.clone(),
                kind: "Interface".into(),
                dns_names: vec![
                    format!("{id}-abc-eu-west-1a.{svc}.eu-west-1.vpce.amazonaws.com"),
                    format!("{id}-abc.{svc}.eu-west-1.vpce.amazonaws.com"),
                ],
                ..Default::default()
            });
            adopted.push((a.address.clone(), id));
        }
        let mut plan = plan;
        plan.adopted = adopted;
        let files = render(&Source {
            spec: &s,
            inv: &inv,
            plan: &plan,
        })
        .unwrap();
        assert_eq!(files.len(), 1);
        let z = &files[0].text;
        assert!(
            z.contains("sts.eu-west-1.amazonaws.com IN CNAME vpce-sts-abc.sts.eu-west-1.vpce.amazonaws.com."),
            "{z}"
        );
        assert!(
            z.contains("*.dkr.ecr.eu-west-1.amazonaws.com IN CNAME vpce-ecrdkr-abc."),
            "{z}"
        );
        assert!(
            !z.contains("s3.eu-west-1.amazonaws.com"),
            "the gateway has no DNS: {z}"
        );
    }

    #[test]
    fn nothing_to_export_says_what_to_add() {
        let inv = testkit::inventory();
        let e = run(&testkit::spec(), &inv).unwrap_err().to_string();
        assert!(e.contains("add dns.inboundEndpoint"), "{e}");
        assert!(dns_name("f", "*.a.b").is_ok() && dns_name("f", "a.*.b").is_err());
        assert!(dns_name("f", "-a.b").is_err() && dns_name("f", "").is_err());
    }
}
