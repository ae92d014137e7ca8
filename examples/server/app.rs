//! The running server: the SQLite store, the inbox, the webhook router mounted at
//! the public URL's path, the REST API at [`API_PATH`] with its uploaded
//! files in `MSGCORE_MEDIA_DIR` (and, with feature `mcp`, the MCP server at
//! `/mcp`), the campaign
//! scheduler queuing what campaigns have due and waking workflow runs, the dispatcher sending the
//! outbox through the configured carriers, and the deliverer posting the
//! tenant's events to its outgoing webhook endpoints.

use std::error::Error;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::StatusCode;
use msgcore::api;
use msgcore::carrier::HttpCarrier;
use msgcore::carrier::{Carrier, ChannelCarriers};
use msgcore::core::channel::Channel;
use msgcore::core::keyword::KeywordConfig;
use msgcore::engine::{
    DispatchPolicy, Dispatcher, EventSink, GroupCommitOptions, Inbox, KeywordMenuBot, LiveEvents,
    RunReport, Scheduler, SchedulerPass, SystemClock, WebhookDeliverer, WebhookPass,
};
use msgcore::media::FsMediaStore;
use msgcore::model::TenantRef;
use msgcore::model::{Tenant, TenantId, TenantSettings};
use msgcore::providers::executor::ReqwestExecutor;
use msgcore::store::{SqliteStore, Store};
use msgcore::webhooks::VoiceFlow;
use msgcore::webhooks::{self, WebhookConfig, WebhookProvider};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::config::{Config, Database, InboxConfig, Provider};

/// Where the REST API is mounted, as SPEC §19 says.
pub const API_PATH: &str = "/api/whatsapp-api";

/// Any start-up failure, said plainly.
pub type StartError = Box<dyn Error + Send + Sync>;

/// A started server; [`Running::stop`] shuts it down cleanly.
pub struct Running {
    /// The address it listens on (useful when the port was 0).
    pub addr: SocketAddr,
    /// The inbox it feeds.
    pub inbox: Arc<Inbox>,
    /// The tenant it created or found.
    pub tenant: Tenant,
    /// Every URL to configure in a provider console.
    pub webhook_urls: Vec<webhooks::WebhookUrl>,
    stop: watch::Sender<bool>,
    server: JoinHandle<std::io::Result<()>>,
    dispatcher: JoinHandle<RunReport>,
    scheduler: JoinHandle<SchedulerPass>,
    deliveries: JoinHandle<WebhookPass>,
}

impl Running {
    /// Stops taking webhooks, lets the dispatcher finish its batch, and returns
    /// what it sent.
    pub async fn stop(self) -> Result<RunReport, StartError> {
        let _ = self.stop.send(true);
        self.server.await??;
        self.scheduler.await?;
        self.deliveries.await?;
        Ok(self.dispatcher.await?)
    }
}

/// The store `database` names, its schema applied.
pub async fn open_store(database: &Database) -> Result<Arc<dyn Store>, StartError> {
    match database {
        Database::Sqlite(path) => Ok(Arc::new(SqliteStore::open(path).await?)),
        #[cfg(feature = "postgres")]
        Database::Postgres(url) => Ok(Arc::new(msgcore::store::PostgresStore::connect(url).await?)),
        // The configuration refuses a URL the build cannot open.
        #[cfg(not(feature = "postgres"))]
        Database::Postgres(_) => Err("this build has no PostgreSQL store".into()),
    }
}

/// The store, and the sink that wakes `GET /events` streams: on PostgreSQL
/// through `NOTIFY`, so that every replica's streams wake for every
/// replica's commits.
async fn open_with_events(
    database: &Database,
    live: &LiveEvents,
) -> Result<(Arc<dyn Store>, Arc<dyn EventSink>), StartError> {
    match database {
        #[cfg(feature = "postgres")]
        Database::Postgres(url) => {
            let store = msgcore::store::PostgresStore::connect(url).await?;
            let sink = store.notify_events(live).await?;
            Ok((Arc::new(store), Arc::new(sink)))
        }
        _ => Ok((open_store(database).await?, Arc::new(live.clone()))),
    }
}

/// Opens the store, makes sure the tenant exists, and starts listening and
/// dispatching.
pub async fn start(config: &Config) -> Result<Running, StartError> {
    let live = LiveEvents::default();
    let (store, events) = open_with_events(&config.inbox.database, &live).await?;
    // Concurrent webhooks share transactions: one durable write for many.
    let inbox = Arc::new(
        Inbox::builder(store.clone())
            .group_commit(GroupCommitOptions::default())
            .events(events)
            .build(),
    );
    let tenant = ensure_tenant(&inbox, &config.inbox).await?;
    let webhook_config = webhook_config(config)?;
    let webhook_urls = webhook_config.webhook_urls();
    let media = Arc::new(FsMediaStore::open(&config.api.media_dir).await?);
    let api_config = config
        .api
        .api_config()?
        .media_store(media)
        .live_events(live);
    let app = mount(
        webhooks::router(inbox.clone(), webhook_config),
        mount_path(&config.public_url),
    )
    .nest(API_PATH, api::router(inbox.clone(), api_config))
    .route("/health", {
        let inbox = inbox.clone();
        axum::routing::get(move || health(inbox.clone()))
    });
    #[cfg(feature = "mcp")]
    let app = super::mcp::mount(app, inbox.clone(), &config.api)?;
    let dispatcher = Dispatcher::new(
        store,
        Arc::new(carriers(config)),
        Arc::new(SystemClock),
        DispatchPolicy::default(),
    )?
    .with_opt_out_listener(inbox.clone())
    .with_group_commit(GroupCommitOptions::default());
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = watch::channel(false);
    let server = tokio::spawn(
        // The API's per-IP limit reads the peer's address.
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(until_stopped(stopped.clone()))
        .into_future(),
    );
    // Campaigns made through the API are queued as their throttle allows;
    // workflow runs wake when their delays and timeouts end.
    let scheduler = Scheduler::new(inbox.clone());
    let scheduler = tokio::spawn(scheduler.run(until_stopped(stopped.clone())));
    let transport = ReqwestExecutor::for_webhooks(config.api.webhook_urls)?;
    let deliverer = WebhookDeliverer::new(inbox.clone(), Arc::new(transport))
        .with_schedule(config.api.webhook_retry.clone());
    let deliveries = tokio::spawn(deliverer.run(until_stopped(stopped.clone())));
    let dispatcher = tokio::spawn(dispatcher.run(until_stopped(stopped)));
    Ok(Running {
        addr,
        inbox,
        tenant,
        webhook_urls,
        stop,
        server,
        dispatcher,
        scheduler,
        deliveries,
    })
}

/// `GET /health`: `200 ok` while the store answers, `503` with the reason's kind
/// otherwise, for a load balancer or an orchestrator's probe.
async fn health(inbox: Arc<Inbox>) -> (StatusCode, String) {
    match inbox.health().await {
        Ok(()) => (StatusCode::OK, "ok".to_owned()),
        Err(error) => {
            tracing::error!(%error, "health check: the store does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, error.kind().to_string())
        }
    }
}

async fn until_stopped(mut stopped: watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
}

/// The tenant named by `MSGCORE_TENANT`, created on first start. It honours
/// STOP/START/HELP on WhatsApp as well as SMS: a demo should show the strictest
/// compliance, and a contact who writes STOP on WhatsApp means it.
pub async fn ensure_tenant(inbox: &Inbox, config: &InboxConfig) -> Result<Tenant, StartError> {
    if let Some(tenant) = inbox.store().tenant_by_slug(&config.tenant_slug).await? {
        return Ok(tenant);
    }
    let tenant = Tenant {
        id: TenantId::from_uuid(uuid::Uuid::now_v7()),
        slug: config.tenant_slug.clone(),
        org_name: config.org_name.clone(),
        numbers: Vec::new(),
        settings: TenantSettings {
            keywords: KeywordConfig {
                whatsapp: true,
                ..KeywordConfig::default()
            },
            ..TenantSettings::default()
        },
    };
    inbox.put_tenant(&tenant).await?;
    Ok(tenant)
}

/// Signature secrets for every configured provider; the others' routes refuse.
fn webhook_config(config: &Config) -> Result<WebhookConfig, StartError> {
    let mut webhooks = WebhookConfig::new(&config.public_url)?
        .voice(VoiceFlow::new(Arc::new(
            KeywordMenuBot::new("Say hours or address, or agent to reach a person.")
                .option("hours", "We are open nine to five, Monday to Friday.")
                .option("address", "We are at one Main Street."),
        )))
        .setup_hint(
            WebhookProvider::Twilio,
            "set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER, and restart",
        )
        .setup_hint(
            WebhookProvider::Telnyx,
            "set TELNYX_API_KEY, TELNYX_FROM_NUMBER and TELNYX_PUBLIC_KEY, and restart",
        )
        .setup_hint(
            WebhookProvider::Meta,
            "set META_ACCESS_TOKEN, META_PHONE_NUMBER_ID, META_APP_SECRET and META_VERIFY_TOKEN, and restart",
        );
    if let Some(twilio) = &config.twilio {
        webhooks = webhooks.twilio(&twilio.auth_token)?;
    }
    if let Some(telnyx) = &config.telnyx {
        webhooks = webhooks.telnyx(&telnyx.public_key)?;
    }
    if let Some(meta) = &config.meta {
        webhooks = webhooks
            .meta(&meta.app_secret, &meta.verify_token)?
            .meta_number(
                &meta.phone_number_id,
                TenantRef::Slug(config.inbox.tenant_slug.clone()),
            );
    }
    Ok(webhooks)
}

/// SMS and WhatsApp, each through the provider the configuration chose.
fn carriers(config: &Config) -> ChannelCarriers {
    let carrier = |provider: Provider| -> Option<Arc<dyn Carrier>> {
        match provider {
            Provider::Twilio => config
                .twilio
                .as_ref()
                .map(|t| Arc::new(HttpCarrier::new(t.api.clone())) as Arc<dyn Carrier>),
            Provider::Telnyx => config
                .telnyx
                .as_ref()
                .map(|t| Arc::new(HttpCarrier::new(t.api.clone())) as Arc<dyn Carrier>),
            Provider::Meta => config
                .meta
                .as_ref()
                .map(|m| Arc::new(HttpCarrier::new(m.api.clone())) as Arc<dyn Carrier>),
        }
    };
    let mut carriers = ChannelCarriers::new();
    for (channel, provider) in [
        (Channel::Sms, config.sms),
        (Channel::WhatsApp, config.whatsapp),
    ] {
        if let Some(routed) = provider.and_then(carrier) {
            carriers = carriers.route(channel, routed);
        }
    }
    carriers
}

/// The path part of the public URL (`https://host/api` → `/api`), where providers
/// post, so the local route matches the URL they signed.
fn mount_path(public_url: &str) -> &str {
    let after_scheme = public_url
        .split_once("://")
        .map_or(public_url, |(_, rest)| rest);
    after_scheme
        .find('/')
        .map_or("", |slash| &after_scheme[slash..])
}

fn mount(router: axum::Router, path: &str) -> axum::Router {
    if path.is_empty() {
        router
    } else {
        axum::Router::new().nest(path, router)
    }
}
