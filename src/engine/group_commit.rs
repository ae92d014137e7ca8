//! Group commit: the decisions of concurrent webhooks share one store
//! transaction (see [`GroupCommitOptions`]).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, oneshot};

use crate::core::delivery::Delivery;
use crate::store::contract::BatchKeys;
use crate::store::{Changeset, CommitError, OutboxFinish, StatusWrite, Store, StoreError};

/// Group commit, for [`InboxBuilder::group_commit`](super::InboxBuilder::group_commit):
/// the decisions of concurrent webhooks share one store transaction, the
/// status callbacks arriving with them another, and (for a dispatcher given
/// it) the outcomes of concurrent sends a third, so many messages pay for one
/// durable write ([`Store::commit_batch`], [`Store::record_statuses`],
/// [`Store::finish_outboxes`]).
///
/// Each commit goes into a bounded queue and waits; one writer task takes
/// whatever is waiting (up to [`GroupCommitOptions::max_batch`]) and commits it
/// with [`Store::commit_batch`]. A caller's commit returns only after the
/// transaction holding it is durable. Two changesets that may not share a
/// transaction (the same contact or phone, a message key in common) go in
/// consecutive ones, in the order they came. When a batch fails, for one
/// changeset's conflict or duplicate or for anything else, its changesets are
/// committed again one by one, so each caller gets exactly the answer a commit
/// of its own would have given. A full queue answers
/// [`StoreError::Overloaded`] at once (a webhook gets 503 and the provider
/// sends it again) instead of holding memory without bound.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use std::sync::Arc;
/// use msgcore::engine::{GroupCommitOptions, Inbox};
/// use msgcore::store::MemoryStore;
///
/// let inbox = Inbox::builder(Arc::new(MemoryStore::new()))
///     .group_commit(GroupCommitOptions { max_batch: 128, ..GroupCommitOptions::default() })
///     .build();
/// # let _ = inbox;
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupCommitOptions {
    /// The most changesets one transaction holds.
    pub max_batch: usize,
    /// How many commits may wait for the writer before more are refused with
    /// [`StoreError::Overloaded`].
    pub queue: usize,
}

impl Default for GroupCommitOptions {
    /// 256 changesets a transaction, 4,096 waiting: a few megabytes of
    /// changesets at most, and more than a thousand connections' worth.
    fn default() -> GroupCommitOptions {
        GroupCommitOptions {
            max_batch: 256,
            queue: 4_096,
        }
    }
}

/// The queue in front of one store's writer task. The task starts with the
/// first commit (it needs the tokio runtime the commit runs on), again if that
/// runtime has shut down, and ends when the `Inbox` holding the queue is
/// dropped.
pub(crate) struct GroupCommit {
    options: GroupCommitOptions,
    queue: Mutex<Option<mpsc::Sender<Waiting>>>,
}

/// A write and the caller waiting for its answer.
enum Waiting {
    /// A decision's changeset.
    Commit {
        changes: Box<Changeset>,
        answer: oneshot::Sender<Result<(), CommitError>>,
    },
    /// A status callback's merge.
    Status {
        write: StatusWrite,
        answer: oneshot::Sender<Result<Option<Delivery>, StoreError>>,
    },
    /// A send's outcome.
    Finish {
        finish: OutboxFinish,
        answer: oneshot::Sender<Result<bool, StoreError>>,
    },
}

impl std::fmt::Debug for GroupCommit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCommit")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl GroupCommit {
    /// Group commits as `options` say; nothing starts until the first commit.
    pub(crate) fn new(options: GroupCommitOptions) -> GroupCommit {
        GroupCommit {
            options: GroupCommitOptions {
                max_batch: options.max_batch.max(1),
                queue: options.queue.max(1),
            },
            queue: Mutex::new(None),
        }
    }

    /// Commits `changes` to `store` in a shared transaction and returns once
    /// it is durable, with the answer [`Store::commit`] would have given. Off
    /// a tokio runtime it commits directly.
    pub(crate) async fn commit(
        &self,
        store: &Arc<dyn Store>,
        changes: Changeset,
    ) -> Result<(), CommitError> {
        let Some(queue) = self.queue(store) else {
            return store.commit(changes).await;
        };
        let changes = Box::new(changes);
        self.submit(queue, |answer| Waiting::Commit { changes, answer })
            .await
    }

    /// Merges a status update as [`Store::record_status`] would, in a shared
    /// transaction, and returns once it is durable. Off a tokio runtime it
    /// records directly.
    pub(crate) async fn record_status(
        &self,
        store: &Arc<dyn Store>,
        write: StatusWrite,
    ) -> Result<Option<Delivery>, StoreError> {
        let Some(queue) = self.queue(store) else {
            return write.record_in(store.as_ref()).await;
        };
        self.submit(queue, |answer| Waiting::Status { write, answer })
            .await
    }

    /// Records a send's outcome as [`Store::finish_outbox`] would, in a
    /// shared transaction, and returns once it is durable. Off a tokio
    /// runtime it records directly.
    pub(crate) async fn finish_outbox(
        &self,
        store: &Arc<dyn Store>,
        finish: OutboxFinish,
    ) -> Result<bool, StoreError> {
        let Some(queue) = self.queue(store) else {
            return finish.record_in(store.as_ref()).await;
        };
        self.submit(queue, |answer| Waiting::Finish { finish, answer })
            .await
    }

    /// Queues the write `waiting` makes around its answer's sender, and waits
    /// for the answer; refuses at once when the queue is full (or the writer
    /// is gone, only while the runtime shuts down).
    async fn submit<R, E: From<StoreError>>(
        &self,
        queue: mpsc::Sender<Waiting>,
        waiting: impl FnOnce(oneshot::Sender<Result<R, E>>) -> Waiting,
    ) -> Result<R, E> {
        let (answer, answered) = oneshot::channel();
        queue
            .try_send(waiting(answer))
            .map_err(|_| self.overloaded())?;
        // The writer answers everything it takes; a dropped answer means the
        // runtime is stopping, and nothing is known to be durable.
        answered.await.unwrap_or(Err(self.overloaded().into()))
    }

    fn overloaded(&self) -> StoreError {
        StoreError::Overloaded {
            waiting: self.options.queue,
        }
    }

    /// The writer's queue, starting the writer on the current runtime if
    /// there is none yet, or if the runtime it ran on has shut down (a test's
    /// runtime, say, with the `Inbox` outliving it). `None` off a runtime.
    fn queue(&self, store: &Arc<dyn Store>) -> Option<mpsc::Sender<Waiting>> {
        let runtime = tokio::runtime::Handle::try_current().ok()?;
        let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(running) = queue.as_ref().filter(|q| !q.is_closed()) {
            return Some(running.clone());
        }
        let (sender, taken) = mpsc::channel(self.options.queue);
        runtime.spawn(write(Arc::clone(store), taken, self.options.max_batch));
        *queue = Some(sender.clone());
        Some(sender)
    }
}

/// The writer: takes what is waiting, commits it, answers, again, until the
/// queue is closed and drained.
async fn write(store: Arc<dyn Store>, mut taken: mpsc::Receiver<Waiting>, max_batch: usize) {
    let mut held = VecDeque::new();
    loop {
        if held.is_empty() {
            match taken.recv().await {
                Some(waiting) => held.push_back(waiting),
                None => return,
            }
        }
        let batch = gather(&mut held, &mut taken, max_batch);
        commit(store.as_ref(), batch).await;
    }
}

/// The next batch: held writes first, then newly queued ones, in order,
/// leaving held (in order) the changesets that may not share this
/// transaction. At most `2 × max_batch` are looked at, so a run of changesets
/// for one contact neither grows `held` without bound nor stalls the others
/// for long.
fn gather(
    held: &mut VecDeque<Waiting>,
    taken: &mut mpsc::Receiver<Waiting>,
    max_batch: usize,
) -> Vec<Waiting> {
    let mut keys = BatchKeys::default();
    let mut batch = Vec::new();
    let mut later = VecDeque::new();
    while batch.len() < max_batch && batch.len() + later.len() < 2 * max_batch {
        let Some(waiting) = held.pop_front().or_else(|| taken.try_recv().ok()) else {
            break;
        };
        let admitted = match &waiting {
            Waiting::Commit { changes, .. } => keys.admit(changes),
            // Merges are joins, and a finish checks its own claim: any
            // number, in any order, agree.
            Waiting::Status { .. } | Waiting::Finish { .. } => true,
        };
        if admitted {
            batch.push(waiting);
        } else if batch.is_empty() {
            // Inconsistent on its own: its commit alone gives its error.
            batch.push(waiting);
            break;
        } else {
            later.push_back(waiting);
        }
    }
    later.append(held);
    *held = later;
    batch
}

/// Writes a batch, its changesets in one transaction, its status merges in
/// another and its send outcomes in a third, and answers every caller.
async fn commit(store: &dyn Store, batch: Vec<Waiting>) {
    let mut changesets = Vec::new();
    let mut statuses = Vec::new();
    let mut finishes = Vec::new();
    for waiting in batch {
        match waiting {
            Waiting::Commit { changes, answer } => changesets.push((*changes, answer)),
            Waiting::Status { write, answer } => statuses.push((write, answer)),
            Waiting::Finish { finish, answer } => finishes.push((finish, answer)),
        }
    }
    let commit_all = async |all: Vec<Changeset>| {
        let count = all.len();
        store.commit_batch(all).await.map(|()| vec![(); count])
    };
    let commit_one = async |changes: Changeset| store.commit(changes).await;
    // A lone changeset is a plain commit: no batch to fall back from.
    together_or_each(changesets, 2, commit_all, commit_one).await;
    let merge_all = async |all: Vec<StatusWrite>| store.record_statuses(&all).await;
    let merge_one = async |write: StatusWrite| write.record_in(store).await;
    together_or_each(statuses, 1, merge_all, merge_one).await;
    let finish_all = async |all: Vec<OutboxFinish>| store.finish_outboxes(&all).await;
    let finish_one = async |finish: OutboxFinish| finish.record_in(store).await;
    together_or_each(finishes, 1, finish_all, finish_one).await;
}

/// Runs `together` over the batch's writes (one transaction) when there are
/// at least `fewest`, and answers each caller with its own result; when that
/// fails, or for a smaller batch, runs `alone` for each, so every caller gets
/// the answer a write of its own would have given. A caller that stopped
/// waiting still has its write durable.
async fn together_or_each<W, R, E, All, One>(
    batch: Vec<(W, oneshot::Sender<Result<R, E>>)>,
    fewest: usize,
    together: impl FnOnce(Vec<W>) -> All,
    alone: impl Fn(W) -> One,
) where
    W: Clone,
    All: Future<Output = Result<Vec<R>, E>>,
    One: Future<Output = Result<R, E>>,
{
    if !batch.is_empty() && batch.len() >= fewest {
        let writes = batch.iter().map(|(write, _)| write.clone()).collect();
        if let Ok(results) = together(writes).await
            && results.len() == batch.len()
        {
            for ((_, answer), result) in batch.into_iter().zip(results) {
                let _ = answer.send(Ok(result));
            }
            return;
        }
    }
    for (write, answer) in batch {
        let _ = answer.send(alone(write).await);
    }
}
