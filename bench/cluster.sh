#!/usr/bin/env bash
# Benchmarks of Parley on PostgreSQL with two instances (the set-up of scripts/cluster.sh),
# each figure a ratio or a delay measured in this run, on this machine:
#  (a) cross-instance wake-up: WAITERS (default 5,000) long-polls spread over the two
#      instances, one POST on the first; the delay from the POST to each answer, overall
#      and for the waiters on the other instance (target p99 <= 150 ms).
#  (b) durable posts: message posts over HTTP (POST_CONNECTIONS, default 16, fresh
#      Idempotency-Keys, both instances) against pgbench's simple insert (one row per
#      transaction, the same number of clients) on the same cluster (target >= 0.4x).
# The cluster keeps PostgreSQL's durable defaults (fsync, synchronous commit).
# Environment: DURATION (seconds per rate, default 10), WAITERS, POST_CONNECTIONS.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
server_bin=${PARLEY_SERVER:-$here/build/server/parley-server}
export PARLEY_RATE_LIMITS=off
duration=${DURATION:-10}
waiters=${WAITERS:-5000}
post_connections=${POST_CONNECTIONS:-16}
bench_dir=${BENCH_DIR:-$(dirname "$(dirname "$server_bin")")/bench}
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
die() { echo "bench: $*" >&2; exit 1; }
[ -x "$server_bin" ] || die "no server binary at $server_bin (build first)"
[ -x "$pg_bin/pgbench" ] || die "no $pg_bin/pgbench (postgresql-15)"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((waiters + 400)) ] || die "ulimit -n too low"

work=$(mktemp -d /tmp/parley-bench-cluster.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  bash "$here/tests/pg/cluster.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
json() { node -e "let d='';process.stdin.on('data',c=>d+=c).on('end',()=>{const j=JSON.parse(d);console.log($1)})"; }
session_of() { curl -s -o /dev/null -D - "$1" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(parley_session=[^;]*\).*/\1/p'; }

url=$(PARLEY_PG_DURABLE=1 bash "$here/tests/pg/cluster.sh" start "$work/pg")
key=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
mkdir -p "$work/files"
ports=()
for i in 1 2; do
  p=$(free_port)
  "$server_bin" --host 127.0.0.1 --port "$p" --data-dir "$work/i$i" --database "$url" --files-dir "$work/files" \
    --relay-key "$key" --poll-timeout 60 $([ "$i" = 1 ] && echo --demo) >"$work/i$i.out" 2>"$work/i$i.log" &
  pids+=($!)
  ports+=("$p")
  for _ in $(seq 300); do
    grep -q "parley: listening" "$work/i$i.log" 2>/dev/null && break
    kill -0 "${pids[-1]}" 2>/dev/null || die "instance $i exited: $(cat "$work/i$i.log")"
    sleep 0.1
  done
done
sleep 0.3
base="http://127.0.0.1:${ports[0]}"
cookie=$(session_of "$(sed -n 's/^login manufacturer [^:]*: //p' "$work/i1.out" | head -1)")
[ -n "$cookie" ] || die "sign-in failed"
inbox=$(curl -s -H "Cookie: $cookie" "$base/api/v1/requests")
thread_id=$(echo "$inbox" | json 'j.requests.find(r=>r.message_count===50).id')
buyer_name=$(echo "$inbox" | json 'j.requests.find(r=>r.message_count===50).buyer_name')
cursor=$(echo "$inbox" | json 'j.cursor')
buyer_cookie=$(session_of "$(grep -F "login buyer $buyer_name: " "$work/i1.out" | sed 's/^.*: //' | head -1)")

# ---------------------------------------------------------------- (a) cross-instance wake-up
lp="$bench_dir/longpoll"
if [ ! -x "$lp" ] || [ "$here/bench/longpoll.cpp" -nt "$lp" ]; then
  mkdir -p "$bench_dir"; g++ -O2 -std=c++20 -o "$lp" "$here/bench/longpoll.cpp"
fi
echo "bench: $waiters long-polls over instances ${ports[*]}, one POST on ${ports[0]}"
set +e
"$lp" --ports "${ports[0]},${ports[1]}" --cookie "$cookie" --post-cookie "$buyer_cookie" --after "$cursor" \
  --request "$thread_id" --waiters "$waiters" --server-pid "${pids[0]},${pids[1]}" --timeout 30 | tee "$work/longpoll.txt"
lp_status=${PIPESTATUS[0]}
set -e
val() { sed -n "s/^$1=//p" "$work/longpoll.txt"; }

# ---------------------------------------------------------------- (b) posts vs pgbench
pb="$bench_dir/posts"
if [ ! -x "$pb" ] || [ "$here/bench/posts.cpp" -nt "$pb" ]; then
  mkdir -p "$bench_dir"; g++ -O2 -std=c++20 -o "$pb" "$here/bench/posts.cpp" -lsqlite3
fi
# pgbench: one row per transaction into a table like a message row, as many clients.
psql -X -q -d "$url" -c "CREATE TABLE IF NOT EXISTS bench_insert(id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, conversation_id bigint, body text, created bigint)"
printf '%s\n' "INSERT INTO bench_insert(conversation_id, body, created) VALUES (1, 'Benchmark message of a typical length for a negotiation', 0);" >"$work/insert.sql"
pgbench_tps() {
  "$pg_bin/pgbench" -n -c "$post_connections" -j 2 -T "$1" -f "$work/insert.sql" "$url" 2>&1 |
    sed -n 's/^tps = \([0-9.]*\).*/\1/p'
}
pg_before=$(pgbench_tps $((duration / 2)))
# Posts: both sides of a few requests (as bench/run.sh), half the connections on each
# instance. A pair is kept when one post by it answers 201.
targets=()
candidates=$(echo "$inbox" | json 'j.requests.slice().sort((a,b)=>(b.message_count===50)-(a.message_count===50)).slice(0,4).map(r=>r.id+"\t"+r.buyer_name).join("\n")')
while IFS=$'\t' read -r rid bname; do
  [ -n "$rid" ] || continue
  burl=$(grep -F "login buyer $bname: " "$work/i1.out" | sed 's/^.*: //' | head -1)
  for who in "$cookie" "$([ -n "$burl" ] && session_of "$burl")"; do
    [ -n "$who" ] || continue
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $who" -H "Idempotency-Key: probe-$rid-$RANDOM$RANDOM" \
      -H 'Content-Type: application/json' --data '{"body":"Posts benchmark: first message"}' "$base/api/v1/requests/$rid/messages")
    [ "$code" = 201 ] && targets+=(--target "$rid:$who")
  done
done <<<"$candidates"
[ ${#targets[@]} -gt 0 ] || die "no request/session pair may post"
echo "bench: posts over HTTP, $post_connections connections, ${duration}s, on each instance in turn"
set +e
"$pb" --port "${ports[0]}" --connections $((post_connections / 2)) --duration "$duration" --skip-raw "${targets[@]}" >"$work/posts1.txt" &
p1=$!
"$pb" --port "${ports[1]}" --connections $((post_connections / 2)) --duration "$duration" --skip-raw "${targets[@]}" >"$work/posts2.txt"
wait $p1
set -e
pg_after=$(pgbench_tps $((duration / 2)))
rate1=$(sed -n 's/^posts_per_s=//p' "$work/posts1.txt"); rate2=$(sed -n 's/^posts_per_s=//p' "$work/posts2.txt")
p99a=$(sed -n 's/^post_p99_ms=//p' "$work/posts1.txt"); p99b=$(sed -n 's/^post_p99_ms=//p' "$work/posts2.txt")
posts=$(awk -v a="$rate1" -v b="$rate2" 'BEGIN { printf "%.0f", a + b }')
pgb=$(awk -v a="$pg_before" -v b="$pg_after" 'BEGIN { printf "%.0f", (a + b) / 2 }')
ratio=$(awk -v a="$posts" -v b="$pgb" 'BEGIN { printf "%.2f", a / b }')

cat <<EOF

== Parley on PostgreSQL, two instances ($(nproc) cores)
cross-instance wake-up ($waiters waiters over 2 instances, one POST on the first):
  held              $(val waiters_held)   (woken $(val woken), not answered $(val not_answered), wrong $(val wrong_answers))
  RSS of both       $(val rss_mb) MB
  all       p50 $(val p50_ms) ms   p99 $(val p99_ms) ms   max $(val max_ms) ms
  same instance     p50 $(val "p50_ms_${ports[0]}") ms   p99 $(val "p99_ms_${ports[0]}") ms
  other instance    p50 $(val "p50_ms_${ports[1]}") ms   p99 $(val "p99_ms_${ports[1]}") ms   (target p99 <= 150)
  status            $([ "$lp_status" = 0 ] && echo ok || echo "FAILED (exit $lp_status)")
durable posts ($post_connections connections, half on each instance, $((${#targets[@]} / 2)) request/side pairs, ${duration}s):
  pgbench insert    $pgb tps   (one row per transaction; $pg_before before, $pg_after after)
  HTTP posts        $posts posts/s   ($rate1 + $rate2; p99 $p99a / $p99b ms)
  posts / pgbench   $ratio   (target >= 0.4)
EOF
