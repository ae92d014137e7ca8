//! Keyword classification: never panics on any message or tenant configuration,
//! and what a message means never depends on the white space and punctuation
//! around it.
//!
//! Input: the tenant's added keywords on the first line (`opt-out|opt-in|help`, each
//! list comma-separated), the message after it. An even-length message also turns
//! on typographic apostrophes.

use msgcore::core::keyword::{Classification, KeywordConfig, KeywordSet, normalize};

/// White space and punctuation to wrap a message in.
const PADDING: [(&str, &str); 5] = [
    (" ", ""),
    ("", "!"),
    ("¡¿\u{3000}", "?!\n"),
    ("«\u{00A0}", "»…"),
    ("\"(\t", ")\u{2029}"),
];

/// Runs one fuzz input.
pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (tenant, message) = text.split_once('\n').unwrap_or(("", text));
    let keywords = KeywordSet::new(&config(tenant, message)).unwrap_or_default();

    let classification = keywords.classify(message);
    for (before, after) in PADDING {
        let padded = format!("{before}{message}{after}");
        assert_eq!(keywords.classify(&padded), classification, "{padded:?}");
    }
    assert_eq!(keywords.classify(&normalize(message)), classification);
    if let Classification::Keyword { keyword, .. } = classification {
        assert_eq!(normalize(message), keyword);
    }
    for (keyword, action) in keywords.keywords() {
        assert_eq!(
            keywords.classify(keyword),
            Classification::Keyword { action, keyword }
        );
    }
}

fn config(tenant: &str, message: &str) -> KeywordConfig {
    let mut lists = tenant.split('|').map(|list| {
        list.split(',')
            .filter(|word| !word.is_empty())
            .map(String::from)
            .collect::<Vec<_>>()
    });
    KeywordConfig {
        opt_out: lists.next().unwrap_or_default(),
        opt_in: lists.next().unwrap_or_default(),
        help: lists.next().unwrap_or_default(),
        typographic_apostrophes: message.len().is_multiple_of(2),
        ..KeywordConfig::default()
    }
}
