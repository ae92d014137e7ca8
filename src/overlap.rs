//! Two futures run side by side on one task, for work that overlaps a store's
//! round trips with computation (an import reads its next batch while the store
//! commits the last; a SQL store encodes a statement's rows while the database
//! runs the one before). Runtime-agnostic: no spawning, no `'static` bounds.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;

/// Runs `a` and `b` until both are done, polling each whenever the task wakes.
pub(crate) async fn both<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut a_out, mut b_out) = (None, None);
    poll_fn(move |cx| {
        if a_out.is_none()
            && let Poll::Ready(out) = a.as_mut().poll(cx)
        {
            a_out = Some(out);
        }
        if b_out.is_none()
            && let Poll::Ready(out) = b.as_mut().poll(cx)
        {
            b_out = Some(out);
        }
        match (a_out.take(), b_out.take()) {
            (Some(a), Some(b)) => Poll::Ready((a, b)),
            (a, b) => {
                (a_out, b_out) = (a, b);
                Poll::Pending
            }
        }
    })
    .await
}

/// Gives the other side of a [`both`] a turn: pending once, waking at once.
pub(crate) async fn yield_now() {
    let mut yielded = false;
    poll_fn(|cx| {
        if yielded {
            return Poll::Ready(());
        }
        yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    #[test]
    fn both_sides_take_turns_at_every_yield_and_both_outputs_come_back() {
        let trace = RefCell::new(Vec::new());
        let side = |name: &'static str, steps: usize| {
            let trace = &trace;
            async move {
                for step in 0..steps {
                    trace.borrow_mut().push((name, step));
                    yield_now().await;
                }
                name
            }
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let outputs = runtime.block_on(both(side("a", 2), side("b", 3)));
        assert_eq!(outputs, ("a", "b"));
        assert_eq!(
            trace.into_inner(),
            [("a", 0), ("b", 0), ("a", 1), ("b", 1), ("b", 2)]
        );
    }
}
