#!/usr/bin/env bash
# Backup alert latency: a node from the real jar (H2) with short backup timings, a real agent, real rsync over the
# tests' sshd on loopback and a real SMTP server (GreenMail); agent, sshd and GreenMail live in the harness. Prints one
# JSON line per round and p50/max of:
#   failed: a run's end as the node recorded it (its finishedAt) -> the "Backup failed" email accepted by GreenMail;
#           FAIL_ROUNDS rounds alternating a revoked key and a stopped sshd, each fixed by a good run after it;
#   missed: a due time + grace -> the "Backup missed" email accepted, the agent stopped before the due time (a cron
#           due every minute: about a minute per round); MISSED_ROUNDS rounds, each resolved by the catch-up run.
# and when each alert first shows firing in /api/alerts. Needs openssh-server and rsync (deploy/test.sh installs them).
#   deploy/bench/backup-alert-bench.sh [FAIL_ROUNDS=5] [MISSED_ROUNDS=3] [MINIMUM_GRACE_SECONDS=1]
source "$(dirname "$0")/lib.sh"
FAIL_ROUNDS=${1:-5}
MISSED_ROUNDS=${2:-3}
GRACE=${3:-1}
for program in /usr/sbin/sshd /usr/bin/rsync /usr/bin/rrsync /usr/bin/ssh-keygen; do
  [ -x "$program" ] || { echo "backup-alert-bench: $program is missing (apt-get install openssh-server rsync)" >&2; exit 1; }
done
# Reactor builds only, nothing installed: ~/.m2 may hold another checkout's steward jars, so the node jar, and the
# classpath the harness gets (core's test classes with the sshd fixture included), come from this checkout.
work=$(mktemp -d /tmp/steward-bench-backup-alert.XXXXXX)
status=1 # until the harness says otherwise: a failed build or start keeps its log
cleanup() {
  [ -z "${NODE_PID:-}" ] || kill "$NODE_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "$status" -eq 0 ]; then rm -rf "$work"; else echo "logs kept in $work" >&2; fi
}
trap cleanup EXIT
build_node_harness "$work/build.log"
port=$(free_port)
# Production keeps 5m/5m; a schedule due every minute with a grace of 10 % of it (6 s) keeps a round to a minute.
cat > "$work/node.conf" <<EOF
steward.backups.minimum-grace = ${GRACE}s
steward.backups.minimum-period = 1m
EOF
start_node "$work/node" "$port" --config "$work/node.conf"
echo "== $FAIL_ROUNDS failed runs, $MISSED_ROUNDS missed due times (cron * * * * *, minimum grace ${GRACE} s), h2"
# Other work on the machine shows in these figures: say how busy it was.
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx512m "$NODE_TEST_LOGGING" -cp "$CLASSPATH" io.steward.node.bench.BackupAlertBench "$port" "$ADMIN_PASSWORD" "$work/rig" \
  "$FAIL_ROUNDS" "$MISSED_ROUNDS" "$GRACE" > "$work/harness.log" 2>&1 && status=0 || status=$?
grep -E '^\{' "$work/harness.log" || true
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$status" -eq 0 ] || tail -40 "$work/harness.log"
exit $status
