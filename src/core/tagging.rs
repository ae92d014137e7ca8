//! Auto-tagging: rules that add a tag to a contact when an inbound message
//! contains, equals or starts with a word.
//!
//! A tenant may have thousands of rules and every inbound message is checked
//! against all of them, so [`TagRules::compile`] builds the rule set once and the
//! cost per message does not grow with the number of rules:
//!
//! - `contains` and `starts_with` patterns go into one Aho-Corasick automaton,
//!   searched with overlapping matches so that every pattern present is seen
//!   (including one inside another: `order` within `reorder`). A match that begins
//!   at the first byte is also a `starts_with` match, which makes the same
//!   automaton serve as the anchored one. The search costs the length of the
//!   message plus the matches found.
//! - `exact` patterns go into a hash map, looked up once.
//!
//! Matching is case-insensitive on [normalized](normalize) text: full Unicode case
//! folding (`ORDER`, `order` and `Order` agree; `STRASSE` matches `straße`) and
//! white space trimmed, with inner runs collapsed to one space. Patterns are
//! normalized the same way, so `exact` compares the trimmed text. Tags come out
//! once each, in the order of the rules that added them: a tag's place is that of
//! the first rule (in the order the rules were given) that matched and adds it.
//!
//! ```
//! use msgcore::core::tagging::TagRules;
//!
//! let rules: TagRules = serde_json::from_str(r#"[
//!     {"kind": "contains", "pattern": "order", "tag": "buyer"},
//!     {"kind": "exact", "pattern": "PROMO", "tag": "promo"},
//!     {"kind": "startsWith", "pattern": "REF", "tag": "referral"}
//! ]"#)?;
//! assert_eq!(rules.tags("ref: my  ORDER is late"), ["buyer", "referral"]);
//! assert_eq!(rules.tags("  promo "), ["promo"]);
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use aho_corasick::AhoCorasick;
use serde::{Deserialize, Serialize};

use crate::core::text::{collapse_white_space, fold};

/// How a rule's pattern must appear in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// Anywhere in the message.
    Contains,
    /// The whole message, trimmed.
    Exact,
    /// At the start of the message (also accepted as `startsWith` on the wire).
    #[serde(alias = "startsWith")]
    StartsWith,
}

/// One auto-tagging rule: a message that matches `pattern` gets `tag`.
///
/// On the wire: `{"kind": "contains", "pattern": "order", "tag": "buyer"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TagRule {
    /// How the pattern must appear.
    pub kind: MatchKind,
    /// The text to look for (normalized before matching).
    pub pattern: String,
    /// The tag to add, as given (tags are labels: `VIP` and `vip` are two tags).
    pub tag: String,
}

/// Why a rule set cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TaggingError {
    /// A rule's pattern is empty or only white space: it would match every message.
    #[error("rule {rule} has an empty pattern")]
    EmptyPattern {
        /// The rule's index in the list given, from 0.
        rule: usize,
    },
    /// A rule's tag is empty or only white space.
    #[error("rule {rule} has an empty tag")]
    EmptyTag {
        /// The rule's index in the list given, from 0.
        rule: usize,
    },
    /// The patterns are too many or too long for the automaton.
    #[error("the rule set is too large to compile: {reason}")]
    TooLarge {
        /// What the automaton builder reported.
        reason: String,
    },
}

/// A compiled rule set: build once per tenant, then call [`tags`](Self::tags) on
/// every inbound message.
///
/// Serializes as the list of rules; deserializing compiles them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "Vec<TagRule>", into = "Vec<TagRule>")]
pub struct TagRules {
    rules: Vec<TagRule>,
    /// Every distinct `contains` or `starts_with` pattern.
    searcher: AhoCorasick,
    /// For each searcher pattern, the rules it serves.
    by_pattern: Vec<PatternRules>,
    /// For each distinct `exact` pattern, the rules it serves.
    exact: HashMap<String, Vec<usize>>,
}

/// The rules, by index, that one searcher pattern serves.
#[derive(Debug, Clone, Default)]
struct PatternRules {
    contains: Vec<usize>,
    starts_with: Vec<usize>,
}

impl TagRules {
    /// Compiles `rules`, or names the first rule with an empty pattern or tag.
    pub fn compile(rules: Vec<TagRule>) -> Result<Self, TaggingError> {
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_ids: HashMap<String, usize> = HashMap::new();
        let mut by_pattern: Vec<PatternRules> = Vec::new();
        let mut exact: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, rule) in rules.iter().enumerate() {
            let pattern = normalize(&rule.pattern).into_owned();
            if pattern.is_empty() {
                return Err(TaggingError::EmptyPattern { rule: index });
            }
            if collapse_white_space(&rule.tag).is_empty() {
                return Err(TaggingError::EmptyTag { rule: index });
            }
            if rule.kind == MatchKind::Exact {
                exact.entry(pattern).or_default().push(index);
                continue;
            }
            let id = *pattern_ids.entry(pattern).or_insert_with_key(|pattern| {
                patterns.push(pattern.clone());
                by_pattern.push(PatternRules::default());
                patterns.len() - 1
            });
            if let Some(served) = by_pattern.get_mut(id) {
                match rule.kind {
                    MatchKind::StartsWith => served.starts_with.push(index),
                    _ => served.contains.push(index),
                }
            }
        }
        let searcher = AhoCorasick::new(&patterns).map_err(|error| TaggingError::TooLarge {
            reason: error.to_string(),
        })?;
        Ok(TagRules {
            rules,
            searcher,
            by_pattern,
            exact,
        })
    }

    /// The tags `text` earns, each once, in rule order.
    pub fn tags(&self, text: &str) -> Vec<&str> {
        let mut matched = self.matching_rules(&normalize(text));
        matched.sort_unstable();
        matched.dedup();
        let mut seen = HashSet::new();
        matched
            .into_iter()
            .filter_map(|index| self.rules.get(index))
            .map(|rule| rule.tag.as_str())
            .filter(|tag| seen.insert(*tag))
            .collect()
    }

    /// The indices of the rules `normalized` matches, unordered, possibly repeated.
    fn matching_rules(&self, normalized: &str) -> Vec<usize> {
        let mut anywhere = Vec::new();
        let mut at_start = Vec::new();
        for found in self.searcher.find_overlapping_iter(normalized) {
            anywhere.push(found.pattern().as_usize());
            if found.start() == 0 {
                at_start.push(found.pattern().as_usize());
            }
        }
        // A pattern found many times serves its rules once.
        anywhere.sort_unstable();
        anywhere.dedup();
        let mut matched: Vec<usize> = self.exact.get(normalized).cloned().unwrap_or_default();
        for served in anywhere.iter().filter_map(|&id| self.by_pattern.get(id)) {
            matched.extend(&served.contains);
        }
        for served in at_start.iter().filter_map(|&id| self.by_pattern.get(id)) {
            matched.extend(&served.starts_with);
        }
        matched
    }

    /// The rules, as given.
    pub fn rules(&self) -> &[TagRule] {
        &self.rules
    }
}

impl TryFrom<Vec<TagRule>> for TagRules {
    type Error = TaggingError;

    fn try_from(rules: Vec<TagRule>) -> Result<Self, Self::Error> {
        TagRules::compile(rules)
    }
}

impl From<TagRules> for Vec<TagRule> {
    fn from(rules: TagRules) -> Self {
        rules.rules
    }
}

/// The text rules are matched against: white space trimmed and inner runs
/// collapsed to one space, then fully case-folded.
///
/// ```
/// use msgcore::core::tagging::normalize;
///
/// assert_eq!(normalize("  Straße\t\n NOW "), "strasse now");
/// ```
pub fn normalize(text: &str) -> Cow<'_, str> {
    match collapse_white_space(text) {
        Cow::Borrowed(collapsed) => fold(collapsed),
        Cow::Owned(collapsed) => Cow::Owned(fold(&collapsed).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(kind: MatchKind, pattern: &str, tag: &str) -> TagRule {
        TagRule {
            kind,
            pattern: pattern.to_owned(),
            tag: tag.to_owned(),
        }
    }

    fn compile(rules: &[(MatchKind, &str, &str)]) -> TagRules {
        let rules = rules
            .iter()
            .map(|&(kind, pattern, tag)| rule(kind, pattern, tag));
        TagRules::compile(rules.collect()).unwrap()
    }

    #[test]
    fn the_seed_rules_tag_as_the_seed_says() {
        let rules = compile(&[
            (MatchKind::Contains, "order", "buyer"),
            (MatchKind::Exact, "PROMO", "promo"),
            (MatchKind::StartsWith, "REF", "referral"),
        ]);
        assert_eq!(rules.tags("Where is my Order?"), ["buyer"]);
        assert_eq!(rules.tags("promo"), ["promo"]);
        assert!(rules.tags("promo code").is_empty());
        assert_eq!(rules.tags("REF123 sent me"), ["referral"]);
        assert!(rules.tags("my ref is 123").is_empty());
    }

    #[test]
    fn matching_ignores_case_and_white_space_runs() {
        let rules = compile(&[
            (MatchKind::Contains, "new  ORDER", "a"),
            (MatchKind::Exact, " Stop all ", "b"),
            (MatchKind::StartsWith, "straße", "c"),
        ]);
        assert_eq!(rules.tags("a NEW\n\torder"), ["a"]);
        assert_eq!(rules.tags("\u{00A0}STOP   ALL\n"), ["b"]);
        assert_eq!(rules.tags("  STRASSE 5"), ["c"]);
    }

    #[test]
    fn tags_come_once_each_in_rule_order_not_text_order() {
        let rules = compile(&[
            (MatchKind::Contains, "zebra", "z"),
            (MatchKind::Contains, "apple", "a"),
            (MatchKind::Contains, "apple", "z"),
            (MatchKind::StartsWith, "apple", "s"),
            (MatchKind::Contains, "ppl", "a"),
        ]);
        assert_eq!(rules.tags("apple apple zebra"), ["z", "a", "s"]);
        assert_eq!(rules.tags("an apple"), ["a", "z"]);
    }

    #[test]
    fn overlapping_patterns_are_all_found() {
        let rules = compile(&[
            (MatchKind::Contains, "reorder", "r"),
            (MatchKind::Contains, "order", "o"),
            (MatchKind::Contains, "der", "d"),
            (MatchKind::StartsWith, "re", "s"),
            (MatchKind::StartsWith, "reo", "t"),
        ]);
        assert_eq!(rules.tags("reorder"), ["r", "o", "d", "s", "t"]);
    }

    #[test]
    fn empty_patterns_and_tags_name_the_rule() {
        let empty_pattern = TagRules::compile(vec![
            rule(MatchKind::Contains, "a", "t"),
            rule(MatchKind::Exact, " \n", "t"),
        ]);
        assert_eq!(
            empty_pattern.unwrap_err(),
            TaggingError::EmptyPattern { rule: 1 }
        );
        let empty_tag = TagRules::compile(vec![rule(MatchKind::StartsWith, "a", " ")]);
        assert_eq!(
            empty_tag.unwrap_err().to_string(),
            "rule 0 has an empty tag"
        );
    }

    #[test]
    fn an_empty_rule_set_tags_nothing() {
        assert!(
            TagRules::compile(Vec::new())
                .unwrap()
                .tags("anything")
                .is_empty()
        );
    }

    #[test]
    fn rules_deserialize_from_the_wire_form_and_serialize_back() {
        let rules: TagRules = serde_json::from_str(
            r#"[{"kind": "contains", "pattern": "order", "tag": "buyer"},
                {"kind": "starts_with", "pattern": "ref", "tag": "r"},
                {"kind": "startsWith", "pattern": "x", "tag": "x"}]"#,
        )
        .unwrap();
        assert_eq!(rules.rules()[1].kind, MatchKind::StartsWith);
        assert_eq!(rules.rules()[2].kind, MatchKind::StartsWith);
        let json = serde_json::to_string(&rules.rules()[..2]).unwrap();
        assert_eq!(
            json,
            r#"[{"kind":"contains","pattern":"order","tag":"buyer"},{"kind":"starts_with","pattern":"ref","tag":"r"}]"#
        );
        let error =
            serde_json::from_str::<TagRules>(r#"[{"kind": "exact", "pattern": "", "tag": "t"}]"#);
        assert!(
            error
                .unwrap_err()
                .to_string()
                .contains("rule 0 has an empty pattern")
        );
    }
}
