//! Step 8: DNS.

use super::*;

#[test]
fn the_dns_step_asks_first_then_suggests_and_edits_the_resolver() {
    let mut app = loaded(None);
    on_dns(&mut app);
    assert_eq!(dns_of(&app), None);
    let text = render_text(&app, 80, 24);
    assert!(text.contains("[ ] a Route 53 Resolver"), "{text}");
    snap!("dns_off_80x24", text);
    // On: the suggestion from the account (two node subnets, the peer's CIDR, the peered
    // VPC as the client with two subnets, the rule for the API hostname associated with it).
    app.update(ch(' '));
    let d = dns_of(&app).expect("Space sets up a Resolver");
    let inb = d.inbound_endpoint.clone().unwrap();
    assert_eq!(inb.subnet_ids.len(), 2);
    assert_eq!(inb.allow_from_cidrs, ["10.99.0.0/16"]);
    let client = vpc_id("corp-client");
    let out = d.outbound_endpoint.clone().unwrap();
    assert_eq!(out.vpc_id, client);
    assert_eq!(out.subnet_ids.len(), 2);
    let fr = d.forward_rule.clone().unwrap();
    assert_eq!(
        (fr.domain.as_str(), fr.associate_vpc_ids.clone()),
        ("auto", vec![client.clone()])
    );
    let text = render_text(&app, 120, 40);
    snap!("dns_120x40", text);
    snap!("dns_80x24", render_text(&app, 80, 24));
    // The demo's inbound endpoint exists, in a group that lets nobody in (issue 26, 1): the
    // step says so, and G4 blocks the plan with the group and the rules to add.
    let g4 = app
        .derived
        .findings
        .iter()
        .find(|f| f.id == "G4")
        .expect("G4 on the adopted endpoint");
    assert_eq!(g4.severity, eks_private_tui::rules::Severity::Error);
    assert!(
        g4.fix.contains("authorize-security-group-ingress"),
        "{}",
        g4.fix
    );
    assert!(app.derived.preview.blocked);
    // A subnet out: one IP is refused by Route 53 (D2, an error).
    let first = inb.subnet_ids[0].clone();
    dns_row_to(&mut app, &DnsRow::Subnet(DnsSide::Inbound, first.clone()));
    app.update(ch(' '));
    assert_eq!(
        dns_of(&app)
            .unwrap()
            .inbound_endpoint
            .unwrap()
            .subnet_ids
            .len(),
        1
    );
    assert!(
        app.derived
            .findings
            .iter()
            .any(|f| f.id == "D2" && f.severity == eks_private_tui::rules::Severity::Error)
    );
    app.update(ch(' '));
    // The domain: a bad name stays in the field; a good one is written lowercase.
    dns_row_to(&mut app, &DnsRow::Domain);
    app.update(ch('e'));
    for _ in 0..4 {
        app.update(key(KeyCode::Backspace));
    }
    press(&mut app, "not a name");
    app.update(key(KeyCode::Enter));
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("not a domain name")
    );
    app.update(key(KeyCode::Esc));
    assert_eq!(dns_of(&app).unwrap().forward_rule.unwrap().domain, "auto");
    // The client VPC cycles to none (on-prem only): no outbound side and no rule.
    dns_row_to(&mut app, &DnsRow::OutVpc);
    app.update(ch(' '));
    let d = dns_of(&app).unwrap();
    assert!(
        d.outbound_endpoint.is_none() && d.forward_rule.is_none(),
        "{d:?}"
    );
    app.update(ch(' '));
    assert_eq!(
        dns_of(&app).unwrap().outbound_endpoint.unwrap().vpc_id,
        client
    );
    // Off again: dns leaves the spec, and Enter saves and previews.
    dns_row_to(&mut app, &DnsRow::Need);
    app.update(ch(' '));
    assert_eq!(dns_of(&app), None);
    let fx = app.update(key(KeyCode::Enter));
    assert!(matches!(fx.as_slice(), [Effect::SaveSpec { .. }]), "{fx:?}");
    assert!(matches!(app.screen, Screen::Preview(_)));
}

/// The demo with its inbound endpoint's group letting the client VPC in on tcp and udp 53:
/// the endpoint is adopted, and the plan makes the forward rule to its IPs.
#[test]
fn the_dns_step_adopts_an_inbound_endpoint_that_answers() {
    let mut inv = fixture();
    let vpc = inv
        .vpcs
        .iter_mut()
        .find(|v| {
            v.security_groups
                .iter()
                .any(|g| g.description == "resolver inbound")
        })
        .unwrap();
    let g = vpc
        .security_groups
        .iter_mut()
        .find(|g| g.description == "resolver inbound")
        .unwrap();
    for p in ["tcp", "udp"] {
        g.ingress.push(eks_private_tui::inventory::SgRule {
            protocol: p.into(),
            from_port: Some(53),
            to_port: Some(53),
            cidrs: vec!["10.99.0.0/16".into()],
            ..Default::default()
        });
    }
    let mut app = loaded_from(inv, None);
    on_dns(&mut app);
    app.update(ch(' '));
    assert!(
        !app.derived.findings.iter().any(|f| f.id == "G4"),
        "{:#?}",
        app.derived.findings
    );
    assert!(!app.derived.preview.blocked, "{:?}", app.derived.preview);
    let plan = app.derived.preview.lines.join("\n");
    assert!(plan.contains("resolver_rule.forward"), "{plan}");
    assert!(!plan.contains("security_group_rule.resolver"), "{plan}");
}
