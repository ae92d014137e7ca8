//! Grapheme clusters exactly as Twilio's segment calculator sees them.
//!
//! The calculator (`sms-segments-calculator` 1.3.0) splits text with
//! `grapheme-splitter` 1.0.4, which implements UAX #29 of Unicode 10 (the emoji
//! classes `E_Base`, `E_Modifier`, `Glue_After_Zwj`, `E_Base_GAZ`, no
//! `Extended_Pictographic`), and then cuts every `\r\n` cluster in two. Where a
//! segment breaks depends on these clusters, so they are reproduced here rather than
//! taken from a current Unicode segmenter, which joins newer emoji ZWJ sequences
//! differently.
//!
//! `grapheme-splitter` decides each break from the class of the cluster's first code
//! point, the classes since then, and the next class. It reads that history in a few
//! ways that differ from the letter of UAX #29, and the calculator's answers follow
//! them, so [`Cluster`] keeps just enough of the history to give the same answers:
//!
//! - An emoji modifier after `Extend` breaks unless the cluster *started* with an
//!   emoji base, and once a cluster holds `Extend…E_Modifier`, every later code point
//!   breaks unless the cluster started with an emoji base.
//! - A cluster holding a run of regional indicators followed by anything else breaks
//!   before the next code point (`🇺🇸` + two combining marks gives two clusters).
//! - An emoji modifier joins an emoji base across `Extend` only when that `Extend` is
//!   the last code point and the base right before it.
//! - A regional indicator never joins a second one after a `Prepend`.
//!
//! Every one of these is checked against the calculator by the differential oracle
//! (`scripts/segments_oracle.js`, `tests/segments_oracle.rs`).

mod table;

use table::RANGES;

/// `Grapheme_Cluster_Break` values of Unicode 10.0.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Gcb {
    Other,
    Cr,
    Lf,
    Control,
    Extend,
    RegionalIndicator,
    SpacingMark,
    L,
    V,
    T,
    Lv,
    Lvt,
    Prepend,
    EBase,
    EModifier,
    Zwj,
    GlueAfterZwj,
    EBaseGaz,
}

const HANGUL_SYLLABLES: std::ops::RangeInclusive<u32> = 0xAC00..=0xD7A3;
/// Every 28th Hangul syllable has no final consonant (LV); the others have one (LVT).
const HANGUL_FINALS: u32 = 28;

/// The `Grapheme_Cluster_Break` class of `c` in Unicode 10.0.0.
pub(super) fn class_of(c: char) -> Gcb {
    let cp = u32::from(c);
    if cp < 0x80 {
        return match c {
            '\r' => Gcb::Cr,
            '\n' => Gcb::Lf,
            _ if c.is_ascii_control() => Gcb::Control,
            _ => Gcb::Other,
        };
    }
    if HANGUL_SYLLABLES.contains(&cp) {
        let index = cp - HANGUL_SYLLABLES.start();
        return if index.is_multiple_of(HANGUL_FINALS) {
            Gcb::Lv
        } else {
            Gcb::Lvt
        };
    }
    let i = RANGES.partition_point(|&(_, last, _)| last < cp);
    match RANGES.get(i) {
        Some(&(first, _, class)) if first <= cp => class,
        _ => Gcb::Other,
    }
}

/// What [`Cluster::breaks_before`] needs to know about the cluster so far.
///
/// The "middle" is every code point after the first one.
#[derive(Debug, Clone, Copy)]
struct Cluster {
    first: Gcb,
    /// The last code point's class (the first one's while the middle is empty).
    last: Gcb,
    /// The class before `last`, if `last` is not the first code point.
    before_last: Option<Gcb>,
    has_middle: bool,
    middle_all_extend: bool,
    middle_all_regional: bool,
    /// The middle is `Extend+ E_Modifier` followed by anything but `E_Modifier`.
    extend_then_modifier: bool,
    /// The middle is `RI+` followed by anything but `RI`.
    regional_run_then_other: bool,
    any_extend: bool,
    middle_has_regional: bool,
}

impl Cluster {
    fn new(first: Gcb) -> Cluster {
        Cluster {
            first,
            last: first,
            before_last: None,
            has_middle: false,
            middle_all_extend: true,
            middle_all_regional: true,
            extend_then_modifier: false,
            regional_run_then_other: false,
            any_extend: first == Gcb::Extend,
            middle_has_regional: false,
        }
    }

    fn push(&mut self, next: Gcb) {
        if next == Gcb::EModifier {
            self.extend_then_modifier = self.has_middle && self.middle_all_extend;
        }
        if next == Gcb::RegionalIndicator {
            self.regional_run_then_other = self.middle_all_regional;
            self.middle_has_regional = true;
        }
        self.middle_all_extend &= next == Gcb::Extend;
        self.middle_all_regional &= next == Gcb::RegionalIndicator;
        self.any_extend |= next == Gcb::Extend;
        self.before_last = Some(self.last);
        self.last = next;
        self.has_middle = true;
    }

    fn breaks_before(&self, next: Gcb) -> bool {
        use Gcb::*;
        if self.modifier_lookahead_breaks(next) || self.regional_lookahead_breaks(next) {
            return true;
        }
        let last = self.last;
        // GB4, GB5 (and GB3: the calculator cuts CR LF in two anyway).
        if matches!(last, Control | Cr | Lf) || matches!(next, Control | Cr | Lf) {
            return true;
        }
        // GB6–GB8: Hangul syllable sequences.
        let hangul = matches!(
            (last, next),
            (L, L | V | Lv | Lvt) | (Lv | V, V | T) | (Lvt | T, T)
        );
        // GB9, GB9a, GB9b.
        if hangul || matches!(next, Extend | Zwj | SpacingMark) || last == Prepend {
            return false;
        }
        // GB10, GB11.
        if (next == EModifier && self.modifier_has_base())
            || (last == Zwj && matches!(next, GlueAfterZwj | EBaseGaz))
        {
            return false;
        }
        // GB12, GB13: regional indicators pair up.
        self.middle_has_regional || !(last == RegionalIndicator && next == RegionalIndicator)
    }

    /// grapheme-splitter's look-ahead for GB10, which breaks after `Extend…E_Modifier`
    /// unless the cluster started with an emoji base (or `Extend`).
    fn modifier_lookahead_breaks(&self, next: Gcb) -> bool {
        let applies = if next == Gcb::EModifier {
            self.has_middle && self.middle_all_extend
        } else {
            self.extend_then_modifier
        };
        applies && !matches!(self.first, Gcb::Extend | Gcb::EBase | Gcb::EBaseGaz)
    }

    /// grapheme-splitter's look-ahead for GB12/GB13, which breaks after a run of
    /// regional indicators that something else followed.
    fn regional_lookahead_breaks(&self, next: Gcb) -> bool {
        let applies = if next == Gcb::RegionalIndicator {
            self.middle_all_regional
        } else {
            self.regional_run_then_other
        };
        applies && !matches!(self.last, Gcb::Prepend | Gcb::RegionalIndicator)
    }

    /// GB10 as grapheme-splitter reads it: the base must be the last code point, or
    /// right before the last one when that is the cluster's last `Extend`.
    fn modifier_has_base(&self) -> bool {
        let is_base = |class: Option<Gcb>| matches!(class, Some(Gcb::EBase | Gcb::EBaseGaz));
        if self.any_extend {
            self.last == Gcb::Extend && is_base(self.before_last)
        } else {
            is_base(Some(self.last))
        }
    }
}

/// The calculator's grapheme clusters of a text, with their byte offsets.
#[derive(Debug, Clone)]
pub(super) struct Graphemes<'a> {
    rest: &'a str,
    offset: usize,
}

/// Splits `text` into the calculator's grapheme clusters.
pub(super) fn graphemes(text: &str) -> Graphemes<'_> {
    Graphemes {
        rest: text,
        offset: 0,
    }
}

impl<'a> Iterator for Graphemes<'a> {
    /// The cluster's byte offset in the text, and the cluster.
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        let mut chars = self.rest.char_indices();
        let (_, first) = chars.next()?;
        let mut cluster = Cluster::new(class_of(first));
        let mut end = self.rest.len();
        for (i, c) in chars {
            let class = class_of(c);
            if cluster.breaks_before(class) {
                end = i;
                break;
            }
            cluster.push(class);
        }
        let (grapheme, rest) = self.rest.split_at_checked(end)?;
        let offset = self.offset;
        self.rest = rest;
        self.offset += end;
        Some((offset, grapheme))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        graphemes(text).map(|(_, g)| g).collect()
    }

    #[test]
    fn classes_come_from_unicode_10() {
        assert_eq!(class_of('a'), Gcb::Other);
        assert_eq!(class_of('\u{0301}'), Gcb::Extend);
        assert_eq!(class_of('\u{1F466}'), Gcb::EBaseGaz);
        assert_eq!(class_of('\u{1F3FB}'), Gcb::EModifier);
        assert_eq!(class_of('\u{200D}'), Gcb::Zwj);
        assert_eq!(class_of('\u{1F1FA}'), Gcb::RegionalIndicator);
        assert_eq!(class_of('\u{AC00}'), Gcb::Lv);
        assert_eq!(class_of('\u{AC01}'), Gcb::Lvt);
        assert_eq!(class_of('\u{1100}'), Gcb::L);
        // Unicode 11's red-hair component is still Other in Unicode 10.
        assert_eq!(class_of('\u{1F9B0}'), Gcb::Other);
        assert_eq!(class_of('\u{10FFFF}'), Gcb::Other);
    }

    #[test]
    fn the_generated_table_is_sorted_and_disjoint() {
        assert!(RANGES.windows(2).all(|w| w[0].1 < w[1].0));
        assert!(RANGES.iter().all(|&(first, last, _)| first <= last));
    }

    #[test]
    fn crlf_is_cut_in_two_like_the_calculator_does() {
        assert_eq!(split("a\r\nb"), ["a", "\r", "\n", "b"]);
    }

    #[test]
    fn combining_marks_and_emoji_modifiers_join_their_base() {
        assert_eq!(split("e\u{301}x"), ["e\u{301}", "x"]);
        assert_eq!(split("\u{1F44D}\u{1F3FD}!"), ["\u{1F44D}\u{1F3FD}", "!"]);
    }

    #[test]
    fn unicode_10_zwj_sequences_join_and_newer_ones_do_not() {
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        assert_eq!(split(family), [family]);
        // Woman + ZWJ + red hair (Unicode 11): the component is Other in Unicode 10.
        assert_eq!(
            split("\u{1F469}\u{200D}\u{1F9B0}"),
            ["\u{1F469}\u{200D}", "\u{1F9B0}"]
        );
    }

    #[test]
    fn regional_indicators_pair_up() {
        let us = "\u{1F1FA}\u{1F1F8}";
        let three = "\u{1F1FA}\u{1F1F8}\u{1F1EB}";
        assert_eq!(split(three), [us, "\u{1F1EB}"]);
    }

    #[test]
    fn a_flag_keeps_only_its_first_combining_mark() {
        let flag_and_mark = "\u{1F1FA}\u{1F1F8}\u{301}";
        assert_eq!(
            split("\u{1F1FA}\u{1F1F8}\u{301}\u{301}"),
            [flag_and_mark, "\u{301}"]
        );
    }

    #[test]
    fn a_modifier_after_a_mark_on_a_non_base_stands_alone() {
        assert_eq!(split("a\u{301}\u{1F3FB}"), ["a\u{301}", "\u{1F3FB}"]);
        // And an emoji base keeps it across one mark.
        let base = "\u{1F44D}\u{301}\u{1F3FB}";
        assert_eq!(split(base), [base]);
    }

    #[test]
    fn hangul_jamo_form_syllables() {
        assert_eq!(
            split("\u{1100}\u{1161}\u{11A8}\u{1100}"),
            ["\u{1100}\u{1161}\u{11A8}", "\u{1100}"]
        );
    }

    #[test]
    fn offsets_locate_each_cluster() {
        let text = "h\u{e9}\u{301}!";
        let found: Vec<_> = graphemes(text).collect();
        assert_eq!(found, [(0, "h"), (1, "\u{e9}\u{301}"), (5, "!")]);
    }
}
