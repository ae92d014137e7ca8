use chrono::{DateTime, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;

use super::local_time::resolve;
use super::*;
use crate::E164;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn number(text: &str) -> E164 {
    E164::parse(text, None).unwrap()
}

/// The decision for a marketing send with no earlier sends, as `None` (send now) or
/// the hold's end in RFC 3339.
fn hold(to: &str, when: &str) -> Option<String> {
    hold_with(&QuietHoursPolicy::default(), to, when, &[])
}

fn hold_with(policy: &QuietHoursPolicy, to: &str, when: &str, sent: &[&str]) -> Option<String> {
    let sent: Vec<DateTime<Utc>> = sent.iter().map(|s| at(s)).collect();
    policy
        .decide(&number(to), SendKind::Marketing, at(when), &sent)
        .unwrap()
        .hold_until()
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

fn reason(to: &str, when: &str, sent: &[&str]) -> HoldReason {
    let sent: Vec<DateTime<Utc>> = sent.iter().map(|s| at(s)).collect();
    let decision = QuietHoursPolicy::default()
        .decide(&number(to), SendKind::Marketing, at(when), &sent)
        .unwrap();
    decision.into_result().unwrap_err().reason
}

const MIAMI: &str = "+13055551234"; // FL, Eastern
const NEW_YORK: &str = "+12125551234"; // federal window, Eastern
const DALLAS: &str = "+12145551234"; // TX, Central
const HARTFORD: &str = "+18605551234"; // CT, Eastern

// --- The windows, at their boundaries (July: EDT is UTC−4, CDT UTC−5) ---

#[test]
fn the_federal_window_includes_its_start_and_excludes_its_end() {
    assert_eq!(
        hold(NEW_YORK, "2026-07-01T11:59:59Z").as_deref(),
        Some("2026-07-01T12:00:00Z")
    ); // 07:59:59
    assert_eq!(hold(NEW_YORK, "2026-07-01T12:00:00Z"), None); // 08:00:00
    assert_eq!(hold(NEW_YORK, "2026-07-02T00:59:59Z"), None); // 20:59:59
    assert_eq!(
        hold(NEW_YORK, "2026-07-02T01:00:00Z").as_deref(),
        Some("2026-07-02T12:00:00Z")
    ); // 21:00:00 → 08:00 the next local day
}

#[test]
fn florida_closes_at_eight_in_the_evening() {
    assert_eq!(
        hold(MIAMI, "2026-07-01T11:59:59Z").as_deref(),
        Some("2026-07-01T12:00:00Z")
    );
    assert_eq!(hold(MIAMI, "2026-07-01T12:00:00Z"), None);
    assert_eq!(hold(MIAMI, "2026-07-01T23:59:59Z"), None); // 19:59:59
    assert_eq!(
        hold(MIAMI, "2026-07-02T00:00:00Z").as_deref(),
        Some("2026-07-02T12:00:00Z")
    ); // 20:00:00
}

#[test]
fn oklahoma_maryland_and_washington_close_at_eight_too() {
    // 20:00 local in July: Oklahoma City CDT, Baltimore EDT, Seattle PDT.
    for (to, eight_pm, next_eight_am) in [
        (
            "+14055551234",
            "2026-07-02T01:00:00Z",
            "2026-07-02T13:00:00Z",
        ),
        (
            "+14105551234",
            "2026-07-02T00:00:00Z",
            "2026-07-02T12:00:00Z",
        ),
        (
            "+12065551234",
            "2026-07-02T03:00:00Z",
            "2026-07-02T15:00:00Z",
        ),
    ] {
        assert_eq!(hold(to, eight_pm).as_deref(), Some(next_eight_am), "{to}");
    }
}

#[test]
fn connecticut_allows_nine_to_eight() {
    assert_eq!(
        hold(HARTFORD, "2026-07-01T12:30:00Z").as_deref(),
        Some("2026-07-01T13:00:00Z")
    ); // 08:30
    assert_eq!(hold(HARTFORD, "2026-07-01T13:00:00Z"), None);
    assert_eq!(
        hold(HARTFORD, "2026-07-02T00:00:00Z").as_deref(),
        Some("2026-07-02T13:00:00Z")
    ); // 20:00
}

#[test]
fn texas_allows_nine_on_weekdays_and_noon_on_sundays() {
    // 2026-06-06 is a Saturday, 2026-06-07 a Sunday.
    assert_eq!(
        hold(DALLAS, "2026-06-06T13:30:00Z").as_deref(),
        Some("2026-06-06T14:00:00Z")
    ); // Sat 08:30 → 09:00
    assert_eq!(hold(DALLAS, "2026-06-07T01:59:59Z"), None); // Sat 20:59:59
    assert_eq!(
        hold(DALLAS, "2026-06-07T02:00:00Z").as_deref(),
        Some("2026-06-07T17:00:00Z")
    ); // Sat 21:00 → Sun 12:00
    assert_eq!(
        hold(DALLAS, "2026-06-07T16:59:59Z").as_deref(),
        Some("2026-06-07T17:00:00Z")
    ); // Sun 11:59:59
    assert_eq!(hold(DALLAS, "2026-06-07T17:00:00Z"), None); // Sun 12:00
    assert_eq!(
        hold(DALLAS, "2026-06-08T02:00:00Z").as_deref(),
        Some("2026-06-08T14:00:00Z")
    ); // Sun 21:00 → Mon 09:00
}

#[test]
fn other_states_get_the_federal_window() {
    // San Francisco, 20:30 PDT.
    assert_eq!(hold("+14155551234", "2026-07-02T03:30:00Z"), None);
}

#[test]
fn a_send_late_in_the_evening_waits_for_the_next_local_morning_not_this_one() {
    // 23:30 and 00:00 EDT in New York.
    assert_eq!(
        hold(NEW_YORK, "2026-07-02T03:30:00Z").as_deref(),
        Some("2026-07-02T12:00:00Z")
    );
    assert_eq!(
        hold(NEW_YORK, "2026-07-02T04:00:00Z").as_deref(),
        Some("2026-07-02T12:00:00Z")
    );
}

#[test]
fn transactional_sends_and_replies_are_never_held() {
    let policy = QuietHoursPolicy::default();
    let three_am = at("2026-07-01T07:00:00Z");
    for kind in [SendKind::Transactional, SendKind::ConversationReply] {
        for to in [MIAMI, DALLAS, "+80012345678"] {
            let decision = policy.decide(&number(to), kind, three_am, &[]).unwrap();
            assert_eq!(decision, Decision::SendNow, "{kind:?} {to}");
        }
    }
    let marketing = policy.decide(&number(MIAMI), SendKind::Marketing, three_am, &[]);
    assert!(!marketing.unwrap().is_send_now());
}

// --- DST ---

#[test]
fn the_us_spring_forward_day_opens_at_eight_daylight_time() {
    // 2026-03-08: clocks go from 02:00 EST to 03:00 EDT.
    // Saturday 21:00 EST is held until Sunday 08:00 EDT (12:00Z, not 13:00Z).
    assert_eq!(
        hold(NEW_YORK, "2026-03-08T02:00:00Z").as_deref(),
        Some("2026-03-08T12:00:00Z")
    );
    assert_eq!(
        hold(NEW_YORK, "2026-03-08T11:59:59Z").as_deref(),
        Some("2026-03-08T12:00:00Z")
    );
    assert_eq!(hold(NEW_YORK, "2026-03-08T12:00:00Z"), None);
    // The day before, 08:00 EST was 13:00Z.
    assert_eq!(
        hold(NEW_YORK, "2026-03-07T12:59:59Z").as_deref(),
        Some("2026-03-07T13:00:00Z")
    );
}

#[test]
fn the_us_fall_back_day_opens_at_eight_standard_time() {
    // 2026-11-01: clocks go from 02:00 EDT back to 01:00 EST.
    assert_eq!(
        hold(NEW_YORK, "2026-11-01T01:00:00Z").as_deref(),
        Some("2026-11-01T13:00:00Z")
    ); // Sat 21:00 EDT → Sun 08:00 EST
    assert_eq!(hold(NEW_YORK, "2026-11-01T13:00:00Z"), None);
    assert_eq!(
        hold(NEW_YORK, "2026-11-02T02:00:00Z").as_deref(),
        Some("2026-11-02T13:00:00Z")
    ); // Sun 21:00 EST
}

#[test]
fn a_local_time_in_a_spring_forward_gap_means_the_first_instant_after_it() {
    let ny = Tz::America__New_York;
    let day = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
    assert_eq!(
        resolve(ny, day.and_hms_opt(2, 30, 0).unwrap()),
        at("2026-03-08T07:00:00Z")
    );
    assert_eq!(
        resolve(ny, day.and_hms_opt(2, 0, 0).unwrap()),
        at("2026-03-08T07:00:00Z")
    );
    assert_eq!(
        resolve(ny, day.and_hms_opt(3, 0, 0).unwrap()),
        at("2026-03-08T07:00:00Z")
    );
    assert_eq!(
        resolve(ny, day.and_hms_opt(1, 59, 59).unwrap()),
        at("2026-03-08T06:59:59Z")
    );
    // Lord Howe Island moves by half an hour, 02:00 → 02:30.
    let lord_howe = NaiveDate::from_ymd_opt(2026, 10, 4).unwrap();
    assert_eq!(
        resolve(
            Tz::Australia__Lord_Howe,
            lord_howe.and_hms_opt(2, 15, 0).unwrap()
        ),
        at("2026-10-03T15:30:00Z")
    );
    // Santiago skips midnight itself: 2026-09-06 starts at 01:00.
    let santiago = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
    assert_eq!(
        resolve(
            Tz::America__Santiago,
            santiago.and_hms_opt(0, 0, 0).unwrap()
        ),
        at("2026-09-06T04:00:00Z")
    );
}

#[test]
fn a_local_time_that_occurs_twice_means_the_earlier() {
    let day = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    assert_eq!(
        resolve(Tz::America__New_York, day.and_hms_opt(1, 30, 0).unwrap()),
        at("2026-11-01T05:30:00Z")
    ); // EDT, not 06:30Z EST
}

#[test]
fn a_window_boundary_in_a_gap_opens_when_the_clocks_jump() {
    // A window starting at 00:30 on Santiago's spring-forward day (00:00 → 01:00).
    let window = WeeklyWindow::every_day(DailyWindow::from_hm((0, 30), (23, 0)).unwrap());
    let santiago = Tz::America__Santiago;
    assert_eq!(
        window.next_allowed(santiago, at("2026-09-06T03:00:00Z")),
        Some(at("2026-09-06T04:00:00Z"))
    );
    assert!(!window.allows(santiago, at("2026-09-06T03:59:59Z")));
    assert!(window.allows(santiago, at("2026-09-06T04:00:00Z")));
}

#[test]
fn a_window_boundary_that_occurs_twice_uses_the_earlier_occurrence() {
    // A window ending at 01:30 on the US fall-back day ends at the first 01:30 (EDT).
    let window = WeeklyWindow::every_day(DailyWindow::from_hm((0, 0), (1, 30)).unwrap());
    let ny = Tz::America__New_York;
    assert!(window.allows(ny, at("2026-11-01T05:29:59Z")));
    assert!(!window.allows(ny, at("2026-11-01T05:30:00Z")));
    assert!(!window.allows(ny, at("2026-11-01T06:15:00Z"))); // 01:15 EST, the second time round
}

#[test]
fn arizona_keeps_standard_time_all_year() {
    // 08:00 MST is 15:00Z in January and in July alike.
    let phoenix = "+16025551234";
    for (before, eight) in [
        ("2026-01-15T14:59:59Z", "2026-01-15T15:00:00Z"),
        ("2026-07-15T14:59:59Z", "2026-07-15T15:00:00Z"),
    ] {
        assert_eq!(hold(phoenix, before).as_deref(), Some(eight));
        assert_eq!(hold(phoenix, eight), None);
    }
    // Denver, same letter M but with DST, opens an hour earlier in July.
    assert_eq!(hold("+13035551234", "2026-07-15T14:00:00Z"), None);
}

#[test]
fn saskatchewan_keeps_central_standard_time_all_year() {
    let regina = "+13065551234";
    for (before, eight) in [
        ("2026-01-15T13:59:59Z", "2026-01-15T14:00:00Z"),
        ("2026-07-15T13:59:59Z", "2026-07-15T14:00:00Z"),
    ] {
        assert_eq!(hold(regina, before).as_deref(), Some(eight));
    }
}

#[test]
fn newfoundland_is_three_and_a_half_hours_behind_utc_in_winter() {
    let st_johns = "+17095551234";
    assert_eq!(
        hold(st_johns, "2026-01-15T11:29:59Z").as_deref(),
        Some("2026-01-15T11:30:00Z")
    ); // NST, UTC−3:30
    assert_eq!(
        hold(st_johns, "2026-07-15T10:29:59Z").as_deref(),
        Some("2026-07-15T10:30:00Z")
    ); // NDT, UTC−2:30
    assert_eq!(
        hold(st_johns, "2026-01-16T00:30:00Z").as_deref(),
        Some("2026-01-16T11:30:00Z")
    ); // 21:00 NST
}

#[test]
fn quarter_hour_offsets_come_from_zone_tab() {
    // Nepal, UTC+5:45: 08:00 is 02:15Z.
    assert_eq!(
        hold("+9779841234567", "2026-07-15T02:14:59Z").as_deref(),
        Some("2026-07-15T02:15:00Z")
    );
    // India, UTC+5:30: 21:00 is 15:30Z.
    assert_eq!(
        hold("+919812345678", "2026-07-15T15:30:00Z").as_deref(),
        Some("2026-07-16T02:30:00Z")
    );
    // New Zealand is Auckland and Chatham (45 minutes ahead): allowed from 08:00 in
    // Auckland until 21:00 in Chatham. January: NZDT UTC+13, Chatham UTC+13:45.
    assert_eq!(hold("+64211234567", "2026-01-15T07:14:59Z"), None);
    assert_eq!(
        hold("+64211234567", "2026-01-15T07:15:00Z").as_deref(),
        Some("2026-01-15T19:00:00Z")
    );
}

#[test]
fn southern_hemisphere_dst_moves_the_window_the_other_way() {
    // Australia: Perth (UTC+8) opens last, Lord Howe closes first: UTC+11 in January
    // (its DST), UTC+10:30 in July.
    let sydney = "+61412345678";
    assert_eq!(
        hold(sydney, "2026-01-15T10:00:00Z").as_deref(),
        Some("2026-01-16T00:00:00Z")
    );
    assert_eq!(hold(sydney, "2026-07-15T10:00:00Z"), None);
    assert_eq!(
        hold(sydney, "2026-07-15T10:30:00Z").as_deref(),
        Some("2026-07-16T00:00:00Z")
    );
    // Chile: Easter Island (UTC−5 in January, −6 in July) opens last, Punta Arenas
    // (UTC−3 all year) closes first, at 00:00Z.
    let chile = "+56221234567";
    assert_eq!(
        hold(chile, "2026-01-15T12:59:59Z").as_deref(),
        Some("2026-01-15T13:00:00Z")
    );
    assert_eq!(
        hold(chile, "2026-07-15T13:59:59Z").as_deref(),
        Some("2026-07-15T14:00:00Z")
    );
    assert_eq!(
        hold(chile, "2026-07-16T00:00:00Z").as_deref(),
        Some("2026-07-16T14:00:00Z")
    );
    // Brazil has had no DST since 2019: Rio Branco (UTC−5) opens at 13:00Z, Noronha
    // (UTC−2) closes at 23:00Z, in January as in July.
    let brazil = "+5511987654321";
    for month in ["01", "07"] {
        assert_eq!(
            hold(brazil, &format!("2026-{month}-15T12:59:59Z")).as_deref(),
            Some(format!("2026-{month}-15T13:00:00Z").as_str())
        );
        assert_eq!(
            hold(brazil, &format!("2026-{month}-15T23:00:00Z")).as_deref(),
            Some(format!("2026-{month}-16T13:00:00Z").as_str())
        );
    }
}

// --- Where the recipient is ---

#[test]
fn an_area_code_spanning_two_zones_is_allowed_only_when_both_are() {
    // 850, Florida panhandle: Eastern and Central. July 08:00 EDT is 07:00 CDT.
    let panhandle = "+18505551234";
    assert_eq!(
        hold(panhandle, "2026-07-01T12:00:00Z").as_deref(),
        Some("2026-07-01T13:00:00Z")
    );
    assert_eq!(hold(panhandle, "2026-07-01T23:59:59Z"), None); // 19:59:59 EDT
    assert_eq!(
        hold(panhandle, "2026-07-02T00:00:00Z").as_deref(),
        Some("2026-07-02T13:00:00Z")
    ); // 20:00 EDT
    let recipient = Recipient::for_number(&number(panhandle)).unwrap();
    assert_eq!(recipient.subdivisions(), Some(&["US-FL"][..]));
}

#[test]
fn a_country_with_many_zones_gets_the_window_they_all_share() {
    // Russia: Kaliningrad (UTC+2) opens at 06:00Z, Kamchatka (UTC+12) closes at 09:00Z.
    let moscow = "+79161234567";
    assert_eq!(
        hold(moscow, "2026-07-15T05:59:59Z").as_deref(),
        Some("2026-07-15T06:00:00Z")
    );
    assert_eq!(hold(moscow, "2026-07-15T08:59:59Z"), None);
    assert_eq!(
        hold(moscow, "2026-07-15T09:00:00Z").as_deref(),
        Some("2026-07-16T06:00:00Z")
    );
}

#[test]
fn a_toll_free_number_gets_every_us_zone_and_every_states_rules() {
    // Mon–Sat 09:00 (Connecticut, Texas) in Honolulu (19:00Z) to 20:00 (Florida …) in
    // New York (00:00Z in July); on Sunday from 12:00 (Texas) in Honolulu (22:00Z).
    let toll_free = "+18005551234";
    let recipient = Recipient::for_number(&number(toll_free)).unwrap();
    assert_eq!(recipient.subdivisions(), None);
    assert_eq!(recipient.zones().len(), 29);
    assert_eq!(
        hold(toll_free, "2026-07-01T18:59:59Z").as_deref(),
        Some("2026-07-01T19:00:00Z")
    );
    assert_eq!(hold(toll_free, "2026-07-01T23:59:59Z"), None);
    assert_eq!(
        hold(toll_free, "2026-07-02T00:00:00Z").as_deref(),
        Some("2026-07-02T19:00:00Z")
    );
    assert_eq!(
        hold(toll_free, "2026-07-05T19:00:00Z").as_deref(),
        Some("2026-07-05T22:00:00Z")
    ); // Sunday
    // The Florida cap applies too: it could be a Florida number.
    let sent = [
        "2026-07-01T19:00:00Z",
        "2026-07-01T19:10:00Z",
        "2026-07-01T19:20:00Z",
    ];
    let policy = QuietHoursPolicy::default();
    assert_eq!(
        hold_with(&policy, toll_free, "2026-07-01T20:00:00Z", &sent).as_deref(),
        Some("2026-07-02T19:00:00Z")
    );
}

#[test]
fn nanp_countries_and_us_territories_use_their_own_region() {
    // Jamaica (UTC−5, no DST) and Puerto Rico (UTC−4, no DST): the federal window only.
    assert_eq!(
        hold("+18765551234", "2026-07-01T12:59:59Z").as_deref(),
        Some("2026-07-01T13:00:00Z")
    );
    let san_juan = Recipient::for_number(&number("+17875551234")).unwrap();
    assert_eq!(san_juan.country(), "PR");
    assert_eq!(
        san_juan.zone_names().collect::<Vec<_>>(),
        ["America/Puerto_Rico"]
    );
    // 20:30 in San Juan: no state rule applies there.
    assert_eq!(hold("+17875551234", "2026-07-02T00:30:00Z"), None);
}

#[test]
fn canadian_numbers_get_their_provinces_zone_and_the_federal_window() {
    let montreal = Recipient::for_number(&number("+15145551234")).unwrap();
    assert_eq!(montreal.country(), "CA");
    assert_eq!(montreal.subdivisions(), Some(&["CA-QC"][..]));
    assert_eq!(hold("+15145551234", "2026-07-02T00:30:00Z"), None); // 20:30 EDT
}

#[test]
fn a_number_that_belongs_to_no_country_has_no_zone() {
    let error = QuietHoursPolicy::default()
        .decide(
            &number("+80012345678"),
            SendKind::Marketing,
            at("2026-07-01T12:00:00Z"),
            &[],
        )
        .unwrap_err();
    assert!(matches!(error, QuietHoursError::NoRecipientZone { .. }));
    assert!(error.to_string().contains("+80012345678"));
}

// --- The solicitation cap ---

#[test]
fn a_fourth_florida_send_within_24_hours_waits_for_the_first_to_age_out() {
    let policy = QuietHoursPolicy::default();
    // Sends at 09:00, 10:00 and 11:00 EDT; a fourth at 15:00 the next day's 09:00.
    let sent = [
        "2026-07-01T13:00:00Z",
        "2026-07-01T14:00:00Z",
        "2026-07-01T15:00:00Z",
    ];
    assert_eq!(
        hold_with(&policy, MIAMI, "2026-07-01T19:00:00Z", &sent).as_deref(),
        Some("2026-07-02T13:00:00Z")
    );
    // Exactly 24 hours after the first send, it no longer counts.
    assert_eq!(
        hold_with(&policy, MIAMI, "2026-07-02T13:00:00Z", &sent),
        None
    );
    // Two sends leave room for a third.
    assert_eq!(
        hold_with(&policy, MIAMI, "2026-07-01T19:00:00Z", &sent[..2]),
        None
    );
}

#[test]
fn a_cap_release_outside_the_window_waits_for_the_window() {
    // Sends at 19:00, 19:10 and 19:20 EDT: a fourth at 19:30 waits for the first to
    // age out at 19:00 the next day, which is inside the window.
    let policy = QuietHoursPolicy::default();
    let sent = [
        "2026-07-01T23:00:00Z",
        "2026-07-01T23:10:00Z",
        "2026-07-01T23:20:00Z",
    ];
    assert_eq!(
        hold_with(&policy, MIAMI, "2026-07-01T23:30:00Z", &sent).as_deref(),
        Some("2026-07-02T23:00:00Z")
    );
    // Sends at 07:00, 07:10 and 07:20 EDT (before the window: sent as transactional,
    // say, but counted): at 06:00 the next day the cap clears at 07:00, the window
    // only at 08:00.
    let early = [
        "2026-07-01T11:00:00Z",
        "2026-07-01T11:10:00Z",
        "2026-07-01T11:20:00Z",
    ];
    assert_eq!(
        hold_with(&policy, MIAMI, "2026-07-02T10:00:00Z", &early).as_deref(),
        Some("2026-07-02T12:00:00Z")
    );
}

#[test]
fn the_cap_only_applies_in_florida_oklahoma_and_maryland() {
    let policy = QuietHoursPolicy::default();
    let sent = [
        "2026-07-01T13:00:00Z",
        "2026-07-01T14:00:00Z",
        "2026-07-01T15:00:00Z",
    ];
    for capped in [MIAMI, "+14055551234", "+14105551234"] {
        assert!(
            hold_with(&policy, capped, "2026-07-01T19:00:00Z", &sent).is_some(),
            "{capped}"
        );
    }
    for free in [NEW_YORK, DALLAS, HARTFORD, "+12065551234"] {
        assert_eq!(
            hold_with(&policy, free, "2026-07-01T19:00:00Z", &sent),
            None,
            "{free}"
        );
    }
}

#[test]
fn sends_after_the_instant_asked_about_do_not_count_yet() {
    let policy = QuietHoursPolicy::default();
    let sent = [
        "2026-07-01T13:00:00Z",
        "2026-07-01T14:00:00Z",
        "2026-07-01T20:00:00Z",
    ];
    assert_eq!(
        hold_with(&policy, MIAMI, "2026-07-01T19:00:00Z", &sent),
        None
    );
}

// --- Reasons ---

#[test]
fn a_hold_names_the_window_that_refused_it() {
    // 20:00 in Miami: only Florida's window is closed.
    assert_eq!(
        reason(MIAMI, "2026-07-02T00:00:00Z", &[]),
        HoldReason::Window {
            zone: "America/New_York".into(),
            rules: vec!["US-FL".into()]
        }
    );
    // 22:00: the federal window is closed as well.
    assert_eq!(
        reason(MIAMI, "2026-07-02T02:00:00Z", &[]),
        HoldReason::Window {
            zone: "America/New_York".into(),
            rules: vec!["everywhere".into(), "US-FL".into()]
        }
    );
}

#[test]
fn a_hold_names_the_cap_that_set_its_end() {
    let sent = [
        "2026-07-01T13:00:00Z",
        "2026-07-01T14:00:00Z",
        "2026-07-01T15:00:00Z",
    ];
    let reason = reason(MIAMI, "2026-07-01T19:00:00Z", &sent);
    assert_eq!(
        reason,
        HoldReason::SolicitationCap {
            region: "US-FL".into(),
            max_sends: 3,
            period_hours: 24
        }
    );
    assert_eq!(
        reason.to_string(),
        "US-FL allows at most 3 sends per 24 hours on one subject"
    );
}

// --- The policy as data ---

fn tenant(json: &str) -> QuietHoursPolicy {
    let rules: PolicyRules = serde_json::from_str(json).unwrap();
    QuietHoursPolicy::default().tightened(&rules).unwrap()
}

#[test]
fn a_tenant_can_close_a_day_everywhere() {
    let policy =
        tenant(r#"{"everywhere": {"every_day": {"start": "00:00", "end": "23:00"}, "sun": null}}"#);
    // Saturday 21:00 in New York waits until Monday 08:00.
    assert_eq!(
        hold_with(&policy, NEW_YORK, "2026-06-07T01:00:00Z", &[]).as_deref(),
        Some("2026-06-08T12:00:00Z")
    );
}

#[test]
fn a_tenant_cannot_loosen_a_state_rule() {
    let policy = tenant(
        r#"{"everywhere": {"every_day": {"start": "06:00", "end": "23:00"}},
            "regions": {"US-FL": {"window": {"every_day": {"start": "07:00", "end": "22:00"}},
                                  "caps": [{"max_sends": 10, "period_hours": 24}]}}}"#,
    );
    assert_eq!(
        hold_with(&policy, MIAMI, "2026-07-02T00:00:00Z", &[]).as_deref(),
        Some("2026-07-02T12:00:00Z")
    );
    let sent = [
        "2026-07-01T13:00:00Z",
        "2026-07-01T14:00:00Z",
        "2026-07-01T15:00:00Z",
    ];
    assert!(hold_with(&policy, MIAMI, "2026-07-01T19:00:00Z", &sent).is_some());
}

#[test]
fn tenant_caps_add_to_the_spec_caps() {
    // One send per 48 hours in Texas, and a second cap in Florida.
    let policy = tenant(
        r#"{"regions": {"US-TX": {"caps": [{"max_sends": 1, "period_hours": 48}]},
                        "US-FL": {"caps": [{"max_sends": 2, "period_hours": 72}]}}}"#,
    );
    assert_eq!(
        hold_with(
            &policy,
            DALLAS,
            "2026-07-02T15:00:00Z",
            &["2026-07-01T15:00:00Z"]
        )
        .as_deref(),
        Some("2026-07-03T15:00:00Z")
    );
    assert_eq!(
        hold_with(
            &policy,
            MIAMI,
            "2026-07-03T15:00:00Z",
            &["2026-07-01T15:00:00Z", "2026-07-02T15:00:00Z"]
        )
        .as_deref(),
        Some("2026-07-04T15:00:00Z")
    );
}

#[test]
fn a_tenant_window_for_a_country_or_province_applies_there_only() {
    let policy = tenant(
        r#"{"regions": {"CA-QC": {"window": {"every_day": {"start": "09:00", "end": "18:00"}}}}}"#,
    );
    assert_eq!(
        hold_with(&policy, "+15145551234", "2026-07-01T22:00:00Z", &[]).as_deref(),
        Some("2026-07-02T13:00:00Z")
    ); // 18:00 in Montreal
    assert_eq!(
        hold_with(&policy, "+14165551234", "2026-07-01T22:00:00Z", &[]),
        None
    ); // Toronto
}

#[test]
fn a_policy_that_never_allows_a_send_is_an_error_not_a_hold() {
    let policy = tenant(
        r#"{"everywhere": {"mon": null, "tue": null, "wed": null, "thu": null, "fri": null, "sat": null, "sun": null}}"#,
    );
    let error = policy
        .decide(
            &number(NEW_YORK),
            SendKind::Marketing,
            at("2026-07-01T12:00:00Z"),
            &[],
        )
        .unwrap_err();
    assert_eq!(
        error,
        QuietHoursError::NoAllowedTime {
            from: at("2026-07-01T12:00:00Z"),
            days: HORIZON_DAYS
        }
    );
    // Or zones that share no hour: a 08:00–09:00 window in all of Russia's zones.
    let narrow = tenant(r#"{"everywhere": {"every_day": {"start": "08:00", "end": "09:00"}}}"#);
    let russia = narrow.decide(
        &number("+79161234567"),
        SendKind::Marketing,
        at("2026-07-01T12:00:00Z"),
        &[],
    );
    assert!(matches!(russia, Err(QuietHoursError::NoAllowedTime { .. })));
}

#[test]
fn the_ends_of_time_are_an_error_not_a_panic() {
    let policy = QuietHoursPolicy::default();
    for to in ["+61412345678", "+13055551234"] {
        for instant in [DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MIN_UTC] {
            // Either an answer or "no allowed time": the local date may not exist.
            let decision = policy.decide(&number(to), SendKind::Marketing, instant, &[]);
            assert!(
                matches!(decision, Ok(_) | Err(QuietHoursError::NoAllowedTime { .. })),
                "{to} {instant}: {decision:?}"
            );
        }
    }
}

#[test]
fn the_policy_round_trips_through_json_and_deserializing_starts_from_the_spec() {
    let policy =
        tenant(r#"{"regions": {"US-NY": {"caps": [{"max_sends": 5, "period_hours": 24}]}}}"#);
    let json = serde_json::to_string(&policy).unwrap();
    let back: QuietHoursPolicy = serde_json::from_str(&json).unwrap();
    assert_eq!(back, policy);
    // An empty document is the SPEC policy, not an empty one.
    let empty: QuietHoursPolicy = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, QuietHoursPolicy::spec());
    let written = serde_json::to_value(QuietHoursPolicy::spec()).unwrap();
    assert_eq!(
        written["everywhere"]["mon"],
        serde_json::json!({"start": "08:00", "end": "21:00"})
    );
    assert_eq!(
        written["regions"]["US-TX"]["window"]["sun"]["start"],
        "12:00"
    );
    assert_eq!(
        written["regions"]["US-FL"]["caps"],
        serde_json::json!([{"max_sends": 3, "period_hours": 24}])
    );
}

#[test]
fn malformed_rules_are_refused_with_the_reason() {
    let error = |json: &str| {
        serde_json::from_str::<QuietHoursPolicy>(json)
            .unwrap_err()
            .to_string()
    };
    assert!(
        error(r#"{"everywhere": {"every_day": {"start": "8am", "end": "21:00"}}}"#).contains("8am")
    );
    assert!(
        error(r#"{"everywhere": {"every_day": {"start": "21:00", "end": "08:00"}}}"#)
            .contains("empty")
    );
    assert!(error(r#"{"regions": {"florida": {}}}"#).contains("florida"));
    assert!(
        error(r#"{"regions": {"US-FL": {"caps": [{"max_sends": 3, "period_hours": 0}]}}}"#)
            .contains("at least one hour")
    );
    assert!(error(r#"{"everywhere": {"monday": null}}"#).contains("monday"));
}

#[test]
fn a_weekly_window_reads_every_day_with_overrides_and_closed_days() {
    let week: WeeklyWindow = serde_json::from_str(
        r#"{"every_day": {"start": "09:00", "end": "21:00"}, "sun": {"start": "12:00", "end": "21:00"}, "sat": null}"#,
    )
    .unwrap();
    assert_eq!(week.on(Weekday::Mon).unwrap().to_string(), "09:00–21:00");
    assert_eq!(week.on(Weekday::Sun).unwrap().to_string(), "12:00–21:00");
    assert_eq!(week.on(Weekday::Sat), None);
    let seconds: DailyWindow =
        serde_json::from_str(r#"{"start": "08:00:30", "end": "20:00"}"#).unwrap();
    assert_eq!(seconds.to_string(), "08:00:30–20:00");
}

// --- The generated tables ---

#[test]
fn the_generated_tables_match_the_json_the_python_reference_reads() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/quiet_hours_zones.json"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let area_codes = json["area_codes"].as_object().unwrap();
    assert_eq!(area_codes.len(), area_codes::AREA_CODES.len());
    for row in &area_codes::AREA_CODES {
        let expected = &area_codes[&row.npa.to_string()];
        let zones: Vec<&str> = row.zones.iter().map(|z| z.name()).collect();
        assert_eq!(serde_json::json!(zones), expected["zones"], "{}", row.npa);
        assert_eq!(
            serde_json::json!(row.subdivisions),
            expected["subdivisions"],
            "{}",
            row.npa
        );
    }
    let countries = json["countries"].as_object().unwrap();
    assert_eq!(countries.len(), country_zones::COUNTRY_ZONES.len());
    for (region, zones) in &country_zones::COUNTRY_ZONES {
        let names: Vec<&str> = zones.iter().map(|z| z.name()).collect();
        assert_eq!(serde_json::json!(names), countries[*region], "{region}");
    }
    assert!(
        area_codes::AREA_CODES
            .windows(2)
            .all(|w| w[0].npa < w[1].npa)
    );
    assert!(
        country_zones::COUNTRY_ZONES
            .windows(2)
            .all(|w| w[0].0 < w[1].0)
    );
}

#[test]
fn every_area_code_in_the_table_is_a_us_or_canadian_number_to_libphonenumber() {
    // The table lookup skips libphonenumber's region; that is only sound if the two agree.
    for row in &area_codes::AREA_CODES {
        for exchange in ["234", "555", "720"] {
            let Ok(n) = E164::parse(&format!("+1{}{exchange}4567", row.npa), None) else {
                continue;
            };
            let country = &row.subdivisions[0][..2];
            assert_eq!(n.region().as_deref(), Some(country), "{n}");
        }
    }
}

#[test]
fn every_libphonenumber_region_has_zones() {
    use rlibphonenumber::PHONE_NUMBER_UTIL;
    for region in PHONE_NUMBER_UTIL.get_supported_regions() {
        let code = region.as_region_str();
        assert!(
            country_zones::COUNTRY_ZONES
                .iter()
                .any(|(c, _)| *c == code.as_str()),
            "{}",
            code.as_str()
        );
    }
}
