//! The flow end to end on a memory store, with a keyword menu as the agent.

use std::sync::Arc;

use super::*;
use crate::core::channel::Channel;
use crate::engine::{KeywordMenuBot, MemoryEvents, NotFound, ResponderReply, ResponderRequest};
use crate::model::{InboxEvent, ProviderName, Tenant, TenantId, TenantNumber, TenantSettings};
use crate::providers::twilio::voice::fixtures::*;
use crate::providers::twilio::voice::{HAND_OFF, REPROMPT};
use crate::store::MemoryStore;

struct Setup {
    inbox: Inbox,
    events: Arc<MemoryEvents>,
    tenant: TenantId,
    flow: VoiceFlow,
}

async fn setup() -> Setup {
    let events = Arc::new(MemoryEvents::default());
    let inbox = Inbox::builder(Arc::new(MemoryStore::new()))
        .events(events.clone())
        .build();
    let tenant = Tenant {
        id: TenantId::from_uuid(uuid::Uuid::from_u128(0xca11)),
        slug: "demo".to_owned(),
        org_name: "Tom & Jerry's Bakery".to_owned(),
        numbers: vec![TenantNumber {
            channel: Channel::Sms,
            number: "+14155238886".parse().unwrap(),
        }],
        settings: TenantSettings::default(),
    };
    inbox.put_tenant(&tenant).await.unwrap();
    let bot = KeywordMenuBot::new("Say hours, or agent for a person.")
        .option("hours", "We are open 9 to 5, <Monday> to Friday.");
    Setup {
        inbox,
        events,
        tenant: tenant.id,
        flow: VoiceFlow::new(Arc::new(bot)),
    }
}

impl Setup {
    async fn answer(&self, form: &[u8]) -> String {
        let answered = self.flow.answer(&self.inbox, demo(), form, GATHER_URL);
        answered.await.unwrap()
    }

    async fn gather(&self, form: &[u8]) -> String {
        let answered = self.flow.gather(&self.inbox, demo(), form, GATHER_URL);
        answered.await.unwrap()
    }

    /// The caller's contact, if stored.
    async fn caller(&self) -> Option<crate::model::Contact> {
        let caller = "+14155550100".parse().unwrap();
        let store = self.inbox.store();
        store.contact_by_phone(self.tenant, &caller).await.unwrap()
    }

    async fn status(&self, form: &[u8]) {
        self.flow.status(&self.inbox, demo(), form).await.unwrap()
    }
}

fn demo() -> TenantRef {
    TenantRef::Slug("demo".into())
}

fn call_logs(events: &[InboxEvent]) -> Vec<&InboxEvent> {
    let logs = events
        .iter()
        .filter(|e| matches!(e, InboxEvent::CallLogged { .. }));
    logs.collect()
}

async fn stored_events(s: &Setup) -> Vec<InboxEvent> {
    let stored = s.inbox.store().events(s.tenant, 0, 100).await.unwrap();
    stored.into_iter().map(|(_, record)| record.event).collect()
}

#[tokio::test]
async fn answering_greets_the_caller_by_the_tenants_name_inside_a_speech_gather() {
    let s = setup().await;
    let xml = s.answer(&answer_form()).await;
    let prompt = gathered_prompt(&xml);
    assert_eq!(
        prompt,
        "Thank you for calling Tom & Jerry's Bakery. How can we help you today?"
    );
    assert_eq!(
        names(&xml),
        ["Gather", "Say", "Hangup"],
        "silence ends the call"
    );
}

#[tokio::test]
async fn a_configured_greeting_replaces_the_default() {
    let s = setup().await;
    let flow = s.flow.clone().greeting("Bakery, how can I help?");
    let xml = flow
        .answer(&s.inbox, demo(), &answer_form(), GATHER_URL)
        .await
        .unwrap();
    assert_eq!(gathered_prompt(&xml), "Bakery, how can I help?");
}

#[tokio::test]
async fn speech_goes_to_the_agent_and_its_answer_is_said_inside_a_new_gather() {
    let s = setup().await;
    let form = gather_form("Hours");
    let xml = s.gather(&form).await;
    assert_eq!(
        gathered_prompt(&xml),
        "We are open 9 to 5, <Monday> to Friday."
    );
}

#[tokio::test]
async fn the_agents_answers_are_neither_stored_nor_sent_as_messages() {
    let s = setup().await;
    let form = gather_form("Hours");
    s.gather(&form).await;
    let contact = s.caller().await;
    assert_eq!(
        contact, None,
        "the caller was shown to the agent, not stored"
    );
    assert_eq!(stored_events(&s).await, []);
    assert_eq!(s.events.all(), []);
}

/// Says which contact it was shown.
struct WhoIsCalling;

#[async_trait::async_trait]
impl Responder for WhoIsCalling {
    async fn respond(&self, request: ResponderRequest<'_>) -> Option<ResponderReply> {
        Some(ResponderReply {
            content: Content::text(request.contact.id.to_string()).ok(),
            context: None,
            hand_off: false,
        })
    }
}

#[tokio::test]
async fn a_caller_the_tenant_knows_is_shown_to_the_agent_as_their_contact() {
    let s = setup().await;
    s.status(&status_form()).await;
    let contact = s.caller().await;
    let flow = VoiceFlow::new(Arc::new(WhoIsCalling));
    let xml = flow
        .gather(&s.inbox, demo(), &gather_form("Hello"), GATHER_URL)
        .await
        .unwrap();
    assert_eq!(
        Some(gathered_prompt(&xml)),
        contact.map(|c| c.id.to_string())
    );
}

#[tokio::test]
async fn a_gather_that_heard_nothing_asks_again() {
    let s = setup().await;
    let silent = call_form("in-progress", &[]);
    let xml = s.gather(&silent).await;
    assert_eq!(gathered_prompt(&xml), REPROMPT);
}

#[tokio::test]
async fn a_hand_off_says_the_team_will_call_back_and_hangs_up() {
    let s = setup().await;
    let form = gather_form("Agent");
    let xml = s.gather(&form).await;
    assert_eq!(names(&xml), ["Say", "Hangup"]);
    assert_eq!(verbs(&xml)[0].texts, [HAND_OFF]);
}

#[tokio::test]
async fn a_completed_call_is_logged_once_in_the_store_and_to_the_event_sink() {
    let s = setup().await;
    s.status(&status_form()).await;
    let stored = stored_events(&s).await;
    let logs = call_logs(&stored);
    assert_eq!(logs.len(), 1, "{stored:?}");
    let InboxEvent::CallLogged {
        provider,
        call,
        from,
        to,
        status,
        duration_seconds,
        ..
    } = logs[0]
    else {
        unreachable!("filtered to call logs")
    };
    assert_eq!(*provider, ProviderName::TWILIO);
    assert_eq!(call, "CA5f1e2d3c4b5a69788796a5b4c3d2e1f0");
    assert_eq!(from.to_string(), "+14155550100");
    assert_eq!(to.map(|n| n.to_string()).as_deref(), Some("+14155238886"));
    assert_eq!(
        (status.as_str(), *duration_seconds),
        ("completed", Some(42))
    );
    let published: Vec<_> = s.events.all().into_iter().map(|r| r.event).collect();
    assert_eq!(call_logs(&published), logs);
}

#[tokio::test]
async fn a_repeated_status_callback_logs_nothing_more() {
    let s = setup().await;
    s.status(&status_form()).await;
    s.status(&status_form()).await;
    assert_eq!(call_logs(&stored_events(&s).await).len(), 1);
    assert_eq!(
        call_logs(
            &s.events
                .all()
                .into_iter()
                .map(|r| r.event)
                .collect::<Vec<_>>()
        )
        .len(),
        1
    );
}

#[tokio::test]
async fn each_status_of_a_call_is_logged_and_the_caller_becomes_one_contact() {
    let s = setup().await;
    s.status(&call_form("ringing", &[])).await;
    s.status(&status_form()).await;
    let stored = stored_events(&s).await;
    let contacts: Vec<_> = call_logs(&stored)
        .into_iter()
        .map(|e| match e {
            InboxEvent::CallLogged {
                contact, status, ..
            } => (*contact, status.clone()),
            _ => unreachable!("filtered to call logs"),
        })
        .collect();
    assert_eq!(contacts.len(), 2);
    assert_eq!(contacts[0].0, contacts[1].0, "one caller, one contact");
    assert_eq!(
        (contacts[0].1.as_str(), contacts[1].1.as_str()),
        ("ringing", "completed")
    );
}

#[tokio::test]
async fn an_unknown_call_status_is_logged_as_twilio_named_it() {
    let s = setup().await;
    let form = call_form("answered-by-robot", &[]);
    s.status(&form).await;
    let stored = stored_events(&s).await;
    assert!(matches!(
        call_logs(&stored)[..],
        [InboxEvent::CallLogged { status, .. }] if status == "answered-by-robot"
    ));
}

#[tokio::test]
async fn every_webhook_for_an_unknown_tenant_is_not_found() {
    let s = setup().await;
    let nobody = || TenantRef::Slug("nobody".into());
    let is_unknown_tenant = |e: VoiceError| {
        matches!(
            e,
            VoiceError::Inbox(crate::Error::NotFound(NotFound::Tenant(_)))
        )
    };
    let answer = s
        .flow
        .answer(&s.inbox, nobody(), &answer_form(), GATHER_URL)
        .await;
    let gather = s
        .flow
        .gather(&s.inbox, nobody(), &gather_form("Hours"), GATHER_URL)
        .await;
    let silent = s
        .flow
        .gather(
            &s.inbox,
            nobody(),
            &call_form("in-progress", &[]),
            GATHER_URL,
        )
        .await;
    let status = s.flow.status(&s.inbox, nobody(), &status_form()).await;
    assert!(answer.is_err_and(is_unknown_tenant));
    assert!(gather.is_err_and(is_unknown_tenant));
    assert!(silent.is_err_and(is_unknown_tenant));
    assert!(status.is_err_and(is_unknown_tenant));
}

#[tokio::test]
async fn a_malformed_webhook_is_a_webhook_error() {
    let s = setup().await;
    let result = s.flow.status(&s.inbox, demo(), &form(&CALL[1..])).await;
    assert!(matches!(
        result,
        Err(VoiceError::Webhook(WebhookError::Missing("CallSid")))
    ));
}
