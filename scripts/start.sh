#!/usr/bin/env bash
# Quick start: install, build, and run Parley on http://127.0.0.1:8080 with an
# embedded SQLite database (data/parley.db) seeded with demo data. Prints the
# demo users' sign-in links. PORT=... to use another port.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
echo
echo "Parley on http://127.0.0.1:${PORT:-8080}  (Ctrl+C to stop). Sign in with a link below:"
exec build/server/parley-server --host 127.0.0.1 --port "${PORT:-8080}" --data-dir data \
  --web-root build-web/dist --demo
