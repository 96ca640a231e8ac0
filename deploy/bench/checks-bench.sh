#!/usr/bin/env bash
# URL check detection time and false alerts: a node from the real jar (H2); three real agents and a real HTTP target
# live in the harness (io.steward.node.bench.CheckDetectionBench). Prints one JSON line per measurement:
#   detection: the target stops -> the check down in the API, and its alert firing (interval 10 s, 2 retries;
#              target interval x retries + 10 s = 30 s); ROUNDS rounds;
#   false-alerts: with the target up, one of the three vantages cut off — its link to the node, then its own network
#              (name lookups going nowhere, its reference URL unreachable) — CUT_SECONDS each; alerts counted (target 0).
#   deploy/bench/checks-bench.sh [ROUNDS=5] [CUT_SECONDS=120]
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:-5}
CUT=${2:-120}
work=$(mktemp -d /tmp/steward-bench-checks.XXXXXX)
status=1
cleanup() {
  [ -z "${NODE_PID:-}" ] || kill "$NODE_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "$status" -eq 0 ]; then rm -rf "$work"; else echo "logs kept in $work" >&2; fi
}
trap cleanup EXIT
# Reactor builds only, nothing installed: the node jar and the harness's classpath come from this checkout.
build_node_harness "$work/build.log"
port=$(free_port)
start_node "$work/node" "$port"
echo "== $ROUNDS outages, vantage cut off ${CUT} s twice; interval 10 s, retries 2, three vantages; h2"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx512m "$NODE_TEST_LOGGING" -cp "$CLASSPATH" io.steward.node.bench.CheckDetectionBench "$port" "$ADMIN_PASSWORD" "$work/agents" \
  "$ROUNDS" "$CUT" > "$work/harness.log" 2>&1 && status=0 || status=$?
grep -E '^\{' "$work/harness.log" || true
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$status" -eq 0 ] || tail -40 "$work/harness.log"
exit $status
