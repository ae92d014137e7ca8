//! `X-Twilio-Signature`, verified exactly as Twilio's own `RequestValidator` does.
//!
//! Twilio signs the string made of the webhook URL followed by, for every
//! parameter name in sorted order, every distinct value of that name in sorted
//! order, each written as `name` + `value` (no separators). The MAC is
//! HMAC-SHA1 with the Auth Token (or HMAC-SHA256 with a SharedKey), in base64.
//!
//! Twilio's servers have not always signed the URL the same way, so its
//! libraries accept a signature over either of two spellings of the URL: without
//! a port and with the default one (see [`url_variants`]). Repeated keys are
//! deduplicated and sorted because that is what twilio-python does with the
//! multi-dicts of Flask and Django.
//!
//! JSON webhooks carry the body's SHA-256 in the URL's `bodySHA256` query
//! parameter instead: the signature covers the URL alone, and the body must
//! hash to that value.
//!
//! [`url_variants`]: super::url_variants

use std::borrow::Cow;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::{Choice, ConstantTimeEq};

use super::algorithm::Algorithm;
use super::public_url::PublicUrl;
use super::python_url::{PythonUrl, clean};
use crate::providers::signature::{SignatureError, keyed_hmac, lower_hex, required};

/// The header Twilio puts its signature in.
pub const SIGNATURE_HEADER: &str = "X-Twilio-Signature";

/// The header that names the algorithm of a SharedKey signature; see
/// [`Algorithm::from_settings_header`].
pub const SIGNATURE_SETTINGS_HEADER: &str = "X-Twilio-Webhooks-Signature-Settings";

/// The query parameter that carries a JSON body's SHA-256, in lower-case hex.
const BODY_HASH_PARAM: &str = "bodySHA256";

/// What [`SignatureError::MissingSecret`] calls Twilio's secret.
const SECRET_NAME: &str = "auth token";

/// Verifies Twilio webhook signatures for one Auth Token (or SharedKey secret).
///
/// Build it once at start-up and share it: the HMAC keys are prepared here.
///
/// ```
/// use msgcore::providers::twilio::RequestValidator;
///
/// let validator = RequestValidator::new("12345")?;
/// let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
/// let params = [("CallSid", "CA1234567890ABCDE"), ("Caller", "+12349013030"),
///               ("Digits", "1234"), ("From", "+12349013030"), ("To", "+18005551212")];
/// let signature = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
/// validator.validate_form(url, params, Some(signature))?;
/// // The same request with a port in the URL, as some Twilio servers send it.
/// validator.validate_form("https://mycompany.com:443/myapp.php?foo=1&bar=2", params, Some(signature))?;
/// assert!(validator.validate_form(url, params, None).is_err());
/// # Ok::<(), msgcore::providers::signature::SignatureError>(())
/// ```
#[derive(Clone)]
pub struct RequestValidator {
    sha1: Hmac<Sha1>,
    sha256: Hmac<Sha256>,
    algorithm: Algorithm,
    public_url: Option<PublicUrl>,
}

impl fmt::Debug for RequestValidator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The keyed MAC states are secret; show only the settings.
        f.debug_struct("RequestValidator")
            .field("algorithm", &self.algorithm)
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

impl RequestValidator {
    /// A validator for `auth_token` (or a SharedKey secret), using HMAC-SHA1.
    ///
    /// An empty token is refused: it would make every verification meaningless.
    pub fn new(auth_token: &str) -> Result<RequestValidator, SignatureError> {
        Ok(RequestValidator {
            sha1: keyed_hmac(auth_token.as_bytes(), SECRET_NAME)?,
            sha256: keyed_hmac(auth_token.as_bytes(), SECRET_NAME)?,
            algorithm: Algorithm::HmacSha1,
            public_url: None,
        })
    }

    /// Uses `algorithm` instead of HMAC-SHA1 (HMAC-SHA256 for SharedKey
    /// signatures; read it from the request with [`Algorithm::from_settings_header`]).
    pub fn with_algorithm(mut self, algorithm: Algorithm) -> RequestValidator {
        self.algorithm = algorithm;
        self
    }

    /// Rebuilds every URL on `public_url` before verifying, for servers behind a
    /// proxy or load balancer: the `url` given to the `validate_*` methods is then
    /// the request target (path and query), and only its path and query are used.
    ///
    /// With axum or anything built on the `http` crate:
    ///
    /// ```
    /// use msgcore::providers::twilio::{PublicUrl, RequestValidator, SIGNATURE_HEADER};
    ///
    /// let validator = RequestValidator::new("12345")?
    ///     .with_public_url(PublicUrl::new("https://api.example.com")?);
    /// // In a handler taking `parts: http::request::Parts` and `body: Bytes`:
    /// // let target = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
    /// // let signature = parts.headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    /// let (target, body) = ("/sms?tenant=acme", b"Body=Hello&From=%2B14155550100");
    /// let signed = validator.compute_signature(
    ///     "https://api.example.com/sms?tenant=acme",
    ///     [("Body", "Hello"), ("From", "+14155550100")],
    /// );
    /// validator.validate_form_body(target, body, Some(&signed))?;
    /// # Ok::<(), msgcore::providers::signature::SignatureError>(())
    /// ```
    pub fn with_public_url(mut self, public_url: PublicUrl) -> RequestValidator {
        self.public_url = Some(public_url);
        self
    }

    /// The algorithm signatures are computed with.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The signature Twilio would send for a form webhook to exactly `url` (as
    /// given: no port variants, no public URL) with `params`. For tests and for
    /// clients that sign requests the way Twilio does.
    pub fn compute_signature<K, V>(
        &self,
        url: &str,
        params: impl IntoIterator<Item = (K, V)>,
    ) -> String
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        self.signature_over(url, &sorted_params(params))
    }

    /// Verifies a form-encoded (`application/x-www-form-urlencoded`) webhook
    /// whose parameters are already decoded. Repeated names are allowed; their
    /// order never matters.
    ///
    /// `url` is the full URL Twilio requested, query string included, with the
    /// scheme and host Twilio was configured with (behind a proxy, configure
    /// [`with_public_url`](Self::with_public_url) and pass the request target).
    pub fn validate_form<K, V>(
        &self,
        url: &str,
        params: impl IntoIterator<Item = (K, V)>,
        signature: Option<&str>,
    ) -> Result<(), SignatureError>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let signature = present(signature)?;
        let url = self.public(url);
        let variants = url_variants(&url)?;
        self.check_signature(&variants, &sorted_params(params), signature)
    }

    /// Verifies a form-encoded webhook from its raw body bytes (decoded as
    /// `application/x-www-form-urlencoded`: `+` is a space, `%XX` a byte, invalid
    /// UTF-8 becomes U+FFFD, as web frameworks decode it).
    pub fn validate_form_body(
        &self,
        url: &str,
        body: &[u8],
        signature: Option<&str>,
    ) -> Result<(), SignatureError> {
        self.validate_form(url, form_urlencoded::parse(body), signature)
    }

    /// Verifies a webhook with a raw (JSON) body: the signature covers the URL,
    /// whose `bodySHA256` query parameter must be the body's SHA-256.
    ///
    /// A URL without `bodySHA256` is accepted only with an empty body (then the
    /// URL alone is signed, as for a form without parameters).
    pub fn validate_json(
        &self,
        url: &str,
        body: impl AsRef<[u8]>,
        signature: Option<&str>,
    ) -> Result<(), SignatureError> {
        let signature = present(signature)?;
        let url = self.public(url);
        let cleaned = clean(&url);
        let parsed = PythonUrl::parse(&cleaned)?;
        let variants = parsed.variants()?;
        let body = body.as_ref();
        let expected_hash = body_hash_param(parsed.query());
        if expected_hash.is_none() && !body.is_empty() {
            return Err(SignatureError::MissingBodyHash);
        }
        self.check_signature(&variants, &[] as &[(&str, &str)], signature)?;
        match expected_hash {
            Some(expected)
                if !bool::from(sha256_hex(body).as_bytes().ct_eq(expected.as_bytes())) =>
            {
                Err(SignatureError::BodyHashMismatch)
            }
            _ => Ok(()),
        }
    }

    /// `url` on the public base URL, when one is configured.
    fn public<'u>(&self, url: &'u str) -> Cow<'u, str> {
        match &self.public_url {
            Some(public) => Cow::Owned(public.url_for(url)),
            None => Cow::Borrowed(url),
        }
    }

    /// Accepts `signature` when it matches either URL variant, comparing in
    /// constant time (both variants are always computed).
    fn check_signature<K, V>(
        &self,
        variants: &[String; 2],
        params: &[(K, V)],
        signature: &str,
    ) -> Result<(), SignatureError>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let matches = variants.iter().fold(Choice::from(0), |found, url| {
            found
                | self
                    .signature_over(url, params)
                    .as_bytes()
                    .ct_eq(signature.as_bytes())
        });
        if bool::from(matches) {
            Ok(())
        } else {
            Err(SignatureError::Mismatch {
                header: SIGNATURE_HEADER,
            })
        }
    }

    /// The base64 MAC of `url` followed by the sorted `name` + `value` pairs.
    fn signature_over<K, V>(&self, url: &str, params: &[(K, V)]) -> String
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        match self.algorithm {
            Algorithm::HmacSha1 => mac_base64(self.sha1.clone(), url, params),
            Algorithm::HmacSha256 => mac_base64(self.sha256.clone(), url, params),
        }
    }
}

/// The two URLs a Twilio signature for `url` may be over: as twilio-python
/// rebuilds it without the port, and with the default port (`:443` for https,
/// `:80` otherwise). Useful to see what a failing signature should have covered.
///
/// ```
/// use msgcore::providers::twilio::url_variants;
/// let [without, with] = url_variants("HTTPS://example.com/sms?a=1")?;
/// assert_eq!(without, "https://example.com/sms?a=1");
/// assert_eq!(with, "https://example.com:443/sms?a=1");
/// // A port that is not a number fails, as it does in Python.
/// assert!(url_variants("https://example.com:https/sms").is_err());
/// # Ok::<(), msgcore::providers::signature::SignatureError>(())
/// ```
pub fn url_variants(url: &str) -> Result<[String; 2], SignatureError> {
    let cleaned = clean(url);
    PythonUrl::parse(&cleaned)?.variants()
}

/// The signature header's value, refusing a missing or empty one.
fn present(signature: Option<&str>) -> Result<&str, SignatureError> {
    let missing = SignatureError::MissingSignature {
        header: SIGNATURE_HEADER,
    };
    required(signature, missing)
}

/// The parameters in signing order: sorted by name, then value, each distinct
/// pair once (`sorted(set(values))` per name in twilio-python).
fn sorted_params<K, V>(params: impl IntoIterator<Item = (K, V)>) -> Vec<(K, V)>
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut params: Vec<(K, V)> = params.into_iter().collect();
    params.sort_unstable_by(|(k1, v1), (k2, v2)| {
        (k1.as_ref(), v1.as_ref()).cmp(&(k2.as_ref(), v2.as_ref()))
    });
    params.dedup_by(|(k1, v1), (k2, v2)| k1.as_ref() == k2.as_ref() && v1.as_ref() == v2.as_ref());
    params
}

/// Feeds `url` and the pairs to a keyed MAC and encodes the result in base64.
fn mac_base64<M, K, V>(mut mac: M, url: &str, params: &[(K, V)]) -> String
where
    M: Mac,
    K: AsRef<str>,
    V: AsRef<str>,
{
    mac.update(url.as_bytes());
    for (name, value) in params {
        mac.update(name.as_ref().as_bytes());
        mac.update(value.as_ref().as_bytes());
    }
    STANDARD.encode(mac.finalize().into_bytes())
}

/// The first non-blank `bodySHA256` of a query, decoded as Python's `parse_qs`
/// decodes it (`+` is a space, `%XX` a byte, blank values are dropped).
fn body_hash_param(query: &str) -> Option<Cow<'_, str>> {
    form_urlencoded::parse(query.as_bytes())
        .find(|(name, value)| name == BODY_HASH_PARAM && !value.is_empty())
        .map(|(_, value)| value)
}

/// The body's SHA-256 in lower-case hex, as twilio-python's `compute_hash` writes it.
fn sha256_hex(body: &[u8]) -> String {
    lower_hex(&Sha256::digest(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "12345";
    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const PARAMS: [(&str, &str); 5] = [
        ("CallSid", "CA1234567890ABCDE"),
        ("Caller", "+12349013030"),
        ("Digits", "1234"),
        ("From", "+12349013030"),
        ("To", "+18005551212"),
    ];
    /// twilio-python 9.13: `RequestValidator("12345").compute_signature(URL, dict(PARAMS))`.
    const SHA1_SIGNATURE: &str = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
    /// The same with `algorithm="HMAC_SHA256"`.
    const SHA256_SIGNATURE: &str = "Rmm4Vzj+Ky7JGoWXMCsZDZuHDszLr9xvdbvitrDr4/M=";
    /// A JSON body, its SHA-256, and the reference's signature over the URL carrying it.
    const JSON_BODY: &str = r#"{"property": "value", "boolean": true}"#;
    const JSON_URL: &str = "https://mycompany.com/myapp.php?bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
    const JSON_SIGNATURE: &str = "y77kIzt2vzLz71DgmJGsen2scGs=";

    fn validator() -> RequestValidator {
        RequestValidator::new(TOKEN).unwrap()
    }

    fn mismatch() -> Result<(), SignatureError> {
        Err(SignatureError::Mismatch {
            header: SIGNATURE_HEADER,
        })
    }

    #[test]
    fn signatures_match_twilio_pythons_for_both_algorithms() {
        assert_eq!(validator().compute_signature(URL, PARAMS), SHA1_SIGNATURE);
        let sha256 = validator().with_algorithm(Algorithm::HmacSha256);
        assert_eq!(sha256.compute_signature(URL, PARAMS), SHA256_SIGNATURE);
        sha256
            .validate_form(URL, PARAMS, Some(SHA256_SIGNATURE))
            .unwrap();
        assert_eq!(
            sha256.validate_form(URL, PARAMS, Some(SHA1_SIGNATURE)),
            mismatch()
        );
    }

    #[test]
    fn an_empty_auth_token_is_refused_at_construction() {
        assert_eq!(
            RequestValidator::new("").unwrap_err(),
            SignatureError::MissingSecret {
                secret: "auth token"
            }
        );
    }

    #[test]
    fn a_missing_or_empty_signature_header_is_refused() {
        let missing = Err(SignatureError::MissingSignature {
            header: SIGNATURE_HEADER,
        });
        assert_eq!(validator().validate_form(URL, PARAMS, None), missing);
        assert_eq!(validator().validate_form(URL, PARAMS, Some("")), missing);
        assert_eq!(
            validator().validate_json(JSON_URL, JSON_BODY, None),
            missing
        );
    }

    #[test]
    fn the_url_is_accepted_with_or_without_the_default_port() {
        let with_port = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
        validator()
            .validate_form(with_port, PARAMS, Some(SHA1_SIGNATURE))
            .unwrap();
        let signed_with_port = validator().compute_signature(with_port, PARAMS);
        validator()
            .validate_form(URL, PARAMS, Some(&signed_with_port))
            .unwrap();
    }

    #[test]
    fn a_changed_parameter_url_token_or_signature_is_a_mismatch() {
        let mut changed = PARAMS;
        changed[2].1 = "1235";
        assert_eq!(
            validator().validate_form(URL, changed, Some(SHA1_SIGNATURE)),
            mismatch()
        );
        let other_url = "https://mycompany.com/myapp.php?foo=1&bar=3";
        assert_eq!(
            validator().validate_form(other_url, PARAMS, Some(SHA1_SIGNATURE)),
            mismatch()
        );
        let other_token = RequestValidator::new("54321").unwrap();
        assert_eq!(
            other_token.validate_form(URL, PARAMS, Some(SHA1_SIGNATURE)),
            mismatch()
        );
        let truncated = &SHA1_SIGNATURE[..SHA1_SIGNATURE.len() - 1];
        assert_eq!(
            validator().validate_form(URL, PARAMS, Some(truncated)),
            mismatch()
        );
    }

    #[test]
    fn a_url_python_cannot_parse_is_malformed() {
        let error = validator()
            .validate_form(
                "https://mycompany.com:https/x",
                PARAMS,
                Some(SHA1_SIGNATURE),
            )
            .unwrap_err();
        assert!(
            matches!(error, SignatureError::MalformedUrl { .. }),
            "{error:?}"
        );
    }

    #[test]
    fn repeated_keys_are_deduplicated_and_sorted_in_any_input_order() {
        let url = "https://e.com/sms";
        let signed =
            validator().compute_signature(url, [("Tag", "a"), ("Tag", "b"), ("Body", "x")]);
        for params in [
            vec![("Tag", "b"), ("Body", "x"), ("Tag", "a")],
            vec![
                ("Tag", "a"),
                ("Tag", "b"),
                ("Tag", "a"),
                ("Body", "x"),
                ("Body", "x"),
            ],
        ] {
            validator()
                .validate_form(url, params, Some(&signed))
                .unwrap();
        }
        assert_eq!(
            validator().validate_form(url, [("Tag", "a"), ("Body", "x")], Some(&signed)),
            mismatch()
        );
    }

    #[test]
    fn a_raw_form_body_is_decoded_before_signing() {
        let url = "https://e.com/sms";
        let signed = validator().compute_signature(
            url,
            [("Body", "Hi there é"), ("From", "+1415"), ("Tag", "")],
        );
        let body = b"From=%2B1415&Body=Hi+there+%C3%A9&Tag=";
        validator()
            .validate_form_body(url, body, Some(&signed))
            .unwrap();
        let unencoded_plus = b"From=+1415&Body=Hi+there+%C3%A9&Tag=";
        assert_eq!(
            validator().validate_form_body(url, unencoded_plus, Some(&signed)),
            mismatch()
        );
    }

    #[test]
    fn a_json_body_must_hash_to_the_signed_bodysha256() {
        validator()
            .validate_json(JSON_URL, JSON_BODY, Some(JSON_SIGNATURE))
            .unwrap();
        assert_eq!(
            validator().validate_json(JSON_URL, format!("{JSON_BODY} "), Some(JSON_SIGNATURE)),
            Err(SignatureError::BodyHashMismatch)
        );
        let other_hash = JSON_URL.replace("0a1f", "0a1e");
        assert_eq!(
            validator().validate_json(&other_hash, JSON_BODY, Some(JSON_SIGNATURE)),
            mismatch()
        );
    }

    #[test]
    fn a_json_body_without_bodysha256_is_refused_unless_empty() {
        let url = "https://mycompany.com/myapp.php";
        let over_url_alone = validator().compute_signature(url, [] as [(&str, &str); 0]);
        assert_eq!(
            validator().validate_json(url, JSON_BODY, Some(&over_url_alone)),
            Err(SignatureError::MissingBodyHash)
        );
        // A blank bodySHA256 is no bodySHA256, as in Python's parse_qs.
        let blank = format!("{url}?bodySHA256=");
        let over_blank = validator().compute_signature(&blank, [] as [(&str, &str); 0]);
        assert_eq!(
            validator().validate_json(&blank, JSON_BODY, Some(&over_blank)),
            Err(SignatureError::MissingBodyHash)
        );
        validator()
            .validate_json(url, "", Some(&over_url_alone))
            .unwrap();
    }

    #[test]
    fn a_public_url_replaces_the_origin_the_server_saw() {
        let signed = "bzihbZM6ecRqqHsYZsiA2K+xYHM="; // twilio-python, over the public URL
        let params = [("Body", "Hello"), ("From", "+14155550100")];
        let public =
            validator().with_public_url(PublicUrl::new("https://api.example.com").unwrap());
        public
            .validate_form("/sms?tenant=acme", params, Some(signed))
            .unwrap();
        public
            .validate_form("http://10.0.0.5:8080/sms?tenant=acme", params, Some(signed))
            .unwrap();
        assert_eq!(
            validator().validate_form("http://10.0.0.5:8080/sms?tenant=acme", params, Some(signed)),
            mismatch()
        );
    }

    #[test]
    fn debug_output_does_not_show_the_token() {
        let shown = format!("{:?}", RequestValidator::new("super-secret-token").unwrap());
        assert!(!shown.contains("super-secret-token"), "{shown}");
        assert!(shown.contains("HmacSha1"), "{shown}");
    }
}
