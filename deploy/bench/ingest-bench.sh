#!/usr/bin/env bash
# Node ingest on this machine: N simulated agents (steward-agent --simulate N) reporting every second to one node,
# on H2 or PostgreSQL. Prints reports/s and samples/s stored in the steady window, the agents' p50/p99 time from
# sending a report to its acknowledgement (= durably stored), and the node's RSS.
#   deploy/bench/ingest-bench.sh [h2|postgres] [AGENTS=1000] [DURATION_SECONDS=90]
source "$(dirname "$0")/lib.sh"
DB=${1:-h2}
AGENTS=${2:-1000}
DURATION=${3:-90}
WARMUP=${WARMUP:-30}
ensure_jars
work=$(mktemp -d /tmp/steward-bench-ingest.XXXXXX)
chmod 755 "$work"
port=$(free_port)
SIM_PID=""
cleanup() {
  [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null || true
  kill "$NODE_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  [ "$DB" = postgres ] && stop_postgres "$work/pg"
}
trap cleanup EXIT
if [ "$DB" = postgres ]; then
  start_postgres "$work/pg"
  start_node "$work/node" "$port" --db-url "$PG_URL" --db-user steward
else
  start_node "$work/node" "$port"
fi
login "$port" "$work/cookies"
token=$(enrollment_token "$port" "$work/cookies" "$AGENTS")

java -Xmx2g -XX:+UseParallelGC -jar "$AGENT_JAR" --simulate "$AGENTS" --interval 1s \
  --hub "ws://127.0.0.1:$port/ws/agent" --token "$token" --state-dir "$work/sim" > "$work/sim.log" 2>&1 &
SIM_PID=$!
sleep "$WARMUP"
stored_start=$(reports_stored "$port" "$work/cookies"); cpu_start=$(cpu_seconds "$NODE_PID"); t0=$(date +%s.%N)
sleep $((DURATION - WARMUP))
stored_end=$(reports_stored "$port" "$work/cookies"); cpu_end=$(cpu_seconds "$NODE_PID"); t1=$(date +%s.%N)
read -r rss hwm < <(rss_kb "$NODE_PID")
# Series per simulated report, from one stored server's latest report (same rules as core's ReportSamples).
samples=$(curl -sf -b "$work/cookies" "http://127.0.0.1:$port/api/servers" | python3 -c 'import sys,json; print(json.load(sys.stdin)[0]["id"])' \
  | xargs -I{} curl -sf -b "$work/cookies" "http://127.0.0.1:$port/api/servers/{}" | python3 -c '
import sys, json
latest = json.load(sys.stdin)["latest"]
print(10 + 3 * len(latest["filesystems"]) + 4 * len(latest["disks"]) + 4 * len(latest["interfaces"]))')
latency=$(grep -o "ack p50 [0-9.]* ms, p99 [0-9.]* ms" "$work/sim.log" | tail -n +2 | tail -5 || true)
python3 - "$DB" "$AGENTS" "$stored_start" "$stored_end" "$t0" "$t1" "$samples" "$rss" "$hwm" "$cpu_start" "$cpu_end" "$latency" <<'PY'
import re, sys
db, agents = sys.argv[1], int(sys.argv[2])
s0, s1, t0, t1, samples, rss, hwm, c0, c1 = map(float, sys.argv[3:12])
rate = (s1 - s0) / (t1 - t0)
print(f"ingest, {db}, {agents} simulated agents at 1 s, steady window {t1 - t0:.0f} s")
print(f"  stored: {rate:,.0f} reports/s, {rate * samples:,.0f} samples/s ({samples:.0f} series per report)")
lines = sys.argv[12].splitlines()
p50 = [float(m.group(1)) for m in (re.search(r"p50 ([0-9.]+)", l) for l in lines) if m]
p99 = [float(m.group(1)) for m in (re.search(r"p99 ([0-9.]+)", l) for l in lines) if m]
if p50:
    print(f"  ack latency (send -> durably stored), last {len(p50)} 10 s windows: p50 {min(p50):.1f}-{max(p50):.1f} ms,"
          f" p99 {min(p99):.1f}-{max(p99):.1f} ms")
print(f"  node CPU: {100 * (c1 - c0) / (t1 - t0):.0f} % of one core; node RSS {rss / 1024:.0f} MiB (peak {hwm / 1024:.0f} MiB)")
PY
tail -3 "$work/sim.log" | sed 's/^/  simulator: /'
