//! Signatures made by code that is not msgcore's: `scripts/sign_webhook.py`
//! (Twilio's own Python library, Python's hmac, the `cryptography` package).
//! Outside CI a missing Python package skips the calling test; under
//! `CI=true` it fails it, because `.ci/run` installs them.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

// The including test crate has `databases` (support/databases.rs), which owns
// the one copy of `skip`.
use super::databases::skip;

/// Runs `scripts/sign_webhook.py`; `None` (after saying so) when Python or its
/// packages are missing outside CI.
pub fn sign(request: Value) -> Option<Vec<String>> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/sign_webhook.py");
    let child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let output = child.and_then(|mut child| {
        child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(request.to_string().as_bytes())?;
        child.wait_with_output()
    });
    match output {
        Ok(output) if output.status.success() => Some(
            String::from_utf8(output.stdout)
                .expect("the signer prints text")
                .lines()
                .map(str::to_owned)
                .collect(),
        ),
        other => {
            let why = match other {
                Ok(output) => String::from_utf8_lossy(&output.stderr).into_owned(),
                Err(error) => error.to_string(),
            };
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "the independent signer failed under CI: {why}"
            );
            let last_line = why.trim().lines().last().unwrap_or_default();
            skip::skipped(&format!(
                "tests that check signatures against other implementations; pip install twilio cryptography to run them ({last_line})"
            ));
            None
        }
    }
}
