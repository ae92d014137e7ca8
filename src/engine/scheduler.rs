//! [`Scheduler`] (feature `tokio`): everything that is due as time passes —
//! campaigns' recipients, and workflow runs' delays, reply timeouts and held
//! sends — in one process or in many sharing one store.

use std::sync::Arc;
use std::time::Duration;

use super::campaigns::CampaignPass;
use super::inbox::Inbox;
use super::visits::{Totals, visit_until};
use crate::error::Error;

/// Every interval, queues what is due of the running campaigns
/// ([`Inbox::run_campaigns`]) and wakes the workflow runs whose time has
/// come ([`Inbox::wake_due_runs`]).
///
/// Run as many as you like, in one process or on many machines sharing a
/// PostgreSQL store: recipients and runs are taken up under leases (a
/// campaign another scheduler is claiming from is skipped, not waited for),
/// and what each does commits with its contact, so nobody is queued twice
/// and a timer fires once. A scheduler killed mid-batch leaves what it
/// claimed leased; another (or the same one restarted) takes it up when the
/// lease lapses.
///
/// ```
/// use std::sync::Arc;
/// use msgcore::engine::{Inbox, Scheduler};
/// use msgcore::store::MemoryStore;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let inbox = Arc::new(Inbox::builder(Arc::new(MemoryStore::new())).build());
/// let scheduler = Scheduler::new(inbox);
/// // Until the shutdown future completes (here at once): what it did.
/// let totals = scheduler.run(async {}).await;
/// assert_eq!((totals.campaigns.queued, totals.runs), (0, 0));
/// # }
/// ```
pub struct Scheduler {
    inbox: Arc<Inbox>,
    interval: Duration,
}

/// What one visit, or many, did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SchedulerPass {
    /// Campaign recipients queued, held or skipped.
    pub campaigns: CampaignPass,
    /// Workflow runs woken.
    pub runs: usize,
}

impl Scheduler {
    /// A scheduler over `inbox`, visiting every second.
    pub fn new(inbox: Arc<Inbox>) -> Scheduler {
        Scheduler {
            inbox,
            interval: Duration::from_secs(1),
        }
    }

    /// The same scheduler, visiting every `interval`.
    pub fn with_interval(mut self, interval: Duration) -> Scheduler {
        self.interval = interval;
        self
    }

    /// One visit: the running campaigns, then the due runs.
    pub async fn tick(&self) -> Result<SchedulerPass, Error> {
        Ok(SchedulerPass {
            campaigns: self.inbox.run_campaigns().await?,
            runs: self.inbox.wake_due_runs().await?,
        })
    }

    /// Visits until `shutdown` completes (a visit under way is finished
    /// first); the totals. A failed visit is logged and tried again at the
    /// next interval.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> SchedulerPass {
        visit_until(self.interval, shutdown, "a scheduler visit", || self.tick()).await
    }
}

impl Totals for SchedulerPass {
    fn add_up(&mut self, other: SchedulerPass) {
        self.campaigns.add(other.campaigns);
        self.runs += other.runs;
    }
}
