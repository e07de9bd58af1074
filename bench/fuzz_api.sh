#!/usr/bin/env bash
# Fuzz the server's protocols under ASan + UBSan: the JSON API, the chunked upload
# protocol and LMTP sessions (bench/fuzz_api.mjs), against parley-server built with
# -fsanitize=address,undefined into build-asan/ (server only). Not part of the tests.
#
#   bench/fuzz_api.sh                   # 60 s
#   FUZZ_SECONDS=600 FUZZ_SEED=7 bench/fuzz_api.sh
#
# Prints the executions per protocol and the findings (a 500, no answer, the server
# lost, or a sanitizer report in its log); exits 1 when there is one.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${FUZZ_OUT:-$root/build-asan}"
export PARLEY_RATE_LIMITS=off  # a fuzzer is not a person: no abuse limits

if [ ! -f "$out/build.ninja" ]; then
  cmake -S "$root" -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPARLEY_SERVER_ONLY=ON \
    -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
fi
cmake --build "$out" -j "$(nproc)" --target parley-server >/dev/null
bin="$out/server/parley-server"

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
port=$(free_port); lmtp=$(free_port)
work=$(mktemp -d /tmp/parley-fuzz.XXXXXX)
log="$out/fuzz_api.log"
ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:${ASAN_OPTIONS:-}" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
  "$bin" --host 127.0.0.1 --port "$port" --data-dir "$work" --demo --lmtp-listen "127.0.0.1:$lmtp" \
  --poll-timeout 1 >"$work/links" 2>"$log" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 200); do grep -q "login manufacturer" "$work/links" 2>/dev/null && break; sleep 0.1; done
# Signed in as a buyer, the manufacturer and a distributor.
cookies=()
for who in "login manufacturer" "login buyer" "login distributor"; do
  url=$(grep -m1 "^$who" "$work/links" | sed 's/.*: //')
  c=$(curl -s -o /dev/null -D - "$url" | sed -n 's/^[Ss]et-[Cc]ookie: \(parley_session=[^;]*\).*/\1/p' | head -1)
  cookies+=("$c")
done
set +e
node "$root/bench/fuzz_api.mjs" "http://127.0.0.1:$port" "$lmtp" "${cookies[@]}"
rc=$?
kill -TERM "$pid" 2>/dev/null; wait "$pid"; exit_code=$?
set -e
sanitizer=$(grep -c 'ERROR: AddressSanitizer\|runtime error:' "$log" || true)
echo "server exit on SIGTERM: $exit_code; sanitizer reports: $sanitizer (log: $log)"
if [ "$sanitizer" -gt 0 ]; then grep -m1 -A30 'ERROR: AddressSanitizer\|runtime error:' "$log"; exit 1; fi
[ "$exit_code" = 0 ] || exit 1
exit "$rc"
