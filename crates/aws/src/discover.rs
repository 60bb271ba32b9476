//! Discovery: one region (or one VPC of it) into an [`Inventory`].
//!
//! Every independent read starts at once; the only dependent chains are
//! DescribeVpcs → DescribeVpcAttribute ×2 per VPC, ListClusters → DescribeCluster (with
//! ListAddons, ListNodegroups → DescribeNodegroup per node group, DescribeInstances) per
//! cluster, DescribeSecurityGroups → GetManagedPrefixListEntries for the prefix lists
//! rules name, and ListResolverEndpoints → ListResolverEndpointIpAddresses per endpoint,
//! each fanned out `concurrency` at a time. A cluster or VPC known by name (a spec,
//! `--vpc`) starts its reads in the first round; without `--vpc` the hosted zones and
//! Profiles of the VPCs holding a cluster are read once the clusters are known. Pages
//! within one list are sequential (NextToken).

use super::{Aws, AwsError, ErrorKind};
use eks_private_tui_core::inventory::{self as inv, Inventory};
use futures::StreamExt;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone)]
pub struct DiscoverOptions {
    /// Limit the per-VPC reads to this VPC (clusters: those in it; resolver: its endpoints and the outbound ones).
    pub vpc: Option<String>,
    /// Fan-out bound for per-VPC / per-cluster / per-endpoint calls. EC2's Describe* token
    /// bucket holds 100 requests, so the default stays well under it.
    pub concurrency: usize,
    /// A cluster known by name (the spec's): described in the first round of calls.
    pub cluster: Option<String>,
    /// The VPC whose DNS attributes are read next (the one the wizard highlights); the
    /// wizard moves it while the reads run.
    pub first: Focus,
    /// Instance types to read for max pods (the spec's node group's), in the first round.
    pub instance_types: Vec<String>,
}

/// The VPC to read next, shared with whoever moves it (the wizard's cursor).
#[derive(Debug, Clone, Default)]
pub struct Focus(std::sync::Arc<std::sync::Mutex<Option<String>>>);

impl Focus {
    pub fn new(id: Option<String>) -> Self {
        Focus(std::sync::Arc::new(std::sync::Mutex::new(id)))
    }

    pub fn set(&self, id: Option<String>) {
        if let Ok(mut f) = self.0.lock() {
            *f = id;
        }
    }

    pub fn get(&self) -> Option<String> {
        self.0.lock().ok().and_then(|f| f.clone())
    }
}

/// The next VPC to read: the focused one if it is still to be read, else the first in line.
fn next_vpc(queue: &mut std::collections::VecDeque<String>, focus: &Focus) -> Option<String> {
    if let Some(f) = focus.get()
        && let Some(at) = queue.iter().position(|id| *id == f)
    {
        return queue.remove(at);
    }
    queue.pop_front()
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        DiscoverOptions {
            vpc: None,
            concurrency: 64,
            cluster: None,
            first: Focus::default(),
            instance_types: vec![],
        }
    }
}

/// `vpc-` followed by 8 or 17 hex digits.
pub fn valid_vpc_id(id: &str) -> bool {
    id.strip_prefix("vpc-").is_some_and(|h| {
        (h.len() == 8 || h.len() == 17) && h.chars().all(|c| c.is_ascii_hexdigit())
    })
}

pub async fn discover(aws: &Aws, opts: &DiscoverOptions) -> Result<Inventory, AwsError> {
    discover_with(aws, opts, &|_| {}).await
}

/// The per-VPC lists of the first round, as read.
#[derive(Clone)]
struct Lists {
    dhcp: Vec<inv::DhcpOptions>,
    subnets: Vec<(String, inv::Subnet)>,
    route_tables: Vec<(String, inv::RouteTable)>,
    igws: Vec<(String, String)>,
    nats: Vec<(String, inv::NatGateway)>,
    endpoints: Vec<(String, inv::Endpoint)>,
    sgs: Vec<(String, inv::SecurityGroup)>,
    nacls: Vec<(String, inv::NetworkAcl)>,
    peerings: Vec<inv::Peering>,
    /// The prefix lists the groups' ingress rules name, read after the groups.
    prefix_lists: Vec<inv::PrefixList>,
    unread: Vec<inv::Unread>,
}

/// What discovery has read so far, for the progress reports.
#[derive(Default)]
struct Seen {
    vpcs: Option<Vec<(inv::Vpc, Option<String>)>>,
    lists: Option<Lists>,
    clusters: Option<Vec<inv::Cluster>>,
    dns: HashMap<String, (bool, bool)>,
    last: Option<std::time::Instant>,
}

/// How often a progress report may follow the last (DNS answers stream in).
const REPORT_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// [`discover`], reporting partial inventories as the reads answer: the VPC list as soon
/// as DescribeVpcs answers, the per-VPC lists as soon as they are in, DNS attributes as
/// they arrive (`opts.first`'s first). A partial inventory has `pending` set.
pub async fn discover_with(
    aws: &Aws,
    opts: &DiscoverOptions,
    progress: &(dyn Fn(Inventory) + Sync),
) -> Result<Inventory, AwsError> {
    if let Some(v) = &opts.vpc
        && !valid_vpc_id(v)
    {
        return Err(AwsError::usage(
            format!("{v:?} is not a VPC ID"),
            "pass an ID such as vpc-0123456789abcdef0 (run `eks-private-tui inventory` to list VPCs)",
        ));
    }
    let vpc = opts.vpc.as_deref();
    let conc = opts.concurrency.max(1);
    let region = aws.region.as_str();
    let seen = std::sync::Mutex::new(Seen::default());
    // Report what is known; `force` for a new stage, else at most every REPORT_EVERY.
    let report = |force: bool| report_seen(&seen, region, opts, progress, force);

    // Every read is retried while AWS throttles it or fails on its side (5xx).
    macro_rules! p {
        ($call:expr) => {
            super::patiently(|| $call, aws.patience)
        };
    }
    let vpcs_with_dns = read_vpcs(aws, opts, &seen, &report);
    let lists = read_lists(aws, vpc, region, &seen, &report);
    let clusters = async {
        let c = p!(aws.clusters(conc, opts.cluster.as_deref())).await?;
        if let Ok(mut s) = seen.lock() {
            s.clusters = Some(c.0.clone());
        }
        Ok::<_, AwsError>(c)
    };

    let (
        vpcs,
        lists,
        clusters,
        r_endpoints,
        regions,
        identity,
        azs,
        services,
        r_rules,
        r_assocs,
        bpa,
        operator,
        types,
        early_dns,
    ) = tokio::join!(
        // The heads of the dependent chains go out first: a server that answers in
        // arrival order then starts the second round sooner.
        vpcs_with_dns,
        lists,
        clusters,
        p!(aws.resolver_endpoints(vpc, conc)),
        p!(aws.regions(None)),
        p!(aws.caller_identity()),
        p!(aws.availability_zones()),
        p!(aws.endpoint_services(region)),
        p!(aws.resolver_rules()),
        p!(aws.resolver_rule_associations()),
        aws.block_public_access(),
        aws.operator(),
        futures::future::join_all(opts.instance_types.iter().map(|n| {
            aws.optionally(inv::Unread::instance_type(n), move || {
                aws.instance_types(std::slice::from_ref(n))
            })
        })),
        // P11 for a VPC known from the start (`--vpc`, a spec): in the first round.
        async {
            match vpc {
                Some(id) => Some(aws.vpc_dns(id).await),
                None => None,
            }
        },
    );

    // Most telling error first: a region AWS does not know, then identity.
    check_region(aws, region, &regions).await?;
    let (account, caller_arn) = identity?;
    let usable = usable_regions(regions)?;
    let (vpcs, dns) = vpcs?;
    if let Some(v) = vpc
        && vpcs.is_empty()
    {
        let mut e = AwsError::new(
            ErrorKind::NotFound,
            "ec2",
            "DescribeVpcs",
            format!("VPC {v} does not exist in {region} (account {account})"),
            "check the ID and --region; run `eks-private-tui inventory` to list the VPCs",
        );
        e.code = Some("InvalidVpcID.NotFound".into());
        return Err(e);
    }
    let (clusters, mut unread) = clusters?;
    let lists = lists?;
    let (prefix_lists, lists_unread) = (lists.prefix_lists.clone(), lists.unread.clone());
    let mut inv = assemble(region, opts, vpcs, &dns, Some(lists), clusters);
    // Only the clusters kept (a --vpc filter drops the others).
    unread.retain(|u| inv.clusters.iter().any(|c| u.is_of_cluster(&c.name)));
    inv.prefix_lists = prefix_lists;
    unread.extend(lists_unread);
    match bpa {
        Ok(b) => inv.block_public_access = Some(b),
        Err(u) => unread.extend(u),
    }
    for t in types {
        match t {
            Ok(t) => inv.instance_types.extend(t),
            Err(u) => unread.push(u),
        }
    }
    inv.unread = unread;
    inv.operator = operator;
    let mut rules = r_rules?;
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    // Rules and associations stay region-wide even with --vpc: the forwarding for a
    // cluster's API lives in the client VPCs.
    let mut assocs = r_assocs?;
    assocs.sort_by(|a, b| a.id.cmp(&b.id));
    inv.account = account;
    inv.caller_arn = caller_arn;
    inv.availability_zones = azs?;
    inv.resolver = inv::Resolver {
        endpoints: r_endpoints?,
        rules,
        rule_associations: assocs,
    };
    inv.endpoint_services = services?;
    inv.regions = usable;
    hub_answers(aws, &mut inv, vpc, early_dns).await;
    Ok(inv)
}

/// Hand `progress` the inventory as far as it is read: `force` for a new stage, else at
/// most every [`REPORT_EVERY`] (DNS answers stream in); nothing before the VPC list.
fn report_seen(
    seen: &std::sync::Mutex<Seen>,
    region: &str,
    opts: &DiscoverOptions,
    progress: &(dyn Fn(Inventory) + Sync),
    force: bool,
) {
    let Ok(mut s) = seen.lock() else { return };
    if s.vpcs.is_none() || (!force && s.last.is_some_and(|t| t.elapsed() < REPORT_EVERY)) {
        return;
    }
    let Some(vpcs) = s.vpcs.clone() else { return };
    s.last = Some(std::time::Instant::now());
    let pending: std::collections::BTreeSet<String> = vpcs
        .iter()
        .map(|(v, _)| v.id.clone())
        .filter(|id| !s.dns.contains_key(id))
        .collect();
    let what = match (&s.lists, pending.len()) {
        (None, _) => "subnets, route tables, endpoints, security groups".to_string(),
        (Some(_), n) => format!("DNS attributes of {n} of {} VPCs", vpcs.len()),
    };
    let mut partial = assemble(
        region,
        opts,
        vpcs,
        &s.dns,
        s.lists.clone(),
        s.clusters.clone().unwrap_or_default(),
    );
    partial.pending = Some(inv::Pending {
        lists: s.lists.is_none(),
        dns: pending,
        what,
    });
    drop(s);
    progress(partial);
}

/// A read retried while AWS throttles it or fails on its side (5xx).
macro_rules! patient {
    ($aws:expr, $call:expr) => {
        super::patiently(|| $call, $aws.patience)
    };
}

/// The VPCs and their DNS attributes. With a VPC filter its attributes are read in the
/// first round; else the VPC list is reported at once and the attributes follow, the
/// highlighted VPC first (looked up each time a call can start, so the wizard's cursor
/// moves it), then in the order the wizard lists them.
async fn read_vpcs(
    aws: &Aws,
    opts: &DiscoverOptions,
    seen: &std::sync::Mutex<Seen>,
    report: &(dyn Fn(bool) + Sync),
) -> Result<
    (
        Vec<(inv::Vpc, Option<String>)>,
        HashMap<String, (bool, bool)>,
    ),
    AwsError,
> {
    let vpc = opts.vpc.as_deref();
    let conc = opts.concurrency.max(1);
    // With a VPC filter its ID is known: its DNS attributes are read in the first round.
    let (vpcs, early) = tokio::join!(patient!(aws, aws.vpcs(vpc)), async {
        match vpc {
            Some(id) => Some(patient!(aws, aws.dns_attributes(id)).await),
            None => None,
        }
    });
    let vpcs = vpcs?;
    if let Some(early) = early {
        // A VPC that does not exist is said from DescribeVpcs' (empty) answer.
        let mut dns = HashMap::new();
        if let Some((v, _)) = vpcs.first() {
            dns.insert(v.id.clone(), early?);
        }
        return Ok((vpcs, dns));
    }
    if let Ok(mut s) = seen.lock() {
        s.vpcs = Some(vpcs.clone());
    }
    report(true);
    // The highlighted VPC first (looked up each time a call can start, so the wizard's
    // cursor moves it), then in the order the wizard lists them.
    let mut ids: Vec<(bool, String, String)> = vpcs
        .iter()
        .map(|(v, _)| (v.name.is_empty(), v.name.clone(), v.id.clone()))
        .collect();
    ids.sort();
    let mut queue: std::collections::VecDeque<String> =
        ids.into_iter().map(|(.., id)| id).collect();
    let next = std::iter::from_fn(|| next_vpc(&mut queue, &opts.first));
    let mut answers = futures::stream::iter(next)
        .map(|id| async move {
            let r = patient!(aws, aws.dns_attributes(&id)).await;
            r.map(|d| (id, d))
        })
        // In order (not unordered): a call sleeping in a throttling backoff then holds
        // back new ones, which against EC2's token bucket gets more calls through
        // (measured: 800-900 throttled answers instead of 1300-1500 for 200 VPCs).
        .buffered(conc);
    let mut dns = HashMap::new();
    while let Some(answer) = answers.next().await {
        let (id, d) = answer?;
        if let Ok(mut s) = seen.lock() {
            s.dns.insert(id.clone(), d);
        }
        dns.insert(id, d);
        report(false);
    }
    Ok((vpcs, dns))
}

/// Every per-VPC list (DHCP options, subnets, route tables, gateways, endpoints, groups
/// with their tagged rules, ACLs, peerings), then the prefix lists the groups name;
/// reported once in.
async fn read_lists(
    aws: &Aws,
    vpc: Option<&str>,
    region: &str,
    seen: &std::sync::Mutex<Seen>,
    report: &(dyn Fn(bool) + Sync),
) -> Result<Lists, AwsError> {
    let (dhcp, subnets, route_tables, igws, nats, endpoints, mut sgs, nacls, peerings, rules) = tokio::try_join!(
        patient!(aws, aws.dhcp_options()),
        patient!(aws, aws.subnets(vpc)),
        patient!(aws, aws.route_tables(vpc)),
        patient!(aws, aws.internet_gateways(vpc)),
        patient!(aws, aws.nat_gateways(vpc)),
        patient!(aws, aws.vpc_endpoints(vpc, region)),
        patient!(aws, aws.security_groups(vpc)),
        patient!(aws, aws.network_acls(vpc)),
        patient!(aws, aws.peerings()),
        patient!(aws, aws.tagged_rules()),
    )?;
    let mut rules = rules;
    for (_, g) in &mut sgs {
        g.tagged_rules = rules.remove(&g.id).unwrap_or_default();
    }
    // A rule letting a prefix list in (G1) is judged by the list's entries: read the
    // lists the groups name (a second round, only when some group names one).
    let mut named: Vec<&str> = sgs
        .iter()
        .flat_map(|(_, g)| &g.ingress)
        .flat_map(|r| &r.prefix_list_ids)
        .map(String::as_str)
        .collect();
    named.sort_unstable();
    named.dedup();
    let read = futures::future::join_all(
        named
            .iter()
            .map(|id| aws.optionally(inv::Unread::prefix_list(id), || aws.prefix_list(id))),
    )
    .await;
    let (mut prefix_lists, mut unread) = (vec![], vec![]);
    for r in read {
        match r {
            Ok(p) => prefix_lists.push(p),
            Err(u) => unread.push(u),
        }
    }
    let l = Lists {
        dhcp,
        subnets,
        route_tables,
        igws,
        nats,
        endpoints,
        sgs,
        nacls,
        peerings,
        prefix_lists,
        unread,
    };
    if let Ok(mut s) = seen.lock() {
        s.lists = Some(l.clone());
    }
    report(true);
    Ok(l)
}

/// A region AWS does not know makes every other call fail in confusing ways: said first,
/// with the regions it resembles. When the region itself cannot answer, the partition's
/// anchor region is asked which regions exist; not after a timeout (the network is what
/// is silent, so the anchor would make the operator wait as long again), and for a few
/// seconds only.
async fn check_region(
    aws: &Aws,
    region: &str,
    regions: &Result<Vec<(String, bool)>, AwsError>,
) -> Result<(), AwsError> {
    let known: Option<Vec<String>> = match regions {
        Ok(k) => Some(k.iter().map(|(n, _)| n.clone()).collect()),
        Err(e)
            if matches!(
                e.kind,
                ErrorKind::Service | ErrorKind::Unavailable | ErrorKind::Unreachable
            ) =>
        {
            tokio::time::timeout(
                std::time::Duration::from_secs(5),
                aws.regions(Some(anchor_region(region))),
            )
            .await
            .ok()
            .and_then(Result::ok)
            .map(|k| k.into_iter().map(|(n, _)| n).collect())
        }
        Err(_) => None,
    };
    if let Some(known) = known
        && !known.iter().any(|r| r == region)
    {
        return Err(AwsError::new(
            ErrorKind::Usage,
            "ec2",
            "DescribeRegions",
            format!(
                "unknown region {}",
                eks_private_tui_core::report::trunc(&format!("{region:?}"), 80)
            ),
            format!(
                "pass a region AWS lists, such as {}",
                similar_regions(region, &known)
            ),
        ));
    }
    Ok(())
}

/// The regions the account may use (opted in, or needing no opt-in), sorted. DescribeRegions
/// only guards against typos: without permission for it, none are listed and discovery
/// carries on.
fn usable_regions(regions: Result<Vec<(String, bool)>, AwsError>) -> Result<Vec<String>, AwsError> {
    match regions {
        Ok(list) => {
            let mut usable: Vec<String> = list
                .into_iter()
                .filter(|(_, u)| *u)
                .map(|(n, _)| n)
                .collect();
            usable.sort();
            Ok(usable)
        }
        Err(e) if e.kind == ErrorKind::AccessDenied => Ok(vec![]),
        Err(e) => Err(e),
    }
}

/// What answers DNS in a VPC besides its resolver, as `Aws::vpc_dns` reads it: hosted
/// zones, Route 53 Profiles, and what could not be read.
type VpcDns = (
    Option<Vec<inv::HostedZone>>,
    Option<Vec<inv::ProfileAssociation>>,
    Vec<inv::Unread>,
);

/// P11: what answers DNS in the VPCs under audit (`--vpc`, read in the first round, or
/// those holding a cluster, read now) besides the VPC's resolver: hub zones and Route 53
/// Profiles.
async fn hub_answers(aws: &Aws, inv: &mut Inventory, vpc: Option<&str>, early_dns: Option<VpcDns>) {
    let (audited, answers): (Vec<String>, Vec<_>) = match (vpc, early_dns) {
        (Some(id), Some(answer)) => (vec![id.to_string()], vec![answer]),
        _ => {
            let audited: Vec<String> = inv
                .vpcs
                .iter()
                .filter(|v| inv.clusters_in(&v.id).next().is_some())
                .map(|v| v.id.clone())
                .collect();
            let answers = futures::future::join_all(audited.iter().map(|id| aws.vpc_dns(id))).await;
            (audited, answers)
        }
    };
    for (id, (zones, profiles, unread)) in audited.iter().zip(answers) {
        if let Some(v) = inv.vpcs.iter_mut().find(|v| &v.id == id) {
            v.hosted_zones = zones;
            v.route53_profiles = profiles;
        }
        inv.unread.extend(unread);
    }
}

/// The VPCs with what is known of them: DNS attributes (false where not read), and the
/// per-VPC lists once they are in.
fn assemble(
    region: &str,
    opts: &DiscoverOptions,
    vpcs: Vec<(inv::Vpc, Option<String>)>,
    dns: &HashMap<String, (bool, bool)>,
    lists: Option<Lists>,
    mut clusters: Vec<inv::Cluster>,
) -> Inventory {
    let vpc = opts.vpc.as_deref();
    let Some(l) = lists else {
        let mut out: Vec<inv::Vpc> = vpcs
            .into_iter()
            .map(|(mut v, _)| {
                (v.dns_support, v.dns_hostnames) = dns.get(&v.id).copied().unwrap_or_default();
                v
            })
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        return Inventory {
            region: region.to_string(),
            vpc_filter: opts.vpc.clone(),
            vpcs: out,
            clusters,
            ..Default::default()
        };
    };
    let dhcp: HashMap<String, inv::DhcpOptions> =
        l.dhcp.into_iter().map(|d| (d.id.clone(), d)).collect();

    let mut by_id: BTreeMap<String, inv::Vpc> = BTreeMap::new();
    for (mut v, dhcp_id) in vpcs {
        (v.dns_support, v.dns_hostnames) = dns.get(&v.id).copied().unwrap_or_default();
        v.dhcp_options = dhcp_id.and_then(|id| dhcp.get(&id).cloned());
        by_id.insert(v.id.clone(), v);
    }

    // Route tables first: subnets need them to find their table and kind.
    let mut explicit: HashMap<String, usize> = HashMap::new();
    let mut main: HashMap<String, usize> = HashMap::new();
    let mut tables: Vec<(String, inv::RouteTable)> = l.route_tables;
    tables.sort_by(|a, b| a.1.id.cmp(&b.1.id));
    for (i, (vpc_id, rt)) in tables.iter().enumerate() {
        if rt.main {
            main.insert(vpc_id.clone(), i);
        }
        for s in &rt.subnet_ids {
            explicit.insert(s.clone(), i);
        }
    }
    let mut subnet_vpc: HashMap<String, String> = HashMap::new();
    for (vpc_id, mut s) in l.subnets {
        subnet_vpc.insert(s.id.clone(), vpc_id.clone());
        let (rt, is_main) = match explicit.get(&s.id) {
            Some(&i) => (Some(i), false),
            None => (main.get(&vpc_id).copied(), true),
        };
        if let Some(i) = rt {
            s.route_table_id = Some(tables[i].1.id.clone());
            s.main_route_table = is_main;
            s.kind = inv::classify_routes(&tables[i].1.routes);
        } else {
            s.main_route_table = is_main;
            s.kind = inv::SubnetKind::Isolated;
        }
        if let Some(v) = by_id.get_mut(&vpc_id) {
            v.subnets.push(s);
        }
    }
    for (vpc_id, rt) in tables {
        if let Some(v) = by_id.get_mut(&vpc_id) {
            v.route_tables.push(rt);
        }
    }
    for (vpc_id, igw) in l.igws {
        if let Some(v) = by_id.get_mut(&vpc_id) {
            v.internet_gateways.push(igw);
        }
    }
    for (vpc_id, n) in l.nats {
        // Deleted NAT gateways linger in DescribeNatGateways for an hour.
        if n.state == inv::NatState::Deleted {
            continue;
        }
        if let Some(v) = by_id.get_mut(&vpc_id) {
            v.nat_gateways.push(n);
        }
    }
    for (vpc_id, e) in l.endpoints {
        if let Some(v) = by_id.get_mut(&vpc_id) {
            v.endpoints.push(e);
        }
    }
    for (vpc_id, g) in l.sgs {
        if let Some(v) = by_id.get_mut(&vpc_id) {
            v.security_groups.push(g);
        }
    }
    for (vpc_id, n) in l.nacls {
        if let Some(v) = by_id.get_mut(&vpc_id) {
            v.network_acls.push(n);
        }
    }
    for p in l.peerings {
        if p.status.is_ended() {
            continue;
        }
        for side in [&p.requester_vpc_id, &p.accepter_vpc_id] {
            if let Some(v) = by_id.get_mut(side) {
                v.peerings.push(p.clone());
            }
        }
    }

    for c in &mut clusters {
        if c.vpc_id.is_none() {
            // moto (and older API versions) omit vpcId: derive it from the subnets.
            c.vpc_id = c.subnet_ids.iter().find_map(|s| subnet_vpc.get(s).cloned());
        }
    }
    if let Some(v) = vpc {
        // The spec's own cluster stays even where its VPC cannot be told (moto forgets
        // the subnets on UpdateClusterConfig): the rules say whether it is the VPC's.
        clusters.retain(|c| {
            c.vpc_id.as_deref() == Some(v)
                || (c.vpc_id.is_none() && opts.cluster.as_deref() == Some(c.name.as_str()))
        });
    }

    let mut vpcs: Vec<inv::Vpc> = by_id.into_values().collect();
    for v in &mut vpcs {
        v.subnets
            .sort_by(|a, b| (&a.az, cidr_key(&a.cidr)).cmp(&(&b.az, cidr_key(&b.cidr))));
        v.endpoints
            .sort_by(|a, b| (&a.service, &a.id).cmp(&(&b.service, &b.id)));
        v.security_groups
            .sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        v.nat_gateways.sort_by(|a, b| a.id.cmp(&b.id));
        v.peerings.sort_by(|a, b| a.id.cmp(&b.id));
    }
    Inventory {
        region: region.to_string(),
        vpc_filter: opts.vpc.clone(),
        vpcs,
        clusters,
        ..Default::default()
    }
}

/// Regions that share the mistyped one's first part (`eu-`), else the first few.
fn similar_regions(region: &str, known: &[String]) -> String {
    let prefix = region.split('-').next().unwrap_or_default();
    let mut similar: Vec<&str> = known
        .iter()
        .filter(|r| r.split('-').next() == Some(prefix))
        .map(String::as_str)
        .collect();
    if similar.is_empty() {
        similar = known.iter().take(6).map(String::as_str).collect();
    }
    similar.join(", ")
}

/// A region of the same partition that always exists, to ask which regions do.
pub fn anchor_region(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "cn-north-1"
    } else if region.starts_with("us-gov-") {
        "us-gov-west-1"
    } else {
        "us-east-1"
    }
}

/// Sort key for a CIDR: its network address as a number (unparsable ones last).
fn cidr_key(c: &str) -> u128 {
    match c.parse::<ipnet::IpNet>() {
        Ok(ipnet::IpNet::V4(n)) => u32::from(n.network()) as u128,
        Ok(ipnet::IpNet::V6(n)) => u128::from(n.network()),
        Err(_) => u128::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vpc_ids() {
        assert!(valid_vpc_id("vpc-0123456789abcdef0"));
        assert!(valid_vpc_id("vpc-1a2b3c4d"));
        for bad in [
            "vpc-",
            "vpc-xyz",
            "subnet-1a2b3c4d",
            "vpc-0123",
            "VPC-1a2b3c4d",
        ] {
            assert!(!valid_vpc_id(bad), "{bad}");
        }
    }

    #[test]
    fn the_focused_vpc_is_read_next_wherever_it_is_in_line() {
        let mut queue: std::collections::VecDeque<String> = ["vpc-a", "vpc-b", "vpc-c", "vpc-d"]
            .map(String::from)
            .into();
        let focus = Focus::new(None);
        assert_eq!(next_vpc(&mut queue, &focus).as_deref(), Some("vpc-a"));
        // The cursor moves to vpc-d while the reads run: it goes next.
        focus.set(Some("vpc-d".into()));
        assert_eq!(next_vpc(&mut queue, &focus).as_deref(), Some("vpc-d"));
        // Already read (or not in the list): the line goes on in order.
        assert_eq!(next_vpc(&mut queue, &focus).as_deref(), Some("vpc-b"));
        focus.set(Some("vpc-x".into()));
        assert_eq!(next_vpc(&mut queue, &focus).as_deref(), Some("vpc-c"));
        assert_eq!(next_vpc(&mut queue, &focus), None);
    }
}
