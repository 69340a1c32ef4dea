#!/usr/bin/env bash
# Builds the static site into dist/ offline: trunk release build (wasm-opt -Oz and index.html's
# flags; the wasm32 rustflags of scripts/wasm-release-env.sh), then postbuild (glue minified, lazy
# modules versioned, the CSP hash).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
scripts/setup-build-tools.sh
source scripts/wasm-release-env.sh
trunk build --release --offline
node scripts/postbuild.mjs dist
# The offline bundle: one self-contained HTML file and a zip of dist/.
node scripts/build-single-file.mjs dist dist-offline
