//! Test support: a real moto server (tests/support/moto.sh) on a free loopback port, seeded by
//! tests/support/seed.py, and the binary run against it with a clean AWS environment.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under the temp dir no other test (or test run) uses.
pub fn unique_temp(prefix: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "{prefix}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ))
}

/// A file under the temp dir, removed on drop with everything the tool writes next to it
/// (`<file>.journal`, backups): tests leave nothing behind.
#[derive(Debug)]
pub struct TempFile(PathBuf);

/// A fresh [`TempFile`] path `prefix-…​.ext` (not created).
pub fn temp_file(prefix: &str, ext: &str) -> TempFile {
    TempFile(unique_temp(prefix).with_extension(ext))
}

impl std::ops::Deref for TempFile {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempFile {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<std::ffi::OsStr> for TempFile {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.as_os_str()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let (Some(dir), Some(name)) = (self.0.parent(), self.0.file_name()) else {
            return;
        };
        let name = name.to_string_lossy().into_owned();
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with(&name) {
                    let p = e.path();
                    if p.is_dir() {
                        let _ = std::fs::remove_dir_all(&p);
                    } else {
                        let _ = std::fs::remove_file(&p);
                    }
                }
            }
        }
    }
}

/// A directory under the temp dir, removed with its contents on drop.
#[derive(Debug)]
pub struct TempDir(PathBuf);

pub fn temp_dir(prefix: &str) -> TempDir {
    let d = unique_temp(prefix);
    std::fs::create_dir_all(&d).unwrap();
    TempDir(d)
}

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<std::ffi::OsStr> for TempDir {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.as_os_str()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `http://127.0.0.1:PORT` where nothing listens (the port was free a moment ago).
pub fn closed_port_url() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}")
}

pub struct Moto {
    pub url: String,
    pub dir: PathBuf,
}

impl Moto {
    /// Start a server; `env` is passed to moto (e.g. INITIAL_NO_AUTH_ACTION_COUNT). The
    /// server stops when this test process ends (MOTO_WATCH_PID) or on drop.
    pub fn start_with(name: &str, env: &[(&str, &str)]) -> Moto {
        let dir = unique_temp(&format!("ept-moto-{name}"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut cmd = Command::new(root().join("tests/support/moto.sh"));
        cmd.arg("start").arg(&dir);
        cmd.env("MOTO_WATCH_PID", std::process::id().to_string())
            .env("MOTO_REMOVE_DIR", "1");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run tests/support/moto.sh");
        assert!(
            out.status.success(),
            "moto did not start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let url = String::from_utf8(out.stdout).unwrap().trim().to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        Moto { url, dir }
    }

    /// Run python (the moto venv's, with boto3) with the endpoint as argv[1].
    pub fn python(&self, code: &str) -> String {
        String::from_utf8(venv_python(&["-c", code, &self.url])).unwrap()
    }

    /// tests/support/seed.py WHAT --region REGION [ARGS]; returns its JSON summary.
    pub fn seed(&self, what: &str, region: &str, args: &[&str]) -> serde_json::Value {
        let script = root().join("tests/support/seed.py");
        let mut all = vec![script.to_str().unwrap(), what, "--endpoint", &self.url];
        all.extend(["--region", region]);
        all.extend(args);
        serde_json::from_slice(&venv_python(&all)).unwrap()
    }
}

/// The moto venv's python with `args`; its stdout (panics with stderr on failure).
fn venv_python(args: &[&str]) -> Vec<u8> {
    let out = Command::new(root().join("tests/support/moto.sh"))
        .arg("python")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python {:?} failed: {}",
        args.first(),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = Command::new(root().join("tests/support/moto.sh"))
            .arg("stop")
            .arg(&self.dir)
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One server per test binary; tests isolate themselves by region.
pub fn moto() -> &'static Moto {
    static M: OnceLock<Moto> = OnceLock::new();
    M.get_or_init(|| Moto::start_with("shared", &[]))
}

/// The binary with an AWS environment that reaches nothing but `endpoint`: test
/// credentials, no profile files, no IMDS (never leave loopback).
pub fn bin(endpoint: Option<&str>) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_eks-private-tui"));
    for (k, _) in std::env::vars() {
        if k.starts_with("AWS_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env_remove("NO_COLOR");
    if let Some(e) = endpoint {
        cmd.arg("--endpoint-url").arg(e);
    }
    cmd
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `inventory -o json` against moto in `region`.
pub fn inventory_json(m: &Moto, region: &str, extra: &[&str]) -> serde_json::Value {
    let out = bin(Some(&m.url))
        .args(["inventory", "-o", "json", "--region", region])
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "inventory failed: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

pub fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

/// tests/support/proxy.py in front of `target` (latency, EC2 throttle emulation, request count).
pub struct Proxy {
    pub url: String,
    child: std::process::Child,
}

impl Proxy {
    pub fn start(target: &str, args: &[&str]) -> Proxy {
        let mut all = vec!["--target", target];
        all.extend(args);
        Proxy::script("tests/support/proxy.py", &all)
    }

    /// tests/support/hostile.py in `mode` (blackhole, drip, endless, garbage, redirect): a
    /// server that answers as no AWS endpoint does.
    pub fn hostile(mode: &str) -> Proxy {
        Proxy::script("tests/support/hostile.py", &["--mode", mode])
    }

    fn script(script: &str, args: &[&str]) -> Proxy {
        let port_file = unique_temp("ept-proxy");
        let child = Command::new(root().join("tests/support/moto.sh"))
            .arg("python")
            .arg(root().join(script))
            .args(args)
            .arg("--port-file")
            .arg(&port_file)
            .spawn()
            .unwrap();
        let start = std::time::Instant::now();
        let port = loop {
            if let Ok(p) = std::fs::read_to_string(&port_file)
                && !p.trim().is_empty()
            {
                break p.trim().to_string();
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(20),
                "{script} did not start"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        };
        let _ = std::fs::remove_file(&port_file);
        Proxy {
            url: format!("http://127.0.0.1:{port}"),
            child,
        }
    }

    /// {"requests": N, "throttled": M}
    pub fn stats(&self) -> serde_json::Value {
        let out = Command::new("curl")
            .args(["-fsS", &format!("{}/__stats", self.url)])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        // moto.sh python execs python, so this is the proxy itself.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a spec adds to `spec new`'s starter for the demo account (`tests/support/seed.py demo`)
/// to ask for everything apply makes: a secondary CIDR with a pod subnet per AZ, private
/// cluster access with the client VPC allowed, and the Resolver setup for the client VPC.
pub fn full_spec_yaml(region: &str, seed: &serde_json::Value) -> String {
    let sn = |n: &str| seed["subnets"][n].as_str().unwrap().to_string();
    let client = seed["clientVpc"].as_str().unwrap();
    format!(
        "secondaryCidr:
  cidr: 100.64.0.0/16
  podSubnets:
    {region}a: 100.64.0.0/19
    {region}b: 100.64.32.0/19
    {region}c: 100.64.64.0/19
clusterEndpoint:
  privateAccess: true
  publicAccess: false
  allowHttpsFromCidrs: [10.99.0.0/16]
dns:
  inboundEndpoint:
    subnetIds: [{}, {}]
    allowFromCidrs: [10.99.0.0/16]
  outboundEndpoint:
    vpcId: {client}
    subnetIds: [{}, {}]
  forwardRule:
    domain: auto
    associateVpcIds: [{client}]
",
        sn("prod-private-a"),
        sn("prod-private-b"),
        sn("corp-client-a"),
        sn("corp-client-b"),
    )
}
