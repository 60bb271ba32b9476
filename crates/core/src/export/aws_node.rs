//! `aws-node`: the VPC CNI's configuration values for custom networking (rule N4, and
//! prefix delegation when the spec turns it on), as the EKS add-on takes them, and a
//! runbook that applies them in rule N5's order: the ENIConfigs, then the environment
//! (the add-on, or `kubectl set env` for a self-managed aws-node), then the aws-node
//! rollout, then the nodes replaced one AZ at a time with new capacity first, then a check
//! that pods get their addresses from the pod subnets. A dry run unless `--execute`.

use super::{Cannot, File, Format, Source, plain, provenance};
use crate::rules::cni::aws_node_env;
use crate::spec::Spec;

pub const VALUES: &str = "aws-node-values.json";
pub const RUNBOOK: &str = "aws-node-runbook.sh";

/// The aws-node environment the spec asks for: custom networking's, and prefix
/// delegation's.
fn env(spec: &Spec) -> Option<Vec<(&'static str, String)>> {
    let cn = spec.custom_networking.as_ref()?;
    let mut env = aws_node_env(cn);
    if cn.prefix_delegation {
        env.push(("ENABLE_PREFIX_DELEGATION", "true".into()));
        env.push(("WARM_PREFIX_TARGET", "1".into()));
    }
    Some(env)
}

/// The vpc-cni add-on's configuration values (compact JSON), when the spec needs any.
pub fn configuration_values(spec: &Spec) -> Option<String> {
    let env: serde_json::Map<String, serde_json::Value> = env(spec)?
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.into()))
        .collect();
    Some(serde_json::json!({ "env": env }).to_string())
}

pub fn render(src: &Source) -> Result<Vec<File>, Cannot> {
    src.not_auto_mode("the aws-node settings")?;
    let spec = src.spec;
    let Some(env) = env(spec) else {
        return Err(Cannot::Spec(
            "aws-node needs settings only for custom networking: add customNetworking to the spec (without it, subnet discovery uses the pod subnets as they are tagged)".into(),
        ));
    };
    let cluster = src.cluster_name(Format::AwsNode)?;
    plain("clusterName", cluster)?;
    plain("region", &spec.region)?;
    for (k, v) in &env {
        plain(k, v)?;
    }
    let values = configuration_values(spec).expect("env is set");
    let pretty = {
        let v: serde_json::Value = serde_json::from_str(&values).expect("our own JSON");
        serde_json::to_string_pretty(&v).expect("a JSON value always serializes") + "\n"
    };
    // What the check of step 5 accepts: the pod subnets' CIDRs, known from the spec.
    let mut cidrs: Vec<String> = spec
        .secondary_cidr
        .iter()
        .flat_map(|s| s.pod_subnets.values())
        .map(|c| c.trim().to_string())
        .collect();
    cidrs.sort();
    cidrs.dedup();
    for c in &cidrs {
        plain("secondaryCidr.podSubnets", c)?;
    }
    let set_env: String = env.iter().map(|(k, v)| format!(" {k}={v}")).collect();
    let region = &spec.region;
    // The AZs step 4 goes through, one at a time: the spec's node AZs.
    let azs: Vec<&str> = spec.node_subnets.keys().map(String::as_str).collect();
    for az in &azs {
        plain("nodeSubnets", az)?;
    }
    let cn = spec.custom_networking.as_ref().expect("env is set");
    plain("customNetworking.eniConfigLabel", &cn.eni_config_label)?;
    // kubectl's custom-columns take a label's dots escaped.
    let label_column = cn.eni_config_label.replace('.', "\\.");
    let script = format!(
        r#"#!/usr/bin/env bash
# {provenance}
# Custom networking for cluster {cluster}, in the order rule N5 asks (docs/export.md):
#   1. the ENIConfigs, 2. the aws-node environment, 3. aws-node restarted with it,
#   4. the existing nodes replaced, one AZ at a time, new capacity first (they keep their
#      old pod addresses until then), 5. a check that pods get their addresses from the
#      pod subnets.
# A dry run unless --execute: it reads the cluster and prints each command that would
# change something, prefixed with "+". Run it from a shell with kubectl pointed at the
# cluster and AWS credentials for it:
#   bash {RUNBOOK}                 every step, as a dry run
#   bash {RUNBOOK} --execute       every step (step 4 asks before each AZ; YES=1 does not)
#   bash {RUNBOOK} --execute 4     one step
# Step 4, for each AZ: adds as many nodes as the AZ has (NODEGROUP=<managed node group>
# scales that group up; without it, launch them yourself), waits until they are Ready with
# an ENIConfig (NEW_NODE_TIMEOUT seconds, 1200), cordons and drains the AZ's old nodes
# (draining evicts, so PodDisruptionBudgets hold), stops at the first drain that fails,
# then terminates the drained instances through their Auto Scaling group, its desired size
# going back down.
# With a self-managed aws-node (no vpc-cni add-on), step 2 uses kubectl set env instead.
set -euo pipefail
cd "$(dirname "$0")"
REGION={region}
CLUSTER={cluster}
POD_CIDRS=({pod_cidrs})
AZS=({azs})
ENI_CONFIG_LABEL={label}
NEW_NODE_TIMEOUT=${{NEW_NODE_TIMEOUT:-1200}}
EXECUTE=0
STEPS=()
for a in "$@"; do
  case "$a" in
    --execute) EXECUTE=1 ;;
    [1-5]) STEPS+=("$a") ;;
    *) echo "usage: bash {RUNBOOK} [--execute] [STEP...]  (STEP: 1 to 5)" >&2; exit 2 ;;
  esac
done
[ "$EXECUTE" = 1 ] || echo "Dry run: the commands that change something are printed, not run (--execute runs them)."

# A command that changes the cluster or the account: printed, and run with --execute.
run() {{
  printf '   +'; printf ' %q' "$@"; echo
  if [ "$EXECUTE" = 1 ]; then "$@"; fi
}}

step1() {{
  echo "1. ENIConfigs (one per node AZ)"
  run kubectl apply -f {eniconfig}
}}

step2() {{
  echo "2. aws-node environment:{set_env}"
  if aws eks describe-addon --region "$REGION" --cluster-name "$CLUSTER" --addon-name vpc-cni >/dev/null 2>&1; then
    run aws eks update-addon --region "$REGION" --cluster-name "$CLUSTER" --addon-name vpc-cni \
      --configuration-values file://{VALUES} --resolve-conflicts PRESERVE
    run aws eks wait addon-active --region "$REGION" --cluster-name "$CLUSTER" --addon-name vpc-cni
  else
    run kubectl -n kube-system set env daemonset aws-node{set_env}
  fi
}}

step3() {{
  echo "3. aws-node restarted with it"
  run kubectl -n kube-system rollout status daemonset/aws-node --timeout=10m
}}

# Every node: name, AZ, Ready, its ENIConfig label's value, provider ID.
nodes() {{
  kubectl get nodes --no-headers -o 'custom-columns=NAME:.metadata.name,ZONE:.metadata.labels.topology\.kubernetes\.io/zone,READY:.status.conditions[?(@.type=="Ready")].status,ENICONFIG:.metadata.labels.{label_column},ID:.spec.providerID'
}}

# Capacity for $1 more nodes, before any is drained.
add_capacity() {{
  if [ -z "${{NODEGROUP:-}}" ]; then
    echo "   launch $1 new node(s) now (NODEGROUP=<managed node group> lets this runbook scale it)"
    return 0
  fi
  local desired max want
  read -r desired max < <(aws eks describe-nodegroup --region "$REGION" --cluster-name "$CLUSTER" \
    --nodegroup-name "$NODEGROUP" --query 'nodegroup.scalingConfig.[desiredSize,maxSize]' --output text)
  want=$((desired + $1))
  if [ "$want" -gt "$max" ]; then
    echo "   $NODEGROUP's maxSize $max is raised to $want for the new nodes"
    max=$want
  fi
  run aws eks update-nodegroup-config --region "$REGION" --cluster-name "$CLUSTER" \
    --nodegroup-name "$NODEGROUP" --scaling-config "desiredSize=$want,maxSize=$max"
}}

# Waits until $1 nodes that are not in $2 (the names before) are Ready, each with the
# ENIConfig its label names.
wait_new() {{
  local want=$1 before=$2 ready name zone status eni id deadline=$((SECONDS + NEW_NODE_TIMEOUT))
  echo "   waiting for $want new node(s) Ready, each with its ENIConfig"
  [ "$EXECUTE" = 1 ] || return 0
  while :; do
    ready=0
    while read -r name zone status eni id; do
      grep -qxF "$name" <<<"$before" && continue
      [ "$status" = True ] || continue
      if ! kubectl get eniconfig "$eni" >/dev/null 2>&1; then
        echo "   new node $name has no ENIConfig ($ENI_CONFIG_LABEL=$eni): its pods would get no address; nothing drained" >&2
        return 1
      fi
      ready=$((ready + 1))
    done < <(nodes)
    if [ "$ready" -ge "$want" ]; then echo "   $ready new node(s) Ready"; return 0; fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "   $ready of $want new node(s) Ready after ${{NEW_NODE_TIMEOUT}}s: nothing drained" >&2
      return 1
    fi
    sleep "${{POLL_SECONDS:-15}}"
  done
}}

# The drained node $1's instance, terminated through its Auto Scaling group.
remove_node() {{
  local id
  id=$(kubectl get node "$1" -o jsonpath='{{.spec.providerID}}')
  id=${{id##*/}}
  case "$id" in
    i-*) run aws autoscaling terminate-instance-in-auto-scaling-group --region "$REGION" \
           --instance-id "$id" --should-decrement-desired-capacity \
         || echo "   $id is in no Auto Scaling group: aws ec2 terminate-instances --region $REGION --instance-ids $id" ;;
    *) echo "   $1 has no EC2 instance ID: remove it yourself" ;;
  esac
}}

step4() {{
  echo "4. replace the existing nodes: one AZ at a time, new capacity first"
  local az these before n node answer old
  # The nodes there are now: the ones to replace. Nodes added on the way (any AZ) stay.
  old=$(nodes | awk '{{print $1}}')
  for az in "${{AZS[@]}}"; do
    these=$(nodes | awk -v z="$az" '$2 == z {{print $1}}' | grep -xF "$old" || true)
    if [ -z "$these" ]; then echo "   $az: no nodes"; continue; fi
    n=$(wc -w <<<"$these")
    echo "   $az: $n node(s) to replace:" $these
    if [ "$EXECUTE" = 1 ] && [ "${{YES:-}}" != 1 ]; then
      read -r -p "   replace the nodes of $az now? [y/N] " answer
      if [ "$answer" != y ]; then
        echo "   stopped before $az: its nodes, and those of the AZs after it, keep their old pod addresses"
        return 1
      fi
    fi
    before=$(nodes | awk '{{print $1}}')
    add_capacity "$n"
    wait_new "$n" "$before"
    for node in $these; do run kubectl cordon "$node"; done
    for node in $these; do
      if ! run kubectl drain "$node" --ignore-daemonsets --delete-emptydir-data --timeout=15m; then
        echo "   draining $node failed (a PodDisruptionBudget, or a pod that cannot move): stopped; $az's old nodes stay cordoned (kubectl uncordon them to go back)" >&2
        return 1
      fi
    done
    for node in $these; do remove_node "$node"; done
  done
}}

# Whether IPv4 address $1 lies in CIDR $2.
in_cidr() {{
  local a b c d ip net bits mask
  IFS=. read -r a b c d <<<"$1"; ip=$(( (a << 24) | (b << 16) | (c << 8) | d ))
  IFS=. read -r a b c d <<<"${{2%/*}}"; net=$(( (a << 24) | (b << 16) | (c << 8) | d ))
  bits=${{2#*/}}
  mask=$(( bits == 0 ? 0 : (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF ))
  (( (ip & mask) == (net & mask) ))
}}

step5() {{
  echo "5. pods get their addresses from the pod subnets: ${{POD_CIDRS[*]}}"
  local bad=0 ns name ip host c ok
  while read -r ns name ip host; do
    [ "$host" = true ] && continue
    case "$ip" in ''|'<none>') continue ;; esac
    ok=0
    for c in "${{POD_CIDRS[@]}}"; do in_cidr "$ip" "$c" && ok=1 && break; done
    if [ "$ok" = 0 ]; then echo "   $ns/$name has $ip, outside the pod subnets"; bad=$((bad + 1)); fi
  done < <(kubectl get pods -A --no-headers \
      -o custom-columns=NS:.metadata.namespace,NAME:.metadata.name,IP:.status.podIP,HOST:.spec.hostNetwork)
  if [ "$bad" -gt 0 ]; then
    echo "   $bad pod(s) outside the pod subnets: replace the nodes they run on (step 4)"
    return 1
  fi
  echo "   every pod is in the pod subnets"
}}

[ "${{#STEPS[@]}}" -gt 0 ] || STEPS=(1 2 3 4 5)
for s in "${{STEPS[@]}}"; do "step$s"; done
"#,
        provenance = provenance(spec),
        pod_cidrs = cidrs.join(" "),
        azs = azs.join(" "),
        label = cn.eni_config_label,
        eniconfig = super::eniconfig::FILE,
    );
    Ok(vec![File::new(VALUES, pretty), File::new(RUNBOOK, script)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit;

    #[test]
    fn values_carry_the_env_and_the_runbook_keeps_n5s_order() {
        let inv = testkit::inventory();
        let mut s = testkit::spec();
        s.secondary_cidr = Some(crate::spec::SecondaryCidr {
            cidr: "100.64.0.0/16".into(),
            pod_subnets: [("eu-west-1a".to_string(), "100.64.0.0/19".to_string())].into(),
        });
        s.custom_networking = Some(crate::spec::CustomNetworking {
            eni_config_label: crate::spec::LABEL_ZONE_ID.into(),
            security_group_ids: vec![],
            prefix_delegation: true,
        });
        let files = super::super::with_plan(&s, &inv, render).unwrap();
        let values: serde_json::Value = serde_json::from_str(&files[0].text).unwrap();
        assert_eq!(values["env"]["AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG"], "true");
        assert_eq!(
            values["env"]["ENI_CONFIG_LABEL_DEF"],
            "topology.k8s.aws/zone-id"
        );
        assert_eq!(values["env"]["ENABLE_PREFIX_DELEGATION"], "true");
        let run = &files[1].text;
        let at = |needle: &str| {
            run.find(needle)
                .unwrap_or_else(|| panic!("{needle}: {run}"))
        };
        assert!(at("kubectl apply -f eniconfig.yaml") < at("aws eks update-addon"));
        assert!(at("aws eks update-addon") < at("rollout status daemonset/aws-node"));
        assert!(at("rollout status") < at("kubectl drain"));
        assert!(at("kubectl drain") < at("outside the pod subnets"));
        assert!(run.contains("set env daemonset aws-node AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true ENI_CONFIG_LABEL_DEF=topology.k8s.aws/zone-id"));
        assert!(run.contains("POD_CIDRS=(100.64.0.0/19)"));
        // One AZ at a time, evictions only, a dry run unless --execute.
        assert!(run.contains("AZS=(eu-west-1a eu-west-1b)"), "{run}");
        assert!(!run.contains("--disable-eviction"));
        assert!(run.contains("EXECUTE=0") && run.contains("--execute) EXECUTE=1"));
        assert!(run.contains("labels.topology\\.k8s\\.aws/zone-id"), "{run}");
        s.custom_networking = None;
        let e = super::super::with_plan(&s, &inv, render).unwrap_err();
        assert!(e.to_string().contains("add customNetworking"), "{e}");
    }
}
