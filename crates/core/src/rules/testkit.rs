//! A small inventory to test rules against, and helpers to change it.
use crate::inventory::*;

pub fn route(dest: &str, target: &str) -> Route {
    Route {
        destination: dest.into(),
        target: target.into(),
        state: "active".into(),
    }
}

pub fn subnet(id: &str, az: &str, az_id: &str, cidr: &str, kind: SubnetKind, rt: &str) -> Subnet {
    Subnet {
        id: id.into(),
        name: id.into(),
        az: az.into(),
        az_id: az_id.into(),
        cidr: cidr.into(),
        available_ips: 250,
        route_table_id: Some(rt.into()),
        main_route_table: rt == "rtb-main",
        kind,
        map_public_ip_on_launch: false,
        owner_id: "123456789012".into(),
        tags: [(
            "kubernetes.io/role/internal-elb".to_string(),
            "1".to_string(),
        )]
        .into(),
    }
}

/// prod VPC 10.0.0.0/16 in 3 AZs: public-a/b, private-a/b/c (NAT), data-a (isolated,
/// main route table); cluster prod (service CIDR 172.20.0.0/16); peered with
/// 10.99.0.0/16.
pub fn inventory() -> Inventory {
    let subnets = vec![
        subnet(
            "subnet-pub-a",
            "eu-west-1a",
            "euw1-az3",
            "10.0.0.0/20",
            SubnetKind::Public,
            "rtb-pub",
        ),
        subnet(
            "subnet-pub-b",
            "eu-west-1b",
            "euw1-az1",
            "10.0.16.0/20",
            SubnetKind::Public,
            "rtb-pub",
        ),
        subnet(
            "subnet-priv-a",
            "eu-west-1a",
            "euw1-az3",
            "10.0.64.0/19",
            SubnetKind::Private,
            "rtb-priv-a",
        ),
        subnet(
            "subnet-priv-b",
            "eu-west-1b",
            "euw1-az1",
            "10.0.96.0/19",
            SubnetKind::Private,
            "rtb-priv-b",
        ),
        subnet(
            "subnet-priv-c",
            "eu-west-1c",
            "euw1-az2",
            "10.0.128.0/19",
            SubnetKind::Private,
            "rtb-priv-c",
        ),
        subnet(
            "subnet-data-a",
            "eu-west-1a",
            "euw1-az3",
            "10.0.192.0/24",
            SubnetKind::Isolated,
            "rtb-main",
        ),
    ];
    let rt = |id: &str, main: bool, routes: Vec<Route>| RouteTable {
        id: id.into(),
        name: id.into(),
        main,
        subnet_ids: vec![],
        routes,
        associations: Default::default(),
    };
    let local = route("10.0.0.0/16", "local");
    let vpc = Vpc {
        id: "vpc-prod".into(),
        name: "prod".into(),
        owner_id: "123456789012".into(),
        cidrs: vec![VpcCidr {
            cidr: "10.0.0.0/16".into(),
            state: "associated".into(),
            association_id: "vpc-cidr-assoc-1".into(),
        }],
        dns_support: true,
        dns_hostnames: true,
        dhcp_options: Some(DhcpOptions {
            id: "dopt-1".into(),
            domain_name: Some("eu-west-1.compute.internal".into()),
            domain_name_servers: vec!["AmazonProvidedDNS".into()],
        }),
        subnets,
        route_tables: vec![
            rt("rtb-main", true, vec![local.clone()]),
            rt(
                "rtb-pub",
                false,
                vec![local.clone(), route("0.0.0.0/0", "igw-1")],
            ),
            rt(
                "rtb-priv-a",
                false,
                vec![
                    local.clone(),
                    route("0.0.0.0/0", "nat-1"),
                    route("10.99.0.0/16", "pcx-1"),
                ],
            ),
            rt(
                "rtb-priv-b",
                false,
                vec![local.clone(), route("0.0.0.0/0", "nat-1")],
            ),
            rt(
                "rtb-priv-c",
                false,
                vec![local, route("0.0.0.0/0", "nat-1")],
            ),
        ],
        peerings: vec![Peering {
            id: "pcx-1".into(),
            status: "active".into(),
            requester_vpc_id: "vpc-client".into(),
            requester_cidrs: vec!["10.99.0.0/16".into()],
            accepter_vpc_id: "vpc-prod".into(),
            accepter_cidrs: vec!["10.0.0.0/16".into()],
            ..Default::default()
        }],
        ..Default::default()
    };
    Inventory {
        region: "eu-west-1".into(),
        account: "123456789012".into(),
        availability_zones: ["a:euw1-az3", "b:euw1-az1", "c:euw1-az2"]
            .iter()
            .map(|s| AvailabilityZone {
                name: format!("eu-west-1{}", &s[..1]),
                zone_id: s[2..].into(),
                state: "available".into(),
                zone_type: "availability-zone".into(),
            })
            .collect(),
        vpcs: vec![vpc],
        clusters: vec![Cluster {
            name: "prod".into(),
            vpc_id: Some("vpc-prod".into()),
            status: "ACTIVE".into(),
            public_access: true,
            service_cidr: Some("172.20.0.0/16".into()),
            ip_family: "ipv4".into(),
            subnet_ids: vec!["subnet-priv-a".into(), "subnet-priv-b".into()],
            // EKS makes one for every cluster (the tcp/443 rules of E3 go on it).
            cluster_security_group_id: Some("sg-cluster".into()),
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// A spec choosing private-a and private-b for cluster prod.
pub fn spec() -> crate::spec::Spec {
    let mut s = crate::spec::Spec::new("prod-private", "eu-west-1", "vpc-prod");
    s.cluster_name = Some("prod".into());
    s.node_subnets
        .insert("eu-west-1a".into(), "subnet-priv-a".into());
    s.node_subnets
        .insert("eu-west-1b".into(), "subnet-priv-b".into());
    s
}

/// `s` with endpoint access chosen (private, and public from one operator network): what
/// the readiness audit (R1) holds an unchosen spec to is then the spec's to say.
pub fn with_access(mut s: crate::spec::Spec) -> crate::spec::Spec {
    s.cluster_endpoint = Some(crate::spec::ClusterEndpoint {
        private_access: true,
        public_access: true,
        public_access_cidrs: vec!["203.0.113.0/24".into()],
        allow_https_from_cidrs: vec![],
    });
    s
}

/// `s` with the base endpoints chosen, in a group the plan creates.
pub fn with_endpoints(mut s: crate::spec::Spec) -> crate::spec::Spec {
    s.endpoints = Some(crate::spec::Endpoints {
        services: ["ec2", "ecr.api", "ecr.dkr", "s3", "sts"]
            .map(str::to_string)
            .to_vec(),
        features: vec![],
        private_dns: true,
        security_group: crate::spec::SecurityGroupChoice {
            id: None,
            create: Some(crate::spec::CreateSecurityGroup {
                name: "prod-endpoints".into(),
            }),
        },
        extra_route_table_ids: vec![],
    });
    s
}

/// The peered client VPC vpc-client (10.99.0.0/16) with subnet-c1 and subnet-c2.
pub fn client_vpc(inv: &Inventory) -> Vpc {
    let mut client = inv.vpcs[0].clone();
    client.id = "vpc-client".into();
    client.name = "client".into();
    client.cidrs[0].cidr = "10.99.0.0/16".into();
    client.security_groups.clear();
    client.subnets = vec![
        subnet(
            "subnet-c1",
            "eu-west-1a",
            "euw1-az3",
            "10.99.0.0/24",
            SubnetKind::Private,
            "rtb-c",
        ),
        subnet(
            "subnet-c2",
            "eu-west-1b",
            "euw1-az1",
            "10.99.1.0/24",
            SubnetKind::Private,
            "rtb-c",
        ),
    ];
    client
}

pub fn vpc_mut(inv: &mut Inventory) -> &mut Vpc {
    &mut inv.vpcs[0]
}

/// Whether (inventory, spec) yields a finding of rule `id` with severity `sev` whose
/// message contains `needle`.
pub fn has(
    inv: &Inventory,
    spec: &crate::spec::Spec,
    id: &str,
    sev: crate::rules::Severity,
    needle: &str,
) -> bool {
    crate::rules::evaluate(inv, Some(spec), None, None)
        .iter()
        .any(|f| f.id == id && f.severity == sev && f.message.contains(needle))
}

/// The IDs of the findings for (inventory, spec).
pub fn ids(inv: &Inventory, spec: Option<&crate::spec::Spec>) -> Vec<&'static str> {
    crate::rules::evaluate(inv, spec, None, None)
        .into_iter()
        .map(|f| f.id.as_str())
        .collect()
}
