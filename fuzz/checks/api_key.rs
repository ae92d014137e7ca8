//! API key tokens, as a request's `Authorization` header brings them: reading
//! one never panics on any bytes; a token that reads names its key in the
//! token's own id digits and is opened by the hash of exactly its own text.

use msgcore::core::api_key::{KeyGrant, KeyHash, PresentedKey, Scope, Scopes};

/// Runs one fuzz input: the token text.
pub fn check(data: &[u8]) {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(presented) = PresentedKey::parse(token) else {
        return;
    };
    let id = presented.id().as_uuid().simple().to_string();
    assert_eq!(token.get(8..40), Some(id.as_str()), "{token:?}");
    let grant = |hash| KeyGrant {
        hash,
        scopes: Scopes::from([Scope::Admin]),
        expires_at: None,
        revoked_at: None,
    };
    let now = chrono::DateTime::UNIX_EPOCH;
    assert!(
        grant(KeyHash::of(token))
            .check(&presented, Scope::Admin, now)
            .is_ok()
    );
    let other = format!("{token} ");
    assert!(
        grant(KeyHash::of(&other))
            .check(&presented, Scope::Admin, now)
            .is_err()
    );
}
