//! Step 4: the endpoints' security group.

use super::*;

#[test]
fn the_group_step_creates_or_picks_and_checks_the_name_as_typed() {
    let mut app = loaded(None);
    on_group(&mut app);
    let text = render_text(&app, 120, 40);
    assert!(
        text.contains("✓ create prod-private-endpoints · 1 tcp/443 rule · from 10.0.0.0/16"),
        "{text}"
    );
    // An existing group: its rules judged against the CIDRs.
    assert!(text.contains("✓ 443 from all 1 CIDR"), "{text}");
    group_row_to(&mut app, &GroupRow::Existing("sg-02f97876f080e4634".into()));
    app.update(ch(' '));
    let g = group_of(&app);
    assert_eq!(g.id.as_deref(), Some("sg-02f97876f080e4634"));
    assert_eq!(g.create, None);
    assert!(render_text(&app, 120, 40).contains("use sg-02f97876f080e4634 · the plan adds 0"));
    // A group without the 443 rule: the plan adds it, and the preview says so.
    group_row_to(&mut app, &GroupRow::Existing("sg-182a30c25a41c1ae7".into()));
    app.update(ch(' '));
    let text = render_text(&app, 120, 40);
    assert!(text.contains("the plan adds 1 tcp/443 rule"), "{text}");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("The plan adds tcp/443 from 10.0.0.0/16"),
        "{text}"
    );
    let plan = app.derived.preview.lines.join("\n");
    assert!(plan.contains("security_group_rule.endpoints_443"), "{plan}");

    // Back to a new group, and rename it: checked as typed, refused while AWS would.
    group_row_to(&mut app, &GroupRow::Create);
    app.update(ch(' '));
    assert_eq!(
        group_of(&app).create.map(|c| c.name).as_deref(),
        Some("prod-private-endpoints")
    );
    app.update(ch('e'));
    press(&mut app, "|x");
    let text = render_text(&app, 80, 24);
    assert!(text.contains("cannot be in a group name"), "{text}");
    snap!("group_editing_80x24", text);
    app.update(key(KeyCode::Enter));
    assert!(app.flash.as_ref().unwrap().text.contains("G2"));
    assert_eq!(
        group_of(&app).create.map(|c| c.name).as_deref(),
        Some("prod-private-endpoints"),
        "a name AWS refuses is never written"
    );
    // Keys go to the field while it is open: q is a letter, not quit.
    app.update(key(KeyCode::Backspace));
    app.update(key(KeyCode::Backspace));
    press(&mut app, "-q");
    assert!(!app.quit);
    app.update(key(KeyCode::Enter));
    assert_eq!(
        group_of(&app).create.map(|c| c.name).as_deref(),
        Some("prod-private-endpoints-q")
    );
    // Esc leaves the field and the name as they were.
    app.update(ch('e'));
    press(&mut app, "zz");
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.screen, Screen::Group(_)));
    assert_eq!(
        group_of(&app).create.map(|c| c.name).as_deref(),
        Some("prod-private-endpoints-q")
    );
    // Esc (out of the field) goes back to the endpoints.
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.screen, Screen::Endpoints(_)));
}

#[test]
fn snapshot_group() {
    let mut app = loaded(None);
    on_group(&mut app);
    group_row_to(&mut app, &GroupRow::Existing("sg-182a30c25a41c1ae7".into()));
    snap!("group_80x24", render_text(&app, 80, 24));
    snap!("group_120x40", render_text(&app, 120, 40));
}

#[test]
fn the_group_step_in_monochrome() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Color;
    let (mut app, fx) = App::new(ctx(false, false), PathBuf::from("s.yaml"), Ok(None));
    app.update(Action::InventoryLoaded {
        request: load_request(&fx),
        result: Ok(Arc::new(fixture())),
    });
    on_group(&mut app);
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    term.draw(|f| view::draw(f, &app)).unwrap();
    for cell in term.backend().buffer().content() {
        assert!(
            matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
            "coloured cell {cell:?} in monochrome"
        );
    }
    snap!("group_mono_80x24", render_text(&app, 80, 24));
}
