//! How long folding a message's status callbacks takes (SPEC §6): ten updates in a
//! shuffled order — the out-of-order arrival the semilattice exists for — applied
//! one by one, and two deliveries merged.
//!
//! ```sh
//! cargo bench --bench delivery -- --warm-up-time 1 --measurement-time 3
//! ```

use std::hint::black_box;

use chrono::{TimeDelta, TimeZone, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use msgcore::core::delivery::{Delivery, DeliveryStatus, StatusUpdate};

/// Ten callbacks for one message, including repeats and a late failure, in the
/// order they happened.
fn updates() -> Vec<StatusUpdate> {
    use DeliveryStatus::*;
    let t0 = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    let at = |s| t0 + TimeDelta::seconds(s);
    vec![
        StatusUpdate::new(Queued, at(0)),
        StatusUpdate::new(Sending, at(1)),
        StatusUpdate::new(Sent, at(2)),
        StatusUpdate::new(Sent, at(3)),
        StatusUpdate::new(Delivered, at(5)),
        StatusUpdate::new(Delivered, at(6)),
        StatusUpdate::failed(Failed, at(7), "131026"),
        StatusUpdate::new(Read, at(9)),
        StatusUpdate::new(Read, at(12)),
        StatusUpdate::failed(Undelivered, at(15), "30003"),
    ]
}

/// A fixed permutation, so every run measures the same order.
const SHUFFLE: [usize; 10] = [7, 2, 9, 0, 5, 3, 8, 1, 6, 4];

fn delivery(c: &mut Criterion) {
    let ordered = updates();
    let shuffled: Vec<StatusUpdate> = SHUFFLE.iter().map(|&i| ordered[i].clone()).collect();
    c.bench_function("apply/10_shuffled_updates", |b| {
        b.iter_batched(
            || shuffled.clone(),
            |updates| black_box(updates.into_iter().collect::<Delivery>()),
            BatchSize::SmallInput,
        )
    });
    let (first, second) = shuffled.split_at(5);
    let a: Delivery = first.iter().cloned().collect();
    let b: Delivery = second.iter().cloned().collect();
    c.bench_function("merge/5_and_5", |bench| {
        bench.iter(|| black_box(&a).merge(black_box(&b)))
    });
}

criterion_group!(benches, delivery);
criterion_main!(benches);
