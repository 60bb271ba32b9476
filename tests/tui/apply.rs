//! Step 10: apply, stop, resume.

use super::*;

#[test]
fn ctrl_c_mid_apply_asks_then_stops_after_the_running_steps() {
    use eks_private_tui::apply::{Event, Summary};
    let mut app = loaded(None);
    let (request, expected) = applying(&mut app);
    let (first, op) = expected[0].clone();
    app.update(Action::ApplyEvent {
        request,
        event: Event::Started {
            address: first.clone(),
            op,
        },
    });
    let ctrl_c = || Action::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    // The first Ctrl-C asks; Esc goes on.
    app.update(ctrl_c());
    assert!(!app.quit);
    assert_eq!(app.modal, Some(Modal::StopApply));
    snap!("apply_stop_prompt_80x24", render_text(&app, 80, 24));
    app.update(key(KeyCode::Esc));
    assert_eq!(app.modal, None);
    // s: the runtime is told to launch nothing new.
    app.update(ctrl_c());
    let fx = app.update(ch('s'));
    assert!(fx.contains(&Effect::StopApply { request }), "{fx:?}");
    assert!(render_text(&app, 80, 24).contains("Stopping: the running steps finish"));
    // The running step finishes, the rest never starts; leaving then exits 1 and says how
    // to resume.
    app.update(Action::ApplyEvent {
        request,
        event: Event::Done {
            address: first,
            op,
            id: "vpce-0new".into(),
            elapsed: std::time::Duration::from_secs(3),
        },
    });
    let fx = app.update(Action::ApplyEvent {
        request,
        event: Event::Finished(Summary {
            changed: 1,
            interrupted: true,
            not_started: expected[1..].iter().map(|(a, _)| a.clone()).collect(),
            journal: "spec.yaml.journal".into(),
            ..Default::default()
        }),
    });
    // The account is read again at once.
    assert!(
        fx.iter().any(|e| matches!(e, Effect::LoadInventory { .. })),
        "{fx:?}"
    );
    let (note, code) = app.leave_note().unwrap();
    assert_eq!(code, 1, "{note}");
    assert!(
        note.contains(&format!(
            "Apply stopped: 1 of {} steps done",
            expected.len()
        )),
        "{note}"
    );
    // While it runs, a second Ctrl-C leaves at once (exit 130).
    let mut app = loaded(None);
    let (request, expected) = applying(&mut app);
    app.update(Action::ApplyEvent {
        request,
        event: Event::Started {
            address: expected[0].0.clone(),
            op: expected[0].1,
        },
    });
    app.update(ctrl_c());
    app.update(ctrl_c());
    assert!(app.quit);
    assert_eq!(app.leave_note().unwrap().1, 130);
}

#[test]
fn a_complete_apply_reads_the_account_again_and_lists_the_next_steps() {
    use eks_private_tui::apply::{Event, Summary};
    let mut app = loaded(None);
    let (request, expected) = applying(&mut app);
    let mut n = 0;
    for (address, op) in &expected {
        n += 1;
        app.update(Action::ApplyEvent {
            request,
            event: Event::Done {
                address: address.clone(),
                op: *op,
                id: format!("id-{n}"),
                elapsed: std::time::Duration::from_secs(1),
            },
        });
    }
    let fx = app.update(Action::ApplyEvent {
        request,
        event: Event::Finished(Summary {
            changed: expected.len(),
            journal: "spec.yaml.journal".into(),
            ..Default::default()
        }),
    });
    let load = fx
        .iter()
        .find_map(|e| match e {
            Effect::LoadInventory { request, .. } => Some(*request),
            _ => None,
        })
        .expect("the account is read again after the apply");
    assert_eq!(app.leave_note(), None, "nothing left half-done");
    let text = render_text(&app, 120, 40);
    assert!(text.contains("Next steps, outside this tool"), "{text}");
    assert!(text.contains("[iam]"), "{text}");
    assert!(
        text.contains(&format!("{} of {} done", expected.len(), expected.len())),
        "{text}"
    );
    snap!("apply_complete_120x40", text);
    snap!("apply_complete_80x24", render_text(&app, 80, 24));
    // The fresh account answers: the Checks are of the account as the apply left it, and the
    // screen stays on the apply's outcome.
    app.update(Action::InventoryLoaded {
        request: load,
        result: Ok(Arc::new(fixture())),
    });
    assert!(matches!(app.screen, Screen::Progress(_)));
    assert!(render_text(&app, 80, 24).contains("Next steps"));
}

#[test]
fn an_unfinished_apply_is_offered_for_resuming() {
    let mut app = loaded(None);
    choose_prod(&mut app);
    app.offer_resume(4);
    let text = render_text(&app, 80, 24);
    assert!(text.contains("did not finish: 4 steps recorded"), "{text}");
    snap!("resume_offer_80x24", text);
    let fx = app.update(key(KeyCode::Enter));
    assert!(matches!(app.screen, Screen::Preview(_)), "{fx:?}");
    // Before the account is read, Enter waits for it.
    let (mut app, fx) = App::new(
        ctx(true, false),
        PathBuf::from("spec.yaml"),
        Ok(Some(format!(
            "apiVersion: eks-private-tui/v1alpha1\nkind: PrivateNetwork\nmetadata:\n  name: prod-private\nregion: eu-west-1\nvpcId: {}\nclusterName: prod\nnodeSubnets:\n  eu-west-1a: {}\n  eu-west-1b: {}\n",
            vpc_id("prod"),
            subnet_id("prod-private-a"),
            subnet_id("prod-private-b")
        ))),
    );
    app.offer_resume(1);
    app.update(key(KeyCode::Enter));
    assert_eq!(app.modal, None);
    app.update(Action::InventoryLoaded {
        request: load_request(&fx),
        result: Ok(Arc::new(fixture())),
    });
    assert!(matches!(app.screen, Screen::Preview(_)));
}
