//! Automation rules (SPEC §14, §18): a trigger, optional conditions and ordered
//! actions, compiled once per tenant.
//!
//! A rule is `{"id": ID, "trigger": T, "conditions": CONDITION, "actions":
//! [ACTION..]}`, conditions optional. [`Rule::from_json`] reads and checks one:
//! the trigger is one of the eight [`Trigger`](crate::core::trigger::Trigger)s,
//! the conditions are the [shared condition language](crate::core::condition)
//! on built-in fields
//! (`text` reads the triggering message), and there are 1 to [`MAX_ACTIONS`]
//! [`Action`]s:
//!
//! | action | does |
//! |---|---|
//! | `{"send": {"text": T}}` | sends T, a [`Template`](crate::core::template::Template), on the triggering event's channel |
//! | `{"add_tag": T}`, `{"remove_tag": T}` | tags the contact, or takes the tag off |
//! | `{"assign": AGENT}` | gives the conversation to an agent |
//! | `{"resolve": true}` | resolves the conversation |
//! | `{"handoff": "bot" \| "ai" \| "human"}` | hands the conversation over |
//! | `{"start_workflow": ID}` | starts a workflow for the contact |
//! | `{"webhook": URL}` | an outgoing webhook, its address checked by a [`UrlPolicy`](crate::core::webhook_endpoint::UrlPolicy) |
//!
//! Every refusal is a [`RuleError`] naming the place the way the JSON writes
//! it (`trigger`, `conditions.any[1].value`, `actions[2].webhook`) and the
//! [problem](RuleProblem).
//!
//! A tenant's rules are compiled into a [`RuleSet`], indexed by trigger, and
//! [`RuleSet::fired`] gives the rules an event sets off, in the order they
//! were added. Everything here is pure: the engine evaluates the fired rules
//! inside the decision of the triggering event and commits their effects
//! with it; it carries out each action on its own, so that one failing does
//! not stop the others, and what the actions cause never triggers rules.
//!
//! ```
//! use msgcore::Channel;
//! use msgcore::core::automation::{Action, Rule, RuleSet};
//! use msgcore::core::condition::Subject;
//! use msgcore::core::trigger::Trigger;
//! use msgcore::core::webhook_endpoint::UrlPolicy;
//! use serde_json::json;
//!
//! let pricing = Rule::from_json(&json!({
//!     "id": "pricing",
//!     "trigger": "inbound_sms",
//!     "conditions": {"field": "text", "op": "contains", "value": "price"},
//!     "actions": [
//!         {"add_tag": "lead"},
//!         {"send": {"text": "Hi {name}, our prices: https://example.com/prices"}}
//!     ]
//! }), UrlPolicy::PUBLIC)?;
//! let review = Rule::from_json(&json!({
//!     "id": "review",
//!     "trigger": "conversation_resolved",
//!     "actions": [{"send": {"text": "How did we do? Reply 1-5."}}]
//! }), UrlPolicy::PUBLIC)?;
//! let rules = RuleSet::compile(vec![pricing, review])?;
//!
//! let mut subject = Subject::default().with_text("What's the PRICE of a cut?");
//! subject.channel = Some(Channel::Sms);
//! let fired: Vec<&str> = rules.fired(Trigger::InboundSms, &subject).map(Rule::id).collect();
//! assert_eq!(fired, ["pricing"]);
//! assert_eq!(rules.fired(Trigger::InboundSms, &Subject::default()).count(), 0);
//! assert!(!rules.listens_to(Trigger::OptedOut));
//! assert_eq!(rules.rules()[0].actions()[0], Action::AddTag("lead".into()));
//!
//! let error = Rule::from_json(&json!({
//!     "id": "notify", "trigger": "opted_out",
//!     "actions": [{"add_tag": "left"}, {"webhook": "http://crm.example.com/hook"}]
//! }), UrlPolicy::PUBLIC).unwrap_err();
//! assert_eq!(error.path, "actions[1].webhook");
//! assert_eq!(error.to_string(), "`actions[1].webhook`: the url must start with https://");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod action;
mod error;
mod handoff;
mod read;
mod rule;
mod set;

pub use action::Action;
pub use error::{RuleError, RuleProblem};
pub use handoff::Handoff;
pub use rule::{MAX_ACTIONS, MAX_ID_LEN, Rule};
pub use set::{RuleSet, RuleSetError};

#[cfg(test)]
mod laws;

#[cfg(test)]
mod tests;
