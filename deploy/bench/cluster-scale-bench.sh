#!/usr/bin/env bash
# Node CPU and cross-node traffic per report with 1, 2 and 3 nodes sharing the same load, one after the other in one
# run: node processes with mutual TLS on one real PostgreSQL, AGENTS simulated agents every INTERVAL seconds spread
# over the nodes. The machine has 2 cores, so CPU per acknowledged report (every node process together) and the bytes
# the nodes sent each other per report, not throughput. The harness is io.steward.node.bench.ClusterScaleBench.
#   deploy/bench/cluster-scale-bench.sh [AGENTS=300] [INTERVAL=2] [WARMUP=60] [WINDOW=60]
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d /tmp/steward-bench-scale.XXXXXX)
status=1
cleanup() {
  if [ "$status" -eq 0 ]; then rm -rf "$work"; else echo "logs kept in $work" >&2; fi
}
trap cleanup EXIT
build_node_harness "$work/build.log"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
(cd "$ROOT/cluster-node" && java -Xmx1g "$NODE_TEST_LOGGING" -cp "$CLASSPATH" io.steward.node.bench.ClusterScaleBench "${1:-300}" \
  "${2:-2}" "${3:-60}" "${4:-60}") > "$work/harness.log" 2>&1 && status=0 || status=$?
grep -E '^(scale|[0-9] node)' "$work/harness.log" || true
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$status" -eq 0 ] || tail -40 "$work/harness.log"
exit $status
