//! Property tests: merging status reports is a join-semilattice, so the order and
//! repetition of callbacks never matter.

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;

use super::{Delivery, DeliveryStatus, StatusUpdate};

fn update() -> impl Strategy<Value = StatusUpdate> {
    let status = proptest::sample::select(DeliveryStatus::ALL.to_vec());
    // A small range of instants and codes, so that equal times and codes are common.
    let at = (0i64..20).prop_map(|s| Utc.timestamp_opt(1_767_600_000 + s, 0).unwrap());
    let code = proptest::option::of(proptest::sample::select(vec!["30003", "131026", "40300"]));
    (status, at, code).prop_map(|(status, at, code): (_, DateTime<Utc>, _)| StatusUpdate {
        status,
        at,
        error_code: code.map(str::to_owned),
    })
}

fn updates() -> impl Strategy<Value = Vec<StatusUpdate>> {
    proptest::collection::vec(update(), 0..12)
}

fn delivery() -> impl Strategy<Value = Delivery> {
    updates().prop_map(Delivery::from_iter)
}

proptest! {
    #[test]
    fn merge_is_commutative(a in delivery(), b in delivery()) {
        prop_assert_eq!(a.merge(&b), b.merge(&a));
    }

    #[test]
    fn merge_is_associative(a in delivery(), b in delivery(), c in delivery()) {
        prop_assert_eq!(a.merge(&b).merge(&c), a.merge(&b.merge(&c)));
    }

    #[test]
    fn merge_is_idempotent_and_nothing_is_its_identity(a in delivery()) {
        prop_assert_eq!(a.merge(&a), a.clone());
        prop_assert_eq!(a.merge(&Delivery::default()), a.clone());
        prop_assert_eq!(Delivery::default().merge(&a), a);
    }

    #[test]
    fn any_permutation_of_any_multiset_of_updates_gives_one_answer(
        (original, shuffled) in updates()
            .prop_flat_map(|updates| {
                // Repeat some updates, as retried webhooks do, then shuffle everything.
                let repeated = proptest::sample::subsequence(updates.clone(), 0..=updates.len());
                (Just(updates), repeated)
            })
            .prop_flat_map(|(updates, repeated)| {
                let all: Vec<_> = updates.iter().chain(&repeated).cloned().collect();
                (Just(updates), Just(all).prop_shuffle())
            })
    ) {
        let in_order: Delivery = original.into_iter().collect();
        let any_order: Delivery = shuffled.into_iter().collect();
        prop_assert_eq!(in_order, any_order);
    }

    #[test]
    fn applying_an_update_is_merging_its_delivery(a in delivery(), u in update()) {
        let mut applied = a.clone();
        applied.apply(u.clone());
        prop_assert_eq!(applied, a.merge(&Delivery::from_update(u)));
    }

    #[test]
    fn the_standing_status_is_the_greatest_reported_and_no_failure_overrides_delivered_or_read(
        us in updates()
    ) {
        let delivery: Delivery = us.iter().cloned().collect();
        let greatest = us.iter().map(|u| u.status).max();
        prop_assert_eq!(delivery.status(), greatest);
        let reached_handset = us
            .iter()
            .any(|u| matches!(u.status, DeliveryStatus::Delivered | DeliveryStatus::Read));
        if reached_handset {
            prop_assert!(!delivery.status().unwrap().is_failure());
        }
        for u in &us {
            let report = delivery.report(u.status).unwrap();
            prop_assert!(report.first_at <= u.at && u.at <= report.last_at);
            if let Some(code) = &u.error_code {
                prop_assert!(report.error_codes.contains(code));
            }
        }
    }
}
