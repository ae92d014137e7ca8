//! Twilio: sending through the Messages API (sans-IO), webhook signature
//! verification, webhook parsing, TwiML for answering webhooks, and the voice
//! call flow ([`voice`]).
//!
//! Twilio signs every webhook with `X-Twilio-Signature`. [`RequestValidator`]
//! accepts exactly the signatures twilio-python's `RequestValidator` (9.13)
//! accepts — same URL variants, same parameter ordering, same JSON `bodySHA256`
//! rule — and refuses, rather than passes, whatever that library would raise on.
//! Comparisons are constant time.
//!
//! Where the URL comes from matters most: Twilio signs the URL it was told to
//! call, query string included. Behind a proxy, configure a [`PublicUrl`] (see
//! [`RequestValidator::with_public_url`]); when a signature fails,
//! [`url_variants`] shows the two URLs it could have covered.

mod algorithm;
pub mod env;
mod form;
mod host;
mod public_url;
mod python_url;
pub mod send;
mod signature;
pub mod twiml;
pub mod voice;
pub mod webhook;

pub use algorithm::Algorithm;
pub use public_url::PublicUrl;
pub use signature::{RequestValidator, SIGNATURE_HEADER, SIGNATURE_SETTINGS_HEADER, url_variants};
