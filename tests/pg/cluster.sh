#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: initdb in a directory of its own, a free
# port, its unix socket in that directory, one database "parley".
#
#   tests/pg/cluster.sh start [DIR]   creates and starts it, prints its URL
#   tests/pg/cluster.sh url [DIR]     prints the URL of the running cluster
#   tests/pg/cluster.sh stop [DIR]    stops it and deletes DIR
#
# DIR defaults to $PARLEY_PG_DIR, else ${TMPDIR:-/tmp}/parley-test-pg; it must not exist
# before start (its parent must be traversable by the cluster's user). PostgreSQL refuses
# to run as root: as root, the cluster runs as the system user $PARLEY_PG_USER
# (default parley-test, created here without a home or a shell when missing); as anyone
# else, as that user. Clients connect through the socket only (no TCP), trusted: the
# socket directory is readable by the cluster's user alone (and root).
# Durability is off (fsync, full_page_writes): a test cluster, never for data.
# PARLEY_PG_DURABLE=1 keeps PostgreSQL's defaults (fsync, synchronous commit): for benches.
# PARLEY_PG_OPTS adds server options (e.g. "-c shared_preload_libraries=pg_stat_statements"
# to profile the statements).
set -euo pipefail

bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
cmd=${1:-}
dir=${2:-${PARLEY_PG_DIR:-${TMPDIR:-/tmp}/parley-test-pg}}
user=${PARLEY_PG_USER:-parley-test}

die() { echo "cluster.sh: $*" >&2; exit 1; }
[ -x "$bin/initdb" ] || die "no $bin/initdb (run scripts/setup.sh: postgresql-15)"

# Runs a command as the cluster's user, in DIR (the caller's directory may be closed to it).
as_owner() {
  if [ "$(id -u)" = 0 ]; then (cd "$dir" && runuser -u "$user" -- "$@"); else (cd "$dir" && "$@"); fi
}

url_of() {
  local port
  port=$(cat "$dir/port" 2>/dev/null) || die "no cluster in $dir"
  echo "postgresql://parley@/parley?host=$dir/run&port=$port"
}

# A port nobody listens on (TCP stays off; the port still names the socket and its lock).
free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 40000))
    if ! ss -Hltn "sport = :$p" 2>/dev/null | grep -q . && [ ! -e "/tmp/.s.PGSQL.$p" ]; then
      echo "$p"; return
    fi
  done
  die "no free port"
}

case "$cmd" in
start)
  [ -e "$dir" ] && die "$dir exists (stop the cluster there first)"
  if [ "$(id -u)" = 0 ] && ! id -u "$user" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
  fi
  mkdir -p "$dir/run"
  chmod 700 "$dir"
  [ "$(id -u)" = 0 ] && chown -R "$user:" "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U parley -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  ok=""
  for _ in 1 2 3; do  # another process may take the port between the check and the start
    port=$(free_port)
    opts="-c listen_addresses='' -c port=$port -c unix_socket_directories='$dir/run' -c unix_socket_permissions=0700"
    if [ "${PARLEY_PG_DURABLE:-0}" = 1 ]; then opts+=" -c max_connections=300"  # benches: every commit on disk
    else opts+=" -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=200"; fi
    opts+=" ${PARLEY_PG_OPTS:-}"
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$opts" -w -t 30 start >/dev/null; then
      ok=1; break
    fi
  done
  [ -n "$ok" ] || { cat "$dir/server.log" >&2; die "pg_ctl start failed"; }
  echo "$port" >"$dir/port"
  as_owner "$bin/createdb" -h "$dir/run" -p "$port" -U parley parley
  url_of
  ;;
url)
  url_of
  ;;
stop)
  [ -d "$dir" ] || exit 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null || true
  fi
  rm -rf "$dir"
  ;;
*)
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
  ;;
esac
