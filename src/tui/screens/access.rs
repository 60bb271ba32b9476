//! Step 7: cluster endpoint access. Private access on or off, public access on or off with
//! its allow-list (publicAccessCidrs), and the tcp/443 rules on the cluster security
//! group (allowHttpsFromCidrs) for bastions, peers and on-prem, with the peerings' CIDRs
//! (and this tool's own address) offered. Above the list: where this tool runs (the
//! lock-out guard, E4), read from the instance metadata.

use super::{Nav, ScreenCtx, WizardScreen};
use crate::inventory::{Inventory, OperatorPath, Vpc};
use crate::report::trunc;
use crate::rules::cidr::is_rfc1918;
use crate::spec::edit::Edit;
use crate::spec::{ClusterEndpoint, Spec};
use crate::tui::intent::{AccessFlag, CidrList, Intent, Level};
use crate::tui::keys::{self, Binding, Command, Scope, on};
use crate::tui::steps::Step;
use crate::tui::theme::Theme;
use crate::tui::widgets::TextField;
use crate::tui::widgets::sections::Sections;
use crate::tui::widgets::wrap;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::cell::Cell as StdCell;

pub const WHY: &str = "The Kubernetes API of a private cluster answers on network interfaces \
in the VPC. Private access lets nodes and in-VPC clients reach it there (nodes without an \
internet path need it: A1); public access adds an internet endpoint, limited to \
publicAccessCidrs (private ranges are refused there: A2). A private endpoint answers only \
what the cluster security group lets in: bastions, peered VPCs and on-prem need tcp/443 from \
their CIDRs (E3). Turning public access off cuts off every client without a path into the \
VPC, this session included when it runs outside (E4): do it last, from inside.";

/// One selectable row.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Flag(AccessFlag),
    Cidr(CidrList, String),
    /// A CIDR offered for the tcp/443 list, and what it is.
    Offer(String, String),
    Add(CidrList),
}

#[derive(Debug, Clone, Default)]
pub struct AccessScreen {
    pub cursor: usize,
    offset: StdCell<usize>,
    /// A CIDR being typed, and the list it goes to.
    pub editing: Option<(CidrList, TextField)>,
}

/// CIDRs worth letting in on tcp/443 that the list lacks: the peered VPCs', and this
/// tool's own address when it runs in (or peered with) the VPC.
pub fn offers(inv: &Inventory, vpc: &Vpc, ep: &ClusterEndpoint) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![];
    let has = |c: &str, out: &[(String, String)]| {
        ep.allow_https_from_cidrs.iter().any(|x| x == c) || out.iter().any(|(x, _)| x == c)
    };
    match inv.operator_path(&vpc.id) {
        OperatorPath::InVpc(i) | OperatorPath::Peered(i, _) if !i.private_ip.is_empty() => {
            let c = format!("{}/32", i.private_ip);
            if !has(&c, &out) {
                out.push((c, format!("this tool ({})", i.instance_id)));
            }
        }
        _ => {}
    }
    for p in vpc.peers() {
        for c in p.cidrs {
            if !has(c, &out) {
                out.push((c.clone(), format!("peer {} ({})", p.vpc_id, p.id)));
            }
        }
    }
    out
}

pub fn rows(inv: &Inventory, vpc: &Vpc, ep: &ClusterEndpoint) -> Vec<Row> {
    let mut out = vec![
        Row::Flag(AccessFlag::Private),
        Row::Flag(AccessFlag::Public),
    ];
    if ep.public_access {
        out.extend(
            ep.public_access_cidrs
                .iter()
                .map(|c| Row::Cidr(CidrList::Public, c.clone())),
        );
        out.push(Row::Add(CidrList::Public));
    }
    out.extend(
        ep.allow_https_from_cidrs
            .iter()
            .map(|c| Row::Cidr(CidrList::Https, c.clone())),
    );
    out.extend(
        offers(inv, vpc, ep)
            .into_iter()
            .map(|(c, w)| Row::Offer(c, w)),
    );
    out.push(Row::Add(CidrList::Https));
    out
}

/// What is wrong with a CIDR for a list, if anything: (refused, message).
pub fn verdict(list: CidrList, text: &str) -> (bool, String) {
    let n = match super::typed_cidr(text) {
        Ok(n) => n,
        Err(e) => return (true, e),
    };
    match list {
        CidrList::Public if is_rfc1918(&n) => (
            true,
            format!("{n} is a private range: EKS takes only public CIDRs here; private clients use private access and the tcp/443 list (A2)"),
        ),
        CidrList::Public if n.prefix_len() == 0 => (
            false,
            "0.0.0.0/0: the whole internet may call the API (A2 warns); list the operators' and CI's CIDRs instead".into(),
        ),
        CidrList::Https if n.prefix_len() == 0 => (
            true,
            "0.0.0.0/0 would open the control plane's security group to everything (E3)".into(),
        ),
        _ => (false, format!("✓ {n} · Enter adds it, Esc leaves it")),
    }
}

/// Where this tool runs, as one line and how much it matters (the E4 guard).
pub fn operator_line(inv: &Inventory, vpc: &Vpc, ep: &ClusterEndpoint) -> (String, Level) {
    let off = !ep.public_access;
    match inv.operator_path(&vpc.id) {
        OperatorPath::Unknown => (
            "Where this tool runs is not known (instance metadata off): E4 cannot check this session's path".into(),
            Level::Info,
        ),
        OperatorPath::InVpc(i) => (
            format!("✓ this tool runs on {} in {}, the cluster's VPC", i.instance_id, vpc.id),
            Level::Info,
        ),
        OperatorPath::Peered(i, pcx) => (
            format!("✓ this tool runs on {} in {}, peered through {pcx}", i.instance_id, i.vpc_id),
            Level::Info,
        ),
        OperatorPath::Outside(i) => (
            format!(
                "{} this tool runs on {} in {}, outside the cluster's VPC{}",
                if off { "✗" } else { "!" },
                i.instance_id,
                i.vpc_id,
                if off { ": public access off cuts it off (E4)" } else { ": keep public access" }
            ),
            if off { Level::Error } else { Level::Warn },
        ),
        OperatorPath::NotEc2(_) => (
            format!(
                "{} this tool does not run on EC2{}",
                if off { "!" } else { "·" },
                if off { ": with public access off it needs a VPN/DX path (E4)" } else { "" }
            ),
            if off { Level::Warn } else { Level::Info },
        ),
    }
}

impl AccessScreen {
    fn detail(
        &self,
        inv: &Inventory,
        vpc: &Vpc,
        draft: &Spec,
        ep: &ClusterEndpoint,
        row: &Row,
    ) -> String {
        let cluster = draft.cluster_name.as_deref();
        let now = cluster.and_then(|n| inv.clusters.iter().find(|c| c.name == n));
        match row {
            Row::Flag(AccessFlag::Private) => format!(
                "Private access: the API answers on interfaces in {}; nodes, pods and in-VPC clients use them (the hostname resolves to private IPs inside the VPC). Nodes without an internet path need it (A1).{}",
                vpc.id,
                now.map(|c| format!(" Now: {}.", if c.private_access { "on" } else { "off" })).unwrap_or_default()
            ),
            Row::Flag(AccessFlag::Public) => format!(
                "Public access: an internet endpoint too, limited to publicAccessCidrs. Turn it off last, from inside {} or a peered VPC, once kubectl works privately (E4).{}",
                vpc.id,
                now.map(|c| format!(
                    " Now: {}{}.",
                    if c.public_access { "on" } else { "off" },
                    if c.public_access { format!(" from {}", c.public_access_cidrs.join(", ")) } else { String::new() }
                )).unwrap_or_default()
            ),
            Row::Cidr(CidrList::Public, c) => format!("{c} may call the public endpoint. Space removes it."),
            Row::Cidr(_, c) => format!(
                "tcp/443 from {c} on the cluster security group: clients there reach the private endpoint. Space removes it.{}",
                if ep.private_access { "" } else { " (Private access is off: the rule lets nothing reach the API.)" }
            ),
            Row::Offer(c, what) => format!("{c} is {what}: Space lets it in on tcp/443."),
            Row::Add(CidrList::Public) => "e types a public CIDR (an operator network, CI's NAT): at most 40; private ranges are refused.".into(),
            Row::Add(_) => "e types a CIDR to let in on tcp/443 (a bastion, a peer, on-prem over VPN or Direct Connect).".into(),
        }
    }

    fn line(&self, ep: &ClusterEndpoint, row: &Row, t: &Theme, width: usize) -> Line<'static> {
        let check = |on: bool| {
            if on {
                Span::styled("[x] ", t.ok())
            } else {
                Span::raw("[ ] ")
            }
        };
        match row {
            Row::Flag(AccessFlag::Private) => Line::from(vec![
                check(ep.private_access),
                Span::styled("private access", t.bold()),
                Span::styled(trunc("  API in the VPC", width.saturating_sub(18)), t.dim()),
            ]),
            Row::Flag(AccessFlag::Public) => Line::from(vec![
                check(ep.public_access),
                Span::styled("public access", t.bold()),
                Span::styled(
                    trunc(
                        "   internet endpoint, allow-listed",
                        width.saturating_sub(17),
                    ),
                    t.dim(),
                ),
            ]),
            Row::Cidr(list, c) => {
                let (bad, _) = verdict(*list, c);
                let world = c.trim() == "0.0.0.0/0";
                let style = if bad {
                    t.error()
                } else if world {
                    t.warn()
                } else {
                    t.ok()
                };
                Line::from(vec![
                    Span::raw("    "),
                    Span::styled(
                        if bad {
                            "✗ "
                        } else if world {
                            "! "
                        } else {
                            "✓ "
                        },
                        style,
                    ),
                    Span::raw(trunc(c, width.saturating_sub(6))),
                ])
            }
            Row::Offer(c, what) => Line::from(vec![
                Span::raw("    + "),
                Span::raw(format!("{:<18} ", trunc(c, 18))),
                Span::styled(
                    trunc(&format!("offered: {what}"), width.saturating_sub(25)),
                    t.dim(),
                ),
            ]),
            Row::Add(list) => {
                let typing = self.editing.as_ref().filter(|(l, _)| l == list);
                match typing {
                    Some((_, input)) => Line::from(vec![
                        Span::raw("    "),
                        Span::styled(input.shown(), t.bold()),
                    ]),
                    None => Line::from(Span::styled("    e adds a CIDR", t.dim())),
                }
            }
        }
    }

    pub fn clamp(&mut self, n: usize) {
        self.cursor = self.cursor.min(n.saturating_sub(1));
    }

    fn draw(&self, f: &mut Frame, area: Rect, ctx: &ScreenCtx) {
        let t = ctx.theme;
        let inv = ctx.inv;
        let Some((vpc, draft)) = super::ready(f, area, ctx, None) else {
            return;
        };
        let ep = crate::spec::edit::planned_access(inv, draft);
        let ours = crate::tui::steps::inline(Step::Access, ctx.findings);
        let shown = ours.len().min(2) as u16;
        let all = rows(inv, vpc, &ep);
        let width = area.width as usize;
        let mut detail = all
            .get(self.cursor)
            .map(|row| wrap(&self.detail(inv, vpc, draft, &ep, row), width, 3))
            .unwrap_or_default();
        let mut detail_style = t.dim();
        if let Some((list, input)) = &self.editing {
            let (bad, text) = verdict(*list, input.value());
            detail = wrap(&if bad { format!("✗ {text}") } else { text }, width, 3);
            if bad {
                detail_style = t.error();
            }
        }
        let [
            intro,
            cluster_area,
            operator_area,
            checks_area,
            list_area,
            detail_area,
        ] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(shown),
            Constraint::Min(3),
            Constraint::Length(detail.len() as u16),
        ])
        .areas(area);
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("Cluster endpoint access: who reaches the API. ", t.bold()),
                Span::styled(
                    trunc("Space toggles; ? explains.", width.saturating_sub(47)),
                    t.dim(),
                ),
            ])),
            intro,
        );
        let cluster_text = match draft
            .cluster_name
            .as_deref()
            .map(|n| (n, inv.clusters.iter().find(|c| c.name == n)))
        {
            Some((n, Some(c))) => format!(
                "Cluster {n}: now {} · planned {}{}",
                access_words(c.private_access, c.public_access),
                access_words(ep.private_access, ep.public_access),
                if draft.cluster_endpoint.is_none() { " (not in the spec yet: Space on a row sets it)" } else { "" }
            ),
            Some((n, None)) => format!("Cluster {n} is not in {} yet: the eksctl export carries these settings", vpc.id),
            None => "No cluster chosen (Tab on the subnets step): the eksctl export carries these settings".into(),
        };
        f.render_widget(
            Paragraph::new(Span::styled(trunc(&cluster_text, width), t.dim())),
            cluster_area,
        );
        let (op, level) = operator_line(inv, vpc, &ep);
        let style = match level {
            Level::Error => t.error(),
            Level::Warn => t.warn(),
            Level::Info if op.starts_with('✓') => t.ok(),
            Level::Info => t.dim(),
        };
        f.render_widget(
            Paragraph::new(Span::styled(trunc(&op, width), style)),
            operator_area,
        );
        let lines: Vec<Line> = ours
            .iter()
            .take(shown as usize)
            .map(|x| {
                let mut x = (*x).clone();
                x.message = trunc(&x.message, width.saturating_sub(6));
                crate::tui::widgets::findings::finding_line_short(&x, t)
            })
            .collect();
        f.render_widget(Paragraph::new(lines), checks_area);

        let lw = list_area.width as usize;
        let mut sections = Sections::new(lw);
        for (i, row) in all.iter().enumerate() {
            let list = match row {
                Row::Cidr(l, _) | Row::Add(l) => Some(*l),
                Row::Offer(..) => Some(CidrList::Https),
                Row::Flag(_) => None,
            };
            match list {
                Some(CidrList::Public) => sections.heading_of(
                    "public",
                    &format!(
                        "Public allow-list (publicAccessCidrs): {}",
                        count(ep.public_access_cidrs.len(), "CIDR")
                    ),
                    t,
                ),
                Some(_) => sections.heading_of(
                    "https",
                    &format!(
                        "tcp/443 on the cluster security group from (allowHttpsFromCidrs): {}",
                        count(ep.allow_https_from_cidrs.len(), "CIDR")
                    ),
                    t,
                ),
                None => {}
            }
            sections.row(self.line(&ep, row, t, lw), i == self.cursor);
        }
        sections.render(f, list_area, &self.offset, t);
        f.render_widget(
            Paragraph::new(detail.into_iter().map(Line::from).collect::<Vec<_>>())
                .style(detail_style),
            detail_area,
        );
    }
}

/// "1 CIDR", "3 CIDRs", "no CIDR".
pub fn count(n: usize, noun: &str) -> String {
    match n {
        0 => format!("no {noun}"),
        n => super::plural(n, noun),
    }
}

pub fn access_words(private: bool, public: bool) -> &'static str {
    match (private, public) {
        (true, false) => "private only",
        (true, true) => "public and private",
        (false, true) => "public only",
        (false, false) => "neither (unreachable)",
    }
}

const BINDINGS: &[Binding] = keys::step_keys![
    on(
        Scope::Subnets,
        &[Command::Toggle],
        "toggle",
        "turn the access under the cursor on or off; remove a CIDR; add an offered one",
    ),
    on(
        Scope::Edit,
        &[Command::Edit],
        "add CIDR",
        "type a CIDR for the list under the cursor (Enter adds it, Esc leaves it)",
    ),
    on(Scope::Subnets, &[Command::Next], "next", "on to DNS"),
    on(Scope::Global, &[Command::Back], "back", "back a step"),
];

const EDIT_HINTS: &[(&str, &str)] = &[("Enter", "add"), ("Esc", "leave")];

impl WizardScreen for AccessScreen {
    fn sync(&mut self, ctx: &ScreenCtx) {
        if let Some(d) = ctx.draft
            && let Some(vpc) = ctx.inv.vpc(&d.vpc_id)
        {
            let ep = crate::spec::edit::planned_access(ctx.inv, d);
            self.clamp(rows(ctx.inv, vpc, &ep).len());
        }
    }

    fn why(&self) -> &'static str {
        WHY
    }

    fn bindings(&self) -> &'static [Binding] {
        super::unless_editing(self.editing.is_some(), BINDINGS)
    }

    fn editing(&self) -> bool {
        self.editing.is_some()
    }

    fn edit_hints(&self) -> &'static [(&'static str, &'static str)] {
        EDIT_HINTS
    }

    fn text_key(&mut self, k: KeyEvent, _ctx: &ScreenCtx) -> Option<Intent> {
        super::edit_field(&mut self.editing, &k, |(list, _), value| {
            let (bad, text) = verdict(*list, value);
            if bad {
                // Stays in the field: a CIDR EKS or the rules refuse is never written.
                return Err(Some(text));
            }
            let cidr = super::typed_cidr(value).map_err(|_| None)?;
            Ok(Some(Intent::Edit(Edit::AddCidr(*list, cidr.to_string()))))
        })
    }

    fn on_command(&mut self, cmd: Command, ctx: &ScreenCtx) -> Option<Intent> {
        let draft = ctx.draft?;
        let vpc = ctx.inv.vpc(&draft.vpc_id)?;
        let ep = crate::spec::edit::planned_access(ctx.inv, draft);
        let all = rows(ctx.inv, vpc, &ep);
        if let Some(nav) = Nav::of(cmd) {
            self.cursor = nav.apply(self.cursor, all.len(), ctx.page.max(1));
            return None;
        }
        match cmd {
            Command::Toggle => match all.get(self.cursor)? {
                Row::Flag(flag) => Some(Intent::Edit(Edit::ToggleAccess(*flag))),
                Row::Cidr(list, c) => Some(Intent::Edit(Edit::RemoveCidr(*list, c.clone()))),
                Row::Offer(c, _) => Some(Intent::Edit(Edit::AddCidr(CidrList::Https, c.clone()))),
                Row::Add(list) => {
                    self.editing = Some((*list, TextField::default()));
                    None
                }
            },
            Command::Edit => {
                let list = match all.get(self.cursor)? {
                    Row::Cidr(l, _) | Row::Add(l) => *l,
                    Row::Flag(AccessFlag::Public) if ep.public_access => CidrList::Public,
                    _ => CidrList::Https,
                };
                // The cursor goes to the field it opens.
                if let Some(i) = all.iter().position(|r| *r == Row::Add(list)) {
                    self.cursor = i;
                }
                self.editing = Some((list, TextField::default()));
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
