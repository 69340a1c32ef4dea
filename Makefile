# The two commands of README.md: `make serve` and `make test`. Everything else is a step of theirs.
.PHONY: serve build dist test check fuzz bench setup setup-test sizes clean

PORT ?= 8080

## Build the release site offline and serve it on http://127.0.0.1:$(PORT)/
serve: build
	node scripts/static-server.mjs dist $(PORT) /

## Build the static site into dist/ (offline)
build:
	scripts/build-release.sh

dist: build

## Install test tools if missing, then run every test (what CI runs)
test: setup-test
	scripts/test-all.sh

## Fast loop while developing: format, lint and the native tests (no browser, no release build)
check:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cargo test --workspace --locked --lib --bins --tests

## Benchmarks (figures only, never part of make test's pass/fail): native validation, sizes, and
## real keystrokes traced in Chromium on IXN and a generated 1,500-parameter chart
bench: setup-test
	scripts/bench.sh

## Fuzz every target of fuzz/ for FUZZ_SECONDS each (libFuzzer; new coverage merged into
## fuzz/corpus), then replay the corpus through PyYAML and bash -n
FUZZ_SECONDS ?= 300
fuzz: setup-test
	fuzz/run.sh $(FUZZ_SECONDS) --merge
	cargo test --manifest-path fuzz/Cargo.toml --release --locked

setup:
	scripts/setup-build-tools.sh

setup-test:
	scripts/setup-test-tools.sh

sizes:
	scripts/size-report.sh dist

clean:
	rm -rf dist target test-output
