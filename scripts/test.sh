#!/usr/bin/env bash
# Installs what is missing, builds everything, and runs every test: Catch2 unit tests
# (ctest), HTTP tests against the real server, both again on a throwaway PostgreSQL cluster
# (every test above the storage seam, each database a schema or a database of its own on
# it; two instances behind nginx), browser tests in headless Chromium at desktop and phone
# sizes. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh || { echo "build failed"; echo "tests: 0 passed, 1 failed"; exit 1; }
(cd tests/browser && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --silent; })
logs=$(mktemp -d)
status=0 pg_failed=0
# The store tests run on PostgreSQL too, on a throwaway cluster stopped whatever happens.
pgdir=$(mktemp -u "${TMPDIR:-/tmp}/parley-test-pg.XXXXXX")
trap 'bash tests/pg/cluster.sh stop "$pgdir"' EXIT
trap 'exit 130' INT; trap 'exit 143' TERM  # Ctrl+C, kill: through the EXIT trap too
echo "== throwaway PostgreSQL cluster (tests/pg/cluster.sh)"
if PARLEY_TEST_PG_URL=$(bash tests/pg/cluster.sh start "$pgdir"); then
  export PARLEY_TEST_PG_URL
  echo "PARLEY_TEST_PG_URL=$PARLEY_TEST_PG_URL"
else
  echo "the PostgreSQL cluster did not start: the PostgreSQL store tests cannot run"; pg_failed=1; status=1
fi
echo "== unit tests (Catch2 via ctest; store tests on SQLite and PostgreSQL)"
ctest --test-dir build --output-on-failure -j "$(nproc)" 2>&1 | tee "$logs/unit.log" || status=1
if [ -n "${PARLEY_TEST_PG_URL:-}" ]; then
  # Every test above the storage seam again, each database a schema on that cluster.
  echo "== unit tests on PostgreSQL (PARLEY_TEST_STORE_URL: the whole suite above the seam)"
  PARLEY_TEST_STORE_URL=$PARLEY_TEST_PG_URL ctest --test-dir build --output-on-failure -j "$(nproc)" 2>&1 |
    tee "$logs/unit-pg.log" || status=1
fi
echo "== HTTP tests (real server on 127.0.0.1, SQLite)"
node --test --test-reporter=spec --test-concurrency=1 tests/http/ 2>&1 | tee "$logs/http.log" || status=1
if [ -n "${PARLEY_TEST_PG_URL:-}" ]; then
  # Each test server on a database of its own on the cluster; two instances behind nginx
  # in tests/http/cluster.test.mjs.
  echo "== HTTP tests on PostgreSQL"
  PARLEY_TEST_DATABASE_URL=$PARLEY_TEST_PG_URL node --test --test-reporter=spec --test-concurrency=1 tests/http/ 2>&1 |
    tee "$logs/http-pg.log" || status=1
fi
bash tests/pg/cluster.sh stop "$pgdir"
unset PARLEY_TEST_PG_URL
echo "== browser tests (headless Chromium, 1280x800 and 390x844 touch)"
(cd tests/browser && node --test --test-reporter=spec --test-concurrency=1 .) 2>&1 | tee "$logs/browser.log" || status=1

passed=0 failed=0
for l in unit unit-pg; do
  [ "$l" = unit-pg ] && [ ! -f "$logs/$l.log" ] && continue  # no cluster: counted in pg_failed
  if m=$(grep -Eo '[0-9]+ tests failed out of [0-9]+' "$logs/$l.log" | tail -1); then
    f=$(echo "$m" | awk '{print $1}'); t=$(echo "$m" | awk '{print $6}')
    passed=$((passed + t - f)); failed=$((failed + f))
  else failed=$((failed + 1)); fi
done
for l in http http-pg browser; do
  [ "$l" = http-pg ] && [ ! -f "$logs/$l.log" ] && continue  # no cluster: counted in pg_failed
  p=$(grep -Eo '^ℹ pass [0-9]+' "$logs/$l.log" | awk '{print $3}' | tail -1)
  f=$(grep -Eo '^ℹ fail [0-9]+' "$logs/$l.log" | awk '{print $3}' | tail -1)
  if [ -z "$p" ]; then failed=$((failed + 1)); status=1; continue; fi
  passed=$((passed + p)); failed=$((failed + ${f:-0}))
done
failed=$((failed + pg_failed))
[ "$failed" -gt 0 ] && status=1
echo
echo "tests: $passed passed, $failed failed"
exit $status
