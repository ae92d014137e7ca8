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
use serde_json::Value;

const TWILIO_INPUT: &str = include_str!("twilio_sms_webhook.json");

/// A WhatsApp Cloud API text-message webhook, about 1 KB.
const WHATSAPP_WEBHOOK: &str = r#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234","user_id":"US.13491208655302741918"}],"messages":[{"context":{"from":"15550783881","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJBMjQ1RkQ2RUM2MzYyQzU4NkIA"},"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=","timestamp":"1749416383","type":"text","text":{"body":"Hi! I ordered the blue running shoes last week (order #4521) and the tracking page still says label created. Could you check whether it shipped and when I should expect it? I am travelling on Friday so I would love to have them before then. Thanks so much for your help, and sorry for the long message!"},"referral":{"source_url":"https://fb.me/3cr4Wqqkv","source_id":"120226305854810726","source_type":"ad","body":"Spring sale: 20% off running shoes","headline":"Chat with us","media_type":"image","ctwa_clid":"Aff-n8ZTODiE79d22KtAwQKj9e_mIEOOj27vDVwFjN80dp4_0NiNhEgpGo0AHemvuSoifXaytfTzcchptiErTKCqTrJ5nW1h7IHYeYymGb5K5J5iWMRqpfCqG"}}]},"field":"messages"}]}]}"#;

/// A Telnyx `message.received` webhook, about 1 KB.
const TELNYX_WEBHOOK: &str = r#"{"data":{"event_type":"message.received","id":"b301ed3f-1490-491f-995f-6e64e69674d4","occurred_at":"2024-01-15T20:16:07.588+00:00","payload":{"cc":[],"completed_at":null,"cost":null,"direction":"inbound","encoding":"GSM-7","errors":[],"from":{"carrier":"T-Mobile USA","line_type":"long_code","phone_number":"+13125550001"},"id":"84cca175-9755-4859-b67f-4730d7f58aa3","media":[],"messaging_profile_id":"740572b6-099c-44a1-89b9-6c92163bc68d","organization_id":"47a530f8-4362-4526-829b-bcee17fd9f7a","parts":1,"received_at":"2024-01-15T20:16:07.503+00:00","record_type":"message","sent_at":null,"subject":"","tags":[],"text":"Hello from Telnyx! Please confirm my appointment for Thursday at 3pm, and let me know if I need to bring anything. Reply STOP to opt out.","to":[{"carrier":"Telnyx","line_type":"Wireless","phone_number":"+17735550002","status":"webhook_delivered"}],"type":"SMS","valid_until":null,"webhook_failover_url":null,"webhook_url":"https://example.com/webhooks/telnyx"},"record_type":"event"},"meta":{"attempt":1,"delivered_to":"https://example.com/webhooks/telnyx"}}"#;

fn twilio(c: &mut Criterion) {
    let input: Value = serde_json::from_str(TWILIO_INPUT).unwrap();
    let text = |key: &str| input[key].as_str().unwrap().to_owned();
    let (url, token, signature, body) = (
        text("url"),
        text("auth_token"),
        text("signature"),
        text("form_body"),
    );
    let params: Vec<(String, String)> = serde_json::from_value(input["params"].clone()).unwrap();
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
