//! Step 9: the preview.

use super::*;

#[test]
fn the_preview_shows_the_plan_and_apply_needs_a_typed_yes() {
    let mut app = loaded(None);
    on_preview(&mut app);
    let p = app.derived.preview.clone();
    assert!(!p.blocked);
    // The demo: DNS hostnames off (V1, fixed by the plan), node subnets untagged (S5).
    assert!(
        p.lines.iter().any(|l| l.contains("(fixed by this plan)")),
        "{p:?}"
    );
    assert!(p.lines.iter().any(|l| l.starts_with("Plan: ")), "{p:?}");
    snap!("preview_80x24", render_text(&app, 80, 24));
    // Scrolling reaches the summary.
    app.update(ch('G'));
    let bottom = render_text(&app, 80, 24);
    assert!(bottom.contains("Plan: "), "{bottom}");
    // Anything but yes cancels, and nothing is asked of AWS.
    app.update(ch('a'));
    assert_eq!(app.modal, Some(Modal::ConfirmApply(Default::default())));
    let fx = type_text(&mut app, "y");
    assert!(
        fx.iter()
            .all(|e| matches!(e, Effect::ClearFlashAfter { .. })),
        "{fx:?}"
    );
    assert_eq!(app.modal, None);
    app.update(ch('a'));
    press(&mut app, "yes");
    snap!("confirm_apply_80x24", render_text(&app, 80, 24));
    // Unsaved choices: the spec is saved first (the journal lives next to it), and the
    // apply starts once the save is confirmed.
    let fx = app.update(key(KeyCode::Enter));
    let [
        Effect::SaveSpec {
            request: save,
            path,
            yaml,
            ..
        },
    ] = fx.as_slice()
    else {
        panic!("{fx:?}")
    };
    assert_eq!(Spec::from_yaml(yaml).unwrap().node_subnets.len(), 3);
    let fx = app.update(Action::Saved {
        request: *save,
        path: path.clone(),
        result: Ok(7),
    });
    let [
        Effect::Apply {
            request,
            spec,
            expected,
            ..
        },
    ] = fx.as_slice()
    else {
        panic!("{fx:?}")
    };
    assert_eq!(expected.len(), p.actions);
    assert_eq!(spec.node_subnets.len(), 3);
    assert!(matches!(app.screen, Screen::Progress(_)));
    assert!(app.busy(), "the spinner ticks while it runs");
    // Events move the rows; q is refused while it runs.
    use eks_private_tui::apply::{Event, Summary};
    use eks_private_tui::plan::Op;
    let (first, op) = expected[0].clone();
    app.update(Action::ApplyEvent {
        request: *request,
        event: Event::Started {
            address: first.clone(),
            op,
        },
    });
    app.update(ch('q'));
    assert!(!app.quit);
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("apply is running")
    );
    // Leaving now (Ctrl-C, SIGTERM) cuts the apply off: said after the terminal is given
    // back, with how to resume (issue 10, case 12: it exited 0 with nothing printed).
    let note = app.interrupted_note().expect("an apply is running");
    assert!(
        note.contains(&format!(
            "Apply interrupted: 0 of {} steps done, 1 cut off while running",
            expected.len()
        )),
        "{note}"
    );
    let journal = format!("{}.journal", app.spec_path().display());
    assert!(note.contains(&journal), "{note}");
    assert!(note.contains("eks-private-tui apply --spec"), "{note}");
    app.update(Action::ApplyEvent {
        request: *request,
        event: Event::Done {
            address: first,
            op,
            id: "vpc-0prod".into(),
            elapsed: std::time::Duration::from_secs(2),
        },
    });
    let (second, op2) = expected[1].clone();
    app.update(Action::ApplyEvent {
        request: *request,
        event: Event::Failed {
            address: second,
            op: op2,
            error: AwsError::new(
                ErrorKind::AccessDenied,
                "ec2",
                "CreateTags",
                "not authorized",
                "attach a policy",
            ),
        },
    });
    // A stale request's events are dropped.
    app.update(Action::ApplyEvent {
        request: request + 7,
        event: Event::Finished(Summary::default()),
    });
    assert!(app.busy());
    app.update(Action::ApplyEvent {
        request: *request,
        event: Event::Finished(Summary {
            changed: 1,
            failed: vec![(
                expected[1].0.clone(),
                AwsError::new(
                    ErrorKind::AccessDenied,
                    "ec2",
                    "CreateTags",
                    "not authorized",
                    "attach a policy",
                ),
            )],
            not_started: expected[2..].iter().map(|(a, _)| a.clone()).collect(),
            journal: "spec.yaml.journal".into(),
            ..Default::default()
        }),
    });
    assert!(!app.busy());
    // A stopped apply is unfinished: leaving says how to resume, and exits 1.
    let (note, code) = app
        .leave_note()
        .expect("a stopped apply is said on leaving");
    assert_eq!(code, 1);
    assert!(note.contains("Apply stopped: 1 of"), "{note}");
    assert!(note.contains("eks-private-tui apply --spec"), "{note}");
    let _ = Op::Create;
    snap!("apply_stopped_80x24", render_text(&app, 80, 24));
    // Esc: back to the preview, reading the account again.
    let fx = app.update(key(KeyCode::Esc));
    assert!(matches!(app.screen, Screen::Preview(_)));
    assert!(
        fx.iter().any(|e| matches!(e, Effect::LoadInventory { .. })),
        "{fx:?}"
    );
}

#[test]
fn the_wizard_and_apply_spec_plan_and_refuse_the_same() {
    use eks_private_tui::ops;
    let inv = fixture();
    let good = eks_private_tui::spec::starter::starter(&inv, &vpc_id("prod"), None).unwrap();
    let mut restricted = Spec::from_yaml(&good).unwrap();
    restricted.secondary_cidr = Some(eks_private_tui::spec::SecondaryCidr {
        cidr: "198.19.0.0/16".into(),
        pod_subnets: BTreeMap::new(),
    });
    let mut unknown_service = Spec::from_yaml(&good).unwrap();
    unknown_service
        .endpoints
        .as_mut()
        .unwrap()
        .services
        .push("ecr".into());
    let (mut planned, mut refused) = (0, 0);
    for spec in [Spec::from_yaml(&good).unwrap(), restricted, unknown_service] {
        let app = loaded(Some(&spec.to_yaml()));
        // What `plan`/`apply --spec` do with the same spec and account.
        match ops::prepare(&spec, &inv) {
            Ok(p) => {
                assert!(!app.derived.preview.blocked, "{:?}", app.derived.preview);
                assert_eq!(app.derived.signature, p.signature());
                assert_eq!(app.derived.preview.actions, p.plan.actions.len());
                planned += 1;
            }
            Err(ops::Failure::Blocked(errors)) => {
                assert!(app.derived.preview.blocked);
                for e in &errors {
                    assert!(
                        app.derived
                            .preview
                            .lines
                            .iter()
                            .any(|l| l.starts_with(&format!("✗ {} {}", e.id, e.subject))),
                        "the wizard does not refuse with {} {}: {:#?}",
                        e.id,
                        e.subject,
                        app.derived.preview.lines
                    );
                }
                refused += 1;
            }
            Err(other) => panic!("{other}"),
        }
    }
    assert_eq!((planned, refused), (1, 2));
}

#[test]
fn enter_on_an_action_shows_all_its_attributes() {
    let mut app = loaded(None);
    on_preview(&mut app);
    let p = app.derived.preview.clone();
    assert_eq!(p.at.len(), p.actions, "every action has its block");
    // The second action, whole: the first j lands on the first action, the second on the
    // next; Enter opens it, Esc closes it (and stays on the preview).
    app.update(ch('j'));
    app.update(ch('j'));
    app.update(key(KeyCode::Enter));
    let text = render_text(&app, 80, 24);
    let (head, attrs) = &p.details[1];
    assert!(text.contains("Esc closes"), "{text}");
    assert!(
        text.contains(&attrs[0][..20.min(attrs[0].len())]),
        "{head}: {text}"
    );
    snap!("preview_attributes_80x24", text);
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.screen, Screen::Preview(_)));
    assert!(!render_text(&app, 80, 24).contains("Esc closes"));
    // An update's unchanged attributes are in the pop-up, marked, though the plan hides them.
    let update = p
        .details
        .iter()
        .find(|(h, _)| h.starts_with('~'))
        .expect("the fixture's plan changes something in place");
    assert!(
        update
            .1
            .iter()
            .any(|l| l.contains("(unchanged)") || l.starts_with('~')),
        "{update:?}"
    );
}

#[test]
fn under_read_only_the_preview_does_not_offer_apply() {
    let (mut app, fx) = App::new(ctx(true, true), PathBuf::from("spec.yaml"), Ok(None));
    app.update(Action::InventoryLoaded {
        request: load_request(&fx),
        result: Ok(Arc::new(fixture())),
    });
    on_preview(&mut app);
    let text = render_text(&app, 80, 24);
    assert!(text.contains("· READ-ONLY"), "{text}");
    assert!(!text.contains("a to apply"), "{text}");
    assert!(!text.contains("a apply"), "{text}");
    snap!("preview_read_only_80x24", text);
}
