//! Segment counting: never panics, and the laws of `msgcore::core::segments` hold.
//!
//! Input: the first byte's low bit turns smart encoding on; the rest is the text (as
//! UTF-8, invalid sequences replaced).

use msgcore::core::segments::{
    BODY_CAP, Encoding, SegmentOptions, analyze, check_body_cap, smart_encode, split,
};

/// Runs one fuzz input.
pub fn check(data: &[u8]) {
    let Some((&flags, text)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(text);
    let options = SegmentOptions::default().with_smart_encoding(flags & 1 == 1);
    let measured = if options.smart_encoding {
        smart_encode(&text)
    } else {
        text.clone()
    };
    let report = analyze(&text, options);

    assert!(report.segments >= 1);
    let all_gsm = measured.chars().all(|c| {
        analyze(c.encode_utf8(&mut [0; 4]), SegmentOptions::default()).encoding == Encoding::Gsm7
    });
    assert_eq!(report.encoding == Encoding::Gsm7, all_gsm);
    assert_eq!(report.non_gsm.is_empty(), report.encoding == Encoding::Gsm7);
    if report.encoding == Encoding::Ucs2 {
        assert_eq!(report.units, measured.encode_utf16().count());
    } else {
        assert!(
            report.units >= measured.chars().count()
                && report.units <= 2 * measured.chars().count()
        );
    }

    // Units fit the segments whenever every cluster fits a segment.
    let clusters_fit = report
        .non_gsm
        .iter()
        .all(|g| g.encode_utf16().count() <= Encoding::Ucs2.multipart_segment_units());
    if clusters_fit {
        let capacity = match report.segments {
            1 => report.encoding.single_segment_units(),
            n => n * report.encoding.multipart_segment_units(),
        };
        assert!(report.units <= capacity);
    }

    // The segments' texts rebuild the message, one per segment.
    let parts = split(&text, options);
    assert_eq!(parts.len(), report.segments);
    assert_eq!(parts.concat(), measured);

    // One more character never takes fewer segments.
    let longer = analyze(&format!("{text}x"), options);
    assert!(longer.segments >= report.segments);

    let within_cap = text.encode_utf16().count() <= BODY_CAP;
    assert_eq!(check_body_cap(&text).is_ok(), within_cap);
}
