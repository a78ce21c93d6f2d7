//! Fuzz target manifest_roundtrip: see ../checks.rs for what it asserts.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::manifest_roundtrip(data));
