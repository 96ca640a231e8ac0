# Shared helpers for the benchmark scripts: start a node on a throwaway data dir, log in, make enrollment tokens,
# read process figures from /proc. Loopback only.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# NODE_JAR/AGENT_JAR may name another build's jars (e.g. the commit before a change, for a before/after figure).
NODE_JAR=${NODE_JAR:-"$ROOT/cluster-node/target/steward-node.jar"}
AGENT_JAR=${AGENT_JAR:-"$ROOT/agent/target/steward-agent.jar"}
# The JVM flags the README recommends for the agent (override with AGENT_JAVA_OPTS to compare).
read -r -a AGENT_FLAGS <<< "${AGENT_JAVA_OPTS:--Xms4m -Xmx16m -Xss256k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=8m -XX:MaxMetaspaceSize=40m -XX:CICompilerCount=1 -XX:MaxDirectMemorySize=8m -Xmn2m -XX:-UsePerfData}"
ADMIN_PASSWORD="bench-password-1"
# For a harness JVM on the node's test classpath: the tests' quieter logging (without it: the node's, INFO and up).
NODE_TEST_LOGGING=-Dlogback.configurationFile=logback-test.xml
# http, or https for a node started with --tls-cert/--tls-key (then CURL_TLS holds curl's trust options for it).
NODE_SCHEME=${NODE_SCHEME:-http}
CURL_TLS=()

ensure_jars() {
  if [ ! -f "$NODE_JAR" ] || [ ! -f "$AGENT_JAR" ]; then
    (cd "$ROOT" && mvn -B -q clean package -DskipTests)
  fi
}

# The node jar and the classpath of a harness in the node's test classes (core's test classes included), built in this
# checkout's reactor with nothing installed (~/.m2 may hold another checkout's steward jars); sets CLASSPATH. The
# build's output goes to $1, and is printed when the build fails (the script then exits 1).
build_node_harness() {
  local log=$1
  if ! (cd "$ROOT" && mvn -B -q -o package -DskipTests \
    && mvn -B -q -o test-compile -pl core,frontend,agent,cluster-node -Dsteward.skipFrontend \
      org.codehaus.mojo:exec-maven-plugin:3.6.4:exec -Dexec.executable=echo -Dexec.classpathScope=test \
      -Dexec.args=%classpath -Dexec.outputFile=target/bench-classpath.txt) > "$log" 2>&1; then
    cat "$log" >&2
    exit 1
  fi
  CLASSPATH=$(cat "$ROOT/cluster-node/target/bench-classpath.txt")
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_node DATA_DIR PORT [extra node flags...]: sets NODE_PID; waits until /healthz answers 200.
start_node() {
  local dir=$1 port=$2; shift 2
  # One enrollment token for all of a bench's simulated agents, also beyond the default cap of 1,000 uses.
  STEWARD_ADMIN_PASSWORD=$ADMIN_PASSWORD java ${NODE_JAVA_OPTS:--Xmx1g} -Dsteward.auth.enrollment-token-max-uses=100000 \
    -jar "$NODE_JAR" --bind 127.0.0.1 \
    --http-port "$port" --data-dir "$dir" "$@" > "$dir.node.log" 2>&1 &
  NODE_PID=$!
  for _ in $(seq 1 240); do
    if curl -sf "${CURL_TLS[@]}" "$NODE_SCHEME://127.0.0.1:$port/healthz" > /dev/null 2>&1; then return 0; fi
    kill -0 "$NODE_PID" 2>/dev/null || { echo "node died; see $dir.node.log" >&2; return 1; }
    sleep 0.5
  done
  echo "node did not become healthy; see $dir.node.log" >&2
  return 1
}

# start_node_on h2|postgres WORK_DIR PORT [extra node flags...]: a node with its data under WORK_DIR/node, on the
# embedded H2 or on a throwaway PostgreSQL cluster under WORK_DIR/pg (stop it with stop_postgres WORK_DIR/pg).
start_node_on() {
  local db=$1 work=$2 port=$3; shift 3
  if [ "$db" = postgres ]; then
    start_postgres "$work/pg"
    start_node "$work/node" "$port" "$@" --db-url "$PG_URL" --db-user steward
  else
    start_node "$work/node" "$port" "$@"
  fi
}

# login PORT COOKIE_FILE
login() {
  curl -sf "${CURL_TLS[@]}" -c "$2" -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" "$NODE_SCHEME://127.0.0.1:$1/api/auth/login" > /dev/null
}

# enrollment_token PORT COOKIE_FILE MAX_USES
enrollment_token() {
  curl -sf "${CURL_TLS[@]}" -b "$2" -H 'Content-Type: application/json' -d "{\"maxUses\":$3}" \
    "$NODE_SCHEME://127.0.0.1:$1/api/enrollment-tokens" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])'
}

# make_certificate DIR -> DIR/cert.pem, DIR/key.pem for 127.0.0.1 (self-signed, P-256); prints its SHA-256 pin
make_certificate() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1/key.pem" -out "$1/cert.pem" \
    -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2> /dev/null
  openssl x509 -in "$1/cert.pem" -noout -fingerprint -sha256 | cut -d= -f2
}

# with_machine_id FILE COMMAND... &: runs COMMAND in a mount namespace of its own with FILE bind-mounted over
# /etc/machine-id; needs root. Call it in the background only: every step execs (this function's subshell included),
# so $! is COMMAND's PID. Agents on one machine share its id otherwise, and the node lets only the first in and holds
# the others for a re-enrollment approval (they spool without sending).
with_machine_id() {
  exec unshare -m --propagation private sh -c 'mount --bind "$1" /etc/machine-id && shift && exec "$@"' sh "$@"
}

# rss_kb PID -> "VmRSS VmHWM" in kB
rss_kb() { awk '/^VmRSS/{r=$2} /^VmHWM/{h=$2} END{print r, h}' "/proc/$1/status"; }

# live_heap_bytes PID [HISTOGRAM_FILE] -> bytes of live objects on the JVM's heap: the class histogram runs a full GC
# first and counts only what survives it. The whole histogram is kept in HISTOGRAM_FILE when one is given.
live_heap_bytes() {
  jcmd "$1" GC.class_histogram | tee "${2:-/dev/null}" | awk '/^Total/{print $3}'
}

# cpu_seconds PID -> user+system CPU seconds of the process so far
cpu_seconds() {
  python3 - "$1" <<'PY'
import os, sys
fields = open(f"/proc/{sys.argv[1]}/stat").read().rsplit(")", 1)[1].split()
print((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))
PY
}

# context_switches PID -> "TID:COUNT ..." voluntary + involuntary context switches of each live thread of the process
# so far (a thread hand-off parks and wakes threads: on this VM each switch costs ~20-40 us of CPU). ingest-bench.sh
# sums the differences of two over the threads present in both.
context_switches() {
  python3 - "$1" <<'PY'
import glob, sys
counts = []
for path in glob.glob(f"/proc/{sys.argv[1]}/task/*/status"):
    try:
        lines = open(path).read().splitlines()
    except OSError:
        continue  # the thread ended meanwhile
    counts.append(f"{path.split('/')[4]}:{sum(int(l.split()[1]) for l in lines if 'ctxt_switches:' in l)}")
print(" ".join(counts))
PY
}

# reports_stored PORT COOKIE_FILE -> the node's counter of newly stored reports
reports_stored() {
  curl -sf "${CURL_TLS[@]}" -b "$2" "$NODE_SCHEME://127.0.0.1:$1/api/node" | python3 -c 'import sys,json; print(json.load(sys.stdin)["ingest"]["reportsStored"])'
}

# start_postgres DIR -> sets PG_PORT, PG_URL; a throwaway PostgreSQL 15 cluster on loopback (fsync on: a fair
# production-like figure). Stopped by stop_postgres DIR.
start_postgres() {
  local dir=$1 bin=/usr/lib/postgresql/15/bin
  PG_PORT=$(free_port)
  mkdir -p "$dir"
  local run=()
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; run=(runuser -u postgres --); fi
  "${run[@]}" "$bin/initdb" -D "$dir/data" -A trust -U steward -E UTF8 > "$dir/initdb.log"
  "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
    -o "-p $PG_PORT -k $dir -c listen_addresses=127.0.0.1 -c shared_buffers=256MB" start > /dev/null
  "${run[@]}" "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U steward steward
  PG_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/steward"
}

stop_postgres() {
  local dir=$1 run=()
  if [ "$(id -u)" -eq 0 ]; then run=(runuser -u postgres --); fi
  "${run[@]}" /usr/lib/postgresql/15/bin/pg_ctl -D "$dir/data" -m fast -w stop > /dev/null 2>&1 || true
}
