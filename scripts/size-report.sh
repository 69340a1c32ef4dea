#!/usr/bin/env bash
# Prints the size of every shipped file in dist/, raw, gzip -9 and brotli -q 11, then what the page
# fetches before it is interactive (the first load) apart from each lazy module (fetched the first
# time one of its capabilities is used; src/capability.rs) and the offline copy (downloaded on
# demand). A figure, not a test.
set -euo pipefail
dist=${1:-dist}
# The lazy modules' files, as postbuild.mjs names them in index.html's pecfg-modules block: "key file" lines.
lazy=$(node -e '
  const html = require("fs").readFileSync(process.argv[1], "utf8");
  const block = html.match(/<script type="application\/json" id="pecfg-modules">([^<]*)<\/script>/);
  for (const [key, files] of Object.entries(block ? JSON.parse(block[1]) : {}))
    for (const file of Object.values(files)) console.log(`${key} ${file}`);
' "$dist/index.html")
group_of() {
  local name=$1 key file
  while read -r key file; do
    [[ -n $key && $name == "$file" ]] && { echo "lazy module: $key"; return; }
  done <<<"$lazy"
  [[ $name == pe-configurator-offline.html ]] && { echo "offline copy (on demand)"; return; }
  echo "first load"
}
declare -A raw_of gz_of br_of
groups=()
printf '%-48s %10s %10s %10s\n' file raw gzip brotli
total_raw=0; total_gz=0; total_br=0
while IFS= read -r file; do
  raw=$(stat -c %s "$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  br=$(brotli -q 11 -c "$file" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz)); total_br=$((total_br + br))
  name=${file#"$dist"/}
  group=$(group_of "$name")
  [[ -v "raw_of[$group]" ]] || { groups+=("$group"); raw_of[$group]=0; gz_of[$group]=0; br_of[$group]=0; }
  raw_of[$group]=$((raw_of[$group] + raw)); gz_of[$group]=$((gz_of[$group] + gz)); br_of[$group]=$((br_of[$group] + br))
  printf '%-48s %10d %10d %10d\n' "$name" "$raw" "$gz" "$br"
done < <(find "$dist" -type f | sort)
printf '%-48s %10d %10d %10d\n' TOTAL "$total_raw" "$total_gz" "$total_br"
echo
# First load, then the lazy modules, then the rest, each as one line.
while IFS= read -r group; do
  [[ -n $group ]] || continue
  printf '%-48s %10d %10d %10d\n' "$group" "${raw_of[$group]}" "${gz_of[$group]}" "${br_of[$group]}"
done < <(printf '%s\n' "${groups[@]}" | awk '{ order = /^first load$/ ? 0 : /^lazy module/ ? 1 : 2; print order "\t" $0 }' | sort | cut -f2-)
