//! Property tests: the laws segment counting obeys for any text.

use proptest::prelude::*;

use super::grapheme::graphemes;
use super::{Encoding, SegmentOptions, SegmentReport, analyze, gsm, prepare, split};

const GSM: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCXYZÄÖÑÜ§¿abcxyzäöñüà^{}\\[~]|€\u{0C}";
/// Characters smart encoding replaces with exactly one GSM character.
const ONE_FOR_ONE: &str =
    "‘’‚‛“”„‟«»‹›–—―‐•´`ˈ＂＇（）［］｛｝～ＡＺ０９！？＃＄％＆＊＋，－．／：；＜＝＞＠＼＾＿｜";
/// A little of everything that changes how text is measured.
const MIXED: &[&str] = &[
    "a",
    "Z",
    " ",
    "{",
    "€",
    "\u{0C}",
    "\r\n",
    "\n",
    "\r",
    "é",
    "ж",
    "中",
    "’",
    "…",
    "\t",
    "\u{A0}",
    "😀",
    "👍🏽",
    "\u{301}",
    "\u{200D}",
    "\u{1F469}",
    "\u{1F1FA}",
    "\u{1F1F8}",
    "\u{0600}",
    "\u{1100}",
    "\u{1161}",
    "\u{AC00}",
    "\u{0915}",
    "\u{094D}",
    "\u{093E}",
    "\u{1F9B0}",
    "\u{FE0F}",
    "\u{1F3FB}",
];

fn chars_of(set: &'static str) -> impl Strategy<Value = char> {
    let chars: Vec<char> = set.chars().collect();
    proptest::sample::select(chars)
}

fn text_from(pieces: impl Strategy<Value = String>, max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(pieces, 0..max).prop_map(|pieces| pieces.concat())
}

fn mixed_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => chars_of(GSM).prop_map(String::from),
        3 => proptest::sample::select(MIXED).prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
    ];
    text_from(piece, 400)
}

fn options() -> impl Strategy<Value = SegmentOptions> {
    any::<bool>().prop_map(|on| SegmentOptions::default().with_smart_encoding(on))
}

fn bits(report: &SegmentReport) -> u64 {
    report.units as u64 * report.encoding.bits_per_unit()
}

/// Whether every cluster of `text` fits one segment of a multipart message.
fn clusters_fit_a_segment(text: &str) -> bool {
    graphemes(text)
        .all(|(_, g)| g.encode_utf16().count() <= Encoding::Ucs2.multipart_segment_units())
}

proptest! {
    #[test]
    fn pure_gsm_text_is_gsm7_and_its_units_are_its_septets(text in text_from(chars_of(GSM).prop_map(String::from), 500)) {
        let report = analyze(&text, SegmentOptions::default());
        let septets: usize = text.chars().filter_map(gsm::septets).map(usize::from).sum();
        prop_assert_eq!(report.encoding, Encoding::Gsm7);
        prop_assert_eq!(report.units, septets);
        prop_assert!(report.non_gsm.is_empty());
    }

    #[test]
    fn units_never_exceed_what_the_segments_hold(text in mixed_text(), options in options()) {
        prop_assume!(clusters_fit_a_segment(&prepare(&text, options)));
        let report = analyze(&text, options);
        let capacity = if report.segments == 1 {
            report.encoding.single_segment_units()
        } else {
            report.segments * report.encoding.multipart_segment_units()
        };
        prop_assert!(report.units <= capacity, "{} units in {} segments", report.units, report.segments);
    }

    #[test]
    fn adding_a_character_never_decreases_the_segment_count(
        text in mixed_text(),
        extra in prop_oneof![chars_of(GSM), proptest::sample::select(MIXED).prop_map(|s| s.chars().next().unwrap_or('a')), any::<char>()],
        options in options(),
    ) {
        let before = analyze(&text, options);
        let after = analyze(&format!("{text}{extra}"), options);
        prop_assert!(after.segments >= before.segments, "{} -> {}", before.segments, after.segments);
    }

    #[test]
    fn one_for_one_smart_encoding_never_costs_more_when_it_reaches_gsm(
        text in text_from(prop_oneof![chars_of(GSM), chars_of(ONE_FOR_ONE)].prop_map(String::from), 400),
    ) {
        let plain = analyze(&text, SegmentOptions::default());
        let smart = analyze(&text, SegmentOptions::default().with_smart_encoding(true));
        prop_assert_eq!(smart.encoding, Encoding::Gsm7);
        prop_assert!(smart.segments <= plain.segments);
        prop_assert!(bits(&smart) <= bits(&plain));
    }

    #[test]
    fn every_grapheme_cluster_lands_whole_in_one_segment(text in mixed_text(), options in options()) {
        let measured = prepare(&text, options);
        let parts = split(&text, options);
        prop_assert_eq!(parts.len(), analyze(&text, options).segments);
        prop_assert_eq!(parts.concat(), measured.as_ref());
        let cluster_starts: Vec<usize> = graphemes(&measured).map(|(offset, _)| offset).collect();
        let mut boundary = 0;
        for part in &parts[..parts.len() - 1] {
            boundary += part.len();
            prop_assert!(boundary == 0 || cluster_starts.contains(&boundary), "segment ends inside a cluster at {}", boundary);
        }
    }

    #[test]
    fn analysis_and_the_body_cap_never_panic_on_any_text(text in any::<String>(), options in options()) {
        let report = analyze(&text, options);
        prop_assert!(report.segments >= 1);
        let _ = super::check_body_cap(&text);
    }
}

#[test]
fn expanding_smart_replacements_can_cost_more_segments() {
    // Smart encoding trades a UCS-2 tab (one unit) for seven GSM spaces: 70 tabs are one
    // UCS-2 segment but 490 septets. The one-for-one law above is the one that holds.
    let tabs = "\t".repeat(70);
    let smart = SegmentOptions::default().with_smart_encoding(true);
    assert_eq!(analyze(&tabs, SegmentOptions::default()).segments, 1);
    assert_eq!(analyze(&tabs, smart).segments, 4);
}
