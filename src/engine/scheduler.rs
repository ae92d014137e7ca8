//! [`CampaignScheduler`] (feature `tokio`): queues campaigns' due recipients
//! as time passes, in one process or in many sharing one store.

use std::sync::Arc;
use std::time::Duration;

use super::campaigns::CampaignPass;
use super::inbox::Inbox;
use super::visits::{Totals, visit_until};
use crate::error::Error;

/// Visits the running campaigns every interval and queues what is due of each
/// ([`Inbox::run_campaigns`]).
///
/// Run as many as you like, in one process or on many machines sharing a
/// PostgreSQL store: recipients are taken up under leases (a campaign another
/// scheduler is claiming from is skipped, not waited for), and a recipient's
/// message commits with its recipient row, so nobody is queued twice. A
/// scheduler killed mid-batch leaves its recipients leased; another (or the
/// same one restarted) takes them up when the lease lapses.
///
/// ```
/// use std::sync::Arc;
/// use msgcore::engine::{CampaignScheduler, Inbox};
/// use msgcore::store::MemoryStore;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let inbox = Arc::new(Inbox::builder(Arc::new(MemoryStore::new())).build());
/// let scheduler = CampaignScheduler::new(inbox);
/// // Until the shutdown future completes (here at once): the totals it queued.
/// let totals = scheduler.run(async {}).await;
/// assert_eq!(totals.queued, 0);
/// # }
/// ```
pub struct CampaignScheduler {
    inbox: Arc<Inbox>,
    interval: Duration,
}

impl CampaignScheduler {
    /// A scheduler over `inbox`, visiting every second.
    pub fn new(inbox: Arc<Inbox>) -> CampaignScheduler {
        CampaignScheduler {
            inbox,
            interval: Duration::from_secs(1),
        }
    }

    /// The same scheduler, visiting every `interval`.
    pub fn with_interval(mut self, interval: Duration) -> CampaignScheduler {
        self.interval = interval;
        self
    }

    /// One visit of every running campaign.
    pub async fn tick(&self) -> Result<CampaignPass, Error> {
        self.inbox.run_campaigns().await
    }

    /// Visits until `shutdown` completes (a visit under way is finished
    /// first); the totals. A failed visit is logged and tried again at the
    /// next interval.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> CampaignPass {
        visit_until(self.interval, shutdown, "a campaign visit", || self.tick()).await
    }
}

impl Totals for CampaignPass {
    fn add_up(&mut self, other: CampaignPass) {
        self.add(other);
    }
}
