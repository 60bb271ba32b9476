//! End to end: the real binary in tmux against a seeded moto server. Walks the wizard,
//! saves, resizes below 80x24 and back, quits, and checks the terminal was restored.
//! tmux is required (.ci/run installs it); each test uses its own tmux socket.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn new(name: &str, cmd: &str, w: u16, h: u16) -> Tmux {
        let socket = format!("ept-{name}-{}", std::process::id());
        let t = Tmux { socket };
        let ok = t
            .cmd(&[
                "new-session",
                "-d",
                "-s",
                "e2e",
                "-x",
                &w.to_string(),
                "-y",
                &h.to_string(),
                cmd,
            ])
            .status
            .success();
        assert!(
            ok,
            "tmux new-session failed (is tmux installed? .ci/run installs it)"
        );
        t
    }

    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("tmux is required for the end-to-end tests")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "e2e"]).stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        assert!(self.cmd(&args).status.success());
    }

    fn display(&self, what: &str) -> String {
        String::from_utf8_lossy(
            &self
                .cmd(&["display-message", "-p", "-t", "e2e", what])
                .stdout,
        )
        .trim()
        .to_string()
    }

    /// Wait until the screen shows `text` (the wizard answers in milliseconds; the bound is
    /// only there so a broken build fails instead of hanging).
    fn wait_for(&self, text: &str) -> String {
        self.wait_for_all(&[text])
    }

    /// Wait until one capture shows every one of `texts` (a capture may fall between two
    /// writes of a frame, so facts about one frame are read from one capture).
    fn wait_for_all(&self, texts: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if texts.iter().all(|t| s.contains(t)) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!("timed out waiting for {texts:?}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Tmux {
    /// Wait until the screen no longer shows `text`.
    fn wait_gone(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if !s.contains(text) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!("timed out waiting for {text:?} to go; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

/// A shell line that runs the binary against `url`, then reports its exit code and stays.
fn launch(url: &str, spec: &Path, extra: &str) -> String {
    format!(
        "env -u AWS_PROFILE -u NO_COLOR AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
         AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
         {bin} --region eu-west-1 --endpoint-url {url} --spec {spec} {extra}; echo EXIT=$?; sleep 600",
        bin = env!("CARGO_BIN_EXE_eks-private-tui"),
        spec = spec.display(),
    )
}

/// Removed with its contents when the test ends, passed or failed.
fn tempdir(name: &str) -> common::TempDir {
    common::temp_dir(&format!("ept-e2e-{name}"))
}

fn assert_restored(t: &Tmux) {
    let screen = t.wait_for("EXIT=");
    assert!(screen.contains("EXIT=0"), "exit code: {screen}");
    assert_eq!(
        t.display("#{alternate_on}"),
        "0",
        "still on the alternate screen"
    );
    assert_eq!(t.display("#{cursor_flag}"), "1", "cursor still hidden");
    // The wizard's frame is gone: the shell line is all that shows.
    assert!(!screen.contains("eks-private-tui │"), "{screen}");
}

#[test]
fn walk_save_resize_quit() {
    let m = Moto::start_with("e2e", &[]);
    let seed = m.seed("demo", "eu-west-1", &[]);
    let dir = tempdir("walk");
    let spec = dir.join("prod.yaml");
    let t = Tmux::new("walk", &launch(&m.url, &spec, ""), 120, 40);

    // The list shows as soon as DescribeVpcs answers; the intro says "? explains why"
    // once the whole account is read.
    let s = t.wait_for("? explains why");
    assert!(s.contains("account 123456789012"), "{s}");
    assert!(s.contains("prod") && s.contains("corp-client"));
    assert_eq!(t.display("#{alternate_on}"), "1");

    // VPCs sort by name: corp-client, prod, (default); the cursor is on prod, the VPC of
    // the region's one cluster.
    assert!(s.contains(" prod vpc-"), "the details are prod's: {s}");
    t.keys(&["Enter"]);
    t.wait_for("One private or isolated subnet per AZ");
    // The cluster's own subnets are suggested; the cursor starts on prod-private-a, and
    // Space there unchooses it (and chooses it again).
    let s = t.wait_for("3 of 3 AZs chosen");
    assert!(s.contains("unsaved"), "{s}");
    t.keys(&["Space"]);
    t.wait_for("2 of 3 AZs chosen");
    t.keys(&["Space"]);
    t.wait_for("3 of 3 AZs chosen");
    // Enter: the endpoints, the base set checked. Karpenter is the third feature.
    t.keys(&["Enter"]);
    let s = t.wait_for("VPC endpoints: how nodes reach AWS APIs");
    assert!(s.contains("5 services · 0 features"), "{s}");
    t.keys(&["j", "j", "Space"]);
    t.wait_for("7 services · 1 features");
    t.keys(&["w"]);
    t.wait_for("saved");

    // Below 80x24 a clear message; back to normal after.
    t.cmd(&["resize-window", "-t", "e2e", "-x", "70", "-y", "20"]);
    t.wait_for("terminal too small");
    t.cmd(&["resize-window", "-t", "e2e", "-x", "80", "-y", "24"]);
    t.wait_for("7 services · 1 features");

    // Esc goes back a step at a time to the VPCs and never quits.
    t.keys(&["Escape"]);
    t.wait_for("3 of 3 AZs chosen");
    t.keys(&["Escape"]);
    t.wait_for("Choose the cluster's VPC");
    t.keys(&["q"]);
    assert_restored(&t);

    let saved = Spec::load(&spec);
    assert_eq!(saved.vpc_id, seed["vpc"].as_str().unwrap());
    assert_eq!(saved.cluster_name.as_deref(), Some("prod"));
    assert_eq!(
        saved.node_subnets.get("eu-west-1a").map(String::as_str),
        seed["subnets"]["prod-private-a"].as_str()
    );
    assert_eq!(
        saved.node_subnets.get("eu-west-1b").map(String::as_str),
        seed["subnets"]["prod-private-b"].as_str()
    );
    let ep = saved.endpoints.expect("the endpoints are saved");
    assert_eq!(ep.features, ["karpenter"]);
    assert_eq!(
        ep.services,
        ["ec2", "ecr.api", "ecr.dkr", "s3", "sts", "eks", "ssm"]
    );

    // A second run preselects from the saved spec; q with nothing changed quits at once.
    let t = Tmux::new("again", &launch(&m.url, &spec, ""), 120, 40);
    let s = t.wait_for("Choose the cluster's VPC");
    assert!(s.contains("● prod"), "the saved VPC is marked: {s}");
    t.keys(&["Enter"]);
    t.wait_for("3 of 3 AZs chosen");
    t.keys(&["C-c"]);
    assert_restored(&t);
}

#[test]
fn failed_call_shows_error_and_retry_then_quits_cleanly() {
    let dir = tempdir("fail");
    let url = closed_port_url();
    let t = Tmux::new(
        "fail",
        &launch(&url, &dir.join("s.yaml"), "--read-only"),
        80,
        24,
    );
    let s = t.wait_for("Could not read the account");
    assert!(s.contains("READ-ONLY"), "{s}");
    assert!(s.contains("Connection refused"), "{s}");
    assert!(s.contains("r retry"), "{s}");
    t.keys(&["r"]);
    t.wait_for("Could not read the account");
    t.keys(&["q"]);
    assert_restored(&t);
}

#[test]
fn sigterm_restores_the_terminal() {
    let m = moto_for_sigterm();
    let dir = tempdir("term");
    let t = Tmux::new("term", &launch(&m.url, &dir.join("s.yaml"), ""), 80, 24);
    t.wait_for("Choose the cluster's VPC");
    let shell = t.display("#{pane_pid}");
    let out = Command::new("pkill")
        .args(["-TERM", "-P", &shell, "-f", "eks-private-tui"])
        .output()
        .unwrap();
    assert!(out.status.success(), "pkill found no wizard");
    assert_restored(&t);
}

fn moto_for_sigterm() -> Moto {
    let m = Moto::start_with("term", &[]);
    m.seed("demo", "eu-west-1", &[]);
    m
}

struct Spec;

impl Spec {
    fn load(path: &Path) -> eks_private_tui::spec::Spec {
        let text = std::fs::read_to_string(path).expect("the spec was saved");
        eks_private_tui::spec::Spec::from_yaml(&text).unwrap()
    }
}

/// `spec new` for the demo's VPC, as `dir/prod.yaml`.
fn starter_spec(m: &Moto, seed: &serde_json::Value, dir: &Path) -> std::path::PathBuf {
    let spec = dir.join("prod.yaml");
    let out = common::bin(Some(&m.url))
        .args(["spec", "new", "--region", "eu-west-1", "--vpc"])
        .arg(seed["vpc"].as_str().unwrap())
        .arg("--spec")
        .arg(&spec)
        .output()
        .unwrap();
    assert!(out.status.success());
    spec
}

/// From the first screen to the preview with a starter spec: its VPC, subnets, endpoints
/// and group are preselected, and it has no secondary CIDR, so Enter on each step reaches
/// the preview. Returns the preview's screen.
fn walk_to_preview(t: &Tmux) -> String {
    t.wait_for("? explains why");
    for expect in [
        "3 of 3 AZs chosen",
        "5 services · 0 features",
        "Endpoints' security group: 443 from every VPC CIDR",
        "skipped: no secondary CIDR",
        "Cluster endpoint access: who reaches the API",
        "DNS: does anyone need a Resolver?",
    ] {
        t.keys(&["Enter"]);
        t.wait_for(expect);
    }
    t.keys(&["Enter"]);
    t.wait_for("a to apply")
}

#[test]
fn preview_and_apply_from_the_wizard() {
    let m = Moto::start_with("e2e-apply", &[]);
    let seed = m.seed("demo", "eu-west-1", &[]);
    let dir = tempdir("apply");
    let spec = starter_spec(&m, &seed, &dir);
    let t = Tmux::new("apply", &launch(&m.url, &spec, ""), 100, 32);
    let s = walk_to_preview(&t);
    assert!(s.contains("[9 Preview]"), "{s}");
    t.keys(&["a"]);
    t.wait_for("Only 'yes' will be accepted");
    t.keys(&["y", "e", "s", "Enter"]);
    let s = t.wait_for("Apply · complete");
    assert!(s.contains("Apply complete! Resources:"), "{s}");
    // Back on the preview, the account is read again: nothing left to do.
    t.keys(&["Escape"]);
    t.wait_for("Preview · no changes");
    t.keys(&["q"]);
    assert_restored(&t);
    let out = common::bin(Some(&m.url))
        .args(["plan", "--spec"])
        .arg(&spec)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("No changes."),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Issue 10, case 12: Ctrl-C during the wizard's apply exited 0 with nothing printed. It
/// now says, once the terminal is back, what was done and how to resume, and exits 130;
/// the resumed apply finishes (the lock the cut run held is taken over on this host).
#[test]
fn ctrl_c_mid_apply_says_how_to_resume() {
    let m = Moto::start_with("e2e-cut", &[]);
    let seed = m.seed("demo", "eu-west-1", &[]);
    // Slow calls, so that Ctrl-C lands while steps run.
    let proxy = Proxy::start(&m.url, &["--latency-ms", "400"]);
    let dir = tempdir("cut");
    let spec = starter_spec(&m, &seed, &dir);
    let t = Tmux::new("cut", &launch(&proxy.url, &spec, ""), 100, 32);
    walk_to_preview(&t);
    t.keys(&["a"]);
    t.wait_for("Only 'yes' will be accepted");
    t.keys(&["y", "e", "s", "Enter"]);
    t.wait_for("Ctrl-C leave (resumable)");
    // The first Ctrl-C asks; a second one leaves at once.
    t.keys(&["C-c"]);
    t.wait_for("Stop the apply?");
    t.keys(&["C-c"]);
    let s = t.wait_for("EXIT=");
    assert!(s.contains("EXIT=130"), "exit code: {s}");
    // The note wraps at the pane's width: compared without whitespace.
    let squeeze = |x: &str| x.split_whitespace().collect::<String>();
    for part in [
        "Apply interrupted:",
        "prod.yaml.journal records what was done",
        "eks-private-tui apply --spec",
    ] {
        assert!(squeeze(&s).contains(&squeeze(part)), "{part:?} in {s}");
    }
    let out = common::bin(Some(&m.url))
        .args(["apply", "--auto-approve", "--spec"])
        .arg(&spec)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the resumed apply: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_user_key_file_changes_the_keys_and_the_hints() {
    let m = Moto::start_with("e2e-keys", &[]);
    m.seed("demo", "eu-west-1", &[]);
    let dir = tempdir("keys");
    let conf = dir.join("eks-private-tui");
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(
        conf.join("keybindings.toml"),
        "[global]\nquit = [\"Q\"]\n[list]\ndown = [\"down\", \"n\"]\n",
    )
    .unwrap();
    let spec = dir.join("keys.yaml");
    let line = launch(&m.url, &spec, "").replacen(
        "AWS_ACCESS_KEY_ID=",
        &format!("XDG_CONFIG_HOME={} AWS_ACCESS_KEY_ID=", dir.display()),
        1,
    );
    let t = Tmux::new("keys", &line, 100, 30);
    let s = t.wait_for("? explains why");
    assert!(
        s.contains("Q quit"),
        "the footer shows the key in effect: {s}"
    );
    // q no longer quits; n moves down (from corp-client, the top, to prod) and Enter
    // chooses prod.
    t.keys(&["q", "g", "n", "Enter"]);
    t.wait_for("One private or isolated subnet per AZ");
    let s = t.wait_for("VPC prod");
    assert!(!s.contains("EXIT="), "{s}");
    t.keys(&["Escape"]);
    t.wait_for("Choose the cluster's VPC");
    // Q quits; prod is chosen but not saved, so it asks first (n: without saving).
    t.keys(&["Q"]);
    t.wait_for("Your choices are not saved");
    t.keys(&["n"]);
    assert_restored(&t);
    assert!(!spec.exists(), "nothing was saved");
    drop(dir);
}

#[test]
fn the_vpc_list_is_usable_before_every_vpc_detail_is_read() {
    // 40 VPCs (41 with the default one) behind a slow token bucket for DescribeVpcAttribute (2 at once, 2 a second):
    // the 80 attribute reads take half a minute; the list must not wait for them.
    let m = Moto::start_with("e2e-progressive", &[]);
    m.seed("large", "eu-west-1", &["--vpcs", "40", "--subnets", "2"]);
    let proxy = Proxy::start(&m.url, &["--throttle", "DescribeVpcAttribute=2:2"]);
    let dir = tempdir("progressive");
    let spec = dir.join("p.yaml");
    let t = Tmux::new("progressive", &launch(&proxy.url, &spec, ""), 120, 40);
    let s = t.wait_for("reading DNS attributes of");
    assert!(
        s.contains("bench-000") && s.contains("VPCs in eu-west-1"),
        "{s}"
    );
    // The list answers keys meanwhile: the filter narrows it.
    t.keys(&["/", "b", "e", "n", "c", "h", "-", "0", "1", "7", "Enter"]);
    let s = t.wait_for("1 of 41");
    assert!(s.contains("bench-017"), "{s}");
    let stats = proxy.stats();
    assert!(
        stats["throttled"].as_u64().unwrap() > 0,
        "the bucket never throttled, so this proved nothing: {stats}"
    );
    t.keys(&["q"]);
    assert_restored(&t);
    drop(dir);
}

/// All eleven steps with keys only, from an empty spec: saved and compared with the spec
/// they should make field by field; `plan` on it lists what those steps asked for; the
/// wizard's apply (with the window resized meanwhile) creates it, as the AWS API (moto,
/// through boto3) shows; the export step writes the files; Esc and q leave the terminal
/// restored.
#[test]
fn walk_all_eleven_steps_apply_and_export() {
    let m = Moto::start_with("e2e-six", &[]);
    let seed = m.seed("demo", "eu-west-1", &[]);
    // The cluster's endpoint access and the VPC's DNS attributes before the walk: destroy
    // puts them back (issue 26, 4).
    let as_it_was = || -> serde_json::Value {
        let out = m.python(&format!(
            r#"
import boto3, json, sys
kw = dict(endpoint_url=sys.argv[1], region_name="eu-west-1", aws_access_key_id="test", aws_secret_access_key="test")
ec2, eks = boto3.client("ec2", **kw), boto3.client("eks", **kw)
c = eks.describe_cluster(name="prod")["cluster"]["resourcesVpcConfig"]
attr = lambda a: ec2.describe_vpc_attribute(VpcId="{vpc}", Attribute=a)
print(json.dumps({{
    "public": c["endpointPublicAccess"], "private": c["endpointPrivateAccess"],
    "cidrs": c.get("publicAccessCidrs"),
    "dnsSupport": attr("enableDnsSupport")["EnableDnsSupport"]["Value"],
    "dnsHostnames": attr("enableDnsHostnames")["EnableDnsHostnames"]["Value"],
}}))
"#,
            vpc = seed["vpc"].as_str().unwrap()
        ));
        serde_json::from_str(&out).unwrap()
    };
    let before = as_it_was();
    let dir = tempdir("six");
    let spec = dir.join("prod.yaml");
    let t = Tmux::new("six", &launch(&m.url, &spec, ""), 120, 40);
    t.wait_for("? explains why");
    // 1. The cursor is on prod, the region's one cluster's VPC.
    t.keys(&["Enter"]);
    // 2. The cluster's own subnets are suggested.
    t.wait_for("3 of 3 AZs chosen");
    t.keys(&["Enter"]);
    // 3. Karpenter, the third feature.
    t.wait_for("5 services · 0 features");
    t.keys(&["j", "j", "Space"]);
    t.wait_for("7 services · 1 features");
    t.keys(&["Enter"]);
    // 4. A new group, renamed.
    t.wait_for("✓ create prod-private-endpoints ·");
    t.keys(&["e", "2", "Enter"]);
    t.wait_for("✓ create prod-private-endpoints2 ·");
    t.keys(&["Enter"]);
    // 5. The first suggested range, split over the three AZs.
    t.wait_for("skipped: no secondary CIDR");
    t.keys(&["j", "Space"]);
    t.wait_for("✓ 100.64.0.0/16 · 3 pod subnets");
    t.keys(&["Enter"]);
    // 6. Custom networking, ENIConfigs by AZ.
    t.wait_for("subnet discovery: the plan tags");
    t.keys(&["Space"]);
    t.wait_for("✓ custom networking · 3 ENIConfigs by AZ");
    t.keys(&["Enter"]);
    // 7. Endpoint access: the peered VPC's CIDR, offered, let in on tcp/443.
    t.wait_for("Cluster endpoint access: who reaches the API");
    t.keys(&["j", "j", "j", "Space"]);
    t.wait_for("(allowHttpsFromCidrs): 1 CIDR");
    t.keys(&["Enter"]);
    // 8. DNS: a Resolver, as the account suggests.
    t.wait_for("DNS: does anyone need a Resolver?");
    t.keys(&["Space"]);
    t.wait_for("[x] a Route 53 Resolver");
    // Enter saves and previews.
    t.keys(&["Enter"]);
    let s = t.wait_for("a to apply");
    assert!(s.contains("[9 Preview]"), "{s}");
    // 9. An action's attributes, then apply.
    t.keys(&["Enter"]);
    t.wait_for("Esc closes");
    t.keys(&["Escape"]);
    t.keys(&["a"]);
    t.wait_for("Only 'yes' will be accepted");
    t.keys(&["y", "e", "s", "Enter"]);
    // 10. The window changes size while it runs.
    t.wait_for("[10 Apply]");
    t.cmd(&["resize-window", "-t", "e2e", "-x", "100", "-y", "30"]);
    t.cmd(&["resize-window", "-t", "e2e", "-x", "120", "-y", "40"]);
    let s = t.wait_for("Apply · complete");
    assert!(s.contains("Next steps, outside this tool"), "{s}");
    // 11. Export every format this spec can make.
    t.keys(&["o"]);
    // The account is read again after the apply: the formats follow it.
    t.wait_for("formats chosen");
    t.keys(&["Enter"]);
    t.wait_for("✓ wrote");
    // Esc back to the preview, then q.
    t.keys(&["Escape"]);
    t.wait_for("[9 Preview]");
    t.keys(&["q"]);
    assert_restored(&t);
    let exported = dir.join("prod-private-export");
    for f in [
        "prod-private.yaml",
        "prod-eksctl.yaml",
        "iam-policy.json",
        "prod-private.tf",
    ] {
        assert!(
            exported.join(f).is_file(),
            "{f} not in {}",
            exported.display()
        );
    }

    let saved = Spec::load(&spec);
    let id = |k: &str| seed["subnets"][k].as_str().unwrap().to_string();
    let want = format!(
        "apiVersion: eks-private-tui/v1alpha1
kind: PrivateNetwork
metadata:
  name: prod-private
region: eu-west-1
vpcId: {vpc}
clusterName: prod
nodeSubnets:
  eu-west-1a: {a}
  eu-west-1b: {b}
  eu-west-1c: {c}
endpoints:
  services: [ec2, ecr.api, ecr.dkr, s3, sts, eks, ssm]
  features: [karpenter]
  privateDns: true
  securityGroup:
    create:
      name: prod-private-endpoints2
secondaryCidr:
  cidr: 100.64.0.0/16
  podSubnets:
    eu-west-1a: 100.64.0.0/18
    eu-west-1b: 100.64.64.0/18
    eu-west-1c: 100.64.128.0/18
customNetworking:
  eniConfigLabel: topology.kubernetes.io/zone
",
        vpc = seed["vpc"].as_str().unwrap(),
        a = id("prod-private-a"),
        b = id("prod-private-b"),
        c = id("prod-private-c"),
    );
    let want = eks_private_tui::spec::Spec::from_yaml(&want).unwrap();
    assert_eq!(saved.metadata, want.metadata);
    assert_eq!(saved.region, want.region);
    assert_eq!(saved.vpc_id, want.vpc_id);
    assert_eq!(saved.cluster_name, want.cluster_name);
    assert_eq!(saved.node_subnets, want.node_subnets);
    assert_eq!(saved.endpoints, want.endpoints);
    assert_eq!(saved.secondary_cidr, want.secondary_cidr);
    assert_eq!(saved.custom_networking, want.custom_networking);
    let access = saved
        .cluster_endpoint
        .clone()
        .expect("step 7 wrote clusterEndpoint");
    assert!(access.private_access && access.public_access, "{access:?}");
    assert_eq!(access.allow_https_from_cidrs, ["10.99.0.0/16"]);
    let dns = saved.dns.clone().expect("step 8 wrote dns");
    assert_eq!(
        dns.inbound_endpoint.as_ref().unwrap().subnet_ids,
        [id("prod-private-a"), id("prod-private-b")]
    );
    assert_eq!(
        dns.outbound_endpoint.as_ref().unwrap().vpc_id,
        seed["clientVpc"].as_str().unwrap()
    );

    let out = common::bin(Some(&m.url))
        .args(["plan", "--spec"])
        .arg(&spec)
        .output()
        .unwrap();
    let plan = common::stdout(&out);
    assert!(out.status.success(), "{plan}{}", common::stderr(&out));
    // The wizard's apply made all of it: nothing is left to do.
    assert!(plan.contains("No changes."), "{plan}");
    // What AWS holds now.
    let facts = m.python(&format!(
        r#"
import boto3, json, sys
ec2 = boto3.client("ec2", endpoint_url=sys.argv[1], region_name="eu-west-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
vpc = ec2.describe_vpcs(VpcIds=["{vpc}"])["Vpcs"][0]
cidrs = [a["CidrBlock"] for a in vpc["CidrBlockAssociationSet"]
         if a["CidrBlockState"]["State"] == "associated"]
subnets = [s["CidrBlock"] for s in ec2.describe_subnets(
    Filters=[{{"Name": "vpc-id", "Values": ["{vpc}"]}}])["Subnets"]]
eps = [e["ServiceName"].split(".")[-1] for e in ec2.describe_vpc_endpoints(
    Filters=[{{"Name": "vpc-id", "Values": ["{vpc}"]}}])["VpcEndpoints"]]
groups = ec2.describe_security_groups(
    Filters=[{{"Name": "group-name", "Values": ["prod-private-endpoints2"]}}])["SecurityGroups"]
rules = sorted(r["CidrIp"] for p in groups[0]["IpPermissions"] if p.get("FromPort") == 443
               for r in p["IpRanges"])
print(json.dumps({{"cidrs": cidrs, "subnets": subnets, "eps": eps, "rules": rules}}))
"#,
        vpc = seed["vpc"].as_str().unwrap()
    ));
    let facts: serde_json::Value = serde_json::from_str(&facts).unwrap();
    let has = |k: &str, v: &str| facts[k].as_array().unwrap().iter().any(|x| x == v);
    assert!(has("cidrs", "100.64.0.0/16"), "{facts}");
    for pod in ["100.64.0.0/18", "100.64.64.0/18", "100.64.128.0/18"] {
        assert!(has("subnets", pod), "{facts}");
    }
    for svc in ["eks", "ssm", "ec2", "sts", "s3"] {
        assert!(has("eps", svc), "{facts}");
    }
    assert_eq!(
        facts["rules"],
        serde_json::json!(["10.0.0.0/16", "100.64.0.0/16"]),
        "{facts}"
    );
    assert_ne!(
        as_it_was(),
        before,
        "the apply changed the access and DNS hostnames"
    );

    // destroy, by a principal that holds only the exported policy (moto's IAM enforcement
    // on), puts back the cluster's access and the VPC's DNS attributes as they were.
    // Its actions, on every resource: moto's enforcement matches a request against "*"
    // only, so the policy's own resource scopes cannot be held to here (the export's
    // tests check them as text).
    let exported_policy: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(exported.join("iam-policy.json")).unwrap())
            .unwrap();
    let actions: Vec<&serde_json::Value> = exported_policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap())
        .collect();
    let policy = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]
    })
    .to_string();
    let auth = |v: &str| {
        m.python(&format!(
            "import sys, urllib.request\n\
             urllib.request.urlopen(urllib.request.Request(sys.argv[1] + '/moto-api/reset-auth', data={v:?}.encode(), method='POST', headers={{'Content-Type': 'text/plain'}})).read()"
        ));
    };
    auth("inf");
    let key = m.python(&format!(
        "import boto3, sys\n\
         iam = boto3.client('iam', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')\n\
         iam.create_user(UserName='ci')\n\
         iam.put_user_policy(UserName='ci', PolicyName='ept', PolicyDocument={policy:?})\n\
         k = iam.create_access_key(UserName='ci')['AccessKey']\n\
         print(k['AccessKeyId'], k['SecretAccessKey'])"
    ));
    let (id, secret) = key.trim().split_once(' ').unwrap();
    auth("0");
    let out = common::bin(Some(&m.url))
        .env("AWS_ACCESS_KEY_ID", id)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .args(["destroy", "--auto-approve", "--spec"])
        .arg(&spec)
        .output()
        .unwrap();
    auth("inf");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        common::stdout(&out),
        common::stderr(&out)
    );
    assert_eq!(as_it_was(), before, "{}", common::stdout(&out));
}

/// R lists the regions moto says the account may use; choosing one reads the account
/// there (the header and the VPC list follow).
#[test]
fn the_region_list_reads_another_region() {
    let m = Moto::start_with("e2e-region", &[]);
    m.seed("demo", "eu-west-1", &[]);
    let dir = tempdir("region");
    let spec = dir.join("r.yaml");
    let t = Tmux::new("region", &launch(&m.url, &spec, ""), 100, 30);
    t.wait_for("? explains why");
    t.keys(&["R"]);
    let s = t.wait_for("(read now)");
    assert!(s.contains("● eu-west-1"), "{s}");
    t.keys(&["/", "u", "s", "Enter"]);
    let s = t.wait_for("/ us");
    assert!(s.contains("us-east-1"), "{s}");
    // The first region of the filtered list.
    t.keys(&["g", "Enter"]);
    let s = t.wait_for_all(&["│ us-east-1", "in us-east-1; ? explains why"]);
    assert!(!s.contains("prod"), "eu-west-1's VPCs are gone: {s}");
    t.keys(&["q"]);
    assert_restored(&t);
}

// Issue 28, item 7: what the widget layer fixes, each tried at 80x24 as a new user would.

/// The last line of the screen (the footer).
fn footer(screen: &str) -> &str {
    screen.trim_end().lines().last().unwrap_or("")
}

/// `?` stays open while read (the list keys scroll it to its end) and closes on q or Esc;
/// the finished apply scrolls to its last row (every action with its ID) and the next
/// steps under it.
#[test]
fn at_80x24_help_and_the_finished_apply_scroll_to_their_end() {
    let m = Moto::start_with("e2e-scroll", &[]);
    let seed = m.seed("demo", "eu-west-1", &[]);
    let dir = tempdir("scroll");
    let spec = starter_spec(&m, &seed, &dir);
    // Pod subnets and custom networking: more rows than the window.
    let mut text = std::fs::read_to_string(&spec).unwrap();
    text.push_str(
        "secondaryCidr:\n  cidr: 100.64.0.0/16\n  podSubnets:\n    eu-west-1a: 100.64.0.0/19\n    \
         eu-west-1b: 100.64.32.0/19\n    eu-west-1c: 100.64.64.0/19\ncustomNetworking:\n  \
         eniConfigLabel: topology.k8s.aws/zone-id\n",
    );
    std::fs::write(&spec, text).unwrap();
    let plan = common::bin(Some(&m.url))
        .args(["plan", "-o", "json", "--spec"])
        .arg(&spec)
        .output()
        .unwrap();
    let plan: serde_json::Value = serde_json::from_slice(&plan.stdout).unwrap();
    let addresses: Vec<String> = plan["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["address"].as_str().unwrap().to_string())
        .collect();
    assert!(
        addresses.len() > 17,
        "more rows than 80x24 shows: {addresses:?}"
    );
    let t = Tmux::new("scroll", &launch(&m.url, &spec, ""), 80, 24);
    t.wait_for("? explains why");
    for _ in 0..10 {
        if t.screen().contains("a to apply") {
            break;
        }
        t.keys(&["Enter"]);
        std::thread::sleep(Duration::from_millis(400));
    }
    t.keys(&["?"]);
    t.wait_for("Step 9 · Preview");
    // Keys that read on do not close it; the end shows how to close it.
    t.keys(&["j", "x", "G"]);
    let s = t.wait_for("Esc/q closes");
    assert!(s.contains("Step 9 · Preview"), "{s}");
    t.keys(&["q"]);
    t.wait_gone("Step 9 · Preview");
    t.keys(&["?"]);
    t.wait_for("Step 9 · Preview");
    t.keys(&["Escape"]);
    t.wait_gone("Step 9 · Preview");

    t.keys(&["a"]);
    t.wait_for("Only 'yes' will be accepted");
    t.keys(&["y", "e", "s", "Enter"]);
    t.wait_for("Apply · complete");
    // Line by line from the top to the end: every action shows done with its ID.
    let mut seen: Vec<String> = vec![];
    let mut last = String::new();
    for _ in 0..200 {
        let s = t.screen();
        if s == last {
            break;
        }
        seen.extend(s.lines().map(str::to_string));
        last = s;
        t.keys(&["j"]);
        std::thread::sleep(Duration::from_millis(60));
    }
    for a in &addresses {
        let row = seen.iter().find(|l| l.contains(a.as_str()));
        let row = row.unwrap_or_else(|| panic!("{a} never shown:\n{}", seen.join("\n")));
        assert!(row.contains('✓'), "{a}: {row}");
    }
    // G: the last row and the summary under it in one screen.
    t.keys(&["g", "G"]);
    let s = t.wait_for("Apply complete! Resources:");
    assert!(
        s.contains(addresses.last().unwrap().as_str()) || s.contains("Next steps"),
        "{s}"
    );
    assert!(!footer(&s).is_empty(), "{s}");
    t.keys(&["q"]);
    assert_restored(&t);
}

/// Text fields take the shell's editing keys (no chord types its letter); Enter says the
/// step it goes to (the endpoints step's Enter is "group", not "preview"), in the footer
/// and in `?`; `t` is in every step's footer at 80 columns.
#[test]
fn at_80x24_fields_take_shell_keys_and_footers_say_what_keys_do() {
    let m = Moto::start_with("e2e-fields", &[]);
    let seed = m.seed("demo", "eu-west-1", &[]);
    let dir = tempdir("fields");
    let spec = starter_spec(&m, &seed, &dir);
    let t = Tmux::new("fields", &launch(&m.url, &spec, ""), 80, 24);
    // One capture may fall between two writes of a frame: the body and the footer are
    // waited for together.
    let step = |body: &str, keys: &[&str]| {
        let mut all = vec![body, "t topology"];
        all.extend(keys);
        let s = t.wait_for_all(&all);
        for k in keys {
            assert!(footer(&s).contains(k), "{body}: {s}");
        }
    };
    step("? explains why", &[]);
    t.keys(&["Enter"]);
    step("3 of 3 AZs chosen", &["Enter endpoints"]);
    t.keys(&["Enter"]);
    step("5 services · 0 features", &["Enter group"]);
    t.keys(&["?"]);
    let s = t.wait_for_all(&["Step 3 · VPC endpoints", "on to step 4"]);
    assert!(
        s.contains("on to step 4: the endpoints' security group")
            && !s.contains("save what changed"),
        "{s}"
    );
    t.keys(&["Escape"]);
    step("5 services · 0 features", &["Enter group"]);
    t.keys(&["Enter"]);
    step(
        "Endpoints' security group: 443 from every VPC CIDR",
        &["Enter CIDR"],
    );
    // The group's name field: the starter's name, then the shell's keys.
    t.keys(&["e"]);
    t.wait_for("Enter keeps it");
    t.keys(&["C-u"]);
    t.keys(&["-l", "abc def"]);
    t.wait_for("abc def▏");
    t.keys(&["C-w"]);
    let s = t.wait_for("abc ▏");
    assert!(!s.contains("abc defw"), "{s}");
    t.keys(&["C-a", "x", "C-e", "y"]);
    t.wait_for("xabc y▏");
    t.keys(&["M-b", "z"]);
    t.wait_for("xabc z▏y");
    t.keys(&["C-a", "M-f", "-"]);
    let s = t.wait_for("xabc-▏ zy");
    for typed in ["u", "w", "a", "e", "b", "f"] {
        assert!(
            !s.contains(&format!("{typed}xabc")) && !s.contains(&format!("zy{typed}")),
            "a chord typed {typed}: {s}"
        );
    }
    t.keys(&["C-k", "Escape"]);
    t.wait_for_all(&[
        "Endpoints' security group: 443 from every VPC CIDR",
        "t topology",
    ]);
    let s = t.screen();
    assert!(!s.contains("xabc"), "Esc left the field: {s}");
    for expect in [
        "skipped: no secondary CIDR",
        "Cluster endpoint access: who reaches the API",
        "DNS: does anyone need a Resolver?",
    ] {
        t.keys(&["Enter"]);
        step(expect, &[]);
    }
    t.keys(&["q"]);
    let s = t.wait_for_all(&["EXIT="]);
    assert!(s.contains("EXIT=0"), "{s}");
}

/// Colours follow the terminal: none for TERM=dumb and vt100 (and NO_COLOR), the 16
/// ANSI forms for xterm, the 256-colour forms for xterm-256color.
#[test]
fn colour_follows_the_terminal() {
    let m = Moto::start_with("e2e-colour", &[]);
    m.seed("demo", "eu-west-1", &[]);
    let dir = tempdir("colour");
    let spec = dir.join("c.yaml");
    for (term, no_color, want) in [
        ("dumb", "", "none"),
        ("vt100", "", "none"),
        ("xterm-256color", "1", "none"),
        ("xterm", "", "16"),
        ("xterm-256color", "", "256"),
    ] {
        let cmd = launch(&m.url, &spec, "").replacen(
            "env -u AWS_PROFILE -u NO_COLOR",
            &format!("env -u AWS_PROFILE -u NO_COLOR -u COLORTERM TERM={term} NO_COLOR={no_color}"),
            1,
        );
        let t = Tmux::new(&format!("colour-{term}-{}", no_color.len()), &cmd, 80, 24);
        t.wait_for("? explains why");
        let out = t.cmd(&["capture-pane", "-e", "-p", "-t", "e2e"]);
        let s = String::from_utf8_lossy(&out.stdout).into_owned();
        // Every SGR's parameters.
        let sgrs: Vec<&str> = s
            .split("\x1b[")
            .skip(1)
            .filter_map(|p| p.split_once('m').map(|(a, _)| a))
            .filter(|p| p.chars().all(|c| c.is_ascii_digit() || c == ';'))
            .collect();
        let colour = |p: &&str| {
            p.split(';').any(|n| {
                matches!(
                    n.parse::<u32>(),
                    Ok(30..=37 | 40..=47 | 90..=97 | 100..=107)
                )
            }) || p.contains("38;5")
                || p.contains("48;5")
        };
        let indexed = sgrs
            .iter()
            .any(|p| p.contains("38;5") || p.contains("48;5"));
        match want {
            "none" => assert!(!sgrs.iter().any(colour), "{term}: {sgrs:?}"),
            "16" => assert!(sgrs.iter().any(colour) && !indexed, "{term}: {sgrs:?}"),
            _ => assert!(indexed, "{term}: {sgrs:?}"),
        }
        t.keys(&["q"]);
        t.wait_for("EXIT=0");
    }
}
