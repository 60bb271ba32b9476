#!/usr/bin/env bash
# Apply benchmark (figures for the closing note; nothing here asserts).
#   benches/apply.sh [LATENCY_MS=100] [RUNS=3]
# The reference apply (tests/apply.rs: every kind of action, 28 of them on the demo
# account) through a loopback proxy adding LATENCY_MS to every call. For each run: the
# wall time of the apply (discovery excluded: the engine's own clock), the DAG's critical
# path (the longest chain of dependent steps, each costed at its measured time from the
# journal), the serial sum of all steps, and mutating calls issued against actions
# planned. Parallelism 8 (the default) and 1.
# PROFILE=release uses a release build (the default is the test build: this is I/O bound).
set -euo pipefail
cd "$(dirname "$0")/.."
LAT=${1:-100}; RUNS=${2:-3}; PROFILE=${PROFILE:-debug}
tests/support/moto.sh install
scripts/build.sh "$PROFILE" >/dev/null
bin=$PWD/target/$PROFILE/eks-private-tui
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; tests/support/moto.sh stop "$dir"; rm -rf "$dir"; }
trap cleanup EXIT
url=$(MOTO_WATCH_PID=$$ tests/support/moto.sh start "$dir")
pf="$dir/proxy.port"
tests/support/moto.sh python tests/support/proxy.py --target "$url" --latency-ms "$LAT" --port-file "$pf" \
  >"$dir/proxy.log" 2>&1 </dev/null &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$pf" ] && break; sleep 0.1; done
proxy="http://127.0.0.1:$(cat "$pf")"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_ENDPOINT_URL
region=eu-west-1

reference() { # spec path: a fresh demo account and the reference spec
  curl -fsS -X POST "$url/moto-api/reset" >/dev/null
  tests/support/moto.sh python tests/support/seed.py demo --endpoint "$url" --region $region >"$dir/seed.json"
  local vpc; vpc=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["vpc"])' "$dir/seed.json")
  rm -f "$1" "$1.journal"
  "$bin" --endpoint-url "$url" --region $region spec new --vpc "$vpc" --spec "$1" 2>/dev/null
  python3 - "$dir/seed.json" "$1" $region <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); spec, r = sys.argv[2], sys.argv[3]
sn, c = d["subnets"], d["clientVpc"]
open(spec, "a").write(f"""secondaryCidr:
  cidr: 100.64.0.0/16
  podSubnets: {{ {r}a: 100.64.0.0/19, {r}b: 100.64.32.0/19, {r}c: 100.64.64.0/19 }}
clusterEndpoint: {{ privateAccess: true, publicAccess: false, allowHttpsFromCidrs: [10.99.0.0/16] }}
dns:
  inboundEndpoint: {{ subnetIds: [{sn['prod-private-a']}, {sn['prod-private-b']}], allowFromCidrs: [10.99.0.0/16] }}
  outboundEndpoint: {{ vpcId: {c}, subnetIds: [{sn['corp-client-a']}, {sn['corp-client-b']}] }}
  forwardRule: {{ domain: auto, associateVpcIds: [{c}] }}
""")
PY
}

critical() { # plan.json journal: critical path, serial sum (ms), steps
  python3 - "$1" "$2" <<'PY'
import json, sys
plan = json.load(open(sys.argv[1]))
ms = {}
for line in open(sys.argv[2]):
    r = json.loads(line)
    if r.get("event") == "done":
        ms[r["address"]] = r["millis"]
deps = {a["address"]: a["dependsOn"] for a in plan["actions"]}
memo = {}
def longest(a):
    if a not in memo:
        memo[a] = ms.get(a, 0) + max([longest(d) for d in deps.get(a, []) if d in deps] or [0])
    return memo[a]
print(max(longest(a) for a in deps), sum(ms.values()), len(ms))
PY
}

printf 'latency %s ms per call, %s run(s) each\n' "$LAT" "$RUNS"
for par in 8 1; do
  for i in $(seq 1 "$RUNS"); do
    spec="$dir/ref.yaml"
    reference "$spec"
    "$bin" --endpoint-url "$url" plan --spec "$spec" -o json >"$dir/plan.json"
    out=$(EKS_PRIVATE_TUI_STATS=1 "$bin" --endpoint-url "$proxy" apply --spec "$spec" --auto-approve --parallelism $par 2>&1 >/dev/null | grep '^stats: ')
    # stats: N mutating calls for M actions, C AWS calls, W ms
    read -r mut acts calls wall < <(sed -E 's/stats: ([0-9]+) mutating calls for ([0-9]+) actions, ([0-9]+) AWS calls, ([0-9]+) ms/\1 \2 \3 \4/' <<<"$out")
    read -r crit serial steps < <(critical "$dir/plan.json" "$spec.journal")
    printf 'parallelism %-2s run %s: apply %5s ms | critical path %5s ms (x%.2f) | serial sum %5s ms | %s steps | mutating calls %s for %s actions | %s calls in all (discovery included)\n' \
      "$par" "$i" "$wall" "$crit" "$(python3 -c "print($wall/$crit)")" "$serial" "$steps" "$mut" "$acts" "$calls"
  done
done
