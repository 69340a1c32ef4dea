#!/usr/bin/env bash
# Runs every check and test of the project, in order of speed: format, lint, native tests,
# component tests in Chromium and Firefox ESR, release build, end-to-end tests in Chromium and
# Firefox ESR, then the size report.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PWD/.tools/bin:$HOME/.cargo/bin:$PATH"
# Conformance tests fail, rather than skip, when helm, kubectl or PyYAML are missing.
export PECFG_REQUIRE_TOOLS=1
# Each step says when it starts (seconds since the run began), so slow layers show in the log.
step() { printf '\n==> %s [+%ds]\n' "$*" "$SECONDS"; }
# Every runner's output is also kept here, to print one closing count at the end.
log=$(mktemp)
trap 'rm -f "$log"' EXIT

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (native workspace, and the app and its lazy tools module for wasm32)"
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy -p pe-configurator -p pecfg-tools --target wasm32-unknown-unknown --all-targets --locked -- -D warnings

step "native tests of the core and the CLI"
cargo test --workspace --locked --lib --bins --tests 2>&1 | tee -a "$log"

# fuzz/ is its own cargo workspace: a few seconds of libFuzzer per target, then the saved corpus
# through every oracle and through PyYAML and bash -n (`make fuzz` runs minutes per target).
step "fuzz smoke (libFuzzer, 3 s per target) and the corpus replay"
fuzz/run.sh 3
cargo test --manifest-path fuzz/Cargo.toml --release --locked 2>&1 | tee -a "$log"

# wasm-bindgen-test-runner picks the browser from the first driver variable it finds (GECKODRIVER
# before CHROMEDRIVER), so each run unsets the other; webdriver.json holds both browsers' options.
step "component tests in headless Chromium (wasm-bindgen-test)"
env -u GECKODRIVER CHROMEDRIVER=/usr/bin/chromedriver \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p pe-configurator -p pecfg-tools --target wasm32-unknown-unknown --locked --tests 2>&1 | tee -a "$log"

step "component tests in headless Firefox ESR (wasm-bindgen-test, geckodriver)"
env -u CHROMEDRIVER GECKODRIVER="$(command -v geckodriver)" \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p pe-configurator -p pecfg-tools --target wasm32-unknown-unknown --locked --tests 2>&1 | tee -a "$log"

step "release build"
scripts/build-release.sh

step "end-to-end tests in Chromium (playwright-core)"
node --test --test-reporter=spec tests/e2e/ 2>&1 | tee -a "$log"

step "end-to-end tests in Firefox ESR (puppeteer-core over WebDriver BiDi)"
node --test --test-reporter=spec tests/e2e-firefox/ 2>&1 | tee -a "$log"

# Benchmarks are `make bench` (scripts/bench.sh): they print figures, never fail a run, and would
# only slow this one down. The shipped sizes are a cheap figure worth seeing on every run.
step "shipped sizes"
scripts/size-report.sh dist

# One closing line over all runners (cargo's and node's counts); `set -o pipefail` has already
# stopped the run on any failure above.
passed=$(grep -Eo 'test result: ok\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}')
node_passed=$(grep -Eo '^ℹ pass [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')
printf '\ntests: %d passed, 0 failed\n' "$((passed + node_passed))"
