#!/usr/bin/env bash
# Installs what is missing, then builds the native parts (server, unit tests) into
# build/ and the WebAssembly client into build-web/dist. Quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build build -j "$jobs"
export NODE_PATH=/usr/share/nodejs   # Debian's emscripten finds acorn etc. there
if [ ! -f build-web/build.ninja ]; then
  emcmake cmake -S . -B build-web -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build build-web -j "$jobs"
