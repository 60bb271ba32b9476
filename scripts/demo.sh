#!/usr/bin/env bash
# The wizard on the embedded demo: a moto sandbox on loopback seeded with a realistic
# account (tests/support/seed.py demo), stopped again when the wizard exits.
# Extra arguments go to eks-private-tui (e.g. --read-only, --no-color, inventory -o json).
set -euo pipefail
cd "$(dirname "$0")/.."
tests/support/moto.sh install
bin=$(scripts/build.sh)
dir=$(mktemp -d)
trap 'tests/support/moto.sh stop "$dir"; rm -rf "$dir"' EXIT
url=$(MOTO_WATCH_PID=$$ tests/support/moto.sh start "$dir")
tests/support/moto.sh python tests/support/seed.py demo --extras --endpoint "$url" --region eu-west-1 >/dev/null
echo "demo account on $url (moto); the spec is saved to ./demo-spec.yaml" >&2
# Only the sandbox: fixed test credentials, no profile files, no instance metadata.
env -u AWS_PROFILE -u AWS_SESSION_TOKEN \
  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_EC2_METADATA_DISABLED=true \
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
  "$bin" --region eu-west-1 --endpoint-url "$url" --spec demo-spec.yaml "$@"
