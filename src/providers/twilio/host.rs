//! The two host checks Python 3.11's `urlsplit` makes, so that a URL it refuses
//! (and twilio-python with it) is refused here too.
//!
//! - A bracketed host must be an IPv6 address (with an optional `%scope`) as
//!   `ipaddress.ip_address` reads it, or an `IPvFuture` (`v1.x`); an IPv4 address
//!   in brackets is refused.
//! - A non-ASCII netloc must not contain a character whose NFKC form holds one of
//!   `/ ? # @ :` (the full-width solidus, `℀`, …), which would change the URL's
//!   structure once a browser or IDNA normalizes it.

use crate::providers::signature::SignatureError;

/// The characters whose NFKC normalization contains `/`, `?`, `#`, `@` or `:`,
/// from Python 3.11's `unicodedata` (Unicode 14.0).
///
/// Composition never creates or absorbs these ASCII characters, so checking each
/// character alone is the same as normalizing the whole netloc.
const EXPANDS_TO_DELIMITER: &[char] = &[
    '\u{2047}', '\u{2048}', '\u{2049}', '\u{2100}', '\u{2101}', '\u{2105}', '\u{2106}', '\u{2a74}',
    '\u{fe13}', '\u{fe16}', '\u{fe55}', '\u{fe56}', '\u{fe5f}', '\u{fe6b}', '\u{ff03}', '\u{ff0f}',
    '\u{ff1a}', '\u{ff1f}', '\u{ff20}',
];

/// `_checknetloc`: refuses a netloc that NFKC would give a new delimiter.
pub(crate) fn check_netloc_normalization(netloc: &str) -> Result<(), SignatureError> {
    if netloc.contains(EXPANDS_TO_DELIMITER) {
        return Err(SignatureError::MalformedUrl {
            reason: "the host contains a character that normalizes to a URL delimiter",
        });
    }
    Ok(())
}

/// `_check_bracketed_host`: what is between `[` and `]` must be an IPv6 address
/// or an IPvFuture.
pub(crate) fn check_bracketed_host(host: &str) -> Result<(), SignatureError> {
    let valid = match host.strip_prefix('v') {
        Some(future) => is_ip_future(future),
        None => is_ipv6_with_scope(host),
    };
    if valid {
        Ok(())
    } else {
        Err(SignatureError::MalformedUrl {
            reason: "the bracketed host is not an IPv6 address",
        })
    }
}

/// `v[0-9A-Fa-f]+\..+` after the `v`: a version in hex, a dot, and anything
/// (but a newline) after it.
fn is_ip_future(after_v: &str) -> bool {
    let version_len = after_v.bytes().take_while(u8::is_ascii_hexdigit).count();
    let rest = after_v.get(version_len..).unwrap_or_default();
    match rest.strip_prefix('.') {
        Some(tail) => version_len > 0 && !tail.is_empty() && !tail.contains('\n'),
        None => false,
    }
}

/// `ipaddress.IPv6Address`: an address, then optionally `%` and a non-empty
/// scope without another `%`. (An IPv4 address alone is refused by the caller's
/// rule that brackets hold IPv6, which is what this checks.)
fn is_ipv6_with_scope(text: &str) -> bool {
    let address = match text.split_once('%') {
        Some((address, scope)) if !scope.is_empty() && !scope.contains('%') => address,
        Some(_) => return false,
        None => text,
    };
    is_ipv6(address)
}

/// `_BaseV6._ip_int_from_string`: at most 8 hextets of at most 4 hex digits,
/// one `::` standing for at least one zero hextet, and an optional IPv4 tail.
fn is_ipv6(address: &str) -> bool {
    let mut parts: Vec<&str> = address.split(':').collect();
    if parts.len() < 3 {
        return false;
    }
    if parts.last().is_some_and(|last| last.contains('.')) {
        if !parts.pop().is_some_and(is_ipv4) {
            return false;
        }
        // The IPv4 tail stands for two hextets.
        parts.extend(["0", "0"]);
    }
    let last = parts.len() - 1;
    if last > 8 {
        return false;
    }
    let is_empty = |i: usize| parts.get(i).is_some_and(|p| p.is_empty());
    let gaps: Vec<usize> = (1..last).filter(|&i| is_empty(i)).collect();
    let (high, low) = match gaps.as_slice() {
        [] if last == 7 && !is_empty(0) && !is_empty(last) => (parts.as_slice(), &[][..]),
        // A leading or trailing `:` must be half of the `::`.
        [gap] if (!is_empty(0) || *gap == 1) && (!is_empty(last) || *gap == last - 1) => {
            let high = parts.get(usize::from(is_empty(0))..*gap);
            let low = parts.get(gap + 1..parts.len() - usize::from(is_empty(last)));
            (high.unwrap_or_default(), low.unwrap_or_default())
        }
        _ => return false,
    };
    // `::` must stand for at least one zero hextet.
    let explicit = high.len() + low.len();
    (gaps.is_empty() || explicit < 8) && high.iter().chain(low).all(|hextet| is_hextet(hextet))
}

/// `_parse_hextet`: one to four ASCII hex digits.
fn is_hextet(text: &str) -> bool {
    (1..=4).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `_BaseV4._ip_int_from_string`: four dot-separated decimal octets, each 0–255
/// without leading zeros.
fn is_ipv4(text: &str) -> bool {
    let octets: Vec<&str> = text.split('.').collect();
    octets.len() == 4 && octets.iter().all(|octet| is_octet(octet))
}

/// `_parse_octet`: `0`, or one to three ASCII digits without a leading zero, at most 255.
fn is_octet(text: &str) -> bool {
    let digits = (1..=3).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    let leading_zero = text.len() > 1 && text.starts_with('0');
    digits && !leading_zero && text.parse::<u8>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Python 3.11's `urllib.parse._check_bracketed_host` on each host.
    const PYTHON_VERDICTS: &[(&str, bool)] = &[
        ("::1", true),
        ("fe80::1%eth0", true),
        ("fe80::1%", false),
        ("fe80::1%a%b", false),
        ("v1.x", true),
        ("v.x", false),
        ("vg.x", false),
        ("V1.x", false),
        ("v1.", false),
        ("1.2.3.4", false),
        ("::ffff:1.2.3.4", true),
        ("::ffff:1.2.3.04", false),
        ("1:2:3:4:5:6:7:8", true),
        ("1::2::3", false),
        ("1:2:3:4:5:6:7::8", false),
        ("::1:2:3:4:5:6:7", true),
        ("1:2:3:4:5:6:7::", true),
        ("1:2:3:4:5:6:7:8:9", false),
        (":1:2:3:4:5:6:7", false),
        ("1:2:3:4:5:6:7:", false),
        ("12345::", false),
        ("::g", false),
        ("::", true),
        (":::", false),
        ("1:2:3:4:5:6:1.2.3.4", true),
        ("1::1.2.3.4", true),
        ("::1.2.3", false),
        ("::256.1.1.1", false),
        ("", false),
        ("1:2", false),
        ("::FFFF:abcd", true),
        ("1:2:3:4:5:6:7:8%s", true),
        ("1:2:3:4:5::1.2.3.4", true),
    ];

    #[test]
    fn bracketed_hosts_are_judged_as_python_judges_them() {
        for &(host, valid) in PYTHON_VERDICTS {
            assert_eq!(check_bracketed_host(host).is_ok(), valid, "[{host}]");
        }
    }

    #[test]
    fn a_netloc_with_a_character_that_normalizes_to_a_delimiter_is_refused() {
        assert!(check_netloc_normalization("ex\u{ff0f}ample.com").is_err());
        assert!(check_netloc_normalization("a\u{2100}b").is_err());
        assert!(check_netloc_normalization("b\u{fc}cher.de").is_ok());
        assert!(check_netloc_normalization("\u{ff41}\u{ff42}.com").is_ok());
    }
}
