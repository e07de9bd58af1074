#!/usr/bin/env bash
# Parley as on several machines, on this one: a PostgreSQL database, two parley-server
# instances on it (one files directory, one relay key between them), nginx in front on
# http://127.0.0.1:${PORT:-8080} with both in its upstream. Demo data; prints the sign-in
# links; Ctrl+C stops everything and deletes the state (a throwaway cluster, durability
# off, unless PARLEY_DATABASE_URL names a database of yours).
#
#   scripts/cluster.sh                        # builds when needed, starts, waits for Ctrl+C
#   PORT=9000 INSTANCES=3 scripts/cluster.sh
#   PARLEY_DATABASE_URL=postgresql://parley@db.example/parley scripts/cluster.sh
#
# What an instance is started with is printed, and each one's log is in the state
# directory (printed too). README, "Running on several machines", says what to share.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-8080}
instances=${INSTANCES:-2}
[ -x build/server/parley-server ] && [ -f build-web/dist/index.html ] || bash scripts/build.sh
command -v nginx >/dev/null || bash scripts/setup.sh
nginx_bin=$(command -v nginx)

state=$(mktemp -d "${TMPDIR:-/tmp}/parley-cluster.XXXXXX")
chmod 755 "$state"  # the database's and nginx's own users look inside
pids=()
stop_all() {
  trap - EXIT INT TERM
  echo
  echo "cluster.sh: stopping"
  [ -f "$state/nginx.pid" ] && "$nginx_bin" -p "$state" -c "$state/nginx.conf" -s quit 2>/dev/null || true
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -z "${PARLEY_DATABASE_URL:-}" ] && bash tests/pg/cluster.sh stop "$state/pg"
  rm -rf "$state"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 40000))
    ss -Hltn "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
  done
  echo "cluster.sh: no free port" >&2; exit 1
}

if [ -n "${PARLEY_DATABASE_URL:-}" ]; then
  url=$PARLEY_DATABASE_URL
else
  echo "cluster.sh: PostgreSQL (tests/pg/cluster.sh, in $state/pg)"
  url=$(bash tests/pg/cluster.sh start "$state/pg")
fi
# What every instance must share besides the database: the files and the relay key
# (replies by e-mail carry addresses signed with it, whichever instance sent the mail).
mkdir -p "$state/files"
relay_key=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')

upstream=""
for i in $(seq "$instances"); do
  p=$(free_port)
  args=(--host 127.0.0.1 --port "$p" --data-dir "$state/instance-$i" --database "$url"
    --files-dir "$state/files" --public-url "http://127.0.0.1:$port" --trusted-proxy 127.0.0.1
    --web-root build-web/dist)
  [ "$i" = 1 ] && args+=(--demo)  # the first one migrates and seeds; the others find it done
  echo "cluster.sh: instance $i: parley-server ${args[*]}"
  PARLEY_RELAY_KEY=$relay_key build/server/parley-server "${args[@]}" >"$state/instance-$i.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 300); do
    grep -q "parley: listening on" "$state/instance-$i.log" && break
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$state/instance-$i.log"; exit 1; }
    sleep 0.1
  done
  grep -q "parley: listening on" "$state/instance-$i.log" || { cat "$state/instance-$i.log"; exit 1; }
  upstream+="    server 127.0.0.1:$p max_fails=1 fail_timeout=5s;"$'\n'
done

mkdir -p "$state/nginx-tmp" && chmod 1777 "$state/nginx-tmp"
cat >"$state/nginx.conf" <<EOF
worker_processes 1;
pid $state/nginx.pid;
error_log $state/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log $state/nginx-access.log;
  client_body_temp_path $state/nginx-tmp/body;
  proxy_temp_path $state/nginx-tmp/proxy;
  fastcgi_temp_path $state/nginx-tmp/fastcgi;
  uwsgi_temp_path $state/nginx-tmp/uwsgi;
  scgi_temp_path $state/nginx-tmp/scgi;
  client_max_body_size 30m;       # a 25 MB mail over the webhook, 10 MB uploads
  upstream parley {
$upstream    keepalive 64;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://parley;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_read_timeout 75s;     # the long-poll holds 25 s
      proxy_buffering off;        # events go out as soon as an instance answers
      # An instance that died or refused: the next one. Posts are safe to repeat (their
      # Idempotency-Key); a 503 was refused before any work.
      proxy_next_upstream error timeout http_502 http_503 non_idempotent;
      proxy_next_upstream_tries 2;
    }
  }
}
EOF
"$nginx_bin" -p "$state" -c "$state/nginx.conf"
echo
echo "Parley on http://127.0.0.1:$port through nginx, $instances instances (state and logs in $state)."
echo "Ctrl+C stops everything. Sign in with a link below:"
grep '^login ' "$state/instance-1.log" || true
wait "${pids[@]}"
