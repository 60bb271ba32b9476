#!/usr/bin/env bash
# Time to a usable VPC list in the wizard for a large account behind latency and EC2's
# token bucket: VPCS VPCs (seed.py large) behind a loopback proxy adding 100 ms per call
# and throttling DescribeVpcAttribute to a bucket of 100 refilled at 20/s, as EC2 does.
# "Usable" is the VPC list on screen (tmux 120x40); then G highlights the last VPC, and
# "last VPC detailed" is when its DNS attributes show; "complete" is the whole account read.
# With a second binary both run, alternating.
#   RUNS=2 VPCS=200 benches/first-screen.sh [OTHER_BIN]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-2}; VPCS=${VPCS:-200}
tests/support/moto.sh install
bins=("$PWD/$(scripts/build.sh)")
[ -n "${1:-}" ] && bins+=("$1")
dir=$(mktemp -d)
sock=ept-first-$$
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; tmux -L "$sock" kill-server 2>/dev/null || true; tests/support/moto.sh stop "$dir"; rm -rf "$dir"; }
trap cleanup EXIT
url=$(MOTO_WATCH_PID=$$ tests/support/moto.sh start "$dir")
echo "seeding $VPCS VPCs ..." >&2
tests/support/moto.sh python tests/support/seed.py large --endpoint "$url" --region eu-west-1 --vpcs "$VPCS" --subnets 4 >/dev/null
tests/support/moto.sh python tests/support/proxy.py --target "$url" --latency-ms 100 --throttle DescribeVpcAttribute=100:20 \
  --port-file "$dir/port" >"$dir/proxy.log" 2>&1 </dev/null &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
port=$(cat "$dir/port")
now() { date +%s%N; }
for i in $(seq 1 "$RUNS"); do
  for bin in "${bins[@]}"; do
    curl -fsS -X POST "http://127.0.0.1:$port/__reset" >/dev/null
    sleep 6   # let the token bucket refill
    tmux -L "$sock" kill-server 2>/dev/null || true
    s=$(now)
    tmux -L "$sock" new-session -d -s b -x 120 -y 40 \
      "env -u AWS_PROFILE AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null $bin --region eu-west-1 --endpoint-url http://127.0.0.1:$port --spec $dir/none.yaml; sleep 600"
    usable=""; last=""; done_=""
    for _ in $(seq 1 1200); do
      screen=$(tmux -L "$sock" capture-pane -p -t b 2>/dev/null || true)
      if [ -z "$usable" ] && grep -q "VPCs in eu-west-1" <<<"$screen"; then
        usable=$(( ($(now) - s) / 1000000 ))
        tmux -L "$sock" send-keys -t b G   # the operator goes to the last VPC at once
      fi
      if [ -n "$usable" ] && [ -z "$last" ] && grep -qE "DNS support (✓ on|✗ OFF)" <<<"$screen"; then
        last=$(( ($(now) - s) / 1000000 ))
      fi
      if [ -n "$usable" ] && grep -q "? explains why" <<<"$screen"; then
        done_=$(( ($(now) - s) / 1000000 )); last=${last:-$done_}; break
      fi
      sleep 0.05
    done
    printf 'run %s  %-40s usable VPC list %6s ms   last VPC (G) detailed %6s ms   complete %6s ms\n' \
      "$i" "$bin" "${usable:-?}" "${last:-?}" "${done_:-?}"
  done
done
