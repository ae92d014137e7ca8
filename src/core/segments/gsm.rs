//! The GSM 03.38 default alphabet and its extension table, as septet counts.
//!
//! A character of the basic table costs one septet; one of the extension table
//! (`^ { } \ [ ~ ] | €` and form feed) costs two, an escape and the character. The
//! set is the one Twilio's segment calculator uses: the 127 characters of 3GPP
//! TS 23.038's basic table (escape aside) and the 10 of its extension table. Position
//! 0x09 is reached from `Ç` (U+00C7), as in the calculator; `ç` is not GSM.

/// Septets of each ASCII character in GSM-7 (0: not in GSM 03.38).
const ASCII_SEPTETS: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut c = b' ';
    while c <= b'~' {
        table[c as usize] = 1;
        c += 1;
    }
    table[b'\n' as usize] = 1;
    table[b'\r' as usize] = 1;
    table[b'`' as usize] = 0;
    table[0x0C] = 2; // form feed, the extension table's page break
    let mut i = 0;
    let extension = b"^{}\\[~]|";
    while i < extension.len() {
        table[extension[i] as usize] = 2;
        i += 1;
    }
    table
};

/// How many septets `c` costs in GSM-7, or `None` if GSM 03.38 cannot carry it.
#[inline]
pub(super) fn septets(c: char) -> Option<u8> {
    let count = match u8::try_from(c) {
        Ok(byte) if byte.is_ascii() => ascii_septets(byte),
        _ => non_ascii_septets(c),
    };
    (count > 0).then_some(count)
}

/// How many septets all of `text` costs in GSM-7, or `None` if any character is not
/// GSM.
pub(super) fn text_septets(text: &str) -> Option<usize> {
    if text.is_ascii() {
        // Summing without stopping early lets this loop vectorize.
        let (sum, all_gsm) = text.bytes().fold((0usize, true), |(sum, all_gsm), byte| {
            let count = ascii_septets(byte);
            (sum + usize::from(count), all_gsm & (count > 0))
        });
        all_gsm.then_some(sum)
    } else {
        text.chars().try_fold(0usize, |sum, c| {
            septets(c).map(|count| sum + usize::from(count))
        })
    }
}

/// Septets of an ASCII byte (0: not GSM).
fn ascii_septets(byte: u8) -> u8 {
    ASCII_SEPTETS
        .get(usize::from(byte & 0x7F))
        .copied()
        .unwrap_or(0)
}

fn non_ascii_septets(c: char) -> u8 {
    match c {
        '¡' | '£' | '¤' | '¥' | '§' | '¿' | 'Ä' | 'Å' | 'Æ' | 'Ç' | 'É' | 'Ñ' | 'Ö' | 'Ø' | 'Ü'
        | 'ß' | 'à' | 'ä' | 'å' | 'æ' | 'è' | 'é' | 'ì' | 'ñ' | 'ò' | 'ö' | 'ø' | 'ù' | 'ü'
        | 'Γ' | 'Δ' | 'Θ' | 'Λ' | 'Ξ' | 'Π' | 'Σ' | 'Φ' | 'Ψ' | 'Ω' => 1,
        '€' => 2,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_characters_cost_one_septet() {
        for c in "Hello, World! 0123456789 @$_\n\r£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà".chars()
        {
            assert_eq!(septets(c), Some(1), "{c:?}");
        }
    }

    #[test]
    fn extension_characters_cost_two_septets() {
        for c in "^{}\\[~]|€\u{0C}".chars() {
            assert_eq!(septets(c), Some(2), "{c:?}");
        }
    }

    #[test]
    fn characters_outside_gsm_have_no_septets() {
        for c in "`\t\u{0}\u{7F}ç’“—…😀\u{A0}\u{2028}a\u{301}"
            .chars()
            .filter(|c| *c != 'a')
        {
            assert_eq!(septets(c), None, "{c:?}");
        }
    }

    #[test]
    fn a_text_costs_the_sum_of_its_septets_when_all_of_it_is_gsm() {
        assert_eq!(text_septets(""), Some(0));
        assert_eq!(text_septets("ab{}"), Some(6));
        assert_eq!(text_septets("Δ€é"), Some(4));
        assert_eq!(text_septets("ab`"), None);
        assert_eq!(text_septets("€ж"), None);
    }

    #[test]
    fn the_alphabet_has_the_calculators_size() {
        let gsm = (0..=0x20ACu32)
            .filter_map(char::from_u32)
            .filter(|&c| septets(c).is_some())
            .count();
        // 128 basic positions less escape, plus the extension table.
        assert_eq!(gsm, 127 + 10);
    }
}
