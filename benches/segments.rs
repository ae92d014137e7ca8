//! Segment counting on typical messages. The inputs live in `segments_inputs.json`,
//! shared with `scripts/bench_segments_peer.js`, which times Twilio's npm calculator
//! on the same texts.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use msgcore::core::segments::{SegmentOptions, analyze};
use serde::Deserialize;

#[derive(Deserialize)]
struct Input {
    name: String,
    text: String,
    smart_encoding: bool,
}

fn segments(c: &mut Criterion) {
    let inputs: Vec<Input> = serde_json::from_str(include_str!("segments_inputs.json"))
        .expect("benches/segments_inputs.json is valid");
    let mut group = c.benchmark_group("segments");
    group.throughput(Throughput::Elements(1));
    for input in &inputs {
        let options = SegmentOptions::default().with_smart_encoding(input.smart_encoding);
        group.bench_function(&input.name, |b| {
            b.iter(|| analyze(std::hint::black_box(&input.text), options))
        });
    }
    group.finish();
}

criterion_group!(benches, segments);
criterion_main!(benches);
