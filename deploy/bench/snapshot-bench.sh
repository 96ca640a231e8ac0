#!/usr/bin/env bash
# Recovery time of a server entity with a long history, with and without snapshots, on the node's real database and
# persistence plugin: EVENTS events written into the journal, then each case recovered RUNS times; prints one JSON
# line per case (runs and median in ms). Embedded H2, or a throwaway PostgreSQL 15 cluster on loopback.
#   deploy/bench/snapshot-bench.sh [h2|postgres] [EVENTS=100000] [RUNS=3]
source "$(dirname "$0")/lib.sh"
DB=${1:-h2}
EVENTS=${2:-100000}
RUNS=${3:-3}
URL=""
work=$(mktemp -d)
chmod 755 "$work" # the throwaway PostgreSQL runs as user postgres
trap '[ "$DB" = postgres ] && stop_postgres "$work/pg"; rm -rf "$work"' EXIT
if [ "$DB" = postgres ]; then
  start_postgres "$work/pg"
  URL=$PG_URL
fi
(cd "$ROOT" && mvn -B -q -o test-compile -pl cluster-node > /dev/null)
cp_file=$(mktemp)
(cd "$ROOT" && mvn -B -q -o dependency:build-classpath -pl cluster-node -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" > /dev/null)
CLASSPATH="$ROOT/cluster-node/target/test-classes:$ROOT/cluster-node/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
out=$(mktemp)
status=0
java -Xmx1g -cp "$CLASSPATH" \
  io.steward.node.bench.SnapshotBench "$EVENTS" "$RUNS" "$URL" > "$out" 2>&1 || status=$?
grep -E '^\{' "$out"
[ "$status" -eq 0 ] || tail -30 "$out"
rm -f "$out"
exit $status
