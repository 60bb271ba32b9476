//! Discovery against a real AWS emulator (moto 5.2.5, server mode) through the binary's
//! documented JSON interface. Each test uses its own region of one shared server.

mod common;

use common::*;
use serde_json::Value;

fn vpc<'a>(inv: &'a Value, id: &str) -> &'a Value {
    inv["vpcs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == id)
        .unwrap_or_else(|| panic!("VPC {id} not in inventory"))
}

fn subnet<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["subnets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("subnet {id} not in VPC {}", v["id"]))
}

#[test]
fn demo_account_is_discovered_and_classified() {
    let m = moto();
    let seed = m.seed("demo", "eu-west-1", &["--extras"]);
    let inv = inventory_json(m, "eu-west-1", &[]);

    // The documented top level (docs/inventory.md).
    for key in [
        "region",
        "account",
        "availabilityZones",
        "vpcs",
        "clusters",
        "resolver",
    ] {
        assert!(inv.get(key).is_some(), "missing top-level {key}");
    }
    assert_eq!(inv["region"], "eu-west-1");
    assert_eq!(inv["account"], "123456789012");
    // The regions the account may use, for the wizard's region list.
    let regions: Vec<&str> = inv["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(
        regions.contains(&"eu-west-1") && regions.contains(&"us-east-1"),
        "{regions:?}"
    );
    assert!(
        regions.windows(2).all(|w| w[0] < w[1]),
        "sorted: {regions:?}"
    );
    let zones = inv["availabilityZones"].as_array().unwrap();
    assert_eq!(zones.len(), 3);
    assert!(
        zones
            .iter()
            .all(|z| z["zoneId"].as_str().unwrap().starts_with("euw1-az"))
    );

    let prod_id = seed["vpc"].as_str().unwrap();
    let prod = vpc(&inv, prod_id);
    assert_eq!(prod["name"], "prod");
    assert_eq!(prod["cidrs"][0]["cidr"], "10.0.0.0/16");
    assert_eq!(prod["cidrs"][0]["state"], "associated");
    assert_eq!(prod["dnsSupport"], true);
    assert_eq!(prod["dnsHostnames"], false);
    assert_eq!(prod["subnets"].as_array().unwrap().len(), 10);

    // Classification from the route table in effect (S3).
    let sn = &seed["subnets"];
    for (name, kind) in [
        ("prod-public-a", "public"),
        ("prod-public-c", "public"),
        ("prod-private-a", "private"),
        ("prod-private-c", "private"),
        ("prod-data-b", "isolated"),
        ("prod-legacy-a", "isolated"),
    ] {
        let s = subnet(prod, sn[name].as_str().unwrap());
        assert_eq!(s["kind"], kind, "{name}");
        assert_eq!(s["name"], name);
        for key in [
            "az",
            "azId",
            "cidr",
            "availableIps",
            "routeTableId",
            "mainRouteTable",
        ] {
            assert!(s.get(key).is_some(), "{name}: missing {key}");
        }
    }
    // Explicit association vs the main route table, flagged.
    let private_a = subnet(prod, sn["prod-private-a"].as_str().unwrap());
    assert_eq!(private_a["mainRouteTable"], false);
    assert_eq!(private_a["routeTableId"], seed["privateRouteTables"][0]);
    let legacy = subnet(prod, sn["prod-legacy-a"].as_str().unwrap());
    assert_eq!(legacy["mainRouteTable"], true);
    let main_rt = prod["routeTables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["main"] == true)
        .unwrap();
    assert_eq!(legacy["routeTableId"], main_rt["id"]);
    // Free IPs come from AWS's count (the NAT gateway's ENI takes one in public-a).
    assert!(private_a["availableIps"].as_i64().unwrap() > 8000);

    // Gateway routes and the peering route are in the route tables.
    let private_rt = prod["routeTables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == seed["privateRouteTables"][0])
        .unwrap();
    let routes = private_rt["routes"].as_array().unwrap();
    assert!(
        routes
            .iter()
            .any(|r| r["destination"] == "0.0.0.0/0" && r["target"] == seed["nat"])
    );
    assert!(routes.iter().any(|r| r["target"] == seed["peering"]));
    assert_eq!(prod["natGateways"][0]["id"], seed["nat"]);
    assert_eq!(prod["internetGateways"].as_array().unwrap().len(), 1);

    // Endpoints: short service names, type, state, subnets, SGs, private DNS, route tables.
    let eps = prod["endpoints"].as_array().unwrap();
    let s3 = eps.iter().find(|e| e["service"] == "s3").unwrap();
    assert_eq!(s3["id"], seed["s3Endpoint"]);
    assert_eq!(s3["type"], "Gateway");
    assert_eq!(s3["state"], "available");
    assert_eq!(s3["serviceName"], "com.amazonaws.eu-west-1.s3");
    assert_eq!(s3["routeTableIds"][0], seed["privateRouteTables"][0]);
    assert!(s3["policyDocument"].as_str().unwrap().contains("Statement"));
    // Network ACLs: moto's default ACL covers every subnet, allowing all.
    let acl = &prod["networkAcls"][0];
    assert_eq!(acl["isDefault"], true);
    assert_eq!(acl["subnetIds"].as_array().unwrap().len(), 10);
    assert!(
        acl["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "allow" && e["cidr"] == "0.0.0.0/0")
    );
    let sts = eps.iter().find(|e| e["service"] == "sts").unwrap();
    assert_eq!(sts["type"], "Interface");
    assert_eq!(sts["privateDns"], true);
    assert_eq!(sts["securityGroupIds"][0], seed["endpointSg"]);
    assert_eq!(sts["subnetIds"].as_array().unwrap().len(), 2);

    // Security groups with rules.
    let sgs = prod["securityGroups"].as_array().unwrap();
    let bastion = sgs.iter().find(|g| g["name"] == "prod-bastion").unwrap();
    assert_eq!(bastion["ingress"][0]["fromPort"], 22);
    assert_eq!(bastion["ingress"][0]["cidrs"][0], "10.99.0.0/16");

    // Peering, seen from both sides.
    let client_id = seed["clientVpc"].as_str().unwrap();
    assert_eq!(prod["peerings"][0]["id"], seed["peering"]);
    assert_eq!(prod["peerings"][0]["status"], "active");
    assert_eq!(vpc(&inv, client_id)["peerings"][0]["id"], seed["peering"]);

    // The cluster: VPC derived from its subnets (moto omits vpcId), public-only access.
    let clusters = inv["clusters"].as_array().unwrap();
    assert_eq!(clusters.len(), 1);
    let c = &clusters[0];
    assert_eq!(c["name"], "prod");
    assert_eq!(c["vpcId"], prod_id);
    assert_eq!(c["publicAccess"], true);
    assert_eq!(c["privateAccess"], false);
    assert_eq!(c["publicAccessCidrs"][0], "0.0.0.0/0");
    assert_eq!(c["serviceCidr"], "172.20.0.0/16");
    assert_eq!(c["subnetIds"].as_array().unwrap().len(), 3);
    assert!(c["endpoint"].as_str().unwrap().starts_with("https://"));

    // Route 53 Resolver: endpoints with IPs, the FORWARD rule, its association.
    let r = &inv["resolver"];
    let inbound = r["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == seed["inboundResolver"])
        .unwrap();
    assert_eq!(inbound["direction"], "INBOUND");
    assert_eq!(inbound["vpcId"], prod_id);
    assert_eq!(inbound["ips"].as_array().unwrap().len(), 2);
    let rule = &r["rules"].as_array().unwrap()[0];
    assert_eq!(rule["id"], seed["resolverRule"]);
    assert_eq!(rule["ruleType"], "FORWARD");
    assert_eq!(rule["targetIps"][0], "10.0.64.10:53");
    let assoc = &r["ruleAssociations"].as_array().unwrap()[0];
    assert_eq!(assoc["vpcId"], client_id);
    assert_eq!(assoc["ruleId"], seed["resolverRule"]);

    // moto's own default VPC (not seeded by us) is there too, unnamed and default.
    let default = inv["vpcs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["isDefault"] == true)
        .unwrap();
    assert_eq!(default["cidrs"][0]["cidr"], "172.31.0.0/16");
    assert_eq!(default["subnets"].as_array().unwrap().len(), 3);

    // The region's endpoint services, with short names and AZs (P1, P2).
    let services = inv["endpointServices"].as_array().unwrap();
    let ecr = services.iter().find(|s| s["service"] == "ecr.dkr").unwrap();
    assert_eq!(ecr["serviceName"], "com.amazonaws.eu-west-1.ecr.dkr");
    assert!(!ecr["availabilityZones"].as_array().unwrap().is_empty());
}

#[test]
fn vpc_filter_limits_the_reads() {
    let m = moto();
    let seed = m.seed("demo", "us-west-2", &[]);
    let prod = seed["vpc"].as_str().unwrap();
    let inv = inventory_json(m, "us-west-2", &["--vpc", prod]);
    assert_eq!(inv["vpcFilter"], prod);
    let vpcs = inv["vpcs"].as_array().unwrap();
    assert_eq!(vpcs.len(), 1);
    assert_eq!(vpcs[0]["id"], prod);
    assert_eq!(vpcs[0]["subnets"].as_array().unwrap().len(), 10);
    assert_eq!(inv["clusters"][0]["name"], "prod");
    // The client VPC holds no cluster.
    let client = seed["clientVpc"].as_str().unwrap();
    let inv = inventory_json(m, "us-west-2", &["--vpc", client]);
    assert_eq!(inv["vpcs"].as_array().unwrap().len(), 1);
    assert!(inv["clusters"].as_array().unwrap().is_empty());
    assert_eq!(inv["vpcs"][0]["peerings"][0]["id"], seed["peering"]);
}

/// More than a page of EKS clusters (ListClusters pages at 100, and moto pages it) and
/// more than a page of subnets (DescribeSubnets pages at 1000; moto answers in one page,
/// so this shows nothing is cut at the page size).
#[test]
fn lists_longer_than_a_page_are_read_whole() {
    let m = moto();
    let out = m.python(
        r#"
import boto3, sys
kw = dict(endpoint_url=sys.argv[1], region_name="ap-southeast-2",
          aws_access_key_id="test", aws_secret_access_key="test")
ec2 = boto3.client("ec2", **kw); eks = boto3.client("eks", **kw)
vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
first = None
for i in range(1050):
    s = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.8.{i // 16}.{(i % 16) * 16}/28",
                          AvailabilityZone="ap-southeast-2" + "abc"[i % 3])["Subnet"]["SubnetId"]
    first = first or s
for i in range(120):
    eks.create_cluster(name=f"c{i:03d}", roleArn="arn:aws:iam::123456789012:role/r",
                       resourcesVpcConfig={"subnetIds": [first]})
print(vpc)
"#,
    );
    let vpc_id = out.trim();
    let inv = inventory_json(m, "ap-southeast-2", &[]);
    let clusters = inv["clusters"].as_array().unwrap();
    assert_eq!(clusters.len(), 120);
    assert_eq!(clusters[0]["name"], "c000");
    assert_eq!(clusters[119]["name"], "c119");
    assert!(clusters.iter().all(|c| c["vpcId"] == vpc_id));
    assert_eq!(vpc(&inv, vpc_id)["subnets"].as_array().unwrap().len(), 1050);
}

/// Issue 27, 3: a listing whose every page answers the same NextToken (here the loopback
/// proxy's `--loop-token`) ends at the second page with one line naming the call, instead
/// of 650 calls in 40 s.
#[test]
fn a_listing_that_pages_in_a_loop_ends_with_one_line_naming_the_call() {
    let m = moto();
    m.seed("demo", "eu-west-3", &[]);
    for action in ["DescribeSubnets", "DescribeSecurityGroups"] {
        let proxy = Proxy::start(&m.url, &["--loop-token", action]);
        let out = bin(Some(&proxy.url))
            .args(["inventory", "--region", "eu-west-3"])
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("NextToken repeated after 2 pages") && err.contains(action),
            "{err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
}

#[test]
fn text_and_yaml_outputs() {
    let m = moto();
    let seed = m.seed("demo", "eu-central-1", &[]);
    let out = bin(Some(&m.url))
        .args(["inventory", "--region", "eu-central-1", "--stats"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains(&format!(
        "VPC {} \"prod\" 10.0.0.0/16",
        seed["vpc"].as_str().unwrap()
    )));
    assert!(text.contains("DNS support on, DNS hostnames OFF"));
    assert!(text.contains("subnets: 3 public, 3 private, 4 isolated"));
    assert!(text.contains("(main)"));
    assert!(text.contains("cluster prod 1.31 ACTIVE · public endpoint only"));
    let stats = stderr(&out);
    assert!(
        stats.starts_with("stats: ") && stats.contains("AWS calls"),
        "{stats}"
    );

    let out = bin(Some(&m.url))
        .args(["inventory", "--region", "eu-central-1", "-o", "yaml"])
        .output()
        .unwrap();
    let y: serde_yaml::Value = serde_yaml::from_slice(&out.stdout).unwrap();
    assert_eq!(y["region"].as_str(), Some("eu-central-1"));
}

/// EC2 throttles each API on a token bucket; a region with many VPCs exceeds the one for
/// DescribeVpcAttribute (2 calls per VPC). A loopback proxy emulates it (burst 10, 20/s)
/// in front of moto: the read must still complete, with every VPC's attributes.
#[test]
fn throttled_attribute_reads_complete() {
    let m = moto();
    m.python(
        r#"
import boto3, sys
ec2 = boto3.client("ec2", endpoint_url=sys.argv[1], region_name="ca-central-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
for i in range(40):
    v = ec2.create_vpc(CidrBlock=f"10.{i}.0.0/16")["Vpc"]["VpcId"]
    if i % 2:
        ec2.modify_vpc_attribute(VpcId=v, EnableDnsHostnames={"Value": True})
"#,
    );
    let proxy = Proxy::start(&m.url, &["--throttle", "DescribeVpcAttribute=10:20"]);
    let inv = inventory_json_via(&proxy.url, "ca-central-1");
    let vpcs = inv["vpcs"].as_array().unwrap();
    assert_eq!(vpcs.len(), 41, "40 seeded + the default VPC");
    let with_hostnames = vpcs.iter().filter(|v| v["dnsHostnames"] == true).count();
    assert_eq!(
        with_hostnames, 21,
        "20 seeded with hostnames on + the default VPC"
    );
    let stats = proxy.stats();
    assert!(
        stats["throttled"].as_u64().unwrap() > 0,
        "the proxy never throttled: {stats}"
    );
}

fn inventory_json_via(url: &str, region: &str) -> Value {
    let out = bin(Some(url))
        .args(["inventory", "-o", "json", "--region", region])
        .output()
        .unwrap();
    assert!(out.status.success(), "inventory failed: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn discovery_makes_only_the_calls_the_call_table_lists() {
    let m = moto();
    let seed = m.seed("demo", "sa-east-1", &["--extras"]);
    let file = temp_file("ept-discovery-calls", "txt");
    let out = bin(Some(&m.url))
        .args(["inventory", "-o", "json", "--region", "sa-east-1"])
        .env("EKS_PRIVATE_TUI_CALLS_FILE", &file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // A spec with a node group: its instance type is read for max pods (N6).
    let spec = temp_file("ept-discovery-calls-spec", "yaml");
    let made_spec = bin(Some(&m.url))
        .args([
            "spec",
            "new",
            "--region",
            "sa-east-1",
            "--vpc",
            seed["vpc"].as_str().unwrap(),
        ])
        .arg("--spec")
        .arg(&spec)
        .output()
        .unwrap();
    assert!(made_spec.status.success(), "{}", stderr(&made_spec));
    let mut text = std::fs::read_to_string(&spec).unwrap();
    text.push_str("nodeGroup:\n  instanceType: m7i.xlarge\n");
    common::write(&spec, &text);
    let checked = bin(Some(&m.url))
        .args(["check", "--spec"])
        .arg(&spec)
        .env("EKS_PRIVATE_TUI_CALLS_FILE", &file)
        .output()
        .unwrap();
    assert!(
        checked.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&checked)
    );
    let made: std::collections::BTreeSet<String> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    std::fs::remove_file(&file).unwrap();
    let declared: std::collections::BTreeSet<String> = eks_private_tui::calls::DISCOVERY
        .iter()
        .map(|c| c.to_string())
        .collect();
    // Every read listed is made (the demo with extras has a cluster with a node group, a
    // group rule naming a prefix list and Resolver endpoints; the spec a node group's
    // instance type), and no other.
    assert_eq!(made, declared);
}

/// Issue 25 (N6): max pods is known for every instance type DescribeInstanceTypes returns
/// (moto answers with EC2's 1 395), read through the API exactly as the offline table
/// records them; named types answer AWS's published figures; a type EC2 does not list is
/// one clear line, exit 2.
#[test]
fn max_pods_is_known_for_every_type_the_region_lists() {
    let m = moto();
    let out = bin(Some(&m.url))
        .args(["max-pods", "-o", "json", "--region", "eu-central-1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("offline table"),
        "read from the API: {}",
        stderr(&out)
    );
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rows.len() >= 1395, "{} types", rows.len());
    let offline = eks_private_tui::rules::cni::offline_types();
    assert_eq!(
        rows.len(),
        offline.len(),
        "every type of the table, and no other"
    );
    for r in &rows {
        let name = r["instanceType"].as_str().unwrap();
        let t = offline
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("{name} is not in the offline table"));
        let want = eks_private_tui::rules::cni::PodsRow::of(t);
        assert_eq!(r, &serde_json::to_value(&want).unwrap(), "{name}");
        assert!(r["maxPods"].as_u64().unwrap() >= 2, "{name}");
    }
    // Named types: AWS's published figures (eni-max-pods.txt, amazon-vpc-cni-k8s v1.23.1).
    let out = bin(Some(&m.url))
        .args(["max-pods", "-o", "json", "--region", "eu-central-1"])
        .args(["m7i.large", "trn1.32xlarge", "p5.48xlarge", "m5.16xlarge"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let allowed: Vec<(String, u64)> = rows
        .iter()
        .map(|r| {
            (
                r["instanceType"].as_str().unwrap().to_string(),
                r["allowed"].as_u64().unwrap(),
            )
        })
        .collect();
    for (t, n) in [
        ("m7i.large", 29),
        ("trn1.32xlarge", 247),
        ("p5.48xlarge", 100),
        ("m5.16xlarge", 737),
    ] {
        assert!(
            allowed.contains(&(t.to_string(), n)),
            "{t} {n}: {allowed:?}"
        );
    }
    let m5 = rows
        .iter()
        .find(|r| r["instanceType"] == "m5.16xlarge")
        .unwrap();
    assert_eq!(m5["customNetworking"], 250, "capped above 30 vCPUs");
    // A type EC2 does not list.
    let out = bin(Some(&m.url))
        .args(["max-pods", "--region", "eu-central-1", "x9.huge"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("x9.huge") && err.lines().count() == 1, "{err}");
}
