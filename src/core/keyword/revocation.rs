//! Possible revocations: replies that are not a keyword but read like one.
//!
//! SPEC §2 names two cues, checked in this order once no keyword matched: (a) the
//! first, then the last, word of the normalized message is an opt-out keyword once
//! its own surrounding punctuation is stripped (`"STOP!!! now"`, `"please stop."`);
//! (b) the normalized message contains one of [`REVOCATION_PHRASES`], as a plain
//! substring (so `"remove me"` also matches `"remove meat"`: a false alarm costs an
//! agent a glance, a missed revocation costs a lawsuit). The phrases are the same
//! for every tenant, so their Aho-Corasick automaton is built once per process.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Serialize;

use super::{KeywordAction, KeywordSet};
use crate::core::text::trim_white_space_and_punctuation;

/// The phrases of SPEC §2 whose presence anywhere in a normalized message makes it a
/// possible revocation.
pub const REVOCATION_PHRASES: [&str; 18] = [
    "stop texting",
    "stop messaging",
    "stop sending",
    "stop contacting",
    "remove me",
    "take me off",
    "leave me alone",
    "don't text",
    "dont text",
    "do not text",
    "don't message",
    "do not message",
    "do not contact",
    "don't contact",
    "no more texts",
    "no more messages",
    "opt me out",
    "unsubscribe me",
];

/// The apostrophes [`super::KeywordConfig::typographic_apostrophes`] accepts in
/// place of `'`.
const TYPOGRAPHIC_APOSTROPHES: [char; 4] = ['\u{2019}', '\u{2018}', '\u{02BC}', '\u{FF07}'];

/// What made a message a possible revocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RevocationCue<'k> {
    /// The first word is this opt-out keyword.
    FirstWord(&'k str),
    /// The last word is this opt-out keyword.
    LastWord(&'k str),
    /// The message contains this phrase (the leftmost one, if several).
    Phrase(&'static str),
}

impl KeywordSet {
    /// The first cue SPEC §2 finds in a normalized message that is not a keyword.
    pub(super) fn revocation_cue(&self, normalized: &str) -> Option<RevocationCue<'_>> {
        let mut words = normalized.split(' ');
        if let Some(keyword) = words.next().and_then(|word| self.opt_out_word(word)) {
            return Some(RevocationCue::FirstWord(keyword));
        }
        if let Some(keyword) = words.next_back().and_then(|word| self.opt_out_word(word)) {
            return Some(RevocationCue::LastWord(keyword));
        }
        let phrases: &Phrases = if self.typographic_apostrophes {
            &WITH_TYPOGRAPHIC_APOSTROPHES
        } else {
            &LITERAL
        };
        phrases.leftmost(normalized).map(RevocationCue::Phrase)
    }

    /// The opt-out keyword `word` is once its surrounding punctuation is stripped.
    fn opt_out_word(&self, word: &str) -> Option<&str> {
        match self
            .keywords
            .get_key_value(trim_white_space_and_punctuation(word))
        {
            Some((keyword, KeywordAction::OptOut)) => Some(keyword),
            _ => None,
        }
    }
}

/// The revocation phrases as one automaton, each pattern mapped back to the phrase
/// of [`REVOCATION_PHRASES`] it spells.
struct Phrases {
    automaton: AhoCorasick,
    phrase_of_pattern: Vec<&'static str>,
}

static LITERAL: LazyLock<Phrases> = LazyLock::new(|| Phrases::build(&[]));

static WITH_TYPOGRAPHIC_APOSTROPHES: LazyLock<Phrases> =
    LazyLock::new(|| Phrases::build(&TYPOGRAPHIC_APOSTROPHES));

impl Phrases {
    /// Every phrase, plus its spelling with each of `apostrophes` in place of `'`.
    fn build(apostrophes: &[char]) -> Phrases {
        let mut patterns = Vec::new();
        let mut phrase_of_pattern = Vec::new();
        for phrase in REVOCATION_PHRASES {
            patterns.push(phrase.to_owned());
            phrase_of_pattern.push(phrase);
            if phrase.contains('\'') {
                for apostrophe in apostrophes {
                    patterns.push(phrase.replace('\'', apostrophe.encode_utf8(&mut [0; 4])));
                    phrase_of_pattern.push(phrase);
                }
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&patterns)
            // The patterns are a few dozen constant short strings, far below every
            // size limit the builder enforces, so this cannot fail on any input.
            .expect("the revocation phrases always compile");
        Phrases {
            automaton,
            phrase_of_pattern,
        }
    }

    /// The leftmost phrase in `text`.
    fn leftmost(&self, text: &str) -> Option<&'static str> {
        let found = self.automaton.find(text)?;
        self.phrase_of_pattern
            .get(found.pattern().as_usize())
            .copied()
    }
}
