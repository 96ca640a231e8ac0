#!/usr/bin/env bash
# Metric storage per sample: N simulated agents (steward-agent --simulate N) report every second to one node on H2 or
# PostgreSQL for SECONDS; then the agents stop, the node's rollup and compaction jobs are given time to fold and pack
# what was stored, and the script prints the samples stored, each metric table's bytes (indexes included), bytes per
# sample of the raw tier (chunks + raw tail) and bytes per row of the rollup tiers, and the latency of the chart
# query the UI makes (GET /api/servers/{id}/metrics?name=cpu.percent, the last hour: the raw tier).
#   deploy/bench/storage-bench.sh [h2|postgres] [SERVERS=200] [SECONDS=600]
# Environment: CHUNK_WINDOW (default 10m, the node's default) is the compaction window; SETTLE_SECONDS (default 75: the
# 30 s rollup interval twice, compaction runs right after each rollup run) is how long to wait after the agents stop.
# While the agents still run, the node's own storage figures (GET /api/settings/storage) are printed too: the raw tier
# then includes the tail not yet rolled up and packed.
# NODE_JAR_OVERRIDE / AGENT_JAR_OVERRIDE run other jars (e.g. a build of main's code for the "before" figure).
# On H2 the database file's size is sampled every minute while the agents run (the node compacts it online every
# steward.db.h2-compaction-interval once it grew by h2-compaction-growth; NODE_EXTRA_OPTS="-Dsteward.db.h2-compaction-interval=0"
# shows it without, "-Dsteward.db.h2-compaction-growth=0" with a round every interval).
# PostgreSQL bytes: pg_total_relation_size (heap, indexes, TOAST) after a plain VACUUM, and after VACUUM FULL (what the
# live rows take, without the space deleted rows leave for reuse). H2: DISK_SPACE_USED per table with the node
# stopped, and the database file after SHUTDOWN COMPACT. Both: the bytes the node process wrote to disk meanwhile.
source "$(dirname "$0")/lib.sh"
DB=${1:-h2}
SERVERS=${2:-200}
DURATION=${3:-600}
[[ "$DURATION" =~ ^[0-9]+$ ]] || { echo "SECONDS must be a whole number of seconds, was '$DURATION'" >&2; exit 2; }
CHUNK_WINDOW=${CHUNK_WINDOW:-10m}
NODE_JAR=${NODE_JAR_OVERRIDE:-$NODE_JAR}
AGENT_JAR=${AGENT_JAR_OVERRIDE:-$AGENT_JAR}
ensure_jars
work=$(mktemp -d /tmp/steward-bench-storage.XXXXXX)
chmod 755 "$work"
SIM_PID=""
NODE_PID=""
cleanup() {
  [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null || true
  [ -n "$NODE_PID" ] && kill "$NODE_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  [ "$DB" = postgres ] && stop_postgres "$work/pg"
  [ -n "${KEEP_WORK:-}" ] && echo "work directory kept: $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

SETTLE_SECONDS=${SETTLE_SECONDS:-75}
port=$(free_port)
export NODE_JAVA_OPTS="-Xmx1g -Dsteward.store.compaction.window=$CHUNK_WINDOW ${NODE_EXTRA_OPTS:-}"
if [ "$DB" = postgres ]; then
  start_postgres "$work/pg"
  start_node "$work/node" "$port" --db-url "$PG_URL" --db-user steward
  sql() { psql -h 127.0.0.1 -p "$PG_PORT" -U steward -d steward -AtF ' ' -c "$1"; }
else
  start_node "$work/node" "$port"
fi
login "$port" "$work/cookies"
token=$(enrollment_token "$port" "$work/cookies" "$SERVERS")
java -Xmx1g -XX:+UseParallelGC -jar "$AGENT_JAR" --simulate "$SERVERS" --interval 1s \
  --hub "ws://127.0.0.1:$port/ws/agent" --token "$token" --state-dir "$work/sim" > "$work/sim.log" 2>&1 &
SIM_PID=$!
# The node's own disk writes while the agents run (what wears an SD card or a small SSD; PostgreSQL's are its server's).
written() { awk '/^write_bytes/{print $2}' "/proc/$NODE_PID/io" 2>/dev/null || echo -1; }
written0=$(written)
# H2's file while the node runs, every minute: what the disk holds (the live tables are measured after the run).
file_samples=()
end=$((SECONDS + DURATION))
while [ "$SECONDS" -lt "$end" ]; do
  sleep $(( end - SECONDS < 60 ? end - SECONDS : 60 ))
  [ "$DB" = h2 ] && file_samples+=("$((SECONDS - end + DURATION)):$(stat -c %s "$work/node/steward.mv.db" || echo 0)")
done
curl -sf -b "$work/cookies" "http://127.0.0.1:$port/api/settings/storage" > "$work/storage-running.json" || true
written1=$(written)
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null || true; SIM_PID=""
echo "storage, $DB, $SERVERS simulated agents at 1 s for $DURATION s, then $SETTLE_SECONDS s for rollups and compaction" \
  "(window $CHUNK_WINDOW); load average at the end of the run: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$DB" = h2 ]; then
  python3 - "${file_samples[@]}" <<'PY'
import sys
samples = [(int(t), int(b)) for t, b in (a.split(":") for a in sys.argv[1:])]
if samples:
    line = " ".join(f"{t // 60}m {b / 2**20:.0f}" for t, b in samples)
    half = [b for t, b in samples if t > samples[-1][0] / 2]
    print(f"  H2 file while running, MiB by minute: {line}")
    print(f"  H2 file: largest {max(b for _, b in samples) / 2**20:.0f} MiB, largest over the second half "
          f"{max(half) / 2**20:.0f} MiB, at the end {samples[-1][1] / 2**20:.0f} MiB")
PY
fi
if [ "$written0" -ge 0 ] && [ "$written1" -ge 0 ]; then
  python3 -c 'import sys; b, t = int(sys.argv[1]), max(1, int(sys.argv[2])); print(f"  the node process wrote {b / 2**20:,.0f} MiB to disk while the agents ran ({b / 1e6 / t:.2f} MB/s, /proc/PID/io write_bytes)")' \
    "$((written1 - written0))" "$DURATION"
else
  echo "  the node process's disk writes: n/a (/proc/$NODE_PID/io not readable)"
fi
python3 - "$work/storage-running.json" <<'PY' || true
import json, sys
usage = json.load(open(sys.argv[1]))
tiers = ", ".join(f"{t['tier']} {t['rows']:,} rows {t['bytes'] / 1e6:.1f} MB" for t in usage["tiers"])
print(f"  the node's storage figures as the agents stopped (tail included): {tiers}")
PY
sleep "$SETTLE_SECONDS"

# Chart query latency: the last hour of cpu.percent of 20 servers, each asked 3 times (the first warms the JIT).
servers=$(curl -sf -b "$work/cookies" "http://127.0.0.1:$port/api/servers" \
  | python3 -c 'import sys,json; [print(s["id"]) for s in json.load(sys.stdin)[:20]]')
times=()
points=0
for round in 1 2 3; do
  for id in $servers; do
    t=$(curl -sf -b "$work/cookies" -o "$work/chart.json" -w '%{time_total}' \
      "http://127.0.0.1:$port/api/servers/$id/metrics?name=cpu.percent")
    [ "$round" -gt 1 ] && times+=("$t")
    points=$(python3 -c 'import sys,json; d=json.load(open(sys.argv[1])); print(len(d["points"]), d.get("resolution"))' "$work/chart.json")
  done
done
python3 - "$points" "${times[@]}" <<'PY'
import statistics, sys
ms = sorted(1000 * float(t) for t in sys.argv[2:])
print(f"  chart query (1 h of cpu.percent, {len(ms)} asks over 20 servers; last answer: {sys.argv[1]} points/resolution):"
      f" median {statistics.median(ms):.1f} ms, p90 {ms[int(len(ms) * 0.9) - 1]:.1f} ms")
PY

TABLES="metric_raw metric_chunk metric_1m metric_1h"
# Samples in a raw row: SampleCodec v1 keeps the count in bytes 1..4 after the version byte.
if [ "$DB" = postgres ]; then
  has_chunks=$(sql "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'metric_chunk'")
  tail_samples=$(sql "SELECT COALESCE(SUM(get_byte(samples,1)*16777216 + get_byte(samples,2)*65536
      + get_byte(samples,3)*256 + get_byte(samples,4)), 0) FROM metric_raw")
  chunk_samples=0; chunks=0
  if [ "$has_chunks" = 1 ]; then
    read -r chunk_samples chunks < <(sql "SELECT COALESCE(SUM(sample_count), 0), COUNT(*) FROM metric_chunk")
  fi
  sizes() {
    for t in $TABLES; do
      [ "$t" = metric_chunk ] && [ "$has_chunks" = 0 ] && { echo "$t 0 0"; continue; }
      echo "$t $(sql "SELECT COUNT(*), pg_total_relation_size('$t') FROM $t")"
    done
  }
  sql "VACUUM ANALYZE" > /dev/null
  plain=$(sizes)
  sql "VACUUM FULL" > /dev/null
  full=$(sizes)
else
  kill "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true; NODE_PID=""
  h2() { java -cp "$NODE_JAR" org.h2.tools.Shell -url "jdbc:h2:file:$work/node/steward;DATABASE_TO_UPPER=FALSE" \
    -user sa -password "" -sql "$1" | sed -n '2p' | tr -s ' |' ' ' | sed 's/^ //; s/ *$//'; }
  has_chunks=$(h2 "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'metric_chunk'")
  tail_samples=$(h2 "SELECT COALESCE(SUM(CAST(SUBSTRING(samples FROM 2 FOR 4) AS INT)), 0) FROM metric_raw")
  chunk_samples=0; chunks=0
  if [ "$has_chunks" = 1 ]; then
    read -r chunk_samples chunks < <(h2 "SELECT COALESCE(SUM(sample_count), 0), COUNT(*) FROM metric_chunk")
  fi
  plain=$(for t in $TABLES; do
    [ "$t" = metric_chunk ] && [ "$has_chunks" = 0 ] && { echo "$t 0 0"; continue; }
    echo "$t $(h2 "SELECT COUNT(*), DISK_SPACE_USED('$t') FROM $t")"
  done)
  before_compact=$(stat -c %s "$work/node/steward.mv.db")
  h2 "SHUTDOWN COMPACT" > /dev/null || true
  full="file $(stat -c %s "$work/node/steward.mv.db") $before_compact"
fi
python3 - "$DB" "$tail_samples" "$chunk_samples" "$chunks" "$plain" "$full" <<'PY'
import sys
db, tail_samples, chunk_samples, chunks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def parse(text):
    out = {}
    for line in text.splitlines():
        parts = line.split()
        out[parts[0]] = (int(parts[1]), int(parts[2]))
    return out
samples = tail_samples + chunk_samples
print(f"  samples stored: {samples:,} ({chunk_samples:,} in {chunks:,} chunks, {tail_samples:,} in raw rows)")
def report(label, sizes):
    raw = sizes["metric_raw"][1] + sizes["metric_chunk"][1]
    print(f"  {label}:")
    for table, (rows, size) in sizes.items():
        print(f"    {table:13s} {rows:>10,} rows {size / 1e6:9.2f} MB")
    print(f"    raw tier (chunks + raw tail): {raw / max(1, samples):.2f} bytes per sample")
    for table in ("metric_1m", "metric_1h"):
        rows, size = sizes[table]
        print(f"    {table}: {size / max(1, rows):.1f} bytes per rollup row")
report("PostgreSQL, pg_total_relation_size after VACUUM" if db == "postgres"
       else "H2, DISK_SPACE_USED per table (node stopped)", parse(sys.argv[5]))
if db == "postgres":
    report("PostgreSQL, after VACUUM FULL", parse(sys.argv[6]))
else:
    _, compacted, before = sys.argv[6].split()
    print(f"  H2 file: {int(before) / 1e6:.2f} MB, {int(compacted) / 1e6:.2f} MB after SHUTDOWN COMPACT"
          f" (the whole database: journal, snapshots, all tables)")
PY
