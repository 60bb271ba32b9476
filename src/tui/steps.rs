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
    /// The findings shown as this step's errors.
    pub areas: &'static [Area],
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
        areas: &[Area::Vpc],
        applies: always,
        skipped: never,
        done: |i| i.draft.is_some(),
    },
    StepDef {
        step: Step::Subnets,
        title: "Node subnets",
        short: "Subnets",
        areas: &[Area::NodeSubnets],
        applies: always,
        skipped: never,
        done: |i| i.draft.is_some_and(|d| d.node_subnets.len() >= 2),
    },
    StepDef {
        step: Step::Endpoints,
        title: "VPC endpoints",
        short: "Endpoints",
        areas: &[Area::Endpoints],
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
        areas: &[Area::EndpointGroup],
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
        areas: &[Area::SecondaryCidr],
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
        areas: &[Area::CustomNetworking],
        applies: |i| i.draft.is_some_and(|d| d.secondary_cidr.is_some()),
        skipped: never,
        done: |i| i.draft.is_some_and(|d| d.secondary_cidr.is_some()),
    },
    StepDef {
        step: Step::Access,
        title: "Cluster endpoint access",
        short: "Access",
        areas: &[Area::EndpointAccess],
        applies: always,
        skipped: never,
        done: |i| i.draft.is_some_and(|d| d.cluster_endpoint.is_some()),
    },
    StepDef {
        step: Step::Dns,
        title: "DNS for clients outside the VPC",
        short: "DNS",
        areas: &[Area::Dns],
        applies: always,
        skipped: |i| i.draft.is_some_and(|d| d.dns.is_none()),
        done: |i| i.draft.is_some_and(|d| d.dns.is_some()),
    },
    StepDef {
        step: Step::Preview,
        title: "Preview",
        short: "Preview",
        areas: &[],
        applies: always,
        skipped: never,
        done: |i| i.applied,
    },
    StepDef {
        step: Step::Apply,
        title: "Apply",
        short: "Apply",
        areas: &[],
        applies: always,
        skipped: never,
        done: |i| i.applied,
    },
    StepDef {
        step: Step::Export,
        title: "Export",
        short: "Export",
        areas: &[],
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
