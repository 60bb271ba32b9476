#!/usr/bin/env bash
# Key → frame in the wizard with 1 000 VPCs / ~10 000 subnets (benches/wizard.rs), in the
# debug build the tests use. With a revision (`benches/wizard.sh e4547db`), the same
# bench also runs against that revision, built in a temporary worktree that shares the
# target dir; the two alternate RUNS times so both see the same machine.
set -euo pipefail
cd "$(dirname "$0")/.."
REV=${1:-}; RUNS=${RUNS:-2}
run_here() { cargo bench --quiet --profile dev --bench wizard 2>/dev/null; }
if [ -z "$REV" ]; then run_here; exit 0; fi
wt=$(mktemp -d)
trap 'git worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"; scripts/build.sh >/dev/null' EXIT
git worktree add -q --detach "$wt" "$REV"
mkdir -p "$wt/benches"
cp benches/wizard.rs "$wt/benches/"
cp Cargo.lock "$wt/Cargo.lock"
grep -q 'name = "wizard"' "$wt/Cargo.toml" || printf '\n[[bench]]\nname = "wizard"\nharness = false\n' >>"$wt/Cargo.toml"
run_there() { (cd "$wt" && CARGO_TARGET_DIR="$ROOT/target" cargo bench --quiet --profile dev --bench wizard 2>/dev/null); }
ROOT=$PWD
for i in $(seq 1 "$RUNS"); do
  echo "== $REV (run $i)"; run_there
  echo "== HEAD $(git rev-parse --short HEAD) (run $i)"; run_here
done
