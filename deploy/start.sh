#!/usr/bin/env bash
# Builds Steward and starts one node on the embedded H2 database with an agent for this machine.
# Prints the dashboard URL and the admin login. Serves the agent bundle the build made ("Add server": one-line install). Data goes to ./steward-data (override with --data-dir).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q clean package -DskipTests
# The agent bundle, its .deb and install.sh the build just made: the dashboard's one-line install fetches them here.
export STEWARD_DOWNLOADS_DIR=${STEWARD_DOWNLOADS_DIR:-$PWD/agent/target/downloads}
exec java -Xmx512m -jar cluster-node/target/steward-node.jar --local-agent "$@"
