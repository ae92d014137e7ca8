#![no_main]

#[path = "../checks/twilio_voice.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::check(data));
