//! Step 7: cluster endpoint access and the operator path.

use super::*;

#[test]
fn the_access_step_toggles_edits_cidrs_and_guards_the_operator_path() {
    // This tool runs outside the cluster's VPC (in the default VPC, not peered).
    let default_vpc = "vpc-a5c6b186840ebefcc".to_string();
    let mut app = loaded_from(running_in(&default_vpc, "172.31.0.9"), None);
    on_access(&mut app);
    assert_eq!(access_of(&app), None, "nothing is written before a choice");
    let text = render_text(&app, 120, 40);
    assert!(
        text.contains("Cluster prod: now public only · planned public and private"),
        "{text}"
    );
    assert!(text.contains("this tool runs on i-0bastion in"), "{text}");
    // Public access off: the guard turns into an error on screen and in the findings.
    access_row_to(&mut app, &AccessRow::Flag(AccessFlag::Public));
    app.update(ch(' '));
    let ep = access_of(&app).expect("the first toggle writes clusterEndpoint");
    assert!(ep.private_access && !ep.public_access);
    let text = render_text(&app, 120, 40);
    assert!(
        text.contains("public access off cuts it off (E4)"),
        "{text}"
    );
    assert!(
        app.derived
            .findings
            .iter()
            .any(|f| f.id == "E4" && f.severity == eks_private_tui::rules::Severity::Error),
        "{:?}",
        app.derived.findings
    );
    snap!("access_outside_80x24", render_text(&app, 80, 24));
    // The peering's CIDR is offered for tcp/443: Space adds it, Space again removes it.
    let inv = app.inventory().unwrap().clone();
    let vpc = inv.vpc(&vpc_id("prod")).unwrap();
    let peer = vpc.peerings[0].requester_cidrs[0].clone();
    let offer = eks_private_tui::tui::screens::access::offers(&inv, vpc, &ep);
    assert!(offer.iter().any(|(c, _)| *c == peer), "{offer:?}");
    access_row_to(
        &mut app,
        &AccessRow::Offer(peer.clone(), offer[0].1.clone()),
    );
    app.update(ch(' '));
    assert_eq!(
        access_of(&app).unwrap().allow_https_from_cidrs,
        std::slice::from_ref(&peer)
    );
    access_row_to(&mut app, &AccessRow::Cidr(CidrList::Https, peer.clone()));
    app.update(ch(' '));
    assert!(access_of(&app).unwrap().allow_https_from_cidrs.is_empty());
    // Typed CIDRs: 0.0.0.0/0 refused on tcp/443 (E3), a private range on the public list
    // (A2); what passes is written normalised.
    app.update(ch('e'));
    press(&mut app, "0.0.0.0/0");
    let text = render_text(&app, 80, 24);
    assert!(
        text.contains("open the control plane's security group"),
        "{text}"
    );
    snap!("access_editing_80x24", text);
    app.update(key(KeyCode::Enter));
    assert!(access_of(&app).unwrap().allow_https_from_cidrs.is_empty());
    app.update(key(KeyCode::Esc));
    app.update(ch('e'));
    press(&mut app, "192.168.7.0/24");
    app.update(key(KeyCode::Enter));
    assert_eq!(
        access_of(&app).unwrap().allow_https_from_cidrs,
        ["192.168.7.0/24"]
    );
    // Public on again, with an allow-list: a private range is refused there.
    access_row_to(&mut app, &AccessRow::Flag(AccessFlag::Public));
    app.update(ch(' '));
    access_row_to(&mut app, &AccessRow::Add(CidrList::Public));
    app.update(ch(' '));
    press(&mut app, "10.1.0.0/16");
    app.update(key(KeyCode::Enter));
    assert!(app.flash.as_ref().unwrap().text.contains("private range"));
    assert!(access_of(&app).unwrap().public_access_cidrs.is_empty());
    for _ in 0..11 {
        app.update(key(KeyCode::Backspace));
    }
    press(&mut app, "203.0.113.7/32");
    app.update(key(KeyCode::Enter));
    assert_eq!(
        access_of(&app).unwrap().public_access_cidrs,
        ["203.0.113.7/32"]
    );
    snap!("access_120x40", render_text(&app, 120, 40));
    // Enter goes on to DNS.
    app.update(key(KeyCode::Enter));
    assert!(matches!(app.screen, Screen::Dns(_)));
}

#[test]
fn a_bare_address_typed_is_that_host() {
    let mut app = loaded(None);
    on_access(&mut app);
    app.update(ch('e'));
    press(&mut app, "10.0.70.5");
    assert!(render_text(&app, 80, 24).contains("✓ 10.0.70.5/32"));
    app.update(key(KeyCode::Enter));
    assert_eq!(
        access_of(&app).unwrap().allow_https_from_cidrs,
        ["10.0.70.5/32"]
    );
}

#[test]
fn inside_the_vpc_the_access_step_offers_this_tools_address() {
    let mut app = loaded_from(running_in(&vpc_id("prod"), "10.0.70.5"), None);
    on_access(&mut app);
    let text = render_text(&app, 80, 24);
    assert!(text.contains("✓ this tool runs on i-0bastion"), "{text}");
    snap!("access_80x24", text);
    access_row_to(
        &mut app,
        &AccessRow::Offer("10.0.70.5/32".into(), "this tool (i-0bastion)".into()),
    );
    app.update(ch(' '));
    assert_eq!(
        access_of(&app).unwrap().allow_https_from_cidrs,
        ["10.0.70.5/32"]
    );
}

#[test]
fn the_access_and_dns_steps_in_monochrome() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Color;
    let (mut app, fx) = App::new(ctx(false, false), PathBuf::from("s.yaml"), Ok(None));
    app.update(Action::InventoryLoaded {
        request: load_request(&fx),
        result: Ok(Arc::new(running_in("vpc-a5c6b186840ebefcc", "172.31.0.9"))),
    });
    on_access(&mut app);
    let mono = |app: &App| {
        let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
        term.draw(|f| view::draw(f, app)).unwrap();
        for cell in term.backend().buffer().content() {
            assert!(
                matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
                "coloured cell {cell:?} in monochrome"
            );
        }
    };
    mono(&app);
    snap!("access_mono_80x24", render_text(&app, 80, 24));
    app.update(key(KeyCode::Enter));
    app.update(ch(' '));
    mono(&app);
    snap!("dns_mono_80x24", render_text(&app, 80, 24));
}
