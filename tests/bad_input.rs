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

/// Options wrong on their face are refused before any call, naming what the user set.
#[test]
fn bad_options_are_named_as_given() {
    let mut cmd = bin(Some("http://127.0.0.1:99999"));
    cmd.args(["inventory", "--region", "eu-west-1"]);
    fails(cmd, &["port \"99999\"", "1-65535"]);
    let mut cmd = bin(None);
    cmd.args(["inventory", "--region", "eu-west-1", "--profile", "nosuch"]);
    fails(
        cmd,
        &["--profile nosuch", "AWS_ACCESS_KEY_ID is set", "unset"],
    );
    let mut cmd = bin(None);
    cmd.env_remove("AWS_ACCESS_KEY_ID").args([
        "inventory",
        "--region",
        "eu-west-1",
        "--profile",
        "nosuch",
    ]);
    fails(cmd, &["profile \"nosuch\" is in neither", "list-profiles"]);
    let mut cmd = bin(None);
    cmd.env("AWS_REGION", "xx").args(["inventory"]);
    fails(cmd, &["AWS_REGION \"xx\" is not a region name"]);
    let mut cmd = bin(None);
    cmd.args(["inventory", "--region=xx"]);
    fails(cmd, &["--region \"xx\" is not a region name"]);
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
    let host = url.trim_start_matches("http://");
    fails(
        cmd,
        &[
            &format!("cannot reach sts at {host}"),
            "Connection refused",
            "--endpoint-url",
        ],
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
    let dir = temp_dir("ept-expired");
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
    let dir = temp_dir("ept-keys");
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
}

/// A spec file in its own directory, removed with it.
struct SpecDir(std::path::PathBuf);

impl SpecDir {
    fn new() -> Self {
        let d = unique_temp("ept-bad-spec");
        std::fs::create_dir_all(&d).unwrap();
        SpecDir(d)
    }
    fn file(&self, name: &str, text: &str) -> std::path::PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }
}

impl Drop for SpecDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const SPEC: &str = "apiVersion: eks-private-tui/v1alpha1\nkind: PrivateNetwork\nmetadata:\n  name: prod-private\nregion: eu-west-1\nvpcId: vpc-1\nnodeSubnets:\n  eu-west-1a: subnet-a\n  eu-west-1b: subnet-b\n";

fn plan_of(spec: &std::path::Path) -> Command {
    let mut cmd = bin(Some(&closed_port_url()));
    cmd.arg("plan").arg("--spec").arg(spec);
    cmd
}

#[test]
fn odd_spec_files_are_refused_without_following_or_waiting() {
    // Issue 10: a symlinked spec echoed its target's first line; a FIFO blocked forever;
    // a duplicate map key was taken silently; 1 MB of aliases took 7.8 GB.
    let d = SpecDir::new();
    let secret = d.file("shadow", "root:$6$secret-hash:19000:0:99999:7:::\n");
    let link = d.0.join("link.yaml");
    std::os::unix::fs::symlink(&secret, &link).unwrap();
    let err = fails(
        plan_of(&link),
        &["is a symbolic link", "give the file itself"],
    );
    assert!(!err.contains("secret-hash"), "{err}");
    let fifo = d.0.join("fifo.yaml");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    fails(plan_of(&fifo), &["not a regular file", "FIFO"]);
    fails(plan_of(&d.0), &["not a regular file", "directory"]);
    // A duplicate key inside nodeSubnets: named, at its own line.
    let dup = d.file("dup.yaml", &format!("{SPEC}  eu-west-1a: subnet-c\n"));
    fails(
        plan_of(&dup),
        &["dup.yaml:10:", "\"eu-west-1a\" appears twice"],
    );
    let dup = d.file("dup-top.yaml", &format!("{SPEC}region: eu-west-2\n"));
    fails(
        plan_of(&dup),
        &["dup-top.yaml:10:", "\"region\" appears twice"],
    );
    // Aliases standing for gigabytes: refused at once.
    let mut bomb = format!("{SPEC}x-big: &big {}\nx-refs:\n", "a".repeat(1 << 16));
    for _ in 0..5000 {
        bomb.push_str("- *big\n");
    }
    let bomb = d.file("bomb.yaml", &bomb);
    fails(
        plan_of(&bomb),
        &["aliases are expanded", "write the values out"],
    );
    // Too big to be a spec.
    let big = d.file("big.yaml", &format!("{SPEC}#{}\n", "x".repeat(2 << 20)));
    fails(plan_of(&big), &["larger than 1024 KiB"]);
    // Terminal escapes in a spec reach the terminal escaped.
    let evil = d.file(
        "evil.yaml",
        // YAML's own escapes: ESC, BEL and the right-to-left override.
        &format!("{SPEC}\"x\\e]0;owned\\a\\u202e\": 1\n"),
    );
    let err = fails(plan_of(&evil), &["x\\u{1b}]0;owned\\u{7}\\u{202e}"]);
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{202e}'),
        "{err:?}"
    );
    // The log file may not be the spec (it would be overwritten), nor a link.
    let good = d.file("good.yaml", SPEC);
    let mut cmd = plan_of(&good);
    cmd.arg("--log-file").arg(&good);
    fails(cmd, &["is the spec or its journal"]);
    assert_eq!(std::fs::read_to_string(&good).unwrap(), SPEC);
    let mut cmd = plan_of(&good);
    cmd.arg("--log-file").arg(&link);
    fails(cmd, &["is a symbolic link"]);
    assert!(
        std::fs::read_to_string(&secret)
            .unwrap()
            .starts_with("root:")
    );
}

#[test]
fn a_symlinked_journal_is_never_written_through() {
    // Issue 10: a symlinked <spec>.journal had its target truncated; a dangling one
    // created the target.
    let m = moto();
    let seed = m.seed("demo", "eu-west-2", &[]);
    let d = SpecDir::new();
    let spec = d.0.join("p.yaml");
    let out = bin(Some(&m.url))
        .args(["spec", "new", "--region", "eu-west-2", "--vpc"])
        .arg(seed["vpc"].as_str().unwrap())
        .arg("--spec")
        .arg(&spec)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let target = d.file("precious", "keep me\n");
    let journal = d.0.join("p.yaml.journal");
    for to in [target.clone(), d.0.join("nowhere")] {
        let _ = std::fs::remove_file(&journal);
        std::os::unix::fs::symlink(&to, &journal).unwrap();
        let mut cmd = bin(Some(&m.url));
        cmd.args(["apply", "--auto-approve", "--spec"]).arg(&spec);
        fails(cmd, &["journal", "is a symbolic link"]);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me\n");
        assert!(!d.0.join("nowhere").exists());
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // Issue 10: `inventory -o json | head -1` panicked on the broken pipe.
    let m = moto();
    m.seed("demo", "eu-west-3", &[]);
    let mut child = bin(Some(&m.url))
        .args(["inventory", "--region", "eu-west-3", "-o", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// Issue 10, cases 10 and 12: a server that never answers or drips its body is given up on
/// within the read timeout, naming the host; one that answers with something that is not
/// an AWS answer (a captive portal's page, a proxy's redirect) is named with what it said.
#[test]
fn endpoints_that_are_not_aws_are_named_and_given_up_on() {
    let cases: [(&str, &[&str]); 4] = [
        (
            "blackhole",
            &["sent no complete answer within 2 s", "--read-timeout"],
        ),
        (
            "drip",
            &["sent no complete answer within 2 s", "--read-timeout"],
        ),
        (
            "garbage",
            &[
                "answered HTTP 200 with \"<html><body>Welcome to the captive portal",
                "not an AWS answer",
                "proxy",
            ],
        ),
        (
            "redirect",
            &[
                "answered HTTP 301 redirecting to https://portal.example.invalid/",
                "not an AWS answer",
            ],
        ),
    ];
    for (mode, expect) in cases {
        let server = Proxy::hostile(mode);
        let host = server.url.trim_start_matches("http://").to_string();
        let mut cmd = bin(Some(&server.url));
        cmd.args(["inventory", "--region", "eu-west-1", "--read-timeout", "2"]);
        let start = Instant::now();
        let err = fails(cmd, expect);
        assert!(err.contains(&host), "{mode}: the host is named: {err}");
        // Given up on once, not once per retry (3 attempts would take 6 s).
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{mode}: took {:?}",
            start.elapsed()
        );
    }
}

/// Issue 10, case 8: an endpoint streaming an endless body drove RSS to 11.9 GB. Bodies are
/// capped (16 MiB each, 64 MiB across the calls in flight) as they arrive.
#[test]
fn an_endless_answer_is_cut_off_at_the_cap() {
    let server = Proxy::hostile("endless");
    let mut cmd = bin(Some(&server.url));
    cmd.args(["inventory", "--region", "eu-west-1"]);
    let err = fails(
        cmd,
        &["sent more than", "MiB; refused", "something else answered"],
    );
    assert!(
        err.contains(server.url.trim_start_matches("http://")),
        "{err}"
    );
    // The largest child this process waited for (the binary; python helpers are smaller).
    let peak_kib = unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut u);
        u.ru_maxrss
    };
    assert!(peak_kib < 512 * 1024, "peak RSS {peak_kib} KiB");
}

/// Issue 27, 6: a key file that is a FIFO, a device or a link to another file is refused
/// without waiting on it or showing a line of what it points at.
#[test]
fn odd_key_files_are_refused_without_following_or_waiting() {
    let dir = temp_dir("ept-odd-keys");
    let conf = dir.join("eks-private-tui");
    std::fs::create_dir_all(&conf).unwrap();
    let key = conf.join("keybindings.toml");
    let secret = dir.join("secret");
    std::fs::write(&secret, "root:$6$secret-hash:19000\n").unwrap();
    std::os::unix::fs::symlink(&secret, &key).unwrap();
    let wizard = || {
        let mut cmd = bin(Some(&closed_port_url()));
        cmd.env("XDG_CONFIG_HOME", &dir)
            .args(["--region", "eu-west-1"]);
        cmd
    };
    let err = fails(wizard(), &["keybindings.toml", "symbolic link"]);
    assert!(!err.contains("secret-hash"), "{err}");
    std::fs::remove_file(&key).unwrap();
    assert!(Command::new("mkfifo").arg(&key).status().unwrap().success());
    fails(wizard(), &["keybindings.toml", "not a regular file"]);
    std::fs::remove_file(&key).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &key).unwrap();
    fails(wizard(), &["keybindings.toml", "symbolic link"]);
}

/// Issue 27, 6: AWS config and credentials files that are a FIFO or an endless device are
/// refused before the SDK reads them (it would block for good, or grow without end).
#[test]
fn odd_aws_config_files_are_refused_before_the_sdk_reads_them() {
    let dir = temp_dir("ept-odd-aws-config");
    let fifo = dir.join("config");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for (var, path) in [
        ("AWS_CONFIG_FILE", fifo.to_str().unwrap()),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/zero"),
    ] {
        let mut cmd = bin(Some(&closed_port_url()));
        cmd.env(var, path)
            .args(["inventory", "--region", "eu-west-1"]);
        fails(cmd, &[var, "not a regular file"]);
    }
}

/// Issue 27, 5 and 9: output that cannot be written whole (a full device) is an error,
/// never exit 0; `--help` of export names every format the parser takes; the tool runs
/// with a small main-thread stack.
#[test]
fn output_to_a_full_device_fails_and_help_lists_every_format() {
    let mut cmd = bin(None);
    cmd.args(["export", "--help"]);
    let out = cmd.output().unwrap();
    let help = stdout(&out);
    for f in eks_private_tui::export::Format::ALL {
        assert!(help.contains(f.name()), "{} in: {help}", f.name());
    }
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let mut cmd = bin(Some(&closed_port_url()));
    cmd.args(["max-pods", "m5.large", "--region", "eu-west-1"])
        .stdout(full);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("could not be written whole"),
        "{}",
        stderr(&out)
    );
    // 256 KiB of stack for the main thread: `plan` runs on a thread of its own size, and
    // ends as it does with any stack (the endpoint is closed: exit 2, naming it).
    let d = SpecDir::new();
    let spec = d.file("spec.yaml", SPEC);
    let exe = env!("CARGO_BIN_EXE_eks-private-tui");
    let out = Command::new("bash")
        .arg("-c")
        .arg("ulimit -s 256 && exec \"$0\" --endpoint-url \"$1\" plan --spec \"$2\"")
        .arg(exe)
        .arg(closed_port_url())
        .arg(&spec)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!stderr(&out).contains("overflow"), "{}", stderr(&out));
}
