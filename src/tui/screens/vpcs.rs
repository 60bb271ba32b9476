//! Step 1: region and VPC. Lists the region's VPCs with what matters for a private
//! cluster (DNS attributes, subnet kinds, endpoints, clusters); `/` filters.

use super::{Nav, ScreenCtx, WizardScreen, clamp_offset};
use crate::inventory::{Inventory, SubnetKind, Vpc};
use crate::report::{dhcp_summary, trunc};
use crate::rules::Finding;
use crate::tui::intent::Intent;
use crate::tui::keys::{self, Binding, Command, Scope, on};
use crate::tui::theme::Theme;
use crate::tui::widgets::{FieldKey, TextField};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState, Wrap};
use std::cell::Cell as StdCell;

#[derive(Debug, Clone, Default)]
pub struct VpcsScreen {
    pub selected: usize,
    /// The operator moved the cursor (or filtered): no suggestion moves it any more.
    moved: bool,
    offset: StdCell<usize>,
    pub filtering: bool,
    pub filter: TextField,
}

pub const WHY: &str = "Everything a private cluster needs (endpoints, subnets, DNS) lives in its VPC. \
Both DNS attributes must be on (V1): the cluster's private API hostname and the endpoints' \
private DNS names resolve only then.";

impl VpcsScreen {
    /// The VPCs shown, in order: named first (by name), then unnamed (by ID), filtered.
    pub fn rows<'a>(&self, inv: &'a Inventory) -> Vec<&'a Vpc> {
        let needle = self.filter.value().trim().to_lowercase();
        let mut rows: Vec<&Vpc> = inv
            .vpcs
            .iter()
            .filter(|v| needle.is_empty() || matches(v, inv, &needle))
            .collect();
        rows.sort_by(|a, b| {
            (a.name.is_empty(), &a.name, &a.id).cmp(&(b.name.is_empty(), &b.name, &b.id))
        });
        rows
    }

    /// On the chosen VPC; else, until the operator moves, on the VPC the account suggests:
    /// the cluster's, when the region has one cluster.
    pub fn place_cursor(&mut self, inv: &Inventory, chosen: Option<&str>) {
        let suggested = match inv.clusters.as_slice() {
            [one] if !self.moved => one.vpc_id.as_deref(),
            _ => None,
        };
        let rows = self.rows(inv);
        self.selected = chosen
            .or(suggested)
            .and_then(|c| rows.iter().position(|v| v.id == c))
            .unwrap_or(self.selected.min(rows.len().saturating_sub(1)));
    }

    /// Esc: clear an applied filter. True when there was one.
    pub fn clear_filter(&mut self) -> bool {
        if self.filter.value().is_empty() {
            return false;
        }
        self.filter = TextField::default();
        self.selected = 0;
        true
    }

    /// The filter as typed (with how many VPCs it keeps), or the columns' legend.
    fn draw_filter(
        &self,
        f: &mut Frame,
        filter_area: Rect,
        shown_rows: usize,
        all: usize,
        t: &Theme,
    ) {
        if self.filtering || !self.filter.value().is_empty() {
            let shown = if self.filtering {
                self.filter.shown()
            } else {
                self.filter.value().to_string()
            };
            f.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled("/ ", t.bold()),
                    Span::raw(shown),
                    Span::styled(format!("  {} of {}", shown_rows, all), t.dim()),
                ])),
                filter_area,
            );
        } else {
            f.render_widget(
            Paragraph::new(Span::styled(
                crate::report::trunc(
                    "  DNS: support hostnames · Subnets: public/private/isolated · VPCE: endpoints",
                    filter_area.width as usize,
                ),
                t.dim(),
            )),
            filter_area,
        );
        }
    }

    fn draw(
        &self,
        f: &mut Frame,
        area: Rect,
        inv: &Inventory,
        chosen: Option<&str>,
        findings: &[Finding],
        t: &Theme,
    ) {
        let rows = self.rows(inv);
        // The filter line, or the legend of the packed columns.
        let filter_h: u16 = 1;
        let detail_h: u16 = if area.height >= 30 { 11 } else { 9 };
        let [intro, table_area, filter_area, detail_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(filter_h),
            Constraint::Length(detail_h),
        ])
        .areas(area);

        let status = match &inv.pending {
            // The list is usable while the rest is read; … marks what is not in yet.
            Some(p) => format!(
                "{} in {}; reading {}…",
                super::plural(inv.vpcs.len(), "VPC"),
                inv.region,
                p.what
            ),
            None => format!(
                "{} in {}; ? explains why.",
                super::plural(inv.vpcs.len(), "VPC"),
                inv.region
            ),
        };
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("Choose the cluster's VPC. ", t.bold()),
                Span::styled(status, t.dim()),
            ])),
            intro,
        );
        let lists_pending = inv.pending.as_ref().is_some_and(|p| p.lists);

        let wide = area.width >= 110;
        let header = Row::new(
            [
                " ", "Name", "VPC ID", "CIDRs", "DNS", "Subnets", "VPCE", "Clusters",
            ]
            .map(|h| Cell::from(h).style(t.bold())),
        );
        // Only the rows in the window are built (a region may hold a thousand VPCs).
        let visible = table_area.height.saturating_sub(1) as usize;
        let offset = clamp_offset(self.offset.get(), self.selected, visible);
        self.offset.set(offset);
        let body_rows: Vec<Row> = rows
            .iter()
            .skip(offset)
            .take(visible)
            .map(|v| {
                table_row(
                    inv,
                    v,
                    chosen == Some(v.id.as_str()),
                    wide,
                    lists_pending,
                    t,
                )
            })
            .collect();
        // 78 columns inside the margins at 80x24: 1+13+21+15+3+7+4 + 7 spaces leaves 7.
        let widths = [
            Constraint::Length(1),
            Constraint::Length(if wide { 24 } else { 13 }),
            Constraint::Length(21),
            Constraint::Length(if wide { 33 } else { 15 }),
            Constraint::Length(3),
            Constraint::Length(7),
            Constraint::Length(4),
            Constraint::Min(6),
        ];
        let mut state = TableState::default()
            .with_selected(if rows.is_empty() {
                None
            } else {
                Some(self.selected - offset)
            })
            .with_offset(0);
        if rows.is_empty() {
            let msg = if inv.vpcs.is_empty() {
                format!(
                    "No VPC in {}. Create one, or pass another --region.",
                    inv.region
                )
            } else {
                format!(
                    "No VPC matches {:?}. Esc clears the filter.",
                    self.filter.value()
                )
            };
            f.render_widget(Paragraph::new(msg).style(t.warn()), table_area);
        } else {
            f.render_stateful_widget(
                Table::new(body_rows, widths)
                    .header(header)
                    .column_spacing(1)
                    .row_highlight_style(t.selected()),
                table_area,
                &mut state,
            );
        }

        self.draw_filter(f, filter_area, rows.len(), inv.vpcs.len(), t);

        if let Some(v) = rows.get(self.selected) {
            render_detail(f, detail_area, inv, v, findings, t);
        }
    }
}

const BINDINGS: &[Binding] = &[
    keys::MOVE,
    on(
        Scope::Vpcs,
        &[Command::Choose],
        "choose",
        "choose this VPC, go to node subnets",
    ),
    on(
        Scope::Vpcs,
        &[Command::Filter],
        "filter",
        "filter by name, ID, CIDR or cluster (Enter keeps it, Esc clears it)",
    ),
    on(
        Scope::Vpcs,
        &[Command::Region],
        "region",
        "choose another region: the account is read there",
    ),
    keys::RELOAD,
    keys::HELP,
    keys::QUIT,
    keys::CHECKS,
    keys::ENDS,
    keys::SAVE,
    keys::PAGE,
    on(
        Scope::Global,
        &[Command::Back],
        "",
        "clear an applied filter (Esc never quits)",
    ),
];

const FILTER_HINTS: &[(&str, &str)] = &[
    ("Enter", "apply filter"),
    ("Esc", "clear"),
    ("Ctrl-C", "quit"),
];

impl WizardScreen for VpcsScreen {
    /// The draft's VPC under the cursor (or the one cluster's, until the operator moves).
    fn sync(&mut self, ctx: &ScreenCtx) {
        self.place_cursor(ctx.inv, ctx.draft.map(|d| d.vpc_id.as_str()));
    }

    fn vpc_under_cursor(&self, inv: &Inventory) -> Option<String> {
        self.rows(inv).get(self.selected).map(|v| v.id.clone())
    }

    fn why(&self) -> &'static str {
        WHY
    }

    fn bindings(&self) -> &'static [Binding] {
        if self.filtering { &[] } else { BINDINGS }
    }

    fn fixed_hints(&self) -> &'static [(&'static str, &'static str)] {
        if self.filtering { FILTER_HINTS } else { &[] }
    }

    fn capturing(&self) -> bool {
        self.filtering
    }

    /// Typing into the filter (Enter keeps it, Esc clears it).
    fn text_key(&mut self, k: KeyEvent, _ctx: &ScreenCtx) -> Option<Intent> {
        match self.filter.key(&k) {
            FieldKey::Done => self.filtering = false,
            FieldKey::Cancel => {
                self.filtering = false;
                self.filter = TextField::default();
            }
            FieldKey::Edited => {}
        }
        self.selected = 0;
        self.moved = true;
        None
    }

    fn on_command(&mut self, cmd: Command, ctx: &ScreenCtx) -> Option<Intent> {
        if let Some(nav) = Nav::of(cmd) {
            self.selected = nav.apply(self.selected, self.rows(ctx.inv).len(), 10);
            self.moved = true;
            return None;
        }
        match cmd {
            Command::Filter => {
                self.filtering = true;
                None
            }
            Command::Region => Some(Intent::PickRegion),
            Command::Choose => self
                .rows(ctx.inv)
                .get(self.selected)
                .map(|v| Intent::ChooseVpc(v.id.clone())),
            _ => None,
        }
    }

    fn back(&mut self) -> bool {
        self.clear_filter()
    }

    fn render(&self, f: &mut Frame, area: Rect, ctx: &ScreenCtx) {
        self.draw(
            f,
            area,
            ctx.inv,
            ctx.draft.map(|d| d.vpc_id.as_str()),
            ctx.findings,
            ctx.theme,
        );
    }
}

fn matches(v: &Vpc, inv: &Inventory, needle: &str) -> bool {
    v.name.to_lowercase().contains(needle)
        || v.id.contains(needle)
        || v.cidrs.iter().any(|c| c.cidr.contains(needle))
        || inv
            .clusters_in(&v.id)
            .any(|c| c.name.to_lowercase().contains(needle))
}

fn mark(on: bool, t: &Theme) -> Span<'static> {
    if on {
        Span::styled("✓", t.ok())
    } else {
        Span::styled("✗", t.error())
    }
}

/// A VPC's name as the list and the detail both show it: its Name tag, else "(default)"
/// for the default VPC, else "-".
pub fn display_name(v: &Vpc) -> String {
    match (v.name.is_empty(), v.is_default) {
        (false, _) => v.name.clone(),
        (true, true) => "(default)".into(),
        (true, false) => "-".into(),
    }
}

fn render_detail(
    f: &mut Frame,
    area: Rect,
    inv: &Inventory,
    v: &Vpc,
    findings: &[Finding],
    t: &Theme,
) {
    let title = format!(" {} {} ", display_name(v), v.id);
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(title, t.bold()));
    let known = inv.dns_known(&v.id);
    let on = |b: bool| match (known, b) {
        (false, _) => "… reading",
        (true, true) => "✓ on",
        (true, false) => "✗ OFF",
    };
    let mut lines = vec![
        Line::from(vec![
            Span::raw("CIDRs "),
            Span::raw(
                v.cidrs
                    .iter()
                    .map(|c| format!("{} ({})", c.cidr, c.state))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ]),
        Line::from(vec![
            Span::raw("DNS support "),
            Span::styled(
                on(v.dns_support),
                match (known, v.dns_support) {
                    (false, _) => t.dim(),
                    (true, true) => t.ok(),
                    (true, false) => t.error(),
                },
            ),
            Span::raw("  DNS hostnames "),
            Span::styled(
                on(v.dns_hostnames),
                match (known, v.dns_hostnames) {
                    (false, _) => t.dim(),
                    (true, true) => t.ok(),
                    (true, false) => t.error(),
                },
            ),
            Span::raw(format!("  DHCP {}", dhcp_summary(v))),
        ]),
        Line::from(format!(
            "Subnets {} public · {} private · {} isolated in {} AZs · NAT {} · IGW {}",
            v.count_kind(SubnetKind::Public),
            v.count_kind(SubnetKind::Private),
            v.count_kind(SubnetKind::Isolated),
            v.azs().len(),
            v.nat_gateways.len(),
            v.internet_gateways.len()
        )),
    ];
    let endpoints: Vec<String> = v
        .endpoints
        .iter()
        .filter(|e| e.state.is_usable())
        .map(|e| {
            if e.kind.eq_ignore_ascii_case("gateway") {
                format!("{} (gateway)", e.service)
            } else {
                e.service.clone()
            }
        })
        .collect();
    lines.push(Line::from(format!(
        "Endpoints {}",
        if endpoints.is_empty() {
            "none".into()
        } else {
            endpoints.join(", ")
        }
    )));
    let peers: Vec<String> = v
        .peerings
        .iter()
        .map(|p| {
            let (other, cidrs) = if p.requester_vpc_id == v.id {
                (&p.accepter_vpc_id, &p.accepter_cidrs)
            } else {
                (&p.requester_vpc_id, &p.requester_cidrs)
            };
            format!("{other} {} ({})", cidrs.join(","), p.status)
        })
        .collect();
    lines.push(Line::from(format!(
        "Peerings {}",
        if peers.is_empty() {
            "none".into()
        } else {
            peers.join("; ")
        }
    )));
    let clusters: Vec<String> = inv
        .clusters_in(&v.id)
        .map(crate::report::cluster_line)
        .collect();
    lines.push(Line::from(trunc(
        &format!(
            "Clusters {}",
            if clusters.is_empty() {
                "none".into()
            } else {
                clusters.join("; ")
            }
        ),
        area.width as usize * 2,
    )));
    // The audit of this VPC as it is (or of the choices, once made): the worst first.
    let (e, w, _) = crate::rules::summary(findings);
    lines.push(Line::from(vec![
        Span::styled("Checks ", t.bold()),
        if inv.is_partial() {
            Span::styled("run once the account is read", t.dim())
        } else if e + w == 0 {
            Span::styled("✓ nothing blocks a private cluster so far", t.ok())
        } else {
            Span::styled(
                format!(
                    "{}, {}",
                    super::plural(e, "error"),
                    super::plural(w, "warning")
                ),
                if e > 0 { t.error() } else { t.warn() },
            )
        },
        Span::styled(" · c lists them with why and fix", t.dim()),
    ]));
    if let Some(first) = findings
        .iter()
        .find(|f| f.severity != crate::rules::Severity::Info)
    {
        lines.push(crate::tui::widgets::findings::finding_line_short(first, t));
    }
    f.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        area,
    );
}

/// One VPC as a row of the list (`wide`: every CIDR; `lists_pending`: counts not read yet).
fn table_row<'a>(
    inv: &Inventory,
    v: &'a Vpc,
    chosen: bool,
    wide: bool,
    lists_pending: bool,
    t: &Theme,
) -> Row<'a> {
    let cidrs: Vec<&str> = v.active_cidrs().collect();
    let clusters: Vec<&str> = inv.clusters_in(&v.id).map(|c| c.name.as_str()).collect();
    let dns = if inv.dns_known(&v.id) {
        Line::from(vec![
            mark(v.dns_support, t),
            Span::raw(" "),
            mark(v.dns_hostnames, t),
        ])
    } else {
        Line::from(Span::styled("…", t.dim()))
    };
    let name = display_name(v);
    Row::new(vec![
        Cell::from(if chosen { "●" } else { " " }),
        Cell::from(name),
        Cell::from(v.id.clone()),
        Cell::from(if wide {
            cidrs.join(",")
        } else {
            let extra = cidrs.len().saturating_sub(1);
            let first = cidrs.first().copied().unwrap_or("-");
            if extra > 0 {
                format!("{first} +{extra}")
            } else {
                first.to_string()
            }
        }),
        Cell::from(dns),
        Cell::from(if lists_pending {
            "…".to_string()
        } else {
            format!(
                "{}/{}/{}",
                v.count_kind(SubnetKind::Public),
                v.count_kind(SubnetKind::Private),
                v.count_kind(SubnetKind::Isolated)
            )
        }),
        Cell::from(if lists_pending {
            "…".to_string()
        } else {
            // Deleted, failed and rejected endpoints are not there.
            v.endpoints
                .iter()
                .filter(|e| e.state.is_usable())
                .count()
                .to_string()
        }),
        Cell::from(clusters.join(",")),
    ])
}
