//! `HttpCarrier` against a mock provider (wiremock): each provider's requests
//! arrive as its API reference says (method, path, credentials, content type,
//! fields), its answers are classified, and a request that gets no answer is a
//! retryable transport error.
//!
//! A provider's cases need only its own `*_api(base_url)` and body decoder; the
//! mock [`Provider`], [`item`], [`assert_post`] and [`refused`] serve them all.

use std::convert::Infallible;
use std::future::ready;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use futures_util::stream;
use msgcore::E164;
use msgcore::carrier::Carrier;
use msgcore::carrier::{HttpCarrier, MediaSendError};
use msgcore::core::channel::Channel;
use msgcore::core::delivery::DeliveryStatus;
use msgcore::core::message::media::{MAX_MEDIA_BYTES, MediaError, MediaType};
use msgcore::core::message::{Content, MediaKind, RawContent};
use msgcore::engine::{DispatchPolicy, Dispatcher, ManualClock};
use msgcore::model::CarrierError;
use msgcore::model::{
    Contact, ContactId, MessageId, OutboxItem, OutboxState, ProviderName, TenantId,
};
use msgcore::providers::executor::ReqwestExecutor;
use msgcore::providers::meta::send::MediaUploadError;
use msgcore::providers::send_api::SendApi;
use msgcore::providers::{meta, telnyx, twilio};
use msgcore::store::{Changeset, ContactWrite, MemoryStore, Store, conformance};
use serde_json::{Value, json};
use uuid::Uuid;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[path = "support/outbound.rs"]
mod outbound;

// --- shared by every provider ---------------------------------------------

/// A mock provider that gives every request the same answer.
struct Provider {
    server: MockServer,
}

impl Provider {
    async fn answering(answer: ResponseTemplate) -> Provider {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(answer).mount(&server).await;
        Provider { server }
    }

    async fn answering_json(status: u16, body: Value) -> Provider {
        Provider::answering(ResponseTemplate::new(status).set_body_json(body)).await
    }

    fn url(&self) -> String {
        self.server.uri()
    }

    /// Every request received, in order.
    async fn requests(&self) -> Vec<Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// The one request received.
    async fn only_request(&self) -> Request {
        let mut requests = self.requests().await;
        assert_eq!(requests.len(), 1, "expected exactly one request");
        requests.remove(0)
    }
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The request is a POST to `path` with these credentials and content type.
fn assert_post(request: &Request, path: &str, authorization: &str, content_type: &str) {
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), path);
    assert_eq!(header(request, "authorization"), Some(authorization));
    assert_eq!(header(request, "content-type"), Some(content_type));
}

fn tenant() -> TenantId {
    TenantId::from_uuid(Uuid::nil())
}

fn item(channel: Channel, content: Content) -> OutboxItem {
    item_of(tenant(), channel, content)
}

fn item_of(tenant: TenantId, channel: Channel, content: Content) -> OutboxItem {
    OutboxItem::pending(
        MessageId::from_uuid(Uuid::now_v7()),
        tenant,
        channel,
        "+14155550100".parse().unwrap(),
        None,
        content,
        DateTime::UNIX_EPOCH,
    )
}

fn text(body: &str) -> Content {
    Content::text(body).unwrap()
}

fn content(json: Value) -> Content {
    serde_json::from_value::<RawContent>(json)
        .unwrap()
        .validate()
        .unwrap()
}

fn image(url: &str, caption: &str) -> Content {
    content(json!({"type": "image", "media_url": url, "caption": caption}))
}

/// Sends `item` through `api` against the mock provider.
async fn send<A: SendApi>(api: A, item: &OutboxItem) -> Result<String, CarrierError> {
    HttpCarrier::new(api).send(item).await
}

/// How the provider's API, answering `answer`, refuses `item`.
async fn refused<A: SendApi>(
    api: impl FnOnce(&str) -> A,
    item: OutboxItem,
    answer: ResponseTemplate,
) -> CarrierError {
    let provider = Provider::answering(answer).await;
    send(api(&provider.url()), &item).await.unwrap_err()
}

// --- Twilio ----------------------------------------------------------------

const TWILIO_SID: &str = "AC0123456789abcdef0123456789abcdef";
const TWILIO_PATH: &str = "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json";
/// `Basic base64("{TWILIO_SID}:platform-token")`.
const TWILIO_AUTH: &str =
    "Basic QUMwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjpwbGF0Zm9ybS10b2tlbg==";
const FORM: &str = "application/x-www-form-urlencoded";
const SENT_SID: &str = "SM1f0e8ae6ade43cb3c0ce4525424e404f";

fn twilio_sender() -> twilio::send::Sender {
    twilio::send::Sender::Number("+14155238886".parse().unwrap())
}

fn twilio_api(base_url: &str) -> twilio::send::MessagesApi {
    twilio::send::MessagesApi::new(
        twilio::send::TwilioCredentials::new(TWILIO_SID, "platform-token"),
        twilio_sender(),
    )
    .with_base_url(base_url)
}

async fn twilio_accepting() -> Provider {
    Provider::answering_json(201, json!({"sid": SENT_SID, "status": "queued"})).await
}

fn form(request: &Request) -> Vec<(String, String)> {
    form_urlencoded::parse(&request.body).into_owned().collect()
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Sends `item` through the platform's Twilio account; the form it posted.
async fn twilio_form(
    api: impl FnOnce(&str) -> twilio::send::MessagesApi,
    item: OutboxItem,
) -> Vec<(String, String)> {
    let twilio = twilio_accepting().await;
    assert_eq!(
        send(api(&twilio.url()), &item).await,
        Ok(SENT_SID.to_owned())
    );
    let request = twilio.only_request().await;
    assert_post(&request, TWILIO_PATH, TWILIO_AUTH, FORM);
    form(&request)
}

#[tokio::test]
async fn a_twilio_sms_posts_to_from_and_body_and_returns_the_sid() {
    let sent = twilio_form(twilio_api, item(Channel::Sms, text("Your order shipped"))).await;
    assert_eq!(
        sent,
        fields(&[
            ("To", "+14155550100"),
            ("From", "+14155238886"),
            ("Body", "Your order shipped")
        ])
    );
}

#[tokio::test]
async fn a_twilio_mms_posts_the_media_url_with_its_caption_as_body() {
    let mms = image("https://example.com/receipt.jpg", "Your receipt");
    let sent = twilio_form(twilio_api, item(Channel::Sms, mms)).await;
    assert_eq!(
        sent,
        fields(&[
            ("To", "+14155550100"),
            ("From", "+14155238886"),
            ("MediaUrl", "https://example.com/receipt.jpg"),
            ("Body", "Your receipt"),
        ])
    );
}

#[tokio::test]
async fn a_twilio_whatsapp_text_prefixes_both_addresses() {
    let sent = twilio_form(twilio_api, item(Channel::WhatsApp, text("hola"))).await;
    assert_eq!(
        sent,
        fields(&[
            ("To", "whatsapp:+14155550100"),
            ("From", "whatsapp:+14155238886"),
            ("Body", "hola"),
        ])
    );
}

#[tokio::test]
async fn a_twilio_whatsapp_template_posts_its_content_sid_and_variables() {
    let template = content(json!({
        "type": "template", "template_name": "hxb5b62575e6e4ff6129ad7c8efe1f983e", "language": "en_US",
        "components": [{"type": "body", "parameters": [
            {"type": "text", "text": "Maria"}, {"type": "text", "text": "#1042"}
        ]}]
    }));
    let sent = twilio_form(twilio_api, item(Channel::WhatsApp, template)).await;
    assert_eq!(
        sent,
        fields(&[
            ("To", "whatsapp:+14155550100"),
            ("From", "whatsapp:+14155238886"),
            ("ContentSid", "HXb5b62575e6e4ff6129ad7c8efe1f983e"),
            ("ContentVariables", r##"{"1":"Maria","2":"#1042"}"##),
        ])
    );
}

#[tokio::test]
async fn a_twilio_messaging_service_posts_its_sid_instead_of_from() {
    let service = |base: &str| {
        twilio::send::MessagesApi::new(
            twilio::send::TwilioCredentials::new(TWILIO_SID, "platform-token"),
            twilio::send::Sender::MessagingService("MG0123456789abcdef0123456789abcdef".into()),
        )
        .with_base_url(base)
    };
    let sent = twilio_form(service, item(Channel::Sms, text("hi"))).await;
    assert_eq!(
        sent,
        fields(&[
            ("To", "+14155550100"),
            ("MessagingServiceSid", "MG0123456789abcdef0123456789abcdef"),
            ("Body", "hi"),
        ])
    );
}

#[tokio::test]
async fn a_twilio_status_callback_url_is_posted_with_the_message() {
    let with_callback =
        |base: &str| twilio_api(base).with_status_callback("https://example.com/twilio/status");
    let sent = twilio_form(with_callback, item(Channel::Sms, text("hi"))).await;
    assert_eq!(
        sent,
        fields(&[
            ("To", "+14155550100"),
            ("From", "+14155238886"),
            ("Body", "hi"),
            ("StatusCallback", "https://example.com/twilio/status"),
        ])
    );
}

#[tokio::test]
async fn a_tenant_with_a_subaccount_sends_through_it_and_others_through_the_platform() {
    let twilio = twilio_accepting().await;
    let shop = TenantId::from_uuid(Uuid::now_v7());
    let subaccount = twilio::send::MessagesApi::new(
        twilio::send::TwilioCredentials::new("ACfedcba9876543210fedcba9876543210", "shop-token"),
        twilio_sender(),
    )
    .with_base_url(twilio.url());
    let carrier = HttpCarrier::new(twilio_api(&twilio.url())).with_tenant(shop, subaccount);

    carrier
        .send(&item_of(shop, Channel::Sms, text("from the shop")))
        .await
        .unwrap();
    carrier
        .send(&item(Channel::Sms, text("from the platform")))
        .await
        .unwrap();

    let requests = twilio.requests().await;
    assert_eq!(requests.len(), 2);
    assert_post(
        &requests[0],
        "/2010-04-01/Accounts/ACfedcba9876543210fedcba9876543210/Messages.json",
        "Basic QUNmZWRjYmE5ODc2NTQzMjEwZmVkY2JhOTg3NjU0MzIxMDpzaG9wLXRva2Vu",
        FORM,
    );
    assert_post(&requests[1], TWILIO_PATH, TWILIO_AUTH, FORM);
}

async fn twilio_refusal(answer: ResponseTemplate) -> CarrierError {
    refused(twilio_api, item(Channel::Sms, text("hi")), answer).await
}

fn twilio_error(status: u16, code: i64, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "code": code, "message": message, "more_info": format!("https://www.twilio.com/docs/errors/{code}"), "status": status
    }))
}

#[tokio::test]
async fn twilio_21211_is_a_permanent_refusal() {
    let refusal = twilio_refusal(twilio_error(400, 21211, "Invalid 'To' Phone Number")).await;
    assert_eq!(refusal.code.as_deref(), Some("21211"));
    assert_eq!(refusal.message, "Invalid 'To' Phone Number");
    assert!(!refusal.is_transient() && !refusal.is_opted_out());
}

#[tokio::test]
async fn twilio_21610_is_an_opt_out() {
    let refusal = twilio_refusal(twilio_error(
        400,
        21610,
        "Attempt to send to unsubscribed recipient",
    ))
    .await;
    assert_eq!(refusal.code.as_deref(), Some("21610"));
    assert!(refusal.is_opted_out() && !refusal.is_transient());
}

#[tokio::test]
async fn twilio_429_is_retryable_after_the_seconds_it_asks_for() {
    let answer = twilio_error(429, 20429, "Too Many Requests").insert_header("Retry-After", "7");
    let refusal = twilio_refusal(answer).await;
    assert!(refusal.is_transient());
    assert_eq!(refusal.retry_after(), Some(TimeDelta::seconds(7)));
}

/// A URL on a local port nothing listens on.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[tokio::test]
async fn a_refused_connection_is_a_retryable_transport_error_naming_the_host_not_the_credentials() {
    let refusal = send(
        twilio_api(&closed_port_url()),
        &item(Channel::Sms, text("hi")),
    )
    .await
    .unwrap_err();
    assert_eq!(refusal.provider, ProviderName::TWILIO);
    assert_eq!(refusal.code.as_deref(), Some("transport"));
    assert!(refusal.is_transient());
    assert!(
        refusal
            .message
            .starts_with("could not connect to 127.0.0.1: "),
        "{}",
        refusal.message
    );
    assert!(!refusal.message.contains("platform-token") && !refusal.message.contains(TWILIO_SID));
}

#[tokio::test]
async fn an_answer_longer_than_the_cap_is_refused_unread_and_never_retried() {
    let huge = "x".repeat(2 * 1024 * 1024);
    let refusal = refused(
        twilio_api,
        item(Channel::Sms, text("hi")),
        ResponseTemplate::new(201).set_body_string(huge),
    )
    .await;
    assert_eq!(refusal.code.as_deref(), Some("transport"));
    assert!(
        refusal.is_permanent(),
        "the provider may have taken it: a retry could send it twice"
    );
    assert!(
        refusal
            .message
            .ends_with("answered with more than 1048576 bytes"),
        "{}",
        refusal.message
    );

    let provider = Provider::answering(
        ResponseTemplate::new(201).set_body_json(json!({"sid": SENT_SID, "status": "queued"})),
    )
    .await;
    let small = HttpCarrier::new(twilio_api(&provider.url()))
        .with_executor(ReqwestExecutor::new().with_max_answer_bytes(16));
    let cut = small
        .send(&item(Channel::Sms, text("hi")))
        .await
        .unwrap_err();
    assert!(
        cut.message.ends_with("more than 16 bytes"),
        "{}",
        cut.message
    );
}

#[tokio::test]
async fn a_chunked_answer_without_a_length_is_cut_at_the_cap_too() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = vec![0; 64 * 1024];
        let _ = socket.read(&mut request).await;
        let head = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        let _ = socket.write_all(head.as_bytes()).await;
        let chunk = format!("{:x}\r\n{}\r\n", 1024, "y".repeat(1024));
        for _ in 0..64 {
            if socket.write_all(chunk.as_bytes()).await.is_err() {
                return;
            }
        }
        let _ = socket.write_all(b"0\r\n\r\n").await;
    });
    let carrier = HttpCarrier::new(twilio_api(&url))
        .with_executor(ReqwestExecutor::new().with_max_answer_bytes(10 * 1024));
    let refusal = carrier
        .send(&item(Channel::Sms, text("hi")))
        .await
        .unwrap_err();
    assert!(
        refusal
            .message
            .ends_with("answered with more than 10240 bytes"),
        "{}",
        refusal.message
    );
}

#[tokio::test]
async fn a_base_url_that_is_not_a_url_is_a_permanent_transport_error() {
    let refusal = send(
        twilio_api("api.twilio.com"),
        &item(Channel::Sms, text("hi")),
    )
    .await
    .unwrap_err();
    assert_eq!(refusal.code.as_deref(), Some("transport"));
    assert!(
        !refusal.is_transient(),
        "retrying cannot fix the configuration"
    );
    assert_eq!(
        refusal.message,
        "the provider URL is not valid: relative URL without a base"
    );
}

#[tokio::test]
async fn an_answer_slower_than_the_timeout_is_a_retryable_transport_error() {
    let slow = ResponseTemplate::new(201)
        .set_body_json(json!({"sid": SENT_SID}))
        .set_delay(Duration::from_secs(5));
    let twilio = Provider::answering(slow).await;
    let carrier = HttpCarrier::new(twilio_api(&twilio.url()))
        .with_executor(ReqwestExecutor::new().with_timeout(Duration::from_millis(200)));

    let refusal = carrier
        .send(&item(Channel::Sms, text("hi")))
        .await
        .unwrap_err();
    assert_eq!(refusal.code.as_deref(), Some("transport"));
    assert!(refusal.is_transient());
    assert_eq!(refusal.message, "127.0.0.1 did not answer within 200ms");
}

// --- Telnyx ----------------------------------------------------------------

const TELNYX_AUTH: &str = "Bearer KEY0123456789";
const TELNYX_ID: &str = "40385f64-5717-4562-b3fc-2c963f66afa6";
const PROFILE: &str = "4000eba1-a0c0-4563-9925-b25e842a7cb6";

fn telnyx_api(base_url: &str) -> telnyx::send::MessagesApi {
    telnyx::send::MessagesApi::new(
        "KEY0123456789",
        telnyx::send::Sender::Number("+13125550199".parse().unwrap()),
    )
    .with_base_url(base_url)
}

/// Sends `item` through Telnyx; the JSON it posted.
async fn telnyx_json(
    api: impl FnOnce(&str) -> telnyx::send::MessagesApi,
    item: OutboxItem,
) -> Value {
    let answer = json!({"data": {"record_type": "message", "id": TELNYX_ID}});
    let telnyx = Provider::answering_json(200, answer).await;
    assert_eq!(
        send(api(&telnyx.url()), &item).await,
        Ok(TELNYX_ID.to_owned())
    );
    let request = telnyx.only_request().await;
    assert_post(&request, "/v2/messages", TELNYX_AUTH, "application/json");
    request.body_json().unwrap()
}

#[tokio::test]
async fn a_telnyx_text_posts_json_with_from_to_and_text_and_returns_the_id() {
    let sent = telnyx_json(telnyx_api, item(Channel::Sms, text("Your order shipped"))).await;
    assert_eq!(
        sent,
        json!({"from": "+13125550199", "to": "+14155550100", "text": "Your order shipped"})
    );
}

#[tokio::test]
async fn a_telnyx_mms_posts_its_media_urls() {
    let mms = image("https://example.com/receipt.jpg", "Your receipt");
    let sent = telnyx_json(telnyx_api, item(Channel::Sms, mms)).await;
    assert_eq!(
        sent,
        json!({
            "from": "+13125550199", "to": "+14155550100", "text": "Your receipt",
            "media_urls": ["https://example.com/receipt.jpg"]
        })
    );
}

#[tokio::test]
async fn a_telnyx_messaging_profile_posts_its_id_instead_of_from() {
    let profile = |base: &str| {
        telnyx::send::MessagesApi::new(
            "KEY0123456789",
            telnyx::send::Sender::MessagingProfile(PROFILE.into()),
        )
        .with_base_url(base)
    };
    let sent = telnyx_json(profile, item(Channel::Sms, text("hi"))).await;
    assert_eq!(
        sent,
        json!({"messaging_profile_id": PROFILE, "to": "+14155550100", "text": "hi"})
    );
}

async fn telnyx_refusal(status: u16, code: &str, detail: &str) -> CarrierError {
    let answer = json!({"errors": [{"code": code, "title": "refused", "detail": detail}]});
    let answer = ResponseTemplate::new(status).set_body_json(answer);
    refused(telnyx_api, item(Channel::Sms, text("hi")), answer).await
}

#[tokio::test]
async fn telnyx_40300_is_an_opt_out() {
    let refusal = telnyx_refusal(400, "40300", "Blocked due to STOP message").await;
    assert_eq!(refusal.code.as_deref(), Some("40300"));
    assert_eq!(refusal.message, "Blocked due to STOP message");
    assert!(refusal.is_opted_out() && !refusal.is_transient());
}

#[tokio::test]
async fn telnyx_401_is_a_permanent_refusal() {
    let refusal = telnyx_refusal(401, "10009", "Authentication failed").await;
    assert_eq!(refusal.provider, ProviderName::TELNYX);
    assert_eq!(refusal.code.as_deref(), Some("10009"));
    assert!(!refusal.is_transient() && !refusal.is_opted_out());
}

// --- Meta ------------------------------------------------------------------

const META_NUMBER: &str = "106540352242922";
const META_MESSAGES: &str = "/v23.0/106540352242922/messages";
const META_MEDIA: &str = "/v23.0/106540352242922/media";
const META_AUTH: &str = "Bearer EAAG-platform";
const JSON: &str = "application/json";
const WAMID: &str = "wamid.HBgLMTQxNTU1NTAxMDAVAgARGBI3QjY0RUY2MzE0RjY1NTY3";
const MEDIA_ID: &str = "1166846181421424";

fn meta_api(base_url: &str) -> meta::send::MessagesApi {
    meta::send::MessagesApi::new("EAAG-platform", META_NUMBER).with_base_url(base_url)
}

fn meta_carrier(meta: &Provider) -> HttpCarrier<meta::send::MessagesApi> {
    HttpCarrier::new(meta_api(&meta.url()))
}

/// The bytes of `tests/fixtures/media/{name}`.
fn media_sample(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/media")
            .join(name),
    )
    .unwrap()
}

/// A WhatsApp item to `+14155550100`, whose `wa_id` is `14155550100`.
fn whatsapp(json: Value) -> OutboxItem {
    item(Channel::WhatsApp, content(json))
}

/// Each SPEC §6 content kind, and the object Meta's reference documents for it
/// under the body's `type` key.
fn meta_cases() -> Vec<(&'static str, OutboxItem, Value)> {
    vec![
        (
            "text",
            item(Channel::WhatsApp, text("Your order shipped")),
            json!({"preview_url": false, "body": "Your order shipped"}),
        ),
        (
            "image",
            item(
                Channel::WhatsApp,
                image("https://example.com/receipt.jpg", "Your receipt"),
            ),
            json!({"link": "https://example.com/receipt.jpg", "caption": "Your receipt"}),
        ),
        (
            "image",
            whatsapp(json!({"type": "image", "media_id": MEDIA_ID})),
            json!({"id": MEDIA_ID}),
        ),
        (
            "audio",
            whatsapp(json!({"type": "audio", "media_id": "1013859600285441"})),
            json!({"id": "1013859600285441"}),
        ),
        (
            "video",
            whatsapp(
                json!({"type": "video", "media_url": "https://example.com/howto.mp4", "caption": "How to assemble it"}),
            ),
            json!({"link": "https://example.com/howto.mp4", "caption": "How to assemble it"}),
        ),
        (
            "document",
            whatsapp(json!({
                "type": "document", "media_url": "https://example.com/invoice.pdf",
                "filename": "invoice-1042.pdf", "caption": "Invoice #1042"
            })),
            json!({"link": "https://example.com/invoice.pdf", "caption": "Invoice #1042", "filename": "invoice-1042.pdf"}),
        ),
        (
            "template",
            whatsapp(json!({
                "type": "template", "template_name": "invoice_ready", "language": "pt_BR",
                "components": [
                    {"type": "header", "parameters": [
                        {"type": "document", "document": {"media_id": "4490709327384033"}, "filename": "fatura.pdf"}
                    ]},
                    {"type": "body", "parameters": [
                        {"type": "text", "text": "Maria"},
                        {"type": "date_time", "fallback_value": "25 de fevereiro"}
                    ]},
                    {"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "1042"}]}
                ]
            })),
            json!({
                "name": "invoice_ready",
                "language": {"code": "pt_BR"},
                "components": [
                    {"type": "header", "parameters": [
                        {"type": "document", "document": {"id": "4490709327384033", "filename": "fatura.pdf"}}
                    ]},
                    {"type": "body", "parameters": [
                        {"type": "text", "text": "Maria"},
                        {"type": "date_time", "date_time": {"fallback_value": "25 de fevereiro"}}
                    ]},
                    {"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": "1042"}]}
                ]
            }),
        ),
        (
            "interactive",
            whatsapp(json!({"type": "interactive", "interactive": {
                "type": "button",
                "body": "Keep your appointment on Monday at 9?",
                "footer": "Reply any time",
                "buttons": [{"id": "keep", "title": "Yes"}, {"id": "change", "title": "Change it"}]
            }})),
            json!({
                "type": "button",
                "body": {"text": "Keep your appointment on Monday at 9?"},
                "footer": {"text": "Reply any time"},
                "action": {"buttons": [
                    {"type": "reply", "reply": {"id": "keep", "title": "Yes"}},
                    {"type": "reply", "reply": {"id": "change", "title": "Change it"}}
                ]}
            }),
        ),
        (
            "interactive",
            whatsapp(json!({"type": "interactive", "interactive": {
                "type": "list",
                "body": "Which delivery slot suits you?",
                "button": "Choose a slot",
                "sections": [{"title": "Morning", "rows": [{"id": "am-9", "title": "9–10", "description": "Before work"}]}]
            }})),
            json!({
                "type": "list",
                "body": {"text": "Which delivery slot suits you?"},
                "action": {
                    "button": "Choose a slot",
                    "sections": [{"title": "Morning", "rows": [{"id": "am-9", "title": "9–10", "description": "Before work"}]}]
                }
            }),
        ),
        (
            "location",
            whatsapp(json!({
                "type": "location", "latitude": 37.44216251868683, "longitude": -122.16153582049394,
                "name": "Philz Coffee", "address": "101 Forest Ave, Palo Alto, CA 94301"
            })),
            json!({
                "latitude": 37.44216251868683, "longitude": -122.16153582049394,
                "name": "Philz Coffee", "address": "101 Forest Ave, Palo Alto, CA 94301"
            }),
        ),
        (
            "contacts",
            whatsapp(json!({"type": "contacts", "contacts": [{
                "name": {"formatted_name": "John Smith", "first_name": "John"},
                "phones": [{"phone": "+1 (940) 555-1234", "type": "WORK", "wa_id": "19405551234"}]
            }]})),
            json!([{
                "name": {"formatted_name": "John Smith", "first_name": "John"},
                "phones": [{"phone": "+1 (940) 555-1234", "type": "WORK", "wa_id": "19405551234"}]
            }]),
        ),
        (
            "reaction",
            whatsapp(json!({"type": "reaction", "message_id": "wamid.HBgLMTY1", "emoji": "👍🏽"})),
            json!({"message_id": "wamid.HBgLMTY1", "emoji": "👍🏽"}),
        ),
    ]
}

#[tokio::test]
async fn every_content_kind_reaches_meta_as_its_documented_json_and_returns_the_wamid() {
    for (kind, item, expected) in meta_cases() {
        let answer = json!({
            "messaging_product": "whatsapp",
            "contacts": [{"input": "14155550100", "wa_id": "14155550100"}],
            "messages": [{"id": WAMID}]
        });
        let meta = Provider::answering_json(200, answer).await;
        assert_eq!(
            send(meta_api(&meta.url()), &item).await,
            Ok(WAMID.to_owned()),
            "{kind}"
        );
        let request = meta.only_request().await;
        assert_post(&request, META_MESSAGES, META_AUTH, JSON);
        let body: Value = request.body_json().unwrap();
        assert_eq!(body["messaging_product"], "whatsapp", "{kind}");
        assert_eq!(body["recipient_type"], "individual", "{kind}");
        assert_eq!(body["to"], "14155550100", "{kind}");
        assert_eq!(body["type"], kind);
        assert_eq!(body[kind], expected, "{kind}");
    }
}

/// A Graph API error object as Meta sends it.
fn meta_error(status: u16, code: i64, details: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({"error": {
        "message": format!("(#{code}) refused"),
        "type": "OAuthException",
        "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": details},
        "fbtrace_id": "Az8or2yhqkZfEZ-_4Qn_Bam"
    }}))
}

#[tokio::test]
async fn meta_window_undeliverable_and_token_refusals_are_permanent() {
    let cases = [
        (
            meta_error(
                400,
                131047,
                "Message failed to send because more than 24 hours have passed",
            ),
            "131047",
            "outside the WhatsApp 24-hour window: send an approved template (Meta: Message failed to send because more than 24 hours have passed)",
        ),
        (
            meta_error(400, 131026, "Message undeliverable"),
            "131026",
            "undeliverable: the number may not be on WhatsApp or its app may need an update (Meta: Message undeliverable)",
        ),
        (
            meta_error(401, 190, "Error validating access token"),
            "190",
            "the access token expired or is invalid: issue a new one (Meta: Error validating access token)",
        ),
    ];
    for (answer, code, message) in cases {
        let refusal = refused(meta_api, item(Channel::WhatsApp, text("hi")), answer).await;
        assert_eq!(refusal.provider, ProviderName::META);
        assert_eq!(refusal.code.as_deref(), Some(code));
        assert_eq!(refusal.message, message);
        assert!(!refusal.is_transient() && !refusal.is_opted_out(), "{code}");
        assert_eq!(refusal.retry_after(), None, "{code}");
    }
}

#[tokio::test]
async fn meta_rate_limits_are_retryable_after_the_delay_meta_asks_for() {
    let cases = [
        (
            meta_error(429, 130429, "Cloud API message throughput has been reached")
                .insert_header("Retry-After", "30"),
            "130429",
            Some(TimeDelta::seconds(30)),
        ),
        (meta_error(400, 80007, "Rate limit hit"), "80007", None),
    ];
    for (answer, code, retry_after) in cases {
        let refusal = refused(meta_api, item(Channel::WhatsApp, text("hi")), answer).await;
        assert_eq!(refusal.code.as_deref(), Some(code));
        assert!(refusal.is_transient(), "{code}");
        assert_eq!(refusal.retry_after(), retry_after, "{code}");
    }
}

/// A part of a multipart form: field name, file name, content type and bytes.
type Part = (String, Option<String>, Option<String>, Vec<u8>);

/// The parts of a `multipart/form-data` request, read by multer (not by the
/// code that wrote them).
async fn form_parts(request: &Request) -> Vec<Part> {
    let content_type = header(request, "content-type").unwrap_or_default();
    let boundary = multer::parse_boundary(content_type).unwrap();
    let body = request.body.clone();
    let mut form = multer::Multipart::new(stream::once(ready(Ok::<_, Infallible>(body))), boundary);
    let mut parts = Vec::new();
    while let Some(field) = form.next_field().await.unwrap() {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let kind = field.content_type().map(ToString::to_string);
        parts.push((name, file_name, kind, field.bytes().await.unwrap().to_vec()));
    }
    parts
}

fn text_part(name: &str, value: &str) -> Part {
    (name.to_owned(), None, None, value.as_bytes().to_vec())
}

#[tokio::test]
async fn an_upload_posts_the_files_exact_bytes_as_multipart_and_returns_the_media_id() {
    let cases = [
        (MediaKind::Image, "receipt.jpg", "image.jpg", "image/jpeg"),
        (
            MediaKind::Document,
            "invoice-1042.pdf",
            "document.pdf",
            "application/pdf",
        ),
    ];
    for (kind, file_name, sample, mime) in cases {
        let meta = Provider::answering_json(200, json!({"id": MEDIA_ID})).await;
        let bytes = media_sample(sample);
        let uploaded = meta_carrier(&meta)
            .upload_media(tenant(), kind, file_name, &bytes)
            .await;
        assert_eq!(uploaded, Ok(MEDIA_ID.to_owned()), "{sample}");
        let request = meta.only_request().await;
        let content_type = header(&request, "content-type").unwrap_or_default();
        assert!(
            content_type.starts_with("multipart/form-data; boundary="),
            "{content_type}"
        );
        assert_post(&request, META_MEDIA, META_AUTH, content_type);
        let file = (
            "file".to_owned(),
            Some(file_name.to_owned()),
            Some(mime.to_owned()),
            bytes,
        );
        assert_eq!(
            form_parts(&request).await,
            vec![
                text_part("messaging_product", "whatsapp"),
                text_part("type", mime),
                file
            ],
            "{sample}"
        );
    }
}

#[tokio::test]
async fn an_oversize_or_wrong_type_file_is_refused_without_a_request() {
    let mut oversize = media_sample("image.jpg");
    oversize.resize(MAX_MEDIA_BYTES + 1, 0);
    let cases = [
        (
            "big.jpg",
            oversize,
            MediaError::TooLarge {
                size: MAX_MEDIA_BYTES + 1,
                max: MAX_MEDIA_BYTES,
            },
        ),
        (
            "invoice.jpg",
            media_sample("document.pdf"),
            MediaError::WrongKind {
                expected: MediaKind::Image,
                found: MediaType::Pdf,
            },
        ),
    ];
    for (file_name, bytes, problem) in cases {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": MEDIA_ID})))
            .expect(0)
            .mount(&server)
            .await;
        let uploaded = HttpCarrier::new(meta_api(&server.uri()))
            .upload_media(tenant(), MediaKind::Image, file_name, &bytes)
            .await;
        assert_eq!(
            uploaded,
            Err(MediaSendError::Rejected(MediaUploadError::Rejected {
                file_name: file_name.to_owned(),
                problem,
            }))
        );
        server.verify().await;
    }
}

#[tokio::test]
async fn an_upload_meta_refuses_is_a_carrier_error() {
    let meta = Provider::answering(meta_error(401, 190, "Error validating access token")).await;
    let uploaded = meta_carrier(&meta)
        .upload_media(
            tenant(),
            MediaKind::Image,
            "receipt.jpg",
            &media_sample("image.jpg"),
        )
        .await;
    let Err(MediaSendError::Refused(refusal)) = uploaded else {
        panic!("expected Meta's refusal, got {uploaded:?}");
    };
    assert_eq!(refusal.code.as_deref(), Some("190"));
    assert!(!refusal.is_transient());
}

#[tokio::test]
async fn marking_read_posts_the_read_status_and_success_is_ok() {
    let meta = Provider::answering_json(200, json!({"success": true})).await;
    assert_eq!(meta_carrier(&meta).mark_read(tenant(), WAMID).await, Ok(()));
    let request = meta.only_request().await;
    assert_post(&request, META_MESSAGES, META_AUTH, JSON);
    assert_eq!(
        request.body_json::<Value>().unwrap(),
        json!({"messaging_product": "whatsapp", "status": "read", "message_id": WAMID})
    );
}

#[tokio::test]
async fn a_tenants_uploads_and_read_receipts_go_through_its_own_number() {
    let meta = Provider::answering_json(200, json!({"id": MEDIA_ID, "success": true})).await;
    let shop = TenantId::from_uuid(Uuid::now_v7());
    let own =
        meta::send::MessagesApi::new("EAAG-shop", "209871234567890").with_base_url(meta.url());
    let carrier = meta_carrier(&meta).with_tenant(shop, own);

    carrier
        .upload_media(
            shop,
            MediaKind::Image,
            "receipt.jpg",
            &media_sample("image.jpg"),
        )
        .await
        .unwrap();
    carrier.mark_read(shop, WAMID).await.unwrap();

    let requests = meta.requests().await;
    let paths: Vec<_> = requests.iter().map(|r| r.url.path()).collect();
    assert_eq!(
        paths,
        [
            "/v23.0/209871234567890/media",
            "/v23.0/209871234567890/messages"
        ]
    );
    assert!(
        requests
            .iter()
            .all(|r| header(r, "authorization") == Some("Bearer EAAG-shop"))
    );
}

// --- through the dispatcher ------------------------------------------------

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

/// One outbound SMS committed to the outbox of a new tenant.
async fn queue_one_sms(store: &MemoryStore) -> (TenantId, MessageId) {
    let tenant = conformance::tenant();
    store.put_tenant(&tenant).await.unwrap();
    let phone: E164 = "+14155550100".parse().unwrap();
    let contact = Contact::new(ContactId::from_uuid(Uuid::now_v7()), tenant.id, phone, t0());
    let conversation = outbound::conversation(tenant.id, contact.id, t0());
    let mut changes = Changeset::for_contact(tenant.id, ContactWrite::Insert(contact));
    let id = outbound::queue_agent_sms(
        &mut changes,
        &conversation,
        phone,
        text("Your order shipped"),
        t0(),
    );
    changes.conversations.push(conversation);
    store.commit(changes).await.unwrap();
    (tenant.id, id)
}

#[tokio::test]
async fn a_dispatcher_sends_the_outbox_through_twilio_and_records_twilios_sid() {
    let twilio = twilio_accepting().await;
    let store = Arc::new(MemoryStore::new());
    let (tenant, message) = queue_one_sms(&store).await;
    let carrier = Arc::new(HttpCarrier::new(twilio_api(&twilio.url())));
    let clock = Arc::new(ManualClock::new(t0()));
    let dispatcher =
        Dispatcher::new(store.clone(), carrier, clock, DispatchPolicy::default()).unwrap();

    let report = dispatcher.dispatch_once().await.unwrap();

    assert_eq!((report.claimed, report.sent()), (1, 1));
    let sent = store.message(tenant, message).await.unwrap().unwrap();
    assert_eq!(sent.provider, Some(ProviderName::TWILIO));
    assert_eq!(sent.provider_message_id.as_deref(), Some(SENT_SID));
    assert_eq!(sent.delivery.status(), Some(DeliveryStatus::Sent));
    let outbox = store.outbox_item(tenant, message).await.unwrap().unwrap();
    assert!(matches!(outbox.state, OutboxState::Sent { .. }));
    let posted = form(&twilio.only_request().await);
    assert!(posted.contains(&("Body".to_owned(), "Your order shipped".to_owned())));
}
