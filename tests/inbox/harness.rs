//! A tenant on a memory store, a manual clock and reproducible ids.

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use msgcore::Error;
use msgcore::core::channel::Channel;
use msgcore::core::message::Content;
use msgcore::core::tagging::{MatchKind, TagRule};
use msgcore::engine::{InboundOutcome, Inbox, ManualClock, MemoryEvents, SendOutcome, SendRequest};
use msgcore::model::{InboundMessage, TenantRef};
use msgcore::model::{ProviderName, SequentialIds, Tenant, TenantSettings};
use msgcore::store::MemoryStore;

pub use crate::demo_tenant::{CONTACT, SMS_NUMBER, WHATSAPP_NUMBER, e164, t0, tenant};

pub struct Harness {
    pub inbox: Inbox,
    pub clock: Arc<ManualClock>,
    pub events: Arc<MemoryEvents>,
    pub store: Arc<MemoryStore>,
    pub tenant: Tenant,
    next_id: std::cell::Cell<u32>,
}

pub fn settings_with_tags() -> TenantSettings {
    TenantSettings {
        tag_rules: vec![TagRule {
            kind: MatchKind::Contains,
            pattern: "order".into(),
            tag: "buyer".into(),
        }],
        ..TenantSettings::default()
    }
}

impl Harness {
    pub async fn new() -> Harness {
        Harness::with(settings_with_tags(), |b| b).await
    }

    pub async fn with(
        settings: TenantSettings,
        configure: impl FnOnce(msgcore::engine::InboxBuilder) -> msgcore::engine::InboxBuilder,
    ) -> Harness {
        let store = Arc::new(MemoryStore::new());
        let clock = Arc::new(ManualClock::new(t0()));
        let events = Arc::new(MemoryEvents::default());
        let builder = Inbox::builder(store.clone())
            .clock(clock.clone())
            .events(events.clone())
            .ids(Arc::new(SequentialIds::default()));
        let inbox = configure(builder).build();
        let tenant = tenant(settings);
        inbox.put_tenant(&tenant).await.unwrap();
        Harness {
            inbox,
            clock,
            events,
            store,
            tenant,
            next_id: std::cell::Cell::new(0),
        }
    }

    pub fn clock_now(&self) -> DateTime<Utc> {
        use msgcore::engine::Clock;
        self.clock.now()
    }

    pub fn advance(&self, by: TimeDelta) {
        self.clock.advance(by);
    }

    pub fn message(&self, channel: Channel, from: &str, text: &str) -> InboundMessage {
        let id = self.next_id.get() + 1;
        self.next_id.set(id);
        let mut message = Harness::message_for(from, &format!("SM{id:032}"), text);
        if channel == Channel::WhatsApp {
            message.channel = channel;
            message.tenant = TenantRef::Number(e164(WHATSAPP_NUMBER));
        }
        message
    }

    /// An SMS from `from` to the tenant's SMS number.
    pub fn message_for(from: &str, provider_message_id: &str, text: &str) -> InboundMessage {
        InboundMessage::text(
            TenantRef::Number(e164(SMS_NUMBER)),
            ProviderName::TWILIO,
            provider_message_id,
            Channel::Sms,
            e164(from),
            text,
        )
    }

    pub async fn text_in(&self, channel: Channel, text: &str) -> InboundOutcome {
        let message = self.message(channel, CONTACT, text);
        self.inbox.handle_inbound(&message).await.unwrap()
    }

    pub async fn send(&self, channel: Channel, text: &str) -> Result<SendOutcome, Error> {
        let request = SendRequest::reply(
            self.tenant.id,
            e164(CONTACT),
            channel,
            Content::text(text).unwrap(),
        );
        self.inbox.send(&request).await
    }

    /// The texts campaigns, workflows and rules queued for the contact,
    /// oldest first.
    pub async fn automated(&self) -> Vec<String> {
        use msgcore::model::MessageOrigin;
        use msgcore::store::Store;
        let contact = self.contact().await;
        let timeline = self.store.timeline(self.tenant.id, contact.id, 100);
        let timeline = timeline.await.unwrap();
        timeline
            .iter()
            .filter(|m| m.origin == MessageOrigin::Automation)
            .filter_map(|m| m.text().map(str::to_owned))
            .collect()
    }

    pub async fn contact(&self) -> msgcore::model::Contact {
        use msgcore::store::Store;
        self.store
            .contact_by_phone(self.tenant.id, &e164(CONTACT))
            .await
            .unwrap()
            .unwrap()
    }
}

pub fn texts(outcome: &InboundOutcome) -> Vec<String> {
    outcome
        .replies
        .iter()
        .filter_map(|m| m.text().map(str::to_owned))
        .collect()
}
