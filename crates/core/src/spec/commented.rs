//! The spec as the wizard and `spec new` write it: the YAML of [`Spec::to_yaml`] with the
//! explanatory comments of the starter, written again on every save (so a saved file reads
//! like the starter did). A user's own comments are found by [`user_comments`]: the wizard
//! asks before a save would drop them (docs/spec.md).
//!
//! Comments carry no volatile account data (free IP counts): a file in git must not change
//! because the account did.

use super::Spec;
use crate::inventory::{Inventory, SubnetKind};

pub use super::services::base_services;

pub const HEADER: [&str; 2] = [
    "eks-private-tui spec (docs/spec.md describes every field).",
    "Check it with: eks-private-tui check --spec FILE",
];

/// `spec` as YAML with the starter's comments; `inv` (when read) names VPCs and subnets.
pub fn render(spec: &Spec, inv: Option<&Inventory>) -> String {
    let plain = spec.to_yaml();
    let mut out = String::new();
    for h in HEADER {
        out.push_str(&format!("# {h}\n"));
    }
    // (indent, key) of the mappings the current line is inside.
    let mut stack: Vec<(usize, String)> = vec![];
    for line in plain.lines() {
        let indent = line.len() - line.trim_start().len();
        let body = line.trim_start();
        let key = (!body.starts_with("- "))
            .then(|| body.split_once(':').map(|(k, _)| k.to_string()))
            .flatten();
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        let Some(key) = key else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let path: Vec<&str> = stack
            .iter()
            .map(|(_, k)| k.as_str())
            .chain([key.as_str()])
            .collect();
        let pad = " ".repeat(indent);
        // Comments name what the account calls things: escaped to one line, so that a
        // name cannot end its comment and write YAML of its own (issue 27, 1).
        let safe = crate::report::one_line;
        for b in block_before(inv, &path) {
            out.push_str(&format!("{pad}# {}\n", safe(&b)));
        }
        out.push_str(line);
        if let Some(c) = line_comment(spec, inv, &path) {
            out.push_str(&format!("   # {}", safe(&c)));
        }
        out.push('\n');
        for a in block_after(spec, inv, &path) {
            out.push_str(&format!("{pad}# {}\n", safe(&a)));
        }
        stack.push((indent, key));
    }
    if spec.secondary_cidr.is_none() {
        let az = spec.node_subnets.keys().next().map_or("AZ", String::as_str);
        out.push_str("# secondaryCidr:        # pods on their own range (C1-C5), e.g.\n");
        out.push_str("#   cidr: 100.64.0.0/16\n");
        out.push_str(&format!("#   podSubnets: {{ {az}: 100.64.0.0/19 }}\n"));
    }
    out
}

fn line_comment(spec: &Spec, inv: Option<&Inventory>, path: &[&str]) -> Option<String> {
    let vpc = inv.and_then(|i| i.vpc(&spec.vpc_id));
    Some(match path {
        ["metadata", "name"] => "used in tags, client tokens and resource names".into(),
        ["vpcId"] => {
            let v = vpc?;
            if v.name.is_empty() {
                "(no Name tag)".into()
            } else {
                v.name.clone()
            }
        }
        ["clusterName"] => "cluster access, DNS and the eksctl export need it".into(),
        ["nodeSubnets"] if spec.node_subnets.is_empty() => {
            if vpc.is_some_and(|v| v.subnets.iter().all(|s| s.kind == SubnetKind::Public)) {
                "no private or isolated subnet in this VPC: create them first".into()
            } else {
                "one private or isolated subnet per AZ (S1, S3): none chosen yet".into()
            }
        }
        ["nodeSubnets"] => "one private or isolated subnet per AZ (S1, S3)".into(),
        ["nodeSubnets", az] => {
            let s = vpc?.subnet(spec.node_subnets.get(*az)?)?;
            format!(
                "{}{}{}",
                if s.name.is_empty() {
                    String::new()
                } else {
                    format!("{}, ", s.name)
                },
                s.kind.as_str(),
                if s.main_route_table {
                    ", main route table (S4)"
                } else {
                    ""
                }
            )
        }
        ["endpoints", "features"] => "what needs endpoints: their services are checked (P9)".into(),
        ["endpoints", "privateDns"] => "false: self-managed DNS, CNAME records get exported".into(),
        ["endpoints", "securityGroup", "create"] => "or  id: sg-...".into(),
        _ => return None,
    })
}

fn block_before(inv: Option<&Inventory>, path: &[&str]) -> Vec<String> {
    match path {
        ["endpoints", "services"] => {
            let mut v = vec![
                "The base set (P7); add eks, eks-auth, logs, elasticloadbalancing, autoscaling, ssm... as features need.".to_string(),
            ];
            if let Some(inv) = inv.filter(|i| !i.endpoint_services.is_empty()) {
                let missing: Vec<&str> = base_services()
                    .iter()
                    .copied()
                    .filter(|s| !inv.offers(s))
                    .collect();
                if !missing.is_empty() {
                    v.push(format!(
                        "Not offered in {}: {}",
                        inv.region,
                        missing.join(", ")
                    ));
                }
            }
            v
        }
        _ => vec![],
    }
}

fn block_after(spec: &Spec, inv: Option<&Inventory>, path: &[&str]) -> Vec<String> {
    if path != ["vpcId"] || spec.cluster_name.is_some() {
        return vec![];
    }
    let Some(inv) = inv else { return vec![] };
    let names: Vec<&str> = inv
        .clusters_in(&spec.vpc_id)
        .map(|c| c.name.as_str())
        .collect();
    vec![if names.is_empty() {
        "clusterName: NAME   # no EKS cluster in this VPC yet".into()
    } else {
        format!("clusterName: NAME   # one of: {}", names.join(", "))
    }]
}

/// The comment texts of a YAML document (after `#`, trimmed), in order.
pub fn comments(text: &str) -> Vec<String> {
    text.lines().filter_map(comment_of).collect()
}

/// The comment of one line: a `#` at the start or after white space, outside quotes.
fn comment_of(line: &str) -> Option<String> {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') if prev == ' ' || prev == ':' || prev == '[' || prev == '{' => {
                quote = Some(c)
            }
            (Some(q), c) if c == q => quote = None,
            (None, '#') if prev.is_whitespace() || i == 0 => {
                return Some(line[i + 1..].trim().to_string());
            }
            _ => {}
        }
        prev = c;
    }
    None
}

/// Comments in `on_disk` that a save of `spec` would not write again (a user's own), in
/// the order they stand. `also_ours`: other texts this tool wrote (the render of the spec
/// as it is on disk), so a comment the tool wrote for an older state is not counted.
pub fn user_comments(on_disk: &str, ours: &[&str]) -> Vec<String> {
    let known: std::collections::BTreeSet<String> = ours.iter().flat_map(|t| comments(t)).collect();
    comments(on_disk)
        .into_iter()
        .filter(|c| !c.is_empty() && !known.contains(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit;

    #[test]
    fn render_round_trips_and_carries_the_starter_comments() {
        let inv = testkit::inventory();
        let mut s = Spec::new("prod-private", "eu-west-1", "vpc-prod");
        s.node_subnets
            .insert("eu-west-1a".into(), "subnet-priv-a".into());
        let text = render(&s, Some(&inv));
        assert_eq!(Spec::from_yaml(&text).unwrap(), s, "{text}");
        assert!(text.starts_with("# eks-private-tui spec"), "{text}");
        assert!(
            text.contains("name: prod-private   # used in tags"),
            "{text}"
        );
        assert!(
            text.contains("# clusterName: NAME   # one of: prod"),
            "{text}"
        );
        assert!(text.contains("# secondaryCidr:"), "{text}");
        // Rendering again gives the same text: a save of an unchanged spec changes nothing.
        assert_eq!(render(&Spec::from_yaml(&text).unwrap(), Some(&inv)), text);
        // Without an inventory the account-specific comments are left out, nothing else.
        let bare = render(&s, None);
        assert_eq!(Spec::from_yaml(&bare).unwrap(), s);
        assert!(!bare.contains("one of: prod"));
    }

    #[test]
    fn comments_outside_quotes_only() {
        let text = "a: 1 # one\n# two\nb: \"x # not\"\nc: d#e\n  # three  \n";
        assert_eq!(comments(text), ["one", "two", "three"]);
    }

    #[test]
    fn user_comments_are_those_no_render_wrote() {
        let inv = testkit::inventory();
        let s = Spec::new("p", "eu-west-1", "vpc-prod");
        let ours = render(&s, Some(&inv));
        assert!(user_comments(&ours, &[&ours]).is_empty());
        let edited = ours.replace("region: eu-west-1", "# ticket OPS-42\nregion: eu-west-1");
        assert_eq!(user_comments(&edited, &[&ours]), ["ticket OPS-42"]);
    }
}
