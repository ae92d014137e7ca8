#![no_main]

#[path = "../checks/webhook_secret.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::check(data));
