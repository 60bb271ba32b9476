//! Step 5: the secondary CIDR and pod subnets.

use super::*;

#[test]
fn the_secondary_cidr_step_suggests_splits_and_checks_as_typed() {
    let mut app = loaded(None);
    on_secondary(&mut app);
    let text = render_text(&app, 120, 40);
    assert!(text.contains("– skipped: no secondary CIDR"), "{text}");
    app.update(key(KeyCode::Esc));
    // Titled where eleven steps fit, as numbers with marks where they do not.
    let text = render_text(&app, 140, 40);
    assert!(
        text.contains("5 CIDR –"),
        "the breadcrumb says skipped: {text}"
    );
    assert!(render_text(&app, 80, 24).contains(" 5– "));
    app.update(key(KeyCode::Enter));
    // The first suggestion is 100.64.0.0/16; Space takes it and splits it over the AZs.
    cidr_row_to(&mut app, &CidrRow::Cidr("100.64.0.0/16".into()));
    app.update(ch(' '));
    assert_eq!(secondary_of(&app).unwrap().cidr, "100.64.0.0/16");
    assert_eq!(
        pods_of(&app),
        ["100.64.0.0/18", "100.64.64.0/18", "100.64.128.0/18"]
    );
    let text = render_text(&app, 120, 40);
    assert!(text.contains("✓ 100.64.0.0/16 · 3 pod subnets"), "{text}");
    assert!(text.contains("█"), "capacity bars: {text}");
    assert!(
        text.contains("16 379 pod IPs (node subnet: 8 185 free)"),
        "{text}"
    );
    let plan = app.derived.preview.lines.join("\n");
    assert!(plan.contains("vpc_cidr.secondary"), "{plan}");
    assert!(plan.contains("subnet.pod[\"eu-west-1c\"]"), "{plan}");

    // Typed: a range AWS refuses here is said as typed and never written.
    app.update(ch('e'));
    retype(&mut app, "172.16.0.0/16");
    let text = render_text(&app, 80, 24);
    assert!(text.contains("which AWS refuses here"), "{text}");
    snap!("secondary_editing_80x24", text);
    app.update(key(KeyCode::Enter));
    assert!(app.flash.as_ref().unwrap().text.contains("AWS refuses"));
    assert_eq!(secondary_of(&app).unwrap().cidr, "100.64.0.0/16");
    retype(&mut app, "100.70.0.0/16");
    app.update(key(KeyCode::Enter));
    assert_eq!(secondary_of(&app).unwrap().cidr, "100.70.0.0/16");
    assert_eq!(
        pods_of(&app),
        ["100.70.0.0/18", "100.70.64.0/18", "100.70.128.0/18"]
    );
    // One pod subnet edited: an overlap with another AZ's is refused, a free block kept.
    cidr_row_to(&mut app, &CidrRow::Pod("eu-west-1a".into()));
    app.update(ch('e'));
    retype(&mut app, "100.70.64.0/18");
    app.update(key(KeyCode::Enter));
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("overlaps the pod subnet of eu-west-1b")
    );
    retype(&mut app, "100.70.192.0/19");
    app.update(key(KeyCode::Enter));
    assert_eq!(
        pods_of(&app),
        ["100.70.192.0/19", "100.70.64.0/18", "100.70.128.0/18"]
    );
    // A node subnet can no longer be chosen in the secondary CIDR (N5): it is for pods.
    // None: the secondary CIDR goes, and with it custom networking.
    cidr_row_to(&mut app, &CidrRow::Skip);
    app.update(ch(' '));
    assert_eq!(secondary_of(&app), None);
    assert!(render_text(&app, 80, 24).contains("– skipped"));
}

#[test]
fn snapshot_secondary() {
    let mut app = loaded(None);
    on_secondary(&mut app);
    snap!("secondary_skipped_80x24", render_text(&app, 80, 24));
    cidr_row_to(&mut app, &CidrRow::Cidr("100.64.0.0/16".into()));
    app.update(ch(' '));
    cidr_row_to(&mut app, &CidrRow::Pod("eu-west-1b".into()));
    snap!("secondary_80x24", render_text(&app, 80, 24));
    snap!("secondary_120x40", render_text(&app, 120, 40));
}

#[test]
fn the_secondary_cidr_step_in_monochrome() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Color;
    let (mut app, fx) = App::new(ctx(false, false), PathBuf::from("s.yaml"), Ok(None));
    app.update(Action::InventoryLoaded {
        request: load_request(&fx),
        result: Ok(Arc::new(fixture())),
    });
    on_secondary(&mut app);
    cidr_row_to(&mut app, &CidrRow::Cidr("100.64.0.0/16".into()));
    app.update(ch(' '));
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    term.draw(|f| view::draw(f, &app)).unwrap();
    for cell in term.backend().buffer().content() {
        assert!(
            matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
            "coloured cell {cell:?} in monochrome"
        );
    }
    snap!("secondary_mono_80x24", render_text(&app, 80, 24));
}
