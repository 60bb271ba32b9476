//! The docs stay true: docs/permissions.md lists exactly the AWS calls the code makes, and
//! every terminal capture in docs/ is the current snapshot of that screen.

use std::collections::BTreeSet;
use std::path::Path;

fn read(p: impl AsRef<Path>) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(p);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `service:Operation` for every call in the call table (crates/core/src/calls.rs); the moto tests
/// check that the code makes no call outside it.
fn calls_in_code() -> BTreeSet<String> {
    eks_private_tui::calls::all()
        .iter()
        .map(|c| c.to_string())
        .collect()
}

#[test]
fn permissions_page_lists_every_call() {
    let code = calls_in_code();
    assert!(code.len() >= 15, "parsed too few calls: {code:?}");
    let doc = read("docs/permissions.md");
    let listed: BTreeSet<String> = doc
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| s.contains(':') && !s.contains(' ') && !s.starts_with("--"))
        .map(str::to_string)
        .collect();
    let missing: Vec<_> = code.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "docs/permissions.md does not list {missing:?}"
    );
    let stale: Vec<_> = listed.difference(&code).collect();
    assert!(
        stale.is_empty(),
        "docs/permissions.md lists calls the code no longer makes: {stale:?}"
    );
    // The policy JSON carries the same actions.
    for c in &code {
        assert!(doc.contains(&format!("\"{c}\"")), "policy lacks {c}");
    }
}

#[test]
fn captures_in_docs_match_the_snapshots() {
    let mut checked = 0;
    // README.md and every page under docs/.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages = vec!["README.md".to_string()];
    for dir in ["docs", "docs/guide"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "md") {
                pages.push(p.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    for page in &pages {
        let text = read(page);
        for part in text.split("<!-- capture: ").skip(1) {
            let name = part.split(" -->").next().unwrap();
            let block = part
                .split("```text\n")
                .nth(1)
                .and_then(|b| b.split("\n```").next())
                .unwrap_or_else(|| panic!("{page}: no text block after capture {name}"));
            let snap = read(format!("tests/snapshots/{name}.snap"));
            // insta's header ends with the second `---` line.
            let body = snap.splitn(3, "---\n").nth(2).unwrap();
            assert_eq!(
                block.trim_end(),
                body.trim_end(),
                "{page}: capture {name} differs from its snapshot; run scripts/captures.py"
            );
            checked += 1;
        }
    }
    assert!(checked >= 4, "only {checked} captures found");
}

/// The rules table of docs/rules.md, as the catalog renders it.
fn rules_table() -> String {
    use eks_private_tui::rules::{catalog::Id, sources};
    let mut t = String::from(
        "| ID | severity | rule | why | fix | page; sources (file @ commit, date); checked |\n|---|---|---|---|---|---|\n",
    );
    for (r, id) in eks_private_tui::rules::CATALOG.iter().zip(Id::ALL) {
        let cell = |s: &str| s.replace('|', "\\|");
        // The page's last path segment names it: `private-clusters.html`.
        let page = r
            .docs
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(r.docs);
        let cites: Vec<String> = r
            .sources
            .iter()
            .map(|s| format!("`{}`", s.cite()))
            .collect();
        let derived = if sources::DERIVED.contains(id) {
            "derived from "
        } else {
            ""
        };
        t.push_str(&format!(
            "| {} | {} | {} | {} | {} | [{page}]({}); {derived}{}; checked {} |\n",
            r.id,
            r.severity.as_str(),
            cell(r.title),
            cell(r.why),
            cell(r.fix),
            r.docs,
            cites.join(", "),
            r.checked
        ));
    }
    t
}

#[test]
fn rules_page_matches_the_catalog() {
    let doc = read("docs/rules.md");
    let start = "<!-- rules:begin -->\n";
    let end = "<!-- rules:end -->";
    let body = doc
        .split(start)
        .nth(1)
        .and_then(|b| b.split(end).next())
        .expect("docs/rules.md has the rules:begin/end markers");
    let expected = rules_table();
    assert_eq!(
        body, expected,
        "docs/rules.md is out of date; the table between the markers should be:\n{expected}"
    );
}

#[test]
fn spec_example_loads_and_round_trips() {
    let doc = read("docs/spec.md");
    let example = doc
        .split("<!-- spec:full -->\n```yaml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("docs/spec.md has the full example");
    let spec = eks_private_tui::spec::Spec::parse(example, "docs/spec.md").unwrap();
    assert_eq!(
        spec.to_yaml(),
        example,
        "the example is not in canonical form"
    );
    assert!(spec.dns.is_some() && spec.secondary_cidr.is_some() && spec.cluster_endpoint.is_some());
}

#[test]
fn the_keys_page_shows_the_shipped_key_file() {
    let page = read("docs/keys.md");
    let shipped = read("assets/keybindings.toml");
    let block = page
        .split("<!-- keys:embedded -->\n```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/keys.md has the keys:embedded block");
    assert_eq!(
        block, shipped,
        "docs/keys.md: copy assets/keybindings.toml into it"
    );
}

/// Every link from README.md and docs/ to another page of the repo leads to a file that
/// exists (the docs link inside the repo only).
#[test]
fn links_between_pages_resolve() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages = vec![root.join("README.md")];
    for dir in ["docs", "docs/guide"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "md") {
                pages.push(p);
            }
        }
    }
    let mut checked = 0;
    let mut broken = vec![];
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        for part in text.split("](").skip(1) {
            let target = part.split(')').next().unwrap_or("");
            let target = target.split('#').next().unwrap_or("");
            if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            if !page.parent().unwrap().join(target).exists() {
                broken.push(format!(
                    "{} → {target}",
                    page.strip_prefix(root).unwrap().display()
                ));
            }
        }
    }
    assert!(checked > 20, "found too few links: {checked}");
    assert!(broken.is_empty(), "links to nothing: {broken:#?}");
}
