//! Webhook signature verification on realistic payloads: a Twilio inbound-SMS
//! form with 17 parameters (the same input `scripts/bench_signatures_peer.py`
//! gives twilio-python), a ~1 KB Meta WhatsApp envelope, a ~1 KB Telnyx event.
//!
//! ```sh
//! cargo bench --bench signatures -- --warm-up-time 1 --measurement-time 3
//! ```

use std::hint::black_box;

use chrono::DateTime;
use criterion::{Criterion, criterion_group, criterion_main};
use msgcore::providers::{meta, telnyx, twilio};

#[path = "support/payloads.rs"]
mod payloads;
use payloads::{TELNYX_WEBHOOK, TwilioCase, WHATSAPP_WEBHOOK, twilio_case};

fn twilio(c: &mut Criterion) {
    let TwilioCase {
        url,
        auth_token: token,
        signature,
        form_body: body,
        params,
    } = twilio_case();
    let validator = twilio::RequestValidator::new(&token).unwrap();
    validator
        .validate_form(&url, params.iter().map(|(k, v)| (k, v)), Some(&signature))
        .unwrap();
    c.bench_function("twilio validate_form (17 params)", |b| {
        b.iter(|| {
            validator.validate_form(
                black_box(&url),
                black_box(&params).iter().map(|(k, v)| (k, v)),
                black_box(Some(signature.as_str())),
            )
        })
    });
    c.bench_function("twilio validate_form_body (17 params, 445 B)", |b| {
        b.iter(|| {
            validator.validate_form_body(
                black_box(&url),
                black_box(body.as_bytes()),
                black_box(Some(signature.as_str())),
            )
        })
    });
}

fn meta(c: &mut Criterion) {
    let verifier = meta::SignatureVerifier::new("6c3e3e0a1d9b4f2e8a7c5b3d1f0e9a8b").unwrap();
    let body = WHATSAPP_WEBHOOK.as_bytes();
    let header = verifier.sign(body);
    verifier.verify(body, Some(&header)).unwrap();
    c.bench_function("meta verify (1 KB)", |b| {
        b.iter(|| verifier.verify(black_box(body), black_box(Some(header.as_str()))))
    });
}

fn telnyx(c: &mut Criterion) {
    let signer = telnyx::WebhookSigner::from_seed([9; 32]);
    let verifier = telnyx::WebhookVerifier::new(&signer.public_key()).unwrap();
    let body = TELNYX_WEBHOOK.as_bytes();
    let timestamp = "1705349767";
    let signature = signer.sign(timestamp, body);
    let now = DateTime::from_timestamp(1_705_349_800, 0).unwrap();
    verifier
        .verify(body, Some(timestamp), Some(&signature), now)
        .unwrap();
    c.bench_function("telnyx verify (1 KB)", |b| {
        b.iter(|| {
            verifier.verify(
                black_box(body),
                black_box(Some(timestamp)),
                black_box(Some(signature.as_str())),
                now,
            )
        })
    });
}

criterion_group!(benches, twilio, meta, telnyx);
criterion_main!(benches);
