#!/usr/bin/env bash
# Builds Steward and starts one node on the embedded H2 database with an agent for this machine.
# Prints the dashboard URL and the admin login. Serves the agent bundle the build made ("Add server": one-line install). Data goes to ./steward-data (override with --data-dir).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q clean package -DskipTests
# The agent bundle, its .deb and install.sh the build just made: the dashboard's one-line install fetches them here.
export STEWARD_DOWNLOADS_DIR=${STEWARD_DOWNLOADS_DIR:-$PWD/agent/target/downloads}
# Flags for a small install (deploy/bench/small-node-bench.sh: RSS 293 -> ~250 MiB with one server): the serial
# collector (G1's own structures took ~40 MiB), a heap that starts small and gives back what it does not use, smaller
# thread stacks, two malloc arenas. A node for hundreds of servers: the systemd unit's flags (README, "Node").
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
exec java -Xms32m -Xmx512m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Xss512k \
  -jar cluster-node/target/steward-node.jar --local-agent "$@"
