#!/usr/bin/env bash
# Builds Steward and starts one node on the embedded H2 database with an agent for this machine.
# Prints the dashboard URL and the admin login. Data goes to ./steward-data (override with --data-dir).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q clean package -DskipTests
exec java -Xmx512m -jar cluster-node/target/steward-node.jar --local-agent "$@"
