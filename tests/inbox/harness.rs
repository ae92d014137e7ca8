//! A tenant on a memory store, a manual clock and reproducible ids.

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use msgcore::core::channel::Channel;
use msgcore::core::message::Content;
use msgcore::core::tagging::{MatchKind, TagRule};
use msgcore::core::window::InboundKind;
use msgcore::engine::{
    InboundMessage, InboundOutcome, Inbox, ManualClock, MemoryEvents, SendOutcome, SendRequest,
    TenantRef,
};
use msgcore::model::{
    InboundContent, ProviderName, SequentialIds, Tenant, TenantId, TenantNumber, TenantSettings,
};
use msgcore::store::MemoryStore;
use msgcore::{E164, Error};

pub const CONTACT: &str = "+14155550100";
pub const SMS_NUMBER: &str = "+14155550199";
pub const WHATSAPP_NUMBER: &str = "+14155550198";

pub fn t0() -> DateTime<Utc> {
    // A Monday, 10:00 in San Francisco (PST).
    Utc.with_ymd_and_hms(2026, 3, 2, 18, 0, 0).unwrap()
}

pub fn e164(text: &str) -> E164 {
    text.parse().unwrap()
}

pub struct Harness {
    pub inbox: Inbox,
    pub clock: Arc<ManualClock>,
    pub events: Arc<MemoryEvents>,
    pub store: Arc<MemoryStore>,
    pub tenant: Tenant,
    next_id: std::cell::Cell<u32>,
}

pub fn tenant(settings: TenantSettings) -> Tenant {
    Tenant {
        id: TenantId::from_uuid(uuid::Uuid::from_u128(0xd3e0)),
        slug: "demo".to_owned(),
        org_name: "Demo Co".to_owned(),
        numbers: vec![
            TenantNumber {
                channel: Channel::Sms,
                number: e164(SMS_NUMBER),
            },
            TenantNumber {
                channel: Channel::WhatsApp,
                number: e164(WHATSAPP_NUMBER),
            },
        ],
        settings,
    }
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
        InboundMessage {
            tenant: TenantRef::Number(e164(SMS_NUMBER)),
            provider: ProviderName::TWILIO,
            provider_message_id: provider_message_id.to_owned(),
            channel: Channel::Sms,
            from: e164(from),
            kind: InboundKind::Message,
            content: InboundContent {
                text: Some(text.to_owned()),
                ..InboundContent::default()
            },
            referral: None,
            profile_name: None,
        }
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
