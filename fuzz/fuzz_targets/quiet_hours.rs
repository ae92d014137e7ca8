#![no_main]

#[path = "../checks/quiet_hours.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::check(data));
