#!/usr/bin/env bash
# Soak: one node fed by SERVERS simulated agents (every INTERVAL) and one real agent on this machine (the README's
# flags, every second) for DURATION seconds. Every minute it samples both processes' RSS (and the node's heap after
# its last GC), every LIVE_EVERY seconds (300) the node's live heap after a full GC (jcmd GC.run: what a leak grows,
# free of the collector's sizing); at the end it prints the slope of each over the run's second half (MiB per hour:
# flat means no leak; the first half is warm-up: caches, JIT, the live windows filling) and every ERROR/WARN line the
# node and the real agent logged.
#   deploy/bench/soak.sh [h2|postgres] [SERVERS=1000] [DURATION_SECONDS=3600] [INTERVAL=10s]
source "$(dirname "$0")/lib.sh"
DB=${1:-h2}
SERVERS=${2:-1000}
DURATION=${3:-3600}
INTERVAL=${4:-10s}
SAMPLE_EVERY=${SAMPLE_EVERY:-60}
LIVE_EVERY=${LIVE_EVERY:-300}
# Log lines of the start (every agent enrolling and attaching at once) are counted apart from the steady run's.
STARTUP=${STARTUP:-300}
ensure_jars
work=$(mktemp -d /tmp/steward-soak.XXXXXX)
chmod 755 "$work"
SIM_PID=""; AGENT_PID=""; NODE_PID=""
cleanup() {
  kill $SIM_PID $AGENT_PID $NODE_PID 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "$DB" = postgres ]; then stop_postgres "$work/pg"; fi
}
trap cleanup EXIT
port=$(free_port)
start_node_on "$DB" "$work" "$port"
login "$port" "$work/cookies"
java -Xmx2g -XX:+UseParallelGC -jar "$AGENT_JAR" --simulate "$SERVERS" --interval "$INTERVAL" \
  --hub "ws://127.0.0.1:$port/ws/agent" --token "$(enrollment_token "$port" "$work/cookies" "$SERVERS")" \
  --state-dir "$work/sim" > "$work/sim.log" 2>&1 &
SIM_PID=$!
java "${AGENT_FLAGS[@]}" -jar "$AGENT_JAR" --hub "ws://127.0.0.1:$port/ws/agent" \
  --token "$(enrollment_token "$port" "$work/cookies" 1)" --interval 1s --state-dir "$work/agent" \
  > "$work/agent.log" 2>&1 &
AGENT_PID=$!

# heap_after_gc_kb PID: the heap in use as of the last collection (jstat's old+young occupancy is noisy; the
# G1/Serial "used" after a GC is what a leak would grow).
heap_used_kb() { jcmd "$1" GC.heap_info 2>/dev/null | awk '/ total / {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub(/K,?/, "", v); print v; exit}}'; }

samples="$work/samples.tsv"
echo -e "seconds\tnode_rss_kb\tnode_heap_kb\tagent_rss_kb\treports_stored\tnode_live_kb" > "$samples"
start=$(date +%s)
last_live=$start
node_lines=""; agent_lines=""
while [ $(( $(date +%s) - start )) -lt "$DURATION" ]; do
  sleep "$SAMPLE_EVERY"
  if [ -z "$node_lines" ] && [ $(( $(date +%s) - start )) -ge "$STARTUP" ]; then
    node_lines=$(wc -l < "$work/node.node.log"); agent_lines=$(wc -l < "$work/agent.log")
  fi
  kill -0 "$NODE_PID" 2>/dev/null || { echo "the node died; see $work/node.node.log" >&2; exit 1; }
  kill -0 "$AGENT_PID" 2>/dev/null || { echo "the agent died; see $work/agent.log" >&2; exit 1; }
  read -r node_rss _ < <(rss_kb "$NODE_PID")
  read -r agent_rss _ < <(rss_kb "$AGENT_PID")
  live=""
  if [ $(( $(date +%s) - last_live )) -ge "$LIVE_EVERY" ]; then
    jcmd "$NODE_PID" GC.run > /dev/null 2>&1 && live=$(heap_used_kb "$NODE_PID")
    last_live=$(date +%s)
  fi
  echo -e "$(( $(date +%s) - start ))\t$node_rss\t$(heap_used_kb "$NODE_PID")\t$agent_rss\t$(reports_stored "$port" "$work/cookies")\t$live" \
    >> "$samples"
done

python3 - "$samples" "$DB" "$SERVERS" "$INTERVAL" "$DURATION" <<'PY'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])][1:]
t = [float(r[0]) for r in rows]
def slope(values):  # least squares over the second half, MiB per hour
    half = len(values) // 2
    xs, ys = t[half:], values[half:]
    if len(xs) < 2:
        return float("nan")
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den * 3600 / 1024 if den else float("nan")
col = lambda i: [float(r[i]) if len(r) > i and r[i] else float("nan") for r in rows]
node, heap, agent, stored, live = col(1), col(2), col(3), col(4), col(5)
def slope_of(values):  # over the samples that have a value (the live heap is sampled every LIVE_EVERY)
    pairs = [(x, y) for x, y in zip(t, values) if y == y]
    half = pairs[len(pairs) // 2:]
    if len(half) < 2:
        return float("nan")
    mx, my = sum(x for x, _ in half) / len(half), sum(y for _, y in half) / len(half)
    den = sum((x - mx) ** 2 for x, _ in half)
    return sum((x - mx) * (y - my) for x, y in half) / den * 3600 / 1024 if den else float("nan")
print(f"soak, {sys.argv[2]}, {sys.argv[3]} simulated servers every {sys.argv[4]} + 1 real agent every 1 s, "
      f"{float(sys.argv[5]) / 60:.0f} min, {len(rows)} samples")
print(f"  reports stored: {stored[-1]:,.0f} ({(stored[-1] - stored[0]) / max(1, t[-1] - t[0]):,.1f}/s)")
print(f"  node RSS: start {node[0] / 1024:.0f} MiB, end {node[-1] / 1024:.0f} MiB, max {max(node) / 1024:.0f} MiB; "
      f"slope over the second half {slope(node):+.1f} MiB/h")
print(f"  node heap in use: end {heap[-1] / 1024:.0f} MiB; slope over the second half {slope(heap):+.1f} MiB/h")
lives = [v for v in live if v == v]
if lives:
    print(f"  node live heap after a full GC: first {lives[0] / 1024:.0f} MiB, last {lives[-1] / 1024:.0f} MiB "
          f"({len(lives)} samples); slope over the second half {slope_of(live):+.1f} MiB/h")
print(f"  agent RSS: start {agent[0] / 1024:.1f} MiB, end {agent[-1] / 1024:.1f} MiB, max {max(agent) / 1024:.1f} MiB; "
      f"slope over the second half {slope(agent):+.2f} MiB/h")
PY
node_lines=${node_lines:-$(wc -l < "$work/node.node.log")}; agent_lines=${agent_lines:-$(wc -l < "$work/agent.log")}
warnings() { grep -hE '\b(ERROR|WARN)\b' || true; }
at_start=$( { head -n "$node_lines" "$work/node.node.log"; head -n "$agent_lines" "$work/agent.log"; } | warnings)
steady=$( { tail -n +"$((node_lines + 1))" "$work/node.node.log"; tail -n +"$((agent_lines + 1))" "$work/agent.log"; } | warnings)
echo "  ERROR/WARN lines (node + real agent): $(printf '%s' "$at_start" | grep -c . || true) in the first ${STARTUP} s" \
  "(the enrollment storm), $(printf '%s' "$steady" | grep -c . || true) after"
printf '%s\n' "$steady" | head -20 | sed 's/^/    /'
echo "  samples: $samples"
