//! Bad input: each case exits 2 within seconds with one line naming the cause and the fix,
//! prints nothing on stdout, and changes nothing (only reads are made).
//! AccessDenied and rejected keys come from moto's own IAM enforcement
//! (INITIAL_NO_AUTH_ACTION_COUNT), expired credentials from a real credential_process.

mod common;

use common::*;
use std::process::Command;
use std::time::{Duration, Instant};

/// Not a performance figure: a guard against minutes of retries ("within seconds").
const PATIENCE: Duration = Duration::from_secs(20);

fn fails(mut cmd: Command, expect: &[&str]) -> String {
    let start = Instant::now();
    let out = cmd.output().unwrap();
    let took = start.elapsed();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "exit code; stderr: {err}");
    assert!(stdout(&out).is_empty(), "stdout: {}", stdout(&out));
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("error: "), "{err}");
    for e in expect {
        assert!(err.contains(e), "expected {e:?} in: {err}");
    }
    assert!(took < PATIENCE, "took {took:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn unknown_region() {
    let m = moto();
    let mut cmd = bin(Some(&m.url));
    cmd.args(["inventory", "--region", "eu-foo-1"]);
    fails(cmd, &["unknown region \"eu-foo-1\"", "eu-west-1"]);
}

#[test]
fn malformed_region_and_missing_region() {
    let mut cmd = bin(Some("http://127.0.0.1:9"));
    cmd.args(["inventory", "--region", "eu_west_1"]);
    fails(cmd, &["not a region name", "--region"]);
    let mut cmd = bin(Some("http://127.0.0.1:9"));
    cmd.args(["inventory"]);
    fails(cmd, &["no AWS region", "AWS_REGION"]);
}

#[test]
fn unreachable_endpoint() {
    let url = closed_port_url();
    let mut cmd = bin(Some(&url));
    cmd.args(["inventory", "--region", "eu-west-1"]);
    fails(
        cmd,
        &["cannot reach", "Connection refused", "--endpoint-url"],
    );
    let mut cmd = bin(Some("ftp://example"));
    cmd.args(["inventory", "--region", "eu-west-1"]);
    fails(cmd, &["not an http(s) URL"]);
}

#[test]
fn no_credentials() {
    let m = moto();
    let mut cmd = bin(Some(&m.url));
    cmd.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args(["inventory", "--region", "eu-west-1"]);
    fails(cmd, &["no AWS credentials", "aws sso login"]);
}

#[test]
fn expired_credentials() {
    let m = moto();
    let dir = std::env::temp_dir().join(format!("ept-expired-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("creds.sh");
    write(
        &script,
        "#!/bin/sh\necho '{\"Version\":1,\"AccessKeyId\":\"AKIAEXPIRED\",\"SecretAccessKey\":\"x\",\"SessionToken\":\"t\",\"Expiration\":\"2020-01-01T00:00:00Z\"}'\n",
    );
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let config = dir.join("config");
    write(
        &config,
        &format!(
            "[profile old]\ncredential_process = {}\nregion = eu-west-1\n",
            script.display()
        ),
    );
    let mut cmd = bin(Some(&m.url));
    cmd.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_CONFIG_FILE", &config)
        .args(["inventory", "--profile", "old"]);
    fails(cmd, &["expired", "aws sso login"]);
}

/// moto with IAM enforcement: a user without policies is denied; an unknown key rejected.
#[test]
fn access_denied_and_rejected_keys() {
    let m = Moto::start_with("auth", &[("INITIAL_NO_AUTH_ACTION_COUNT", "2")]);
    let keys = m.python(
        r#"
import boto3, sys
iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
iam.create_user(UserName="no-policy")
k = iam.create_access_key(UserName="no-policy")["AccessKey"]
print(k["AccessKeyId"], k["SecretAccessKey"])
"#,
    );
    let mut it = keys.split_whitespace();
    let (id, secret) = (it.next().unwrap(), it.next().unwrap());
    let mut cmd = bin(Some(&m.url));
    cmd.env("AWS_ACCESS_KEY_ID", id)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .args(["inventory", "--region", "eu-west-1"]);
    fails(
        cmd,
        &["AccessDenied", "attach a policy", "docs/permissions.md"],
    );

    let mut cmd = bin(Some(&m.url));
    cmd.env("AWS_ACCESS_KEY_ID", "AKIAUNKNOWN000000000").args([
        "inventory",
        "--region",
        "eu-west-1",
    ]);
    fails(cmd, &["rejected the credentials", "AWS_PROFILE"]);
}

#[test]
fn vpc_that_does_not_exist() {
    let m = moto();
    let mut cmd = bin(Some(&m.url));
    cmd.args([
        "inventory",
        "--region",
        "sa-east-1",
        "--vpc",
        "vpc-0123456789abcdef0",
    ]);
    fails(
        cmd,
        &[
            "VPC vpc-0123456789abcdef0 does not exist in sa-east-1",
            "InvalidVpcID.NotFound",
        ],
    );
    let mut cmd = bin(Some(&m.url));
    cmd.args(["inventory", "--region", "sa-east-1", "--vpc", "subnet-1234"]);
    fails(cmd, &["is not a VPC ID", "vpc-0123456789abcdef0"]);
}

#[test]
fn unwritable_log_file() {
    let mut cmd = bin(None);
    cmd.args(["inventory", "--log-file", "/nonexistent-dir/x.log"]);
    fails(cmd, &["cannot open the log file", "--log-file"]);
}

#[test]
fn a_bad_key_file_stops_the_wizard_before_it_starts() {
    let dir = unique_temp("ept-keys");
    let conf = dir.join("eks-private-tui");
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(conf.join("keybindings.toml"), "[global]\nquit = [\"x\"]\n").unwrap();
    let mut cmd = bin(Some(&closed_port_url()));
    cmd.env("XDG_CONFIG_HOME", &dir)
        .args(["--region", "eu-west-1"]);
    // x toggles a subnet: as quit it would mean two things on that screen.
    let err = fails(
        cmd,
        &["keybindings.toml", "x is bound to both", "docs/keys.md"],
    );
    assert!(err.contains("[subnets] toggle"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
