#!/usr/bin/env bash
# Parley benchmarks (loopback only). Uses an already built build/server/parley-server
# (override with PARLEY_SERVER=...). Needs wrk and nginx (nginx-light), g++ and libsqlite3-dev
# for the load generators (compiled into the bench/ folder beside the server's build
# folder, e.g. build/bench/, if missing or outdated).
#
#  (a) GET of the 50-message thread as the manufacturer: Parley vs nginx serving the
#      same JSON bytes from a file, both with `wrk -t2 -c64 -d10s`.
#  (b) 5,000 simultaneous long-polls: RSS while held, wake-up delay after one POST.
#  (c) posts: durable message posts over HTTP (16 connections, fresh Idempotency-Keys)
#      against raw SQLite commits (WAL, synchronous=FULL) on the same disk.
#
# Environment: DURATION (wrk and posts seconds, default 10), WAITERS (default 5000),
#              POST_CONNECTIONS (default 16), PARLEY_ARGS (extra server options),
#              SKIP_HTTP=1 / SKIP_LONGPOLL=1 / SKIP_POSTS=1 to leave a part out.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
server_bin=${PARLEY_SERVER:-$here/build/server/parley-server}
export PARLEY_RATE_LIMITS=off  # a load generator is not a person: no abuse limits
duration=${DURATION:-10}
waiters=${WAITERS:-5000}
post_connections=${POST_CONNECTIONS:-16}
bench_dir=${BENCH_DIR:-$(dirname "$(dirname "$server_bin")")/bench}

die() { echo "bench: $*" >&2; exit 1; }
[ -x "$server_bin" ] || die "no server binary at $server_bin (build first: cmake --build build)"
command -v wrk >/dev/null || die "wrk not installed"
command -v curl >/dev/null || die "curl not installed"
command -v node >/dev/null || die "node not installed"
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx_bin" ] || die "nginx not installed"

# Many sockets for the long-poll part (server and load generator inherit this).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((waiters + 200)) ] ||
  die "ulimit -n is $(ulimit -n); need at least $((waiters + 200))"

work=$(mktemp -d /tmp/parley-bench.XXXXXX)
chmod 755 "$work"
server_pid=""; nginx_pid=""
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
json() { node -e "let d='';process.stdin.on('data',c=>d+=c).on('end',()=>{const j=JSON.parse(d);console.log($1)})"; }
wrk_rps() { awk '/^Requests\/sec:/ {print $2}'; }

# ---------------------------------------------------------------- start Parley
port=$(free_port)
# shellcheck disable=SC2086  # PARLEY_ARGS: extra server options, word-split on purpose
"$server_bin" --host 127.0.0.1 --port "$port" --data-dir "$work/data" --demo --poll-timeout 60 ${PARLEY_ARGS:-} \
  >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do
  grep -q '^login manufacturer' "$work/server.out" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || die "server exited: $(cat "$work/server.log")"
  sleep 0.1
done
sleep 0.2
base="http://127.0.0.1:$port"
login_url=$(sed -n 's/^login manufacturer [^:]*: //p' "$work/server.out" | head -1)
[ -n "$login_url" ] || die "no manufacturer sign-in link printed"
session_of() { curl -s -o /dev/null -D - "$1" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(parley_session=[^;]*\).*/\1/p'; }
cookie=$(session_of "$login_url")
[ -n "$cookie" ] || die "sign-in failed"

inbox=$(curl -s -H "Cookie: $cookie" "$base/api/v1/requests")
thread_id=$(echo "$inbox" | json 'j.requests.find(r=>r.message_count===50).id')
buyer_name=$(echo "$inbox" | json 'j.requests.find(r=>r.message_count===50).buyer_name')
cursor=$(echo "$inbox" | json 'j.cursor')
url="$base/api/v1/requests/$thread_id"
mkdir -p "$work/www/api/v1/requests"
curl -s -H "Cookie: $cookie" "$url" >"$work/www/api/v1/requests/$thread_id"
chmod -R a+rX "$work/www"
bytes=$(wc -c <"$work/www/api/v1/requests/$thread_id")
echo "bench: thread $thread_id has 50 messages, $bytes bytes of JSON"

parley_rps="-"; nginx_rps="-"; ratio="-"
if [ "${SKIP_HTTP:-0}" != 1 ]; then
  # ---------------------------------------------------------------- (a) Parley
  echo "bench: wrk -t2 -c64 -d${duration}s Parley $url"
  wrk -t2 -c64 -d"${duration}s" -H "Cookie: $cookie" "$url" | tee "$work/wrk-parley.txt"
  parley_rps=$(wrk_rps <"$work/wrk-parley.txt")

  # ---------------------------------------------------------------- (a) nginx, same bytes
  nport=$(free_port)
  mkdir -p "$work/nginx"
  cat >"$work/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
master_process on;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  access_log $work/nginx/access.log combined buffer=64k flush=1s;
  keepalive_requests 1000000;
  sendfile on;
  tcp_nopush on;
  open_file_cache max=100;
  open_file_cache_valid 60s;
  server {
    listen 127.0.0.1:$nport reuseport;
    location / { root $work/www; default_type application/json; add_header Cache-Control no-store; }
  }
}
EOF
  "$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" &
  nginx_pid=$!
  for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$nport/api/v1/requests/$thread_id" && break; sleep 0.1; done
  cmp -s <(curl -s "http://127.0.0.1:$nport/api/v1/requests/$thread_id") "$work/www/api/v1/requests/$thread_id" ||
    die "nginx does not serve the same bytes"
  echo "bench: wrk -t2 -c64 -d${duration}s nginx (same $bytes bytes from a file)"
  wrk -t2 -c64 -d"${duration}s" -H "Cookie: $cookie" "http://127.0.0.1:$nport/api/v1/requests/$thread_id" |
    tee "$work/wrk-nginx.txt"
  nginx_rps=$(wrk_rps <"$work/wrk-nginx.txt")
  kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=""
  ratio=$(awk -v a="$parley_rps" -v b="$nginx_rps" 'BEGIN { printf "%.2f", a / b }')
fi

lp_held="-"; lp_rss="-"; lp_p50="-"; lp_p99="-"; lp_max="-"; lp_min="-"; lp_post="-"; lp_ok="skipped"
if [ "${SKIP_LONGPOLL:-0}" != 1 ]; then
  # ---------------------------------------------------------------- (b) long-poll
  lp="$bench_dir/longpoll"
  if [ ! -x "$lp" ] || [ "$here/bench/longpoll.cpp" -nt "$lp" ]; then
    mkdir -p "$bench_dir"
    g++ -O2 -std=c++20 -o "$lp" "$here/bench/longpoll.cpp"
  fi
  # The buyer of the thread posts; the manufacturer's waiters wake.
  buyer_url=$(grep -F "login buyer $buyer_name: " "$work/server.out" | sed 's/^.*: //' | head -1)
  post_cookie=$cookie
  [ -n "$buyer_url" ] && post_cookie=$(session_of "$buyer_url")
  cursor=$(curl -s -H "Cookie: $cookie" "$base/api/v1/requests" | json 'j.cursor')
  echo "bench: $waiters long-polls after=$cursor, then one POST on request $thread_id"
  set +e
  "$lp" --port "$port" --cookie "$cookie" --post-cookie "$post_cookie" --after "$cursor" \
    --request "$thread_id" --waiters "$waiters" --server-pid "$server_pid" --timeout 30 \
    $([ "${LONGPOLL_CLOSE:-0}" = 1 ] && echo --close) | tee "$work/longpoll.txt"
  lp_status=${PIPESTATUS[0]}
  set -e
  val() { sed -n "s/^$1=//p" "$work/longpoll.txt"; }
  lp_held=$(val waiters_held); lp_rss=$(val rss_mb); lp_p50=$(val p50_ms); lp_p99=$(val p99_ms)
  lp_min=$(val min_ms); lp_post=$(val post_ms)
  lp_max=$(val max_ms)
  lp_ok=$([ "$lp_status" = 0 ] && echo ok || echo "FAILED (exit $lp_status)")
fi

ps_raw="-"; ps_raw_b="-"; ps_raw_a="-"; ps_rate="-"; ps_ratio="-"; ps_p50="-"; ps_p99="-"; ps_targets="-"
ps_settle="-"; ps_ok="skipped"
if [ "${SKIP_POSTS:-0}" != 1 ]; then
  # ---------------------------------------------------------------- (c) posts
  pb="$bench_dir/posts"
  if [ ! -x "$pb" ] || [ "$here/bench/posts.cpp" -nt "$pb" ]; then
    mkdir -p "$bench_dir"
    g++ -O2 -std=c++20 -o "$pb" "$here/bench/posts.cpp" -lsqlite3
  fi
  # Both sides of a few requests: the manufacturer and each request's buyer, the
  # 50-message thread first. A pair is kept when one post by it answers 201.
  targets=()
  candidates=$(curl -s -H "Cookie: $cookie" "$base/api/v1/requests" |
    json 'j.requests.slice().sort((a,b)=>(b.message_count===50)-(a.message_count===50)).slice(0,4).map(r=>r.id+"\t"+r.buyer_name).join("\n")')
  while IFS=$'\t' read -r rid bname; do
    [ -n "$rid" ] || continue
    burl=$(grep -F "login buyer $bname: " "$work/server.out" | sed 's/^.*: //' | head -1)
    for who in "$cookie" "$([ -n "$burl" ] && session_of "$burl")"; do
      [ -n "$who" ] || continue
      code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $who" -H "Idempotency-Key: probe-$rid-$RANDOM$RANDOM" \
        -H 'Content-Type: application/json' --data '{"body":"Posts benchmark: first message"}' \
        "$base/api/v1/requests/$rid/messages")
      [ "$code" = 201 ] && targets+=(--target "$rid:$who")
    done
  done <<<"$candidates"
  [ ${#targets[@]} -gt 0 ] || die "no request/session pair may post"
  echo "bench: posts, $post_connections connections, $((${#targets[@]} / 2)) request/side pairs, ${duration}s"
  set +e
  "$pb" --port "$port" --connections "$post_connections" --duration "$duration" --raw-dir "$work/data" \
    --raw-seconds 6 "${targets[@]}" | tee "$work/posts.txt"
  ps_status=${PIPESTATUS[0]}
  set -e
  pval() { sed -n "s/^$1=//p" "$work/posts.txt"; }
  ps_raw=$(pval raw_inserts_per_s); ps_raw_b=$(pval raw_before_per_s); ps_raw_a=$(pval raw_after_per_s)
  ps_settle=$(pval notify_settle_s); ps_rate=$(pval posts_per_s); ps_ratio=$(pval ratio)
  ps_p50=$(pval post_p50_ms); ps_p99=$(pval post_p99_ms); ps_targets=$(pval targets)
  ps_ok=$([ "$ps_status" = 0 ] && echo ok || echo "FAILED (exit $ps_status)")
fi

# ---------------------------------------------------------------- shutdown check
kill -TERM "$server_pid"
set +e; wait "$server_pid"; server_exit=$?; set -e
server_pid=""

cat <<EOF

==================== Parley benchmark summary ====================
thread GET (50 messages, $bytes B), wrk -t2 -c64 -d${duration}s:
  Parley            $parley_rps req/s
  nginx (file)      $nginx_rps req/s
  ratio             $ratio   (target >= 0.5)
long-poll ($waiters waiters, one POST):
  waiters held      $lp_held
  server RSS        $lp_rss MB   (target <= 300)
  wake delay p50    $lp_p50 ms
  wake delay p99    $lp_p99 ms   (target <= 100)
  wake delay max    $lp_max ms
  first answer      $lp_min ms   (the POST answered after $lp_post ms)
  result            $lp_ok
posts ($post_connections connections, $ps_targets request/side pairs, ${duration}s):
  raw SQLite        $ps_raw commits/s   (WAL, synchronous=FULL, one row each; $ps_raw_b before, $ps_raw_a after)
  HTTP posts        $ps_rate posts/s   (2xx, fresh Idempotency-Key each)
  ratio             $ps_ratio   (target >= 0.5)
  post latency      p50 $ps_p50 ms, p99 $ps_p99 ms
  mails caught up   $ps_settle s after the last post
  result            $ps_ok
server exit on SIGTERM: $server_exit
==================================================================
EOF
