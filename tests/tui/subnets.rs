//! Step 2: node subnets, and the findings shown on the screen of their area.

use super::*;

#[test]
fn choosing_a_vpc_then_node_subnets() {
    let mut app = loaded(None);
    choose_prod(&mut app);
    assert_eq!(cluster_of(&app).as_deref(), Some("prod"));
    assert_eq!(name_of(&app).as_deref(), Some("prod-private"));
    assert!(app.dirty());

    // What the account suggests is chosen: the cluster's own private subnet in each AZ,
    // and the base endpoint set with a group to create.
    let own: BTreeMap<String, String> = [
        ("eu-west-1a", "prod-private-a"),
        ("eu-west-1b", "prod-private-b"),
        ("eu-west-1c", "prod-private-c"),
    ]
    .into_iter()
    .map(|(az, n)| (az.to_string(), subnet_id(n)))
    .collect();
    assert_eq!(subnets_of(&app), own);
    let ep = app.draft().unwrap().endpoints.clone().unwrap();
    assert_eq!(ep.services, ["ec2", "ecr.api", "ecr.dkr", "s3", "sts"]);
    assert_eq!(
        ep.security_group.create.unwrap().name,
        "prod-private-endpoints"
    );

    cursor_to(&mut app, "prod-public-a");
    let fx = app.update(ch(' '));
    assert_eq!(subnets_of(&app), own, "public subnets are refused");
    assert!(matches!(fx.as_slice(), [Effect::ClearFlashAfter { .. }]));
    assert!(app.flash.as_ref().unwrap().text.contains("S3"));

    // Space unchooses, and chooses again.
    cursor_to(&mut app, "prod-private-c");
    app.update(ch(' '));
    assert_eq!(subnets_of(&app).len(), 2);
    app.update(ch(' '));
    assert_eq!(subnets_of(&app), own);
    // One per AZ: another subnet of AZ a replaces the first.
    cursor_to(&mut app, "prod-data-a");
    app.update(ch(' '));
    assert_eq!(
        subnets_of(&app).get("eu-west-1a"),
        Some(&subnet_id("prod-data-a"))
    );
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("one node subnet per AZ")
    );
    // Space again unchooses.
    app.update(ch(' '));
    assert!(!subnets_of(&app).contains_key("eu-west-1a"));

    // Tab cycles the cluster, then none.
    app.update(key(KeyCode::Tab));
    assert_eq!(cluster_of(&app), None);
    app.update(key(KeyCode::Tab));
    assert_eq!(cluster_of(&app).as_deref(), Some("prod"));

    // Esc goes back, never quits.
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.screen, Screen::Vpcs(_)));
    app.update(key(KeyCode::Esc));
    assert!(!app.quit);
}

#[test]
fn a_pod_subnet_is_never_a_node_subnet() {
    use eks_private_tui::inventory::{CidrState, VpcCidr};
    let mut inv = fixture();
    let prod = inv.vpcs.iter_mut().find(|v| v.name == "prod").unwrap();
    prod.cidrs.push(VpcCidr {
        cidr: "100.64.0.0/16".into(),
        state: CidrState::Associated,
        association_id: "vpc-cidr-assoc-0pods".into(),
    });
    let mut pods = prod.subnets[1].clone();
    pods.id = "subnet-0a0a0a0a0a0a0a0a0".into();
    pods.name = "prod-pods-a".into();
    pods.cidr = "100.64.0.0/19".into();
    prod.subnets.push(pods);
    // A hand-edited spec that put the pod subnet under nodeSubnets.
    let mut s = Spec::new("mine", "eu-west-1", &vpc_id("prod"));
    s.secondary_cidr = Some(eks_private_tui::spec::SecondaryCidr {
        cidr: "100.64.0.0/16".into(),
        pod_subnets: [("eu-west-1a".to_string(), "100.64.0.0/19".to_string())].into(),
    });
    s.node_subnets
        .insert("eu-west-1a".into(), "subnet-0a0a0a0a0a0a0a0a0".into());
    s.node_subnets
        .insert("eu-west-1b".into(), subnet_id("prod-private-b"));
    let mut app = loaded_from(inv, Some(&s.to_yaml()));
    app.update(key(KeyCode::Enter));
    assert!(matches!(app.screen, Screen::Subnets(_)));
    let text = render_text(&app, 120, 40);
    // The finding is inline, and names the subnet the list shows.
    assert!(
        text.contains(
            "N5  prod-pods-a (subnet-0a0a0a0a0a0a0a0a0) (100.64.0.0/19) lies in the secondary CIDR"
        ),
        "{text}"
    );
    let row = text.lines().find(|l| l.contains("100.64.0.0/19 ")).unwrap();
    assert!(row.contains("pods"), "{row}");
    // Unchoosing it is allowed; choosing it again is refused and says why.
    press(&mut app, "G ");
    assert!(!subnets_of(&app).contains_key("eu-west-1a"));
    press(&mut app, " ");
    assert!(!subnets_of(&app).contains_key("eu-west-1a"));
    let flash = &app.flash.as_ref().unwrap().text;
    assert!(
        flash.contains("prod-pods-a lies in the secondary CIDR 100.64.0.0/16")
            && flash.contains("N5"),
        "{flash}"
    );
    // Its row is not choosable any more.
    let text = render_text(&app, 120, 40);
    let row = text.lines().find(|l| l.contains("100.64.0.0/19 ")).unwrap();
    assert!(row.contains(" -  prod-pods-a"), "{row}");
}

#[test]
fn snapshot_subnets() {
    let mut app = loaded(None);
    choose_prod(&mut app);
    // The suggestion but for AZ c.
    cursor_to(&mut app, "prod-private-c");
    app.update(ch(' '));
    cursor_to(&mut app, "prod-legacy-a");
    snap!("subnets_80x24", render_text(&app, 80, 24));
    snap!("subnets_120x40", render_text(&app, 120, 40));
}

#[test]
fn node_subnet_findings_show_inline() {
    let mut app = loaded(None);
    choose_prod(&mut app);
    cursor_to(&mut app, "prod-legacy-a");
    app.update(ch(' '));
    cursor_to(&mut app, "prod-private-b");
    app.update(ch(' '));
    let text = render_text(&app, 80, 24);
    assert!(
        text.contains("! S4"),
        "the main route table is flagged: {text}"
    );
    snap!("subnets_with_findings_80x24", text);
    // The Checks view now audits the choices (the spec they make).
    let (findings, scope) = (app.derived.findings.clone(), app.derived.scope.clone());
    assert_eq!(scope, "choices for prod");
    assert!(
        findings
            .iter()
            .any(|f| f.id == "S4" && f.subject == "nodeSubnets.eu-west-1a")
    );
}

#[test]
fn findings_show_on_the_screen_of_their_area_not_their_id_prefix() {
    // A network ACL that denies everything on prod-private-a: G5, a G rule about the node
    // subnets, belongs inline on the node subnets screen.
    let mut inv = fixture();
    let private_a = subnet_id("prod-private-a");
    let vpc = inv.vpcs.iter_mut().find(|v| v.name == "prod").unwrap();
    for acl in &mut vpc.network_acls {
        acl.subnet_ids.retain(|s| s != &private_a);
    }
    vpc.network_acls
        .push(eks_private_tui::inventory::NetworkAcl {
            id: "acl-closed".into(),
            is_default: false,
            subnet_ids: vec![private_a.clone()],
            entries: vec![],
        });
    let (mut app, fx) = App::new(ctx(false, false), PathBuf::from("spec.yaml"), Ok(None));
    let Some(Effect::LoadInventory { request, .. }) = fx.last() else {
        panic!("{fx:?}")
    };
    app.update(Action::InventoryLoaded {
        request: *request,
        result: Ok(Arc::new(inv)),
    });
    // prod-private-a is chosen: the cluster's own subnet in its AZ.
    choose_prod(&mut app);
    assert!(
        app.derived.findings.iter().any(|f| f.id == "G5"),
        "{:#?}",
        app.derived.findings
    );
    let text = render_text(&app, 120, 40);
    assert!(text.contains("! G5") || text.contains("✗ G5"), "{text}");
}

#[test]
fn switching_vpc_and_back_keeps_the_choices_for_each() {
    let dir = TempDir::new("switch");
    let (path, text) = starter_file(&dir);
    let mut app = open(&path);
    let before = subnets_of(&app);
    assert_eq!(before.len(), 3);
    // Another VPC (corp-client is first by name), Esc, the first again: nothing lost.
    keys(&mut app, vec![ch('g'), key(KeyCode::Enter)]);
    assert_eq!(vpc_of(&app), Some(vpc_id("corp-client")));
    // No cluster there: the best subnet of each AZ is suggested, as `spec new` does.
    assert_eq!(
        subnets_of(&app).values().cloned().collect::<Vec<_>>(),
        [subnet_id("corp-client-a"), subnet_id("corp-client-b")]
    );
    assert!(app.dirty());
    keys(&mut app, vec![key(KeyCode::Esc)]);
    choose_prod(&mut app);
    assert_eq!(subnets_of(&app), before, "the prod choices were dropped");
    assert!(!app.dirty());
    keys(&mut app, vec![ch('q')]);
    assert!(app.quit, "nothing unsaved: q quits without asking");
    assert_eq!(read(&path), text);
    // And the choices made in the other VPC come back too (here: a suggestion unchosen
    // stays unchosen).
    let mut app = open(&path);
    keys(&mut app, vec![ch('g'), key(KeyCode::Enter)]);
    let corp = fixture();
    let corp_subnet = corp
        .vpc(&vpc_id("corp-client"))
        .unwrap()
        .subnets
        .iter()
        .find(|s| s.kind != eks_private_tui::inventory::SubnetKind::Public)
        .unwrap()
        .clone();
    cursor_to(&mut app, &corp_subnet.name);
    keys(&mut app, vec![ch(' '), key(KeyCode::Esc)]);
    choose_prod(&mut app);
    keys(
        &mut app,
        vec![key(KeyCode::Esc), ch('g'), key(KeyCode::Enter)],
    );
    assert_eq!(vpc_of(&app), Some(vpc_id("corp-client")));
    assert!(!subnets_of(&app).contains_key(&corp_subnet.az));
    assert_eq!(subnets_of(&app).len(), 1);
}
