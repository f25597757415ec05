#!/usr/bin/env bash
# What one start of the token server costs: wall time until it answers /q/health/ready, and the
# CPU time its JVM and its embedded PostgreSQL spent until then, for each set of JVM options.
# See docs/PERFORMANCE.md, "Server starts in the test suite".
#
#   benchmarks/server-start-cost.sh [--runs N] [OPTIONS ...]
#
# Each OPTIONS argument is one set of JVM options, in one word ("" for the JVM's defaults); the
# default sets are "", "-XX:TieredStopAtLevel=1" and "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
# (what ServerProcess.Builder.quickStart() adds). Every set is started N times (default 3), in
# turns, each on a fresh temporary data directory, loopback only, its secrets in the environment;
# each server is stopped and its data deleted before the next starts.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
jar="$root/token-server/target/quarkus-app/quarkus-run.jar"

runs=3
sets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) sets+=("$1"); shift ;;
  esac
done
if [ ${#sets[@]} -eq 0 ]; then
  sets=("" "-XX:TieredStopAtLevel=1" "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
fi
if [ ! -f "$jar" ]; then
  echo "Building the token server first ..."
  (cd "$root" && ./mvnw -B -q package -DskipTests -pl token-server -am)
fi

ticks=$(getconf CLK_TCK)
# CPU time (user + system, in clock ticks) of a process and of its reaped children.
cpu_ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat" 2>/dev/null || echo 0; }

work=""
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "$work" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

start_once() {
  local options="$1"
  work="$(mktemp -d)"
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  TOKENSERVER_MASTER_KEY="$(head -c 32 /dev/urandom | base64)" \
  TOKENSERVER_ADMIN_PASSWORD="start-cost-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')" \
    java -Xmx384m $options -Dquarkus.http.port="$port" -Dquarkus.http.host=127.0.0.1 \
      -Dtokenserver.data-dir="$work/server" -jar "$jar" > "$work/server.log" 2>&1 &
  pid=$!
  local began now
  began=$(date +%s%N)
  until curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "the server exited; its log: $work/server.log" >&2; exit 1; fi
    sleep 0.05
  done
  now=$(date +%s%N)
  # The JVM, and every PostgreSQL process of this data directory (the postmaster's command line
  # names it; its other processes are its children).
  local total=0 p
  local postmaster
  postmaster=$(pgrep -f -- "-D $work/server/postgres" || true)
  for p in $pid $postmaster $(for m in $postmaster; do pgrep -P "$m" || true; done); do
    total=$((total + $(cpu_ticks "$p")))
  done
  printf '%-48s wall %6d ms   cpu %6d ms\n' "[${options}]" $(( (now - began) / 1000000 )) $(( total * 1000 / ticks ))
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  rm -rf "$work"; work=""
}

echo "token server start, $(nproc) cores, $(java -version 2>&1 | head -1)"
for ((run = 1; run <= runs; run++)); do
  for options in "${sets[@]}"; do
    start_once "$options"
  done
done
