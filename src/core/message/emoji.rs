//! Whether a string is exactly one emoji, for reactions.
//!
//! An emoji is not one `char`: 👍🏽 is a base and a skin-tone modifier, 🇫🇷 two
//! regional indicators, 1️⃣ a digit, a variation selector and a keycap, and 👩‍👩‍👧 five
//! code points joined by zero-width joiners. This follows the "possible emoji"
//! grammar of Unicode Technical Standard #51 (§ EBNF and Regex), with the Unicode
//! properties `Emoji`, `Emoji_Modifier` and `Regional_Indicator`:
//!
//! ```text
//! emoji   := element (ZWJ element)*
//! element := RI RI
//!          | base (Emoji_Modifier | VS16? KEYCAP | VS16 | TAG+ CANCEL_TAG)?
//! base    := \p{Emoji} other than a regional indicator
//! ```
//!
//! Two refinements keep out what no one means as an emoji: a lone regional indicator
//! (half a flag) is refused, and an ASCII base (`0`–`9`, `#`, `*`, which carry the
//! `Emoji` property only for keycaps) is accepted only as a keycap.
//!
//! The grammar accepts every sequence in Unicode's `emoji-test.txt` (fully-,
//! minimally- and unqualified alike, checked by `tests/emoji_test.rs`); like the
//! standard's own regex it also accepts well-formed sequences no vendor draws,
//! which a provider may then refuse.

use icu_properties::CodePointSetData;
use icu_properties::props::{Emoji, EmojiModifier, RegionalIndicator};

const ZWJ: char = '\u{200D}';
const VS16: char = '\u{FE0F}';
const KEYCAP: char = '\u{20E3}';
const CANCEL_TAG: char = '\u{E007F}';

fn is_tag(c: char) -> bool {
    ('\u{E0020}'..='\u{E007E}').contains(&c)
}

/// Whether `s` is exactly one emoji (see the module docs).
pub(crate) fn is_one_emoji(s: &str) -> bool {
    let mut chars = s.chars().peekable();
    loop {
        if !element(&mut chars) {
            return false;
        }
        match chars.next() {
            None => return true,
            Some(ZWJ) => continue,
            Some(_) => return false,
        }
    }
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Consumes one element of a ZWJ sequence; false if none starts here.
fn element(chars: &mut Chars<'_>) -> bool {
    let Some(base) = chars.next() else {
        return false;
    };
    if CodePointSetData::new::<RegionalIndicator>().contains(base) {
        return chars
            .next()
            .is_some_and(|second| CodePointSetData::new::<RegionalIndicator>().contains(second));
    }
    if !CodePointSetData::new::<Emoji>().contains(base) {
        return false;
    }
    let keycap_only = base.is_ascii();
    match chars.peek().copied() {
        Some(c) if !keycap_only && CodePointSetData::new::<EmojiModifier>().contains(c) => {
            chars.next();
            true
        }
        Some(VS16) => {
            chars.next();
            let keycap = chars.next_if_eq(&KEYCAP).is_some();
            keycap || !keycap_only
        }
        Some(KEYCAP) => {
            chars.next();
            true
        }
        Some(c) if !keycap_only && is_tag(c) => tag_sequence(chars),
        _ => !keycap_only,
    }
}

/// Consumes `TAG+ CANCEL_TAG` (a subdivision flag such as 🏴󠁧󠁢󠁳󠁣󠁴󠁿).
fn tag_sequence(chars: &mut Chars<'_>) -> bool {
    let mut tags = 0;
    while chars.next_if(|c| is_tag(*c)).is_some() {
        tags += 1;
    }
    tags > 0 && chars.next_if_eq(&CANCEL_TAG).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_emoji_of_every_shape_are_accepted() {
        for emoji in [
            "👍",
            "👍🏽",
            "❤️",
            "❤",
            "🇫🇷",
            "1️⃣",
            "#⃣",
            "👩‍👩‍👧",
            "🏳️‍🌈",
            "🧑🏽‍💻",
            "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
            "©️",
            "🏽",
        ] {
            assert!(is_one_emoji(emoji), "{emoji:?}");
        }
    }

    #[test]
    fn text_several_emoji_and_fragments_are_refused() {
        for not_one in [
            "",
            "a",
            "1",
            "#",
            "ok",
            "👍👍",
            "👍 ",
            " 👍",
            "🇫🇷🇩🇪",
            "🇫",
            "👩‍",
            "‍👩",
            "\u{FE0F}",
            "1\u{FE0F}",
            "🏴\u{E0067}\u{E0062}",
            "👍\u{E007F}",
            "1🏽",
        ] {
            assert!(!is_one_emoji(not_one), "{not_one:?}");
        }
    }
}
