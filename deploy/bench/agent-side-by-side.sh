#!/usr/bin/env bash
# Agents side by side against one real node, for comparing agent builds or JVM flags in one run (same machine, same
# load): each agent reports every second over its own connection, with a machine id of its own. That needs root: each
# agent runs in a mount namespace with its own /etc/machine-id bind-mounted. Agents sharing a machine id are NOT a
# comparison: the node lets only the first in and holds the others for an admin's re-enrollment approval
# (ENROLLMENT_PENDING), so they collect and spool without sending (results/agent-memory-2026-12-05.txt, sections 2
# and 6). The script checks every agent connected.
#   deploy/bench/agent-side-by-side.sh ws|wss SECONDS "LABEL|JAR|JVM FLAGS" ...
# "@default" in JVM FLAGS stands for the recommended flags (lib.sh AGENT_FLAGS); JAR empty = the built agent jar.
# Prints RSS each minute, then per agent: CPU per cycle and context switches per cycle over SECONDS after a 20 s
# warm-up (the agent's own CPU, without child processes: none run unless a backup does), RSS and peak, threads; and
# whether the node stored every agent's reports. Alternate the order of the variants: the machine is shared.
source "$(dirname "$0")/lib.sh"
mode=${1:?ws or wss}; secs=${2:?seconds}; shift 2
WARMUP=20
case "$mode" in ws|wss) ;; *) echo "ws or wss, not $mode" >&2; exit 2 ;; esac
[[ "$secs" =~ ^[0-9]+$ ]] && [ "$secs" -gt 0 ] || { echo "SECONDS must be a positive number, not $secs" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "needs root (a mount namespace per agent for its machine id)" >&2; exit 2; }
ensure_jars
work=$(mktemp -d /tmp/steward-bench-side.XXXXXX)
port=$(free_port)
tls=(); trust=()
if [ "$mode" = wss ]; then
  mkdir -p "$work/tls"
  pin=$(make_certificate "$work/tls")
  tls=(--tls-cert "$work/tls/cert.pem" --tls-key "$work/tls/key.pem"); trust=(--pin-sha256 "$pin")
  NODE_SCHEME=https; CURL_TLS=(--cacert "$work/tls/cert.pem")
fi
pids=(); labels=(); NODE_PID=
trap 'kill "${pids[@]}" $NODE_PID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
start_node "$work/node" "$port" "${tls[@]}"
login "$port" "$work/cookies"
i=0
for spec in "$@"; do
  IFS='|' read -r label jar flags <<< "$spec"
  jar=${jar:-$AGENT_JAR}
  read -r -a jvm_flags <<< "${flags//@default/${AGENT_FLAGS[*]}}"
  token=$(enrollment_token "$port" "$work/cookies" 1)
  printf '%032x\n' $((0x5e1de000 + i)) > "$work/machine-id$i"
  # The PID measured is the agent's JVM (every step execs); its arguments are passed as given.
  with_machine_id "$work/machine-id$i" env MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" java "${jvm_flags[@]}" -jar "$jar" \
    --hub "$mode://127.0.0.1:$port/ws/agent" "${trust[@]}" --token "$token" --interval 1s --state-dir "$work/agent$i" \
    > "$work/agent$i.log" 2>&1 &
  pids+=($!); labels+=("$label"); i=$((i+1))
done
sleep "$WARMUP"
for j in "${!pids[@]}"; do
  grep -q 'Connected to' "$work/agent$j.log" || { echo "agent ${labels[$j]} is not connected:" >&2; tail -3 "$work/agent$j.log" >&2; exit 1; }
done
# Context switches of the threads alive now (a thread that ended meanwhile drops out: the agent's are long-lived).
switches() { local s=0 t v; for t in /proc/"$1"/task/*; do v=$(awk '/ctxt_switches/{x+=$2} END{print x+0}' "$t/status" 2>/dev/null); s=$((s + ${v:-0})); done; echo "$s"; }
stored0=$(reports_stored "$port" "$work/cookies")
declare -A cpu0 cs0
for p in "${pids[@]}"; do cpu0[$p]=$(cpu_seconds "$p"); cs0[$p]=$(switches "$p"); done
echo "# $# agents over $mode://, 1 s interval, measured over $secs s after ${WARMUP} s; flags per label as given"
for t in $(seq 60 60 "$secs"); do
  sleep 60
  line="min $((t/60)) RSS MiB:"; for p in "${pids[@]}"; do line="$line $(awk '/^VmRSS/{printf "%.1f", $2/1024}' "/proc/$p/status")"; done
  echo "$line"
done
sleep $((secs % 60))
for j in "${!pids[@]}"; do
  p=${pids[$j]}
  printf '[%s] CPU %.2f ms per cycle, %.1f context switches per cycle, RSS %s MiB (peak %s), %s threads\n' "${labels[$j]}" \
    "$(echo "($(cpu_seconds "$p") - ${cpu0[$p]}) * 1000 / $secs" | bc -l)" \
    "$(echo "($(switches "$p") - ${cs0[$p]}) / $secs" | bc -l)" \
    "$(awk '/^VmRSS/{printf "%.1f", $2/1024}' "/proc/$p/status")" "$(awk '/^VmHWM/{printf "%.1f", $2/1024}' "/proc/$p/status")" \
    "$(ls "/proc/$p/task" | wc -l)"
done
stored=$(( $(reports_stored "$port" "$work/cookies") - stored0 ))
echo "# reports stored by the node over the window: $stored (every agent every second: $(( $# * secs )))"
if [ "$stored" -lt $(( $# * secs * 9 / 10 )) ]; then
  echo "# NOT A COMPARISON: fewer than 90 % of the reports expected were stored; see the agents' logs" >&2
  exit 1
fi
