//! Embedding msgcore in your own axum app, on PostgreSQL: the store, the inbox,
//! msgcore's webhook router beside your own routes, and the dispatcher with its
//! opt-out listener — started together and stopped together.
//!
//! ```sh
//! DATABASE_URL=postgres://postgres@127.0.0.1/postgres \
//! MSGCORE_PUBLIC_URL=https://your-tunnel.example.com/webhooks \
//! TWILIO_ACCOUNT_SID=AC… TWILIO_AUTH_TOKEN=… TWILIO_FROM_NUMBER=+12025551234 \
//!   cargo run --example embed --features axum,http,postgres
//! ```
//!
//! Run as many copies as you like against the same database: each replica's
//! dispatcher claims outbox items with `FOR UPDATE SKIP LOCKED`, one recipient's
//! messages still leave in order, and a webhook retried to another replica is
//! stored once (SPEC §16). The schema is applied when the first replica connects.

use std::error::Error;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use msgcore::carrier::HttpCarrier;
use msgcore::engine::{DispatchPolicy, Dispatcher, GroupCommitOptions, Inbox, SystemClock};
use msgcore::model::{Tenant, TenantId, TenantSettings};
use msgcore::providers::twilio::send::MessagesApi;
use msgcore::store::{PostgresStore, Store};
use msgcore::webhooks::{self, WebhookConfig};

/// What your app runs: its router (your routes and msgcore's), the inbox your
/// handlers call, and the dispatcher to spawn.
pub struct Embedded {
    /// Serve this.
    pub app: Router,
    /// Your handlers send, act and query through it.
    pub inbox: Arc<Inbox>,
    /// Spawn `dispatcher.run(shutdown)` beside the server.
    pub dispatcher: Dispatcher,
}

/// Assembles msgcore into an app on the PostgreSQL database at `database_url`:
/// Twilio's webhooks under the path of `public_url` (the URL Twilio calls, which
/// its signatures cover), replies sent through `twilio`.
pub async fn embed(
    database_url: &str,
    public_url: &str,
    twilio: MessagesApi,
    auth_token: &str,
) -> Result<Embedded, Box<dyn Error + Send + Sync>> {
    let store: Arc<dyn Store> = Arc::new(PostgresStore::connect(database_url).await?);
    // Concurrent webhooks share transactions: one durable write for many.
    let inbox = Arc::new(
        Inbox::builder(store.clone())
            .group_commit(GroupCommitOptions::default())
            .build(),
    );
    let webhooks = WebhookConfig::new(public_url)?.twilio(auth_token)?;
    let yours = Router::new()
        .route("/", get(|| async { "your app's own routes go here" }))
        .route("/health", get(health).with_state(inbox.clone()));
    let msgcore = webhooks::router(inbox.clone(), webhooks);
    let app = match path_of(public_url) {
        "/" => yours.merge(msgcore),
        path => yours.nest(path, msgcore),
    };
    // The opt-out listener is the inbox: a carrier's 21610 withdraws consent.
    let dispatcher = Dispatcher::new(
        store,
        Arc::new(HttpCarrier::new(twilio)),
        Arc::new(SystemClock),
        DispatchPolicy::default(),
    )?
    .with_opt_out_listener(inbox.clone())
    .with_group_commit(GroupCommitOptions::default());
    Ok(Embedded {
        app,
        inbox,
        dispatcher,
    })
}

/// `GET /health`: 200 while the database answers, 503 otherwise.
async fn health(axum::extract::State(inbox): axum::extract::State<Arc<Inbox>>) -> StatusCode {
    match inbox.health().await {
        Ok(()) => StatusCode::OK,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// The path of `public_url` (`https://host/webhooks` → `/webhooks`), where the
/// webhook router is mounted.
fn path_of(public_url: &str) -> &str {
    let after_scheme = public_url
        .split_once("://")
        .map_or(public_url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(slash) if slash + 1 < after_scheme.len() => &after_scheme[slash..],
        _ => "/",
    }
}

/// The tenant the webhooks' `{tenant}` names, created on first start.
pub async fn ensure_tenant(inbox: &Inbox, slug: &str) -> Result<Tenant, msgcore::Error> {
    if let Some(tenant) = inbox.store().tenant_by_slug(slug).await? {
        return Ok(tenant);
    }
    let tenant = Tenant {
        id: TenantId::from_uuid(uuid::Uuid::now_v7()),
        slug: slug.to_owned(),
        org_name: "Your shop".to_owned(),
        numbers: Vec::new(),
        settings: TenantSettings::default(),
    };
    match inbox.put_tenant(&tenant).await {
        Ok(()) => Ok(tenant),
        // Another replica may have created it meanwhile, taking the slug.
        Err(error) => inbox.store().tenant_by_slug(slug).await?.ok_or(error),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error + Send + Sync>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let needed = |name: &str| {
        std::env::var(name).map_err(|_| format!("set {name} (see the top of examples/embed.rs)"))
    };
    let database_url = needed("DATABASE_URL")?;
    let public_url = needed("MSGCORE_PUBLIC_URL")?;
    let auth_token = needed("TWILIO_AUTH_TOKEN")?;
    let twilio = MessagesApi::from_env()?;
    let embedded = embed(&database_url, &public_url, twilio, &auth_token).await?;
    let tenant = ensure_tenant(&embedded.inbox, "demo").await?;
    let listen: SocketAddr = "127.0.0.1:8080".parse()?;
    let listener = tokio::net::TcpListener::bind(listen).await?;
    println!(
        "listening on http://{listen}; Twilio's SMS webhook: {public_url}/twilio/{}/sms",
        tenant.slug
    );

    let (stop, stopped) = tokio::sync::watch::channel(false);
    let until_stopped = move || {
        let mut stopped = stopped.clone();
        async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        }
    };
    let dispatcher = tokio::spawn(embedded.dispatcher.run(until_stopped()));
    let server = axum::serve(listener, embedded.app).with_graceful_shutdown(until_stopped());
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        let _ = stop.send(true);
    });
    server.await?;
    let sent = dispatcher.await?;
    println!("stopped; sent {} message(s)", sent.sent);
    Ok(())
}
