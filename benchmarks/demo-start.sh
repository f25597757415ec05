#!/usr/bin/env bash
# How long bin/demo takes to be ready: its first start on an empty data directory (it creates the
# API client, the types, the user and the phone), then later starts on the same data. Each start
# is stopped as Ctrl-C in its terminal would stop it. See docs/PERFORMANCE.md, "The demo's start".
#
#   benchmarks/demo-start.sh [--starts N]
#
# Runs bin/demo N times (default 3) on a temporary data directory and two free loopback ports,
# waits for "Press Ctrl-C", sends SIGINT to the demo's process group and waits for it to end, then
# prints the demo's own line of phase times for each start (from data/start-times.log) and
# deletes the data.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"

starts=3
while [ $# -gt 0 ]; do
  case "$1" in
    --starts) starts="${2:?--starts needs a number}"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

work="$(mktemp -d)"
demo_pid=""
cleanup() {
  if [ -n "$demo_pid" ] && kill -0 "$demo_pid" 2>/dev/null; then
    kill -INT -- "-$demo_pid" 2>/dev/null || true
    wait "$demo_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
portal_port="$(free_port)"
token_server_port="$(free_port)"

for i in $(seq 1 "$starts"); do
  output="$work/start-$i.txt"
  # Its own process group, with SIGINT at its default, as a terminal's foreground job.
  setsid env --default-signal=INT "$root/bin/demo" --data "$work/data" --portal-port "$portal_port" \
    --token-server-port "$token_server_port" > "$output" 2>&1 < /dev/null &
  demo_pid=$!
  deadline=$((SECONDS + 300))
  until grep -q "Press Ctrl-C" "$output"; do
    if ! kill -0 "$demo_pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      echo "start $i did not become ready:" >&2
      cat "$output" >&2
      exit 1
    fi
    sleep 0.2
  done
  kill -INT -- "-$demo_pid"
  wait "$demo_pid" || true
  demo_pid=""
done
echo "java: $(java -version 2>&1 | head -1); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$work/data/start-times.log"
