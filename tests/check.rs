//! `check` against the demo account on moto: the right rule IDs, exit codes, both
//! output formats, and bad input.

mod common;

use common::*;
use serde_json::Value;

fn check(m: &Moto, args: &[&str]) -> (i32, String, String) {
    let out = bin(Some(&m.url)).arg("check").args(args).output().unwrap();
    (out.status.code().unwrap(), stdout(&out), stderr(&out))
}

fn ids(json: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(json).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

fn write_spec(name: &str, text: &str) -> TempFile {
    let p = temp_file(&format!("ept-spec-{name}"), "yaml");
    write(&p, text);
    p
}

fn spec_text(region: &str, vpc: &str, nodes: &[(&str, &str)], extra: &str) -> String {
    let mut s = format!(
        "apiVersion: eks-private-tui/v1alpha1\nkind: PrivateNetwork\nmetadata:\n  name: prod-private\nregion: {region}\nvpcId: {vpc}\nclusterName: prod\nnodeSubnets:\n"
    );
    for (az, id) in nodes {
        s.push_str(&format!("  {az}: {id}\n"));
    }
    s.push_str(extra);
    s
}

#[test]
fn audit_of_what_exists() {
    let m = moto();
    m.seed("demo", "eu-west-3", &[]);
    let (code, out, err) = check(m, &["--region", "eu-west-3", "-o", "json"]);
    assert_eq!(code, 1, "error findings exit 1: {err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    for f in v["findings"].as_array().unwrap() {
        for key in ["id", "severity", "subject", "message", "fix"] {
            assert!(f.get(key).is_some(), "finding without {key}: {f}");
        }
    }
    let ids = ids(&out);
    assert!(
        ids.contains(&"V1".to_string()),
        "DNS hostnames are off: {ids:?}"
    );
    assert!(
        ids.contains(&"S5".to_string()),
        "private subnets lack internal-elb: {ids:?}"
    );
    assert!(
        !ids.contains(&"S3".to_string()),
        "the cluster's subnets are private: {ids:?}"
    );
    assert!(v["summary"]["error"].as_u64().unwrap() >= 1);

    let (code, text, _) = check(m, &["--region", "eu-west-3"]);
    assert_eq!(code, 1);
    assert!(
        text.contains("✗ ")
            && text.contains("V1 ")
            && text.contains("fix: aws ec2 modify-vpc-attribute"),
        "{text}"
    );
    assert!(text.contains("Summary: "), "{text}");
}

/// P11 against moto's Route 53: a private hosted zone for sts (a hub's endpoint, shared to
/// this VPC) is found with ListHostedZonesByVPC; `check` says the hub answers sts and misses
/// the rest, and the readiness audit no longer asks for a local sts endpoint. moto has no
/// Route 53 Profiles: that read is said as not answered, and the rest stands.
#[test]
fn a_hub_zone_is_found_and_its_service_not_asked_for() {
    let m = moto();
    let region = "me-central-1";
    let seed = m.seed("demo", region, &[]);
    let vpc = seed["vpc"].as_str().unwrap();
    m.python(&format!(
        "import boto3, sys\n\
         r53 = boto3.client('route53', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')\n\
         r53.create_hosted_zone(Name='sts.{region}.amazonaws.com', CallerReference='hub-sts', HostedZoneConfig={{'PrivateZone': True}}, VPC={{'VPCRegion': {region:?}, 'VPCId': {vpc:?}}})"
    ));
    let (_, out, err) = check(
        m,
        &[
            "--region",
            region,
            "--vpc",
            vpc,
            "--cluster",
            "prod",
            "-o",
            "json",
        ],
    );
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    let findings = v["findings"].as_array().unwrap();
    let messages = |id: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f["id"] == id)
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    let p11 = messages("P11");
    assert!(
        p11.iter()
            .any(|m| m.contains("answer sts") && m.contains("not ec2, ecr.api, ecr.dkr")),
        "{p11:#?}"
    );
    assert!(
        p11.iter()
            .any(|m| m.contains("the Route 53 Profiles of") && m.contains("could not be read")),
        "{p11:#?}"
    );
    let p7 = messages("P7");
    assert!(p7.iter().any(|m| m.contains("no ec2 ")), "{p7:#?}");
    assert!(!p7.iter().any(|m| m.contains("no sts ")), "{p7:#?}");
}

/// The readiness audit (R1) of the issue's account: a public-only cluster open to
/// 0.0.0.0/0, an S3 gateway on one of the three node route tables, and an sts endpoint in
/// two of the three node AZs whose group admits 0.0.0.0/0. Without a spec, `check` says
/// what breaks once the NAT is gone, and what breaks today.
#[test]
fn readiness_audit_of_an_existing_cluster() {
    let m = moto();
    let region = "ap-east-1";
    let seed = m.seed("demo", region, &["--extras"]);
    let sg = seed["endpointSg"].as_str().unwrap();
    m.python(&format!(
        "import boto3, sys\n\
         ec2 = boto3.client('ec2', endpoint_url=sys.argv[1], region_name={region:?}, aws_access_key_id='test', aws_secret_access_key='test')\n\
         ec2.authorize_security_group_ingress(GroupId={sg:?}, IpPermissions=[{{'IpProtocol': 'tcp', 'FromPort': 443, 'ToPort': 443, 'IpRanges': [{{'CidrIp': '0.0.0.0/0'}}]}}])"
    ));
    let vpc = seed["vpc"].as_str().unwrap();
    let (code, out, err) = check(
        m,
        &[
            "--region",
            region,
            "--vpc",
            vpc,
            "--cluster",
            "prod",
            "-o",
            "json",
        ],
    );
    assert_eq!(code, 1, "V1 is an error: {err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let findings = v["findings"].as_array().unwrap();
    let find = |id: &str, needle: &str| {
        findings
            .iter()
            .find(|f| f["id"] == id && f["message"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("{id} {needle}: {out}"))
    };
    let s3 = seed["s3Endpoint"].as_str().unwrap();
    let sts = seed["stsEndpoint"].as_str().unwrap();
    for (id, needle) in [
        ("A1", "private endpoint access of prod is off"),
        ("P4", "is on 1 of 3 node route tables"),
        ("P7", "no ec2 interface endpoint"),
        ("P7", "no ecr.api interface endpoint"),
        ("P7", "no ecr.dkr interface endpoint"),
    ] {
        let f = find(id, needle);
        assert_eq!(f["breaks"], "without-egress", "{f}");
        assert_eq!(f["severity"], "warn", "{f}");
    }
    assert_eq!(find("P4", "node route tables")["subject"], s3);
    assert_eq!(find("P2", "has no subnet in ap-east-1c")["subject"], sts);
    assert_eq!(find("G2", "open to 0.0.0.0/0")["subject"], sts);
    assert!(find("A2", "open to 0.0.0.0/0")["breaks"].is_null());
    assert!(
        !findings
            .iter()
            .any(|f| f["id"] == "P7" && f["message"].as_str().unwrap().contains("no sts")),
        "the sts endpoint exists: {out}"
    );
    let r1 = find("R1", "held to the fully-private target");
    assert!(
        r1["message"]
            .as_str()
            .unwrap()
            .contains("its nodes still have a NAT or internet path"),
        "{r1}"
    );
    // The text report says it in words.
    let (_, text, _) = check(m, &["--region", region, "--vpc", vpc, "--cluster", "prod"]);
    assert!(
        text.contains("breaks once the NAT or internet path is gone: no ec2 interface endpoint"),
        "{text}"
    );
}

#[test]
fn audit_of_a_spec_names_the_fields() {
    let m = moto();
    let seed = m.seed("demo", "ap-southeast-1", &[]);
    let vpc = seed["vpc"].as_str().unwrap();
    let sn = |n: &str| seed["subnets"][n].as_str().unwrap().to_string();
    let (pub_a, priv_b, legacy_a) = (
        sn("prod-public-a"),
        sn("prod-private-b"),
        sn("prod-legacy-a"),
    );
    let spec = write_spec(
        "bad",
        &spec_text(
            "ap-southeast-1",
            vpc,
            &[("ap-southeast-1a", &pub_a), ("ap-southeast-1b", &priv_b)],
            "secondaryCidr:\n  cidr: 172.16.0.0/16\n  podSubnets:\n    ap-southeast-1c: 172.16.0.0/19\n",
        ),
    );
    let (code, out, err) = check(m, &["--spec", spec.to_str().unwrap(), "-o", "json"]);
    assert_eq!(code, 1, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let has = |id: &str, subject: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == id && f["subject"] == subject)
    };
    assert!(has("S3", "nodeSubnets.ap-southeast-1a"), "{out}");
    assert!(has("C1", "secondaryCidr.cidr"), "{out}");
    assert!(
        has("C4", "secondaryCidr.podSubnets.ap-southeast-1c"),
        "{out}"
    );

    // The main route table is flagged (S4).
    let spec = write_spec(
        "main",
        &spec_text(
            "ap-southeast-1",
            vpc,
            &[("ap-southeast-1a", &legacy_a), ("ap-southeast-1b", &priv_b)],
            "",
        ),
    );
    let (_, out, _) = check(m, &["--spec", spec.to_str().unwrap(), "-o", "json"]);
    assert!(ids(&out).contains(&"S4".to_string()), "{out}");
}

#[test]
fn a_sound_account_passes() {
    let m = moto();
    let seed = m.seed("demo", "ap-south-1", &[]);
    let vpc = seed["vpc"].as_str().unwrap();
    let sn = |n: &str| seed["subnets"][n].as_str().unwrap().to_string();
    let (a, b, c) = (
        sn("prod-private-a"),
        sn("prod-private-b"),
        sn("prod-private-c"),
    );
    m.python(&format!(
        r#"
import boto3, sys
ec2 = boto3.client("ec2", endpoint_url=sys.argv[1], region_name="ap-south-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
ec2.modify_vpc_attribute(VpcId="{vpc}", EnableDnsHostnames={{"Value": True}})
ec2.create_tags(Resources=["{a}", "{b}", "{c}"], Tags=[{{"Key": "kubernetes.io/role/internal-elb", "Value": "1"}}])
"#
    ));
    let spec = write_spec(
        "good",
        &spec_text(
            "ap-south-1",
            vpc,
            &[("ap-south-1a", &a), ("ap-south-1b", &b)],
            "secondaryCidr:\n  cidr: 100.64.0.0/16\n  podSubnets:\n    ap-south-1a: 100.64.0.0/19\n    ap-south-1b: 100.64.32.0/19\ncustomNetworking: {}\n\
             endpoints:\n  services: [ec2, ecr.api, ecr.dkr, s3, sts]\n  securityGroup:\n    create:\n      name: prod-private-endpoints\n\
             clusterEndpoint:\n  privateAccess: true\n  publicAccess: true\n  publicAccessCidrs: [203.0.113.0/24]\n",
        ),
    );
    let (code, out, err) = check(m, &["--spec", spec.to_str().unwrap(), "-o", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["error"], 0);
    assert_eq!(v["summary"]["warn"], 0, "{out}");
    assert!(
        ids(&out).contains(&"C5".to_string()),
        "the new CIDR is explained: {out}"
    );
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let m = moto();
    let seed = m.seed("demo", "us-east-2", &[]);
    let vpc = seed["vpc"].as_str().unwrap();
    let one_line = |code: i32, err: &str, needle: &str| {
        assert_eq!(code, 2, "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(needle), "expected {needle:?} in {err}");
    };
    // A spec that does not load: file, line, column, field.
    let spec = write_spec(
        "typo",
        &spec_text("us-east-2", vpc, &[], "endpoints:\n  servcies: [sts]\n"),
    );
    let (code, out, err) = check(m, &["--spec", spec.to_str().unwrap()]);
    assert!(out.is_empty());
    one_line(code, &err, "unknown field `servcies`");
    assert!(
        err.contains(&format!(
            "{}:10:3: endpoints.servcies: unknown field",
            spec.display()
        )),
        "{err}"
    );
    // Region and VPC that contradict the spec.
    let spec = write_spec("ok", &spec_text("us-east-2", vpc, &[], ""));
    let (code, _, err) = check(
        m,
        &["--spec", spec.to_str().unwrap(), "--region", "eu-west-1"],
    );
    one_line(code, &err, "the spec is for us-east-2");
    let (code, _, err) = check(
        m,
        &[
            "--spec",
            spec.to_str().unwrap(),
            "--vpc",
            "vpc-0123456789abcdef0",
        ],
    );
    one_line(code, &err, "drop --vpc");
    // A cluster or VPC that does not exist.
    let (code, _, err) = check(m, &["--region", "us-east-2", "--cluster", "nope"]);
    one_line(code, &err, "no cluster \"nope\"");
    let gone = write_spec(
        "gone",
        &spec_text("us-east-2", "vpc-0123456789abcdef0", &[], ""),
    );
    let (code, _, err) = check(m, &["--spec", gone.to_str().unwrap()]);
    one_line(code, &err, "vpcId");
    let (code, _, err) = check(m, &["--spec", "/nonexistent/spec.yaml"]);
    one_line(code, &err, "cannot read");
}

#[test]
fn spec_new_writes_a_starter_that_check_reads() {
    let m = moto();
    let seed = m.seed("demo", "eu-north-1", &[]);
    let vpc = seed["vpc"].as_str().unwrap();
    let out = bin(Some(&m.url))
        .args(["spec", "new", "--region", "eu-north-1", "--vpc", vpc])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let spec = eks_private_tui::spec::Spec::parse(&text, "starter").unwrap();
    assert_eq!(spec.cluster_name.as_deref(), Some("prod"));
    for az in ["a", "b", "c"] {
        assert_eq!(
            spec.node_subnets[&format!("eu-north-1{az}")],
            seed["subnets"][format!("prod-private-{az}")]
                .as_str()
                .unwrap(),
            "the cluster's private subnet in {az}"
        );
    }
    assert!(text.contains("# "), "commented");
    assert!(spec.cluster_endpoint.is_none() && spec.dns.is_none());

    // The headless twins of steps 7 and 8: endpoint access, tcp/443 CIDRs, a Resolver.
    let out = bin(Some(&m.url))
        .args(["spec", "new", "--region", "eu-north-1", "--vpc", vpc])
        .args([
            "--endpoint-access",
            "private",
            "--allow-https",
            "10.99.0.0/16",
            "--dns",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let full = eks_private_tui::spec::Spec::parse(&stdout(&out), "starter").unwrap();
    let ep = full.cluster_endpoint.expect("clusterEndpoint written");
    assert!(ep.private_access && !ep.public_access, "{ep:?}");
    assert_eq!(ep.allow_https_from_cidrs, ["10.99.0.0/16"]);
    let dns = full.dns.expect("dns written");
    assert_eq!(
        dns.outbound_endpoint.unwrap().vpc_id,
        seed["clientVpc"].as_str().unwrap()
    );
    // A CIDR with host bits is refused in one line, before any call.
    let out = bin(Some(&m.url))
        .args(["spec", "new", "--region", "eu-north-1", "--vpc", vpc])
        .args(["--allow-https", "10.99.3.4/16"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--allow-https"), "{}", stderr(&out));

    let path = temp_file("ept-starter", "yaml");
    let p = path.to_str().unwrap();
    let run = |extra: &[&str]| {
        bin(Some(&m.url))
            .args([
                "spec",
                "new",
                "--region",
                "eu-north-1",
                "--vpc",
                vpc,
                "--spec",
                p,
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    assert!(run(&[]).status.success());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let again = run(&[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("--force"));
    assert!(run(&["--force"]).status.success());
    // check reads it: only V1 (DNS hostnames off in the demo) is an error.
    let (code, json, _) = check(m, &["--spec", p, "-o", "json"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&json).unwrap();
    let errors: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(errors, ["V1"], "{json}");
}

#[test]
fn plan_shows_what_apply_would_do() {
    let m = moto();
    let seed = m.seed("demo", "eu-south-1", &[]);
    let vpc = seed["vpc"].as_str().unwrap();
    let path = temp_file("ept-plan", "yaml");
    let p = path.to_str().unwrap();
    let out = bin(Some(&m.url))
        .args([
            "spec",
            "new",
            "--region",
            "eu-south-1",
            "--vpc",
            vpc,
            "--spec",
            p,
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let plan = |extra: &[&str]| {
        bin(Some(&m.url))
            .args(["plan", "--spec", p])
            .args(extra)
            .output()
            .unwrap()
    };
    // V1 is an error, but the plan fixes it: planning goes on and says so.
    let out = plan(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("(fixed by this plan)"), "{text}");
    assert!(text.contains("~ value = false -> true"), "{text}");
    assert!(text.contains("# endpoint.sts will be created"), "{text}");
    assert!(
        text.contains("security_group_id = (known after apply)"),
        "{text}"
    );
    // The demo's S3 gateway is on one table: it is extended, never created again.
    assert!(
        text.contains("# endpoint.s3 will be updated in-place"),
        "{text}"
    );
    assert!(
        text.contains("Plan: 6 to add, 5 to change, 0 to destroy."),
        "{text}"
    );
    let json: Value = serde_json::from_slice(&plan(&["-o", "json"]).stdout).unwrap();
    assert_eq!(json["summary"]["add"], 6);
    assert_eq!(json["summary"]["change"], 5);
    let s3 = json["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["address"] == "endpoint.s3")
        .unwrap();
    assert_eq!(s3["op"], "update");
    assert_eq!(s3["id"], seed["s3Endpoint"]);

    // An error the plan does not fix blocks it: exit 1, the findings instead of a plan.
    let bad = std::fs::read_to_string(&path)
        .unwrap()
        .replace("  services:\n", "  services:\n  - ecr\n");
    std::fs::write(&path, bad).unwrap();
    let out = plan(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("cannot be planned") && stdout(&out).contains("P1"),
        "{}",
        stdout(&out)
    );
    // A cluster name no cluster has, and a name AWS would refuse half-way (issue 10: both
    // planned and applied before): blocked, each with its field.
    let good = std::fs::read_to_string(&path)
        .unwrap()
        .replace("  - ecr\n", "");
    // metadata.name's line, whatever comment spec new wrote after it.
    let rename = |text: &str, name: &str| -> String {
        let mut done = false;
        text.lines()
            .map(|l| match l.strip_prefix("  name: ") {
                Some(_) if !done => {
                    done = true;
                    format!("  name: '{name}'")
                }
                _ => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    };
    for (edit, id, needle) in [
        (
            good.replace("clusterName: prod", "clusterName: nope"),
            "V6",
            "no cluster named \"nope\"",
        ),
        (rename(&good, &"p".repeat(300)), "X8", "at most 38"),
        (
            rename(&good, "prod$(id)"),
            "X8",
            "cannot be in metadata.name",
        ),
    ] {
        assert_ne!(edit, good, "the edit for {id} changed nothing");
        std::fs::write(&path, &edit).unwrap();
        let out = plan(&[]);
        assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
        assert!(
            stdout(&out).contains(id) && stdout(&out).contains(needle),
            "{}",
            stdout(&out)
        );
    }
    // No spec: a usage error.
    let out = bin(Some(&m.url))
        .args(["plan", "--region", "eu-south-1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("spec new"));
}

/// Issue 11, first formats: `export` writes the spec (loading it gives the same spec) and
/// the NO_PROXY env file; bad requests are refused before any call and write nothing.
#[test]
fn export_writes_the_spec_and_no_proxy_and_refuses_what_it_cannot() {
    let m = moto();
    let seed = m.seed("demo", "ap-northeast-3", &[]);
    let vpc = seed["vpc"].as_str().unwrap();
    let spec = temp_file("ept-export", "yaml");
    let out = bin(Some(&m.url))
        .args([
            "spec",
            "new",
            "--region",
            "ap-northeast-3",
            "--vpc",
            vpc,
            "--spec",
        ])
        .arg(&spec)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let export = |extra: &[&str]| {
        bin(Some(&m.url))
            .arg("export")
            .arg("--spec")
            .arg(&spec)
            .args(extra)
            .output()
            .unwrap()
    };
    // One format: stdout, and it loads back as the same spec.
    let out = export(&["--format", "spec"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let exported = stdout(&out);
    assert!(
        exported.starts_with("# Written by eks-private-tui "),
        "{exported}"
    );
    let original = eks_private_tui::spec::Spec::load(&spec).unwrap();
    assert_eq!(
        eks_private_tui::spec::Spec::from_yaml(&exported),
        Ok(original)
    );
    // All formats into a directory; a shell reads the env file.
    let dir = temp_dir("ept-export-out");
    let d = dir.to_str().unwrap();
    let out = export(&["--format", "all", "--out", d]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("no-proxy.env"), "{}", stdout(&out));
    let env_file = dir.join("no-proxy.env");
    let sh = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            ". '{}' && printf %s \"$NO_PROXY\"",
            env_file.display()
        ))
        .output()
        .unwrap();
    let value = stdout(&sh);
    for want in [
        "169.254.169.254",
        "10.0.0.0/16",
        ".eks.amazonaws.com",
        "sts.ap-northeast-3.amazonaws.com",
    ] {
        assert!(value.split(',').any(|e| e == want), "{want} in {value}");
    }
    // Again without --force: refused, nothing rewritten.
    let before = std::fs::read_to_string(&env_file).unwrap();
    std::fs::write(&env_file, "mine\n").unwrap();
    let out = export(&["--format", "all", "--out", d]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("exists: nothing was written"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&env_file).unwrap(), "mine\n");
    let out = export(&["--format", "all", "--out", d, "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&env_file).unwrap(), before);
    // Wrong on its face: one line, exit 2, before any call (a closed port is never asked).
    for (args, says) in [
        (
            &["--format", "eksctll"][..],
            "--format \"eksctll\" is not a format",
        ),
        (
            &["--format", "spec,no-proxy"][..],
            "several formats need --out DIR",
        ),
    ] {
        let out = bin(Some(&closed_port_url()))
            .arg("export")
            .arg("--spec")
            .arg(&spec)
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains(says), "{says}: {}", stderr(&out));
        assert_eq!(
            stderr(&out).trim_end().lines().count(),
            1,
            "{}",
            stderr(&out)
        );
    }
}
