//! Laws of the webhook verifiers: what we sign always verifies, any one-character
//! change to what was signed makes verification fail, and the order of form
//! parameters never matters.
#![cfg(all(feature = "twilio", feature = "meta", feature = "telnyx"))]

use chrono::DateTime;
use msgcore::providers::signature::SignatureError;
use msgcore::providers::{meta, telnyx, twilio};
use proptest::prelude::*;
use proptest::sample::Index;

/// A URL in the form Twilio is configured with: lower-case scheme, a host, an
/// optional port, a path and an optional non-empty query. (A URL with an empty
/// `?` or an upper-case scheme is signed in its rebuilt form instead; the oracle
/// fixtures cover those.)
fn webhook_url() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("https"), Just("http")],
        "[a-z][a-z0-9-]{0,12}(\\.[a-z]{2,6}){1,2}",
        prop_oneof![Just(String::new()), (1u16..).prop_map(|p| format!(":{p}"))],
        "(/[A-Za-z0-9._~%-]{0,8}){0,4}",
        prop_oneof![Just(String::new()), "\\?[A-Za-z0-9=&_.%+-]{1,20}"],
    )
        .prop_map(|(scheme, host, port, path, query)| {
            format!("{scheme}://{host}{port}{path}{query}")
        })
}

/// Form parameters with any Unicode names and values, repeated names included.
fn params() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(("\\PC{0,8}", "\\PC{0,16}"), 0..16)
}

fn token() -> impl Strategy<Value = String> {
    "[0-9a-f]{32}"
}

/// `text` with the character at `at` replaced by a different one from `pool`.
fn replace_char(text: &str, at: Index, replacement: Index, pool: &[char]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let i = at.index(chars.len());
    let choices: Vec<char> = pool.iter().copied().filter(|&c| c != chars[i]).collect();
    let mut changed = chars;
    changed[i] = *replacement.get(&choices);
    changed.into_iter().collect()
}

const ALPHANUMERIC: &[char] = &[
    'a', 'b', 'k', 'z', 'A', 'Q', 'Z', '0', '1', '7', '9', 'x', 'é', '日', '😀',
];
const BASE64: &[char] = &['A', 'B', 'Z', 'a', 'q', 'z', '0', '5', '9', '+', '/'];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_computed_twilio_signature_verifies_in_any_parameter_order(
        url in webhook_url(),
        (params, shuffled) in params().prop_flat_map(|p| (Just(p.clone()), Just(p).prop_shuffle())),
        token in token(),
        sha256 in any::<bool>(),
    ) {
        let algorithm = if sha256 { twilio::Algorithm::HmacSha256 } else { twilio::Algorithm::HmacSha1 };
        let validator = twilio::RequestValidator::new(&token).unwrap().with_algorithm(algorithm);
        let signature = validator.compute_signature(&url, params);
        prop_assert_eq!(validator.validate_form(&url, shuffled, Some(&signature)), Ok(()));
    }

    #[test]
    fn changing_one_character_of_a_twilio_parameter_fails(
        url in webhook_url(),
        params in params().prop_filter("needs a parameter", |p| !p.is_empty()),
        token in token(),
        which in any::<Index>(),
        in_name in any::<bool>(),
        at in any::<Index>(),
        replacement in any::<Index>(),
    ) {
        let validator = twilio::RequestValidator::new(&token).unwrap();
        let signature = validator.compute_signature(&url, params.clone());
        let mut changed = params;
        let (name, value) = which.get_mut(&mut changed);
        let target = if in_name || value.is_empty() && !name.is_empty() { name } else { value };
        if target.is_empty() {
            target.push('x');
        } else {
            *target = replace_char(target, at, replacement, ALPHANUMERIC);
        }
        prop_assert!(validator.validate_form(&url, changed, Some(&signature)).is_err());
    }

    #[test]
    fn changing_one_character_of_a_twilio_url_or_signature_fails(
        url in webhook_url(),
        params in params(),
        token in token(),
        at in any::<Index>(),
        replacement in any::<Index>(),
    ) {
        let validator = twilio::RequestValidator::new(&token).unwrap();
        let signature = validator.compute_signature(&url, params.clone());
        // The scheme is left alone: Python lower-cases it, so "HTTPS" signs as "https".
        let (scheme, rest) = url.split_once("://").unwrap();
        let changed_url = format!("{scheme}://{}", replace_char(rest, at, replacement, ALPHANUMERIC));
        prop_assert!(validator.validate_form(&changed_url, params.clone(), Some(&signature)).is_err());
        let changed_signature = replace_char(&signature, at, replacement, BASE64);
        prop_assert_eq!(
            validator.validate_form(&url, params, Some(&changed_signature)),
            Err(SignatureError::Mismatch { header: twilio::SIGNATURE_HEADER })
        );
    }

    #[test]
    fn a_twilio_json_body_verifies_and_any_changed_byte_fails(
        url in webhook_url(),
        body in prop::collection::vec(any::<u8>(), 1..512),
        token in token(),
        at in any::<Index>(),
        flip in 1u8..,
    ) {
        let validator = twilio::RequestValidator::new(&token).unwrap();
        let hash: String = sha256_hex(&body);
        let joiner = if url.contains('?') { '&' } else { '?' };
        let signed_url = format!("{url}{joiner}bodySHA256={hash}");
        let signature = validator.compute_signature(&signed_url, [] as [(&str, &str); 0]);
        prop_assert_eq!(validator.validate_json(&signed_url, &body, Some(&signature)), Ok(()));
        let mut changed = body;
        let i = at.index(changed.len());
        changed[i] ^= flip;
        prop_assert_eq!(
            validator.validate_json(&signed_url, &changed, Some(&signature)),
            Err(SignatureError::BodyHashMismatch)
        );
    }

    #[test]
    fn a_meta_signature_verifies_in_either_case_and_any_changed_byte_fails(
        body in prop::collection::vec(any::<u8>(), 0..1024),
        secret in "[ -~]{1,40}",
        at in any::<Index>(),
        flip in 1u8..,
        digit in any::<Index>(),
    ) {
        let verifier = meta::SignatureVerifier::new(&secret).unwrap();
        let header = verifier.sign(&body);
        prop_assert_eq!(verifier.verify(&body, Some(&header)), Ok(()));
        let upper = format!("sha256={}", header["sha256=".len()..].to_uppercase());
        prop_assert_eq!(verifier.verify(&body, Some(&upper)), Ok(()));
        if !body.is_empty() {
            let mut changed = body.clone();
            let i = at.index(changed.len());
            changed[i] ^= flip;
            prop_assert!(verifier.verify(&changed, Some(&header)).is_err());
        }
        let hex_digits: Vec<char> = "0123456789abcdef".chars().collect();
        let prefix = "sha256=".len();
        let changed_digit = format!("sha256={}", replace_char(&header[prefix..], digit, at, &hex_digits));
        prop_assert!(verifier.verify(&body, Some(&changed_digit)).is_err());
    }

    #[test]
    fn a_telnyx_signature_verifies_within_the_tolerance_and_any_changed_byte_fails(
        body in prop::collection::vec(any::<u8>(), 1..1024),
        seed in any::<[u8; 32]>(),
        timestamp in 0i64..4_000_000_000,
        skew in -300i64..=300,
        at in any::<Index>(),
        flip in 1u8..,
        replacement in any::<Index>(),
    ) {
        let signer = telnyx::WebhookSigner::from_seed(seed);
        let verifier = telnyx::WebhookVerifier::new(&signer.public_key()).unwrap();
        let stamp = timestamp.to_string();
        let signature = signer.sign(&stamp, &body);
        let now = DateTime::from_timestamp(timestamp + skew, 0).unwrap();
        prop_assert_eq!(verifier.verify(&body, Some(&stamp), Some(&signature), now), Ok(()));
        let mut changed = body.clone();
        let i = at.index(changed.len());
        changed[i] ^= flip;
        prop_assert!(verifier.verify(&changed, Some(&stamp), Some(&signature), now).is_err());
        let changed_signature = replace_char(&signature[..86], at, replacement, BASE64) + "==";
        prop_assert!(verifier.verify(&body, Some(&stamp), Some(&changed_signature), now).is_err());
    }
}

/// Lower-case hex SHA-256, computed independently of the library.
fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
