//! Where a campaign stands, and what pause, resume and cancel do to it
//! (SPEC §18).

use serde::{Deserialize, Serialize};

/// A campaign's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    /// Due recipients are queued as the throttle allows.
    Active,
    /// Nobody is queued until it is resumed.
    Paused,
    /// Stopped for good: its pending recipients were skipped `cancelled`.
    Cancelled,
    /// Every recipient was queued or skipped.
    Completed,
}

/// What a caller asks of a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignChange {
    /// Stop queuing for now.
    Pause,
    /// Queue again, the throttle counting from the resumption.
    Resume,
    /// Stop for good; pending recipients are skipped `cancelled`.
    Cancel,
}

/// A change a campaign's status does not allow: it is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the campaign is {status:?}; it cannot {change:?}")]
pub struct CampaignFinished {
    /// Its status.
    pub status: CampaignStatus,
    /// What was asked.
    pub change: CampaignChange,
}

impl CampaignStatus {
    /// The status after `change`. Asking for the status a campaign has already
    /// (pausing a paused one) changes nothing and is not an error; a cancelled
    /// or completed campaign cannot be paused, resumed or cancelled.
    pub fn apply(self, change: CampaignChange) -> Result<CampaignStatus, CampaignFinished> {
        use CampaignChange::{Cancel, Pause, Resume};
        use CampaignStatus::{Active, Cancelled, Completed, Paused};
        match (self, change) {
            (Active | Paused, Pause) => Ok(Paused),
            (Active | Paused, Resume) => Ok(Active),
            (Active | Paused | Cancelled, Cancel) => Ok(Cancelled),
            (Cancelled | Completed, _) => Err(CampaignFinished {
                status: self,
                change,
            }),
        }
    }

    /// Whether recipients may be queued.
    pub fn is_active(self) -> bool {
        self == CampaignStatus::Active
    }

    /// The snake_case name, as stored.
    pub const fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Active => "active",
            CampaignStatus::Paused => "paused",
            CampaignStatus::Cancelled => "cancelled",
            CampaignStatus::Completed => "completed",
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use CampaignChange::{Cancel, Pause, Resume};
    use CampaignStatus::{Active, Cancelled, Completed, Paused};

    #[test]
    fn pause_and_resume_toggle_and_cancel_ends_it() {
        assert_eq!(Active.apply(Pause), Ok(Paused));
        assert_eq!(Paused.apply(Resume), Ok(Active));
        assert_eq!(Paused.apply(Cancel), Ok(Cancelled));
        assert_eq!(Cancelled.apply(Cancel), Ok(Cancelled), "cancelling twice");
        assert_eq!(
            Cancelled.apply(Resume),
            Err(CampaignFinished {
                status: Cancelled,
                change: Resume
            })
        );
        assert!(Completed.apply(Cancel).is_err());
    }

    fn change() -> impl Strategy<Value = CampaignChange> {
        prop_oneof![Just(Pause), Just(Resume), Just(Cancel)]
    }

    proptest! {
        #[test]
        fn a_cancelled_campaign_never_becomes_active_again(
            changes in proptest::collection::vec(change(), 0..20)
        ) {
            let mut status = Active;
            let mut cancelled = false;
            for change in changes {
                if let Ok(next) = status.apply(change) {
                    status = next;
                }
                cancelled |= status == Cancelled;
                prop_assert!(!(cancelled && status.is_active()));
            }
        }
    }
}
