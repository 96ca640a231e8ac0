#!/usr/bin/env bash
# The dashboard in headless Chromium (Debian's /usr/bin/chromium): gzip size of the initial JS+CSS, time from
# navigation to the first server card, and the browser's CPU and responsiveness while the fleet overview shows N
# simulated servers (steward-agent --simulate N) that each report every second.
#   [LOADS=5] [LATENCY_MS=0] [SPLIT_CPUS=0] deploy/bench/ui-bench.sh [SERVERS=500] [BENCH_SECONDS=60]
# LATENCY_MS adds that long to each HTTP request of a page load, from sent to the answer's headers (Chromium's network
# emulation: about a round trip of that length; whether it holds the WebSocket's frames is not checked), as across a
# network.
# SPLIT_CPUS=1 pins the node and the simulated agents to CPU 0 and the browser (the harness and every Chromium process
# it starts) to CPU 1: the browser gets a core of its own, as on another machine, and the node and its agents share
# the other (the node is pinned after its start, so the JVM sized its threads for every CPU). By default all share
# both cores. CPUs 0 and 1 must be allowed to this script.
# The first card is timed inside the page (in the DOM, then painted); nothing of Playwright's runs in the page until
# then.
source "$(dirname "$0")/lib.sh"
SERVERS=${1:-500}
BENCH_SECONDS=${2:-60}
ensure_jars
[ -f "$ROOT/frontend/target/classes/steward/ui/index.html" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
work=$(mktemp -d /tmp/steward-bench-ui.XXXXXX)
chmod 755 "$work"
port=$(free_port)
NODE_PID=""; SIM_PID=""; SAMPLER_PID=""
cleanup() {
  for pid in "$SAMPLER_PID" "$SIM_PID" "$NODE_PID"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

echo "== initial bundle"
(cd "$ROOT/frontend" && node scripts/bundle-size.mjs) | tee "$work/bundle.json"

server_cpu=(); browser_cpu=()
if [ "${SPLIT_CPUS:-0}" = 1 ]; then
  [ "$(nproc)" -ge 2 ] || { echo "SPLIT_CPUS=1 needs two CPUs" >&2; exit 1; }
  server_cpu=(taskset -c 0); browser_cpu=(taskset -c 1)
fi
start_node "$work/node" "$port"
# Every thread the node has now; those it starts later inherit the mask.
if [ "${SPLIT_CPUS:-0}" = 1 ]; then taskset -a -pc 0 "$NODE_PID" > /dev/null; fi
login "$port" "$work/cookies"
token=$(enrollment_token "$port" "$work/cookies" "$SERVERS")
"${server_cpu[@]}" java -Xmx1g -XX:+UseParallelGC -jar "$AGENT_JAR" --simulate "$SERVERS" --interval 1s \
  --hub "ws://127.0.0.1:$port/ws/agent" --token "$token" --state-dir "$work/sim" > "$work/sim.log" 2>&1 &
SIM_PID=$!
echo "== waiting for $SERVERS servers online"
for _ in $(seq 1 240); do
  online=$(curl -sf -b "$work/cookies" "http://127.0.0.1:$port/api/servers" \
    | python3 -c 'import sys,json; print(sum(1 for s in json.load(sys.stdin) if s["online"]))' || echo 0)
  [ "$online" -ge "$SERVERS" ] && break
  sleep 1
done
echo "   $online online"

# Every 2 s: total CPU seconds of all Chromium processes (browser, renderer, GPU/utility), from /proc.
python3 - "$work/chromium-cpu.tsv" <<'PY' &
import os, sys, time
tick = os.sysconf("SC_CLK_TCK")
with open(sys.argv[1], "w") as out:
    while True:
        total = 0
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                if b"chromium" not in open(f"/proc/{pid}/cmdline", "rb").read():
                    continue
                fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
            except OSError:
                pass
        out.write(f"{time.time():.2f}\t{total:.2f}\n"); out.flush()
        time.sleep(2)
PY
SAMPLER_PID=$!
node_cpu0=$(cpu_seconds "$NODE_PID"); t0=$(date +%s.%N)
echo "== browser"
(cd "$ROOT/frontend" && STEWARD_URL="http://127.0.0.1:$port" STEWARD_USER=admin STEWARD_PASSWORD="$ADMIN_PASSWORD" \
  BENCH_SECONDS="$BENCH_SECONDS" "${browser_cpu[@]}" node e2e/ui-bench.mjs) | tee "$work/browser.log"
node_cpu1=$(cpu_seconds "$NODE_PID"); t1=$(date +%s.%N)
python3 - "$work/chromium-cpu.tsv" "$BENCH_SECONDS" "$node_cpu0" "$node_cpu1" "$t0" "$t1" <<'PY'
import sys
rows = [tuple(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
seconds = float(sys.argv[2])
# The steady part: the last BENCH_SECONDS of the run minus its final 4 s (the script closing the browser).
end = rows[-1][0] - 4
window = [r for r in rows if end - seconds + 4 <= r[0] <= end]
if len(window) >= 2:
    (ta, ca), (tb, cb) = window[0], window[-1]
    print(f"== all Chromium processes (from /proc), {tb - ta:.0f} s steady window: {100 * (cb - ca) / (tb - ta):.1f} % of one core")
c0, c1, t0, t1 = map(float, sys.argv[3:7])
print(f"== node CPU over the browser run: {100 * (c1 - c0) / (t1 - t0):.0f} % of one core")
PY
