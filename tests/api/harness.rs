//! Two tenants, a clock, and requests to the API as a client sends them.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use chrono::{DateTime, TimeZone, Utc};
use http_body_util::BodyExt;
use msgcore::Channel;
use msgcore::api::{ApiConfig, router};
use msgcore::core::api_key::{Scope, Scopes};
use msgcore::engine::{Inbox, LiveEvents, ManualClock};
use msgcore::media::MemoryMediaStore;
use msgcore::model::Tenant;
use msgcore::service::{ApiKeys, NewApiKey};
use msgcore::store::MemoryStore;
use serde_json::Value;
use tower::ServiceExt;

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
}

pub struct World {
    pub app: axum::Router,
    pub inbox: Arc<Inbox>,
    pub keys: ApiKeys,
    pub clock: Arc<ManualClock>,
    pub a: Tenant,
    pub b: Tenant,
}

/// An answer: its status, its `Retry-After`, and its body as JSON.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub retry_after: Option<String>,
    pub body: Value,
}

/// An answer as it came: its status, headers and bytes.
#[derive(Debug)]
pub struct Raw {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Raw {
    /// The header `name`, which must be there once and in ASCII.
    pub fn header(&self, name: &str) -> &str {
        let values: Vec<_> = self.headers.get_all(name).iter().collect();
        assert_eq!(values.len(), 1, "{name}: {:?}", self.headers);
        values[0].to_str().unwrap()
    }
}

/// A request body as a client sends it.
#[derive(Debug, Clone)]
pub enum Payload {
    /// `application/json`.
    Json(Value),
    /// `text/csv`.
    Csv(String),
    /// `multipart/form-data` with one `file` part, and its file name if any.
    File(Vec<u8>, Option<String>),
}

impl From<Value> for Payload {
    /// A JSON string is a CSV file; anything else is JSON.
    fn from(value: Value) -> Payload {
        match value {
            Value::String(csv) => Payload::Csv(csv),
            json => Payload::Json(json),
        }
    }
}

/// The bytes of `tests/fixtures/media/{name}`.
pub fn sample(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/media");
    std::fs::read(path.join(name)).unwrap()
}

/// The boundary of the forms `Payload::File` sends: no file's bytes hold it.
const BOUNDARY: &str = "msgcore-test-boundary-7f3a9c";

/// A form of one part, `name`, holding `bytes` (a file named `filename` if
/// any): its `Content-Type` and its body.
pub fn form(name: &str, bytes: &[u8], filename: Option<&str>) -> (String, Vec<u8>) {
    let disposition = match filename {
        Some(file) => format!("form-data; name=\"{name}\"; filename=\"{file}\""),
        None => format!("form-data; name=\"{name}\""),
    };
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

fn tenant(slug: &str, number: &str) -> Tenant {
    super::api_tenants::tenant(slug, number, Channel::WhatsApp)
}

impl World {
    pub async fn new() -> World {
        World::with(ApiConfig::default()).await
    }

    /// A world whose API keeps media in memory.
    pub async fn with(config: ApiConfig) -> World {
        World::without_media(config.media_store(Arc::new(MemoryMediaStore::new()))).await
    }

    /// A world whose API was given no media store, unless `config` has one;
    /// its event streams are woken by the inbox's commits as a server's are.
    pub async fn without_media(config: ApiConfig) -> World {
        let clock = Arc::new(ManualClock::new(t0()));
        let store = Arc::new(MemoryStore::new());
        let live = LiveEvents::default();
        let inbox = Inbox::builder(store)
            .clock(clock.clone())
            .events(Arc::new(live.clone()))
            .build();
        let inbox = Arc::new(inbox);
        let config = config.live_events(live);
        let (a, b) = (tenant("a", "+14155550901"), tenant("b", "+14155550902"));
        inbox.put_tenant(&a).await.unwrap();
        inbox.put_tenant(&b).await.unwrap();
        let peer = SocketAddr::from(([203, 0, 113, 7], 40_000));
        let app = router(Arc::clone(&inbox), config).layer(MockConnectInfo(peer));
        World {
            app,
            keys: ApiKeys::new(Arc::clone(&inbox)),
            inbox,
            clock,
            a,
            b,
        }
    }

    /// A new key of `tenant` with `scopes`.
    pub async fn key(&self, tenant: &Tenant, scopes: &[Scope]) -> String {
        let scopes: Scopes = scopes.iter().copied().collect();
        let created = self
            .keys
            .create(tenant.id, NewApiKey::new("test", scopes))
            .await;
        created.unwrap().token().to_owned()
    }

    /// Sends `method path` with `key` (none: no `Authorization`) and `body`:
    /// JSON, or a CSV file when it is a JSON string.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        self.call_with(method, path, key, body.map(Payload::from))
            .await
    }

    /// Sends `method path` with `key` (none: no `Authorization`) and `body`.
    pub async fn call_with(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<Payload>,
    ) -> Answer {
        self.send(request(method, path, key, body)).await
    }

    /// Opens `GET /events` with `key` (and `Last-Event-ID: after`): the
    /// answer's status and its body, to read events from.
    pub async fn open_events(&self, key: &str, after: Option<&str>) -> (StatusCode, Body) {
        let mut request = Request::builder()
            .uri("/events")
            .header(header::AUTHORIZATION, format!("Bearer {key}"));
        if let Some(after) = after {
            request = request.header("last-event-id", after);
        }
        let request = request.body(Body::empty()).unwrap();
        let response = self.app.clone().oneshot(request).await.unwrap();
        (response.status(), response.into_body())
    }

    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let retry_after = parts
            .headers
            .get(header::RETRY_AFTER)
            .map(|v| v.to_str().unwrap().to_owned());
        let streams = parts
            .headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
        let status = parts.status;
        if streams {
            // An event stream never ends; events.rs reads them.
            return Answer {
                status,
                retry_after,
                body: Value::Null,
            };
        }
        let bytes = body.collect().await.unwrap().to_bytes();
        // 204 has no body; every other answer is JSON.
        let body = match status {
            StatusCode::NO_CONTENT => {
                assert!(bytes.is_empty(), "a 204 with a body");
                Value::Null
            }
            _ => serde_json::from_slice(&bytes).unwrap_or_else(|_| {
                panic!("{status}: not JSON: {}", String::from_utf8_lossy(&bytes))
            }),
        };
        Answer {
            status,
            retry_after,
            body,
        }
    }

    /// Sends `request` and keeps the answer as it came.
    pub async fn fetch(&self, request: Request<Body>) -> Raw {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.unwrap().to_bytes().to_vec();
        Raw {
            status: parts.status,
            headers: parts.headers,
            bytes,
        }
    }

    pub async fn get(&self, path: &str, key: &str) -> Answer {
        self.call(Method::GET, path, Some(key), None).await
    }
}

/// `method path` with `key` (none: no `Authorization`) and `body`.
pub fn request(
    method: Method,
    path: &str,
    key: Option<&str>,
    body: Option<Payload>,
) -> Request<Body> {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(key) = key {
        request = request.header(header::AUTHORIZATION, format!("Bearer {key}"));
    }
    let (content_type, body) = match body {
        Some(Payload::Json(json)) => ("application/json".to_owned(), json.to_string().into_bytes()),
        Some(Payload::Csv(csv)) => ("text/csv".to_owned(), csv.into_bytes()),
        Some(Payload::File(bytes, filename)) => form("file", &bytes, filename.as_deref()),
        None => return request.body(Body::empty()).unwrap(),
    };
    request
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap()
}

/// Asserts an error answer: `status`, and a body that is `{"error": text}`
/// and nothing else.
pub fn refused(answer: &Answer, status: u16) {
    assert_eq!(answer.status.as_u16(), status, "{answer:?}");
    let object = answer.body.as_object().expect("an object");
    assert_eq!(
        object.len(),
        1,
        "an error body holds only its error: {answer:?}"
    );
    assert!(
        object["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{answer:?}"
    );
}
