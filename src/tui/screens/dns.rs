//! Step 8: DNS for clients outside the cluster VPC. First whether a Route 53 Resolver is
//! needed at all (D1), then the inbound endpoint (its subnets, two AZs, and who may query
//! it), the outbound endpoint in a client VPC, and the forward rule (the cluster's API
//! hostname, the client VPCs it is associated with; never the cluster VPC, D3). What
//! already exists (an endpoint, a rule for the domain, a Route 53 Profile) is shown and
//! adopted by the plan.

use super::{Nav, ScreenCtx, WizardScreen};
use crate::inventory::{Inventory, SubnetKind, Vpc};
use crate::report::trunc;
use crate::rules::cidr::parse_v4;
use crate::rules::{Area, Severity};
use crate::spec::edit::Edit;
use crate::spec::{Dns, Spec};
use crate::tui::intent::{CidrList, DnsSide, Intent};
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

pub const WHY: &str = "Since 2019 the API hostname of a cluster with private access only \
resolves, in public DNS, to the private IPs of its endpoint: clients that can use public DNS \
and have a network path (peering, VPN, Direct Connect) need no Resolver (D1). A Resolver is \
for clients that cannot: on-prem resolvers forward the hostname to an inbound endpoint in the \
cluster VPC; client VPCs use an outbound endpoint and a FORWARD rule for exactly the API \
hostname (D5), associated with them but never with the cluster VPC, where it would loop \
(D3). Each endpoint needs two IPs in two AZs (D2), and its security group decides who may \
query it (G4).";

#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Need,
    Subnet(DnsSide, String),
    Cidr(String),
    AddCidr,
    OutVpc,
    Domain,
    Assoc(String),
}

#[derive(Debug, Clone, Default)]
pub struct DnsScreen {
    pub cursor: usize,
    offset: StdCell<usize>,
    /// The text field open: a client CIDR, or the forward rule's domain.
    pub editing: Option<(Field, TextField)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Cidr,
    Domain,
}

pub fn rows(inv: &Inventory, vpc: &Vpc, dns: Option<&Dns>) -> Vec<Row> {
    let mut out = vec![Row::Need];
    let Some(d) = dns else { return out };
    let chosen = |side: DnsSide, id: &str| match side {
        DnsSide::Inbound => d
            .inbound_endpoint
            .as_ref()
            .is_some_and(|e| e.subnet_ids.iter().any(|s| s == id)),
        DnsSide::Outbound => d
            .outbound_endpoint
            .as_ref()
            .is_some_and(|e| e.subnet_ids.iter().any(|s| s == id)),
    };
    // Inbound: the cluster VPC's private and isolated subnets (and any chosen).
    for s in &vpc.subnets {
        if s.kind != SubnetKind::Public || chosen(DnsSide::Inbound, &s.id) {
            out.push(Row::Subnet(DnsSide::Inbound, s.id.clone()));
        }
    }
    if let Some(inb) = &d.inbound_endpoint {
        out.extend(inb.allow_from_cidrs.iter().map(|c| Row::Cidr(c.clone())));
    }
    out.push(Row::AddCidr);
    out.push(Row::OutVpc);
    if let Some(client) = d
        .outbound_endpoint
        .as_ref()
        .and_then(|o| inv.vpc(&o.vpc_id))
    {
        for s in &client.subnets {
            out.push(Row::Subnet(DnsSide::Outbound, s.id.clone()));
        }
    }
    if d.forward_rule.is_some() {
        out.push(Row::Domain);
        for c in crate::spec::edit::client_vpcs(inv, vpc, dns) {
            out.push(Row::Assoc(c.id.clone()));
        }
    }
    out
}

/// What exists already and the plan adopts, or what covers the domain: one line each.
pub fn existing(inv: &Inventory, vpc: &Vpc, draft: &Spec, d: &Dns) -> Vec<String> {
    let r = &inv.resolver;
    let mut out = vec![];
    if d.inbound_endpoint.is_some()
        && let Some(e) = r.endpoint("INBOUND", &vpc.id)
    {
        let ips: Vec<&str> = e.ips.iter().map(|i| i.ip.as_str()).collect();
        out.push(format!(
            "inbound endpoint {} ({}) adopted",
            e.id,
            ips.join(", ")
        ));
    }
    if let Some(o) = &d.outbound_endpoint
        && let Some(e) = r.endpoint("OUTBOUND", &o.vpc_id)
    {
        out.push(format!(
            "outbound endpoint {} in {} adopted",
            e.id, o.vpc_id
        ));
    }
    if let Some(domain) = crate::plan::forward_domain(draft, inv)
        && let Some(x) = r.forward_rule(&domain)
    {
        let assoc: Vec<&str> = r
            .rule_associations
            .iter()
            .filter(|a| a.rule_id == x.id)
            .map(|a| a.vpc_id.as_str())
            .collect();
        out.push(format!(
            "forward rule {} for {domain} adopted{}",
            x.id,
            if assoc.is_empty() {
                String::new()
            } else {
                format!(" (associated with {})", assoc.join(", "))
            }
        ));
    }
    for p in vpc.route53_profiles.iter().flatten() {
        out.push(format!(
            "Route 53 Profile {} ({}, owner {}) is associated with {}: ask its owner whether it already forwards the API hostname",
            p.profile_id, p.name, p.owner_id, vpc.id
        ));
    }
    out
}

fn sides(d: &Dns, side: DnsSide) -> &[String] {
    match side {
        DnsSide::Inbound => d
            .inbound_endpoint
            .as_ref()
            .map_or(&[], |e| e.subnet_ids.as_slice()),
        DnsSide::Outbound => d
            .outbound_endpoint
            .as_ref()
            .map_or(&[], |e| e.subnet_ids.as_slice()),
    }
}

impl DnsScreen {
    pub fn clamp(&mut self, n: usize) {
        self.cursor = self.cursor.min(n.saturating_sub(1));
    }

    fn detail(&self, inv: &Inventory, vpc: &Vpc, draft: &Spec, row: &Row) -> String {
        let d = draft.dns.as_ref();
        match (row, d) {
            (Row::Need, None) => "No Resolver: clients resolve the API hostname in public DNS (private IPs once public access is off). Space sets one up for clients that cannot use public DNS (on-prem resolvers, VPCs with their own DNS).".into(),
            (Row::Need, Some(_)) => "A Resolver is set up. Space removes dns from the spec.".into(),
            (Row::Subnet(side, id), _) => {
                let (owner, what) = match side {
                    DnsSide::Inbound => (Some(vpc), "the inbound endpoint gets an IP here; on-prem resolvers forward the API hostname to these IPs"),
                    DnsSide::Outbound => (
                        d.and_then(|d| d.outbound_endpoint.as_ref()).and_then(|o| inv.vpc(&o.vpc_id)),
                        "the outbound endpoint gets an IP here and sends the forwarded queries from it",
                    ),
                };
                let s = owner.and_then(|v| v.subnet(id));
                match s {
                    Some(s) => format!("{id} ({}, {}, {}): {what}. Two subnets in two AZs (D2).", s.az, s.cidr, s.kind.as_str()),
                    None => id.clone(),
                }
            }
            (Row::Cidr(c), _) => match inv.resolver.endpoint("INBOUND", &vpc.id) {
                // An endpoint that exists answers only what its groups let in.
                Some(e) => {
                    let gaps = crate::rules::dns::inbound_gaps(inv, vpc, e, std::slice::from_ref(c));
                    let shut: Vec<&str> = gaps.iter().map(|(_, p)| *p).collect();
                    match (shut.is_empty(), crate::rules::dns::owned_group(draft, vpc, e)) {
                        (true, _) => format!("{c} may query the existing inbound endpoint {} on tcp+udp 53: its groups let it in (G4). Space removes it.", e.id),
                        (false, Some(g)) => format!("{c} is not yet let in on {} 53 by {g}, the group this spec made: the plan adds the rules (G4). Space removes it.", shut.join("+")),
                        (false, None) => format!("{c} is listed, but the existing inbound endpoint {}'s groups ({}) do not let it in on {} 53: its queries get no answer until they do (G4). Space removes it.", e.id, e.security_group_ids.join(", "), shut.join("+")),
                    }
                }
                None => format!("{c} may query the inbound endpoint on tcp+udp 53: the plan's group lets it in (G4). Space removes it."),
            },
            (Row::AddCidr, _) => "e types a CIDR that may query the inbound endpoint: on-prem resolvers, the client VPCs.".into(),
            (Row::OutVpc, Some(d)) => match &d.outbound_endpoint {
                Some(o) => format!("The outbound endpoint and the forward rule serve {}; Space picks the next client VPC, or none (on-prem only).", o.vpc_id),
                None => "No outbound endpoint: only on-prem resolvers forward to the inbound IPs. Space picks a client VPC (peered with this one).".into(),
            },
            (Row::Domain, Some(_)) => format!(
                "The forward rule sends exactly this name to the inbound endpoint (D5): {}. e edits it (auto: the cluster's API hostname).",
                crate::plan::forward_domain(draft, inv).unwrap_or_else(|| "auto, not known until the cluster has its endpoint".into())
            ),
            (Row::Assoc(id), _) => format!("Space associates the forward rule with {id} (or stops): its resolver then forwards the API hostname. Never the cluster VPC (D3)."),
            _ => String::new(),
        }
    }

    fn line(
        &self,
        inv: &Inventory,
        vpc: &Vpc,
        draft: &Spec,
        row: &Row,
        t: &Theme,
        width: usize,
    ) -> Line<'static> {
        let check = |on: bool| {
            if on {
                Span::styled("[x] ", t.ok())
            } else {
                Span::raw("[ ] ")
            }
        };
        let d = draft.dns.as_ref();
        match row {
            Row::Need => Line::from(vec![
                check(d.is_some()),
                Span::styled("a Route 53 Resolver for clients outside this VPC", t.bold()),
            ]),
            Row::Subnet(side, id) => {
                let owner = match side {
                    DnsSide::Inbound => Some(vpc),
                    DnsSide::Outbound => d
                        .and_then(|d| d.outbound_endpoint.as_ref())
                        .and_then(|o| inv.vpc(&o.vpc_id)),
                };
                let on = d.is_some_and(|d| sides(d, *side).iter().any(|s| s == id));
                let (az, cidr, kind) = owner
                    .and_then(|v| v.subnet(id))
                    .map(|s| (s.az.clone(), s.cidr.clone(), s.kind.as_str().to_string()))
                    .unwrap_or_default();
                // By name, as step 2 shows them; the ID when it has none.
                let label = owner
                    .and_then(|v| v.subnet(id))
                    .filter(|s| !s.name.is_empty())
                    .map_or(id.as_str(), |s| s.name.as_str());
                Line::from(vec![
                    Span::raw("    "),
                    check(on),
                    Span::raw(format!("{:<26} ", trunc(label, 26))),
                    Span::styled(
                        trunc(&format!("{az} {cidr} {kind}"), width.saturating_sub(35)),
                        t.dim(),
                    ),
                ])
            }
            Row::Cidr(c) => {
                // ✗ for a CIDR that does not parse, and for one an existing endpoint's
                // groups shut out (unless the plan lets it in on a group this spec made).
                let shut = inv
                    .resolver
                    .endpoint("INBOUND", &vpc.id)
                    .filter(|e| crate::rules::dns::owned_group(draft, vpc, e).is_none())
                    .is_some_and(|e| {
                        !crate::rules::dns::inbound_gaps(inv, vpc, e, std::slice::from_ref(c))
                            .is_empty()
                    });
                let bad = parse_v4(c).is_err() || shut;
                let mut spans = vec![
                    Span::raw("    "),
                    Span::styled(
                        if bad { "✗ " } else { "✓ " },
                        if bad { t.error() } else { t.ok() },
                    ),
                    Span::raw(trunc(c, width.saturating_sub(6))),
                ];
                if shut {
                    spans.push(Span::styled(
                        trunc(
                            "  not let in by the endpoint's groups (G4)",
                            width.saturating_sub(c.len() + 6),
                        ),
                        t.dim(),
                    ));
                }
                Line::from(spans)
            }
            Row::AddCidr => match &self.editing {
                Some((Field::Cidr, input)) => Line::from(vec![
                    Span::raw("    "),
                    Span::styled(input.shown(), t.bold()),
                ]),
                _ => Line::from(Span::styled("    e adds a client CIDR", t.dim())),
            },
            Row::OutVpc => {
                let text = match d.and_then(|d| d.outbound_endpoint.as_ref()) {
                    Some(o) => {
                        let name = inv
                            .vpc(&o.vpc_id)
                            .map(|v| v.name.clone())
                            .unwrap_or_default();
                        format!(
                            "{}{}",
                            o.vpc_id,
                            if name.is_empty() {
                                String::new()
                            } else {
                                format!(" ({name})")
                            }
                        )
                    }
                    None => "none (on-prem forwards to the inbound IPs)".into(),
                };
                Line::from(vec![
                    Span::raw("    "),
                    Span::styled("client VPC ", t.bold()),
                    Span::raw(trunc(&text, width.saturating_sub(15))),
                ])
            }
            Row::Domain => {
                let text = match (&self.editing, d) {
                    (Some((Field::Domain, input)), _) => input.shown(),
                    (_, Some(d)) => {
                        let fr = d
                            .forward_rule
                            .as_ref()
                            .map(|f| f.domain.clone())
                            .unwrap_or_default();
                        match crate::plan::forward_domain(draft, inv) {
                            Some(h) if fr == "auto" => format!("auto = {h}"),
                            Some(h) => h,
                            None => fr,
                        }
                    }
                    _ => String::new(),
                };
                Line::from(vec![
                    Span::raw("    "),
                    Span::styled("domain ", t.bold()),
                    Span::raw(trunc(&text, width.saturating_sub(11))),
                ])
            }
            Row::Assoc(id) => {
                let on = d
                    .and_then(|d| d.forward_rule.as_ref())
                    .is_some_and(|f| f.associate_vpc_ids.iter().any(|v| v == id));
                let name = inv.vpc(id).map(|v| v.name.clone()).unwrap_or_default();
                Line::from(vec![
                    Span::raw("    "),
                    check(on),
                    Span::raw(format!("{:<22} ", trunc(id, 22))),
                    Span::styled(trunc(&name, width.saturating_sub(31)), t.dim()),
                ])
            }
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ctx: &ScreenCtx) {
        let t = ctx.theme;
        let inv = ctx.inv;
        let Some((vpc, draft)) = super::ready(f, area, ctx, None) else {
            return;
        };
        let width = area.width as usize;
        let dns = draft.dns.as_ref();
        // D1 (whether anyone needs a Resolver) shows even as information.
        let mut ours = crate::tui::steps::inline(Step::Dns, ctx.findings);
        ours.extend(
            ctx.findings
                .iter()
                .filter(|x| x.area == Area::Dns && x.severity == Severity::Info && x.id == "D1"),
        );
        let shown = ours.len().min(2) as u16;
        let have = dns
            .map(|d| existing(inv, vpc, draft, d))
            .unwrap_or_default();
        let have_lines = have.len().min(2) as u16;
        let all = rows(inv, vpc, dns);
        let mut detail = all
            .get(self.cursor)
            .map(|row| wrap(&self.detail(inv, vpc, draft, row), width, 3))
            .unwrap_or_default();
        let mut detail_style = t.dim();
        if let Some((field, input)) = &self.editing {
            let (bad, text) = verdict(*field, input.value());
            detail = wrap(&text, width, 3);
            if bad {
                detail_style = t.error();
            }
        }
        let [intro, checks_area, have_area, list_area, detail_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(shown),
            Constraint::Length(have_lines),
            Constraint::Min(3),
            Constraint::Length(detail.len() as u16),
        ])
        .areas(area);
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("DNS: does anyone need a Resolver? ", t.bold()),
                Span::styled(
                    trunc("Space toggles; ? explains.", width.saturating_sub(35)),
                    t.dim(),
                ),
            ])),
            intro,
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
        let lines: Vec<Line> = have
            .iter()
            .take(have_lines as usize)
            .map(|h| Line::from(Span::styled(trunc(&format!("= {h}"), width), t.ok())))
            .collect();
        f.render_widget(Paragraph::new(lines), have_area);

        let lw = list_area.width as usize;
        let mut list = Sections::new(lw);
        for (i, row) in all.iter().enumerate() {
            let title = match row {
                Row::Need => None,
                Row::Subnet(DnsSide::Inbound, _) => {
                    Some("Inbound endpoint in this VPC: subnets (2 AZs)")
                }
                Row::Cidr(_) | Row::AddCidr => Some("May query it (tcp+udp 53)"),
                Row::OutVpc | Row::Subnet(DnsSide::Outbound, _) => {
                    Some("Outbound endpoint in a client VPC")
                }
                Row::Domain | Row::Assoc(_) => {
                    Some("Forward rule: the name, and the VPCs that use it")
                }
            };
            if let Some(title) = title {
                let count = dns.map(|d| match row {
                    Row::Subnet(side, _) => format!(": {} chosen", sides(d, *side).len()),
                    _ => String::new(),
                });
                list.heading_of(title, &format!("{title}{}", count.unwrap_or_default()), t);
            }
            list.row(self.line(inv, vpc, draft, row, t, lw), i == self.cursor);
        }
        list.render(f, list_area, &self.offset, t);
        f.render_widget(
            Paragraph::new(detail.into_iter().map(Line::from).collect::<Vec<_>>())
                .style(detail_style),
            detail_area,
        );
    }
}

/// What is wrong with a typed value, if anything: (refused, message).
pub fn verdict(field: Field, text: &str) -> (bool, String) {
    match field {
        Field::Cidr => match super::typed_cidr(text) {
            Err(e) => (true, format!("✗ {e}")),
            Ok(n) if n.prefix_len() == 0 => (true, "✗ 0.0.0.0/0 would let anyone query the inbound endpoint (G4): list the clients' CIDRs".into()),
            Ok(n) => (false, format!("✓ {n} · Enter adds it, Esc leaves it")),
        },
        Field::Domain => {
            let d = text.trim().trim_end_matches('.');
            if d == "auto" {
                return (false, "✓ auto: the cluster's API hostname · Enter keeps it".into());
            }
            let ok = !d.is_empty()
                && d.len() <= 253
                && d.split('.').count() >= 2
                && d.split('.').all(|l| {
                    !l.is_empty()
                        && l.len() <= 63
                        && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                        && !l.starts_with('-')
                        && !l.ends_with('-')
                });
            if ok {
                (false, format!("✓ {} · Enter keeps it (D5 says if it is not the API hostname)", d.to_lowercase()))
            } else {
                (true, "✗ not a domain name: labels of letters, digits and hyphens, dot-separated (or auto)".into())
            }
        }
    }
}

const BINDINGS: &[Binding] = keys::step_keys![
    on(
        Scope::Subnets,
        &[Command::Toggle],
        "toggle",
        "the Resolver on or off; a subnet, client CIDR or VPC in or out; the next client VPC",
    ),
    on(
        Scope::Edit,
        &[Command::Edit],
        "edit",
        "type a client CIDR, or the forward rule's domain (Enter keeps it, Esc leaves it)",
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
        "back to endpoint access",
    ),
];

impl WizardScreen for DnsScreen {
    fn sync(&mut self, ctx: &ScreenCtx) {
        if let Some(d) = ctx.draft
            && let Some(vpc) = ctx.inv.vpc(&d.vpc_id)
        {
            self.clamp(rows(ctx.inv, vpc, d.dns.as_ref()).len());
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

    fn text_key(&mut self, k: KeyEvent, _ctx: &ScreenCtx) -> Option<Intent> {
        super::edit_field(&mut self.editing, &k, |(field, _), value| {
            let (bad, text) = verdict(*field, value);
            if bad {
                return Err(Some(text.trim_start_matches("✗ ").to_string()));
            }
            let value = value.trim();
            Ok(Some(match field {
                Field::Cidr => Intent::Edit(Edit::AddCidr(
                    CidrList::DnsClients,
                    super::typed_cidr(value).map_err(|_| None)?.to_string(),
                )),
                Field::Domain => Intent::Edit(Edit::SetForwardDomain(
                    value.trim_end_matches('.').to_lowercase(),
                )),
            }))
        })
    }

    fn on_command(&mut self, cmd: Command, ctx: &ScreenCtx) -> Option<Intent> {
        let draft = ctx.draft?;
        let vpc = ctx.inv.vpc(&draft.vpc_id)?;
        let all = rows(ctx.inv, vpc, draft.dns.as_ref());
        if let Some(nav) = Nav::of(cmd) {
            self.cursor = nav.apply(self.cursor, all.len(), ctx.page.max(1));
            return None;
        }
        match cmd {
            Command::Toggle => match all.get(self.cursor)? {
                Row::Need => Some(Intent::Edit(Edit::ToggleDns)),
                Row::Subnet(side, id) => {
                    Some(Intent::Edit(Edit::ToggleDnsSubnet(*side, id.clone())))
                }
                Row::Cidr(c) => Some(Intent::Edit(Edit::RemoveCidr(
                    CidrList::DnsClients,
                    c.clone(),
                ))),
                Row::AddCidr => {
                    self.editing = Some((Field::Cidr, TextField::default()));
                    None
                }
                Row::OutVpc => Some(Intent::Edit(Edit::CycleOutboundVpc)),
                Row::Domain => {
                    let current = draft.dns.as_ref()?.forward_rule.as_ref()?.domain.clone();
                    self.editing = Some((Field::Domain, TextField::new(current)));
                    None
                }
                Row::Assoc(id) => Some(Intent::Edit(Edit::ToggleAssociation(id.clone()))),
            },
            Command::Edit => {
                draft.dns.as_ref()?;
                match all.get(self.cursor)? {
                    Row::Domain => {
                        let current = draft.dns.as_ref()?.forward_rule.as_ref()?.domain.clone();
                        self.editing = Some((Field::Domain, TextField::new(current)));
                    }
                    _ => {
                        if let Some(i) = all.iter().position(|r| *r == Row::AddCidr) {
                            self.cursor = i;
                        }
                        self.editing = Some((Field::Cidr, TextField::default()));
                    }
                }
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
