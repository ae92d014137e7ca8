//! The carrier adapters, sans-IO: parsing each provider's webhooks into the
//! engine's terms, and building a send request then reading the provider's
//! answer. No network: these are the adapters' own costs.
//!
//! ```sh
//! cargo bench --bench providers -- --warm-up-time 1 --measurement-time 3
//! ```

use std::hint::black_box;

use chrono::{DateTime, TimeZone, Utc};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use msgcore::core::channel::Channel;
use msgcore::core::message::{Content, MediaKind};
use msgcore::model::TenantRef;
use msgcore::model::{MessageId, OutboxItem, TenantId};
use msgcore::providers::http::HttpResponse;
use msgcore::providers::send_api::SendApi;
use msgcore::providers::{meta, telnyx, twilio};

#[path = "support/payloads.rs"]
mod payloads;
use payloads::{
    TELNYX_WEBHOOK, TWILIO_MESSAGE_CREATED, WHATSAPP_WEBHOOK, outbound_text, twilio_case,
};

/// A delivered SMS's status callback, with the parameters Twilio posts.
const TWILIO_STATUS: &str = "SmsSid=SM2a7c1c0f4d9b7c3e8f1a2b3c4d5e6f70&SmsStatus=delivered&MessageStatus=delivered&To=%2B15105550199&MessageSid=SM2a7c1c0f4d9b7c3e8f1a2b3c4d5e6f70&AccountSid=AC0123456789abcdef0123456789abcdef&From=%2B14155550100&ApiVersion=2010-04-01&RawDlrDoneDate=2603021800";

/// An incoming call as Twilio posts it to the answer URL.
const TWILIO_CALL: &str = "Called=%2B14155238886&ToState=CA&CallerCountry=US&Direction=inbound&CallerState=CA&ToZip=94105&CallSid=CA5f1e2d3c4b5a69788796a5b4c3d2e1f0&To=%2B14155238886&CallerZip=94607&ToCountry=US&CallToken=%7B%22parentCallInfoToken%22%3A%22eyJhbGciOiJFUzI1NiJ9%22%7D&CalledZip=94105&ApiVersion=2010-04-01&CalledCity=SAN+FRANCISCO&CallStatus=ringing&From=%2B14155550100&AccountSid=AC0123456789abcdef0123456789abcdef&CalledCountry=US&CallerCity=OAKLAND&ToCity=SAN+FRANCISCO&FromCountry=US&Caller=%2B14155550100&FromCity=OAKLAND&CalledState=CA&FromZip=94607&FromState=CA";

/// Telnyx's answer to a send, as its Messages API returns it.
const TELNYX_SENT: &str = r#"{"data":{"record_type":"message","direction":"outbound","id":"40385f64-5717-4562-b3fc-2c963f66afa6","type":"SMS","messaging_profile_id":"740572b6-099c-44a1-89b9-6c92163bc68d","organization_id":"47a530f8-4362-4526-829b-bcee17fd9f7a","from":{"phone_number":"+13125550199","carrier":"Telnyx","line_type":"Wireless"},"to":[{"phone_number":"+15105550199","status":"queued","carrier":"T-Mobile USA","line_type":"Wireless"}],"text":"Your order #4521 shipped today and should arrive on Thursday. Track it at https://example.com/t/4521","media":[],"webhook_url":"https://example.com/webhooks/telnyx","webhook_failover_url":"","encoding":"GSM-7","parts":1,"tags":[],"cost":null,"received_at":"2026-03-02T18:00:00.000+00:00","sent_at":null,"completed_at":null,"valid_until":"2026-03-02T19:00:00.000+00:00","errors":[]}}"#;

/// Meta's answer to a send.
const META_SENT: &str = r#"{"messaging_product":"whatsapp","contacts":[{"input":"15105550199","wa_id":"15105550199"}],"messages":[{"id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA","message_status":"accepted"}]}"#;

/// The size of the image the upload bench sends.
const UPLOAD_BYTES: usize = 100 * 1024;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 18, 0, 0).unwrap()
}

fn tenant() -> TenantRef {
    TenantRef::Slug("bench".into())
}

fn webhooks(c: &mut Criterion) {
    let sms = twilio_case().form_body;
    let mut group = c.benchmark_group("webhook_parse");
    group.throughput(Throughput::Elements(1));
    group.bench_function("twilio_sms", |b| {
        b.iter(|| twilio::webhook::parse_message(black_box(sms.as_bytes()), tenant()).unwrap())
    });
    group.bench_function("twilio_status", |b| {
        b.iter(|| {
            twilio::webhook::parse_status(black_box(TWILIO_STATUS.as_bytes()), tenant(), now())
                .unwrap()
        })
    });
    group.bench_function("twilio_voice_call", |b| {
        b.iter(|| twilio::voice::parse_call(black_box(TWILIO_CALL.as_bytes())).unwrap())
    });
    group.bench_function("telnyx_message_received", |b| {
        b.iter(|| telnyx::webhook::parse(black_box(TELNYX_WEBHOOK.as_bytes())).unwrap())
    });
    group.bench_function("meta_text", |b| {
        b.iter(|| meta::webhook::parse(black_box(WHATSAPP_WEBHOOK.as_bytes()), tenant()).unwrap())
    });
    group.finish();
}

fn outbound(channel: Channel) -> OutboxItem {
    OutboxItem::pending(
        MessageId::from_uuid(uuid::Uuid::from_u128(1)),
        TenantId::from_uuid(uuid::Uuid::from_u128(2)),
        channel,
        "+15105550199".parse().unwrap(),
        None,
        Content::text(outbound_text()).unwrap(),
        now(),
    )
}

fn answer(status: u16, body: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.as_bytes().to_vec(),
    }
}

/// Builds the request for `item` and reads `answer` back into the provider's
/// message id, as a carrier does around one HTTP call.
fn bench_send(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    api: &dyn SendApi,
    item: &OutboxItem,
    answer: &HttpResponse,
) {
    api.read(answer).unwrap();
    group.bench_function(name, |b| {
        b.iter(|| {
            let request = api.request(black_box(item)).unwrap();
            black_box(request);
            api.read(black_box(answer)).unwrap()
        })
    });
}

fn sends(c: &mut Criterion) {
    let twilio_api = twilio::send::MessagesApi::new(
        twilio::send::TwilioCredentials::new(
            "AC0123456789abcdef0123456789abcdef",
            "9f3c2b1a0e8d7c6b5a4f3e2d1c0b9a8f",
        ),
        twilio::send::Sender::Number("+14155550199".parse().unwrap()),
    )
    .with_status_callback("https://example.com/webhooks/twilio/bench/status");
    let telnyx_api = telnyx::send::MessagesApi::new(
        "KEY0123456789ABCDEF",
        telnyx::send::Sender::Number("+13125550199".parse().unwrap()),
    )
    .with_webhook_url("https://example.com/webhooks/telnyx/bench");
    let meta_api = meta::send::MessagesApi::new("EAAG-access-token", "106540352242922");
    let sms = outbound(Channel::Sms);
    let whatsapp = outbound(Channel::WhatsApp);
    let mut group = c.benchmark_group("send_request_read");
    group.throughput(Throughput::Elements(1));
    let twilio_answer = answer(201, TWILIO_MESSAGE_CREATED);
    bench_send(&mut group, "twilio_sms", &twilio_api, &sms, &twilio_answer);
    let telnyx_answer = answer(200, TELNYX_SENT);
    bench_send(&mut group, "telnyx_sms", &telnyx_api, &sms, &telnyx_answer);
    let meta_answer = answer(200, META_SENT);
    bench_send(&mut group, "meta_text", &meta_api, &whatsapp, &meta_answer);
    group.finish();

    let image = jpeg(UPLOAD_BYTES);
    let mut group = c.benchmark_group("send_upload");
    group.throughput(Throughput::Bytes(UPLOAD_BYTES as u64));
    group.bench_function("meta_jpeg_100kb", |b| {
        b.iter(|| {
            meta_api
                .upload_request(MediaKind::Image, "receipt.jpg", black_box(&image))
                .unwrap()
        })
    });
    group.finish();
}

/// The JPEG fixture's header followed by filler up to `size` bytes: the upload
/// sniffs the type from the header and copies the rest, whatever it holds.
fn jpeg(size: usize) -> Vec<u8> {
    let mut bytes = std::fs::read("tests/fixtures/media/image.jpg").unwrap();
    let filler = (0..=u8::MAX).cycle().take(size.saturating_sub(bytes.len()));
    bytes.extend(filler);
    bytes
}

criterion_group!(benches, webhooks, sends);
criterion_main!(benches);
