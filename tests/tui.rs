//! The wizard without a terminal: App::update tests (actions in, state and effects out;
//! no runtime) and insta snapshots of every screen, drawn from a real inventory captured
//! from the demo account on moto (tests/fixtures, scripts/fixtures.sh).

use eks_private_tui::aws::{AwsError, ErrorKind};
use eks_private_tui::inventory::Inventory;
use eks_private_tui::ops::spec_file::SaveError;
use eks_private_tui::spec::Spec;
use eks_private_tui::tui::app::{Action, App, Context, Effect, LoadState, Modal, Screen};
use eks_private_tui::tui::view::{self, render_text};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

fn fixture() -> Inventory {
    let text = include_str!("fixtures/demo-inventory.json");
    serde_json::from_str(text).unwrap()
}

fn ctx(color: bool, read_only: bool) -> Context {
    Context {
        profile: Some("demo".into()),
        region: "eu-west-1".into(),
        endpoint_url: None,
        read_only,
        color,
    }
}

/// The request of the inventory load among `fx`.
fn load_request(fx: &[Effect]) -> u64 {
    fx.iter()
        .find_map(|e| match e {
            Effect::LoadInventory { request, .. } => Some(*request),
            _ => None,
        })
        .expect("a load of the inventory")
}

/// A wizard whose first load has answered with the fixture.
fn loaded(spec: Option<&str>) -> App {
    loaded_from(fixture(), spec)
}

/// A wizard whose first load has answered with `inv`.
fn loaded_from(inv: Inventory, spec: Option<&str>) -> App {
    let (mut app, fx) = App::new(
        ctx(true, false),
        PathBuf::from("spec.yaml"),
        Ok(spec.map(str::to_string)),
    );
    let request = load_request(&fx);
    app.update(Action::InventoryLoaded {
        request,
        result: Ok(Arc::new(inv)),
    });
    app
}

/// Enter on each step up to the preview: the effects of the Enter that reached it (the
/// steps before it answer with none).
fn enter_to_preview(app: &mut App) -> Vec<Effect> {
    for _ in 0..10 {
        let fx = app.update(key(KeyCode::Enter));
        if matches!(app.screen, Screen::Preview(_)) {
            return fx;
        }
        assert!(fx.is_empty(), "{fx:?}");
    }
    panic!("Enter never reached the preview");
}

/// Esc on each step back to the node subnets.
fn esc_to_subnets(app: &mut App) {
    for _ in 0..10 {
        if matches!(app.screen, Screen::Subnets(_)) {
            return;
        }
        app.update(key(KeyCode::Esc));
    }
    panic!("Esc never reached the node subnets");
}

fn vpc_of(app: &App) -> Option<String> {
    app.draft().map(|d| d.vpc_id.clone())
}

fn cluster_of(app: &App) -> Option<String> {
    app.draft().and_then(|d| d.cluster_name.clone())
}

fn name_of(app: &App) -> Option<String> {
    app.draft().map(|d| d.metadata.name.clone())
}

fn subnets_of(app: &App) -> BTreeMap<String, String> {
    app.draft()
        .map(|d| d.node_subnets.clone())
        .unwrap_or_default()
}

fn key(c: KeyCode) -> Action {
    Action::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn ch(c: char) -> Action {
    key(KeyCode::Char(c))
}

fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    keys.chars().flat_map(|c| app.update(ch(c))).collect()
}

fn vpc_id(name: &str) -> String {
    fixture()
        .vpcs
        .iter()
        .find(|v| v.name == name)
        .unwrap()
        .id
        .clone()
}

fn subnet_id(name: &str) -> String {
    fixture()
        .vpcs
        .iter()
        .flat_map(|v| &v.subnets)
        .find(|s| s.name == name)
        .unwrap()
        .id
        .clone()
}

/// Move the cursor on the subnets screen to the subnet called `name`.
fn cursor_to(app: &mut App, name: &str) {
    let inv = fixture();
    let vpc = inv.vpc(&vpc_of(app).unwrap()).unwrap();
    let target = vpc.subnets.iter().position(|s| s.name == name).unwrap();
    app.update(ch('g'));
    for _ in 0..target {
        app.update(ch('j'));
    }
}

/// From the VPC list, choose the prod VPC (sorted by name: corp-client, prod, default).
fn choose_prod(app: &mut App) {
    press(app, "gj");
    app.update(key(KeyCode::Enter));
    assert!(matches!(app.screen, Screen::Subnets(_)));
    assert_eq!(vpc_of(app), Some(vpc_id("prod")));
}

// ---- update ---------------------------------------------------------------------------

#[test]
fn first_frame_loads_and_stale_answers_are_dropped() {
    let (mut app, fx) = App::new(ctx(true, false), PathBuf::from("s.yaml"), Ok(None));
    assert_eq!(
        fx,
        vec![Effect::LoadInventory {
            request: 1,
            first: None,
            region: None,
        }]
    );
    assert!(app.busy());
    // r while loading: a new request; the first answer is now stale.
    // r reads the spec file again too.
    let fx = app.update(ch('r'));
    assert!(
        fx.contains(&Effect::LoadInventory {
            request: 2,
            first: None,
            region: None,
        }),
        "{fx:?}"
    );
    assert!(
        fx.iter().any(|e| matches!(e, Effect::ReadSpec { .. })),
        "{fx:?}"
    );
    app.update(Action::InventoryLoaded {
        request: 1,
        result: Ok(Arc::new(Inventory::default())),
    });
    assert!(
        matches!(app.load, LoadState::Loading),
        "stale answer applied"
    );
    app.update(Action::InventoryLoaded {
        request: 2,
        result: Ok(Arc::new(fixture())),
    });
    assert!(matches!(app.load, LoadState::Ready(_)));
    assert!(!app.busy());
}

#[test]
fn a_failed_load_shows_the_error_and_retries() {
    let (mut app, _) = App::new(ctx(true, false), PathBuf::from("s.yaml"), Ok(None));
    let err = AwsError::new(
        ErrorKind::Unreachable,
        "sts",
        "GetCallerIdentity",
        "cannot reach sts: Connection refused",
        "check --endpoint-url",
    );
    app.update(Action::InventoryLoaded {
        request: 1,
        result: Err(err),
    });
    assert!(matches!(app.load, LoadState::Failed(_)));
    assert!(!app.quit, "a failed call never ends the TUI");
    insta::assert_snapshot!("error_80x24", render_text(&app, 80, 24));
    assert!(app.update(ch('r')).contains(&Effect::LoadInventory {
        request: 2,
        first: None,
        region: None,
    }));
    assert!(app.busy());
}

#[test]
fn choosing_a_vpc_then_node_subnets() {
    let mut app = loaded(None);
    choose_prod(&mut app);
    assert_eq!(cluster_of(&app).as_deref(), Some("prod"));
    assert_eq!(name_of(&app).as_deref(), Some("prod-private"));
    assert!(app.dirty());

    // What the account suggests is chosen: the cluster's own private subnet in each AZ,
    // and the base endpoint set with a group to create.
    let own: BTreeMap<String, String> = [
        ("eu-west-1a", "prod-private-a"),
        ("eu-west-1b", "prod-private-b"),
        ("eu-west-1c", "prod-private-c"),
    ]
    .into_iter()
    .map(|(az, n)| (az.to_string(), subnet_id(n)))
    .collect();
    assert_eq!(subnets_of(&app), own);
    let ep = app.draft().unwrap().endpoints.clone().unwrap();
    assert_eq!(ep.services, ["ec2", "ecr.api", "ecr.dkr", "s3", "sts"]);
    assert_eq!(
        ep.security_group.create.unwrap().name,
        "prod-private-endpoints"
    );

    cursor_to(&mut app, "prod-public-a");
    let fx = app.update(ch(' '));
    assert_eq!(subnets_of(&app), own, "public subnets are refused");
    assert!(matches!(fx.as_slice(), [Effect::ClearFlashAfter { .. }]));
    assert!(app.flash.as_ref().unwrap().text.contains("S3"));

    // Space unchooses, and chooses again.
    cursor_to(&mut app, "prod-private-c");
    app.update(ch(' '));
    assert_eq!(subnets_of(&app).len(), 2);
    app.update(ch(' '));
    assert_eq!(subnets_of(&app), own);
    // One per AZ: another subnet of AZ a replaces the first.
    cursor_to(&mut app, "prod-data-a");
    app.update(ch(' '));
    assert_eq!(
        subnets_of(&app).get("eu-west-1a"),
        Some(&subnet_id("prod-data-a"))
    );
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("one node subnet per AZ")
    );
    // Space again unchooses.
    app.update(ch(' '));
    assert!(!subnets_of(&app).contains_key("eu-west-1a"));

    // Tab cycles the cluster, then none.
    app.update(key(KeyCode::Tab));
    assert_eq!(cluster_of(&app), None);
    app.update(key(KeyCode::Tab));
    assert_eq!(cluster_of(&app).as_deref(), Some("prod"));

    // Esc goes back, never quits.
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.screen, Screen::Vpcs(_)));
    app.update(key(KeyCode::Esc));
    assert!(!app.quit);
}

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
    insta::assert_snapshot!("confirm_quit_80x24", render_text(&app, 80, 24));
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
fn filter_narrows_the_vpc_list() {
    let mut app = loaded(None);
    press(&mut app, "/clie");
    let Screen::Vpcs(s) = &app.screen else {
        panic!()
    };
    assert!(s.filtering);
    assert_eq!(s.rows(&fixture()).len(), 1);
    // While typing, q and r are text, not commands.
    press(&mut app, "q");
    assert!(!app.quit);
    app.update(key(KeyCode::Backspace));
    app.update(key(KeyCode::Enter));
    insta::assert_snapshot!("vpcs_filtered_80x24", render_text(&app, 80, 24));
    app.update(key(KeyCode::Enter));
    assert_eq!(vpc_of(&app), Some(vpc_id("corp-client")));
    assert_eq!(cluster_of(&app), None);
}

#[test]
fn the_cursor_starts_on_the_one_clusters_vpc_until_the_operator_moves() {
    let selected = |app: &App| match &app.screen {
        Screen::Vpcs(s) => s.selected,
        _ => panic!("not on the VPC list"),
    };
    // corp-client, prod, (default): prod holds the region's one cluster.
    let mut app = loaded(None);
    assert_eq!(selected(&app), 1);
    // A reload keeps where the operator went.
    press(&mut app, "j");
    assert_eq!(selected(&app), 2);
    let request = load_request(&app.update(ch('r')));
    app.update(Action::InventoryLoaded {
        request,
        result: Ok(Arc::new(fixture())),
    });
    assert_eq!(selected(&app), 2);
    // Two clusters suggest nothing: the list starts at the top.
    let mut two = fixture();
    let mut other = two.clusters[0].clone();
    other.name = "other".into();
    other.vpc_id = Some(vpc_id("corp-client"));
    two.clusters.push(other);
    assert_eq!(selected(&loaded_from(two, None)), 0);
}

#[test]
fn a_pod_subnet_is_never_a_node_subnet() {
    use eks_private_tui::inventory::{CidrState, VpcCidr};
    let mut inv = fixture();
    let prod = inv.vpcs.iter_mut().find(|v| v.name == "prod").unwrap();
    prod.cidrs.push(VpcCidr {
        cidr: "100.64.0.0/16".into(),
        state: CidrState::Associated,
        association_id: "vpc-cidr-assoc-0pods".into(),
    });
    let mut pods = prod.subnets[1].clone();
    pods.id = "subnet-0a0a0a0a0a0a0a0a0".into();
    pods.name = "prod-pods-a".into();
    pods.cidr = "100.64.0.0/19".into();
    prod.subnets.push(pods);
    // A hand-edited spec that put the pod subnet under nodeSubnets.
    let mut s = Spec::new("mine", "eu-west-1", &vpc_id("prod"));
    s.secondary_cidr = Some(eks_private_tui::spec::SecondaryCidr {
        cidr: "100.64.0.0/16".into(),
        pod_subnets: [("eu-west-1a".to_string(), "100.64.0.0/19".to_string())].into(),
    });
    s.node_subnets
        .insert("eu-west-1a".into(), "subnet-0a0a0a0a0a0a0a0a0".into());
    s.node_subnets
        .insert("eu-west-1b".into(), subnet_id("prod-private-b"));
    let mut app = loaded_from(inv, Some(&s.to_yaml()));
    app.update(key(KeyCode::Enter));
    assert!(matches!(app.screen, Screen::Subnets(_)));
    let text = render_text(&app, 120, 40);
    // The finding is inline, and names the subnet the list shows.
    assert!(
        text.contains(
            "N5  prod-pods-a (subnet-0a0a0a0a0a0a0a0a0) (100.64.0.0/19) lies in the secondary CIDR"
        ),
        "{text}"
    );
    let row = text.lines().find(|l| l.contains("100.64.0.0/19 ")).unwrap();
    assert!(row.contains("pods"), "{row}");
    // Unchoosing it is allowed; choosing it again is refused and says why.
    press(&mut app, "G ");
    assert!(!subnets_of(&app).contains_key("eu-west-1a"));
    press(&mut app, " ");
    assert!(!subnets_of(&app).contains_key("eu-west-1a"));
    let flash = &app.flash.as_ref().unwrap().text;
    assert!(
        flash.contains("prod-pods-a lies in the secondary CIDR 100.64.0.0/16")
            && flash.contains("N5"),
        "{flash}"
    );
    // Its row is not choosable any more.
    let text = render_text(&app, 120, 40);
    let row = text.lines().find(|l| l.contains("100.64.0.0/19 ")).unwrap();
    assert!(row.contains(" -  prod-pods-a"), "{row}");
}

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

// ---- snapshots ------------------------------------------------------------------------

#[test]
fn snapshot_vpcs() {
    let mut app = loaded(None);
    press(&mut app, "gj");
    insta::assert_snapshot!("vpcs_80x24", render_text(&app, 80, 24));
    insta::assert_snapshot!("vpcs_120x40", render_text(&app, 120, 40));
}

#[test]
fn snapshot_subnets() {
    let mut app = loaded(None);
    choose_prod(&mut app);
    // The suggestion but for AZ c.
    cursor_to(&mut app, "prod-private-c");
    app.update(ch(' '));
    cursor_to(&mut app, "prod-legacy-a");
    insta::assert_snapshot!("subnets_80x24", render_text(&app, 80, 24));
    insta::assert_snapshot!("subnets_120x40", render_text(&app, 120, 40));
}

#[test]
fn snapshot_loading_help_and_too_small() {
    let (app, _) = App::new(ctx(true, true), PathBuf::from("s.yaml"), Ok(None));
    insta::assert_snapshot!("loading_read_only_80x24", render_text(&app, 80, 24));
    let mut app = loaded(None);
    insta::assert_snapshot!("too_small_79x24", render_text(&app, 79, 24));
    insta::assert_snapshot!("too_small_80x23", render_text(&app, 80, 23));
    app.update(ch('?'));
    insta::assert_snapshot!("help_vpcs_80x24", render_text(&app, 80, 24));
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
    insta::assert_snapshot!("help_subnets_120x40", render_text(&app, 120, 40));
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

// ---- findings in the wizard (issue 3) -------------------------------------------------

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
    insta::assert_snapshot!("checks_80x24", render_text(&app, 80, 24));
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
fn node_subnet_findings_show_inline() {
    let mut app = loaded(None);
    choose_prod(&mut app);
    cursor_to(&mut app, "prod-legacy-a");
    app.update(ch(' '));
    cursor_to(&mut app, "prod-private-b");
    app.update(ch(' '));
    let text = render_text(&app, 80, 24);
    assert!(
        text.contains("! S4"),
        "the main route table is flagged: {text}"
    );
    insta::assert_snapshot!("subnets_with_findings_80x24", text);
    // The Checks view now audits the choices (the spec they make).
    let (findings, scope) = (app.derived.findings.clone(), app.derived.scope.clone());
    assert_eq!(scope, "choices for prod");
    assert!(
        findings
            .iter()
            .any(|f| f.id == "S4" && f.subject == "nodeSubnets.eu-west-1a")
    );
}

#[test]
fn findings_show_on_the_screen_of_their_area_not_their_id_prefix() {
    // A network ACL that denies everything on prod-private-a: G5, a G rule about the node
    // subnets, belongs inline on the node subnets screen.
    let mut inv = fixture();
    let private_a = subnet_id("prod-private-a");
    let vpc = inv.vpcs.iter_mut().find(|v| v.name == "prod").unwrap();
    for acl in &mut vpc.network_acls {
        acl.subnet_ids.retain(|s| s != &private_a);
    }
    vpc.network_acls
        .push(eks_private_tui::inventory::NetworkAcl {
            id: "acl-closed".into(),
            is_default: false,
            subnet_ids: vec![private_a.clone()],
            entries: vec![],
        });
    let (mut app, fx) = App::new(ctx(false, false), PathBuf::from("spec.yaml"), Ok(None));
    let Some(Effect::LoadInventory { request, .. }) = fx.last() else {
        panic!("{fx:?}")
    };
    app.update(Action::InventoryLoaded {
        request: *request,
        result: Ok(Arc::new(inv)),
    });
    // prod-private-a is chosen: the cluster's own subnet in its AZ.
    choose_prod(&mut app);
    assert!(
        app.derived.findings.iter().any(|f| f.id == "G5"),
        "{:#?}",
        app.derived.findings
    );
    let text = render_text(&app, 120, 40);
    assert!(text.contains("! G5") || text.contains("✗ G5"), "{text}");
}

// ---- preview and apply ----------------------------------------------------------------

/// prod with what the account suggests (its three private subnets, the base endpoints, a
/// group to create, no secondary CIDR), then Enter on each step: saved, and on the
/// preview.
fn on_preview(app: &mut App) {
    choose_prod(app);
    assert_eq!(subnets_of(app).len(), 3);
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(matches!(app.screen, Screen::Endpoints(_)));
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(matches!(app.screen, Screen::Group(_)));
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(matches!(app.screen, Screen::Secondary(_)));
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(matches!(app.screen, Screen::Access(_)));
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(matches!(app.screen, Screen::Dns(_)));
    let fx = app.update(key(KeyCode::Enter));
    assert!(matches!(fx.as_slice(), [Effect::SaveSpec { .. }]), "{fx:?}");
    assert!(matches!(app.screen, Screen::Preview(_)));
}

fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
    let mut fx = press(app, text);
    fx.extend(app.update(key(KeyCode::Enter)));
    fx
}

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
    insta::assert_snapshot!("preview_80x24", render_text(&app, 80, 24));
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
    insta::assert_snapshot!("confirm_apply_80x24", render_text(&app, 80, 24));
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
    insta::assert_snapshot!("apply_stopped_80x24", render_text(&app, 80, 24));
    // Esc: back to the preview, reading the account again.
    let fx = app.update(key(KeyCode::Esc));
    assert!(matches!(app.screen, Screen::Preview(_)));
    assert!(
        fx.iter().any(|e| matches!(e, Effect::LoadInventory { .. })),
        "{fx:?}"
    );
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

// ---- the spec file: never lose the user's data ---------------------------------------

/// A temporary directory, removed when dropped. Relative to the package (cargo runs
/// tests there), so the paths in snapshots do not depend on where the checkout is.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let d = PathBuf::from(format!("target/tmp/ept-tui-{tag}"));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        TempDir(d)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Run the file effects as the runtime does (the same `spec_file` functions), answer
/// loads with the fixture, and feed the answers back until nothing is left.
fn settle(app: &mut App, mut fx: Vec<Effect>) {
    use eks_private_tui::ops::spec_file;
    while !fx.is_empty() {
        let mut next = vec![];
        for e in fx {
            let answer = match e {
                Effect::LoadInventory { request, .. } => Action::InventoryLoaded {
                    request,
                    result: Ok(Arc::new(fixture())),
                },
                Effect::ReadSpec { request, path } => Action::SpecRead {
                    request,
                    result: spec_file::read(&path),
                },
                Effect::SaveSpec {
                    request,
                    path,
                    yaml,
                    expect,
                } => Action::Saved {
                    request,
                    result: spec_file::save(&path, &yaml, expect),
                    path,
                },
                Effect::ClearFlashAfter { .. }
                | Effect::Apply { .. }
                | Effect::StopApply { .. }
                | Effect::Export { .. }
                | Effect::ReadInstanceType { .. }
                | Effect::FocusVpc(_) => {
                    continue;
                }
            };
            next.extend(app.update(answer));
        }
        fx = next;
    }
}

/// The wizard on the spec file at `path`, as the runtime starts it.
fn open(path: &std::path::Path) -> App {
    let (mut app, fx) = App::new(
        ctx(true, false),
        path.to_path_buf(),
        eks_private_tui::ops::spec_file::read(path),
    );
    settle(&mut app, fx);
    app
}

fn keys(app: &mut App, actions: Vec<Action>) {
    for a in actions {
        let fx = app.update(a);
        settle(app, fx);
    }
}

/// A spec for the prod VPC as `spec new` writes it.
fn starter_file(dir: &TempDir) -> (PathBuf, String) {
    let text = eks_private_tui::spec::starter::starter(&fixture(), &vpc_id("prod"), None).unwrap();
    let path = dir.0.join("prod.yaml");
    std::fs::write(&path, &text).unwrap();
    (path, text)
}

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap()
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
    insta::assert_snapshot!("disk_changed_80x24", render_text(&app, 80, 24));
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
    insta::assert_snapshot!("confirm_foreign_80x24", render_text(&app, 80, 24));
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

#[test]
fn switching_vpc_and_back_keeps_the_choices_for_each() {
    let dir = TempDir::new("switch");
    let (path, text) = starter_file(&dir);
    let mut app = open(&path);
    let before = subnets_of(&app);
    assert_eq!(before.len(), 3);
    // Another VPC (corp-client is first by name), Esc, the first again: nothing lost.
    keys(&mut app, vec![ch('g'), key(KeyCode::Enter)]);
    assert_eq!(vpc_of(&app), Some(vpc_id("corp-client")));
    // No cluster there: the best subnet of each AZ is suggested, as `spec new` does.
    assert_eq!(
        subnets_of(&app).values().cloned().collect::<Vec<_>>(),
        [subnet_id("corp-client-a"), subnet_id("corp-client-b")]
    );
    assert!(app.dirty());
    keys(&mut app, vec![key(KeyCode::Esc)]);
    choose_prod(&mut app);
    assert_eq!(subnets_of(&app), before, "the prod choices were dropped");
    assert!(!app.dirty());
    keys(&mut app, vec![ch('q')]);
    assert!(app.quit, "nothing unsaved: q quits without asking");
    assert_eq!(read(&path), text);
    // And the choices made in the other VPC come back too (here: a suggestion unchosen
    // stays unchosen).
    let mut app = open(&path);
    keys(&mut app, vec![ch('g'), key(KeyCode::Enter)]);
    let corp = fixture();
    let corp_subnet = corp
        .vpc(&vpc_id("corp-client"))
        .unwrap()
        .subnets
        .iter()
        .find(|s| s.kind != eks_private_tui::inventory::SubnetKind::Public)
        .unwrap()
        .clone();
    cursor_to(&mut app, &corp_subnet.name);
    keys(&mut app, vec![ch(' '), key(KeyCode::Esc)]);
    choose_prod(&mut app);
    keys(
        &mut app,
        vec![key(KeyCode::Esc), ch('g'), key(KeyCode::Enter)],
    );
    assert_eq!(vpc_of(&app), Some(vpc_id("corp-client")));
    assert!(!subnets_of(&app).contains_key(&corp_subnet.az));
    assert_eq!(subnets_of(&app).len(), 1);
}

#[test]
fn the_vpc_list_shows_while_the_rest_of_the_account_is_read() {
    use eks_private_tui::inventory::Pending;
    let (mut app, fx) = App::new(ctx(false, false), PathBuf::from("spec.yaml"), Ok(None));
    let Some(Effect::LoadInventory { request, .. }) = fx.last().cloned() else {
        panic!("{fx:?}")
    };
    // DescribeVpcs answered: the VPCs, nothing else yet.
    let full = fixture();
    let mut partial = fixture();
    for v in &mut partial.vpcs {
        v.subnets.clear();
        v.endpoints.clear();
        (v.dns_support, v.dns_hostnames) = (false, false);
    }
    partial.pending = Some(Pending {
        lists: true,
        dns: partial.vpcs.iter().map(|v| v.id.clone()).collect(),
        what: "subnets, route tables, endpoints, security groups".into(),
    });
    app.update(Action::InventoryPartial {
        request,
        inv: Arc::new(partial.clone()),
    });
    assert!(app.busy(), "the spinner turns while the rest is read");
    let text = render_text(&app, 100, 30);
    assert!(
        text.contains("prod") && text.contains("corp-client"),
        "{text}"
    );
    assert!(text.contains("reading subnets"), "{text}");
    assert!(text.contains("… reading"), "DNS not known yet: {text}");
    assert!(
        !text.contains("✗ OFF"),
        "an unknown attribute is not shown as off: {text}"
    );
    // Nothing is judged by a partial account.
    assert!(app.derived.findings.is_empty());
    assert!(app.derived.preview.blocked);
    app.update(ch('c'));
    assert_eq!(app.modal, None);
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("once the account is read")
    );
    // The cursor moves while DNS attributes are read: the highlighted VPC is read next.
    app.update(ch('g'));
    let down = app.update(key(KeyCode::Down));
    let [Effect::FocusVpc(second)] = down.as_slice() else {
        panic!("{down:?}")
    };
    let up = app.update(key(KeyCode::Up));
    let [Effect::FocusVpc(first)] = up.as_slice() else {
        panic!("{up:?}")
    };
    assert_ne!(first, second);
    assert!(app.update(key(KeyCode::Up)).is_empty(), "asked already");
    // The list is usable: prod can be chosen already.
    choose_prod(&mut app);
    assert!(render_text(&app, 100, 30).contains("Reading the VPC's subnets"));
    assert!(subnets_of(&app).is_empty(), "nothing to suggest from yet");
    app.update(key(KeyCode::Enter));
    insta::assert_snapshot!("endpoints_loading_80x24", render_text(&app, 80, 24));
    app.update(key(KeyCode::Enter));
    assert!(render_text(&app, 80, 24).contains("Reading the VPC's security groups"));
    app.update(key(KeyCode::Enter));
    insta::assert_snapshot!("secondary_loading_80x24", render_text(&app, 80, 24));
    esc_to_subnets(&mut app);
    // The lists arrive; DNS still pending for one VPC: that VPC is marked, the others not.
    let mut lists_in = full.clone();
    let corp = vpc_id("corp-client");
    lists_in.pending = Some(Pending {
        lists: false,
        dns: [corp.clone()].into(),
        what: "DNS attributes of 1 of 3 VPCs".into(),
    });
    app.update(Action::InventoryPartial {
        request,
        inv: Arc::new(lists_in),
    });
    assert!(render_text(&app, 100, 30).contains("prod-private-a"));
    assert_eq!(
        subnets_of(&app).get("eu-west-1a"),
        Some(&subnet_id("prod-private-a")),
        "the cluster's subnets are suggested once they are read"
    );
    // A stale partial (an older request) is dropped; the complete one ends the load.
    app.update(Action::InventoryPartial {
        request: request + 7,
        inv: Arc::new(partial),
    });
    assert!(render_text(&app, 100, 30).contains("prod-private-a"));
    app.update(Action::InventoryLoaded {
        request,
        result: Ok(Arc::new(full)),
    });
    assert!(!app.busy());
    assert!(
        !app.derived.findings.is_empty(),
        "the rules run on the complete account"
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

// ---- step 3: endpoints ----------------------------------------------------------------

use eks_private_tui::tui::screens::endpoints::{self as eps, Row};

/// prod as the account suggests it, then Enter: on the endpoints step.
fn on_endpoints(app: &mut App) {
    choose_prod(app);
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(matches!(app.screen, Screen::Endpoints(_)));
}

fn endpoints_of(app: &App) -> eks_private_tui::spec::Endpoints {
    app.draft().unwrap().endpoints.clone().unwrap()
}

/// Move the endpoints cursor to `row` (by its position in the screen's rows).
fn row_to(app: &mut App, row: &Row) {
    let inv = app.inventory().unwrap().clone();
    let at = eps::rows(&inv, app.draft())
        .iter()
        .position(|r| r == row)
        .unwrap_or_else(|| panic!("no row {row:?}"));
    app.update(ch('g'));
    for _ in 0..at {
        app.update(ch('j'));
    }
}

fn feature(id: &str) -> Row {
    let at = eks_private_tui::spec::services::catalogue()
        .features
        .iter()
        .position(|f| f.id == id)
        .unwrap();
    Row::Feature(at)
}

fn service(s: &str) -> Row {
    Row::Service(s.into())
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_endpoints_step_edits_features_services_dns_and_route_tables() {
    let mut app = loaded(None);
    on_endpoints(&mut app);
    const BASE: [&str; 5] = ["ec2", "ecr.api", "ecr.dkr", "s3", "sts"];
    assert_eq!(endpoints_of(&app).services, strings(&BASE));
    let text = render_text(&app, 120, 40);
    // The sts endpoint that exists is adopted, and its missing AZ is a finding.
    assert!(text.contains("exists, adopted · AZs 2/3"), "{text}");
    assert!(
        app.derived
            .findings
            .iter()
            .any(|f| f.id == "P2" && f.message.contains("no subnet in eu-west-1c")),
        "{:#?}",
        app.derived.findings
    );

    // Karpenter on: listed, and the services it needs are checked (sqs only with its
    // interruption handling).
    row_to(&mut app, &feature("karpenter"));
    app.update(ch(' '));
    let ep = endpoints_of(&app);
    assert_eq!(ep.features, strings(&["karpenter"]));
    assert_eq!(
        ep.services,
        strings(&["ec2", "ecr.api", "ecr.dkr", "s3", "sts", "eks", "ssm"])
    );
    // SSM sessions on too, then Karpenter off: ssm stays (SSM needs it), eks goes, the
    // base set stays.
    row_to(&mut app, &feature("ssm-sessions"));
    app.update(ch(' '));
    row_to(&mut app, &feature("karpenter"));
    app.update(ch(' '));
    let ep = endpoints_of(&app);
    assert_eq!(ep.features, strings(&["ssm-sessions"]));
    assert_eq!(
        ep.services,
        strings(&[
            "ec2",
            "ecr.api",
            "ecr.dkr",
            "s3",
            "sts",
            "ssm",
            "ssmmessages",
            "ec2messages"
        ])
    );
    // A service a listed feature needs can be unchecked: said now, and P9 says it after.
    row_to(&mut app, &service("ssmmessages"));
    app.update(ch(' '));
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("SSM Session Manager to the nodes needs ssmmessages")
    );
    assert!(
        app.derived.findings.iter().any(|f| f.id == "P9"),
        "{:#?}",
        app.derived.findings
    );
    app.update(ch(' '));
    // A base service unchecked: warned (P7), and the finding shows on the screen.
    row_to(&mut app, &service("ecr.dkr"));
    app.update(ch(' '));
    assert!(app.flash.as_ref().unwrap().text.contains("base set"));
    assert!(render_text(&app, 120, 40).contains("P7  the base set lacks ecr.dkr"));
    app.update(ch(' '));
    // A service by itself.
    row_to(&mut app, &service("logs"));
    app.update(ch(' '));
    assert!(endpoints_of(&app).services.contains(&"logs".to_string()));

    // Private DNS off and on.
    row_to(&mut app, &Row::PrivateDns);
    app.update(ch(' '));
    assert!(!endpoints_of(&app).private_dns);
    assert!(render_text(&app, 80, 24).contains("private DNS off"));
    app.update(ch(' '));
    assert!(endpoints_of(&app).private_dns);

    // Route tables: a node subnet's is always covered; another one is added and removed.
    let inv = fixture();
    let prod = inv.vpc(&vpc_id("prod")).unwrap();
    let rt = |name: &str| {
        prod.route_tables
            .iter()
            .find(|r| r.name == name)
            .unwrap()
            .id
            .clone()
    };
    row_to(&mut app, &Row::RouteTable(rt("prod-private-a")));
    app.update(ch(' '));
    assert!(app.flash.as_ref().unwrap().text.contains("always covered"));
    assert!(endpoints_of(&app).extra_route_table_ids.is_empty());
    row_to(&mut app, &Row::RouteTable(rt("prod-data")));
    app.update(ch(' '));
    assert_eq!(endpoints_of(&app).extra_route_table_ids, [rt("prod-data")]);
    let plan = app.derived.preview.lines.join("\n");
    assert!(plan.contains(&rt("prod-data")), "{plan}");
    app.update(ch(' '));
    assert!(endpoints_of(&app).extra_route_table_ids.is_empty());

    // Esc back to the node subnets, Enter again: the choices are all still there.
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.screen, Screen::Subnets(_)));
    app.update(key(KeyCode::Enter));
    assert!(endpoints_of(&app).services.contains(&"logs".to_string()));
}

#[test]
fn a_service_the_region_does_not_offer_cannot_be_checked() {
    let mut inv = fixture();
    inv.endpoint_services.retain(|e| e.service != "sqs");
    let mut app = loaded_from(inv, None);
    on_endpoints(&mut app);
    row_to(&mut app, &service("sqs"));
    app.update(ch(' '));
    assert!(!endpoints_of(&app).services.contains(&"sqs".to_string()));
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("offers no sqs endpoint")
    );
    assert!(render_text(&app, 120, 40).contains("not offered in eu-west-1"));
    // Karpenter's interruption handling still turns on, with what there is, and says
    // what is missing.
    row_to(&mut app, &feature("karpenter-interruption"));
    app.update(ch(' '));
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("needs sqs, which eu-west-1 does not offer")
    );
    assert_eq!(
        endpoints_of(&app).features,
        strings(&["karpenter-interruption"])
    );
}

#[test]
fn a_spec_without_endpoints_starts_them_on_the_first_toggle() {
    let text = format!(
        "apiVersion: eks-private-tui/v1alpha1\nkind: PrivateNetwork\nmetadata:\n  name: prod-private\nregion: eu-west-1\nvpcId: {}\nnodeSubnets:\n  eu-west-1a: {}\n  eu-west-1b: {}\n",
        vpc_id("prod"),
        subnet_id("prod-private-a"),
        subnet_id("prod-private-b")
    );
    let mut app = loaded(Some(&text));
    choose_prod(&mut app);
    assert!(
        app.draft().unwrap().endpoints.is_none(),
        "a loaded spec is kept as it is"
    );
    app.update(key(KeyCode::Enter));
    insta::assert_snapshot!("endpoints_empty_80x24", render_text(&app, 80, 24));
    assert!(render_text(&app, 80, 24).contains("no endpoints in the spec"));
    row_to(&mut app, &service("ec2"));
    app.update(ch(' '));
    let ep = endpoints_of(&app);
    assert_eq!(ep.services, strings(&["ec2"]));
    assert_eq!(
        ep.security_group.create.unwrap().name,
        "prod-private-endpoints"
    );
}

#[test]
fn snapshot_endpoints() {
    let mut app = loaded(None);
    on_endpoints(&mut app);
    row_to(&mut app, &feature("karpenter"));
    app.update(ch(' '));
    row_to(&mut app, &service("sts"));
    insta::assert_snapshot!("endpoints_80x24", render_text(&app, 80, 24));
    insta::assert_snapshot!("endpoints_120x40", render_text(&app, 120, 40));
    row_to(
        &mut app,
        &Row::RouteTable(
            fixture()
                .vpc(&vpc_id("prod"))
                .unwrap()
                .route_tables
                .iter()
                .find(|r| r.name == "prod-data")
                .unwrap()
                .id
                .clone(),
        ),
    );
    app.update(ch(' '));
    insta::assert_snapshot!("endpoints_route_tables_80x24", render_text(&app, 80, 24));
    app.update(ch('?'));
    insta::assert_snapshot!("help_endpoints_80x24", render_text(&app, 80, 24));
}

#[test]
fn the_endpoints_step_in_monochrome() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Color;
    let (mut app, fx) = App::new(ctx(false, false), PathBuf::from("s.yaml"), Ok(None));
    app.update(Action::InventoryLoaded {
        request: load_request(&fx),
        result: Ok(Arc::new(fixture())),
    });
    on_endpoints(&mut app);
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    term.draw(|f| view::draw(f, &app)).unwrap();
    for cell in term.backend().buffer().content() {
        assert!(
            matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
            "coloured cell {cell:?} in monochrome"
        );
    }
    insta::assert_snapshot!("endpoints_mono_80x24", render_text(&app, 80, 24));
}

// ---- step 4: the endpoints' security group ----------------------------------------------

use eks_private_tui::tui::screens::group::Row as GroupRow;

fn on_group(app: &mut App) {
    on_endpoints(app);
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(matches!(app.screen, Screen::Group(_)));
}

fn group_of(app: &App) -> eks_private_tui::spec::SecurityGroupChoice {
    endpoints_of(app).security_group
}

fn group_row_to(app: &mut App, row: &GroupRow) {
    let inv = app.inventory().unwrap().clone();
    let vpc = inv.vpc(&vpc_of(app).unwrap()).unwrap();
    let at = eks_private_tui::tui::screens::group::rows(vpc)
        .iter()
        .position(|r| r == row)
        .unwrap_or_else(|| panic!("no row {row:?}"));
    app.update(ch('g'));
    for _ in 0..at {
        app.update(ch('j'));
    }
}

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
    insta::assert_snapshot!("group_editing_80x24", text);
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
    insta::assert_snapshot!("group_80x24", render_text(&app, 80, 24));
    insta::assert_snapshot!("group_120x40", render_text(&app, 120, 40));
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
    insta::assert_snapshot!("group_mono_80x24", render_text(&app, 80, 24));
}

// ---- step 5: the secondary CIDR and pod subnets -----------------------------------------

use eks_private_tui::tui::screens::secondary::Row as CidrRow;

fn on_secondary(app: &mut App) {
    on_group(app);
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(matches!(app.screen, Screen::Secondary(_)));
}

fn secondary_of(app: &App) -> Option<eks_private_tui::spec::SecondaryCidr> {
    app.draft().unwrap().secondary_cidr.clone()
}

fn pods_of(app: &App) -> Vec<String> {
    secondary_of(app)
        .map(|s| s.pod_subnets.values().cloned().collect())
        .unwrap_or_default()
}

fn cidr_row_to(app: &mut App, row: &CidrRow) {
    // The rows as the screen lists them: none, the ranges, then the pod subnets by AZ.
    let d = app.draft().unwrap().clone();
    let inv = app.inventory().unwrap().clone();
    let vpc = inv.vpc(&d.vpc_id).unwrap();
    let mut rows = vec![CidrRow::Skip];
    let mut ranges: Vec<String> = d.secondary_cidr.iter().map(|s| s.cidr.clone()).collect();
    for c in eks_private_tui::rules::secondary::suggested_cidrs(vpc, inv.clusters.first(), 4) {
        if !ranges.contains(&c.to_string()) {
            ranges.push(c.to_string());
        }
    }
    rows.extend(ranges.into_iter().map(CidrRow::Cidr));
    if d.secondary_cidr.is_some() {
        rows.extend(d.node_subnets.keys().map(|az| CidrRow::Pod(az.clone())));
    }
    let at = rows
        .iter()
        .position(|r| r == row)
        .unwrap_or_else(|| panic!("no row {row:?} in {rows:?}"));
    app.update(ch('g'));
    for _ in 0..at {
        app.update(ch('j'));
    }
}

fn retype(app: &mut App, text: &str) {
    for _ in 0..20 {
        app.update(key(KeyCode::Backspace));
    }
    press(app, text);
}

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
    insta::assert_snapshot!("secondary_editing_80x24", text);
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
    insta::assert_snapshot!("secondary_skipped_80x24", render_text(&app, 80, 24));
    cidr_row_to(&mut app, &CidrRow::Cidr("100.64.0.0/16".into()));
    app.update(ch(' '));
    cidr_row_to(&mut app, &CidrRow::Pod("eu-west-1b".into()));
    insta::assert_snapshot!("secondary_80x24", render_text(&app, 80, 24));
    insta::assert_snapshot!("secondary_120x40", render_text(&app, 120, 40));
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
    insta::assert_snapshot!("secondary_mono_80x24", render_text(&app, 80, 24));
}

// ---- step 6: custom networking ----------------------------------------------------------

use eks_private_tui::tui::screens::custom::Row as CniRow;

/// On custom networking, with 100.64.0.0/16 split over the three AZs.
fn on_custom(app: &mut App) {
    on_secondary(app);
    cidr_row_to(app, &CidrRow::Cidr("100.64.0.0/16".into()));
    app.update(ch(' '));
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(matches!(app.screen, Screen::Custom(_)));
}

/// Issue 25 (K1): on an EKS Auto Mode cluster step 6 says ENIConfigs do not apply, and
/// choosing custom networking anyway is an error the step shows.
#[test]
fn the_custom_networking_step_on_an_auto_mode_cluster() {
    let mut inv = fixture();
    for c in &mut inv.clusters {
        c.auto_mode = true;
    }
    let mut app = loaded_from(inv, None);
    on_custom(&mut app);
    let text = render_text(&app, 80, 24);
    assert!(text.contains("EKS Auto Mode: no ENIConfigs (K1)"), "{text}");
    cni_row_to(&mut app, &CniRow::Mode(true));
    app.update(ch(' '));
    assert!(
        app.derived
            .findings
            .iter()
            .any(|f| f.id == "K1" && f.subject == "customNetworking"),
        "{:#?}",
        app.derived.findings
    );
    assert!(render_text(&app, 120, 40).contains("K1"));
}

fn cni_row_to(app: &mut App, row: &CniRow) {
    let d = app.draft().unwrap().clone();
    let inv = app.inventory().unwrap().clone();
    let rows = eks_private_tui::tui::screens::custom::rows(inv.vpc(&d.vpc_id).unwrap(), &d);
    let at = rows
        .iter()
        .position(|r| r == row)
        .unwrap_or_else(|| panic!("no row {row:?} in {rows:?}"));
    app.update(ch('g'));
    for _ in 0..at {
        app.update(ch('j'));
    }
}

fn custom_of(app: &App) -> Option<eks_private_tui::spec::CustomNetworking> {
    app.draft().unwrap().custom_networking.clone()
}

#[test]
fn the_custom_networking_step_sets_eniconfigs_groups_and_shows_max_pods() {
    let mut app = loaded(None);
    on_custom(&mut app);
    // Subnet discovery until custom networking is chosen: the plan tags the pod subnets.
    assert_eq!(custom_of(&app), None);
    assert!(render_text(&app, 80, 24).contains("subnet discovery: the plan tags"));
    insta::assert_snapshot!("custom_discovery_80x24", render_text(&app, 80, 24));
    let plan = app.derived.preview.lines.join("\n");
    assert!(plan.contains("kubernetes.io/role/cni"), "{plan}");

    cni_row_to(&mut app, &CniRow::Mode(true));
    app.update(ch(' '));
    assert_eq!(
        custom_of(&app).unwrap().eni_config_label,
        "topology.kubernetes.io/zone"
    );
    let text = render_text(&app, 120, 40);
    assert!(
        text.contains("eu-west-1a     100.64.0.0/18      node's groups"),
        "{text}"
    );
    assert!(
        text.contains(
            "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true ENI_CONFIG_LABEL_DEF=topology.kubernetes.io/zone"
        ),
        "{text}"
    );
    // By AZ ID (the cluster runs 1.31): the ENIConfigs take the zone IDs' names.
    cni_row_to(&mut app, &CniRow::Label("topology.k8s.aws/zone-id"));
    app.update(ch(' '));
    assert_eq!(
        custom_of(&app).unwrap().eni_config_label,
        "topology.k8s.aws/zone-id"
    );
    assert!(render_text(&app, 120, 40).contains("euw1-az3 "));
    // A pods' group, added and removed.
    cni_row_to(&mut app, &CniRow::Group("sg-182a30c25a41c1ae7".into()));
    app.update(ch(' '));
    assert_eq!(
        custom_of(&app).unwrap().security_group_ids,
        ["sg-182a30c25a41c1ae7"]
    );
    assert!(render_text(&app, 120, 40).contains("pods use 1 group"));
    app.update(ch(' '));
    assert!(custom_of(&app).unwrap().security_group_ids.is_empty());
    // The node group's instance type: typed, saved in the spec, and asked of EC2 (the
    // offline table answers meanwhile).
    app.update(ch('e'));
    retype(&mut app, "m5.huge");
    assert!(render_text(&app, 120, 40).contains("m5.huge is not in the offline table"));
    let fx = app.update(key(KeyCode::Enter));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::ReadInstanceType { name, .. } if name == "m5.huge")),
        "{fx:?}"
    );
    assert_eq!(
        app.draft()
            .unwrap()
            .node_group
            .as_ref()
            .unwrap()
            .instance_type,
        "m5.huge"
    );
    let mut unknown = eks_private_tui::aws::AwsError::usage("no such type", "");
    unknown.code = Some("InvalidInstanceType".into());
    app.update(Action::InstanceTypeRead {
        region: "eu-west-1".into(),
        name: "m5.huge".into(),
        result: Err(unknown),
    });
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("m5.huge is not an instance type EC2 lists in eu-west-1")
    );
    assert!(
        app.derived
            .findings
            .iter()
            .any(|f| f.id == "N6" && f.subject == "nodeGroup.instanceType"),
        "N6 names the spec's unknown type"
    );
    app.update(ch('e'));
    retype(&mut app, "m5.xlarge");
    app.update(key(KeyCode::Enter));
    let text = render_text(&app, 120, 40);
    assert!(
        text.contains("58 pods → 44 custom · 110 with prefixes"),
        "{text}"
    );
    // EC2's answer replaces the offline figures.
    app.update(Action::InstanceTypeRead {
        region: "eu-west-1".into(),
        name: "m5.xlarge".into(),
        result: Ok(eks_private_tui::inventory::InstanceType {
            name: "m5.xlarge".into(),
            default_vcpus: 4,
            max_interfaces: 4,
            ipv4_per_interface: 15,
            nitro: true,
        }),
    });
    assert!(
        app.inventory()
            .unwrap()
            .instance_types
            .iter()
            .any(|t| t.name == "m5.xlarge")
    );
    insta::assert_snapshot!("custom_120x40", text);
    // Enter saves and previews; the plan carries no ENIConfig (Kubernetes objects are
    // exported, not applied) but no CNI tag either: custom networking wins (N8).
    let fx = enter_to_preview(&mut app);
    assert!(matches!(fx.as_slice(), [Effect::SaveSpec { .. }]), "{fx:?}");
    let plan = app.derived.preview.lines.join("\n");
    assert!(!plan.contains("kubernetes.io/role/cni"), "{plan}");
    // Back (through DNS and endpoint access), subnet discovery again.
    for _ in 0..3 {
        app.update(key(KeyCode::Esc));
    }
    assert!(matches!(app.screen, Screen::Custom(_)));
    cni_row_to(&mut app, &CniRow::Mode(false));
    app.update(ch(' '));
    assert_eq!(custom_of(&app), None);
}

#[test]
fn the_zone_id_label_is_refused_below_kubernetes_1_30() {
    let mut inv = fixture();
    inv.clusters[0].version = "1.29".into();
    let mut app = loaded_from(inv, None);
    on_custom(&mut app);
    cni_row_to(&mut app, &CniRow::Mode(true));
    app.update(ch(' '));
    cni_row_to(&mut app, &CniRow::Label("topology.k8s.aws/zone-id"));
    app.update(ch(' '));
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("only from 1.30 on")
    );
    assert_eq!(
        custom_of(&app).unwrap().eni_config_label,
        "topology.kubernetes.io/zone"
    );
}

#[test]
fn snapshot_custom() {
    let mut app = loaded(None);
    on_custom(&mut app);
    cni_row_to(&mut app, &CniRow::Mode(true));
    app.update(ch(' '));
    cni_row_to(&mut app, &CniRow::Env);
    insta::assert_snapshot!("custom_80x24", render_text(&app, 80, 24));
}

#[test]
fn the_custom_networking_step_in_monochrome() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Color;
    let (mut app, fx) = App::new(ctx(false, false), PathBuf::from("s.yaml"), Ok(None));
    app.update(Action::InventoryLoaded {
        request: load_request(&fx),
        result: Ok(Arc::new(fixture())),
    });
    on_custom(&mut app);
    cni_row_to(&mut app, &CniRow::Mode(true));
    app.update(ch(' '));
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    term.draw(|f| view::draw(f, &app)).unwrap();
    for cell in term.backend().buffer().content() {
        assert!(
            matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
            "coloured cell {cell:?} in monochrome"
        );
    }
    insta::assert_snapshot!("custom_mono_80x24", render_text(&app, 80, 24));
}

// ---- step 1: the region list ------------------------------------------------------------

fn with_regions() -> Inventory {
    let mut inv = fixture();
    inv.regions = [
        "eu-central-1",
        "eu-west-1",
        "eu-west-2",
        "us-east-1",
        "us-west-2",
    ]
    .map(String::from)
    .to_vec();
    inv
}

#[test]
fn the_region_list_filters_and_reads_the_account_in_the_chosen_region() {
    let mut app = loaded_from(with_regions(), None);
    app.update(ch('R'));
    let Some(Modal::Regions(p)) = &app.modal else {
        panic!("{:?}", app.modal)
    };
    assert_eq!(p.cursor, 1, "on the region read");
    let text = render_text(&app, 80, 24);
    assert!(text.contains("● eu-west-1  (read now)"), "{text}");
    insta::assert_snapshot!("regions_80x24", text);
    insta::assert_snapshot!("regions_120x40", render_text(&app, 120, 40));
    // / filters; Enter keeps the filter, Enter again reads that region.
    press(&mut app, "/us");
    app.update(key(KeyCode::Enter));
    assert!(render_text(&app, 80, 24).contains("Region · 2 of 5"));
    app.update(ch('j'));
    let fx = app.update(key(KeyCode::Enter));
    assert_eq!(app.modal, None);
    assert!(
        fx.iter().any(
            |e| matches!(e, Effect::LoadInventory { region: Some(r), .. } if r == "us-west-2")
        ),
        "{fx:?}"
    );
    assert_eq!(app.ctx.region, "us-west-2");
    assert!(matches!(app.load, LoadState::Loading));
    // Reading again (r) stays in the chosen region.
    let fx = app.update(ch('r'));
    assert!(
        fx.iter().any(
            |e| matches!(e, Effect::LoadInventory { region: Some(r), .. } if r == "us-west-2")
        ),
        "{fx:?}"
    );
}

#[test]
fn the_region_list_waits_for_unsaved_choices_and_esc_closes_it() {
    let mut app = loaded_from(with_regions(), None);
    choose_prod(&mut app);
    app.update(key(KeyCode::Esc));
    assert!(app.dirty());
    app.update(ch('R'));
    assert_eq!(app.modal, None);
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("not saved: w saves them")
    );
    // Nothing unsaved: the list opens, Esc closes it, nothing is read.
    let mut app = loaded_from(with_regions(), None);
    app.update(ch('R'));
    assert!(matches!(app.modal, Some(Modal::Regions(_))));
    assert!(app.update(key(KeyCode::Esc)).is_empty());
    assert_eq!(app.modal, None);
    // The region read: nothing to do.
    app.update(ch('R'));
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert_eq!(app.modal, None);
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

// ---- step 7: cluster endpoint access -----------------------------------------------------

use eks_private_tui::tui::intent::{AccessFlag, CidrList, DnsSide};
use eks_private_tui::tui::screens::access::Row as AccessRow;
use eks_private_tui::tui::screens::dns::Row as DnsRow;

/// The fixture with this tool running on an instance in VPC `vpc` at `ip`.
fn running_in(vpc: &str, ip: &str) -> Inventory {
    let mut inv = fixture();
    inv.operator = Some(eks_private_tui::inventory::Operator {
        instance: Some(eks_private_tui::inventory::OperatorInstance {
            instance_id: "i-0bastion".into(),
            account: inv.account.clone(),
            region: inv.region.clone(),
            vpc_id: vpc.into(),
            private_ip: ip.into(),
            public_ip: None,
            vpc_cidrs: vec![],
        }),
        note: String::new(),
    });
    inv
}

/// From the VPC list to the access step with what the account suggests.
fn on_access(app: &mut App) {
    choose_prod(app);
    for _ in 0..4 {
        if matches!(app.screen, Screen::Access(_)) {
            return;
        }
        assert!(app.update(key(KeyCode::Enter)).is_empty());
    }
    assert!(
        matches!(app.screen, Screen::Access(_)),
        "not on the access step"
    );
}

fn access_of(app: &App) -> Option<eks_private_tui::spec::ClusterEndpoint> {
    app.draft().unwrap().cluster_endpoint.clone()
}

fn access_row_to(app: &mut App, row: &AccessRow) {
    let inv = app.inventory().unwrap().clone();
    let d = app.draft().unwrap().clone();
    let vpc = inv.vpc(&d.vpc_id).unwrap();
    let ep = eks_private_tui::spec::edit::planned_access(&inv, &d);
    let at = eks_private_tui::tui::screens::access::rows(&inv, vpc, &ep)
        .iter()
        .position(|r| r == row)
        .unwrap_or_else(|| panic!("no row {row:?}"));
    app.update(ch('g'));
    for _ in 0..at {
        app.update(ch('j'));
    }
}

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
    insta::assert_snapshot!("access_outside_80x24", render_text(&app, 80, 24));
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
    insta::assert_snapshot!("access_editing_80x24", text);
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
    insta::assert_snapshot!("access_120x40", render_text(&app, 120, 40));
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
    insta::assert_snapshot!("access_80x24", text);
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
    insta::assert_snapshot!("access_mono_80x24", render_text(&app, 80, 24));
    app.update(key(KeyCode::Enter));
    app.update(ch(' '));
    mono(&app);
    insta::assert_snapshot!("dns_mono_80x24", render_text(&app, 80, 24));
}

// ---- step 8: DNS ----------------------------------------------------------------------------

fn on_dns(app: &mut App) {
    on_access(app);
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(matches!(app.screen, Screen::Dns(_)));
}

fn dns_of(app: &App) -> Option<eks_private_tui::spec::Dns> {
    app.draft().unwrap().dns.clone()
}

fn dns_row_to(app: &mut App, row: &DnsRow) {
    let inv = app.inventory().unwrap().clone();
    let d = app.draft().unwrap().clone();
    let vpc = inv.vpc(&d.vpc_id).unwrap();
    let at = eks_private_tui::tui::screens::dns::rows(&inv, vpc, d.dns.as_ref())
        .iter()
        .position(|r| r == row)
        .unwrap_or_else(|| panic!("no row {row:?}"));
    app.update(ch('g'));
    for _ in 0..at {
        app.update(ch('j'));
    }
}

#[test]
fn the_dns_step_asks_first_then_suggests_and_edits_the_resolver() {
    let mut app = loaded(None);
    on_dns(&mut app);
    assert_eq!(dns_of(&app), None);
    let text = render_text(&app, 80, 24);
    assert!(text.contains("[ ] a Route 53 Resolver"), "{text}");
    insta::assert_snapshot!("dns_off_80x24", text);
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
    insta::assert_snapshot!("dns_120x40", text);
    insta::assert_snapshot!("dns_80x24", render_text(&app, 80, 24));
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

// ---- step 10: apply progress ---------------------------------------------------------------

/// The preview of prod's suggestion, applied: the Progress screen with its request and plan.
fn applying(app: &mut App) -> (u64, Vec<(String, eks_private_tui::plan::Op)>) {
    on_preview(app);
    app.update(ch('a'));
    press(app, "yes");
    let fx = app.update(key(KeyCode::Enter));
    let [
        Effect::SaveSpec {
            request: save,
            path,
            ..
        },
    ] = fx.as_slice()
    else {
        panic!("{fx:?}")
    };
    let fx = app.update(Action::Saved {
        request: *save,
        path: path.clone(),
        result: Ok(7),
    });
    let [
        Effect::Apply {
            request, expected, ..
        },
    ] = fx.as_slice()
    else {
        panic!("{fx:?}")
    };
    (*request, expected.clone())
}

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
    insta::assert_snapshot!("apply_stop_prompt_80x24", render_text(&app, 80, 24));
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
    insta::assert_snapshot!("apply_complete_120x40", text);
    insta::assert_snapshot!("apply_complete_80x24", render_text(&app, 80, 24));
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
    insta::assert_snapshot!("resume_offer_80x24", text);
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

// ---- step 9: the preview's attributes, read-only --------------------------------------------

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
    insta::assert_snapshot!("preview_attributes_80x24", text);
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
    insta::assert_snapshot!("preview_read_only_80x24", text);
}

// ---- step 11: export -----------------------------------------------------------------------

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
    insta::assert_snapshot!("export_80x24", render_text(&app, 80, 24));
    insta::assert_snapshot!("export_120x40", render_text(&app, 120, 40));
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

// ---- topology ------------------------------------------------------------------------------

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
    insta::assert_snapshot!("topology_80x24", text);
    insta::assert_snapshot!("topology_120x40", render_text(&app, 120, 40));
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
    insta::assert_snapshot!("topology_mono_80x24", render_text(&app, 80, 24));
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
    insta::assert_snapshot!("apply_running_mono_80x24", render_text(&app, 80, 24));
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
    insta::assert_snapshot!("export_mono_80x24", render_text(&app, 80, 24));
}

// ---- reading at 80 columns -----------------------------------------------------------------

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

#[test]
fn esc_clears_a_kept_filter_and_then_goes_nowhere() {
    let mut app = loaded(None);
    press(&mut app, "/prod");
    app.update(key(KeyCode::Enter));
    assert!(render_text(&app, 80, 24).contains("/ prod"));
    // Esc and the next key arriving together are read by the terminal as Alt+key: the
    // runtime splits them (keys::split_alt) and the filter is cleared by the Esc.
    for k in
        eks_private_tui::tui::keys::split_alt(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::ALT))
    {
        app.update(Action::Key(k));
    }
    let text = render_text(&app, 80, 24);
    assert!(!text.contains("/ prod"), "{text}");
    assert!(text.contains("corp-client"), "every VPC again: {text}");
    assert!(matches!(app.screen, Screen::Vpcs(_)));
}
