//! The loop the campaign scheduler and the webhook deliverer share: visit,
//! add up what the visit did, wait the interval or stop.

use std::future::poll_fn;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use crate::error::Error;

/// What one visit did, added up over many.
pub(crate) trait Totals: Default {
    /// Adds `other`'s figures to these.
    fn add_up(&mut self, other: Self);
}

/// Visits every `interval` until `shutdown` completes (a visit under way is
/// finished first); the totals. A failed visit is logged as `what` and
/// tried again at the next interval.
pub(crate) async fn visit_until<T, F, Fut>(
    interval: Duration,
    shutdown: impl Future<Output = ()>,
    what: &'static str,
    mut visit: F,
) -> T
where
    T: Totals,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let mut shutdown = pin!(shutdown);
    let mut totals = T::default();
    loop {
        match visit().await {
            Ok(pass) => totals.add_up(pass),
            Err(error) => tracing::error!(%error, "{what} failed; trying again"),
        }
        let mut sleep = pin!(tokio::time::sleep(interval));
        let stopped = poll_fn(|cx| match shutdown.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(true),
            Poll::Pending => sleep.as_mut().poll(cx).map(|()| false),
        })
        .await;
        if stopped {
            return totals;
        }
    }
}
