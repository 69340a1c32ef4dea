#!/usr/bin/env bash
# Prints the size of every shipped file in dist/, raw, gzip -9 and brotli -q 11. A figure, not a test.
set -euo pipefail
dist=${1:-dist}
printf '%-48s %10s %10s %10s\n' file raw gzip brotli
total_raw=0; total_gz=0; total_br=0
while IFS= read -r file; do
  raw=$(stat -c %s "$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  br=$(brotli -q 11 -c "$file" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz)); total_br=$((total_br + br))
  printf '%-48s %10d %10d %10d\n' "${file#"$dist"/}" "$raw" "$gz" "$br"
done < <(find "$dist" -type f | sort)
printf '%-48s %10d %10d %10d\n' TOTAL "$total_raw" "$total_gz" "$total_br"
