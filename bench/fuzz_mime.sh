#!/usr/bin/env bash
# Fuzz the inbound e-mail entry point with libFuzzer under ASan + UBSan:
# parse_mail (GMime) + strip_reply + html_to_text, seeded with tests/mail_corpus.
# Not part of the test suite. Needs clang 14 (libclang-rt-14-dev) and libgmime-3.0-dev.
#
#   bench/fuzz_mime.sh                 # 60 s
#   FUZZ_SECONDS=600 bench/fuzz_mime.sh
#   FUZZ_JOBS=2 bench/fuzz_mime.sh     # parallel workers (libFuzzer -fork)
#
# Output: build-fuzz/ (binary, working corpus, crash-* files). Prints the executions
# and the number of crashes; exits 1 when a crash was found.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${FUZZ_OUT:-$root/build-fuzz}"
secs="${FUZZ_SECONDS:-60}"
jobs="${FUZZ_JOBS:-1}"
cxx="${CXX_FUZZ:-clang++-14}"
mkdir -p "$out/corpus" "$out/artifacts"

bin="$out/fuzz_mime"
srcs=("$root/bench/fuzz_mime.cpp" "$root/server/mail/parse.cpp" "$root/server/mail/html_text.cpp"
      "$root/server/mail/reply_strip.cpp" "$root/server/mail/reply_patterns.cpp")
stale=0
[ -x "$bin" ] || stale=1
for s in "${srcs[@]}" "$root"/server/mail/parse.h "$root"/server/mail/html_text.h "$root"/server/mail/reply_strip.h "$root"/server/mail/reply_patterns.h; do
  [ "$s" -nt "$bin" ] 2>/dev/null && stale=1
done
if [ "$stale" = 1 ]; then
  echo "building $bin"
  # shellcheck disable=SC2046
  "$cxx" -std=c++20 -O1 -g -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I"$root" $(pkg-config --cflags gmime-3.0) "${srcs[@]}" \
    $(pkg-config --libs gmime-3.0) -o "$bin"
fi

# Seeds: the corpus messages (copied so that libFuzzer's additions stay out of git).
cp -n "$root"/tests/mail_corpus/*.eml "$out/corpus/" 2>/dev/null || true

log="$out/fuzz.log"
rm -f "$out"/artifacts/crash-* "$out"/artifacts/leak-* "$out"/artifacts/timeout-* "$out"/artifacts/oom-*
set +e
# GLib keeps global caches (charset converters, quarks): leaks are not findings here.
ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
  "$bin" "$out/corpus" -max_total_time="$secs" -max_len=262144 -timeout=10 -rss_limit_mb=4096 \
  -artifact_prefix="$out/artifacts/" -print_final_stats=1 \
  $([ "$jobs" -gt 1 ] && echo "-fork=$jobs -ignore_crashes=1") >"$log" 2>&1
rc=$?
set -e
execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
[ -n "$execs" ] || execs=$(grep -Eo '#[0-9]+' "$log" | tail -1 | tr -d '#')
crashes=$(find "$out/artifacts" -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' | wc -l)
echo "fuzz_mime: ${secs}s, executions: ${execs:-?}, crashes: $crashes (libFuzzer exit $rc)"
echo "log: $log"
if [ "$crashes" -gt 0 ]; then
  find "$out/artifacts" -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*'
  grep -m1 -A25 'ERROR: \|runtime error' "$log" || true
  exit 1
fi
[ "$rc" = 0 ] || { tail -20 "$log"; exit "$rc"; }
