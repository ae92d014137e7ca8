//! Twilio's cap on a message body: 1,600 characters.
//!
//! Twilio refuses a longer `Body` with error 21617 before anything is sent, but does
//! not say what a "character" is. This check counts UTF-16 code units of the body as
//! given (before smart encoding, which Twilio applies after accepting the request):
//!
//! - it is what Twilio's own error page describes: characters outside GSM-7 such as
//!   emoji "use more space" and reach the limit sooner, which an emoji does in UTF-16
//!   (two units) and would not if Twilio counted code points or graphemes;
//! - it is the length of the string on a Java or JavaScript stack, and the unit the
//!   segment calculator reports for UCS-2 text;
//! - it is never less than the count of code points or grapheme clusters, so a body
//!   that passes here passes under those readings too.

use super::SegmentsError;

/// The longest body Twilio accepts, in UTF-16 code units.
pub const BODY_CAP: usize = 1600;

/// Checks that `text` is within Twilio's 1,600-character body cap ([`BODY_CAP`]),
/// counted in UTF-16 code units.
///
/// ```
/// use msgcore::core::segments::{check_body_cap, SegmentsError};
///
/// assert!(check_body_cap(&"a".repeat(1600)).is_ok());
/// // An emoji is two UTF-16 code units.
/// let emoji = "😀".repeat(801);
/// assert_eq!(check_body_cap(&emoji), Err(SegmentsError::BodyTooLong { length: 1602, limit: 1600 }));
/// ```
pub fn check_body_cap(text: &str) -> Result<(), SegmentsError> {
    // A UTF-16 code unit never takes less than one UTF-8 byte.
    if text.len() <= BODY_CAP {
        return Ok(());
    }
    let length = text.chars().map(char::len_utf16).sum();
    if length <= BODY_CAP {
        Ok(())
    } else {
        Err(SegmentsError::BodyTooLong {
            length,
            limit: BODY_CAP,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_of_exactly_the_cap_passes_and_one_more_unit_fails() {
        assert_eq!(check_body_cap(&"x".repeat(1600)), Ok(()));
        assert_eq!(
            check_body_cap(&"x".repeat(1601)),
            Err(SegmentsError::BodyTooLong {
                length: 1601,
                limit: 1600
            })
        );
    }

    #[test]
    fn multibyte_characters_count_once_each_in_the_basic_plane() {
        // 1,600 "é" are 3,200 UTF-8 bytes but 1,600 UTF-16 units.
        assert_eq!(check_body_cap(&"é".repeat(1600)), Ok(()));
        assert!(check_body_cap(&"é".repeat(1601)).is_err());
    }

    #[test]
    fn characters_beyond_the_basic_plane_count_twice() {
        assert_eq!(check_body_cap(&"😀".repeat(800)), Ok(()));
        assert!(check_body_cap(&format!("{}a", "😀".repeat(800))).is_err());
    }

    #[test]
    fn the_empty_body_passes() {
        assert_eq!(check_body_cap(""), Ok(()));
    }
}
