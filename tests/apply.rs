//! apply and destroy against moto: the reference apply (every kind of action), cut after
//! each mutating call and resumed, under injected faults, plan → apply → plan, destroy.
//! What moto cannot show (pending states, DescribeUpdate, deadlines) is tested with the
//! SDK's mocks in crates/aws/src/apply/tests.rs.

mod common;

use common::{Moto, Proxy, bin, moto, stderr, stdout};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The demo account in `region` and a spec that needs every kind of action: DNS
/// attributes, subnet tags, the endpoint group and its rules, interface endpoints, the S3
/// gateway extended, the secondary CIDR with pod subnets and their route tables, cluster
/// endpoint access, Resolver endpoints, the FORWARD rule and its association.
fn reference(m: &Moto, region: &str) -> (common::TempFile, Value) {
    let seed = m.seed("demo", region, &[]);
    let vpc = seed["vpc"].as_str().unwrap();
    let path = common::temp_file("ept-apply", "yaml");
    let out = bin(Some(&m.url))
        .args(["spec", "new", "--region", region, "--vpc", vpc, "--spec"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(&common::full_spec_yaml(region, &seed));
    std::fs::write(&path, text).unwrap();
    (path, seed)
}

fn run(url: &str, args: &[&str], spec: &Path) -> Output {
    bin(Some(url))
        .args(args)
        .arg("--spec")
        .arg(spec)
        .env("EKS_PRIVATE_TUI_STATS", "1")
        .output()
        .unwrap()
}

/// `run`, recording every AWS call the process made (EKS_PRIVATE_TUI_CALLS_FILE).
fn run_recording(url: &str, args: &[&str], spec: &Path) -> (Output, BTreeSet<String>) {
    let file = common::temp_file("ept-calls", "txt");
    let out = bin(Some(url))
        .args(args)
        .arg("--spec")
        .arg(spec)
        .env("EKS_PRIVATE_TUI_CALLS_FILE", &file)
        .output()
        .unwrap();
    let calls = std::fs::read_to_string(&file)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect();
    let _ = std::fs::remove_file(&file);
    (out, calls)
}

/// Every call made is in the call table for that command: the data the permissions page
/// and the IAM export read is what the code does.
fn assert_declared(
    made: &BTreeSet<String>,
    declared: BTreeSet<eks_private_tui::calls::Call>,
    what: &str,
) {
    let declared: BTreeSet<String> = declared.iter().map(|c| c.to_string()).collect();
    let undeclared: Vec<&String> = made.difference(&declared).collect();
    assert!(
        undeclared.is_empty(),
        "{what} made calls crates/core/src/calls.rs does not list: {undeclared:?}"
    );
    assert!(made.len() >= 15, "{what}: too few calls recorded: {made:?}");
}

/// The end of stdout and all of stderr, for assertion messages.
fn show(o: &Output) -> String {
    let out = stdout(o);
    let tail: Vec<&str> = out.lines().rev().take(25).collect();
    format!(
        "{:?}\n...\n{}\n--- stderr:\n{}",
        o.status,
        tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
        stderr(o)
    )
}

fn journal_of(spec: &Path) -> PathBuf {
    let mut p = spec.as_os_str().to_owned();
    p.push(".journal");
    PathBuf::from(p)
}

/// The account holds exactly one of everything the reference spec asks for.
fn assert_exactly_one_of_each(m: &Moto, region: &str, seed: &Value, context: &str) {
    let inv = common::inventory_json(m, region, &[]);
    let vpc_id = seed["vpc"].as_str().unwrap();
    let client = seed["clientVpc"].as_str().unwrap();
    let vpc = inv["vpcs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == vpc_id)
        .unwrap();
    let count = |items: &Value, f: &dyn Fn(&Value) -> bool| {
        items.as_array().unwrap().iter().filter(|x| f(x)).count()
    };
    for svc in ["ec2", "ecr.api", "ecr.dkr", "sts", "s3"] {
        assert_eq!(
            // moto keeps deleted endpoints listed (after a destroy).
            count(&vpc["endpoints"], &|e| e["service"] == svc
                && e["state"] != "deleted"),
            1,
            "{context}: endpoints for {svc}"
        );
    }
    let groups = |v: &Value, name: &str| count(&v["securityGroups"], &|g| g["name"] == name);
    assert_eq!(groups(vpc, "prod-private-endpoints"), 1, "{context}");
    assert_eq!(groups(vpc, "prod-private-dns-inbound"), 1, "{context}");
    let cv = inv["vpcs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == client)
        .unwrap();
    assert_eq!(groups(cv, "prod-private-dns-outbound"), 1, "{context}");
    let eps = vpc["securityGroups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "prod-private-endpoints")
        .unwrap();
    for cidr in ["10.0.0.0/16", "100.64.0.0/16"] {
        assert_eq!(
            count(&eps["ingress"], &|r| r["fromPort"] == 443
                && r["cidrs"].as_array().unwrap().iter().any(|c| c == cidr)),
            1,
            "{context}: 443 from {cidr}"
        );
    }
    for pod in ["100.64.0.0/19", "100.64.32.0/19", "100.64.64.0/19"] {
        assert_eq!(
            count(&vpc["subnets"], &|s| s["cidr"] == pod),
            1,
            "{context}: {pod}"
        );
    }
    assert_eq!(
        count(&vpc["cidrs"], &|c| c["cidr"] == "100.64.0.0/16"
            && c["state"] != "disassociated"),
        1,
        "{context}: the secondary CIDR"
    );
    let r = &inv["resolver"];
    assert_eq!(
        count(&r["endpoints"], &|e| e["direction"] == "INBOUND"
            && e["vpcId"] == vpc_id),
        1,
        "{context}: inbound endpoints"
    );
    assert_eq!(
        count(&r["endpoints"], &|e| e["direction"] == "OUTBOUND"
            && e["vpcId"] == client),
        1,
        "{context}: outbound endpoints"
    );
    assert_eq!(
        count(&r["rules"], &|x| x["ruleType"] == "FORWARD"),
        1,
        "{context}: rules"
    );
    assert_eq!(
        count(&r["ruleAssociations"], &|a| a["vpcId"] == client),
        1,
        "{context}: rule associations"
    );
}

fn no_changes(url: &str, spec: &Path) {
    let out = run(url, &["plan"], spec);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("No changes."),
        "plan after apply: {}",
        stdout(&out)
    );
}

/// "stats: N mutating calls for M actions, ..." → (N, M)
fn stats(err: &str) -> (u64, u64) {
    let line = err
        .lines()
        .find(|l| l.starts_with("stats: "))
        .unwrap_or_else(|| panic!("no stats line in {err}"));
    let n: Vec<u64> = line.split(' ').filter_map(|w| w.parse().ok()).collect();
    (n[0], n[1])
}

#[test]
fn plan_apply_plan_says_no_changes_and_a_second_apply_creates_nothing() {
    let m = moto();
    let region = "ap-south-1";
    let (spec, seed) = reference(m, region);
    let out = run(&m.url, &["apply", "--auto-approve"], &spec);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    let text = stdout(&out);
    assert!(
        text.contains("Plan: 22 to add, 7 to change, 0 to destroy."),
        "{text}"
    );
    assert!(
        text.contains("Apply complete! Resources: 22 added, 7 changed, 0 destroyed."),
        "{text}"
    );
    assert!(
        text.contains("endpoint.sts: Creation complete after 0s [id=vpce-"),
        "{text}"
    );
    // One mutating call per planned action.
    assert_eq!(stats(&stderr(&out)), (29, 29));
    assert_exactly_one_of_each(m, region, &seed, "after apply");
    no_changes(&m.url, &spec);
    let again = run(&m.url, &["apply", "--auto-approve"], &spec);
    assert_eq!(again.status.code(), Some(0));
    assert!(stdout(&again).contains("No changes."), "{}", stdout(&again));
    assert!(!stderr(&again).contains("stats: "), "nothing ran");
    assert_exactly_one_of_each(m, region, &seed, "after a second apply");
    // The journal is private and records the run.
    let journal = journal_of(&spec);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&journal).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let text = std::fs::read_to_string(&journal).unwrap();
    assert_eq!(text.matches("\"event\":\"done\"").count(), 29);
    // The values before of what apply changed on what it did not create (issue 26, 4):
    // the cluster's access, DNS hostnames, three subnet tags, the S3 gateway's tables.
    assert_eq!(text.matches("\"event\":\"changed\"").count(), 6, "{text}");
    assert!(text.trim_end().ends_with("\"ok\":true}"), "{text}");
}

#[test]
fn cut_after_every_mutating_call_and_resumed_holds_exactly_one_of_each() {
    // A server of its own: it is reset and seeded again for every cut point.
    let m = Moto::start_with("cuts", &[]);
    let region = "eu-west-3";
    let reset = || {
        let ok = Command::new("curl")
            .args(["-fsS", "-X", "POST", &format!("{}/moto-api/reset", m.url)])
            .output()
            .unwrap();
        assert!(ok.status.success());
    };
    let (spec, _) = reference(&m, region);
    let full = run(&m.url, &["apply", "--auto-approve"], &spec);
    assert!(full.status.success(), "{}", stderr(&full));
    let (calls, actions) = stats(&stderr(&full));
    assert_eq!(calls, actions);
    for cut in 1..=calls {
        reset();
        let (spec, seed) = reference(&m, region);
        let cut_arg = cut.to_string();
        let out = run(
            &m.url,
            &[
                "apply",
                "--auto-approve",
                "--abort-after-mutations",
                &cut_arg,
            ],
            &spec,
        );
        assert_eq!(
            out.status.code(),
            Some(137),
            "cut {cut}: {:?} {}\n{}",
            out.status,
            stdout(&out),
            stderr(&out)
        );
        let out = run(&m.url, &["apply", "--auto-approve"], &spec);
        assert_eq!(
            out.status.code(),
            Some(0),
            "resume after cut {cut}: {}\n{}",
            stdout(&out),
            stderr(&out)
        );
        if cut < calls {
            assert!(
                stdout(&out).contains("Resuming an interrupted apply"),
                "cut {cut}: {}",
                stdout(&out)
            );
        }
        assert_exactly_one_of_each(&m, region, &seed, &format!("cut after call {cut}"));
        no_changes(&m.url, &spec);
    }
}

#[test]
fn kill_9_in_the_middle_then_resume() {
    let m = moto();
    let region = "us-west-2";
    let (spec, seed) = reference(m, region);
    // 150 ms per call: the apply takes seconds, time enough to kill it mid-way.
    let proxy = Proxy::start(&m.url, &["--latency-ms", "150"]);
    let mut child = bin(Some(&proxy.url))
        .args(["apply", "--auto-approve", "--parallelism", "2", "--spec"])
        .arg(&spec)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let journal = journal_of(&spec);
    let start = Instant::now();
    loop {
        let done = std::fs::read_to_string(&journal)
            .map(|t| t.matches("\"event\":\"done\"").count())
            .unwrap_or(0);
        if done >= 8 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "apply made no progress"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    // Calls in flight at the kill still reach moto through the proxy. On AWS their
    // idempotency tokens make a repeat return the same resource; moto ignores tokens
    // (../shared/moto-notes.md), so let them land before the rerun reads the account.
    std::thread::sleep(Duration::from_millis(800));
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(!text.contains("\"event\":\"end\""), "killed before the end");
    let out = run(&m.url, &["apply", "--auto-approve"], &spec);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert!(stdout(&out).contains("Resuming an interrupted apply"));
    // The killed run's lock: same spec file, same host, its journal ours now.
    assert!(
        stdout(&out).contains("Took over the lock apply by "),
        "{}",
        show(&out)
    );
    assert_exactly_one_of_each(m, region, &seed, "after kill -9 and resume");
    no_changes(&m.url, &spec);
}

#[test]
fn thirty_percent_faults_still_apply() {
    let m = moto();
    let region = "sa-east-1";
    let (spec, seed) = reference(m, region);
    let proxy = Proxy::start(&m.url, &["--fault-rate", "0.3", "--fault-seed", "11"]);
    let out = run(&proxy.url, &["apply", "--auto-approve"], &spec);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        stdout(&out)
            .lines()
            .rev()
            .take(15)
            .collect::<Vec<_>>()
            .join("\n"),
        stderr(&out)
    );
    let s = proxy.stats();
    assert!(s["faulted"].as_u64().unwrap() >= 10, "{s}");
    assert_exactly_one_of_each(m, region, &seed, "after 30% faults");
    no_changes(&m.url, &spec);
}

#[test]
fn all_calls_failing_stops_clearly_and_a_later_resume_finishes() {
    let m = moto();
    let region = "eu-central-2";
    let (spec, seed) = reference(m, region);
    let proxy = Proxy::start(&m.url, &["--latency-ms", "60"]);
    let child = bin(Some(&proxy.url))
        .args([
            "apply",
            "--auto-approve",
            "--parallelism",
            "2",
            "--retry-for",
            "3",
            "--spec",
        ])
        .arg(&spec)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let journal = journal_of(&spec);
    let start = Instant::now();
    while std::fs::read_to_string(&journal)
        .map(|t| t.matches("\"event\":\"done\"").count())
        .unwrap_or(0)
        < 5
    {
        assert!(start.elapsed() < Duration::from_secs(60), "no progress");
        std::thread::sleep(Duration::from_millis(10));
    }
    // From now on AWS fails every call.
    let ok = Command::new("curl")
        .args([
            "-fsS",
            "-X",
            "POST",
            &format!("{}/__faults?rate=1.0", proxy.url),
        ])
        .output()
        .unwrap();
    assert!(ok.status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Apply stopped: "), "{text}");
    assert!(text.contains("failed:      "), "{text}");
    assert!(text.contains("run the same command again"), "{text}");
    assert!(text.contains("Error: "), "{text}");
    // The journal is intact: every line parses, and the run is open for resuming.
    let jt = std::fs::read_to_string(&journal).unwrap();
    for line in jt.lines() {
        serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    }
    assert!(jt.contains("\"event\":\"failed\""));
    assert!(!jt.contains("\"event\":\"end\""));
    // AWS recovers; the same command finishes the job.
    let out = run(&m.url, &["apply", "--auto-approve"], &spec);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("Resuming an interrupted apply"));
    assert_exactly_one_of_each(m, region, &seed, "after the outage");
    no_changes(&m.url, &spec);
}

#[test]
fn confirmation_read_only_and_blocking_findings_change_nothing() {
    let m = moto();
    let region = "ap-northeast-3";
    let (spec, _) = reference(m, region);
    let before = common::inventory_json(m, region, &[]);
    let with_input = |args: &[&str], input: &str| {
        let mut child = bin(Some(&m.url))
            .args(args)
            .arg("--spec")
            .arg(&spec)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    // Anything but "yes" cancels.
    for answer in ["no\n", "y\n", "", "YES\n"] {
        let out = with_input(&["apply"], answer);
        assert_eq!(out.status.code(), Some(1), "{answer:?}");
        let text = stdout(&out);
        assert!(text.contains("Only 'yes' will be accepted"), "{text}");
        assert!(
            text.contains("Apply cancelled. Nothing was changed."),
            "{text}"
        );
    }
    // --read-only refuses before reading anything.
    let out = with_input(&["apply", "--read-only", "--auto-approve"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--read-only forbids apply"),
        "{}",
        stderr(&out)
    );
    let out = with_input(&["destroy", "--read-only"], "");
    assert_eq!(out.status.code(), Some(2));
    // An error finding blocks it.
    let text = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(
        &spec,
        text.replace("cidr: 100.64.0.0/16", "cidr: 172.16.0.0/16"),
    )
    .unwrap();
    let out = with_input(&["apply", "--auto-approve"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("cannot be applied"),
        "{}",
        stdout(&out)
    );
    std::fs::write(&spec, text).unwrap();
    // The lock opens the journal (it is what the local lock holds); no run was recorded.
    let journal = std::fs::read_to_string(journal_of(&spec)).unwrap_or_default();
    assert!(
        !journal.contains("\"event\":\"begin\""),
        "no run began: {journal}"
    );
    let after = common::inventory_json(m, region, &[]);
    assert_eq!(before, after, "nothing changed in the account");
    // "yes" applies.
    let out = with_input(&["apply"], "yes\n");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("Apply complete!"));
}

#[test]
fn destroy_removes_what_apply_created_and_nothing_else() {
    let m = moto();
    let region = "eu-south-2";
    let (spec, seed) = reference(m, region);
    let before = common::inventory_json(m, region, &[]);
    let (out, made) = run_recording(&m.url, &["apply", "--auto-approve"], &spec);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_declared(&made, eks_private_tui::calls::apply(), "apply");
    let (out, made) = run_recording(&m.url, &["destroy", "--auto-approve"], &spec);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_declared(&made, eks_private_tui::calls::destroy(), "destroy");
    let text = stdout(&out);
    // What apply changed on what it did not create is put back (issue 26, 4): the
    // cluster's access (and its record), DNS hostnames, the three node subnets' tags and
    // the route tables apply added to the existing S3 gateway.
    assert!(
        text.contains("Plan: 0 to add, 7 to change, 16 to destroy."),
        "{text}"
    );
    assert!(
        text.contains("Destroy complete! Resources: 0 added, 7 changed, 16 destroyed."),
        "{text}"
    );
    let after = common::inventory_json(m, region, &[]);
    let cluster = |inv: &Value| {
        let c = inv["clusters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "prod")
            .unwrap()
            .clone();
        (
            c["publicAccess"].clone(),
            c["privateAccess"].clone(),
            c["publicAccessCidrs"].clone(),
            c.get("tags").cloned(),
        )
    };
    assert_eq!(
        cluster(&before),
        cluster(&after),
        "the cluster's access as it was"
    );
    let subnet_tags = |inv: &Value| -> Vec<Value> {
        let v = inv["vpcs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["id"] == seed["vpc"])
            .unwrap()
            .clone();
        let mut t: Vec<Value> = v["subnets"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["state"] != "deleted")
            .map(|s| serde_json::json!([s["id"], s["tags"]]))
            .collect();
        t.sort_by_key(|x| x.to_string());
        t
    };
    assert_eq!(
        subnet_tags(&before),
        subnet_tags(&after),
        "the subnets' tags as they were"
    );
    let vpc = |inv: &Value| {
        inv["vpcs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["id"] == seed["vpc"])
            .unwrap()
            .clone()
    };
    let ids = |v: &Value, key: &str| {
        let mut x: Vec<String> = v[key]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["state"] != "deleted")
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect();
        x.sort();
        x
    };
    // What was there before is there after; what apply made is gone.
    for key in ["subnets", "endpoints", "securityGroups"] {
        assert_eq!(ids(&vpc(&before), key), ids(&vpc(&after), key), "{key}");
    }
    for key in ["dnsSupport", "dnsHostnames"] {
        assert_eq!(
            vpc(&before)[key],
            vpc(&after)[key],
            "{key} as it was: {text}"
        );
    }

    assert_eq!(
        after["resolver"]["endpoints"].as_array().unwrap().len(),
        0,
        "{}",
        after["resolver"]
    );
    assert_eq!(after["resolver"]["rules"].as_array().unwrap().len(), 0);
    let left = vpc(&after)["cidrs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["cidr"] == "100.64.0.0/16" && c["state"] == "associated")
        .count();
    assert_eq!(left, 0, "the secondary CIDR is disassociated");
    // Nothing left: a second destroy has nothing to do.
    let out = run(&m.url, &["destroy", "--auto-approve"], &spec);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("Nothing to destroy"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn concurrent_applies_one_runs_the_others_are_refused() {
    // Issue 10: three applies of one spec at once associated the CIDR three times.
    let m = moto();
    let region = "eu-north-1";
    let (spec, seed) = reference(m, region);
    // 100 ms per call: the first run is still going when the others start.
    let proxy = Proxy::start(&m.url, &["--latency-ms", "100"]);
    let children: Vec<_> = (0..3)
        .map(|_| {
            bin(Some(&proxy.url))
                .args(["apply", "--auto-approve", "--spec"])
                .arg(&spec)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outs: Vec<Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let ran: Vec<&Output> = outs.iter().filter(|o| o.status.success()).collect();
    assert_eq!(
        ran.len(),
        1,
        "{:#?}",
        outs.iter().map(show).collect::<Vec<_>>()
    );
    assert!(
        stdout(ran[0]).contains("Apply complete!"),
        "{}",
        show(ran[0])
    );
    for o in outs.iter().filter(|o| !o.status.success()) {
        assert_eq!(o.status.code(), Some(2), "{}", show(o));
        let e = stderr(o);
        assert!(
            e.contains("holds the lock") || e.contains("the spec is locked"),
            "{e}"
        );
        assert!(!stdout(o).contains("Resuming"), "{}", show(o));
    }
    assert_exactly_one_of_each(m, region, &seed, "after three applies at once");
    no_changes(&m.url, &spec);

    // Another machine: the same spec elsewhere (its own journal), while a run that died
    // holds the lock. Refused, naming the holder; the account unchanged.
    let out = run(&m.url, &["destroy", "--auto-approve"], &spec);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let out = run(
        &m.url,
        &["apply", "--auto-approve", "--abort-after-mutations", "2"],
        &spec,
    );
    assert_eq!(out.status.code(), Some(137), "{}", show(&out));
    let dead = common::inventory_json(m, region, &[]);
    let elsewhere = common::temp_file("ept-apply-elsewhere", "yaml");
    std::fs::copy(&spec, &elsewhere).unwrap();
    let out = run(&m.url, &["apply", "--auto-approve"], &elsewhere);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let e = stderr(&out);
    assert!(e.contains("the spec is locked: apply by "), "{e}");
    let id = e
        .split("--force-unlock ")
        .nth(1)
        .and_then(|t| t.split(';').next())
        .unwrap()
        .to_string();
    assert!(id.starts_with("sg-"), "{e}");
    assert_eq!(
        common::inventory_json(m, region, &[]),
        dead,
        "refused: unchanged"
    );
    // A wrong ID is refused; the right one unlocks, and the run goes on.
    let out = run(
        &m.url,
        &["apply", "--auto-approve", "--force-unlock", "sg-0nope"],
        &elsewhere,
    );
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert!(
        stderr(&out).contains("not this spec's lock"),
        "{}",
        show(&out)
    );
    // Issue 27, 7: the lock is a lease. The run that died took it seconds ago, so its
    // lease has not lapsed: removing it is refused as if that run were alive, unless told
    // --even-if-alive.
    let out = run(
        &m.url,
        &["apply", "--auto-approve", "--force-unlock", &id],
        &elsewhere,
    );
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert!(
        stderr(&out).contains("is alive (its holder renewed it")
            && stderr(&out).contains("--even-if-alive"),
        "{}",
        show(&out)
    );
    assert_eq!(
        common::inventory_json(m, region, &[]),
        dead,
        "refused: unchanged"
    );
    let out = run(
        &m.url,
        &[
            "apply",
            "--auto-approve",
            "--force-unlock",
            &id,
            "--even-if-alive",
        ],
        &elsewhere,
    );
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert!(
        stdout(&out).contains("Removed the lock apply by "),
        "{}",
        show(&out)
    );
    assert_exactly_one_of_each(m, region, &seed, "after the forced unlock");
    // Released: a later run takes it without a word about locks.
    let out = run(&m.url, &["plan"], &elsewhere);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let out = run(&m.url, &["destroy", "--auto-approve"], &elsewhere);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert!(!stdout(&out).contains("the lock"), "{}", show(&out));
    for p in [&spec, &elsewhere] {
        let _ = std::fs::remove_file(journal_of(p));
        let _ = std::fs::remove_file(p);
    }
}

#[test]
fn destroy_stays_in_its_vpc_and_finds_its_cidr_without_the_journal() {
    // Issue 10: a spec of the same name for another VPC, destroyed, deleted the first
    // spec's Resolver rule and emptied its endpoint group; and without the journal the
    // secondary CIDR stayed associated, never mentioned.
    let m = moto();
    let region = "ap-southeast-2";
    let (spec, seed) = reference(m, region);
    let out = run(&m.url, &["apply", "--auto-approve"], &spec);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let vpc = seed["vpc"].as_str().unwrap();
    let client = seed["clientVpc"].as_str().unwrap();
    let other = common::temp_file("ept-apply-other", "yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(
        &other,
        text.replace(&format!("vpcId: {vpc}"), &format!("vpcId: {client}")),
    )
    .unwrap();
    let out = run(&m.url, &["destroy", "--auto-approve"], &other);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert!(
        stdout(&out).contains("Nothing to destroy"),
        "{}",
        show(&out)
    );
    assert_exactly_one_of_each(m, region, &seed, "after the other VPC's destroy");
    no_changes(&m.url, &spec);

    // The journal moved away (as its damaged-journal message advises): the CIDR is found
    // by the pod subnets this spec made inside it.
    let journal = journal_of(&spec);
    std::fs::remove_file(&journal).unwrap();
    let out = run(&m.url, &["destroy", "--auto-approve"], &spec);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert!(
        stdout(&out).contains("vpc_cidr.secondary: Destruction complete"),
        "{}",
        show(&out)
    );
    let inv = common::inventory_json(m, region, &[]);
    let v = inv["vpcs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == vpc)
        .unwrap();
    assert!(
        !v["cidrs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["cidr"] == "100.64.0.0/16" && c["state"] == "associated"),
        "{}",
        v["cidrs"]
    );
    for p in [&spec, &other] {
        let _ = std::fs::remove_file(journal_of(p));
        let _ = std::fs::remove_file(p);
    }
}
