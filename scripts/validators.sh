#!/usr/bin/env bash
# The validators the exports are checked with (docs/export.md): the tools that read them.
#   scripts/validators.sh install     bind9-utils and dnsmasq-base (Debian packages) when
#                                     missing; jsonschema, PyYAML, parliament and cfn-lint into
#                                     .venv-check
#   scripts/validators.sh check DIR   check every export in DIR (scripts/validate-export.py)
# Nothing here talks to anything but the package registries (install only).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
venv="$here/.venv-check"
PACKAGES=("jsonschema==4.26.0" "PyYAML==6.0.3" "parliament==1.6.4" "cfn-lint==1.58.0")

install() {
  local need=()
  command -v named-checkconf >/dev/null || need+=(bind9-utils)
  command -v dnsmasq >/dev/null || need+=(dnsmasq-base)
  if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]} ..." >&2
    apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  local want; want=$(printf '%s\n' "${PACKAGES[@]}")
  if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.installed" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  echo "installing ${PACKAGES[*]} into $venv ..." >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${PACKAGES[@]}" >&2
  printf '%s' "$want" >"$venv/.installed"
}

cmd=${1:-}; shift || true
case "$cmd" in
  install) install ;;
  check) install; exec "$venv/bin/python" "$here/scripts/validate-export.py" "$@" ;;
  *) echo "usage: scripts/validators.sh install|check DIR" >&2; exit 2 ;;
esac
