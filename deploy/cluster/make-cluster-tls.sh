#!/usr/bin/env bash
# make-cluster-tls.sh OUT_DIR NODE [NODE...]
#
# Makes the cluster's own certificate authority and, for each NODE, the directory its --cluster-tls-dir
# (STEWARD_CLUSTER_TLS_DIR) points at:
#   OUT_DIR/ca.key, OUT_DIR/ca.crt     the CA: keep ca.key off the nodes (it is only needed to add a node later)
#   OUT_DIR/NODE/tls.key               the node's RSA key (0600)
#   OUT_DIR/NODE/tls.crt               its certificate, signed by the CA
#   OUT_DIR/NODE/ca.crt                the CA's certificate, which every peer must present a certificate from
# Every node certificate has the same subject name (CN and DNS name "steward-cluster"): nodes authenticate each other
# by the CA and that name, not by host names, so one set works for one machine or three. RSA because Pekko's
# rotating-keys engine reads RSA keys.
#
# Refuses to touch an existing OUT_DIR/NODE or ca.* file. Run again with an existing OUT_DIR (ca.key present) and new
# node names to add nodes signed by the same CA.
set -euo pipefail

usage() { echo "usage: $0 OUT_DIR NODE [NODE...]   (e.g. $0 ./cluster-tls node-1 node-2 node-3)" >&2; exit 2; }
[ $# -ge 2 ] || usage
out=$1; shift
command -v openssl > /dev/null || { echo "$0: openssl is not installed" >&2; exit 1; }

SUBJECT=steward-cluster
CA_DAYS=3650
NODE_DAYS=825

for node in "$@"; do
  if [[ ! $node =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]]; then
    echo "$0: node name '$node' must be letters, digits, . _ -" >&2; exit 2
  fi
  [ ! -e "$out/$node" ] || { echo "$0: $out/$node already exists; not overwriting it" >&2; exit 1; }
done

umask 077
mkdir -p "$out"
if [ -e "$out/ca.key" ] || [ -e "$out/ca.crt" ]; then
  [ -f "$out/ca.key" ] && [ -f "$out/ca.crt" ] || { echo "$0: $out has only half a CA (ca.key/ca.crt)" >&2; exit 1; }
  echo "Using the existing CA in $out"
else
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$out/ca.key" -out "$out/ca.crt" -days "$CA_DAYS" \
    -subj /CN=steward-cluster-ca 2> /dev/null
  chmod 0600 "$out/ca.key"; chmod 0644 "$out/ca.crt"
  echo "Made the cluster CA: $out/ca.crt (keep $out/ca.key off the nodes, somewhere safe)"
fi

for node in "$@"; do
  dir="$out/$node"
  mkdir -m 0700 "$dir"
  openssl req -newkey rsa:2048 -nodes -keyout "$dir/tls.key" -out "$dir/tls.csr" -subj "/CN=$SUBJECT" 2> /dev/null
  printf 'subjectAltName=DNS:%s\n' "$SUBJECT" > "$dir/ext.cnf"
  openssl x509 -req -in "$dir/tls.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial \
    -CAserial "$out/ca.srl" -out "$dir/tls.crt" -days "$NODE_DAYS" -extfile "$dir/ext.cnf" 2> /dev/null
  rm -f "$dir/tls.csr" "$dir/ext.cnf"
  cp "$out/ca.crt" "$dir/ca.crt"
  chmod 0600 "$dir/tls.key"; chmod 0644 "$dir/tls.crt" "$dir/ca.crt"
  echo "Made $dir (tls.key, tls.crt, ca.crt; valid $NODE_DAYS days)"
done
echo "Install each NODE directory on its machine as /etc/steward/cluster-tls/NODE, owned by the steward user:"
echo "  install -d -o steward -g steward -m 0700 /etc/steward/cluster-tls/NODE"
echo "  install -o steward -g steward -m 0600 $out/NODE/* /etc/steward/cluster-tls/NODE/"
