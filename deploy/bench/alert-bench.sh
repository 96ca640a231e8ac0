#!/usr/bin/env bash
# Alert latency under load: a node from the real jar (H2, or PostgreSQL), N simulated servers reporting every
# second, and one by one a server's CPU crossing a "for: 0" rule. Prints p50/p90/p99/max from the agent collecting
# the crossing report to a real SMTP server (GreenMail, in the harness) accepting the email, plus the ingest rate
# during the run and any server that got more than one email (must be none).
#   deploy/bench/alert-bench.sh [h2|postgres] [SERVERS=1000] [ALERTS=300] [GAP_MS=100]
source "$(dirname "$0")/lib.sh"
DB=${1:-h2}
SERVERS=${2:-1000}
ALERTS=${3:-300}
GAP_MS=${4:-100}
ensure_jars
(cd "$ROOT" && mvn -B -q -o test-compile -pl cluster-node > /dev/null)
cp_file=$(mktemp)
(cd "$ROOT" && mvn -B -q -o dependency:build-classpath -pl cluster-node -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" > /dev/null)
CLASSPATH="$ROOT/cluster-node/target/test-classes:$ROOT/cluster-node/target/classes:$(cat "$cp_file")"
work=$(mktemp -d /tmp/steward-bench-alert.XXXXXX)
chmod 755 "$work"
port=$(free_port)
cleanup() {
  kill "$NODE_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  [ "$DB" = postgres ] && stop_postgres "$work/pg"
  rm -f "$cp_file"
}
trap cleanup EXIT
if [ "$DB" = postgres ]; then
  start_postgres "$work/pg"
  start_node "$work/node" "$port" --db-url "$PG_URL" --db-user steward
else
  start_node "$work/node" "$port"
fi
echo "== $SERVERS servers, $ALERTS alerts ${GAP_MS} ms apart, $DB"
cpu_start=$(cpu_seconds "$NODE_PID"); t0=$(date +%s.%N)
status=0
java -Xmx1g "$NODE_TEST_LOGGING" -cp "$CLASSPATH" io.steward.node.bench.AlertLatencyBench "$port" "$ADMIN_PASSWORD" "$SERVERS" "$ALERTS" \
  "$GAP_MS" > "$work/harness.log" 2>&1 || status=$?
grep -E '^(\{|servers online)' "$work/harness.log" || tail -20 "$work/harness.log"
cpu_end=$(cpu_seconds "$NODE_PID"); t1=$(date +%s.%N)
read -r rss hwm < <(rss_kb "$NODE_PID")
python3 -c "print(f'== node: {($cpu_end-$cpu_start)/($t1-$t0)*100:.0f} % of one core over the harness run, RSS {$rss//1024} MiB (peak {$hwm//1024} MiB)')"
exit $status
