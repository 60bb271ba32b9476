//! The headless face of [`Event`]s: Terraform-like lines, one per event.

use super::{Event, Summary};
use crate::plan::Op;
use std::time::Duration;

fn secs(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 {
        format!("{}m{}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

fn verbs(op: Op) -> (&'static str, &'static str, &'static str) {
    match op {
        Op::Create => ("Creating...", "Still creating...", "Creation complete"),
        Op::Update => (
            "Modifying...",
            "Still modifying...",
            "Modifications complete",
        ),
        Op::Delete => (
            "Destroying...",
            "Still destroying...",
            "Destruction complete",
        ),
        Op::Replace => ("Replacing...", "Still replacing...", "Replacement complete"),
    }
}

/// The line for one event (`None`: nothing to print). `verb` is `Apply` or `Destroy`.
pub fn line(e: &Event, verb: &str) -> Option<String> {
    Some(match e {
        Event::Begin {
            total,
            resumed: Some(done),
            journal,
        } => format!(
            "Resuming an interrupted {} (journal {journal}): {done} step(s) were recorded done; the account was read again, {total} step(s) remain.\n",
            verb.to_lowercase()
        ),
        Event::Begin { .. } => return None,
        Event::Started { address, op } => format!("{address}: {}", verbs(*op).0),
        Event::StillRunning {
            address,
            op,
            elapsed,
        } => format!("{address}: {} [{} elapsed]", verbs(*op).1, secs(*elapsed)),
        Event::Done {
            address,
            op,
            id,
            elapsed,
        } => format!(
            "{address}: {} after {} [id={id}]",
            verbs(*op).2,
            secs(*elapsed)
        ),
        Event::Failed { address, error, .. } => format!("Error: {address}: {error}"),
        Event::Finished(s) => summary(s, verb),
    })
}

/// The closing lines: Terraform's on success; on a failure what was done, what failed,
/// and how to resume.
pub fn summary(s: &Summary, verb: &str) -> String {
    if s.ok() {
        let mut o = format!(
            "\n{verb} complete! Resources: {} added, {} changed, {} destroyed.",
            s.added, s.changed, s.destroyed
        );
        if s.resumed > 0 {
            o.push_str(&format!(
                " ({} more were done by the interrupted run.)",
                s.resumed
            ));
        }
        return o;
    }
    let done = s.added + s.changed + s.destroyed;
    let mut o = format!(
        "\n{verb} stopped{}: {done} step(s) done, {} failed, {} not started.",
        if s.interrupted { " (interrupted)" } else { "" },
        s.failed.len(),
        s.not_started.len()
    );
    for (a, e) in &s.failed {
        o.push_str(&format!("\n  failed:      {a}: {e}"));
    }
    for a in &s.not_started {
        o.push_str(&format!("\n  not started: {a}"));
    }
    o.push_str(&format!(
        "\nThe journal {} records every step. Fix the cause and run the same command again: it reads the account again, adopts what exists and creates nothing twice.",
        s.journal
    ));
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{AwsError, ErrorKind};

    #[test]
    fn terraform_like_lines() {
        let d = |address: &str, op| Event::Done {
            address: address.into(),
            op,
            id: "vpce-1".into(),
            elapsed: Duration::from_secs(73),
        };
        assert_eq!(
            line(&d("endpoint.sts", Op::Create), "Apply").unwrap(),
            "endpoint.sts: Creation complete after 1m13s [id=vpce-1]"
        );
        assert_eq!(
            line(
                &Event::StillRunning {
                    address: "endpoint.sts".into(),
                    op: Op::Create,
                    elapsed: Duration::from_secs(10)
                },
                "Apply"
            )
            .unwrap(),
            "endpoint.sts: Still creating... [10s elapsed]"
        );
        let ok = Summary {
            added: 3,
            changed: 1,
            ..Default::default()
        };
        assert_eq!(
            summary(&ok, "Apply").trim(),
            "Apply complete! Resources: 3 added, 1 changed, 0 destroyed."
        );
        let bad = Summary {
            added: 2,
            failed: vec![(
                "endpoint.sts".into(),
                AwsError::new(
                    ErrorKind::Throttled,
                    "ec2",
                    "CreateVpcEndpoint",
                    "slow down",
                    "wait",
                ),
            )],
            not_started: vec!["resolver_rule.forward".into()],
            journal: "p.yaml.journal".into(),
            ..Default::default()
        };
        let t = summary(&bad, "Apply");
        assert!(
            t.contains("Apply stopped: 2 step(s) done, 1 failed, 1 not started."),
            "{t}"
        );
        assert!(
            t.contains("failed:      endpoint.sts: slow down [ec2 CreateVpcEndpoint]"),
            "{t}"
        );
        assert!(t.contains("run the same command again"), "{t}");
    }
}
