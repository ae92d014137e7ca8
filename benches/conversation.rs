//! How long the conversation rules take per inbound message or agent action
//! (SPEC §4): one status transition, one event applied to a stored conversation,
//! the continue / resume / start-new decision, and CSAT parsing of a rating and of
//! an ordinary message (the common case: every reply after a survey is parsed).
//!
//! ```sh
//! cargo bench --bench conversation -- --warm-up-time 1 --measurement-time 3
//! ```

use std::hint::black_box;

use chrono::{TimeDelta, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use msgcore::core::conversation::{
    AgentId, Conversation, Event, ResumptionPolicy, Status, on_inbound, transition,
};
use msgcore::core::csat::{Rating, Survey, on_reply};

/// An ordinary 160-character reply that starts like a rating would not.
const ORDINARY: &str = "Hi! Thanks for the reminder. Could we move my appointment to Thursday \
                        afternoon, maybe around 3pm? Also, is parking still free on Main Street by \
                        the bank? Cheer";

/// An ordinary reply that starts with a digit, so the parser reads past the score.
const NUMBER_THEN_WORDS: &str = "5 minutes late again, and nobody told me the driver had \
                                 changed. This is the third time this month that it happens.";

fn conversation(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    let policy = ResumptionPolicy::default();
    let resolved = Conversation::start(now)
        .apply(&Event::Resolve, now)
        .unwrap();
    let assign = Event::Assign {
        agent: AgentId::new("agent-42"),
    };
    let mut group = c.benchmark_group("conversation");
    group.bench_function("transition", |b| {
        b.iter(|| transition(black_box(Status::Assigned), black_box(&Event::Resolve)))
    });
    group.bench_function("apply_assign", |b| {
        b.iter(|| black_box(&resolved).apply(black_box(&assign), now))
    });
    let later = now + TimeDelta::days(3);
    group.bench_function("on_inbound_resume", |b| {
        b.iter(|| on_inbound(Some(black_box(&resolved)), black_box(later), &policy))
    });
    group.finish();
}

fn csat(c: &mut Criterion) {
    assert_eq!(ORDINARY.chars().count(), 160);
    let mut group = c.benchmark_group("csat");
    for (name, reply) in [
        ("parse/digit", "5"),
        ("parse/fraction_with_comment", "4 out of 5, thanks"),
        ("parse/stars", "⭐️⭐️⭐️⭐️"),
        ("parse/ordinary_160_chars", ORDINARY),
        ("parse/number_then_words", NUMBER_THEN_WORDS),
    ] {
        group.bench_function(name, |b| b.iter(|| Rating::parse(black_box(reply))));
    }
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    let survey = Survey::sent(now);
    let policy = ResumptionPolicy::default();
    group.bench_function("on_reply/rating", |b| {
        b.iter(|| {
            on_reply(
                Some(&survey),
                Status::Resolved,
                black_box("4, thanks"),
                now,
                &policy,
            )
        })
    });
    group.finish();
}

criterion_group!(benches, conversation, csat);
criterion_main!(benches);
