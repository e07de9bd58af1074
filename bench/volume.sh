#!/usr/bin/env bash
# Parley at a real seller's volume: every target of bench/README.md "Volume" from one
# command, each a ratio or a percentile measured in this run.
#
#  1. data: `parley-server load-demo` fills two databases, once per spec (kept in
#     $VOLUME_DIR, default /tmp/parley-volume-*): 100,000 requests / 1,000,000 messages /
#     one 10,000-message thread for the API, and a small one with the same long thread for
#     the browser;
#  2. API (bench/volume_api.mjs): inbox page and search p95 server time, thread pages;
#  3. client (bench/volume_client.mjs, headless Chromium, desktop and phone): opening and
#     per-frame script time, 10,000-message thread ÷ 50-message thread;
#  4. durable posts over HTTP ÷ raw SQLite inserts, and 10,000 long-poll waiters
#     (bench/run.sh with SKIP_HTTP=1 WAITERS=10000);
#  5. first load, compressed (bench/client.mjs).
#
# Environment: REQUESTS, MESSAGES, LONG_THREAD (the big data's spec), VOLUME_DIR,
#              SKIP_CLIENT=1, SKIP_SERVER_BENCH=1 to leave parts out.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
server_bin=${PARLEY_SERVER:-$here/build/server/parley-server}
export PARLEY_RATE_LIMITS=off  # a load generator is not a person: no abuse limits
[ -x "$server_bin" ] || { echo "bench: no server binary at $server_bin (scripts/build.sh first)" >&2; exit 1; }
export PARLEY_SERVER=$server_bin
requests=${REQUESTS:-100000}
messages=${MESSAGES:-1000000}
long=${LONG_THREAD:-10000}
root=${VOLUME_DIR:-/tmp/parley-volume}
big="$root/big-$requests-$messages-$long"
small="$root/small-300-3000-$long"

fill() {  # dir requests messages long
  if [ ! -f "$1/loaded.json" ]; then
    rm -rf "$1"
    mkdir -p "$1"
    echo "bench: load-demo --requests $2 --messages $3 --long-thread $4 into $1"
    local t0=$SECONDS
    "$server_bin" load-demo --data-dir "$1" --requests "$2" --messages "$3" --long-thread "$4" \
      >"$1/loaded.json.tmp" 2>"$1/load.log"
    mv "$1/loaded.json.tmp" "$1/loaded.json"
    echo "bench:   $(cat "$1/loaded.json") in $((SECONDS - t0)) s, $(du -sh "$1" | cut -f1) on disk"
  fi
}

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), $(df -T "$root" 2>/dev/null | awk 'NR==2 {print $2}' || echo '?') disk"
fill "$big" "$requests" "$messages" "$long"
fill "$small" 300 3000 "$long"

node bench/volume_api.mjs "$big"

if [ "${SKIP_CLIENT:-0}" != 1 ]; then
  node bench/volume_client.mjs "$small" desktop
  node bench/volume_client.mjs "$small" phone
  node bench/client.mjs | grep -E '^==|first load'
fi

if [ "${SKIP_SERVER_BENCH:-0}" != 1 ]; then
  SKIP_HTTP=1 WAITERS=10000 bash bench/run.sh
fi
