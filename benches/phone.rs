//! E.164 parsing: mixed human input (the oracle fixture's 5,000 lines), and input that
//! is already E.164 (the common case for webhooks and stored contacts).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use msgcore::E164;
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    input: String,
    region: Option<String>,
}

fn cases() -> Vec<Case> {
    include_str!("../tests/fixtures/e164_oracle.jsonl")
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect()
}

fn parse_all<'a>(inputs: impl Iterator<Item = (&'a str, Option<&'a str>)>) -> usize {
    inputs
        .filter(|(input, region)| E164::parse(input, *region).is_ok())
        .count()
}

fn bench(c: &mut Criterion) {
    let mixed = cases();
    let normalized: Vec<String> = mixed
        .iter()
        .filter_map(|case| E164::parse(&case.input, case.region.as_deref()).ok())
        .map(|n| n.to_string())
        .collect();

    let mut group = c.benchmark_group("e164");
    group.throughput(Throughput::Elements(mixed.len() as u64));
    group.bench_function("parse_mixed", |b| {
        b.iter(|| {
            parse_all(
                mixed
                    .iter()
                    .map(|c| (c.input.as_str(), c.region.as_deref())),
            )
        })
    });
    group.throughput(Throughput::Elements(normalized.len() as u64));
    group.bench_function("parse_already_e164", |b| {
        b.iter(|| parse_all(normalized.iter().map(|n| (n.as_str(), None))))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
