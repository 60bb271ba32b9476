//! What every screen shares: saving, quitting, flashes, help, colour, the Checks view, the header, a terminal too small, names escaped.

use super::*;

#[test]
fn save_writes_the_spec_through_an_effect() {
    let mut app = loaded(None);
    // Nothing chosen yet: w explains instead of writing.
    assert!(matches!(
        app.update(ch('w')).as_slice(),
        [Effect::ClearFlashAfter { .. }]
    ));
    choose_prod(&mut app);
    // The suggestion stands but for AZ a, where the isolated subnet is chosen instead.
    cursor_to(&mut app, "prod-data-a");
    app.update(ch(' '));
    let fx = app.update(ch('w'));
    let [
        Effect::SaveSpec {
            request,
            path,
            yaml,
            ..
        },
    ] = fx.as_slice()
    else {
        panic!("{fx:?}")
    };
    let spec = Spec::from_yaml(yaml).unwrap();
    assert_eq!(spec.vpc_id, vpc_id("prod"));
    assert_eq!(spec.region, "eu-west-1");
    assert_eq!(spec.cluster_name.as_deref(), Some("prod"));
    assert_eq!(spec.metadata.name, "prod-private");
    assert_eq!(spec.node_subnets["eu-west-1a"], subnet_id("prod-data-a"));
    assert_eq!(spec.node_subnets["eu-west-1c"], subnet_id("prod-private-c"));
    assert_eq!(
        spec.endpoints.unwrap().services,
        ["ec2", "ecr.api", "ecr.dkr", "s3", "sts"]
    );
    assert!(app.dirty(), "dirty until the write is confirmed");
    app.update(Action::Saved {
        request: *request,
        path: path.clone(),
        result: Ok(1),
    });
    assert!(!app.dirty());
    // Enter goes on step by step, and the Enter that reaches the preview saves too, but
    // only what changed: nothing changed, nothing is written.
    assert!(enter_to_preview(&mut app).is_empty());
    // Esc goes back a step at a time: DNS, endpoint access, the secondary CIDR, the
    // group, the endpoints.
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.screen, Screen::Dns(_)));
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.screen, Screen::Access(_)));
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.screen, Screen::Secondary(_)));
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.screen, Screen::Group(_)));
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.screen, Screen::Endpoints(_)));
    app.update(key(KeyCode::Esc));
    cursor_to(&mut app, "prod-private-b");
    app.update(ch(' '));
    assert!(matches!(
        enter_to_preview(&mut app).as_slice(),
        [Effect::SaveSpec { .. }]
    ));
}

#[test]
fn quitting_asks_when_choices_are_unsaved() {
    let mut app = loaded(None);
    app.update(ch('q'));
    assert!(app.quit, "nothing to lose: q quits at once");

    let mut app = loaded(None);
    choose_prod(&mut app);
    app.update(ch('q'));
    assert_eq!(app.modal, Some(Modal::ConfirmQuit));
    snap!("confirm_quit_80x24", render_text(&app, 80, 24));
    app.update(key(KeyCode::Esc));
    assert_eq!(app.modal, None);
    assert!(!app.quit);
    // y saves, and quits once the save is confirmed.
    app.update(ch('q'));
    let fx = app.update(ch('y'));
    let [Effect::SaveSpec { request, path, .. }] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    assert!(!app.quit);
    app.update(Action::Saved {
        request: *request,
        path: path.clone(),
        result: Ok(1),
    });
    assert!(app.quit);
    // A failed save keeps the wizard open and says why.
    let mut app = loaded(None);
    choose_prod(&mut app);
    app.update(ch('q'));
    let fx = app.update(ch('y'));
    let [Effect::SaveSpec { request, path, .. }] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    app.update(Action::Saved {
        request: *request,
        path: path.clone(),
        result: Err(SaveError::Io("permission denied".into())),
    });
    assert!(!app.quit);
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("permission denied")
    );
    // n quits without saving; Ctrl-C always quits.
    app.update(ch('q'));
    app.update(ch('n'));
    assert!(app.quit);
    // q while the preview's save of these choices is still on its way quits once it
    // lands, without saying they are unsaved; a failed one asks again.
    for ok in [true, false] {
        let mut app = loaded(None);
        choose_prod(&mut app);
        let fx = enter_to_preview(&mut app);
        let [Effect::SaveSpec { request, path, .. }] = fx.as_slice() else {
            panic!("{fx:?}")
        };
        app.update(ch('q'));
        assert_eq!(app.modal, None);
        assert!(!app.quit, "quit before the save landed");
        app.update(Action::Saved {
            request: *request,
            path: path.clone(),
            result: if ok {
                Ok(1)
            } else {
                Err(SaveError::Io("disk full".into()))
            },
        });
        assert_eq!(app.quit, ok);
        if !ok {
            app.update(ch('q'));
            assert_eq!(app.modal, Some(Modal::ConfirmQuit));
        }
    }
    let mut app = loaded(None);
    choose_prod(&mut app);
    app.update(Action::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert!(app.quit);
}

#[test]
fn flashes_clear_themselves_but_only_their_own() {
    let mut app = loaded(None);
    choose_prod(&mut app);
    cursor_to(&mut app, "prod-public-a");
    let fx = app.update(ch(' '));
    let [Effect::ClearFlashAfter { id: first, .. }] = fx.as_slice() else {
        panic!()
    };
    let fx = app.update(ch(' '));
    let [Effect::ClearFlashAfter { id: second, .. }] = fx.as_slice() else {
        panic!()
    };
    app.update(Action::ClearFlash(*first));
    assert!(app.flash.is_some(), "an older timer cleared a newer flash");
    app.update(Action::ClearFlash(*second));
    assert!(app.flash.is_none());
}

#[test]
fn snapshot_loading_help_and_too_small() {
    let (app, _) = App::new(ctx(true, true), PathBuf::from("s.yaml"), Ok(None));
    snap!("loading_read_only_80x24", render_text(&app, 80, 24));
    let mut app = loaded(None);
    snap!("too_small_79x24", render_text(&app, 79, 24));
    snap!("too_small_80x23", render_text(&app, 80, 23));
    app.update(ch('?'));
    snap!("help_vpcs_80x24", render_text(&app, 80, 24));
    // Issue 28, 7: only the quit and back keys close help; the list keys scroll it.
    app.update(ch('x'));
    assert!(
        matches!(app.modal, Some(Modal::Help(_))),
        "x does not close help"
    );
    app.update(ch('G'));
    let end = render_text(&app, 80, 24);
    assert!(end.contains("Esc/q closes"), "the end of help shows: {end}");
    app.update(ch('q'));
    assert_eq!(app.modal, None, "q closes help");
    app.update(ch('?'));
    app.update(key(KeyCode::Esc));
    assert_eq!(app.modal, None, "Esc closes help");
    choose_prod(&mut app);
    app.update(ch('?'));
    snap!("help_subnets_120x40", render_text(&app, 120, 40));
}

/// NO_COLOR: no cell carries a colour; meaning stays in symbols, bold and reverse.
#[test]
fn monochrome_uses_no_colour() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::{Color, Modifier};
    let (mut app, _) = App::new(ctx(false, true), PathBuf::from("s.yaml"), Ok(None));
    app.update(Action::InventoryLoaded {
        request: 1,
        result: Ok(Arc::new(fixture())),
    });
    choose_prod(&mut app);
    cursor_to(&mut app, "prod-public-a");
    app.update(ch(' ')); // a warning flash
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|f| view::draw(f, &app)).unwrap();
    let buf = term.backend().buffer();
    let mut reversed = 0;
    for cell in buf.content() {
        assert!(
            matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
            "coloured cell {:?} in monochrome",
            cell
        );
        if cell.modifier.contains(Modifier::REVERSED) {
            reversed += 1;
        }
    }
    assert!(reversed > 0, "the cursor and badge use reverse video");
    let text = render_text(&app, 120, 40);
    assert!(text.contains("READ-ONLY"));
    assert!(
        text.contains("[ ]") && text.contains(" - "),
        "choice marks are symbols"
    );
}

#[test]
fn checks_view_lists_findings_with_why_and_fix() {
    let mut app = loaded(None);
    // prod is highlighted: its DNS hostnames are off (V1) in the demo account.
    press(&mut app, "gj");
    let (findings, scope) = (app.derived.findings.clone(), app.derived.scope.clone());
    assert_eq!(scope, vpc_id("prod"));
    assert!(findings.iter().any(|f| f.id == "V1"), "{findings:#?}");
    let text = render_text(&app, 80, 24);
    assert!(text.contains("Checks 1 error,"), "{text}");
    assert!(text.contains("✗ V1"), "{text}");

    app.update(ch('c'));
    assert!(matches!(app.modal, Some(Modal::Checks(_))));
    snap!("checks_80x24", render_text(&app, 80, 24));
    let text = render_text(&app, 120, 40);
    assert!(
        text.contains("Why: ") && text.contains("Fix: aws ec2 modify-vpc-attribute"),
        "{text}"
    );
    // f filters by severity: errors only, then warnings only (none here: S5 needs a
    // cluster subnet without the tag, and the demo's are untagged, so there are some).
    app.update(ch('f'));
    let only_errors = render_text(&app, 120, 40);
    assert!(only_errors.contains("error only"), "{only_errors}");
    assert!(!only_errors.contains("! S5"), "{only_errors}");
    app.update(ch('f'));
    assert!(render_text(&app, 120, 40).contains("warn only"));
    // q closes the view, it does not quit.
    app.update(ch('q'));
    assert_eq!(app.modal, None);
    assert!(!app.quit);
}

#[test]
fn too_small_no_key_acts_but_quit() {
    // Issue 10: at 20x5, `Up Up Enter w` changed the VPC and saved the spec.
    let mut app = loaded(None);
    app.update(Action::Resize(20, 5));
    let before = vpc_of(&app);
    for a in [
        key(KeyCode::Up),
        key(KeyCode::Up),
        key(KeyCode::Enter),
        ch('w'),
        ch(' '),
    ] {
        assert!(app.update(a).is_empty(), "no effect while too small");
    }
    assert_eq!(vpc_of(&app), before);
    assert!(!app.dirty());
    assert!(!app.quit);
    app.update(ch('q'));
    assert!(app.quit, "q still quits (nothing unsaved)");
    // Large enough again: keys act.
    let mut app = loaded(None);
    app.update(Action::Resize(20, 5));
    app.update(Action::Resize(80, 24));
    choose_prod(&mut app);
    assert_eq!(vpc_of(&app), Some(vpc_id("prod")));
}

#[test]
fn names_from_aws_reach_the_terminal_as_text() {
    // Issue 10: ESC/OSC sequences and U+202E from AWS values were drawn raw.
    let mut inv = fixture();
    inv.vpcs[0].name = "evil\u{1b}]0;owned\u{7}\u{202e}gnp.exe\u{200b}".into();
    let app = loaded_from(inv, None);
    let text = render_text(&app, 120, 40);
    assert!(text.contains("evil"), "{text}");
    assert!(
        !text.chars().any(eks_private_tui::report::unsafe_char),
        "{text:?}"
    );
}

#[test]
fn the_header_says_no_profile_when_none_is_set_and_never_cuts_the_region() {
    let mut c = ctx(true, true);
    c.profile = None;
    let (mut app, fx) = App::new(c, PathBuf::from("s.yaml"), Ok(None));
    app.update(Action::InventoryLoaded {
        request: load_request(&fx),
        result: Ok(Arc::new(fixture())),
    });
    let top = render_text(&app, 80, 24)
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(!top.contains("profile"), "{top}");
    assert!(
        top.contains("eu-west-1") && top.contains("READ-ONLY"),
        "{top}"
    );
    // A profile name too long for the line gives way; the region and the badge stay.
    let mut c = ctx(true, true);
    c.profile = Some("a-very-long-profile-name-for-the-organisation-sandbox".into());
    let (mut app, fx) = App::new(c, PathBuf::from("s.yaml"), Ok(None));
    app.update(Action::InventoryLoaded {
        request: load_request(&fx),
        result: Ok(Arc::new(fixture())),
    });
    let top = render_text(&app, 80, 24)
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(
        top.contains("│ eu-west-1") && top.contains("READ-ONLY"),
        "{top}"
    );
}

#[test]
fn too_small_only_q_acts_and_asks_once_with_unsaved_choices() {
    let mut app = loaded(None);
    choose_prod(&mut app);
    assert!(app.dirty());
    app.update(Action::Resize(70, 20));
    // Other keys do nothing unseen.
    app.update(key(KeyCode::Esc));
    app.update(ch(' '));
    assert!(matches!(app.screen, Screen::Subnets(_)));
    app.update(ch('q'));
    assert!(!app.quit);
    let text = render_text(&app, 70, 20);
    assert!(text.contains("q again quits without saving"), "{text}");
    app.update(ch('q'));
    assert!(app.quit);
    // Nothing unsaved: q quits at once.
    let mut app = loaded(None);
    app.update(Action::Resize(70, 20));
    app.update(ch('q'));
    assert!(app.quit);
}
