//! The AWS layer: the only module that touches SDK types. It turns options into clients
//! ([`connect`]) and clients into an [`Inventory`](crate::inventory::Inventory)
//! ([`discover`]); errors come out as [`AwsError`].

mod apply;
mod created;
mod discover;
mod ec2;
mod eks;
pub mod error;
pub mod lock;
mod resolver;
pub mod wait;

pub use discover::{DiscoverOptions, Focus, discover, discover_with};
pub use error::{AwsError, ErrorKind};

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_credential_types::provider::{ProvideCredentials, error::CredentialsError};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// How to reach AWS. Unset fields fall back to the standard chain (env, profile, SSO,
/// IMDS on a bastion).
#[derive(Debug, Clone, Default)]
pub struct AwsOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    /// `--endpoint-url`; AWS_ENDPOINT_URL is honoured by the SDK itself.
    pub endpoint_url: Option<String>,
    pub connect_timeout: Option<Duration>,
    pub read_timeout: Option<Duration>,
    /// Test hook (hidden `--abort-after-mutations`): end the process, as kill -9 would,
    /// right after this many mutating calls have taken effect.
    pub abort_after_mutations: Option<u64>,
    /// How long calls AWS throttles (or fails with 5xx) keep being retried (`--retry-for`;
    /// default [`THROTTLE_PATIENCE`]).
    pub retry_for: Option<Duration>,
}

/// Connected clients for one region.
#[derive(Clone, Debug)]
pub struct Aws {
    pub region: String,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    ec2: aws_sdk_ec2::Client,
    /// The lock's calls: counted apart, so that the figures and the abort hook count only
    /// the plan's calls.
    lock_ec2: aws_sdk_ec2::Client,
    lock_calls: CallCounter,
    eks: aws_sdk_eks::Client,
    resolver: aws_sdk_route53resolver::Client,
    sts: aws_sdk_sts::Client,
    calls: CallCounter,
    /// See [`AwsOptions::retry_for`].
    patience: Duration,
}

/// Counts HTTP attempts (retries included) across all clients, and mutating operations.
#[derive(Debug, Clone, Default)]
struct CallCounter(Arc<Counters>);

#[derive(Debug, Default)]
struct Counters {
    attempts: AtomicU64,
    mutating: AtomicU64,
    mutated: AtomicU64,
    abort_after: Option<u64>,
}

/// Everything but Describe*/List*/Get* changes something.
pub fn is_mutating(operation: &str) -> bool {
    !["Describe", "List", "Get"]
        .iter()
        .any(|p| operation.starts_with(p))
}

/// Every call made in this process, as IAM names it (`ec2:DescribeVpcs`): the moto tests
/// check it against the call table (`crate::calls`).
static CALLS_MADE: std::sync::Mutex<std::collections::BTreeSet<String>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

/// The calls this process made so far, sorted.
pub fn calls_made() -> Vec<String> {
    CALLS_MADE
        .lock()
        .map(|s| s.iter().cloned().collect())
        .unwrap_or_default()
}

fn record_call(cfg: &ConfigBag) {
    if let Some(m) = cfg.load::<aws_smithy_runtime_api::client::orchestrator::Metadata>()
        && let Ok(mut s) = CALLS_MADE.lock()
    {
        s.insert(format!("{}:{}", m.service().to_lowercase(), m.name()));
    }
}

fn operation_name(cfg: &ConfigBag) -> String {
    cfg.load::<aws_smithy_runtime_api::client::orchestrator::Metadata>()
        .map(|m| m.name().to_string())
        .unwrap_or_default()
}

impl Intercept for CallCounter {
    fn name(&self) -> &'static str {
        "CallCounter"
    }
    fn read_before_serialization(
        &self,
        _ctx: &aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        record_call(cfg);
        if is_mutating(&operation_name(cfg)) {
            self.0.mutating.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }
    fn read_before_transmit(
        &self,
        _ctx: &BeforeTransmitInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.attempts.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(operation = %operation_name(cfg), "sending");
        Ok(())
    }
    fn read_after_execution(
        &self,
        ctx: &aws_smithy_runtime_api::client::interceptors::context::FinalizerInterceptorContextRef<
            '_,
        >,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let ok = matches!(ctx.output_or_error(), Some(Ok(_)));
        tracing::debug!(operation = %operation_name(cfg), ok, "answered");
        if ok && is_mutating(&operation_name(cfg)) {
            let n = self.0.mutated.fetch_add(1, Ordering::SeqCst) + 1;
            if self.0.abort_after == Some(n) {
                // The call took effect and its answer is here; nothing after it runs.
                eprintln!("aborting after {n} mutating calls (--abort-after-mutations)");
                std::process::exit(137);
            }
        }
        Ok(())
    }
}

/// How long a fan-out call keeps retrying while AWS throttles it.
pub const THROTTLE_PATIENCE: Duration = Duration::from_secs(90);

/// Run `call`, and while AWS answers with throttling, wait and run it again until
/// `patience` is spent. For the fan-outs that grow with the account (2 DescribeVpcAttribute
/// per VPC, DescribeCluster per cluster): EC2 throttles each API on its own token bucket
/// (100 requests, refilled at 20/s for non-mutating calls), so hundreds of VPCs exceed it
/// whatever the concurrency, and the SDK's 3 attempts would give up. With this the read
/// settles at the refill rate instead; unthrottled, it costs nothing.
pub async fn patiently<T, F, Fut>(call: F, patience: Duration) -> Result<T, AwsError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, AwsError>>,
{
    retrying(call, patience, |e, waited| match e.kind {
        ErrorKind::Throttled => true,
        // 5xx: AWS failed this one on its side. Retried for a shorter while: a server
        // that always fails should not keep the operator waiting. Safe for creations too,
        // because every mutating call carries an idempotency token or is read first.
        ErrorKind::Unavailable => waited < UNAVAILABLE_PATIENCE.min(patience),
        _ => false,
    })
    .await
}

/// How long 5xx answers are retried.
pub const UNAVAILABLE_PATIENCE: Duration = Duration::from_secs(30);

async fn retrying<T, F, Fut>(
    mut call: F,
    patience: Duration,
    retry: impl Fn(&AwsError, Duration) -> bool,
) -> Result<T, AwsError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, AwsError>>,
{
    let start = tokio::time::Instant::now();
    let mut delay = Duration::from_millis(250);
    loop {
        match call().await {
            Err(e) if retry(&e, start.elapsed()) && start.elapsed() + delay < patience => {
                // Jitter (50–100 %) so throttled callers do not come back in step.
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.subsec_nanos())
                    .unwrap_or(0);
                let factor = 0.5 + f64::from(nanos % 1000) / 2000.0;
                tokio::time::sleep(delay.mul_f64(factor)).await;
                delay = (delay * 2).min(Duration::from_secs(4));
            }
            other => return other,
        }
    }
}

/// A region name as AWS spells them (`eu-west-1`, `us-gov-west-1`, `cn-north-1`).
pub fn valid_region_name(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts.len() <= 4
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[0].len() == 2
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// Build clients from the standard chain plus our options, and make sure credentials can be
/// had (fast, with a clear message) before any call is made.
pub async fn connect(opts: &AwsOptions) -> Result<Aws, AwsError> {
    if let Some(url) = &opts.endpoint_url
        && !(url.starts_with("http://") || url.starts_with("https://"))
    {
        return Err(AwsError::usage(
            format!("--endpoint-url {url:?} is not an http(s) URL"),
            "pass a URL such as https://ec2.eu-west-1.amazonaws.com or http://127.0.0.1:5000",
        ));
    }
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(opts.connect_timeout.unwrap_or(Duration::from_secs(3)))
        .read_timeout(opts.read_timeout.unwrap_or(Duration::from_secs(20)))
        .operation_timeout(Duration::from_secs(60))
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .timeout_config(timeouts)
        .retry_config(RetryConfig::standard().with_max_attempts(3));
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = &opts.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(u) = &opts.endpoint_url {
        loader = loader.endpoint_url(u);
    }
    let config = loader.load().await;
    let region = match config.region() {
        Some(r) => r.to_string(),
        None => {
            return Err(AwsError::usage(
                "no AWS region configured",
                "pass --region (e.g. --region eu-west-1) or set AWS_REGION",
            ));
        }
    };
    if !valid_region_name(&region) {
        return Err(AwsError::usage(
            format!("{region:?} is not a region name"),
            "pass a region such as eu-west-1 or us-east-1 (--region or AWS_REGION)",
        ));
    }
    check_credentials(&config).await?;

    let calls = CallCounter(Arc::new(Counters {
        abort_after: opts.abort_after_mutations,
        ..Default::default()
    }));
    let ec2 = aws_sdk_ec2::Client::from_conf(
        aws_sdk_ec2::config::Builder::from(&config)
            .interceptor(calls.clone())
            .build(),
    );
    let lock_calls = CallCounter::default();
    let lock_ec2 = aws_sdk_ec2::Client::from_conf(
        aws_sdk_ec2::config::Builder::from(&config)
            .interceptor(lock_calls.clone())
            .build(),
    );
    let eks = aws_sdk_eks::Client::from_conf(
        aws_sdk_eks::config::Builder::from(&config)
            .interceptor(calls.clone())
            .build(),
    );
    let resolver = aws_sdk_route53resolver::Client::from_conf(
        aws_sdk_route53resolver::config::Builder::from(&config)
            .interceptor(calls.clone())
            .build(),
    );
    let sts = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(&config)
            .interceptor(calls.clone())
            .build(),
    );
    Ok(Aws {
        region,
        profile: opts
            .profile
            .clone()
            .or_else(|| std::env::var("AWS_PROFILE").ok()),
        endpoint_url: opts
            .endpoint_url
            .clone()
            .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok()),
        ec2,
        lock_ec2,
        lock_calls,
        eks,
        resolver,
        sts,
        calls,
        patience: opts.retry_for.unwrap_or(THROTTLE_PATIENCE),
    })
}

async fn check_credentials(config: &aws_config::SdkConfig) -> Result<(), AwsError> {
    let Some(provider) = config.credentials_provider() else {
        return Err(AwsError::new(
            ErrorKind::NoCredentials,
            "sts",
            "credentials",
            "no AWS credentials provider configured",
            error::NO_CREDENTIALS_HINT,
        ));
    };
    let res = tokio::time::timeout(Duration::from_secs(15), provider.provide_credentials()).await;
    match res {
        Err(_) => Err(AwsError::new(
            ErrorKind::Timeout,
            "sts",
            "credentials",
            "loading AWS credentials took more than 15 s",
            "on a laptop set AWS_EC2_METADATA_DISABLED=true; on a bastion check the instance profile and IMDS",
        )),
        Ok(Ok(creds)) => {
            if let Some(exp) = creds.expiry()
                && exp <= std::time::SystemTime::now()
            {
                return Err(AwsError::new(
                    ErrorKind::ExpiredCredentials,
                    "sts",
                    "credentials",
                    "the AWS credentials have expired",
                    "run `aws sso login` (or refresh the session behind AWS_PROFILE) and try again",
                ));
            }
            Ok(())
        }
        Ok(Err(e)) => {
            let detail = error::source_chain(&e);
            let (kind, message) = match &e {
                CredentialsError::CredentialsNotLoaded(_) => (
                    ErrorKind::NoCredentials,
                    "no AWS credentials found".to_string(),
                ),
                CredentialsError::ProviderTimedOut(_) => (
                    ErrorKind::Timeout,
                    "the credentials provider timed out".to_string(),
                ),
                _ if detail.to_lowercase().contains("expired") => (
                    ErrorKind::ExpiredCredentials,
                    format!("the AWS credentials have expired: {detail}"),
                ),
                _ => (
                    ErrorKind::NoCredentials,
                    format!("could not load AWS credentials: {detail}"),
                ),
            };
            let hint = if kind == ErrorKind::ExpiredCredentials {
                "run `aws sso login` (or refresh the session behind AWS_PROFILE) and try again"
            } else {
                error::NO_CREDENTIALS_HINT
            };
            Err(AwsError::new(kind, "sts", "credentials", message, hint))
        }
    }
}

impl Aws {
    /// HTTP attempts made so far through these clients (retries included).
    pub fn calls(&self) -> u64 {
        self.calls.0.attempts.load(Ordering::Relaxed)
    }

    /// Mutating operations issued so far (each counted once, whatever its retries).
    pub fn mutating_calls(&self) -> u64 {
        self.calls.0.mutating.load(Ordering::Relaxed)
    }

    /// Calls made for the state lock (HTTP attempts), apart from the counts above.
    pub fn lock_calls(&self) -> u64 {
        self.lock_calls.0.attempts.load(Ordering::Relaxed)
    }

    /// Account and caller ARN.
    pub async fn caller_identity(&self) -> Result<(String, String), AwsError> {
        let out = self
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("sts", "GetCallerIdentity", e))?;
        Ok((
            out.account().unwrap_or_default().to_string(),
            out.arn().unwrap_or_default().to_string(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names() {
        for ok in ["eu-west-1", "us-gov-west-1", "cn-north-1", "ap-southeast-7"] {
            assert!(valid_region_name(ok), "{ok}");
        }
        for bad in [
            "",
            "eu",
            "euwest1",
            "EU-west-1",
            "eu-west-",
            "eu-west-x",
            "e-west-1",
        ] {
            assert!(!valid_region_name(bad), "{bad}");
        }
    }
}
