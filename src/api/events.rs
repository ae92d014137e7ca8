//! `GET /events`: the tenant's events as server-sent events, for dashboards.
//!
//! Each event is `id:` its sequence number, `event:` its type and `data:` the
//! body an outgoing webhook carries (`{"type", "timestamp", "data"}`). A
//! client that reconnects with `Last-Event-ID` gets every event after that
//! one; without it, the stream starts with the next event. The stream reads
//! the store, so it shows what every replica committed; [`LiveEvents`] wakes
//! it at once, and without a wake-up it looks every
//! [`ApiConfig::event_poll`](super::ApiConfig::event_poll). The key is checked
//! again at every look: a revoked or expired key ends the stream with an
//! `error` event.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;

use super::Api;
use super::caller::Authorized;
use super::error::{ApiError, ErrorBody, Refusals};
use crate::core::webhook_event::{EventType, webhook_body};
use crate::engine::{Follower, LiveEvents};
use crate::error::Error;
use crate::model::EventRecord;
use crate::service::{EventBatch, Operations, Principal, RequestError};

/// Follows the key's tenant's events as `text/event-stream`. Scope
/// `messages:read`.
#[utoipa::path(
    get,
    path = "/events",
    tag = "events",
    params(("Last-Event-ID" = Option<u64>, Header, description = "Resume after this event")),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The events, as they happen", content_type = "text/event-stream", body = String),
        (status = 400, description = "A Last-Event-ID that is not a sequence number", body = ErrorBody),
        (status = 403, description = "The key lacks messages:read", body = ErrorBody),
        Refusals,
    )
)]
pub(super) async fn stream(
    State(api): State<Api>,
    Authorized(principal): Authorized,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let after = last_event_id(&headers)?;
    // Followed before the first read, so an event committed in between wakes it.
    let follower = api
        .config
        .live
        .as_ref()
        .map(|live: &LiveEvents| live.follow(principal.tenant));
    let first = api.ops.events_after(&principal, after).await?;
    let state = Following {
        ops: api.ops.clone(),
        principal,
        follower,
        poll: api.config.event_poll,
        ready: VecDeque::new(),
        ended: false,
        batch: first,
    }
    .take_batch();
    let events = futures_util::stream::unfold(state, Following::next);
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}

fn last_event_id(headers: &HeaderMap) -> Result<Option<u64>, ApiError> {
    let Some(value) = headers.get("last-event-id") else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or_default().trim();
    let refused = || RequestError::LastEventId(text.chars().take(40).collect());
    let after = text.parse().map_err(|_| Error::from(refused()))?;
    Ok(Some(after))
}

/// A stream's place and what it has read but not sent.
struct Following {
    ops: Operations,
    principal: Principal,
    follower: Option<Follower>,
    poll: Duration,
    ready: VecDeque<Event>,
    ended: bool,
    batch: EventBatch,
}

impl Following {
    /// The next event to send, waiting for one if need be; `None` ends the
    /// stream.
    async fn next(mut self) -> Option<(Result<Event, Infallible>, Following)> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Some((Ok(event), self));
            }
            if self.ended {
                return None;
            }
            if !self.batch.more {
                self.wait().await;
            }
            match self
                .ops
                .events_after(&self.principal, Some(self.batch.through))
                .await
            {
                Ok(batch) => {
                    self.batch = batch;
                    self = self.take_batch();
                }
                Err(error) => {
                    self.ended = true;
                    let body = serde_json::json!({ "error": error.to_string() });
                    self.ready
                        .push_back(Event::default().event("error").data(body.to_string()));
                }
            }
        }
    }

    /// Queues the batch's events for sending.
    fn take_batch(mut self) -> Following {
        let events = std::mem::take(&mut self.batch.events);
        self.ready.extend(events.iter().filter_map(sse_event));
        self
    }

    /// Until a wake-up or the poll interval, whichever comes first.
    async fn wait(&mut self) {
        match self.follower.as_mut() {
            Some(follower) => {
                let _ = tokio::time::timeout(self.poll, follower.changed()).await;
            }
            None => tokio::time::sleep(self.poll).await,
        }
    }
}

fn sse_event((sequence, record): &(u64, EventRecord)) -> Option<Event> {
    let kind = EventType::of(&record.event)?;
    let body = String::from_utf8(webhook_body(record)).ok()?;
    Some(
        Event::default()
            .id(sequence.to_string())
            .event(kind.as_str())
            .data(body),
    )
}
