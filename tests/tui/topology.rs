//! The topology view (t).

use super::*;

#[test]
fn t_draws_the_vpc_as_az_columns_with_what_the_plan_adds() {
    let mut app = loaded(None);
    on_secondary(&mut app);
    // A secondary CIDR: its pod subnets are planned.
    let inv = app.inventory().unwrap().clone();
    let vpc = inv.vpc(&vpc_id("prod")).unwrap().clone();
    cidr_row_to(&mut app, &CidrRow::Cidr("100.64.0.0/16".into()));
    app.update(ch(' '));
    app.update(ch('t'));
    let Some(Modal::Topology(p)) = &app.modal else {
        panic!("t opens the topology")
    };
    assert_eq!(p.columns.len(), vpc.azs().len());
    let text = render_text(&app, 80, 24);
    assert!(text.contains("eu-west-1a (euw1-az3)"), "{text}");
    assert!(text.contains("+ pod subnet"), "{text}");
    assert!(text.contains("N prod-private-a"), "{text}");
    snap!("topology_80x24", text);
    snap!("topology_120x40", render_text(&app, 120, 40));
    // j scrolls, t closes; the keys never reach the screen below.
    app.update(ch('j'));
    let Some(Modal::Topology(p)) = &app.modal else {
        panic!()
    };
    assert_eq!(p.offset, 1);
    app.update(ch('t'));
    assert_eq!(app.modal, None);
    assert!(matches!(app.screen, Screen::Secondary(_)));
}

#[test]
fn the_topology_in_monochrome() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Color;
    let (mut app, fx) = App::new(ctx(false, false), PathBuf::from("s.yaml"), Ok(None));
    app.update(Action::InventoryLoaded {
        request: load_request(&fx),
        result: Ok(Arc::new(fixture())),
    });
    choose_prod(&mut app);
    app.update(ch('t'));
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    term.draw(|f| view::draw(f, &app)).unwrap();
    for cell in term.backend().buffer().content() {
        assert!(
            matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
            "coloured cell {cell:?} in monochrome"
        );
    }
    snap!("topology_mono_80x24", render_text(&app, 80, 24));
}
