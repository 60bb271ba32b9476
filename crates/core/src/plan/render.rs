//! The plan as text, in Terraform's conventions: a legend of the symbols present,
//! `# addr will be created`, `"old" -> "new"`, `(known after apply)`, unchanged
//! attributes folded, and `Plan: X to add, Y to change, Z to destroy.` (or `No changes.`).
//! Meaning never rests on colour: the same text is printed with or without it.

use super::{Action, Attr, Op, Plan};
use std::fmt::Write;

/// Quote plain values; lists, maps, booleans and numbers stay as they are.
fn show(v: &Option<String>) -> String {
    match v {
        None => "(known after apply)".into(),
        Some(s)
            if s.starts_with('[')
                || s.starts_with('{')
                || s.starts_with('"')
                || s == "true"
                || s == "false"
                || s.parse::<i64>().is_ok() =>
        {
            s.clone()
        }
        Some(s) => format!("{s:?}"),
    }
}

fn verb(op: Op) -> &'static str {
    match op {
        Op::Create => "will be created",
        Op::Update => "will be updated in-place",
        Op::Delete => "will be destroyed",
        Op::Replace => "must be replaced",
    }
}

fn paint(s: &str, op: Op, color: bool) -> String {
    if !color {
        return s.to_string();
    }
    let code = match op {
        Op::Create => "32",
        Op::Update => "33",
        Op::Delete | Op::Replace => "31",
    };
    format!("{}{s}{}", crate::report::sgr(code), crate::report::sgr("0"))
}

fn action(o: &mut String, a: &Action, color: bool) {
    let _ = writeln!(o, "  # {} {}", a.address, verb(a.op));
    let _ = writeln!(
        o,
        "  {} {} {:?} {{",
        paint(a.op.symbol(), a.op, color),
        a.kind,
        a.address
    );
    let shown: Vec<&Attr> = match a.op {
        Op::Update => a.attrs.iter().filter(|x| x.changed()).collect(),
        _ => a.attrs.iter().collect(),
    };
    let width = shown.iter().map(|x| x.name.len()).max().unwrap_or(0);
    for x in &shown {
        let line = match (a.op, &x.before) {
            (Op::Update, Some(_)) => format!(
                "~ {:<width$} = {} -> {}",
                x.name,
                show(&x.before),
                show(&x.after)
            ),
            (Op::Update, None) => format!("+ {:<width$} = {}", x.name, show(&x.after)),
            (Op::Delete, _) => format!("- {:<width$} = {}", x.name, show(&x.before)),
            _ => format!("+ {:<width$} = {}", x.name, show(&x.after)),
        };
        let sym = line[..1].to_string();
        let op = match sym.as_str() {
            "~" => Op::Update,
            "-" => Op::Delete,
            _ => Op::Create,
        };
        let _ = writeln!(o, "      {}{}", paint(&sym, op, color), &line[1..]);
    }
    let hidden = a.attrs.len() - shown.len();
    if hidden > 0 {
        let _ = writeln!(
            o,
            "        # ({hidden} unchanged attribute{} hidden)",
            if hidden == 1 { "" } else { "s" }
        );
    }
    let _ = writeln!(o, "    }}");
    match a.depends_on.len() {
        0 => {}
        n if n > 4 => {
            let _ = writeln!(o, "    # after the {n} other actions");
        }
        _ => {
            let _ = writeln!(o, "    # after {}", a.depends_on.join(", "));
        }
    }
    let _ = writeln!(o);
}

/// `plan -o json`: the actions with their attributes, what is adopted, and the counts.
pub fn json(plan: &Plan) -> serde_json::Value {
    let (add, change, destroy) = plan.counts();
    serde_json::json!({
        "name": plan.name,
        "actions": plan.actions.iter().map(|a| serde_json::json!({
            "address": a.address,
            "kind": a.kind,
            "op": match a.op { Op::Create => "create", Op::Update => "update", Op::Delete => "delete", Op::Replace => "replace" },
            "id": a.id,
            "attributes": a.attrs.iter().map(|x| serde_json::json!({
                "name": x.name, "before": x.before, "after": x.after,
            })).collect::<Vec<_>>(),
            "dependsOn": a.depends_on,
        })).collect::<Vec<_>>(),
        "adopted": plan.adopted.iter().map(|(a, id)| serde_json::json!({"address": a, "id": id})).collect::<Vec<_>>(),
        "summary": {"add": add, "change": change, "destroy": destroy},
        "cost": super::cost::estimate(plan, &plan.region).map(|c| serde_json::json!({
            "monthlyUsd": (c.monthly * 100.0).round() / 100.0,
            "endpointAzs": c.endpoint_azs,
            "resolverEnis": c.resolver_enis,
            "endpointAzHourUsd": c.endpoint_az_hour,
            "resolverEniHourUsd": c.resolver_eni_hour,
            "priceRow": c.row,
            "hoursPerMonth": super::cost::HOURS_PER_MONTH,
        })),
    })
}

pub fn text(plan: &Plan, color: bool) -> String {
    text_with_blocks(plan, color).0
}

/// The plan as text, with the line each action's block starts at (in plan order): what
/// a viewer needs to move from action to action without reading the text back.
pub fn text_with_blocks(plan: &Plan, color: bool) -> (String, Vec<usize>) {
    let mut blocks = vec![];
    let mut o = String::new();
    if plan.actions.is_empty() {
        let _ = writeln!(
            o,
            "No changes. The account matches the spec {:?} ({} existing resource(s) adopted).",
            plan.name,
            plan.adopted.len()
        );
        return (o, blocks);
    }
    let _ = writeln!(
        o,
        "Resource actions are indicated with the following symbols:"
    );
    for op in [Op::Create, Op::Update, Op::Delete, Op::Replace] {
        if plan.actions.iter().any(|a| a.op == op) {
            let what = match op {
                Op::Create => "create",
                Op::Update => "update in-place",
                Op::Delete => "destroy",
                Op::Replace => "destroy and then create replacement",
            };
            let _ = writeln!(o, "  {} {what}", paint(op.symbol(), op, color));
        }
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "eks-private-tui will perform the following actions:");
    let _ = writeln!(o);
    let mut line = o.matches('\n').count();
    for a in &plan.actions {
        blocks.push(line);
        let from = o.len();
        action(&mut o, a, color);
        line += o[from..].matches('\n').count();
    }
    if !plan.adopted.is_empty() {
        let adopted: Vec<String> = plan
            .adopted
            .iter()
            .map(|(a, id)| format!("{a} = {id}"))
            .collect();
        let _ = writeln!(o, "Adopted as they are: {}", adopted.join(", "));
        let _ = writeln!(o);
    }
    let (add, change, destroy) = plan.counts();
    let _ = writeln!(
        o,
        "Plan: {add} to add, {change} to change, {destroy} to destroy."
    );
    if let Some(c) = super::cost::estimate(plan, &plan.region) {
        let _ = writeln!(o, "{}", c.line(&plan.region));
    }
    (o, blocks)
}

#[cfg(test)]
mod tests {
    use crate::rules::testkit;

    #[test]
    fn each_block_starts_where_the_renderer_says() {
        let mut spec = testkit::spec();
        spec.secondary_cidr = Some(crate::spec::SecondaryCidr {
            cidr: "100.64.0.0/16".into(),
            pod_subnets: Default::default(),
        });
        let mut inv = testkit::inventory();
        testkit::vpc_mut(&mut inv).dns_hostnames = false;
        let plan = super::super::plan(&spec, &inv);
        assert!(plan.actions.len() >= 2, "{:#?}", plan.actions);
        let (text, blocks) = super::text_with_blocks(&plan, false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(blocks.len(), plan.actions.len());
        for (a, at) in plan.actions.iter().zip(&blocks) {
            assert!(
                lines[*at].starts_with(&format!("  # {} ", a.address)),
                "{}: line {at} is {:?}",
                a.address,
                lines[*at]
            );
        }
        assert_eq!(super::text(&plan, false), text);
    }
}
