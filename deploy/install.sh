#!/bin/sh
# Installs the Steward agent: its self-contained bundle (own Java runtime: nothing else needed on the host) into
# /opt/steward-agent, its settings into /etc/steward, and a systemd service (or, without systemd, a background start).
#
#   curl -fsSL https://NODE:PORT/install.sh | sudo sh -s -- --url https://NODE:PORT --token TOKEN [--pin FP[,FP...]]
#   sh install.sh --bundle steward-agent-VERSION-linux-x86_64.tar.gz --url https://NODE:PORT --token TOKEN [--pin FP]
#   curl -fsSL https://NODE:PORT/install.sh | sudo sh -s -- --uninstall [--keep-state]
#
# Served by a node at /install.sh and /downloads/install.sh; kept in the repository as deploy/install.sh.
# Trust: the bundle is only downloaded over HTTPS, verified either by the system's CAs or, with --pin (a self-signed
# node: the certificate fingerprint it prints, as the agent's --pin-sha256 takes it), by that certificate — this script
# checks the fingerprint of the certificate the node presents, then pins curl to that certificate's public key; then
# the bundle's SHA-256 against the .sha256 beside it. Anything else is refused and nothing is installed.
set -eu

PREFIX=/opt/steward-agent
ETC=/etc/steward
ENV_FILE=$ETC/agent.env
SERVICES_FILE=$ETC/services.json
STATE=/var/lib/steward-agent
UNIT=/etc/systemd/system/steward-agent.service
LOG=/var/log/steward-agent.log
PIDFILE=/run/steward-agent.pid

URL="" TOKEN="" PIN="" HUB="" BUNDLE="" UNINSTALL=false KEEP_STATE=false
STEP="reading the options"
WORK=""

usage() {
  cat << 'EOF'
Installs the Steward agent (its own Java runtime included) and starts it.
  curl -fsSL https://NODE:PORT/install.sh | sudo sh -s -- --url https://NODE:PORT --token TOKEN [--pin FP]
  sh install.sh --bundle FILE --url https://NODE:PORT --token TOKEN [--pin FP]
  sh install.sh --uninstall [--keep-state]
Options:
  --url URL          the node, https://NODE:PORT (the dashboard's address): where the bundle comes from and,
                     unless --hub says otherwise, where the agent reports (wss://NODE:PORT/ws/agent)
  --token TOKEN      the enrollment token ("Add server" in the dashboard); not needed to upgrade an installed agent
  --pin FP[,FP...]   SHA-256 fingerprints of self-signed node certificates (AB:CD:... as the node prints them)
  --hub URL[,URL...] the agent endpoints, if not the one --url implies (a cluster: several)
  --bundle FILE      install this bundle (checked against FILE.sha256 when that exists) instead of downloading
  --uninstall        stop and remove the agent, its unit, its token file and its state (credential)
  --keep-state       with --uninstall: keep /var/lib/steward-agent (the credential: the same server on reinstall)
EOF
}

say() { printf 'steward-agent install: %s\n' "$*"; }
fail() {
  printf 'steward-agent install: FAILED while %s: %s\n' "$STEP" "$*" >&2
  exit 1
}
step() {
  STEP=$1
  say "$1 ..."
}
finish() {
  status=$?
  if [ -n "$WORK" ]; then rm -rf "$WORK"; fi
  if [ "$status" -ne 0 ]; then
    printf 'steward-agent install: stopped (exit %s) while %s\n' "$status" "$STEP" >&2
  fi
}
trap finish EXIT

# Values end up in agent.env, read both by systemd and by this shell: a safe alphabet needs no quoting in either.
check_value() {
  name=$1 value=$2 pattern=$3
  printf '%s' "$value" | grep -Eqx "$pattern" || fail "$name '$value' is not valid (allowed: $pattern)"
}

while [ $# -gt 0 ]; do
  case $1 in
    --url | --token | --pin | --hub | --bundle)
      [ $# -ge 2 ] && [ -n "$2" ] || fail "$1 needs a value"
      case $1 in
        --url) URL=${2%/} ;;
        --token) TOKEN=$2 ;;
        --pin) PIN=$2 ;;
        --hub) HUB=$2 ;;
        --bundle) BUNDLE=$2 ;;
      esac
      shift 2
      ;;
    --uninstall) UNINSTALL=true; shift ;;
    --keep-state) KEEP_STATE=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) fail "unknown option '$1' (see --help)" ;;
  esac
done
[ -z "$URL" ] || check_value --url "$URL" 'https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?|https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?'
[ -z "$TOKEN" ] || check_value --token "$TOKEN" '[A-Za-z0-9_.-]{8,200}'
[ -z "$PIN" ] || check_value --pin "$PIN" '[0-9A-Fa-f:]{64,95}(,[0-9A-Fa-f:]{64,95})*'
[ -z "$HUB" ] || check_value --hub "$HUB" 'wss?://[][A-Za-z0-9.:/_~-]+(,wss?://[][A-Za-z0-9.:/_~-]+)*'
[ "$(id -u)" -eq 0 ] || fail "this needs root (curl ... | sudo sh -s -- ...)"

# The agent's process when started without systemd (by this script), if it still runs.
background_pid() {
  [ -f "$PIDFILE" ] || return 1
  pid=$(cat "$PIDFILE")
  grep -q steward-agent "/proc/$pid/cmdline" 2> /dev/null || return 1
  echo "$pid"
}

stop_agent() {
  if [ -d /run/systemd/system ] && command -v systemctl > /dev/null; then
    systemctl stop steward-agent.service 2> /dev/null || true
  fi
  if pid=$(background_pid); then
    kill "$pid"
    waited=0
    while kill -0 "$pid" 2> /dev/null && [ $waited -lt 30 ]; do sleep 1; waited=$((waited + 1)); done
    kill -0 "$pid" 2> /dev/null && fail "the agent (pid $pid) did not stop within 30 s"
    say "stopped the agent (pid $pid)"
  fi
  rm -f "$PIDFILE"
}

uninstall() {
  if command -v dpkg-query > /dev/null && dpkg-query -W -f '${Status}' steward-agent 2> /dev/null | grep -q installed; then
    fail "the agent was installed from the .deb: remove it with apt-get purge steward-agent"
  fi
  step "stopping the agent"
  if [ -d /run/systemd/system ] && command -v systemctl > /dev/null; then
    systemctl disable --now steward-agent.service 2> /dev/null || true
  fi
  stop_agent
  step "removing the agent"
  if [ -f "$UNIT" ]; then
    rm -f "$UNIT"
    if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
  fi
  rm -rf "$PREFIX" "$PREFIX.old"
  rm -f "$ENV_FILE"
  if $KEEP_STATE; then
    say "kept $STATE (the agent's credential and unsent reports: delete it when the server is gone for good)"
  else
    rm -rf "$STATE"
  fi
  [ ! -f "$SERVICES_FILE" ] || say "kept $SERVICES_FILE (your list of services; no secret in it)"
  [ ! -f "$LOG" ] || say "kept $LOG"
  rmdir "$ETC" 2> /dev/null || true
  say "uninstalled (removed $PREFIX, $UNIT, $ENV_FILE$($KEEP_STATE || echo ", $STATE"))"
}

if $UNINSTALL; then
  uninstall
  exit 0
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64 | Linux-amd64) ARCH=x86_64 ;;
  Linux-aarch64 | Linux-arm64) ARCH=arm64 ;;
  *) fail "no agent bundle for $(uname -s) $(uname -m) (Linux x86_64 only for now)" ;;
esac

# Settings first, so nothing is downloaded for an install that could not start.
if [ -z "$HUB" ] && [ -n "$URL" ]; then
  HUB=$(printf '%s' "$URL" | sed -e 's#^https://#wss://#' -e 's#^http://#ws://#')/ws/agent
fi
if [ -z "$TOKEN$HUB$PIN" ] && [ -f "$ENV_FILE" ]; then
  KEEP_ENV=true
  say "keeping the settings in $ENV_FILE (an upgrade: no --token, --url or --hub given)"
else
  KEEP_ENV=false
  [ -n "$HUB" ] || fail "--url (or --hub) is required: where the agent reports"
  [ -n "$TOKEN" ] || [ -d "$STATE" ] || fail "--token is required for a first install (\"Add server\" in the dashboard)"
fi

WORK=$(mktemp -d /tmp/steward-agent-install.XXXXXX)

sha256_of() {
  if command -v sha256sum > /dev/null; then
    sha256sum "$1" | cut -d' ' -f1
  else
    openssl dgst -sha256 -r "$1" | cut -d' ' -f1
  fi
}

# Sets TRUST, the curl options that trust the node: its --pin (checked here, then its public key pinned) or, without
# a pin, nothing extra (curl checks the system's CAs).
node_trust() {
  TRUST=""
  [ -n "$PIN" ] || return 0
  command -v openssl > /dev/null || fail "checking --pin needs openssl (apt-get install openssl), or use --bundle"
  authority=$(printf '%s' "$URL" | sed -E 's#^https://([^/]+).*#\1#')
  case $authority in
    \[*\]:*) connect=$authority ;;
    \[*\]) connect=$authority:443 ;;
    *:*) connect=$authority ;;
    *) connect=$authority:443 ;;
  esac
  openssl s_client -connect "$connect" < /dev/null 2> /dev/null \
    | sed -n '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p' > "$WORK/node.pem"
  [ -s "$WORK/node.pem" ] || fail "no TLS certificate from $connect (is --url right, and the node up?)"
  presented=$(openssl x509 -in "$WORK/node.pem" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr a-f A-F)
  matched=false
  for pin in $(printf '%s' "$PIN" | tr -d ':' | tr a-f A-F | tr ',' ' '); do
    [ "$pin" = "$presented" ] && matched=true
  done
  $matched || fail "the node's certificate ($presented) does not match --pin: refusing to download from it"
  key=$(openssl x509 -in "$WORK/node.pem" -noout -pubkey | openssl pkey -pubin -outform der \
    | openssl dgst -sha256 -binary | openssl base64 -A)
  # Self-signed: no CA to check; every download must come from the holder of the pinned certificate's key.
  TRUST="--insecure --pinnedpubkey sha256//$key"
}

download() {
  # shellcheck disable=SC2086 # TRUST is a list of curl options
  curl -fsS --proto =https --retry 2 $TRUST -o "$2" "$1" || fail "cannot download $1"
}

if [ -n "$BUNDLE" ]; then
  step "checking the bundle $BUNDLE"
  [ -f "$BUNDLE" ] || fail "no such file: $BUNDLE"
  cp "$BUNDLE" "$WORK/bundle.tar.gz"
  if [ -f "$BUNDLE.sha256" ]; then
    cp "$BUNDLE.sha256" "$WORK/bundle.tar.gz.sha256"
  else
    say "no $BUNDLE.sha256 beside it: trusting the local file as given"
  fi
else
  [ -n "$URL" ] || fail "--url is required to download the bundle (or give --bundle FILE)"
  case $URL in
    https://*) ;;
    *) fail "refusing to download over plain HTTP (the bundle could be swapped on the way): use the node's https:// URL, or --bundle FILE" ;;
  esac
  step "checking the node's certificate"
  node_trust
  [ -n "$PIN" ] && say "the node presents the pinned certificate" || say "trusting the node through the system's CAs"
  file=steward-agent-linux-$ARCH.tar.gz
  step "downloading $URL/downloads/$file"
  download "$URL/downloads/$file" "$WORK/bundle.tar.gz"
  download "$URL/downloads/$file.sha256" "$WORK/bundle.tar.gz.sha256"
fi
if [ -f "$WORK/bundle.tar.gz.sha256" ]; then
  step "verifying the bundle's SHA-256"
  expected=$(cut -d' ' -f1 < "$WORK/bundle.tar.gz.sha256")
  actual=$(sha256_of "$WORK/bundle.tar.gz")
  [ "$expected" = "$actual" ] || fail "checksum mismatch (expected $expected, got $actual): nothing installed"
  say "checksum $actual matches"
fi

step "unpacking the bundle"
mkdir -p "$(dirname "$PREFIX")"
NEW=$PREFIX.new
rm -rf "$NEW"
mkdir -m 0755 "$NEW"
tar -xzf "$WORK/bundle.tar.gz" -C "$NEW" --no-same-owner || fail "the bundle is not a readable .tar.gz"
[ -x "$NEW/steward-agent/bin/steward-agent" ] || { rm -rf "$NEW"; fail "the bundle has no steward-agent/bin/steward-agent"; }
version=$("$NEW/steward-agent/bin/steward-agent" --version 2>&1) \
  || { rm -rf "$NEW"; fail "the bundled agent does not run on this machine: $version"; }
say "unpacked $version"

step "stopping a running agent"
stop_agent
step "installing into $PREFIX"
rm -rf "$PREFIX.old"
[ ! -d "$PREFIX" ] || mv "$PREFIX" "$PREFIX.old"
mv "$NEW/steward-agent" "$PREFIX"
rm -rf "$NEW" "$PREFIX.old"

step "writing the settings in $ETC"
install -d -m 0755 -o root -g root "$ETC"
if [ ! -f "$SERVICES_FILE" ]; then
  # The agent refuses a services file others could change: root's, 0644.
  install -m 0644 -o root -g root "$PREFIX/share/services.json" "$SERVICES_FILE"
  say "wrote $SERVICES_FILE (no services yet: list the ones the agent may watch and restart there)"
fi
if ! $KEEP_ENV; then
  (
    umask 077
    {
      echo "# Steward agent settings, written by install.sh (root only: the token is a secret)."
      echo "STEWARD_HUB=$HUB"
      if [ -n "$TOKEN" ]; then echo "STEWARD_TOKEN=$TOKEN"; fi
      if [ -n "$PIN" ]; then echo "STEWARD_PIN=$PIN"; fi
    } > "$ENV_FILE.new"
  )
  chmod 0600 "$ENV_FILE.new"
  mv "$ENV_FILE.new" "$ENV_FILE"
  say "wrote $ENV_FILE (0600)"
fi
install -d -m 0700 -o root -g root "$STATE"
install -d -m 0755 "$(dirname "$UNIT")"
install -m 0644 "$PREFIX/share/steward-agent.service" "$UNIT"

if [ -d /run/systemd/system ] && command -v systemctl > /dev/null; then
  step "starting the steward-agent service"
  systemctl daemon-reload
  systemctl enable steward-agent.service > /dev/null 2>&1 || fail "systemctl enable steward-agent failed"
  systemctl restart steward-agent.service || fail "systemctl restart steward-agent failed (journalctl -u steward-agent)"
  say "installed and started: systemctl status steward-agent, journalctl -u steward-agent -f"
else
  step "starting the agent in the background (systemd is not running here)"
  (
    set -a
    . "$ENV_FILE"
    set +a
    exec nohup "$PREFIX/bin/steward-agent" --state-dir "$STATE" --services "$SERVICES_FILE" >> "$LOG" 2>&1 < /dev/null
  ) &
  pid=$!
  echo "$pid" > "$PIDFILE"
  # Bad settings end the agent within a second or two: report them here rather than leave a dead agent behind.
  waited=0
  while [ $waited -lt 3 ]; do
    sleep 1
    kill -0 "$pid" 2> /dev/null || { tail -n 5 "$LOG" >&2; rm -f "$PIDFILE"; fail "the agent exited at once (log: $LOG)"; }
    waited=$((waited + 1))
  done
  say "installed and started in the background (pid $pid, log $LOG). Without systemd nothing starts it after a"
  say "reboot: have your init system run  set -a; . $ENV_FILE; $PREFIX/bin/steward-agent --state-dir $STATE --services $SERVICES_FILE"
fi
STEP="finishing"
say "done. Remove with: sh $PREFIX/share/install.sh --uninstall"
