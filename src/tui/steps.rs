//! The wizard's steps as one table: title, short title, which findings are about it,
//! when it applies, when it is done. The breadcrumb, the help title and the step states
//! are read from here; a new step is a row here and its screen's file.

use crate::rules::{Area, Finding, Severity};
use crate::spec::Spec;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Vpc,
    Subnets,
    Endpoints,
    Group,
    Secondary,
    Custom,
    Access,
    Dns,
    Preview,
    Apply,
    Export,
}

/// What a step's state is computed from.
pub struct StepInput<'a> {
    pub draft: Option<&'a Spec>,
    pub findings: &'a [Finding],
    /// The last apply in this session completed.
    pub applied: bool,
    /// Files were exported in this session.
    pub exported: bool,
}

pub struct StepDef {
    pub step: Step,
    pub title: &'static str,
    pub short: &'static str,
    /// What the next-step key (Enter) says when it leads here: its footer hint and its
    /// `?` line.
    pub onward: (&'static str, &'static str),
    /// The findings shown as this step's errors.
    pub areas: &'static [Area],
    /// The areas whose warnings and errors the step's screen shows above its list (its
    /// own, and what its choices touch).
    pub shows: &'static [Area],
    /// Whether the step applies to this draft (custom networking only with a secondary
    /// CIDR, DNS only with a cluster: later steps).
    pub applies: fn(&StepInput) -> bool,
    /// The operator left it out (no secondary CIDR): shown as skipped, still visited.
    pub skipped: fn(&StepInput) -> bool,
    pub done: fn(&StepInput) -> bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    Todo,
    Done,
    Skipped,
    Errors,
}

fn always(_: &StepInput) -> bool {
    true
}

fn never(_: &StepInput) -> bool {
    false
}

pub const STEPS: &[StepDef] = &[
    StepDef {
        step: Step::Vpc,
        title: "Region and VPC",
        short: "VPC",
        onward: ("VPC", "back to the VPC list"),
        areas: &[Area::Vpc],
        shows: &[Area::Vpc],
        applies: always,
        skipped: never,
        done: |i| i.draft.is_some(),
    },
    StepDef {
        step: Step::Subnets,
        title: "Node subnets",
        short: "Subnets",
        onward: ("subnets", "on to step 2: the node subnets"),
        areas: &[Area::NodeSubnets],
        shows: &[Area::NodeSubnets],
        applies: always,
        skipped: never,
        done: |i| i.draft.is_some_and(|d| d.node_subnets.len() >= 2),
    },
    StepDef {
        step: Step::Endpoints,
        title: "VPC endpoints",
        short: "Endpoints",
        onward: ("endpoints", "on to step 3: the VPC endpoints"),
        areas: &[Area::Endpoints],
        shows: &[Area::Endpoints, Area::EndpointGroup],
        applies: always,
        skipped: never,
        done: |i| {
            i.draft
                .and_then(|d| d.endpoints.as_ref())
                .is_some_and(|e| !e.services.is_empty())
        },
    },
    StepDef {
        step: Step::Group,
        title: "Endpoint security group",
        short: "Group",
        onward: ("group", "on to step 4: the endpoints' security group"),
        areas: &[Area::EndpointGroup],
        shows: &[Area::EndpointGroup],
        applies: always,
        skipped: never,
        done: |i| {
            i.draft
                .and_then(|d| d.endpoints.as_ref())
                .is_some_and(|e| e.security_group.id.is_some() != e.security_group.create.is_some())
        },
    },
    StepDef {
        step: Step::Secondary,
        title: "Secondary CIDR and pod subnets",
        short: "CIDR",
        onward: ("CIDR", "on to step 5: the secondary CIDR and pod subnets"),
        areas: &[Area::SecondaryCidr],
        shows: &[Area::SecondaryCidr],
        applies: always,
        skipped: |i| i.draft.is_some_and(|d| d.secondary_cidr.is_none()),
        done: |i| {
            i.draft.is_some_and(|d| {
                d.secondary_cidr.as_ref().is_some_and(|s| {
                    d.node_subnets
                        .keys()
                        .all(|az| s.pod_subnets.contains_key(az))
                })
            })
        },
    },
    StepDef {
        step: Step::Custom,
        title: "Custom networking",
        short: "CNI",
        onward: ("CNI", "on to step 6: custom networking"),
        areas: &[Area::CustomNetworking],
        shows: &[Area::CustomNetworking],
        applies: |i| i.draft.is_some_and(|d| d.secondary_cidr.is_some()),
        skipped: never,
        done: |i| i.draft.is_some_and(|d| d.secondary_cidr.is_some()),
    },
    StepDef {
        step: Step::Access,
        title: "Cluster endpoint access",
        short: "Access",
        onward: ("access", "on to step 7: cluster endpoint access"),
        areas: &[Area::EndpointAccess],
        shows: &[Area::EndpointAccess],
        applies: always,
        skipped: never,
        done: |i| i.draft.is_some_and(|d| d.cluster_endpoint.is_some()),
    },
    StepDef {
        step: Step::Dns,
        title: "DNS for clients outside the VPC",
        short: "DNS",
        onward: ("DNS", "on to step 8: DNS for clients outside the VPC"),
        areas: &[Area::Dns],
        shows: &[Area::Dns],
        applies: always,
        skipped: |i| i.draft.is_some_and(|d| d.dns.is_none()),
        done: |i| i.draft.is_some_and(|d| d.dns.is_some()),
    },
    StepDef {
        step: Step::Preview,
        title: "Preview",
        short: "Preview",
        onward: (
            "preview",
            "on to step 9: the preview of the plan (nothing is saved or changed)",
        ),
        areas: &[],
        shows: &[],
        applies: always,
        skipped: never,
        done: |i| i.applied,
    },
    StepDef {
        step: Step::Apply,
        title: "Apply",
        short: "Apply",
        onward: ("apply", "on to the apply"),
        areas: &[],
        shows: &[],
        applies: always,
        skipped: never,
        done: |i| i.applied,
    },
    StepDef {
        step: Step::Export,
        title: "Export",
        short: "Export",
        onward: ("export", "on to the export"),
        areas: &[],
        shows: &[],
        applies: always,
        skipped: never,
        done: |i| i.exported,
    },
];

impl Step {
    pub fn def(self) -> &'static StepDef {
        STEPS
            .iter()
            .find(|d| d.step == self)
            .expect("every step is in STEPS")
    }

    /// 1-based position in the breadcrumb.
    pub fn number(self) -> usize {
        STEPS.iter().position(|d| d.step == self).expect("in STEPS") + 1
    }
}

/// The step the next-step key leads to from `here`: the next one that applies to the
/// draft, else the preview.
pub fn next(here: Step, input: &StepInput) -> Step {
    STEPS
        .iter()
        .skip_while(|d| d.step != here)
        .skip(1)
        .find(|d| (d.applies)(input))
        .map_or(Step::Preview, |d| d.step)
}

/// What `step`'s screen shows of `all` above its list: the warnings and errors of the
/// areas it shows.
pub fn inline(step: Step, all: &[Finding]) -> Vec<&Finding> {
    let shows = step.def().shows;
    all.iter()
        .filter(|f| shows.contains(&f.area) && f.severity != Severity::Info)
        .collect()
}

impl StepDef {
    pub fn state(&self, input: &StepInput) -> StepState {
        if !(self.applies)(input) || (self.skipped)(input) {
            return StepState::Skipped;
        }
        // Errors the plan does not fix itself (a V1 the plan turns on is no error here).
        let errors = input.draft.is_some()
            && input.findings.iter().any(|f| {
                f.severity == Severity::Error
                    && self.areas.contains(&f.area)
                    && !crate::plan::REMEDIES.contains(&f.id)
            });
        if errors {
            StepState::Errors
        } else if (self.done)(input) {
            StepState::Done
        } else {
            StepState::Todo
        }
    }
}
