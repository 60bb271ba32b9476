//! Where this tool runs (the lock-out guard, rule E4): the EC2 instance metadata service,
//! IMDSv2 only (a session token first, as the SDK's client does), read once per
//! inventory. Off when AWS_EC2_METADATA_DISABLED is true, as for the SDK's own use of it;
//! AWS_EC2_METADATA_SERVICE_ENDPOINT points it elsewhere (the tests' fake server on
//! loopback).
//!
//! Not on EC2, the metadata address does not answer: the read gives up after
//! [`PATIENCE`] (one attempt, no retries) and says so; nothing else waits for it, as it
//! runs beside discovery.

use aws_config::imds::client::Client;
use aws_config::imds::client::error::ImdsError;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use eks_private_tui_core::inventory::{Operator, OperatorInstance};
use std::time::Duration;

/// How long the metadata may take, in all.
pub const PATIENCE: Duration = Duration::from_secs(3);

/// Whether the environment turns instance metadata off (as the SDK reads it).
pub fn disabled(env: &dyn Fn(&str) -> Option<String>) -> bool {
    env("AWS_EC2_METADATA_DISABLED").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// The metadata client over the tool's HTTP client; `None` when metadata is off.
pub fn client(http: SharedHttpClient) -> Option<Client> {
    if disabled(&|k| std::env::var(k).ok()) {
        return None;
    }
    let config =
        aws_config::provider_config::ProviderConfig::without_region().with_http_client(http);
    Some(
        Client::builder()
            .configure(&config)
            .max_attempts(1)
            .connect_timeout(Duration::from_secs(1))
            .read_timeout(Duration::from_secs(2))
            .operation_timeout(PATIENCE)
            .build(),
    )
}

/// Where this tool runs, as far as the metadata says.
pub async fn operator(client: &Client) -> Operator {
    match tokio::time::timeout(PATIENCE, instance(client)).await {
        Ok(Ok(i)) => Operator {
            instance: Some(i),
            note: String::new(),
        },
        Ok(Err(why)) => Operator {
            instance: None,
            note: why,
        },
        Err(_) => Operator {
            instance: None,
            note: format!(
                "the instance metadata service did not answer within {} s: not on EC2, or IMDS is off for this instance",
                PATIENCE.as_secs()
            ),
        },
    }
}

fn status(e: &ImdsError) -> Option<u16> {
    match e {
        ImdsError::ErrorResponse(r) => Some(r.response().status().as_u16()),
        _ => None,
    }
}

fn why(e: &ImdsError) -> String {
    match e {
        ImdsError::FailedToLoadToken(_) => "the instance metadata service gave no IMDSv2 token: not on EC2, or IMDS is off (or its hop limit too low) for this instance".into(),
        ImdsError::IoError(_) => "the instance metadata service does not answer: not on EC2, or IMDS is off for this instance".into(),
        ImdsError::ErrorResponse(r) => format!(
            "the instance metadata service answered HTTP {}",
            r.response().status().as_u16()
        ),
        _ => format!("the instance metadata could not be read: {}", super::error::source_chain(e)),
    }
}

/// One metadata value, trimmed; `Ok(None)` for a 404 (an instance without it).
async fn get(client: &Client, path: &str) -> Result<Option<String>, String> {
    match client.get(path.to_string()).await {
        Ok(v) => Ok(Some(v.as_ref().trim().to_string())),
        Err(e) if status(&e) == Some(404) => Ok(None),
        Err(e) => Err(why(&e)),
    }
}

async fn need(client: &Client, path: &str) -> Result<String, String> {
    get(client, path)
        .await?
        .filter(|v| !v.is_empty())
        .ok_or_else(|| format!("the instance metadata has no {path}"))
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Identity {
    account_id: String,
    region: String,
    instance_id: String,
    #[serde(default)]
    private_ip: String,
}

async fn instance(client: &Client) -> Result<OperatorInstance, String> {
    let doc = need(client, "/latest/dynamic/instance-identity/document").await?;
    let id: Identity = serde_json::from_str(&doc)
        .map_err(|e| format!("the instance identity document is not what EC2 gives: {e}"))?;
    let mac = need(client, "/latest/meta-data/mac").await?;
    if !mac.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
        return Err("the instance metadata gave a MAC address that is not one".into());
    }
    let base = format!("/latest/meta-data/network/interfaces/macs/{mac}");
    let (vpc_path, cidrs_path) = (
        format!("{base}/vpc-id"),
        format!("{base}/vpc-ipv4-cidr-blocks"),
    );
    let (vpc, cidrs, public) = tokio::join!(
        need(client, &vpc_path),
        get(client, &cidrs_path),
        get(client, "/latest/meta-data/public-ipv4"),
    );
    let vpc_id = vpc?;
    if !super::discover::valid_vpc_id(&vpc_id) {
        return Err("the instance metadata gave a VPC ID that is not one".into());
    }
    Ok(OperatorInstance {
        instance_id: id.instance_id,
        account: id.account_id,
        region: id.region,
        vpc_id,
        private_ip: id.private_ip,
        public_ip: public.ok().flatten().filter(|p| !p.is_empty()),
        vpc_cidrs: cidrs
            .ok()
            .flatten()
            .map(|c| {
                c.lines()
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
    })
}
