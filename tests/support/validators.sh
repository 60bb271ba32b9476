#!/usr/bin/env bash
# The validators the exports are checked with (docs/export.md): the tools that read them.
#   tests/support/validators.sh install     bind9-utils and dnsmasq-base (Debian packages) when
#                                     missing; jsonschema, PyYAML, parliament, cfn-lint and
#                                     python-hcl2 into .venv-check; checkov into .venv-checkov
#                                     (it brings its own fork of the HCL parser)
#   tests/support/validators.sh check DIR   check every export in DIR (tests/support/validate-export.py)
# Nothing here talks to anything but the package registries (install only).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
venv="$here/.venv-check"
PACKAGES=("jsonschema==4.26.0" "PyYAML==6.0.3" "parliament==1.6.4" "cfn-lint==1.58.0" "python-hcl2==8.1.4")
checkov_venv="$here/.venv-checkov"
CHECKOV=("checkov==3.3.30")

# venv DIR PACKAGE...: DIR holds exactly PACKAGE... (installed once, again when the list changes).
venv() {
  local dir=$1; shift
  local want; want=$(printf '%s\n' "$@")
  if [ -x "$dir/bin/python" ] && [ "$(cat "$dir/.installed" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  echo "installing $* into $dir ..." >&2
  python3 -m venv "$dir"
  "$dir/bin/pip" install --quiet --disable-pip-version-check "$@" >&2
  printf '%s' "$want" >"$dir/.installed"
}

install() {
  local need=()
  command -v named-checkconf >/dev/null || need+=(bind9-utils)
  command -v dnsmasq >/dev/null || need+=(dnsmasq-base)
  if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]} ..." >&2
    apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  venv "$venv" "${PACKAGES[@]}"
  venv "$checkov_venv" "${CHECKOV[@]}"
}

cmd=${1:-}; shift || true
case "$cmd" in
  install) install ;;
  check) install; exec "$venv/bin/python" "$here/tests/support/validate-export.py" "$@" ;;
  *) echo "usage: tests/support/validators.sh install|check DIR" >&2; exit 2 ;;
esac
