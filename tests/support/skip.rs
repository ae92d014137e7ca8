//! Saying that tests were skipped where the person running them sees it.
#![allow(dead_code, reason = "each test crate uses the part it needs")]

use std::collections::HashSet;
use std::io::Write;
use std::sync::Mutex;

/// Says `why` some tests did not run, once per test binary and reason. It goes to
/// the terminal's standard error directly: `cargo test` captures what tests
/// print and shows it only when a test fails, and a skip is not a failure.
pub fn skipped(why: &str) {
    static SAID: Mutex<Option<HashSet<String>>> = Mutex::new(None);
    let mut said = SAID.lock().unwrap_or_else(|p| p.into_inner());
    if said.get_or_insert_with(HashSet::new).insert(why.to_owned()) {
        let _ = writeln!(std::io::stderr(), "skipped: {why}");
    }
}
