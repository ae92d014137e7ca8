//! Property tests: the window never lets free-form text through after it closes,
//! always lets templates through, and does not depend on the order events arrive in.

use chrono::TimeZone;
use proptest::prelude::*;

use super::*;

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    // Four days in minutes, so that events often fall near each other's boundaries.
    (0i64..5760).prop_map(|m| Utc.timestamp_opt(1_767_600_000 + m * 60, 0).unwrap())
}

fn inbound() -> impl Strategy<Value = (InboundKind, Option<EntryPoint>, DateTime<Utc>)> {
    let kind = proptest::sample::select(vec![
        InboundKind::Message,
        InboundKind::Reaction,
        InboundKind::Call,
    ]);
    let entry = proptest::option::of(proptest::sample::select(vec![
        EntryPoint::ClickToWhatsAppAd,
        EntryPoint::PageButton,
    ]));
    (kind, entry, instant())
}

fn policy() -> impl Strategy<Value = WindowPolicy> {
    (any::<bool>(), 0i64..600).prop_map(|(reactions, minutes)| WindowPolicy {
        reactions_reset_window: reactions,
        expiring_soon: TimeDelta::minutes(minutes),
    })
}

fn fold(
    events: &[(InboundKind, Option<EntryPoint>, DateTime<Utc>)],
    policy: &WindowPolicy,
) -> WindowState {
    events
        .iter()
        .fold(WindowState::default(), |state, &(kind, entry, at)| {
            state.on_inbound(kind, entry, at, policy)
        })
}

proptest! {
    #[test]
    fn free_form_content_is_refused_from_expiry_on_and_allowed_before(
        events in proptest::collection::vec(inbound(), 0..8),
        policy in policy(),
        now in instant(),
    ) {
        let state = fold(&events, &policy);
        let opening = events.iter().filter(|(kind, _, _)| {
            *kind != InboundKind::Reaction || policy.reactions_reset_window
        });
        let expiry = opening.map(|(_, _, at)| *at + SERVICE_WINDOW).max();
        for kind in ContentKind::ALL.into_iter().filter(|k| *k != ContentKind::Template) {
            let verdict = may_send(Channel::WhatsApp, kind, &state, now);
            match expiry {
                Some(expiry) if now < expiry => prop_assert!(verdict.is_ok()),
                closed_at => prop_assert_eq!(verdict, Err(WindowError::OutsideWindow { kind, closed_at })),
            }
        }
        prop_assert_eq!(state.service_window(now, &policy).is_open(), expiry.is_some_and(|e| now < e));
    }

    #[test]
    fn templates_and_sms_are_always_allowed(
        events in proptest::collection::vec(inbound(), 0..8),
        policy in policy(),
        now in instant(),
        kind in proptest::sample::select(ContentKind::ALL.to_vec()),
    ) {
        let state = fold(&events, &policy);
        prop_assert!(may_send(Channel::WhatsApp, ContentKind::Template, &state, now).is_ok());
        prop_assert!(may_send(Channel::Sms, kind, &state, now).is_ok());
    }

    #[test]
    fn inbound_events_give_the_same_state_in_any_order(
        (events, shuffled) in proptest::collection::vec(inbound(), 0..8)
            .prop_flat_map(|events| (Just(events.clone()), Just(events).prop_shuffle())),
        policy in policy(),
    ) {
        prop_assert_eq!(fold(&events, &policy), fold(&shuffled, &policy));
    }

    #[test]
    fn remaining_time_plus_now_is_the_expiry_and_soon_means_within_the_threshold(
        events in proptest::collection::vec(inbound(), 1..8),
        policy in policy(),
        now in instant(),
    ) {
        let state = fold(&events, &policy);
        if let ServiceWindow::Open { expires_at, remaining, expiring_soon } = state.service_window(now, &policy) {
            prop_assert_eq!(now + remaining, expires_at);
            prop_assert!(remaining > TimeDelta::zero());
            prop_assert_eq!(expiring_soon, remaining <= policy.expiring_soon);
        }
    }

    #[test]
    fn sending_is_free_only_within_72_hours_of_a_reply_to_an_entry_point_message(
        events in proptest::collection::vec(inbound(), 0..6),
        replies in proptest::collection::vec(instant(), 0..6),
        now in instant(),
    ) {
        let policy = WindowPolicy::default();
        let mut replies = replies;
        replies.sort();
        let state = replies.iter().fold(fold(&events, &policy), |s, &at| s.on_outbound(at));
        if let Some(until) = state.free_until(now) {
            prop_assert!(until > now && until - now <= FREE_ENTRY_POINT_WINDOW);
            prop_assert!(events.iter().any(|(_, entry, at)| entry.is_some() && *at <= now));
        }
        if events.iter().all(|(_, entry, _)| entry.is_none()) {
            prop_assert_eq!(state.free_window_opened_at, None);
        }
    }
}
