#!/usr/bin/env bash
# Capacity of one node on this machine: a stepped load of simulated agents reporting every second (250, 500, ...
# agents: that many reports/s offered), each step held for STEP_SECONDS after it is steady. Per step it prints the
# reports/s stored, the agents' ack latency (send -> durably stored) p50 and p99 over the step's 10 s windows (the
# worst window's p99 is what the step is judged by), the node's CPU per report and the generator's own CPU (it shares
# the machine: subtract it), and at the end the highest rate whose every window kept p99 <= P99_LIMIT_MS.
#   deploy/bench/capacity-bench.sh [h2|postgres] ["STEPS"="250 500 1000 1500 2000"] [STEP_SECONDS=60]
# One node and one database for the whole run (the servers of earlier steps keep their stored history, as a fleet
# that grows would); each step restarts the simulator with more agents on the same state directory, so the agents
# of earlier steps reconnect with their credentials and only the new ones enroll. The step's window starts once every
# agent is connected and the reconnection backlog is drained (SETTLE more seconds after that).
source "$(dirname "$0")/lib.sh"
DB=${1:-h2}
read -r -a STEPS <<< "${2:-250 500 1000 1500 2000}"
STEP_SECONDS=${3:-60}
P99_LIMIT_MS=${P99_LIMIT_MS:-250}
SETTLE=${SETTLE:-15}
ensure_jars
work=$(mktemp -d /tmp/steward-bench-capacity.XXXXXX)
chmod 755 "$work"
SIM_PID=""; NODE_PID=""
cleanup() {
  kill $SIM_PID $NODE_PID 2>/dev/null || true
  wait 2>/dev/null || true
  [ "$DB" = postgres ] && stop_postgres "$work/pg"
}
trap cleanup EXIT

port=$(free_port)
start_node_on "$DB" "$work" "$port"
login "$port" "$work/cookies"
max_agents=0
for n in "${STEPS[@]}"; do [ "$n" -gt "$max_agents" ] && max_agents=$n; done
token=$(enrollment_token "$port" "$work/cookies" "$max_agents")
echo "capacity, $DB, one node (${NODE_JAVA_OPTS:--Xmx1g}), simulated agents at 1 s, steps ${STEPS[*]}," \
  "${STEP_SECONDS} s measured per step, p99 limit ${P99_LIMIT_MS} ms; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

results="$work/steps.tsv"
: > "$results"
for agents in "${STEPS[@]}"; do
  [ -n "$SIM_PID" ] && { kill "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; }
  log="$work/sim-$agents.log"
  java -Xmx2g -XX:+UseParallelGC -jar "$AGENT_JAR" --simulate "$agents" --interval 1s \
    --hub "ws://127.0.0.1:$port/ws/agent" --token "$token" --state-dir "$work/sim" > "$log" 2>&1 &
  SIM_PID=$!
  # Steady: every agent connected and at most one report each still spooled, for two status lines in a row.
  steady=0
  for _ in $(seq 1 120); do
    sleep 5
    last=$(grep "connected (of" "$log" | tail -1 || true)
    spooled=$(printf '%s' "$last" | grep -o '[0-9]* spooled' | cut -d' ' -f1 || true)
    if printf '%s' "$last" | grep -q "$agents/$agents connected" && [ "${spooled:-$agents}" -le "$agents" ]; then
      steady=$((steady + 1)); [ "$steady" -ge 2 ] && break
    else
      steady=0
    fi
  done
  [ "$steady" -ge 2 ] || echo "  ($agents agents: not steady after 10 minutes; measuring anyway)"
  sleep "$SETTLE"
  lines_before=$(wc -l < "$log")
  s0=$(reports_stored "$port" "$work/cookies"); c0=$(cpu_seconds "$NODE_PID"); g0=$(cpu_seconds "$SIM_PID")
  t0=$(date +%s.%N)
  sleep "$STEP_SECONDS"
  s1=$(reports_stored "$port" "$work/cookies"); c1=$(cpu_seconds "$NODE_PID"); g1=$(cpu_seconds "$SIM_PID")
  t1=$(date +%s.%N)
  read -r rss _ < <(rss_kb "$NODE_PID")
  windows=$(tail -n +"$((lines_before + 1))" "$log" | grep -o "ack p50 [0-9.]* ms, p99 [0-9.]* ms" || true)
  python3 - "$agents" "$s0" "$s1" "$c0" "$c1" "$g0" "$g1" "$t0" "$t1" "$rss" "$windows" "$(cut -d' ' -f1 /proc/loadavg)" \
    >> "$results" <<'PY'
import re, statistics, sys
agents = int(sys.argv[1])
s0, s1, c0, c1, g0, g1, t0, t1, rss = map(float, sys.argv[2:11])
pairs = [tuple(map(float, m)) for m in re.findall(r"p50 ([0-9.]+) ms, p99 ([0-9.]+) ms", sys.argv[11])]
stored = s1 - s0
rate = stored / (t1 - t0)
p50 = statistics.median(p for p, _ in pairs) if pairs else float("nan")
p99_median = statistics.median(q for _, q in pairs) if pairs else float("nan")
p99_worst = max(q for _, q in pairs) if pairs else float("nan")
print("\t".join(str(v) for v in (agents, rate, p50, p99_median, p99_worst, len(pairs),
      1000 * (c1 - c0) / max(1.0, stored), 100 * (c1 - c0) / (t1 - t0),
      1000 * (g1 - g0) / max(1.0, stored), 100 * (g1 - g0) / (t1 - t0), rss / 1024, sys.argv[12])))
PY
  IFS=$'\t' read -r _ rate p50 p99m p99w nwin cpu_rep cpu_pct gen_rep gen_pct rss_mib load < <(tail -1 "$results")
  printf '  %5d agents: %7.1f reports/s stored; ack p50 %6.1f ms, p99 %6.1f ms (worst of %s windows %6.1f ms);' \
    "$agents" "$rate" "$p50" "$p99m" "$nwin" "$p99w"
  printf ' node %.3f ms CPU per report (%.0f %% of a core), generator %.3f ms (%.0f %%); node RSS %.0f MiB; load %s\n' \
    "$cpu_rep" "$cpu_pct" "$gen_rep" "$gen_pct" "$rss_mib" "$load"
done

python3 - "$results" "$P99_LIMIT_MS" <<'PY'
import math, sys
rows = [line.split("\t") for line in open(sys.argv[1]) if line.strip()]
limit = float(sys.argv[2])
held = [r for r in rows if not math.isnan(float(r[4])) and float(r[4]) <= limit
        and float(r[1]) >= 0.95 * int(r[0])]
if held:
    best = max(held, key=lambda r: float(r[1]))
    print(f"highest rate holding p99 <= {limit:.0f} ms in every window (and storing >= 95 % of what was offered): "
          f"{float(best[1]):,.0f} reports/s ({best[0]} agents)")
else:
    print(f"no step held p99 <= {limit:.0f} ms")
failed = [r for r in rows if r not in held]
if failed:
    first = min(failed, key=lambda r: int(r[0]))
    print(f"first step that did not: {first[0]} agents ({float(first[1]):,.0f} reports/s stored, worst p99 "
          f"{float(first[4]):,.0f} ms)")
PY
echo "  work directory: $work"
