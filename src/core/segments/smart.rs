//! Smart encoding: the look-alike substitutions Twilio makes so that text typed on
//! phones and word processors (curly quotes, dashes, ellipses, odd spaces, full-width
//! forms) still fits GSM-7.
//!
//! The map is Twilio's, as its segment calculator (`sms-segments-calculator` 1.3.0)
//! emulates it: each Unicode scalar value is replaced on its own, before grapheme
//! clustering, by a short GSM string (sometimes longer: a tab becomes seven spaces, an
//! ellipsis three dots) or by nothing (zero-width and control characters).

use std::borrow::Cow;

/// The text Twilio's smart encoding sends for `text`; borrowed when nothing changes.
///
/// ```
/// use msgcore::core::segments::smart_encode;
///
/// assert_eq!(smart_encode("“Hi” — it’s 5…"), "\"Hi\" - it's 5...");
/// assert!(matches!(smart_encode("plain"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn smart_encode(text: &str) -> Cow<'_, str> {
    let first = text.find(|c| replacement(c).is_some());
    let Some((unchanged, rest)) = first.and_then(|i| text.split_at_checked(i)) else {
        return Cow::Borrowed(text);
    };
    let mut encoded = String::with_capacity(text.len());
    encoded.push_str(unchanged);
    for c in rest.chars() {
        match replacement(c) {
            Some(gsm) => encoded.push_str(gsm),
            None => encoded.push(c),
        }
    }
    Cow::Owned(encoded)
}

/// What smart encoding puts in place of `c`, if it replaces it.
pub(super) fn replacement(c: char) -> Option<&'static str> {
    if c.is_ascii() && !c.is_ascii_control() && c != '`' {
        return None;
    }
    let gsm = match c {
        '\u{00AB}' | '\u{00BB}' | '\u{02BA}' | '\u{02EE}' | '\u{201C}' | '\u{201D}'
        | '\u{201E}' | '\u{201F}' | '\u{275D}' | '\u{275E}' | '\u{301D}' | '\u{301E}'
        | '\u{FF02}' => "\"",
        '\u{0060}' | '\u{00B4}' | '\u{02B9}' | '\u{02BB}' | '\u{02BC}' | '\u{02BD}'
        | '\u{02C8}' | '\u{02CA}' | '\u{02CB}' | '\u{0313}' | '\u{0314}' | '\u{2018}'
        | '\u{2019}' | '\u{201B}' | '\u{275B}' | '\u{275C}' | '\u{FE10}' | '\u{FE11}'
        | '\u{FF07}' => "'",
        '\u{00F7}' | '\u{0337}' | '\u{0338}' | '\u{2044}' | '\u{2215}' | '\u{29F8}'
        | '\u{FF0F}' => "/",
        '\u{00BC}' => "1/4",
        '\u{00BD}' => "1/2",
        '\u{00BE}' => "3/4",
        '\u{20E5}' | '\u{29F5}' | '\u{29F9}' | '\u{FE68}' | '\u{FF3C}' => "\\",
        '\u{0332}' | '\u{2017}' | '\u{FF3F}' => "_",
        '\u{20D2}' | '\u{20D3}' | '\u{2223}' | '\u{239C}' | '\u{239F}' | '\u{23B8}'
        | '\u{23B9}' | '\u{23D0}' | '\u{FF5C}' => "|",
        '\u{2010}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2022}' | '\u{2043}'
        | '\u{23BC}' | '\u{23BD}' | '\u{FE63}' | '\u{FF0D}' => "-",
        '\u{FE6B}' | '\u{FF20}' => "@",
        '\u{FE69}' | '\u{FF04}' => "$",
        '\u{01C3}' | '\u{FE15}' | '\u{FE57}' | '\u{FF01}' => "!",
        '\u{FE5F}' | '\u{FF03}' => "#",
        '\u{FE6A}' | '\u{FF05}' => "%",
        '\u{FE60}' | '\u{FF06}' => "&",
        '\u{0326}' | '\u{201A}' | '\u{3001}' | '\u{FE50}' | '\u{FE51}' | '\u{FF0C}'
        | '\u{FF64}' => ",",
        '\u{2768}' | '\u{276A}' | '\u{27EE}' | '\u{2985}' | '\u{FE59}' | '\u{FF08}' => "(",
        '\u{2769}' | '\u{276B}' | '\u{27EF}' | '\u{2986}' | '\u{FE5A}' | '\u{FF09}' => ")",
        '\u{204E}' | '\u{2217}' | '\u{229B}' | '\u{2722}' | '\u{2723}' | '\u{2724}'
        | '\u{2725}' | '\u{2731}' | '\u{2732}' | '\u{2733}' | '\u{273A}' | '\u{273B}'
        | '\u{273C}' | '\u{273D}' | '\u{2743}' | '\u{2749}' | '\u{274A}' | '\u{274B}'
        | '\u{29C6}' | '\u{FE61}' | '\u{FF0A}' => "*",
        '\u{02D6}' | '\u{FE62}' | '\u{FF0B}' => "+",
        '\u{3002}' | '\u{FE52}' | '\u{FF0E}' | '\u{FF61}' => ".",
        '\u{FF10}' => "0",
        '\u{FF11}' => "1",
        '\u{FF12}' => "2",
        '\u{FF13}' => "3",
        '\u{FF14}' => "4",
        '\u{FF15}' => "5",
        '\u{FF16}' => "6",
        '\u{FF17}' => "7",
        '\u{FF18}' => "8",
        '\u{FF19}' => "9",
        '\u{02D0}' | '\u{02F8}' | '\u{2982}' | '\u{A789}' | '\u{FE13}' | '\u{FF1A}' => ":",
        '\u{204F}' | '\u{FE14}' | '\u{FE54}' | '\u{FF1B}' => ";",
        '\u{2039}' | '\u{FE64}' | '\u{FF1C}' => "<",
        '\u{0347}' | '\u{A78A}' | '\u{FE66}' | '\u{FF1D}' => "=",
        '\u{203A}' | '\u{FE65}' | '\u{FF1E}' => ">",
        '\u{FE16}' | '\u{FE56}' | '\u{FF1F}' => "?",
        '\u{1D00}' | '\u{FF21}' => "A",
        '\u{0299}' | '\u{FF22}' => "B",
        '\u{1D04}' | '\u{FF23}' => "C",
        '\u{1D05}' | '\u{FF24}' => "D",
        '\u{1D07}' | '\u{FF25}' => "E",
        '\u{A730}' | '\u{FF26}' => "F",
        '\u{0262}' | '\u{FF27}' => "G",
        '\u{029C}' | '\u{FF28}' => "H",
        '\u{026A}' | '\u{FF29}' => "I",
        '\u{1D0A}' | '\u{FF2A}' => "J",
        '\u{1D0B}' | '\u{FF2B}' => "K",
        '\u{029F}' | '\u{FF2C}' => "L",
        '\u{1D0D}' | '\u{FF2D}' => "M",
        '\u{0274}' | '\u{FF2E}' => "N",
        '\u{1D0F}' | '\u{FF2F}' => "O",
        '\u{1D18}' | '\u{FF30}' => "P",
        '\u{FF31}' => "Q",
        '\u{0280}' | '\u{FF32}' => "R",
        '\u{A731}' | '\u{FF33}' => "S",
        '\u{1D1B}' | '\u{FF34}' => "T",
        '\u{1D1C}' | '\u{FF35}' => "U",
        '\u{1D20}' | '\u{FF36}' => "V",
        '\u{1D21}' | '\u{FF37}' => "W",
        '\u{FF38}' => "X",
        '\u{028F}' | '\u{FF39}' => "Y",
        '\u{1D22}' | '\u{FF3A}' => "Z",
        '\u{02C6}' | '\u{0302}' | '\u{1DCD}' | '\u{FF3E}' => "^",
        '\u{2774}' | '\u{FE5B}' | '\u{FF5B}' => "{",
        '\u{2775}' | '\u{FE5C}' | '\u{FF5D}' => "}",
        '\u{FF3B}' => "[",
        '\u{FF3D}' => "]",
        '\u{02DC}' | '\u{02F7}' | '\u{0303}' | '\u{0330}' | '\u{0334}' | '\u{223C}'
        | '\u{FF5E}' => "~",
        '\u{0080}' | '\u{008D}' | '\u{0090}' | '\u{009B}' | '\u{009F}' | '\u{00A0}'
        | '\u{2000}' | '\u{2002}' | '\u{2003}' | '\u{2004}' | '\u{2005}' | '\u{2006}'
        | '\u{2007}' | '\u{2008}' | '\u{2009}' | '\u{200A}' | '\u{202F}' | '\u{205F}'
        | '\u{3000}' => "  ",
        '\u{0000}' | '\u{0003}' | '\u{0004}' | '\u{0010}' | '\u{0011}' | '\u{0012}'
        | '\u{0013}' | '\u{0014}' | '\u{0017}' | '\u{0019}' | '\u{200B}' | '\u{200C}'
        | '\u{2060}' | '\u{FEFF}' => "",
        '\u{0009}' => "       ",
        '\u{203C}' => "!!",
        '\u{2001}' | '\u{2028}' | '\u{2029}' => " ",
        '\u{2026}' => "...",
        _ => return None,
    };
    Some(gsm)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_without_replaceable_characters_is_borrowed() {
        assert!(matches!(
            smart_encode("Hello {world} ÄÖÜ 😀"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(smart_encode(""), Cow::Borrowed(_)));
    }

    #[test]
    fn punctuation_becomes_its_gsm_look_alike() {
        assert_eq!(
            smart_encode("‘a’ “b” «c» x–y—z •"),
            "'a' \"b\" \"c\" x-y-z -"
        );
        assert_eq!(smart_encode("ＡＢＣ１２？"), "ABC12?");
        // Only the capitals of the full-width Latin letters are in Twilio's map.
        assert_eq!(smart_encode("Ｆｕｌｌ"), "Fｕｌｌ");
    }

    #[test]
    fn some_characters_grow_and_some_vanish() {
        assert_eq!(smart_encode("a\tb"), "a       b");
        assert_eq!(smart_encode("wait…"), "wait...");
        assert_eq!(smart_encode("½ ‼"), "1/2 !!");
        assert_eq!(smart_encode("a\u{A0}b"), "a  b");
        assert_eq!(smart_encode("zero\u{200B}width\u{FEFF}"), "zerowidth");
    }

    #[test]
    fn every_replacement_is_gsm_text() {
        let all = (0..=0xFFFFu32)
            .filter_map(char::from_u32)
            .filter_map(replacement);
        for gsm in all {
            assert!(
                gsm.chars().all(|c| super::super::gsm::septets(c).is_some()),
                "{gsm:?}"
            );
        }
    }
}
