#!/usr/bin/env bash
# Runs Steward's whole test suite. Installs what Maven cannot bring (Debian's PostgreSQL server binaries, which the
# tests start as throwaway clusters on loopback; Chromium, which the dashboard's end-to-end test drives headless;
# the OpenSSH server and rsync (with rrsync), which the backup tests run as a private sshd on loopback; Prometheus,
# which PrometheusScrapeIT runs on loopback to scrape a node; curl, which deploy/check_steward needs; docker-compose,
# which validates the compose file), then runs
# `mvn verify` (Java unit and integration tests, the frontend's Vitest suite, the browser
# end-to-end test). The frontend build needs Node >= 20.19 with npm on the PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

need_install=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || need_install+=(postgresql-15)
[ -x /usr/bin/chromium ] || need_install+=(chromium)
installs_sshd=false
if [ ! -x /usr/sbin/sshd ]; then need_install+=(openssh-server); installs_sshd=true; fi
[ -x /usr/bin/rsync ] && [ -x /usr/bin/rrsync ] || need_install+=(rsync)
installs_prometheus=false
if [ ! -x /usr/bin/prometheus ]; then need_install+=(prometheus); installs_prometheus=true; fi
[ -x /usr/bin/curl ] || need_install+=(curl)
# systemd-analyze verify checks the agent units (it works in a container without systemd as PID 1).
[ -x /usr/bin/systemd-analyze ] || need_install+=(systemd)
# docker-compose validates deploy/docker/compose.yaml (no container engine runs here: DockerRecipeTest).
[ -x /usr/bin/docker-compose ] || need_install+=(docker-compose)
if ! command -v npm > /dev/null; then
  echo "test.sh: npm not found; install Node.js >= 20.19 (e.g. apt-get install nodejs npm on Debian 13)" >&2
  exit 1
fi
if [ ${#need_install[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_install[*]} (needed by the tests)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  # Keep the package from creating and starting its own 'main' cluster: the tests run their own.
  $SUDO apt-get install -y -q postgresql-common
  if [ -f /etc/postgresql-common/createcluster.conf ]; then
    $SUDO sed -i 's/^#\?\s*create_main_cluster.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
  fi
  $SUDO apt-get install -y -q "${need_install[@]}"
  if $installs_sshd; then
    # The tests start their own sshd (own config, loopback, a free port). The package may have started the system's
    # ssh service, which did not run before this script: stop it and keep it from starting at boot.
    if [ -d /run/systemd/system ]; then
      $SUDO systemctl disable --now ssh.service ssh.socket > /dev/null 2>&1 || true
    else
      $SUDO service ssh stop > /dev/null 2>&1 || true
      $SUDO update-rc.d ssh disable > /dev/null 2>&1 || true
    fi
  fi
  if $installs_prometheus; then
    # The test runs its own prometheus (own config, loopback, a free port). The package (and the node exporter it
    # recommends) may have started system services: stop them and keep them from starting at boot.
    for unit in prometheus prometheus-node-exporter; do
      if [ -d /run/systemd/system ]; then
        $SUDO systemctl disable --now "$unit.service" > /dev/null 2>&1 || true
      else
        $SUDO service "$unit" stop > /dev/null 2>&1 || true
        $SUDO update-rc.d "$unit" disable > /dev/null 2>&1 || true
      fi
    done
  fi
fi

exec mvn -B verify "$@"
