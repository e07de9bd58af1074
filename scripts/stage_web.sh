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
# Keep in sync with kBaseRanges in app/fonts.cpp (U+FFFD shows invalid UTF-8).
unicodes="U+0020-017F,U+0370-03FF,U+0400-052F,U+2000-206F,U+20A0-20CF,U+2100-214F,U+2190-21FF,U+FFFD"
for f in NotoSans-Regular NotoSans-Bold; do
  out="$build/$f.subset.ttf"
  if [ ! -f "$out" ] || [ "$fonts/$f.ttf" -nt "$out" ] || [ "$0" -nt "$out" ]; then  # script = ranges changed
    pyftsubset "$fonts/$f.ttf" --unicodes="$unicodes" --layout-features='kern,liga' \
      --no-hinting --desubroutinize --output-file="$out"
  fi
  hashed "$out" "$f.ttf"
done
# Symbols Noto Sans lacks (read marks ✓, rating ★, event icons), from NotoSansSymbols2
# (fonts-noto-core): a few KB in the first load. Keep in sync with kSymbolChars in app/fonts.cpp.
symbols="U+25CF,U+25CB,U+2605,U+2606,U+260E,U+2709,U+270E,U+2713,U+2714,U+2715,U+2717,U+271A,U+2794,U+279C,U+2BA1"
sym_out="$build/NotoSansSymbols2.subset.ttf"
if [ ! -f "$sym_out" ] || [ "$fonts/NotoSansSymbols2-Regular.ttf" -nt "$sym_out" ] || [ "$0" -nt "$sym_out" ]; then
  pyftsubset "$fonts/NotoSansSymbols2-Regular.ttf" --unicodes="$symbols" --layout-features='' \
    --no-hinting --desubroutinize --output-file="$sym_out"
fi
hashed "$sym_out" NotoSansSymbols2.ttf
# CJK, fetched by the client only when CJK text is on screen: Droid Sans Fallback
# (fonts-droid-fallback; same design family as Noto Sans) cut to the common
# ideographs of Chinese and Japanese — GB 2312 level 1 (3755 hanzi) and JIS X 0208
# level 1 (2965 kanji), 5009 together — plus kana, CJK punctuation and fullwidth
# forms: ~800 KB, ~440 KB gzipped instead of 4 MB. Keep is_cjk() in app/fonts.cpp
# in step with these blocks.
cjk_src=/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf
cjk_out="$build/DroidSansFallback.subset.ttf"
if [ ! -f "$cjk_out" ] || [ "$cjk_src" -nt "$cjk_out" ] || [ "$0" -nt "$cjk_out" ]; then
  # The code tables come with Python's codecs: no character list to keep in the repo.
  /usr/bin/python3 - "$build/cjk-unicodes.txt" <<'PY'
import sys
chars = set()
def table(codec, rows):
    for hi in rows:
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([hi, lo]).decode(codec)))
            except UnicodeDecodeError:
                pass
table('gb2312', range(0xB0, 0xD8))   # GB 2312 level 1 hanzi (rows 16-55)
table('euc_jp', range(0xB0, 0xD0))   # JIS X 0208 level 1 kanji (rows 16-47)
blocks = [(0x2460, 0x24FF), (0x3000, 0x30FF), (0x31F0, 0x31FF), (0x3200, 0x32FF), (0xFE30, 0xFE4F),
          (0xFF00, 0xFFEF)]  # + circled numbers, enclosed CJK (㈱)
for a, b in blocks:
    chars.update(range(a, b + 1))
open(sys.argv[1], 'w').write('\n'.join('U+%04X' % c for c in sorted(chars)) + '\n')
PY
  pyftsubset "$cjk_src" --unicodes-file="$build/cjk-unicodes.txt" --layout-features='' \
    --no-hinting --output-file="$cjk_out"
fi
hashed "$cjk_out" DroidSansFallback.ttf
manifest="{"
for k in "${!url[@]}"; do manifest+="\"$k\":\"${url[$k]}\","; done
manifest="${manifest%,}}"
wasm_size=$(stat -c %s "$build/parley.wasm")
sed -e "s|{{ASSETS}}|$manifest|" -e "s|{{WASM_SIZE}}|$wasm_size|" "$shell" > "$dist.tmp/index.html"
find "$dist.tmp" -type f ! -name '*.gz' -exec gzip -9 -k -n {} \;
rm -rf "$dist" && mv "$dist.tmp" "$dist"
first=$(ls "$dist"/*.gz "$dist"/assets/*.gz | grep -v DroidSansFallback | xargs du -cb | tail -1 | cut -f1)
lazy=$(ls "$dist"/assets/DroidSansFallback*.gz 2>/dev/null | xargs -r du -cb | tail -1 | cut -f1)
echo "stage_web: first load ${first} bytes gzipped, lazy CJK font ${lazy:-0} bytes, in $dist"
