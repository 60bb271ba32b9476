//! The AWS layer: the only module that touches SDK types. It turns options into clients
//! ([`connect`]) and clients into an [`Inventory`](eks_private_tui_core::inventory::Inventory)
//! ([`discover`]); errors come out as [`AwsError`].

/// Every page of a paginated call's listing, each checked by [`pages::Pages`]: a loop or a
/// listing without end is an error naming the call (issue 27, 3).
macro_rules! all_pages {
    ($svc:literal, $op:literal, $call:expr) => {{
        let mut stream = $call.into_paginator().send();
        let mut guard = $crate::pages::Pages::new($svc, $op);
        let mut pages = Vec::new();
        while let Some(page) = stream.next().await {
            let page = page.map_err(|e| $crate::error::from_sdk($svc, $op, e))?;
            guard.next(page.next_token.as_deref())?;
            pages.push(page);
        }
        pages
    }};
}

mod apply;
mod created;
mod discover;
mod ec2;
mod eks;
pub mod error;
pub mod http;
mod imds;
pub mod lock;
#[cfg(test)]
mod mocks;
mod optional;
mod pages;
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
    /// `region` came from AWS_REGION, not `--region`: messages name what the user set.
    pub region_from_env: bool,
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
    /// Route 53 (global) and Route 53 Profiles: optional reads for rule P11.
    route53: aws_sdk_route53::Client,
    profiles: aws_sdk_route53profiles::Client,
    sts: aws_sdk_sts::Client,
    /// The instance metadata (where this tool runs); None when it is turned off.
    imds: Option<aws_config::imds::Client>,
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
/// check it against the call table (`eks_private_tui_core::calls`).
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
        // As IAM names the service: "Route 53" is `route53`.
        s.insert(format!(
            "{}:{}",
            m.service().to_lowercase().replace(' ', ""),
            m.name()
        ));
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
    // The longest AWS has is 14 characters (ap-southeast-7, us-gov-west-1).
    r.len() <= 32
        && parts.len() >= 3
        && parts.len() <= 4
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[0].len() == 2
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// What is wrong with an endpoint URL, if anything: an http(s) scheme, a host, a port in
/// 1–65535 and no user:password (it would be shown in the header and logs).
fn check_endpoint_url(url: &str) -> Result<(), String> {
    let Some(rest) = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
    else {
        return Err("is not an http(s) URL".into());
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Err("carries a user name or password: the SDK signs calls itself".into());
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((h, tail)) => (h, tail.strip_prefix(':')),
            None => return Err("has an unclosed [IPv6 address".into()),
        },
        None => match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        },
    };
    if host.is_empty() {
        return Err("has no host".into());
    }
    if let Some(p) = port
        && !matches!(p.parse::<u32>(), Ok(1..=65535))
    {
        return Err(format!("has port {p:?}, not a port number (1-65535)"));
    }
    Ok(())
}

/// The largest AWS config or credentials file read: real ones are a few kilobytes.
const MAX_AWS_FILE_BYTES: u64 = 1 << 20;

/// The AWS config and credentials files the SDK is about to read (AWS_CONFIG_FILE and
/// AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and ~/.aws/credentials), checked first:
/// each must be a regular file (after links, as the SDK follows them) of a bounded size.
/// A FIFO would block the SDK for good, a device would feed it without end (issue 27, 6).
/// A missing file is fine: it holds no profile.
fn check_config_files(env: &dyn Fn(&str) -> Option<std::ffi::OsString>) -> Result<(), AwsError> {
    let home = env("HOME").map(std::path::PathBuf::from);
    for (var, default) in [
        ("AWS_CONFIG_FILE", "config"),
        ("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
    ] {
        let set = env(var).filter(|v| !v.is_empty());
        let Some(path) = set
            .clone()
            .map(std::path::PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".aws").join(default)))
        else {
            continue;
        };
        // /dev/null is the usual way to say "no such file": it reads as empty.
        if path == std::path::Path::new("/dev/null") {
            continue;
        }
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        let named = match set {
            Some(_) => format!("{var} ({})", path.display()),
            None => path.display().to_string(),
        };
        let why = if !meta.is_file() {
            Some("is not a regular file (a FIFO, a device or a directory)")
        } else if meta.len() > MAX_AWS_FILE_BYTES {
            Some("is larger than 1 MiB, which no AWS config file is")
        } else {
            None
        };
        if let Some(why) = why {
            return Err(AwsError::usage(
                format!("the AWS {default} file {named} {why}"),
                format!("point {var} at the file itself, or unset it"),
            ));
        }
    }
    Ok(())
}

/// A `--profile` the files do not hold, or one the environment's keys would override (the
/// SDK takes AWS_ACCESS_KEY_ID before any profile): refused, rather than calls made as
/// someone other than the profile.
fn check_profile(
    name: &str,
    env: &dyn Fn(&str) -> Option<std::ffi::OsString>,
) -> Result<(), AwsError> {
    if env("AWS_ACCESS_KEY_ID").is_some() {
        return Err(AwsError::usage(
            format!(
                "--profile {name} is given, but AWS_ACCESS_KEY_ID is set and would be used instead"
            ),
            "unset AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN to use the profile, or drop --profile",
        ));
    }
    let home = env("HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_default();
    let file = |var: &str, default: &str| {
        env(var)
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| home.join(".aws").join(default))
    };
    let (config, credentials) = (
        file("AWS_CONFIG_FILE", "config"),
        file("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
    );
    // Only regular files are read (a FIFO would block); a missing one holds no profile.
    let text = |p: &std::path::Path| {
        std::fs::metadata(p)
            .ok()
            .filter(|m| m.is_file() && m.len() <= eks_private_tui_core::files::MAX_SPEC_BYTES)
            .and_then(|_| std::fs::read_to_string(p).ok())
            .unwrap_or_default()
    };
    if profile_in(name, &text(&config), true) || profile_in(name, &text(&credentials), false) {
        return Ok(());
    }
    Err(AwsError::usage(
        format!(
            "profile {name:?} is in neither {} nor {}",
            config.display(),
            credentials.display()
        ),
        "check the name (aws configure list-profiles), or set AWS_CONFIG_FILE",
    ))
}

/// Whether an ini text has the profile's section: `[profile NAME]` in the config file
/// (`[NAME]` too, as the SDK accepts), `[NAME]` in the credentials file.
fn profile_in(name: &str, text: &str, config: bool) -> bool {
    text.lines().any(|l| {
        let Some(inner) = l.trim().strip_prefix('[').and_then(|l| l.strip_suffix(']')) else {
            return false;
        };
        let inner = inner.trim();
        inner == name
            || (config
                && inner
                    .strip_prefix("profile")
                    .is_some_and(|r| r.starts_with(char::is_whitespace) && r.trim() == name))
    })
}

/// Build clients from the standard chain plus our options, and make sure credentials can be
/// had (fast, with a clear message) before any call is made.
pub async fn connect(opts: &AwsOptions) -> Result<Aws, AwsError> {
    if let Some(url) = &opts.endpoint_url
        && let Err(why) = check_endpoint_url(url)
    {
        return Err(AwsError::usage(
            format!("--endpoint-url {url:?} {why}"),
            "pass a URL such as https://ec2.eu-west-1.amazonaws.com or http://127.0.0.1:5000",
        ));
    }
    check_config_files(&|k| std::env::var_os(k))?;
    if let Some(p) = &opts.profile {
        check_profile(p, &|k| std::env::var_os(k))?;
    }
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let http = http::guarded(http);
    let metadata = imds::client(http.clone());
    let connect = opts.connect_timeout.unwrap_or(Duration::from_secs(3));
    let read = opts.read_timeout.unwrap_or(http::DEFAULT_READ_TIMEOUT);
    // The whole answer must come within `read` (see `http`); the operation timeout is
    // only a backstop behind the SDK's 3 attempts, so that those errors name the host.
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(connect)
        .read_timeout(read)
        .operation_timeout(3 * (connect + read) + Duration::from_secs(10))
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
        let from = match &opts.region {
            Some(_) if opts.region_from_env => "AWS_REGION",
            Some(_) => "--region",
            None => "the profile's region",
        };
        return Err(AwsError::usage(
            format!(
                "{from} {} is not a region name",
                eks_private_tui_core::report::trunc(&format!("{region:?}"), 80)
            ),
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
    let route53 = aws_sdk_route53::Client::from_conf(
        aws_sdk_route53::config::Builder::from(&config)
            .interceptor(calls.clone())
            .build(),
    );
    let profiles = aws_sdk_route53profiles::Client::from_conf(
        aws_sdk_route53profiles::config::Builder::from(&config)
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
        route53,
        profiles,
        sts,
        imds: metadata,
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
    /// Where this tool runs (the instance metadata), or None when metadata is off.
    pub async fn operator(&self) -> Option<eks_private_tui_core::inventory::Operator> {
        Some(imds::operator(self.imds.as_ref()?).await)
    }

    pub async fn caller_identity(&self) -> Result<(String, String), AwsError> {
        let out = self
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| crate::error::from_sdk("sts", "GetCallerIdentity", e))?;
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
    fn endpoint_urls() {
        for ok in [
            "http://127.0.0.1:5000",
            "https://ec2.eu-west-1.amazonaws.com",
            "https://ec2.eu-west-1.amazonaws.com/",
            "http://[::1]:8080/path",
            "http://localhost:65535",
        ] {
            assert_eq!(check_endpoint_url(ok), Ok(()), "{ok}");
        }
        for (bad, why) in [
            ("127.0.0.1:5000", "not an http(s) URL"),
            ("ftp://x", "not an http(s) URL"),
            ("http://127.0.0.1:99999", "port \"99999\""),
            ("http://127.0.0.1:0", "port \"0\""),
            ("http://127.0.0.1:", "port \"\""),
            ("http://host:80x", "port \"80x\""),
            ("http://", "no host"),
            ("http://:5000", "no host"),
            ("http://[::1:5000", "unclosed"),
            ("https://AKIA:secret@host", "password"),
        ] {
            let e = check_endpoint_url(bad).expect_err(bad);
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn profiles_must_exist_and_not_be_shadowed_by_env_keys() {
        let dir = std::env::temp_dir().join(format!("ept-profiles-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config");
        std::fs::write(
            &config,
            "[default]\nregion=eu-west-1\n[profile  prod ]\nregion=x\n[profileless]\n",
        )
        .unwrap();
        let creds = dir.join("credentials");
        std::fs::write(&creds, "[ci]\naws_access_key_id=x\n").unwrap();
        let env = |keys: bool| {
            let (config, creds) = (config.clone(), creds.clone());
            move |k: &str| match k {
                "AWS_CONFIG_FILE" => Some(config.clone().into_os_string()),
                "AWS_SHARED_CREDENTIALS_FILE" => Some(creds.clone().into_os_string()),
                "AWS_ACCESS_KEY_ID" if keys => Some("AKIAX".into()),
                _ => None,
            }
        };
        for ok in ["default", "prod", "ci", "profileless"] {
            assert!(check_profile(ok, &env(false)).is_ok(), "{ok}");
        }
        for bad in ["nosuch", "less", "profile"] {
            let e = check_profile(bad, &env(false)).expect_err(bad).to_string();
            assert!(
                e.contains("is in neither") && e.contains("config"),
                "{bad}: {e}"
            );
        }
        let e = check_profile("prod", &env(true)).unwrap_err().to_string();
        assert!(e.contains("AWS_ACCESS_KEY_ID is set"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

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
