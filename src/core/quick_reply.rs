//! Quick replies: shortcuts such as `/greeting` that an agent types to insert a
//! saved message.
//!
//! The content is a [`Template`], so it may use the inbox variables
//! (`{{contact.name}}`, `{{org.name}}`, …). Shortcuts are compared without regard
//! to case (full Unicode case folding): `/Greeting` and `/greeting` are the same
//! shortcut, because an agent typing in the picker should not have to remember
//! how it was capitalized, and two shortcuts that differ only in case would be
//! indistinguishable in the picker. The shortcut keeps the spelling it was
//! created with for display.
//!
//! [`QuickReplies`] keeps them in a sorted map keyed by the folded shortcut, so
//! the picker's prefix lookup (`/gr` → every shortcut starting with it, in
//! order) is a range scan: cheap with thousands of entries.
//!
//! ```
//! use msgcore::core::quick_reply::{QuickReplies, QuickReply};
//! use msgcore::core::template::VariableSet;
//!
//! let inbox = VariableSet::inbox();
//! let mut replies = QuickReplies::new();
//! replies.insert(QuickReply::parse("/greeting", "Hi {{contact.firstName}}!", &inbox)?)?;
//! replies.insert(QuickReply::parse("/GoodBye", "Bye from {{org.name}}", &inbox)?)?;
//! replies.insert(QuickReply::parse("/hours", "We are open 9-5.", &inbox)?)?;
//!
//! let picked: Vec<&str> = replies.starting_with("/G").map(|r| r.shortcut().as_str()).collect();
//! assert_eq!(picked, ["/GoodBye", "/greeting"]);
//! assert!(replies.insert(QuickReply::parse("/Hours", "again", &inbox)?).is_err());
//! // A typo in a variable is caught when the reply is saved.
//! assert!(QuickReply::parse("/bye", "Bye {{contact.nmae}}", &inbox).is_err());
//! # Ok::<(), msgcore::core::quick_reply::QuickReplyError>(())
//! ```

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::fmt;
use std::ops::Bound;

use serde::{Deserialize, Serialize};

use crate::core::template::{Template, TemplateError, VariableSet};
use crate::core::text::{fold, is_white_space};

/// A validated shortcut: `/` followed by at least one character, none of them
/// white space or control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Shortcut(String);

impl Shortcut {
    /// Validates `text` as a shortcut.
    pub fn parse(text: &str) -> Result<Self, QuickReplyError> {
        let shortcut = || text.to_owned();
        let Some(rest) = text.strip_prefix('/') else {
            return Err(QuickReplyError::MissingSlash {
                shortcut: shortcut(),
            });
        };
        if rest.is_empty() {
            return Err(QuickReplyError::EmptyShortcut);
        }
        if rest.chars().any(|c| is_white_space(c) || c.is_control()) {
            return Err(QuickReplyError::WhiteSpace {
                shortcut: shortcut(),
            });
        }
        Ok(Shortcut(text.to_owned()))
    }

    /// The shortcut as created (`/Greeting`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key shortcuts are compared and sorted by.
    fn key(&self) -> String {
        fold(&self.0).into_owned()
    }
}

impl TryFrom<String> for Shortcut {
    type Error = QuickReplyError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Shortcut::parse(&text)
    }
}

impl From<Shortcut> for String {
    fn from(shortcut: Shortcut) -> Self {
        shortcut.0
    }
}

impl fmt::Display for Shortcut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A saved reply: a shortcut and the template it inserts.
///
/// Deserializing checks the shortcut and the template's syntax; check stored
/// content against the variables you support with
/// [`content().check(…)`](Template::check).
///
/// On the wire: `{"shortcut": "/greeting", "content": "Hi {{contact.name}}"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickReply {
    shortcut: Shortcut,
    content: Template,
}

impl QuickReply {
    /// A reply from an already validated shortcut and parsed content.
    pub fn new(shortcut: Shortcut, content: Template) -> Self {
        QuickReply { shortcut, content }
    }

    /// Validates the shortcut and parses the content, refusing variables not in
    /// `known` (usually [`VariableSet::inbox`]) so that a typo is caught when the
    /// reply is saved, not when a customer receives it.
    pub fn parse(
        shortcut: &str,
        content: &str,
        known: &VariableSet,
    ) -> Result<Self, QuickReplyError> {
        let shortcut = Shortcut::parse(shortcut)?;
        let content =
            Template::parse_with(content, known).map_err(|source| QuickReplyError::Content {
                shortcut: shortcut.0.clone(),
                source,
            })?;
        Ok(QuickReply { shortcut, content })
    }

    /// The shortcut.
    pub fn shortcut(&self) -> &Shortcut {
        &self.shortcut
    }

    /// The content, ready to render.
    pub fn content(&self) -> &Template {
        &self.content
    }
}

/// Why a quick reply cannot be created or added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QuickReplyError {
    /// The shortcut does not start with `/`.
    #[error("shortcut {shortcut:?} must start with `/`")]
    MissingSlash {
        /// The rejected shortcut.
        shortcut: String,
    },
    /// The shortcut is `/` alone.
    #[error("shortcut needs at least one character after `/`")]
    EmptyShortcut,
    /// The shortcut holds white space or a control character.
    #[error("shortcut {shortcut:?} must not hold white space or control characters")]
    WhiteSpace {
        /// The rejected shortcut.
        shortcut: String,
    },
    /// The content is not a valid template.
    #[error("content of {shortcut}: {source}")]
    Content {
        /// The reply's shortcut.
        shortcut: String,
        /// What is wrong with the content.
        source: TemplateError,
    },
    /// Another reply already has this shortcut, ignoring case.
    #[error("shortcut {shortcut:?} is already taken by {existing:?}")]
    Duplicate {
        /// The shortcut being added.
        shortcut: String,
        /// The existing shortcut it clashes with.
        existing: String,
    },
}

/// A tenant's quick replies, unique by shortcut (ignoring case), sorted for the picker.
///
/// Serializes as a list of replies, in order; deserializing rejects duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<QuickReply>", into = "Vec<QuickReply>")]
pub struct QuickReplies {
    by_key: BTreeMap<String, QuickReply>,
}

impl QuickReplies {
    /// No quick replies.
    pub fn new() -> Self {
        QuickReplies::default()
    }

    /// Adds a reply, unless its shortcut is taken.
    pub fn insert(&mut self, reply: QuickReply) -> Result<(), QuickReplyError> {
        match self.by_key.entry(reply.shortcut.key()) {
            Entry::Occupied(existing) => Err(QuickReplyError::Duplicate {
                shortcut: reply.shortcut.0,
                existing: existing.get().shortcut.0.clone(),
            }),
            Entry::Vacant(slot) => {
                slot.insert(reply);
                Ok(())
            }
        }
    }

    /// Removes and returns the reply with this shortcut (ignoring case).
    pub fn remove(&mut self, shortcut: &str) -> Option<QuickReply> {
        self.by_key.remove(fold(shortcut).as_ref())
    }

    /// The reply with this shortcut (ignoring case).
    pub fn get(&self, shortcut: &str) -> Option<&QuickReply> {
        self.by_key.get(fold(shortcut).as_ref())
    }

    /// Every reply whose shortcut starts with `typed` (ignoring case), in order:
    /// what the picker shows as the agent types.
    pub fn starting_with(&self, typed: &str) -> impl Iterator<Item = &QuickReply> {
        let prefix = fold(typed).into_owned();
        self.by_key
            .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
            .take_while(move |(key, _)| key.starts_with(prefix.as_str()))
            .map(|(_, reply)| reply)
    }

    /// Every reply, in order.
    pub fn iter(&self) -> impl Iterator<Item = &QuickReply> {
        self.by_key.values()
    }

    /// How many replies there are.
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

impl TryFrom<Vec<QuickReply>> for QuickReplies {
    type Error = QuickReplyError;

    fn try_from(replies: Vec<QuickReply>) -> Result<Self, Self::Error> {
        let mut all = QuickReplies::new();
        for reply in replies {
            all.insert(reply)?;
        }
        Ok(all)
    }
}

impl From<QuickReplies> for Vec<QuickReply> {
    fn from(replies: QuickReplies) -> Self {
        replies.by_key.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::core::template::{InboxVariables, MissingPolicy};

    fn replies(shortcuts: &[&str]) -> QuickReplies {
        let mut all = QuickReplies::new();
        for shortcut in shortcuts {
            all.insert(QuickReply::parse(shortcut, "text", &VariableSet::inbox()).unwrap())
                .unwrap();
        }
        all
    }

    fn shortcuts<'a>(found: impl Iterator<Item = &'a QuickReply>) -> Vec<&'a str> {
        found.map(|reply| reply.shortcut().as_str()).collect()
    }

    #[test]
    fn shortcuts_start_with_a_slash_and_hold_no_white_space() {
        assert!(Shortcut::parse("/greeting").is_ok());
        assert!(Shortcut::parse("/größe-2").is_ok());
        assert_eq!(
            Shortcut::parse("greeting"),
            Err(QuickReplyError::MissingSlash {
                shortcut: "greeting".to_owned()
            })
        );
        assert_eq!(Shortcut::parse("/"), Err(QuickReplyError::EmptyShortcut));
        for bad in ["/good morning", "/a\u{00A0}b", "/a\u{0007}"] {
            assert!(
                matches!(
                    Shortcut::parse(bad),
                    Err(QuickReplyError::WhiteSpace { .. })
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn shortcuts_are_unique_ignoring_case() {
        let mut all = replies(&["/Greeting"]);
        let error = all
            .insert(QuickReply::parse("/GREETING", "x", &VariableSet::new()).unwrap())
            .unwrap_err();
        assert_eq!(
            error,
            QuickReplyError::Duplicate {
                shortcut: "/GREETING".to_owned(),
                existing: "/Greeting".to_owned()
            }
        );
        assert_eq!(
            all.get("/greeting").unwrap().shortcut().as_str(),
            "/Greeting"
        );
    }

    #[test]
    fn the_picker_lists_every_shortcut_with_the_typed_prefix_in_order() {
        let all = replies(&["/hours", "/greeting", "/Great", "/gr", "/g", "/grü", "/x"]);
        assert_eq!(
            shortcuts(all.starting_with("/gr")),
            ["/gr", "/Great", "/greeting", "/grü"]
        );
        assert_eq!(
            shortcuts(all.starting_with("/GRE")),
            ["/Great", "/greeting"]
        );
        assert_eq!(shortcuts(all.starting_with("/")).len(), 7);
        assert!(all.starting_with("/z").next().is_none());
        assert!(all.starting_with("gr").next().is_none());
    }

    #[test]
    fn content_with_a_bad_template_names_the_shortcut() {
        let inbox = VariableSet::inbox();
        let error = QuickReply::parse("/hi", "Hi {{contact.name", &inbox).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("content of /hi: `{{` at line 1, column 4"),
            "{error}"
        );
        let error = QuickReply::parse("/hi", "Hi {{contact.nmae}}", &inbox).unwrap_err();
        assert!(matches!(
            error,
            QuickReplyError::Content {
                source: TemplateError::UnknownVariable { .. },
                ..
            }
        ));
    }

    #[test]
    fn a_quick_reply_renders_with_the_inbox_variables() {
        let shortcut = Shortcut::parse("/greeting").unwrap();
        let content = Template::parse("Hi {{contact.firstName}}, {{agent.name}} here.").unwrap();
        let reply = QuickReply::new(shortcut, content);
        let now = chrono::DateTime::UNIX_EPOCH;
        let vars = InboxVariables::at(&now)
            .contact_name("Jane Doe")
            .agent_name("Sam");
        assert_eq!(
            reply
                .content()
                .render(&vars, &MissingPolicy::Error)
                .unwrap(),
            "Hi Jane, Sam here."
        );
    }

    #[test]
    fn quick_replies_round_trip_through_json_and_refuse_duplicates() {
        let all = replies(&["/b", "/a"]);
        let json = serde_json::to_string(&all).unwrap();
        assert_eq!(
            json,
            r#"[{"shortcut":"/a","content":"text"},{"shortcut":"/b","content":"text"}]"#
        );
        assert_eq!(serde_json::from_str::<QuickReplies>(&json).unwrap(), all);
        let duplicate = r#"[{"shortcut":"/a","content":"x"},{"shortcut":"/A","content":"y"}]"#;
        assert!(serde_json::from_str::<QuickReplies>(duplicate).is_err());
        assert!(serde_json::from_str::<QuickReply>(r#"{"shortcut":"a","content":"x"}"#).is_err());
    }

    proptest! {
        #[test]
        fn prefix_lookup_equals_filtering_every_shortcut(
            names in prop::collection::btree_set("[a-cA-C]{1,4}", 0..40),
            typed in "/[a-cA-C]{0,3}",
        ) {
            let mut all = QuickReplies::new();
            for name in &names {
                let _ = all.insert(QuickReply::parse(&format!("/{name}"), "x", &VariableSet::new()).unwrap());
            }
            let expected: Vec<&str> = all
                .iter()
                .map(|reply| reply.shortcut().as_str())
                .filter(|shortcut| shortcut.to_lowercase().starts_with(&typed.to_lowercase()))
                .collect();
            prop_assert_eq!(shortcuts(all.starting_with(&typed)), expected);
        }
    }
}
