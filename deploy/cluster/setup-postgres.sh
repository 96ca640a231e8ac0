#!/usr/bin/env bash
# setup-postgres.sh: creates the PostgreSQL user and database the Steward nodes share (run once, on the database
# machine, as root or the postgres user). Safe to run again: an existing user gets the new password, an existing
# database is kept. The nodes create and migrate their tables themselves at start.
#
#   STEWARD_DB_PASSWORD=... ./setup-postgres.sh [DATABASE [USER]]      (defaults: steward steward)
#
# Connects like psql: as root with no PGHOST set, through the local socket as the postgres user; otherwise with the
# usual PGHOST/PGPORT/PGUSER variables. The password is read from STEWARD_DB_PASSWORD (never from the command line,
# where other users could see it in the process list) or asked for.
set -euo pipefail
database=${1:-steward}
user=${2:-steward}
for name in "$database" "$user"; do
  [[ $name =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "$0: '$name' must be a plain lower-case identifier" >&2; exit 2; }
done
password=${STEWARD_DB_PASSWORD:-}
if [ -z "$password" ]; then
  read -r -s -p "Password for PostgreSQL user $user: " password; echo
fi
[ ${#password} -ge 12 ] || { echo "$0: use a password of at least 12 characters" >&2; exit 2; }
# It goes to psql on its standard input (never argv, which every local user can read in the process list), inside a
# quoted psql literal: refuse the two characters that could end it.
case $password in *"'"* | *\\*) echo "$0: the password must not contain ' or \\" >&2; exit 2 ;; esac

psql=(psql -X -q -v ON_ERROR_STOP=1 -d postgres)
if [ "$(id -u)" -eq 0 ] && [ -z "${PGHOST:-}" ]; then psql=(runuser -u postgres -- "${psql[@]}"); fi

# Values go in as psql variables (:'x' quotes a literal, :"x" an identifier), so no quoting mistakes or injection;
# the statements that carry the password are kept out of the server's log.
{ printf "\\set pw '%s'\n" "$password"; cat <<'SQL'
SELECT set_config('log_statement', 'none', false) WHERE (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
  \g /dev/null
SET password_encryption = 'scram-sha-256';
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'usr', :'pw')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'usr') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'usr', :'pw') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'db', :'usr', 'UTF8')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SQL
} | "${psql[@]}" -v db="$database" -v usr="$user"
echo "PostgreSQL: database '$database' owned by user '$user' is ready."
cat <<HINT
Nodes on other machines also need, on this one (then: systemctl reload postgresql):
  postgresql.conf:  listen_addresses = '*'            (or this machine's private address)
  pg_hba.conf:      host  $database  $user  10.0.0.11/32  scram-sha-256   (one line per node's address)
Each node's env file: STEWARD_DB_URL=jdbc:postgresql://THIS-HOST:5432/$database STEWARD_DB_USER=$user
STEWARD_DB_PASSWORD=(the password). Each node opens up to 12 connections (8 for Steward, 4 for the event
journal); PostgreSQL's default max_connections (100) is plenty for three nodes.
HINT
