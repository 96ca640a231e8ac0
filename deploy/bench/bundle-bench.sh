#!/usr/bin/env bash
# The self-contained agent bundle: its size (unpacked, .tar.gz, .deb) and the agent's RSS when run from it — the
# bundled jlink runtime through bin/steward-agent (its own low-memory flags) — reporting every second to a real node
# over loopback, against the same jar on the host's JDK with the same flags.
#   deploy/bench/bundle-bench.sh [DURATION_SECONDS=120]
source "$(dirname "$0")/lib.sh"
DURATION=${1:-120}
[ "$(id -u)" = 0 ] || { echo "needs root (a mount namespace per agent for its machine id)" >&2; exit 2; }
DOWNLOADS="$ROOT/agent/target/downloads"
if [ ! -f "$NODE_JAR" ] || [ ! -f "$DOWNLOADS/steward-agent-linux-x86_64.tar.gz" ]; then
  (cd "$ROOT" && mvn -B -q -o package -DskipTests)
fi
work=$(mktemp -d /tmp/steward-bench-bundle.XXXXXX)
port=$(free_port)
start_node "$work/node" "$port"
trap 'kill $BUNDLED_PID $JDK_PID $NODE_PID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
login "$port" "$work/cookies"

tar -xzf "$DOWNLOADS/steward-agent-linux-x86_64.tar.gz" -C "$work"
# Each agent gets a machine id of its own (lib.sh with_machine_id).
printf '%032x\n' 1 > "$work/machine-id-bundled"; printf '%032x\n' 2 > "$work/machine-id-jdk"
with_machine_id "$work/machine-id-bundled" "$work/steward-agent/bin/steward-agent" --hub "ws://127.0.0.1:$port/ws/agent" \
  --token "$(enrollment_token "$port" "$work/cookies" 1)" --interval 1s --state-dir "$work/bundled" \
  > "$work/bundled.log" 2>&1 &
BUNDLED_PID=$!
with_machine_id "$work/machine-id-jdk" env MALLOC_ARENA_MAX=2 java "${AGENT_FLAGS[@]}" -jar "$AGENT_JAR" \
  --hub "ws://127.0.0.1:$port/ws/agent" --token "$(enrollment_token "$port" "$work/cookies" 1)" --interval 1s \
  --state-dir "$work/jdk" > "$work/jdk.log" 2>&1 &
JDK_PID=$!
sleep "$DURATION"
read -r bundled_rss bundled_hwm < <(rss_kb "$BUNDLED_PID")
read -r jdk_rss jdk_hwm < <(rss_kb "$JDK_PID")
online=$(curl -sf -b "$work/cookies" "http://127.0.0.1:$port/api/servers" \
  | python3 -c 'import sys,json; print(sum(1 for s in json.load(sys.stdin) if s["online"]))')

if [ "$online" != 2 ]; then
  echo "only $online of the 2 agents online: not a comparison; see $work/*.log" >&2
  trap - EXIT; kill $BUNDLED_PID $JDK_PID $NODE_PID 2>/dev/null || true
  exit 1
fi

echo "agent bundle, $(uname -m), $(date -u +%F)"
echo "  unpacked: $(du -sh "$work/steward-agent" | cut -f1) (runtime $(du -sh "$work/steward-agent/runtime" | cut -f1), jar $(du -sh "$work/steward-agent/lib/steward-agent.jar" | cut -f1))"
echo "  runtime modules: $("$work/steward-agent/runtime/bin/java" --list-modules | sed 's/@.*//' | tr '\n' ' ')"
for file in "$DOWNLOADS"/steward-agent-*-linux-*.tar.gz "$DOWNLOADS"/*.deb; do
  echo "  $(basename "$file"): $(du -h --apparent-size "$file" | cut -f1)"
done
echo "  RSS after ${DURATION} s at a 1 s interval (servers online: $online of 2):"
echo "    from the bundle (bin/steward-agent):     $((bundled_rss / 1024)) MiB (peak $((bundled_hwm / 1024)) MiB)"
echo "    the same jar on the host's JDK $(java -version 2>&1 | head -1 | cut -d'"' -f2): $((jdk_rss / 1024)) MiB (peak $((jdk_hwm / 1024)) MiB)"
