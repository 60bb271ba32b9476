//! The spec file: preselection, edits on disk, saves that write nothing, a spec of another region.

use super::*;

#[test]
fn an_existing_spec_preselects_and_a_foreign_one_is_not_loaded() {
    let mut s = Spec::new("mine", "eu-west-1", &vpc_id("prod"));
    s.node_subnets
        .insert("eu-west-1b".into(), subnet_id("prod-private-b"));
    let app = loaded(Some(&s.to_yaml()));
    assert_eq!(vpc_of(&app), Some(vpc_id("prod")));
    assert_eq!(name_of(&app).as_deref(), Some("mine"));
    assert_eq!(subnets_of(&app).len(), 1);
    assert!(!app.dirty());

    let other = Spec::new("x", "us-east-1", "vpc-1234abcd");
    let app = loaded(Some(&other.to_yaml()));
    assert_eq!(vpc_of(&app), None);
    assert!(app.flash.as_ref().unwrap().text.contains("us-east-1"));

    let mut app = loaded(Some(
        "apiVersion: eks-private-tui/v1alpha1\nkind: PrivateNetwork\nbogus: 1\n",
    ));
    assert!(app.flash.as_ref().unwrap().text.contains("cannot read"));
    choose_prod(&mut app);
    let fx = app.update(ch('w'));
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::SaveSpec { .. })),
        "a spec that could not be parsed is never overwritten"
    );

    // A file that exists but cannot be read (permissions): said, and never overwritten.
    let (mut app, _) = App::new(
        ctx(true, false),
        PathBuf::from("spec.yaml"),
        Err("Permission denied (os error 13)".into()),
    );
    app.update(Action::InventoryLoaded {
        request: 1,
        result: Ok(Arc::new(fixture())),
    });
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("Permission denied")
    );
    choose_prod(&mut app);
    let fx = app.update(ch('w'));
    assert!(!fx.iter().any(|e| matches!(e, Effect::SaveSpec { .. })));
}

#[test]
fn read_only_refuses_apply_and_a_loaded_spec_keeps_its_other_sections() {
    let (mut app, fx) = App::new(
        ctx(true, true),
        PathBuf::from("spec.yaml"),
        Ok(Some(format!(
            "apiVersion: eks-private-tui/v1alpha1\nkind: PrivateNetwork\nmetadata:\n  name: prod-private\nregion: eu-west-1\nvpcId: {}\nclusterName: prod\nnodeSubnets:\n  eu-west-1a: {}\n  eu-west-1b: {}\nendpoints:\n  services: [ec2, ecr.api, ecr.dkr, s3, sts]\n  securityGroup:\n    create: {{ name: prod-eps }}\n",
            vpc_id("prod"),
            subnet_id("prod-private-a"),
            subnet_id("prod-private-b")
        ))),
    );
    let Some(Effect::LoadInventory { request, .. }) = fx.last() else {
        panic!("{fx:?}")
    };
    app.update(Action::InventoryLoaded {
        request: *request,
        result: Ok(Arc::new(fixture())),
    });
    choose_prod(&mut app);
    assert!(!app.dirty(), "the loaded spec is the draft");
    cursor_to(&mut app, "prod-private-c");
    app.update(ch(' '));
    let fx = enter_to_preview(&mut app);
    let [Effect::SaveSpec { yaml, .. }] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    let saved = Spec::from_yaml(yaml).unwrap();
    assert_eq!(
        saved.endpoints.as_ref().map(|e| e.services.clone()),
        Some(
            ["ec2", "ecr.api", "ecr.dkr", "s3", "sts"]
                .map(String::from)
                .to_vec()
        ),
        "the endpoints section survives a save from the wizard"
    );
    assert!(matches!(app.screen, Screen::Preview(_)));
    let p = app.derived.preview.clone();
    assert!(
        p.lines.iter().any(|l| l.contains("endpoint.sts")),
        "{:#?}",
        p.lines
    );
    let fx = app.update(ch('a'));
    assert_eq!(app.modal, None);
    assert!(app.flash.as_ref().unwrap().text.contains("READ-ONLY"));
    assert!(
        fx.iter()
            .all(|e| matches!(e, Effect::ClearFlashAfter { .. }))
    );
}

#[test]
fn an_edit_on_disk_is_reloaded_by_r_and_never_overwritten() {
    let dir = TempDir::new("edit");
    let (path, text) = starter_file(&dir);
    let mut app = open(&path);
    assert!(!app.dirty());
    // Edited in an editor while the wizard runs; r then w keeps the edit.
    let edited = text.replace("  - sts\n", "  - sts\n  - logs\n# ticket OPS-42\n");
    assert_ne!(edited, text);
    std::fs::write(&path, &edited).unwrap();
    keys(&mut app, vec![ch('r'), ch('w')]);
    assert_eq!(read(&path), edited, "r then w lost the edit on disk");
    assert!(
        app.draft()
            .unwrap()
            .endpoints
            .as_ref()
            .unwrap()
            .services
            .contains(&"logs".to_string()),
        "r loads the file when nothing is unsaved"
    );
    // With unsaved choices, an edit on disk is asked about, never overwritten silently.
    choose_prod(&mut app);
    cursor_to(&mut app, "prod-data-b");
    keys(&mut app, vec![ch(' ')]);
    assert!(app.dirty());
    let edited2 = edited.replace("# ticket OPS-42", "# ticket OPS-43");
    std::fs::write(&path, &edited2).unwrap();
    keys(&mut app, vec![ch('w')]);
    // The comment the editor added is the user's: asked about first (as read).
    assert!(
        matches!(&app.modal, Some(Modal::DropComments(c)) if c == &["ticket OPS-42".to_string()]),
        "{:?}",
        app.modal
    );
    keys(&mut app, vec![ch('y')]);
    // The write finds the file changed since.
    assert_eq!(app.modal, Some(Modal::DiskChanged { saving: true }));
    snap!("disk_changed_80x24", render_text(&app, 80, 24));
    keys(&mut app, vec![key(KeyCode::Esc)]);
    assert_eq!(read(&path), edited2, "Esc wrote over the edit");
    assert!(app.dirty(), "the draft is kept");
    // w again asks again; o overwrites (the user's comment is asked about too: y).
    keys(&mut app, vec![ch('w')]);
    assert_eq!(app.modal, Some(Modal::DiskChanged { saving: true }));
    keys(&mut app, vec![ch('o')]);
    assert!(
        matches!(&app.modal, Some(Modal::DropComments(c)) if c == &["ticket OPS-43".to_string()]),
        "{:?}",
        app.modal
    );
    keys(&mut app, vec![ch('y')]);
    let saved = Spec::from_yaml(&read(&path)).unwrap();
    assert_eq!(saved.node_subnets["eu-west-1b"], subnet_id("prod-data-b"));
    assert!(!app.dirty());
    // r with unsaved choices and a changed file: asked; l loads the file.
    cursor_to(&mut app, "prod-private-b");
    keys(&mut app, vec![ch(' ')]);
    std::fs::write(&path, &edited2).unwrap();
    keys(&mut app, vec![ch('r')]);
    assert_eq!(app.modal, Some(Modal::DiskChanged { saving: false }));
    keys(&mut app, vec![ch('l')]);
    assert_eq!(app.draft(), Some(&Spec::from_yaml(&edited2).unwrap()));
    assert!(!app.dirty());
}

#[test]
fn enter_without_a_change_writes_nothing_and_comments_survive_a_save() {
    let dir = TempDir::new("enter");
    let (path, text) = starter_file(&dir);
    let mut app = open(&path);
    choose_prod(&mut app);
    let fx = enter_to_preview(&mut app);
    settle(&mut app, fx);
    assert_eq!(read(&path), text, "Enter rewrote an unchanged spec");
    assert!(app.flash.is_none() || !app.flash.as_ref().unwrap().text.contains("saved"));
    // A change is saved with the starter's explanatory comments written again.
    esc_to_subnets(&mut app);
    cursor_to(&mut app, "prod-data-c");
    keys(&mut app, vec![ch(' ')]);
    let fx = enter_to_preview(&mut app);
    settle(&mut app, fx);
    let saved = read(&path);
    assert_ne!(saved, text);
    for c in [
        "# eks-private-tui spec (docs/spec.md",
        "name: prod-private   # used in tags",
        "# The base set (P7)",
        "privateDns: true   # false: self-managed DNS",
    ] {
        assert!(saved.contains(c), "{c:?} missing from\n{saved}");
    }
    assert_eq!(
        Spec::from_yaml(&saved).unwrap().node_subnets["eu-west-1c"],
        subnet_id("prod-data-c")
    );
    // A comment of the user's: the save says it would drop it, and Esc writes nothing.
    let mine = saved.replace(
        "region: eu-west-1\n",
        "# owned by team-net\nregion: eu-west-1\n",
    );
    std::fs::write(&path, &mine).unwrap();
    keys(&mut app, vec![ch('r')]);
    assert!(
        matches!(app.screen, Screen::Preview(_)),
        "same VPC: same screen"
    );
    keys(&mut app, vec![key(KeyCode::Esc)]);
    cursor_to(&mut app, "prod-private-c");
    keys(&mut app, vec![ch(' '), ch('w')]);
    assert!(
        matches!(&app.modal, Some(Modal::DropComments(c)) if c == &["owned by team-net".to_string()]),
        "{:?}",
        app.modal
    );
    keys(&mut app, vec![key(KeyCode::Esc)]);
    assert_eq!(read(&path), mine);
}

#[test]
fn a_spec_for_another_region_is_replaced_only_after_typing_overwrite() {
    let dir = TempDir::new("region");
    let path = dir.0.join("other.yaml");
    let mut other = Spec::from_yaml(
        &eks_private_tui::spec::starter::starter(&fixture(), &vpc_id("prod"), None).unwrap(),
    )
    .unwrap();
    other.region = "us-east-1".into();
    other.vpc_id = "vpc-0aaa1111bbbb2222c".into();
    other.secondary_cidr = Some(eks_private_tui::spec::SecondaryCidr {
        cidr: "100.64.0.0/16".into(),
        pod_subnets: BTreeMap::new(),
    });
    let text = other.to_yaml();
    std::fs::write(&path, &text).unwrap();
    let mut app = open(&path);
    assert_eq!(vpc_of(&app), None, "a foreign spec is not loaded");
    choose_prod(&mut app);
    cursor_to(&mut app, "prod-private-a");
    keys(&mut app, vec![ch(' '), ch('w')]);
    assert!(
        matches!(app.modal, Some(Modal::ConfirmForeign { .. })),
        "{:?}",
        app.modal
    );
    snap!("confirm_foreign_80x24", render_text(&app, 80, 24));
    // Anything but the word cancels.
    for a in "yes".chars().map(ch).chain([key(KeyCode::Enter)]) {
        keys(&mut app, vec![a]);
    }
    assert_eq!(app.modal, None);
    assert_eq!(read(&path), text, "replaced without the typed word");
    // q then y (save and quit) asks the same.
    keys(&mut app, vec![ch('q'), ch('y')]);
    assert!(matches!(app.modal, Some(Modal::ConfirmForeign { .. })));
    keys(&mut app, vec![key(KeyCode::Esc)]);
    assert_eq!(read(&path), text);
    assert!(!app.quit);
    keys(&mut app, vec![ch('w')]);
    let mut typed: Vec<Action> = "overwrite".chars().map(ch).collect();
    typed.push(key(KeyCode::Enter));
    keys(&mut app, typed);
    let saved = Spec::from_yaml(&read(&path)).unwrap();
    assert_eq!(saved.region, "eu-west-1");
    assert_eq!(saved.vpc_id, vpc_id("prod"));
}
