//! Step 4: the endpoints' security group. Create one (its name editable, the tcp/443 rules
//! it gets listed: one per VPC CIDR, the planned secondary one included) or use a group of
//! the VPC (its rules shown; the CIDRs it lacks, which the plan adds, and 0.0.0.0/0, which
//! the plan refuses, flagged).

use super::{Nav, ScreenCtx, WizardScreen};
use crate::inventory::{Inventory, SecurityGroup, SgRule, Vpc};
use crate::report::trunc;
use crate::rules::names::security_group_name;
use crate::spec::Spec;
use crate::spec::edit::Edit;
use crate::tui::intent::Intent;
use crate::tui::keys::{self, Binding, Command, Scope, on};
use crate::tui::steps::Step;
use crate::tui::theme::Theme;
use crate::tui::widgets::TextField;
use crate::tui::widgets::sections::Sections;
use crate::tui::widgets::step_header::StepHeader;
use crate::tui::widgets::wrap;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use std::cell::Cell as StdCell;

pub const WHY: &str = "Every interface endpoint has network interfaces in the node subnets, \
and its security group decides who may call it: tcp/443 from every VPC CIDR, the secondary \
one too, because pods on 100.64.x.x call endpoints with their own addresses (G1). Without \
an explicit group an endpoint gets the VPC's default group (G2), and 0.0.0.0/0 is never \
needed (G2). A group you pick keeps its rules; the plan adds the tcp/443 rules it lacks.";

#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Create,
    Existing(String),
}

#[derive(Debug, Clone, Default)]
pub struct GroupScreen {
    pub cursor: usize,
    offset: StdCell<usize>,
    /// The new group's name being typed (`e`).
    pub editing: Option<TextField>,
}

/// Whether `g` already lets `cidr` in as the plan judges it (rule G1).
fn admits(inv: &Inventory, vpc: &Vpc, draft: &Spec, g: &SecurityGroup, cidr: &str) -> bool {
    crate::rules::senders::spec_admits(inv, draft, vpc, g, cidr)
}

/// The CIDRs the group must let in on tcp/443, each with what it is.
pub fn required_cidrs(vpc: &Vpc, draft: &Spec) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = vpc
        .active_cidrs()
        .enumerate()
        .map(|(i, c)| (c.to_string(), if i == 0 { "VPC" } else { "VPC, secondary" }))
        .collect();
    if let Some(sec) = &draft.secondary_cidr
        && !out.iter().any(|(c, _)| *c == sec.cidr)
    {
        out.push((sec.cidr.clone(), "secondary, planned"));
    }
    out
}

pub fn rows(vpc: &Vpc) -> Vec<Row> {
    std::iter::once(Row::Create)
        .chain(
            vpc.security_groups
                .iter()
                .map(|g| Row::Existing(g.id.clone())),
        )
        .collect()
}

fn open_to_world(g: &SecurityGroup) -> bool {
    g.ingress
        .iter()
        .any(|r| r.cidrs.iter().any(|c| c == "0.0.0.0/0"))
}

fn rule_text(r: &SgRule) -> String {
    let ports = match (r.protocol.as_str(), r.from_port, r.to_port) {
        ("-1", _, _) => "all traffic".to_string(),
        (p, Some(a), Some(b)) if a == b => format!("{p}/{a}"),
        (p, Some(a), Some(b)) => format!("{p}/{a}-{b}"),
        (p, _, _) => p.to_string(),
    };
    let from: Vec<String> = r
        .cidrs
        .iter()
        .chain(&r.ipv6_cidrs)
        .chain(&r.group_ids)
        .chain(&r.prefix_list_ids)
        .cloned()
        .collect();
    format!("{ports} from {}", from.join(", "))
}

impl GroupScreen {
    pub fn clamp(&mut self, vpc: Option<&Vpc>) {
        let n = vpc.map_or(1, |v| rows(v).len());
        self.cursor = self.cursor.min(n.saturating_sub(1));
    }

    /// The name a new group gets: the spec's, else the default for the spec's name.
    fn new_name(draft: &Spec) -> String {
        draft
            .endpoints
            .as_ref()
            .and_then(|e| e.security_group.create.as_ref())
            .map(|c| c.name.clone())
            .unwrap_or_else(|| format!("{}-endpoints", draft.metadata.name))
    }

    fn detail(&self, inv: &Inventory, vpc: &Vpc, draft: &Spec, row: &Row) -> String {
        let need = required_cidrs(vpc, draft);
        match row {
            Row::Create => {
                let rules: Vec<String> = need
                    .iter()
                    .map(|(c, what)| format!("tcp/443 from {c} ({what})"))
                    .collect();
                format!(
                    "Creates {:?} in {} with {}; no other ingress. e edits the name.",
                    Self::new_name(draft),
                    vpc.id,
                    rules.join(", ")
                )
            }
            Row::Existing(id) => {
                let Some(g) = vpc.security_groups.iter().find(|g| &g.id == id) else {
                    return id.clone();
                };
                let mut text = format!("{id} ({}): ", g.name);
                if g.ingress.is_empty() {
                    text.push_str("no ingress rules. ");
                } else {
                    let rules: Vec<String> = g.ingress.iter().map(rule_text).collect();
                    text.push_str(&format!("ingress {}. ", rules.join("; ")));
                }
                let missing: Vec<&str> = need
                    .iter()
                    .filter(|(c, _)| !admits(inv, vpc, draft, g, c))
                    .map(|(c, _)| c.as_str())
                    .collect();
                if !missing.is_empty() {
                    text.push_str(&format!(
                        "The plan adds tcp/443 from {}. ",
                        missing.join(", ")
                    ));
                }
                if open_to_world(g) {
                    text.push_str("It accepts 0.0.0.0/0: the plan refuses it until that rule is removed (G2).");
                }
                text
            }
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
        let choice = draft.endpoints.as_ref().map(|e| &e.security_group);
        let need = required_cidrs(vpc, draft);
        let mark = |on: bool| {
            if on {
                Span::styled("(•) ", t.ok())
            } else {
                Span::raw("( ) ")
            }
        };
        let name_w = if width >= 110 { 40 } else { 24 };
        match row {
            Row::Create => {
                let on = choice.is_some_and(|c| c.id.is_none() && c.create.is_some());
                let name = match &self.editing {
                    Some(input) => input.shown(),
                    None => Self::new_name(draft),
                };
                let rest = width.saturating_sub(4 + 22 + 1 + name_w + 1);
                Line::from(vec![
                    mark(on),
                    Span::styled(format!("{:<22} ", "new group"), t.bold()),
                    Span::raw(format!("{:<name_w$} ", trunc(&name, name_w))),
                    Span::styled(
                        trunc(
                            &format!("+ {}", super::plural(need.len(), "tcp/443 rule")),
                            rest,
                        ),
                        t.dim(),
                    ),
                ])
            }
            Row::Existing(id) => {
                let Some(g) = vpc.security_groups.iter().find(|g| &g.id == id) else {
                    return Line::from(id.clone());
                };
                let on = choice.is_some_and(|c| c.id.as_deref() == Some(id.as_str()));
                let ok = need
                    .iter()
                    .filter(|(c, _)| admits(inv, vpc, draft, g, c))
                    .count();
                let (status, style) = if open_to_world(g) {
                    ("✗ accepts 0.0.0.0/0".to_string(), t.error())
                } else if ok == need.len() {
                    (
                        format!("✓ 443 from all {}", super::plural(need.len(), "CIDR")),
                        t.ok(),
                    )
                } else {
                    (
                        format!(
                            "! {ok} of {} CIDRs: +{}",
                            need.len(),
                            super::plural(need.len() - ok, "rule")
                        ),
                        t.warn(),
                    )
                };
                let rest = width.saturating_sub(4 + 22 + 1 + name_w + 1);
                Line::from(vec![
                    mark(on),
                    Span::raw(format!("{:<22} ", trunc(id, 22))),
                    Span::raw(format!("{:<name_w$} ", trunc(&g.name, name_w))),
                    Span::styled(trunc(&status, rest), style),
                ])
            }
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ctx: &ScreenCtx) {
        let t = ctx.theme;
        let inv = ctx.inv;
        let Some((vpc, draft)) =
            super::ready(f, area, ctx, Some("Reading the VPC's security groups…"))
        else {
            return;
        };
        let ours = crate::tui::steps::inline(Step::Group, ctx.findings);
        let all = rows(vpc);
        let mut detail = all
            .get(self.cursor)
            .map(|row| wrap(&self.detail(inv, vpc, draft, row), area.width as usize, 4))
            .unwrap_or_default();
        // While typing: what AWS would say about the name, as it is typed.
        if let Some(input) = &self.editing {
            let verdict = match security_group_name(input.value()) {
                Some(problem) => format!("✗ {problem}"),
                None => "✓ a valid group name · Enter keeps it, Esc leaves it".into(),
            };
            detail = wrap(&verdict, area.width as usize, 4);
        }
        let mut header = StepHeader::new(
            "Endpoints' security group: 443 from every VPC CIDR. ",
            "Space picks; ? explains.",
            ours,
            t,
        );
        header.status = vec![status_line(inv, vpc, draft, t)];
        header.detail = detail;
        header.detail_style = match &self.editing {
            Some(input) if security_group_name(input.value()).is_some() => t.error(),
            _ => t.dim(),
        };
        let list_area = header.render(f, area, t);
        let width = list_area.width as usize;
        let mut list = Sections::new(width);
        let other = format!("Or use a group of {}", vpc.id);
        for (i, row) in all.iter().enumerate() {
            list.heading(if i == 0 { "Create" } else { &other }, t);
            list.row(self.line(inv, vpc, draft, row, t, width), i == self.cursor);
        }
        list.render(f, list_area, &self.offset, t);
    }
}

fn status_line(inv: &Inventory, vpc: &Vpc, draft: &Spec, t: &Theme) -> Line<'static> {
    let need = required_cidrs(vpc, draft);
    let Some(ep) = &draft.endpoints else {
        return Line::from(Span::styled(
            "! no endpoints in the spec: choose them first (Esc)",
            t.warn(),
        ));
    };
    let text = match (&ep.security_group.id, &ep.security_group.create) {
        (Some(id), None) => {
            let adds = vpc
                .security_groups
                .iter()
                .find(|g| &g.id == id)
                .map(|g| {
                    need.iter()
                        .filter(|(c, _)| !admits(inv, vpc, draft, g, c))
                        .count()
                })
                .unwrap_or(0);
            format!(
                "✓ use {id} · the plan adds {}",
                super::plural(adds, "tcp/443 rule")
            )
        }
        (None, Some(c)) => format!(
            "✓ create {} · {}",
            c.name,
            super::plural(need.len(), "tcp/443 rule")
        ),
        _ => "! choose one group (G2)".into(),
    };
    let style = if text.starts_with('✓') {
        t.ok()
    } else {
        t.warn()
    };
    Line::from(vec![
        Span::styled(text, style),
        Span::styled(
            format!(
                " · from {}",
                need.iter()
                    .map(|(c, _)| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
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
        "use the group under the cursor (or create the new one)",
    ),
    on(
        Scope::Edit,
        &[Command::Edit],
        "edit name",
        "edit the new group's name (Enter keeps it, Esc leaves it)",
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
        "back to the endpoints",
    ),
];

impl WizardScreen for GroupScreen {
    fn sync(&mut self, ctx: &ScreenCtx) {
        self.clamp(ctx.draft.and_then(|d| ctx.inv.vpc(&d.vpc_id)));
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
        super::edit_field(&mut self.editing, &k, |_, name| {
            if let Some(problem) = security_group_name(name) {
                // Stays in the field: a name AWS refuses is never written.
                return Err(Some(format!("{problem} (G2)")));
            }
            Ok(Some(Intent::Edit(Edit::RenameGroup(name.to_string()))))
        })
    }

    fn on_command(&mut self, cmd: Command, ctx: &ScreenCtx) -> Option<Intent> {
        let vpc = ctx.inv.vpc(&ctx.draft?.vpc_id)?;
        let all = rows(vpc);
        if let Some(nav) = Nav::of(cmd) {
            self.cursor = nav.apply(self.cursor, all.len(), ctx.page.max(1));
            return None;
        }
        match cmd {
            Command::Toggle => Some(match all.get(self.cursor)? {
                Row::Create => Intent::Edit(Edit::UseGroup(None)),
                Row::Existing(id) => Intent::Edit(Edit::UseGroup(Some(id.clone()))),
            }),
            Command::Edit => {
                self.cursor = 0;
                self.editing = Some(TextField::new(Self::new_name(ctx.draft?)));
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
