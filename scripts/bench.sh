#!/usr/bin/env bash
# The benchmarks, by name: each is benches/NAME.sh and prints its figures (nothing here
# asserts; performance figures live here, not in timed tests).
#   scripts/bench.sh                  list them, with what each measures
#   scripts/bench.sh NAME [ARGS...]   run one; ARGS go to it (see its first lines)
#   scripts/bench.sh all              run every one with its defaults
# Names: wizard (key → frame at 1 000 VPCs), roundtrips (discovery's round trips),
# discovery (inventory at scale and behind latency), first-screen (a usable VPC list
# behind latency and throttling), apply (the reference apply against its critical path).
set -euo pipefail
cd "$(dirname "$0")/.."
names=(wizard roundtrips discovery first-screen apply)
case "${1:-}" in
  "")
    for n in "${names[@]}"; do
      printf '%-13s %s\n' "$n" "$(sed -n 2p "benches/$n.sh" | sed 's/^# *//')"
    done
    ;;
  all)
    for n in "${names[@]}"; do
      echo "== $n"
      "benches/$n.sh"
    done
    ;;
  *)
    n=$1
    shift
    if [ ! -x "benches/$n.sh" ]; then
      echo "error: no benchmark named $n — scripts/bench.sh lists them" >&2
      exit 2
    fi
    exec "benches/$n.sh" "$@"
    ;;
esac
