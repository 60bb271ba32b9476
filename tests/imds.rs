//! The lock-out guard (E4) against a fake EC2 instance metadata service on loopback
//! (IMDSv2: a token first, then the identity document and the primary interface's VPC),
//! through the SDK's endpoint override (AWS_EC2_METADATA_SERVICE_ENDPOINT): the tool
//! running inside the cluster VPC, in a peered VPC, in another VPC, and not on EC2. (This
//! binary has its own moto server, so its region collides with no other test.)

mod common;

use common::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

/// A metadata service for one instance in `vpc`, answering IMDSv2 only (a GET without
/// the token is refused with 401, as EC2 does when IMDSv1 is off).
struct FakeImds {
    url: String,
}

fn fake_imds(vpc: &str, ip: &str) -> FakeImds {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (vpc, ip) = (vpc.to_string(), ip.to_string());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let mut token = false;
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                    break;
                }
                let lower = h.to_ascii_lowercase();
                token |= lower.starts_with("x-aws-ec2-metadata-token:") && h.contains("tok-1");
            }
            let mut parts = line.split_whitespace();
            let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let mac = "0e:11:22:33:44:55";
            let (status, body) = match (method, path) {
                ("PUT", "/latest/api/token") => ("200 OK", "tok-1".to_string()),
                (_, _) if !token => ("401 Unauthorized", String::new()),
                ("GET", "/latest/dynamic/instance-identity/document") => (
                    "200 OK",
                    format!(
                        r#"{{"accountId":"123456789012","region":"eu-west-1","instanceId":"i-0fake","privateIp":"{ip}","availabilityZone":"eu-west-1a"}}"#
                    ),
                ),
                ("GET", "/latest/meta-data/mac") => ("200 OK", mac.to_string()),
                ("GET", p)
                    if p == format!("/latest/meta-data/network/interfaces/macs/{mac}/vpc-id") =>
                {
                    ("200 OK", vpc.clone())
                }
                _ => ("404 Not Found", String::new()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-length: {}\r\nx-aws-ec2-metadata-token-ttl-seconds: 21600\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    FakeImds { url }
}

const REGION: &str = "eu-west-1";

fn seeded() -> (&'static Moto, Value) {
    use std::sync::OnceLock;
    static SEED: OnceLock<Value> = OnceLock::new();
    let m = moto();
    let seed = SEED.get_or_init(|| m.seed("demo", REGION, &[])).clone();
    (m, seed)
}

/// `check` of a private-only spec for cluster prod, the metadata at `imds`.
fn check_from(imds: &str) -> (Value, Vec<(String, String)>) {
    let (m, seed) = seeded();
    let subnets = &seed["subnets"];
    let spec = temp_file("ept-spec-imds", "yaml");
    write(
        &spec,
        &format!(
            "apiVersion: eks-private-tui/v1alpha1\nkind: PrivateNetwork\nmetadata:\n  name: prod-private\nregion: {REGION}\nvpcId: {}\nclusterName: prod\nnodeSubnets:\n  {REGION}a: {}\n  {REGION}b: {}\nclusterEndpoint:\n  privateAccess: true\n  publicAccess: false\n  allowHttpsFromCidrs: [10.99.0.0/16]\n",
            seed["vpc"].as_str().unwrap(),
            subnets["prod-private-a"].as_str().unwrap(),
            subnets["prod-private-b"].as_str().unwrap(),
        ),
    );
    let run = |cmd: &[&str]| {
        let out = bin(Some(&m.url))
            .env_remove("AWS_EC2_METADATA_DISABLED")
            .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds)
            .args(cmd)
            .args(["--region", REGION, "-o", "json"])
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{cmd:?}: {}",
            stderr(&out)
        );
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let inv = run(&["inventory"]);
    let check = run(&["check", "--spec", spec.to_str().unwrap()]);
    let e4 = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "E4" || f["id"] == "E3")
        .map(|f| {
            (
                f["severity"].as_str().unwrap().to_string(),
                format!(
                    "{}: {}",
                    f["id"].as_str().unwrap(),
                    f["message"].as_str().unwrap()
                ),
            )
        })
        .collect();
    (inv["operator"].clone(), e4)
}

fn e4_severity(found: &[(String, String)]) -> String {
    found
        .iter()
        .find(|(_, m)| m.starts_with("E4"))
        .map(|(s, _)| s.clone())
        .unwrap_or_else(|| panic!("no E4: {found:?}"))
}

#[test]
fn inside_the_cluster_vpc_the_path_stays() {
    let (_, seed) = seeded();
    let imds = fake_imds(seed["vpc"].as_str().unwrap(), "10.0.1.20");
    let (op, found) = check_from(&imds.url);
    assert_eq!(op["instance"]["instanceId"], "i-0fake", "{op}");
    assert_eq!(op["instance"]["vpcId"], seed["vpc"], "{op}");
    assert_eq!(e4_severity(&found), "info", "{found:?}");
    // The bastion's own address is not let in on tcp/443 (only 10.99.0.0/16 is).
    assert!(
        found
            .iter()
            .any(|(s, m)| s == "warn" && m.contains("10.0.1.20")),
        "{found:?}"
    );
}

#[test]
fn in_a_peered_vpc_the_path_stays() {
    let (_, seed) = seeded();
    let imds = fake_imds(seed["clientVpc"].as_str().unwrap(), "10.99.1.20");
    let (_, found) = check_from(&imds.url);
    assert_eq!(e4_severity(&found), "info", "{found:?}");
    let peering = seed["peering"].as_str().unwrap();
    assert!(found.iter().any(|(_, m)| m.contains(peering)), "{found:?}");
    // Its address is inside 10.99.0.0/16, which the spec lets in on tcp/443.
    assert!(
        !found.iter().any(|(_, m)| m.contains("does not let in")),
        "{found:?}"
    );
}

#[test]
fn outside_the_vpc_is_a_lock_out() {
    let imds = fake_imds("vpc-0123456789abcdef0", "172.31.5.6");
    let (op, found) = check_from(&imds.url);
    assert_eq!(op["instance"]["vpcId"], "vpc-0123456789abcdef0", "{op}");
    assert_eq!(e4_severity(&found), "error", "{found:?}");
    assert!(
        found.iter().any(|(_, m)| m.contains("would be cut off")),
        "{found:?}"
    );
}

#[test]
fn not_on_ec2_without_an_on_prem_path_is_a_lock_out() {
    let (op, found) = check_from(&closed_port_url());
    assert!(op["instance"].is_null(), "{op}");
    assert!(
        op["note"].as_str().unwrap().contains("instance metadata"),
        "{op}"
    );
    assert_eq!(e4_severity(&found), "error", "{found:?}");
    assert!(
        found.iter().any(|(_, m)| m.contains("does not run on EC2")),
        "{found:?}"
    );
}
