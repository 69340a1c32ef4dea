//! Link settings of the browser app's wasm: the size of its stack.
//!
//! Why: Rust gives a wasm32 binary a 1 MiB stack at the bottom of linear memory, and the page
//! holds that whole megabyte from the start, over a fifth of its memory after load. The deepest
//! input the boundary accepts (values nested 120 levels) uses at most about 90 KiB of it, through
//! an environment file and its plan; the other entry points, every export and sealing, about
//! 40 KiB (`tests/e2e/stack.test.mjs` paints the stack and fails when a page uses more than a
//! quarter of it). An overflow kills the page, so the margin is generous. The stack stays first
//! (`--stack-first`, Rust's default for wasm), so an overflow traps at an address below zero
//! instead of overwriting data.

/// 512 KiB: over five times the deepest use measured.
const WASM_STACK_BYTES: u32 = 512 * 1024;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        // Binaries only: the wasm test runner's binaries keep the default.
        println!("cargo:rustc-link-arg-bins=-zstack-size={WASM_STACK_BYTES}");
    }
}
