#!/usr/bin/env bash
# Builds Steward and starts one node on the embedded H2 database with an agent for this machine.
# Prints the dashboard URL and the admin login. Serves the agent bundle the build made ("Add server": one-line install). Data goes to ./steward-data (override with --data-dir).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q clean package -DskipTests
# The agent bundle, its .deb and install.sh the build just made: the dashboard's one-line install fetches them here.
export STEWARD_DOWNLOADS_DIR=${STEWARD_DOWNLOADS_DIR:-$PWD/agent/target/downloads}
# Flags for a small install (deploy/bench/small-node-bench.sh, README "Measured"): the serial collector (G1's own
# structures took ~40 MiB), a heap that starts small and gives back what it does not use, smaller thread stacks, two
# malloc arenas, a young generation of a fifth of the heap instead of a third, C1 only (the optimizing compiler's code
# and work took ~30-35 MiB; at 100 servers it cost ~16 % more CPU per report once both had warmed up) with its code
# capped at 16 MiB (it grew for as long as methods kept reaching its threshold; near the cap JDK 17's sweeper drops
# cold code: ~3 MiB less for one server, CPU per report no worse at 100), one Pekko method left to the interpreter
# (FaultHandling.finishTerminate, run once per actor stop: C1 compiling its 5.8 KB of bytecode grew the C heap by
# ~13 MiB for the minute until the next trim), and the C heap trimmed every 10 s (glibc keeps what the JVM freed, ~17
# MiB after the start and after each large compile; 10 s instead of 60: a 2 MiB lower mean, no more CPU; JDK
# 17.0.9+/21.0.1+ have the flag, an older JDK starts without it). A node for hundreds of servers: the systemd unit's
# flags (README, "Node"). small-node-bench.sh reads the flags array below.
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
flags=(-Xms32m -Xmx512m -XX:+UseSerialGC -XX:NewRatio=4 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Xss512k
  -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m -XX:CompileCommand=quiet
  -XX:CompileCommand=exclude,org.apache.pekko.actor.dungeon.FaultHandling::finishTerminate)
if java -XX:TrimNativeHeapInterval=10000 -version > /dev/null 2>&1; then flags+=(-XX:TrimNativeHeapInterval=10000); fi
exec java "${flags[@]}" -jar cluster-node/target/steward-node.jar --local-agent "$@"
