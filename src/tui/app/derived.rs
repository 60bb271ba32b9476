//! Derived state: the findings and the preview (once per change of the draft or the
//! account, never while drawing), the screen kept in step, the topology picture.

use super::*;

impl App {
    /// Recompute the derived state if its inputs changed.
    pub(super) fn refresh(&mut self) {
        let highlighted = match (&self.draft, &self.screen, self.inventory()) {
            (None, screen, Some(inv)) => screen.get().vpc_under_cursor(inv),
            _ => None,
        };
        let key = Some((self.session.rev, highlighted.clone()));
        if self.derived.key == key {
            return;
        }
        let Some(inv) = self.inventory().cloned() else {
            self.derived = Derived {
                key,
                ..Default::default()
            };
            return;
        };
        if let Some(p) = &inv.pending {
            // Nothing is judged by a partial account: the rules run once it is read.
            self.derived = Derived {
                key,
                findings: vec![],
                scope: format!("reading {}", p.what),
                preview: Preview {
                    lines: vec![format!(
                        "Reading the account ({}): the plan follows once it is read.",
                        p.what
                    )],
                    actions: 0,
                    blocked: true,
                    ..Default::default()
                },
                signature: vec![],
            };
            return;
        }
        let (findings, scope) = match (&self.draft, &highlighted) {
            (Some(spec), _) => {
                let scope = inv
                    .vpc(&spec.vpc_id)
                    .map(|v| {
                        if v.name.is_empty() {
                            v.id.clone()
                        } else {
                            v.name.clone()
                        }
                    })
                    .unwrap_or_else(|| spec.vpc_id.clone());
                (
                    crate::plan::assess(spec, &inv).0,
                    format!("choices for {scope}"),
                )
            }
            (None, Some(id)) => (rules::evaluate(&inv, None, Some(id), None), id.clone()),
            (None, None) => (rules::evaluate(&inv, None, None, None), inv.region.clone()),
        };
        let (preview, signature) = match &self.draft {
            None => (
                Preview {
                    lines: vec!["Choose a VPC and its node subnets first.".into()],
                    actions: 0,
                    blocked: true,
                    ..Default::default()
                },
                vec![],
            ),
            Some(spec) => preview_of(spec, &inv, &findings),
        };
        self.derived = Derived {
            key,
            findings,
            scope,
            preview,
            signature,
        };
    }

    /// The screen keeps itself in step with the draft and the account (the contract's
    /// `sync`): once per change, and once when it opens.
    pub(super) fn sync_screen(&mut self) {
        let key = (self.session.rev, self.screen.step());
        if self.ui.synced == Some(key) {
            return;
        }
        let Some(inv) = self.inventory().cloned() else {
            return;
        };
        let theme = Theme {
            color: self.ctx.color,
        };
        let ctx = screen_ctx(
            &inv,
            self.draft.as_ref(),
            &self.derived,
            &self.keys,
            &theme,
            &self.ctx,
            self.ui.size,
        );
        self.screen.get_mut().sync(&ctx);
        self.ui.synced = Some(key);
    }

    /// The VPC whose picture `t` draws: the draft's, else the highlighted one.
    pub(super) fn topology_vpc(&self) -> Option<String> {
        if let Some(d) = &self.draft {
            return Some(d.vpc_id.clone());
        }
        self.inventory()
            .and_then(|inv| self.screen.get().vpc_under_cursor(inv))
    }

    /// The picture, drawn again when the draft or the account changed while it is open.
    pub(super) fn refresh_topology(&mut self) {
        let Some(Modal::Topology(t)) = &self.modal else {
            return;
        };
        if self.ui.topology_rev == self.session.rev {
            return;
        }
        let offset = t.offset;
        let picture = self.topology_vpc().and_then(|id| {
            let inv = self.inventory()?;
            Some(crate::tui::modals::topology::picture(
                inv,
                inv.vpc(&id)?,
                self.draft.as_ref(),
            ))
        });
        self.ui.topology_rev = self.session.rev;
        self.modal = picture.map(|mut p| {
            p.offset = offset.min(p.rows().saturating_sub(1));
            Modal::Topology(p)
        });
    }

    pub(super) fn open_topology(&mut self) -> Vec<Effect> {
        let Some(inv) = self.inventory().cloned() else {
            return vec![];
        };
        let picture = self.topology_vpc().and_then(|id| {
            inv.vpc(&id)
                .map(|v| crate::tui::modals::topology::picture(&inv, v, self.draft.as_ref()))
        });
        match picture {
            Some(p) => {
                self.ui.topology_rev = self.session.rev;
                self.modal = Some(Modal::Topology(p));
                vec![]
            }
            None => self.flash(Level::Info, "choose a VPC first: t draws it"),
        }
    }
}

/// Findings and the preview, computed from the inventory and the draft when either
/// changes (and, without a draft, for the highlighted VPC).
#[derive(Debug, Clone, Default)]
pub struct Derived {
    pub(super) key: Option<(u64, Option<String>)>,
    pub findings: Vec<Finding>,
    /// What the findings are about.
    pub scope: String,
    pub preview: Preview,
    /// The plan the preview shows, as addresses and operations.
    pub signature: ops::Signature,
}

/// The preview of `spec`: warnings and the plan, or the error findings that block it.
pub(super) fn preview_of(
    spec: &Spec,
    inv: &Inventory,
    findings: &[Finding],
) -> (Preview, ops::Signature) {
    match ops::prepare_from(findings.to_vec(), spec, inv) {
        Err(ops::Failure::Blocked(blocking)) => {
            let mut lines = vec![
                "The spec cannot be applied: fix these first (c lists why and how).".into(),
                String::new(),
            ];
            for f in &blocking {
                lines.push(format!("✗ {} {}: {}", f.id, f.subject, f.message));
            }
            (
                Preview {
                    lines,
                    actions: 0,
                    blocked: true,
                    ..Default::default()
                },
                vec![],
            )
        }
        Err(other) => (
            Preview {
                lines: vec![other.to_string()],
                actions: 0,
                blocked: true,
                ..Default::default()
            },
            vec![],
        ),
        Ok(prepared) => {
            let mut lines = prepared.notes();
            if !lines.is_empty() {
                lines.push(String::new());
            }
            // Where each action's block starts (as the renderer says), and all its
            // attributes (Enter shows them).
            let (text, blocks) = crate::plan::render::text_with_blocks(&prepared.plan, false);
            let at: Vec<usize> = blocks.iter().map(|b| b + lines.len()).collect();
            lines.extend(text.lines().map(str::to_string));
            let details = prepared
                .plan
                .actions
                .iter()
                .map(crate::tui::screens::preview::attributes)
                .collect();
            (
                Preview {
                    lines,
                    actions: prepared.plan.actions.len(),
                    blocked: false,
                    at,
                    details,
                },
                prepared.signature(),
            )
        }
    }
}
