//! The draft and the account: loads and their answers, the draft checked against what
//! was read, the choices kept per VPC, edits applied through the core's `spec::edit`.

use super::*;

impl App {
    /// Change the draft (and so the derived state).
    pub(super) fn set_draft(&mut self, draft: Option<Spec>) {
        self.draft = draft;
        self.session.rev += 1;
    }

    pub(super) fn edit(&mut self, f: impl FnOnce(&mut Spec)) {
        if let Some(d) = &mut self.draft {
            f(d);
            self.session.rev += 1;
        }
    }

    /// Ask EC2 about instance type `name` unless the account answered for it already.
    pub(super) fn read_instance_type(&self, inv: &Inventory, name: &str) -> Vec<Effect> {
        if name.is_empty() || inv.instance_types.iter().any(|t| t.name == name) {
            return vec![];
        }
        vec![Effect::ReadInstanceType {
            region: inv.region.clone(),
            name: name.to_string(),
        }]
    }

    /// EC2 answered about an instance type: kept in the inventory (the derived state
    /// follows), or, when it does not know the type, said.
    pub(super) fn on_instance_type(
        &mut self,
        region: String,
        name: String,
        result: Result<crate::inventory::InstanceType, AwsError>,
    ) -> Vec<Effect> {
        let LoadState::Ready(inv) = &self.load else {
            return vec![];
        };
        if inv.region != region {
            return vec![];
        }
        match result {
            Ok(t) => {
                if !inv.instance_types.iter().any(|x| x.name == t.name) {
                    let mut next = (**inv).clone();
                    next.instance_types.push(t);
                    self.load = LoadState::Ready(Arc::new(next));
                    self.session.rev += 1;
                }
                vec![]
            }
            Err(e) if e.code.as_deref() == Some("InvalidInstanceType") => self.flash(
                Level::Warn,
                format!("{name} is not an instance type EC2 lists in {region}"),
            ),
            Err(e) => self.flash(
                Level::Info,
                format!(
                    "DescribeInstanceTypes did not answer for {name} ({}): max pods use the offline table",
                    e.message
                ),
            ),
        }
    }

    pub(super) fn reload_inventory(&mut self) -> Vec<Effect> {
        self.requests.inventory += 1;
        self.load = LoadState::Loading;
        self.session.focused = self.draft.as_ref().map(|d| d.vpc_id.clone());
        vec![Effect::LoadInventory {
            request: self.requests.inventory,
            first: self.session.focused.clone(),
            region: self.session.region.clone(),
        }]
    }

    /// `r`: the account and the spec file, both read again.
    pub(super) fn reload(&mut self) -> Vec<Effect> {
        self.requests.spec += 1;
        let mut fx = vec![Effect::ReadSpec {
            request: self.requests.spec,
            path: self.file.path.clone(),
        }];
        fx.extend(self.reload_inventory());
        fx
    }

    /// The account as read by the load `request` (an older load's answer is dropped).
    pub(super) fn on_inventory(
        &mut self,
        request: u64,
        result: Result<Arc<Inventory>, AwsError>,
    ) -> Vec<Effect> {
        if request != self.requests.inventory {
            return vec![]; // stale: a newer load is in flight or done
        }
        self.session.rev += 1;
        match result {
            Ok(inv) => {
                self.load = LoadState::Ready(inv.clone());
                let mut fx = self.after_load(&inv);
                self.set_next_steps();
                if std::mem::take(&mut self.session.to_preview) && self.draft.is_some() {
                    fx.extend(self.open_step(Step::Preview));
                }
                fx
            }
            Err(e) => {
                self.load = LoadState::Failed(e);
                vec![]
            }
        }
    }

    /// What the load `request` has read so far: shown, but the draft is checked against
    /// the complete account only.
    pub(super) fn on_partial(&mut self, request: u64, inv: Arc<Inventory>) -> Vec<Effect> {
        if request != self.requests.inventory || matches!(self.load, LoadState::Failed(_)) {
            return vec![];
        }
        self.session.rev += 1;
        self.load = LoadState::Ready(inv.clone());
        // Shown, but the draft is checked against the complete inventory only.
        self.suggest_when_read(&inv);
        vec![]
    }

    /// Keep a draft that still makes sense against a fresh inventory; place the cursor.
    pub(super) fn after_load(&mut self, inv: &Inventory) -> Vec<Effect> {
        let mut fx = self.check_draft(inv);
        // The draft's node group's instance type, for max pods (N6).
        if let Some(t) = self.draft.as_ref().and_then(|d| d.node_group.as_ref()) {
            fx.extend(self.read_instance_type(inv, t.instance_type.trim()));
        }
        // The screen's cursor follows through its `sync`, once this update is done.
        self.suggest_when_read(inv);
        fx
    }

    /// A VPC chosen while its subnets were still read gets the account's suggestions once
    /// they are, unless the operator chose subnets meanwhile.
    pub(super) fn suggest_when_read(&mut self, inv: &Inventory) {
        if inv.pending.as_ref().is_some_and(|p| p.lists) {
            return;
        }
        let Some(vpc) = self.choices.suggest.take() else {
            return;
        };
        let untouched = self
            .draft
            .as_ref()
            .is_some_and(|d| d.vpc_id == vpc && d.node_subnets.is_empty());
        if untouched {
            let choices = VpcChoices::suggested(inv, &vpc);
            self.edit(|d| {
                d.node_subnets = choices.node_subnets;
                d.cluster_name = choices.cluster_name;
            });
        }
    }

    /// A draft for another region is not used (the file stays as it is: a save asks); a
    /// VPC that is gone drops the draft; node subnets that are gone are dropped from it.
    pub(super) fn check_draft(&mut self, inv: &Inventory) -> Vec<Effect> {
        let Some(d) = self.draft.clone() else {
            return vec![];
        };
        if d.region != inv.region {
            self.set_draft(None);
            return self.flash(
                Level::Warn,
                format!(
                    "{} is for {}, not {}: its choices were not loaded (saving asks first)",
                    self.file.path.display(),
                    d.region,
                    inv.region
                ),
            );
        }
        let Some(vpc) = inv.vpc(&d.vpc_id) else {
            self.choices.name_hint = Some(d.metadata.name.clone());
            self.set_draft(None);
            return self.flash(
                Level::Warn,
                format!(
                    "VPC {} from the spec no longer exists: choose again",
                    d.vpc_id
                ),
            );
        };
        let gone: Vec<String> = d
            .node_subnets
            .iter()
            .filter(|(_, s)| vpc.subnet(s).is_none())
            .map(|(az, _)| az.clone())
            .collect();
        if gone.is_empty() {
            return vec![];
        }
        self.edit(|d| d.node_subnets.retain(|az, _| !gone.contains(az)));
        self.flash(
            Level::Warn,
            "some node subnets from the spec no longer exist: check them",
        )
    }

    /// A change to the draft: applied by the core ([`Spec::apply`]), what it says
    /// flashed; a new instance type is asked of EC2 when the account has not answered
    /// for it.
    pub(super) fn apply_edit(&mut self, edit: Edit, inv: &Inventory) -> Vec<Effect> {
        let Some(d) = &mut self.draft else {
            return vec![];
        };
        let instance = match &edit {
            Edit::SetInstanceType(name) => Some(name.clone()),
            _ => None,
        };
        let before = d.clone();
        let note = d.apply(edit, inv);
        if *d != before {
            self.session.rev += 1;
        }
        let mut fx = match note {
            Some(Note::Info(text)) => self.flash(Level::Info, text),
            Some(Note::Warn(text)) => self.flash(Level::Warn, text),
            None => vec![],
        };
        if let Some(name) = instance {
            fx.extend(self.read_instance_type(inv, &name));
        }
        fx
    }

    /// While DNS attributes are still being read, the highlighted VPC is read next.
    pub(super) fn focus(&mut self) -> Option<Effect> {
        let inv = self.inventory()?;
        // Only while DNS reads are pending: listing the rows sorts every VPC.
        let pending = &inv.pending.as_ref()?.dns;
        if pending.is_empty() {
            return None;
        }
        let id = self.screen.get().vpc_under_cursor(inv)?;
        if !pending.contains(&id) || self.session.focused.as_ref() == Some(&id) {
            return None;
        }
        self.session.focused = Some(id.clone());
        Some(Effect::FocusVpc(id))
    }
}

/// The choices of a draft that belong to its VPC: kept when the operator moves to another
/// VPC, restored on return.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct VpcChoices {
    pub(super) node_subnets: BTreeMap<String, String>,
    pub(super) cluster_name: Option<String>,
    pub(super) endpoints: Option<spec::Endpoints>,
}

impl VpcChoices {
    pub(super) fn of(d: &Spec) -> Self {
        VpcChoices {
            node_subnets: d.node_subnets.clone(),
            cluster_name: d.cluster_name.clone(),
            endpoints: d.endpoints.clone(),
        }
    }

    /// What the account suggests, as `spec new` does: the VPC's only cluster, and per AZ
    /// that cluster's own subnet, else the best private one (none while subnets are read).
    /// The endpoints are the caller's (they need the draft's name).
    pub(super) fn suggested(inv: &Inventory, vpc_id: &str) -> Self {
        match spec::starter::starter_spec(inv, vpc_id, None) {
            Ok(s) => VpcChoices {
                node_subnets: s.node_subnets,
                cluster_name: s.cluster_name,
                endpoints: None,
            },
            Err(_) => VpcChoices::default(),
        }
    }

    pub(super) fn restore(&self, d: &mut Spec) {
        d.node_subnets = self.node_subnets.clone();
        d.cluster_name = self.cluster_name.clone();
        d.endpoints = self.endpoints.clone();
    }
}
