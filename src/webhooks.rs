//! An [`axum`] router serving every provider's webhooks over an [`Inbox`].
//!
//! | route | provider | does |
//! |---|---|---|
//! | `POST /twilio/{tenant}/sms`, `/twilio/{tenant}/whatsapp` | Twilio | incoming message → [`Inbox::handle_inbound`], answered with empty TwiML |
//! | `POST /twilio/{tenant}/status` | Twilio | a message's status callback → [`Inbox::on_status`]; a call's → [`VoiceFlow::status`] |
//! | `POST /twilio/{tenant}/answer`, `/gather` | Twilio | a call answered, and the caller's speech, → [`VoiceFlow`], answered with its TwiML |
//! | `POST /telnyx/{tenant}` | Telnyx | `message.received` → inbound, `message.sent`/`finalized` → status, others ignored |
//! | `GET /meta` | Meta | the `hub.*` subscription handshake |
//! | `POST /meta` | Meta | every message and status of the POST |
//!
//! `{tenant}` is the tenant's slug. Every request is verified before its body is
//! read, and the answers tell the provider whether to retry:
//!
//! | answer | when |
//! |---|---|
//! | 401 | the signature (or Telnyx's timestamp) header is missing |
//! | 403 | the signature is wrong or stale, or the provider is not configured |
//! | 413 | the body is over [`WebhookConfig::body_limit`] |
//! | 400 | the body is not the provider's webhook (the message names the field) |
//! | 404 | no tenant with that slug (or number) |
//! | 500, 503 | the store failed or stayed busy: the provider retries, and the engine deduplicates the retry |
//!
//! A status callback for a message the inbox does not know (sent from the
//! provider's console, or by another system on the same number) is acknowledged
//! and skipped, so the provider does not retry it for days.
//!
//! Replies are never sent inline: they go to the outbox, for the dispatcher, so
//! the acknowledgement is fast. A message in a bot's or AI agent's conversation
//! is acknowledged once it is stored; the responder is asked afterwards, in a
//! task of its own ([`Inbox::respond`]).
//!
//! ```
//! use std::sync::Arc;
//! use msgcore::engine::Inbox;
//! use msgcore::store::MemoryStore;
//! use msgcore::webhooks::{WebhookConfig, router};
//!
//! let inbox = Arc::new(Inbox::builder(Arc::new(MemoryStore::new())).build());
//! let config = WebhookConfig::new("https://example.com/api")?
//!     .twilio("twilio-auth-token")?
//!     .meta("meta-app-secret", "meta-verify-token")?;
//! // Mount it where the public base URL says: signatures cover that URL.
//! let app: axum::Router = axum::Router::new().nest("/api", router(inbox, config));
//! # Ok::<(), msgcore::webhooks::WebhookConfigError>(())
//! ```

mod config;
mod meta;
mod response;
mod signed;
mod telnyx;
mod twilio;
mod voice;
mod voice_flow;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

pub use config::{
    DEFAULT_BODY_LIMIT, WebhookConfig, WebhookConfigError, WebhookProvider, WebhookUrl,
};
pub use voice_flow::{VoiceError, VoiceFlow};

use tracing::Instrument;

use crate::engine::{Inbox, NotFound, ResponseDue};
use crate::error::Error;
use crate::model::{InboundMessage, StatusCallback};
use crate::providers::telnyx::WebhookVerifier;
use crate::providers::twilio::RequestValidator;
use config::MetaConfig;
use response::Rejection;

/// What every handler shares.
#[derive(Clone)]
struct Webhooks {
    inbox: Arc<Inbox>,
    config: Arc<WebhookConfig>,
}

impl Webhooks {
    fn twilio(&self) -> Result<&RequestValidator, Rejection> {
        self.configured(self.config.twilio.as_ref(), WebhookProvider::Twilio)
    }

    fn voice(&self) -> Result<&VoiceFlow, Rejection> {
        self.configured(self.config.voice.as_ref(), WebhookProvider::TwilioVoice)
    }

    fn telnyx(&self) -> Result<&WebhookVerifier, Rejection> {
        self.configured(self.config.telnyx.as_ref(), WebhookProvider::Telnyx)
    }

    fn meta(&self) -> Result<&MetaConfig, Rejection> {
        self.configured(self.config.meta.as_ref(), WebhookProvider::Meta)
    }

    /// A provider's settings, or the 403 that says what configures them.
    fn configured<'c, T>(
        &self,
        settings: Option<&'c T>,
        provider: WebhookProvider,
    ) -> Result<&'c T, Rejection> {
        settings.ok_or_else(|| Rejection::NotConfigured(self.config.not_configured(provider)))
    }

    /// Handles an inbound message, and hands its turn to the conversation's bot
    /// or AI agent in a task of its own: the provider has its acknowledgement as
    /// soon as the message is durable, however long the responder takes.
    async fn inbound(&self, message: &InboundMessage) -> Result<(), Rejection> {
        let span = tracing::info_span!(
            "inbound",
            provider = %message.provider,
            tenant = %message.tenant,
            message_id = %message.provider_message_id,
            channel = message.channel.as_str(),
        );
        let outcome = self
            .inbox
            .handle_inbound(message)
            .instrument(span.clone())
            .await?;
        span.in_scope(|| {
            tracing::info!(
                duplicate = outcome.duplicate,
                keyword = ?outcome.keyword,
                replies = outcome.replies.len(),
                "message stored"
            );
        });
        if let Some(due) = outcome.respond {
            let inbox = Arc::clone(&self.inbox);
            tokio::spawn(async move { answer(&inbox, &due).await }.instrument(span));
        }
        Ok(())
    }

    /// Merges a status callback. A status for a message this inbox never sent (one
    /// sent from the provider's console, or by another system on the same number)
    /// is acknowledged and skipped: refusing it would make Meta and Telnyx retry it
    /// for days, and would hold back the statuses after it in a Meta batch.
    async fn merge_status(&self, callback: &StatusCallback) -> Result<(), Rejection> {
        let span = tracing::info_span!(
            "status",
            tenant = %callback.tenant,
            message_ref = ?callback.message,
            status = %callback.update.status,
        );
        let merged = self
            .inbox
            .on_status(callback)
            .instrument(span.clone())
            .await;
        let _entered = span.enter();
        match merged {
            Ok(outcome) => {
                let delivery = outcome.delivery.status();
                let opted_out = outcome.opted_out;
                tracing::info!(delivery = ?delivery, opted_out, "status merged");
                Ok(())
            }
            Err(Error::NotFound(NotFound::Message(_))) => {
                tracing::info!("status of a message this inbox never sent; acknowledged");
                Ok(())
            }
            Err(error) => Err(error.into()),
        }
    }
}

/// Takes a responder's turn, saying in the log what came of it.
async fn answer(inbox: &Inbox, due: &ResponseDue) {
    match inbox.respond(due).await {
        Ok(outcome) => tracing::info!(
            replied = outcome.reply.is_some(),
            timed_out = outcome.timed_out,
            skipped = ?outcome.skipped,
            "responder's turn taken"
        ),
        Err(error) => tracing::warn!(%error, "the responder's answer was not stored"),
    }
}

/// The webhook routes for `inbox`, checked and routed as `config` says.
///
/// Mount it at the path of `config`'s public base URL (with
/// [`Router::nest`] for a prefix): the Twilio signature is checked against the
/// public base URL followed by the path and query this router sees.
pub fn router(inbox: Arc<Inbox>, config: WebhookConfig) -> Router {
    let limit = DefaultBodyLimit::max(config.body_limit);
    let hooks = Webhooks {
        inbox,
        config: Arc::new(config),
    };
    Router::new()
        .route("/twilio/{tenant}/sms", post(twilio::message))
        .route("/twilio/{tenant}/whatsapp", post(twilio::message))
        .route("/twilio/{tenant}/status", post(twilio::status))
        .route("/twilio/{tenant}/answer", post(voice::answer))
        .route("/twilio/{tenant}/gather", post(voice::gather))
        .route("/telnyx/{tenant}", post(telnyx::event))
        .route("/meta", get(meta::handshake).post(meta::event))
        .layer(limit)
        .with_state(hooks)
}
