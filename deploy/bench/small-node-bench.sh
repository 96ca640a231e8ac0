#!/usr/bin/env bash
# A small install's node: one node on the embedded H2 database watching one real agent (the README's agent flags,
# every second), under one or more sets of node JVM flags side by side in the same run (each its own node, data
# directory and agent). Samples every node's RSS every 10 s and prints, per variant, the RSS at the end and its peak
# (VmHWM), the live heap after a full GC and the reports stored; with NMT=1 also the JVM's own native-memory summary.
#   deploy/bench/small-node-bench.sh [DURATION_SECONDS=600]
# Also per variant: the share of the 10 s samples above 200 MiB, their mean, and the node's CPU seconds over the run.
# NODE_VARIANTS holds one "name|flags" per line (default: the flags deploy/start.sh uses, and -Xmx512m, the systemd
# unit's and start.sh's before); "@default" in flags stands for those of deploy/start.sh, leading NAME=VALUE words
# are the node's environment.
source "$(dirname "$0")/lib.sh"
DURATION=${1:-600}
# deploy/start.sh's JVM flags (its flags array, the conditional one included: this machine's JDK has that flag);
# it also exports MALLOC_ARENA_MAX=2.
DEFAULT_FLAGS=$(tr '\n' ' ' < "$ROOT/deploy/start.sh" | grep -o 'flags+\?=([^)]*)' | sed 's/^flags+\?=(//; s/)$//' \
  | tr -s ' \n' ' ')
NODE_VARIANTS=${NODE_VARIANTS:-"deploy/start.sh|MALLOC_ARENA_MAX=2 @default
systemd unit, and start.sh before|-Xmx512m"}
ensure_jars
work=$(mktemp -d /tmp/steward-bench-small-node.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT

names=(); node_pids=(); ports=()
i=0
while IFS='|' read -r name flags; do
  [ -z "$name" ] && continue
  flags=${flags//@default/$DEFAULT_FLAGS}
  [ -n "${NMT:-}" ] && flags="$flags -XX:NativeMemoryTracking=summary"
  port=$(free_port)
  # Leading NAME=VALUE words are the node's environment (e.g. MALLOC_ARENA_MAX=2), the rest its JVM flags.
  envs=()
  while [[ $flags =~ ^\ *([A-Z_]+=[^ ]*)\ *(.*)$ ]]; do envs+=("${BASH_REMATCH[1]}"); flags=${BASH_REMATCH[2]}; done
  for e in "${envs[@]}"; do export "${e?}"; done
  NODE_JAVA_OPTS="$flags" start_node "$work/node$i" "$port"
  for e in "${envs[@]}"; do unset "${e%%=*}"; done
  flags="${envs[*]} $flags"
  pids+=("$NODE_PID")
  login "$port" "$work/cookies$i"
  MALLOC_ARENA_MAX=2 java "${AGENT_FLAGS[@]}" -jar "$AGENT_JAR" --hub "ws://127.0.0.1:$port/ws/agent" \
    --token "$(enrollment_token "$port" "$work/cookies$i" 1)" --interval 1s --state-dir "$work/agent$i" \
    > "$work/agent$i.log" 2>&1 &
  pids+=($!)
  names+=("$name|$flags"); node_pids+=("$NODE_PID"); ports+=("$port")
  i=$((i + 1))
done <<< "$NODE_VARIANTS"

echo "small node: H2, one real agent at 1 s each, ${#names[@]} variants side by side, ${DURATION} s;" \
  "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s)
cpu0=()
for j in "${!node_pids[@]}"; do cpu0+=("$(cpu_seconds "${node_pids[$j]}")"); done
while [ $(( $(date +%s) - start )) -lt "$DURATION" ]; do
  sleep 10
  for j in "${!node_pids[@]}"; do
    kill -0 "${node_pids[$j]}" 2>/dev/null || { echo "node ${names[$j]%%|*} died; see $work/node$j.node.log" >&2; exit 1; }
    echo "$(( $(date +%s) - start )) $(rss_kb "${node_pids[$j]}")" >> "$work/rss$j.txt"
  done
done

for j in "${!node_pids[@]}"; do
  pid=${node_pids[$j]}
  cpu=$(python3 -c "print(f'{$(cpu_seconds "$pid") - ${cpu0[$j]}:.1f}')")
  read -r rss hwm < <(rss_kb "$pid")
  heap=$(live_heap_bytes "$pid")
  stored=$(reports_stored "${ports[$j]}" "$work/cookies$j")
  # RSS over the second half of the run: its least-squares slope says whether it still grows.
  slope=$(python3 - "$work/rss$j.txt" <<'PY'
import sys
rows = [tuple(map(float, l.split()[:2])) for l in open(sys.argv[1])]
rows = rows[len(rows) // 2:]
mx = sum(x for x, _ in rows) / len(rows); my = sum(y for _, y in rows) / len(rows)
den = sum((x - mx) ** 2 for x, _ in rows)
print(f"{(sum((x - mx) * (y - my) for x, y in rows) / den * 3600 / 1024) if den else 0:+.1f}")
PY
)
  echo "[${names[$j]%%|*}] ${names[$j]#*|}"
  awk -v r="$rss" -v h="$hwm" -v s="$slope" -v l="$heap" -v n="$stored" 'BEGIN {
    printf "  node RSS %.1f MiB at the end (peak %.1f MiB; second-half slope %s MiB/h), live heap after full GC %.1f MiB, %s reports stored\n",
      r / 1024, h / 1024, s, l / 1048576, n }'
  awk -v c="$cpu" '{ n++; sum += $2; if ($2 > 204800) above++ } END {
    printf "  samples above 200 MiB: %d of %d (%.0f %%), mean %.1f MiB; node CPU over the run %s s\n",
      above, n, 100 * above / n, sum / n / 1024, c }' "$work/rss$j.txt"
  if [ -n "${NMT:-}" ]; then
    jcmd "$pid" VM.native_memory summary | grep -E '^Total|^-' | grep -v 'committed=0KB' \
      | sed -E 's/ *\(reserved=[0-9]+KB, committed=([0-9]+)KB\)/ \1 KB/; s/^/    /'
  fi
done
echo "  work directory: $work"
