#!/usr/bin/env bash
# The agent against Prometheus' node_exporter, side by side in one run so both see the same machine and load: the
# Steward agent with the README's JVM flags at a 1 s interval reporting to a real node over loopback, and Debian's
# prometheus-node-exporter (default collectors) scraped once a second over loopback. Prints CPU per cycle / scrape,
# % of a core, RSS for each, and the ratios agent / node_exporter.
#   [TRANSPORT=ws|wss] deploy/bench/agent-vs-node-exporter.sh [DURATION_SECONDS=120]
# AGENT_JAVA_OPTS replaces the agent's JVM flags (lib.sh); AGENT_EXTRA_OPTS is added to them. AGENT_VARIANTS runs
# the agent once per line, one after the other, against the same node: "LABEL|JVM FLAGS" (the flags replace the defaults;
# "@default" stands for them, "@cds" for -XX:SharedArchiveFile of a dynamic CDS archive of the agent's classes that
# the script first records: one agent runs 20 s against the same node with -XX:ArchiveClassesAtExit, then stops).
# TRANSPORT=wss: the node serves HTTPS with a certificate made here and the agents pin it, as installed (an agent on
# wss:// holds ~3.7 MiB more than on ws://, the default here: results/agent-memory-2026-12-05.txt).
source "$(dirname "$0")/lib.sh"
DURATION=${1:-120}
WARMUP=20
TRANSPORT=${TRANSPORT:-ws}
case "$TRANSPORT" in ws|wss) ;; *) echo "TRANSPORT is ws or wss, not $TRANSPORT" >&2; exit 2 ;; esac
EXPORTER=${NODE_EXPORTER:-/usr/bin/prometheus-node-exporter}
if [ ! -x "$EXPORTER" ]; then
  apt-get install -y prometheus-node-exporter > /dev/null
fi
ensure_jars
work=$(mktemp -d /tmp/steward-bench-vs-exporter.XXXXXX)
port=$(free_port)
exporter_port=$(free_port)
AGENT_PIDS=(); EXPORTER_PID=; SCRAPER_PID=; NODE_PID=
trap 'kill "${AGENT_PIDS[@]}" $EXPORTER_PID $SCRAPER_PID $NODE_PID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
tls_flags=(); trust=()
NODE_SCHEME=http; CURL_TLS=()
if [ "$TRANSPORT" = wss ]; then
  mkdir -p "$work/tls"
  pin=$(make_certificate "$work/tls")
  tls_flags=(--tls-cert "$work/tls/cert.pem" --tls-key "$work/tls/key.pem")
  trust=(--pin-sha256 "$pin")
  NODE_SCHEME=https; CURL_TLS=(--cacert "$work/tls/cert.pem")
fi
hub="$TRANSPORT://127.0.0.1:$port/ws/agent"
start_node "$work/node" "$port" "${tls_flags[@]}"
login "$port" "$work/cookies"

# CPU seconds of a process and of its waited-for children (OSHI runs `getent` for process owners: that counts too).
cpu_with_children() {
  python3 - "$1" <<'PY'
import os, sys
fields = open(f"/proc/{sys.argv[1]}/stat").read().rsplit(")", 1)[1].split()
print(sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK"))
PY
}
scrapes() {
  curl -sf "http://127.0.0.1:$exporter_port/metrics" \
    | awk '/^promhttp_metric_handler_requests_total\{code="200"\}/{print $2}'
}

cds_archive=$work/agent-classes.jsa
token=$(enrollment_token "$port" "$work/cookies" 1)
if [[ "${AGENT_VARIANTS:-}" == *@cds* ]]; then
  MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} java "${AGENT_FLAGS[@]}" -XX:ArchiveClassesAtExit="$cds_archive" \
    -jar "$AGENT_JAR" --hub "$hub" "${trust[@]}" --token "$token" \
    --interval 1s --state-dir "$work/agent" > "$work/agent-training.log" 2>&1 &
  training=$!
  sleep 20
  kill "$training"; wait "$training" || true
  [ -f "$cds_archive" ] || { echo "no CDS archive recorded; see $work/agent-training.log" >&2; exit 1; }
  echo "CDS archive of the agent's classes: $(du -h --apparent-size "$cds_archive" | cut -f1) (20 s training run)"
fi
variants=()
if [ -n "${AGENT_VARIANTS:-}" ]; then
  while IFS= read -r line; do [ -n "$line" ] && variants+=("$line"); done <<< "$AGENT_VARIANTS"
else
  variants=("agent|@default ${AGENT_EXTRA_OPTS:-}")
fi

"$EXPORTER" --web.listen-address="127.0.0.1:$exporter_port" > "$work/exporter.log" 2>&1 &
EXPORTER_PID=$!
# A scraper like Prometheus: one GET a second, on its own clock (curl's CPU is not counted for either side).
( while true; do curl -sf "http://127.0.0.1:$exporter_port/metrics" > "$work/last-scrape.txt" || true; sleep 1; done ) &
SCRAPER_PID=$!

# The variants run one after the other with one state directory (the node knows this machine once: a second agent
# on the same host would be a re-enrollment), each measured against node_exporter over its own window.
echo "side by side, the agent over $TRANSPORT://, 1 s interval / 1 s scrapes of $("$EXPORTER" --version 2>&1 | head -1 | cut -d' ' -f1-3)," \
  "$((DURATION - WARMUP)) s measured per agent after $WARMUP s; $(find /proc -maxdepth 1 -name '[0-9]*' | wc -l)" \
  "processes; MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}"
for index in "${!variants[@]}"; do
  label=${variants[$index]%%|*}
  flags=${variants[$index]#*|}
  flags=${flags//@default/${AGENT_FLAGS[*]}}
  flags=${flags//@cds/-XX:SharedArchiveFile=$cds_archive}
  read -r -a jvm_flags <<< "$flags"
  before=$(reports_stored "$port" "$work/cookies")
  launched=$(date +%s%N)
  MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} java "${jvm_flags[@]}" -jar "$AGENT_JAR" \
    --hub "$hub" "${trust[@]}" --token "$token" --interval 1s --state-dir "$work/agent" \
    > "$work/agent-$index.log" 2>&1 &
  AGENT_PIDS=($!)
  # Start-up: launch until the node has stored this agent's first report (polled every 50 ms).
  until [ "$(reports_stored "$port" "$work/cookies")" -gt "$before" ]; do
    kill -0 "${AGENT_PIDS[0]}" 2>/dev/null || { cat "$work/agent-$index.log" >&2; exit 1; }
    sleep 0.05
  done
  start_ms=$((($(date +%s%N) - launched) / 1000000))
  sleep "$WARMUP"
  started=$(date +%s%N)
  agent_cpu0=$(cpu_with_children "${AGENT_PIDS[0]}"); stored0=$(reports_stored "$port" "$work/cookies")
  exporter_cpu0=$(cpu_seconds "$EXPORTER_PID"); scrapes0=$(scrapes)
  load0=$(cut -d' ' -f1-3 /proc/loadavg)
  sleep $((DURATION - WARMUP))
  agent_cpu1=$(cpu_with_children "${AGENT_PIDS[0]}"); stored1=$(reports_stored "$port" "$work/cookies")
  exporter_cpu1=$(cpu_seconds "$EXPORTER_PID"); scrapes1=$(scrapes)
  load1=$(cut -d' ' -f1-3 /proc/loadavg)
  elapsed_ms=$((($(date +%s%N) - started) / 1000000))
  read -r agent_rss agent_hwm < <(rss_kb "${AGENT_PIDS[0]}")
  read -r exporter_rss exporter_hwm < <(rss_kb "$EXPORTER_PID")
  kill "${AGENT_PIDS[0]}"; wait "${AGENT_PIDS[0]}" 2>/dev/null || true
  samples=$(grep -cv '^#' "$work/last-scrape.txt")
  export LABEL=$label FLAGS_SHOWN=$flags LOAD="$load0 -> $load1"
  python3 - "$agent_cpu0" "$agent_cpu1" "$stored0" "$stored1" "$agent_rss" "$agent_hwm" \
    "$exporter_cpu0" "$exporter_cpu1" "$scrapes0" "$scrapes1" "$exporter_rss" "$exporter_hwm" \
    "$samples" "$start_ms" "$elapsed_ms" <<'PY'
import os, sys
(a0, a1, s0, s1, arss, ahwm, e0, e1, n0, n1, erss, ehwm, samples, start_ms, elapsed_ms) = map(float, sys.argv[1:])
window = elapsed_ms / 1000
# The agent collects at a fixed rate of one a second, so the window holds that many cycles; the node's stored count
# is printed beside it (it lags or catches up when the machine is loaded). A scrape is counted after it ran.
cycles, stored, scrapes = round(window), s1 - s0, n1 - n0
agent_ms = 1000 * (a1 - a0) / max(1, cycles)
exporter_ms = 1000 * (e1 - e0) / max(1, scrapes)
print(f"[{os.environ['LABEL']}] {os.environ['FLAGS_SHOWN']}")
print(f"  window {window:.0f} s, load average {os.environ['LOAD']}")
print(f"  agent: start {int(start_ms)} ms to the first stored report; {int(cycles)} cycles ({int(stored)} stored); "
      f"{agent_ms:.2f} ms CPU per cycle (children included), {100 * (a1 - a0) / window:.2f} % of a core; "
      f"RSS {arss / 1024:.1f} MiB (peak {ahwm / 1024:.1f})")
print(f"  node_exporter: {int(scrapes)} scrapes ({int(samples)} samples), {exporter_ms:.2f} ms CPU per scrape, "
      f"{100 * (e1 - e0) / window:.2f} % of a core; RSS {erss / 1024:.1f} MiB (peak {ehwm / 1024:.1f})")
print(f"  ratios agent / node_exporter: CPU per cycle {agent_ms / exporter_ms:.2f}, RSS {arss / erss:.2f}")
PY
done
