#!/usr/bin/env bash
# Issue 10's hostile cases and the closing note's figures (see tests/support/hostile-cases.py).
#   tests/support/hostile-cases.sh [BINARY]
set -euo pipefail
cd "$(dirname "$0")/../.."
tests/support/moto.sh install >/dev/null
[ $# -gt 0 ] || cargo build --quiet
export AWS_EC2_METADATA_DISABLED=true
exec python3 tests/support/hostile-cases.py "$@"
