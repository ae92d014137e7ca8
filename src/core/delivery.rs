//! Delivery status as a join-semilattice (SPEC §6).
//!
//! Providers do not deliver status callbacks in order: Twilio may post `delivered`
//! before `sent`, a retried webhook repeats itself, and Meta may skip `delivered`
//! and go straight to `read`. So a message's status is not "the last callback
//! received" but the **join** of every callback received, under this order:
//!
//! ```text
//! queued < sending < sent < failed < undelivered < delivered < read
//! ```
//!
//! - The success path climbs `queued < sending < sent < delivered < read`.
//! - `failed` and `undelivered` are accepted after `queued`, `sending` and `sent`, and
//!   never override `delivered` or `read`: once the handset has the message, a late
//!   failure report changes nothing (it is still recorded, see below).
//! - `undelivered` ranks above `failed`. Twilio reports `failed` when a message
//!   could not be sent at all and `undelivered` when the carrier reported that it
//!   did not reach the handset, which implies it was sent; Meta reports only
//!   `failed`. If both arrive, `undelivered` is the one that says more.
//!
//! Because the order is total, the join of two statuses is simply the greater one,
//! and [`Delivery::merge`] is commutative, associative and idempotent: any
//! permutation of any multiset of [`StatusUpdate`]s gives one answer.
//!
//! Every status reported is also kept with its own evidence, merged the same
//! order-independent way: the earliest and latest time it was reported, and the set
//! of provider error codes that came with it. Nothing is ever overwritten, so a
//! failure reported after `delivered` is still there to read, and there are no ties
//! to break: two reports of the same status combine into one record.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use msgcore::core::delivery::{Delivery, DeliveryStatus, StatusUpdate};
//!
//! let t = |s| Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, s).unwrap();
//! let updates = [
//!     StatusUpdate::new(DeliveryStatus::Read, t(9)),
//!     StatusUpdate::new(DeliveryStatus::Sent, t(2)),
//!     StatusUpdate::failed(DeliveryStatus::Failed, t(5), "131026"),
//! ];
//! let mut delivery = Delivery::default();
//! for update in updates {
//!     delivery.apply(update);
//! }
//! // Meta skipped `delivered`; the late failure does not override `read`...
//! assert_eq!(delivery.status(), Some(DeliveryStatus::Read));
//! // ...but its error code is kept.
//! let failed = delivery.report(DeliveryStatus::Failed).unwrap();
//! assert!(failed.error_codes.contains("131026"));
//! ```

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a message is on its way to the recipient.
///
/// The derived order is the precedence [`Delivery::merge`] uses (see the module
/// docs), not the order in which callbacks arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Accepted for sending, not yet handed to the provider.
    Queued,
    /// Being handed to the provider.
    Sending,
    /// The provider accepted it and passed it on.
    Sent,
    /// It could not be sent (Twilio `failed`, Meta `failed`).
    Failed,
    /// The carrier reported that it did not reach the handset (Twilio `undelivered`).
    Undelivered,
    /// It reached the handset.
    Delivered,
    /// The recipient read it.
    Read,
}

impl DeliveryStatus {
    /// Every status, from lowest to highest precedence.
    pub const ALL: [DeliveryStatus; 7] = [
        DeliveryStatus::Queued,
        DeliveryStatus::Sending,
        DeliveryStatus::Sent,
        DeliveryStatus::Failed,
        DeliveryStatus::Undelivered,
        DeliveryStatus::Delivered,
        DeliveryStatus::Read,
    ];

    /// The stable wire name (`"undelivered"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Queued => "queued",
            DeliveryStatus::Sending => "sending",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Undelivered => "undelivered",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Read => "read",
        }
    }

    /// Whether the message did not reach the recipient (`failed` or `undelivered`).
    pub const fn is_failure(self) -> bool {
        matches!(self, DeliveryStatus::Failed | DeliveryStatus::Undelivered)
    }

    /// The join: the status that stands once both have been reported.
    pub fn join(self, other: DeliveryStatus) -> DeliveryStatus {
        self.max(other)
    }
}

impl std::fmt::Display for DeliveryStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The input named no known delivery status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown delivery status {0:?}: expected queued, sending, sent, failed, undelivered, delivered or read"
)]
pub struct UnknownStatus(pub String);

impl std::str::FromStr for DeliveryStatus {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DeliveryStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| UnknownStatus(s.to_owned()))
    }
}

/// One status callback from a provider.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StatusUpdate {
    /// The status reported.
    pub status: DeliveryStatus,
    /// When the provider says it happened.
    pub at: DateTime<Utc>,
    /// The provider's error code, if it gave one (Twilio `30003`, Meta `131026`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
}

impl StatusUpdate {
    /// A report of `status` at `at`, without an error code.
    pub fn new(status: DeliveryStatus, at: DateTime<Utc>) -> Self {
        StatusUpdate {
            status,
            at,
            error_code: None,
        }
    }

    /// A report of `status` at `at` carrying the provider's `error_code`.
    pub fn failed(
        status: DeliveryStatus,
        at: DateTime<Utc>,
        error_code: impl Into<String>,
    ) -> Self {
        StatusUpdate {
            status,
            at,
            error_code: Some(error_code.into()),
        }
    }
}

/// Everything reported about one status of one message.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StatusReport {
    /// The earliest time this status was reported for.
    pub first_at: DateTime<Utc>,
    /// The latest time this status was reported for.
    pub last_at: DateTime<Utc>,
    /// Every provider error code reported with this status.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub error_codes: BTreeSet<String>,
}

impl StatusReport {
    fn of(update: StatusUpdate) -> Self {
        StatusReport {
            first_at: update.at,
            last_at: update.at,
            error_codes: update.error_code.into_iter().collect(),
        }
    }

    /// Combines two reports of the same status: earliest first, latest last, all codes.
    fn merge(&mut self, other: &StatusReport) {
        self.first_at = self.first_at.min(other.first_at);
        self.last_at = self.last_at.max(other.last_at);
        self.error_codes.extend(other.error_codes.iter().cloned());
    }
}

/// What is known about a message's delivery: every status reported, with its
/// evidence. The empty value (nothing reported yet) is the identity of
/// [`merge`](Self::merge).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Delivery {
    reports: BTreeMap<DeliveryStatus, StatusReport>,
}

impl Delivery {
    /// The delivery known from one update.
    pub fn from_update(update: StatusUpdate) -> Self {
        let mut delivery = Delivery::default();
        delivery.apply(update);
        delivery
    }

    /// The status that stands: the join of every status reported, `None` before the
    /// first report.
    pub fn status(&self) -> Option<DeliveryStatus> {
        self.reports.keys().next_back().copied()
    }

    /// What was reported with `status`, if it ever was.
    pub fn report(&self, status: DeliveryStatus) -> Option<&StatusReport> {
        self.reports.get(&status)
    }

    /// Every status reported, lowest precedence first, with its evidence.
    pub fn reports(&self) -> impl Iterator<Item = (DeliveryStatus, &StatusReport)> {
        self.reports
            .iter()
            .map(|(status, report)| (*status, report))
    }

    /// Records one update; returns whether the status that stands changed (so a caller
    /// emits a "status changed" event only when it did).
    pub fn apply(&mut self, update: StatusUpdate) -> bool {
        let before = self.status();
        let status = update.status;
        let report = StatusReport::of(update);
        match self.reports.get_mut(&status) {
            Some(existing) => existing.merge(&report),
            None => {
                self.reports.insert(status, report);
            }
        }
        self.status() != before
    }

    /// The join of two deliveries: everything either knows. Commutative, associative
    /// and idempotent.
    pub fn merge(&self, other: &Delivery) -> Delivery {
        let mut merged = self.clone();
        for (status, report) in &other.reports {
            match merged.reports.get_mut(status) {
                Some(existing) => existing.merge(report),
                None => {
                    merged.reports.insert(*status, report.clone());
                }
            }
        }
        merged
    }
}

impl FromIterator<StatusUpdate> for Delivery {
    fn from_iter<I: IntoIterator<Item = StatusUpdate>>(updates: I) -> Self {
        let mut delivery = Delivery::default();
        for update in updates {
            delivery.apply(update);
        }
        delivery
    }
}

#[cfg(test)]
mod laws;

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn t(second: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, second).unwrap()
    }

    use DeliveryStatus::*;

    #[test]
    fn the_success_path_climbs_whatever_order_the_callbacks_arrive_in() {
        let forward: Delivery = [Queued, Sent, Delivered, Read]
            .into_iter()
            .zip(0..)
            .map(|(s, i)| StatusUpdate::new(s, t(i)))
            .collect();
        let backward: Delivery = [Read, Delivered, Sent, Queued]
            .into_iter()
            .zip([3, 2, 1, 0])
            .map(|(s, i)| StatusUpdate::new(s, t(i)))
            .collect();
        assert_eq!(forward.status(), Some(Read));
        assert_eq!(forward, backward);
    }

    #[test]
    fn a_failure_is_accepted_after_sent_but_never_overrides_delivered_or_read() {
        for before in [Queued, Sending, Sent] {
            let delivery: Delivery = [
                StatusUpdate::new(before, t(0)),
                StatusUpdate::new(Failed, t(1)),
            ]
            .into_iter()
            .collect();
            assert_eq!(delivery.status(), Some(Failed), "after {before}");
        }
        for after in [Delivered, Read] {
            for failure in [Failed, Undelivered] {
                let mut delivery = Delivery::from_update(StatusUpdate::new(after, t(0)));
                let changed = delivery.apply(StatusUpdate::failed(failure, t(5), "30003"));
                assert!(!changed);
                assert_eq!(delivery.status(), Some(after), "{failure} after {after}");
                assert!(
                    delivery
                        .report(failure)
                        .unwrap()
                        .error_codes
                        .contains("30003")
                );
            }
        }
    }

    #[test]
    fn undelivered_outranks_failed_in_either_order() {
        let a: Delivery = [
            StatusUpdate::new(Failed, t(1)),
            StatusUpdate::new(Undelivered, t(2)),
        ]
        .into_iter()
        .collect();
        let b: Delivery = [
            StatusUpdate::new(Undelivered, t(2)),
            StatusUpdate::new(Failed, t(1)),
        ]
        .into_iter()
        .collect();
        assert_eq!(a.status(), Some(Undelivered));
        assert_eq!(a, b);
    }

    #[test]
    fn a_repeated_status_keeps_its_earliest_and_latest_time_and_every_code() {
        let delivery: Delivery = [
            StatusUpdate::failed(Failed, t(7), "131026"),
            StatusUpdate::failed(Failed, t(3), "131049"),
            StatusUpdate::failed(Failed, t(5), "131026"),
        ]
        .into_iter()
        .collect();
        let report = delivery.report(Failed).unwrap();
        assert_eq!((report.first_at, report.last_at), (t(3), t(7)));
        assert_eq!(
            report
                .error_codes
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            ["131026", "131049"]
        );
    }

    #[test]
    fn apply_reports_whether_the_standing_status_changed() {
        let mut delivery = Delivery::default();
        assert_eq!(delivery.status(), None);
        assert!(delivery.apply(StatusUpdate::new(Sent, t(1))));
        assert!(!delivery.apply(StatusUpdate::new(Sent, t(2))));
        assert!(!delivery.apply(StatusUpdate::new(Queued, t(0))));
        assert!(delivery.apply(StatusUpdate::new(Delivered, t(3))));
    }

    #[test]
    fn statuses_round_trip_through_their_wire_names() {
        for status in DeliveryStatus::ALL {
            assert_eq!(status.as_str().parse::<DeliveryStatus>(), Ok(status));
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
        assert_eq!(
            "DELIVERED".parse::<DeliveryStatus>(),
            Err(UnknownStatus("DELIVERED".into()))
        );
    }

    #[test]
    fn a_delivery_serializes_as_a_map_from_status_to_report() {
        let delivery: Delivery = [
            StatusUpdate::new(Sent, t(1)),
            StatusUpdate::failed(Undelivered, t(2), "30003"),
        ]
        .into_iter()
        .collect();
        let json = serde_json::to_value(&delivery).unwrap();
        assert_eq!(json["undelivered"]["error_codes"][0], "30003");
        assert_eq!(json["sent"]["first_at"], "2026-01-05T09:00:01Z");
        assert_eq!(serde_json::from_value::<Delivery>(json).unwrap(), delivery);
    }
}
