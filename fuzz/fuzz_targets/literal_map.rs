#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| promptopt_fuzz::literal_map(data));
