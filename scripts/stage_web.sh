#!/usr/bin/env bash
# Stages the web client: content-hashed js/wasm/fonts (long-cacheable), index.html
# from shell.html with the asset manifest, and .gz beside each file for the server.
# usage: stage_web.sh BUILD_DIR DIST_DIR SHELL_HTML
set -euo pipefail
build=$1 dist=$2 shell=$3
fonts_json=$(cd "$(dirname "$0")/.." && pwd)/assets/fonts.json
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

# Fonts: the Debian font files and what each is cut to come from assets/fonts.json.
# For each font a spec file (its code points, with the source and the pyftsubset options
# as comments) is rewritten only when its content changes; the subset is rebuilt when
# the spec, the source font or this script is newer than it.
mkdir -p "$build/fonts"
plan=$(/usr/bin/python3 - "$fonts_json" "$build/fonts" <<'PY'
import json, os, re, sys
manifest, specs = sys.argv[1], sys.argv[2]
m = json.load(open(manifest, encoding='utf-8'))

def fail(msg):
    sys.exit('stage_web: %s: %s' % (manifest, msg))

def parse_range(r):  # "U+0020-017F" or "U+FFFD" -> (first, last)
    g = re.fullmatch(r'U\+([0-9A-Fa-f]{4,6})(?:-([0-9A-Fa-f]{4,6}))?', r)
    if not g:
        fail('bad range %r (expected U+XXXX or U+XXXX-YYYY)' % r)
    a = int(g.group(1), 16)
    b = int(g.group(2), 16) if g.group(2) else a
    if b < a or b > 0x10FFFF:
        fail('bad range %r' % r)
    return a, b

def fmt(a, b):
    return 'U+%04X' % a if a == b else 'U+%04X-%04X' % (a, b)

def table(encoding, first_row, last_row):  # the characters of rows of a 94x94 EUC code table
    out = set()
    for row in range(first_row, last_row + 1):
        for cell in range(1, 95):
            try:
                out.add(ord(bytes([0xA0 + row, 0xA0 + cell]).decode(encoding)))
            except UnicodeDecodeError:
                pass
    return out

def code_points(name):  # the lines of a spec file: U+ ranges or single code points
    c = m['coverage'].get(name)
    if c is None:
        fail('unknown coverage %r' % name)
    if 'ranges' in c:
        return [fmt(*parse_range(r['range'])) for r in c['ranges']]
    if 'chars' in c:
        return [fmt(*parse_range(s['char'])) for s in c['chars']]
    chars = set()  # code tables and blocks (the code tables come with Python's codecs)
    for t in c['tables']:
        got = table(t['encoding'], *t['rows'])
        if len(got) != t['count']:
            fail('%s rows %s: %d characters, not %d' % (t['encoding'], t['rows'], len(got), t['count']))
        chars |= got
    for b in c['blocks']:
        a, z = parse_range(b['range'])
        chars.update(range(a, z + 1))
    return ['U+%04X' % x for x in sorted(chars)]

for f in m['fonts']:
    if f['load'] not in ('first', 'lazy'):
        fail('%s: load must be "first" or "lazy"' % f['asset'])
    opts = ['--layout-features=' + ','.join(f['layout_features']), '--no-hinting']
    if f['desubroutinize']:
        opts.append('--desubroutinize')
    spec = os.path.join(specs, os.path.splitext(f['asset'])[0] + '.unicodes')
    text = '# %s from %s (%s)\n# options: %s\n' % (f['asset'], f['source'], f['package'], ' '.join(opts))
    text += '\n'.join(code_points(f['coverage'])) + '\n'
    if not os.path.exists(spec) or open(spec, encoding='utf-8').read() != text:
        with open(spec, 'w', encoding='utf-8') as out:
            out.write(text)
    print('\t'.join([f['asset'], f['source'], f['package'], f['load'], spec, ' '.join(opts)]))
PY
)
lazy_assets=()
while IFS=$'\t' read -r asset source package load spec opts; do
  [ -f "$source" ] || { echo "stage_web: $source missing (Debian package $package): run scripts/setup.sh" >&2; exit 1; }
  out="$build/${asset%.*}.subset.ttf"
  if [ ! -f "$out" ] || [ "$source" -nt "$out" ] || [ "$spec" -nt "$out" ] || [ "$0" -nt "$out" ]; then
    read -ra opt <<< "$opts"
    pyftsubset "$source" --unicodes-file="$spec" "${opt[@]}" --output-file="$out"
  fi
  hashed "$out" "$asset"
  if [ "$load" = lazy ]; then lazy_assets+=("$asset"); fi
done <<< "$plan"

manifest="{"
for k in "${!url[@]}"; do manifest+="\"$k\":\"${url[$k]}\","; done
manifest="${manifest%,}}"
wasm_size=$(stat -c %s "$build/parley.wasm")
sed -e "s|{{ASSETS}}|$manifest|" -e "s|{{WASM_SIZE}}|$wasm_size|" "$shell" > "$dist.tmp/index.html"
find "$dist.tmp" -type f ! -name '*.gz' -exec gzip -9 -k -n {} \;
rm -rf "$dist" && mv "$dist.tmp" "$dist"
# What the page fetches before it shows anything, and what it fetches only on demand.
first=0 lazy=0
for f in "$dist"/*.gz "$dist"/assets/*.gz; do
  n=$(stat -c %s "$f") on_demand=0
  for a in "${lazy_assets[@]}"; do [[ ${f##*/} == "${a%.*}".* ]] && on_demand=1; done
  if [ $on_demand = 1 ]; then lazy=$((lazy + n)); else first=$((first + n)); fi
done
echo "stage_web: first load ${first} bytes gzipped, lazy fonts ${lazy} bytes gzipped (${lazy_assets[*]}), in $dist"
