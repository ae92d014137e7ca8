//! The fast acknowledgement: a signed Twilio SMS webhook through the axum
//! router in process (signature, parsing, `Inbox::handle_inbound` on the memory
//! store, empty TwiML back), and the same request refused for a bad signature.
//!
//! ```sh
//! cargo bench --bench webhooks -- --warm-up-time 1 --measurement-time 3
//! ```

use axum::http::StatusCode;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

#[path = "../tests/support/demo_tenant.rs"]
mod demo_tenant;
#[path = "support/payloads.rs"]
mod payloads;
#[path = "support/twilio_requests.rs"]
mod twilio_requests;
use payloads::twilio_case;
use twilio_requests::{Requests, answer, demo};

fn round_trip(c: &mut Criterion) {
    let (runtime, app, signed) = demo();
    let forged = Requests::signed_with(twilio_case(), "not-the-auth-token");
    let mut group = c.benchmark_group("webhook_round_trip");
    group.throughput(Throughput::Elements(1));
    for (name, requests, expected) in [
        ("twilio_sms_accepted", &signed, StatusCode::OK),
        ("twilio_sms_bad_signature", &forged, StatusCode::FORBIDDEN),
    ] {
        assert_eq!(runtime.block_on(answer(&app, requests.next())), expected);
        group.bench_function(name, |b| {
            b.iter_batched(
                || requests.next(),
                |request| {
                    let status = runtime.block_on(answer(&app, request));
                    assert_eq!(status, expected);
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, round_trip);
criterion_main!(benches);
