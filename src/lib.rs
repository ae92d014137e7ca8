//! # msgcore
//!
//! Business messaging over SMS and WhatsApp, as a library: the rules a
//! WhatsApp + SMS inbox must get exactly right — phone numbers, consent and
//! STOP/START/HELP compliance, templates, auto-tagging, SMS segments — and the
//! webhook signature checks of Twilio, Telnyx and the Meta WhatsApp Cloud API.
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
//! **Errors.** Each module returns its own typed error saying what was wrong with
//! which input; [`Error`] gathers them with a stable [`ErrorKind`], an HTTP status
//! and whether a retry can help.
//!
//! ## Features
//!
//! | feature | adds | needs an HTTP client |
//! |---|---|---|
//! | `twilio` (default) | `X-Twilio-Signature` verification, exactly as twilio-python's `RequestValidator` | no |
//! | `telnyx` (default) | Ed25519 webhook verification with a replay tolerance | no |
//! | `meta` (default) | `X-Hub-Signature-256` verification | no |
//!
//! ## `msgctl`
//!
//! The example `msgctl` exposes these rules as JSON Lines commands for debugging
//! a deployment: `cargo run --example msgctl -- e164 < numbers.jsonl`. See
//! `examples/msgctl/`.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod core;
pub mod error;
pub mod providers;

pub use crate::core::channel::Channel;
pub use crate::core::phone::{E164, PhoneError};
pub use crate::error::{Error, ErrorKind};

/// The README's examples, compiled and run as doctests so they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
