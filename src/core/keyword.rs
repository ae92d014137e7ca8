//! Compliance keywords: STOP, START, HELP and their kin (SPEC §2).
//!
//! A carrier expects a business to honour `STOP` the moment it arrives, and the FCC
//! reads a handful of other words (`REVOKE`, `OPT OUT`, …) as a revocation of consent
//! in themselves. Missing one costs real money, so the matching rules here are exact
//! and written down once:
//!
//! 1. **Normalize** the whole message ([`normalize`]): strip Unicode `White_Space`
//!    and punctuation (general category `P*`: `.`, `!`, `¡`, quotes, brackets, …)
//!    from both ends until neither end has any, collapse every inner run of white
//!    space to one space, then apply full Unicode case folding (what Python's
//!    `str.casefold` does, so `ſtop` is `stop`). Inner punctuation stays: `opt-out`.
//! 2. **Keyword**: the normalized message *is* a keyword of the tenant's
//!    [`KeywordSet`]. `" Stop. "` is STOP; `"stopwatch"`, `"weekend"` and
//!    `"stop it"` are not.
//! 3. **Possible revocation**, only when no keyword matched: (a) the first or the last
//!    word, with its own surrounding punctuation stripped, is an opt-out keyword
//!    (`"please stop"`, `"STOP!!! now"`), or (b) the normalized message contains one
//!    of [`REVOCATION_PHRASES`] (`"please remove me from this list"`). The FCC judges
//!    such replies by the totality of the circumstances, so they are never ignored:
//!    by default they are flagged for an agent, and a tenant may treat them as
//!    opt-outs ([`RevocationPolicy`]).
//!
//! The keyword lists are compiled once per tenant into a [`KeywordSet`] (a hash map
//! of normalized keywords; the phrases are one Aho-Corasick automaton shared by every
//! tenant), so [`KeywordSet::classify`] costs one normalization, one hash lookup, two
//! word lookups and one linear scan.
//!
//! ```
//! use msgcore::core::keyword::{Classification, KeywordAction, KeywordSet};
//!
//! let keywords = KeywordSet::default();
//! assert_eq!(keywords.classify(" Stop. ").action(), Some(KeywordAction::OptOut));
//! assert_eq!(keywords.classify("¿INFO?").action(), Some(KeywordAction::Help));
//! assert_eq!(keywords.classify("stopwatch"), Classification::Ordinary);
//!
//! let reply = keywords.classify("Please stop texting me");
//! assert!(reply.is_possible_revocation());
//! assert_eq!(reply.action(), None); // flagged for an agent, not acted on
//! assert_eq!(
//!     serde_json::to_string(&reply.verdict()).unwrap(),
//!     r#"{"action":"none","possible_revocation":true}"#,
//! );
//! ```

mod config;
mod revocation;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::channel::Channel;
use super::text::{collapse_white_space, fold, trim_white_space_and_punctuation};

pub use config::{KeywordConfig, KeywordError, RevocationPolicy};
pub use revocation::{REVOCATION_PHRASES, RevocationCue};

/// The default opt-out keywords, normalized: Twilio's list, the FCC's per-se
/// revocation words and Telnyx's. None of them can be removed.
pub const DEFAULT_OPT_OUT: [&str; 11] = [
    "stop",
    "stopall",
    "stop all",
    "unsubscribe",
    "cancel",
    "end",
    "quit",
    "revoke",
    "optout",
    "opt out",
    "opt-out",
];

/// The default opt-in keywords, normalized. Only `start` cannot be removed.
pub const DEFAULT_OPT_IN: [&str; 4] = ["start", "subscribe", "unstop", "yes"];

/// The default help keywords, normalized. Only `help` cannot be removed.
pub const DEFAULT_HELP: [&str; 2] = ["help", "info"];

/// What a keyword asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeywordAction {
    /// Stop sending on this channel (STOP, UNSUBSCRIBE, …).
    OptOut,
    /// Resume sending on this channel (START, UNSTOP, …).
    OptIn,
    /// Reply with the tenant's help text (HELP, INFO).
    Help,
}

impl KeywordAction {
    /// Every action, in a stable order.
    pub const ALL: [KeywordAction; 3] = [
        KeywordAction::OptOut,
        KeywordAction::OptIn,
        KeywordAction::Help,
    ];

    /// The stable wire name: `"opt_out"`, `"opt_in"` or `"help"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            KeywordAction::OptOut => "opt_out",
            KeywordAction::OptIn => "opt_in",
            KeywordAction::Help => "help",
        }
    }

    /// The normalized default keywords for this action.
    pub const fn defaults(self) -> &'static [&'static str] {
        match self {
            KeywordAction::OptOut => &DEFAULT_OPT_OUT,
            KeywordAction::OptIn => &DEFAULT_OPT_IN,
            KeywordAction::Help => &DEFAULT_HELP,
        }
    }
}

impl fmt::Display for KeywordAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Normalizes a message (or a configured keyword) the way SPEC §2 compares them.
///
/// Strips white space and punctuation from both ends until neither end has any,
/// collapses inner white space to single spaces, and case-folds. Borrows when the
/// text is already normalized.
///
/// ```
/// use msgcore::core::keyword::normalize;
/// assert_eq!(normalize(" ¡¡STOP\u{3000}ALL!! "), "stop all");
/// assert_eq!(normalize("«Opt-Out»"), "opt-out");
/// assert_eq!(normalize("ſtop"), "stop");
/// ```
pub fn normalize(text: &str) -> Cow<'_, str> {
    match collapse_white_space(trim_white_space_and_punctuation(text)) {
        Cow::Borrowed(collapsed) => fold(collapsed),
        Cow::Owned(collapsed) => match fold(&collapsed) {
            Cow::Borrowed(_) => Cow::Owned(collapsed),
            Cow::Owned(folded) => Cow::Owned(folded),
        },
    }
}

/// A tenant's compiled keywords: the defaults, minus what it removed, plus what it
/// added, and its policy for possible revocations.
///
/// Build it once per tenant configuration ([`KeywordSet::new`]) and reuse it:
/// classifying is then cheap and allocation-free for plain ASCII lowercase text.
#[derive(Debug, Clone)]
pub struct KeywordSet {
    /// Normalized keyword → action. Words never contain a space, so single-word
    /// lookups (rule (a)) can share this map with whole-message lookups.
    keywords: HashMap<Box<str>, KeywordAction>,
    /// The longest keyword in bytes: a longer message cannot be a keyword.
    longest: usize,
    policy: RevocationPolicy,
    typographic_apostrophes: bool,
    whatsapp: bool,
}

impl Default for KeywordSet {
    /// The SPEC §2 lists, possible revocations flagged for an agent, SMS only.
    fn default() -> Self {
        KeywordSet::from_parts(config::default_keywords(), &KeywordConfig::default())
    }
}

impl KeywordSet {
    /// Compiles a tenant's configuration, refusing empty, conflicting or forbidden
    /// changes (see [`KeywordConfig`]).
    ///
    /// ```
    /// use msgcore::core::keyword::{KeywordAction, KeywordConfig, KeywordSet};
    ///
    /// let config = KeywordConfig {
    ///     opt_out: vec!["ARRÊT".into(), "Alto".into()],
    ///     remove: vec!["YES".into()],
    ///     ..KeywordConfig::default()
    /// };
    /// let keywords = KeywordSet::new(&config)?;
    /// assert_eq!(keywords.classify("arrêt!").action(), Some(KeywordAction::OptOut));
    /// assert_eq!(keywords.classify("yes").action(), None);
    /// # Ok::<(), msgcore::core::keyword::KeywordError>(())
    /// ```
    pub fn new(config: &KeywordConfig) -> Result<Self, KeywordError> {
        let keywords = config.compile()?;
        Ok(KeywordSet::from_parts(keywords, config))
    }

    fn from_parts(keywords: HashMap<Box<str>, KeywordAction>, config: &KeywordConfig) -> Self {
        let longest = keywords.keys().map(|k| k.len()).max().unwrap_or(0);
        KeywordSet {
            keywords,
            longest,
            policy: config.possible_revocation,
            typographic_apostrophes: config.typographic_apostrophes,
            whatsapp: config.whatsapp,
        }
    }

    /// Classifies one inbound message.
    ///
    /// ```
    /// use msgcore::core::keyword::{Classification, KeywordAction, KeywordSet, RevocationCue};
    ///
    /// let keywords = KeywordSet::default();
    /// assert_eq!(
    ///     keywords.classify("  OPT-OUT  "),
    ///     Classification::Keyword { action: KeywordAction::OptOut, keyword: "opt-out" },
    /// );
    /// assert_eq!(
    ///     keywords.classify("Unsubscribe, thanks"),
    ///     Classification::PossibleRevocation {
    ///         cue: RevocationCue::FirstWord("unsubscribe"),
    ///         treated_as_opt_out: false,
    ///     },
    /// );
    /// ```
    pub fn classify(&self, text: &str) -> Classification<'_> {
        let normalized = normalize(text);
        if let Some((keyword, action)) = self.keyword(&normalized) {
            return Classification::Keyword { action, keyword };
        }
        match self.revocation_cue(&normalized) {
            Some(cue) => Classification::PossibleRevocation {
                cue,
                treated_as_opt_out: self.policy == RevocationPolicy::TreatAsOptOut,
            },
            None => Classification::Ordinary,
        }
    }

    /// Whether keywords are honoured on `channel`: always on SMS, on WhatsApp only
    /// where the tenant enabled it ([`KeywordConfig::whatsapp`]).
    pub fn applies_to(&self, channel: Channel) -> bool {
        match channel {
            Channel::Sms => true,
            Channel::WhatsApp => self.whatsapp,
        }
    }

    /// Every keyword of the set, normalized, with its action (in no particular order).
    pub fn keywords(&self) -> impl Iterator<Item = (&str, KeywordAction)> + '_ {
        self.keywords.iter().map(|(k, a)| (&**k, *a))
    }

    /// The keyword `normalized` is, if any, borrowed from the set.
    fn keyword(&self, normalized: &str) -> Option<(&str, KeywordAction)> {
        if normalized.len() > self.longest {
            return None;
        }
        self.keywords
            .get_key_value(normalized)
            .map(|(k, a)| (&**k, *a))
    }
}

/// What an inbound message means for compliance, with the evidence.
///
/// A message is exactly one of: a keyword, a possible revocation (only when no
/// keyword matched), or ordinary. [`Classification::verdict`] gives the short wire
/// form that `msgctl keyword` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Classification<'k> {
    /// The whole normalized message is a keyword.
    Keyword {
        /// What the keyword asks for.
        action: KeywordAction,
        /// The keyword that matched, normalized.
        keyword: &'k str,
    },
    /// No keyword matched, but the message reads like a revocation of consent.
    PossibleRevocation {
        /// What made it look like one.
        cue: RevocationCue<'k>,
        /// Whether the tenant's policy acts on it as an opt-out (otherwise an agent
        /// reviews it).
        treated_as_opt_out: bool,
    },
    /// Neither a keyword nor a possible revocation.
    Ordinary,
}

impl Classification<'_> {
    /// What to do now: the keyword's action, [`KeywordAction::OptOut`] for a possible
    /// revocation the tenant treats as one, otherwise `None`.
    pub fn action(&self) -> Option<KeywordAction> {
        match *self {
            Classification::Keyword { action, .. } => Some(action),
            Classification::PossibleRevocation {
                treated_as_opt_out: true,
                ..
            } => Some(KeywordAction::OptOut),
            Classification::PossibleRevocation { .. } | Classification::Ordinary => None,
        }
    }

    /// Whether the message is a possible revocation (whatever the tenant's policy).
    pub fn is_possible_revocation(&self) -> bool {
        matches!(self, Classification::PossibleRevocation { .. })
    }

    /// The short wire form: `{"action": …}` plus `"possible_revocation": true`.
    pub fn verdict(&self) -> Verdict {
        Verdict {
            action: self.action(),
            possible_revocation: self.is_possible_revocation(),
        }
    }
}

/// The short form of a [`Classification`], as `msgctl keyword` prints it:
/// `{"action": "opt_out"|"opt_in"|"help"|"none"}`, plus
/// `"possible_revocation": true` only for a possible revocation.
///
/// ```
/// use msgcore::core::keyword::{KeywordSet, Verdict};
///
/// let verdict = KeywordSet::default().classify("HELP").verdict();
/// let json = serde_json::to_string(&verdict).unwrap();
/// assert_eq!(json, r#"{"action":"help"}"#);
/// assert_eq!(serde_json::from_str::<Verdict>(&json).unwrap(), verdict);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// What to do now (`"none"` on the wire when nothing).
    #[serde(with = "action_or_none")]
    pub action: Option<KeywordAction>,
    /// Whether the message is a possible revocation.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub possible_revocation: bool,
}

/// Writes `None` as `"none"`, next to the actions' own wire names.
mod action_or_none {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    use super::KeywordAction;

    const NONE: &str = "none";

    pub(super) fn serialize<S: Serializer>(
        action: &Option<KeywordAction>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(action.map_or(NONE, KeywordAction::as_str))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<KeywordAction>, D::Error> {
        let name = String::deserialize(deserializer)?;
        if name == NONE {
            return Ok(None);
        }
        KeywordAction::ALL
            .into_iter()
            .find(|action| action.as_str() == name)
            .map(Some)
            .ok_or_else(|| D::Error::unknown_variant(&name, &["opt_out", "opt_in", "help", NONE]))
    }
}

#[cfg(test)]
mod tests;
