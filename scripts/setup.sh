#!/usr/bin/env bash
# Installs everything Parley needs on a Debian 12 machine; quick when all is there.
# Idempotent: every step checks first. Never names a mirror: it copies the URIs of
# the machine's own Debian sources for the deb-src entry that brings Dear ImGui's source.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
third="$here/third_party"

APT_PKGS=(build-essential cmake ninja-build pkg-config dpkg-dev xz-utils gzip ca-certificates
  emscripten nlohmann-json3-dev libstb-dev catch2 libsqlite3-dev sqlite3
  librestinio-dev libasio-dev libfmt-dev libhttp-parser-dev
  chromium fonts-noto-core fonts-droid-fallback fonts-symbola nginx-light wrk curl libsodium-dev fonttools
  libhpdf-dev libpoppler-cpp-dev libcurl4-openssl-dev libpng-dev libgmime-3.0-dev
  python3-aiosmtpd zlib1g-dev iproute2
  postgresql-15 libpq-dev
  apertium apertium-eng-spa apertium-fr-es apertium-spa-ita apertium-es-pt cg3 libcld2-dev)
# postgresql-15: only its binaries are used (tests/pg/cluster.sh runs a throwaway cluster
# on its own socket and port); the "main" cluster Debian may create and start does not matter.
# node/npm: keep the machine's own (nodesource's nodejs conflicts with Debian's npm).
command -v npm >/dev/null || APT_PKGS+=(nodejs npm)

need=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

src_list=/etc/apt/sources.list.d/parley-trixie-src.sources
if [ ! -f "$third/imgui-1.90.1/imgui.cpp" ] && [ ! -f "$src_list" ]; then
  # deb-src for trixie, same URIs as the machine's main Debian source (first entry).
  uris=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uris" | $SUDO tee "$src_list" >/dev/null
  updated=""
fi
if [ ${#need[@]} -gt 0 ] || [ ! -f "$third/imgui-1.90.1/imgui.cpp" ]; then
  echo "setup: apt-get update"
  $SUDO apt-get update -qq
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Dear ImGui 1.90.1 source (not in git).
if [ ! -f "$third/imgui-1.90.1/imgui.cpp" ]; then
  mkdir -p "$third/dl"
  (cd "$third/dl" && apt-get source --download-only imgui/trixie >/dev/null 2>&1 || apt-get source --download-only imgui=1.90.1+ds-1 >/dev/null)
  tarball=$(ls "$third"/dl/imgui_1.90.1*orig.tar.* | head -1)
  rm -rf "$third/imgui-1.90.1.tmp" && mkdir -p "$third/imgui-1.90.1.tmp"
  tar -xf "$tarball" -C "$third/imgui-1.90.1.tmp" --strip-components=1
  mv "$third/imgui-1.90.1.tmp" "$third/imgui-1.90.1"
  echo "setup: imgui source in $third/imgui-1.90.1"
fi

# Browser-test dependencies (pinned by package-lock.json).
if [ -f "$here/tests/browser/package-lock.json" ] && [ ! -d "$here/tests/browser/node_modules/playwright-core" ]; then
  (cd "$here/tests/browser" && npm ci --no-audit --no-fund --silent)
fi
