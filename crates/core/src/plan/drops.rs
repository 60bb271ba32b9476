//! No silent drops: every field of the complete example spec (docs/spec.md) becomes
//! actions, is adopted, or yields a finding that names it, both against an account that
//! has what the fields need and against one that lacks it (the VPC alone).

use super::plan;
use crate::inventory::Inventory;
use crate::rules::{Finding, evaluate, testkit};
use crate::spec::Spec;

const SPEC_PAGE: &str = include_str!("../../../../docs/spec.md");

/// The docs' complete example, with its IDs renamed to the test kit's account.
fn example() -> Spec {
    let yaml = SPEC_PAGE
        .split("<!-- spec:full -->\n```yaml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("docs/spec.md has the full example");
    let yaml = [
        ("vpc-0123", "vpc-prod"),
        ("vpc-0999", "vpc-client"),
        ("subnet-aaa", "subnet-priv-a"),
        ("subnet-bbb", "subnet-priv-b"),
        ("subnet-xxx", "subnet-c1"),
        ("subnet-yyy", "subnet-c2"),
    ]
    .iter()
    .fold(yaml.to_string(), |y, (from, to)| y.replace(from, to));
    Spec::parse(&yaml, "example").unwrap()
}

/// Every leaf of the spec's YAML: (path as findings name fields, value).
fn leaves(v: &serde_yaml::Value, path: &str, out: &mut Vec<(String, String)>) {
    match v {
        serde_yaml::Value::Mapping(m) => {
            for (k, v) in m {
                let k = k.as_str().unwrap_or_default();
                let p = if path.is_empty() {
                    k.to_string()
                } else {
                    format!("{path}.{k}")
                };
                leaves(v, &p, out);
            }
        }
        serde_yaml::Value::Sequence(s) => {
            for (i, v) in s.iter().enumerate() {
                leaves(v, &format!("{path}[{i}]"), out);
            }
        }
        serde_yaml::Value::String(s) => out.push((path.to_string(), s.clone())),
        other => out.push((
            path.to_string(),
            serde_yaml::to_string(other).unwrap().trim().to_string(),
        )),
    }
}

/// What a spec becomes in an account: computed once, looked through for every field.
struct Outcome {
    plan: super::Plan,
    findings: Vec<Finding>,
    /// Every export that can be made (the spec's own YAML left out).
    files: Vec<crate::export::File>,
}

impl Outcome {
    fn of(spec: &Spec, inv: &Inventory) -> Outcome {
        let plan = plan(spec, inv);
        let src = crate::export::Source {
            spec,
            inv,
            plan: &plan,
        };
        let files = crate::export::Format::ALL
            .into_iter()
            .filter(|f| *f != crate::export::Format::Spec)
            .filter_map(|f| crate::export::render(f, &src).ok())
            .flatten()
            .collect();
        Outcome {
            findings: evaluate(inv, Some(spec), None, None),
            plan,
            files,
        }
    }
}

/// How a field is honoured, or None when it disappears.
fn honoured(path: &str, value: &str, o: &Outcome) -> Option<String> {
    let (p, f) = (&o.plan, &o.findings);
    // The spec's identity: every action carries it (tags, tokens, the plan's region).
    match path {
        "apiVersion" | "kind" => return Some("the format (checked on load)".into()),
        "metadata.name" if p.name == value => return Some("the plan's name".into()),
        "region" if p.region == value => return Some("the plan's region".into()),
        "vpcId" if p.vpc_id == value => return Some("the plan's VPC".into()),
        _ => {}
    }
    // An action that carries the value: the endpoint of a listed service, the resource
    // it updates, or an attribute set to it. A flag or a number must land in an attribute
    // of its own name (`publicAccess` → `endpoint_public_access`), not in any `true`.
    let scalar = value == "true" || value == "false" || value.parse::<f64>().is_ok();
    let key = path.rsplit('.').next().unwrap_or(path);
    let key = key.split('[').next().unwrap_or(key);
    let snake: String = key
        .chars()
        .flat_map(|c| {
            if c.is_ascii_uppercase() {
                vec!['_', c.to_ascii_lowercase()]
            } else {
                vec![c]
            }
        })
        .collect();
    // The actions a section of the spec may become (a node subnet shows in any).
    let section = path.split(['.', '[']).next().unwrap_or(path);
    let mine = |address: &str| match section {
        "endpoints" => [
            "endpoint.",
            "security_group.endpoints",
            "security_group_rule.endpoints",
        ]
        .iter()
        .any(|p| address.starts_with(p)),
        "secondaryCidr" => ["vpc_cidr", "subnet.pod", "route_table"]
            .iter()
            .any(|p| address.starts_with(p)),
        "clusterEndpoint" => address.starts_with("cluster") || address.contains(".cluster"),
        "dns" => address.contains("resolver"),
        _ => true,
    };
    if path == "dns.forwardRule.domain"
        && let Some(a) = p
            .actions
            .iter()
            .find(|a| a.address == "resolver_rule.forward")
    {
        return Some(format!("action {} (the cluster's API hostname)", a.address));
    }
    for a in p.actions.iter().filter(|a| mine(&a.address)) {
        if a.address == super::endpoint_address(value) || a.id.as_deref() == Some(value) {
            return Some(format!("action {}", a.address));
        }
        let attr = a.attrs.iter().find(|t| {
            (!scalar || t.name.contains(&snake))
                && t.after.as_deref().is_some_and(|after| {
                    after == value || after.split([',', ' ', '[', ']', '"']).any(|w| w == value)
                })
        });
        if let Some(t) = attr {
            return Some(format!("{} {}", a.address, t.name));
        }
    }
    if let Some((addr, id)) = p
        .adopted
        .iter()
        .find(|(addr, id)| id == value || *addr == super::endpoint_address(value))
    {
        return Some(format!("adopted {addr} {id}"));
    }
    // Fields for the files the cluster's own tools read (nodeGroup: eksctl,
    // customNetworking: the ENIConfigs and aws-node): a line of an export that sets the
    // field's key to its value.
    // The aws-node environment names custom networking's fields its own way.
    let key = match key {
        "eniConfigLabel" => "ENI_CONFIG_LABEL_DEF",
        "prefixDelegation" => "ENABLE_PREFIX_DELEGATION",
        k => k,
    };
    for file in &o.files {
        if file.text.lines().any(|l| {
            let l = l.trim().trim_start_matches("- ");
            l == format!("{key}: {value}")
                || l == format!("{key}: \"{value}\"")
                || l.trim_end_matches(',') == format!("\"{key}\": \"{value}\"")
                || l.split_whitespace().any(|w| w == format!("{key}={value}"))
        }) {
            return Some(format!("exported in {}", file.name));
        }
    }
    // A finding that names the field, its list, or a part of it: why it is not applied.
    let named = |s: &str| {
        s == path
            || path.starts_with(&format!("{s}["))
            || s.starts_with(&format!("{path}."))
            || s.starts_with(&format!("{path}["))
    };
    if let Some(x) = f.iter().find(|x| named(&x.subject)) {
        return Some(format!("finding {} at {}", x.id, x.subject));
    }
    // Or an error about the section it is in: the whole section is not applied (V6 at
    // clusterEndpoint when the cluster is missing). Information about a section does
    // not count: it explains, it does not refuse.
    if let Some(x) = f.iter().find(|x| {
        x.severity == crate::rules::Severity::Error && x.subject == section && path != section
    }) {
        return Some(format!("error {} at {}", x.id, x.subject));
    }
    None
}

fn drops(spec: &Spec, inv: &Inventory) -> Vec<String> {
    let o = Outcome::of(spec, inv);
    let yaml: serde_yaml::Value = serde_yaml::from_str(&spec.to_yaml()).unwrap();
    let mut fields = vec![];
    leaves(&yaml, "", &mut fields);
    assert!(fields.len() > 30, "the example has its fields: {fields:?}");
    fields
        .iter()
        .filter(|(path, value)| honoured(path, value, &o).is_none())
        .map(|(path, value)| format!("{path} = {value}"))
        .collect()
}

/// The test kit's account with the client VPC the example forwards DNS for.
fn account() -> Inventory {
    let mut inv = testkit::inventory();
    let client = testkit::client_vpc(&inv);
    inv.vpcs.push(client);
    inv
}

#[test]
fn every_field_is_honoured_where_the_account_has_what_it_needs() {
    let d = drops(&example(), &account());
    assert!(
        d.is_empty(),
        "fields with no action, adoption or finding: {d:#?}"
    );
}

#[test]
fn every_field_is_honoured_or_refused_where_the_account_lacks_it() {
    // The VPC alone: no subnets, no cluster, no other VPC, no endpoints or groups.
    let mut inv = account();
    inv.vpcs.truncate(1);
    let v = &mut inv.vpcs[0];
    v.subnets.clear();
    v.route_tables.clear();
    v.endpoints.clear();
    v.security_groups.clear();
    v.peerings.clear();
    v.network_acls.clear();
    v.nat_gateways.clear();
    v.internet_gateways.clear();
    inv.clusters.clear();
    let d = drops(&example(), &inv);
    assert!(
        d.is_empty(),
        "fields with no action, adoption or finding: {d:#?}"
    );
}
