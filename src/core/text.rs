//! Text normalization shared by keyword matching and auto-tagging.
//!
//! Both compare what a person typed against short configured words, so both need
//! the same notion of "the same text": full Unicode case folding (so `STOP`,
//! `stop` and `ſtop` agree, as Python's `str.casefold` would say) and whitespace
//! runs collapsed to one space. Keywords additionally drop surrounding
//! punctuation.

use std::borrow::Cow;

use icu_casemap::CaseMapper;
use icu_properties::CodePointMapData;
use icu_properties::props::{GeneralCategory, GeneralCategoryGroup};

/// Full Unicode case folding (`CaseFolding.txt`, statuses C and F).
pub(crate) fn fold(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(s.to_ascii_lowercase())
        } else {
            Cow::Borrowed(s)
        }
    } else {
        CaseMapper::new().fold_string(s)
    }
}

/// Whether `c` has the Unicode `White_Space` property.
pub(crate) fn is_white_space(c: char) -> bool {
    // `char::is_whitespace` is defined as the White_Space property.
    c.is_whitespace()
}

/// Whether `c` is in a punctuation general category (`Pc Pd Ps Pe Pi Pf Po`).
pub(crate) fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation()
            && !matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~');
    }
    GeneralCategoryGroup::Punctuation.contains(CodePointMapData::<GeneralCategory>::new().get(c))
}

/// Strips white space and punctuation from both ends until neither end has any.
pub(crate) fn trim_white_space_and_punctuation(s: &str) -> &str {
    s.trim_matches(|c| is_white_space(c) || is_punctuation(c))
}

/// Trims the ends and collapses every inner run of white space to one ASCII space.
pub(crate) fn collapse_white_space(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        collapse_ascii_white_space(s)
    } else {
        collapse_any_white_space(s)
    }
}

/// [`collapse_white_space`] for any text.
fn collapse_any_white_space(s: &str) -> Cow<'_, str> {
    let trimmed = s.trim_matches(is_white_space);
    let already_collapsed = {
        let mut previous_was_space = false;
        trimmed.chars().all(|c| {
            let ok = !(is_white_space(c) && (c != ' ' || previous_was_space));
            previous_was_space = c == ' ';
            ok
        })
    };
    if already_collapsed {
        return Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(trimmed.len());
    for word in trimmed.split(is_white_space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    Cow::Owned(out)
}

/// [`collapse_white_space`] for ASCII text, a byte at a time: most messages are
/// ASCII, and decoding them as `char`s was the largest cost of classifying one.
fn collapse_ascii_white_space(s: &str) -> Cow<'_, str> {
    // The ASCII characters with the White_Space property: TAB, LF, VT, FF, CR, space.
    let is_space = |b: &u8| matches!(b, b'\t'..=b'\r' | b' ');
    let trimmed = s.trim_matches(|c: char| c.is_ascii() && is_space(&(c as u8)));
    // Collapsed already when the only white space is single spaces: two searches
    // the compiler vectorizes, rather than a loop carrying state.
    let already_collapsed =
        // (`count`, unlike `any`, has no early exit, so it is vectorized.)
        trimmed.bytes().filter(|b| matches!(b, b'\t'..=b'\r')).count() == 0
            && !trimmed.contains("  ");
    if already_collapsed {
        return Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(trimmed.len());
    for word in trimmed.split(|c: char| c.is_ascii() && is_space(&(c as u8))) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_ascii_fast_path_collapses_exactly_as_the_general_one(
            s in "[ \\t\\n\\x0b\\x0c\\r\\x1c-\\x1fa-c]{0,24}",
        ) {
            prop_assert_eq!(collapse_ascii_white_space(&s), collapse_any_white_space(&s));
        }
    }

    #[test]
    fn folding_matches_full_unicode_case_folding() {
        assert_eq!(fold("STOP"), "stop");
        assert_eq!(fold("stop"), "stop");
        assert_eq!(fold("ſtop"), "stop");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("ARRÊT"), "arrêt");
    }

    #[test]
    fn ascii_punctuation_agrees_with_the_general_category() {
        for c in (0u8..128).map(char::from) {
            let category = CodePointMapData::<GeneralCategory>::new().get(c);
            assert_eq!(
                is_punctuation(c),
                GeneralCategoryGroup::Punctuation.contains(category),
                "{c:?}"
            );
        }
    }

    #[test]
    fn unicode_punctuation_is_recognized() {
        for c in ['¡', '¿', '«', '»', '“', '”', '‘', '’', '。', '、', '…', '—'] {
            assert!(is_punctuation(c), "{c:?}");
        }
        for c in ['a', '1', '€', '+', '😀', ' '] {
            assert!(!is_punctuation(c), "{c:?}");
        }
    }

    #[test]
    fn trimming_removes_mixed_punctuation_and_space_from_both_ends_only() {
        assert_eq!(trim_white_space_and_punctuation(" ¡¡ Stop. ! "), "Stop");
        assert_eq!(trim_white_space_and_punctuation("\"opt-out\""), "opt-out");
        assert_eq!(trim_white_space_and_punctuation("...!!"), "");
    }

    #[test]
    fn collapsing_joins_words_with_single_spaces() {
        assert_eq!(collapse_white_space("  stop \t\n all  "), "stop all");
        assert_eq!(collapse_white_space("stop\u{00A0}all"), "stop all");
        assert!(matches!(collapse_white_space("stop all"), Cow::Borrowed(_)));
    }
}
