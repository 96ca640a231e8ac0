#!/usr/bin/env bash
# Failover under chaos: three node processes (mutual TLS, one real PostgreSQL), AGENTS simulated agents at the default
# 5 s interval spread over them (each knowing all three hubs), a real SMTP server. The node hosting the most server
# entities is killed with kill -9 at random moments: KILLS times left dead until every agent is acknowledged again
# (then restarted, as systemd does), IN_PLACE times restarted at once. Prints one line per kill and the distribution
# (p50 / p95 / max of "every agent acknowledged again"; targets p95 <= 20 s left dead, <= 12 s restarted in place),
# then reports lost, stored twice, false offline events, duplicate notifications and journal holes (targets 0).
# The harness is io.steward.node.bench.ChaosBench; its log (every damaged server named) and the node logs are kept in
# cluster-node/target/chaos-bench/.
#   deploy/bench/chaos-bench.sh [KILLS=20] [IN_PLACE=10] [AGENTS=300] [SEED=random]
source "$(dirname "$0")/lib.sh"
KILLS=${1:-20}
IN_PLACE=${2:-10}
AGENTS=${3:-300}
SEED=${4:-$RANDOM$RANDOM}
work=$(mktemp -d /tmp/steward-bench-chaos.XXXXXX)
status=1
cleanup() {
  if [ "$status" -eq 0 ]; then rm -rf "$work"; else echo "logs kept in $work" >&2; fi
}
trap cleanup EXIT
build_node_harness "$work/build.log"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
# Run from cluster-node/, where the rig keeps the node JVMs' logs (target/chaos-bench/).
(cd "$ROOT/cluster-node" && java -Xmx1g "$NODE_TEST_LOGGING" -cp "$CLASSPATH" io.steward.node.bench.ChaosBench "$KILLS" "$IN_PLACE" \
  $((AGENTS / 3)) "$SEED") > "$work/harness.log" 2>&1 && status=0 || status=$?
grep -E "^(chaos|kill| +agents| *damage|left dead|restarted in place)" "$work/harness.log" || true
cp "$work/harness.log" "$ROOT/cluster-node/target/chaos-bench/harness.log" 2>/dev/null || true
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$status" -eq 0 ] || tail -40 "$work/harness.log"
exit $status
