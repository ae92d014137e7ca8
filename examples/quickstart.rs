//! A guided tour of an inbox, offline: one contact, one agent, SMS and WhatsApp.
//!
//! ```sh
//! cargo run --example quickstart
//! cargo run --example quickstart --features sqlite -- --sqlite inbox.db
//! ```
//!
//! Everything runs against a clock the script moves by hand, so the 24-hour
//! WhatsApp window can expire without waiting a day. By default the inbox lives in
//! memory; `--sqlite PATH` keeps it in a SQLite file instead, and each run adds
//! another Maria to the same shop.

use std::process::ExitCode;
use std::sync::Arc;

use chrono::{TimeDelta, TimeZone, Utc};
use msgcore::core::channel::Channel;
use msgcore::core::conversation::{AgentId, Event};
use msgcore::core::message::{Content, RawContent};
use msgcore::core::tagging::{MatchKind, TagRule};
use msgcore::engine::{Clock, InboundOutcome, Inbox, ManualClock, SendRequest};
use msgcore::model::{Direction, ProviderName, Tenant, TenantId, TenantNumber, TenantSettings};
use msgcore::model::{InboundMessage, TenantRef};
use msgcore::store::{MemoryStore, Store};
use msgcore::{E164, Error};

const SHOP_SMS: &str = "+14155550199";
const SHOP_WHATSAPP: &str = "+14155550198";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match tour().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("quickstart: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn tour() -> Result<(), Box<dyn std::error::Error>> {
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 3, 2, 17, 0, 0).unwrap(),
    ));
    let inbox = Inbox::builder(store().await?).clock(clock.clone()).build();
    let shop = match inbox.store().tenant_by_slug("corner-shop").await? {
        Some(shop) => shop,
        None => {
            let shop = tenant()?;
            inbox.put_tenant(&shop).await?;
            shop
        }
    };
    // A new Maria each run, so a persisted inbox tells the same story again.
    let earlier = inbox
        .store()
        .search_contacts(shop.id, "Maria", 1_000)
        .await?;
    let maria: E164 = format!("+1415555{:04}", 123 + earlier.len()).parse()?;
    let tour = Tour {
        inbox: &inbox,
        clock: &clock,
        shop: &shop,
        maria,
    };

    say(
        "1. Maria, a new contact, texts the shop. She is created, opted in on SMS only, and auto-tagged.",
    );
    let first = tour
        .receive(Channel::Sms, "Hi! Where is my order #1042?")
        .await?;
    let contact = inbox
        .store()
        .contact(shop.id, first.contact)
        .await?
        .ok_or("Maria is stored")?;
    show("tags", &contact.tags);
    show("SMS opted in", contact.consent.state().allows(Channel::Sms));
    show(
        "WhatsApp opted in",
        contact.consent.state().allows(Channel::WhatsApp),
    );

    say("2. Ann, an agent, takes the conversation and replies.");
    inbox
        .act(
            shop.id,
            first.conversation,
            &Event::Assign {
                agent: AgentId::new("ann"),
            },
        )
        .await?;
    let reply = tour
        .send(
            &maria,
            Channel::Sms,
            "It left the warehouse this morning and arrives tomorrow.",
        )
        .await?;
    show("queued", reply);

    say("3. Maria texts STOP. She is opted out of SMS and gets exactly one confirmation.");
    let stop = tour.receive(Channel::Sms, "STOP").await?;
    show("replies", texts(&stop));

    say(
        "4. Ann tries to text her anyway. The send is refused with a typed error; nothing is queued.",
    );
    let refused = tour
        .send(&maria, Channel::Sms, "One more thing...")
        .await
        .unwrap_err();
    show(
        "error",
        format!(
            "{} (kind {}, HTTP {})",
            refused,
            refused.kind(),
            refused.http_status()
        ),
    );

    say("5. Maria texts START. SMS works again.");
    let start = tour.receive(Channel::Sms, "START").await?;
    show("replies", texts(&start));
    show(
        "queued",
        tour.send(&maria, Channel::Sms, "Welcome back!").await?,
    );

    say("6. Maria writes on WhatsApp; a day later the 24-hour window has closed.");
    tour.receive(Channel::WhatsApp, "Can I change the delivery address?")
        .await?;
    clock.advance(TimeDelta::hours(25));
    let late = tour
        .send(&maria, Channel::WhatsApp, "Sure, what is the new address?")
        .await
        .unwrap_err();
    show("free text", format!("{} (kind {})", late, late.kind()));
    let template: RawContent = serde_json::from_str(
        r#"{"type": "template", "template_name": "address_update", "language": "en_US"}"#,
    )?;
    let request = SendRequest::reply(shop.id, maria, Channel::WhatsApp, template.validate()?);
    inbox.send(&request).await?;
    show("approved template", "address_update, in the outbox");

    say("7. Ann confirms by SMS (each message picks its channel) and resolves the conversation.");
    say("   The CSAT survey goes out on the latest channel, and Maria's rating is captured.");
    let done = "Done: the new address is on your order.";
    show("queued", tour.send(&maria, Channel::Sms, done).await?);
    let resolved = inbox
        .act(shop.id, first.conversation, &Event::Resolve)
        .await?;
    show(
        "survey",
        resolved
            .replies
            .iter()
            .filter_map(|m| m.text())
            .collect::<Vec<_>>(),
    );
    let rating = tour.receive(Channel::Sms, "5 - fast and friendly").await?;
    let captured = rating.rating.ok_or("a rating")?;
    show(
        "rating",
        format!(
            "{} stars, comment {:?}",
            captured.score.get(),
            captured.comment.unwrap_or_default()
        ),
    );
    show("conversation", rating.status);

    say("The timeline, oldest first:");
    for message in inbox.timeline(shop.id, first.contact, 50).await? {
        let at = message.created_at.format("%b %d %H:%M");
        let who = match message.direction {
            Direction::Inbound => "Maria",
            Direction::Outbound => "shop",
        };
        let text = message.text().unwrap_or("[template]");
        println!("   {at}  {who:<5} {:<8} {text}", message.channel.as_str());
    }
    Ok(())
}

/// The shop: an SMS number, a WhatsApp number, and one tagging rule.
fn tenant() -> Result<Tenant, Box<dyn std::error::Error>> {
    Ok(Tenant {
        id: TenantId::from_uuid(uuid::Uuid::now_v7()),
        slug: "corner-shop".to_owned(),
        org_name: "Corner Shop".to_owned(),
        numbers: vec![
            TenantNumber {
                channel: Channel::Sms,
                number: SHOP_SMS.parse()?,
            },
            TenantNumber {
                channel: Channel::WhatsApp,
                number: SHOP_WHATSAPP.parse()?,
            },
        ],
        settings: TenantSettings {
            tag_rules: vec![TagRule {
                kind: MatchKind::Contains,
                pattern: "order".into(),
                tag: "buyer".into(),
            }],
            ..TenantSettings::default()
        },
    })
}

struct Tour<'a> {
    inbox: &'a Inbox,
    clock: &'a ManualClock,
    shop: &'a Tenant,
    maria: E164,
}

/// The store: in memory, or the SQLite file after `--sqlite`.
async fn store() -> Result<Arc<dyn Store>, Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => Ok(Arc::new(MemoryStore::new())),
        [flag, path] if flag == "--sqlite" => sqlite(path).await,
        _ => Err("usage: quickstart [--sqlite PATH]".into()),
    }
}

#[cfg(feature = "sqlite")]
async fn sqlite(path: &str) -> Result<Arc<dyn Store>, Box<dyn std::error::Error>> {
    println!("Keeping the inbox in {path}.");
    let store = msgcore::store::SqliteStore::open(path)
        .await
        .map_err(|error| format!("cannot open the SQLite inbox {path:?}: {error}"))?;
    Ok(Arc::new(store))
}

#[cfg(not(feature = "sqlite"))]
async fn sqlite(_: &str) -> Result<Arc<dyn Store>, Box<dyn std::error::Error>> {
    Err("--sqlite needs the sqlite feature: cargo run --example quickstart --features sqlite -- --sqlite PATH".into())
}

impl Tour<'_> {
    /// Maria's message arrives a minute after the last step, as a provider webhook would deliver it.
    async fn receive(&self, channel: Channel, text: &str) -> Result<InboundOutcome, Error> {
        self.clock.advance(TimeDelta::minutes(1));
        let to = if channel == Channel::Sms {
            SHOP_SMS
        } else {
            SHOP_WHATSAPP
        };
        let message = InboundMessage {
            profile_name: Some("Maria".to_owned()),
            ..InboundMessage::text(
                TenantRef::Number(to.parse()?),
                ProviderName::TWILIO,
                format!("SM{}", uuid::Uuid::now_v7().simple()),
                channel,
                self.maria,
                text,
            )
        };
        let outcome = self.inbox.handle_inbound(&message).await?;
        show(
            "received",
            format!("{text:?} at {}", self.clock.now().format("%b %d %H:%M")),
        );
        Ok(outcome)
    }

    async fn send(&self, to: &E164, channel: Channel, text: &str) -> Result<String, Error> {
        self.clock.advance(TimeDelta::minutes(1));
        let request = SendRequest::reply(self.shop.id, *to, channel, Content::text(text)?);
        self.inbox.send(&request).await?;
        Ok(format!("{text:?}, in the outbox for the dispatcher"))
    }
}

fn texts(outcome: &InboundOutcome) -> Vec<&str> {
    outcome.replies.iter().filter_map(|m| m.text()).collect()
}

fn say(step: &str) {
    println!("\n{step}");
}

fn show(label: &str, value: impl std::fmt::Debug) {
    // Strings print as themselves, everything else in its debug form.
    let text = format!("{value:?}");
    let text = serde_json::from_str::<String>(&text).unwrap_or(text);
    println!("   {label}: {text}");
}
