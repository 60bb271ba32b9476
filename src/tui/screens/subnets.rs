//! Step 2: one private node subnet per AZ. Subnets are grouped by AZ with their kind
//! (from the route table in effect), free IPs and route table (the main one flagged);
//! only private and isolated subnets can be chosen, one per AZ.

use super::{Nav, ScreenCtx, WizardScreen, clamp_offset};
use crate::inventory::{Inventory, Subnet, SubnetKind, Vpc};
use crate::report::trunc;
use crate::rules::Finding;
use crate::rules::cidr::in_secondary_cidr;
use crate::spec::Spec;
use crate::spec::edit::Edit;
use crate::tui::intent::Intent;
use crate::tui::keys::{self, Binding, Command, Scope, on};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};
use std::cell::Cell as StdCell;

#[derive(Debug, Clone, Default)]
pub struct SubnetsScreen {
    /// Index into the VPC's subnets (display order = inventory order: AZ, then CIDR).
    pub cursor: usize,
    offset: StdCell<usize>,
    placed: bool,
}

pub const WHY: &str = "Nodes of a private cluster live in subnets with no route to an internet \
gateway (S3): private (egress through NAT) or isolated (no default route). EKS needs subnets \
in at least two AZs (S1), each with free IPs for the cluster's network interfaces (≥ 6, 16 \
recommended). A subnet on the VPC's main route table is flagged: the S3 gateway route is \
added per route table, so node subnets want an explicit one (S4).";

/// At least this many free IPs per node subnet (S1: the cluster's ENIs).
pub const MIN_FREE_IPS: i64 = 6;

impl SubnetsScreen {
    /// Bound the cursor; on first placement, go to the first chosen or choosable subnet.
    pub fn clamp(&mut self, inv: &Inventory, vpc_id: &str) {
        let Some(vpc) = inv.vpc(vpc_id) else { return };
        let n = vpc.subnets.len();
        if !self.placed {
            self.placed = true;
            self.cursor = vpc
                .subnets
                .iter()
                .position(|s| s.kind != SubnetKind::Public)
                .unwrap_or(0);
        }
        self.cursor = self.cursor.min(n.saturating_sub(1));
    }

    fn draw(
        &self,
        f: &mut Frame,
        area: Rect,
        inv: &Inventory,
        draft: Option<&Spec>,
        findings: &[Finding],
        t: &Theme,
    ) {
        if inv.pending.as_ref().is_some_and(|p| p.lists) {
            f.render_widget(
                Paragraph::new("Reading the VPC's subnets and route tables…").style(t.dim()),
                area,
            );
            return;
        }
        let Some((vpc, choices)) = draft.and_then(|d| inv.vpc(&d.vpc_id).map(|v| (v, d))) else {
            f.render_widget(
                Paragraph::new("Choose a VPC first (Esc).").style(t.warn()),
                area,
            );
            return;
        };
        // Findings about the node subnets (their rules' area), the worst two inline.
        let ours = crate::tui::steps::inline(crate::tui::steps::Step::Subnets, findings);
        let shown = ours.len().min(2) as u16;
        let [intro, status, checks_area, table_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(shown),
            Constraint::Min(3),
        ])
        .areas(area);
        // Each line fits the width, cut with … (c shows every finding whole).
        let more = match ours.len() {
            0..=2 => String::new(),
            n => format!("  (+{} more: c)", n - 2),
        };
        let lines: Vec<Line> = ours
            .iter()
            .take(shown as usize)
            .enumerate()
            .map(|(i, x)| {
                let suffix = if i + 1 == shown as usize {
                    more.as_str()
                } else {
                    ""
                };
                let mut x = named(x, vpc, area.width >= 110);
                let room = (area.width as usize).saturating_sub(6 + suffix.chars().count());
                x.message = trunc(&x.message, room);
                let mut line = crate::tui::widgets::findings::finding_line_short(&x, t);
                if !suffix.is_empty() {
                    line.spans.push(Span::styled(suffix.to_string(), t.dim()));
                }
                line
            })
            .collect();
        f.render_widget(Paragraph::new(lines), checks_area);
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(
                    "One private or isolated subnet per AZ for the nodes. ",
                    t.bold(),
                ),
                Span::styled("Space chooses; ? explains.", t.dim()),
            ])),
            intro,
        );
        f.render_widget(Paragraph::new(status_line(vpc, inv, choices, t)), status);

        let wide = area.width >= 110;
        let (items, cursor_row) = self.rows(vpc, inv, choices, t, wide, table_area.width);
        let [head_area, list_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(table_area);
        f.render_widget(
            Paragraph::new(Line::from(Span::styled(
                columns(
                    wide,
                    table_area.width,
                    [
                        "",
                        "Name",
                        "Subnet ID",
                        "CIDR",
                        "Kind",
                        "Free",
                        "Route table",
                    ],
                ),
                t.bold(),
            ))),
            head_area,
        );
        let visible = list_area.height as usize;
        let mut offset = clamp_offset(self.offset.get(), cursor_row, visible);
        // Show the AZ heading of the cursor's group when it fits.
        if cursor_row > 0 && offset == cursor_row && visible > 1 {
            offset -= 1;
        }
        self.offset.set(offset);
        let mut state = ListState::default()
            .with_selected(Some(cursor_row))
            .with_offset(offset);
        if vpc.subnets.is_empty() {
            f.render_widget(
                Paragraph::new(
                    "This VPC has no subnets: create them (or choose another VPC with Esc).",
                )
                .style(t.warn()),
                list_area,
            );
            return;
        }
        f.render_stateful_widget(
            List::new(items).highlight_style(t.selected()),
            list_area,
            &mut state,
        );
    }

    /// List lines: an AZ heading, then its subnets. Returns them and the cursor's line.
    fn rows(
        &self,
        vpc: &Vpc,
        inv: &Inventory,
        choices: &Spec,
        t: &Theme,
        wide: bool,
        width: u16,
    ) -> (Vec<ListItem<'static>>, usize) {
        let mut rows = vec![];
        let mut cursor_row = 0;
        let mut last_az: Option<&str> = None;
        for (i, s) in vpc.subnets.iter().enumerate() {
            if last_az != Some(s.az.as_str()) {
                last_az = Some(s.az.as_str());
                let chosen = choices
                    .node_subnets
                    .get(&s.az)
                    .and_then(|id| vpc.subnet(id))
                    .map(|c| format!("chosen: {}", label(c)))
                    .unwrap_or_else(|| "none chosen".into());
                let zone = inv.zone_id(&s.az).unwrap_or(&s.az_id);
                rows.push(ListItem::new(Line::from(vec![
                    Span::raw("    "),
                    Span::styled(format!("{} ({zone})", s.az), t.title()),
                    Span::styled(format!(" · {chosen}"), t.dim()),
                ])));
            }
            if i == self.cursor {
                cursor_row = rows.len();
            }
            rows.push(ListItem::new(subnet_line(vpc, s, choices, t, wide, width)));
        }
        (rows, cursor_row)
    }
}

const BINDINGS: &[Binding] = keys::step_keys![
    on(
        Scope::Subnets,
        &[Command::Toggle],
        "choose",
        "choose / unchoose (one per AZ)",
    ),
    on(
        Scope::Subnets,
        &[Command::Next],
        "endpoints",
        "on to the VPC endpoints",
    ),
    on(Scope::Global, &[Command::Back], "back", "back to the VPCs"),
    on(
        Scope::Subnets,
        &[Command::CycleCluster],
        "cluster",
        "cycle the cluster of this VPC",
    ),
];

impl WizardScreen for SubnetsScreen {
    fn sync(&mut self, ctx: &ScreenCtx) {
        if let Some(d) = ctx.draft {
            self.clamp(ctx.inv, &d.vpc_id);
        }
    }

    fn why(&self) -> &'static str {
        WHY
    }

    fn bindings(&self) -> &'static [Binding] {
        BINDINGS
    }

    fn on_command(&mut self, cmd: Command, ctx: &ScreenCtx) -> Option<Intent> {
        let vpc = ctx.inv.vpc(&ctx.draft?.vpc_id)?;
        if let Some(nav) = Nav::of(cmd) {
            self.cursor = nav.apply(self.cursor, vpc.subnets.len(), 10);
            return None;
        }
        match cmd {
            Command::Toggle => vpc
                .subnets
                .get(self.cursor)
                .map(|s| Intent::Edit(Edit::ToggleSubnet(s.id.clone()))),
            Command::CycleCluster => Some(Intent::Edit(Edit::CycleCluster)),
            Command::Next => Some(Intent::Next),
            _ => None,
        }
    }

    fn render(&self, f: &mut Frame, area: Rect, ctx: &ScreenCtx) {
        self.draw(f, area, ctx.inv, ctx.draft, ctx.findings, ctx.theme);
    }
}

/// The finding with each named subnet's ID written as its name ("name (id)" when `wide`):
/// findings speak in IDs, the list in names.
fn named(f: &Finding, vpc: &Vpc, wide: bool) -> Finding {
    let mut out = f.clone();
    out.message = with_names(&f.message, vpc, wide);
    out
}

fn with_names(text: &str, vpc: &Vpc, wide: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("subnet-") {
        out.push_str(&rest[..at]);
        let token = &rest[at..];
        let end = token
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(token.len());
        let id = &token[..end];
        match vpc.subnet(id).filter(|s| !s.name.is_empty()) {
            Some(s) if wide => out.push_str(&format!("{} ({id})", s.name)),
            Some(s) => out.push_str(&s.name),
            None => out.push_str(id),
        }
        rest = &token[end..];
    }
    out.push_str(rest);
    out
}

fn label(s: &Subnet) -> String {
    if s.name.is_empty() {
        s.id.clone()
    } else {
        s.name.clone()
    }
}

/// Column widths: mark, name, subnet ID (wide only), CIDR, kind, free; the route table
/// takes the rest (22 columns at 80x24).
fn widths(wide: bool) -> [usize; 6] {
    if wide {
        [3, 22, 24, 18, 8, 8]
    } else {
        [3, 20, 0, 15, 8, 5]
    }
}

/// Columns used before the route table, separators included.
fn used_width(wide: bool) -> usize {
    widths(wide)
        .iter()
        .enumerate()
        .filter(|(i, _)| wide || *i != 2)
        .map(|(_, w)| w + 1)
        .sum()
}

fn pad(s: &str, w: usize) -> String {
    format!("{:<w$} ", trunc(s, w))
}

fn columns(wide: bool, width: u16, names: [&str; 7]) -> String {
    let w = widths(wide);
    let mut out = String::new();
    out.push_str(&pad(names[0], w[0]));
    out.push_str(&pad(names[1], w[1]));
    if wide {
        out.push_str(&pad(names[2], w[2]));
    }
    out.push_str(&pad(names[3], w[3]));
    out.push_str(&pad(names[4], w[4]));
    out.push_str(&pad(names[5], w[5]));
    out.push_str(names[6]);
    trunc(&out, width as usize)
}

fn subnet_line(
    vpc: &Vpc,
    s: &Subnet,
    choices: &Spec,
    t: &Theme,
    wide: bool,
    width: u16,
) -> Line<'static> {
    let w = widths(wide);
    let chosen = choices.node_subnets.get(&s.az) == Some(&s.id);
    let pods = in_secondary_cidr(choices, &s.cidr).is_some();
    let mark = match (chosen, s.kind) {
        (true, _) => Span::styled("[x] ", t.ok()),
        (false, SubnetKind::Public) => Span::styled(" -  ", t.dim()),
        (false, _) if pods => Span::styled(" -  ", t.dim()),
        (false, _) => Span::raw("[ ] "),
    };
    let mut spans = vec![mark, Span::raw(pad(&label(s), w[1]))];
    if wide {
        spans.push(Span::raw(pad(&s.id, w[2])));
    }
    spans.push(Span::raw(pad(&s.cidr, w[3])));
    // A subnet in the spec's secondary CIDR is for pods (N5): said instead of its kind.
    spans.push(if pods {
        Span::styled(pad("pods", w[4]), t.dim())
    } else {
        Span::styled(pad(s.kind.as_str(), w[4]), t.kind(s.kind))
    });
    spans.push(Span::styled(
        format!("{:>width$} ", s.available_ips, width = w[5]),
        if s.available_ips < MIN_FREE_IPS {
            t.error()
        } else {
            Default::default()
        },
    ));
    // The route table: its Name if it has one (else its ID), cut so "(main)" always shows.
    let room = (width as usize).saturating_sub(used_width(wide));
    let rt = match &s.route_table_id {
        Some(id) => {
            let name = vpc
                .route_tables
                .iter()
                .find(|r| &r.id == id)
                .map(|r| r.name.clone())
                .filter(|n| !n.is_empty());
            let text = match (&name, wide) {
                (Some(n), true) => format!("{n} {id}"),
                (Some(n), false) => n.clone(),
                (None, _) => id.clone(),
            };
            if s.main_route_table {
                format!("{} (main)", trunc(&text, room.saturating_sub(7)))
            } else {
                trunc(&text, room)
            }
        }
        None => "-".into(),
    };
    spans.push(Span::styled(
        rt,
        if s.main_route_table {
            t.warn()
        } else {
            Default::default()
        },
    ));
    Line::from(spans)
}

fn status_line<'a>(vpc: &'a Vpc, inv: &Inventory, choices: &Spec, t: &Theme) -> Line<'a> {
    let azs = vpc.azs();
    let chosen = choices.node_subnets.len();
    let (sym, style) = if chosen >= 2 {
        ("✓", t.ok())
    } else {
        ("!", t.warn())
    };
    let in_vpc = inv.clusters_in(&vpc.id).count();
    let cluster = match (&choices.cluster_name, in_vpc) {
        (Some(c), _) => format!("cluster {c} (Tab: change)"),
        (None, 0) => "no cluster in this VPC".into(),
        (None, _) => "no cluster chosen (Tab)".into(),
    };
    Line::from(vec![
        Span::styled(format!("{sym} {chosen} of {} AZs chosen", azs.len()), style),
        Span::styled(
            if chosen < 2 {
                " (EKS needs ≥ 2: S1)"
            } else {
                ""
            },
            t.dim(),
        ),
        Span::raw(format!(
            " · VPC {} · {cluster}",
            if vpc.name.is_empty() {
                &vpc.id
            } else {
                &vpc.name
            }
        )),
    ])
}
