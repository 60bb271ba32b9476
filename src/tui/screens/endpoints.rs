//! Step 3: the VPC endpoints. The features the cluster runs (each checks the services it
//! needs), the services from the endpoint catalogue (assets/endpoints.toml) with what needs
//! each, whether the region offers it in the node AZs and whether one exists already
//! (adopted), the private-DNS choice, and the route tables the S3 gateway goes on.

use super::{Nav, ScreenCtx, WizardScreen};
use crate::inventory::{Inventory, Vpc};
use crate::report::trunc;
use crate::spec::Spec;
use crate::spec::edit::Edit;
use crate::spec::services::{Feature, catalogue};
use crate::tui::intent::Intent;
use crate::tui::keys::{self, Binding, Command, Scope, on};
use crate::tui::steps::Step;
use crate::tui::theme::Theme;
use crate::tui::widgets::sections::Sections;
use crate::tui::widgets::step_header::StepHeader;
use crate::tui::widgets::wrap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use std::cell::Cell as StdCell;

pub const WHY: &str = "Nodes with no internet path reach AWS APIs only through VPC endpoints: \
an interface endpoint per service (ENIs in the node subnets, tcp/443) and the free S3 gateway \
on the node subnets' route tables (image layers). The base set (ec2, ecr.api, ecr.dkr, s3, \
sts) serves every private cluster (P7); each feature the cluster runs adds the services its \
controllers call (P9). An endpoint that exists is adopted, not made again (P3), and only AZs \
the service supports get one (P2). Private DNS lets pods keep the public service names.";

#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Feature(usize),
    Service(String),
    PrivateDns,
    RouteTable(String),
}

#[derive(Debug, Clone, Default)]
pub struct EndpointsScreen {
    pub cursor: usize,
    offset: StdCell<usize>,
}

/// The services the screen lists: the catalogue's, then any other the spec names.
fn services(draft: Option<&Spec>) -> Vec<String> {
    let mut out: Vec<String> = catalogue()
        .services
        .iter()
        .map(|s| s.name.clone())
        .collect();
    if let Some(ep) = draft.and_then(|d| d.endpoints.as_ref()) {
        for s in &ep.services {
            if !out.contains(s) {
                out.push(s.clone());
            }
        }
    }
    out
}

/// Every row, in order (headings are drawn between sections, not rows).
pub fn rows(inv: &Inventory, draft: Option<&Spec>) -> Vec<Row> {
    let mut rows: Vec<Row> = (0..catalogue().features.len()).map(Row::Feature).collect();
    rows.extend(services(draft).into_iter().map(Row::Service));
    rows.push(Row::PrivateDns);
    let s3 = draft
        .and_then(|d| d.endpoints.as_ref())
        .is_some_and(|e| e.services.iter().any(|s| s == "s3"));
    if s3 && let Some(vpc) = draft.and_then(|d| inv.vpc(&d.vpc_id)) {
        rows.extend(
            vpc.route_tables
                .iter()
                .map(|t| Row::RouteTable(t.id.clone())),
        );
    }
    rows
}

fn checked(draft: Option<&Spec>, svc: &str) -> bool {
    draft
        .and_then(|d| d.endpoints.as_ref())
        .is_some_and(|e| e.services.iter().any(|s| s == svc))
}

fn feature_on(draft: Option<&Spec>, f: &Feature) -> bool {
    draft
        .and_then(|d| d.endpoints.as_ref())
        .is_some_and(|e| e.features.contains(&f.id))
}

/// An endpoint of the VPC for the service, not being deleted.
fn existing<'a>(vpc: &'a Vpc, svc: &str) -> Option<&'a crate::inventory::Endpoint> {
    vpc.endpoints
        .iter()
        .find(|e| e.service == svc && e.state.is_usable())
}

/// What the region and the VPC say about a service: (text, is it a problem). The AZ count
/// is of the node AZs: those an existing endpoint has a subnet in, else those the service
/// is offered in.
fn service_status(inv: &Inventory, vpc: &Vpc, draft: &Spec, svc: &str) -> (String, bool) {
    if !inv.offers(svc) {
        return (format!("not offered in {}", inv.region), true);
    }
    let n = draft.node_subnets.len();
    let count = |azs: &[&str]| {
        draft
            .node_subnets
            .keys()
            .filter(|az| azs.contains(&az.as_str()))
            .count()
    };
    let mut parts = vec![];
    let mut short = false;
    if let Some(e) = existing(vpc, svc) {
        parts.push(
            if checked(Some(draft), svc) {
                "exists, adopted"
            } else {
                "exists"
            }
            .to_string(),
        );
        if svc != "s3" && n > 0 {
            let azs: Vec<&str> = e
                .subnet_ids
                .iter()
                .filter_map(|id| vpc.subnet(id))
                .map(|s| s.az.as_str())
                .collect();
            let ok = count(&azs);
            short = ok < n;
            parts.push(format!("AZs {ok}/{n}"));
        }
    } else if let Some(es) = inv
        .endpoint_services
        .iter()
        .find(|e| e.service == svc && !e.availability_zones.is_empty())
        && svc != "s3"
        && n > 0
    {
        let azs: Vec<&str> = es.availability_zones.iter().map(String::as_str).collect();
        let ok = count(&azs);
        short = ok < n;
        parts.push(format!("AZs {ok}/{n}"));
    }
    if svc == "s3" {
        parts.push("gateway".into());
    }
    (parts.join(" · "), short)
}

impl EndpointsScreen {
    pub fn clamp(&mut self, inv: &Inventory, draft: Option<&Spec>) {
        let n = rows(inv, draft).len();
        self.cursor = self.cursor.min(n.saturating_sub(1));
    }

    /// The whole text of the row under the cursor (the list cuts it to the width).
    fn detail(&self, inv: &Inventory, vpc: &Vpc, draft: &Spec, row: &Row) -> String {
        let cat = catalogue();
        match row {
            Row::Feature(i) => {
                let f = &cat.features[*i];
                let mut text = format!("{}: needs {}.", f.title, f.services.join(", "));
                if !f.note.is_empty() {
                    text.push_str(&format!(" Also: {}.", f.note));
                }
                text
            }
            Row::Service(svc) => {
                let why = cat
                    .service(svc)
                    .map(|s| s.why.clone())
                    .unwrap_or_else(|| "not in the catalogue: listed in the spec".into());
                let mut text = format!("{svc}: {why}.");
                let needed: Vec<&str> = cat
                    .features
                    .iter()
                    .filter(|f| f.services.contains(svc))
                    .map(|f| f.title.as_str())
                    .collect();
                if cat.service(svc).is_some_and(|s| s.base) {
                    text.push_str(" Base set: every private cluster needs it.");
                } else if !needed.is_empty() {
                    text.push_str(&format!(" Needed by: {}.", needed.join(", ")));
                }
                if let Some(es) = inv.endpoint_services.iter().find(|e| &e.service == svc)
                    && svc != "s3"
                    && !es.availability_zones.is_empty()
                {
                    let missing: Vec<&str> = draft
                        .node_subnets
                        .keys()
                        .filter(|az| !es.availability_zones.contains(az))
                        .map(String::as_str)
                        .collect();
                    text.push_str(&format!(
                        " Offered in {}{}.",
                        es.availability_zones.join(", "),
                        if missing.is_empty() {
                            String::new()
                        } else {
                            format!(" (not in {}: nodes there cross AZs)", missing.join(", "))
                        }
                    ));
                }
                if let Some(e) = existing(vpc, svc) {
                    text.push_str(&format!(
                        " {} exists ({}): adopted as it is.",
                        e.id,
                        e.state.as_str()
                    ));
                }
                text
            }
            Row::PrivateDns => {
                "Private DNS: on, pods call the usual service names (sts.REGION.amazonaws.com) and reach the endpoints; off, self-managed DNS: the CNAME records for each endpoint are exported later, and every client must use them.".into()
            }
            Row::RouteTable(id) => {
                let auto = crate::spec::edit::automatic_tables(vpc, draft);
                let name = vpc
                    .route_tables
                    .iter()
                    .find(|t| &t.id == id)
                    .map(|t| t.name.clone())
                    .unwrap_or_default();
                let what = if let Some((_, azs)) = auto.iter().find(|(r, _)| r == id) {
                    format!(
                        "the node subnets' route table in {azs} (the pod subnets there use it too): always covered"
                    )
                } else if draft
                    .endpoints
                    .as_ref()
                    .is_some_and(|e| e.extra_route_table_ids.contains(id))
                {
                    "an extra route table: the S3 gateway goes on it too (Space removes it)".into()
                } else {
                    "not covered (Space adds it: subnets on it reach S3 through the gateway)".into()
                };
                format!("{id}{}: {what}.", if name.is_empty() { String::new() } else { format!(" ({name})") })
            }
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ctx: &ScreenCtx) {
        let t = ctx.theme;
        let inv = ctx.inv;
        let Some((vpc, draft)) = super::ready(
            f,
            area,
            ctx,
            Some("Reading the VPC's endpoints and route tables…"),
        ) else {
            return;
        };
        let ours = crate::tui::steps::inline(Step::Endpoints, ctx.findings);
        let all = rows(inv, Some(draft));
        // The cursor row's whole text, word-wrapped: at most 4 lines (… when cut).
        let detail = all
            .get(self.cursor)
            .map(|row| wrap(&self.detail(inv, vpc, draft, row), area.width as usize, 4))
            .unwrap_or_default();
        let mut header = StepHeader::new(
            "VPC endpoints: how nodes reach AWS APIs. ",
            "Space toggles; ? explains.",
            ours,
            t,
        );
        header.status = vec![status_line(draft, t)];
        header.more = true;
        header.detail = detail;
        let list_area = header.render(f, area, t);

        let width = list_area.width as usize;
        let mut list = Sections::new(width);
        for (i, row) in all.iter().enumerate() {
            let heading = match row {
                Row::Feature(_) => "Features: what the cluster runs (Space checks what it needs)",
                Row::Service(_) => "Services",
                Row::PrivateDns => "DNS",
                Row::RouteTable(_) => "S3 gateway route tables",
            };
            list.heading(heading, t);
            list.row(
                self.row_line(inv, vpc, draft, row, t, width),
                i == self.cursor,
            );
        }
        list.render(f, list_area, &self.offset, t);
    }

    fn row_line(
        &self,
        inv: &Inventory,
        vpc: &Vpc,
        draft: &Spec,
        row: &Row,
        t: &Theme,
        width: usize,
    ) -> Line<'static> {
        let cat = catalogue();
        let mark = |on: bool| {
            if on {
                Span::styled("[x] ", t.ok())
            } else {
                Span::raw("[ ] ")
            }
        };
        let wide = width >= 110;
        match row {
            Row::Feature(i) => {
                let f = &cat.features[*i];
                let name_w = if wide { 50 } else { 36 };
                let rest = width.saturating_sub(4 + name_w + 1);
                Line::from(vec![
                    mark(feature_on(Some(draft), f)),
                    Span::raw(format!("{:<name_w$} ", trunc(&f.title, name_w))),
                    Span::styled(trunc(&f.services.join(" "), rest), t.dim()),
                ])
            }
            Row::Service(svc) => {
                let on = checked(Some(draft), svc);
                let (status, bad) = service_status(inv, vpc, draft, svc);
                let (name_w, status_w) = if wide { (22, 32) } else { (20, 25) };
                let rest = width.saturating_sub(4 + name_w + 1 + status_w + 1);
                let why = cat
                    .service(svc)
                    .map(|s| s.why.as_str())
                    .unwrap_or("(from the spec)");
                let status_style = if bad {
                    t.warn()
                } else if status.starts_with("exists") {
                    t.ok()
                } else {
                    Style::default()
                };
                let m = if !inv.offers(svc) && !on {
                    Span::styled(" -  ", t.dim())
                } else {
                    mark(on)
                };
                Line::from(vec![
                    m,
                    Span::raw(format!("{:<name_w$} ", trunc(svc, name_w))),
                    Span::styled(
                        format!("{:<status_w$} ", trunc(&status, status_w)),
                        status_style,
                    ),
                    Span::styled(trunc(why, rest), t.dim()),
                ])
            }
            Row::PrivateDns => {
                let on = draft.endpoints.as_ref().is_none_or(|e| e.private_dns);
                Line::from(vec![
                    mark(on),
                    Span::raw(trunc(
                        if on {
                            "private DNS names on the interface endpoints"
                        } else {
                            "private DNS off: self-managed DNS (CNAME records exported later)"
                        },
                        width.saturating_sub(4),
                    )),
                ])
            }
            Row::RouteTable(id) => {
                let auto = crate::spec::edit::automatic_tables(vpc, draft);
                let extra = draft
                    .endpoints
                    .as_ref()
                    .is_some_and(|e| e.extra_route_table_ids.contains(id));
                let table = vpc.route_tables.iter().find(|r| &r.id == id);
                let name = table.map(|r| r.name.as_str()).unwrap_or("");
                let main = table.is_some_and(|r| r.main);
                let pods = draft
                    .secondary_cidr
                    .as_ref()
                    .is_some_and(|s| !s.pod_subnets.is_empty());
                let (m, what) = match auto.iter().find(|(r, _)| r == id) {
                    Some((_, azs)) if pods => (
                        Span::styled("[=] ", t.ok()),
                        format!("node + pod subnets {azs}"),
                    ),
                    Some((_, azs)) => (Span::styled("[=] ", t.ok()), format!("node subnets {azs}")),
                    None if extra => (mark(true), "extra".into()),
                    None => (mark(false), String::new()),
                };
                let id_w = 22;
                let name_w = if wide { 30 } else { 24 };
                let rest = width.saturating_sub(4 + id_w + 1 + name_w + 1);
                let what = if main {
                    format!("{what} (main)").trim().to_string()
                } else {
                    what
                };
                Line::from(vec![
                    m,
                    Span::raw(format!("{:<id_w$} ", trunc(id, id_w))),
                    Span::raw(format!("{:<name_w$} ", trunc(name, name_w))),
                    Span::styled(trunc(&what, rest), t.dim()),
                ])
            }
        }
    }
}

fn status_line(draft: &Spec, t: &Theme) -> Line<'static> {
    let Some(ep) = &draft.endpoints else {
        return Line::from(Span::styled(
            "! no endpoints in the spec: nodes without egress cannot pull images (P7)",
            t.warn(),
        ));
    };
    let base: Vec<&str> = catalogue().base().collect();
    let missing = base
        .iter()
        .filter(|b| !ep.services.iter().any(|s| s == *b))
        .count();
    let (sym, style) = if missing == 0 {
        ("✓", t.ok())
    } else {
        ("!", t.warn())
    };
    let group = match (&ep.security_group.id, &ep.security_group.create) {
        (Some(id), _) => format!("group {id}"),
        (None, Some(c)) => format!("new group {}", c.name),
        (None, None) => "no group".into(),
    };
    Line::from(vec![
        Span::styled(
            format!(
                "{sym} {} services{}",
                ep.services.len(),
                if missing == 0 {
                    String::new()
                } else {
                    format!(" ({missing} of the base set missing)")
                }
            ),
            style,
        ),
        Span::raw(format!(
            " · {} features · private DNS {} · {group}",
            ep.features.len(),
            if ep.private_dns { "on" } else { "off" }
        )),
    ])
}

const BINDINGS: &[Binding] = keys::step_keys![
    on(
        Scope::Subnets,
        &[Command::Toggle],
        "toggle",
        "turn the row under the cursor on or off",
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
        "back to the node subnets",
    ),
];

impl WizardScreen for EndpointsScreen {
    fn sync(&mut self, ctx: &ScreenCtx) {
        self.clamp(ctx.inv, ctx.draft);
    }

    fn why(&self) -> &'static str {
        WHY
    }

    fn bindings(&self) -> &'static [Binding] {
        BINDINGS
    }

    fn on_command(&mut self, cmd: Command, ctx: &ScreenCtx) -> Option<Intent> {
        let all = rows(ctx.inv, ctx.draft);
        if let Some(nav) = Nav::of(cmd) {
            self.cursor = nav.apply(self.cursor, all.len(), ctx.page.max(1));
            return None;
        }
        match cmd {
            Command::Toggle => Some(match all.get(self.cursor)? {
                Row::Feature(i) => {
                    Intent::Edit(Edit::ToggleFeature(catalogue().features[*i].id.clone()))
                }
                Row::Service(s) => Intent::Edit(Edit::ToggleService(s.clone())),
                Row::PrivateDns => Intent::Edit(Edit::TogglePrivateDns),
                Row::RouteTable(id) => Intent::Edit(Edit::ToggleRouteTable(id.clone())),
            }),
            Command::Next => Some(Intent::Next),
            _ => None,
        }
    }

    fn render(&self, f: &mut Frame, area: Rect, ctx: &ScreenCtx) {
        self.draw(f, area, ctx);
    }
}
