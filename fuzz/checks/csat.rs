//! CSAT replies: parsing never panics on any text, a rating's score is 1–5 and
//! its comment is the end of the reply, and what a reply means does not depend on
//! the white space around it. A rating rewritten canonically (`"4 - comment"`)
//! parses back to itself, and words before it make it an ordinary message.

use msgcore::core::csat::Rating;

/// Runs one fuzz input: the reply itself.
pub fn check(data: &[u8]) {
    let Ok(reply) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = Rating::parse(reply);
    let padded = format!(" \t{reply}\u{3000}\n");
    assert_eq!(Rating::parse(&padded), parsed, "{padded:?}");
    let Some(rating) = parsed else {
        return;
    };
    assert!((1..=5).contains(&rating.score.get()));
    assert!(!reply.contains('?'), "a question is never a rating");
    let canonical = match &rating.comment {
        Some(comment) => {
            assert!(!comment.is_empty());
            assert!(reply.trim_end().ends_with(comment.as_str()), "{comment:?}");
            assert!(!comment.starts_with(char::is_numeric));
            format!("{} - {comment}", rating.score)
        }
        None => rating.score.to_string(),
    };
    assert_eq!(Rating::parse(&canonical), Some(rating), "{canonical:?}");
    assert_eq!(Rating::parse(&format!("I said {reply}")), None);
}
