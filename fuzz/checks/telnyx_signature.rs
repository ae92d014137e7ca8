//! Telnyx signatures: nothing panics on any key, timestamp, header or body, and
//! what `WebhookSigner` signs verifies at the signing time and at the edges of
//! the tolerance, and fails one second beyond.
//!
//! Input: a 32-byte seed, then lines: a public key to try, a signature header to
//! try, the timestamp, then the raw body.

use std::ops::Add;
use std::time::Duration;

use msgcore::providers::telnyx::{WebhookSigner, WebhookVerifier};

/// Latest timestamp the law is checked at: far beyond any real webhook, well
/// inside what a `DateTime` can hold.
const LATEST: u64 = 100_000_000_000;

/// The instant `seconds` after the Unix epoch. Generic so that the fuzz crate
/// needs no direct dependency on chrono: `T` is inferred as `DateTime<Utc>`.
fn at<T: Default + Add<Duration, Output = T>>(seconds: u64) -> T {
    T::default() + Duration::from_secs(seconds)
}

/// Runs one fuzz input.
pub fn check(data: &[u8]) {
    let Some((seed, rest)) = data.split_first_chunk::<32>() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut lines = text.splitn(4, '\n');
    let key = lines.next().unwrap_or_default();
    let header = lines.next().unwrap_or_default();
    let timestamp = lines.next().unwrap_or_default();
    let body = lines.next().unwrap_or_default().as_bytes();

    if let Ok(verifier) = WebhookVerifier::new(key) {
        let _ = verifier.verify(body, Some(timestamp), Some(header), at(1_700_000_000));
    }

    let signer = WebhookSigner::from_seed(*seed);
    let verifier = WebhookVerifier::new(&signer.public_key()).expect("a signer's key is usable");
    let signature = signer.sign(timestamp, body);
    let _ = verifier.verify(body, Some(timestamp), Some(header), at(1_700_000_000));
    let Some(seconds) = timestamp
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| timestamp.parse::<u64>().ok())
        .flatten()
        .filter(|&s| (301..LATEST).contains(&s))
    else {
        return;
    };
    for now in [seconds - 300, seconds, seconds + 300] {
        assert_eq!(
            verifier.verify(body, Some(timestamp), Some(&signature), at(now)),
            Ok(())
        );
    }
    for now in [seconds - 301, seconds + 301] {
        assert!(
            verifier
                .verify(body, Some(timestamp), Some(&signature), at(now))
                .is_err()
        );
    }
}
