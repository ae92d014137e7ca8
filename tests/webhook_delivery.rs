//! Outgoing webhooks (SPEC §18) delivered over real HTTP to a wiremock
//! receiver: every event, in order, signed as Standard Webhooks says; a
//! receiver that is down gets the same events with their original ids when
//! it returns; an endpoint that keeps failing is disabled and says why.

use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use msgcore::core::webhook_endpoint::{EndpointUrl, EventFilter, UrlPolicy};
use msgcore::core::webhook_event::EventType;
use msgcore::core::webhook_retry::{DeliveryState, RetrySchedule};
use msgcore::core::webhook_signing::{SignatureHeaders, SigningSecret};
use msgcore::engine::{Clock, Inbox, ManualClock, WebhookDeliverer};
use msgcore::model::{
    Contact, ContactId, IdSource, InboxEvent, MessageId, RandomIds, Tenant, TenantId,
    TenantSettings, WebhookEndpoint, WebhookId,
};
use msgcore::providers::executor::ReqwestExecutor;
use msgcore::store::{Changeset, ContactWrite, MemoryStore, Store};
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
}

/// A receiver answering with whatever status it is set to.
#[derive(Clone)]
struct Switch(Arc<AtomicU16>);

impl Switch {
    fn new(status: u16) -> Switch {
        Switch(Arc::new(AtomicU16::new(status)))
    }

    fn set(&self, status: u16) {
        self.0.store(status, Ordering::SeqCst);
    }
}

impl Respond for Switch {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        ResponseTemplate::new(self.0.load(Ordering::SeqCst))
    }
}

struct World {
    store: Arc<MemoryStore>,
    clock: Arc<ManualClock>,
    inbox: Arc<Inbox>,
    tenant: Tenant,
    contact: Contact,
    receiver: MockServer,
    switch: Switch,
    secret: SigningSecret,
}

impl World {
    async fn new() -> World {
        let store = Arc::new(MemoryStore::new());
        let clock = Arc::new(ManualClock::new(t0()));
        let inbox = Arc::new(Inbox::builder(store.clone()).clock(clock.clone()).build());
        let tenant = Tenant {
            id: TenantId::from_uuid(RandomIds.next_id()),
            slug: "acme".to_owned(),
            org_name: "Acme".to_owned(),
            numbers: Vec::new(),
            settings: TenantSettings::default(),
        };
        store.put_tenant(&tenant).await.unwrap();
        let phone = "+14155550100".parse().unwrap();
        let contact = Contact::new(
            ContactId::from_uuid(RandomIds.next_id()),
            tenant.id,
            phone,
            t0(),
        );
        let receiver = MockServer::start().await;
        let switch = Switch::new(200);
        Mock::given(method("POST"))
            .and(path("/hooks"))
            .respond_with(switch.clone())
            .mount(&receiver)
            .await;
        World {
            store,
            clock,
            inbox,
            tenant,
            contact,
            receiver,
            switch,
            secret: SigningSecret::new([42; 32]),
        }
    }

    /// An endpoint at the receiver's `/hooks` hearing `events`.
    async fn endpoint(&self, events: EventFilter) -> WebhookEndpoint {
        let url = format!("{}/hooks", self.receiver.uri());
        self.endpoint_at(&url, events).await
    }

    /// An endpoint at `url` hearing `events`.
    async fn endpoint_at(&self, url: &str, events: EventFilter) -> WebhookEndpoint {
        let endpoint = WebhookEndpoint {
            id: WebhookId::from_uuid(RandomIds.next_id()),
            tenant: self.tenant.id,
            url: EndpointUrl::parse(url, UrlPolicy::LOCAL).unwrap(),
            description: None,
            events,
            secret: self.secret.clone(),
            created_at: t0(),
            delivery: DeliveryState::new(0, t0()),
        };
        self.store.create_webhook(&endpoint).await.unwrap()
    }

    /// Commits `events` with the contact's write, as the engine would.
    async fn commit(&self, version: u64, events: Vec<InboxEvent>) {
        let write = match version {
            0 => ContactWrite::Insert(self.contact.clone()),
            v => ContactWrite::update(v, self.contact.clone()),
        };
        let mut changes = Changeset::for_contact(self.tenant.id, write);
        for event in events {
            changes.push_event(self.clock.now(), event);
        }
        self.store.commit(changes).await.unwrap();
    }

    fn tag(&self, tag: &str) -> InboxEvent {
        InboxEvent::TagAdded {
            contact: self.contact.id,
            tag: tag.to_owned(),
        }
    }

    fn deliverer(&self, schedule: RetrySchedule) -> WebhookDeliverer {
        let transport = ReqwestExecutor::for_webhooks(UrlPolicy::LOCAL).unwrap();
        WebhookDeliverer::new(self.inbox.clone(), Arc::new(transport)).with_schedule(schedule)
    }

    /// Every delivery the receiver got: (webhook-id, body), each checked
    /// against its signature at the time it was sent.
    async fn received(&self) -> Vec<(String, Value)> {
        let requests = self.receiver.received_requests().await.unwrap();
        requests
            .iter()
            .map(|request| {
                let header = |name: &str| request.headers.get(name).unwrap().to_str().unwrap();
                let headers = SignatureHeaders {
                    id: header("webhook-id").to_owned(),
                    timestamp: header("webhook-timestamp").parse().unwrap(),
                    signature: header("webhook-signature").to_owned(),
                };
                assert_eq!(header("content-type"), "application/json");
                // Signed at the time of its attempt, which the clock has passed.
                let sent_at = headers.timestamp;
                assert!(sent_at <= self.clock.now().timestamp());
                self.secret
                    .verify(&headers, &request.body, sent_at)
                    .expect("every delivery is signed with the endpoint's secret");
                (headers.id, serde_json::from_slice(&request.body).unwrap())
            })
            .collect()
    }
}

fn tags(received: &[(String, Value)]) -> Vec<String> {
    received
        .iter()
        .map(|(_, body)| body["data"]["tag"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn every_event_reaches_the_endpoint_in_order_signed_with_its_secret() {
    let world = World::new().await;
    world.commit(0, vec![world.tag("before")]).await;
    let endpoint = world.endpoint(EventFilter::all()).await;
    world
        .commit(
            1,
            vec![world.tag("one"), world.tag("two"), world.tag("three")],
        )
        .await;

    let pass = world
        .deliverer(RetrySchedule::default())
        .tick()
        .await
        .unwrap();

    assert_eq!((pass.endpoints, pass.delivered, pass.failed), (1, 3, 0));
    let received = world.received().await;
    assert_eq!(
        tags(&received),
        ["one", "two", "three"],
        "none from before it existed"
    );
    let ids: Vec<&str> = received.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["evt_2", "evt_3", "evt_4"]);
    let (_, first) = &received[0];
    assert_eq!(first["type"], "tag.added");
    assert_eq!(first["timestamp"], "2026-12-07T09:00:00Z");
    assert_eq!(first["data"]["contact"], world.contact.id.to_string());
    let stored = world
        .store
        .webhook(world.tenant.id, endpoint.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.delivery.cursor, 4);
    assert_eq!(stored.delivery.last_delivered_at, Some(t0()));
    let again = world
        .deliverer(RetrySchedule::default())
        .tick()
        .await
        .unwrap();
    assert_eq!(again.endpoints, 0, "nothing new: not even claimed");
}

#[tokio::test]
async fn a_receiver_that_was_down_gets_every_event_in_order_with_its_original_id() {
    let world = World::new().await;
    world.endpoint(EventFilter::all()).await;
    world.commit(0, vec![world.tag("a"), world.tag("b")]).await;
    world.switch.set(503);
    let deliverer = world.deliverer(RetrySchedule::new(vec![
        TimeDelta::seconds(5),
        TimeDelta::seconds(60),
    ]));

    let down = deliverer.tick().await.unwrap();
    assert_eq!((down.delivered, down.failed), (0, 1));
    world.commit(1, vec![world.tag("c")]).await;
    world.clock.advance(TimeDelta::seconds(4));
    assert_eq!(
        deliverer.tick().await.unwrap().endpoints,
        0,
        "waits its retry"
    );
    world.clock.advance(TimeDelta::seconds(1));
    assert_eq!(deliverer.tick().await.unwrap().failed, 1, "still down");
    world.switch.set(204);
    world.clock.advance(TimeDelta::seconds(60));
    let back = deliverer.tick().await.unwrap();

    assert_eq!((back.delivered, back.failed, back.disabled), (3, 0, 0));
    let received = world.received().await;
    let accepted = &received[2..];
    assert_eq!(tags(accepted), ["a", "b", "c"]);
    assert_eq!(received[0].0, "evt_1", "the first attempt");
    assert_eq!(received[1].0, "evt_1", "its retry, under the same id");
    assert_eq!(accepted[0].0, "evt_1", "and its delivery");
}

#[tokio::test]
async fn an_endpoint_that_keeps_failing_is_disabled_and_resumes_where_it_stopped_when_enabled() {
    let world = World::new().await;
    let endpoint = world.endpoint(EventFilter::all()).await;
    world.commit(0, vec![world.tag("kept")]).await;
    world.switch.set(500);
    let deliverer = world.deliverer(RetrySchedule::new(vec![TimeDelta::seconds(5)]));

    deliverer.tick().await.unwrap();
    world.clock.advance(TimeDelta::seconds(5));
    let last = deliverer.tick().await.unwrap();

    assert_eq!(last.disabled, 1);
    let stored = world
        .store
        .webhook(world.tenant.id, endpoint.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.delivery.disabled_at, Some(world.clock.now()));
    assert_eq!(stored.delivery.last_error.as_deref(), Some("HTTP 500"));
    world.switch.set(200);
    world.commit(1, vec![world.tag("later")]).await;
    world.clock.advance(TimeDelta::days(3));
    assert_eq!(deliverer.tick().await.unwrap().endpoints, 0, "disabled");

    world
        .store
        .enable_webhook(world.tenant.id, endpoint.id, world.clock.now())
        .await
        .unwrap();
    let resumed = deliverer.tick().await.unwrap();

    assert_eq!(resumed.delivered, 2);
    let received = world.received().await;
    assert_eq!(tags(&received[2..]), ["kept", "later"]);
}

#[tokio::test]
async fn an_endpoint_hears_only_its_types_and_never_the_engines_bookkeeping() {
    let world = World::new().await;
    world
        .endpoint(EventFilter::only([EventType::TagRemoved]))
        .await;
    let trigger = InboxEvent::Trigger {
        trigger: "inbound_sms".into(),
        message: MessageId::from_uuid(RandomIds.next_id()),
        contact: world.contact.id,
    };
    let removed = InboxEvent::TagRemoved {
        contact: world.contact.id,
        tag: "gone".into(),
    };
    world
        .commit(0, vec![world.tag("added"), trigger, removed])
        .await;

    let pass = world
        .deliverer(RetrySchedule::default())
        .tick()
        .await
        .unwrap();

    assert_eq!(pass.delivered, 1);
    let received = world.received().await;
    let types: Vec<&Value> = received.iter().map(|(_, body)| &body["type"]).collect();
    assert_eq!(types, ["tag.removed"]);
    assert_eq!(received[0].0, "evt_3", "its own sequence number");
}

#[tokio::test]
async fn a_redirect_is_a_failure_and_is_not_followed() {
    let world = World::new().await;
    let url = format!("{}/moved", world.receiver.uri());
    Mock::given(path("/moved"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/hooks"))
        .mount(&world.receiver)
        .await;
    let endpoint = world.endpoint_at(&url, EventFilter::all()).await;
    world.commit(0, vec![world.tag("x")]).await;

    let pass = world
        .deliverer(RetrySchedule::default())
        .tick()
        .await
        .unwrap();

    assert_eq!(pass.failed, 1);
    let requests = world.receiver.received_requests().await.unwrap();
    let paths: Vec<&str> = requests.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, ["/moved"]);
    let stored = world
        .store
        .webhook(world.tenant.id, endpoint.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.delivery.last_error.as_deref(), Some("HTTP 307"));
}

#[tokio::test]
async fn a_public_only_transport_refuses_a_name_that_resolves_inside_the_network() {
    let world = World::new().await;
    let port = world.receiver.address().port();
    let url = format!("http://localhost:{port}/hooks");
    let endpoint = world.endpoint_at(&url, EventFilter::all()).await;
    world.commit(0, vec![world.tag("x")]).await;
    let transport = ReqwestExecutor::for_webhooks(UrlPolicy::PUBLIC).unwrap();
    let deliverer = WebhookDeliverer::new(world.inbox.clone(), Arc::new(transport));

    let pass = deliverer.tick().await.unwrap();

    assert_eq!(pass.failed, 1);
    assert!(world.receiver.received_requests().await.unwrap().is_empty());
    let stored = world
        .store
        .webhook(world.tenant.id, endpoint.id)
        .await
        .unwrap()
        .unwrap();
    let error = stored.delivery.last_error.unwrap_or_default();
    assert!(error.contains("no public address"), "{error}");
}

#[tokio::test]
async fn a_rules_webhook_reaches_the_endpoint_it_names_and_no_other() {
    let world = World::new().await;
    let named = world
        .endpoint(EventFilter::only([EventType::TagAdded]))
        .await;
    let other = format!("{}/other", world.receiver.uri());
    world.endpoint_at(&other, EventFilter::all()).await;
    let inbox = Inbox::builder(world.store.clone())
        .clock(world.clock.clone())
        .rule_urls(UrlPolicy::LOCAL)
        .build();
    let rule = serde_json::json!({"id": "crm", "trigger": "opted_in",
        "actions": [{"webhook": named.url.as_str()}]});
    inbox.put_rule(world.tenant.id, &rule).await.unwrap();
    let unknown = serde_json::json!({"id": "x", "trigger": "opted_in",
        "actions": [{"webhook": format!("{}/nowhere", world.receiver.uri())}]});
    let refused = inbox.put_rule(world.tenant.id, &unknown).await.unwrap_err();
    assert!(
        refused.to_string().contains("actions[0].webhook"),
        "{refused}"
    );
    world.commit(0, Vec::new()).await;
    let opt_in = msgcore::model::ContactEdit {
        sms_opted_in: Some(true),
        ..Default::default()
    };
    let by = msgcore::engine::EditedBy::Api;
    let phone = world.contact.phone;
    inbox
        .edit_contact(world.tenant.id, phone, &opt_in, &by)
        .await
        .unwrap();

    world
        .deliverer(RetrySchedule::default())
        .tick()
        .await
        .unwrap();

    let received = world.received().await;
    let rule_events: Vec<&Value> = received
        .iter()
        .map(|(_, body)| body)
        .filter(|body| body["type"] == "automation.webhook")
        .collect();
    assert_eq!(rule_events.len(), 1, "to its endpoint only: {received:?}");
    assert_eq!(rule_events[0]["data"]["rule"], "crm");
    assert_eq!(rule_events[0]["data"]["trigger"], "opted_in");
    let requests = world.receiver.received_requests().await.unwrap();
    let to_named = requests.iter().filter(|r| r.url.path() == "/hooks").count();
    assert_eq!(
        to_named, 1,
        "the named endpoint hears only the rule's event"
    );
}
