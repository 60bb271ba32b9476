//! Key → frame in the wizard with a large account: 1 000 VPCs and 10 000 subnets (the
//! demo fixture's prod VPC, cloned). Each key is `App::update` plus a full draw into a
//! 120x40 test backend, as the runtime does. Prints p50 / p99 / max per screen and the
//! peak RSS. Only `App::new`, `update` and `view::draw` are used, so the same file runs
//! against older revisions for a side-by-side figure (benches/wizard.sh).
//!
//! cargo bench --bench wizard

use eks_private_tui::inventory::Inventory;
use eks_private_tui::tui::app::{Action, App, Context, Effect};
use eks_private_tui::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

const VPCS: usize = 1000;

fn large() -> Inventory {
    let text = include_str!("../tests/fixtures/demo-inventory.json");
    let mut inv: Inventory = serde_json::from_str(text).unwrap();
    let prod = inv.vpcs.iter().find(|v| v.name == "prod").unwrap().clone();
    let per = prod.subnets.len();
    for i in 0..VPCS - inv.vpcs.len() {
        let mut v = prod.clone();
        v.id = format!("vpc-{i:017x}");
        v.name = format!("team-{i:04}");
        for (j, s) in v.subnets.iter_mut().enumerate() {
            s.id = format!("subnet-{:017x}", i * per + j);
        }
        inv.vpcs.push(v);
    }
    inv
}

fn key(c: KeyCode) -> Action {
    Action::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

struct Timer {
    term: Terminal<TestBackend>,
}

impl Timer {
    /// One key, then one frame: the time both take.
    fn press(&mut self, app: &mut App, a: Action) -> Duration {
        let t0 = Instant::now();
        app.update(a);
        self.term.draw(|f| view::draw(f, app)).unwrap();
        t0.elapsed()
    }

    fn run(&mut self, app: &mut App, name: &str, keys: Vec<Action>) {
        let mut times: Vec<Duration> = keys.into_iter().map(|k| self.press(app, k)).collect();
        times.sort();
        let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
        println!(
            "{name:<34} {:>4} keys  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms",
            times.len(),
            at(0.5).as_secs_f64() * 1e3,
            at(0.99).as_secs_f64() * 1e3,
            times.last().unwrap().as_secs_f64() * 1e3,
        );
    }
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    // `cargo test --all-targets` runs benches too, without --bench: nothing to measure then.
    if !std::env::args().any(|a| a == "--bench") {
        println!("benches/wizard.rs: run it with `cargo bench --bench wizard`");
        return;
    }
    let inv = Arc::new(large());
    let subnets: usize = inv.vpcs.iter().map(|v| v.subnets.len()).sum();
    println!("wizard: {} VPCs, {subnets} subnets, 120x40", inv.vpcs.len());
    let ctx = Context {
        profile: Some("bench".into()),
        region: inv.region.clone(),
        endpoint_url: None,
        read_only: false,
        color: true,
    };
    let (mut app, fx) = App::new(ctx, PathBuf::from("/nonexistent/bench.yaml"), Ok(None));
    let request = fx
        .iter()
        .find_map(|e| match e {
            Effect::LoadInventory { request, .. } => Some(*request),
            _ => None,
        })
        .unwrap();
    let mut t = Timer {
        term: Terminal::new(TestBackend::new(120, 40)).unwrap(),
    };
    app.update(Action::Resize(120, 40));
    let load = t.press(
        &mut app,
        Action::InventoryLoaded {
            request,
            result: Ok(inv.clone()),
        },
    );
    println!(
        "{:<34} {:>4}       {:>7.2} ms",
        "inventory answered → first frame",
        1,
        load.as_secs_f64() * 1e3
    );
    let j = || key(KeyCode::Char('j'));
    t.run(&mut app, "VPCs: move (j)", (0..200).map(|_| j()).collect());
    // The prod VPC sorts after corp-client: g, j, Enter chooses it.
    app.update(key(KeyCode::Char('g')));
    app.update(j());
    t.run(
        &mut app,
        "VPCs → subnets (Enter)",
        vec![key(KeyCode::Enter)],
    );
    let down_up = (0..200).map(|i| key(KeyCode::Char(if i < 100 { 'j' } else { 'k' })));
    t.run(&mut app, "subnets: move (j, k)", down_up.collect());
    // Space on a private subnet changes the spec: findings and the plan are recomputed.
    let mut toggles = vec![];
    for _ in 0..50 {
        toggles.push(key(KeyCode::Char('j')));
        toggles.push(key(KeyCode::Char(' ')));
    }
    t.run(&mut app, "subnets: move + choose (spec edit)", toggles);
    // The later steps (from 2c4a4f1 on; an older revision has fewer, and its Enter goes
    // straight to the preview: compare the rows both print).
    let space = || key(KeyCode::Char(' '));
    let enter = || key(KeyCode::Enter);
    let moves =
        |n: usize| (0..n).map(move |i| key(KeyCode::Char(if i % 40 < 20 { 'j' } else { 'k' })));
    t.run(&mut app, "subnets → endpoints (Enter)", vec![enter()]);
    t.run(&mut app, "endpoints: move (j, k)", moves(200).collect());
    let toggles: Vec<Action> = (0..50)
        .flat_map(|_| [key(KeyCode::Char('j')), space()])
        .collect();
    t.run(&mut app, "endpoints: move + toggle (spec edit)", toggles);
    t.run(&mut app, "endpoints → group (Enter)", vec![enter()]);
    t.run(&mut app, "group: move (j, k)", moves(200).collect());
    t.run(&mut app, "group → secondary CIDR (Enter)", vec![enter()]);
    t.run(
        &mut app,
        "secondary CIDR: move (j, k)",
        moves(200).collect(),
    );
    app.update(key(KeyCode::Char('g')));
    app.update(j());
    t.run(
        &mut app,
        "secondary CIDR: take 100.64.0.0/16",
        vec![space()],
    );
    t.run(
        &mut app,
        "secondary → custom networking (Enter)",
        vec![enter()],
    );
    t.run(
        &mut app,
        "custom networking: move (j, k)",
        moves(200).collect(),
    );
    t.run(
        &mut app,
        "→ preview (Enter)",
        (0..3).map(|_| enter()).collect(),
    );
    t.run(
        &mut app,
        "preview: scroll (j)",
        (0..200).map(|_| j()).collect(),
    );
    println!("peak RSS {:.0} MiB", peak_rss_mib());
}
