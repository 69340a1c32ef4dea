#!/usr/bin/env bash
# `make bench`: every benchmark figure, printed, never a pass/fail. The native validation benchmark,
# the unit-group plan benchmark (core/examples/bench_group.rs), the shipped sizes, start-up, the
# first load and the lazy modules' first use (scripts/bench-first-load.mjs), then real keystrokes in
# Chromium (scripts/bench-keystrokes.mjs) on the shipped build (also with a generated 50-unit group
# open in the Unit group view) and on a bench-only build that adds the generated 1,500-parameter
# chart, and last, issue 26's targets next to this run's figures (scripts/bench-targets.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
step() { printf '\n==> %s [+%ds]\n' "$*" "$SECONDS"; }

mkdir -p target/bench
step "native validation benchmark (release profile, opt-level 3)"
cargo run -q --release --locked -p pecfg-core --example bench_validate

# ---------------------------------------------------------------------------------------------
# Unit groups: the plan of N units x 3 tenants x 5 charts for N = 1, 20, 200 (time and bytes,
# per unit, and the ratios between sizes; linear growth keeps the per-unit figures flat).
step "native unit-group plan benchmark (release profile): 1, 20 and 200 units"
cargo run -q --release --locked -p pecfg-core --example bench_group -- 1 20 200
# The page with a 50-unit group open: the keystroke step below opens this file in the Unit group
# view, then types into IXN's form as it does without it.
mkdir -p target/bench
cargo run -q --release --locked -p pecfg-core --example bench_group -- --write target/bench/group50.yaml 50
# ---------------------------------------------------------------------------------------------

step "the shipped site (dist/)"
scripts/build-release.sh
scripts/size-report.sh dist

step "start-up in Chromium: where navigation → interactive goes, and the code compiled on the way (the shipped build)"
node scripts/bench-startup.mjs

step "first load and lazy modules in Chromium: bytes before interactive by file, each lazy module, its first use cold, memory (the shipped build; ${PECFG_BENCH_LOAD_RUNS:-7} fresh contexts)"
PECFG_BENCH_LOAD_JSON=target/bench/first-load.json node scripts/bench-first-load.mjs

step "the bench build: the shipped app plus a generated chart ten times IXN (target/bench/, never shipped)"
cargo run -q --release --locked -p pecfg-core --example gen_bench_chart -- target/bench/bench1500.yaml
# The release build's wasm32 flags, so cargo reuses what it can of that build.
source scripts/wasm-release-env.sh
PECFG_BENCH_CHART="$PWD/target/bench/bench1500.yaml" \
  trunk build --release --offline --features bench-chart --dist target/bench/dist-bench1500
node scripts/postbuild.mjs target/bench/dist-bench1500

step "keystrokes in Chromium, traced (medians of ${PECFG_BENCH_RUNS:-3} runs; the machine may be shared, so read the bare page next to the app)"
PECFG_BENCH_JSON=${PECFG_BENCH_JSON:-target/bench/keystrokes.json} PECFG_BENCH_DIST=target/bench/dist-bench1500 \
  node scripts/bench-keystrokes.mjs

step "issue 26's targets"
node scripts/bench-targets.mjs target/bench/first-load.json "${PECFG_BENCH_JSON:-target/bench/keystrokes.json}"
