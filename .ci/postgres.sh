#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for taskreg's tests and print the URL to use.
#
#   eval "$(.ci/postgres.sh)"        # exports TASKREG_TEST_PG
#   .ci/postgres.sh stop             # stops the server started here
#
# Installs PostgreSQL with apt-get when no server binaries are found, runs initdb into
# a temporary folder (as the postgres user when run as root, since the server refuses
# to run as root), listens on 127.0.0.1 only, creates a user and a database, and prints
#   export TASKREG_TEST_PG=postgresql+psycopg://taskreg:taskreg@127.0.0.1:PORT/taskreg_test
# on stdout. Everything else goes to stderr.
set -euo pipefail

PGROOT="${TASKREG_PG_DIR:-${TMPDIR:-/tmp}/taskreg-pg}"
PGUSER_NAME="${TASKREG_PG_USER:-taskreg}"
PGPASS="${TASKREG_PG_PASSWORD:-taskreg}"
PGDB="${TASKREG_PG_DB:-taskreg_test}"

log() { echo "postgres.sh: $*" >&2; }

find_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v initdb)"; return 0
  fi
  return 1
}

as_owner() {
  # Run a command as the owner of the data folder (postgres when we are root).
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 - <<'EOF'
import socket
for port in [5432] + list(range(55432, 55532)):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
EOF
}

if [ "${1:-}" = "stop" ]; then
  BINDIR="$(find_bindir)" || { log "no PostgreSQL binaries"; exit 0; }
  if [ -f "$PGROOT/data/postmaster.pid" ]; then
    as_owner "$BINDIR/pg_ctl" -D "$PGROOT/data" -m fast stop >&2
  fi
  exit 0
fi

if ! BINDIR="$(find_bindir)"; then
  log "PostgreSQL not found; installing it with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y postgresql >&2
  BINDIR="$(find_bindir)" || { log "PostgreSQL install failed"; exit 1; }
fi
log "using $BINDIR"

if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir "$PGROOT" --shell /bin/sh postgres
fi

mkdir -p "$PGROOT"
if [ "$(id -u)" = "0" ]; then chown postgres "$PGROOT"; fi

# Reuse a server this script started before, if it is still running.
if [ -f "$PGROOT/port" ] && as_owner "$BINDIR/pg_ctl" -D "$PGROOT/data" status >/dev/null 2>&1; then
  PORT="$(cat "$PGROOT/port")"
  log "server already running on port $PORT"
else
  if [ ! -f "$PGROOT/data/PG_VERSION" ]; then
    as_owner "$BINDIR/initdb" -D "$PGROOT/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C >&2
  fi
  PORT="$(free_port)"
  echo "$PORT" > "$PGROOT/port"
  as_owner "$BINDIR/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$PGROOT -c fsync=off" start >&2
  log "server started on 127.0.0.1:$PORT (log: $PGROOT/server.log)"
fi

psql_admin() {
  as_owner "$BINDIR/psql" -h "$PGROOT" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"
}

if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$PGUSER_NAME'")" != "1" ]; then
  psql_admin -c "CREATE ROLE $PGUSER_NAME LOGIN CREATEDB PASSWORD '$PGPASS'" >&2
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$PGDB'")" != "1" ]; then
  psql_admin -c "CREATE DATABASE $PGDB OWNER $PGUSER_NAME ENCODING 'UTF8' TEMPLATE template0" >&2
fi

URL="postgresql+psycopg://$PGUSER_NAME:$PGPASS@127.0.0.1:$PORT/$PGDB"
export TASKREG_TEST_PG="$URL"
echo "export TASKREG_TEST_PG=$URL"
