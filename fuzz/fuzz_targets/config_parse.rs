#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| promptopt_fuzz::config_parse(data));
