#![no_main]

#[path = "../checks/json_path.rs"]
mod json_path;

#[path = "../checks/condition.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::check(data));
