//! The rating grammar of the [module docs](super), as a hand-written scanner: each
//! step takes the unread rest of the reply and returns what it recognized and what
//! is left.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::core::text::is_white_space;

/// A satisfaction score from 1 to 5.
///
/// Serialized as the bare number; deserializing refuses anything outside 1–5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Score(u8);

impl Score {
    /// The score `value`, if it is from 1 to 5.
    pub const fn new(value: u8) -> Option<Score> {
        match value {
            1..=5 => Some(Score(value)),
            _ => None,
        }
    }

    /// The score as a number from 1 to 5.
    pub const fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<'de> Deserialize<'de> for Score {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = u8::deserialize(deserializer)?;
        Score::new(value)
            .ok_or_else(|| serde::de::Error::custom(format!("a score is from 1 to 5, not {value}")))
    }
}

/// A survey answer: the score and what the contact wrote after it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rating {
    /// The score.
    pub score: Score,
    /// The text after the score and its separator (`"slow but fine"` in
    /// `"3 - slow but fine"`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Rating {
    /// The rating a reply gives, if it is one by the grammar in the
    /// [module docs](super); `None` means the reply is an ordinary message.
    ///
    /// ```
    /// use msgcore::core::csat::Rating;
    ///
    /// for reply in ["5", "4/5", "4 / 5", "4 out of 5", "⭐⭐⭐⭐", "Five!", "4, thanks"] {
    ///     assert!(Rating::parse(reply).is_some(), "{reply}");
    /// }
    /// for reply in ["10", "0", "6/5", "4.5", "45", "I'd give it a 5", "⭐⭐⭐⭐⭐⭐", ""] {
    ///     assert_eq!(Rating::parse(reply), None, "{reply}");
    /// }
    /// ```
    pub fn parse(reply: &str) -> Option<Rating> {
        let reply = reply.trim_matches(is_white_space);
        let (score, rest, head) = match stars(reply) {
            Some((score, rest)) => (score, rest, Head::Stars),
            None => {
                let (score, rest) = number(reply)?;
                let rest = fraction_of_five(rest).unwrap_or(rest);
                (score, unit(rest).unwrap_or(rest), Head::Number)
            }
        };
        let comment = comment(rest, head)?;
        Some(Rating {
            score: Score::new(score)?,
            comment: comment.map(str::to_owned),
        })
    }
}

/// A reply holding one of these asks something and is never a rating.
const QUESTION_MARKS: [char; 4] = ['?', '¿', '？', '؟'];

/// Marks that may separate a score from a comment, or trail a bare score.
const SEPARATOR_MARKS: [char; 8] = ['-', '–', '—', ',', ':', ';', '.', '!'];

const FILLED_STARS: [char; 3] = ['⭐', '🌟', '★'];
const EMPTY_STAR: char = '☆';
const VARIATION_SELECTORS: [char; 2] = ['\u{FE0E}', '\u{FE0F}'];
const KEYCAP: char = '\u{20E3}';
const NUMBER_WORDS: [&str; 5] = ["one", "two", "three", "four", "five"];

/// What the score was written as: a comment after stars needs no mark.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Head {
    Number,
    Stars,
}

/// A digit 1–5 (maybe as a keycap emoji) or its English word, and the rest.
fn number(s: &str) -> Option<(u8, &str)> {
    let mut chars = s.chars();
    if let Some(digit @ '1'..='5') = chars.next() {
        let rest = chars.as_str();
        return Some((digit as u8 - b'0', keycap(rest).unwrap_or(rest)));
    }
    NUMBER_WORDS.iter().zip(1..).find_map(|(word, value)| {
        let rest = strip_prefix_ignore_ascii_case(s, word)?;
        Some((value, rest))
    })
}

/// The rest after a keycap sign (with its optional U+FE0F), if `s` starts with one.
fn keycap(s: &str) -> Option<&str> {
    let s = s.strip_prefix('\u{FE0F}').unwrap_or(s);
    s.strip_prefix(KEYCAP)
}

/// The rest after a denominator of five (`/5`, ` / five`, ` out of 5`, ` of 5`),
/// if `s` starts with one.
fn fraction_of_five(s: &str) -> Option<&str> {
    let denominator = slash(s).or_else(|| out_of(s))?;
    match number(denominator)? {
        (5, rest) => Some(rest),
        _ => None,
    }
}

/// The rest after `/` and the white space around it.
fn slash(s: &str) -> Option<&str> {
    let rest = s.trim_start_matches(is_white_space).strip_prefix('/')?;
    Some(rest.trim_start_matches(is_white_space))
}

/// The rest after ` out of ` or ` of `, white space required around the words.
fn out_of(s: &str) -> Option<&str> {
    let rest = after_word(s, "out").unwrap_or(s);
    let rest = after_word(rest, "of")?;
    let after = rest.trim_start_matches(is_white_space);
    (after.len() < rest.len()).then_some(after)
}

/// The rest after white space and then `word` (ASCII, any case).
fn after_word<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    let trimmed = s.trim_start_matches(is_white_space);
    if trimmed.len() == s.len() {
        return None;
    }
    strip_prefix_ignore_ascii_case(trimmed, word)
}

/// The rest after `star` or `stars`, with or without white space before it.
fn unit(s: &str) -> Option<&str> {
    let s = s.trim_start_matches(is_white_space);
    let rest = strip_prefix_ignore_ascii_case(s, "star")?;
    Some(strip_prefix_ignore_ascii_case(rest, "s").unwrap_or(rest))
}

/// The number of filled stars and the rest, if `s` starts with a valid star run.
fn stars(s: &str) -> Option<(u8, &str)> {
    let (mut filled, mut empty) = (0u8, 0u8);
    let mut rest = s;
    loop {
        let next = if filled + empty == 0 {
            rest
        } else {
            rest.trim_start_matches(is_white_space)
        };
        let mut chars = next.chars();
        match chars.next() {
            Some(c) if FILLED_STARS.contains(&c) && empty == 0 => filled += 1,
            Some(EMPTY_STAR) => empty += 1,
            _ => break,
        }
        if filled + empty > 5 {
            return None;
        }
        let after = chars.as_str();
        rest = after.strip_prefix(VARIATION_SELECTORS).unwrap_or(after);
    }
    let complete = empty == 0 || filled + empty == 5;
    (filled > 0 && complete).then_some((filled, rest))
}

/// What follows the score: `Some(None)` when nothing but white space and marks
/// does, `Some(Some(comment))` after a valid separator and a comment that asks
/// nothing, `None` when the reply is not a rating after all.
fn comment(rest: &str, head: Head) -> Option<Option<&str>> {
    let comment = rest.trim_start_matches(|c| is_white_space(c) || SEPARATOR_MARKS.contains(&c));
    if comment.is_empty() {
        return Some(None);
    }
    let separator = rest.strip_suffix(comment)?;
    let separated = separator.ends_with(is_white_space)
        && (head == Head::Stars || separator.contains(SEPARATOR_MARKS));
    // Only a comment can hold a question mark: the score and the separator cannot.
    let acceptable =
        separated && !comment.starts_with(char::is_numeric) && !comment.contains(QUESTION_MARKS);
    acceptable.then_some(Some(comment))
}

/// `s` without its leading `prefix`, compared ASCII-case-insensitively.
fn strip_prefix_ignore_ascii_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}
