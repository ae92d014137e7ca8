//! # msgcore
//!
//! Business messaging over SMS and WhatsApp, as a library: the rules a
//! WhatsApp + SMS inbox must get exactly right — phone numbers, consent and
//! STOP/START/HELP compliance, templates, auto-tagging, SMS segments, the
//! conversation lifecycle and CSAT, WhatsApp's 24-hour window, message content,
//! delivery status, quiet hours and rate limits — the inbox engine that ties them
//! together over a store of your choice, and carrier adapters for Twilio (SMS,
//! WhatsApp, voice), Telnyx and the Meta WhatsApp Cloud API: sending, webhook
//! parsing and signature checks, and an axum webhook router.
//!
//! Everything in [`core`] is *pure*: plain data in, plain data out, no I/O, no
//! clock (`now` is always an argument), no randomness. That is what lets every rule
//! be tested against the reference implementations it must agree with (Google's
//! libphonenumber, Twilio's segment calculator and request validator, Ed25519),
//! property-tested, fuzzed and benchmarked on its own.
//!
//! ## A tour
//!
//! **Phone numbers.** [`E164`] can only hold a number libphonenumber calls valid,
//! in `+` form; it parses what people type and converts to provider addresses.
//!
//! ```
//! use msgcore::{Channel, E164};
//!
//! let number = E164::parse("(415) 523-8886", Some("US"))?;
//! assert_eq!(number.as_str(), "+14155238886");
//! assert_eq!(number.wa_id(), "14155238886"); // Meta's form
//! assert_eq!(number.twilio_address(Channel::WhatsApp), "whatsapp:+14155238886");
//! # Ok::<(), msgcore::PhoneError>(())
//! ```
//!
//! **Compliance keywords and consent.** [`core::keyword`] classifies a reply
//! exactly as SPEC §2 says (trimmed, case-folded, surrounding punctuation dropped),
//! and flags longer replies that read as revocation for an agent.
//! [`core::consent`] keeps per-channel consent as a ledger whose rules never let a
//! back-office import undo a STOP.
//!
//! ```
//! use msgcore::core::keyword::{KeywordAction, KeywordSet};
//!
//! let keywords = KeywordSet::default();
//! assert_eq!(keywords.classify(" Stop. ").action(), Some(KeywordAction::OptOut));
//! assert_eq!(keywords.classify("stopwatch").action(), None);
//! assert!(keywords.classify("please stop texting me").is_possible_revocation());
//! ```
//!
//! **Templates and quick replies.** [`core::template`] parses `{{contact.name}}` and
//! campaign `{name}` variables once and renders many times; values are never
//! re-parsed. [`core::quick_reply`] maps `/shortcuts` to templates.
//!
//! ```
//! use std::collections::HashMap;
//! use msgcore::core::template::{MissingPolicy, Template};
//!
//! let template = Template::parse("Hi {{ contact.firstName }}, your order {order} shipped.")?;
//! let vars = HashMap::from([("contact.firstName", "Ann"), ("order", "{{evil}}")]);
//! assert_eq!(
//!     template.render(&vars, &MissingPolicy::Error)?,
//!     "Hi Ann, your order {{evil}} shipped."
//! );
//! # Ok::<(), msgcore::core::template::TemplateError>(())
//! ```
//!
//! **Auto-tagging.** [`core::tagging`] compiles thousands of `contains` / `exact` /
//! `starts_with` rules into one automaton, so a message costs the same whatever the
//! number of rules.
//!
//! ```
//! use msgcore::core::tagging::{MatchKind, TagRule, TagRules};
//!
//! let rules = TagRules::compile(vec![TagRule {
//!     kind: MatchKind::Contains,
//!     pattern: "order".into(),
//!     tag: "buyer".into(),
//! }])?;
//! assert_eq!(rules.tags("Where is my ORDER?"), ["buyer"]);
//! # Ok::<(), msgcore::core::tagging::TaggingError>(())
//! ```
//!
//! **SMS segments.** [`core::segments`] gives the encoding, segment count and the
//! characters that forced UCS-2, exactly as Twilio's segment calculator does.
//!
//! ```
//! use msgcore::core::segments::{Encoding, SegmentOptions, analyze};
//!
//! let report = analyze("Your code is 123456 😀", SegmentOptions::default());
//! assert_eq!(report.encoding, Encoding::Ucs2);
//! assert_eq!(report.non_gsm, ["😀"]);
//! let smart = analyze("“Thanks” — see you…", SegmentOptions::default().with_smart_encoding(true));
//! assert_eq!(smart.encoding, Encoding::Gsm7);
//! ```
//!
//! **Webhook signatures** (features `twilio`, `telnyx`, `meta`): verified in
//! constant time, failing closed, with no HTTP client needed.
//!
//! ```
//! # #[cfg(feature = "meta")] {
//! use msgcore::providers::meta::SignatureVerifier;
//!
//! let verifier = SignatureVerifier::new("app-secret").expect("a non-empty secret");
//! let body = br#"{"object":"whatsapp_business_account"}"#;
//! let header = verifier.sign(body); // what Meta sends as X-Hub-Signature-256
//! assert!(verifier.verify(body, Some(&header)).is_ok());
//! assert!(verifier.verify(b"tampered", Some(&header)).is_err());
//! assert!(verifier.verify(body, None).is_err()); // a missing header never passes
//! # }
//! ```
//!
//! **Conversations and CSAT.** [`core::conversation`] moves a conversation's
//! status only through one total [`transition`](core::conversation::transition)
//! table (written out in its docs) and decides when a message resumes a resolved
//! conversation (within 30 days) or starts a new one. [`core::csat`] recognizes a
//! survey answer ("4/5", "⭐⭐⭐⭐", "3 - slow but fine") narrowly enough that a real
//! message is never swallowed as a rating.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use msgcore::core::conversation::{Event, Status, transition};
//! use msgcore::core::csat::Rating;
//!
//! assert_eq!(transition(Status::Open, &Event::Resolve), Ok(Status::Resolved));
//! assert!(transition(Status::Resolved, &Event::Resolve).is_err());
//! assert_eq!(Rating::parse("3 - slow but fine").map(|r| r.score.get()), Some(3));
//! assert_eq!(Rating::parse("5 minutes late again"), None);
//! ```
//!
//! **The WhatsApp window.** [`core::window`] tracks the 24-hour customer-service
//! window and the 72-hour free entry point; [`may_send`](core::window::may_send)
//! says whether a kind of content may go out now, or why not.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use msgcore::Channel;
//! use msgcore::core::message::ContentKind;
//! use msgcore::core::window::{InboundKind, WindowPolicy, WindowState, may_send};
//!
//! let wrote = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
//! let window =
//!     WindowState::default().on_inbound(InboundKind::Message, None, wrote, &WindowPolicy::default());
//! let next_day = wrote + TimeDelta::hours(24);
//! assert!(may_send(Channel::WhatsApp, ContentKind::Text, &window, next_day).is_err());
//! assert!(may_send(Channel::WhatsApp, ContentKind::Template, &window, next_day).is_ok());
//! ```
//!
//! **Message content and delivery.** [`core::message`] validates the ten content
//! kinds, naming the field that is wrong, and checks media by magic bytes and size.
//! [`core::delivery`] merges status callbacks as a join-semilattice, so they may
//! arrive in any order, any number of times, with one result; a late failure never
//! overrides `delivered`.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use msgcore::core::delivery::{Delivery, DeliveryStatus, StatusUpdate};
//!
//! let t = |s| Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, s).unwrap();
//! let delivery: Delivery = [
//!     StatusUpdate::new(DeliveryStatus::Delivered, t(3)),
//!     StatusUpdate::failed(DeliveryStatus::Undelivered, t(4), "30003"),
//!     StatusUpdate::new(DeliveryStatus::Sent, t(1)),
//! ]
//! .into_iter()
//! .collect();
//! assert_eq!(delivery.status(), Some(DeliveryStatus::Delivered));
//! ```
//!
//! **Quiet hours.** [`core::quiet_hours`] finds the recipient's zone and US state
//! from the number and says "send now" or "hold until" for marketing sends, under
//! the federal window, the stricter states' rules and the 3-per-24-hours caps.
//!
//! ```
//! use chrono::{DateTime, Utc};
//! use msgcore::E164;
//! use msgcore::core::quiet_hours::{Decision, QuietHoursPolicy, SendKind};
//!
//! let miami = E164::parse("+1 305 555 0100", None)?;
//! let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
//! let policy = QuietHoursPolicy::default();
//! // 20:30 in Miami: Florida stops marketing at 20:00; transactional sends are never held.
//! let decision = policy.decide(&miami, SendKind::Marketing, at("2026-06-05T00:30:00Z"), &[])?;
//! assert!(matches!(decision, Decision::HoldUntil(_)));
//! let now = policy.decide(&miami, SendKind::Transactional, at("2026-06-05T00:30:00Z"), &[])?;
//! assert_eq!(now, Decision::SendNow);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! **Rate and plan limits.** [`core::ratelimit`] is a keyed GCRA limiter whose
//! state is plain data a shared store can hold; a refusal carries `retry_after`.
//! [`core::plan`] holds plan limits (Starter: 1,000 contacts per broadcast) as data.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use msgcore::core::ratelimit::{KeyedLimiter, Quota, RateScope};
//!
//! let mut sends = KeyedLimiter::new(RateScope::Sends, Quota::sends_per_recipient());
//! let now = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
//! for _ in 0..20 {
//!     assert!(sends.check("+14155550100", now).is_ok());
//! }
//! let refused = sends.check("+14155550100", now).unwrap_err();
//! assert_eq!(refused.retry_after.num_minutes(), 3);
//! ```
//!
//! **The inbox engine.** [`engine::Inbox`] runs the inbound pipeline, gated sends,
//! conversation actions and status callbacks over a [`store::Store`]: it loads
//! what a decision needs, decides with the pure core, and commits one changeset
//! atomically — replies included — retrying when another replica got there first.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), msgcore::Error> {
//! use std::sync::Arc;
//! use msgcore::core::{channel::Channel, message::Content};
//! use msgcore::engine::{Inbox, SendRequest};
//! use msgcore::model::{InboundMessage, ProviderName, Tenant, TenantId, TenantRef, TenantSettings};
//! use msgcore::store::MemoryStore;
//! use msgcore::{E164, ErrorKind};
//!
//! let inbox = Inbox::builder(Arc::new(MemoryStore::new())).build();
//! let shop = Tenant {
//!     id: TenantId::from_uuid(uuid::Uuid::now_v7()),
//!     slug: "shop".into(),
//!     org_name: "Shop".into(),
//!     numbers: vec![],
//!     settings: TenantSettings::default(),
//! };
//! inbox.put_tenant(&shop).await?;
//! let maria = E164::parse("+14155550123", None)?;
//! let to_shop = TenantRef::Slug("shop".into());
//! let stop = InboundMessage::text(to_shop, ProviderName::TWILIO, "SM1", Channel::Sms, maria, "STOP");
//! let outcome = inbox.handle_inbound(&stop).await?;
//! assert_eq!(outcome.replies.len(), 1); // one confirmation, in the outbox
//! assert!(inbox.handle_inbound(&stop).await?.duplicate); // a webhook retry changes nothing
//!
//! let request = SendRequest::reply(shop.id, maria, Channel::Sms, Content::text("Hi!")?);
//! assert_eq!(inbox.send(&request).await.unwrap_err().kind(), ErrorKind::OptedOut);
//! # Ok(())
//! # }
//! ```
//!
//! **Contacts and imports.** [`Inbox::edit_contact`](engine::Inbox::edit_contact)
//! creates or changes a contact for an agent or the API, and
//! [`Inbox::import_contacts`](engine::Inbox::import_contacts) streams a CSV file
//! into the tenant's contacts as SPEC §18 says ([`core::import`]). Both take the
//! same decision, `decide_contact_edit`, so no API or import opt-in ever undoes a
//! STOP. [`Inbox::contact_timeline`](engine::Inbox::contact_timeline) shows a
//! contact's messages with the audit events of their record.
//! [`Inbox::delete_contact`](engine::Inbox::delete_contact) erases a contact's
//! profile but keeps its number and consent ledger, so a STOP outlives it.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), msgcore::Error> {
//! use std::ops::ControlFlow;
//! use std::sync::Arc;
//! use msgcore::core::channel::Channel;
//! use msgcore::core::import::ImportOptions;
//! use msgcore::engine::{EditedBy, Inbox};
//! use msgcore::model::{ContactEdit, Tenant, TenantId, TenantSettings};
//! use msgcore::store::MemoryStore;
//!
//! let inbox = Inbox::builder(Arc::new(MemoryStore::new())).build();
//! let shop = Tenant {
//!     id: TenantId::from_uuid(uuid::Uuid::now_v7()),
//!     slug: "shop".into(),
//!     org_name: "Shop".into(),
//!     numbers: vec![],
//!     settings: TenantSettings::default(),
//! };
//! inbox.put_tenant(&shop).await?;
//!
//! // An Excel export: BOM, semicolons, CRLF, quoted tags, a bad number.
//! let file = "\u{feff}Mobile;First Name;Tags;SMS Opt In\r\n\
//!             (415) 555-0100;Ada;\"vip, new\";yes\r\n\
//!             555-01;Bo;;yes\r\n";
//! let options = ImportOptions { default_region: Some("US".into()), ..Default::default() };
//! let report = inbox
//!     .import_contacts(shop.id, file.as_bytes(), &options, |_| ControlFlow::Continue(()))
//!     .await?;
//! assert_eq!((report.rows, report.created, report.opted_in), (2, 1, 1));
//! assert_eq!(report.errors[0].line, 3); // 555-01 is not a valid number
//! let ada = msgcore::E164::parse("+14155550100", None)?;
//! let stored = inbox.contact_by_phone(shop.id, &ada).await?.expect("imported");
//! assert_eq!(stored.tags, ["vip", "new"]);
//!
//! // The API opts SMS out; a later API opt-in cannot undo it.
//! let out = ContactEdit { sms_opted_in: Some(false), ..Default::default() };
//! inbox.edit_contact(shop.id, ada, &out, &EditedBy::Api).await?;
//! let back_in = ContactEdit { sms_opted_in: Some(true), ..Default::default() };
//! let refused = inbox.edit_contact(shop.id, ada, &back_in, &EditedBy::Api).await?;
//! assert!(!refused.contact.consent.state().allows(Channel::Sms));
//! # Ok(())
//! # }
//! ```
//!
//! **Campaigns.** A campaign (SPEC §12, §18) freezes its [audience](core::audience)
//! when it is created: contacts with any of some tags, all of others, a
//! [condition](core::condition), consent on a channel. Before that,
//! [`Inbox::estimate_campaign`](engine::Inbox::estimate_campaign) renders each
//! recipient's text and prices it with your [`RateCard`](core::usage::RateCard).
//! Each run queues the recipients that are due, as fast as the throttle allows,
//! through every gate of a send again (a STOP since the freeze skips them, quiet
//! hours hold them), each message with its recipient's row in one transaction,
//! so a crash never queues anyone twice; `Scheduler` (feature `tokio`)
//! runs them. Counts come from the messages' statuses, and usage from what was
//! sent. `examples/campaign.rs` runs one from a CSV file to its final counts.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::ops::ControlFlow;
//! use std::sync::Arc;
//! use msgcore::core::campaign::CampaignDefinition;
//! use msgcore::core::import::ImportOptions;
//! use msgcore::core::usage::RateCard;
//! use msgcore::engine::Inbox;
//! use msgcore::model::{Tenant, TenantId, TenantSettings};
//! use msgcore::store::MemoryStore;
//!
//! let inbox = Inbox::builder(Arc::new(MemoryStore::new())).build();
//! let shop = Tenant {
//!     id: TenantId::from_uuid(uuid::Uuid::now_v7()),
//!     slug: "shop".into(),
//!     org_name: "Shop".into(),
//!     numbers: vec![],
//!     settings: TenantSettings::default(),
//! };
//! inbox.put_tenant(&shop).await?;
//! let file = "phone,name,company,tags,smsOptedIn\n\
//!             +14155550100,Ada Lovelace,Acme,vip,true\n\
//!             +14155550101,Bo,Bolt,vip,false\n";
//! let go_on = |_| ControlFlow::Continue(());
//! inbox.import_contacts(shop.id, file.as_bytes(), &ImportOptions::default(), go_on).await?;
//!
//! let spring: CampaignDefinition = serde_json::from_value(serde_json::json!({
//!     "id": "spring", "channel": "sms", "kind": "transactional",
//!     "audience": {"tags": ["vip"]},
//!     "text": "Hi {first_name}, {company} has a new order ready.",
//! }))?;
//! let card: RateCard = serde_json::from_value(serde_json::json!({
//!     "currency": "USD", "sms": {"US": "0.0079"}
//! }))?;
//! let estimate = inbox.estimate_campaign(shop.id, &spring, &card).await?;
//! assert_eq!(estimate.cost.total.to_string(), "0.0079"); // Bo never opted in
//!
//! inbox.create_campaign(shop.id, spring).await?;
//! let pass = inbox.run_campaign(shop.id, "spring").await?;
//! assert_eq!((pass.queued, pass.skipped), (1, 0));
//! let counts = inbox.campaign_counts(shop.id, "spring").await?;
//! assert_eq!((counts.recipients, counts.queued), (2, 1));
//! assert_eq!(counts.skipped[&msgcore::core::campaign::SkipReason::OptedOut], 1);
//! # Ok(())
//! # }
//! ```
//!
//! **Workflows and automation rules** (SPEC §13, §14, §18). A
//! [workflow](core::workflow) is a list of steps (send, delay, wait until a
//! moment or an attribute, filter, if/else, wait for a reply and save it),
//! checked once with errors naming the step (`steps[2].then[0].delay`); a run
//! is plain data moved by a pure step function, so it survives restarts. A
//! [rule](core::automation) is a trigger, conditions and ordered actions.
//! Every decision about a contact goes through one
//! [automation pass](engine::decide::automation) before its commit: a STOP
//! ends the contact's runs on that channel, an ordinary text answers a run
//! waiting for a reply, the rules the decision set off run in order (their
//! sends through every gate), and all of it commits with the decision.
//! `Scheduler` (feature `tokio`) wakes runs whose delay or timeout has come;
//! `examples/workflows.rs` runs the seeds' flows on a SQLite file.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use msgcore::core::channel::Channel;
//! use msgcore::core::workflow::RunStatus;
//! use msgcore::engine::{Inbox, ManualClock};
//! use msgcore::model::{InboundMessage, ProviderName, Tenant, TenantId, TenantNumber, TenantRef};
//! use serde_json::json;
//!
//! // Monday 10:00 in San Francisco.
//! let clock = Arc::new(ManualClock::new("2026-03-02T18:00:00Z".parse()?));
//! let store = Arc::new(msgcore::store::MemoryStore::new());
//! let inbox = Inbox::builder(store).clock(clock.clone()).build();
//! let number = "+14155550199".parse()?;
//! let shop = Tenant {
//!     id: TenantId::from_uuid(uuid::Uuid::now_v7()),
//!     slug: "shop".into(),
//!     org_name: "Shop".into(),
//!     numbers: vec![TenantNumber { channel: Channel::Sms, number }],
//!     settings: Default::default(),
//! };
//! inbox.put_tenant(&shop).await?;
//! inbox.define_workflow(shop.id, &json!({"id": "follow-up", "channel": "sms", "steps": [
//!     {"delay": "1h"},
//!     {"send": {"text": "Did that answer your question?"}}
//! ]})).await?;
//! inbox.put_rule(shop.id, &json!({"id": "questions", "trigger": "inbound_sms",
//!     "conditions": {"field": "text", "op": "contains", "value": "?"},
//!     "actions": [{"add_tag": "asked"}, {"start_workflow": "follow-up"}]
//! })).await?;
//!
//! let question = InboundMessage::text(TenantRef::Number(number), ProviderName::TWILIO,
//!     "SM1", Channel::Sms, "+14155550100".parse()?, "Are you open on Sunday?");
//! let contact = inbox.handle_inbound(&question).await?.contact;
//! let run = inbox.latest_run(shop.id, "follow-up", contact).await?.expect("started");
//! assert_eq!(run.run.status, RunStatus::Waiting);
//!
//! clock.advance(chrono::TimeDelta::hours(1));
//! assert_eq!(inbox.wake_due_runs().await?, 1);
//! let run = inbox.latest_run(shop.id, "follow-up", contact).await?.expect("a run");
//! assert_eq!(run.run.status, RunStatus::Completed);
//! # Ok(())
//! # }
//! ```
//!
//! **Carriers** (features `twilio`, `telnyx`, `meta`). The provider modules are
//! sans-IO and depend on nothing but [`core`] and [`model`]: a webhook body parses
//! into a provider-neutral [`model::InboundMessage`] or [`model::StatusCallback`],
//! and a send is an [`providers::http::HttpRequest`] value built from an outbox
//! item, whose answer is read back into the provider's id or a
//! [`model::CarrierError`] of a kind (transient with `retry_after`, permanent, opted
//! out). Bring your own HTTP client, or turn on `http` for
//! [`carrier`]'s `HttpCarrier` and `axum` for a webhook router;
//! `examples/server.rs` runs all of it.
//!
//! ```
//! # #[cfg(feature = "twilio")] {
//! use msgcore::model::TenantRef;
//! use msgcore::providers::twilio::webhook::parse_message;
//!
//! let body = b"MessageSid=SM1&From=%2B14155550100&To=%2B14155550199&Body=STOP&NumMedia=0";
//! let parsed = parse_message(body, TenantRef::Slug("corner-shop".into()))?;
//! assert_eq!(parsed.message.from.as_str(), "+14155550100");
//! assert_eq!(parsed.message.content.text.as_deref(), Some("STOP"));
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! **Decisions and responders.** Every decision the inbox makes is a pure
//! function in [`engine::decide`] — `decide_inbound`, `decide_send`,
//! `decide_action`, … — over a context of what was loaded, returning a plan that
//! names what it writes; each SPEC step is a function named for it (STOP is
//! `opt_out`). A bot or AI agent answers *after* the message is committed, with
//! [`Inbox::respond`](engine::Inbox::respond), so a provider's webhook never waits
//! for one.
//!
//! **API keys.** [`service::ApiKeys`] makes a tenant's keys (a name, SPEC §19's
//! scopes, an optional expiry) and checks the token a request presents. The
//! token (`msgcore_<id>_<256 random bits>`) is shown once; stores keep only its
//! SHA-256 hash ([`core::api_key`]), compared in constant time. A missing,
//! wrong, revoked or expired key is a 401, a valid key without the scope a 403,
//! and a key opens its own tenant's data only.
//!
//! ```
//! # async fn demo(keys: msgcore::service::ApiKeys, tenant: msgcore::model::TenantId)
//! # -> Result<(), msgcore::Error> {
//! use msgcore::core::api_key::{Scope, Scopes};
//! use msgcore::service::NewApiKey;
//!
//! let new = NewApiKey::new("billing backend", Scopes::from([Scope::ContactsRead]));
//! let created = keys.create(tenant, new).await?;
//! println!("your key (shown once): {}", created.token());
//! let who = keys.authenticate(Some(created.token()), Scope::ContactsRead).await?;
//! assert_eq!(who.tenant, tenant);
//! # Ok(()) }
//! ```
//!
//! **Outgoing webhooks.** A tenant registers endpoints
//! ([`Store::create_webhook`](store::Store::create_webhook), or `POST
//! /webhooks`); each keeps a cursor into the tenant's event log, which is
//! written with the changes it describes, so nothing committed is missed. A
//! `WebhookDeliverer` (feature `tokio`) posts each endpoint's events in
//! order ([`core::webhook_event`] names them), signed as Standard Webhooks
//! does ([`core::webhook_signing`], identical to the `standardwebhooks`
//! package on 1,000 cases), retrying a refused one under its original
//! `webhook-id` on a [`core::webhook_retry::RetrySchedule`] and disabling an
//! endpoint that fails them all. Endpoint addresses are checked against a
//! [`core::webhook_endpoint::UrlPolicy`]: no internal address, by any
//! spelling or by what a name resolves to.
//!
//! **The REST API** (feature `api`): `api::router` serves the seed's endpoints
//! over those keys — `GET /status`, contacts (`GET/POST /contacts`,
//! `GET/PATCH /contacts/{id}`, `POST /contacts/import`), conversations (`GET /chats`, `GET
//! /chats/{id}`, `POST /conversations/{id}/messages`, `GET/PUT
//! /conversations/{id}/guide` for the AI responder, `GET /messages`), `POST /send` (every
//! content type, through every gate), campaigns (`POST/GET /campaigns`,
//! `GET /campaigns/{id}`, `POST /campaigns/{id}/pause|resume|cancel`),
//! `GET /templates`, `GET /quick-replies`, media (`POST /media`,
//! `GET /media/{id}`), outgoing webhook endpoints
//! (`POST/GET /webhooks`, `DELETE /webhooks/{id}`, `POST
//! /webhooks/{id}/enable`) and `GET /events`, the tenant's events as
//! server-sent events woken by `engine::LiveEvents` (across replicas through
//! PostgreSQL's `LISTEN`/`NOTIFY`) so far — refusing a request whose key is
//! missing or lacks the route's scope before reading its body, limiting every
//! IP and key to 120 requests a minute in the store (so replicas share the
//! limit), answering every error as `{"error": "…"}`, and describing itself at
//! `GET /openapi.json`. The handlers only translate HTTP: [`service::Operations`]
//! does the work, so the MCP server answers exactly as REST does.
//!
//! **The MCP server** (feature `mcp`): `mcp::router` (stateless Streamable
//! HTTP, a Bearer key on every request) and `mcp::serve_stdio` (the key from
//! `MSGCORE_API_KEY`) offer AI assistants the seed's twelve tools and
//! `set_conversation_guide`, from
//! `list_contacts` to `get_analytics` and `create_payment_link` (through the
//! embedder's `service::PaymentLinks`), each one `Operations` call with
//! REST's scopes, limits and error messages.
//!
//! **Media files.** [`media::MediaStore`] is where a tenant's uploads are kept:
//! [`media::MemoryMediaStore`] for tests, `media::FsMediaStore` (feature
//! `tokio`) in a directory per tenant, each file written whole before it has an
//! id, or your own object store. [`Operations::upload_media`](service::Operations::upload_media)
//! checks a file by its bytes ([`check_upload`](core::message::media::check_upload):
//! the SPEC's eight types, at most 16,000,000 bytes) before any store sees it;
//! its name decides nothing.
//!
//! **Errors.** Each module returns its own typed error saying what was wrong with
//! which input; [`Error`] gathers them with a stable [`ErrorKind`], an HTTP status
//! and whether a retry can help.
//!
//! ## Deploying
//!
//! **One process** keeps its inbox in a SQLite file ([`store::SqliteStore`], WAL):
//! `examples/server.rs` is a complete backend configured from environment
//! variables, with `GET /health` and logs as `RUST_LOG` says.
//!
//! **Under load**, turn on group commit
//! ([`InboxBuilder::group_commit`](engine::InboxBuilder::group_commit)):
//! concurrent webhooks then share one transaction and one durable write, and
//! each is still answered only once its own writes are durable; a full queue
//! answers 503, which providers retry. `examples/loadgen` measures a server
//! (figures in `BENCHMARKS.md`), and `tests/loadgen` kills one with SIGKILL
//! under load to show that nothing it acknowledged is lost.
//!
//! **Many replicas on many machines** share one PostgreSQL database
//! ([`store::PostgresStore`]); run as many copies as you like:
//!
//! - a webhook retried to another replica is stored once (unique keys on the
//!   provider's message id), and its replies queued once, in the same transaction;
//! - every replica's dispatcher claims the outbox with `FOR UPDATE SKIP LOCKED`
//!   under a lease, and one recipient's messages still leave in the order they
//!   were queued; a replica that dies mid-send loses nothing (the lease lapses and
//!   the item is sent again with the same idempotency key);
//! - the schema is applied by the first replica to connect, under an advisory
//!   lock; keep the machines' clocks within seconds of each other (leases compare
//!   them);
//! - a bot's or AI agent's turn is taken by the replica that stored the message,
//!   after the provider's acknowledgement. If that replica stops in between, the
//!   message stays unanswered in the bot's conversation for an agent to see.
//!
//! Assembled in your own axum app (`examples/embed.rs` runs this, and
//! `tests/embed.rs` drives it against PostgreSQL and a mock Twilio):
//!
//! ```no_run
//! # #[cfg(all(feature = "postgres", feature = "axum", feature = "http"))]
//! # async fn run() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! use std::sync::Arc;
//! use msgcore::carrier::HttpCarrier;
//! use msgcore::engine::{DispatchPolicy, Dispatcher, GroupCommitOptions, Inbox, SystemClock};
//! use msgcore::providers::twilio::send::MessagesApi;
//! use msgcore::store::{PostgresStore, Store};
//! use msgcore::webhooks::{WebhookConfig, router};
//!
//! let store: Arc<dyn Store> = Arc::new(PostgresStore::connect("postgres://db/inbox").await?);
//! let inbox = Arc::new(
//!     Inbox::builder(store.clone())
//!         .group_commit(GroupCommitOptions::default())
//!         .build(),
//! );
//! let webhooks = WebhookConfig::new("https://shop.example.com/webhooks")?.twilio("auth-token")?;
//! let app = axum::Router::new()
//!     .route("/", axum::routing::get(|| async { "your own routes" }))
//!     .nest("/webhooks", router(inbox.clone(), webhooks));
//! // The inbox hears a carrier's opt-out refusals (Twilio 21610) and records them.
//! let dispatcher = Dispatcher::new(
//!     store,
//!     Arc::new(HttpCarrier::new(MessagesApi::from_env()?)),
//!     Arc::new(SystemClock),
//!     DispatchPolicy::default(),
//! )?
//! .with_opt_out_listener(inbox.clone())
//! .with_group_commit(GroupCommitOptions::default());
//! let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
//! let sending = tokio::spawn(dispatcher.run(async { let _ = stopped.await; }));
//! let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
//! axum::serve(listener, app).await?;
//! let _ = stop.send(());
//! sending.await?;
//! # Ok(())
//! # }
//! ```
//!
//! ## Features
//!
//! | feature | adds | needs an HTTP client |
//! |---|---|---|
//! | `twilio` (default) | Messages API requests and error mapping, webhook and voice parsing, TwiML, the voice call flow, `X-Twilio-Signature` verification exactly as twilio-python's `RequestValidator` | no |
//! | `telnyx` (default) | v2 Messages API requests and error mapping, webhook parsing, Ed25519 webhook verification with a replay tolerance | no |
//! | `meta` (default) | Cloud API requests for every content kind, media upload, read receipts and error mapping, webhook parsing and the subscription handshake, `X-Hub-Signature-256` verification | no |
//! | `tokio` | `engine::Dispatcher`: drains the outbox through a carrier with leases, retries and backoff; `media::FsMediaStore`: uploaded files on disk | no |
//! | `http` | `carrier::HttpCarrier`: sends through any provider's `SendApi` with reqwest (rustls), per-tenant credentials | yes |
//! | `sqlite` | [`store::SqliteStore`]: the embedded store (one file, WAL, schema applied on open) | no |
//! | `postgres` | [`store::PostgresStore`]: one database for many replicas (unique keys, `FOR UPDATE SKIP LOCKED` outbox, schema applied on connect) | no |
//! | `conformance` | `store::conformance` and `media::conformance`: the `Store` and `MediaStore` contracts as public test suites, to run against your own stores | no |
//! | `axum` | `webhooks::router`: an axum `Router` serving Twilio, Telnyx and Meta webhooks (signature first, body limit, status codes that make providers retry only what can succeed) | no |
//! | `api` | `api::router`: the REST API (SPEC §19) over `service::Operations` and Bearer API keys with scopes, per-IP and per-key rate limits kept in the store, `{"error"}` bodies, OpenAPI 3.1 at `/openapi.json` (utoipa); turns on `axum` | no |
//! | `mcp` | `mcp::router` and `mcp::serve_stdio`: the MCP server (SPEC §19) over the same `service::Operations`, on the official SDK `rmcp`; turns on `api` | no |
//!
//! ## `msgctl`
//!
//! `cargo run --example quickstart` narrates a whole conversation, offline.
//! `cargo run --example server --features api,http,sqlite` is a runnable backend
//! configured from environment variables (see the README). The example `msgctl` exposes these rules as JSON Lines commands for debugging
//! a deployment: `cargo run --example msgctl -- e164 < numbers.jsonl`. See
//! `examples/msgctl/`.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

#[cfg(feature = "api")]
#[cfg_attr(docsrs, doc(cfg(feature = "api")))]
pub mod api;
pub mod carrier;
pub mod core;
pub mod engine;
pub mod error;
#[cfg(feature = "mcp")]
#[cfg_attr(docsrs, doc(cfg(feature = "mcp")))]
pub mod mcp;
pub mod media;
pub mod model;
mod overlap;
pub mod providers;
pub mod service;
pub mod store;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod webhooks;

pub use crate::core::channel::Channel;
pub use crate::core::phone::{E164, PhoneError};
pub use crate::error::{Error, ErrorKind};

/// The README's examples, compiled and run as doctests so they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
