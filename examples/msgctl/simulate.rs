//! `simulate`: a scripted scenario against an in-memory inbox (SPEC §17).
//!
//! One tenant (`demo`, "Demo Co") with SMS and WhatsApp, a carrier that accepts every
//! send, and the default policies: the library sends keyword confirmations, help
//! replies and CSAT surveys; 30-day resumption; 20 sends an hour per recipient. Each
//! input line is a step at a simulated `at`; each output line says what the step
//! did and the contact's state afterwards:
//!
//! ```text
//! {"at": "2026-03-02T18:00:00Z", "do": "inbound", "channel": "sms", "from": "+14155550100", "to": "+14155550199", "text": "STOP", "id": "SM1"}
//! {"ok":true,"conversation_id":"…","conversation_status":"OPEN","sms_opted_in":false,"whatsapp_opted_in":false,"replies":["You have been unsubscribed from Demo Co messages…"],"queued":[]}
//! ```
//!
//! SPEC §20's steps:
//! - contacts: `contact`, `import` (`"import": REPORT`), `contact_status`
//!   (`"contact": {"tags", "attributes", "sms_opted_in", "whatsapp_opted_in"}`);
//! - campaigns: `plan`, `campaign` (a §18 definition), `campaign_status`,
//!   `campaign_pause`, `campaign_resume`, `campaign_cancel`, each answering
//!   `"campaign": COUNTS`;
//! - workflows: `workflow` (`"definition"`, a §18 workflow), `start_workflow`
//!   and `run_status` (`"workflow"`, `"contact"`), both answering `"run":
//!   {"status", "saved", "error" (a failed run's)}`; `run_status` answers
//!   `"run": null` for a contact who never ran the workflow;
//! - rules: `rule` (`"definition"`, a §18 rule; one with a `webhook` action
//!   is refused `invalid_rule` for now);
//! - `tick`, which only lets time pass.
//!
//! Before every step, what is due at its `at` runs, as the scheduler runs it:
//! campaign recipients are queued, then workflow runs whose delay, wait or
//! reply timeout has come are woken. A new or resumed campaign's first share
//! is queued within its step. Every answer lists in `"queued"` (`[{"to",
//! "channel", "text"}]`, in order) what campaigns, workflows and rules queued
//! in the step, including at its start; `"replies"` stays what the library
//! queued by itself (keyword confirmations, help, CSAT).
//!
//! A refused step has `"ok": false` and `"error"` with its kind (`opted_out`,
//! `outside_window`, `rate_limited`, `quiet_hours`, `invalid_content`,
//! `invalid_transition`, `unknown_contact`, `unknown_message`, `plan_limit`,
//! `invalid_campaign`, `unknown_campaign`, `campaign_finished`, `conflict`,
//! `invalid_workflow`, `invalid_rule`, `already_running`, `unknown_workflow`)
//! and writes nothing; a refused definition also has `"message"`, naming the
//! place at fault (`` `steps[1].delay` is not a duration like 90m… ``).
//! The tenant is `demo` whatever number an inbound step is written `to`. A line
//! that is not a step at all (bad JSON, a bad number, an `at` earlier than
//! the previous step's) gets `{"error": "..."}`.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use msgcore::core::campaign::{CampaignChange, CampaignCounts, CampaignDefinition};
use msgcore::core::channel::Channel;
use msgcore::core::conversation::{AgentId, Event, Status};
use msgcore::core::delivery::{DeliveryStatus, StatusUpdate};
use msgcore::core::import::{ImportOptions, ImportReport};
use msgcore::core::message::{Content, RawContent};
use msgcore::core::plan::PlanLimits;
use msgcore::core::quiet_hours::SendKind;
use msgcore::core::window::{EntryPoint, InboundKind};
use msgcore::core::workflow::Run;
use msgcore::engine::{EditedBy, Inbox, ManualClock, MemoryEvents, SendRequest};
use msgcore::model::{
    ContactEdit, ContactId, EventRecord, InboundContent, InboxEvent, MessageId, MessageOrigin,
    MessageRecord, ProviderName, Referral, SequentialIds, TenantId,
};
use msgcore::model::{InboundMessage, MessageRef, StatusCallback, TenantRef};
use msgcore::store::MemoryStore;
use msgcore::{E164, Error, ErrorKind};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{demo, lines};

/// The simulated provider (a carrier that accepts everything).
const PROVIDER: &str = "simulated";

/// A fresh simulation, as a line handler that keeps its inbox between lines.
pub fn handler() -> lines::Handler {
    match Simulation::new() {
        Ok(mut simulation) => Box::new(move |line, out| simulation.step(line, out)),
        Err(message) => Box::new(move |_, out| lines::write_error(out, &message)),
    }
}

#[derive(Deserialize)]
struct Step {
    at: String,
    #[serde(flatten)]
    action: Action,
}

#[derive(Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
enum Action {
    Inbound {
        channel: String,
        from: String,
        text: Option<String>,
        id: String,
        referral: Option<Value>,
    },
    Send {
        channel: String,
        to: String,
        text: Option<String>,
        template: Option<TemplateRef>,
        kind: Option<String>,
        id: Option<String>,
    },
    Status {
        id: String,
        status: String,
    },
    Assign {
        contact: String,
        agent: String,
    },
    Resolve {
        contact: String,
    },
    Reopen {
        contact: String,
    },
    Handoff {
        contact: String,
        to: String,
    },
    /// Create or update a contact through the API path (source `api`).
    Contact {
        phone: String,
        #[serde(flatten)]
        edit: ContactFields,
    },
    ContactStatus {
        contact: String,
    },
    Import {
        csv: String,
        #[serde(flatten)]
        options: ImportOptions,
    },
    Plan {
        plan: String,
    },
    Campaign {
        #[serde(flatten)]
        definition: CampaignDefinition,
    },
    CampaignStatus {
        id: String,
    },
    CampaignPause {
        id: String,
    },
    CampaignResume {
        id: String,
    },
    CampaignCancel {
        id: String,
    },
    /// Defines (or redefines) a workflow (SPEC §18).
    Workflow {
        definition: Value,
    },
    StartWorkflow {
        workflow: String,
        contact: String,
    },
    RunStatus {
        workflow: String,
        contact: String,
    },
    /// Adds (or replaces) an automation rule (SPEC §18).
    Rule {
        definition: Value,
    },
    /// Only lets time pass: what is due runs before every step.
    Tick,
}

/// A message a campaign, workflow or rule queued in a step.
#[derive(Serialize)]
struct Queued {
    to: E164,
    channel: Channel,
    text: String,
}

/// A `contact` step's fields (SPEC §20): tags are added, attributes merged.
#[derive(Deserialize)]
struct ContactFields {
    name: Option<String>,
    email: Option<String>,
    company: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    attributes: BTreeMap<String, Value>,
    sms_opted_in: Option<bool>,
    whatsapp_opted_in: Option<bool>,
}

impl From<ContactFields> for ContactEdit {
    fn from(fields: ContactFields) -> ContactEdit {
        ContactEdit {
            name: fields.name,
            email: fields.email,
            company: fields.company,
            add_tags: fields.tags,
            attributes: fields.attributes,
            sms_opted_in: fields.sms_opted_in,
            whatsapp_opted_in: fields.whatsapp_opted_in,
            ..ContactEdit::default()
        }
    }
}

/// A `contact_status` step's answer.
#[derive(Serialize)]
struct ContactStatus {
    tags: Vec<String>,
    attributes: BTreeMap<String, Value>,
    sms_opted_in: bool,
    whatsapp_opted_in: bool,
}

/// A workflow run as `start_workflow` and `run_status` answer it.
#[derive(Serialize)]
struct RunView {
    status: &'static str,
    saved: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

impl From<Run> for RunView {
    fn from(run: Run) -> RunView {
        RunView {
            status: run.status.as_str(),
            saved: run.saved,
            error: run.error,
        }
    }
}

#[derive(Deserialize)]
struct TemplateRef {
    name: String,
    language: String,
}

#[derive(Serialize, Default)]
struct Output {
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'static str>,
    /// What is wrong with a refused workflow or rule definition, and where.
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    conversation_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    conversation_status: Option<Status>,
    sms_opted_in: bool,
    whatsapp_opted_in: bool,
    replies: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_status: Option<&'static str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    duplicate: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    import: Option<ImportReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact: Option<ContactStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    campaign: Option<CampaignCounts>,
    /// `Some(None)`, written `null`: the contact has never run the workflow.
    #[serde(skip_serializing_if = "Option::is_none")]
    run: Option<Option<RunView>>,
    queued: Vec<Queued>,
}

/// What a step did before the contact's state is read.
#[derive(Default)]
struct Done {
    contact: Option<E164>,
    replies: Vec<MessageRecord>,
    message_id: Option<MessageId>,
    message_status: Option<DeliveryStatus>,
    duplicate: bool,
    import: Option<ImportReport>,
    contact_status: bool,
    campaign: Option<CampaignCounts>,
    run: Option<Option<Run>>,
}

/// A step that could not run: a malformed line, or a refusal with its kind.
enum Failure {
    Input(String),
    Refused(Error, Option<E164>),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure::Refused(error, None)
    }
}

struct Simulation {
    runtime: tokio::runtime::Runtime,
    inbox: Inbox,
    clock: Arc<ManualClock>,
    events: Arc<MemoryEvents>,
    /// How many events earlier steps saw.
    events_seen: usize,
    tenant: TenantId,
    last_at: Option<DateTime<Utc>>,
}

impl Simulation {
    fn new() -> Result<Simulation, String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| format!("cannot start the simulation: {e}"))?;
        let clock = Arc::new(ManualClock::new(DateTime::UNIX_EPOCH));
        let events = Arc::new(MemoryEvents::default());
        let inbox = Inbox::builder(Arc::new(MemoryStore::new()))
            .clock(clock.clone())
            .events(events.clone())
            .ids(Arc::new(SequentialIds::default()))
            .build();
        let tenant = demo::tenant();
        runtime
            .block_on(inbox.put_tenant(&tenant))
            .map_err(|e| format!("cannot set up the demo tenant: {e}"))?;
        Ok(Simulation {
            runtime,
            inbox,
            clock,
            events,
            events_seen: 0,
            tenant: tenant.id,
            last_at: None,
        })
    }

    fn step(&mut self, line: &str, out: &mut Vec<u8>) {
        let Some(step) = lines::parse::<Step>(line, out) else {
            return;
        };
        let at = match self.advance_to(&step.at) {
            Ok(at) => at,
            Err(message) => return lines::write_error(out, message),
        };
        self.clock.set(at);
        let result = self.runtime.block_on(async {
            // What is due at `at` runs first, in the scheduler's order; what
            // a step makes due (a new or resumed campaign) runs within it, in
            // `campaign`.
            self.inbox.run_campaigns().await?;
            self.inbox.wake_due_runs().await?;
            Ok::<_, Error>(self.run(step.action).await)
        });
        let result = match result {
            Ok(result) => result,
            Err(error) => return lines::write_error(out, error.to_string()),
        };
        let output = match result {
            Ok(done) => self.report(
                Output {
                    ok: true,
                    ..Output::default()
                },
                done,
            ),
            Err(Failure::Input(message)) => return lines::write_error(out, message),
            Err(Failure::Refused(error, contact)) => {
                let output = Output {
                    error: Some(error_kind(&error)),
                    message: definition_problem(&error),
                    ..Output::default()
                };
                self.report(
                    output,
                    Done {
                        contact,
                        ..Done::default()
                    },
                )
            }
        };
        let events = self.events.all();
        let new = events.get(self.events_seen..).unwrap_or_default();
        self.events_seen = events.len();
        let queued = self.runtime.block_on(self.queued(new));
        lines::write_json(out, &Output { queued, ..output });
    }

    /// The messages campaigns, workflows and rules queued among a step's
    /// events, in order.
    async fn queued(&self, new: &[EventRecord]) -> Vec<Queued> {
        let store = self.inbox.store();
        let mut queued = Vec::new();
        for record in new {
            let InboxEvent::MessageQueued { message, .. } = record.event else {
                continue;
            };
            let Ok(Some(message)) = store.message(self.tenant, message).await else {
                continue;
            };
            let Ok(Some(contact)) = store.contact(self.tenant, message.contact).await else {
                continue;
            };
            if message.origin == MessageOrigin::Automation {
                queued.push(Queued {
                    to: contact.phone,
                    channel: message.channel,
                    text: message.text().unwrap_or_default().to_owned(),
                });
            }
        }
        queued
    }

    fn advance_to(&mut self, at: &str) -> Result<DateTime<Utc>, String> {
        let at = DateTime::parse_from_rfc3339(at)
            .map_err(|e| format!("`at` {at:?} is not RFC 3339: {e}"))?
            .to_utc();
        if self.last_at.is_some_and(|last| at < last) {
            return Err(format!("`at` {at} is earlier than the previous step"));
        }
        self.last_at = Some(at);
        Ok(at)
    }

    async fn run(&self, action: Action) -> Result<Done, Failure> {
        match action {
            Action::Inbound {
                channel,
                from,
                text,
                id,
                referral,
                ..
            } => {
                self.inbound(channel_of(&channel)?, number(&from)?, text, id, referral)
                    .await
            }
            Action::Send {
                channel,
                to,
                text,
                template,
                kind,
                id,
            } => {
                let content = content(text, template)?;
                let to = number(&to)?;
                let kind = match kind.as_deref() {
                    Some("marketing") => SendKind::Marketing,
                    Some("transactional") => SendKind::Transactional,
                    None => SendKind::ConversationReply,
                    Some(other) => {
                        return Err(Failure::Input(format!("unknown send kind {other:?}")));
                    }
                };
                let request = SendRequest {
                    kind,
                    client_id: id,
                    ..SendRequest::reply(self.tenant, to, channel_of(&channel)?, content)
                };
                let sent = self
                    .inbox
                    .send(&request)
                    .await
                    .map_err(|e| Failure::Refused(e, Some(to)))?;
                Ok(Done {
                    contact: Some(to),
                    message_id: Some(sent.message.id),
                    ..Done::default()
                })
            }
            Action::Status { id, status } => self.status(id, &status).await,
            Action::Assign { contact, agent } => {
                self.act(
                    &contact,
                    Event::Assign {
                        agent: AgentId::new(agent),
                    },
                )
                .await
            }
            Action::Resolve { contact } => self.act(&contact, Event::Resolve).await,
            Action::Reopen { contact } => self.act(&contact, Event::Reopen).await,
            Action::Handoff { contact, to } => {
                let event = match to.as_str() {
                    "bot" => Event::HandToBot,
                    "ai" => Event::HandToAi,
                    "human" => Event::HandToHuman,
                    other => {
                        return Err(Failure::Input(format!("unknown handoff target {other:?}")));
                    }
                };
                self.act(&contact, event).await
            }
            Action::Contact { phone, edit } => {
                let phone = number(&phone)?;
                let edit = ContactEdit::from(edit);
                self.inbox
                    .edit_contact(self.tenant, phone, &edit, &EditedBy::Api)
                    .await
                    .map_err(|e| Failure::Refused(e, Some(phone)))?;
                Ok(Done {
                    contact: Some(phone),
                    ..Done::default()
                })
            }
            Action::ContactStatus { contact } => {
                let (phone, _) = self.known_contact(&contact).await?;
                Ok(Done {
                    contact: Some(phone),
                    contact_status: true,
                    ..Done::default()
                })
            }
            Action::Workflow { definition } => {
                self.inbox.define_workflow(self.tenant, &definition).await?;
                Ok(Done::default())
            }
            Action::Rule { definition } => {
                self.inbox.put_rule(self.tenant, &definition).await?;
                Ok(Done::default())
            }
            Action::StartWorkflow { workflow, contact } => {
                let (phone, id) = self.known_contact(&contact).await?;
                let started = self
                    .inbox
                    .start_workflow(self.tenant, &workflow, id)
                    .await
                    .map_err(|e| Failure::Refused(e, Some(phone)))?;
                Ok(Done {
                    contact: Some(phone),
                    run: Some(Some(started.run)),
                    ..Done::default()
                })
            }
            Action::RunStatus { workflow, contact } => {
                let (phone, id) = self.known_contact(&contact).await?;
                let refused = |e: Error| Failure::Refused(e, Some(phone));
                // An unknown workflow is refused; a known one never run is `null`.
                self.inbox
                    .workflow(self.tenant, &workflow)
                    .await
                    .map_err(refused)?;
                let latest = self
                    .inbox
                    .latest_run(self.tenant, &workflow, id)
                    .await
                    .map_err(refused)?;
                Ok(Done {
                    contact: Some(phone),
                    run: Some(latest.map(|record| record.run)),
                    ..Done::default()
                })
            }
            Action::Plan { plan } => {
                let plan = match plan.as_str() {
                    "starter" => PlanLimits::starter(),
                    "pro" => PlanLimits::pro(),
                    other => return Err(Failure::Input(format!("unknown plan {other:?}"))),
                };
                let mut tenant = self.inbox.tenant(self.tenant).await?;
                tenant.settings.plan = plan;
                self.inbox.put_tenant(&tenant).await?;
                Ok(Done::default())
            }
            Action::Campaign { definition } => {
                let id = definition.id.trim().to_owned();
                self.inbox.create_campaign(self.tenant, definition).await?;
                self.campaign(&id, None).await
            }
            Action::CampaignStatus { id } => self.campaign(&id, None).await,
            Action::CampaignPause { id } => self.campaign(&id, Some(CampaignChange::Pause)).await,
            Action::CampaignResume { id } => self.campaign(&id, Some(CampaignChange::Resume)).await,
            Action::CampaignCancel { id } => self.campaign(&id, Some(CampaignChange::Cancel)).await,
            Action::Tick => Ok(Done::default()),
            Action::Import { csv, options } => {
                let report = self
                    .inbox
                    .import_contacts(self.tenant, csv.as_bytes(), &options, |_| {
                        ControlFlow::Continue(())
                    })
                    .await?;
                Ok(Done {
                    import: Some(report),
                    ..Done::default()
                })
            }
        }
    }

    /// The contact with phone number `text`, or `unknown_contact`.
    async fn known_contact(&self, text: &str) -> Result<(E164, ContactId), Failure> {
        let phone = number(text)?;
        match self.inbox.contact_by_phone(self.tenant, &phone).await? {
            Some(contact) => Ok((phone, contact.id)),
            None => {
                let unknown = msgcore::engine::NotFound::Contact(phone.to_string());
                Err(Failure::Refused(unknown.into(), None))
            }
        }
    }

    /// A campaign's counts, after `change`. A new campaign's first share is
    /// queued after the step, so its counts are read then too.
    async fn campaign(&self, id: &str, change: Option<CampaignChange>) -> Result<Done, Failure> {
        if let Some(change) = change {
            self.inbox.change_campaign(self.tenant, id, change).await?;
        }
        self.inbox.run_campaigns().await?;
        let counts = self.inbox.campaign_counts(self.tenant, id).await?;
        Ok(Done {
            campaign: Some(counts),
            ..Done::default()
        })
    }

    async fn inbound(
        &self,
        channel: Channel,
        from: E164,
        text: Option<String>,
        id: String,
        referral: Option<Value>,
    ) -> Result<Done, Failure> {
        let message = InboundMessage {
            tenant: TenantRef::Id(self.tenant),
            provider: ProviderName::new(PROVIDER),
            provider_message_id: id,
            channel,
            from,
            kind: InboundKind::Message,
            content: InboundContent {
                text,
                ..InboundContent::default()
            },
            referral: referral.as_ref().map(referral_of),
            profile_name: None,
            whatsapp: Default::default(),
        };
        let outcome = self
            .inbox
            .handle_inbound(&message)
            .await
            .map_err(|e| Failure::Refused(e, Some(from)))?;
        Ok(Done {
            contact: Some(from),
            replies: outcome.replies,
            duplicate: outcome.duplicate,
            ..Done::default()
        })
    }

    async fn status(&self, id: String, status: &str) -> Result<Done, Failure> {
        let status: DeliveryStatus = status.parse().map_err(|e| Failure::Input(format!("{e}")))?;
        let tenant = TenantRef::Id(self.tenant);
        let message = match self
            .inbox
            .store()
            .message_by_client_id(self.tenant, &id)
            .await
            .map_err(Error::from)?
        {
            Some(message) => message,
            None => {
                let by_id = id.parse::<MessageId>().ok();
                let found = match by_id {
                    Some(message_id) => self
                        .inbox
                        .store()
                        .message(self.tenant, message_id)
                        .await
                        .map_err(Error::from)?,
                    None => None,
                };
                found.ok_or_else(|| Error::from(msgcore::engine::NotFound::Message(id.clone())))?
            }
        };
        let callback = StatusCallback {
            tenant,
            message: MessageRef::Id(message.id),
            update: StatusUpdate::new(status, self.clock_now()),
            opted_out: false,
            pricing: None,
        };
        let outcome = self.inbox.on_status(&callback).await?;
        let contact = self
            .inbox
            .store()
            .contact(self.tenant, message.contact)
            .await
            .map_err(Error::from)?;
        Ok(Done {
            contact: contact.map(|c| c.phone),
            message_id: Some(message.id),
            message_status: outcome.delivery.status(),
            ..Done::default()
        })
    }

    async fn act(&self, contact: &str, event: Event) -> Result<Done, Failure> {
        let phone = number(contact)?;
        let refused = |e: Error| Failure::Refused(e, Some(phone));
        let store = self.inbox.store();
        let found = store
            .contact_by_phone(self.tenant, &phone)
            .await
            .map_err(|e| refused(e.into()))?;
        let conversation = match found {
            Some(c) => store
                .latest_conversation(self.tenant, c.id)
                .await
                .map_err(|e| refused(e.into()))?,
            None => None,
        };
        let Some(conversation) = conversation else {
            return Err(refused(
                msgcore::engine::NotFound::Contact(phone.to_string()).into(),
            ));
        };
        let outcome = self
            .inbox
            .act(self.tenant, conversation.id, &event)
            .await
            .map_err(refused)?;
        Ok(Done {
            contact: Some(phone),
            replies: outcome.replies,
            ..Done::default()
        })
    }

    fn clock_now(&self) -> DateTime<Utc> {
        self.last_at.unwrap_or(DateTime::UNIX_EPOCH)
    }

    /// Fills in the contact's state after the step.
    fn report(&self, mut output: Output, done: Done) -> Output {
        if let Some(phone) = done.contact {
            let store = self.inbox.store();
            let state = self.runtime.block_on(async {
                let contact = store
                    .contact_by_phone(self.tenant, &phone)
                    .await
                    .ok()
                    .flatten()?;
                let conversation = store
                    .latest_conversation(self.tenant, contact.id)
                    .await
                    .ok()
                    .flatten();
                Some((contact, conversation))
            });
            if let Some((contact, conversation)) = state {
                output.sms_opted_in = contact.consent.state().allows(Channel::Sms);
                output.whatsapp_opted_in = contact.consent.state().allows(Channel::WhatsApp);
                if done.contact_status {
                    output.contact = Some(ContactStatus {
                        tags: contact.tags.clone(),
                        attributes: contact.attributes.clone(),
                        sms_opted_in: output.sms_opted_in,
                        whatsapp_opted_in: output.whatsapp_opted_in,
                    });
                }
                output.conversation_id = conversation.as_ref().map(|c| c.id.to_string());
                output.conversation_status = conversation.map(|c| c.status());
            }
        }
        output.replies = done
            .replies
            .iter()
            .filter(|m| m.origin.is_automatic_reply())
            .map(reply_text)
            .collect();
        output.message_id = done.message_id.map(|id| id.to_string());
        output.message_status = done.message_status.map(DeliveryStatus::as_str);
        output.duplicate = done.duplicate;
        output.import = done.import;
        output.campaign = done.campaign;
        output.run = done.run.map(|run| run.map(RunView::from));
        output
    }
}

fn channel_of(name: &str) -> Result<Channel, Failure> {
    name.parse().map_err(|e| Failure::Input(format!("{e}")))
}

fn number(text: &str) -> Result<E164, Failure> {
    E164::parse(text, None).map_err(|e| Failure::Input(format!("{text:?}: {e}")))
}

/// A send's content: `text`, or a `template` by name and language.
fn content(text: Option<String>, template: Option<TemplateRef>) -> Result<Content, Failure> {
    match (text, template) {
        (Some(text), None) => Content::text(text).map_err(|e| Failure::Refused(e.into(), None)),
        (None, Some(template)) => {
            let raw = serde_json::json!({"type": "template", "template_name": template.name, "language": template.language});
            let raw: RawContent =
                serde_json::from_value(raw).map_err(|e| Failure::Input(format!("{e}")))?;
            raw.validate().map_err(|e| Failure::Refused(e.into(), None))
        }
        _ => Err(Failure::Input(
            "a send needs exactly one of `text` and `template`".to_owned(),
        )),
    }
}

/// A Click-to-WhatsApp referral from Meta's field names.
fn referral_of(value: &Value) -> Referral {
    let field = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_owned);
    Referral {
        entry_point: EntryPoint::ClickToWhatsAppAd,
        source_type: field("source_type"),
        source_id: field("source_id"),
        source_url: field("source_url"),
        headline: field("headline"),
        body: field("body"),
        media_type: field("media_type"),
        media_url: field("image_url").or_else(|| field("video_url")),
        thumbnail_url: field("thumbnail_url"),
        ctwa_clid: field("ctwa_clid"),
    }
}

fn reply_text(message: &MessageRecord) -> String {
    message
        .text()
        .map_or_else(|| "[template]".to_owned(), str::to_owned)
}

/// A refused workflow or rule definition's message, which names the place
/// (`steps[1].delay`); other refusals answer with their kind alone.
fn definition_problem(error: &Error) -> Option<String> {
    match error.kind() {
        ErrorKind::InvalidWorkflow | ErrorKind::InvalidRule => Some(error.to_string()),
        _ => None,
    }
}

/// SPEC §17's error kinds.
fn error_kind(error: &Error) -> &'static str {
    match error.kind() {
        ErrorKind::MessageTooLong => "invalid_content",
        kind => kind.as_str(),
    }
}
