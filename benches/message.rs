//! How long content validation takes on a send (SPEC §6, the first gate of §12):
//! parsing an API client's JSON and validating it, for a text, a full list message
//! and a reaction; and validation alone on an already-parsed list.
//!
//! ```sh
//! cargo bench --bench message -- --warm-up-time 1 --measurement-time 3
//! ```

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use msgcore::core::message::RawContent;

const TEXT: &str = r#"{"type":"text","text":"Hi Ada, your order #4521 has shipped and will arrive on Thursday. Reply HELP for help."}"#;
const REACTION: &str = r#"{"type":"reaction","message_id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA","emoji":"👩🏽‍💻"}"#;
const LIST: &str = r#"{"type":"interactive","interactive":{"type":"list","header":{"type":"text","text":"Delivery options"},
"body":"How would you like to receive your order?","footer":"Lucky Shrub","button":"Choose",
"sections":[{"title":"Shipping","rows":[{"id":"priority","title":"Priority Mail Express","description":"Next day to 2 days"},
{"id":"standard","title":"Standard","description":"3 to 5 days"},{"id":"economy","title":"Economy"}]},
{"title":"Pickup","rows":[{"id":"store","title":"In store"},{"id":"locker","title":"Parcel locker"}]}]}}"#;

fn validate(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse_and_validate");
    for (name, json) in [
        ("text", TEXT),
        ("list_5_rows", LIST),
        ("reaction", REACTION),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| serde_json::from_str::<RawContent>(black_box(json)).map(RawContent::validate))
        });
    }
    group.finish();
    let list: RawContent = serde_json::from_str(LIST).unwrap();
    c.bench_function("validate_only/list_5_rows", |b| {
        b.iter_batched(|| list.clone(), RawContent::validate, BatchSize::SmallInput)
    });
}

criterion_group!(benches, validate);
criterion_main!(benches);
