//! API keys (SPEC §16): what a key may do, how its secret is written, and
//! whether a presented key opens a request.
//!
//! A key's secret is shown once, when it is issued, and never stored: the store
//! keeps the SHA-256 hash of the whole token ([`KeyHash`]), and a presented
//! token is checked by hashing it and comparing the hashes in constant time.
//! The token names its key (`msgcore_<id>_<secret>`), so a request costs one
//! lookup by id, and its 256 random bits are what no one can guess. The
//! `msgcore_` prefix lets secret scanners recognise a leaked key.
//!
//! Everything here is pure: the random bytes, the key's id and `now` are
//! arguments; the [`service`](crate::service) layer draws them.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use msgcore::core::api_key::{
//!     ApiKeyId, IssuedKey, KeyGrant, KeyRefusal, PresentedKey, Scope, Scopes,
//! };
//!
//! let id = ApiKeyId::from_uuid(uuid::Uuid::from_u128(7));
//! let issued = IssuedKey::new(id, [42; 32]);
//! let token = issued.token().to_owned(); // shown to the user once
//! let grant = KeyGrant {
//!     hash: *issued.hash(), // stored
//!     scopes: Scopes::from([Scope::ContactsRead]),
//!     expires_at: None,
//!     revoked_at: None,
//! };
//!
//! let presented = PresentedKey::parse(&token).unwrap();
//! assert_eq!(presented.id(), id);
//! let now = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap();
//! assert_eq!(grant.check(&presented, Scope::ContactsRead, now), Ok(()));
//! assert_eq!(
//!     grant.check(&presented, Scope::MessagesSend, now),
//!     Err(KeyRefusal::MissingScope { needed: Scope::MessagesSend })
//! );
//! ```

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::id::uuid_id;

uuid_id!(
    /// An API key of one tenant; its token names it, so a request costs one
    /// lookup.
    ApiKeyId
);

/// What every token starts with, so that scanners recognise a leaked key.
pub const TOKEN_PREFIX: &str = "msgcore_";

/// How many random bytes a secret carries: 256 bits.
pub const SECRET_BYTES: usize = 32;

/// How often a key's last-used time is written at most: a key used on every
/// request would otherwise cost a write per request.
pub const LAST_USED_GRANULARITY: TimeDelta = TimeDelta::minutes(1);

/// The id part of a token: the key's UUID as 32 lower-case hex digits.
const ID_CHARS: usize = 32;
/// The secret part of a token: [`SECRET_BYTES`] in unpadded base64url.
const SECRET_CHARS: usize = 43;

/// One permission a key can hold (SPEC §19).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Scope {
    /// Read contacts.
    #[serde(rename = "contacts:read")]
    ContactsRead,
    /// Create, update and import contacts.
    #[serde(rename = "contacts:write")]
    ContactsWrite,
    /// Read conversations and messages.
    #[serde(rename = "messages:read")]
    MessagesRead,
    /// Send messages.
    #[serde(rename = "messages:send")]
    MessagesSend,
    /// Create and control campaigns.
    #[serde(rename = "campaigns:write")]
    CampaignsWrite,
    /// Everything, including the tenant's keys and outgoing webhooks.
    #[serde(rename = "admin")]
    Admin,
}

impl Scope {
    /// Every scope, in the order SPEC §19 lists them.
    pub const ALL: [Scope; 6] = [
        Scope::ContactsRead,
        Scope::ContactsWrite,
        Scope::MessagesRead,
        Scope::MessagesSend,
        Scope::CampaignsWrite,
        Scope::Admin,
    ];

    /// The scope's wire name (`"contacts:read"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Scope::ContactsRead => "contacts:read",
            Scope::ContactsWrite => "contacts:write",
            Scope::MessagesRead => "messages:read",
            Scope::MessagesSend => "messages:send",
            Scope::CampaignsWrite => "campaigns:write",
            Scope::Admin => "admin",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A scope name that is not one of [`Scope::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown scope {name:?}; expected one of contacts:read, contacts:write, messages:read, messages:send, campaigns:write, admin"
)]
pub struct UnknownScope {
    /// The name given.
    pub name: String,
}

impl FromStr for Scope {
    type Err = UnknownScope;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == name)
            .ok_or_else(|| UnknownScope {
                name: name.to_owned(),
            })
    }
}

/// The scopes a key was granted. [`Scope::Admin`] grants every scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Scopes(BTreeSet<Scope>);

impl Scopes {
    /// Whether a key with these scopes may do what `needed` guards.
    pub fn allows(&self, needed: Scope) -> bool {
        self.0.contains(&Scope::Admin) || self.0.contains(&needed)
    }

    /// The scopes granted, in [`Scope::ALL`]'s order.
    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        self.0.iter().copied()
    }

    /// Whether no scope was granted (such a key opens nothing).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<const N: usize> From<[Scope; N]> for Scopes {
    fn from(scopes: [Scope; N]) -> Self {
        Scopes(scopes.into())
    }
}

impl FromIterator<Scope> for Scopes {
    fn from_iter<I: IntoIterator<Item = Scope>>(scopes: I) -> Self {
        Scopes(scopes.into_iter().collect())
    }
}

/// The SHA-256 hash of a token: all a store keeps of a key's secret.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct KeyHash([u8; 32]);

impl KeyHash {
    /// The hash of `token`.
    pub fn of(token: &str) -> KeyHash {
        KeyHash(Sha256::digest(token.as_bytes()).into())
    }

    /// Whether `self` and `other` are equal, compared in constant time so that
    /// the time a refusal takes says nothing about how close a guess was.
    pub fn matches(&self, other: &KeyHash) -> bool {
        self.0.ct_eq(&other.0).into()
    }

    /// The hash as 64 lower-case hex digits, as stores write it.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

/// Not a 64-digit hex SHA-256 hash (a store fault).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a key hash is 64 hex digits")]
pub struct MalformedHash;

impl TryFrom<String> for KeyHash {
    type Error = MalformedHash;

    fn try_from(hex: String) -> Result<Self, Self::Error> {
        let mut bytes = [0_u8; 32];
        if hex.len() != 64 || !hex.is_ascii() {
            return Err(MalformedHash);
        }
        for (byte, pair) in bytes.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
            let digits = std::str::from_utf8(pair).map_err(|_| MalformedHash)?;
            *byte = u8::from_str_radix(digits, 16).map_err(|_| MalformedHash)?;
        }
        Ok(KeyHash(bytes))
    }
}

impl From<KeyHash> for String {
    fn from(hash: KeyHash) -> String {
        hash.to_hex()
    }
}

impl fmt::Debug for KeyHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A hash is not a secret, but nobody needs to read it in a log.
        f.write_str("KeyHash(..)")
    }
}

/// A key just issued: its token, to show once, and the hash to store.
///
/// Its `Debug` hides the token, so a key logged by accident leaks nothing.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedKey {
    token: String,
    hash: KeyHash,
}

impl IssuedKey {
    /// The key `id` with the secret `random` (draw it from the operating
    /// system's random source: `getrandom`).
    pub fn new(id: ApiKeyId, random: [u8; SECRET_BYTES]) -> IssuedKey {
        let token = format!(
            "{TOKEN_PREFIX}{}_{}",
            id.as_uuid().simple(),
            URL_SAFE_NO_PAD.encode(random)
        );
        let hash = KeyHash::of(&token);
        IssuedKey { token, hash }
    }

    /// The token: shown once to whoever created the key, then forgotten.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The hash the store keeps.
    pub fn hash(&self) -> &KeyHash {
        &self.hash
    }
}

impl fmt::Debug for IssuedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedKey")
            .field("token", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// A token as a request presented it: well formed, its key named, not yet
/// checked. Its `Debug` hides the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct PresentedKey {
    id: ApiKeyId,
    hash: KeyHash,
}

impl PresentedKey {
    /// Reads a token (`msgcore_<32 hex>_<43 base64url>`); anything else is
    /// [`KeyRefusal::Malformed`]. Never panics, whatever the input.
    pub fn parse(token: &str) -> Result<PresentedKey, KeyRefusal> {
        let rest = token
            .strip_prefix(TOKEN_PREFIX)
            .ok_or(KeyRefusal::Malformed)?;
        let (id, secret) = rest.split_once('_').ok_or(KeyRefusal::Malformed)?;
        let well_formed = id.len() == ID_CHARS
            && id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            && secret.len() == SECRET_CHARS
            && URL_SAFE_NO_PAD.decode(secret).is_ok();
        if !well_formed {
            return Err(KeyRefusal::Malformed);
        }
        let id = Uuid::try_parse(id).map_err(|_| KeyRefusal::Malformed)?;
        Ok(PresentedKey {
            id: ApiKeyId::from_uuid(id),
            hash: KeyHash::of(token),
        })
    }

    /// The key the token names.
    pub fn id(&self) -> ApiKeyId {
        self.id
    }
}

impl fmt::Debug for PresentedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresentedKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Why a request's key was refused. Every refusal but
/// [`MissingScope`](KeyRefusal::MissingScope) is a 401; that one is a 403.
///
/// The messages never repeat the token, and say nothing about a key to
/// someone who does not hold its secret: a wrong secret and an unknown key
/// read the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyRefusal {
    /// The request carried no key.
    #[error("missing API key: send `Authorization: Bearer <key>`")]
    Missing,
    /// The token is not of the form keys are issued in.
    #[error("invalid API key")]
    Malformed,
    /// No key has the id the token names, or the secret is wrong.
    #[error("invalid API key")]
    Invalid,
    /// The key was revoked.
    #[error("API key revoked")]
    Revoked,
    /// The key's expiry has passed.
    #[error("API key expired")]
    Expired,
    /// The key is valid but was not granted the scope the request needs.
    #[error("this API key lacks the scope {needed}")]
    MissingScope {
        /// The scope the request needs.
        needed: Scope,
    },
}

impl KeyRefusal {
    /// 401 for a key that does not open anything, 403 for a valid key without
    /// the scope.
    pub const fn http_status(self) -> u16 {
        match self {
            KeyRefusal::MissingScope { .. } => 403,
            _ => 401,
        }
    }
}

/// What a stored key grants, and until when: all [`KeyGrant::check`] needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyGrant {
    /// The hash of the key's token.
    pub hash: KeyHash,
    /// What the key may do.
    pub scopes: Scopes,
    /// When the key stops working, if ever.
    pub expires_at: Option<DateTime<Utc>>,
    /// When the key was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl KeyGrant {
    /// Whether `presented` opens a request that needs `needed` at `now`.
    ///
    /// The secret is checked first, so that only a holder of the secret learns
    /// that a key is revoked, expired or short of a scope. A key expires at its
    /// `expires_at` (an expiry of 09:00 refuses a request at 09:00).
    pub fn check(
        &self,
        presented: &PresentedKey,
        needed: Scope,
        now: DateTime<Utc>,
    ) -> Result<(), KeyRefusal> {
        self.opens(presented, now)?;
        match self.scopes.allows(needed) {
            true => Ok(()),
            false => Err(KeyRefusal::MissingScope { needed }),
        }
    }

    /// Whether `presented` is this key, neither revoked nor expired at `now`,
    /// whatever its scopes: [`check`](KeyGrant::check) without the scope.
    pub fn opens(&self, presented: &PresentedKey, now: DateTime<Utc>) -> Result<(), KeyRefusal> {
        if !presented.hash.matches(&self.hash) {
            return Err(KeyRefusal::Invalid);
        }
        self.in_force(now)
    }

    /// Whether the key is neither revoked nor expired at `now`: for a key
    /// that opened a request, checked again while the request lasts.
    pub fn in_force(&self, now: DateTime<Utc>) -> Result<(), KeyRefusal> {
        if self.revoked_at.is_some_and(|at| at <= now) {
            return Err(KeyRefusal::Revoked);
        }
        if self.expires_at.is_some_and(|at| at <= now) {
            return Err(KeyRefusal::Expired);
        }
        Ok(())
    }
}

/// The longest name a key may have, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// A key that may not be made as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NewKeyError {
    /// The name is empty or only spaces.
    #[error("an API key needs a name")]
    EmptyName,
    /// The name is longer than [`MAX_NAME_CHARS`].
    #[error("an API key's name is at most {MAX_NAME_CHARS} characters; this one has {chars}")]
    NameTooLong {
        /// How many characters it has.
        chars: usize,
    },
    /// No scope was asked for: the key would open nothing.
    #[error("an API key needs at least one scope")]
    NoScopes,
    /// The expiry is not after the moment the key is made.
    #[error("an API key's expiry must be in the future; {expires_at} is not")]
    ExpiryNotInFuture {
        /// The expiry asked for.
        expires_at: DateTime<Utc>,
    },
}

/// The name a new key gets, trimmed, if a key may be made with `name`,
/// `scopes` and `expires_at` at `now`.
pub fn check_new_key(
    name: &str,
    scopes: &Scopes,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<String, NewKeyError> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 {
        return Err(NewKeyError::EmptyName);
    }
    if chars > MAX_NAME_CHARS {
        return Err(NewKeyError::NameTooLong { chars });
    }
    if scopes.is_empty() {
        return Err(NewKeyError::NoScopes);
    }
    if let Some(expires_at) = expires_at.filter(|at| *at <= now) {
        return Err(NewKeyError::ExpiryNotInFuture { expires_at });
    }
    Ok(name.to_owned())
}

/// Whether a key last used at `last_used` should have `now` written as its
/// last use: at most once per [`LAST_USED_GRANULARITY`].
pub fn should_record_use(last_used: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    last_used.is_none_or(|at| now - at >= LAST_USED_GRANULARITY)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn id(n: u128) -> ApiKeyId {
        ApiKeyId::from_uuid(Uuid::from_u128(n))
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
    }

    fn grant(
        key: &IssuedKey,
        scopes: Scopes,
        expires_at: Option<DateTime<Utc>>,
        revoked_at: Option<DateTime<Utc>>,
    ) -> KeyGrant {
        KeyGrant {
            hash: *key.hash(),
            scopes,
            expires_at,
            revoked_at,
        }
    }

    /// The secret part of a token: what follows the prefix, the id and `_`
    /// (base64url may itself hold `_`).
    fn secret_of(token: &str) -> &str {
        &token[TOKEN_PREFIX.len() + ID_CHARS + 1..]
    }

    fn checked(token: &str, key: &IssuedKey, scopes: &Scopes) -> Result<(), KeyRefusal> {
        let presented = PresentedKey::parse(token)?;
        grant(key, scopes.clone(), None, None).check(&presented, Scope::ContactsRead, now())
    }

    #[test]
    fn a_token_names_its_key_and_carries_256_bits_after_a_recognisable_prefix() {
        let key = IssuedKey::new(id(0xabc), [0xff; 32]);
        let token = key.token();
        assert!(token.starts_with("msgcore_00000000000000000000000000000abc_"));
        let secret = secret_of(token);
        assert_eq!(URL_SAFE_NO_PAD.decode(secret).unwrap(), vec![0xff; 32]);
        assert_eq!(PresentedKey::parse(token).unwrap().id(), id(0xabc));
    }

    #[test]
    fn the_hash_is_sha256_of_the_whole_token() {
        let key = IssuedKey::new(id(1), [1; 32]);
        let expected: [u8; 32] = Sha256::digest(key.token().as_bytes()).into();
        assert_eq!(key.hash().0, expected);
        assert_eq!(KeyHash::try_from(key.hash().to_hex()), Ok(*key.hash()));
    }

    #[test]
    fn a_token_opens_only_the_key_it_was_issued_as() {
        let scopes = Scopes::from([Scope::ContactsRead]);
        let key = IssuedKey::new(id(1), [1; 32]);
        let other = IssuedKey::new(id(1), [2; 32]);
        assert_eq!(checked(key.token(), &key, &scopes), Ok(()));
        assert_eq!(
            checked(other.token(), &key, &scopes),
            Err(KeyRefusal::Invalid)
        );
    }

    #[test]
    fn tokens_of_another_shape_are_malformed() {
        let key = IssuedKey::new(id(1), [1; 32]);
        let token = key.token();
        for bad in [
            "",
            "msgcore_",
            &token[..token.len() - 1],
            &format!("{token}A"),
            &token.replace("msgcore_", "msgcor_"),
            &token.to_uppercase(),
            &token.replacen('_', "-", 2),
            "msgcore_0000000000000000000000000000000g_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "msgcore_00000000000000000000000000000001_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        ] {
            assert_eq!(
                PresentedKey::parse(bad),
                Err(KeyRefusal::Malformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_secret_is_checked_before_anything_else_is_told() {
        let key = IssuedKey::new(id(1), [1; 32]);
        let guess = PresentedKey::parse(IssuedKey::new(id(1), [9; 32]).token()).unwrap();
        let past = Some(now() - TimeDelta::days(1));
        let refusal = grant(&key, Scopes::default(), past, past).check(&guess, Scope::Admin, now());
        assert_eq!(refusal, Err(KeyRefusal::Invalid));
    }

    #[test]
    fn a_revoked_or_expired_key_is_refused_from_that_instant() {
        let key = IssuedKey::new(id(1), [1; 32]);
        let presented = PresentedKey::parse(key.token()).unwrap();
        let all = Scopes::from([Scope::Admin]);
        let at = |expires, revoked, now| {
            grant(&key, all.clone(), expires, revoked).check(&presented, Scope::Admin, now)
        };
        let t = now();
        assert_eq!(at(Some(t), None, t), Err(KeyRefusal::Expired));
        assert_eq!(at(Some(t), None, t - TimeDelta::nanoseconds(1)), Ok(()));
        assert_eq!(at(None, Some(t), t), Err(KeyRefusal::Revoked));
        assert_eq!(at(Some(t), Some(t), t), Err(KeyRefusal::Revoked));
    }

    #[test]
    fn admin_grants_every_scope_and_others_only_themselves() {
        let admin = Scopes::from([Scope::Admin]);
        let read = Scopes::from([Scope::ContactsRead, Scope::MessagesRead]);
        for scope in Scope::ALL {
            assert!(admin.allows(scope));
            let expected = matches!(scope, Scope::ContactsRead | Scope::MessagesRead);
            assert_eq!(read.allows(scope), expected, "{scope}");
        }
        assert!(!Scopes::default().allows(Scope::ContactsRead));
    }

    #[test]
    fn a_missing_scope_is_403_and_every_other_refusal_401() {
        let needed = Scope::CampaignsWrite;
        assert_eq!(KeyRefusal::MissingScope { needed }.http_status(), 403);
        for refusal in [
            KeyRefusal::Missing,
            KeyRefusal::Malformed,
            KeyRefusal::Invalid,
            KeyRefusal::Revoked,
            KeyRefusal::Expired,
        ] {
            assert_eq!(refusal.http_status(), 401, "{refusal:?}");
        }
    }

    #[test]
    fn scopes_have_their_wire_names_both_ways() {
        for scope in Scope::ALL {
            assert_eq!(scope.as_str().parse::<Scope>(), Ok(scope));
            let json = serde_json::to_string(&scope).unwrap();
            assert_eq!(json, format!("\"{}\"", scope.as_str()));
        }
        assert!("contacts:delete".parse::<Scope>().is_err());
    }

    #[test]
    fn nothing_printable_shows_the_secret() {
        let key = IssuedKey::new(id(1), [7; 32]);
        let secret = secret_of(key.token()).to_owned();
        let presented = PresentedKey::parse(key.token()).unwrap();
        for shown in [format!("{key:?}"), format!("{presented:?}")] {
            assert!(!shown.contains(&secret), "{shown}");
        }
        for refusal in [KeyRefusal::Invalid, KeyRefusal::Malformed] {
            assert!(!refusal.to_string().contains(&secret));
        }
    }

    #[test]
    fn a_new_key_needs_a_name_a_scope_and_a_future_expiry() {
        let read = Scopes::from([Scope::ContactsRead]);
        let t = now();
        assert_eq!(
            check_new_key("  zapier ", &read, None, t),
            Ok("zapier".into())
        );
        assert_eq!(
            check_new_key(" ", &read, None, t),
            Err(NewKeyError::EmptyName)
        );
        let long = "é".repeat(MAX_NAME_CHARS + 1);
        assert_eq!(
            check_new_key(&long, &read, None, t),
            Err(NewKeyError::NameTooLong { chars: 101 })
        );
        assert!(check_new_key(&"é".repeat(MAX_NAME_CHARS), &read, None, t).is_ok());
        assert_eq!(
            check_new_key("k", &Scopes::default(), None, t),
            Err(NewKeyError::NoScopes)
        );
        assert_eq!(
            check_new_key("k", &read, Some(t), t),
            Err(NewKeyError::ExpiryNotInFuture { expires_at: t })
        );
        assert!(check_new_key("k", &read, Some(t + TimeDelta::seconds(1)), t).is_ok());
    }

    #[test]
    fn last_use_is_written_at_most_once_a_minute() {
        let t = now();
        assert!(should_record_use(None, t));
        assert!(!should_record_use(Some(t - TimeDelta::seconds(59)), t));
        assert!(should_record_use(Some(t - TimeDelta::seconds(60)), t));
    }
}
