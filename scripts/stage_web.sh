#!/usr/bin/env bash
# Stages the web client: content-hashed js/wasm/fonts (long-cacheable), index.html
# from shell.html with the asset manifest, and .gz beside each file for the server.
# usage: stage_web.sh BUILD_DIR DIST_DIR SHELL_HTML
set -euo pipefail
build=$1 dist=$2 shell=$3
rm -rf "$dist.tmp" && mkdir -p "$dist.tmp/assets"
declare -A url
hashed() {  # src, name-in-manifest
  local src=$1 name=$2 h base ext
  h=$(sha256sum "$src" | cut -c1-12)
  base=${name%.*} ext=${name##*.}
  cp "$src" "$dist.tmp/assets/$base.$h.$ext"
  url[$name]="/assets/$base.$h.$ext"
}
hashed "$build/parley.js" parley.js
hashed "$build/parley.wasm" parley.wasm
# Fonts: Noto Sans from Debian, subset to the scripts of the first load
# (Latin, Greek, Cyrillic, punctuation, currency). CJK comes later, lazily.
fonts=/usr/share/fonts/truetype/noto
unicodes="U+0020-017F,U+0370-03FF,U+0400-052F,U+2000-206F,U+20A0-20CF,U+2100-214F,U+2190-21FF"
for f in NotoSans-Regular NotoSans-Bold; do
  out="$build/$f.subset.ttf"
  if [ ! -f "$out" ] || [ "$fonts/$f.ttf" -nt "$out" ]; then
    pyftsubset "$fonts/$f.ttf" --unicodes="$unicodes" --layout-features='kern,liga' \
      --no-hinting --desubroutinize --output-file="$out"
  fi
  hashed "$out" "$f.ttf"
done
manifest="{"
for k in "${!url[@]}"; do manifest+="\"$k\":\"${url[$k]}\","; done
manifest="${manifest%,}}"
wasm_size=$(stat -c %s "$build/parley.wasm")
sed -e "s|{{ASSETS}}|$manifest|" -e "s|{{WASM_SIZE}}|$wasm_size|" "$shell" > "$dist.tmp/index.html"
find "$dist.tmp" -type f ! -name '*.gz' -exec gzip -9 -k -n {} \;
rm -rf "$dist" && mv "$dist.tmp" "$dist"
echo "stage_web: $(du -cb "$dist"/*.gz "$dist"/assets/*.gz | tail -1 | cut -f1) bytes gzipped in $dist"
