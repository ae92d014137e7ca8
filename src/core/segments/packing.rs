//! Filling segments with characters, exactly as Twilio's segment calculator does.
//!
//! A segment carries 140 octets (1,120 bits): 160 GSM septets or 70 UCS-2 units. Once a
//! message needs a second segment, every segment reserves 6 octets for the
//! concatenation header, leaving 153 septets or 67 units. Characters (GSM) or grapheme
//! clusters (UCS-2) are never split: one that does not fit starts the next segment.
//!
//! The calculator fills the first segment as if the message were single, and only
//! when something overflows does it add the header there, moving the first segment's
//! last characters to the second segment until the header fits. It never checks
//! whether a character fits an *empty* segment: a grapheme cluster bigger than a whole
//! segment (a base letter with a hundred combining marks) is put alone in a segment
//! that it overflows, after an empty first segment if it comes first. [`Packer`]
//! reproduces all of this while remembering only the first segment's last few sizes.

use super::Encoding;

/// Bits in one SMS: 140 octets.
pub(super) const SEGMENT_BITS: u64 = 1120;
/// Bits of the concatenation header each segment of a multipart message reserves.
pub(super) const HEADER_BITS: u64 = 48;
/// The most characters the header can push out of the first segment: each costs at
/// least 7 bits, so 7 of them free more than the header's 48.
const SPILL_MAX: usize = 7;

/// Hears where each segment after the first starts (a byte offset in the text).
pub(super) trait Boundaries {
    /// A new segment starts at `offset`.
    fn push(&mut self, offset: usize);
}

/// Nobody asked where segments start.
impl Boundaries for () {
    fn push(&mut self, _: usize) {}
}

impl Boundaries for Vec<usize> {
    fn push(&mut self, offset: usize) {
        Vec::push(self, offset);
    }
}

/// Counts segments while characters or clusters (with their sizes in code units) are
/// added in order.
#[derive(Debug, Clone)]
pub(super) struct Packer {
    bits_per_unit: u64,
    segments: usize,
    /// Bits used in the current segment, its header included.
    used: u64,
    /// Sizes and offsets of the first segment's last items while the message is
    /// single, as a ring: item `i` of the first segment is at `i % SPILL_MAX`.
    first_tail: [(u64, usize); SPILL_MAX],
    /// Items in the first segment.
    first_items: usize,
}

impl Packer {
    /// An empty message in `encoding`: one segment, with nothing in it.
    pub(super) fn new(encoding: Encoding) -> Packer {
        Packer {
            bits_per_unit: encoding.bits_per_unit(),
            segments: 1,
            used: 0,
            first_tail: [(0, 0); SPILL_MAX],
            first_items: 0,
        }
    }

    /// Adds an item of `units` code units found at byte `offset`; `boundaries` hears
    /// where each new segment starts.
    #[inline]
    pub(super) fn add(&mut self, units: usize, offset: usize, boundaries: &mut impl Boundaries) {
        let bits = u64::try_from(units)
            .unwrap_or(u64::MAX)
            .saturating_mul(self.bits_per_unit);
        let overflows = self.used.saturating_add(bits) > SEGMENT_BITS;
        if overflows {
            let (used, start) = if self.segments == 1 {
                self.spill_first(offset)
            } else {
                (HEADER_BITS, offset)
            };
            boundaries.push(start);
            self.used = used;
            self.segments += 1;
        } else if self.segments == 1 {
            if let Some(slot) = self.first_tail.get_mut(self.first_items % SPILL_MAX) {
                *slot = (bits, offset);
            }
            self.first_items += 1;
        }
        self.used = self.used.saturating_add(bits);
    }

    /// The segments counted so far (at least one).
    pub(super) fn segments(&self) -> usize {
        self.segments
    }

    /// Puts the header into the first segment and moves its last items out until the
    /// header fits; returns the bits the second segment starts with and its offset.
    fn spill_first(&self, next_offset: usize) -> (u64, usize) {
        let mut first = self.used + HEADER_BITS;
        let mut second = HEADER_BITS;
        let mut start = next_offset;
        let newest_first = (1..=self.first_items.min(SPILL_MAX))
            .filter_map(|back| self.first_tail.get((self.first_items - back) % SPILL_MAX));
        for &(bits, offset) in newest_first {
            if first <= SEGMENT_BITS {
                break;
            }
            first -= bits;
            second += bits;
            start = offset;
        }
        (second, start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(encoding: Encoding, units: &[usize]) -> usize {
        let mut packer = Packer::new(encoding);
        for &n in units {
            packer.add(n, 0, &mut ());
        }
        packer.segments()
    }

    #[test]
    fn a_single_segment_holds_160_septets_or_70_units() {
        assert_eq!(count(Encoding::Gsm7, &[1; 160]), 1);
        assert_eq!(count(Encoding::Gsm7, &[1; 161]), 2);
        assert_eq!(count(Encoding::Ucs2, &[1; 70]), 1);
        assert_eq!(count(Encoding::Ucs2, &[1; 71]), 2);
    }

    #[test]
    fn multipart_segments_hold_153_septets_or_67_units() {
        assert_eq!(count(Encoding::Gsm7, &[1; 306]), 2);
        assert_eq!(count(Encoding::Gsm7, &[1; 307]), 3);
        assert_eq!(count(Encoding::Ucs2, &[1; 134]), 2);
        assert_eq!(count(Encoding::Ucs2, &[1; 135]), 3);
    }

    #[test]
    fn an_extension_character_is_never_split_across_segments() {
        // 306 septets fit two segments when no escape sequence straddles the boundary…
        let mut fits = vec![1; 153];
        fits.extend([2; 76]);
        fits.push(1);
        assert_eq!(count(Encoding::Gsm7, &fits), 2);
        // …but not when the 153rd septet would be the first half of one.
        let mut straddles = vec![1; 152];
        straddles.extend([2; 77]);
        assert_eq!(count(Encoding::Gsm7, &straddles), 3);
    }

    #[test]
    fn an_item_bigger_than_a_segment_leaves_the_first_segment_empty() {
        assert_eq!(count(Encoding::Ucs2, &[101]), 2);
        assert_eq!(count(Encoding::Ucs2, &[101, 1]), 3);
    }

    #[test]
    fn new_segments_start_where_the_header_pushed_items_out() {
        let mut starts = Vec::new();
        let mut packer = Packer::new(Encoding::Gsm7);
        for i in 0..161 {
            packer.add(1, i, &mut starts);
        }
        assert_eq!(starts, [153]);
    }
}
