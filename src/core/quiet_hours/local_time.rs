//! Turning a local wall-clock time into an instant, across DST changes.
//!
//! A wall-clock time names zero, one or two instants: none in a spring-forward gap
//! (02:30 on the US spring-forward day), two in a fall-back overlap (01:30 on the US
//! fall-back day). Quiet hours need one answer for each, and the one that never lets a
//! window open early or close late for anyone reading a clock in that zone is: the
//! first instant after the gap, and the earlier of the two.

use chrono::{DateTime, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use super::HORIZON_DAYS;

/// How many local days a window search looks at: the horizon and the day it ends on.
pub(super) const SEARCH_DAYS: usize = HORIZON_DAYS as usize + 2;

/// The wall-clock time in `zone` at `instant`; `None` only within a day of the ends of
/// time chrono can represent, where the local time would fall outside them.
pub(super) fn wall_clock(zone: Tz, instant: DateTime<Utc>) -> Option<NaiveDateTime> {
    let utc = instant.naive_utc();
    utc.checked_add_offset(zone.offset_from_utc_datetime(&utc).fix())
}

/// The instant `local` names in `zone`: the earlier of two, or the first instant after
/// a gap (the instant the clocks jump, whose wall-clock time is the end of the gap).
pub(super) fn resolve(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(instant) => instant.to_utc(),
        LocalResult::Ambiguous(first, second) => first.min(second).to_utc(),
        LocalResult::None => end_of_gap(zone, local),
    }
}

/// The first instant whose wall-clock time in `zone` is at or after `local`.
///
/// Every UTC offset lies within −12 h and +14 h, so that instant lies within the
/// 28 hours around `local` read as UTC; wall-clock time only moves forward there
/// (no zone has two transitions that close together), so a binary search over whole
/// seconds finds it. Transitions happen on whole seconds.
fn end_of_gap(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let as_utc = local.and_utc().timestamp();
    // `lo` is always before `local` on the wall clock, `hi` never is.
    let mut lo = as_utc - 15 * 3600;
    let mut hi = as_utc + 13 * 3600;
    let wall =
        |seconds: i64| DateTime::from_timestamp(seconds, 0).and_then(|t| wall_clock(zone, t));
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if wall(mid).is_some_and(|time| time >= local) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    // Out of chrono's range only for dates some 260,000 years away.
    DateTime::from_timestamp(hi, 0).unwrap_or_else(|| local.and_utc())
}
