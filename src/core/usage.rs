//! What messages cost (SPEC §16): each outbound message's [`Billing`] (SMS
//! segments by destination country, WhatsApp messages by Meta's pricing
//! category), tallied into [`UsageLine`]s and priced with a [`RateCard`] the
//! user supplies.
//!
//! The same three steps serve a campaign's estimate before it starts and a
//! tenant's usage after the fact, so the two always agree on what a message
//! is billed as:
//!
//! ```
//! use msgcore::core::channel::Channel;
//! use msgcore::core::message::Content;
//! use msgcore::core::usage::{Billing, RateCard, UsageTally};
//! use msgcore::E164;
//!
//! let card: RateCard = serde_json::from_str(r#"{
//!     "currency": "USD",
//!     "sms": {"US": "0.0079", "*": "0.05"},
//!     "whatsapp": {"marketing": {"US": "0.025"}}
//! }"#)?;
//! let to = E164::parse("+12025550123", None)?;
//! let mut tally = UsageTally::default();
//! // 200 GSM-7 characters: two segments.
//! let long = Content::text("x".repeat(200))?;
//! tally.add(&Billing::of(Channel::Sms, &to, &long, false));
//! let report = card.price(tally.lines());
//! assert_eq!(report.total.to_string(), "0.0158");
//! assert_eq!(report.unpriced_messages, 0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod billing;
mod category;
mod rate_card;
mod tally;

pub use billing::Billing;
pub use category::{Pricing, PricingCategory};
pub use rate_card::{CountryPrices, RateCard};
pub use tally::{CostReport, PricedLine, UsageLine, UsageTally};
