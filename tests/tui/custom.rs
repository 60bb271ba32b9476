//! Step 6: custom networking.

use super::*;

/// Issue 25 (K1): on an EKS Auto Mode cluster step 6 says ENIConfigs do not apply, and
/// choosing custom networking anyway is an error the step shows.
#[test]
fn the_custom_networking_step_on_an_auto_mode_cluster() {
    let mut inv = fixture();
    for c in &mut inv.clusters {
        c.auto_mode = true;
    }
    let mut app = loaded_from(inv, None);
    on_custom(&mut app);
    let text = render_text(&app, 80, 24);
    assert!(text.contains("EKS Auto Mode: no ENIConfigs (K1)"), "{text}");
    cni_row_to(&mut app, &CniRow::Mode(true));
    app.update(ch(' '));
    assert!(
        app.derived
            .findings
            .iter()
            .any(|f| f.id == "K1" && f.subject == "customNetworking"),
        "{:#?}",
        app.derived.findings
    );
    assert!(render_text(&app, 120, 40).contains("K1"));
}

#[test]
fn the_custom_networking_step_sets_eniconfigs_groups_and_shows_max_pods() {
    let mut app = loaded(None);
    on_custom(&mut app);
    // Subnet discovery until custom networking is chosen: the plan tags the pod subnets.
    assert_eq!(custom_of(&app), None);
    assert!(render_text(&app, 80, 24).contains("subnet discovery: the plan tags"));
    snap!("custom_discovery_80x24", render_text(&app, 80, 24));
    let plan = app.derived.preview.lines.join("\n");
    assert!(plan.contains("kubernetes.io/role/cni"), "{plan}");

    cni_row_to(&mut app, &CniRow::Mode(true));
    app.update(ch(' '));
    assert_eq!(
        custom_of(&app).unwrap().eni_config_label,
        "topology.kubernetes.io/zone"
    );
    let text = render_text(&app, 120, 40);
    assert!(
        text.contains("eu-west-1a     100.64.0.0/18      node's groups"),
        "{text}"
    );
    assert!(
        text.contains(
            "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true ENI_CONFIG_LABEL_DEF=topology.kubernetes.io/zone"
        ),
        "{text}"
    );
    // By AZ ID (the cluster runs 1.31): the ENIConfigs take the zone IDs' names.
    cni_row_to(&mut app, &CniRow::Label("topology.k8s.aws/zone-id"));
    app.update(ch(' '));
    assert_eq!(
        custom_of(&app).unwrap().eni_config_label,
        "topology.k8s.aws/zone-id"
    );
    assert!(render_text(&app, 120, 40).contains("euw1-az3 "));
    // A pods' group, added and removed.
    cni_row_to(&mut app, &CniRow::Group("sg-182a30c25a41c1ae7".into()));
    app.update(ch(' '));
    assert_eq!(
        custom_of(&app).unwrap().security_group_ids,
        ["sg-182a30c25a41c1ae7"]
    );
    assert!(render_text(&app, 120, 40).contains("pods use 1 group"));
    app.update(ch(' '));
    assert!(custom_of(&app).unwrap().security_group_ids.is_empty());
    // The node group's instance type: typed, saved in the spec, and asked of EC2 (the
    // offline table answers meanwhile).
    app.update(ch('e'));
    retype(&mut app, "m5.huge");
    assert!(render_text(&app, 120, 40).contains("m5.huge is not in the offline table"));
    let fx = app.update(key(KeyCode::Enter));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::ReadInstanceType { name, .. } if name == "m5.huge")),
        "{fx:?}"
    );
    assert_eq!(
        app.draft()
            .unwrap()
            .node_group
            .as_ref()
            .unwrap()
            .instance_type,
        "m5.huge"
    );
    let mut unknown = eks_private_tui::aws::AwsError::usage("no such type", "");
    unknown.code = Some("InvalidInstanceType".into());
    app.update(Action::InstanceTypeRead {
        region: "eu-west-1".into(),
        name: "m5.huge".into(),
        result: Err(unknown),
    });
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("m5.huge is not an instance type EC2 lists in eu-west-1")
    );
    assert!(
        app.derived
            .findings
            .iter()
            .any(|f| f.id == "N6" && f.subject == "nodeGroup.instanceType"),
        "N6 names the spec's unknown type"
    );
    app.update(ch('e'));
    retype(&mut app, "m5.xlarge");
    app.update(key(KeyCode::Enter));
    let text = render_text(&app, 120, 40);
    assert!(
        text.contains("58 pods → 44 custom · 110 with prefixes"),
        "{text}"
    );
    // EC2's answer replaces the offline figures.
    app.update(Action::InstanceTypeRead {
        region: "eu-west-1".into(),
        name: "m5.xlarge".into(),
        result: Ok(eks_private_tui::inventory::InstanceType {
            name: "m5.xlarge".into(),
            default_vcpus: 4,
            max_interfaces: 4,
            ipv4_per_interface: 15,
            nitro: true,
        }),
    });
    assert!(
        app.inventory()
            .unwrap()
            .instance_types
            .iter()
            .any(|t| t.name == "m5.xlarge")
    );
    snap!("custom_120x40", text);
    // Enter saves and previews; the plan carries no ENIConfig (Kubernetes objects are
    // exported, not applied) but no CNI tag either: custom networking wins (N8).
    let fx = enter_to_preview(&mut app);
    assert!(matches!(fx.as_slice(), [Effect::SaveSpec { .. }]), "{fx:?}");
    let plan = app.derived.preview.lines.join("\n");
    assert!(!plan.contains("kubernetes.io/role/cni"), "{plan}");
    // Back (through DNS and endpoint access), subnet discovery again.
    for _ in 0..3 {
        app.update(key(KeyCode::Esc));
    }
    assert!(matches!(app.screen, Screen::Custom(_)));
    cni_row_to(&mut app, &CniRow::Mode(false));
    app.update(ch(' '));
    assert_eq!(custom_of(&app), None);
}

#[test]
fn the_zone_id_label_is_refused_below_kubernetes_1_30() {
    let mut inv = fixture();
    inv.clusters[0].version = "1.29".into();
    let mut app = loaded_from(inv, None);
    on_custom(&mut app);
    cni_row_to(&mut app, &CniRow::Mode(true));
    app.update(ch(' '));
    cni_row_to(&mut app, &CniRow::Label("topology.k8s.aws/zone-id"));
    app.update(ch(' '));
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("only from 1.30 on")
    );
    assert_eq!(
        custom_of(&app).unwrap().eni_config_label,
        "topology.kubernetes.io/zone"
    );
}

#[test]
fn snapshot_custom() {
    let mut app = loaded(None);
    on_custom(&mut app);
    cni_row_to(&mut app, &CniRow::Mode(true));
    app.update(ch(' '));
    cni_row_to(&mut app, &CniRow::Env);
    snap!("custom_80x24", render_text(&app, 80, 24));
}

#[test]
fn the_custom_networking_step_in_monochrome() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Color;
    let (mut app, fx) = App::new(ctx(false, false), PathBuf::from("s.yaml"), Ok(None));
    app.update(Action::InventoryLoaded {
        request: load_request(&fx),
        result: Ok(Arc::new(fixture())),
    });
    on_custom(&mut app);
    cni_row_to(&mut app, &CniRow::Mode(true));
    app.update(ch(' '));
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    term.draw(|f| view::draw(f, &app)).unwrap();
    for cell in term.backend().buffer().content() {
        assert!(
            matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
            "coloured cell {cell:?} in monochrome"
        );
    }
    snap!("custom_mono_80x24", render_text(&app, 80, 24));
}
