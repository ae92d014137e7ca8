//! Plan limits (SPEC §10): what a tenant's plan lets it do, as data.
//!
//! SPEC §10 names one plan limit, the size of a broadcast: 1,000 contacts on
//! Starter, unlimited on Pro. [`PlanLimits`] holds it (and is where further limits
//! go as plans grow them); [`PlanLimits::starter`] and [`PlanLimits::pro`] are the
//! SPEC's plans, and a tenant's own plan can be read from configuration.
//!
//! Exceeding a plan limit is not a rate limit, although the seed lists the two in
//! one table: waiting does not make a 5,000-contact broadcast fit a Starter plan, so
//! [`PlanLimitExceeded`] carries no `retry_after` and is not retryable. A server
//! answers it with 403 (the plan does not permit it; upgrading or splitting the
//! audience does), not 429, which tells clients and proxies to retry later.
//!
//! ```
//! use msgcore::core::plan::{PlanLimit, PlanLimits};
//!
//! let starter = PlanLimits::starter();
//! assert!(starter.check_broadcast(1_000).is_ok());
//! let refused = starter.check_broadcast(1_001).unwrap_err();
//! assert_eq!((refused.limit, refused.max, refused.requested), (PlanLimit::BroadcastRecipients, 1_000, 1_001));
//! assert_eq!(
//!     refused.to_string(),
//!     "a broadcast to 1001 recipients is over this plan's limit of 1000 recipients per broadcast"
//! );
//! assert!(PlanLimits::pro().check_broadcast(250_000).is_ok());
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

/// The limits of one plan. `None` means unlimited.
///
/// On the wire: `{"max_broadcast_recipients": 1000}`; `null` is unlimited. A field
/// that is missing also reads as unlimited, so plans stored before a limit existed
/// keep meaning what they meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlanLimits {
    /// The most recipients one broadcast may have.
    pub max_broadcast_recipients: Option<u32>,
}

impl PlanLimits {
    /// The Starter plan: at most 1,000 contacts per broadcast.
    pub const fn starter() -> PlanLimits {
        PlanLimits {
            max_broadcast_recipients: Some(1_000),
        }
    }

    /// The Pro plan: broadcasts of any size.
    pub const fn pro() -> PlanLimits {
        PlanLimits {
            max_broadcast_recipients: None,
        }
    }

    /// The same plan with a different broadcast limit (`None` for unlimited).
    pub const fn with_max_broadcast_recipients(mut self, max: Option<u32>) -> PlanLimits {
        self.max_broadcast_recipients = max;
        self
    }

    /// Checks that a broadcast to `recipients` contacts fits the plan.
    pub fn check_broadcast(&self, recipients: usize) -> Result<(), PlanLimitExceeded> {
        check(
            PlanLimit::BroadcastRecipients,
            self.max_broadcast_recipients,
            recipients,
        )
    }
}

/// `requested` against an optional `max` of `limit`.
fn check(limit: PlanLimit, max: Option<u32>, requested: usize) -> Result<(), PlanLimitExceeded> {
    let requested = u64::try_from(requested).unwrap_or(u64::MAX);
    match max {
        Some(max) if requested > u64::from(max) => Err(PlanLimitExceeded {
            limit,
            max,
            requested,
        }),
        _ => Ok(()),
    }
}

/// Which plan limit was hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PlanLimit {
    /// [`PlanLimits::max_broadcast_recipients`].
    BroadcastRecipients,
}

impl PlanLimit {
    /// The stable wire name (`"broadcast_recipients"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            PlanLimit::BroadcastRecipients => "broadcast_recipients",
        }
    }
}

impl fmt::Display for PlanLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request bigger than the tenant's plan allows. Not retryable: the plan must
/// change, or the request shrink.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub struct PlanLimitExceeded {
    /// Which limit.
    pub limit: PlanLimit,
    /// The plan's maximum.
    pub max: u32,
    /// What was asked for.
    pub requested: u64,
}

impl fmt::Display for PlanLimitExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let PlanLimitExceeded {
            limit,
            max,
            requested,
        } = self;
        match limit {
            PlanLimit::BroadcastRecipients => write!(
                f,
                "a broadcast to {requested} recipients is over this plan's limit of {max} \
                 recipients per broadcast"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn starter_allows_up_to_1000_recipients_and_names_the_excess() {
        let starter = PlanLimits::starter();
        assert_eq!(starter.check_broadcast(0), Ok(()));
        assert_eq!(starter.check_broadcast(1_000), Ok(()));
        assert_eq!(
            starter.check_broadcast(1_001),
            Err(PlanLimitExceeded {
                limit: PlanLimit::BroadcastRecipients,
                max: 1_000,
                requested: 1_001,
            })
        );
    }

    #[test]
    fn pro_allows_any_broadcast() {
        assert_eq!(PlanLimits::pro().check_broadcast(usize::MAX), Ok(()));
    }

    #[test]
    fn a_custom_plan_sets_its_own_limit() {
        let enterprise = PlanLimits::starter().with_max_broadcast_recipients(Some(50_000));
        assert!(enterprise.check_broadcast(50_000).is_ok());
        assert!(enterprise.check_broadcast(50_001).is_err());
        let closed = PlanLimits::pro().with_max_broadcast_recipients(Some(0));
        assert_eq!(closed.check_broadcast(0), Ok(()));
        assert!(closed.check_broadcast(1).is_err());
    }

    #[test]
    fn plans_are_json_and_a_missing_limit_is_no_limit() {
        let starter = serde_json::to_value(PlanLimits::starter()).unwrap();
        assert_eq!(
            starter,
            serde_json::json!({"max_broadcast_recipients": 1000})
        );
        assert_eq!(
            serde_json::from_value::<PlanLimits>(starter).unwrap(),
            PlanLimits::starter()
        );
        for unlimited in [r#"{"max_broadcast_recipients": null}"#, "{}"] {
            assert_eq!(
                serde_json::from_str::<PlanLimits>(unlimited).unwrap(),
                PlanLimits::pro()
            );
        }
        assert!(serde_json::from_str::<PlanLimits>(r#"{"max_broadcast_recipients": -1}"#).is_err());
    }

    #[test]
    fn limit_names_are_stable_snake_case_matching_serde() {
        let limit = PlanLimit::BroadcastRecipients;
        assert_eq!(serde_json::to_value(limit).unwrap(), limit.as_str());
        assert_eq!(limit.to_string(), "broadcast_recipients");
    }

    proptest! {
        #[test]
        fn a_broadcast_passes_exactly_when_it_is_within_the_limit(
            max in proptest::option::of(0u32..5_000),
            recipients in 0usize..10_000,
        ) {
            let plan = PlanLimits::pro().with_max_broadcast_recipients(max);
            let fits = max.is_none_or(|max| recipients <= max as usize);
            match plan.check_broadcast(recipients) {
                Ok(()) => prop_assert!(fits),
                Err(refused) => {
                    prop_assert!(!fits);
                    prop_assert_eq!(Some(refused.max), max);
                    prop_assert_eq!(refused.requested, recipients as u64);
                }
            }
        }
    }
}
