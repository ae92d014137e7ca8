//! Every decision the inbox makes, as a pure function.
//!
//! Each has one shape: `decide_…(context, input) -> plan`. The context holds
//! what was loaded from the store (the tenant, the contact, the conversation),
//! the time and the id source; the plan names everything the decision writes —
//! the contact, the conversation, the messages it queues, its events — and what to
//! tell the caller. [`Inbox`](super::Inbox) loads the context, decides, turns the
//! plan into one [`Changeset`](crate::store::Changeset) and commits it, deciding
//! again on fresh data when another writer got there first. Nothing here reads the
//! clock, the store or the network, so every rule can be run and tested without
//! them.
//!
//! | decision | on | SPEC |
//! |---|---|---|
//! | [`decide_inbound`] | a message from a contact | §11 steps 5–11, one function per step in [`inbound`] |
//! | [`decide_send`] | a send by an agent or the API | §12's gates, one function per gate in [`send`] |
//! | [`decide_action`] | an agent's action on a conversation | §4's table, and the CSAT survey on resolving |
//! | [`decide_reply`] | a bot's or AI agent's answer, after the message it answers was stored | §11 step 11 |
//! | [`decide_provider_opt_out`] | a provider saying the recipient opted out | §2 |
//! | [`decide_call_log`] | a call's status | §15 (voice) |
//! | [`decide_campaign_recipient`] | a campaign recipient taken up by a scheduler | §12's gates again, §18's holds and skips |
//! | [`decide_contact_edit`] | a contact created or changed by an agent, the API or a CSV import row | §1, §2, §18 |
//! | [`decide_contact_delete`] | a contact deleted, its number and consent kept | §1, §2 |
//! | [`decide_automation`] | what workflows and rules add to any of the above, committed with it | §13, §14, §18 |
//! | [`decide_start`] | a workflow started for a contact by the API | §13, §18 |
//!
//! Where is STOP handled? In `opt_out` (`src/engine/decide/inbound/keywords.rs`),
//! which `handle_keyword` calls in step 8 of [`decide_inbound`].

mod action;
pub mod automation;
mod call_log;
mod campaign;
mod contact_edit;
pub mod inbound;
mod opt_out;
mod queue;
mod reply;
pub mod send;

pub use action::{ActionContext, ActionOutcome, ActionPlan, decide_action};
pub use automation::{
    AutomationContext, Prompt, Start, StartRefused, WorkflowShelf, decide_automation, decide_start,
};
pub use call_log::{CallLogContext, CallLogPlan, decide_call_log};
pub use campaign::{
    CampaignSendContext, RecipientPlan, campaign_billing, content_for, decide_campaign_recipient,
    frozen_content, frozen_state, text_for,
};
pub use contact_edit::{
    ContactEditContext, ContactEditPlan, EditedContact, decide_contact_delete, decide_contact_edit,
};
pub use inbound::{InboundContext, InboundOutcome, InboundPlan, decide_inbound};
pub use opt_out::{OptOutContext, OptOutPlan, decide_provider_opt_out};
pub use reply::{
    Answer, ReplyContext, ReplyOutcome, ReplyPlan, ResponseDue, ResponseSkipped, Routed,
    decide_reply,
};
pub use send::{SendContext, SendOutcome, SendPlan, SendRequest, decide_send};
