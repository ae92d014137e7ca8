//! Two replicas of the example server on one PostgreSQL database, fed by one
//! load generator: every webhook goes to the first, and the provider's retry
//! of each (its acknowledgement lost on the way) to the second, at the same
//! time. Every message is stored once, and every HELP is answered once, by
//! whichever replica's dispatcher claimed the reply.
#![cfg(feature = "postgres")]

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use msgcore::model::{Direction, ProviderName};

use crate::databases::TestDatabase;
use crate::loadgen::drive::drive;
use crate::loadgen::twilio_sms::{SignedWebhook, TwilioSms, contact_number};
use crate::server_example::app::{self, Running};
use crate::{AUTH_TOKEN, FROM_NUMBER, PUBLIC_URL, ROUTE, config_sending_to};

const WEBHOOKS: u64 = 600;
/// Every this many webhooks says HELP, which the tenant answers.
const HELP_EVERY: u64 = 5;

/// Twilio's answer to a send: a new message sid each time, as Twilio gives.
struct NewSid(AtomicU64);

impl Respond for NewSid {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, Ordering::Relaxed);
        ResponseTemplate::new(201).set_body_json(serde_json::json!({
            "sid": format!("SMreply{n:026}"), "status": "queued"
        }))
    }
}

/// One webhook from each of `WEBHOOKS` contacts; every fifth says HELP.
fn webhooks() -> Arc<Vec<SignedWebhook>> {
    let url = format!("{PUBLIC_URL}{ROUTE}");
    let maker = TwilioSms::new(&url, AUTH_TOKEN, FROM_NUMBER, WEBHOOKS, 2).expect("a token");
    let webhook = |n| match n % HELP_EVERY {
        0 => maker.webhook_saying(n, "HELP"),
        _ => maker.webhook(n),
    };
    Arc::new((0..WEBHOOKS).map(webhook).collect())
}

/// The requests the provider received once `count` have arrived (and a
/// moment more, for any that should not come).
async fn sends(provider: &MockServer, count: usize) -> Vec<Request> {
    let started = Instant::now();
    loop {
        let received = provider.received_requests().await.unwrap_or_default();
        if received.len() >= count || started.elapsed() > Duration::from_secs(60) {
            tokio::time::sleep(Duration::from_millis(500)).await;
            return provider.received_requests().await.unwrap_or_default();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn url(running: &Running) -> String {
    format!("http://{}/api{ROUTE}", running.addr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_given_each_webhook_and_its_retry_store_it_once_and_answer_help_once() {
    let Some(database) = TestDatabase::create().await else {
        return;
    };
    let provider = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(NewSid(AtomicU64::new(0)))
        .mount(&provider)
        .await;
    let config = config_sending_to(&database.url(), &provider.uri());
    let first = app::start(&config).await.expect("the first replica starts");
    let second = app::start(&config)
        .await
        .expect("the second replica starts");
    let webhooks = webhooks();

    let (first_url, second_url) = (url(&first), url(&second));
    let (to_first, retried_to_second) = tokio::join!(
        drive(&first_url, webhooks.clone(), 8),
        drive(&second_url, webhooks.clone(), 8),
    );

    for outcome in [&to_first, &retried_to_second] {
        assert_eq!(
            outcome.acknowledged.len(),
            WEBHOOKS as usize,
            "{:?}",
            outcome.refused
        );
    }
    let store = first.inbox.store().clone();
    let tenant = first.tenant.id;
    let mut stored = 0;
    for webhook in webhooks.iter() {
        let found = store
            .message_by_provider_id(tenant, &ProviderName::TWILIO, &webhook.message_sid)
            .await
            .expect("the store answers");
        stored += usize::from(found.is_some());
    }
    assert_eq!(stored, WEBHOOKS as usize);
    for k in 0..WEBHOOKS {
        let phone = contact_number(k).parse().expect("a valid number");
        let contact = store
            .contact_by_phone(tenant, &phone)
            .await
            .expect("contact");
        let contact = contact.expect("every sender is a contact");
        let inbound = store
            .timeline(tenant, contact.id, 100)
            .await
            .expect("timeline");
        let inbound = inbound
            .iter()
            .filter(|m| m.direction == Direction::Inbound)
            .count();
        assert_eq!(
            inbound, 1,
            "{} has one message, not one per replica",
            contact.phone
        );
    }
    let helps = (WEBHOOKS / HELP_EVERY) as usize;
    let replies = sends(&provider, helps).await;
    let answered: HashSet<String> = replies
        .iter()
        .filter_map(|r| form_urlencoded::parse(&r.body).find(|(k, _)| k == "To"))
        .map(|(_, to)| to.into_owned())
        .collect();
    assert_eq!(
        replies.len(),
        helps,
        "each HELP answered once, by one replica"
    );
    assert_eq!(answered.len(), helps, "every HELP's sender answered");
    first.stop().await.expect("a clean stop");
    second.stop().await.expect("a clean stop");
}
