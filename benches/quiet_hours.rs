//! How long one quiet-hours decision takes (SPEC §3): number → zones → earliest
//! allowed instant, for a single-zone US number, an area code spanning two zones, a
//! country with 26 zones, a toll-free number (every US zone and state), and a
//! transactional send; each at an allowed instant and at one that is held overnight.
//! `fixture_3000` decides every line of `tests/fixtures/quiet_hours_cases.jsonl`, the
//! same work as `scripts/quiet_hours_reference.py answer` on that file (the peer).
//!
//! ```sh
//! cargo bench --bench quiet_hours -- --warm-up-time 1 --measurement-time 3
//! ```

use std::hint::black_box;

use chrono::{DateTime, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use msgcore::E164;
use msgcore::core::quiet_hours::{QuietHoursPolicy, Recipient, SendKind};

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn decide(c: &mut Criterion) {
    let policy = QuietHoursPolicy::default();
    let recipients = [
        ("single_zone_us", "+13055551234"),
        ("multi_zone_area_code", "+18505551234"),
        ("multi_zone_country", "+79123456789"),
        ("toll_free_us", "+18005551234"),
    ];
    // 07:30Z is held everywhere on the list (overnight in the Americas, evening in
    // Kamchatka); 14:00Z (or 07:30Z for Russia) is allowed.
    let mut group = c.benchmark_group("quiet_hours");
    for (name, number) in recipients {
        let to = E164::parse(number, None).unwrap();
        let allowed = if number.starts_with("+7") {
            "2026-07-01T07:30:00Z"
        } else {
            "2026-07-01T19:30:00Z"
        };
        let held = if number.starts_with("+7") {
            "2026-07-01T12:00:00Z"
        } else {
            "2026-07-01T07:30:00Z"
        };
        assert!(
            policy
                .decide(&to, SendKind::Marketing, at(allowed), &[])
                .unwrap()
                .is_send_now()
        );
        assert!(
            !policy
                .decide(&to, SendKind::Marketing, at(held), &[])
                .unwrap()
                .is_send_now()
        );
        for (when_name, when) in [("allowed", at(allowed)), ("held", at(held))] {
            group.bench_function(format!("{name}/{when_name}"), |b| {
                b.iter(|| policy.decide(black_box(&to), SendKind::Marketing, black_box(when), &[]))
            });
        }
        let recipient = Recipient::for_number(&to).unwrap();
        let held = at(held);
        group.bench_function(format!("{name}/held_recipient_known"), |b| {
            b.iter(|| policy.decide_for(black_box(&recipient), black_box(held), &[]))
        });
    }
    let to = E164::parse("+13055551234", None).unwrap();
    let night = at("2026-07-01T07:30:00Z");
    group.bench_function("transactional", |b| {
        b.iter(|| {
            policy.decide(
                black_box(&to),
                SendKind::Transactional,
                black_box(night),
                &[],
            )
        })
    });
    group.finish();
}

/// One fixture line: recipient, kind, instant and recent sends.
type Case = (E164, SendKind, DateTime<Utc>, Vec<DateTime<Utc>>);

fn fixture(c: &mut Criterion) {
    let policy = QuietHoursPolicy::default();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/quiet_hours_cases.jsonl"
    );
    let cases: Vec<Case> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter_map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let to = E164::parse(v["to"].as_str()?, None).ok()?;
            let kind = match v["kind"].as_str()? {
                "marketing" => SendKind::Marketing,
                "transactional" => SendKind::Transactional,
                _ => return None,
            };
            let instant = |s: &serde_json::Value| {
                Some(DateTime::parse_from_rfc3339(s.as_str()?).ok()?.to_utc())
            };
            let sent = match v.get("recent_sends") {
                Some(list) => list
                    .as_array()?
                    .iter()
                    .map(instant)
                    .collect::<Option<Vec<_>>>()?,
                None => Vec::new(),
            };
            Some((to, kind, instant(&v["at"])?, sent))
        })
        .collect();
    let mut group = c.benchmark_group("quiet_hours");
    group.throughput(Throughput::Elements(cases.len() as u64));
    group.bench_function(format!("fixture_{}", cases.len()), |b| {
        b.iter(|| {
            cases
                .iter()
                .filter(|(to, kind, when, sent)| {
                    policy
                        .decide(to, *kind, *when, sent)
                        .is_ok_and(|d| d.is_send_now())
                })
                .count()
        })
    });
    group.finish();
}

criterion_group!(benches, decide, fixture);
criterion_main!(benches);
