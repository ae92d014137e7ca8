//! A campaign from a CSV file to its final counts, offline.
//!
//! ```sh
//! cargo run --example campaign --features tokio
//! ```
//!
//! It imports a customer export (a few of its rows are broken, as real exports
//! are), prices the campaign before creating it, then runs it throttled to 120
//! messages a minute with `{first_name}` and `{company}` in each text. A carrier
//! that accepts everything stands in for Twilio, and delivery receipts come
//! back for each message; one customer texts STOP halfway through and is
//! skipped from then on. The clock is moved by hand, a minute per step, so
//! the whole run takes a second instead of its eight simulated minutes.

use std::ops::ControlFlow;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use msgcore::carrier::RecordingCarrier;
use msgcore::core::campaign::{CampaignCounts, CampaignDefinition};
use msgcore::core::channel::Channel;
use msgcore::core::delivery::{DeliveryStatus, StatusUpdate};
use msgcore::core::import::ImportOptions;
use msgcore::core::plan::PlanLimits;
use msgcore::core::usage::RateCard;
use msgcore::engine::{Clock, DispatchPolicy, Dispatcher, Inbox, ManualClock};
use msgcore::model::{InboundMessage, MessageRef, ProviderName, StatusCallback, TenantRef};
use msgcore::model::{Tenant, TenantId, TenantNumber, TenantSettings};
use msgcore::store::MemoryStore;

const SHOP_SMS: &str = "+14155550199";
/// Customer 903, who texts STOP before the campaign reaches them.
const STOPPER: &str = "+14155551003";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("campaign: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    // A Tuesday, 10:00 in San Francisco: inside every state's allowed hours.
    let start = Utc.with_ymd_and_hms(2026, 3, 3, 18, 0, 0).single();
    let clock = Arc::new(ManualClock::new(start.ok_or("a valid start")?));
    let store = Arc::new(MemoryStore::new());
    let inbox = Arc::new(Inbox::builder(store.clone()).clock(clock.clone()).build());
    let shop = tenant()?;
    inbox.put_tenant(&shop).await?;

    say("1. Import the customer export: 1,000 rows, some of them broken.");
    let file = customer_export();
    let options = ImportOptions {
        default_region: Some("US".into()),
        ..ImportOptions::default()
    };
    let report = inbox
        .import_contacts(shop.id, file.as_bytes(), &options, |progress| {
            println!("   … {} rows, {} bytes read", progress.rows, progress.bytes);
            ControlFlow::Continue(())
        })
        .await?;
    println!("   {}", serde_json::to_string(&report.skipped)?);
    for error in &report.errors {
        let (line, reason) = (error.line, error.reason.as_str());
        println!("   line {line}: {reason} {:?}", error.value);
    }
    println!(
        "   {} rows: {} contacts created, {} opted in to SMS",
        report.rows, report.created, report.opted_in
    );

    say("2. Price it before anything is sent.");
    let definition: CampaignDefinition = serde_json::from_value(serde_json::json!({
        "id": "spring-sale",
        "channel": "sms",
        "audience": {"tags": ["customer"]},
        "text": "Hi {first_name}, {company} gets 20% off everything this week. Reply STOP to opt out.",
        "per_minute": 120,
    }))?;
    let card: RateCard = serde_json::from_value(serde_json::json!({
        "currency": "USD", "sms": {"US": "0.0083", "CA": "0.0083", "*": "0.0500"}
    }))?;
    let estimate = inbox.estimate_campaign(shop.id, &definition, &card).await?;
    for line in &estimate.cost.lines {
        let usage = &line.usage;
        let cost = line.cost.map(|c| c.to_string()).unwrap_or_default();
        let country = usage.country.as_deref().unwrap_or("-");
        println!(
            "   {country}: {} messages, {} segments, {cost} {}",
            usage.messages, usage.segments, estimate.cost.currency
        );
    }
    println!(
        "   total {} {}; {} recipients, {} skipped before the start: {}",
        estimate.cost.total,
        estimate.cost.currency,
        estimate.counts.recipients,
        estimate.counts.recipients - estimate.counts.pending,
        serde_json::to_string(&estimate.counts.skipped)?
    );

    say("3. Run it at 120 a minute; a customer texts STOP on the way.");
    let created = inbox.create_campaign(shop.id, definition).await?;
    let carrier = Arc::new(RecordingCarrier::new(ProviderName::TWILIO));
    let dispatcher = Dispatcher::new(
        store,
        carrier.clone(),
        clock.clone(),
        DispatchPolicy::default(),
    )?;
    let bar = ProgressBar::new(created.recipients);
    bar.set_style(ProgressStyle::with_template(
        "   {bar:40} {pos}/{len} recipients taken up {msg}",
    )?);
    let mut receipts = 0;
    let mut minute = 0;
    let counts = loop {
        inbox.run_campaigns().await?;
        while dispatcher.dispatch_once().await?.sent() > 0 {}
        receipts = deliver(&inbox, &shop, &carrier, receipts, clock.now()).await?;
        if minute == 2 {
            let stop = InboundMessage::text(
                TenantRef::Number(SHOP_SMS.parse()?),
                ProviderName::TWILIO,
                "SMstop0001",
                Channel::Sms,
                STOPPER.parse()?,
                "STOP",
            );
            inbox.handle_inbound(&stop).await?;
        }
        let counts = inbox.campaign_counts(shop.id, "spring-sale").await?;
        bar.set_position(counts.recipients - counts.pending);
        bar.set_message(format!("(minute {minute})"));
        if counts.pending == 0 {
            break counts;
        }
        clock.advance(TimeDelta::minutes(1));
        minute += 1;
    };
    bar.finish();

    say("4. The final counts, from each recipient's message status.");
    print_counts(&counts)?;
    let until = clock.now() + TimeDelta::seconds(1);
    let usage = inbox
        .usage(shop.id, clock.now() - TimeDelta::days(1), until)
        .await?;
    let billed = card.price(usage);
    println!(
        "   billed so far: {} {} for {} messages (the STOP confirmation among them)",
        billed.total,
        billed.currency,
        billed.lines.iter().map(|l| l.usage.messages).sum::<u64>()
    );
    Ok(())
}

/// Delivery receipts for the messages the carrier took since the last call:
/// every 25th is undelivered, the rest delivered. How many it has answered.
async fn deliver(
    inbox: &Inbox,
    shop: &Tenant,
    carrier: &RecordingCarrier,
    answered: usize,
    now: DateTime<Utc>,
) -> Result<usize, msgcore::Error> {
    let sent = carrier.delivered();
    for (n, item) in sent.iter().enumerate().skip(answered) {
        let status = if n % 25 == 24 {
            DeliveryStatus::Undelivered
        } else {
            DeliveryStatus::Delivered
        };
        let receipt = StatusCallback {
            tenant: TenantRef::Id(shop.id),
            message: MessageRef::Id(item.message),
            update: StatusUpdate::new(status, now),
            opted_out: false,
            pricing: None,
        };
        inbox.on_status(&receipt).await?;
    }
    Ok(sent.len())
}

fn print_counts(counts: &CampaignCounts) -> Result<(), serde_json::Error> {
    println!(
        "   {} recipients: {} delivered, {} sent, {} queued, {} failed, {} pending",
        counts.recipients,
        counts.delivered,
        counts.sent,
        counts.queued,
        counts.failed,
        counts.pending
    );
    println!("   skipped: {}", serde_json::to_string(&counts.skipped)?);
    Ok(())
}

/// 1,000 customers as a spreadsheet exports them: a BOM, `;` between fields,
/// a quoted company with a `;` in it, mixed number formats, and a few broken
/// rows (no number, a number that cannot be, one customer twice). Every
/// tenth customer never opted in to SMS.
fn customer_export() -> String {
    const FIRST: [&str; 8] = [
        "Ana", "Ben", "Chloé", "Dev", "Eun-ji", "Farah", "Gus", "Hana",
    ];
    const COMPANIES: [&str; 5] = ["Acme", "Bolt & Co", "\"Cora; Sons\"", "Dune", "Echo"];
    let mut file =
        String::from("\u{feff}Phone Number;First Name;Last Name;Company;Tags;SMS opt in\n");
    for n in 0..1_000usize {
        let phone = match n {
            13 => String::new(),
            14 => "555-0199".to_owned(),
            // Customer 6 again, written another way.
            15 => "+1 415.555.0106".to_owned(),
            _ if n % 3 == 0 => format!("(415) 555-{:04}", 100 + n),
            _ => format!("+1 628 555 {:04}", 100 + n),
        };
        let first = FIRST[n % FIRST.len()];
        let company = COMPANIES[n % COMPANIES.len()];
        let opted_in = if n % 10 == 9 { "no" } else { "yes" };
        file.push_str(&format!(
            "{phone};{first};Customer{n};{company};\"customer,spring\";{opted_in}\n"
        ));
    }
    file
}

fn tenant() -> Result<Tenant, Box<dyn std::error::Error>> {
    Ok(Tenant {
        id: TenantId::from_uuid(uuid::Uuid::from_u128(0x5a1e)),
        slug: "corner-shop".into(),
        org_name: "Corner Shop".into(),
        numbers: vec![TenantNumber {
            number: SHOP_SMS.parse()?,
            channel: Channel::Sms,
        }],
        settings: TenantSettings {
            plan: PlanLimits::pro(),
            ..TenantSettings::default()
        },
    })
}

fn say(step: &str) {
    println!("\n{step}");
}
