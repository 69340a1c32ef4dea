//! libFuzzer entry for the `protocol` target; the target and its oracles are `pecfg_fuzz::run`'s.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    pecfg_fuzz::run("protocol", data);
});
