#!/usr/bin/env bash
# E-mail in under pathological input (loopback only). Uses an already built
# build/server/parley-server (override with PARLEY_SERVER=...). Needs node and GNU time
# (/usr/bin/time).
#
#  (a) `parley-server mail-in` on 10 MB mails: only newlines, one giant line, 100,000+
#      lines of quoted "> x", many MIME parts, deep MIME nesting — wall time and max RSS
#      (targets: ≤ 1 s, ≤ 3× the mail size).
#  (b) MAIL_IN_PARALLEL (default 4) of them posted at once to POST /api/v1/mail/inbound
#      while another user's GET /api/v1/me is timed in a loop (target: max < 50 ms).
#
# Environment: MAIL_BYTES (size of each mail, default 10 MiB), MAIL_IN_PARALLEL, PARLEY_ARGS
# (extra server options, e.g. --http-threads 2).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
server_bin=${PARLEY_SERVER:-$here/build/server/parley-server}
export PARLEY_RATE_LIMITS=off  # a load generator is not a person: no abuse limits
die() { echo "bench: $*" >&2; exit 1; }
[ -x "$server_bin" ] || die "no server binary at $server_bin (build first: cmake --build build)"
[ -x /usr/bin/time ] || die "GNU time not installed (apt-get install time)"
command -v node >/dev/null || die "node not installed"

work=$(mktemp -d /tmp/parley-bench-mail.XXXXXX)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
secret=bench-inbound-secret-0123456789
# shellcheck disable=SC2086  # PARLEY_ARGS: extra server options, word-split on purpose
"$server_bin" --host 127.0.0.1 --port "$port" --data-dir "$work/data" --demo --inbound-secret "$secret" \
  ${PARLEY_ARGS:-} >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do
  grep -q '^login manufacturer' "$work/server.out" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || die "server exited: $(cat "$work/server.log")"
  sleep 0.1
done
sleep 0.2

echo "machine: $(nproc) cores, $(. /etc/os-release && echo "$PRETTY_NAME")"
PARLEY_BASE="http://127.0.0.1:$port" PARLEY_DATA="$work/data" PARLEY_SERVER="$server_bin" PARLEY_SECRET="$secret" \
  PARLEY_OUT="$work/server.out" node "$here/bench/mail_in.mjs"
