//! Which conversation an inbound message belongs to.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Conversation, Status};

/// How long after its last activity a resolved conversation can still be resumed:
/// 30 days.
pub const DEFAULT_RESUMPTION_WINDOW: TimeDelta = TimeDelta::days(30);

/// When a message to a resolved conversation resumes it rather than starting a new
/// one.
///
/// Serialized as whole seconds: `{"window_seconds": 2592000}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResumptionPolicy {
    /// How long after its last activity a resolved conversation resumes. A zero or
    /// negative window never resumes one.
    #[serde(rename = "window_seconds", with = "whole_seconds")]
    pub window: TimeDelta,
}

impl Default for ResumptionPolicy {
    /// Resume within [`DEFAULT_RESUMPTION_WINDOW`].
    fn default() -> Self {
        ResumptionPolicy {
            window: DEFAULT_RESUMPTION_WINDOW,
        }
    }
}

impl ResumptionPolicy {
    /// Whether `now` lies within the window that opened at `since`: the window is
    /// half-open, `[since, since + window)`. A `now` before `since` (a late webhook)
    /// counts as no time elapsed.
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use msgcore::core::conversation::ResumptionPolicy;
    ///
    /// let policy = ResumptionPolicy::default();
    /// let since = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    /// assert!(policy.is_within(since, since + TimeDelta::days(30) - TimeDelta::nanoseconds(1)));
    /// assert!(!policy.is_within(since, since + TimeDelta::days(30)));
    /// ```
    pub fn is_within(&self, since: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        (now - since).max(TimeDelta::zero()) < self.window
    }
}

/// Where an inbound message goes, and the conversation to store as a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", content = "conversation", rename_all = "snake_case")]
pub enum InboundDecision {
    /// The latest conversation was not resolved: the message joins it and its
    /// status stays as it was.
    Continue(Conversation),
    /// The latest conversation was resolved within the window: it is `OPEN` again.
    Resume(Conversation),
    /// There was no conversation, or the latest was resolved longer ago than the
    /// window: a new `OPEN` conversation starts and the old one stays resolved.
    StartNew(Conversation),
}

impl InboundDecision {
    /// The conversation the message belongs to, as it should be stored.
    pub fn conversation(&self) -> &Conversation {
        match self {
            InboundDecision::Continue(c)
            | InboundDecision::Resume(c)
            | InboundDecision::StartNew(c) => c,
        }
    }

    /// The conversation the message belongs to, by value.
    pub fn into_conversation(self) -> Conversation {
        match self {
            InboundDecision::Continue(c)
            | InboundDecision::Resume(c)
            | InboundDecision::StartNew(c) => c,
        }
    }
}

/// Decides where a message from a contact at `now` goes, given the contact's latest
/// conversation (SPEC §4): continue it, resume it, or start a new one. The
/// conversation's status changes only as [`transition`](super::transition) says for
/// an `inbound` event.
///
/// A survey answer must be recognized before this is asked (see
/// [`csat`](crate::core::csat)): a rating does not resume a conversation.
pub fn on_inbound(
    latest: Option<&Conversation>,
    now: DateTime<Utc>,
    policy: &ResumptionPolicy,
) -> InboundDecision {
    let Some(latest) = latest else {
        return InboundDecision::StartNew(Conversation::start(now));
    };
    let within_window = policy.is_within(latest.last_activity_at(), now);
    match latest.status() {
        Status::Resolved if !within_window => InboundDecision::StartNew(Conversation::start(now)),
        Status::Resolved => InboundDecision::Resume(latest.receive(within_window, now)),
        _ => InboundDecision::Continue(latest.receive(within_window, now)),
    }
}

/// [`ResumptionPolicy::window`] as a whole number of seconds.
mod whole_seconds {
    use super::*;

    pub(super) fn serialize<S: Serializer>(
        window: &TimeDelta,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        window.num_seconds().serialize(serializer)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<TimeDelta, D::Error> {
        let seconds = i64::deserialize(deserializer)?;
        TimeDelta::try_seconds(seconds).ok_or_else(|| {
            serde::de::Error::custom(format!("window_seconds {seconds} is out of range"))
        })
    }
}
