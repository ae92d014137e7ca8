//! Provider adapters. Each is a feature and needs no HTTP client: parsing and
//! signature checks work on the bytes you already have, and sending is sans-IO
//! ([`send_api::SendApi`]). The `http` feature adds the client that carries those
//! requests (`executor`) and the carrier built on it (`http_carrier`).

#[cfg(all(test, any(feature = "twilio", feature = "meta")))]
pub(crate) mod answer_fixture;
pub mod env_error;
#[cfg(any(feature = "twilio", feature = "telnyx"))]
mod env_vars;
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub mod executor;
pub mod http;
pub mod send_api;
#[cfg(any(feature = "twilio", feature = "telnyx", feature = "meta"))]
#[cfg_attr(
    docsrs,
    doc(cfg(any(feature = "twilio", feature = "telnyx", feature = "meta")))
)]
pub mod signature;
#[cfg(any(feature = "twilio", feature = "telnyx", feature = "meta"))]
#[cfg_attr(
    docsrs,
    doc(cfg(any(feature = "twilio", feature = "telnyx", feature = "meta")))
)]
pub mod webhook_error;

#[cfg(feature = "meta")]
#[cfg_attr(docsrs, doc(cfg(feature = "meta")))]
pub mod meta;
#[cfg(feature = "telnyx")]
#[cfg_attr(docsrs, doc(cfg(feature = "telnyx")))]
pub mod telnyx;
#[cfg(feature = "twilio")]
#[cfg_attr(docsrs, doc(cfg(feature = "twilio")))]
pub mod twilio;
