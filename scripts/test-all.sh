#!/usr/bin/env bash
# Runs every check and test of the project, in order of speed: format, lint, native tests,
# component tests in Chromium, release build, end-to-end tests in Chromium, then the size report.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PWD/.tools/bin:$HOME/.cargo/bin:$PATH"
# Conformance tests fail, rather than skip, when helm, kubectl or PyYAML are missing.
export PECFG_REQUIRE_TOOLS=1
step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (native workspace, and the app for wasm32)"
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy -p pe-configurator --target wasm32-unknown-unknown --all-targets --locked -- -D warnings

step "native tests of the core and the CLI"
cargo test --workspace --locked

step "component tests in headless Chromium (wasm-bindgen-test)"
CHROMEDRIVER=/usr/bin/chromedriver \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p pe-configurator --target wasm32-unknown-unknown --locked

step "release build"
scripts/build-release.sh

step "end-to-end tests in Chromium (playwright-core)"
node --test --test-reporter=spec tests/e2e/

step "figures (benchmarks print numbers; they never fail the run)"
scripts/size-report.sh dist
cargo run -q --release --locked -p pecfg-core --example bench_validate || echo "bench_validate did not run"
node scripts/bench-browser.mjs || echo "browser benchmark did not run"
