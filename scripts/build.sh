#!/usr/bin/env bash
# Build the eks-private-tui binary and print its path. `scripts/build.sh release` builds
# the release binary; otherwise the debug binary that the test build makes.
#
# The tests build the binary with the dev-dependencies' features (the SDK mocks switch on
# test-util in the smithy runtime and tokio), so a plain `cargo build` would compile every
# SDK crate a second time (about 5 minutes on 2 cores). Building it through a test target
# shares one set of artifacts with scripts/test.sh, in either order.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-debug}" = release ]; then
  cargo build --quiet --release
  echo target/release/eks-private-tui
else
  if ! log=$(cargo test --quiet --no-run --test e2e_tmux 2>&1); then
    printf '%s\n' "$log" >&2
    exit 1
  fi
  echo target/debug/eks-private-tui
fi
