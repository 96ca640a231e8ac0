#!/usr/bin/env bash
# Service recovery time with default settings: a node (H2) and a real agent watching a supervised process; the
# process is killed KILLS times at random phases of the check interval; prints per kill and p50/p90/max the time
# until a new process runs (the OS view) and until the node shows it running. Target: interval + 2 s.
#   deploy/bench/recovery-bench.sh [KILLS=20] [INTERVAL_SECONDS=5]
source "$(dirname "$0")/lib.sh"
KILLS=${1:-20}
INTERVAL=${2:-5}
(cd "$ROOT" && mvn -B -q -o test-compile -pl cluster-node > /dev/null)
cp_file=$(mktemp)
(cd "$ROOT" && mvn -B -q -o dependency:build-classpath -pl cluster-node -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" > /dev/null)
CLASSPATH="$ROOT/cluster-node/target/test-classes:$ROOT/cluster-node/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
out=$(mktemp)
status=0
java -Xmx512m "$NODE_TEST_LOGGING" -cp "$CLASSPATH" io.steward.node.bench.RecoveryBench "$KILLS" "$INTERVAL" > "$out" 2>&1 || status=$?
grep -E '^(kill |\{)' "$out"
[ "$status" -eq 0 ] || tail -20 "$out"
rm -f "$out"
exit $status
