//! The operations every front end shares: the CLI commands and the wizard call these and
//! nothing else, so they cannot drift apart. Each operation is a step of the one data
//! flow: connect → read the account → prepare (rules, then the plan) → apply (journal,
//! engine) or destroy. Printing stays with the caller (`commands`, `tui`).

pub mod lock;
pub mod spec_file;

use crate::apply::{self as engine, journal};
use crate::aws::{self, Aws, AwsError, AwsOptions, DiscoverOptions};
use crate::inventory::{CidrState, Inventory};
use crate::plan::{Deletable, Op, Plan, destroy::Created};
use crate::rules::Finding;
use crate::spec::Spec;
use std::path::Path;

/// Why an operation did not run; nothing was changed. Exit code 2 (usage, AWS) or 1
/// (findings).
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The operator's input is wrong: one line, what and how to fix it.
    Usage(String),
    Aws(AwsError),
    /// Error findings block the plan.
    Blocked(Vec<Finding>),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Blocked(_) => 1,
            _ => 2,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Usage(m) => write!(f, "{m}"),
            Failure::Aws(e) => write!(f, "{e}"),
            Failure::Blocked(errors) => {
                write!(f, "{} error finding(s) block it", errors.len())?;
                if let Some(e) = errors.first() {
                    write!(f, ", first {} {}: {}", e.id, e.subject, e.message)?;
                }
                Ok(())
            }
        }
    }
}

impl From<AwsError> for Failure {
    fn from(e: AwsError) -> Self {
        Failure::Aws(e)
    }
}

/// Clients for the spec's region (or the configured one). A region option that
/// contradicts the spec is refused.
pub async fn connect(mut opts: AwsOptions, spec: Option<&Spec>) -> Result<Aws, Failure> {
    if let Some(s) = spec {
        if let Some(r) = &opts.region
            && r != &s.region
        {
            return Err(Failure::Usage(format!(
                "--region {r} but the spec is for {} — drop --region or use the spec's region",
                s.region
            )));
        }
        opts.region = Some(s.region.clone());
    }
    Ok(aws::connect(&opts).await?)
}

/// Read the account: reads limited to the spec's VPC (else `vpc`, else the whole region).
pub async fn read_account(
    aws: &Aws,
    spec: Option<&Spec>,
    vpc: Option<String>,
    concurrency: usize,
) -> Result<Inventory, Failure> {
    read_account_with(aws, spec, vpc, concurrency, aws::Focus::default(), &|_| {}).await
}

/// [`read_account`], handing partial inventories to `progress` as the reads answer
/// (`first`: the VPC whose details are read next, which the caller may move while the
/// reads run). The wizard shows them.
pub async fn read_account_with(
    aws: &Aws,
    spec: Option<&Spec>,
    vpc: Option<String>,
    concurrency: usize,
    first: aws::Focus,
    progress: &(dyn Fn(Inventory) + Sync),
) -> Result<Inventory, Failure> {
    let opts = DiscoverOptions {
        vpc: spec.map(|s| s.vpc_id.clone()).or(vpc),
        concurrency,
        cluster: spec.and_then(|s| s.cluster_name.clone()),
        first,
        instance_types: spec
            .and_then(|s| s.node_group.as_ref())
            .map(|g| vec![g.instance_type.trim().to_string()])
            .unwrap_or_default(),
    };
    // Boxed: discovery's state machine (a join of ten reads, each a nested join) is deep
    // enough that every caller's future would overflow the compiler's layout depth.
    Box::pin(aws::discover_with(aws, &opts, progress))
        .await
        .map_err(|e| {
            if e.kind == aws::ErrorKind::NotFound && spec.is_some() {
                Failure::Usage(format!("the spec's vpcId: {e}"))
            } else {
                Failure::Aws(e)
            }
        })
}

/// A spec checked against the account, with the plan that makes the account match it.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// Every finding: warnings and infos, and errors the plan itself fixes.
    pub findings: Vec<Finding>,
    pub plan: Plan,
}

/// What the operator confirmed: each action's address and operation, in order.
pub type Signature = Vec<(String, Op)>;

impl Prepared {
    /// The notes printed above the plan (warnings, and errors the plan fixes).
    pub fn notes(&self) -> Vec<String> {
        crate::report::plan_notes(&self.findings)
    }

    pub fn signature(&self) -> Signature {
        signature(&self.plan)
    }
}

pub fn signature(plan: &Plan) -> Signature {
    plan.actions
        .iter()
        .map(|a| (a.address.clone(), a.op))
        .collect()
}

/// The rules first (judged against the plan: error findings block), then the plan.
/// Pure: the wizard's preview, `plan`, `apply` and the wizard's apply all go through here.
pub fn prepare(spec: &Spec, inv: &Inventory) -> Result<Prepared, Failure> {
    prepare_from(crate::plan::assess(spec, inv).0, spec, inv)
}

/// [`prepare`] with the spec's findings already evaluated (the wizard keeps them).
pub fn prepare_from(
    findings: Vec<Finding>,
    spec: &Spec,
    inv: &Inventory,
) -> Result<Prepared, Failure> {
    let errors = crate::report::blocking(&findings);
    if !errors.is_empty() {
        return Err(Failure::Blocked(errors));
    }
    let plan = crate::plan::plan(spec, inv);
    // Nothing is half-done: a value AWS would refuse stops the plan before any call.
    let refused: Vec<Finding> = crate::plan::limits::refusals(&plan)
        .into_iter()
        .chain(crate::plan::limits::quotas(&plan, inv, &spec.quotas))
        .map(|(address, problem)| crate::rules::rule(crate::rules::Id::X8).at(address, problem))
        .collect();
    if !refused.is_empty() {
        return Err(Failure::Blocked(refused));
    }
    Ok(Prepared { plan, findings })
}

/// The files `selection` makes for `spec` in the account `inv`, and the formats `all`
/// skipped with why. The spec's error findings (and what the plan refuses) block every
/// export: a file that other tools act on is made only from a spec the rules pass. A
/// format asked for by name that cannot be made is an error that says what to add.
pub fn export(
    spec: &Spec,
    inv: &Inventory,
    selection: &crate::export::Selection,
) -> Result<Exported, Failure> {
    let Prepared { plan, .. } = prepare(spec, inv)?;
    let src = crate::export::Source {
        spec,
        inv,
        plan: &plan,
    };
    let mut out = Exported::default();
    for f in selection.formats() {
        match crate::export::render(f, &src) {
            Ok(files) => out.files.extend(files.into_iter().map(|x| (f, x))),
            Err(why) if selection.required(f) => {
                return Err(Failure::Usage(format!("cannot export {}: {why}", f.name())));
            }
            Err(why) => out.skipped.push((f, why.to_string())),
        }
    }
    Ok(out)
}

/// What [`export`] made.
#[derive(Debug, Default)]
pub struct Exported {
    pub files: Vec<(crate::export::Format, crate::export::File)>,
    /// Formats `all` could not make for this spec, with why.
    pub skipped: Vec<(crate::export::Format, String)>,
}

/// Write exports into `dir` (made if missing): every file is checked first, so that an
/// existing one (without `force`) or an unwritable directory writes nothing; each file is
/// written whole (a temporary file, then a rename). Returns the paths written.
pub fn write_exports(
    dir: &Path,
    files: &[(crate::export::Format, crate::export::File)],
    force: bool,
) -> Result<Vec<std::path::PathBuf>, Failure> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Failure::Usage(format!(
            "cannot make --out {}: {e} — give a directory you may write",
            dir.display()
        ))
    })?;
    let paths: Vec<std::path::PathBuf> = files.iter().map(|(_, f)| dir.join(&f.name)).collect();
    if !force && let Some(p) = paths.iter().find(|p| std::fs::symlink_metadata(p).is_ok()) {
        return Err(Failure::Usage(format!(
            "{} exists: nothing was written — pass --force to overwrite, or another --out",
            p.display()
        )));
    }
    for (p, (_, f)) in paths.iter().zip(files) {
        crate::files::replace(p, &f.text).map_err(|e| {
            Failure::Usage(format!(
                "cannot write {}: {e} — give a directory you may write",
                p.display()
            ))
        })?;
    }
    Ok(paths)
}

/// The plan is still the one the operator confirmed (the account may have changed since).
pub fn unchanged(plan: &Plan, confirmed: &Signature) -> Result<(), Failure> {
    let now = signature(plan);
    if &now == confirmed {
        return Ok(());
    }
    Err(Failure::Usage(format!(
        "the account changed since the preview ({} action(s) now, {} previewed): nothing was applied — read it again and review the new plan",
        now.len(),
        confirmed.len()
    )))
}

/// What destroy deletes: what carries this spec's tag in its VPCs, and the CIDR
/// associations it made (they take no tag); and what it leaves that the spec asked for,
/// said in words.
pub async fn destroy_plan(
    aws: &Aws,
    spec: &Spec,
    inv: &Inventory,
    records: &[journal::Record],
) -> Result<(Plan, Vec<String>), Failure> {
    let name = &spec.metadata.name;
    let mut vpcs = vec![spec.vpc_id.clone()];
    if let Some(o) = spec.dns.as_ref().and_then(|d| d.outbound_endpoint.as_ref()) {
        vpcs.push(o.vpc_id.clone());
    }
    let mut created = aws.created_by(name, &vpcs).await?;
    let mut left = cidr_associations(spec, inv, records, &mut created);
    left.extend(stack_owned(spec, inv));
    // What apply changed on what it did not create, put back (the journal's values before,
    // and the account's own records of them).
    let (restores, kept) = crate::plan::undo::restores(spec, inv, &journal::undos(records));
    left.extend(kept);
    Ok((
        crate::plan::destroy::with_restores(
            crate::plan::destroy::destroy(name, &spec.region, &created),
            restores,
        ),
        left,
    ))
}

/// What the CloudFormation and Terraform exports made for this spec (the owner tag), in
/// words: destroy leaves it to the stack or to Terraform.
pub fn stack_owned(spec: &Spec, inv: &Inventory) -> Vec<String> {
    use crate::spec::{OWNER_TAG, PLAN_TAG};
    let Some(v) = inv.vpc(&spec.vpc_id) else {
        return vec![];
    };
    // Owner → the IDs it holds.
    let mut owned: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    let tagged = v
        .security_groups
        .iter()
        .map(|g| (&g.tags, g.id.as_str()))
        .chain(v.subnets.iter().map(|s| (&s.tags, s.id.as_str())))
        .chain(v.endpoints.iter().map(|e| (&e.tags, e.id.as_str())));
    for (tags, id) in tagged {
        if tags.get(PLAN_TAG) != Some(&spec.metadata.name) {
            continue;
        }
        if let Some(owner) = tags.get(OWNER_TAG) {
            owned.entry(owner.as_str()).or_default().push(id);
        }
    }
    owned
        .into_iter()
        .map(|(owner, ids)| {
            let (who, how) = match owner {
                "cloudformation" => (
                    "a CloudFormation stack made from this spec's export",
                    "the stack: delete the stack",
                ),
                "terraform" => (
                    "Terraform made from this spec's export",
                    "Terraform: run terraform destroy",
                ),
                _ => ("another tool holds", "their owner"),
            };
            format!(
                "{} resource(s) that {who} ({}) are left to {how} to remove them",
                ids.len(),
                ids.join(", ")
            )
        })
        .collect()
}

/// The spec VPC's CIDR associations this spec made, added to `created`: those the journal
/// recorded, and, without the journal (moved away, another machine), those holding a
/// subnet this spec created. The spec's secondary CIDR still associated and not proven
/// this spec's is returned in words: destroy leaves it and says so.
pub fn cidr_associations(
    spec: &Spec,
    inv: &Inventory,
    records: &[journal::Record],
    created: &mut Vec<Created>,
) -> Vec<String> {
    let Some(v) = inv.vpc(&spec.vpc_id) else {
        return vec![];
    };
    let recorded: Vec<(String, String)> = journal::created(records)
        .into_iter()
        .filter(|(_, (kind, _))| kind == "vpc_cidr_association")
        .map(|(address, (_, id))| (id, address))
        .collect();
    let ours: Vec<ipnet::Ipv4Net> = created
        .iter()
        .filter(|c| c.what == Deletable::Subnet)
        .filter_map(|c| v.subnets.iter().find(|s| s.id == c.id))
        .filter_map(|s| s.cidr.parse().ok())
        .collect();
    let mut left = vec![];
    // The first association is the VPC's primary CIDR: never this spec's.
    for c in v.cidrs.iter().skip(1) {
        if c.state != CidrState::Associated {
            continue;
        }
        // Terraform or a stack made from this spec's export holds a subnet of this spec
        // in it: it holds the association too (the exports import it with them).
        let net: Option<ipnet::Ipv4Net> = c.cidr.parse().ok();
        let holder = v
            .subnets
            .iter()
            .filter(|s| spec.made(&s.tags))
            .filter(|s| {
                s.cidr
                    .parse::<ipnet::Ipv4Net>()
                    .is_ok_and(|n| net.is_some_and(|net| net.contains(&n)))
            })
            .find_map(|s| s.tags.get(crate::spec::OWNER_TAG));
        if let Some(owner) = holder {
            left.push(format!(
                "{} stays associated with {} ({}): {owner} holds it with the subnets in it, made from this spec's export",
                c.cidr, spec.vpc_id, c.association_id
            ));
            continue;
        }
        let address = recorded
            .iter()
            .find(|(id, _)| id == &c.association_id)
            .map(|(_, a)| a.clone())
            .or_else(|| {
                let net: ipnet::Ipv4Net = c.cidr.parse().ok()?;
                ours.iter()
                    .any(|s| net.contains(s))
                    .then(|| "vpc_cidr.secondary".to_string())
            });
        match address {
            Some(address) => created.push(Created {
                what: Deletable::VpcCidrAssociation,
                id: c.association_id.clone(),
                parent: Some(spec.vpc_id.clone()),
                address,
                name: c.cidr.clone(),
                own_id: None,
            }),
            None if spec
                .secondary_cidr
                .as_ref()
                .is_some_and(|s| s.cidr == c.cidr) =>
            {
                left.push(format!(
                    "{} stays associated with {} ({}): neither the journal nor a subnet of this spec shows that apply associated it. If it did, and nothing uses it: aws ec2 disassociate-vpc-cidr-block --association-id {}",
                    c.cidr, spec.vpc_id, c.association_id, c.association_id
                ));
            }
            None => {}
        }
    }
    left
}

/// `apply` or `destroy`: which journal command a run records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Apply,
    Destroy,
}

impl Mode {
    pub fn command(self) -> &'static str {
        match self {
            Mode::Apply => "apply",
            Mode::Destroy => "destroy",
        }
    }

    pub fn verb(self) -> &'static str {
        match self {
            Mode::Apply => "Apply",
            Mode::Destroy => "Destroy",
        }
    }
}

/// The journal of the spec at `spec_path`, read (a damaged one is refused, naming the line).
pub fn read_journal(spec_path: &Path) -> Result<Vec<journal::Record>, Failure> {
    journal::read(&journal::path_for(spec_path)).map_err(|e| Failure::Usage(e.to_string()))
}

/// An interrupted run whose every step is in the account now: close its journal.
pub fn close_if_interrupted(spec_path: &Path, records: &[journal::Record], name: &str, mode: Mode) {
    if journal::interrupted(records).is_none() {
        return;
    }
    if let Ok(mut j) =
        journal::Journal::open(&journal::path_for(spec_path), name, mode.command(), 0)
    {
        let _ = j.write(&journal::Record::End {
            at: journal::now(),
            ok: true,
        });
    }
}

/// Run `plan` with a journal next to the spec; events go to `emit` as they happen.
/// `stop` turning true launches nothing new (running steps finish).
pub async fn execute(
    aws: &Aws,
    plan: &Plan,
    spec_path: &Path,
    mode: Mode,
    opts: &engine::Options,
    emit: &(dyn Fn(engine::Event) + Sync),
    stop: tokio::sync::watch::Receiver<bool>,
) -> Result<engine::Summary, Failure> {
    let mut journal = journal::Journal::open(
        &journal::path_for(spec_path),
        &plan.name,
        mode.command(),
        plan.actions.len(),
    )
    .map_err(|e| Failure::Usage(e.to_string()))?;
    let summary = engine::run(plan, aws, &mut journal, opts, emit, stop).await;
    tracing::info!(
        mutating_calls = aws.mutating_calls(),
        actions = plan.actions.len(),
        wall_ms = summary.wall.as_millis() as u64,
        "{} finished",
        mode.command()
    );
    Ok(summary)
}

/// With `EKS_PRIVATE_TUI_CALLS_FILE` set, write every AWS call this process made there,
/// one `service:Operation` a line (the tests check them against [`crate::calls`]).
pub fn write_calls_made() {
    if let Some(path) = std::env::var_os("EKS_PRIVATE_TUI_CALLS_FILE") {
        let mut text = aws::calls_made().join("\n");
        text.push('\n');
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!(
                "warning: cannot write {}: {e}",
                std::path::Path::new(&path).display()
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{SubnetKind, VpcCidr};
    use crate::rules::testkit;

    #[test]
    fn what_an_export_owns_is_left_to_its_owner_one_line_each() {
        use crate::spec::{OWNER_TAG, PLAN_TAG};
        let mut inv = testkit::inventory();
        let s = testkit::spec();
        let v = testkit::vpc_mut(&mut inv);
        let own = |t: &mut crate::inventory::Tags, owner: &str, plan: &str| {
            t.insert(OWNER_TAG.into(), owner.into());
            t.insert(PLAN_TAG.into(), plan.into());
        };
        own(&mut v.subnets[0].tags, "terraform", "prod-private");
        own(&mut v.subnets[1].tags, "cloudformation", "prod-private");
        // Another spec's: not this one's to mention.
        own(&mut v.subnets[2].tags, "terraform", "other");
        let lines = stack_owned(&s, &inv);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[0].contains("the stack: delete the stack"),
            "{lines:?}"
        );
        assert!(
            lines[1].starts_with("1 resource(s) that Terraform made")
                && lines[1].contains("run terraform destroy"),
            "{lines:?}"
        );
    }

    /// The reference account with 100.64.0.0/16 associated to vpc-prod and a pod subnet in
    /// it, and the spec asking for that CIDR.
    fn with_secondary() -> (Inventory, Spec) {
        let mut inv = testkit::inventory();
        let v = testkit::vpc_mut(&mut inv);
        v.cidrs.push(VpcCidr {
            cidr: "100.64.0.0/16".into(),
            state: CidrState::Associated,
            association_id: "vpc-cidr-assoc-pods".into(),
        });
        v.subnets.push(testkit::subnet(
            "subnet-pod-a",
            "eu-west-1a",
            "euw1-az1",
            "100.64.0.0/19",
            SubnetKind::Isolated,
            "rtb-priv-a",
        ));
        let mut s = testkit::spec();
        s.secondary_cidr = Some(crate::spec::SecondaryCidr {
            cidr: "100.64.0.0/16".into(),
            pod_subnets: [("eu-west-1a".to_string(), "100.64.0.0/19".to_string())].into(),
        });
        (inv, s)
    }

    #[test]
    fn a_secondary_cidr_not_proven_ours_is_left_and_named() {
        // Issue 10, case 7: without the journal and without a subnet of this spec in it,
        // destroy leaves the CIDR and says so, with the command that would remove it.
        let (inv, s) = with_secondary();
        let mut created = vec![];
        let left = cidr_associations(&s, &inv, &[], &mut created);
        assert!(created.is_empty(), "{created:?}");
        assert_eq!(left.len(), 1, "{left:?}");
        for part in [
            "100.64.0.0/16 stays associated with vpc-prod (vpc-cidr-assoc-pods)",
            "neither the journal nor a subnet of this spec",
            "aws ec2 disassociate-vpc-cidr-block --association-id vpc-cidr-assoc-pods",
        ] {
            assert!(left[0].contains(part), "{part:?} in {}", left[0]);
        }
        // A pod subnet that carries this spec's tags proves it: deleted, nothing said.
        let mut created = vec![Created {
            what: Deletable::Subnet,
            id: "subnet-pod-a".into(),
            parent: None,
            address: "subnet.pod[\"eu-west-1a\"]".into(),
            name: "pods-a".into(),
            own_id: None,
        }];
        let left = cidr_associations(&s, &inv, &[], &mut created);
        assert_eq!(left, Vec::<String>::new());
        assert!(
            created
                .iter()
                .any(|c| c.what == Deletable::VpcCidrAssociation
                    && c.id == "vpc-cidr-assoc-pods"
                    && c.address == "vpc_cidr.secondary"),
            "{created:?}"
        );
        // A CIDR the spec does not ask for is neither deleted nor mentioned.
        let mut other = s.clone();
        other.secondary_cidr = None;
        let mut created = vec![];
        assert_eq!(
            cidr_associations(&other, &inv, &[], &mut created),
            Vec::<String>::new()
        );
        assert!(created.is_empty());
    }
}
