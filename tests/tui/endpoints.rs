//! Step 3: VPC endpoints.

use super::*;

#[test]
fn the_endpoints_step_edits_features_services_dns_and_route_tables() {
    let mut app = loaded(None);
    on_endpoints(&mut app);
    const BASE: [&str; 5] = ["ec2", "ecr.api", "ecr.dkr", "s3", "sts"];
    assert_eq!(endpoints_of(&app).services, strings(&BASE));
    let text = render_text(&app, 120, 40);
    // The sts endpoint that exists is adopted, and its missing AZ is a finding.
    assert!(text.contains("exists, adopted · AZs 2/3"), "{text}");
    assert!(
        app.derived
            .findings
            .iter()
            .any(|f| f.id == "P2" && f.message.contains("no subnet in eu-west-1c")),
        "{:#?}",
        app.derived.findings
    );

    // Karpenter on: listed, and the services it needs are checked (sqs only with its
    // interruption handling).
    row_to(&mut app, &feature("karpenter"));
    app.update(ch(' '));
    let ep = endpoints_of(&app);
    assert_eq!(ep.features, strings(&["karpenter"]));
    assert_eq!(
        ep.services,
        strings(&["ec2", "ecr.api", "ecr.dkr", "s3", "sts", "eks", "ssm"])
    );
    // SSM sessions on too, then Karpenter off: ssm stays (SSM needs it), eks goes, the
    // base set stays.
    row_to(&mut app, &feature("ssm-sessions"));
    app.update(ch(' '));
    row_to(&mut app, &feature("karpenter"));
    app.update(ch(' '));
    let ep = endpoints_of(&app);
    assert_eq!(ep.features, strings(&["ssm-sessions"]));
    assert_eq!(
        ep.services,
        strings(&[
            "ec2",
            "ecr.api",
            "ecr.dkr",
            "s3",
            "sts",
            "ssm",
            "ssmmessages",
            "ec2messages"
        ])
    );
    // A service a listed feature needs can be unchecked: said now, and P9 says it after.
    row_to(&mut app, &service("ssmmessages"));
    app.update(ch(' '));
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("SSM Session Manager to the nodes needs ssmmessages")
    );
    assert!(
        app.derived.findings.iter().any(|f| f.id == "P9"),
        "{:#?}",
        app.derived.findings
    );
    app.update(ch(' '));
    // A base service unchecked: warned (P7), and the finding shows on the screen.
    row_to(&mut app, &service("ecr.dkr"));
    app.update(ch(' '));
    assert!(app.flash.as_ref().unwrap().text.contains("base set"));
    assert!(render_text(&app, 120, 40).contains("P7  the base set lacks ecr.dkr"));
    app.update(ch(' '));
    // A service by itself.
    row_to(&mut app, &service("logs"));
    app.update(ch(' '));
    assert!(endpoints_of(&app).services.contains(&"logs".to_string()));

    // Private DNS off and on.
    row_to(&mut app, &Row::PrivateDns);
    app.update(ch(' '));
    assert!(!endpoints_of(&app).private_dns);
    assert!(render_text(&app, 80, 24).contains("private DNS off"));
    app.update(ch(' '));
    assert!(endpoints_of(&app).private_dns);

    // Route tables: a node subnet's is always covered; another one is added and removed.
    let inv = fixture();
    let prod = inv.vpc(&vpc_id("prod")).unwrap();
    let rt = |name: &str| {
        prod.route_tables
            .iter()
            .find(|r| r.name == name)
            .unwrap()
            .id
            .clone()
    };
    row_to(&mut app, &Row::RouteTable(rt("prod-private-a")));
    app.update(ch(' '));
    assert!(app.flash.as_ref().unwrap().text.contains("always covered"));
    assert!(endpoints_of(&app).extra_route_table_ids.is_empty());
    row_to(&mut app, &Row::RouteTable(rt("prod-data")));
    app.update(ch(' '));
    assert_eq!(endpoints_of(&app).extra_route_table_ids, [rt("prod-data")]);
    let plan = app.derived.preview.lines.join("\n");
    assert!(plan.contains(&rt("prod-data")), "{plan}");
    app.update(ch(' '));
    assert!(endpoints_of(&app).extra_route_table_ids.is_empty());

    // Esc back to the node subnets, Enter again: the choices are all still there.
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.screen, Screen::Subnets(_)));
    app.update(key(KeyCode::Enter));
    assert!(endpoints_of(&app).services.contains(&"logs".to_string()));
}

#[test]
fn a_service_the_region_does_not_offer_cannot_be_checked() {
    let mut inv = fixture();
    inv.endpoint_services.retain(|e| e.service != "sqs");
    let mut app = loaded_from(inv, None);
    on_endpoints(&mut app);
    row_to(&mut app, &service("sqs"));
    app.update(ch(' '));
    assert!(!endpoints_of(&app).services.contains(&"sqs".to_string()));
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("offers no sqs endpoint")
    );
    assert!(render_text(&app, 120, 40).contains("not offered in eu-west-1"));
    // Karpenter's interruption handling still turns on, with what there is, and says
    // what is missing.
    row_to(&mut app, &feature("karpenter-interruption"));
    app.update(ch(' '));
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("needs sqs, which eu-west-1 does not offer")
    );
    assert_eq!(
        endpoints_of(&app).features,
        strings(&["karpenter-interruption"])
    );
}

#[test]
fn a_spec_without_endpoints_starts_them_on_the_first_toggle() {
    let text = format!(
        "apiVersion: eks-private-tui/v1alpha1\nkind: PrivateNetwork\nmetadata:\n  name: prod-private\nregion: eu-west-1\nvpcId: {}\nnodeSubnets:\n  eu-west-1a: {}\n  eu-west-1b: {}\n",
        vpc_id("prod"),
        subnet_id("prod-private-a"),
        subnet_id("prod-private-b")
    );
    let mut app = loaded(Some(&text));
    choose_prod(&mut app);
    assert!(
        app.draft().unwrap().endpoints.is_none(),
        "a loaded spec is kept as it is"
    );
    app.update(key(KeyCode::Enter));
    snap!("endpoints_empty_80x24", render_text(&app, 80, 24));
    assert!(render_text(&app, 80, 24).contains("no endpoints in the spec"));
    row_to(&mut app, &service("ec2"));
    app.update(ch(' '));
    let ep = endpoints_of(&app);
    assert_eq!(ep.services, strings(&["ec2"]));
    assert_eq!(
        ep.security_group.create.unwrap().name,
        "prod-private-endpoints"
    );
}

#[test]
fn snapshot_endpoints() {
    let mut app = loaded(None);
    on_endpoints(&mut app);
    row_to(&mut app, &feature("karpenter"));
    app.update(ch(' '));
    row_to(&mut app, &service("sts"));
    snap!("endpoints_80x24", render_text(&app, 80, 24));
    snap!("endpoints_120x40", render_text(&app, 120, 40));
    row_to(
        &mut app,
        &Row::RouteTable(
            fixture()
                .vpc(&vpc_id("prod"))
                .unwrap()
                .route_tables
                .iter()
                .find(|r| r.name == "prod-data")
                .unwrap()
                .id
                .clone(),
        ),
    );
    app.update(ch(' '));
    snap!("endpoints_route_tables_80x24", render_text(&app, 80, 24));
    app.update(ch('?'));
    snap!("help_endpoints_80x24", render_text(&app, 80, 24));
}

#[test]
fn the_endpoints_step_in_monochrome() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Color;
    let (mut app, fx) = App::new(ctx(false, false), PathBuf::from("s.yaml"), Ok(None));
    app.update(Action::InventoryLoaded {
        request: load_request(&fx),
        result: Ok(Arc::new(fixture())),
    });
    on_endpoints(&mut app);
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    term.draw(|f| view::draw(f, &app)).unwrap();
    for cell in term.backend().buffer().content() {
        assert!(
            matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
            "coloured cell {cell:?} in monochrome"
        );
    }
    snap!("endpoints_mono_80x24", render_text(&app, 80, 24));
}
