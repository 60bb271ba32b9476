//! The wizard without a terminal: App::update tests (actions in, state and effects out;
//! no runtime) and insta snapshots of every screen, drawn from a real inventory captured
//! from the demo account on moto (tests/fixtures, scripts/fixtures.sh).
//!
//! One file per screen (as television splits tests/cli); the helpers every file uses are here.

/// A snapshot in tests/snapshots/, named `tui__NAME` whichever file its test is in (the
/// docs' captures read them by that name).
macro_rules! snap {
    ($name:expr, $value:expr) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        settings.set_snapshot_path("../snapshots");
        let name = format!("tui__{}", $name);
        settings.bind(|| insta::assert_snapshot!(name, $value));
    }};
}

mod access;
mod apply;
mod chrome;
mod custom;
mod dns;
mod endpoints;
mod export;
mod group;
mod preview;
mod secondary;
mod spec_file;
mod subnets;
mod topology;
mod vpcs;

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
    let text = include_str!("../fixtures/demo-inventory.json");
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

use eks_private_tui::tui::screens::custom::Row as CniRow;

/// On custom networking, with 100.64.0.0/16 split over the three AZs.
fn on_custom(app: &mut App) {
    on_secondary(app);
    cidr_row_to(app, &CidrRow::Cidr("100.64.0.0/16".into()));
    app.update(ch(' '));
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(matches!(app.screen, Screen::Custom(_)));
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
