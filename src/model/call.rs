//! Voice calls, provider-neutral: what a caller said, and a call's status to log.

use serde::{Deserialize, Serialize};

use super::inbound::TenantRef;
use super::tenant::ProviderName;
use crate::core::phone::E164;

/// What a caller said on a call, to be answered by a responder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallSpeech {
    /// The tenant called.
    pub tenant: TenantRef,
    /// The provider that carries the call.
    pub provider: ProviderName,
    /// The provider's id for the call.
    pub call: String,
    /// The caller's number.
    pub from: E164,
    /// What the caller said, transcribed.
    pub text: String,
}

/// A call's status as the provider reported it, to be logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallLog {
    /// The provider that carried the call.
    pub provider: ProviderName,
    /// The provider's id for the call.
    pub call: String,
    /// The caller's number.
    pub from: E164,
    /// The number called, when the provider said.
    pub to: Option<E164>,
    /// The status, as the provider names it (`completed`, `busy`, …).
    pub status: String,
    /// How long the call lasted, when it ended.
    pub duration_seconds: Option<u32>,
}
