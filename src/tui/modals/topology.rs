//! The topology view (`t`, on any step): the VPC drawn as AZ columns instead of tables.
//! Each column lists the AZ's subnets (kind, CIDR, free IPs, route table), the interface
//! endpoints' network interfaces and the Resolver endpoints' IPs in them, and the pod
//! subnets; what the draft adds is marked `+`. Above the columns: the VPC's CIDRs and the
//! S3 gateway's route tables. Computed when it opens and when the draft or the account
//! changes, never while drawing.

use crate::inventory::{Inventory, SubnetKind, Vpc};
use crate::report::trunc;
use crate::spec::Spec;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// How a line of the picture is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Title,
    Plain,
    Dim,
    /// What the draft adds.
    Added,
    /// A node subnet of the draft.
    Node,
    Public,
}

pub type Text = (String, Tone);

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Topology {
    /// Lines above the columns.
    pub head: Vec<Text>,
    /// One column per AZ: its title, then its lines.
    pub columns: Vec<Vec<Text>>,
    /// The first row shown (j/k scroll).
    pub offset: usize,
}

/// The picture of `vpc` with what `draft` adds.
pub fn picture(inv: &Inventory, vpc: &Vpc, draft: Option<&Spec>) -> Topology {
    let head = head(vpc, draft);
    let planned = planned_interfaces(vpc, draft);
    let inbound_exists = inv.resolver.endpoint("INBOUND", &vpc.id).is_some();
    let mut columns = vec![];
    for az in vpc.azs() {
        let zone = inv
            .availability_zones
            .iter()
            .find(|z| z.name == az)
            .map(|z| format!(" ({})", z.zone_id))
            .unwrap_or_default();
        let mut col: Vec<Text> = vec![(format!("{az}{zone}"), Tone::Title)];
        let mut subnets: Vec<_> = vpc.subnets.iter().filter(|s| s.az == az).collect();
        subnets.sort_by_key(|s| {
            (
                s.kind != SubnetKind::Public,
                s.kind == SubnetKind::Isolated,
                s.cidr.clone(),
            )
        });
        for s in subnets {
            col.extend(subnet_lines(inv, vpc, s, draft, &planned, inbound_exists));
        }
        // The draft's pod subnet of this AZ, when it does not exist yet.
        if let Some(cidr) = draft
            .and_then(|d| d.secondary_cidr.as_ref())
            .and_then(|s| s.pod_subnets.get(az))
            && !vpc.subnets.iter().any(|s| &s.cidr == cidr)
        {
            col.push(("+ pod subnet".into(), Tone::Added));
            col.push((format!("  {cidr}"), Tone::Added));
        }
        columns.push(col);
    }
    Topology {
        head,
        columns,
        offset: 0,
    }
}

/// The lines above the columns: the VPC's CIDRs (with the draft's secondary one) and the
/// S3 gateway's route tables (with the ones the draft adds).
fn head(vpc: &Vpc, draft: Option<&Spec>) -> Vec<Text> {
    let mut head: Vec<Text> = vec![];
    let name = if vpc.name.is_empty() {
        String::new()
    } else {
        format!(" ({})", vpc.name)
    };
    let mut cidrs: Vec<String> = vpc.active_cidrs().map(str::to_string).collect();
    if let Some(sec) = draft.and_then(|d| d.secondary_cidr.as_ref())
        && !cidrs.contains(&sec.cidr)
    {
        cidrs.push(format!("+{}", sec.cidr));
    }
    head.push((
        format!("{}{name} · {}", vpc.id, cidrs.join(", ")),
        Tone::Title,
    ));
    // The S3 gateway and its route tables; the draft's additions.
    let s3 = vpc.endpoints.iter().find(|e| {
        e.service == "s3" && e.kind.eq_ignore_ascii_case("gateway") && e.state.is_usable()
    });
    let wants_s3 = draft
        .and_then(|d| d.endpoints.as_ref())
        .is_some_and(|e| e.services.iter().any(|s| s == "s3"));
    let node_tables: Vec<String> = draft
        .map(|d| {
            let mut t: Vec<String> = d
                .node_subnets
                .values()
                .filter_map(|id| vpc.subnet(id))
                .filter_map(|s| s.route_table_id.clone())
                .collect();
            t.sort();
            t.dedup();
            t
        })
        .unwrap_or_default();
    match s3 {
        Some(e) => {
            let mut rts: Vec<String> = e.route_table_ids.clone();
            for t in &node_tables {
                if !rts.contains(t) && wants_s3 {
                    rts.push(format!("+{t}"));
                }
            }
            head.push((
                format!("S3 gateway {} on {}", e.id, rts.join(", ")),
                Tone::Plain,
            ));
        }
        None if wants_s3 => head.push((
            format!("+ S3 gateway on {}", node_tables.join(", ")),
            Tone::Added,
        )),
        None => head.push(("no S3 gateway endpoint".into(), Tone::Dim)),
    }
    head
}

/// The interface endpoints the draft adds (they go into the node subnets).
fn planned_interfaces(vpc: &Vpc, draft: Option<&Spec>) -> Vec<String> {
    // Interface endpoints: by subnet; the planned ones go into the node subnets.
    draft
        .and_then(|d| d.endpoints.as_ref())
        .map(|e| {
            e.services
                .iter()
                .filter(|s| s.as_str() != "s3")
                .filter(|s| {
                    !vpc.endpoints.iter().any(|x| {
                        &x.service == *s
                            && x.kind.eq_ignore_ascii_case("interface")
                            && x.state.is_usable()
                    })
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// One subnet of a column: its name (N: a node subnet), kind, CIDR, free IPs, route
/// table, the endpoints' and the Resolver's interfaces in it, and what the draft adds.
fn subnet_lines(
    inv: &Inventory,
    vpc: &Vpc,
    s: &crate::inventory::Subnet,
    draft: Option<&Spec>,
    planned: &[String],
    inbound_exists: bool,
) -> Vec<Text> {
    let mut col: Vec<Text> = vec![];
    let resolver_ips = |subnet: &str| -> Vec<String> {
        inv.resolver
            .endpoints
            .iter()
            .filter(|e| e.vpc_id == vpc.id)
            .flat_map(|e| {
                e.ips
                    .iter()
                    .filter(|i| i.subnet_id == subnet)
                    .map(|i| format!("{} {}", e.direction.to_lowercase(), i.ip))
            })
            .collect()
    };
    let node = draft.is_some_and(|d| d.node_subnets.values().any(|n| n == &s.id));
    let label = if s.name.is_empty() {
        s.id.clone()
    } else {
        s.name.clone()
    };
    let tone = if node {
        Tone::Node
    } else if s.kind == SubnetKind::Public {
        Tone::Public
    } else {
        Tone::Plain
    };
    col.push((format!("{}{label}", if node { "N " } else { "" }), tone));
    col.push((format!("  {} {}", s.kind.as_str(), s.cidr), Tone::Dim));
    let rt = s
        .route_table_id
        .as_deref()
        .and_then(|id| vpc.route_tables.iter().find(|r| r.id == id))
        .map(|r| {
            if r.name.is_empty() {
                r.id.clone()
            } else {
                r.name.clone()
            }
        })
        .unwrap_or_else(|| "main".into());
    col.push((format!("  {} free · {rt}", s.available_ips), Tone::Dim));
    let enis: Vec<&str> = vpc
        .endpoints
        .iter()
        .filter(|e| e.subnet_ids.contains(&s.id) && e.state.is_usable())
        .map(|e| e.service.as_str())
        .collect();
    // Three services a line, so that an 80-column column shows them whole.
    for chunk in enis.chunks(3) {
        col.push((format!("  ENI {}", chunk.join(" ")), Tone::Plain));
    }
    if node {
        for chunk in planned.chunks(3) {
            col.push((format!("  +ENI {}", chunk.join(" ")), Tone::Added));
        }
    }
    for ip in resolver_ips(&s.id) {
        col.push((format!("  resolver {ip}"), Tone::Plain));
    }
    let planned_inbound = draft
        .and_then(|d| d.dns.as_ref())
        .and_then(|d| d.inbound_endpoint.as_ref())
        .is_some_and(|i| i.subnet_ids.contains(&s.id));
    if planned_inbound && !inbound_exists {
        col.push(("  +resolver inbound".into(), Tone::Added));
    }
    col
}

/// Its keys: the list keys scroll, its own key (t), back and quit close it.
pub const BINDINGS: &[crate::tui::keys::Binding] = &[
    crate::tui::keys::on(
        crate::tui::keys::Scope::List,
        &[
            crate::tui::keys::Command::Up,
            crate::tui::keys::Command::Down,
        ],
        "scroll",
        "scroll",
    ),
    crate::tui::keys::ENDS,
    crate::tui::keys::PAGE,
    crate::tui::keys::on(
        crate::tui::keys::Scope::Global,
        &[
            crate::tui::keys::Command::Topology,
            crate::tui::keys::Command::Back,
            crate::tui::keys::Command::Quit,
        ],
        "close",
        "close",
    ),
];

impl Topology {
    /// A key: true while the picture stays open. `page` is the rows a page moves.
    pub fn key(
        &mut self,
        k: &ratatui::crossterm::event::KeyEvent,
        keys: &crate::tui::keys::KeyMap,
        page: usize,
    ) -> bool {
        use crate::tui::keys::Command;
        match keys.command(BINDINGS, k) {
            Some(Command::Topology | Command::Back | Command::Quit) => false,
            Some(cmd) => {
                if let Some(nav) = crate::tui::screens::Nav::of(cmd) {
                    self.offset = crate::tui::screens::scroll(self.offset, nav, self.rows(), page);
                }
                true
            }
            None => true,
        }
    }

    /// Rows the columns take.
    pub fn rows(&self) -> usize {
        self.columns.iter().map(Vec::len).max().unwrap_or(0)
    }

    pub fn render(&self, f: &mut Frame, area: Rect, t: &Theme) {
        f.render_widget(Clear, area);
        let style = |tone: Tone| -> Style {
            match tone {
                Tone::Title => t.title(),
                Tone::Plain => Style::default(),
                Tone::Dim => t.dim(),
                Tone::Added => t.ok(),
                Tone::Node => t.bold(),
                Tone::Public => t.warn(),
            }
        };
        let inner = area.width.saturating_sub(2) as usize;
        let mut lines: Vec<Line> = self
            .head
            .iter()
            .map(|(s, tone)| Line::from(Span::styled(trunc(s, inner), style(*tone))))
            .collect();
        lines.push(Line::from(Span::styled(
            trunc(
                "N node subnet · + what the plan adds · ENI interface endpoints · j/k scroll",
                inner,
            ),
            t.dim(),
        )));
        let n = self.columns.len().max(1);
        let width = (inner.saturating_sub(n - 1) / n).max(1);
        let rows = (area.height as usize).saturating_sub(2 + lines.len());
        for r in self.offset..(self.offset + rows).min(self.rows()) {
            let mut spans = vec![];
            for (i, col) in self.columns.iter().enumerate() {
                if i > 0 {
                    spans.push(Span::styled("│", t.dim()));
                }
                let (text, tone) = col.get(r).cloned().unwrap_or((String::new(), Tone::Plain));
                let cell = trunc(&text, width);
                let pad = width.saturating_sub(cell.chars().count());
                spans.push(Span::styled(cell, style(tone)));
                spans.push(Span::raw(" ".repeat(pad)));
            }
            lines.push(Line::from(spans));
        }
        let more = self.rows().saturating_sub(self.offset + rows);
        let title = if more > 0 {
            format!(
                " Topology · {} more: j scrolls · t or Esc closes ",
                crate::tui::screens::plural(more, "row")
            )
        } else {
            " Topology · t or Esc closes ".to_string()
        };
        f.render_widget(
            Paragraph::new(lines).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(Span::styled(title, t.title())),
            ),
            area,
        );
    }
}
