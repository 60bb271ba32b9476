//! Exports through the tools that read them (docs/export.md): three specs applied to moto
//! (endpoints only with self-managed DNS, full custom networking, full DNS), every file
//! they export checked by its validator (tests/support/validators.sh: eksctl's schema and rules,
//! the ENIConfig CRD, named-checkconf, named-checkzone, dnsmasq --test, bash, sh), the
//! values compared with the account, and the aws-node runbook run against stand-ins for
//! kubectl and aws that record what it calls.

mod common;

use common::{TempDir, TempFile, bin, moto, root, stderr, stdout, temp_dir, temp_file};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

/// `spec new` for the demo account in `region`, with `extra` YAML appended.
fn spec_for(region: &str, extra: impl Fn(&Value) -> String) -> (TempFile, Value) {
    spec_on(moto(), region, extra)
}

/// [`spec_for`] on the server `m`.
fn spec_on(m: &common::Moto, region: &str, extra: impl Fn(&Value) -> String) -> (TempFile, Value) {
    let seed = m.seed("demo", region, &[]);
    let vpc = seed["vpc"].as_str().unwrap();
    let path = temp_file("ept-export", "yaml");
    let out = bin(Some(&m.url))
        .args(["spec", "new", "--region", region, "--vpc", vpc, "--spec"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(&extra(&seed));
    std::fs::write(&path, text).unwrap();
    (path, seed)
}

fn cli(args: &[&str], spec: &Path) -> Output {
    bin(Some(&moto().url))
        .args(args)
        .arg("--spec")
        .arg(spec)
        .output()
        .unwrap()
}

fn apply(spec: &Path) {
    let out = cli(&["apply", "--auto-approve"], spec);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
}

/// `export --format all` into a new directory: the directory and stderr (what was skipped).
fn export_all(spec: &Path) -> (TempDir, String) {
    let dir = temp_dir("ept-export-out");
    let out = cli(
        &["export", "--format", "all", "--out", dir.to_str().unwrap()],
        spec,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    (dir, stderr(&out))
}

/// tests/support/validators.sh check DIR: file → "ok" or the validator's complaint.
fn validate(dir: &Path) -> (bool, serde_json::Map<String, Value>) {
    let out = std::process::Command::new(root().join("tests/support/validators.sh"))
        .arg("check")
        .arg(dir)
        .output()
        .unwrap();
    assert_ne!(
        out.status.code(),
        Some(2),
        "a validator is missing: {}",
        stdout(&out)
    );
    let report: Value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&out), stderr(&out)));
    (out.status.success(), report.as_object().unwrap().clone())
}

fn assert_all_valid(dir: &Path, expect: &[&str]) {
    let (ok, report) = validate(dir);
    assert!(ok, "{report:#?}");
    let names: Vec<&str> = report.keys().map(String::as_str).collect();
    for e in expect {
        assert!(names.contains(e), "{e} was checked: {report:#?}");
    }
    assert!(report.values().all(|v| v == "ok"), "{report:#?}");
}

/// Before apply, the CloudFormation template and the Terraform file of what the plan
/// would create pass their validators (after apply the plan creates nothing, and `all`
/// skips the template).
fn template_before_apply(spec: &Path) -> String {
    before_apply(spec, "cloudformation", "prod-private-cloudformation.yaml")
}

/// The Terraform file before apply, with runs of blanks as one (it aligns its `=`s).
fn terraform_before_apply(spec: &Path) -> String {
    before_apply(spec, "terraform", "prod-private.tf")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn before_apply(spec: &Path, format: &str, file: &str) -> String {
    let dir = temp_dir("ept-export-before");
    let out = cli(
        &["export", "--format", format, "--out", dir.to_str().unwrap()],
        spec,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_all_valid(&dir, &[file]);
    read(&dir, file)
}

/// The Terraform file after apply imports every endpoint of the spec's VPC by its ID.
fn terraform_imports_the_endpoints(dir: &Path, region: &str) {
    let tf = read(dir, "prod-private.tf");
    let inv = inventory(region);
    let mut n = 0;
    for e in inv["vpcs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["endpoints"].as_array().unwrap())
    {
        let id = e["id"].as_str().unwrap();
        assert!(tf.contains(&format!("id = \"{id}\"")), "{id}: {tf}");
        n += 1;
    }
    assert!(n >= 5, "{tf}");
    assert_eq!(
        tf.matches("import {").count(),
        tf.matches("\n  to = ").count()
    );
    // What apply made and Terraform now imports carries the owner tag, so that destroy
    // leaves it to Terraform (issue 26, 6).
    let made = inv["vpcs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["endpoints"].as_array().unwrap())
        .filter(|e| e["tags"]["eks-private-tui:plan"].is_string())
        .count();
    assert!(made >= 4, "{made}: {tf}");
    let owned = tf
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("\"eks-private-tui:owner\"") && l.ends_with("= \"terraform\""))
        .count();
    assert!(owned >= made, "{owned} of {made}: {tf}");
}

/// `resource "TYPE" "NAME"` → `TYPE.NAME`, for every resource of a Terraform file.
fn tf_resources(tf: &str) -> std::collections::BTreeSet<String> {
    tf.split("resource \"")
        .skip(1)
        .filter_map(|r| {
            let (ty, rest) = r.split_once('"')?;
            let name = rest.trim_start().strip_prefix('"')?.split('"').next()?;
            Some(format!("{ty}.{name}"))
        })
        .collect()
}

/// Issue 26, 6: the Terraform file after apply holds every resource the one before apply
/// made (but the egress rules Terraform adds to a group it creates, where apply leaves
/// AWS's default), each imported; and the CloudFormation template imports what apply made,
/// by the IDs its import file gives. Returns (resources before, resources after).
fn the_whole_result(before: &str, dir: &Path) -> (usize, usize) {
    let after = read(dir, "prod-private.tf");
    let (b, a) = (tf_resources(before), tf_resources(&after));
    let expected: Vec<&String> = b
        .iter()
        .filter(|r| !r.starts_with("aws_vpc_security_group_egress_rule."))
        .collect();
    let missing: Vec<&&String> = expected.iter().filter(|r| !a.contains(**r)).collect();
    assert!(
        missing.is_empty(),
        "{missing:?} missing after apply: {after}"
    );
    let imported: Vec<String> = after
        .lines()
        .filter_map(|l| l.trim().strip_prefix("to = "))
        .map(|t| t.trim().to_string())
        .collect();
    let not_imported: Vec<&String> = a.iter().filter(|r| !imported.contains(r)).collect();
    assert!(
        not_imported.is_empty(),
        "{not_imported:?} not imported: {after}"
    );
    // The template imports what apply made: its import file names each of its resources.
    let entries: Value =
        serde_json::from_str(&read(dir, "prod-private-cloudformation-import.json")).unwrap();
    let template = read(dir, "prod-private-cloudformation.yaml");
    assert!(template.contains("DeletionPolicy: Retain"), "{template}");
    assert!(
        entries.as_array().is_some_and(|e| e.len() >= 5),
        "{entries}"
    );
    (expected.len(), a.len())
}

fn inventory(region: &str) -> Value {
    common::inventory_json(moto(), region, &[])
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn endpoints_only_with_self_managed_dns() {
    let region = "ap-northeast-2";
    let (spec, _) = spec_for(region, |_| String::new());
    let text = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(&spec, text.replace("privateDns: true", "privateDns: false")).unwrap();
    // Before apply: the endpoints' names do not exist yet, and the format says so.
    let out = cli(&["export", "--format", "dns"], &spec);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out)
            .contains("not in the account until apply has run: the DNS name of the ec2 endpoint"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
    // A format the spec has nothing for, asked for by name: what to add, exit 2.
    let out = cli(&["export", "--format", "eniconfig"], &spec);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("add customNetworking"),
        "{}",
        stderr(&out)
    );
    assert!(template_before_apply(&spec).contains("AWS::EC2::VPCEndpoint"));
    let tf = terraform_before_apply(&spec);
    assert!(
        tf.contains("resource \"aws_vpc_endpoint\" \"sts\"")
            && !tf.contains("to = aws_vpc_endpoint.sts")
            && tf.contains("to = aws_vpc_endpoint.s3"),
        "{tf}"
    );
    apply(&spec);
    let (dir, skipped) = export_all(&spec);
    assert!(
        skipped.contains("skipped eniconfig: ") && skipped.contains("skipped aws-node: "),
        "{skipped}"
    );
    assert_all_valid(
        &dir,
        &[
            "prod-eksctl.yaml",
            "endpoints.rpz.zone",
            "no-proxy.env",
            "iam-policy.json",
            "prod-private.tf",
        ],
    );
    terraform_imports_the_endpoints(&dir, region);
    // Each interface endpoint's hostname answers with that endpoint's own name.
    let inv = inventory(region);
    let zone = read(&dir, "endpoints.rpz.zone");
    let endpoints = inv["vpcs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["endpoints"].as_array().unwrap())
        .filter(|e| e["type"] == "Interface");
    let mut n = 0;
    for e in endpoints {
        let svc = e["service"].as_str().unwrap();
        let name = e["dnsNames"][0].as_str().unwrap();
        let host = match svc {
            "ecr.api" => format!("api.ecr.{region}.amazonaws.com"),
            "ecr.dkr" => format!("*.dkr.ecr.{region}.amazonaws.com"),
            s => format!("{s}.{region}.amazonaws.com"),
        };
        assert!(
            zone.contains(&format!("{host} IN CNAME {name}.")),
            "{host}: {zone}"
        );
        n += 1;
    }
    assert_eq!(n, 4, "ec2, ecr.api, ecr.dkr, sts: {zone}");
    // The cluster is public as read and the spec leaves access alone: not privateCluster.
    let eksctl = read(&dir, "prod-eksctl.yaml");
    assert!(
        !eksctl.contains("privateCluster") && eksctl.contains("clusterEndpoints"),
        "{eksctl}"
    );
}

#[test]
fn full_custom_networking() {
    let region = "me-south-1";
    let (spec, _) = spec_for(region, |_| {
        format!(
            "secondaryCidr:
  cidr: 100.64.0.0/16
  podSubnets:
    {region}a: 100.64.0.0/19
    {region}b: 100.64.32.0/19
    {region}c: 100.64.64.0/19
customNetworking:
  eniConfigLabel: topology.k8s.aws/zone-id
  prefixDelegation: true
clusterEndpoint:
  privateAccess: true
  publicAccess: false
nodeGroup:
  instanceType: m5.xlarge
  desiredCapacity: 3
"
        )
    });
    let out = cli(&["export", "--format", "eniconfig"], &spec);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!("the pod subnet of {region}a")),
        "{}",
        stderr(&out)
    );
    let template = template_before_apply(&spec);
    assert!(
        template.contains("AWS::EC2::VPCCidrBlock")
            && template.contains("AWS::EC2::SubnetRouteTableAssociation"),
        "{template}"
    );
    let tf = terraform_before_apply(&spec);
    let tf_before = before_apply(&spec, "terraform", "prod-private.tf");
    for want in [
        "resource \"aws_vpc_ipv4_cidr_block_association\" \"secondary\"",
        "resource \"aws_route_table_association\"",
        "depends_on = [aws_vpc_ipv4_cidr_block_association.secondary]",
        "endpoint_public_access = false",
        "prevent_destroy = true",
    ] {
        assert!(tf.contains(want), "{want}: {tf}");
    }
    apply(&spec);
    let (dir, _) = export_all(&spec);
    terraform_imports_the_endpoints(&dir, region);
    let (before, after) = the_whole_result(&tf_before, &dir);
    eprintln!("terraform resources: {before} the spec manages, {after} in the file after apply");
    assert_all_valid(
        &dir,
        &[
            "prod-private.tf",
            "prod-private-cloudformation.yaml",
            "prod-private-cloudformation-import.json",
            "prod-eksctl.yaml",
            "eniconfig.yaml",
            "aws-node-values.json",
            "aws-node-runbook.sh",
            "no-proxy.env",
            "iam-policy.json",
        ],
    );
    // One ENIConfig per node AZ, named by AZ ID, naming the pod subnet of that AZ.
    let inv = inventory(region);
    let zone_ids: std::collections::BTreeMap<&str, &str> = inv["availabilityZones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| (z["name"].as_str().unwrap(), z["zoneId"].as_str().unwrap()))
        .collect();
    let eni = read(&dir, "eniconfig.yaml");
    let docs: Vec<serde_yaml::Value> = serde_yaml::Deserializer::from_str(&eni)
        .map(|d| serde::Deserialize::deserialize(d).unwrap())
        .collect();
    assert_eq!(docs.len(), 3, "{eni}");
    let subnets: Vec<&Value> = inv["vpcs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["subnets"].as_array().unwrap())
        .collect();
    for (d, (az, cidr)) in docs.iter().zip([
        ("a", "100.64.0.0/19"),
        ("b", "100.64.32.0/19"),
        ("c", "100.64.64.0/19"),
    ]) {
        let az = format!("{region}{az}");
        let pod = subnets.iter().find(|s| s["cidr"] == cidr).unwrap();
        assert_eq!(pod["az"], az.as_str());
        assert_eq!(d["metadata"]["name"].as_str(), Some(zone_ids[az.as_str()]));
        assert_eq!(d["spec"]["subnet"].as_str(), pod["id"].as_str(), "{eni}");
    }
    // eksctl: fully private, the plan's endpoints, the node group as the spec says.
    let eksctl: serde_yaml::Value = serde_yaml::from_str(&read(&dir, "prod-eksctl.yaml")).unwrap();
    assert_eq!(eksctl["privateCluster"]["skipEndpointCreation"], true);
    let ng = &eksctl["managedNodeGroups"][0];
    assert_eq!(ng["instanceType"], "m5.xlarge");
    assert_eq!(ng["desiredCapacity"], 3);
    assert_eq!(ng["maxPodsPerNode"], 110);
    let node_zones: std::collections::BTreeMap<&str, &str> = zone_ids
        .iter()
        .filter(|(az, _)| {
            ["a", "b", "c"]
                .iter()
                .any(|x| **az == format!("{region}{x}"))
        })
        .map(|(a, b)| (*a, *b))
        .collect();
    runbook_runs_in_n5_order(&dir, &node_zones);
    terraform_takes_over_and_destroy_leaves_it(&spec, region);
}

/// Issue 26, 6: once `terraform apply` has run the file written after apply, Terraform
/// holds what it imported: the owner tag on each resource, its value on each marker of a
/// tag apply added, and on the cluster. Here boto3 puts on the tags the file sets (moto
/// runs no Terraform); `destroy` then deletes nothing and puts nothing back, and names
/// what it leaves to Terraform.
fn terraform_takes_over_and_destroy_leaves_it(spec: &Path, region: &str) {
    let m = moto();
    let vpc = inventory(region)["vpcs"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let snapshot = |m: &common::Moto| {
        m.python(&format!(
            "import boto3, sys, json\n\
             k = dict(endpoint_url=sys.argv[1], region_name={region:?}, aws_access_key_id='test', aws_secret_access_key='test')\n\
             ec2 = boto3.client('ec2', **k); eks = boto3.client('eks', **k)\n\
             f = [{{'Name': 'vpc-id', 'Values': [{vpc:?}]}}]\n\
             out = dict(subnets=sorted((s['SubnetId'], sorted((t['Key'], t['Value']) for t in s.get('Tags', []) if t['Key'] != 'eks-private-tui:owner' and not t['Key'].startswith('eks-private-tui:added:'))) for s in ec2.describe_subnets(Filters=f)['Subnets']),\n\
               groups=sorted(g['GroupId'] for g in ec2.describe_security_groups(Filters=f)['SecurityGroups']),\n\
               rules=sorted(r['SecurityGroupRuleId'] for r in ec2.describe_security_group_rules()['SecurityGroupRules']),\n\
               endpoints=sorted(e['VpcEndpointId'] for e in ec2.describe_vpc_endpoints(Filters=f)['VpcEndpoints'] if e['State'] != 'deleted'),\n\
               cidrs=sorted(c['CidrBlock'] for c in ec2.describe_vpcs(VpcIds=[{vpc:?}])['Vpcs'][0]['CidrBlockAssociationSet'] if c['CidrBlockState']['State'] == 'associated'),\n\
               access={{k: v for k, v in eks.describe_cluster(name='prod')['cluster']['resourcesVpcConfig'].items() if k.startswith('endpoint')}})\n\
             print(json.dumps(out, sort_keys=True))"
        ))
    };
    m.python(&format!(
        "import boto3, sys\n\
         k = dict(endpoint_url=sys.argv[1], region_name={region:?}, aws_access_key_id='test', aws_secret_access_key='test')\n\
         ec2 = boto3.client('ec2', **k); eks = boto3.client('eks', **k)\n\
         mine = [{{'Name': 'tag:eks-private-tui:plan', 'Values': ['prod-private']}}]\n\
         ids = [s['SubnetId'] for s in ec2.describe_subnets(Filters=mine)['Subnets']]\n\
         ids += [g['GroupId'] for g in ec2.describe_security_groups(Filters=mine)['SecurityGroups']]\n\
         ids += [e['VpcEndpointId'] for e in ec2.describe_vpc_endpoints(Filters=[{{'Name': 'vpc-id', 'Values': [{vpc:?}]}}])['VpcEndpoints']]\n\
         ids += [r['SecurityGroupRuleId'] for r in ec2.describe_security_group_rules(Filters=mine)['SecurityGroupRules']]\n\
         ec2.create_tags(Resources=ids, Tags=[{{'Key': 'eks-private-tui:owner', 'Value': 'terraform'}}])\n\
         for s in ec2.describe_subnets(Filters=[{{'Name': 'vpc-id', 'Values': [{vpc:?}]}}])['Subnets']:\n\
         \x20   for t in s.get('Tags', []):\n\
         \x20       if t['Key'].startswith('eks-private-tui:added:'):\n\
         \x20           ec2.create_tags(Resources=[s['SubnetId']], Tags=[{{'Key': t['Key'], 'Value': 'terraform'}}])\n\
         eks.tag_resource(resourceArn=eks.describe_cluster(name='prod')['cluster']['arn'], tags={{'eks-private-tui:owner': 'terraform'}})"
    ));
    let before = snapshot(m);
    let out = cli(&["destroy", "--auto-approve"], spec);
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert_eq!(snapshot(m), before, "{said}");
    for want in [
        "endpoint access stays as it is: Terraform holds it",
        "stays associated with",
        "left to Terraform",
    ] {
        assert!(said.contains(want), "{want}: {said}");
    }
}

/// The aws-node runbook against a stand-in for kubectl and aws that plays a cluster
/// (tests/fixtures/fake-cluster.py, on PATH under both names): a dry run changes nothing;
/// `--execute` goes in rule N5's order and replaces the nodes one AZ at a time, new
/// capacity first, through evictions (PodDisruptionBudgets hold), and stops at the first
/// drain that fails; step 5 finds a pod outside the pod subnets.
fn runbook_runs_in_n5_order(dir: &Path, zone_ids: &std::collections::BTreeMap<&str, &str>) {
    let bin_dir = temp_dir("ept-runbook-bin");
    let log = bin_dir.join("calls.log");
    let state = bin_dir.join("cluster.json");
    let fake = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fake-cluster.py");
    for tool in ["kubectl", "aws"] {
        std::os::unix::fs::symlink(&fake, bin_dir.join(tool)).unwrap();
    }
    let zones: Vec<(&str, &str)> = zone_ids.iter().map(|(a, b)| (*a, *b)).collect();
    let cluster = |drain_fails: &str| {
        let mut nodes = vec![];
        for (name, (zone, id)) in [
            ("old-a1", zones[0]),
            ("old-a2", zones[0]),
            ("old-b1", zones[1]),
            ("old-c1", zones[2]),
        ] {
            nodes.push(serde_json::json!({
                "name": name, "zone": zone, "eniConfig": id,
                "id": format!("i-{name}"), "ready": true, "drainFails": name == drain_fails,
            }));
        }
        serde_json::json!({
            "nodes": nodes,
            "eniConfigs": zones.iter().map(|(_, id)| *id).collect::<Vec<_>>(),
            "nodegroup": {"desired": 4, "max": 5},
            "pods": "kube-system aws-node-x 10.0.64.10 true\ndefault web-1 100.64.33.7 <none>\ndefault web-2 100.64.70.1 <none>\n",
        })
    };
    let run = |state_now: serde_json::Value, args: &[&str]| {
        std::fs::write(&state, state_now.to_string()).unwrap();
        let _ = std::fs::remove_file(&log);
        let out = std::process::Command::new("bash")
            .arg(dir.join("aws-node-runbook.sh"))
            .args(args)
            .env(
                "PATH",
                format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap()),
            )
            .env("FAKE_CLUSTER", &state)
            .env("FAKE_CLUSTER_LOG", &log)
            .env("YES", "1")
            .env("NODEGROUP", "workers")
            .env("POLL_SECONDS", "0")
            .output()
            .unwrap();
        let after: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
        (
            out,
            std::fs::read_to_string(&log).unwrap_or_default(),
            after,
        )
    };
    let in_order = |calls: &str, order: &[&str]| {
        let mut at = 0;
        for o in order {
            let i = calls[at..]
                .find(o)
                .unwrap_or_else(|| panic!("{o} after position {at}: {calls}"));
            at += i + o.len();
        }
    };

    // The default is a dry run: reads only, the commands printed.
    let (out, calls, after) = run(cluster(""), &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    for change in [
        "apply",
        "update-addon",
        "wait",
        "set env",
        "rollout",
        "cordon",
        "drain",
        "update-nodegroup-config",
        "terminate",
    ] {
        assert!(!calls.contains(change), "a dry run ran {change}: {calls}");
    }
    assert_eq!(after, cluster(""), "the dry run changed the cluster");
    for printed in [
        "+ kubectl apply -f eniconfig.yaml",
        "+ kubectl drain old-a1",
        "+ aws eks update-nodegroup-config",
    ] {
        assert!(
            stdout(&out).contains(printed),
            "{printed}: {}",
            stdout(&out)
        );
    }

    // --execute: N5's order, and for each AZ new capacity before its old nodes go.
    let (out, calls, after) = run(cluster(""), &["--execute"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    in_order(
        &calls,
        &[
            "kubectl apply -f eniconfig.yaml",
            "aws eks update-addon",
            "aws eks wait addon-active",
            "kubectl -n kube-system rollout status daemonset/aws-node",
            // AZ a: two more nodes first, then its two old nodes cordoned, drained, gone.
            "aws eks update-nodegroup-config",
            "desiredSize=6,maxSize=6",
            "kubectl cordon old-a1",
            "kubectl cordon old-a2",
            "kubectl drain old-a1",
            "kubectl drain old-a2",
            "--instance-id i-old-a1 --should-decrement-desired-capacity",
            "--instance-id i-old-a2 --should-decrement-desired-capacity",
            // AZ b, then c, one at a time.
            "desiredSize=5,maxSize=6",
            "kubectl cordon old-b1",
            "kubectl drain old-b1",
            "--instance-id i-old-b1",
            "kubectl cordon old-c1",
            "kubectl drain old-c1",
            "--instance-id i-old-c1",
            "kubectl get pods -A",
        ],
    );
    let names: Vec<&str> = after["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert!(!names.iter().any(|n| n.starts_with("old-")), "{names:?}");
    assert_eq!(names.len(), 4, "{names:?}");
    assert_eq!(
        after["nodegroup"]["desired"], 4,
        "the node group is back to its size"
    );
    assert!(
        stdout(&out).contains("every pod is in the pod subnets"),
        "{}",
        stdout(&out)
    );

    // A drain a PodDisruptionBudget refuses: it stops there, the later AZs untouched.
    let (out, calls, after) = run(cluster("old-a2"), &["--execute", "4"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("draining old-a2 failed"),
        "{}",
        stderr(&out)
    );
    for untouched in [
        "cordon old-b1",
        "drain old-b1",
        "terminate",
        "cordon old-c1",
    ] {
        assert!(
            !calls.contains(untouched),
            "{untouched} after the failure: {calls}"
        );
    }
    let old_a1 = after["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "old-a1");
    assert!(
        old_a1.is_some(),
        "a drained node of the stopped AZ stays until the AZ is done"
    );

    // A pod on the node's own subnet: step 5 fails and names it.
    let mut c = cluster("");
    c["pods"] = "default web-1 10.0.70.9 <none>\n".into();
    let (out, _, _) = run(c, &["5"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("default/web-1 has 10.0.70.9, outside the pod subnets"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn full_dns() {
    let region = "af-south-1";
    let (spec, _) = spec_for(region, |seed| {
        let sn = |n: &str| seed["subnets"][n].as_str().unwrap().to_string();
        let client = seed["clientVpc"].as_str().unwrap();
        format!(
            "clusterEndpoint:
  privateAccess: true
  publicAccess: true
  publicAccessCidrs: [203.0.113.0/24]
  allowHttpsFromCidrs: [10.99.0.0/16]
dns:
  inboundEndpoint:
    subnetIds: [{}, {}]
    allowFromCidrs: [10.99.0.0/16, 192.168.0.0/16]
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
    });
    let out = cli(&["export", "--format", "dns"], &spec);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the Resolver inbound endpoint's IP addresses"),
        "{}",
        stderr(&out)
    );
    let template = template_before_apply(&spec);
    for kind in [
        "AWS::Route53Resolver::ResolverEndpoint",
        "AWS::Route53Resolver::ResolverRule",
        "AWS::Route53Resolver::ResolverRuleAssociation",
        "Ref: InboundIp1",
    ] {
        assert!(template.contains(kind), "{kind}: {template}");
    }
    let tf = terraform_before_apply(&spec);
    let tf_before = before_apply(&spec, "terraform", "prod-private.tf");
    for want in [
        "for_each = aws_route53_resolver_endpoint.inbound.ip_address",
        "resource \"aws_route53_resolver_rule_association\"",
        "resource \"aws_vpc_security_group_egress_rule\" \"resolver_outbound_53_udp\"",
        "cidr_ipv4 = \"10.99.0.0/16\"",
        "#checkov:skip=CKV_AWS_39:",
    ] {
        assert!(tf.contains(want), "{want}: {tf}");
    }
    apply(&spec);
    let (dir, _) = export_all(&spec);
    let (before, after) = the_whole_result(&tf_before, &dir);
    eprintln!("terraform resources: {before} the spec manages, {after} in the file after apply");
    for kind in [
        "AWS::Route53Resolver::ResolverEndpoint",
        "AWS::Route53Resolver::ResolverRule",
        "AWS::Route53Resolver::ResolverRuleAssociation",
    ] {
        assert!(
            read(&dir, "prod-private-cloudformation-import.json").contains(kind),
            "{kind}"
        );
    }
    assert_all_valid(
        &dir,
        &[
            "prod-private-cloudformation.yaml",
            "prod-private-cloudformation-import.json",
            "dns-bind.conf",
            "dns-dnsmasq.conf",
            "dns-windows.ps1",
            "prod-eksctl.yaml",
            "iam-policy.json",
            "prod-private.tf",
        ],
    );
    // The DNS spec's policy holds the Resolver's calls, its deletes held to Resolver ARNs.
    let policy = read(&dir, "iam-policy.json");
    assert!(
        policy.contains("route53resolver:CreateResolverEndpoint")
            && policy.contains(&format!(
                "arn:aws:route53resolver:{region}:123456789012:resolver-rule/*"
            )),
        "{policy}"
    );
    // The forwarders name the cluster's API host and the inbound endpoint's IPs as read.
    let inv = inventory(region);
    let host = inv["clusters"][0]["endpoint"]
        .as_str()
        .unwrap()
        .trim_start_matches("https://")
        .trim_end_matches('/')
        .to_lowercase();
    let inbound = inv["resolver"]["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["direction"] == "INBOUND")
        .unwrap();
    let ips: Vec<&str> = inbound["ips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["ip"].as_str().unwrap())
        .collect();
    assert_eq!(ips.len(), 2);
    let bind = read(&dir, "dns-bind.conf");
    assert!(bind.contains(&format!("zone \"{host}\"")), "{bind}");
    assert!(
        bind.contains(&format!("forwarders {{ {}; }};", ips.join("; "))),
        "{bind}"
    );
    let dnsmasq = read(&dir, "dns-dnsmasq.conf");
    for ip in &ips {
        assert!(
            dnsmasq.contains(&format!("server=/{host}/{ip}\n")),
            "{dnsmasq}"
        );
    }
    // Public and private access: eksctl's clusterEndpoints and the allow-list.
    let eksctl: serde_yaml::Value = serde_yaml::from_str(&read(&dir, "prod-eksctl.yaml")).unwrap();
    assert_eq!(eksctl["vpc"]["clusterEndpoints"]["publicAccess"], true);
    assert_eq!(eksctl["vpc"]["publicAccessCIDRs"][0], "203.0.113.0/24");
    // One format to stdout; one that makes several files needs --out.
    let out = cli(&["export", "--format", "eksctl"], &spec);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), read(&dir, "prod-eksctl.yaml"));
    let out = cli(&["export", "--format", "dns"], &spec);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("dns makes 3 files: give --out DIR"),
        "{}",
        stderr(&out)
    );
}

/// The validators fail what their tools would refuse (so that "ok" means something).
#[test]
fn the_validators_refuse_broken_files() {
    let dir = temp_dir("ept-export-bad");
    let cases: &[(&str, &str)] = &[
        (
            "prod-eksctl.yaml",
            "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: prod, region: eu-west-1}\nprivateCluster: {enabled: true}\nvpc: {id: vpc-1, subnets: {private: {eu-west-1a: {id: subnet-1}}}, clusterEndpoints: {publicAccess: true}}\n",
        ),
        (
            "eniconfig.yaml",
            "apiVersion: crd.k8s.amazonaws.com/v1alpha1\nkind: ENIConfig\nmetadata: {name: EU_West}\nspec: {subnet: subnet-1}\n",
        ),
        (
            "dns-bind.conf",
            "zone \"a.example\" { type forward; forwarders { 10.0.0.300; }; };\n",
        ),
        (
            "dns-dnsmasq.conf",
            "server=/a.example/10.0.0.1\nno-such-option\n",
        ),
        (
            "endpoints.rpz.zone",
            "; named-checkzone x.rpz endpoints.rpz.zone\n$TTL 300\n@ IN SOA localhost. h.localhost. 1 2 3 4 5\nsts IN CNAME\n",
        ),
        ("aws-node-runbook.sh", "step1() {\n"),
        ("aws-node-values.json", "{\"env\": {\"A\": true}}"),
        (
            "iam-policy.json",
            "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"ec2:DescribeVpcz\"], \"Resource\": \"*\"}]}",
        ),
        (
            "x-cloudformation.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  G:\n    Type: AWS::EC2::SecurityGroupz\n    Properties: {}\n",
        ),
        // HCL that does not parse, and HCL that checkov fails (SSH from anywhere).
        (
            "unparsed.tf",
            "resource \"aws_vpc\" \"x\" {\n  cidr_block = \n",
        ),
        (
            "open.tf",
            "resource \"aws_security_group\" \"g\" {\n  name   = \"g\"\n  vpc_id = \"vpc-1\"\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n",
        ),
    ];
    for (name, text) in cases {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let (ok, report) = validate(&dir);
    assert!(!ok);
    for (name, _) in cases {
        assert_ne!(report[*name], "ok", "{name}: {report:#?}");
    }
    assert!(
        report["open.tf"].as_str().unwrap().contains("CKV_AWS_24"),
        "{report:#?}"
    );
    // And an eksctl schema error: a field eksctl does not know.
    let dir = temp_dir("ept-export-bad2");
    std::fs::write(
        dir.join("x-eksctl.yaml"),
        "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: prod, region: eu-west-1}\nvpc: {idd: vpc-1}\n",
    )
    .unwrap();
    let (ok, report) = validate(&dir);
    assert!(
        !ok && report["x-eksctl.yaml"].as_str().unwrap().contains("idd"),
        "{report:#?}"
    );
}

/// Calls a run with the policy does not fail without, each with why: moto cannot show
/// that they are needed, or the tool carries on without them.
const NOT_PROVEN_BY_MOTO: &[(&str, &str)] = &[
    (
        "sts:GetCallerIdentity",
        "moto allows it to everyone, as AWS does (it needs no permission)",
    ),
    (
        "ec2:DescribeRegions",
        "only guards against a mistyped --region: without it the tool carries on",
    ),
    (
        "eks:DescribeUpdate",
        "moto's UpdateClusterConfig returns no update to follow",
    ),
    (
        "eks:ListAddons",
        "moto does not implement it (404); an optional read: the tool carries on without it",
    ),
    (
        "eks:ListNodegroups",
        "an optional read (R1, G1): refused, the node groups are unknown and the tool carries on",
    ),
    (
        "eks:DescribeNodegroup",
        "called only for a node group that exists; an optional read like ListNodegroups",
    ),
    (
        "ec2:DescribeInstances",
        "an optional read (the running nodes, R1 and G1): refused, the tool carries on without it",
    ),
    (
        "ec2:DescribeInstanceTypes",
        "an optional read (max pods, N6): refused, the offline table answers",
    ),
    (
        "ec2:GetManagedPrefixListEntries",
        "called only for a prefix list a group rule names; an optional read (G1)",
    ),
    (
        "ec2:DescribeVpcBlockPublicAccessOptions",
        "moto does not implement it (500); an optional read: the tool carries on without it",
    ),
    (
        "ec2:DescribeVpcBlockPublicAccessExclusions",
        "moto does not implement it (500); an optional read: the tool carries on without it",
    ),
    (
        "route53:ListHostedZonesByVPC",
        "an optional read (P11): refused, the tool carries on without it",
    ),
    (
        "route53profiles:ListProfileAssociations",
        "moto does not implement Route 53 Profiles; an optional read: the tool carries on without it",
    ),
    (
        "ec2:ReplaceRouteTableAssociation",
        "called only for a subnet associated with another route table when apply runs",
    ),
    (
        "ec2:DescribeNetworkInterfaces",
        "called only when a group or subnet destroy deletes is still in use, to name what holds it",
    ),
];

/// The IAM export in moto with IAM enforcement on (`/moto-api/reset-auth`): a user
/// holding only the exported policy runs plan, apply and destroy of a spec with
/// endpoints, a secondary CIDR, cluster access and DNS; with any one action removed, the
/// run fails with AccessDenied naming that action (but for NOT_PROVEN_BY_MOTO, whose
/// removal must leave the run whole). moto evaluates Action only (Resource `*`, no
/// Condition: moto/iam/access_control.py), so the policy runs in that form here; its
/// scoping is checked by parliament (tests/support/validators.sh).
#[test]
fn the_iam_policy_is_enough_and_every_action_in_it_is_needed() {
    let region = "eu-west-1";
    let servers = [
        common::Moto::start_with("iam-a", &[]),
        common::Moto::start_with("iam-b", &[]),
    ];
    let post = |m: &common::Moto, path: &str, body: &str| {
        m.python(&format!(
            "import sys, urllib.request\n\
             urllib.request.urlopen(urllib.request.Request(sys.argv[1] + {path:?}, data={body:?}.encode(), method='POST', headers={{'Content-Type': 'text/plain'}})).read()"
        ));
    };
    // A fresh account with the spec, IAM enforcement off.
    let setup = |m: &common::Moto| -> TempFile {
        post(m, "/moto-api/reset-auth", "inf");
        post(m, "/moto-api/reset", "");
        let (path, seed) = spec_on(m, region, |seed| common::full_spec_yaml(region, seed));
        // The endpoints in a group of the account's: their rules are revoked on destroy.
        let group = seed["securityGroups"]["nodes"].as_str().unwrap();
        let text = std::fs::read_to_string(&path).unwrap().replace(
            "create:   # or  id: sg-...\n      name: prod-private-endpoints",
            &format!("id: {group}"),
        );
        assert!(text.contains(&format!("id: {group}")), "{text}");
        std::fs::write(&path, text).unwrap();
        path
    };
    // A user holding `actions` only; IAM enforcement on from here. Its access key.
    let user = |m: &common::Moto, name: &str, actions: &[String]| -> (String, String) {
        post(m, "/moto-api/reset-auth", "inf");
        let policy = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]
        });
        let out = m.python(&format!(
            "import boto3, sys\n\
             iam = boto3.client('iam', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')\n\
             iam.create_user(UserName={name:?})\n\
             iam.put_user_policy(UserName={name:?}, PolicyName='ept', PolicyDocument={:?})\n\
             k = iam.create_access_key(UserName={name:?})['AccessKey']\n\
             print(k['AccessKeyId'], k['SecretAccessKey'])",
            policy.to_string()
        ));
        post(m, "/moto-api/reset-auth", "0");
        let (a, s) = out.trim().split_once(' ').unwrap();
        (a.to_string(), s.to_string())
    };
    // plan, apply, destroy as that user: the first failure's output.
    let run = |m: &common::Moto, key: &(String, String), spec: &Path| -> Result<(), String> {
        for args in [
            &["plan"][..],
            &["apply", "--auto-approve"],
            &["destroy", "--auto-approve"],
        ] {
            let out = bin(Some(&m.url))
                .env("AWS_ACCESS_KEY_ID", &key.0)
                .env("AWS_SECRET_ACCESS_KEY", &key.1)
                .args(args)
                .arg("--spec")
                .arg(spec)
                .output()
                .unwrap();
            if !out.status.success() {
                return Err(format!("{}: {}{}", args[0], stdout(&out), stderr(&out)));
            }
        }
        Ok(())
    };
    // The export, read as the administrator.
    let spec = setup(&servers[0]);
    let dir = temp_dir("ept-iam-out");
    let out = bin(Some(&servers[0].url))
        .args([
            "export",
            "--format",
            "iam",
            "--out",
            dir.to_str().unwrap(),
            "--spec",
        ])
        .arg(&spec)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let policy: Value = serde_json::from_str(&read(&dir, "iam-policy.json")).unwrap();
    // Every action of a policy's statements, once each, sorted.
    let actions_of = |policy: &Value| -> Vec<String> {
        let mut a: Vec<String> = policy["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["Action"].as_array().unwrap())
            .map(|a| a.as_str().unwrap().to_string())
            .collect();
        a.sort();
        a.dedup();
        a
    };
    let actions = actions_of(&policy);
    // Enough: the whole run succeeds, and destroy leaves nothing of the spec's.
    let key = user(&servers[0], "ept-all", &actions);
    run(&servers[0], &key, &spec).unwrap_or_else(|e| panic!("with the whole policy: {e}"));
    // The policy exported after apply (issue 26, 5: it could not run destroy): a principal
    // holding only it destroys everything the apply made and changed.
    let spec = setup(&servers[0]);
    let out = bin(Some(&servers[0].url))
        .args(["apply", "--auto-approve", "--spec"])
        .arg(&spec)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after_dir = temp_dir("ept-iam-after");
    let out = bin(Some(&servers[0].url))
        .args(["export", "--format", "iam", "--out"])
        .arg(&*after_dir)
        .arg("--spec")
        .arg(&spec)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after: Value = serde_json::from_str(&read(&after_dir, "iam-policy.json")).unwrap();
    let after_actions = actions_of(&after);
    assert_eq!(
        after_actions, actions,
        "the same policy before and after apply"
    );
    let key = user(&servers[0], "ept-after", &after_actions);
    let destroy = |args: &[&str]| {
        bin(Some(&servers[0].url))
            .env("AWS_ACCESS_KEY_ID", &key.0)
            .env("AWS_SECRET_ACCESS_KEY", &key.1)
            .args(args)
            .arg("--spec")
            .arg(&spec)
            .output()
            .unwrap()
    };
    let out = destroy(&["destroy", "--auto-approve"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("Destroy complete!"),
        "{}",
        stdout(&out)
    );
    let out = destroy(&["destroy", "--auto-approve"]);
    assert!(
        stdout(&out).contains("Nothing to destroy"),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    // Needed: each one removed, on two servers at once; discovery's calls first (they
    // stop `plan`, so their account can be reused).
    let reads: Vec<String> = eks_private_tui::calls::DISCOVERY
        .iter()
        .map(|c| c.to_string())
        .collect();
    let mut order = actions.clone();
    order.sort_by_key(|a| reads.contains(a));
    let queue = std::sync::Mutex::new(order);
    let results = std::sync::Mutex::new(Vec::<(String, Result<(), String>)>::new());
    std::thread::scope(|scope| {
        for m in &servers {
            let (queue, results, actions) = (&queue, &results, &actions);
            let (setup, user, run) = (&setup, &user, &run);
            scope.spawn(move || {
                // A run refused at `plan` changed nothing: the next one reuses its account.
                let mut unchanged: Option<TempFile> = None;
                loop {
                    let Some(drop) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let spec = unchanged.take().unwrap_or_else(|| setup(m));
                    let rest: Vec<String> =
                        actions.iter().filter(|a| **a != drop).cloned().collect();
                    let name = format!("ept-{}", drop.replace(':', "-"));
                    let key = user(m, &name, &rest);
                    let r = run(m, &key, &spec);
                    if r.as_ref().is_err_and(|e| e.starts_with("plan:")) {
                        unchanged = Some(spec);
                    }
                    results.lock().unwrap().push((drop, r));
                }
            });
        }
    });
    let results = results.into_inner().unwrap();
    assert_eq!(results.len(), actions.len());
    let mut wrong = vec![];
    for (drop, r) in &results {
        let excused = NOT_PROVEN_BY_MOTO.iter().any(|(a, _)| a == drop);
        match r {
            Ok(()) if excused => {}
            Ok(()) => wrong.push(format!("{drop}: the run succeeded without it")),
            Err(e) if excused => wrong.push(format!("{drop} is excused but was needed: {e}")),
            Err(e) if e.contains(&format!("not authorized to perform: {drop}")) => {}
            Err(e) => wrong.push(format!("{drop}: failed, but not naming it: {e}")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Every excused call is in the policy (it is needed on AWS).
    for (a, _) in NOT_PROVEN_BY_MOTO {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
}

/// The CloudFormation export of an endpoints-only spec, deployed into moto: `plan` on the
/// same spec then has nothing to do. The account first gets what the template leaves to
/// `apply` (VPC DNS hostnames, the node subnets' internal-elb tag, the S3 gateway on
/// every node route table), so that the template's header names nothing left out.
#[test]
fn the_cloudformation_template_deploys_and_plan_then_says_no_changes() {
    let region = "eu-west-2";
    let m = moto();
    let (spec, seed) = spec_for(region, |_| String::new());
    let vpc = seed["vpc"].as_str().unwrap();
    let s3 = seed["s3Endpoint"].as_str().unwrap();
    let tables: Vec<&str> = seed["privateRouteTables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    let nodes: Vec<&str> = ["a", "b", "c"]
        .iter()
        .map(|z| {
            seed["subnets"][format!("prod-private-{z}")]
                .as_str()
                .unwrap()
        })
        .collect();
    m.python(&format!(
        "import boto3, sys\n\
         ec2 = boto3.client('ec2', endpoint_url=sys.argv[1], region_name={region:?}, aws_access_key_id='test', aws_secret_access_key='test')\n\
         ec2.modify_vpc_attribute(VpcId={vpc:?}, EnableDnsHostnames={{'Value': True}})\n\
         ec2.create_tags(Resources={nodes:?}, Tags=[{{'Key': 'kubernetes.io/role/internal-elb', 'Value': '1'}}])\n\
         ec2.modify_vpc_endpoint(VpcEndpointId={s3:?}, AddRouteTableIds={tables:?})"
    ));
    let dir = temp_dir("ept-cfn-out");
    let out = cli(
        &[
            "export",
            "--format",
            "cloudformation",
            "--out",
            dir.to_str().unwrap(),
        ],
        &spec,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_all_valid(&dir, &["prod-private-cloudformation.yaml"]);
    let template = read(&dir, "prod-private-cloudformation.yaml");
    assert!(
        !template.contains("cannot change what it did not create"),
        "{template}"
    );
    let parsed: serde_yaml::Value = serde_yaml::from_str(&template).unwrap();
    let kinds: std::collections::BTreeSet<&str> = parsed["Resources"]
        .as_mapping()
        .unwrap()
        .values()
        .map(|r| r["Type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "AWS::EC2::SecurityGroup",
            "AWS::EC2::SecurityGroupIngress",
            "AWS::EC2::VPCEndpoint"
        ]
        .into(),
        "{template}"
    );
    let status = m.python(&format!(
        "import boto3, sys, time\n\
         cf = boto3.client('cloudformation', endpoint_url=sys.argv[1], region_name={region:?}, aws_access_key_id='test', aws_secret_access_key='test')\n\
         cf.create_stack(StackName='prod-private', TemplateBody=open({:?}).read())\n\
         for _ in range(100):\n    s = cf.describe_stacks(StackName='prod-private')['Stacks'][0]['StackStatus']\n    if not s.endswith('IN_PROGRESS'): break\n    time.sleep(0.1)\n\
         print(s)",
        dir.join("prod-private-cloudformation.yaml")
    ));
    assert_eq!(status.trim(), "CREATE_COMPLETE");
    let out = cli(&["plan"], &spec);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("No changes"),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    // The stack owns its resources: destroy leaves them to it, and says so.
    let out = cli(&["destroy", "--auto-approve"], &spec);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        said.contains("are left to the stack: delete the stack"),
        "{said}"
    );
    let out = cli(&["plan"], &spec);
    assert!(stdout(&out).contains("No changes"), "{}", stdout(&out));
}
