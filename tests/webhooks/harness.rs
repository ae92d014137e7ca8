//! One tenant on a memory store, every provider configured, and signed requests.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use msgcore::carrier::RecordingCarrier;
use msgcore::core::channel::Channel;
use msgcore::core::message::Content;
use msgcore::engine::{DispatchPolicy, Dispatcher, Inbox, InboxBuilder, ManualClock, SendRequest};
use msgcore::model::{Contact, MessageRecord, ProviderName, SequentialIds, Tenant, TenantSettings};
use msgcore::providers::meta::SignatureVerifier;
use msgcore::providers::telnyx::WebhookSigner;
use msgcore::providers::twilio::RequestValidator;
use msgcore::store::{MemoryStore, Store};
use msgcore::webhooks::{WebhookConfig, router};
use tower::ServiceExt;

use crate::demo_tenant::tenant;
pub use crate::demo_tenant::{CONTACT, SMS_NUMBER, e164, t0};

pub const BASE: &str = "https://example.com/api";
pub const TWILIO_TOKEN: &str = "twilio-auth-token";
pub const META_SECRET: &str = "meta-app-secret";
pub const META_VERIFY_TOKEN: &str = "meta-verify-token";

pub fn telnyx_signer() -> WebhookSigner {
    WebhookSigner::from_seed([7; 32])
}

/// Every provider on, against [`BASE`].
pub fn full_config() -> WebhookConfig {
    WebhookConfig::new(BASE)
        .unwrap()
        .twilio(TWILIO_TOKEN)
        .unwrap()
        .telnyx(&telnyx_signer().public_key())
        .unwrap()
        .meta(META_SECRET, META_VERIFY_TOKEN)
        .unwrap()
}

/// What the router answered.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub content_type: Option<String>,
    pub body: String,
}

pub struct Hooks {
    /// The router nested at `/api`, as the public base URL says.
    pub app: Router,
    pub inbox: Arc<Inbox>,
    pub store: Arc<dyn Store>,
    pub clock: Arc<ManualClock>,
    pub tenant: Tenant,
}

impl Hooks {
    pub async fn new() -> Hooks {
        Hooks::with(full_config()).await
    }

    pub async fn with(config: WebhookConfig) -> Hooks {
        Hooks::on(Arc::new(MemoryStore::new()), config).await
    }

    /// The router over an inbox on `store`.
    pub async fn on(store: Arc<dyn Store>, config: WebhookConfig) -> Hooks {
        Hooks::built(store, config, |inbox| inbox).await
    }

    /// The router over an inbox on `store`, built further by `configure`.
    pub async fn built(
        store: Arc<dyn Store>,
        config: WebhookConfig,
        configure: impl FnOnce(InboxBuilder) -> InboxBuilder,
    ) -> Hooks {
        let clock = Arc::new(ManualClock::new(t0()));
        let builder = Inbox::builder(store.clone())
            .clock(clock.clone())
            .ids(Arc::new(SequentialIds::default()));
        let inbox = Arc::new(configure(builder).build());
        let tenant = tenant(TenantSettings::default());
        inbox.put_tenant(&tenant).await.unwrap();
        let config = config.clock(clock.clone());
        let app = Router::new().nest("/api", router(inbox.clone(), config));
        Hooks {
            app,
            inbox,
            store,
            clock,
            tenant,
        }
    }

    pub async fn call(&self, request: Request<Body>) -> Answer {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            content_type,
            body: String::from_utf8(bytes.to_vec()).unwrap(),
        }
    }

    pub async fn contact(&self) -> Option<Contact> {
        self.store
            .contact_by_phone(self.tenant.id, &e164(CONTACT))
            .await
            .unwrap()
    }

    /// Sends a reply to [`CONTACT`] by SMS and dispatches it through a recording
    /// carrier answering as `provider`: the provider's id for it, as a status
    /// callback would name it.
    pub async fn reply_sent_through(&self, provider: ProviderName) -> String {
        let request = SendRequest::reply(
            self.tenant.id,
            e164(CONTACT),
            Channel::Sms,
            Content::text("Your order shipped").unwrap(),
        );
        let sent = self.inbox.send(&request).await.unwrap();
        let carrier = Arc::new(RecordingCarrier::new(provider));
        let dispatcher = Dispatcher::new(
            self.store.clone(),
            carrier,
            self.clock.clone(),
            DispatchPolicy::default(),
        )
        .unwrap();
        assert_eq!(dispatcher.dispatch_once().await.unwrap().sent(), 1);
        let record = self.store.message(self.tenant.id, sent.message.id).await;
        record.unwrap().unwrap().provider_message_id.unwrap()
    }

    pub async fn message(&self, provider: ProviderName, id: &str) -> Option<MessageRecord> {
        self.store
            .message_by_provider_id(self.tenant.id, &provider, id)
            .await
            .unwrap()
    }
}

pub fn form(params: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish()
}

/// A Twilio POST to `/api{path}`, signed over the public URL `BASE{path}`.
pub fn twilio_post(path: &str, params: &[(&str, &str)]) -> Request<Body> {
    let validator = RequestValidator::new(TWILIO_TOKEN).unwrap();
    let signature = validator.compute_signature(&format!("{BASE}{path}"), params.iter().copied());
    twilio_request(&format!("/api{path}"), params, Some(&signature))
}

/// A Twilio POST to `uri` with `signature` as given.
pub fn twilio_request(
    uri: &str,
    params: &[(&str, &str)],
    signature: Option<&str>,
) -> Request<Body> {
    let mut request =
        Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(signature) = signature {
        request = request.header("X-Twilio-Signature", signature);
    }
    request.body(Body::from(form(params))).unwrap()
}

/// An incoming Twilio message from [`CONTACT`], on `channel`.
pub fn twilio_message(
    sid: &'static str,
    channel: Channel,
    text: &'static str,
) -> Vec<(&'static str, &'static str)> {
    let (from, to) = match channel {
        Channel::Sms => (CONTACT, SMS_NUMBER),
        Channel::WhatsApp => ("whatsapp:+14155550100", "whatsapp:+14155550198"),
    };
    vec![
        ("MessageSid", sid),
        ("AccountSid", "AC123"),
        ("From", from),
        ("To", to),
        ("Body", text),
        ("NumMedia", "0"),
    ]
}

/// A Telnyx POST of `body` signed at `timestamp`.
pub fn telnyx_post(tenant: &str, body: &str, timestamp: i64) -> Request<Body> {
    let timestamp = timestamp.to_string();
    let signature = telnyx_signer().sign(&timestamp, body.as_bytes());
    Request::post(format!("/api/telnyx/{tenant}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header("telnyx-timestamp", timestamp)
        .header("telnyx-signature-ed25519", signature)
        .body(Body::from(body.to_owned()))
        .unwrap()
}

/// A Meta POST of `body` signed with `secret`.
pub fn meta_post(body: &str, secret: &str) -> Request<Body> {
    let signature = SignatureVerifier::new(secret)
        .unwrap()
        .sign(body.as_bytes());
    Request::post("/api/meta")
        .header(header::CONTENT_TYPE, "application/json")
        .header("X-Hub-Signature-256", signature)
        .body(Body::from(body.to_owned()))
        .unwrap()
}
