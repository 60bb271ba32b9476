//! The engine against a scripted backend: order, bound, failure, stop, tokens, journal.

use super::*;
use crate::error::ErrorKind;
use crate::plan::{Action, Attr, Change, Op, Plan, Ref, VpcAttribute};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

fn action(address: &str, deps: &[&str], change: Change) -> Action {
    Action {
        address: address.into(),
        kind: "test",
        op: Op::Create,
        id: None,
        attrs: vec![Attr {
            name: "x".into(),
            before: None,
            after: Some("1".into()),
        }],
        depends_on: deps.iter().map(|d| d.to_string()).collect(),
        change,
        undo: None,
    }
}

fn attr(vpc: &str) -> Change {
    Change::SetVpcAttribute {
        vpc_id: vpc.into(),
        attribute: VpcAttribute::EnableDnsSupport,
        value: true,
    }
}

/// Records calls; fails the addresses in `fail`; each call takes `delay`.
#[derive(Default)]
struct Script {
    calls: Mutex<Vec<(String, Change, Step)>>,
    fail: Vec<String>,
    delay: Duration,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

impl Backend for Script {
    async fn execute(&self, change: &Change, step: &Step) -> Result<String, AwsError> {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(self.delay).await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        self.calls
            .lock()
            .unwrap()
            .push((step.address.clone(), change.clone(), step.clone()));
        if self.fail.contains(&step.address) {
            return Err(AwsError::new(
                ErrorKind::Service,
                "ec2",
                "CreateThing",
                "no",
                "fix it",
            ));
        }
        Ok(format!("id-{}", step.address))
    }
}

fn journal(name: &str) -> Journal {
    let p = std::env::temp_dir().join(format!(
        "ept-engine-{}-{name}-{}.journal",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    Journal::open(&p, "prod", "apply", 0).unwrap()
}

async fn go(plan: &Plan, b: &Script, opts: Options) -> (Summary, Vec<Event>) {
    let events = Mutex::new(vec![]);
    let (_stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut j = journal("run");
    let s = run(
        plan,
        b,
        &mut j,
        &opts,
        &|e| events.lock().unwrap().push(e),
        stop_rx,
    )
    .await;
    let events = events.into_inner().unwrap();
    let _ = std::fs::remove_file(j.path());
    (s, events)
}

fn plan(actions: Vec<Action>) -> Plan {
    Plan {
        name: "prod".into(),
        vpc_id: "vpc-prod".into(),
        region: "eu-west-1".into(),
        actions,
        adopted: vec![("security_group.adopted".into(), "sg-old".into())],
    }
}

#[tokio::test(start_paused = true)]
async fn dependencies_first_outputs_flow_and_the_bound_holds() {
    let p = plan(vec![
        action(
            "rule",
            &["sg"],
            Change::AuthorizeIngress {
                group: Ref::Output("sg".into()),
                protocols: vec!["tcp".into()],
                port: 443,
                cidrs: vec!["10.0.0.0/16".into()],
                description: String::new(),
            },
        ),
        action(
            "sg",
            &[],
            Change::CreateSecurityGroup {
                vpc_id: "vpc-1".into(),
                name: "eps".into(),
                description: "d".into(),
            },
        ),
        action(
            "rule2",
            &[],
            Change::AuthorizeIngress {
                group: Ref::Output("security_group.adopted".into()),
                protocols: vec!["tcp".into()],
                port: 443,
                cidrs: vec!["10.1.0.0/16".into()],
                description: String::new(),
            },
        ),
        action("a1", &[], attr("vpc-1")),
        action("a2", &[], attr("vpc-2")),
        action("a3", &[], attr("vpc-3")),
    ]);
    let b = Script {
        delay: Duration::from_millis(100),
        ..Default::default()
    };
    let (s, events) = go(
        &p,
        &b,
        Options {
            parallelism: 2,
            tick: Duration::from_secs(10),
        },
    )
    .await;
    assert!(s.ok(), "{s:?}");
    assert_eq!(s.added, 6);
    assert_eq!(b.max_in_flight.load(Ordering::SeqCst), 2);
    let calls = b.calls.lock().unwrap();
    let order: Vec<&str> = calls.iter().map(|(a, _, _)| a.as_str()).collect();
    let pos = |a: &str| order.iter().position(|x| *x == a).unwrap();
    assert!(pos("sg") < pos("rule"), "{order:?}");
    // The output of sg, and of an adopted resource, replaced the references.
    let group = |a: &str| match &calls[pos(a)].1 {
        Change::AuthorizeIngress { group, .. } => group.clone(),
        _ => unreachable!(),
    };
    assert_eq!(group("rule"), Ref::Id("id-sg".into()));
    assert_eq!(group("rule2"), Ref::Id("sg-old".into()));
    // Tags and a token on every step.
    let (_, _, step) = &calls[pos("sg")];
    assert!(step.tags.contains(&(PLAN_TAG.into(), "prod".into())));
    assert!(step.tags.contains(&("Name".into(), "eps".into())));
    assert!(step.token.starts_with("ept-") && step.token.len() == 36);
    assert!(matches!(events.last(), Some(Event::Finished(_))));
}

#[tokio::test(start_paused = true)]
async fn a_failure_launches_nothing_new_and_lets_running_steps_finish() {
    // Parallelism 2: "bad" and "slow" start together; "bad" fails; "slow" finishes; "c"
    // (ready, but not started yet) and "after" (needs "bad") never start.
    let p = plan(vec![
        action("bad", &[], attr("vpc-1")),
        action("slow", &[], attr("vpc-2")),
        action("c", &[], attr("vpc-3")),
        action("after", &["bad"], attr("vpc-4")),
    ]);
    let b = Script {
        fail: vec!["bad".into()],
        delay: Duration::from_millis(50),
        ..Default::default()
    };
    let (s, events) = go(
        &p,
        &b,
        Options {
            parallelism: 2,
            tick: Duration::from_secs(10),
        },
    )
    .await;
    assert!(!s.ok());
    assert_eq!(s.failed.len(), 1);
    assert_eq!(s.failed[0].0, "bad");
    assert_eq!(s.added, 1, "slow finished");
    let mut ns = s.not_started.clone();
    ns.sort();
    assert_eq!(ns, vec!["after", "c"]);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Failed { address, .. } if address == "bad"))
    );
}

#[tokio::test(start_paused = true)]
async fn long_steps_report_that_they_are_still_running() {
    let p = plan(vec![action("slow", &[], attr("vpc-1"))]);
    let b = Script {
        delay: Duration::from_secs(25),
        ..Default::default()
    };
    let (_, events) = go(&p, &b, Options::default()).await;
    let still: Vec<u64> = events
        .iter()
        .filter_map(|e| match e {
            Event::StillRunning { elapsed, .. } => Some(elapsed.as_secs()),
            _ => None,
        })
        .collect();
    assert_eq!(still, vec![10, 20]);
}

#[tokio::test(start_paused = true)]
async fn stop_launches_nothing_new() {
    let p = plan(vec![
        action("a", &[], attr("vpc-1")),
        action("b", &["a"], attr("vpc-2")),
    ]);
    let b = Script {
        delay: Duration::from_secs(1),
        ..Default::default()
    };
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut j = journal("stop");
    let stopper = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        stop_tx.send(true).unwrap();
    };
    let opts = Options::default();
    let (s, _) = tokio::join!(run(&p, &b, &mut j, &opts, &|_| {}, stop_rx), stopper);
    assert!(s.interrupted);
    assert_eq!(s.added, 1, "a finished");
    assert_eq!(s.not_started, vec!["b"]);
    // No end record: the next apply resumes.
    let records = journal::read(j.path()).unwrap();
    assert!(journal::interrupted(&records).is_some());
    let _ = std::fs::remove_file(j.path());
}

#[test]
fn tokens_are_stable_and_differ_by_address_plan_and_epoch() {
    let t = token("prod", "endpoint.sts", "e1");
    assert_eq!(t, token("prod", "endpoint.sts", "e1"));
    assert_ne!(t, token("prod", "endpoint.ec2", "e1"));
    assert_ne!(t, token("dev", "endpoint.sts", "e1"));
    assert_ne!(t, token("prod", "endpoint.sts", "e2"));
    // Fixed forever: a resumed run after an upgrade must send the same token.
    assert_eq!(fnv64("a", 0), 0xaf63_dc4c_8601_ec8c);
}
