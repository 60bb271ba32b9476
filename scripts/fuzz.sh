#!/usr/bin/env bash
# The property tests (tests/properties.rs) for much longer than CI runs them:
#   scripts/fuzz.sh [CASES]    (default 20000 per property; CI runs 256)
# Prints the cases run, the wall time and the test process's peak RSS; exits non-zero
# when a property fails (proptest prints the minimal failing input).
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-20000}
cargo test --test properties --no-run --quiet
out=$(mktemp)
trap 'rm -f "$out"' EXIT
start=$(date +%s)
rc=0
PROPTEST_CASES=$cases /usr/bin/time -f "peak RSS %M KiB" \
  cargo test --quiet --test properties >"$out" 2>&1 || rc=$?
grep -E "test result|peak RSS|panicked|minimal failing|Test failed" "$out" || cat "$out"
echo "$cases cases per property, 5 properties, $(( $(date +%s) - start )) s"
exit $rc
