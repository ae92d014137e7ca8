//! Auto-tagging speed: one 160-character message against 10, 1,000 and 10,000
//! rules (the cost must stay flat as rules grow), and compiling 10,000 rules.
//!
//! `cargo bench --bench tagging`

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use msgcore::core::tagging::{MatchKind, TagRule, TagRules};

/// 160 characters, as an SMS; the first rules below match it.
const MESSAGE: &str = "Hi, I placed an ORDER last week and it still has not arrived. Can you check the \
                       status and tell me when to expect it? Otherwise I would like a refund, please!!!";

/// `count` rules: three that match the message, then pseudo-random words (a
/// fixed xorshift sequence, so every run benches the same rules) of 4-9
/// letters, 80% `contains`, 10% `exact`, 10% `starts_with`.
fn rules(count: usize) -> Vec<TagRule> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let matching = [
        (MatchKind::Contains, "order", "buyer"),
        (MatchKind::Contains, "refund", "refund"),
        (MatchKind::StartsWith, "hi", "greeting"),
    ];
    let mut rules: Vec<TagRule> = matching
        .iter()
        .map(|&(kind, pattern, tag)| TagRule {
            kind,
            pattern: pattern.to_owned(),
            tag: tag.to_owned(),
        })
        .collect();
    for i in rules.len()..count {
        let len = 4 + (next() % 6) as usize;
        let pattern: String = (0..len)
            .map(|_| char::from(b'a' + (next() % 26) as u8))
            .collect();
        let kind = match i % 10 {
            8 => MatchKind::Exact,
            9 => MatchKind::StartsWith,
            _ => MatchKind::Contains,
        };
        rules.push(TagRule {
            kind,
            pattern,
            tag: format!("tag{}", i % 50),
        });
    }
    rules.truncate(count);
    rules
}

fn tag_one_message(c: &mut Criterion) {
    assert_eq!(MESSAGE.chars().count(), 160);
    let mut group = c.benchmark_group("tagging/160_char_message");
    for count in [10, 1_000, 10_000] {
        let compiled = TagRules::compile(rules(count)).unwrap();
        group.bench_with_input(
            BenchmarkId::from_parameter(count),
            &compiled,
            |b, compiled| b.iter(|| compiled.tags(black_box(MESSAGE))),
        );
    }
    group.finish();
}

fn compile(c: &mut Criterion) {
    let rules = rules(10_000);
    let mut group = c.benchmark_group("tagging/compile");
    group.sample_size(10);
    group.bench_function("10000_rules", |b| {
        b.iter(|| TagRules::compile(black_box(rules.clone())))
    });
    group.finish();
}

criterion_group!(benches, tag_one_message, compile);
criterion_main!(benches);
