//! `aws-node`: the VPC CNI's configuration values for custom networking (rule N4, and
//! prefix delegation when the spec turns it on), as the EKS add-on takes them, and a
//! runbook that applies them in rule N5's order: the ENIConfigs, then the environment
//! (the add-on, or `kubectl set env` for a self-managed aws-node), then the aws-node
//! rollout, then the nodes replaced, then a check that pods get their addresses from the
//! pod subnets.

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
    let script = format!(
        r#"#!/usr/bin/env bash
# {provenance}
# Custom networking for cluster {cluster}, in the order rule N5 asks (docs/export.md):
#   1. the ENIConfigs, 2. the aws-node environment, 3. aws-node restarted with it,
#   4. the existing nodes replaced (they keep their old pod addresses until then),
#   5. a check that pods get their addresses from the pod subnets.
# Run it from a shell with kubectl pointed at the cluster and AWS credentials for it:
#   bash {RUNBOOK}            all steps (step 4 asks before it cordons anything)
#   bash {RUNBOOK} 5          one step
# With a self-managed aws-node (no vpc-cni add-on), step 2 uses kubectl set env instead.
set -euo pipefail
cd "$(dirname "$0")"
REGION={region}
CLUSTER={cluster}
POD_CIDRS=({pod_cidrs})

step1() {{
  echo "1. ENIConfigs (one per node AZ)"
  kubectl apply -f {eniconfig}
}}

step2() {{
  echo "2. aws-node environment:{set_env}"
  if aws eks describe-addon --region "$REGION" --cluster-name "$CLUSTER" --addon-name vpc-cni >/dev/null 2>&1; then
    aws eks update-addon --region "$REGION" --cluster-name "$CLUSTER" --addon-name vpc-cni \
      --configuration-values file://{VALUES} --resolve-conflicts PRESERVE
    aws eks wait addon-active --region "$REGION" --cluster-name "$CLUSTER" --addon-name vpc-cni
  else
    kubectl -n kube-system set env daemonset aws-node{set_env}
  fi
}}

step3() {{
  echo "3. aws-node restarted with it"
  kubectl -n kube-system rollout status daemonset/aws-node --timeout=10m
}}

step4() {{
  echo "4. replace the existing nodes: cordon and drain each; your node group then replaces them"
  local nodes
  nodes=$(kubectl get nodes -o jsonpath='{{.items[*].metadata.name}}')
  [ -n "$nodes" ] || {{ echo "   no nodes"; return 0; }}
  echo "   nodes: $nodes"
  if [ "${{YES:-}}" != 1 ]; then
    read -r -p "   cordon and drain them now? [y/N] " answer
    [ "$answer" = y ] || {{ echo "   skipped: replace them before step 5"; return 0; }}
  fi
  for n in $nodes; do kubectl cordon "$n"; done
  for n in $nodes; do kubectl drain "$n" --ignore-daemonsets --delete-emptydir-data --timeout=15m; done
  echo "   drained: terminate them (or scale the node group) so that new nodes start"
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

if [ $# -gt 0 ]; then
  for s in "$@"; do "step$s"; done
else
  step1; step2; step3; step4; step5
fi
"#,
        provenance = provenance(spec),
        pod_cidrs = cidrs.join(" "),
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
        s.custom_networking = None;
        let e = super::super::with_plan(&s, &inv, render).unwrap_err();
        assert!(e.to_string().contains("add customNetworking"), "{e}");
    }
}
