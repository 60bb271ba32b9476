//! `terraform`: HCL for the AWS provider with what the plan creates (the same resources as
//! the CloudFormation template, wired by references where the plan waits for another
//! action's output), and `import` blocks for what exists already and the spec manages: the
//! endpoints it adopted, an S3 gateway it adds route tables to, and the cluster whose
//! endpoint access it sets. A team takes the file into its own Terraform; `terraform plan`
//! then shows the imports and what is still to do.
//!
//! What Terraform cannot do without taking over a whole resource the spec does not own
//! (the VPC's DNS attributes) is named in the header, left to `apply`. The security
//! groups get only the egress they need (Terraform removes AWS's default allow-all rule):
//! none for the endpoints and the inbound Resolver endpoint (answers are stateful), DNS to
//! the forward rule's targets for the outbound one.
//!
//! The resources carry this spec's tags, so that `plan` adopts them as the spec's, and the
//! owner tag (`eks-private-tui:owner: terraform`), so that `destroy` leaves them to
//! `terraform destroy` and says so.

use super::held::{Held, Import};
use super::{Cannot, File, Source, plain, provenance};
use crate::inventory::{Cluster, Endpoint};
use crate::plan::{Action, Change, Ref, Targets};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// The provider versions the file is written for: `ignore_changes` names cluster
/// attributes that 5.79 added (compute, storage and remote network configuration).
const PROVIDER_VERSION: &str = ">= 5.79";

/// An HCL expression.
#[derive(Debug, Clone)]
enum H {
    Str(String),
    /// An expression written as is (a reference, a `for`).
    Raw(String),
    Bool(bool),
    Num(i64),
    List(Vec<H>),
    Map(Vec<(String, H)>),
}

fn s(v: &str) -> H {
    H::Str(v.to_string())
}

fn raw(v: impl Into<String>) -> H {
    H::Raw(v.into())
}

fn strs<'a>(items: impl IntoIterator<Item = &'a String>) -> H {
    H::List(items.into_iter().map(|i| s(i)).collect())
}

/// A quoted HCL string: `\`, `"` and control characters escaped, and `${` / `%{`
/// doubled so that nothing from the spec or the account is read as a template.
fn quote(v: &str) -> String {
    let mut out = String::with_capacity(v.len() + 2);
    out.push('"');
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A map key: bare when it is an identifier, else quoted.
fn key(k: &str) -> String {
    let bare = k.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare { k.to_string() } else { quote(k) }
}

impl H {
    fn write(&self, out: &mut String, indent: usize) {
        match self {
            H::Str(v) => out.push_str(&quote(v)),
            H::Raw(v) => out.push_str(v),
            H::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            H::Num(n) => {
                let _ = write!(out, "{n}");
            }
            H::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write(out, indent);
                }
                out.push(']');
            }
            H::Map(pairs) if pairs.is_empty() => out.push_str("{}"),
            H::Map(pairs) => {
                out.push_str("{\n");
                let width = pairs.iter().map(|(k, _)| key(k).len()).max().unwrap_or(0);
                for (k, v) in pairs {
                    let k = key(k);
                    let _ = write!(out, "{}{k:width$} = ", "  ".repeat(indent + 1));
                    v.write(out, indent + 1);
                    out.push('\n');
                }
                let _ = write!(out, "{}}}", "  ".repeat(indent));
            }
        }
    }
}

/// A block: `kind "label" … { body }`.
#[derive(Debug, Clone)]
struct Block {
    kind: String,
    labels: Vec<String>,
    body: Vec<Item>,
}

#[derive(Debug, Clone)]
enum Item {
    Attr(String, H),
    Block(Block),
    Comment(String),
}

impl Block {
    fn new(kind: &str, labels: &[&str]) -> Block {
        Block {
            kind: kind.into(),
            labels: labels.iter().map(|l| l.to_string()).collect(),
            body: vec![],
        }
    }

    fn attr(mut self, k: &str, v: H) -> Block {
        self.body.push(Item::Attr(k.into(), v));
        self
    }

    fn block(mut self, b: Block) -> Block {
        self.body.push(Item::Block(b));
        self
    }

    fn comment(mut self, c: impl Into<String>) -> Block {
        self.body.push(Item::Comment(c.into()));
        self
    }

    /// Written as `terraform fmt` would: two-space indents, the `=` of neighbouring
    /// one-line attributes aligned, a blank line around nested blocks.
    fn write(&self, out: &mut String, indent: usize) {
        let pad = "  ".repeat(indent);
        let _ = write!(out, "{pad}{}", self.kind);
        for l in &self.labels {
            let _ = write!(out, " {}", quote(l));
        }
        out.push_str(" {\n");
        let mut i = 0;
        while i < self.body.len() {
            match &self.body[i] {
                Item::Comment(c) => {
                    let _ = writeln!(out, "{pad}  {c}");
                    i += 1;
                }
                Item::Block(b) => {
                    if i > 0 {
                        out.push('\n');
                    }
                    b.write(out, indent + 1);
                    i += 1;
                }
                Item::Attr(..) => {
                    let run_end = (i..self.body.len())
                        .find(|&j| !matches!(self.body[j], Item::Attr(..)))
                        .unwrap_or(self.body.len());
                    let run = &self.body[i..run_end];
                    // terraform fmt aligns the `=` of a run of attributes.
                    let width = run
                        .iter()
                        .map(|it| match it {
                            Item::Attr(k, _) => k.len(),
                            _ => 0,
                        })
                        .max()
                        .unwrap_or(0);
                    for it in run {
                        if let Item::Attr(k, v) = it {
                            let _ = write!(out, "{pad}  {k:width$} = ");
                            v.write(out, indent + 1);
                            out.push('\n');
                        }
                    }
                    i = run_end;
                }
            }
        }
        let _ = writeln!(out, "{pad}}}");
    }
}

/// `security_group_rule.endpoints_443["10.0.0.0/16"]` → `endpoints_443_10_0_0_0_16`: a
/// Terraform resource name (letters, digits, underscores; a letter first).
fn resource_name(address: &str) -> String {
    let rest = address.split_once('.').map_or(address, |(_, r)| r);
    let mut name = String::new();
    for c in rest.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('_') {
            name.push('_');
        }
    }
    let name = name.trim_matches('_').to_string();
    match name.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => name,
        _ => format!("r_{name}"),
    }
}

/// `10.0.0.0/16` → `10_0_0_0_16`: a part of a resource or variable name.
fn ident(v: &str) -> String {
    v.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// The resources an ingress action makes: one per protocol and CIDR, as AWS keeps them
/// (`name`, or `name_<protocol>_<cidr>` when there are several).
fn ingress_names(
    name: &str,
    protocols: &[String],
    cidrs: &[String],
) -> Vec<(String, String, String)> {
    let many = protocols.len() * cidrs.len() > 1;
    protocols
        .iter()
        .flat_map(|p| cidrs.iter().map(move |c| (p, c)))
        .map(|(p, c)| {
            let n = if many {
                format!("{name}_{p}_{}", ident(c))
            } else {
                name.to_string()
            };
            (n, p.clone(), c.clone())
        })
        .collect()
}

/// `tags` for a resource Terraform holds: without AWS's own (`aws:`) and any owner tag,
/// then the owner tag `terraform`, so that `destroy` leaves the resource to Terraform.
fn held_by_terraform(tags: impl IntoIterator<Item = (String, String)>) -> H {
    use crate::spec::OWNER_TAG;
    H::Map(
        tags.into_iter()
            .filter(|(k, _)| !k.starts_with("aws:") && k != OWNER_TAG)
            .chain([(OWNER_TAG.to_string(), "terraform".to_string())])
            .map(|(k, v)| (k, H::Str(v)))
            .collect(),
    )
}

/// The tags of what Terraform makes for `a`: those apply would put on (so that `plan`
/// knows it as the spec's), its extra ones, and the owner tag.
fn tags(src: &Source, a: &Action, extra: &[(String, String)]) -> H {
    held_by_terraform(
        crate::apply::resource_tags(src.plan, a)
            .into_iter()
            .chain(extra.iter().cloned()),
    )
}

/// The resource type a change makes.
fn resource_type(c: &Change) -> Option<&'static str> {
    Some(match c {
        Change::TagSubnet { .. } => "aws_ec2_tag",
        Change::CreateSecurityGroup { .. } => "aws_security_group",
        Change::AuthorizeIngress { .. } => "aws_vpc_security_group_ingress_rule",
        Change::AssociateVpcCidr { .. } => "aws_vpc_ipv4_cidr_block_association",
        Change::CreateSubnet { .. } => "aws_subnet",
        Change::AssociateRouteTable { .. } => "aws_route_table_association",
        Change::CreateInterfaceEndpoint { .. }
        | Change::CreateGatewayEndpoint { .. }
        | Change::AddGatewayRouteTables { .. } => "aws_vpc_endpoint",
        Change::UpdateClusterAccess { .. } => "aws_eks_cluster",
        Change::CreateResolverEndpoint { .. } => "aws_route53_resolver_endpoint",
        Change::CreateResolverRule { .. } => "aws_route53_resolver_rule",
        Change::AssociateResolverRule { .. } => "aws_route53_resolver_rule_association",
        Change::SetVpcAttribute { .. }
        | Change::Delete { .. }
        // The tool's own record of the cluster's access, and destroy's restores.
        | Change::TagCluster { .. }
        | Change::UntagCluster { .. }
        | Change::UntagSubnet { .. }
        | Change::RemoveGatewayRouteTables { .. }
        | Change::AddEndpointSubnets { .. }
        | Change::RemoveEndpointSubnets { .. } => return None,
    })
}

/// What a planned action the file leaves to `apply` says instead.
fn left_out(a: &Action) -> Option<String> {
    match &a.change {
        Change::SetVpcAttribute {
            attribute, vpc_id, ..
        } => Some(format!(
            "{attribute:?} on {vpc_id} (Terraform sets it only on an aws_vpc it manages)"
        )),
        Change::Delete { .. } => Some(format!("{} (a deletion)", a.address)),
        _ => super::not_a_resource(a),
    }
}

struct Doc<'a> {
    /// Plan address → `type.name`, for what the file makes or imports.
    names: BTreeMap<&'a str, String>,
    /// Plan address → the `type.name`s of the resources it makes, where there are
    /// several (an ingress action with several protocols or CIDRs).
    split: BTreeMap<&'a str, Vec<String>>,
    /// VPC ID → variable name.
    vpcs: BTreeMap<String, String>,
    /// Security group ID → `type.name`, for the existing groups the file imports.
    groups: BTreeMap<String, String>,
}

impl Doc<'_> {
    fn vpc(&self, id: &str) -> H {
        raw(format!("var.{}", self.vpcs[id]))
    }

    /// An ID: the literal, or the attribute of a resource of this file.
    fn id(&self, r: &Ref, attribute: &str) -> H {
        match r {
            Ref::Id(id) => s(id),
            Ref::Output(a) => raw(format!("{}.{attribute}", self.names[a.as_str()])),
        }
    }

    /// `depends_on` for orderings the plan keeps that no reference expresses (a pod
    /// subnet after its CIDR).
    fn depends_on(&self, a: &Action) -> Option<H> {
        let referenced = a.change.refs();
        let after: Vec<H> = a
            .depends_on
            .iter()
            .filter(|d| !referenced.contains(&d.as_str()))
            .flat_map(|d| match self.split.get(d.as_str()) {
                Some(all) => all.clone(),
                None => self.names.get(d.as_str()).cloned().into_iter().collect(),
            })
            .map(raw)
            .collect();
        (!after.is_empty()).then_some(H::List(after))
    }
}

/// The resource for an existing interface or gateway endpoint, as read (route tables as
/// given), so that importing it changes nothing but what the spec asks for. It gets the
/// owner tag: Terraform holds it from then on, and `destroy` neither deletes it (one an
/// apply made) nor puts back what apply changed on it (issue 26, 6).
fn existing_endpoint(doc: &Doc, e: &Endpoint, vpc: &str, route_tables: Option<&[String]>) -> Block {
    let mut b = Block::new("resource", &["aws_vpc_endpoint", "x"])
        .attr("vpc_id", doc.vpc(vpc))
        .attr("service_name", s(&e.service_name))
        .attr("vpc_endpoint_type", s(&e.kind));
    if e.kind.eq_ignore_ascii_case("interface") {
        b = b
            .attr("subnet_ids", strs(&e.subnet_ids))
            .attr(
                "security_group_ids",
                H::List(
                    e.security_group_ids
                        .iter()
                        .map(|g| match doc.groups.get(g) {
                            Some(r) => raw(format!("{r}.id")),
                            None => s(g),
                        })
                        .collect(),
                ),
            )
            .attr("private_dns_enabled", H::Bool(e.private_dns));
    } else {
        let tables: BTreeSet<&String> = route_tables
            .map(|t| t.iter().collect())
            .unwrap_or_else(|| e.route_table_ids.iter().collect());
        b = b.attr("route_table_ids", strs(tables));
    }
    b.attr("tags", held_by_terraform(e.tags.clone()))
}

/// checkov's cluster checks that the spec's choices or the cluster's own settings (which
/// this file does not manage) would fail, each with why.
fn cluster_skips(c: &Cluster, public: bool, cidrs: &[String]) -> Vec<String> {
    let mut out = vec![];
    let all_logs = [
        "api",
        "audit",
        "authenticator",
        "controllerManager",
        "scheduler",
    ];
    if !all_logs.iter().all(|l| c.logging.iter().any(|x| x == l)) {
        out.push(
            "CKV_AWS_37:control-plane logging is the cluster's own setting, kept as read".into(),
        );
    }
    out.push("CKV_AWS_58:secrets encryption is the cluster's own setting (ignore_changes)".into());
    if public {
        out.push("CKV_AWS_39:the spec keeps public access (clusterEndpoint.publicAccess)".into());
        if cidrs.is_empty() || cidrs.iter().any(|c| c == "0.0.0.0/0") {
            out.push("CKV_AWS_38:the spec opens public access to 0.0.0.0/0 (clusterEndpoint.publicAccessCidrs)".into());
        }
    }
    out
}

/// The cluster, imported, with the endpoint access the spec asks for.
fn cluster_block(
    c: &Cluster,
    private: bool,
    public: bool,
    cidrs: &[String],
) -> Result<Block, Cannot> {
    let role = c.role_arn.as_deref().ok_or_else(|| {
        Cannot::Spec(format!(
            "terraform imports cluster {} with its IAM role, and the account as read does not give it: read the account again (inventory)",
            c.name
        ))
    })?;
    let mut b = Block::new("resource", &["aws_eks_cluster", "this"]);
    for skip in cluster_skips(c, public, cidrs) {
        b = b.comment(format!("#checkov:skip={skip}"));
    }
    let mut vpc = Block::new("vpc_config", &[])
        .attr("subnet_ids", strs(&c.subnet_ids))
        .attr("security_group_ids", strs(&c.security_group_ids))
        .attr("endpoint_private_access", H::Bool(private))
        .attr("endpoint_public_access", H::Bool(public));
    if public {
        let cidrs: Vec<String> = if cidrs.is_empty() {
            vec!["0.0.0.0/0".into()]
        } else {
            cidrs.to_vec()
        };
        vpc = vpc.attr("public_access_cidrs", strs(&cidrs));
    }
    let logs: BTreeSet<&String> = c.logging.iter().collect();
    // Its tags as read, and the owner tag: Terraform holds the cluster's endpoint access
    // from then on, and `destroy` does not put back what it was before apply.
    let tags = held_by_terraform(c.tags.clone());
    Ok(b.attr("name", s(&c.name))
        .attr("role_arn", s(role))
        .attr("enabled_cluster_log_types", strs(logs))
        .attr("tags", tags)
        .block(vpc)
        .block(
            Block::new("lifecycle", &[])
                .comment(
                    "# This file manages the cluster's endpoint access; the rest stays as it is.",
                )
                .attr("prevent_destroy", H::Bool(true))
                .attr(
                    "ignore_changes",
                    H::List(
                        [
                            "version",
                            "bootstrap_self_managed_addons",
                            "encryption_config",
                            "kubernetes_network_config",
                            "access_config",
                            "upgrade_policy",
                            "zonal_shift_config",
                            "compute_config",
                            "storage_config",
                            "remote_network_config",
                        ]
                        .into_iter()
                        .map(raw)
                        .collect(),
                    ),
                ),
        ))
}

fn import(to: &str, id: &str) -> Block {
    Block::new("import", &[])
        .attr("to", raw(to))
        .attr("id", s(id))
}

fn with_name(mut b: Block, ty: &str, name: &str) -> Block {
    b.labels = vec![ty.into(), name.into()];
    b
}

pub fn render(src: &Source) -> Result<Vec<File>, Cannot> {
    let spec = src.spec;
    let v = src.vpc()?;
    let actions: Vec<&Action> = src
        .plan
        .actions
        .iter()
        .filter(|a| left_out(a).is_none())
        .collect();
    // What exists and the spec manages: adopted endpoints, and the cluster's access.
    let adopted_endpoints: Vec<(&str, &Endpoint)> = src
        .plan
        .adopted
        .iter()
        .filter(|(a, _)| a.starts_with("endpoint."))
        .filter_map(|(a, id)| {
            v.endpoints
                .iter()
                .find(|e| &e.id == id)
                .map(|e| (a.as_str(), e))
        })
        .collect();
    let cluster = spec
        .cluster_endpoint
        .as_ref()
        .and_then(|ce| src.cluster().map(|c| (ce, c)));
    // What an apply of the spec made and the rest it manages that exists: imported, as
    // read. Endpoints go with the adopted ones above; what a stack holds stays its own.
    let held = super::held::held(src);
    let items: Vec<(&Action, Option<&Held>)> = actions
        .iter()
        .map(|a| (*a, None))
        .chain(
            held.iter()
                .filter(|h| {
                    !matches!(
                        h.action.change,
                        Change::CreateInterfaceEndpoint { .. }
                            | Change::CreateGatewayEndpoint { .. }
                    ) && h.owner.as_deref().is_none_or(|o| o == "terraform")
                })
                .map(|h| (&h.action, Some(h))),
        )
        .collect();
    if items.is_empty() && adopted_endpoints.is_empty() && cluster.is_none() {
        return Err(Cannot::Spec(
            "the spec manages nothing Terraform can hold (no endpoints, subnets, Resolver or cluster access): add endpoints or clusterEndpoint".into(),
        ));
    }

    let mut doc = Doc {
        names: BTreeMap::new(),
        split: BTreeMap::new(),
        vpcs: BTreeMap::new(),
        groups: BTreeMap::new(),
    };
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let name_for = |ty: &str, address: &str, taken: &mut BTreeSet<String>| {
        let mut n = resource_name(address);
        while taken.contains(&format!("{ty}.{n}")) {
            n.push_str("_x");
        }
        taken.insert(format!("{ty}.{n}"));
        n
    };
    for (a, _) in &items {
        let ty = resource_type(&a.change).expect("left_out covers the rest");
        let n = if matches!(a.change, Change::UpdateClusterAccess { .. }) {
            taken.insert(format!("{ty}.this"));
            "this".to_string()
        } else {
            name_for(ty, &a.address, &mut taken)
        };
        if let Change::AuthorizeIngress {
            protocols, cidrs, ..
        } = &a.change
        {
            let all = ingress_names(&n, protocols, cidrs);
            if all.len() > 1 {
                doc.split.insert(
                    a.address.as_str(),
                    all.into_iter().map(|(n, ..)| format!("{ty}.{n}")).collect(),
                );
            }
        }
        doc.names.insert(a.address.as_str(), format!("{ty}.{n}"));
    }
    for (a, h) in &items {
        if let (
            Change::CreateSecurityGroup { .. },
            Some(Held {
                import: Import::One { terraform, .. },
                ..
            }),
        ) = (&a.change, h)
        {
            doc.groups
                .insert(terraform.clone(), doc.names[a.address.as_str()].clone());
        }
    }
    for (a, _) in &adopted_endpoints {
        let n = name_for("aws_vpc_endpoint", a, &mut taken);
        doc.names.insert(a, format!("aws_vpc_endpoint.{n}"));
    }
    let mut vpc_ids: Vec<&str> = vec![v.id.as_str()];
    for (a, _) in &items {
        match &a.change {
            Change::CreateSecurityGroup { vpc_id, .. }
            | Change::AssociateVpcCidr { vpc_id, .. }
            | Change::CreateSubnet { vpc_id, .. }
            | Change::CreateInterfaceEndpoint { vpc_id, .. }
            | Change::CreateGatewayEndpoint { vpc_id, .. }
            | Change::AssociateResolverRule { vpc_id, .. } => vpc_ids.push(vpc_id),
            _ => {}
        }
    }
    vpc_ids.sort();
    vpc_ids.dedup();
    for id in &vpc_ids {
        plain("vpcId", id)?;
        let name = if *id == spec.vpc_id {
            "vpc_id".to_string()
        } else {
            format!("vpc_{}", ident(id.trim_start_matches("vpc-")))
        };
        doc.vpcs.insert(id.to_string(), name);
    }

    let mut blocks: Vec<Block> = vec![];
    let mut imports: Vec<Block> = vec![];
    let inbound_subnets = actions.iter().find_map(|a| match &a.change {
        Change::CreateResolverEndpoint {
            direction,
            subnet_ids,
            ..
        } if direction == "INBOUND" => Some(subnet_ids.len()),
        _ => None,
    });
    // The forward rule's targets, for the outbound group's egress: fixed IPs, or the
    // inbound endpoint this file makes.
    let forward_targets: Option<&Targets> = actions.iter().find_map(|a| match &a.change {
        Change::CreateResolverRule { targets, .. } => Some(targets),
        _ => None,
    });
    let mut cluster_done = false;
    for (a, h) in &items {
        let a = *a;
        let full = doc.names[a.address.as_str()].clone();
        let (ty, name) = full.split_once('.').expect("type.name");
        let res = |b: Block| with_name(b, ty, name);
        // What exists is imported, with its tags as read.
        if let Some(Held {
            import: Import::One { terraform, .. },
            ..
        }) = h
        {
            imports.push(import(&full, terraform));
        }
        let tags = |extra: &[(String, String)]| match h.and_then(|h| h.tags.as_ref()) {
            Some(read) => held_by_terraform(read.iter().cloned()),
            None => tags(src, a, extra),
        };
        let block = match &a.change {
            Change::TagSubnet {
                subnet_id,
                key,
                value,
            } => {
                // A tag apply added carries a marker that destroy reads: Terraform takes
                // it over too, so that destroy leaves the tag to Terraform.
                if h.is_some() {
                    let marker = format!("{}{key}", crate::plan::undo::ADDED_TAG_PREFIX);
                    let n = format!("{name}_held");
                    imports.push(import(
                        &format!("{ty}.{n}"),
                        &format!("{subnet_id},{marker}"),
                    ));
                    blocks.push(
                        with_name(Block::new("resource", &[]), ty, &n)
                            .attr("resource_id", s(subnet_id))
                            .attr("key", s(&marker))
                            .attr("value", s("terraform")),
                    );
                }
                res(Block::new("resource", &[])
                    .attr("resource_id", s(subnet_id))
                    .attr("key", s(key))
                    .attr("value", s(value)))
            }
            Change::CreateSecurityGroup {
                vpc_id,
                name: group,
                description,
            } => {
                let b = res(Block::new("resource", &[])
                    .attr("name", s(group))
                    .attr("description", s(description))
                    .attr("vpc_id", doc.vpc(vpc_id))
                    .attr("tags", tags(&[])));
                blocks.push(b);
                // The outbound Resolver endpoint's group made here: DNS to the rule's
                // targets (one imported keeps the egress it has).
                if a.address == "security_group.resolver_outbound" && h.is_none() {
                    egress_to_targets(&doc, &full, forward_targets, inbound_subnets, &mut blocks);
                }
                continue;
            }
            Change::AuthorizeIngress {
                group,
                protocols,
                port,
                cidrs,
                description,
            } => {
                for (n, p, c) in ingress_names(name, protocols, cidrs) {
                    plain("a CIDR", &c)?;
                    if let Some(Held {
                        import: Import::Rules(ids),
                        ..
                    }) = h
                        && let Some(id) = ids.get(&(p.clone(), c.clone()))
                    {
                        imports.push(import(&format!("{ty}.{n}"), id));
                    }
                    let (p, c) = (&p, &c);
                    let mut b = with_name(Block::new("resource", &[]), ty, &n)
                        .attr("security_group_id", doc.id(group, "id"))
                        .attr("description", s(description))
                        .attr("ip_protocol", s(p))
                        .attr("from_port", H::Num((*port).into()))
                        .attr("to_port", H::Num((*port).into()))
                        .attr("cidr_ipv4", s(c))
                        .attr("tags", tags(&[]));
                    if let Some(d) = doc.depends_on(a) {
                        b = b.attr("depends_on", d);
                    }
                    blocks.push(b);
                }
                continue;
            }
            Change::AssociateVpcCidr { vpc_id, cidr } => res(Block::new("resource", &[])
                .attr("vpc_id", doc.vpc(vpc_id))
                .attr("cidr_block", s(cidr))),
            Change::CreateSubnet {
                vpc_id,
                az,
                cidr,
                tags: extra,
                ..
            } => res(Block::new("resource", &[])
                .attr("vpc_id", doc.vpc(vpc_id))
                .attr("availability_zone", s(az))
                .attr("cidr_block", s(cidr))
                .attr("tags", tags(extra))),
            Change::AssociateRouteTable {
                route_table_id,
                subnet,
            } => res(Block::new("resource", &[])
                .attr("subnet_id", doc.id(subnet, "id"))
                .attr("route_table_id", s(route_table_id))),
            Change::CreateInterfaceEndpoint {
                vpc_id,
                service_name,
                subnet_ids,
                security_group,
                private_dns,
                ..
            } => res(Block::new("resource", &[])
                .attr("vpc_id", doc.vpc(vpc_id))
                .attr("service_name", s(service_name))
                .attr("vpc_endpoint_type", s("Interface"))
                .attr("subnet_ids", strs(subnet_ids))
                .attr(
                    "security_group_ids",
                    H::List(vec![doc.id(security_group, "id")]),
                )
                .attr("private_dns_enabled", H::Bool(*private_dns))
                .attr("tags", tags(&[]))),
            Change::CreateGatewayEndpoint {
                vpc_id,
                service_name,
                route_table_ids,
                ..
            } => res(Block::new("resource", &[])
                .attr("vpc_id", doc.vpc(vpc_id))
                .attr("service_name", s(service_name))
                .attr("vpc_endpoint_type", s("Gateway"))
                .attr("route_table_ids", strs(route_table_ids))
                .attr("tags", tags(&[]))),
            Change::AddGatewayRouteTables {
                endpoint_id,
                route_table_ids,
            } => {
                let Some(e) = v.endpoints.iter().find(|e| &e.id == endpoint_id) else {
                    continue;
                };
                let all: Vec<String> = e
                    .route_table_ids
                    .iter()
                    .chain(route_table_ids)
                    .cloned()
                    .collect();
                imports.push(import(&full, endpoint_id));
                res(existing_endpoint(&doc, e, &v.id, Some(&all)))
            }
            Change::UpdateClusterAccess {
                cluster: cname,
                private_access,
                public_access,
                public_access_cidrs,
            } => {
                let Some(c) = src.inv.clusters.iter().find(|c| &c.name == cname) else {
                    continue;
                };
                cluster_done = true;
                imports.push(import(&full, cname));
                res(cluster_block(
                    c,
                    *private_access,
                    *public_access,
                    public_access_cidrs,
                )?)
            }
            Change::CreateResolverEndpoint {
                name: ename,
                direction,
                subnet_ids,
                security_group,
            } => {
                let mut b = Block::new("resource", &[])
                    .attr("name", s(ename))
                    .attr("direction", s(direction))
                    .attr(
                        "security_group_ids",
                        H::List(vec![doc.id(security_group, "id")]),
                    )
                    .attr("tags", tags(&[]));
                let read = h.map(|h| h.ips.as_slice()).unwrap_or_default();
                if read.is_empty() {
                    for sn in subnet_ids {
                        b = b.block(Block::new("ip_address", &[]).attr("subnet_id", s(sn)));
                    }
                } else {
                    // Imported: its addresses as they are, so that nothing is replaced.
                    for (sn, ip) in read {
                        b = b.block(
                            Block::new("ip_address", &[])
                                .attr("subnet_id", s(sn))
                                .attr("ip", s(ip)),
                        );
                    }
                }
                res(b)
            }
            Change::CreateResolverRule {
                name: rname,
                domain,
                targets,
                endpoint,
            } => {
                let mut b = Block::new("resource", &[])
                    .attr("name", s(rname))
                    .attr("domain_name", s(domain))
                    .attr("rule_type", s("FORWARD"))
                    .attr("resolver_endpoint_id", doc.id(endpoint, "id"))
                    .attr("tags", tags(&[]));
                match targets {
                    Targets::Ips(ips) => {
                        for t in ips {
                            let (ip, port) = t.rsplit_once(':').unwrap_or((t, "53"));
                            b = b.block(
                                Block::new("target_ip", &[])
                                    .attr("ip", s(ip))
                                    .attr("port", H::Num(port.parse().unwrap_or(53))),
                            );
                        }
                    }
                    Targets::EndpointIps(r) => {
                        let from = doc.id(r, "ip_address");
                        let H::Raw(from) = from else {
                            return Err(Cannot::Spec(
                                "the forward rule's targets name an endpoint by ID: give the IPs"
                                    .into(),
                            ));
                        };
                        b = b.block(
                            Block::new("dynamic", &["target_ip"])
                                .attr("for_each", raw(from))
                                .block(
                                    Block::new("content", &[])
                                        .attr("ip", raw("target_ip.value.ip"))
                                        .attr("port", H::Num(53)),
                                ),
                        );
                    }
                }
                res(b)
            }
            Change::AssociateResolverRule {
                rule,
                vpc_id,
                name: aname,
            } => res(Block::new("resource", &[])
                .attr("name", s(aname))
                .attr("resolver_rule_id", doc.id(rule, "id"))
                .attr("vpc_id", doc.vpc(vpc_id))),
            // No resource of its own: `resource_type` says which.
            _ => continue,
        };
        let block = match doc.depends_on(a) {
            Some(d) => block.attr("depends_on", d),
            None => block,
        };
        blocks.push(block);
    }
    for (a, e) in &adopted_endpoints {
        let full = &doc.names[a];
        let (ty, name) = full.split_once('.').expect("type.name");
        imports.push(import(full, &e.id));
        blocks.push(with_name(existing_endpoint(&doc, e, &v.id, None), ty, name));
    }
    // The cluster's access as the spec has it, already so: imported, nothing to change.
    if let (Some((ce, c)), false) = (cluster, cluster_done) {
        imports.push(import("aws_eks_cluster.this", &c.name));
        blocks.push(cluster_block(
            c,
            ce.private_access,
            ce.public_access,
            &ce.public_access_cidrs,
        )?);
    }

    let mut text = String::new();
    let _ = writeln!(text, "# {}", provenance(spec));
    let _ = writeln!(
        text,
        "# Private networking for EKS cluster {} in {}: Terraform >= 1.5 (import blocks), AWS provider {PROVIDER_VERSION}.",
        spec.cluster_name.as_deref().unwrap_or("(no cluster named)"),
        spec.vpc_id
    );
    let rest: Vec<String> = src.plan.actions.iter().filter_map(left_out).collect();
    if !rest.is_empty() {
        text.push_str("# Left to `eks-private-tui apply`:\n");
        for r in &rest {
            let _ = writeln!(text, "#   {r}");
        }
    }
    if !imports.is_empty() {
        text.push_str(
            "# The import blocks take what exists into your state; `terraform plan` shows them first.\n",
        );
    }
    text.push_str("# Security groups get only the egress they need: Terraform removes AWS's default allow-all rule.\n");
    text.push_str("# Terraform owns what it creates (tag eks-private-tui:owner = terraform): `eks-private-tui destroy` leaves it.\n\n");
    let mut top = vec![
        Block::new("terraform", &[])
            .attr("required_version", s(">= 1.5.0"))
            .block(Block::new("required_providers", &[]).attr(
                "aws",
                H::Map(vec![
                    ("source".into(), s("hashicorp/aws")),
                    ("version".into(), s(PROVIDER_VERSION)),
                ]),
            )),
        Block::new("provider", &["aws"]).attr("region", s(&spec.region)),
    ];
    for (id, name) in &doc.vpcs {
        top.push(
            Block::new("variable", &[name])
                .attr("description", s(&format!("The VPC {id} of the spec")))
                .attr("type", raw("string"))
                .attr("default", s(id)),
        );
    }
    for b in top.iter().chain(&blocks).chain(&imports) {
        b.write(&mut text, 0);
        text.push('\n');
    }
    text.truncate(text.trim_end().len());
    text.push('\n');
    Ok(vec![File::new(
        format!("{}.tf", crate::spec::slug(&spec.metadata.name)),
        text,
    )])
}

/// Egress from the outbound Resolver endpoint's group: TCP and UDP to each target of the
/// forward rule (fixed IPs, or each IP of the inbound endpoint made here).
fn egress_to_targets(
    doc: &Doc,
    group: &str,
    targets: Option<&Targets>,
    inbound_subnets: Option<usize>,
    blocks: &mut Vec<Block>,
) {
    let ty = "aws_vpc_security_group_egress_rule";
    let base = |proto: &str, count: Option<usize>| {
        let b = Block::new("resource", &[ty, &format!("resolver_outbound_53_{proto}")]);
        match count {
            Some(n) => b.attr("count", H::Num(n as i64)),
            None => b,
        }
        .attr("security_group_id", raw(format!("{group}.id")))
        .attr("description", s("DNS to the forward rule's targets"))
        .attr("ip_protocol", s(proto))
    };
    match targets {
        Some(Targets::Ips(ips)) => {
            for (i, t) in ips.iter().enumerate() {
                let (ip, port) = t.rsplit_once(':').unwrap_or((t, "53"));
                let port: i64 = port.parse().unwrap_or(53);
                for proto in ["tcp", "udp"] {
                    let mut b = base(proto, None)
                        .attr("from_port", H::Num(port))
                        .attr("to_port", H::Num(port))
                        .attr("cidr_ipv4", s(&format!("{ip}/32")));
                    b.labels[1] = format!("resolver_outbound_53_{proto}_{}", i + 1);
                    blocks.push(b);
                }
            }
        }
        Some(Targets::EndpointIps(Ref::Output(inbound))) => {
            let Some(n) = inbound_subnets else { return };
            let Some(endpoint) = doc.names.get(inbound.as_str()) else {
                return;
            };
            for proto in ["tcp", "udp"] {
                blocks.push(
                    base(proto, Some(n))
                        .attr("from_port", H::Num(53))
                        .attr("to_port", H::Num(53))
                        .attr(
                            "cidr_ipv4",
                            raw(format!(
                                "\"${{tolist({endpoint}.ip_address)[count.index].ip}}/32\""
                            )),
                        ),
                );
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit;

    #[test]
    fn strings_cannot_start_a_template_or_end_the_quote() {
        assert_eq!(quote("a\"b"), r#""a\"b""#);
        assert_eq!(quote("${x}%{y}$z"), r#""$${x}%%{y}$z""#);
        assert_eq!(quote("a\\b\nc"), r#""a\\b\nc""#);
        assert_eq!(key("Name"), "Name");
        assert_eq!(key("kubernetes.io/role/cni"), "\"kubernetes.io/role/cni\"");
        assert_eq!(
            resource_name("security_group_rule.endpoints_443[\"10.0.0.0/16\"]"),
            "endpoints_443_10_0_0_0_16"
        );
        assert_eq!(
            resource_name("subnet.pod[\"eu-west-1a\"]"),
            "pod_eu_west_1a"
        );
    }

    #[test]
    fn every_created_resource_is_in_the_file_and_the_cluster_is_imported() {
        let mut inv = testkit::inventory();
        inv.clusters[0].role_arn = Some("arn:aws:iam::123456789012:role/eks".into());
        let mut s = testkit::spec();
        s.endpoints = Some(crate::spec::starter::base_endpoints(&inv, &s.metadata.name));
        s.secondary_cidr = Some(crate::spec::SecondaryCidr {
            cidr: "100.64.0.0/16".into(),
            pod_subnets: [("eu-west-1a".to_string(), "100.64.0.0/19".to_string())].into(),
        });
        s.cluster_endpoint = Some(crate::spec::ClusterEndpoint {
            private_access: true,
            public_access: false,
            public_access_cidrs: vec![],
            allow_https_from_cidrs: vec![],
        });
        let plan = crate::plan::plan(&s, &inv);
        let files = render(&Source {
            spec: &s,
            inv: &inv,
            plan: &plan,
        })
        .unwrap();
        // Compared with runs of blanks as one (the file aligns its `=`s).
        let text = &files[0]
            .text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for a in plan.actions.iter().filter(|a| left_out(a).is_none()) {
            let ty = resource_type(&a.change).unwrap();
            let name = if ty == "aws_eks_cluster" {
                "this".to_string()
            } else {
                resource_name(&a.address)
            };
            assert!(
                text.contains(&format!("resource \"{ty}\" \"{name}")),
                "{} as {ty}.{name}: {text}",
                a.address
            );
        }
        assert!(
            text.contains("import { to = aws_eks_cluster.this id = \"prod\" }"),
            "{text}"
        );
        assert!(text.contains("endpoint_public_access = false"), "{text}");
        assert!(
            text.contains("= [aws_vpc_ipv4_cidr_block_association.secondary]"),
            "{text}"
        );
        assert!(
            text.contains("security_group_ids = [aws_security_group.endpoints.id]"),
            "{text}"
        );
        assert!(
            text.contains("\"eks-private-tui:owner\" = \"terraform\""),
            "{text}"
        );
        // Without the role, the cluster cannot be imported: said, not invented.
        inv.clusters[0].role_arn = None;
        let plan = crate::plan::plan(&s, &inv);
        let e = render(&Source {
            spec: &s,
            inv: &inv,
            plan: &plan,
        })
        .unwrap_err();
        assert!(
            e.to_string().contains("cluster prod with its IAM role"),
            "{e}"
        );
    }
}
