#!/usr/bin/env bash
# The node's part of the fleet overview's first card with N simulated servers (steward-agent --simulate N, each
# reporting every second): after all N are online, RUNS times GET /api/servers and a new /ws/ui socket's time from
# opening to the fleet snapshot frame (FleetOverviewBench, JDK only, run in source-file mode); then RUNS times each
# of the fleet's other readers a monitoring system polls: GET /api/check (one server's Nagios verdict), GET /metrics
# (with the fleet's values: steward.metrics.fleet = on) and GET /api/inventory/export. Also the node's CPU while the
# fleet reports, and the load average. NODE_JAR=... runs another build of the node (e.g. the one before a
# change) with the same agents.
#   deploy/bench/fleet-bench.sh [SERVERS=500] [RUNS=20] [INTERVAL=1s]
source "$(dirname "$0")/lib.sh"
SERVERS=${1:-500}
RUNS=${2:-20}
INTERVAL=${3:-1s}
NODE_JAR=${NODE_JAR_OVERRIDE:-$NODE_JAR}
ensure_jars
work=$(mktemp -d /tmp/steward-bench-fleet.XXXXXX)
port=$(free_port)
SIM_PID=""
cleanup() {
  for pid in "$SIM_PID" "${NODE_PID:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== node $(basename "$NODE_JAR") ($(stat -c %y "$NODE_JAR" | cut -d. -f1)), $SERVERS servers reporting every $INTERVAL, $RUNS runs"
NODE_JAVA_OPTS="${NODE_JAVA_OPTS:--Xmx1g} -Dsteward.metrics.fleet=on" start_node "$work/node" "$port"
login "$port" "$work/cookies"
token=$(enrollment_token "$port" "$work/cookies" "$SERVERS")
java -Xmx1g -XX:+UseParallelGC -jar "$AGENT_JAR" --simulate "$SERVERS" --interval "$INTERVAL" \
  --hub "ws://127.0.0.1:$port/ws/agent" --token "$token" --state-dir "$work/sim" > "$work/sim.log" 2>&1 &
SIM_PID=$!
online=0
for _ in $(seq 1 300); do
  online=$(curl -sf -b "$work/cookies" "http://127.0.0.1:$port/api/servers" \
    | python3 -c 'import sys,json; print(sum(1 for s in json.load(sys.stdin) if s["online"]))' || echo 0)
  [ "$online" -ge "$SERVERS" ] && break
  sleep 2
done
echo "   $online online"
[ "$online" -ge "$SERVERS" ] || { tail -20 "$work/sim.log"; exit 1; }
sleep 5 # let the enrollment burst settle: measure the steady fleet
cookie=$(awk '!/^#/ && NF >= 7 {print $6 "=" $7}' "$work/cookies" | head -1)
[ -n "$cookie" ] || cookie=$(awk '/#HttpOnly_/ {print $6 "=" $7}' "$work/cookies" | head -1)
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
cpu0=$(cpu_seconds "$NODE_PID"); t0=$(date +%s.%N)
java -Xmx64m "$ROOT/cluster-node/src/test/java/io/steward/node/bench/FleetOverviewBench.java" \
  "http://127.0.0.1:$port" "$cookie" 1 > /dev/null # warm-up
java -Xmx64m "$ROOT/cluster-node/src/test/java/io/steward/node/bench/FleetOverviewBench.java" \
  "http://127.0.0.1:$port" "$cookie" "$RUNS"
# time_readers PATH: RUNS requests (after one not counted), median and p90 of the time to the whole answer.
time_readers() {
  curl -sf -o /dev/null -b "$work/cookies" "http://127.0.0.1:$port$1" || { echo "   $1: failed"; return; }
  for _ in $(seq 1 "$RUNS"); do
    curl -sf -o /dev/null -w '%{time_total}\n' -b "$work/cookies" "http://127.0.0.1:$port$1"
  done | python3 -c "import sys; t=sorted(float(x)*1000 for x in sys.stdin); print(f'   GET {sys.argv[1]}: median {t[len(t)//2]:.0f} ms, p90 {t[int(len(t)*0.9)-1]:.0f} ms ({len(t)} runs)')" "$1"
}
time_readers "/api/check?server=sim-0001&metric=cpu.percent"
time_readers "/metrics"
time_readers "/api/inventory/export?format=csv"
cpu1=$(cpu_seconds "$NODE_PID"); t1=$(date +%s.%N)
python3 -c "import sys; c0,c1,t0,t1=map(float,sys.argv[1:]); print(f'== node CPU during the runs (reports included): {100*(c1-c0)/(t1-t0):.0f} % of one core over {t1-t0:.0f} s')" \
  "$cpu0" "$cpu1" "$t0" "$t1"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
