//! Property tests: the laws a quiet-hours decision obeys for any number, instant and
//! tenant rules.

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;

use super::*;
use crate::E164;

/// Numbers covering one zone, an area code over two zones, a whole country's zones,
/// DST north and south, offsets of :30 and :45, a cap state and no-DST places.
const NUMBERS: &[&str] = &[
    "+13055551234",   // FL, Eastern, capped
    "+18505551234",   // FL, Eastern + Central
    "+12145551234",   // TX, Sunday rule
    "+18605551234",   // CT
    "+14055551234",   // OK, capped
    "+16025551234",   // AZ, no DST
    "+13065551234",   // SK, no DST
    "+17095551234",   // NL, UTC−3:30
    "+18675551234",   // NT/YT/NU, four zones
    "+18005551234",   // toll free: every US zone and state
    "+17875551234",   // PR
    "+64211234567",   // NZ, Chatham +12:45
    "+9779841234567", // NP, +5:45
    "+61412345678",   // AU, twelve zones, southern DST
    "+56221234567",   // CL, southern DST
    "+79123456789",   // RU, 26 zones
    "+447400123456",  // GB
];

fn recipient() -> impl Strategy<Value = Recipient> {
    proptest::sample::select(NUMBERS)
        .prop_map(|n| Recipient::for_number(&E164::parse(n, None).unwrap()).unwrap())
}

/// Any second from 2000 to 2037, often near the US and EU DST changes.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    let any = (946_684_800i64..2_145_916_800).boxed();
    let near_dst = (
        prop::sample::select(vec![
            "2026-03-08T07:00:00Z",
            "2026-11-01T06:00:00Z",
            "2026-03-29T01:00:00Z",
            "2026-04-05T03:00:00Z",
            "2026-10-04T16:00:00Z",
        ]),
        -86_400i64..86_400,
    )
        .prop_map(|(t, d)| t.parse::<DateTime<Utc>>().unwrap().timestamp() + d)
        .boxed();
    prop_oneof![any, near_dst].prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
}

/// Up to five earlier sends in the two days before `at`.
fn sends_before(at: DateTime<Utc>) -> impl Strategy<Value = Vec<DateTime<Utc>>> {
    proptest::collection::vec(0i64..2 * 86_400, 0..6)
        .prop_map(move |ago| ago.iter().map(|s| at - TimeDelta::seconds(*s)).collect())
}

fn case() -> impl Strategy<Value = (Recipient, DateTime<Utc>, Vec<DateTime<Utc>>)> {
    (recipient(), instant()).prop_flat_map(|(r, at)| (Just(r), Just(at), sends_before(at)))
}

fn daily() -> impl Strategy<Value = Option<DailyWindow>> {
    prop_oneof![
        1 => Just(None),
        6 => (0u32..24, 0u32..60, 1u32..24 * 60).prop_map(|(h, m, len)| {
            let start = h * 60 + m;
            let end = (start + len).min(23 * 60 + 59);
            DailyWindow::from_hm((start / 60, start % 60), (end / 60, end % 60)).ok()
        }),
    ]
}

fn weekly() -> impl Strategy<Value = WeeklyWindow> {
    proptest::collection::vec(daily(), 7).prop_map(|days| {
        let mut week = WeeklyWindow::every_day(DailyWindow::from_hm((0, 0), (23, 59)).unwrap());
        for (day, window) in DAYS.iter().zip(days) {
            week = week.with_day(*day, window);
        }
        week
    })
}

const DAYS: [chrono::Weekday; 7] = [
    chrono::Weekday::Mon,
    chrono::Weekday::Tue,
    chrono::Weekday::Wed,
    chrono::Weekday::Thu,
    chrono::Weekday::Fri,
    chrono::Weekday::Sat,
    chrono::Weekday::Sun,
];

fn region_rules() -> impl Strategy<Value = RegionRules> {
    (
        proptest::option::of(weekly()),
        proptest::collection::vec((0u32..5, 1u32..96), 0..3),
    )
        .prop_map(|(window, caps)| RegionRules {
            window,
            caps: caps
                .into_iter()
                .map(|(n, h)| SolicitationCap::new(n, h).unwrap())
                .collect(),
        })
}

fn tenant_rules() -> impl Strategy<Value = PolicyRules> {
    let keys = prop::sample::select(vec![
        "US", "US-FL", "US-TX", "US-NY", "US-AZ", "CA", "CA-NL", "CA-SK", "RU", "AU", "NZ", "GB",
        "PR",
    ]);
    (
        proptest::option::of(weekly()),
        proptest::collection::btree_map(keys.prop_map(str::to_owned), region_rules(), 0..4),
    )
        .prop_map(|(everywhere, regions)| PolicyRules {
            everywhere,
            regions,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A hold ends at an allowed instant, and no instant from `at` up to it is allowed
    /// (checked every minute going back, and the second before).
    #[test]
    fn a_hold_ends_at_the_earliest_allowed_instant((r, at, sent) in case()) {
        let policy = QuietHoursPolicy::default();
        if let Decision::HoldUntil(hold) = policy.decide_for(&r, at, &sent).unwrap() {
            prop_assert!(hold.until > at);
            prop_assert!(policy.allows(&r, hold.until, &sent));
            let mut earlier = hold.until - TimeDelta::seconds(1);
            prop_assert!(!policy.allows(&r, earlier, &sent), "{earlier} allowed before {}", hold.until);
            while earlier > at {
                earlier = (earlier - TimeDelta::minutes(1)).max(at);
                prop_assert!(!policy.allows(&r, earlier, &sent), "{earlier} allowed before {}", hold.until);
            }
        }
    }

    /// The decision is "send now" exactly when the instant is allowed, and deciding
    /// again at a hold's end says "send now".
    #[test]
    fn send_now_exactly_when_the_instant_is_allowed((r, at, sent) in case()) {
        let policy = QuietHoursPolicy::default();
        let decision = policy.decide_for(&r, at, &sent).unwrap();
        prop_assert_eq!(decision.is_send_now(), policy.allows(&r, at, &sent));
        if let Some(until) = decision.hold_until() {
            let again = policy.decide_for(&r, until, &sent).unwrap();
            prop_assert_eq!(again, Decision::SendNow);
        }
    }

    /// Whatever a tenant writes, the tightened policy allows nothing the SPEC policy
    /// holds, and never releases a send earlier.
    #[test]
    fn tightening_never_allows_what_the_spec_holds(
        (r, at, sent) in case(),
        rules in tenant_rules(),
    ) {
        let spec = QuietHoursPolicy::default();
        let tight = spec.tightened(&rules).unwrap();
        if tight.allows(&r, at, &sent) {
            prop_assert!(spec.allows(&r, at, &sent));
        }
        let spec_until = spec.decide_for(&r, at, &sent).unwrap().hold_until().unwrap_or(at);
        if let Ok(decision) = tight.decide_for(&r, at, &sent) {
            prop_assert!(decision.hold_until().unwrap_or(at) >= spec_until);
        }
        // And its JSON form gives the same policy back.
        let json = serde_json::to_string(&tight).unwrap();
        prop_assert_eq!(serde_json::from_str::<QuietHoursPolicy>(&json).unwrap(), tight);
    }

    /// Transactional sends and replies go now, whatever the number and the hour.
    #[test]
    fn transactional_sends_and_replies_are_never_held(
        to in proptest::sample::select(NUMBERS), at in instant(),
    ) {
        let policy = QuietHoursPolicy::default();
        let to = E164::parse(to, None).unwrap();
        for kind in [SendKind::Transactional, SendKind::ConversationReply] {
            prop_assert_eq!(policy.decide(&to, kind, at, &[]).unwrap(), Decision::SendNow);
        }
    }

    /// A window and its intersection: the intersection allows only what both allow.
    #[test]
    fn an_intersection_allows_exactly_what_both_windows_allow(
        a in weekly(), b in weekly(), at in instant(),
        zone in prop::sample::select(vec![chrono_tz::Tz::America__New_York, chrono_tz::Tz::Australia__Lord_Howe, chrono_tz::Tz::America__Santiago]),
    ) {
        let both = a.intersect(&b);
        prop_assert_eq!(both.allows(zone, at), a.allows(zone, at) && b.allows(zone, at));
        prop_assert!(both.is_within(&a) && both.is_within(&b));
    }
}
