#![no_main]

#[path = "../checks/provider_answers.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::check(data));
