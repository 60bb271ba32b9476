//! The layering, as the compiler keeps it: the workspace's crates and what each may
//! depend on, read from Cargo.lock (every crate each one reaches, its dependencies' too).
//! The core (`crates/core`: inventory, spec, rules, plan, the apply engine, export) reaches
//! no SDK and no terminal crate, so it cannot import them; the AWS crate (`crates/aws`)
//! reaches no terminal or CLI crate; the app (this package) calls the SDK only through the
//! AWS crate. docs/architecture.md lists what each crate holds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each package of Cargo.lock with the names of the packages it depends on.
fn lock() -> BTreeMap<String, Vec<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    let mut out = BTreeMap::new();
    for p in doc["package"].as_array().unwrap() {
        let name = p["name"].as_str().unwrap().to_string();
        let deps: Vec<String> = p
            .get("dependencies")
            .and_then(|d| d.as_array())
            .map(|d| {
                d.iter()
                    // "name" or "name version" when two versions are locked.
                    .map(|x| x.as_str().unwrap().split(' ').next().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default();
        out.entry(name).or_insert_with(Vec::new).extend(deps);
    }
    out
}

/// Every package `root` reaches (Cargo.lock also lists dev-dependencies, so this is an
/// upper bound of what its code can name).
fn reach(graph: &BTreeMap<String, Vec<String>>, root: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![root.to_string()];
    while let Some(p) = todo.pop() {
        for d in graph.get(&p).into_iter().flatten() {
            if seen.insert(d.clone()) {
                todo.push(d.clone());
            }
        }
    }
    seen
}

/// The SDK and what only it brings.
fn sdk(name: &str) -> bool {
    name.starts_with("aws-") || name.starts_with("hyper") || name.starts_with("rustls")
}

/// The terminal and the command line.
fn front_end(name: &str) -> bool {
    ["ratatui", "crossterm", "tui-input", "clap"].contains(&name)
}

#[test]
fn the_core_reaches_no_sdk_and_no_terminal_crate() {
    let g = lock();
    let core = reach(&g, "eks-private-tui-core");
    assert!(core.contains("serde"), "the core was not found: {core:?}");
    let bad: Vec<_> = core
        .iter()
        .filter(|c| sdk(c) || front_end(c) || c.starts_with("eks-private-tui"))
        .collect();
    assert!(
        bad.is_empty(),
        "the core must stay pure: it reaches {bad:?}"
    );
}

#[test]
fn only_the_aws_crate_reaches_the_sdk() {
    let g = lock();
    let aws = reach(&g, "eks-private-tui-aws");
    assert!(aws.contains("aws-sdk-ec2"), "{aws:?}");
    let bad: Vec<_> = aws.iter().filter(|c| front_end(c)).collect();
    assert!(bad.is_empty(), "the AWS crate reaches {bad:?}");
    // The app names no SDK crate itself: every call goes through the AWS crate.
    let direct: Vec<_> = g["eks-private-tui"].iter().filter(|c| sdk(c)).collect();
    assert!(direct.is_empty(), "the app depends on {direct:?} directly");
}

#[test]
fn the_checks_see_what_they_must() {
    assert!(sdk("aws-sdk-ec2") && sdk("aws-smithy-mocks") && sdk("hyper-util"));
    assert!(front_end("ratatui") && !front_end("serde"));
    let g: BTreeMap<String, Vec<String>> = [
        ("a".to_string(), vec!["b".to_string()]),
        ("b".to_string(), vec!["c".to_string()]),
    ]
    .into();
    assert_eq!(reach(&g, "a"), ["b", "c"].map(String::from).into());
}
