//! Property tests (issue 10): the spec loader, the CIDR parser and the plan over generated
//! specs never panic and stay within bounded memory. CI runs the default number of cases
//! (PROPTEST_CASES, 256 unless set); `scripts/fuzz.sh` runs many more.

use eks_private_tui::inventory::Inventory;
use eks_private_tui::spec::{
    ClusterEndpoint, CreateSecurityGroup, CustomNetworking, Dns, Endpoints, ForwardRule,
    InboundEndpoint, OutboundEndpoint, Quotas, SecondaryCidr, SecurityGroupChoice, Spec,
};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn inventory() -> &'static Inventory {
    static INV: OnceLock<Inventory> = OnceLock::new();
    INV.get_or_init(|| {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/demo-inventory.json"
        );
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    })
}

/// The VPC the generated specs aim at: the demo's with the most subnets.
fn vpc() -> &'static eks_private_tui::inventory::Vpc {
    inventory()
        .vpcs
        .iter()
        .max_by_key(|v| v.subnets.len())
        .unwrap()
}

/// Text a hostile or careless user might write: ordinary, empty, long, control and
/// format characters, non-ASCII.
fn text() -> impl Strategy<Value = String> {
    let chars = select(vec![
        'a', 'z', '0', '9', '-', '_', ' ', '.', '/', ':', '*', '\u{1b}', '\0', '\n', '\u{202e}',
        'é', '中', '"', '\'', '&', '[', '{', '#', '\r', '\u{85}', '\u{2028}', '\u{2029}',
    ]);
    prop_oneof![
        4 => select(vec!["prod", "prod-private", "nope", "a", "x_y-z"]).prop_map(str::to_string),
        2 => proptest::collection::vec(chars, 0..80).prop_map(String::from_iter),
        1 => (1usize..400).prop_map(|n| "n".repeat(n)),
    ]
}

/// Names as an account may hold them (any EC2 Name tag): every line and paragraph
/// separator, controls, YAML indicators, and YAML after a break that would take over the
/// spec if a comment ended there (issue 27, 1).
fn hostile_name() -> impl Strategy<Value = String> {
    let chars = select(vec![
        'a', '\n', '\r', '\u{85}', '\u{2028}', '\u{2029}', '\u{b}', '\u{c}', '\u{1b}', '\u{202e}',
        '\u{feff}', '\0', '#', ':', '-', '{', '}', '[', ']', '&', '*', '!', '|', '>', '%', '@',
        '`', '"', '\'', ' ', '\t',
    ]);
    prop_oneof![
        2 => proptest::collection::vec(chars, 0..40).prop_map(String::from_iter),
        2 => (
            select(vec!["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}", "\r\n"]),
            select(vec![
                "clusterEndpoint:\n  publicAccess: true\n  publicAccessCidrs: [0.0.0.0/1, 128.0.0.0/1]",
                "metadata:\n  name: other",
                "nodeSubnets: {}",
                "- x",
                "}: {",
            ]),
        )
            .prop_map(|(sep, yaml)| format!("prod{sep}{yaml}")),
    ]
}

/// A CIDR as users write them: mostly valid, sometimes host bits, bad lengths or junk.
fn cidr() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (any::<u32>(), 0u8..=32).prop_map(|(a, l)| {
            let mask = if l == 0 { 0 } else { u32::MAX << (32 - u32::from(l)) };
            format!("{}/{l}", std::net::Ipv4Addr::from(a & mask))
        }),
        2 => (any::<u32>(), 0u8..=40)
            .prop_map(|(a, l)| format!("{}/{l}", std::net::Ipv4Addr::from(a))),
        1 => select(vec![
            "10.0.0.0/16", "100.64.0.0/16", "0.0.0.0/0", "10.99.0.0/16", "", "10.0.0.0",
            "::/0", "300.1.1.1/8",
        ])
        .prop_map(str::to_string),
        1 => text(),
    ]
}

fn subnet_ids() -> Vec<String> {
    let mut ids: Vec<String> = vpc().subnets.iter().map(|s| s.id.clone()).collect();
    ids.push("subnet-0nosuch".into());
    ids
}

fn azs() -> Vec<String> {
    let mut azs: Vec<String> = vpc().subnets.iter().map(|s| s.az.clone()).collect();
    azs.sort();
    azs.dedup();
    azs.push("eu-west-1z".into());
    azs
}

fn spec() -> impl Strategy<Value = Spec> {
    let services = vec![
        "ec2",
        "ecr.api",
        "ecr.dkr",
        "sts",
        "s3",
        "logs",
        "eks",
        "eks-auth",
        "ssm",
        "elasticloadbalancing",
        "nosuch",
    ];
    let features = vec![
        "pod-identity",
        "karpenter",
        "ssm-sessions",
        "logs",
        "nosuch",
    ];
    let groups: Vec<String> = vpc()
        .security_groups
        .iter()
        .map(|g| g.id.clone())
        .chain(["sg-0nosuch".to_string()])
        .collect();
    let vpcs: Vec<String> = inventory().vpcs.iter().map(|v| v.id.clone()).collect();
    let endpoints = (
        subsequence(services, 0..=11),
        subsequence(features, 0..=5),
        any::<bool>(),
        prop_oneof![
            select(groups).prop_map(|id| SecurityGroupChoice {
                id: Some(id),
                create: None
            }),
            text().prop_map(|name| SecurityGroupChoice {
                id: None,
                create: Some(CreateSecurityGroup { name })
            }),
        ],
    )
        .prop_map(
            |(services, features, private_dns, security_group)| Endpoints {
                services: services.into_iter().map(str::to_string).collect(),
                features: features.into_iter().map(str::to_string).collect(),
                private_dns,
                security_group,
                extra_route_table_ids: vec![],
            },
        );
    let secondary = (
        cidr(),
        proptest::collection::btree_map(select(azs()), cidr(), 0..4),
    )
        .prop_map(|(cidr, pod_subnets)| SecondaryCidr { cidr, pod_subnets });
    let custom = select(vec![
        "topology.kubernetes.io/zone",
        "topology.k8s.aws/zone-id",
        "nosuch",
    ])
    .prop_map(|l| CustomNetworking {
        eni_config_label: l.into(),
        security_group_ids: vec![],
        prefix_delegation: false,
    });
    let access = (
        any::<bool>(),
        any::<bool>(),
        proptest::collection::vec(cidr(), 0..45),
        proptest::collection::vec(cidr(), 0..70),
    )
        .prop_map(|(private_access, public_access, p, a)| ClusterEndpoint {
            private_access,
            public_access,
            public_access_cidrs: p,
            allow_https_from_cidrs: a,
        });
    let dns = (
        proptest::option::of(
            (
                subsequence(subnet_ids(), 0..=3),
                proptest::collection::vec(cidr(), 0..3),
            )
                .prop_map(|(subnet_ids, allow_from_cidrs)| InboundEndpoint {
                    subnet_ids,
                    allow_from_cidrs,
                }),
        ),
        proptest::option::of(
            (select(vpcs.clone()), subsequence(subnet_ids(), 0..=2))
                .prop_map(|(vpc_id, subnet_ids)| OutboundEndpoint { vpc_id, subnet_ids }),
        ),
        proptest::option::of(
            (
                prop_oneof![Just("auto".to_string()), text()],
                subsequence(vpcs, 0..=2),
            )
                .prop_map(|(domain, associate_vpc_ids)| ForwardRule {
                    domain,
                    associate_vpc_ids,
                }),
        ),
    )
        .prop_map(|(inbound_endpoint, outbound_endpoint, forward_rule)| Dns {
            inbound_endpoint,
            outbound_endpoint,
            forward_rule,
        });
    let nodes = proptest::collection::btree_map(select(azs()), select(subnet_ids()), 0..4);
    (
        (text(), proptest::option::of(text()), nodes),
        proptest::option::of(endpoints),
        proptest::option::of(secondary),
        proptest::option::of(custom),
        proptest::option::of(access),
        proptest::option::of(dns),
        proptest::option::of(0u32..2000),
    )
        .prop_map(
            |((name, cluster, nodes), endpoints, secondary, custom, access, dns, rules)| {
                let inv = inventory();
                let mut s = Spec::new(&name, &inv.region, &vpc().id);
                s.cluster_name = cluster.map(|c| if c == "a" { "prod".into() } else { c });
                s.node_subnets = nodes.into_iter().collect::<BTreeMap<_, _>>();
                s.endpoints = endpoints;
                s.secondary_cidr = secondary;
                s.custom_networking = custom;
                s.cluster_endpoint = access;
                s.dns = dns;
                s.quotas = Quotas {
                    security_group_rules: rules,
                };
                s
            },
        )
}

/// The demo account with a cluster security group on the cluster, so that the access
/// rules become actions.
fn inventory_with_cluster_group() -> &'static Inventory {
    static INV: OnceLock<Inventory> = OnceLock::new();
    INV.get_or_init(|| {
        let mut inv = inventory().clone();
        let vpc_id = vpc().id.clone();
        let group = inv
            .vpcs
            .iter()
            .find(|v| v.id == vpc_id)
            .and_then(|v| v.security_groups.first())
            .map(|g| g.id.clone());
        if let Some(c) = inv
            .clusters
            .iter_mut()
            .find(|c| c.vpc_id.as_deref() == Some(&vpc_id))
        {
            c.cluster_security_group_id = group;
        }
        inv
    })
}

/// The starter spec `spec new` writes for the demo's cluster, with plausible choices
/// varied: the name, the services, a secondary CIDR and its pod subnets, endpoint access
/// and its allow-lists (up to past the quotas), a raised rules quota.
fn starter_variant() -> impl Strategy<Value = Spec> {
    let name_chars = select(vec!['a', 'k', 'z', '0', '7', '-', '_']);
    let services = vec![
        "ec2", "ecr.api", "ecr.dkr", "sts", "s3", "logs", "eks", "eks-auth", "ssm",
    ];
    let public = (1u8..=223, any::<u16>()).prop_map(|(a, b)| {
        let a = if a == 10 || a == 127 || a == 100 || a == 172 || a == 192 {
            52
        } else {
            a
        };
        format!("{a}.{}.{}.0/24", b >> 8, b & 0xff)
    });
    let private =
        any::<u16>().prop_map(|b| format!("10.{}.{}.0/24", 100 + (b >> 8) % 100, b & 0xff));
    (
        proptest::collection::vec(name_chars, 1..45)
            .prop_map(|c| format!("p{}", String::from_iter(c))),
        proptest::option::of(subsequence(services, 0..=9)),
        proptest::option::of(prop_oneof![Just(16u8), Just(17), Just(18)]),
        (any::<bool>(), proptest::collection::vec(public, 0..45)),
        proptest::collection::vec(private, 0..70),
        proptest::option::of(30u32..200),
    )
        .prop_map(
            |(name, services, secondary, (public_access, public_cidrs), allow, rules)| {
                let inv = inventory_with_cluster_group();
                let mut s =
                    eks_private_tui::spec::starter::starter_spec(inv, &vpc().id, Some("prod"))
                        .expect("the demo's starter");
                s.metadata.name = name;
                if let (Some(list), Some(e)) = (services, s.endpoints.as_mut()) {
                    e.services = list.into_iter().map(str::to_string).collect();
                }
                if let Some(len) = secondary {
                    let azs: Vec<String> = s.node_subnets.keys().cloned().collect();
                    let step = 1u32 << (32 - u32::from(len) - 2);
                    s.secondary_cidr = Some(SecondaryCidr {
                        cidr: format!("100.64.0.0/{len}"),
                        pod_subnets: azs
                            .into_iter()
                            .enumerate()
                            .map(|(i, az)| {
                                let base = u32::from(std::net::Ipv4Addr::new(100, 64, 0, 0))
                                    + i as u32 * step;
                                (
                                    az,
                                    format!("{}/{}", std::net::Ipv4Addr::from(base), len + 2),
                                )
                            })
                            .collect(),
                    });
                }
                s.cluster_endpoint = Some(ClusterEndpoint {
                    private_access: true,
                    public_access,
                    public_access_cidrs: if public_access { public_cidrs } else { vec![] },
                    allow_https_from_cidrs: allow,
                });
                s.quotas = Quotas {
                    security_group_rules: rules,
                };
                s
            },
        )
}

/// Warnings and errors that claim missing what the same plan makes (issue 26, 2): a
/// finding naming a group and a CIDR that the plan lets in on that group, a route table
/// the plan puts on the S3 gateway (P4), a subnet and a tag key the plan tags it with.
/// Read from the findings' words, not from how the rules mark them.
fn contradictions(
    findings: &[eks_private_tui::rules::Finding],
    plan: &eks_private_tui::plan::Plan,
) -> Vec<String> {
    use eks_private_tui::plan::{Change, Ref};
    let mut made: Vec<(Vec<String>, Option<&str>)> = vec![];
    for a in &plan.actions {
        match &a.change {
            Change::AuthorizeIngress {
                group: Ref::Id(g),
                cidrs,
                ..
            } => {
                // A rule the plan of a spec the rules block would add for a CIDR that
                // does not parse is not something it makes.
                for c in cidrs.iter().filter(|c| c.parse::<ipnet::Ipv4Net>().is_ok()) {
                    made.push((vec![g.clone(), c.clone()], None));
                }
            }
            Change::AddGatewayRouteTables {
                route_table_ids, ..
            }
            | Change::CreateGatewayEndpoint {
                route_table_ids, ..
            } => {
                for t in route_table_ids {
                    made.push((vec![t.clone()], Some("P4")));
                }
            }
            Change::TagSubnet { subnet_id, key, .. } => {
                made.push((vec![subnet_id.clone(), key.clone()], None));
            }
            _ => {}
        }
    }
    let mut out = vec![];
    for f in findings
        .iter()
        .filter(|f| f.severity != eks_private_tui::rules::Severity::Info)
    {
        let text = format!("{} {}", f.subject, f.message);
        for (words, rule) in &made {
            if rule.is_none_or(|r| r == f.id) && words.iter().all(|w| text.contains(w.as_str())) {
                out.push(format!(
                    "{} {}: {} (the plan makes {words:?})",
                    f.id, f.subject, f.message
                ));
            }
        }
    }
    out
}

/// The peak RSS of this process, KiB.
fn peak_kib() -> i64 {
    unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut u);
        u.ru_maxrss
    }
}

static CASES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static PLANNED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Bounded memory: every test here, whatever it was fed, keeps the process under this.
const PEAK_KIB: i64 = 1 << 20;

proptest! {
    /// A spec the tool writes reads back the same; the rules and the plan take any spec
    /// without panicking; a plan that passes has unique addresses and is the same every
    /// time. (Specs this wild are nearly always blocked: `starter_variants_plan` covers
    /// the plans.)
    #[test]
    fn generated_specs_round_trip_and_plan_without_panic(s in spec()) {
        let inv = inventory();
        let yaml = s.to_yaml();
        prop_assert_eq!(Spec::from_yaml(&yaml), Ok(s.clone()));
        let findings = eks_private_tui::rules::evaluate(inv, Some(&s), None, None);
        let _ = eks_private_tui::report::findings_text(&findings, false);
        if let Ok(p) = eks_private_tui::ops::prepare(&s, inv) {
            let plan = &p.plan;
            let mut seen = std::collections::BTreeSet::new();
            for a in &plan.actions {
                prop_assert!(seen.insert(a.address.clone()), "duplicate {}", a.address);
            }
            let again = eks_private_tui::plan::plan(&s, inv);
            prop_assert_eq!(&again.actions, &plan.actions);
            let _ = eks_private_tui::plan::render::text(plan, false);
        }
        prop_assert!(peak_kib() < PEAK_KIB, "peak RSS {} KiB", peak_kib());
    }

    /// The spec as `spec new` and the wizard's save write it (with comments naming the
    /// account's VPCs, subnets and clusters) loads back to exactly the spec meant, however
    /// the account names things; so do the starter and the `spec` export (issue 27, 1).
    #[test]
    fn names_from_the_account_cannot_rewrite_the_written_spec(
        s in spec(),
        vpc_name in hostile_name(),
        subnet_names in proptest::collection::vec(hostile_name(), 1..6),
        cluster in hostile_name(),
    ) {
        let mut inv = inventory().clone();
        for v in &mut inv.vpcs {
            v.name = vpc_name.clone();
            for (sub, n) in v.subnets.iter_mut().zip(subnet_names.iter().cycle()) {
                sub.name = n.clone();
            }
        }
        for c in &mut inv.clusters {
            c.name = cluster.clone();
        }
        let text = eks_private_tui::spec::commented::render(&s, Some(&inv));
        prop_assert_eq!(Spec::from_yaml(&text), Ok(s.clone()), "{}", text);
        let export = eks_private_tui::export::render(
            eks_private_tui::export::Format::Spec,
            &eks_private_tui::export::Source { spec: &s, inv: &inv, plan: &eks_private_tui::plan::plan(&s, &inv) },
        );
        if let Ok(files) = export {
            prop_assert_eq!(Spec::from_yaml(&files[0].text), Ok(s.clone()));
        }
        let v = vpc().id.clone();
        if let Ok(starter) = eks_private_tui::spec::starter::starter(&inv, &v, None) {
            let spec = Spec::from_yaml(&starter);
            prop_assert!(spec.is_ok(), "{starter}");
            let spec = spec.unwrap();
            prop_assert_eq!(&spec.vpc_id, &v);
            prop_assert!(spec.cluster_endpoint.is_none() && spec.metadata.name != "other", "{starter}");
        }
    }

    /// Plausible specs plan: with unique addresses, the same plan from the spec as saved
    /// and read back, and never past a quota (what exceeds one is refused, not planned).
    /// No warning or error claims missing what the same plan makes (issue 26, 2).
    #[test]
    fn findings_never_claim_missing_what_the_plan_makes(s in spec(), t in starter_variant()) {
        for (spec, inv) in [(&s, inventory()), (&t, inventory_with_cluster_group())] {
            let (findings, plan) = eks_private_tui::plan::assess(spec, inv);
            let bad = contradictions(&findings, &plan);
            prop_assert!(bad.is_empty(), "{bad:#?}");
        }
    }

    #[test]
    fn starter_variants_plan(s in starter_variant()) {
        let inv = inventory_with_cluster_group();
        let read_back = Spec::from_yaml(&s.to_yaml()).unwrap();
        let prepared = eks_private_tui::ops::prepare(&s, inv);
        let ep = s.cluster_endpoint.as_ref().unwrap();
        let quota = s.quotas.security_group_rules() as usize;
        let distinct = |l: &[String]| l.iter().collect::<std::collections::BTreeSet<_>>().len();
        if distinct(&ep.public_access_cidrs) > 40 || distinct(&ep.allow_https_from_cidrs) > quota {
            prop_assert!(prepared.is_err(), "past a quota, yet planned");
        }
        if let Ok(p) = prepared {
            PLANNED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let mut seen = std::collections::BTreeSet::new();
            for a in &p.plan.actions {
                prop_assert!(seen.insert(a.address.clone()), "duplicate {}", a.address);
            }
            let again = eks_private_tui::plan::plan(&read_back, inv);
            prop_assert_eq!(&again.actions, &p.plan.actions);
            let _ = eks_private_tui::plan::render::text(&p.plan, false);
        }
        CASES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // Most variants must plan, or this tests only the refusals.
        let (n, ok) = (CASES.load(std::sync::atomic::Ordering::Relaxed), PLANNED.load(std::sync::atomic::Ordering::Relaxed));
        prop_assert!(n < 64 || ok * 4 >= n, "only {} of {} variants planned", ok, n);
    }

    /// The loader on a valid spec with random edits: an answer (a spec or an error that
    /// says where), never a panic.
    #[test]
    fn the_loader_takes_any_edit_of_a_spec(
        s in spec(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<u8>()), 1..12),
    ) {
        let mut bytes = s.to_yaml().into_bytes();
        for (at, op, b) in edits {
            if bytes.is_empty() {
                bytes.push(b);
                continue;
            }
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = b,
                1 => bytes.insert(i, b),
                _ => {
                    bytes.remove(i);
                }
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        if let Err(e) = Spec::parse(&text, "p.yaml") {
            prop_assert!(!e.message.is_empty());
        }
    }

    /// Anchors and aliases nested and repeated (billion laughs and its cousins): refused
    /// or read, within bounded memory.
    #[test]
    fn aliases_cannot_blow_up_the_loader(depth in 1usize..12, width in 1usize..24, leaf in 1usize..4096) {
        let mut text = format!("a0: &a0 \"{}\"\n", "x".repeat(leaf));
        for d in 1..=depth {
            let refs = vec![format!("*a{}", d - 1); width].join(", ");
            text.push_str(&format!("a{d}: &a{d} [{refs}]\n"));
        }
        text.push_str(&format!("metadata: {{name: *a{depth}}}\n"));
        let _ = Spec::parse(&text, "bomb.yaml");
        prop_assert!(peak_kib() < PEAK_KIB, "peak RSS {} KiB", peak_kib());
    }

    /// The CIDR parser: any text gets an answer; a network address with its length is
    /// taken and prints back the same, one with host bits is refused.
    #[test]
    fn cidrs_parse_exactly(t in text(), a in any::<u32>(), len in 0u8..=32) {
        let _ = eks_private_tui::rules::cidr::parse_v4(&t);
        let mask = if len == 0 { 0 } else { u32::MAX << (32 - u32::from(len)) };
        let written = format!("{}/{len}", std::net::Ipv4Addr::from(a));
        let parsed = eks_private_tui::rules::cidr::parse_v4(&written);
        prop_assert_eq!(parsed.is_ok(), a & mask == a, "{}", written);
        if let Ok(net) = parsed {
            prop_assert_eq!(net.to_string(), written);
        }
    }
}
