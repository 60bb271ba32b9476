#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run). Installs what it needs: moto (into
# .venv-moto), tmux and curl (Debian packages) when missing, and the validators of the
# exports (tests/support/validators.sh: bind9-utils, dnsmasq-base, .venv-check).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v tmux >/dev/null || need+=(tmux)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} ..." >&2
  apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null
fi
tests/support/moto.sh install
tests/support/validators.sh install
# Never leave loopback: no instance metadata lookups from the SDK.
export AWS_EC2_METADATA_DISABLED=true
cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
cargo test --all-targets
