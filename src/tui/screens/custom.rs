//! Step 6 (only with a secondary CIDR): custom networking. One ENIConfig per AZ, named by
//! AZ or by AZ ID (the zone-id label needs Kubernetes 1.30), the pods' security groups
//! (default: the node's primary ENI groups), the aws-node settings it implies, a max-pods
//! calculator, the order to roll existing nodes (N5), and the alternative: VPC CNI subnet
//! discovery.

use super::{Nav, ScreenCtx, WizardScreen};
use crate::inventory::{Inventory, Vpc};
use crate::report::trunc;
use crate::rules::cni::{
    ROLLOUT, TypeSource, ZONE_ID_LABEL_SINCE, aws_node_env, eni_config_name, instance_type,
    max_pods, offline_types, pod_ceiling, version_at_least,
};
use crate::spec::edit::Edit;
use crate::spec::{LABEL_ZONE, LABEL_ZONE_ID, Spec};
use crate::tui::intent::{Intent, Level};
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
use ratatui::widgets::Paragraph;
use std::cell::Cell as StdCell;

pub const WHY: &str = "With custom networking the VPC CNI puts pods on the pod subnets, not \
the node's: each node reads the ENIConfig its AZ label names (N2, N3) once aws-node has \
AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true (N4). The node's primary ENI then carries no pods, \
so max pods drop (N6). Nodes pick it up only when they start: existing ones are drained and \
replaced (N5). Subnet discovery (VPC CNI 1.18+) is the simpler alternative when pods keep \
the node's security groups: the pod subnets are tagged kubernetes.io/role/cni=1 (N8).";

/// The instance type the calculator starts with.
pub const DEFAULT_INSTANCE: &str = "m5.large";

#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    /// Custom networking (true) or subnet discovery (false).
    Mode(bool),
    Label(&'static str),
    Eni(String),
    Group(String),
    Env,
    MaxPods,
    Step(usize),
}

#[derive(Debug, Clone, Default)]
pub struct CustomScreen {
    pub cursor: usize,
    offset: StdCell<usize>,
    pub editing: Option<TextField>,
}

pub fn rows(vpc: &Vpc, draft: &Spec) -> Vec<Row> {
    let mut out = vec![Row::Mode(true), Row::Mode(false)];
    if draft.custom_networking.is_some() {
        out.push(Row::Label(LABEL_ZONE));
        out.push(Row::Label(LABEL_ZONE_ID));
        out.extend(draft.node_subnets.keys().map(|az| Row::Eni(az.clone())));
        out.extend(vpc.security_groups.iter().map(|g| Row::Group(g.id.clone())));
        out.push(Row::Env);
    }
    out.push(Row::MaxPods);
    if draft.custom_networking.is_some() {
        out.extend((0..ROLLOUT.len()).map(Row::Step));
    }
    out
}

fn cluster<'a>(inv: &'a Inventory, draft: &Spec) -> Option<&'a crate::inventory::Cluster> {
    draft
        .cluster_name
        .as_ref()
        .and_then(|n| inv.clusters.iter().find(|c| &c.name == n))
}

/// Why the zone-id label cannot be used for this cluster, if it cannot.
pub fn zone_id_refused(inv: &Inventory, draft: &Spec) -> Option<String> {
    let c = cluster(inv, draft)?;
    (!version_at_least(&c.version, ZONE_ID_LABEL_SINCE.0, ZONE_ID_LABEL_SINCE.1)).then(|| {
        format!(
            "cluster {} runs Kubernetes {}: nodes carry {LABEL_ZONE_ID} only from 1.30 on (N4)",
            c.name, c.version
        )
    })
}

/// The calculator's answer for `t`, in words; None for a type neither EC2 (as read) nor
/// the offline table knows.
pub fn max_pods_text(inv: &Inventory, t: &str) -> Option<String> {
    let (it, source) = instance_type(inv, t)?;
    Some(format!(
        "{t}: {} pods, {} with custom networking, {} with custom networking and prefix delegation (AWS's calculator, at most {} for {} vCPUs; figures from {})",
        max_pods(&it, false, false),
        max_pods(&it, true, false),
        max_pods(&it, true, true),
        pod_ceiling(&it),
        it.default_vcpus,
        match source {
            TypeSource::Ec2 => "DescribeInstanceTypes",
            TypeSource::Offline => "the offline table until EC2 answers",
        }
    ))
}

/// Instance types of the offline table that start like `t` (for a type it lacks).
fn similar(t: &str) -> Vec<&'static str> {
    let family = t.split('.').next().unwrap_or(t);
    offline_types()
        .iter()
        .map(|x| x.name.as_str())
        .filter(|n| n.starts_with(family))
        .take(6)
        .collect()
}

/// What is said of a type nobody knows.
fn unknown(t: &str) -> String {
    format!(
        "{t} is not in the offline table{}; Enter asks EC2",
        match similar(t).as_slice() {
            [] => String::new(),
            s => format!(" (it has {})", s.join(", ")),
        }
    )
}

/// The node group's instance type: the spec's, else the default.
fn instance(draft: &Spec) -> &str {
    draft
        .node_group
        .as_ref()
        .map(|g| g.instance_type.trim())
        .unwrap_or(DEFAULT_INSTANCE)
}

impl CustomScreen {
    fn detail(&self, inv: &Inventory, vpc: &Vpc, draft: &Spec, row: &Row) -> String {
        let cn = draft.custom_networking.as_ref();
        match row {
            Row::Mode(true) => "Custom networking: an ENIConfig per AZ names the pod subnet and the pods' security groups; aws-node reads the one its node's label names. Choose it when pods need their own security groups, or nodes must keep their subnet's addresses entirely.".into(),
            Row::Mode(false) => "Subnet discovery (VPC CNI 1.18 or later): the plan tags the pod subnets kubernetes.io/role/cni=1 and the VPC CNI adds them as pods need addresses, with the node's own security groups. No ENIConfig, no aws-node setting, no node roll; max pods stay as they are.".into(),
            Row::Label(l) => {
                let mut text = if *l == LABEL_ZONE {
                    "ENIConfigs named after the AZ (eu-west-1a), selected by topology.kubernetes.io/zone: the default.".to_string()
                } else {
                    "ENIConfigs named after the AZ ID (euw1-az3), selected by topology.k8s.aws/zone-id: for a VPC shared from another account, where AZ names differ (N7).".to_string()
                };
                if *l == LABEL_ZONE_ID
                    && let Some(why) = zone_id_refused(inv, draft)
                {
                    text.push_str(&format!(" ✗ {why}."));
                }
                text
            }
            Row::Eni(az) => {
                let label = cn.map_or(LABEL_ZONE, |c| c.eni_config_label.as_str());
                let pod = draft
                    .secondary_cidr
                    .as_ref()
                    .and_then(|s| s.pod_subnets.get(az))
                    .cloned()
                    .unwrap_or_else(|| "(no pod subnet)".into());
                let groups = match cn.map(|c| &c.security_group_ids) {
                    Some(g) if !g.is_empty() => g.join(", "),
                    _ => "the node's primary ENI groups".into(),
                };
                format!(
                    "ENIConfig {}: subnet = the pod subnet {pod} of {az} (its ID once it exists), securityGroups = {groups}. Export it with the aws-node settings (eks-private-tui export, eniconfig).",
                    eni_config_name(inv, az, label)
                )
            }
            Row::Group(id) => {
                let g = vpc.security_groups.iter().find(|g| &g.id == id);
                format!(
                    "{id} ({}): Space adds it to the pods' groups, or removes it. With none chosen, pods use the node's primary ENI groups. A group here must let pods, nodes and the control plane talk, DNS included (G3).",
                    g.map(|g| g.name.as_str()).unwrap_or("")
                )
            }
            Row::Env => {
                let env: Vec<String> = cn
                    .map(aws_node_env)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                format!(
                    "aws-node environment: {} (set through the vpc-cni add-on's configuration values, or kubectl set env daemonset aws-node -n kube-system).",
                    env.join(" ")
                )
            }
            Row::MaxPods => match max_pods_text(inv, instance(draft)) {
                Some(t) => format!("{t}. e types the node group's instance type (nodeGroup.instanceType)."),
                None => format!("{}. e types another.", unknown(instance(draft))),
            },
            Row::Step(i) => format!("Step {} of {} (N5): {}.", i + 1, ROLLOUT.len(), ROLLOUT[*i]),
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
        let cn = draft.custom_networking.as_ref();
        let radio = |on: bool| {
            if on {
                Span::styled("(•) ", t.ok())
            } else {
                Span::raw("( ) ")
            }
        };
        let room = width.saturating_sub(4);
        match row {
            Row::Mode(custom) => Line::from(vec![
                radio(cn.is_some() == *custom),
                Span::raw(trunc(
                    if *custom {
                        "custom networking: an ENIConfig per AZ"
                    } else {
                        "subnet discovery: pod subnets tagged kubernetes.io/role/cni"
                    },
                    room,
                )),
            ]),
            Row::Label(l) => {
                let on = cn.is_some_and(|c| c.eni_config_label == *l);
                let refused = *l == LABEL_ZONE_ID && zone_id_refused(inv, draft).is_some();
                let text = if *l == LABEL_ZONE {
                    "named by AZ (topology.kubernetes.io/zone)"
                } else {
                    "named by AZ ID (topology.k8s.aws/zone-id, shared VPCs)"
                };
                Line::from(vec![
                    radio(on),
                    Span::styled(
                        trunc(text, room),
                        if refused { t.dim() } else { Default::default() },
                    ),
                ])
            }
            Row::Eni(az) => {
                let label = cn.map_or(LABEL_ZONE, |c| c.eni_config_label.as_str());
                let pod = draft
                    .secondary_cidr
                    .as_ref()
                    .and_then(|s| s.pod_subnets.get(az))
                    .cloned()
                    .unwrap_or_else(|| "no pod subnet".into());
                let groups = match cn.map(|c| c.security_group_ids.len()) {
                    Some(0) | None => "node's groups".to_string(),
                    Some(n) => super::plural(n, "group"),
                };
                Line::from(vec![
                    Span::raw("    "),
                    Span::styled(
                        format!("{:<14} ", trunc(&eni_config_name(inv, az, label), 14)),
                        t.bold(),
                    ),
                    Span::raw(format!("{:<18} ", trunc(&pod, 18))),
                    Span::styled(trunc(&groups, width.saturating_sub(38)), t.dim()),
                ])
            }
            Row::Group(id) => {
                let on = cn.is_some_and(|c| c.security_group_ids.contains(id));
                let name = vpc
                    .security_groups
                    .iter()
                    .find(|g| &g.id == id)
                    .map(|g| g.name.clone())
                    .unwrap_or_default();
                Line::from(vec![
                    if on {
                        Span::styled("[x] ", t.ok())
                    } else {
                        Span::raw("[ ] ")
                    },
                    Span::raw(format!("{:<22} ", trunc(id, 22))),
                    Span::styled(trunc(&name, width.saturating_sub(27)), t.dim()),
                ])
            }
            Row::Env => {
                let env: Vec<String> = cn
                    .map(aws_node_env)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                Line::from(vec![
                    Span::raw("    "),
                    Span::raw(trunc(&env.join(" "), room)),
                ])
            }
            Row::MaxPods => {
                let text = match &self.editing {
                    Some(input) => input.shown(),
                    None => instance(draft).to_string(),
                };
                let answer = match instance_type(inv, instance(draft)) {
                    Some((it, _)) => format!(
                        "{} pods → {} custom · {} with prefixes",
                        max_pods(&it, false, false),
                        max_pods(&it, true, false),
                        max_pods(&it, true, true)
                    ),
                    None => "not known (e types another)".into(),
                };
                Line::from(vec![
                    Span::raw("    "),
                    Span::styled(format!("{:<14} ", trunc(&text, 14)), t.bold()),
                    Span::raw(trunc(&answer, width.saturating_sub(19))),
                ])
            }
            Row::Step(i) => Line::from(vec![
                Span::styled(format!(" {}. ", i + 1), t.dim()),
                Span::raw(trunc(ROLLOUT[*i], width.saturating_sub(4))),
            ]),
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ctx: &ScreenCtx) {
        let t = ctx.theme;
        let inv = ctx.inv;
        let Some((vpc, draft)) = super::ready(f, area, ctx, None) else {
            return;
        };
        if draft.secondary_cidr.is_none() {
            f.render_widget(
                Paragraph::new("Custom networking needs a secondary CIDR and its pod subnets: choose one first (Esc).").style(t.warn()),
                area,
            );
            return;
        }
        let ours = crate::tui::steps::inline(Step::Custom, ctx.findings);
        let all = rows(vpc, draft);
        let mut detail = all
            .get(self.cursor)
            .map(|row| wrap(&self.detail(inv, vpc, draft, row), area.width as usize, 4))
            .unwrap_or_default();
        if let Some(input) = &self.editing {
            let verdict = match max_pods_text(inv, input.value().trim()) {
                Some(t) => format!("✓ {t} · Enter keeps it, Esc leaves it"),
                None => format!("? {}", unknown(input.value().trim())),
            };
            detail = wrap(&verdict, area.width as usize, 4);
        }
        let auto_mode = cluster(inv, draft).is_some_and(|c| c.auto_mode);
        let status_text = match &draft.custom_networking {
            // K1: Auto Mode runs the nodes' networking; the NodeClass takes the pod subnets.
            _ if auto_mode => "! EKS Auto Mode: no ENIConfigs (K1); the nodeclass export puts pods in the pod subnets".to_string(),
            Some(cn) => format!(
                "✓ custom networking · {} by {} · pods use {}",
                super::plural(draft.node_subnets.len(), "ENIConfig"),
                if cn.eni_config_label == LABEL_ZONE_ID {
                    "AZ ID"
                } else {
                    "AZ"
                },
                if cn.security_group_ids.is_empty() {
                    "the node's groups".to_string()
                } else {
                    super::plural(cn.security_group_ids.len(), "group")
                }
            ),
            None => {
                "✓ subnet discovery: the plan tags the pod subnets kubernetes.io/role/cni=1".into()
            }
        };
        let style = if detail.first().is_some_and(|l| l.starts_with('✗')) {
            t.error()
        } else {
            t.dim()
        };
        let mut header = StepHeader::new(
            "Pods on the pod subnets: ENIConfigs or subnet discovery. ",
            "? explains.",
            ours,
            t,
        );
        header.status = vec![Line::from(Span::styled(
            trunc(&status_text, area.width as usize),
            if auto_mode { t.warn() } else { t.ok() },
        ))];
        header.detail = detail;
        header.detail_style = style;
        let list_area = header.render(f, area, t);

        let width = list_area.width as usize;
        let mut list = Sections::new(width);
        for (i, row) in all.iter().enumerate() {
            let heading = match row {
                Row::Mode(_) => "How pods get pod-subnet addresses".to_string(),
                Row::Label(_) => "ENIConfig names".into(),
                Row::Eni(_) => "ENIConfigs (one per node AZ)".into(),
                Row::Group(_) => {
                    "Pods' security groups (none chosen: the node's primary ENI groups)".into()
                }
                Row::Env => "aws-node settings".into(),
                Row::MaxPods => "Max pods per node (e: instance type)".into(),
                Row::Step(_) => "Roll existing nodes, in this order (N5)".into(),
            };
            list.heading(&heading, t);
            list.row(self.line(inv, vpc, draft, row, t, width), i == self.cursor);
        }
        list.render(f, list_area, &self.offset, t);
    }
}

const BINDINGS: &[Binding] = keys::step_keys![
    on(
        Scope::Subnets,
        &[Command::Toggle],
        "choose",
        "choose the row under the cursor (mode, label, a pods' group)",
    ),
    on(
        Scope::Edit,
        &[Command::Edit],
        "instance",
        "type the node group's instance type (max pods)",
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
        "back to the secondary CIDR",
    ),
];

impl WizardScreen for CustomScreen {
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
        super::edit_field(&mut self.editing, &k, |_, value| {
            let value = value.trim().to_string();
            // Saved in the spec (nodeGroup.instanceType); EC2 is asked about it.
            Ok((!value.is_empty()).then_some(Intent::Edit(Edit::SetInstanceType(value))))
        })
    }

    fn on_command(&mut self, cmd: Command, ctx: &ScreenCtx) -> Option<Intent> {
        let draft = ctx.draft?;
        let vpc = ctx.inv.vpc(&draft.vpc_id)?;
        let all = rows(vpc, draft);
        self.cursor = self.cursor.min(all.len().saturating_sub(1));
        if let Some(nav) = Nav::of(cmd) {
            self.cursor = nav.apply(self.cursor, all.len(), ctx.page.max(1));
            return None;
        }
        match cmd {
            Command::Toggle => match all.get(self.cursor)? {
                Row::Mode(on) => Some(Intent::Edit(Edit::SetCustomNetworking(*on))),
                Row::Label(l) => {
                    if *l == LABEL_ZONE_ID
                        && let Some(why) = zone_id_refused(ctx.inv, draft)
                    {
                        return Some(Intent::Flash(Level::Warn, why));
                    }
                    Some(Intent::Edit(Edit::SetEniLabel(l.to_string())))
                }
                Row::Group(id) => Some(Intent::Edit(Edit::TogglePodGroup(id.clone()))),
                _ => None,
            },
            Command::Edit => {
                self.cursor = all
                    .iter()
                    .position(|r| *r == Row::MaxPods)
                    .unwrap_or(self.cursor);
                self.editing = Some(TextField::new(instance(draft).to_string()));
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
