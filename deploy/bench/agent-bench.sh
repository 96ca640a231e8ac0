#!/usr/bin/env bash
# Agent cost on this machine: CPU time per collection cycle and RSS after DURATION seconds at a 1 s interval,
# with the README's recommended JVM flags, sending every report to a real node over loopback.
#   deploy/bench/agent-bench.sh [DURATION_SECONDS=300]
source "$(dirname "$0")/lib.sh"
DURATION=${1:-300}
WARMUP=30
ensure_jars
work=$(mktemp -d /tmp/steward-bench-agent.XXXXXX)
port=$(free_port)
start_node "$work/node" "$port"
trap 'kill $AGENT_PID $NODE_PID 2>/dev/null || true; wait 2>/dev/null || true' EXIT
login "$port" "$work/cookies"
token=$(enrollment_token "$port" "$work/cookies" 1)

java "${AGENT_FLAGS[@]}" -jar "$AGENT_JAR" --hub "ws://127.0.0.1:$port/ws/agent" --token "$token" \
  --interval 1s --state-dir "$work/agent" > "$work/agent.log" 2>&1 &
AGENT_PID=$!
sleep "$WARMUP"
cpu_start=$(cpu_seconds "$AGENT_PID"); stored_start=$(reports_stored "$port" "$work/cookies")
sleep $((DURATION - WARMUP))
cpu_end=$(cpu_seconds "$AGENT_PID"); stored_end=$(reports_stored "$port" "$work/cookies")
read -r rss hwm < <(rss_kb "$AGENT_PID")
cycles=$((stored_end - stored_start))
export FLAGS_SHOWN="${AGENT_FLAGS[*]}"
python3 - "$cpu_start" "$cpu_end" "$cycles" "$rss" "$hwm" "$DURATION" "$WARMUP" <<'PY'
import sys
cpu0, cpu1, cycles, rss, hwm, duration, warmup = map(float, sys.argv[1:])
import os
print(f"agent, 1 s interval, {int(duration)} s run")
print(f"  flags: {os.environ.get('FLAGS_SHOWN', '')}  MALLOC_ARENA_MAX={os.environ.get('MALLOC_ARENA_MAX', 'unset')}")
print(f"  cycles measured (after {int(warmup)} s warm-up): {int(cycles)}")
print(f"  CPU per cycle: {1000 * (cpu1 - cpu0) / max(1, cycles):.1f} ms  "
      f"({100 * (cpu1 - cpu0) / (duration - warmup):.2f} % of one core)")
print(f"  RSS at end: {rss / 1024:.1f} MiB (peak {hwm / 1024:.1f} MiB)")
PY
