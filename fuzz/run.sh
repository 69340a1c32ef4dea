#!/usr/bin/env bash
# Runs the fuzz targets of pecfg-core with libFuzzer (cargo fuzz, stable rustc: `-s none`), each
# for a fixed time, and prints the executions of each. `make fuzz` runs it for minutes per target,
# `make test` for seconds (the smoke). New inputs go to a scratch folder, so the committed corpus
# only changes through `--merge`: libFuzzer's -merge=1 keeps the inputs that add coverage, then
# the smallest of them are kept up to CORPUS_KB per target (default 40), so the committed corpus
# stays a few hundred KB; inputs named `regression-*` (the findings, fixed) are always kept.
#
#   fuzz/run.sh SECONDS [--merge] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH"
seconds=${1:?seconds per target}
shift
merge=0
if [ "${1:-}" = "--merge" ]; then
  merge=1
  shift
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(import_values import_answers import_secrets edit_yaml share_decode set_values export_answers environment group protocol)
fi
# `-s none`: no sanitizer, so no nightly flag; coverage comes from -Cpasses=sancov-module, which
# stable rustc accepts. Debug assertions stay on (cargo fuzz's default).
cargo fuzz build -s none >/dev/null
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=()
printf '%-16s %12s %8s %8s %s\n' target executions seconds exec/s result
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "$scratch/$target"
  log="$scratch/$target.log"
  status=0
  cargo fuzz run -s none "$target" "$scratch/$target" "corpus/$target" -- \
    -max_total_time="$seconds" -dict=yaml.dict -print_final_stats=1 -max_len=8192 \
    -timeout=10 -rss_limit_mb=4096 >"$log" 2>&1 || status=$?
  # A crash ends the run before its closing figures: then the last progress line has the count.
  runs=$(grep -Eo 'stat::number_of_executed_units: [0-9]+' "$log" | awk '{print $2}' | tail -1 || true)
  [ -n "$runs" ] || runs=$(grep -Eo '^#[0-9]+' "$log" | tr -d '#' | tail -1 || true)
  took=$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | awk '{print $5}' | tail -1 || true)
  runs=${runs:-0}
  took=${took:-$seconds}
  if [ "$status" -eq 0 ]; then
    result=ok
  else
    result="FAILED (fuzz/artifacts/$target/)"
    failed+=("$target")
    grep -E -A3 'panicked|ERROR: libFuzzer' "$log" | head -20 >&2 || true
  fi
  printf '%-16s %12s %8s %8s %s\n' "$target" "$runs" "$took" "$((runs / (took > 0 ? took : 1)))" "$result"
  if [ "$merge" -eq 1 ] && [ "$status" -eq 0 ]; then
    mkdir -p "$scratch/merged-$target"
    cargo fuzz run -s none "$target" "$scratch/merged-$target" "corpus/$target" "$scratch/$target" -- \
      -merge=1 -max_len=8192 >/dev/null 2>&1
    kept="$scratch/kept-$target"
    mkdir -p "$kept"
    cp corpus/"$target"/regression-* "$kept"/ 2>/dev/null || true
    budget=$(( ${CORPUS_KB:-40} * 1024 ))
    # Smallest first, up to the budget.
    while IFS= read -r file; do
      size=$(stat -c %s "$file")
      [ "$size" -le "$budget" ] || break
      budget=$((budget - size))
      cp "$file" "$kept"/
    done < <(find "$scratch/merged-$target" -type f -printf '%s %p\n' | sort -n | cut -d' ' -f2-)
    rm -rf "corpus/$target"
    mv "$kept" "corpus/$target"
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  printf 'fuzz: %d of %d targets failed: %s\n' "${#failed[@]}" "${#targets[@]}" "${failed[*]}"
  exit 1
fi
printf 'fuzz: %d targets, 0 failures\n' "${#targets[@]}"
