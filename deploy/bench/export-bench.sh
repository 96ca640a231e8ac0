#!/usr/bin/env bash
# Metric export under a small heap: one server with a year of hourly rollups for many series (a host with many
# network interfaces), millions of rows in the tier a one-year export reads, exported as CSV and as JSON from a node
# started with a heap far smaller than those rows as objects. Prints rows, bytes, wall time, rows/s, the time to the
# first byte and to the first data row, the node's heap (sampled every 200 ms with jstat, and the live set and live
# MetricRow objects from a class histogram taken half-way through) and RSS, and checks every row exported.
#   deploy/bench/export-bench.sh [h2|postgres] [INTERFACES=148] [HEAP=64m]
# Series: the 10 host series plus 4 per interface (net.rx/tx.bytes/packets{iface=...}); rows = series x 8,760 hours.
# The rows are seeded with SQL while the node is stopped (a simulated agent enrolls the server first, so it exists),
# the way the rollup job would have left them: one row per series and hour, an average of 3,600 samples.
source "$(dirname "$0")/lib.sh"
DB=${1:-h2}
INTERFACES=${2:-148}
HEAP=${3:-64m}
HOURS=8760
SERIES=$((10 + 4 * INTERFACES))
ROWS=$((SERIES * HOURS))
ensure_jars
work=$(mktemp -d /tmp/steward-bench-export.XXXXXX)
chmod 755 "$work" # the throwaway PostgreSQL runs as user postgres
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
db_flags=()
if [ "$DB" = postgres ]; then
  start_postgres "$work/pg"
  db_flags=(--db-url "$PG_URL" --db-user steward)
fi
export NODE_JAVA_OPTS="-Xmx$HEAP -XX:+UseSerialGC"
port=$(free_port)
base="http://127.0.0.1:$port"

# 1. The server: one simulated agent enrolls and reports for a few seconds, then the node stops for the seeding.
start_node "$work/node" "$port" "${db_flags[@]}"
login "$port" "$work/cookies"
token=$(enrollment_token "$port" "$work/cookies" 1)
java "${AGENT_FLAGS[@]}" -jar "$AGENT_JAR" --simulate 1 --interval 1s --hub "ws://127.0.0.1:$port/ws/agent" \
  --token "$token" --state-dir "$work/sim" > "$work/sim.log" 2>&1 &
SIM_PID=$!
server=""
for _ in $(seq 1 60); do
  server=$(curl -sf -b "$work/cookies" "$base/api/servers" \
    | python3 -c 'import sys,json; s=json.load(sys.stdin); print(s[0]["id"] if s and s[0]["lastSeen"] else "")')
  [ -n "$server" ] && break
  sleep 1
done
[ -n "$server" ] || { echo "the simulated agent did not enroll; see $work/sim.log" >&2; exit 1; }
sleep 5
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null || true; SIM_PID=""
kill "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true; NODE_PID=""

# 2. The seed: the year ends a day before now on an hour, away from the agent's own few rows.
now_ms=$(($(date +%s) * 1000))
last_hour=$(( (now_ms / 3600000 - 24) * 3600000 ))
first_hour=$((last_hour - (HOURS - 1) * 3600000))
python3 - "$DB" "$server" "$INTERFACES" "$HOURS" "$first_hour" > "$work/seed.sql" <<'PY'
import sys
db, server, interfaces, hours, first = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
names = ["cpu.percent", "load.1", "load.5", "load.15", "memory.percent", "memory.used.bytes", "swap.percent",
         "processes.count", "threads.count", "uptime.seconds"]
names += [f"net.{d}.{k}{{iface=veth{i:04d}}}" for i in range(interfaces) for d in ("rx", "tx") for k in ("bytes", "packets")]
print("CREATE TABLE seed_series (idx INT PRIMARY KEY, name VARCHAR(200) NOT NULL);")
print("INSERT INTO seed_series VALUES " + ", ".join(f"({i}, '{n}')" for i, n in enumerate(names)) + ";")
# The value of series i in hour h is i * 10000 + h (checked after the export); sum = value x 3,600 samples.
hour_range = "SYSTEM_RANGE({a}, {b}) r" if db == "h2" else "generate_series({a}, {b}) AS r(x)"
hour = 'r."X"' if db == "h2" else "r.x"  # H2's column, named in upper case (the node's URL keeps case)
step = 730
for a in range(0, hours, step):
    value = f"CAST(s.idx * 10000 + {hour} AS DOUBLE PRECISION)"
    print("INSERT INTO metric_1h (server_id, series, bucket, min_value, max_value, sum_value, sample_count)"
          f" SELECT '{server}', s.name, {first} + {hour} * 3600000, {value}, {value}, {value} * 3600, 3600"
          f" FROM seed_series s CROSS JOIN {hour_range.format(a=a, b=min(hours, a + step) - 1)};")
print("DROP TABLE seed_series;")
print("ANALYZE;" if db == "h2" else "ANALYZE metric_1h;")
PY
seed_start=$(date +%s.%N)
if [ "$DB" = postgres ]; then
  /usr/lib/postgresql/15/bin/psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U steward -d steward \
    -f "$work/seed.sql" > "$work/seed.log" 2>&1 || { cat "$work/seed.log" >&2; exit 1; }
else
  java -Xmx1g -cp "$NODE_JAR" org.h2.tools.RunScript \
    -url "jdbc:h2:file:$work/node/steward;DATABASE_TO_UPPER=FALSE" -user sa -password "" -script "$work/seed.sql" \
    > "$work/seed.log" 2>&1 || { cat "$work/seed.log" >&2; exit 1; }
fi
seed_seconds=$(python3 -c "import time,sys; print(f'{time.time() - float(sys.argv[1]):.0f}')" "$seed_start")

# 3. The node again, with the small heap, and the exports.
start_node "$work/node" "$port" "${db_flags[@]}"
login "$port" "$work/cookies"
from=$(python3 -c "import sys,datetime as d; print(d.datetime.fromtimestamp(int(sys.argv[1])/1000, d.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))" "$first_hour")
to=$(python3 -c "import sys,datetime as d; print(d.datetime.fromtimestamp(int(sys.argv[1])/1000 + 3599, d.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))" "$last_hour")
read -r _ hwm_before < <(rss_kb "$NODE_PID")
echo "export, $DB, one server: $SERIES series x $HOURS hourly buckets = $(python3 -c "print(f'{$ROWS:,}')") rows seeded in ${seed_seconds} s"
echo "  node: java $NODE_JAVA_OPTS; RSS peak before the exports $((hwm_before / 1024)) MiB"
echo "  GET /api/servers/$server/export?format=...&from=$from&to=$to (the seeded year)"

# export_case csv|json
export_case() {
  local format=$1 out="$work/export.$1" t0 samples="$work/jstat.$1" rss_samples="$work/rss.$1"
  jstat -gc "$NODE_PID" 200 > "$samples" &
  local jstat_pid=$!
  ( while kill -0 "$NODE_PID" 2>/dev/null; do awk '/^VmRSS/{print $2}' "/proc/$NODE_PID/status"; sleep 0.2; done ) \
    > "$rss_samples" &
  local rss_pid=$!
  t0=$(date +%s.%N)
  curl -sS -N -b "$work/cookies" -D "$work/headers.$format" -o - \
      -w '%{stderr}%{http_code} %{time_starttransfer} %{time_total} %{size_download}\n' \
      "$base/api/servers/$server/export?format=$format&from=$from&to=$to" 2> "$work/curl.$format" \
    | python3 -c '
# Writes the body to a file as it arrives; notes when the first data row arrived, and half-way through takes a class
# histogram of the node (which runs a full GC: the live set, and how many MetricRow objects are alive).
import subprocess, sys, time
t0, path, format, expected, pid = float(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
# Lines before the first row, lines per row: CSV has a header line, JSON an opening line.
before = 1
first_row = None
lines = 0
histogram = None
with open(path, "wb") as out:
    while True:
        chunk = sys.stdin.buffer.read1(1 << 16)
        if not chunk:
            break
        out.write(chunk)
        lines += chunk.count(b"\n")
        if first_row is None and lines > before:
            first_row = time.time() - t0
        if histogram is None and lines > expected // 2:
            histogram = subprocess.run(["jcmd", pid, "GC.class_histogram"], capture_output=True, text=True).stdout
print(f"FIRST_ROW {first_row if first_row is not None else -1:.3f}")
for line in (histogram or "").splitlines():
    parts = line.split()
    if len(parts) >= 4 and parts[3] in ("io.steward.node.metrics.MetricRow", "java.lang.String"):
        print("HISTOGRAM", parts[3], parts[1], parts[2])
    if parts and parts[0] == "Total":
        print("HISTOGRAM Total", parts[1], parts[2])
' "$t0" "$out" "$format" "$ROWS" "$NODE_PID" > "$work/consumer.$format"
  kill "$jstat_pid" "$rss_pid" 2>/dev/null || true
  wait "$jstat_pid" "$rss_pid" 2>/dev/null || true
  local curl_figures resolution
  curl_figures=$(tail -1 "$work/curl.$format")
  if [ "$(wc -l < "$work/curl.$format")" -gt 1 ]; then
    echo "$format: curl: $(head -1 "$work/curl.$format"); node log:" >&2
    grep -E 'ERROR|WARN|Exception|Error' "$work/node.node.log" | head -10 >&2
  fi
  resolution=$(grep -i '^x-steward-resolution:' "$work/headers.$format" | tr -d '\r' | cut -d' ' -f2)
  python3 - "$format" "$out" "$ROWS" "$HOURS" "$first_hour" "$INTERFACES" "$HEAP" "$resolution" \
      "$samples" "$rss_samples" "$work/consumer.$format" "$(rss_kb "$NODE_PID")" $curl_figures <<'PY'
import datetime, json, re, sys
(format, path, expected, hours, first_hour, interfaces, heap, resolution, samples, rss_samples, consumer,
 rss_now) = sys.argv[1:13]
status, first_byte, total, size = sys.argv[13:17]
expected, hours, first_hour, interfaces = int(expected), int(hours), int(first_hour), int(interfaces)
first_byte, total, size = float(first_byte), float(total), int(size)
heap_limit = int(heap[:-1]) * {"m": 1024, "g": 1024 * 1024}[heap[-1].lower()]  # KiB
if status != "200":
    print(f"{format}: HTTP {status}"); sys.exit(1)

# The contents: the header, every row as seeded (value i * 10000 + h), ordered by time then series.
names = ["cpu.percent", "load.1", "load.5", "load.15", "memory.percent", "memory.used.bytes", "swap.percent",
         "processes.count", "threads.count", "uptime.seconds"]
names += [f"net.{d}.{k}{{iface=veth{i:04d}}}" for i in range(interfaces) for d in ("rx", "tx") for k in ("bytes", "packets")]
index = {name: i for i, name in enumerate(names)}
times = {}
problems = []
rows = 0
previous = None
with open(path, encoding="utf-8", newline="") as body:
    if format == "csv":
        header = body.readline()
        if header != "time,series,value\r\n":
            problems.append(f"header {header!r}")
        lines = (line.rstrip("\r\n").split(",") for line in body)
    else:
        opening = body.readline()
        if not opening.startswith('{"server":') or '"resolution":"1h"' not in opening:
            problems.append(f"opening {opening[:120]!r}")
        def parsed(lines):
            for line in lines:
                line = line.rstrip("\n").rstrip(",")
                if line == "]}":
                    continue
                row = json.loads(line)
                yield row["time"], row["series"], row["value"]
        lines = parsed(body)
    for time, series, value in lines:
        rows += 1
        hour = times.get(time)
        if hour is None:
            moment = datetime.datetime.strptime(time, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
            hour = times[time] = (int(moment.timestamp() * 1000) - first_hour) // 3600000
        if series not in index or float(value) != index[series] * 10000 + hour:
            if len(problems) < 5:
                problems.append(f"row {rows}: {time},{series},{value}")
        key = (hour, series)
        if previous is not None and key <= previous and len(problems) < 5:
            problems.append(f"row {rows} out of order: {time},{series}")
        previous = key
if rows != expected:
    problems.append(f"{rows:,} rows, {expected:,} seeded")

# The node while it exported: heap used (young + old, garbage included) and old generation, every 200 ms.
used, old, capacity, young_gcs, full_gcs = [], [], [], [], []
for line in open(samples):
    fields = line.split()
    if not fields or not re.match(r"[0-9.]+$", fields[0]):
        continue
    f = [float(x) if x != "-" else 0.0 for x in fields]
    used.append(f[2] + f[3] + f[5] + f[7]); old.append(f[7]); capacity.append(f[0] + f[1] + f[4] + f[6])
    young_gcs.append(f[12]); full_gcs.append(f[14])
rss = [int(x) for x in open(rss_samples).read().split() if x.isdigit()]
first_row, histogram = -1.0, {}
for line in open(consumer):
    parts = line.split()
    if parts[0] == "FIRST_ROW":
        first_row = float(parts[1])
    elif parts[0] == "HISTOGRAM":
        histogram[parts[1]] = (int(parts[2]), int(parts[3]))

# What the rows would take held as objects: a MetricRow (its shallow size from the histogram) and a reference to it,
# at least; with a String per row for its series name, as a driver returns them, that String and its bytes besides.
row_instances, row_bytes = histogram.get("io.steward.node.metrics.MetricRow", (0, 0))
row_size = row_bytes // row_instances if row_instances else 32
string_instances, string_bytes = histogram.get("java.lang.String", (1, 24))
string_size = string_bytes // string_instances
name_bytes = sum((16 + len(n) + 7) // 8 * 8 for n in names) / len(names)
shared = row_size + 4
own_strings = shared + string_size + name_bytes
mib = lambda kib: kib / 1024
print(f"{format}: {rows:,} rows from the {resolution} tier, {size / 1e6:,.1f} MB in {total:.1f} s ="
      f" {rows / total:,.0f} rows/s, {size / 1e6 / total:.1f} MB/s")
print(f"  first byte after {first_byte:.3f} s (headers and the {'CSV header row' if format == 'csv' else 'JSON opening'}),"
      f" first data row after {first_row:.3f} s, last after {total:.1f} s")
if used:
    print(f"  node heap (limit {mib(heap_limit):.0f} MiB, committed {mib(max(capacity)):.0f} MiB): peak used"
          f" {mib(max(used)):.1f} MiB (garbage included), old generation peak {mib(max(old)):.1f} MiB;"
          f" {int(young_gcs[-1] - young_gcs[0])} young and {int(full_gcs[-1] - full_gcs[0])} full GCs"
          f" (one of them the histogram's)")
if "Total" in histogram:
    print(f"  half-way, after a full GC: {histogram['Total'][1] / 1048576:.1f} MiB live,"
          f" {row_instances:,} MetricRow objects alive of {rows:,} rows")
if rss:
    print(f"  node RSS during the export: peak {max(rss) / 1024:.0f} MiB (sampled), now {int(rss_now.split()[0]) / 1024:.0f} MiB,"
          f" VmHWM {int(rss_now.split()[1]) / 1024:.0f} MiB")
print(f"  the rows held as objects: >= {rows:,} x {shared} B (MetricRow {row_size} B + a reference, series names shared)"
      f" = {rows * shared / 1048576:,.0f} MiB = {rows * shared / 1024 / heap_limit:.1f} x the heap limit;"
      f" {own_strings:.0f} B/row with a String per row = {rows * own_strings / 1048576:,.0f} MiB ="
      f" {rows * own_strings / 1024 / heap_limit:.1f} x")
print("  contents: " + ("; ".join(problems) if problems else
      f"{'header time,series,value' if format == 'csv' else 'opening with resolution 1h'}, {rows:,} rows = the"
      f" seeded count, every value as seeded (series i, hour h: i x 10000 + h), ordered by time, then series"))
sys.exit(1 if problems else 0)
PY
  rm -f "$out"
}

status=0
export_case csv || status=1
export_case json || status=1
if grep -q OutOfMemoryError "$work/node.node.log"; then
  echo "  node log: $(grep -c OutOfMemoryError "$work/node.node.log") OutOfMemoryError lines"; status=1
fi
exit $status
