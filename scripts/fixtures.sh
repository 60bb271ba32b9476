#!/usr/bin/env bash
# Regenerate tests/fixtures/demo-inventory.json: the demo account on a fresh moto server
# seeded with a fixed random seed, so IDs are the same every time (TUI snapshots use it).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'tests/support/moto.sh stop "$dir"; rm -rf "$dir"' EXIT
url=$(tests/support/moto.sh start "$dir")
curl -fsS -X POST "$url/moto-api/seed?a=42" >/dev/null
tests/support/moto.sh python tests/support/seed.py demo --extras --endpoint "$url" --region eu-west-1 >/dev/null
bin=$(scripts/build.sh)
mkdir -p tests/fixtures
AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_EC2_METADATA_DISABLED=true \
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
  "$bin" inventory -o json --region eu-west-1 --endpoint-url "$url" \
  > tests/fixtures/demo-inventory.json
echo "wrote tests/fixtures/demo-inventory.json"
