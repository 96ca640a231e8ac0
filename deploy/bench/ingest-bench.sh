#!/usr/bin/env bash
# Node ingest on this machine: N simulated agents (steward-agent --simulate N) reporting every second to one node,
# on H2 or PostgreSQL. Prints reports/s and samples/s stored in the steady window, the agents' p50/p99 time from
# sending a report to its acknowledgement (= durably stored), the node's CPU (per report too) and RSS.
#   deploy/bench/ingest-bench.sh [h2|postgres] [AGENTS=1000] [DURATION_SECONDS=90] [ws|wss|both]
# Also prints the simulator's CPU (to subtract: it shares the machine) and the node's live heap after a full GC, before
# the agents connect and at the end (three times, 10 s apart: the lowest and the highest), per server. PROFILE=FILE.jfr records the node over the steady window.
# The window (DURATION - WARMUP seconds) starts after the warm-up once every agent is connected and the backlog of
# the connection storm is drained (at most 5 more minutes), so catching up is not counted as throughput.
# ws: plain WebSocket on loopback (the default, as before); wss: the node serves HTTPS with a certificate made here
# (--tls-cert/--tls-key) and the agents pin it; both: ws, then wss, each on a fresh node and database, one after the
# other in the same run, and the difference.
source "$(dirname "$0")/lib.sh"
DB=${1:-h2}
AGENTS=${2:-1000}
DURATION=${3:-90}
TRANSPORT=${4:-ws}
WARMUP=${WARMUP:-30}
# INTERVAL=10s: the agents report less often (e.g. 5,000 servers' live heap on a machine that cannot drive 5,000/s).
INTERVAL=${INTERVAL:-1s}
WINDOW=$((DURATION - WARMUP))
ensure_jars
SIM_PID=""
NODE_PID=""
CASE_DIR=""
cleanup() {
  [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null || true
  [ -n "$NODE_PID" ] && kill "$NODE_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  [ "$DB" = postgres ] && [ -n "$CASE_DIR" ] && stop_postgres "$CASE_DIR/pg"
  SIM_PID=""; NODE_PID=""; CASE_DIR=""
}
trap cleanup EXIT

# wait_steady SIM_LOG: until the simulator's last status line shows all agents connected and little spooled.
wait_steady() {
  for _ in $(seq 1 60); do
    if tail -1 "$1" | grep -q "$AGENTS/$AGENTS connected" \
        && [ "$(tail -1 "$1" | grep -o '[0-9]* spooled' | cut -d' ' -f1)" -le "$AGENTS" ]; then
      return 0
    fi
    sleep 5
  done
  echo "  (not steady after 5 more minutes; measuring anyway)"
}

# run_case ws|wss: prints the figures and leaves "reports/s cpu-ms-per-report" in CASE_RESULT.
run_case() {
  local transport=$1 work port tls_flags=() trust=()
  work=$(mktemp -d /tmp/steward-bench-ingest.XXXXXX)
  chmod 755 "$work"
  CASE_DIR=$work
  port=$(free_port)
  if [ "$transport" = wss ]; then
    mkdir -p "$work/tls"
    local pin
    pin=$(make_certificate "$work/tls")
    tls_flags=(--tls-cert "$work/tls/cert.pem" --tls-key "$work/tls/key.pem")
    trust=(--pin-sha256 "$pin")
    NODE_SCHEME=https; CURL_TLS=(--cacert "$work/tls/cert.pem")
  else
    NODE_SCHEME=http; CURL_TLS=()
  fi
  if [ "$DB" = postgres ]; then
    start_postgres "$work/pg"
    start_node "$work/node" "$port" "${tls_flags[@]}" --db-url "$PG_URL" --db-user steward
  else
    start_node "$work/node" "$port" "${tls_flags[@]}"
  fi
  login "$port" "$work/cookies"
  local token heap_empty
  token=$(enrollment_token "$port" "$work/cookies" "$AGENTS")
  heap_empty=$(live_heap_bytes "$NODE_PID" "${HISTOGRAM:+$HISTOGRAM.empty}")

  java -Xmx2g -XX:+UseParallelGC -jar "$AGENT_JAR" --simulate "$AGENTS" --interval "$INTERVAL" \
    --hub "$transport://127.0.0.1:$port/ws/agent" "${trust[@]}" --token "$token" --state-dir "$work/sim" \
    > "$work/sim.log" 2>&1 &
  SIM_PID=$!
  sleep "$WARMUP"
  wait_steady "$work/sim.log"
  local stored_start cpu_start t0 stored_end cpu_end t1 rss hwm samples latency sim_cpu_start sim_cpu_end switches_start switches_end
  stored_start=$(reports_stored "$port" "$work/cookies"); cpu_start=$(cpu_seconds "$NODE_PID"); t0=$(date +%s.%N)
  switches_start=$(context_switches "$NODE_PID")
  sim_cpu_start=$(cpu_seconds "$SIM_PID")
  # PROFILE=FILE.jfr: a flight recording of the node over the steady window only (not the connection storm).
  [ -n "${PROFILE:-}" ] && jcmd "$NODE_PID" JFR.start name=window settings=profile filename="$PROFILE" > /dev/null
  sleep "$WINDOW"
  [ -n "${PROFILE:-}" ] && jcmd "$NODE_PID" JFR.stop name=window > /dev/null
  stored_end=$(reports_stored "$port" "$work/cookies"); cpu_end=$(cpu_seconds "$NODE_PID"); t1=$(date +%s.%N)
  switches_end=$(context_switches "$NODE_PID")
  sim_cpu_end=$(cpu_seconds "$SIM_PID")
  read -r rss hwm < <(rss_kb "$NODE_PID")
  # HISTOGRAM=FILE keeps the node's class histograms (what a server's heap is made of): FILE.empty before the agents,
  # FILE, FILE.2, FILE.3 with them. Three full-GC measurements 10 s apart: the lowest is the node at rest, the highest
  # may catch a rollup round's working set (~16 KiB per server at 1,000 servers); both are printed.
  local heap_low="" heap_high="" heap suffix round
  for round in 1 2 3; do
    suffix=""
    if [ "$round" -gt 1 ]; then sleep 10; suffix=".$round"; fi
    heap=$(live_heap_bytes "$NODE_PID" "${HISTOGRAM:+$HISTOGRAM$suffix}")
    if [ -z "${heap_low:-}" ] || [ "$heap" -lt "$heap_low" ]; then heap_low=$heap; fi
    if [ -z "${heap_high:-}" ] || [ "$heap" -gt "$heap_high" ]; then heap_high=$heap; fi
  done
  # Series per simulated report, from one stored server's latest report (same rules as core's ReportSamples).
  samples=$(curl -sf "${CURL_TLS[@]}" -b "$work/cookies" "$NODE_SCHEME://127.0.0.1:$port/api/servers" \
    | python3 -c 'import sys,json; print(json.load(sys.stdin)[0]["id"])' \
    | xargs -I{} curl -sf "${CURL_TLS[@]}" -b "$work/cookies" "$NODE_SCHEME://127.0.0.1:$port/api/servers/{}" \
    | python3 -c '
import sys, json
latest = json.load(sys.stdin)["latest"]
print(10 + 3 * len(latest["filesystems"]) + 4 * len(latest["disks"]) + 4 * len(latest["interfaces"]))')
  latency=$(grep -o "ack p50 [0-9.]* ms, p99 [0-9.]* ms" "$work/sim.log" | tail -n +2 | tail -5 || true)
  CASE_RESULT=$(python3 - "$DB" "$AGENTS" "$stored_start" "$stored_end" "$t0" "$t1" "$samples" "$rss" "$hwm" \
      "$cpu_start" "$cpu_end" "$latency" "$transport" "$sim_cpu_start" "$sim_cpu_end" "$heap_empty" "$heap_low" \
      "$INTERVAL" "$heap_high" "$switches_start" "$switches_end" <<'PY'
import re, sys
db, agents = sys.argv[1], int(sys.argv[2])
s0, s1, t0, t1, samples, rss, hwm, c0, c1 = map(float, sys.argv[3:12])
transport = sys.argv[13]
g0, g1, h0, h1 = map(float, sys.argv[14:18])
rate = (s1 - s0) / (t1 - t0)
cpu = (c1 - c0) / (t1 - t0)
per_report = 1000 * (c1 - c0) / max(1.0, s1 - s0)
print(f"ingest, {db}, {transport}://, {agents} simulated agents every {sys.argv[18]}, steady window {t1 - t0:.0f} s")
print(f"  stored: {rate:,.0f} reports/s, {rate * samples:,.0f} samples/s ({samples:.0f} series per report)")
lines = sys.argv[12].splitlines()
p50 = [float(m.group(1)) for m in (re.search(r"p50 ([0-9.]+)", l) for l in lines) if m]
p99 = [float(m.group(1)) for m in (re.search(r"p99 ([0-9.]+)", l) for l in lines) if m]
if p50:
    print(f"  ack latency (send -> durably stored), last {len(p50)} 10 s windows: p50 {min(p50):.1f}-{max(p50):.1f} ms,"
          f" p99 {min(p99):.1f}-{max(p99):.1f} ms")
print(f"  node CPU: {100 * cpu:.0f} % of one core = {per_report:.2f} ms per report; node RSS {rss / 1024:.0f} MiB"
      f" (peak {hwm / 1024:.0f} MiB)")
w0, w1 = (dict(pair.split(":") for pair in text.split()) for text in sys.argv[20:22])
switches = sum(int(w1[tid]) - int(w0[tid]) for tid in w0.keys() & w1.keys())
print(f"  node context switches: {switches / (t1 - t0):,.0f}/s = {switches / max(1.0, s1 - s0):.1f} per report"
      f" (voluntary + involuntary, of the threads alive at both ends)")
print(f"  generator CPU: {100 * (g1 - g0) / (t1 - t0):.0f} % of one core = {1000 * (g1 - g0) / max(1.0, s1 - s0):.2f} ms"
      f" per report")
h2 = float(sys.argv[19])
print(f"  node live heap after full GC: {h0 / 2**20:.0f} MiB before the agents, {h1 / 2**20:.0f} MiB with them ="
      f" {(h1 - h0) / agents / 1024:.1f} KiB per server (lowest of 3, 10 s apart; highest {h2 / 2**20:.0f} MiB ="
      f" {(h2 - h0) / agents / 1024:.1f} KiB)")
print(f"RESULT {rate:.1f} {per_report:.3f}")
PY
)
  printf '%s\n' "$CASE_RESULT" | grep -v '^RESULT '
  tail -3 "$work/sim.log" | sed 's/^/  simulator: /'
  CASE_RESULT=$(printf '%s\n' "$CASE_RESULT" | grep '^RESULT ' | cut -d' ' -f2-)
  cleanup
}

case "$TRANSPORT" in
  ws|wss) run_case "$TRANSPORT" ;;
  both)
    run_case ws; plain=$CASE_RESULT
    echo
    run_case wss; tls=$CASE_RESULT
    echo
    python3 - $plain $tls <<'PY'
import sys
rate_ws, cpu_ws, rate_wss, cpu_wss = map(float, sys.argv[1:5])
print(f"wss:// vs ws://: reports/s {rate_wss:,.0f} vs {rate_ws:,.0f} ({100 * (rate_wss / rate_ws - 1):+.1f} %),"
      f" node CPU per report {cpu_wss:.2f} vs {cpu_ws:.2f} ms ({100 * (cpu_wss / cpu_ws - 1):+.1f} %)")
PY
    ;;
  *) echo "transport must be ws, wss or both, got '$TRANSPORT'" >&2; exit 2 ;;
esac
