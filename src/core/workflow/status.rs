//! Where a workflow run stands (SPEC §18).

use std::fmt;

use serde::{Deserialize, Serialize};

/// A run's status, by its SPEC §18 wire name.
///
/// ```
/// use msgcore::core::workflow::RunStatus;
///
/// assert!(RunStatus::Waiting.is_live());
/// assert!(!RunStatus::OptedOut.is_live());
/// assert_eq!(RunStatus::OptedOut.as_str(), "opted_out");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Taking its next step, or holding a send back.
    Active,
    /// Waiting for a moment or for a reply.
    Waiting,
    /// Every step was taken.
    Completed,
    /// A `filter` step's condition was false.
    Filtered,
    /// The contact opted out on the run's channel.
    OptedOut,
    /// A step could not be taken (a send refused by a gate, a missing field).
    Failed,
}

impl RunStatus {
    /// Every status, in the order above.
    pub const ALL: [RunStatus; 6] = [
        RunStatus::Active,
        RunStatus::Waiting,
        RunStatus::Completed,
        RunStatus::Filtered,
        RunStatus::OptedOut,
        RunStatus::Failed,
    ];

    /// The wire name (`"opted_out"`).
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Active => "active",
            RunStatus::Waiting => "waiting",
            RunStatus::Completed => "completed",
            RunStatus::Filtered => "filtered",
            RunStatus::OptedOut => "opted_out",
            RunStatus::Failed => "failed",
        }
    }

    /// The status with wire name `name`.
    pub fn from_name(name: &str) -> Option<RunStatus> {
        RunStatus::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether the run is not over: it still has steps to take. One run per
    /// (workflow, contact) may be live at a time.
    pub fn is_live(self) -> bool {
        matches!(self, RunStatus::Active | RunStatus::Waiting)
    }
}

impl fmt::Display for RunStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_reads_back_from_its_wire_name() {
        for status in RunStatus::ALL {
            assert_eq!(RunStatus::from_name(status.as_str()), Some(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        assert_eq!(RunStatus::from_name("paused"), None);
    }
}
