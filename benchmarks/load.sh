#!/usr/bin/env bash
# The load driver: complete flows (initiate -> fetch -> answer -> callback -> result) against a
# token server, closed loop at a concurrency or open loop at a rate. See docs/PERFORMANCE.md.
#
#   benchmarks/load.sh [--server URL] [--duration S] [--warmup S]
#                      [--concurrency C | --rate R] [--devices N] [--heap 256m] [--old-rows N]
#                      [--out FILE] [--no-jmh]
#
# With --server, the admin password is read from the environment variable QRAUTH_ADMIN_PASSWORD
# (never from the command line, which every user of the machine can read).
# Without --server it builds what is missing, starts a token server from its jar (embedded
# PostgreSQL, temporary data directory, -Xmx from --heap) and stops it afterwards.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
  if [ -f benchmarks/target/benchmarks.jar ]; then
    # Every option of the driver, one sentence each.
    echo
    java -cp benchmarks/target/benchmarks.jar dev.qrauth.benchmarks.load.LoadDriver --help
  fi
  exit 0
fi

jmh=yes
args=()
for arg in "$@"; do
  if [ "$arg" = "--no-jmh" ]; then jmh=no; else args+=("$arg"); fi
done

if [ ! -f benchmarks/target/benchmarks.jar ] || [ ! -f token-server/target/quarkus-app/quarkus-run.jar ]; then
  echo "Building the token server and the benchmarks first ..."
  ./mvnw -B -q package -DskipTests -pl token-server,benchmarks -am
fi

mkdir -p benchmarks/target
jmh_args=()
if [ "$jmh" = yes ]; then
  # The crypto floor of this run: one encrypt-and-sign plus one decrypt-and-verify, measured now.
  echo "Measuring the crypto floor (JMH, about 30 s) ..."
  java -jar benchmarks/target/benchmarks.jar 'OpenPgpBenchmark' -f 1 -wi 2 -w 2 -i 3 -r 2 \
       -rf json -rff benchmarks/target/load-jmh.json > benchmarks/target/load-jmh.txt
  jmh_args=(--jmh benchmarks/target/load-jmh.json)
fi

exec java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.qrauth.benchmarks.load.LoadDriver "${jmh_args[@]}" "${args[@]}"
