#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| promptopt_fuzz::extract_bytes(data));
