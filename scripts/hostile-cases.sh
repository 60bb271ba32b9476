#!/usr/bin/env bash
# Issue 10's hostile cases and the closing note's figures (see scripts/hostile-cases.py).
#   scripts/hostile-cases.sh [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/moto.sh install >/dev/null
[ $# -gt 0 ] || cargo build --quiet
export AWS_EC2_METADATA_DISABLED=true
exec python3 scripts/hostile-cases.py "$@"
