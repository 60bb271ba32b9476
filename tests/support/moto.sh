#!/usr/bin/env bash
# The moto sandbox: a real AWS emulator (moto 5.2.5, server mode) on 127.0.0.1, started
# through tests/support/moto-server.py (moto_server with its SigV4 check corrected for IAM
# enforcement).
#   tests/support/moto.sh install          install moto into .venv-moto (git-ignored) if missing
#   tests/support/moto.sh start [DIR]      start on a free port; prints the endpoint URL and writes
#                                    DIR/moto.url and DIR/moto.pid (DIR defaults to .sandbox)
#   tests/support/moto.sh stop [DIR]       stop the server started with that DIR (by PID)
#   tests/support/moto.sh python ARGS...   run the venv's python (seed scripts use boto3 from it)
# Nothing here talks to anything but loopback and the package registry (install only).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
venv="$here/.venv-moto"
MOTO_VERSION=5.2.5

install() {
  if [ -x "$venv/bin/moto_server" ] && "$venv/bin/python" -c 'import moto,sys; sys.exit(moto.__version__ != "'$MOTO_VERSION'")' 2>/dev/null; then
    return 0
  fi
  echo "installing moto $MOTO_VERSION into $venv ..." >&2
  python3 -m venv "$venv"
  # Enough for EC2/EKS/Route 53 Resolver/STS (moto 5.2.5 implements these); without
  # openapi-spec-validator DescribeVpcEndpointServices answers 500.
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "moto==$MOTO_VERSION" flask flask-cors openapi-spec-validator >&2
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local dir=${1:-$here/.sandbox}
  mkdir -p "$dir"
  install
  local port pid url
  for _ in 1 2 3; do
    port=$(free_port)
    url="http://127.0.0.1:$port"
    # setsid: own process group, so stop can end it and nothing else.
    setsid "$venv/bin/python" "$here/tests/support/moto-server.py" -H 127.0.0.1 -p "$port" >"$dir/moto.log" 2>&1 &
    pid=$!
    # MOTO_WATCH_PID: stop the server when that process ends (test runs, the demo).
    if [ -n "${MOTO_WATCH_PID:-}" ]; then
      (while kill -0 "$MOTO_WATCH_PID" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do sleep 1; done
       kill "$pid" 2>/dev/null
       # MOTO_REMOVE_DIR=1 (the tests): the server's directory goes with it.
       if [ "${MOTO_REMOVE_DIR:-}" = 1 ]; then sleep 1; rm -rf "$dir"; fi) >/dev/null 2>&1 </dev/null &
    fi
    for _ in $(seq 1 100); do
      # Ours only: when two starts race for a port, the loser's health check would be
      # answered by the winner. Werkzeug logs "Running on URL" once it has bound.
      if grep -q "Running on $url" "$dir/moto.log" 2>/dev/null && kill -0 "$pid" 2>/dev/null \
        && curl -fsS -o /dev/null "$url/moto-api/" 2>/dev/null; then
        echo "$pid" >"$dir/moto.pid"; echo "$url" >"$dir/moto.url"; echo "$url"; return 0
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
  done
  echo "moto did not start; see $dir/moto.log" >&2
  return 1
}

stop() {
  local dir=${1:-$here/.sandbox}
  [ -f "$dir/moto.pid" ] || return 0
  local pid; pid=$(cat "$dir/moto.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/moto.pid" "$dir/moto.url"
}

cmd=${1:-}; shift || true
case "$cmd" in
  install) install ;;
  start) start "$@" ;;
  stop) stop "$@" ;;
  python) install; exec "$venv/bin/python" "$@" ;;
  *) echo "usage: tests/support/moto.sh install|start [DIR]|stop [DIR]|python ARGS..." >&2; exit 2 ;;
esac
