#!/usr/bin/env bash
# Steward's backup runner against plain rsync run by hand: the same FILES files (TOTAL_MIB in all), the same sshd
# (the tests' fixture, on loopback, keys confined by rrsync) and the same ssh options; (a) a first full backup and
# (b) an incremental one after 1 % of the files changed, RUNS rounds, medians printed. Wall time and CPU (user +
# system of the agent's JVM during the run, of the programs it started, and of the destination's side) per case,
# and Steward's overhead in percent. Needs openssh-server and rsync (deploy/test.sh installs them).
#   deploy/bench/backup-bench.sh [FILES=10000] [TOTAL_MIB=1024] [RUNS=3]
source "$(dirname "$0")/lib.sh"
FILES=${1:-10000}
MIB=${2:-1024}
RUNS=${3:-3}
for program in /usr/sbin/sshd /usr/bin/rsync /usr/bin/rrsync /usr/bin/ssh-keygen; do
  [ -x "$program" ] || { echo "backup-bench: $program is missing (apt-get install openssh-server rsync)" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/steward-backup-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The fixture (SshServer) is in core's test-jar: install core first, as the README's build does.
(cd "$ROOT" && mvn -B -q -o install -N && mvn -B -q -o install -pl core -DskipTests \
  && mvn -B -q -o test-compile -pl agent)
cp_file=$(mktemp)
(cd "$ROOT" && mvn -B -q -o dependency:build-classpath -pl agent -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" > /dev/null)
CLASSPATH="$ROOT/agent/target/test-classes:$ROOT/agent/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
java -Xmx256m -cp "$CLASSPATH" \
  io.steward.agent.backup.BackupBench "$work" "$FILES" "$MIB" "$RUNS"
