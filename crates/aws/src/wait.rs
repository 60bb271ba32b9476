//! Waiting for a resource to reach a state (rule X2): poll at once, then with doubling
//! delays up to a cap, until the state is good, bad, or the deadline passes. moto answers every state
//! final at once, so the pending paths are tested with `aws-smithy-mocks`
//! (tests in src/aws/apply.rs).

use super::{AwsError, ErrorKind};
use std::future::Future;
use std::time::Duration;

/// How to wait: first delay, the cap on the delay, and the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitPolicy {
    pub first: Duration,
    pub max: Duration,
    pub deadline: Duration,
}

impl WaitPolicy {
    /// VPC endpoints, Resolver endpoints and rules: usually 1–3 min on AWS.
    pub const RESOURCE: WaitPolicy = WaitPolicy {
        first: Duration::from_secs(2),
        max: Duration::from_secs(15),
        deadline: Duration::from_secs(15 * 60),
    };
    /// An EKS cluster update: usually 5–15 min.
    pub const CLUSTER: WaitPolicy = WaitPolicy {
        first: Duration::from_secs(5),
        max: Duration::from_secs(30),
        deadline: Duration::from_secs(40 * 60),
    };
    /// A CIDR association, a subnet: seconds.
    pub const QUICK: WaitPolicy = WaitPolicy {
        first: Duration::from_millis(500),
        max: Duration::from_secs(5),
        deadline: Duration::from_secs(5 * 60),
    };
}

/// What one poll saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Poll<T> {
    Ready(T),
    /// Still on the way, in this state.
    Pending(String),
    /// A state it will not leave for the good one (`failed`, `rejected`, `Failed`).
    Failed(String),
}

/// Poll until ready. `what` names the resource for messages (`VPC endpoint vpce-1`); a
/// poll AWS throttles or fails (5xx) is retried for `retry_for`.
pub async fn wait_for<T, F, Fut>(
    retry_for: Duration,
    service: &'static str,
    operation: &'static str,
    what: &str,
    policy: WaitPolicy,
    mut poll: F,
) -> Result<T, AwsError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Poll<T>, AwsError>>,
{
    let start = tokio::time::Instant::now();
    let mut delay = policy.first;
    loop {
        match super::patiently(&mut poll, retry_for).await? {
            Poll::Ready(t) => return Ok(t),
            Poll::Failed(state) => {
                let mut e = AwsError::new(
                    ErrorKind::Service,
                    service,
                    operation,
                    format!("{what} went to state {state}"),
                    "see the resource in the console for the reason; fix it, delete it, and run apply again",
                );
                e.code = Some(state);
                return Err(e);
            }
            Poll::Pending(state) => {
                if start.elapsed() + delay > policy.deadline {
                    return Err(AwsError::new(
                        ErrorKind::Timeout,
                        service,
                        operation,
                        format!(
                            "{what} is still {state} after {} s",
                            policy.deadline.as_secs()
                        ),
                        "it may still finish: run apply again later, it resumes and waits again",
                    ));
                }
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(policy.max);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const P: WaitPolicy = WaitPolicy {
        first: Duration::from_secs(1),
        max: Duration::from_secs(4),
        deadline: Duration::from_secs(30),
    };

    #[tokio::test(start_paused = true)]
    async fn backs_off_doubling_to_the_cap() {
        let polls = AtomicUsize::new(0);
        let start = tokio::time::Instant::now();
        let mut seen = vec![];
        let r = wait_for(
            Duration::from_secs(60),
            "ec2",
            "DescribeX",
            "thing",
            P,
            || {
                seen.push(start.elapsed().as_secs());
                let n = polls.fetch_add(1, Ordering::SeqCst);
                async move {
                    Ok(if n < 5 {
                        Poll::Pending("pending".into())
                    } else {
                        Poll::Ready(n)
                    })
                }
            },
        )
        .await;
        assert_eq!(r.unwrap(), 5);
        // at once, then +1, +2, +4, +4, +4
        assert_eq!(seen, vec![0, 1, 3, 7, 11, 15]);
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_at_the_deadline_with_the_state() {
        let start = tokio::time::Instant::now();
        let e = wait_for(
            Duration::from_secs(60),
            "ec2",
            "DescribeX",
            "VPC endpoint vpce-1",
            P,
            || async { Ok::<Poll<()>, AwsError>(Poll::Pending("pending".into())) },
        )
        .await
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Timeout);
        assert!(
            e.message.contains("vpce-1 is still pending after 30 s"),
            "{e}"
        );
        assert!(start.elapsed() <= Duration::from_secs(30));
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_state_ends_the_wait() {
        let e = wait_for(
            Duration::from_secs(60),
            "ec2",
            "DescribeX",
            "VPC endpoint vpce-1",
            P,
            || async { Ok::<Poll<()>, AwsError>(Poll::Failed("failed".into())) },
        )
        .await
        .unwrap_err();
        assert_eq!(e.code.as_deref(), Some("failed"));
    }
}
