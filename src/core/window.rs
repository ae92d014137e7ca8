//! WhatsApp's messaging windows (SPEC §5): when free-form messages may be sent, and
//! when sending costs nothing.
//!
//! **The customer-service window.** A business may send any message to a WhatsApp
//! user for 24 hours after that user's last message (or call); after that, only an
//! approved template. Meta refuses a free-form message outside the window with error
//! 131047 and Twilio with 63016; [`may_send`] refuses it first, with
//! [`WindowError::OutsideWindow`], so nothing is queued that the provider will
//! bounce. The window is start-inclusive and end-exclusive: a message at exactly
//! 24 hours is outside. Interactive messages need the window like any free-form
//! message; templates never do; SMS has no window at all.
//!
//! Every inbound message resets the window; whether an emoji reaction does is a
//! [`WindowPolicy`] choice (default: no, since a reaction is not the customer
//! asking for anything). Inbound events may reach the caller out of order (webhook
//! retries), so the window opens from the *latest* inbound seen, never the most
//! recently processed one: feeding the same events in any order gives the same state.
//!
//! **The free entry point.** When the user arrives through a Click-to-WhatsApp ad or
//! a Facebook Page call-to-action button and the business replies within 24 hours
//! of that message, a 72-hour window opens, starting at the reply, in which every
//! message — templates too — is free. It only affects cost, never what may be sent:
//! free-form messages still need the customer-service window.
//!
//! State is plain data ([`WindowState`]); updates are pure functions that take the
//! event's time.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use msgcore::Channel;
//! use msgcore::core::message::ContentKind;
//! use msgcore::core::window::{InboundKind, WindowError, WindowPolicy, WindowState, may_send};
//!
//! let policy = WindowPolicy::default();
//! let at = |h| Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap() + TimeDelta::hours(h);
//! let window = WindowState::default().on_inbound(InboundKind::Message, None, at(0), &policy);
//!
//! assert!(may_send(Channel::WhatsApp, ContentKind::Text, &window, at(23)).is_ok());
//! assert!(window.service_window(at(23), &policy).is_expiring_soon());
//! assert_eq!(
//!     may_send(Channel::WhatsApp, ContentKind::Text, &window, at(24)),
//!     Err(WindowError::OutsideWindow { kind: ContentKind::Text, closed_at: Some(at(24)) }),
//! );
//! assert!(may_send(Channel::WhatsApp, ContentKind::Template, &window, at(24)).is_ok());
//! assert!(may_send(Channel::Sms, ContentKind::Text, &window, at(99)).is_ok());
//! ```

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::channel::Channel;
use super::message::ContentKind;

/// How long the customer-service window stays open after the user's last message.
pub const SERVICE_WINDOW: TimeDelta = TimeDelta::hours(24);
/// How long after an entry-point message the business may reply to open the free window.
pub const ENTRY_POINT_REPLY_WINDOW: TimeDelta = TimeDelta::hours(24);
/// How long the free entry-point window lasts from the business's reply.
pub const FREE_ENTRY_POINT_WINDOW: TimeDelta = TimeDelta::hours(72);

/// A tenant's window settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowPolicy {
    /// Whether an inbound emoji reaction reopens the customer-service window.
    pub reactions_reset_window: bool,
    /// How close to expiry the window counts as "expiring soon" (for a UI countdown).
    pub expiring_soon: TimeDelta,
}

impl Default for WindowPolicy {
    /// Reactions do not reset the window; "expiring soon" is the last hour.
    fn default() -> Self {
        WindowPolicy {
            reactions_reset_window: false,
            expiring_soon: TimeDelta::hours(1),
        }
    }
}

/// What the WhatsApp user did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InboundKind {
    /// Sent a message of any type other than a reaction.
    Message,
    /// Reacted to one of the business's messages with an emoji.
    Reaction,
    /// Called the business (WhatsApp Business Calling).
    Call,
}

/// How the user arrived, when it was through a free entry point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryPoint {
    /// A Click-to-WhatsApp ad (the message carries a `referral`).
    ClickToWhatsAppAd,
    /// A Facebook Page call-to-action button.
    PageButton,
}

/// One contact's WhatsApp window state: plain data, updated by pure functions.
///
/// Feed it only the contact's WhatsApp activity: SMS has no window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WindowState {
    /// The latest inbound event that opens the customer-service window.
    pub last_inbound_at: Option<DateTime<Utc>>,
    /// The latest inbound message that came through a free entry point.
    pub entry_point_at: Option<DateTime<Utc>>,
    /// When the business's reply opened the current free entry-point window.
    pub free_window_opened_at: Option<DateTime<Utc>>,
}

impl WindowState {
    /// The state after the user's inbound `kind` at `at`, arriving through `entry_point`
    /// if any.
    pub fn on_inbound(
        self,
        kind: InboundKind,
        entry_point: Option<EntryPoint>,
        at: DateTime<Utc>,
        policy: &WindowPolicy,
    ) -> WindowState {
        let opens_window = match kind {
            InboundKind::Message | InboundKind::Call => true,
            InboundKind::Reaction => policy.reactions_reset_window,
        };
        WindowState {
            last_inbound_at: if opens_window {
                latest(self.last_inbound_at, at)
            } else {
                self.last_inbound_at
            },
            entry_point_at: match entry_point {
                Some(_) => latest(self.entry_point_at, at),
                None => self.entry_point_at,
            },
            ..self
        }
    }

    /// The state after the business sent a message at `at`: the reply that opens the
    /// free entry-point window, if it is one.
    pub fn on_outbound(self, at: DateTime<Utc>) -> WindowState {
        if self.free_window_opened_by_sending(at) {
            WindowState {
                free_window_opened_at: Some(at),
                ..self
            }
        } else {
            self
        }
    }

    /// When the customer-service window closes (or closed), if it was ever opened.
    pub fn service_window_expires_at(&self) -> Option<DateTime<Utc>> {
        self.last_inbound_at.map(|at| at + SERVICE_WINDOW)
    }

    /// The customer-service window as seen at `now`.
    pub fn service_window(&self, now: DateTime<Utc>, policy: &WindowPolicy) -> ServiceWindow {
        match self.open_until(now) {
            Ok(expires_at) => {
                let remaining = expires_at - now;
                ServiceWindow::Open {
                    expires_at,
                    remaining,
                    expiring_soon: remaining <= policy.expiring_soon,
                }
            }
            Err(closed_at) => ServiceWindow::Closed { closed_at },
        }
    }

    /// When the customer-service window open at `now` closes, or, when it is not
    /// open, when it closed (`None`: never opened).
    fn open_until(&self, now: DateTime<Utc>) -> Result<DateTime<Utc>, Option<DateTime<Utc>>> {
        match self.service_window_expires_at() {
            Some(expires_at) if now < expires_at => Ok(expires_at),
            closed_at => Err(closed_at),
        }
    }

    /// Whether a message sent at `now` is free because of an entry point, and until
    /// when sending stays free: the open free window, or the one a reply sent now
    /// would open. `None` when a send at `now` is charged as usual.
    pub fn free_until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if let Some(until) = self.open_free_window_until(now) {
            return Some(until);
        }
        self.free_window_opened_by_sending(now)
            .then(|| now + FREE_ENTRY_POINT_WINDOW)
    }

    /// Whether a message sent at `now` costs nothing (see [`free_until`](Self::free_until)).
    pub fn is_free(&self, now: DateTime<Utc>) -> bool {
        self.free_until(now).is_some()
    }

    fn open_free_window_until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let opened_at = self.free_window_opened_at?;
        let until = opened_at + FREE_ENTRY_POINT_WINDOW;
        (opened_at <= now && now < until).then_some(until)
    }

    /// Whether a business message at `at` opens a free window: it answers an
    /// entry-point message within 24 hours, no free window is open, and that
    /// entry-point message has not already opened one.
    fn free_window_opened_by_sending(&self, at: DateTime<Utc>) -> bool {
        let Some(entry_at) = self.entry_point_at else {
            return false;
        };
        let answers_in_time = entry_at <= at && at < entry_at + ENTRY_POINT_REPLY_WINDOW;
        let already_used = self
            .free_window_opened_at
            .is_some_and(|opened| opened >= entry_at);
        answers_in_time && !already_used && self.open_free_window_until(at).is_none()
    }
}

fn latest(current: Option<DateTime<Utc>>, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    Some(current.map_or(at, |current| current.max(at)))
}

/// The customer-service window at one instant, for a UI countdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ServiceWindow {
    /// Free-form messages may be sent.
    Open {
        /// When the window closes.
        expires_at: DateTime<Utc>,
        /// How long until then.
        remaining: TimeDelta,
        /// Whether `remaining` is within the policy's "expiring soon" threshold.
        expiring_soon: bool,
    },
    /// Only templates may be sent.
    Closed {
        /// When the window closed; `None` if the user never wrote.
        closed_at: Option<DateTime<Utc>>,
    },
}

impl ServiceWindow {
    /// Whether free-form messages may be sent.
    pub fn is_open(&self) -> bool {
        matches!(self, ServiceWindow::Open { .. })
    }

    /// Whether the window is open and about to close.
    pub fn is_expiring_soon(&self) -> bool {
        matches!(
            self,
            ServiceWindow::Open {
                expiring_soon: true,
                ..
            }
        )
    }
}

/// Why a message may not be sent now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WindowError {
    /// A free-form WhatsApp message outside the 24-hour customer-service window: what
    /// Meta answers with error 131047 and Twilio with 63016. Send a template instead.
    #[error("{kind} messages need the 24-hour WhatsApp window, which {}; send a template", closed_phrase(*closed_at))]
    OutsideWindow {
        /// The kind of content refused.
        kind: ContentKind,
        /// When the window closed; `None` if the user never wrote.
        closed_at: Option<DateTime<Utc>>,
    },
}

fn closed_phrase(closed_at: Option<DateTime<Utc>>) -> String {
    match closed_at {
        Some(at) => format!("closed at {}", at.to_rfc3339()),
        None => "never opened (the contact has not written)".to_owned(),
    }
}

/// Whether content of `kind` may be sent on `channel` at `now`.
///
/// SMS has no window. On WhatsApp a template may always be sent; anything else —
/// interactive messages included — needs the customer-service window to be open.
pub fn may_send(
    channel: Channel,
    kind: ContentKind,
    window: &WindowState,
    now: DateTime<Utc>,
) -> Result<(), WindowError> {
    if channel == Channel::Sms || kind == ContentKind::Template {
        return Ok(());
    }
    window
        .open_until(now)
        .map(drop)
        .map_err(|closed_at| WindowError::OutsideWindow { kind, closed_at })
}

#[cfg(test)]
mod laws;

#[cfg(test)]
mod tests;
