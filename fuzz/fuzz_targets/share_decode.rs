//! libFuzzer entry for the `share_decode` target; the target and its oracles are `pecfg_fuzz::run`'s.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    pecfg_fuzz::run("share_decode", data);
});
