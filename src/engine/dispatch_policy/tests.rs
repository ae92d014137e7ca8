use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;

use super::{DispatchPolicy, InvalidPolicy};
use crate::core::channel::Channel;
use crate::core::message::Content;
use crate::model::{CarrierError, CarrierErrorKind, MessageId, OutboxItem, ProviderName, TenantId};
use crate::store::DispatchOutcome;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn item(attempts: u32, id: u128) -> OutboxItem {
    let mut item = OutboxItem::pending(
        MessageId::from_uuid(uuid::Uuid::from_u128(id)),
        TenantId::from_uuid(uuid::Uuid::from_u128(1)),
        Channel::Sms,
        "+14155550100".parse().unwrap(),
        None,
        Content::text("hello").unwrap(),
        now(),
    );
    item.attempts = attempts;
    item
}

fn refusal(retryable: bool, retry_after: Option<TimeDelta>, opted_out: bool) -> CarrierError {
    let kind = match (opted_out, retryable) {
        (true, _) => CarrierErrorKind::OptedOut,
        (false, true) => CarrierErrorKind::Transient { retry_after },
        (false, false) => CarrierErrorKind::Permanent,
    };
    let code = if opted_out { "21610" } else { "20429" };
    CarrierError::new(ProviderName::TWILIO, kind, "refused").with_code(code)
}

fn no_jitter() -> DispatchPolicy {
    DispatchPolicy {
        jitter_percent: 0,
        ..DispatchPolicy::default()
    }
}

fn retry_at(outcome: &DispatchOutcome) -> DateTime<Utc> {
    match outcome {
        DispatchOutcome::Retry { at, .. } => *at,
        other => panic!("expected a retry, got {other:?}"),
    }
}

#[test]
fn the_default_policy_is_valid() {
    assert_eq!(DispatchPolicy::default().validate(), Ok(()));
}

#[test]
fn zero_counts_and_durations_are_refused_by_field() {
    let zero_batch = DispatchPolicy {
        batch_size: 0,
        ..DispatchPolicy::default()
    };
    assert_eq!(
        zero_batch.validate(),
        Err(InvalidPolicy::Zero {
            field: "batch_size"
        })
    );
    let zero_attempts = DispatchPolicy {
        max_attempts: 0,
        ..DispatchPolicy::default()
    };
    assert_eq!(
        zero_attempts.validate(),
        Err(InvalidPolicy::Zero {
            field: "max_attempts"
        })
    );
    let no_lease = DispatchPolicy {
        lease: TimeDelta::zero(),
        ..DispatchPolicy::default()
    };
    assert_eq!(
        no_lease.validate(),
        Err(InvalidPolicy::NotPositive { field: "lease" })
    );
    let busy_loop = DispatchPolicy {
        poll_interval: Duration::ZERO,
        ..DispatchPolicy::default()
    };
    assert_eq!(
        busy_loop.validate(),
        Err(InvalidPolicy::NotPositive {
            field: "poll_interval"
        })
    );
}

#[test]
fn a_base_above_the_cap_and_jitter_above_100_are_refused() {
    let upside_down = DispatchPolicy {
        backoff_base: TimeDelta::hours(1),
        backoff_cap: TimeDelta::minutes(1),
        ..DispatchPolicy::default()
    };
    assert_eq!(upside_down.validate(), Err(InvalidPolicy::BackoffBase));
    let jumpy = DispatchPolicy {
        jitter_percent: 101,
        ..DispatchPolicy::default()
    };
    assert_eq!(jumpy.validate(), Err(InvalidPolicy::Jitter(101)));
}

#[test]
fn a_batch_that_could_outlast_its_lease_is_refused() {
    // 50 items, 5 at a time: 10 waves of up to 10 s is 100 s > 60 s.
    let slow = DispatchPolicy {
        max_concurrent_sends: 5,
        ..DispatchPolicy::default()
    };
    let error = slow.validate().unwrap_err();
    assert_eq!(
        error,
        InvalidPolicy::BatchOutlastsLease {
            waves: 10,
            send_timeout: Duration::from_secs(10),
            lease: TimeDelta::seconds(60),
        }
    );
    assert!(error.to_string().contains("60 s lease"), "{error}");
    // Exactly the lease is not enough either: the answer must be recorded inside it.
    let tight = DispatchPolicy {
        max_concurrent_sends: 25,
        send_timeout: Duration::from_secs(30),
        ..DispatchPolicy::default()
    };
    assert!(matches!(
        tight.validate(),
        Err(InvalidPolicy::BatchOutlastsLease { waves: 2, .. })
    ));
}

#[test]
fn the_backoff_doubles_from_the_base_up_to_the_cap() {
    let policy = no_jitter();
    let delays: Vec<i64> = (1..=10)
        .map(|n| policy.backoff(n, "k").num_seconds())
        .collect();
    assert_eq!(delays, vec![5, 10, 20, 40, 80, 160, 320, 640, 900, 900]);
    assert_eq!(policy.backoff(u32::MAX, "k"), TimeDelta::minutes(15));
    assert_eq!(
        policy.backoff(0, "k"),
        TimeDelta::seconds(5),
        "attempt 0 counts as the first"
    );
}

#[test]
fn jitter_spreads_keys_within_the_allowed_share_and_is_stable() {
    let policy = DispatchPolicy::default();
    let delays: Vec<TimeDelta> = (0..200)
        .map(|i| policy.backoff(4, &format!("message-{i}")))
        .collect();
    let full = TimeDelta::seconds(40);
    assert!(
        delays.iter().all(|d| *d <= full && *d >= full * 80 / 100),
        "every delay within 20% below 40 s"
    );
    let mut distinct = delays.clone();
    distinct.sort();
    distinct.dedup();
    assert!(
        distinct.len() > 190,
        "keys spread out: {} distinct delays",
        distinct.len()
    );
    // Pinned (computed independently in Python), so a change of hash, and so of
    // every deployment's retry schedule, is noticed.
    assert_eq!(super::key_hash(""), 0xefd0_1f60_ba99_2926);
    assert_eq!(super::key_hash("message-0"), 0xe50c_6b00_17b5_e8fc);
    assert_eq!(delays[0], TimeDelta::milliseconds(32_843));
}

#[test]
fn an_accepted_send_is_sent_with_the_carriers_id() {
    let outcome = no_jitter().outcome(
        &item(1, 7),
        &ProviderName::TELNYX,
        &Ok("msg-123".to_owned()),
        now(),
    );
    assert_eq!(
        outcome,
        DispatchOutcome::Sent {
            provider: ProviderName::TELNYX,
            provider_message_id: "msg-123".to_owned(),
        }
    );
}

#[test]
fn a_retryable_refusal_waits_for_the_longer_of_backoff_and_retry_after() {
    let policy = no_jitter();
    let twilio = ProviderName::TWILIO;
    let plain = policy.outcome(
        &item(2, 7),
        &twilio,
        &Err(refusal(true, None, false)),
        now(),
    );
    assert_eq!(retry_at(&plain), now() + TimeDelta::seconds(10));
    let short_ask = Err(refusal(true, Some(TimeDelta::seconds(1)), false));
    assert_eq!(
        retry_at(&policy.outcome(&item(2, 7), &twilio, &short_ask, now())),
        now() + TimeDelta::seconds(10),
        "a shorter retry_after does not cut the backoff"
    );
    let long_ask = Err(refusal(true, Some(TimeDelta::hours(2)), false));
    assert_eq!(
        retry_at(&policy.outcome(&item(2, 7), &twilio, &long_ask, now())),
        now() + TimeDelta::hours(2),
        "a longer retry_after wins, even past the cap"
    );
}

#[test]
fn a_permanent_refusal_fails_with_the_carriers_code() {
    let mut error = refusal(false, None, false);
    error.code = Some("21211".to_owned());
    let outcome = no_jitter().outcome(&item(1, 7), &ProviderName::TWILIO, &Err(error), now());
    assert_eq!(
        outcome,
        DispatchOutcome::Failed {
            code: Some("21211".to_owned()),
            error: "twilio refused the message (21211): refused".to_owned(),
        }
    );
}

#[test]
fn a_wait_past_the_end_of_time_fails_instead_of_panicking() {
    let forever = Err(refusal(true, Some(TimeDelta::MAX), false));
    let outcome = no_jitter().outcome(&item(1, 7), &ProviderName::TWILIO, &forever, now());
    assert!(
        matches!(&outcome, DispatchOutcome::Failed { error, .. } if error.contains("too long")),
        "{outcome:?}"
    );
}

fn any_policy() -> impl Strategy<Value = DispatchPolicy> {
    (0i64..100_000, 1i64..10_000_000, 0u8..=100, 1u32..20).prop_map(
        |(base, extra, jitter_percent, max_attempts)| DispatchPolicy {
            backoff_base: TimeDelta::milliseconds(base),
            backoff_cap: TimeDelta::milliseconds(base + extra),
            jitter_percent,
            max_attempts,
            ..DispatchPolicy::default()
        },
    )
}

fn any_refusal() -> impl Strategy<Value = CarrierError> {
    (
        any::<bool>(),
        proptest::option::of(0i64..1_000_000),
        any::<bool>(),
    )
        .prop_map(|(retryable, after, opted_out)| {
            refusal(retryable, after.map(TimeDelta::seconds), opted_out)
        })
}

proptest! {
    #[test]
    fn the_backoff_never_decreases_with_attempts_and_stays_under_the_cap(
        policy in any_policy(),
        key in ".{0,40}",
        attempts in 1u32..64,
    ) {
        let this = policy.backoff(attempts, &key);
        let next = policy.backoff(attempts + 1, &key);
        prop_assert!(this <= next, "{this} then {next}");
        prop_assert!(next <= policy.backoff_cap);
        prop_assert!(this >= TimeDelta::zero());
    }

    #[test]
    fn the_jitter_takes_at_most_its_share(
        policy in any_policy(),
        key in ".{0,40}",
        attempts in 1u32..64,
    ) {
        let exact = DispatchPolicy { jitter_percent: 0, ..policy.clone() }.backoff(attempts, &key);
        let jittered = policy.backoff(attempts, &key);
        let floor_ms = exact.num_milliseconds() * (100 - i64::from(policy.jitter_percent)) / 100;
        prop_assert!(jittered <= exact);
        prop_assert!(jittered.num_milliseconds() >= floor_ms, "{jittered} below {floor_ms} ms");
    }

    #[test]
    fn every_refusal_gets_exactly_the_outcome_its_attempt_and_kind_call_for(
        policy in any_policy(),
        error in any_refusal(),
        attempts in 1u32..30,
    ) {
        let claimed = item(attempts, 42);
        let outcome = policy.outcome(&claimed, &ProviderName::TWILIO, &Err(error.clone()), now());
        let gives_up = error.is_permanent() || attempts >= policy.max_attempts;
        match outcome {
            DispatchOutcome::Failed { code, .. } => {
                prop_assert!(gives_up, "a retryable refusal on attempt {attempts} of {} failed", policy.max_attempts);
                prop_assert_eq!(code, error.code);
            }
            DispatchOutcome::Retry { at, .. } => {
                prop_assert!(!gives_up, "retried after {attempts} of {} attempts: {error:?}", policy.max_attempts);
                let backoff = policy.backoff(attempts, &claimed.idempotency_key);
                let asked = error.retry_after().unwrap_or_default();
                prop_assert_eq!(at, now() + backoff.max(asked));
            }
            DispatchOutcome::Sent { .. } => prop_assert!(false, "a refusal was recorded as sent"),
        }
    }
}
