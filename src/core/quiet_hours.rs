//! Quiet hours (SPEC §3): when a marketing send may reach a recipient, in their local time.
//!
//! A marketing or campaign send may only go out inside the allowed hours of the
//! recipient's local wall-clock time: 08:00–21:00 everywhere (the US federal window),
//! narrowed by stricter states (Florida, Oklahoma, Maryland and Washington 08:00–20:00,
//! Connecticut 09:00–20:00, Texas 09:00–21:00 Monday to Saturday and 12:00–21:00 on
//! Sunday). Florida, Oklahoma and Maryland also allow at most 3 solicitations per 24
//! hours on the same subject. Transactional sends and conversation replies are never
//! held. Windows include their start and exclude their end: a Florida number at
//! 20:00:00 local is held until 08:00 the next local day.
//!
//! The answer is a [`Decision`]: [`Decision::SendNow`], or [`Decision::HoldUntil`] the
//! earliest instant every rule allows, with the rule that set it (for a UI to explain).
//!
//! **Where the recipient is** comes from the number alone ([`Recipient`]): the area code
//! for US and Canadian numbers (a table generated from NANPA's area code report by
//! `scripts/gen_quiet_hours_tables.py`), otherwise the region's zones in IANA's
//! `zone.tab`. When the number leaves the place open — an area code spanning two zones,
//! a toll-free number, a country with many zones — the answer is the most restrictive
//! one: a send is allowed only if it is allowed in every zone, under every subdivision's
//! rules, the owner may be in.
//!
//! **Local time** is read with the IANA tz database that `chrono-tz` bundles. A window
//! boundary that does not exist on a spring-forward day means the first instant after
//! the gap; one that occurs twice on a fall-back day means the earlier.
//!
//! **The policy is data** ([`QuietHoursPolicy`], serde): SPEC's rules by default, and a
//! tenant's [`PolicyRules`] can only tighten them — every window a tenant adds is
//! intersected with SPEC's, and every cap is added to them.
//!
//! ```
//! use chrono::{DateTime, Utc};
//! use msgcore::E164;
//! use msgcore::core::quiet_hours::{Decision, HoldReason, QuietHoursPolicy, SendKind};
//!
//! let policy = QuietHoursPolicy::default();
//! let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
//! let dallas = E164::parse("+1 214 555 0100", None)?;
//!
//! // Sunday 10:00 in Dallas (CDT): Texas allows Sundays from noon.
//! let decision = policy.decide(&dallas, SendKind::Marketing, at("2026-06-07T15:00:00Z"), &[])?;
//! let Decision::HoldUntil(hold) = decision else { panic!("not held") };
//! assert_eq!(hold.until, at("2026-06-07T17:00:00Z"));
//! assert_eq!(
//!     hold.reason,
//!     HoldReason::Window { zone: "America/Chicago".into(), rules: vec!["US-TX".into()] }
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod area_codes;
mod cap;
mod country_zones;
mod decide;
mod error;
#[cfg(test)]
mod laws;
mod local_time;
mod policy;
mod recipient;
#[cfg(test)]
mod tests;
mod window;

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use cap::SolicitationCap;
pub use error::{PolicyError, QuietHoursError};
pub use policy::{PolicyRules, QuietHoursPolicy, RegionRules};
pub use recipient::Recipient;
pub use window::{DailyWindow, WeeklyWindow};

use recipient::AreaCode;

/// How far ahead a decision looks for an allowed instant. Every window repeats weekly
/// (Texas's Sunday rule is the longest cycle), so a week and a day covers every case
/// that has an answer at all.
pub const HORIZON_DAYS: u32 = 8;

/// What a send is, which decides whether quiet hours apply to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SendKind {
    /// A marketing or campaign send: held outside the allowed hours.
    Marketing,
    /// A transactional send (receipt, one-time code, appointment): never held.
    Transactional,
    /// A reply in a conversation the contact is having: never held.
    ConversationReply,
}

impl SendKind {
    /// Whether quiet hours apply to this kind of send.
    pub fn is_held_by_quiet_hours(self) -> bool {
        matches!(self, SendKind::Marketing)
    }
}

/// Whether a send may go now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Every rule allows sending now.
    SendNow,
    /// Hold the send until the earliest instant every rule allows.
    HoldUntil(Hold),
}

impl Decision {
    /// Whether the send may go now.
    pub fn is_send_now(&self) -> bool {
        matches!(self, Decision::SendNow)
    }

    /// When a held send may go; `None` for [`Decision::SendNow`].
    pub fn hold_until(&self) -> Option<DateTime<Utc>> {
        match self {
            Decision::SendNow => None,
            Decision::HoldUntil(hold) => Some(hold.until),
        }
    }

    /// `Ok(())` to send now, or the hold as an error, for a send path that refuses
    /// (rather than schedules) a send in quiet hours.
    pub fn into_result(self) -> Result<(), Hold> {
        match self {
            Decision::SendNow => Ok(()),
            Decision::HoldUntil(hold) => Err(hold),
        }
    }
}

/// A held send: when it may go, and why it may not go sooner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("held for quiet hours until {until}: {reason}")]
pub struct Hold {
    /// The earliest instant every rule allows.
    pub until: DateTime<Utc>,
    /// The rule that set `until` (the last one that moved it).
    pub reason: HoldReason,
}

/// Which rule a send is waiting for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum HoldReason {
    /// Outside the allowed hours in `zone`.
    Window {
        /// The IANA zone whose local time is outside the window.
        zone: String,
        /// The rules whose windows refuse it there: `"everywhere"` (SPEC's 08:00–21:00
        /// and a tenant's window for everyone) and region keys such as `"US-FL"`.
        rules: Vec<String>,
    },
    /// Over a solicitation cap.
    SolicitationCap {
        /// The country or subdivision whose cap it is (`"US-FL"`).
        region: String,
        /// The sends the cap allows per period.
        max_sends: u32,
        /// The period, in hours.
        period_hours: u32,
    },
}

impl fmt::Display for HoldReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HoldReason::Window { zone, rules } => {
                write!(
                    f,
                    "outside the allowed hours in {zone} ({})",
                    rules.join(", ")
                )
            }
            HoldReason::SolicitationCap {
                region,
                max_sends,
                period_hours,
            } => write!(
                f,
                "{region} allows at most {max_sends} sends per {period_hours} hours on one subject"
            ),
        }
    }
}
