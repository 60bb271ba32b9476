#!/usr/bin/env bash
# Discovery benchmark (figures for the closing note; nothing here asserts).
#   benches/discovery.sh [VPCS=200] [SUBNETS_PER_VPC=25] [RUNS=3]
# Seeds a large account in moto (plus the demo account, for a cluster and Resolver state),
# then measures `inventory` for the whole region and for one VPC, straight to moto and
# through a loopback proxy adding 100 ms per call; then the wizard's time to first frame
# and frame render times on the VPC and subnet screens (tmux 120x40).
# A release build by default (the SDK's debug deserializers are slow on large answers);
# PROFILE=debug uses the test build instead.
set -euo pipefail
cd "$(dirname "$0")/.."
VPCS=${1:-200}; PER=${2:-25}; RUNS=${3:-3}; PROFILE=${PROFILE:-release}
tests/support/moto.sh install
scripts/build.sh "$PROFILE" >/dev/null
bin=target/$PROFILE/eks-private-tui
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; tests/support/moto.sh stop "$dir"; tmux -L ept-bench kill-server 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
url=$(MOTO_WATCH_PID=$$ tests/support/moto.sh start "$dir")
region=eu-west-1
echo "seeding $VPCS VPCs x $PER subnets ..." >&2
seed=$(tests/support/moto.sh python tests/support/seed.py large --endpoint "$url" --region $region --vpcs "$VPCS" --subnets "$PER")
demo=$(tests/support/moto.sh python tests/support/seed.py demo --extras --endpoint "$url" --region $region)
prod=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["vpc"])' "$demo")
echo "seeded: $seed" | tr -d '\n' >&2; echo >&2

proxy() { # latency-ms: starts a proxy (in this shell, so cleanup can stop it)
  local pf="$dir/proxy-$1.port"
  tests/support/moto.sh python tests/support/proxy.py --target "$url" --latency-ms "$1" --port-file "$pf" \
    >"$dir/proxy-$1.log" 2>&1 </dev/null &
  pids+=($!)
  for _ in $(seq 1 100); do [ -s "$pf" ] && return 0; sleep 0.1; done
  echo "proxy did not start" >&2; exit 1
}
proxy 0; proxy 100
p0=$(cat "$dir/proxy-0.port"); p100=$(cat "$dir/proxy-100.port")

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_ENDPOINT_URL

run() { # label port args...
  local label=$1 port=$2; shift 2
  local best="" calls="" walls=()
  for _ in $(seq 1 "$RUNS"); do
    curl -fsS -X POST "http://127.0.0.1:$port/__reset" >/dev/null
    local s
    if ! s=$($bin inventory -o json --region $region --endpoint-url "http://127.0.0.1:$port" --stats $RT "$@" 2>&1 >"$dir/out.json"); then
      echo "$label: FAILED: $s" >&2; return 1
    fi
    local ms; ms=$(sed -E 's/.* in ([0-9]+) ms.*/\1/' <<<"$s")
    walls+=("$ms")
    calls=$(curl -fsS "http://127.0.0.1:$port/__stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')
    summary=$(sed -E 's/.*\((.*)\).*/\1/' <<<"$s")
  done
  local median; median=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  printf '%-44s %6s calls  median %6s ms  (runs: %s)  [%s]\n' "$label" "$calls" "$median" "${walls[*]}" "$summary"
  last_median=$median
}

# One discarded read: moto builds some answers (endpoint services) on first use.
# moto answers DescribeSubnets for 5000 subnets in one ~25 s response (it ignores
# MaxResults); real EC2 pages at 1000. Give it time.
RT="--read-timeout 120"
$bin inventory -o json --region $region --endpoint-url "$url" $RT >/dev/null
echo
echo "== discovery ($RUNS runs each after a warm-up; calls counted at the proxy) =="
run "full region, no added latency" "$p0"; full0=$last_median
run "full region, 100 ms/call" "$p100"; full100=$last_median
run "--vpc prod, no added latency" "$p0" --vpc "$prod"; vpc0=$last_median
run "--vpc prod, 100 ms/call" "$p100" --vpc "$prod"; vpc100=$last_median
$bin inventory -o json --region $region --endpoint-url "$url" $RT > "$dir/large.json"
echo "longest dependent chain against moto: 2 calls (DescribeVpcs -> DescribeVpcAttribute;"
echo "  ListClusters -> DescribeCluster; ListResolverEndpoints -> ...IpAddresses); moto answers"
echo "  every EC2 list in one page. Target for what 100 ms/call adds: <= 1.3 x 2 x 100 = 260 ms."
echo "  added by latency: full region $((full100 - full0)) ms, --vpc $((vpc100 - vpc0)) ms"

echo
echo "== wizard ($PROFILE build, tmux 120x40, 100 ms/call) =="
log="$dir/tui.log"
tmux -L ept-bench kill-server 2>/dev/null || true
tmux -L ept-bench new-session -d -s b -x 120 -y 40 \
  "RUST_LOG=eks_private_tui=debug $bin --region $region --endpoint-url http://127.0.0.1:$p100 $RT --spec $dir/s.yaml --log-file $log; sleep 30"
wait_for() { for _ in $(seq 1 1800); do tmux -L ept-bench capture-pane -p -t b | grep -q "$1" && return 0; sleep 0.1; done; echo "timeout: $1" >&2; return 1; }
wait_for "VPCs in $region"
for _ in 1 2 3 4 5 6 7 8 9 10; do tmux -L ept-bench send-keys -t b j; sleep 0.05; done
tmux -L ept-bench send-keys -t b Enter; wait_for "One private or isolated"
for _ in 1 2 3 4 5 6 7 8 9 10; do tmux -L ept-bench send-keys -t b j; sleep 0.05; done
tmux -L ept-bench send-keys -t b q; sleep 0.5
grep -oE 'first frame drawn ms=[0-9]+' "$log" | sed -E 's/.*ms=([0-9]+)/first frame: \1 ms after start (before AWS answers)/' || echo "no first-frame line in $log" >&2
grep -oE 'inventory answered ms=[0-9]+ ok=true' "$log" | sed -E 's/.*ms=([0-9]+) .*/inventory on screen: \1 ms after start/' || echo "no inventory line in $log" >&2
python3 - "$log" <<'PY'
import re, sys, statistics
frames = {}
for line in open(sys.argv[1]):
    m = re.search(r'frame us=(\d+) step=(\w+)', line)
    if m:
        frames.setdefault(m.group(2), []).append(int(m.group(1)))
for step, us in frames.items():
    us.sort()
    print(f"frame render, {step:8s} screen: median {statistics.median(us)/1000:.2f} ms, max {us[-1]/1000:.2f} ms over {len(us)} frames")
PY
echo "inventory JSON: $(wc -c < "$dir/large.json") bytes for $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["vpcs"]), "VPCs,", sum(len(v["subnets"]) for v in d["vpcs"]), "subnets")' "$dir/large.json")"
