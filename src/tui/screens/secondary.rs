//! Step 5: the secondary CIDR and the pod subnets. A range for pods beside the VPC's own
//! (100.64.0.0/10 first), checked against AWS's restriction table as it is typed (C1), and
//! one pod subnet per node AZ, split evenly and each editable (C4), on its node subnet's
//! route table, with the addresses it gives pods. Skippable: without one, pods take
//! node-subnet addresses.

use super::{Nav, ScreenCtx, WizardScreen};
use crate::inventory::Vpc;
use crate::report::trunc;
use crate::rules::cidr::parse_v4;
use crate::rules::secondary::{cidr_problems, pod_subnet_problems, suggested_cidrs, usable_ips};
use crate::spec::Spec;
use crate::spec::edit::Edit;
use crate::tui::intent::{Intent, Level};
use crate::tui::keys::{self, Binding, Command, Scope, on};
use crate::tui::steps::Step;
use crate::tui::theme::Theme;
use crate::tui::widgets::TextField;
use crate::tui::widgets::sections::Sections;
use crate::tui::widgets::step_header::StepHeader;
use crate::tui::widgets::wrap;
use ipnet::Ipv4Net;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use std::cell::Cell as StdCell;

pub const WHY: &str = "The VPC CNI gives every pod an address of its subnet, so pods use up \
node subnets fast. A secondary CIDR (100.64.0.0/16 from the carrier-grade range is the \
usual one) gives pods their own range; AWS accepts only ranges its restriction table allows \
for the VPC's primary CIDR, none overlapping a route or a peer (C1), at most 5 CIDRs per VPC \
by default (C2). Each node AZ gets a pod subnet in it (C4), on the node subnet's route table \
so pods reach the same endpoints. Without custom networking (the next step), new pods \
still use the node subnet.";

/// How many suggestions the list offers.
pub const SUGGESTIONS: usize = 4;

#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    /// No secondary CIDR.
    Skip,
    Cidr(String),
    Pod(String),
}

/// What the text field edits.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    Cidr,
    Pod(String),
}

#[derive(Debug, Clone, Default)]
pub struct SecondaryScreen {
    pub cursor: usize,
    offset: StdCell<usize>,
    pub editing: Option<(Field, TextField)>,
}

fn cluster<'a>(ctx: &'a ScreenCtx, draft: &Spec) -> Option<&'a crate::inventory::Cluster> {
    draft
        .cluster_name
        .as_ref()
        .and_then(|n| ctx.inv.clusters.iter().find(|c| &c.name == n))
}

/// The CIDR rows: the spec's (when it is not a suggestion), then the suggestions.
fn cidr_rows(vpc: &Vpc, draft: &Spec, cl: Option<&crate::inventory::Cluster>) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    if let Some(sec) = &draft.secondary_cidr {
        out.push(sec.cidr.clone());
    }
    for c in suggested_cidrs(vpc, cl, SUGGESTIONS) {
        let c = c.to_string();
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

pub fn rows(ctx: &ScreenCtx, vpc: &Vpc, draft: &Spec) -> Vec<Row> {
    let mut out = vec![Row::Skip];
    out.extend(
        cidr_rows(vpc, draft, cluster(ctx, draft))
            .into_iter()
            .map(Row::Cidr),
    );
    if draft.secondary_cidr.is_some() {
        out.extend(draft.node_subnets.keys().map(|az| Row::Pod(az.clone())));
    }
    out
}

/// What AWS would say about `text` as the secondary CIDR (empty: it would accept it).
pub fn check_cidr(vpc: &Vpc, cl: Option<&crate::inventory::Cluster>, text: &str) -> Vec<String> {
    match parse_v4(text) {
        Err(e) => vec![e],
        // One the VPC holds already is adopted, not associated again.
        Ok(n) if vpc.active_cidrs().skip(1).any(|c| c == n.to_string()) => vec![],
        Ok(n) => cidr_problems(vpc, cl, &n),
    }
}

/// What is wrong with `text` as the pod subnet of `az`, given the draft's other ones.
pub fn check_pod(vpc: &Vpc, draft: &Spec, az: &str, text: &str) -> Vec<String> {
    let Some(outer) = draft
        .secondary_cidr
        .as_ref()
        .and_then(|s| parse_v4(&s.cidr).ok())
    else {
        return vec!["choose the secondary CIDR first".into()];
    };
    let others: Vec<(String, Ipv4Net)> = draft
        .secondary_cidr
        .iter()
        .flat_map(|s| &s.pod_subnets)
        .filter(|(a, _)| a.as_str() != az)
        .filter_map(|(a, c)| parse_v4(c).ok().map(|n| (a.clone(), n)))
        .collect();
    pod_subnet_problems(vpc, &outer, az, text, &others)
        .into_iter()
        .map(|(p, _)| p)
        .collect()
}

/// `n` as a number with thin groups (16 379).
fn grouped(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

fn bar(part: u64, whole: u64, width: usize) -> String {
    let filled = if whole == 0 {
        0
    } else {
        ((part as f64 / whole as f64) * width as f64).round() as usize
    }
    .min(width);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

impl SecondaryScreen {
    pub fn clamp(&mut self, n: usize) {
        self.cursor = self.cursor.min(n.saturating_sub(1));
    }

    fn detail(&self, ctx: &ScreenCtx, vpc: &Vpc, draft: &Spec, row: &Row) -> String {
        let cl = cluster(ctx, draft);
        match row {
            Row::Skip => "No secondary CIDR: pods take node-subnet addresses (one per pod), \
                and custom networking does not apply. Fine for small clusters; a /19 node \
                subnet runs out near 8 000 pods."
                .into(),
            Row::Cidr(c) => {
                let problems = check_cidr(vpc, cl, c);
                let held = vpc.active_cidrs().skip(1).any(|x| x == c);
                let size = parse_v4(c).map(|n| usable_ips(&n)).unwrap_or(0);
                if problems.is_empty() {
                    format!(
                        "{c}: {} addresses for pods; {}. Space uses it, e types another.",
                        grouped(size),
                        if held {
                            "the VPC holds it already (adopted)"
                        } else {
                            "AWS accepts it for this VPC (C1)"
                        }
                    )
                } else {
                    format!("{c}: {}", problems.join("; "))
                }
            }
            Row::Pod(az) => {
                let pod = draft
                    .secondary_cidr
                    .as_ref()
                    .and_then(|s| s.pod_subnets.get(az))
                    .cloned()
                    .unwrap_or_default();
                let node = draft.node_subnets.get(az).and_then(|id| vpc.subnet(id));
                let rt = node
                    .and_then(|s| s.route_table_id.clone())
                    .unwrap_or_else(|| "the main route table".into());
                let problems = check_pod(vpc, draft, az, &pod);
                let mut text = format!(
                    "{az}: pod subnet {pod}, on {rt} (the node subnet's route table, so pods reach the same endpoints and S3 gateway)."
                );
                if let Some(s) = vpc.subnets.iter().find(|s| s.cidr == pod && &s.az == az) {
                    text.push_str(&format!(" {} exists: adopted.", s.id));
                }
                if !problems.is_empty() {
                    text.push_str(&format!(" ✗ {}", problems.join("; ")));
                }
                text.push_str(" e edits it.");
                text
            }
        }
    }

    fn line(
        &self,
        ctx: &ScreenCtx,
        vpc: &Vpc,
        draft: &Spec,
        row: &Row,
        t: &Theme,
        width: usize,
    ) -> Line<'static> {
        let current = draft.secondary_cidr.as_ref().map(|s| s.cidr.as_str());
        let mark = |on: bool| {
            if on {
                Span::styled("(•) ", t.ok())
            } else {
                Span::raw("( ) ")
            }
        };
        match row {
            Row::Skip => Line::from(vec![
                mark(current.is_none()),
                Span::raw(trunc(
                    "no secondary CIDR: pods take node-subnet IPs",
                    width.saturating_sub(4),
                )),
            ]),
            Row::Cidr(c) => {
                let on = current == Some(c.as_str());
                // The field shows on the first range row (the spec's, or the first
                // suggestion).
                let editing = matches!(&self.editing, Some((Field::Cidr, _)))
                    && cidr_rows(vpc, draft, cluster(ctx, draft)).first() == Some(c);
                let text = match &self.editing {
                    Some((Field::Cidr, input)) if editing => input.shown(),
                    _ => c.clone(),
                };
                let problems = check_cidr(vpc, cluster(ctx, draft), c);
                let held = vpc.active_cidrs().skip(1).any(|x| x == c);
                let (status, style) = if editing {
                    ("typing: checked below".to_string(), t.dim())
                } else if !problems.is_empty() {
                    ("✗ AWS refuses it (C1)".to_string(), t.error())
                } else if held {
                    ("in the VPC already: adopted".into(), t.ok())
                } else {
                    let size = parse_v4(c).map(|n| usable_ips(&n)).unwrap_or(0);
                    (format!("✓ {} IPs", grouped(size)), t.dim())
                };
                Line::from(vec![
                    mark(on),
                    Span::raw(format!("{:<20} ", trunc(&text, 20))),
                    Span::styled(trunc(&status, width.saturating_sub(25)), style),
                ])
            }
            Row::Pod(az) => {
                let pod = draft
                    .secondary_cidr
                    .as_ref()
                    .and_then(|s| s.pod_subnets.get(az))
                    .cloned();
                let text = match &self.editing {
                    Some((Field::Pod(a), input)) if a == az => input.shown(),
                    _ => pod.clone().unwrap_or_else(|| "(none)".into()),
                };
                let node = draft.node_subnets.get(az).and_then(|id| vpc.subnet(id));
                let rt = node
                    .and_then(|s| s.route_table_id.as_ref())
                    .and_then(|id| vpc.route_tables.iter().find(|r| &r.id == id))
                    .map(|r| {
                        if r.name.is_empty() {
                            r.id.clone()
                        } else {
                            r.name.clone()
                        }
                    })
                    .unwrap_or_else(|| "main".into());
                let ips = pod
                    .as_deref()
                    .and_then(|p| parse_v4(p).ok())
                    .map(|n| usable_ips(&n))
                    .unwrap_or(0);
                let whole = draft
                    .secondary_cidr
                    .as_ref()
                    .and_then(|s| parse_v4(&s.cidr).ok())
                    .map(|n| usable_ips(&n))
                    .unwrap_or(0);
                let bad = pod
                    .as_deref()
                    .is_none_or(|p| !check_pod(vpc, draft, az, p).is_empty());
                let wide = width >= 110;
                let node_free = node.map(|s| s.available_ips).unwrap_or(0);
                let cap = if wide {
                    format!(
                        "{} pod IPs (node subnet: {} free)",
                        grouped(ips),
                        grouped(node_free.max(0) as u64)
                    )
                } else {
                    format!("{} pod IPs", grouped(ips))
                };
                let rt_w = if wide { 24 } else { 14 };
                let fixed = 4 + 12 + 1 + 18 + 1 + rt_w + 1 + 10 + 1;
                Line::from(vec![
                    Span::raw("    "),
                    Span::raw(format!("{:<12} ", trunc(az, 12))),
                    Span::styled(
                        format!("{:<18} ", trunc(&text, 18)),
                        if bad { t.error() } else { Default::default() },
                    ),
                    Span::styled(format!("{:<rt_w$} ", trunc(&rt, rt_w)), t.dim()),
                    Span::styled(format!("{} ", bar(ips, whole, 10)), t.ok()),
                    Span::styled(trunc(&cap, width.saturating_sub(fixed)), t.dim()),
                ])
            }
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ctx: &ScreenCtx) {
        let t = ctx.theme;
        let _inv = ctx.inv;
        let Some((vpc, draft)) = super::ready(
            f,
            area,
            ctx,
            Some("Reading the VPC's CIDRs, routes and peerings…"),
        ) else {
            return;
        };
        let ours = crate::tui::steps::inline(Step::Secondary, ctx.findings);
        let all = rows(ctx, vpc, draft);
        let mut detail = all
            .get(self.cursor)
            .map(|row| wrap(&self.detail(ctx, vpc, draft, row), area.width as usize, 4))
            .unwrap_or_default();
        if let Some((field, input)) = &self.editing {
            let problems = match field {
                Field::Cidr => check_cidr(vpc, cluster(ctx, draft), input.value()),
                Field::Pod(az) => check_pod(vpc, draft, az, input.value()),
            };
            let verdict = if problems.is_empty() {
                "✓ AWS would accept it · Enter keeps it, Esc leaves it".to_string()
            } else {
                format!("✗ {}", problems.join("; "))
            };
            detail = wrap(&verdict, area.width as usize, 4);
        }
        let style = if detail.first().is_some_and(|l| l.starts_with('✗')) {
            t.error()
        } else {
            t.dim()
        };
        let mut header = StepHeader::new(
            "A range of the pods' own, beside the VPC's. ",
            "Space picks, e types; ? explains.",
            ours,
            t,
        );
        header.status = vec![status_line(vpc, draft, t)];
        header.detail = detail;
        header.detail_style = style;
        let list_area = header.render(f, area, t);

        let width = list_area.width as usize;
        let mut list = Sections::new(width);
        for (i, row) in all.iter().enumerate() {
            let heading = match row {
                Row::Skip | Row::Cidr(_) => {
                    "Secondary CIDR (suggested: free ranges AWS accepts here)"
                }
                Row::Pod(_) => "Pod subnets: one per node AZ, on the node subnet's route table",
            };
            list.heading(heading, t);
            list.row(self.line(ctx, vpc, draft, row, t, width), i == self.cursor);
        }
        list.render(f, list_area, &self.offset, t);
    }
}

fn status_line(vpc: &Vpc, draft: &Spec, t: &Theme) -> Line<'static> {
    let Some(sec) = &draft.secondary_cidr else {
        return Line::from(vec![
            Span::styled("– skipped: ", t.dim()),
            Span::raw("no secondary CIDR, pods take node-subnet IPs"),
        ]);
    };
    let pods: u64 = sec
        .pod_subnets
        .values()
        .filter_map(|p| parse_v4(p).ok())
        .map(|n| usable_ips(&n))
        .sum();
    let node_free: i64 = draft
        .node_subnets
        .values()
        .filter_map(|id| vpc.subnet(id))
        .map(|s| s.available_ips.max(0))
        .sum();
    let missing = draft
        .node_subnets
        .keys()
        .filter(|az| !sec.pod_subnets.contains_key(*az))
        .count();
    let (sym, style) = if missing == 0 {
        ("✓", t.ok())
    } else {
        ("!", t.warn())
    };
    Line::from(vec![
        Span::styled(
            format!(
                "{sym} {} · {} pod subnets{}",
                sec.cidr,
                sec.pod_subnets.len(),
                if missing == 0 {
                    String::new()
                } else {
                    format!(", {} without one", super::plural(missing, "node AZ"))
                }
            ),
            style,
        ),
        Span::styled(
            format!(
                " · {} pod IPs (nodes: {} free)",
                grouped(pods),
                grouped(node_free as u64)
            ),
            t.dim(),
        ),
    ])
}

const BINDINGS: &[Binding] = keys::step_keys![
    on(
        Scope::Subnets,
        &[Command::Toggle],
        "pick",
        "use the range under the cursor (pod subnets split evenly), or none",
    ),
    on(
        Scope::Edit,
        &[Command::Edit],
        "type",
        "type a range, or the pod subnet under the cursor",
    ),
    on(
        Scope::Subnets,
        &[Command::Next],
        "next",
        "on to the next step",
    ),
    on(
        Scope::Global,
        &[Command::Back],
        "back",
        "back to the endpoints' group",
    ),
];

impl WizardScreen for SecondaryScreen {
    fn why(&self) -> &'static str {
        WHY
    }

    fn bindings(&self) -> &'static [Binding] {
        super::unless_editing(self.editing.is_some(), BINDINGS)
    }

    fn editing(&self) -> bool {
        self.editing.is_some()
    }

    fn text_key(&mut self, k: KeyEvent, ctx: &ScreenCtx) -> Option<Intent> {
        let draft = ctx.draft?;
        let vpc = ctx.inv.vpc(&draft.vpc_id)?;
        super::edit_field(&mut self.editing, &k, |(field, _), value| {
            let value = value.trim().to_string();
            let problems = match field {
                Field::Cidr => check_cidr(vpc, cluster(ctx, draft), &value),
                Field::Pod(az) => check_pod(vpc, draft, az, &value),
            };
            if let Some(first) = problems.first() {
                // Stays in the field: a range AWS refuses is never written.
                return Err(Some(first.clone()));
            }
            Ok(Some(match field {
                Field::Cidr => Intent::Edit(Edit::SetSecondaryCidr(Some(value))),
                Field::Pod(az) => Intent::Edit(Edit::SetPodSubnet(az.clone(), value)),
            }))
        })
    }

    fn on_command(&mut self, cmd: Command, ctx: &ScreenCtx) -> Option<Intent> {
        let draft = ctx.draft?;
        let vpc = ctx.inv.vpc(&draft.vpc_id)?;
        let all = rows(ctx, vpc, draft);
        if let Some(nav) = Nav::of(cmd) {
            self.cursor = nav.apply(self.cursor, all.len(), ctx.page.max(1));
            return None;
        }
        match cmd {
            Command::Toggle => match all.get(self.cursor)? {
                Row::Skip => Some(Intent::Edit(Edit::SetSecondaryCidr(None))),
                Row::Cidr(c) => {
                    let problems = check_cidr(vpc, cluster(ctx, draft), c);
                    match problems.first() {
                        Some(p) => Some(Intent::Flash(Level::Warn, p.clone())),
                        None => Some(Intent::Edit(Edit::SetSecondaryCidr(Some(c.clone())))),
                    }
                }
                Row::Pod(_) => None,
            },
            Command::Edit => {
                let (field, start) = match all.get(self.cursor)? {
                    Row::Pod(az) => (
                        Field::Pod(az.clone()),
                        draft
                            .secondary_cidr
                            .as_ref()
                            .and_then(|s| s.pod_subnets.get(az))
                            .cloned()
                            .unwrap_or_default(),
                    ),
                    _ => {
                        // The typed range takes the first CIDR row (the spec's, or the
                        // first suggestion until it is kept).
                        self.cursor = 1;
                        (
                            Field::Cidr,
                            draft
                                .secondary_cidr
                                .as_ref()
                                .map(|s| s.cidr.clone())
                                .unwrap_or_default(),
                        )
                    }
                };
                self.editing = Some((field, TextField::new(start)));
                None
            }
            Command::Next => Some(Intent::Next),
            _ => None,
        }
    }

    fn render(&self, f: &mut Frame, area: Rect, ctx: &ScreenCtx) {
        self.draw(f, area, ctx);
    }
}
