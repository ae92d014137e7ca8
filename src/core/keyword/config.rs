//! A tenant's keyword configuration and how it is checked and compiled.
//!
//! SPEC §2 lets a tenant add keywords (other languages: ARRET, ALTO, …) and remove
//! defaults other than STOP, START and HELP. msgcore is stricter: **no default
//! opt-out keyword can be removed**, because the FCC treats those words as a
//! revocation of consent in themselves, whatever the tenant would prefer. Every
//! configured keyword is normalized exactly like a message, so `"Arrêt!"` and
//! `"ARRÊT"` configure the same keyword.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{KeywordAction, normalize};

/// A tenant's changes to the default keywords and its compliance choices.
///
/// The default is SPEC §2 as written: the default lists, possible revocations
/// flagged for an agent, the revocation phrases matched literally, keywords on SMS
/// only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct KeywordConfig {
    /// Extra opt-out keywords (`"ARRET"`, `"ALTO"`, …).
    pub opt_out: Vec<String>,
    /// Extra opt-in keywords.
    pub opt_in: Vec<String>,
    /// Extra help keywords.
    pub help: Vec<String>,
    /// Default keywords to drop. Only `SUBSCRIBE`, `UNSTOP`, `YES` and `INFO` may go.
    pub remove: Vec<String>,
    /// What to do with a possible revocation.
    pub possible_revocation: RevocationPolicy,
    /// Also match the revocation phrases that contain an apostrophe (`"don't text"`)
    /// when it is typed as `’` (U+2019, what phones' "smart punctuation" sends), `‘`
    /// (U+2018), `ʼ` (U+02BC) or `＇` (U+FF07).
    ///
    /// Off by default because SPEC §2 lists the phrases with `'` and says "contains";
    /// turning it on only adds possible revocations, never removes one.
    pub typographic_apostrophes: bool,
    /// Honour keywords on WhatsApp too (SMS always honours them).
    pub whatsapp: bool,
}

/// What to do with a message that reads like a revocation but is not a keyword.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevocationPolicy {
    /// Flag it for an agent to review (never ignore it).
    #[default]
    FlagForReview,
    /// Act on it as an opt-out.
    TreatAsOptOut,
}

/// Why a [`KeywordConfig`] was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeywordError {
    /// A configured keyword is nothing but white space and punctuation.
    #[error("keyword {input:?} is empty once white space and surrounding punctuation are removed")]
    Empty {
        /// The keyword as configured.
        input: String,
    },
    /// The same keyword (after normalization) was given two different actions.
    #[error("keyword {keyword:?} cannot be both {first} and {second}")]
    Conflict {
        /// The normalized keyword.
        keyword: String,
        /// The action it already had (a default's, or an earlier addition's).
        first: KeywordAction,
        /// The action it was given again.
        second: KeywordAction,
    },
    /// A default keyword that must stay was removed.
    #[error(
        "default {action} keyword {keyword:?} cannot be removed: carriers and the FCC \
         expect STOP, START, HELP and every default opt-out word to work"
    )]
    Protected {
        /// The normalized keyword.
        keyword: String,
        /// Its action.
        action: KeywordAction,
    },
    /// A removed keyword is not one of the defaults.
    #[error("{keyword:?} is not a default keyword, so it cannot be removed")]
    NotADefault {
        /// The normalized keyword.
        keyword: String,
    },
}

impl KeywordConfig {
    /// The default keywords with this configuration's removals and additions.
    pub(super) fn compile(&self) -> Result<HashMap<Box<str>, KeywordAction>, KeywordError> {
        let mut keywords = default_keywords();
        for input in &self.remove {
            let keyword = normalized(input)?;
            match default_action(&keyword) {
                None => return Err(KeywordError::NotADefault { keyword }),
                Some(action) if is_protected(&keyword, action) => {
                    return Err(KeywordError::Protected { keyword, action });
                }
                Some(_) => {
                    keywords.remove(keyword.as_str());
                }
            }
        }
        for (action, inputs) in self.additions() {
            for input in inputs {
                let keyword = normalized(input)?;
                match keywords.get(keyword.as_str()) {
                    Some(&first) if first != action => {
                        return Err(KeywordError::Conflict {
                            keyword,
                            first,
                            second: action,
                        });
                    }
                    _ => {
                        keywords.insert(keyword.into_boxed_str(), action);
                    }
                }
            }
        }
        Ok(keywords)
    }

    fn additions(&self) -> [(KeywordAction, &[String]); 3] {
        [
            (KeywordAction::OptOut, &self.opt_out),
            (KeywordAction::OptIn, &self.opt_in),
            (KeywordAction::Help, &self.help),
        ]
    }
}

/// Normalizes a configured keyword, refusing one that normalizes to nothing.
fn normalized(input: &str) -> Result<String, KeywordError> {
    let keyword = normalize(input);
    if keyword.is_empty() {
        return Err(KeywordError::Empty {
            input: input.to_owned(),
        });
    }
    Ok(keyword.into_owned())
}

/// The SPEC §2 lists, keyword → action.
pub(super) fn default_keywords() -> HashMap<Box<str>, KeywordAction> {
    KeywordAction::ALL
        .into_iter()
        .flat_map(|action| {
            action
                .defaults()
                .iter()
                .map(move |k| (Box::from(*k), action))
        })
        .collect()
}

fn default_action(keyword: &str) -> Option<KeywordAction> {
    KeywordAction::ALL
        .into_iter()
        .find(|action| action.defaults().contains(&keyword))
}

/// Every default opt-out word (the FCC's per-se revocations), START and HELP.
fn is_protected(keyword: &str, action: KeywordAction) -> bool {
    match action {
        KeywordAction::OptOut => true,
        KeywordAction::OptIn => keyword == "start",
        KeywordAction::Help => keyword == "help",
    }
}
