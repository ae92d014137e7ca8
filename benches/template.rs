//! Template speed: parsing a quick reply once, and rendering it many times (the
//! campaign case: one template, thousands of recipients).
//!
//! `cargo bench --bench template`

use std::collections::HashMap;
use std::hint::black_box;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use msgcore::core::template::{InboxVariables, MissingPolicy, Template};

const TEXT: &str = "Hi {{contact.firstName}}, this is {{agent.name}} from {{org.name}}. \
                    Thanks for your message; we will get back to you shortly.";

fn parse(c: &mut Criterion) {
    c.bench_function("template/parse_3_variables", |b| {
        b.iter(|| Template::parse(black_box(TEXT)))
    });
}

fn render(c: &mut Criterion) {
    let template = Template::parse(TEXT).unwrap();
    let map = HashMap::from([
        ("contact.firstName", "Jane"),
        ("agent.name", "Sam"),
        ("org.name", "Acme Inc"),
    ]);
    c.bench_function("template/render_3_variables_hash_map", |b| {
        b.iter(|| black_box(&template).render(black_box(&map), &MissingPolicy::Error))
    });
    let now = Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap();
    let inbox = InboxVariables::at(&now)
        .contact_name("Jane Doe")
        .agent_name("Sam")
        .org_name("Acme Inc");
    c.bench_function("template/render_3_variables_inbox", |b| {
        b.iter(|| black_box(&template).render(black_box(&inbox), &MissingPolicy::Error))
    });
}

criterion_group!(benches, parse, render);
criterion_main!(benches);
