//! # msgcore
//!
//! Business messaging over SMS and WhatsApp, as a library.
//!
//! (The guided tour is written as each part lands.)
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod core;
pub mod error;
pub mod providers;

pub use crate::core::channel::Channel;
pub use crate::core::phone::{E164, PhoneError};
pub use crate::error::{Error, ErrorKind};
