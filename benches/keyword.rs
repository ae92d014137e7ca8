//! How long classifying one inbound message takes (SPEC §2 keywords), with the
//! default keywords and with a tenant that added 50 of its own.
//!
//! ```sh
//! cargo bench --bench keyword -- --warm-up-time 1 --measurement-time 3
//! ```

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use msgcore::core::keyword::{KeywordConfig, KeywordSet};

/// An ordinary 160-character reply: no keyword, no revocation cue.
const ORDINARY: &str = "Hi! Thanks for the reminder. Could we move my appointment to Thursday \
                        afternoon, maybe around 3pm? Also, is parking still free on Main Street by \
                        the bank? Cheer";

fn tenant_with_50_keywords() -> KeywordSet {
    let words = |prefix: &str, n: usize| (0..n).map(|i| format!("{prefix}{i}")).collect();
    KeywordSet::new(&KeywordConfig {
        opt_out: words("ARRET", 30),
        opt_in: words("OUI", 10),
        help: words("AIDE", 10),
        ..KeywordConfig::default()
    })
    .unwrap()
}

fn classify(c: &mut Criterion) {
    assert_eq!(ORDINARY.chars().count(), 160);
    let sets = [
        ("default", KeywordSet::default()),
        ("50_tenant_keywords", tenant_with_50_keywords()),
    ];
    let messages = [
        ("bare_keyword", "STOP"),
        ("ordinary_160_chars", ORDINARY),
        (
            "possible_revocation",
            "Please stop texting me, I never signed up for this",
        ),
    ];
    let mut group = c.benchmark_group("classify");
    for (set_name, keywords) in &sets {
        for (message_name, message) in messages {
            group.bench_function(format!("{set_name}/{message_name}"), |b| {
                b.iter(|| keywords.classify(black_box(message)).verdict())
            });
        }
    }
    group.finish();
}

fn compile(c: &mut Criterion) {
    c.bench_function("compile/50_tenant_keywords", |b| {
        b.iter(tenant_with_50_keywords)
    });
}

criterion_group!(benches, classify, compile);
criterion_main!(benches);
