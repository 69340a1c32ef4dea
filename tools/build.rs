//! Link settings of the tools module's wasm: the same 512 KiB stack as the app's (the root
//! package's build.rs says why). The module gets its own linear memory, held from its first use
//! until the page closes, and the capabilities moving here (import, Edit YAML, the environment
//! plan) take the deepest inputs, so it gets the same margin as the app.

const WASM_STACK_BYTES: u32 = 512 * 1024;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bins=-zstack-size={WASM_STACK_BYTES}");
    }
}
