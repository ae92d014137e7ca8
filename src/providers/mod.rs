//! Provider adapters. Each is a feature and needs no HTTP client: parsing and
//! signature checks work on the bytes you already have.

pub mod env_error;
#[cfg(any(feature = "twilio", feature = "telnyx"))]
mod env_vars;
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
