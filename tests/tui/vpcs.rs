//! Step 1: the VPC list, its filter and cursor, the region list, and loading.

use super::*;

#[test]
fn first_frame_loads_and_stale_answers_are_dropped() {
    let (mut app, fx) = App::new(ctx(true, false), PathBuf::from("s.yaml"), Ok(None));
    assert_eq!(
        fx,
        vec![Effect::LoadInventory {
            request: 1,
            first: None,
            region: None,
        }]
    );
    assert!(app.busy());
    // r while loading: a new request; the first answer is now stale.
    // r reads the spec file again too.
    let fx = app.update(ch('r'));
    assert!(
        fx.contains(&Effect::LoadInventory {
            request: 2,
            first: None,
            region: None,
        }),
        "{fx:?}"
    );
    assert!(
        fx.iter().any(|e| matches!(e, Effect::ReadSpec { .. })),
        "{fx:?}"
    );
    app.update(Action::InventoryLoaded {
        request: 1,
        result: Ok(Arc::new(Inventory::default())),
    });
    assert!(
        matches!(app.load, LoadState::Loading),
        "stale answer applied"
    );
    app.update(Action::InventoryLoaded {
        request: 2,
        result: Ok(Arc::new(fixture())),
    });
    assert!(matches!(app.load, LoadState::Ready(_)));
    assert!(!app.busy());
}

#[test]
fn a_failed_load_shows_the_error_and_retries() {
    let (mut app, _) = App::new(ctx(true, false), PathBuf::from("s.yaml"), Ok(None));
    let err = AwsError::new(
        ErrorKind::Unreachable,
        "sts",
        "GetCallerIdentity",
        "cannot reach sts: Connection refused",
        "check --endpoint-url",
    );
    app.update(Action::InventoryLoaded {
        request: 1,
        result: Err(err),
    });
    assert!(matches!(app.load, LoadState::Failed(_)));
    assert!(!app.quit, "a failed call never ends the TUI");
    snap!("error_80x24", render_text(&app, 80, 24));
    assert!(app.update(ch('r')).contains(&Effect::LoadInventory {
        request: 2,
        first: None,
        region: None,
    }));
    assert!(app.busy());
}

#[test]
fn filter_narrows_the_vpc_list() {
    let mut app = loaded(None);
    press(&mut app, "/clie");
    let Screen::Vpcs(s) = &app.screen else {
        panic!()
    };
    assert!(s.filtering);
    assert_eq!(s.rows(&fixture()).len(), 1);
    // While typing, q and r are text, not commands.
    press(&mut app, "q");
    assert!(!app.quit);
    app.update(key(KeyCode::Backspace));
    app.update(key(KeyCode::Enter));
    snap!("vpcs_filtered_80x24", render_text(&app, 80, 24));
    app.update(key(KeyCode::Enter));
    assert_eq!(vpc_of(&app), Some(vpc_id("corp-client")));
    assert_eq!(cluster_of(&app), None);
}

#[test]
fn the_cursor_starts_on_the_one_clusters_vpc_until_the_operator_moves() {
    let selected = |app: &App| match &app.screen {
        Screen::Vpcs(s) => s.selected,
        _ => panic!("not on the VPC list"),
    };
    // corp-client, prod, (default): prod holds the region's one cluster.
    let mut app = loaded(None);
    assert_eq!(selected(&app), 1);
    // A reload keeps where the operator went.
    press(&mut app, "j");
    assert_eq!(selected(&app), 2);
    let request = load_request(&app.update(ch('r')));
    app.update(Action::InventoryLoaded {
        request,
        result: Ok(Arc::new(fixture())),
    });
    assert_eq!(selected(&app), 2);
    // Two clusters suggest nothing: the list starts at the top.
    let mut two = fixture();
    let mut other = two.clusters[0].clone();
    other.name = "other".into();
    other.vpc_id = Some(vpc_id("corp-client"));
    two.clusters.push(other);
    assert_eq!(selected(&loaded_from(two, None)), 0);
}

#[test]
fn snapshot_vpcs() {
    let mut app = loaded(None);
    press(&mut app, "gj");
    snap!("vpcs_80x24", render_text(&app, 80, 24));
    snap!("vpcs_120x40", render_text(&app, 120, 40));
}

#[test]
fn the_vpc_list_shows_while_the_rest_of_the_account_is_read() {
    use eks_private_tui::inventory::Pending;
    let (mut app, fx) = App::new(ctx(false, false), PathBuf::from("spec.yaml"), Ok(None));
    let Some(Effect::LoadInventory { request, .. }) = fx.last().cloned() else {
        panic!("{fx:?}")
    };
    // DescribeVpcs answered: the VPCs, nothing else yet.
    let full = fixture();
    let mut partial = fixture();
    for v in &mut partial.vpcs {
        v.subnets.clear();
        v.endpoints.clear();
        (v.dns_support, v.dns_hostnames) = (false, false);
    }
    partial.pending = Some(Pending {
        lists: true,
        dns: partial.vpcs.iter().map(|v| v.id.clone()).collect(),
        what: "subnets, route tables, endpoints, security groups".into(),
    });
    app.update(Action::InventoryPartial {
        request,
        inv: Arc::new(partial.clone()),
    });
    assert!(app.busy(), "the spinner turns while the rest is read");
    let text = render_text(&app, 100, 30);
    assert!(
        text.contains("prod") && text.contains("corp-client"),
        "{text}"
    );
    assert!(text.contains("reading subnets"), "{text}");
    assert!(text.contains("… reading"), "DNS not known yet: {text}");
    assert!(
        !text.contains("✗ OFF"),
        "an unknown attribute is not shown as off: {text}"
    );
    // Nothing is judged by a partial account.
    assert!(app.derived.findings.is_empty());
    assert!(app.derived.preview.blocked);
    app.update(ch('c'));
    assert_eq!(app.modal, None);
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("once the account is read")
    );
    // The cursor moves while DNS attributes are read: the highlighted VPC is read next.
    app.update(ch('g'));
    let down = app.update(key(KeyCode::Down));
    let [Effect::FocusVpc(second)] = down.as_slice() else {
        panic!("{down:?}")
    };
    let up = app.update(key(KeyCode::Up));
    let [Effect::FocusVpc(first)] = up.as_slice() else {
        panic!("{up:?}")
    };
    assert_ne!(first, second);
    assert!(app.update(key(KeyCode::Up)).is_empty(), "asked already");
    // The list is usable: prod can be chosen already.
    choose_prod(&mut app);
    assert!(render_text(&app, 100, 30).contains("Reading the VPC's subnets"));
    assert!(subnets_of(&app).is_empty(), "nothing to suggest from yet");
    app.update(key(KeyCode::Enter));
    snap!("endpoints_loading_80x24", render_text(&app, 80, 24));
    app.update(key(KeyCode::Enter));
    assert!(render_text(&app, 80, 24).contains("Reading the VPC's security groups"));
    app.update(key(KeyCode::Enter));
    snap!("secondary_loading_80x24", render_text(&app, 80, 24));
    esc_to_subnets(&mut app);
    // The lists arrive; DNS still pending for one VPC: that VPC is marked, the others not.
    let mut lists_in = full.clone();
    let corp = vpc_id("corp-client");
    lists_in.pending = Some(Pending {
        lists: false,
        dns: [corp.clone()].into(),
        what: "DNS attributes of 1 of 3 VPCs".into(),
    });
    app.update(Action::InventoryPartial {
        request,
        inv: Arc::new(lists_in),
    });
    assert!(render_text(&app, 100, 30).contains("prod-private-a"));
    assert_eq!(
        subnets_of(&app).get("eu-west-1a"),
        Some(&subnet_id("prod-private-a")),
        "the cluster's subnets are suggested once they are read"
    );
    // A stale partial (an older request) is dropped; the complete one ends the load.
    app.update(Action::InventoryPartial {
        request: request + 7,
        inv: Arc::new(partial),
    });
    assert!(render_text(&app, 100, 30).contains("prod-private-a"));
    app.update(Action::InventoryLoaded {
        request,
        result: Ok(Arc::new(full)),
    });
    assert!(!app.busy());
    assert!(
        !app.derived.findings.is_empty(),
        "the rules run on the complete account"
    );
}

#[test]
fn the_region_list_filters_and_reads_the_account_in_the_chosen_region() {
    let mut app = loaded_from(with_regions(), None);
    app.update(ch('R'));
    let Some(Modal::Regions(p)) = &app.modal else {
        panic!("{:?}", app.modal)
    };
    assert_eq!(p.cursor, 1, "on the region read");
    let text = render_text(&app, 80, 24);
    assert!(text.contains("● eu-west-1  (read now)"), "{text}");
    snap!("regions_80x24", text);
    snap!("regions_120x40", render_text(&app, 120, 40));
    // / filters; Enter keeps the filter, Enter again reads that region.
    press(&mut app, "/us");
    app.update(key(KeyCode::Enter));
    assert!(render_text(&app, 80, 24).contains("Region · 2 of 5"));
    app.update(ch('j'));
    let fx = app.update(key(KeyCode::Enter));
    assert_eq!(app.modal, None);
    assert!(
        fx.iter().any(
            |e| matches!(e, Effect::LoadInventory { region: Some(r), .. } if r == "us-west-2")
        ),
        "{fx:?}"
    );
    assert_eq!(app.ctx.region, "us-west-2");
    assert!(matches!(app.load, LoadState::Loading));
    // Reading again (r) stays in the chosen region.
    let fx = app.update(ch('r'));
    assert!(
        fx.iter().any(
            |e| matches!(e, Effect::LoadInventory { region: Some(r), .. } if r == "us-west-2")
        ),
        "{fx:?}"
    );
}

#[test]
fn the_region_list_waits_for_unsaved_choices_and_esc_closes_it() {
    let mut app = loaded_from(with_regions(), None);
    choose_prod(&mut app);
    app.update(key(KeyCode::Esc));
    assert!(app.dirty());
    app.update(ch('R'));
    assert_eq!(app.modal, None);
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("not saved: w saves them")
    );
    // Nothing unsaved: the list opens, Esc closes it, nothing is read.
    let mut app = loaded_from(with_regions(), None);
    app.update(ch('R'));
    assert!(matches!(app.modal, Some(Modal::Regions(_))));
    assert!(app.update(key(KeyCode::Esc)).is_empty());
    assert_eq!(app.modal, None);
    // The region read: nothing to do.
    app.update(ch('R'));
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert_eq!(app.modal, None);
}

#[test]
fn esc_clears_a_kept_filter_and_then_goes_nowhere() {
    let mut app = loaded(None);
    press(&mut app, "/prod");
    app.update(key(KeyCode::Enter));
    assert!(render_text(&app, 80, 24).contains("/ prod"));
    // Esc and the next key arriving together are read by the terminal as Alt+key: the
    // runtime splits them (keys::split_alt) and the filter is cleared by the Esc.
    for k in
        eks_private_tui::tui::keys::split_alt(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::ALT))
    {
        app.update(Action::Key(k));
    }
    let text = render_text(&app, 80, 24);
    assert!(!text.contains("/ prod"), "{text}");
    assert!(text.contains("corp-client"), "every VPC again: {text}");
    assert!(matches!(app.screen, Screen::Vpcs(_)));
}
