# Sourced (not run) by build-release.sh and bench.sh before trunk's release build: rustflags for
# the wasm32 builds that depend on this machine (CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS;
# cargo appends it to any wasm32 rustflags of a .cargo/config.toml, and a RUSTFLAGS variable would
# replace both, so it must not be set).
#
# A panic message in the wasm names its source file, and rustc writes that path as it found it:
# /root/.cargo/registry/src/index.crates.io-…/tachys-0.2.19/src/… for every crate from the
# registry, which put the builder's home folder in the shipped files (111 paths in the app's wasm,
# 21 in the tools module's). Each is now written relative (`tachys-0.2.19/src/…`, as cargo's
# unstable trim-paths would), as are git dependencies and the workspace (cargo already passes
# workspace paths relative; this keeps it so). std's paths are /rustc/<commit>/library/… in the
# precompiled std, the same on every machine, and a remap does not reach them: they stay.
# Panic messages name the same files; only the prefix is gone, and the bytes no longer depend on
# where the registry or the checkout is.
if [[ -n ${RUSTFLAGS:-} ]]; then
  echo "wasm-release-env.sh: RUSTFLAGS is set, which would replace the wasm32 rustflags below; unset it" >&2
  return 1
fi
wasm_remap=()
cargo_home=${CARGO_HOME:-$HOME/.cargo}
for source in "$cargo_home"/registry/src/*/ "$cargo_home"/git/checkouts/; do
  [[ -d $source ]] && wasm_remap+=("--remap-path-prefix=$source=")
done
wasm_remap+=("--remap-path-prefix=$PWD/=")
# Idempotent: sourced twice (bench.sh, then build-release.sh under it), the flags stay the same, so
# cargo sees the same flags and rebuilds nothing.
for flag in "${wasm_remap[@]}"; do
  [[ " ${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:-} " == *" $flag "* ]] ||
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:+$CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS }$flag"
done
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS
unset wasm_remap cargo_home source flag
