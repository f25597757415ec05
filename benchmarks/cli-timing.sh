#!/usr/bin/env bash
# How long the phone on the command line takes: wall time of `otp-device scan --otp ... --approve`
# with a kept PIN session, and of `otp-device status`, against a token server started here.
# See docs/PERFORMANCE.md, "The command-line phone's start".
#
#   benchmarks/cli-timing.sh [--runs N]
#
# Starts a token server from its jar (temporary data directory, loopback only, generated secrets
# kept in the environment), creates a client, a type and a user, registers and enrolls a phone
# with bin/otp-device, runs five untimed logins, then N timed logins (default 10) and N status
# calls, and prints the wall time of each and their median. Stops the server and deletes its
# data afterwards.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"

runs=10
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

# The test kit's launcher starts the server, waits until it is ready and stops it by PID.
launcher=(java -cp testkit/target/classes dev.qrauth.testkit.ServerLauncher)
if [ ! -f token-server/target/quarkus-app/quarkus-run.jar ] || [ ! -f device-cli/target/otp-device.jar ] \
   || [ ! -f testkit/target/classes/dev/qrauth/testkit/ServerLauncher.class ]; then
  echo "Building the token server, the CLI and the test kit first ..."
  ./mvnw -B -q package -DskipTests -pl token-server,device-cli,testkit -am
fi

work="$(mktemp -d)"
server_pid=""
sink_pid=""
cleanup() {
  if [ -n "$sink_pid" ]; then kill "$sink_pid" 2>/dev/null || true; fi
  if [ -n "$server_pid" ]; then "${launcher[@]}" stop "$server_pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export TOKENSERVER_ADMIN_PASSWORD="$(head -c 24 /dev/urandom | base64)"
export TOKENSERVER_MASTER_KEY="$(head -c 32 /dev/urandom | base64)"
# Prints "<url> <pid>" once the server is ready; its log is $work/server/server.log.
started="$("${launcher[@]}" start --jar token-server/target/quarkus-app/quarkus-run.jar --data-dir "$work/server" \
  --timeout-seconds 120 --property tokenserver.callback.allow-private-addresses=true)"
server="${started% *}"
server_pid="${started#* }"

# The portal's callback endpoint: answers every callback at once, so the server has no failed
# delivery to retry while the phone is timed (an idle machine, as the figures say).
python3 -c '
import http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(204)
        self.end_headers()
    def log_message(self, *args):
        pass
sink = http.server.HTTPServer(("127.0.0.1", 0), Sink)
print(sink.server_port, flush=True)
sink.serve_forever()
' > "$work/sink.port" &
sink_pid=$!
until [ -s "$work/sink.port" ]; do
  kill -0 "$sink_pid" 2>/dev/null || { echo "the callback sink did not start" >&2; exit 1; }
  sleep 0.1
done
callback="http://127.0.0.1:$(cat "$work/sink.port")/callback"

(umask 077 && printf 'user = "admin:%s"\n' "$TOKENSERVER_ADMIN_PASSWORD" > "$work/admin.curl")
admin() { curl -sf -K "$work/admin.curl" -H 'Content-Type: application/json' "$@"; }
client_json="$(admin -d '{"name":"timing","display_name":"Timing Portal","callback_uris":["'"$callback"'"]}' \
  "$server/admin/api/v1/clients")"
json() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
client_id="$(json client_id <<< "$client_json")"
client_secret="$(json client_secret <<< "$client_json")"
(umask 077 && printf 'user = "%s:%s"\n' "$client_id" "$client_secret" > "$work/client.curl")
admin -d '{"name":"login","method":"OTP","time_to_live_seconds":120,"default_message":"Log in"}' \
  "$server/admin/api/v1/mobile-auth-types" > /dev/null
code="$(admin -d '{"user_id":"alice"}' "$server/admin/api/v1/users" | json activation_code)"

export OTP_DEVICE_HOME="$work/phone"
pin="$(printf '%06d' $((RANDOM % 1000000)))"
printf '%s\n%s\n' "$code" "$pin" | OTP_DEVICE_PIN="$pin" OTP_DEVICE_ACTIVATION_CODE="$code" \
  bin/otp-device register --server "$server" --user alice > /dev/null
OTP_DEVICE_PIN="$pin" bin/otp-device enroll > /dev/null

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }
now() { date +%s.%N; }
scan() {
  # the PIN session is kept: log in again only when it has run out
  OTP_DEVICE_PIN="$pin" bin/otp-device login > /dev/null
  otp="$(curl -sf -K "$work/client.curl" -d type=login -d 'message=Log in to the timing portal' \
    --data-urlencode "callback_uri=$callback" "$server/oauth/api/v4/authenticate/user" | json otp)"
  start="$(now)"
  bin/otp-device scan --otp "$otp" --approve > /dev/null
}
# Untimed first: each command's first run writes its class archive, and the freshly started
# server compiles its own hot paths during its first logins.
for i in $(seq 1 5); do scan; done
bin/otp-device status > /dev/null
scan_times=()
for i in $(seq 1 "$runs"); do
  scan
  scan_times+=("$(python3 -c "print(round($(now) - $start, 3))")")
done
# status reads the phone's own files only. It is timed once the server is at rest again (under
# 2% of a core over a second, as /proc counts it): a server just through a series of logins
# compiles its hot code for some seconds more, beside the command being timed.
ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
quiet_deadline=$((SECONDS + 60))
before="$(ticks)"
sleep 1
while [ $(( $(ticks) - before )) -gt 2 ] && [ $SECONDS -lt $quiet_deadline ]; do
  before="$(ticks)"
  sleep 1
done
status_times=()
server_ticks="$(ticks)"
for i in $(seq 1 "$runs"); do
  start="$(now)"
  bin/otp-device status > /dev/null
  status_times+=("$(python3 -c "print(round($(now) - $start, 3))")")
done
server_ticks=$(( $(ticks) - server_ticks ))
echo "java: $(java -version 2>&1 | head -1)"
echo "scan --approve (kept session), s: ${scan_times[*]}"
echo "status, s:                         ${status_times[*]}"
echo "the token server's CPU while status was timed: $((server_ticks * 1000 / $(getconf CLK_TCK))) ms"
echo "median scan --approve: $(printf '%s\n' "${scan_times[@]}" | median) s; median status: $(printf '%s\n' "${status_times[@]}" | median) s"
