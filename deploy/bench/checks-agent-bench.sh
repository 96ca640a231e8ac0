#!/usr/bin/env bash
# Agent cost of running checks: CHECKS HTTP checks at a 60 s interval against a loopback HTTP server. Two agents from
# the agent jar with the README's recommended JVM flags run side by side, at the default 5 s collection interval:
# one is assigned the checks, the other an empty list. Both are measured over the same window (after a warm-up
# that covers every check's first, jittered run); the difference is what the checks cost: CPU (% of one core) and
# RSS. The hub is a FakeNode (the real protocol over a real WebSocket, from the agent's test sources) that sends
# checks-assign after each welcome, as the node will, and counts the results.
#   deploy/bench/checks-agent-bench.sh [CHECKS=1000] [SECONDS=240]     (WARMUP=90 seconds before the window)
source "$(dirname "$0")/lib.sh"
CHECKS=${1:-1000}
WINDOW=${2:-240}
WARMUP=${WARMUP:-90}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
work=$(mktemp -d "${TMPDIR:-/tmp}/steward-checks-bench.XXXXXX")
HUB_PID=; WITH_PID=; WITHOUT_PID=
trap 'kill $WITH_PID $WITHOUT_PID $HUB_PID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

# The agent jar and the hub's classpath, in one reactor build (core from the reactor, nothing installed).
(cd "$ROOT" && mvn -B -q -o package dependency:build-classpath -pl core,agent -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt > "$work/build.log" 2>&1) \
  || { cat "$work/build.log" >&2; exit 1; }
CLASSPATH="$ROOT/agent/target/test-classes:$ROOT/agent/target/classes:$(cat "$ROOT/agent/target/bench-classpath.txt")"

java -Xmx512m -cp "$CLASSPATH" \
  io.steward.agent.checks.ChecksAgentBench "$work" "$CHECKS" > "$work/hub.log" 2>&1 &
HUB_PID=$!
for _ in $(seq 1 120); do [ -s "$work/hub" ] && break; sleep 0.5; done
[ -s "$work/hub" ] || { cat "$work/hub.log" >&2; echo "the hub did not start" >&2; exit 1; }
hub=$(cat "$work/hub")
max_checks=$(( CHECKS > 1000 ? CHECKS : 1000 ))

java "${AGENT_FLAGS[@]}" -jar "$AGENT_JAR" --hub "$hub" --token bench-with-checks --state-dir "$work/with" \
  --max-checks "$max_checks" > "$work/with.log" 2>&1 &
WITH_PID=$!
java "${AGENT_FLAGS[@]}" -jar "$AGENT_JAR" --hub "$hub" --token bench-without-checks --state-dir "$work/without" \
  > "$work/without.log" 2>&1 &
WITHOUT_PID=$!

threads() { awk '/^Threads/{print $2}' "/proc/$1/status"; }
# thread_cpu PID: "name task ticks" per live thread (names as the kernel keeps them: 15 characters)
thread_cpu() {
  python3 - "$1" <<'PY2'
import os, sys
for task in os.listdir(f"/proc/{sys.argv[1]}/task"):
    try:
        stat = open(f"/proc/{sys.argv[1]}/task/{task}/stat").read()
    except OSError:
        continue
    fields = stat.rsplit(")", 1)[1].split()
    print(stat[stat.index("(") + 1:stat.rindex(")")].replace(" ", "_"), task, int(fields[11]) + int(fields[12]))
PY2
}
sleep "$WARMUP"
thread_cpu "$WITH_PID" > "$work/threads0"
read -r results0 up0 _ requests0 < "$work/results"
cpu_with0=$(cpu_seconds "$WITH_PID"); cpu_without0=$(cpu_seconds "$WITHOUT_PID")
read -r rss_with0 _ < <(rss_kb "$WITH_PID"); read -r rss_without0 _ < <(rss_kb "$WITHOUT_PID")
sleep "$WINDOW"
cpu_with1=$(cpu_seconds "$WITH_PID"); cpu_without1=$(cpu_seconds "$WITHOUT_PID")
read -r rss_with1 hwm_with < <(rss_kb "$WITH_PID"); read -r rss_without1 hwm_without < <(rss_kb "$WITHOUT_PID")
read -r results1 up1 frames1 requests1 < "$work/results"
thread_cpu "$WITH_PID" > "$work/threads1"
threads_with=$(threads "$WITH_PID"); threads_without=$(threads "$WITHOUT_PID")
# Garbage collections since start (read after the window: attaching costs the agent a thread and some CPU).
gc() { jstat -gcutil "$1" | awk 'NR==2{print "young " $7 ", full " $9 ", " $13 " s in all; old generation " $4 " % full"}'; }
gc_with=$(gc "$WITH_PID"); gc_without=$(gc "$WITHOUT_PID")

export FLAGS_SHOWN="${AGENT_FLAGS[*]}" GC_WITH="$gc_with" GC_WITHOUT="$gc_without" WORK="$work"
python3 - "$CHECKS" "$WINDOW" "$WARMUP" "$cpu_with0" "$cpu_with1" "$cpu_without0" "$cpu_without1" \
  "$rss_with0" "$rss_with1" "$hwm_with" "$rss_without0" "$rss_without1" "$hwm_without" \
  "$results0" "$results1" "$up0" "$up1" "$frames1" "$requests0" "$requests1" "$threads_with" "$threads_without" <<'PY'
import os, sys
(checks, window, warmup, cw0, cw1, co0, co1, rw0, rw1, hw, ro0, ro1, ho, res0, res1, up0, up1, frames,
 req0, req1, tw, to) = map(float, sys.argv[1:])
core = lambda c0, c1: 100 * (c1 - c0) / window
with_cpu, without_cpu = core(cw0, cw1), core(co0, co1)
results, ups = res1 - res0, up1 - up0
print(f"{int(checks)} HTTP checks every 60 s against a loopback HTTP server; two agents side by side, "
      f"5 s collection interval, {int(window)} s window after {int(warmup)} s warm-up")
print(f"  flags: {os.environ.get('FLAGS_SHOWN', '')}  MALLOC_ARENA_MAX={os.environ.get('MALLOC_ARENA_MAX', 'unset')}")
print(f"  results in the window: {int(results)} ({results / (window / 60):.0f} per minute, expected "
      f"{int(checks)}), {int(ups)} up; requests served {int(req1 - req0)}; {int(frames)} check-results frames in all")
print(f"  CPU    with checks {with_cpu:.2f} %   without {without_cpu:.2f} %   added {with_cpu - without_cpu:.2f} % "
      f"of one core ({1000 * ((cw1 - cw0) - (co1 - co0)) / max(1, results):.2f} ms per check run)")
print(f"  RSS    with checks {rw1 / 1024:.1f} MiB (peak {hw / 1024:.1f}, {rw0 / 1024:.1f} at window start)   "
      f"without {ro1 / 1024:.1f} MiB (peak {ho / 1024:.1f}, {ro0 / 1024:.1f} at window start)   "
      f"added {(rw1 - ro1) / 1024:.1f} MiB")
print(f"  threads with checks {int(tw)}   without {int(to)}")
print(f"  GC since start, with checks: {os.environ['GC_WITH']}")
print(f"  GC since start, without:     {os.environ['GC_WITHOUT']}")
ticks = os.sysconf("SC_CLK_TCK")
def load(name):
    groups = {}
    for line in open(os.path.join(os.environ["WORK"], name)):
        thread, task, used = line.split()
        groups[task] = (thread, int(used))
    return groups
start, end = load("threads0"), load("threads1")
kinds = {"steward-check-": "probe workers", "steward-check-d": "name lookups", "steward-checks-": "check timer",
         "steward-check-r": "reference", "steward-agent-": "agent scheduler (collection, link, batching)",
         "steward-agent-h": "WebSocket client", "VM_Thread": "GC and safepoints", "C1_CompilerThre": "JIT"}
spent = {}
for task, (thread, used) in end.items():
    kind = kinds.get(thread.rstrip("0123456789"), kinds.get(thread, "other JVM threads"))
    spent[kind] = spent.get(kind, 0) + used - start.get(task, (thread, 0))[1]
print("  CPU of the agent with checks in the window, by thread (% of one core): " + ", ".join(
    f"{kind} {100 * used / ticks / window:.2f}" for kind, used in sorted(spent.items(), key=lambda kv: -kv[1])))
print(f"  targets: < 1 % of a core added: {'met' if with_cpu - without_cpu < 1 else 'NOT met'}; "
      f"< 5 MB RSS added: {'met' if (rw1 - ro1) * 1024 < 5_000_000 else 'NOT met'}")
PY
