//! SMS encoding and segments: how many messages a text is billed as, and why.
//!
//! A text goes out in GSM-7 when every character is in the GSM 03.38 basic or
//! extension table, and in UCS-2 otherwise. One SMS carries 160 septets or 70 UCS-2
//! units; a longer text is split into segments of 153 septets or 67 units (6 octets of
//! each go to the concatenation header), and each segment is billed. An extension
//! character (`{`, `€`, …) costs two septets, and neither it nor a grapheme cluster
//! is ever split between segments.
//!
//! The answers match Twilio's segment calculator (`sms-segments-calculator` 1.3.0)
//! exactly, because that is what users check their bills against; a differential
//! test runs thousands of its answers (`tests/segments_oracle.rs`). Its behaviour,
//! quirks included:
//!
//! - Grapheme clusters are those of UAX #29 for Unicode 10 as `grapheme-splitter`
//!   1.0.4 computes them (see `segments/grapheme.rs`), except that `\r\n` counts as
//!   two.
//! - Any cluster of two or more UTF-16 units (an emoji, a letter with a combining
//!   mark) forces UCS-2, even if each of its parts is GSM; in UCS-2 a GSM character
//!   costs one unit like any other, so `{` costs one unit, not two.
//! - A cluster bigger than a whole segment is still kept whole: it gets a segment of
//!   its own, which it overflows (and, when it comes first, the first segment is left
//!   empty, so such a text reports one segment more than its size suggests).
//! - The empty text is one GSM-7 segment of zero units.
//!
//! [`analyze`] never fails. [`check_body_cap`] is the separate check of Twilio's
//! 1,600-character body cap (counted in UTF-16 code units), [`split`] shows where the
//! segments break, and [`SegmentReport::cost`] prices a report with a
//! [`PriceTable`] the caller supplies.
//!
//! ```
//! use msgcore::core::segments::{analyze, Encoding, SegmentOptions};
//!
//! let report = analyze("Your code is 123456", SegmentOptions::default());
//! assert_eq!((report.encoding, report.segments, report.units), (Encoding::Gsm7, 1, 19));
//!
//! let report = analyze("See you soon 👋", SegmentOptions::default());
//! assert_eq!((report.encoding, report.units), (Encoding::Ucs2, 15));
//! assert_eq!(report.non_gsm, ["👋"]);
//!
//! // Smart encoding swaps curly quotes and dashes for GSM look-alikes.
//! let smart = SegmentOptions::default().with_smart_encoding(true);
//! assert_eq!(analyze("It’s 9–5", smart).encoding, Encoding::Gsm7);
//! ```

mod body_cap;
mod error;
mod grapheme;
mod gsm;
#[cfg(test)]
mod laws;
mod packing;
mod price;
mod smart;

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use body_cap::{BODY_CAP, check_body_cap};
pub use error::SegmentsError;
pub use price::{Amount, PriceTable};
pub use smart::smart_encode;

use packing::{Boundaries, HEADER_BITS, Packer, SEGMENT_BITS};

/// How an SMS is encoded on the air.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Encoding {
    /// The GSM 03.38 7-bit alphabet; units are septets.
    #[serde(rename = "GSM-7")]
    Gsm7,
    /// UCS-2 (UTF-16 in practice); units are UTF-16 code units.
    #[serde(rename = "UCS-2")]
    Ucs2,
}

impl Encoding {
    /// The name Twilio uses (`"GSM-7"`, `"UCS-2"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "GSM-7",
            Encoding::Ucs2 => "UCS-2",
        }
    }

    /// Bits in one unit: 7 for a septet, 16 for a UTF-16 code unit.
    pub const fn bits_per_unit(self) -> u64 {
        match self {
            Encoding::Gsm7 => 7,
            Encoding::Ucs2 => 16,
        }
    }

    /// Units one SMS holds when the text fits in one: 160 or 70.
    pub const fn single_segment_units(self) -> usize {
        (SEGMENT_BITS / self.bits_per_unit()) as usize
    }

    /// Units each segment of a multipart text holds: 153 or 67.
    pub const fn multipart_segment_units(self) -> usize {
        ((SEGMENT_BITS - HEADER_BITS) / self.bits_per_unit()) as usize
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How to analyze a text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SegmentOptions {
    /// Apply Twilio's smart encoding (see [`smart_encode`]) before measuring, as a
    /// Messaging Service with Smart Encoding on does.
    #[serde(default)]
    pub smart_encoding: bool,
}

impl SegmentOptions {
    /// These options with smart encoding on or off.
    pub const fn with_smart_encoding(mut self, on: bool) -> SegmentOptions {
        self.smart_encoding = on;
        self
    }
}

/// What a text costs as SMS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SegmentReport {
    /// The encoding the text goes out in.
    pub encoding: Encoding,
    /// How many segments (billed messages) it takes; at least one.
    pub segments: usize,
    /// Its length after smart encoding: septets for GSM-7 (an extension character
    /// counts two), UTF-16 code units for UCS-2.
    pub units: usize,
    /// The grapheme clusters that forced UCS-2, in order, repeats included; empty for
    /// GSM-7.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub non_gsm: Vec<String>,
}

/// The counts of a [`SegmentReport`]: `{"encoding": "GSM-7", "segments": 1, "units": 19}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SegmentSummary {
    /// The encoding the text goes out in.
    pub encoding: Encoding,
    /// How many segments it takes.
    pub segments: usize,
    /// Septets (GSM-7) or UTF-16 code units (UCS-2).
    pub units: usize,
}

impl SegmentReport {
    /// The counts without the list of characters.
    pub fn summary(&self) -> SegmentSummary {
        SegmentSummary {
            encoding: self.encoding,
            segments: self.segments,
            units: self.units,
        }
    }

    /// What sending this text to `country` (ISO 3166-1 alpha-2) costs by `table`.
    pub fn cost(&self, table: &PriceTable, country: &str) -> Result<Amount, SegmentsError> {
        table.cost(country, self.segments)
    }
}

/// Measures `text` as Twilio would send it: encoding, segments, units, and the
/// characters that forced UCS-2.
pub fn analyze(text: &str, options: SegmentOptions) -> SegmentReport {
    measure(&prepare(text, options), &mut ())
}

/// The text of each segment, in order, after smart encoding if asked; there are
/// [`SegmentReport::segments`] of them and they join back into the whole text.
///
/// A segment is empty only for the empty text, or when a grapheme cluster bigger than
/// a whole segment opens the text (see the module documentation).
///
/// ```
/// use msgcore::core::segments::{split, SegmentOptions};
///
/// let parts = split(&"a".repeat(161), SegmentOptions::default());
/// assert_eq!(parts.iter().map(String::len).collect::<Vec<_>>(), [153, 8]);
/// ```
pub fn split(text: &str, options: SegmentOptions) -> Vec<String> {
    let text = prepare(text, options);
    let mut starts = Vec::new();
    measure(&text, &mut starts);
    let mut parts = Vec::with_capacity(starts.len() + 1);
    let mut rest: &str = &text;
    let mut consumed = 0;
    for start in starts {
        let (part, tail) = rest
            .split_at_checked(start.saturating_sub(consumed))
            .unwrap_or((rest, ""));
        parts.push(part.to_owned());
        rest = tail;
        consumed = start;
    }
    parts.push(rest.to_owned());
    parts
}

fn prepare(text: &str, options: SegmentOptions) -> Cow<'_, str> {
    if options.smart_encoding {
        smart_encode(text)
    } else {
        Cow::Borrowed(text)
    }
}

/// Measures `text` as GSM-7 if every character is GSM, else as UCS-2.
fn measure(text: &str, boundaries: &mut impl Boundaries) -> SegmentReport {
    let Some(units) = gsm::text_septets(text) else {
        return measure_ucs2(text, boundaries);
    };
    let segments = if units <= Encoding::Gsm7.single_segment_units() {
        1
    } else {
        let mut packer = Packer::new(Encoding::Gsm7);
        for (offset, c) in text.char_indices() {
            packer.add(gsm::septets(c).map_or(0, usize::from), offset, boundaries);
        }
        packer.segments()
    };
    SegmentReport {
        encoding: Encoding::Gsm7,
        segments,
        units,
        non_gsm: Vec::new(),
    }
}

/// Measures `text` as UCS-2, one grapheme cluster at a time.
fn measure_ucs2(text: &str, boundaries: &mut impl Boundaries) -> SegmentReport {
    let mut packer = Packer::new(Encoding::Ucs2);
    let mut units = 0;
    let mut non_gsm = Vec::new();
    for (offset, grapheme) in grapheme::graphemes(text) {
        let length: usize = grapheme.chars().map(char::len_utf16).sum();
        let is_gsm = length == 1 && grapheme.chars().all(|c| gsm::septets(c).is_some());
        if !is_gsm {
            non_gsm.push(grapheme.to_owned());
        }
        packer.add(length, offset, boundaries);
        units += length;
    }
    SegmentReport {
        encoding: Encoding::Ucs2,
        segments: packer.segments(),
        units,
        non_gsm,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> SegmentReport {
        analyze(text, SegmentOptions::default())
    }

    #[test]
    fn the_empty_text_is_one_empty_gsm_segment() {
        assert_eq!(
            plain(""),
            SegmentReport {
                encoding: Encoding::Gsm7,
                segments: 1,
                units: 0,
                non_gsm: vec![]
            }
        );
        assert_eq!(split("", SegmentOptions::default()), [""]);
    }

    #[test]
    fn gsm_text_splits_at_160_then_153_septets() {
        assert_eq!(plain(&"a".repeat(160)).segments, 1);
        assert_eq!(plain(&"a".repeat(161)).segments, 2);
        assert_eq!(plain(&"a".repeat(306)).segments, 2);
        assert_eq!(plain(&"a".repeat(307)).segments, 3);
    }

    #[test]
    fn extension_characters_cost_two_septets() {
        let report = plain(&"€".repeat(80));
        assert_eq!(
            (report.encoding, report.segments, report.units),
            (Encoding::Gsm7, 1, 160)
        );
        assert_eq!(plain(&"€".repeat(81)).segments, 2);
    }

    #[test]
    fn ucs2_text_splits_at_70_then_67_units() {
        assert_eq!(plain(&"ж".repeat(70)).segments, 1);
        assert_eq!(plain(&"ж".repeat(71)).segments, 2);
        assert_eq!(plain(&"ж".repeat(134)).segments, 2);
        assert_eq!(plain(&"ж".repeat(135)).segments, 3);
    }

    #[test]
    fn one_non_gsm_character_makes_every_character_cost_a_utf16_unit() {
        let report = plain("{ж}");
        assert_eq!((report.encoding, report.units), (Encoding::Ucs2, 3));
        assert_eq!(report.non_gsm, ["ж"]);
    }

    #[test]
    fn a_gsm_letter_with_a_combining_mark_forces_ucs2_as_one_cluster() {
        let report = plain("ae\u{301}");
        assert_eq!(report.encoding, Encoding::Ucs2);
        assert_eq!(report.non_gsm, ["e\u{301}"]);
    }

    #[test]
    fn an_emoji_is_never_split_between_segments() {
        let text = format!("{}😀", "a".repeat(66));
        assert_eq!(plain(&text).segments, 1);
        let text = format!("{}😀", "a".repeat(69));
        let parts = split(&text, SegmentOptions::default());
        assert_eq!(parts, ["a".repeat(67), "aa😀".to_owned()]);
    }

    #[test]
    fn a_cluster_bigger_than_a_segment_takes_one_of_its_own_after_an_empty_first() {
        let huge = format!("e{}", "\u{301}".repeat(100));
        let report = plain(&huge);
        assert_eq!((report.segments, report.units), (2, 101));
        assert_eq!(
            split(&huge, SegmentOptions::default()),
            [String::new(), huge.clone()]
        );
        assert_eq!(plain(&format!("{huge}x")).segments, 3);
    }

    #[test]
    fn crlf_counts_as_two_gsm_characters() {
        let report = plain("a\r\nb");
        assert_eq!((report.encoding, report.units), (Encoding::Gsm7, 4));
    }

    #[test]
    fn smart_encoding_measures_the_replaced_text() {
        let smart = SegmentOptions::default().with_smart_encoding(true);
        let report = analyze("“Hi”…", smart);
        assert_eq!((report.encoding, report.units), (Encoding::Gsm7, 7));
        assert_eq!(plain("“Hi”…").encoding, Encoding::Ucs2);
        assert_eq!(split("a\tb", smart), ["a       b"]);
    }

    #[test]
    fn capacities_follow_from_140_octets_and_a_6_octet_header() {
        assert_eq!(Encoding::Gsm7.single_segment_units(), 160);
        assert_eq!(Encoding::Gsm7.multipart_segment_units(), 153);
        assert_eq!(Encoding::Ucs2.single_segment_units(), 70);
        assert_eq!(Encoding::Ucs2.multipart_segment_units(), 67);
    }

    #[test]
    fn reports_serialize_with_twilios_encoding_names() {
        let gsm = serde_json::to_value(plain("hi")).unwrap();
        assert_eq!(
            gsm,
            serde_json::json!({"encoding": "GSM-7", "segments": 1, "units": 2})
        );
        let summary = serde_json::to_value(plain("hé😀").summary()).unwrap();
        assert_eq!(
            summary,
            serde_json::json!({"encoding": "UCS-2", "segments": 1, "units": 4})
        );
        let options: SegmentOptions = serde_json::from_str(r#"{"smart_encoding": true}"#).unwrap();
        assert!(options.smart_encoding);
    }

    #[test]
    fn a_report_prices_its_segments() {
        let table = PriceTable::new("USD").with_price("US", "0.0079".parse().unwrap());
        assert_eq!(
            plain(&"a".repeat(161))
                .cost(&table, "US")
                .unwrap()
                .to_string(),
            "0.0158"
        );
    }
}
