//! The REST API (SPEC §19, feature `api`): the seed's endpoints over the
//! [`service`](crate::service) layer, as an axum [`Router`] to mount, with its
//! OpenAPI 3.1 document generated from the same code.
//!
//! | route | scope | what |
//! |---|---|---|
//! | `GET /status` | any | the tenant's name and numbers |
//! | `GET /contacts` | `contacts:read` | `search`, `tag`, `page` (1–100), `limit` (1–100, default 20) |
//! | `POST /contacts` | `contacts:write` | the seed's body; `optedIn` is WhatsApp consent |
//! | `GET /contacts/{id}`, `PATCH /contacts/{id}` | `contacts:read`, `contacts:write` | one contact; tags added and removed, attributes merged |
//! | `POST /contacts/import` | `contacts:write` | a CSV file (`text/csv`, or `multipart/form-data` with `file` and optional `mappings`), up to [`IMPORT_BODY_LIMIT`]; SPEC §18's report |
//! | `GET /chats` | `messages:read` | conversations, the most recently active first; `status`, `page`, `limit` |
//! | `GET /chats/{id}` | `messages:read` | a conversation with its contact's latest 50 messages |
//! | `POST /conversations/{id}/messages` | `messages:send` | a text reply (`content`, `channel`, `clientId`) |
//! | `GET /conversations/{id}/guide`, `PUT /conversations/{id}/guide` | `messages:read`, `messages:send` | the conversation's AI guide (SPEC §11), which the AI responder reads with every message; `{"guide": null}` clears it |
//! | `GET /messages` | `messages:read` | the tenant's recent messages across its conversations, the newest first; `page`, `limit` |
//! | `POST /send` | `messages:send` | any type of the seed's table to a contact's number (`channel`, `kind`, `clientId`) |
//! | `POST /campaigns` | `campaigns:write` | SPEC §18's campaign form; the audience frozen |
//! | `GET /campaigns`, `GET /campaigns/{id}` | `messages:read` | newest first; one with its counts |
//! | `POST /campaigns/{id}/pause`, `…/resume`, `…/cancel` | `campaigns:write` | the campaign as changed, with its counts |
//! | `GET /templates` | `messages:read` | the approved WhatsApp templates of the tenant's settings |
//! | `GET /quick-replies` | `messages:read` | its quick replies; `prefix` for a picker |
//! | `POST /webhooks` | `admin` | registers an outgoing webhook endpoint (`url`, `events`, `description`); the secret is in this answer only |
//! | `GET /webhooks` | `admin` | the endpoints, with where their deliveries stand (`status`, `failures`, `lastError`) |
//! | `DELETE /webhooks/{id}`, `POST /webhooks/{id}/enable` | `admin` | deletes one; enables a disabled one, which resumes where it stopped |
//! | `GET /events` | `messages:read` | the tenant's events as server-sent events, from the next one or after `Last-Event-ID` |
//! | `POST /media` | `messages:send` | a file as the `file` part of `multipart/form-data`, up to 16,000,000 bytes ([`MEDIA_BODY_LIMIT`] with the form); JPEG, PNG, WebP, PDF, DOCX, MP3, OGG (Opus) or MP4 by its bytes, whatever its name; 201 `{"id", "mimeType", "size", "filename"}` |
//! | `GET /media/{id}` | `messages:read` | the file's bytes, with its `Content-Type`, `Content-Length`, `Content-Disposition: attachment` (its name, when it had one) and `X-Content-Type-Options: nosniff` |
//!
//! Uploaded files are kept by the [`MediaStore`] given
//! to [`ApiConfig::media_store`]; without one, both media routes answer 501.
//!
//! Every route but `GET /openapi.json` needs `Authorization: Bearer <key>`,
//! checked before the request's id or body is read, and touches only the
//! key's tenant. The handlers are thin: [`Operations`] does the work, and
//! the MCP server shares it. Answers follow the seed:
//!
//! | status | when |
//! |---|---|
//! | 401 | no key, or a key that is malformed, unknown, revoked or expired |
//! | 403 | a valid key without the route's scope |
//! | 404 | nothing with that id for the key's tenant (another tenant's record included) |
//! | 400 | a malformed id, query or body, naming what was wrong |
//! | 403 | also: a send to a contact without consent on the channel, or free-form WhatsApp outside the 24-hour window |
//! | 409 | a record that already exists |
//! | 413 | a body over [`ApiConfig::body_limit`] (over the route's own limit for an import or a file), or a media file over 16,000,000 bytes |
//! | 415 | a body not sent as `application/json` (as a form, for a file) |
//! | 429 | over 120 requests a minute from one IP or with one key, or the recipient's send limit (`Retry-After` in seconds); a marketing send in quiet hours (`Retry-After` as the date the hold lifts) |
//! | 500 | the store or the media store failed (the body says no more) |
//! | 501 | a media route, and no media store was given |
//! | 503 | too busy to write now; try again |
//!
//! Every error body is `{"error": "…"}`. Each request is logged at `info`
//! as one line: method, route template (no ids, no query), status, time, and
//! the tenant and key id once a key was accepted; never a token. The limits live in the store
//! ([`Store::check_rates`](crate::store::Store::check_rates)), so replicas on one
//! PostgreSQL share them. The per-IP limit reads the peer address: serve the
//! router with `into_make_service_with_connect_info::<SocketAddr>()`, and
//! behind a reverse proxy turn on [`ApiConfig::trust_forwarded_for`].
//!
//! ```
//! use std::sync::Arc;
//! use msgcore::api::{ApiConfig, router};
//! use msgcore::engine::Inbox;
//! use msgcore::store::MemoryStore;
//!
//! let inbox = Arc::new(Inbox::builder(Arc::new(MemoryStore::new())).build());
//! let app: axum::Router = axum::Router::new()
//!     .nest("/api/whatsapp-api", router(inbox, ApiConfig::default()));
//! ```

pub(crate) mod access_log;
pub(crate) mod caller;
mod campaigns;
mod chats;
mod contacts;
pub(crate) mod error;
mod events;
mod form;
mod guides;
mod import;
mod media;
mod messages;
mod params;
mod status;
mod templates;
mod webhooks;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use utoipa::OpenApi;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use campaigns::{CampaignDetail, CampaignList, CampaignView, CountsView};
pub use chats::{ChatList, ChatThread, ChatView, ReplyBody};
pub use contacts::{ContactList, ContactView, CreateContact, UpdateContact};
pub use error::ErrorBody;
pub use guides::{GuideBody, GuideView};
pub use import::IMPORT_BODY_LIMIT;
pub use media::{MEDIA_BODY_LIMIT, MediaView};
pub use messages::{MessageList, MessageView, SentMessage};
pub use params::{ChannelName, SendKindName, StatusName};
pub use status::StatusView;
pub use templates::{QuickReplyList, QuickReplyView, TemplateList, TemplateView};
pub use webhooks::{CreatedWebhook, NewWebhookBody, WebhookList, WebhookView};

use crate::core::ratelimit::Quota;
use crate::core::webhook_endpoint::UrlPolicy;
use crate::engine::{Inbox, LiveEvents};
use crate::media::MediaStore;
use crate::service::{MediaSlot, Operations};
use error::ApiError;

/// The largest request body the API reads by default (1 MiB); a media upload
/// has a limit of its own.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// How the API runs: its rate limit, body limit, proxy trust and where
/// uploaded media go.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    quota: Quota,
    body_limit: usize,
    trust_forwarded_for: bool,
    webhook_urls: UrlPolicy,
    live: Option<LiveEvents>,
    event_poll: Duration,
    media: MediaSlot,
}

impl Default for ApiConfig {
    /// 120 requests a minute per IP and per key (SPEC §10), 1 MiB bodies,
    /// `X-Forwarded-For` ignored, webhook endpoints at public HTTPS addresses
    /// only, no media store (the media routes answer 501).
    fn default() -> ApiConfig {
        ApiConfig {
            quota: Quota::api_requests(),
            body_limit: DEFAULT_BODY_LIMIT,
            trust_forwarded_for: false,
            webhook_urls: UrlPolicy::PUBLIC,
            live: None,
            event_poll: Duration::from_secs(1),
            media: MediaSlot::default(),
        }
    }
}

impl ApiConfig {
    /// Each IP and each key may make `quota`'s requests.
    pub fn rate_limit(mut self, quota: Quota) -> ApiConfig {
        self.quota = quota;
        self
    }

    /// Bodies over `bytes` are refused with 413.
    pub fn body_limit(mut self, bytes: usize) -> ApiConfig {
        self.body_limit = bytes;
        self
    }

    /// Registers webhook endpoints only at addresses `policy` allows:
    /// [`UrlPolicy::PUBLIC`] (HTTPS to public addresses) unless told
    /// otherwise; [`UrlPolicy::LOCAL`] for development.
    pub fn webhook_urls(mut self, policy: UrlPolicy) -> ApiConfig {
        self.webhook_urls = policy;
        self
    }

    /// Wakes `GET /events` streams as soon as `live` hears of new events
    /// (make the same `LiveEvents` the inbox's event sink, or feed it from
    /// PostgreSQL with `PostgresStore::notify_events`). Without it, streams
    /// look for new events every [`event_poll`](Self::event_poll).
    pub fn live_events(mut self, live: LiveEvents) -> ApiConfig {
        self.live = Some(live);
        self
    }

    /// How often a `GET /events` stream looks for new events without a
    /// wake-up (1 s by default): the most a missed wake-up delays one.
    pub fn event_poll(mut self, every: Duration) -> ApiConfig {
        self.event_poll = every;
        self
    }

    /// Whether the client's address is the last entry of `X-Forwarded-For`
    /// (the one your reverse proxy appended) instead of the connection's
    /// peer. Off by default: without a proxy that sets it, any client could
    /// name any address and escape its limit.
    pub fn trust_forwarded_for(mut self, trust: bool) -> ApiConfig {
        self.trust_forwarded_for = trust;
        self
    }

    /// Keeps the files `POST /media` takes in `store`
    /// ([`Operations::media_store`]): [`FsMediaStore`](crate::media::FsMediaStore)
    /// on one machine or a shared volume, your own for an object store.
    pub fn media_store(mut self, store: std::sync::Arc<dyn MediaStore>) -> ApiConfig {
        self.media = MediaSlot::new(store);
        self
    }
}

/// What every handler shares.
#[derive(Clone)]
pub(crate) struct Api {
    ops: Operations,
    config: Arc<ApiConfig>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "msgcore REST API",
        description = "Contacts, conversations, messages and campaigns of one tenant, \
                       opened by a Bearer API key. Every error is {\"error\": \"…\"}."
    ),
    modifiers(&BearerKeys),
    components(schemas(ErrorBody))
)]
struct ApiDoc;

/// Adds the Bearer scheme every route's `security` names.
struct BearerKeys;

impl utoipa::Modify for BearerKeys {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let scheme = Http::builder()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("An API key: msgcore_<id>_<secret>"))
            .build();
        components.add_security_scheme("api_key", SecurityScheme::Http(scheme));
    }
}

/// The routes and their OpenAPI document, built together.
fn parts(api: Api) -> (Router, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(status::status))
        .routes(routes!(contacts::list, contacts::create))
        .routes(routes!(contacts::get_one, contacts::update))
        .merge(
            // A CSV file may be larger than any other body.
            OpenApiRouter::new()
                .routes(routes!(import::import))
                .layer(DefaultBodyLimit::max(import::IMPORT_BODY_LIMIT)),
        )
        .routes(routes!(chats::list))
        .routes(routes!(chats::get_one))
        .routes(routes!(chats::reply))
        .routes(routes!(guides::get_one, guides::put))
        .routes(routes!(messages::send))
        .routes(routes!(messages::list))
        .routes(routes!(campaigns::create, campaigns::list))
        .routes(routes!(campaigns::get_one))
        .routes(routes!(campaigns::pause))
        .routes(routes!(campaigns::resume))
        .routes(routes!(campaigns::cancel))
        .routes(routes!(templates::templates))
        .routes(routes!(templates::quick_replies))
        .routes(routes!(webhooks::create, webhooks::list))
        .routes(routes!(webhooks::delete))
        .routes(routes!(webhooks::enable))
        .routes(routes!(events::stream))
        .merge(
            // A file may be larger than any other body.
            OpenApiRouter::new()
                .routes(routes!(media::upload))
                .layer(DefaultBodyLimit::max(media::MEDIA_BODY_LIMIT)),
        )
        .routes(routes!(media::download))
        .with_state(api)
        .split_for_parts()
}

/// The OpenAPI 3.1 document of every route, as `GET /openapi.json` serves it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let inbox = Arc::new(Inbox::builder(Arc::new(crate::store::MemoryStore::new())).build());
    parts(api(inbox, ApiConfig::default())).1
}

fn api(inbox: Arc<Inbox>, config: ApiConfig) -> Api {
    Api {
        ops: Operations::new(inbox)
            .rate_limit(config.quota)
            .webhook_urls(config.webhook_urls)
            .media_slot(config.media.clone()),
        config: Arc::new(config),
    }
}

/// The REST API over `inbox`, with `GET /openapi.json`; mount it where you
/// like (the example server: `/api/whatsapp-api`).
pub fn router(inbox: Arc<Inbox>, config: ApiConfig) -> Router {
    let body_limit = config.body_limit;
    let (routes, document) = parts(api(inbox, config));
    let document = Arc::new(document);
    routes
        .route(
            "/openapi.json",
            get(move || {
                let document = Arc::clone(&document);
                async move { axum::Json(document.as_ref().clone()) }
            }),
        )
        .fallback(|| async { ApiError::NoRoute })
        .method_not_allowed_fallback(|| async { ApiError::NoMethod })
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::from_fn(access_log::log_request))
}
