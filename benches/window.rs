//! How long the WhatsApp window check takes on a send (SPEC §5): `may_send` for
//! free-form text inside and outside the window, a template, and the countdown a UI
//! asks for.
//!
//! ```sh
//! cargo bench --bench window -- --warm-up-time 1 --measurement-time 3
//! ```

use std::hint::black_box;

use chrono::{TimeDelta, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use msgcore::Channel;
use msgcore::core::message::ContentKind;
use msgcore::core::window::{EntryPoint, InboundKind, WindowPolicy, WindowState, may_send};

fn window(c: &mut Criterion) {
    let policy = WindowPolicy::default();
    let start = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    let state = WindowState::default()
        .on_inbound(
            InboundKind::Message,
            Some(EntryPoint::ClickToWhatsAppAd),
            start,
            &policy,
        )
        .on_outbound(start + TimeDelta::minutes(5));
    let inside = start + TimeDelta::hours(3);
    let outside = start + TimeDelta::hours(30);

    let mut group = c.benchmark_group("may_send");
    group.bench_function("text_inside", |b| {
        b.iter(|| {
            may_send(
                Channel::WhatsApp,
                ContentKind::Text,
                black_box(&state),
                black_box(inside),
            )
        })
    });
    group.bench_function("text_outside", |b| {
        b.iter(|| {
            may_send(
                Channel::WhatsApp,
                ContentKind::Text,
                black_box(&state),
                black_box(outside),
            )
        })
    });
    group.bench_function("template_outside", |b| {
        b.iter(|| {
            may_send(
                Channel::WhatsApp,
                ContentKind::Template,
                black_box(&state),
                black_box(outside),
            )
        })
    });
    group.finish();

    c.bench_function("service_window/countdown", |b| {
        b.iter(|| black_box(&state).service_window(black_box(inside), &policy))
    });
    c.bench_function("free_until", |b| {
        b.iter(|| black_box(&state).free_until(black_box(inside)))
    });
    c.bench_function("on_inbound", |b| {
        b.iter(|| {
            black_box(state).on_inbound(InboundKind::Message, None, black_box(inside), &policy)
        })
    });
}

criterion_group!(benches, window);
criterion_main!(benches);
