#!/usr/bin/env bash
# Round trips of discovery on a small account (the demo, seeded in moto): each command
# runs straight to moto and through a loopback proxy adding 100 ms per call; the round
# trips latency adds are (t100 - t0) / 100 ms (moto's own time cancels out). With a second
# binary (`benches/roundtrips.sh /path/to/other/eks-private-tui`) both run, alternating.
#   RUNS=5 benches/roundtrips.sh [OTHER_BIN]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
tests/support/moto.sh install
bins=("$(scripts/build.sh)")
[ -n "${1:-}" ] && bins+=("$1")
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; tests/support/moto.sh stop "$dir"; rm -rf "$dir"; }
trap cleanup EXIT
url=$(MOTO_WATCH_PID=$$ tests/support/moto.sh start "$dir")
demo=$(tests/support/moto.sh python tests/support/seed.py demo --extras --endpoint "$url" --region eu-west-1)
vpc=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["vpc"])' "$demo")
for ms in 0 100; do
  tests/support/moto.sh python tests/support/proxy.py --target "$url" --latency-ms "$ms" --port-file "$dir/p$ms" \
    >"$dir/proxy-$ms.log" 2>&1 </dev/null &
  pids+=($!)
  for _ in $(seq 1 100); do [ -s "$dir/p$ms" ] && break; sleep 0.1; done
done
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_ENDPOINT_URL
cat >"$dir/spec.yaml" <<YAML
apiVersion: eks-private-tui/v1alpha1
kind: PrivateNetwork
metadata:
  name: bench
region: eu-west-1
vpcId: $vpc
clusterName: prod
YAML
ms_of() { # bin port args...: wall ms of one run
  local bin=$1 port=$2; shift 2
  local s e; s=$(date +%s%N)
  "$bin" --region eu-west-1 --endpoint-url "http://127.0.0.1:$port" "$@" >/dev/null 2>&1 || true
  e=$(date +%s%N); echo $(( (e - s) / 1000000 ))
}
median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }
declare -A t
for case in "inventory" "inventory --vpc $vpc" "plan --spec $dir/spec.yaml"; do
  for i in $(seq 1 "$RUNS"); do
    for b in "${!bins[@]}"; do
      for ms in 0 100; do
        # shellcheck disable=SC2086
        t["$case|$b|$ms"]+="$(ms_of "${bins[$b]}" "$(cat "$dir/p$ms")" $case) "
      done
    done
  done
  for b in "${!bins[@]}"; do
    m0=$(tr ' ' '\n' <<<"${t["$case|$b|0"]}" | grep . | median)
    m1=$(tr ' ' '\n' <<<"${t["$case|$b|100"]}" | grep . | median)
    label=$(awk '{print $1, ($2 ~ /^--/ ? $2 : "")}' <<<"$case")
    printf '%-18s %-24s direct %5s ms  +100ms/call %5s ms  round trips %s\n' "$label" \
      "$(basename "$(dirname "${bins[$b]}")")/$(basename "${bins[$b]}")" "$m0" "$m1" \
      "$(python3 -c "print(round(($m1-$m0)/100,1))")"
  done
done
