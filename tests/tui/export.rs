//! Step 11: export.

use super::*;

#[test]
fn the_export_step_writes_the_chosen_formats_and_asks_before_overwriting() {
    use eks_private_tui::tui::screens::export::Outcome;
    let tmp = TempDir::new("export-step");
    let dir = tmp.0.clone();
    let spec = dir.join("prod.yaml");
    let (mut app, fx) = App::new(ctx(true, false), spec.clone(), Ok(None));
    app.update(Action::InventoryLoaded {
        request: load_request(&fx),
        result: Ok(Arc::new(fixture())),
    });
    on_preview(&mut app);
    app.update(ch('o'));
    let Screen::Export(s) = &app.screen else {
        panic!("o opens the export step")
    };
    assert_eq!(s.dir, dir.join("prod-private-export"));
    // What can be made is chosen; what cannot says why.
    let made: Vec<&str> = s
        .offers
        .iter()
        .filter(|o| o.files.is_ok())
        .map(|o| o.format.name())
        .collect();
    assert!(
        made.contains(&"spec") && made.contains(&"eksctl") && made.contains(&"iam"),
        "{made:?}"
    );
    let skipped: Vec<&str> = s
        .offers
        .iter()
        .filter(|o| o.files.is_err())
        .map(|o| o.format.name())
        .collect();
    assert!(
        skipped.contains(&"eniconfig"),
        "no custom networking: {skipped:?}"
    );
    snap!("export_80x24", render_text(&app, 80, 24));
    snap!("export_120x40", render_text(&app, 120, 40));
    // Space on a format that cannot be made says why.
    let at = s.offers.iter().position(|o| o.files.is_err()).unwrap();
    app.update(ch('g'));
    for _ in 0..at {
        app.update(ch('j'));
    }
    app.update(ch(' '));
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("cannot be made yet")
    );
    // Only spec and iam: Space off on the others.
    let Screen::Export(s) = &app.screen else {
        panic!()
    };
    let chosen = s.chosen.clone();
    for f in chosen
        .iter()
        .filter(|f| !matches!(f.name(), "spec" | "iam"))
    {
        let Screen::Export(s) = &app.screen else {
            panic!()
        };
        let at = s.offers.iter().position(|o| o.format == *f).unwrap();
        app.update(ch('g'));
        for _ in 0..at {
            app.update(ch('j'));
        }
        app.update(ch(' '));
    }
    let fx = app.update(key(KeyCode::Enter));
    let [
        Effect::Export {
            request,
            dir: out,
            files,
            force: false,
        },
    ] = fx.as_slice()
    else {
        panic!("{fx:?}")
    };
    let names: Vec<&str> = files.iter().map(|(_, f)| f.name.as_str()).collect();
    assert_eq!(files.len(), 2, "{names:?}");
    // The runtime writes them: listed on screen.
    let paths: Vec<PathBuf> = files.iter().map(|(_, f)| out.join(&f.name)).collect();
    std::fs::create_dir_all(out).unwrap();
    for (p, (_, f)) in paths.iter().zip(files) {
        std::fs::write(p, &f.text).unwrap();
    }
    app.update(Action::Exported {
        request: *request,
        outcome: Outcome::Written(paths.clone()),
    });
    let text = render_text(&app, 120, 40);
    assert!(text.contains("✓ wrote 2 files into"), "{text}");
    assert!(text.contains(&paths[0].display().to_string()), "{text}");
    // Again: they exist, y overwrites, Esc keeps them.
    let fx = app.update(key(KeyCode::Enter));
    let [Effect::Export { request, .. }] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    app.update(Action::Exported {
        request: *request,
        outcome: Outcome::Exist(paths.clone()),
    });
    assert!(render_text(&app, 80, 24).contains("2 files exist"));
    app.update(ch('q'));
    assert!(!app.quit, "the question has the keys");
    let fx = app.update(ch('y'));
    assert!(
        matches!(fx.as_slice(), [Effect::Export { force: true, .. }]),
        "{fx:?}"
    );
    // Esc goes back to the preview.
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.screen, Screen::Preview(_)));
}

#[test]
fn the_apply_and_export_steps_in_monochrome() {
    use eks_private_tui::apply::{Event, Summary};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Color;
    let (mut app, fx) = App::new(ctx(false, false), PathBuf::from("spec.yaml"), Ok(None));
    app.update(Action::InventoryLoaded {
        request: load_request(&fx),
        result: Ok(Arc::new(fixture())),
    });
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
    let (request, expected) = applying(&mut app);
    app.update(Action::ApplyEvent {
        request,
        event: Event::Done {
            address: expected[0].0.clone(),
            op: expected[0].1,
            id: "vpc-0prod".into(),
            elapsed: std::time::Duration::from_secs(1),
        },
    });
    mono(&app);
    snap!("apply_running_mono_80x24", render_text(&app, 80, 24));
    app.update(Action::ApplyEvent {
        request,
        event: Event::Finished(Summary {
            changed: 1,
            interrupted: true,
            not_started: expected[1..].iter().map(|(a, _)| a.clone()).collect(),
            journal: "spec.yaml.journal".into(),
            ..Default::default()
        }),
    });
    app.update(ch('o'));
    assert!(matches!(app.screen, Screen::Export(_)));
    mono(&app);
    snap!("export_mono_80x24", render_text(&app, 80, 24));
}
