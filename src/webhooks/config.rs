//! What the webhook router needs to know: where it is mounted publicly, each
//! provider's secret, which tenant a Meta number belongs to, and limits.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use super::voice_flow::VoiceFlow;
use crate::engine::{Clock, SystemClock};
use crate::model::TenantRef;
use crate::providers::meta::SignatureVerifier;
use crate::providers::signature::SignatureError;
use crate::providers::telnyx::WebhookVerifier;
use crate::providers::twilio::{PublicUrl, RequestValidator};

/// The default largest body accepted: 1 MiB, far above any provider's webhook.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// Why a [`WebhookConfig`] setting was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookConfigError {
    /// The public base URL is not an `http(s)://host[/prefix]` URL.
    #[error("public_base_url: {0}")]
    PublicBaseUrl(#[source] SignatureError),
    /// The Twilio auth token is empty.
    #[error("twilio auth_token: {0}")]
    TwilioAuthToken(#[source] SignatureError),
    /// The Telnyx public key is not a usable Ed25519 key in base64.
    #[error("telnyx public_key_base64: {0}")]
    TelnyxPublicKey(#[source] SignatureError),
    /// The Meta app secret is empty.
    #[error("meta app_secret: {0}")]
    MetaAppSecret(#[source] SignatureError),
    /// The Meta verify token is empty: it would accept an empty guess.
    #[error("meta verify_token is empty: the GET handshake needs a token to compare with")]
    EmptyMetaVerifyToken,
}

/// A provider whose routes the router serves once it is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WebhookProvider {
    /// Twilio messages and status callbacks ([`WebhookConfig::twilio`]).
    Twilio,
    /// Twilio voice calls ([`WebhookConfig::voice`]).
    TwilioVoice,
    /// Telnyx ([`WebhookConfig::telnyx`]).
    Telnyx,
    /// Meta's WhatsApp Cloud API ([`WebhookConfig::meta`]).
    Meta,
}

impl WebhookProvider {
    /// The provider's name in a refusal.
    pub(super) fn name(self) -> &'static str {
        match self {
            WebhookProvider::Twilio => "Twilio",
            WebhookProvider::TwilioVoice => "Twilio voice",
            WebhookProvider::Telnyx => "Telnyx",
            WebhookProvider::Meta => "Meta",
        }
    }

    /// What configures it, as a Rust call.
    fn call(self) -> &'static str {
        match self {
            WebhookProvider::Twilio => "call WebhookConfig::twilio(auth_token)",
            WebhookProvider::TwilioVoice => "call WebhookConfig::voice(flow)",
            WebhookProvider::Telnyx => "call WebhookConfig::telnyx(public_key_base64)",
            WebhookProvider::Meta => "call WebhookConfig::meta(app_secret, verify_token)",
        }
    }
}

/// One URL to paste into a provider's console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebhookUrl {
    /// The console setting it goes into (`"Twilio: A message comes in (SMS)"`).
    pub label: &'static str,
    /// The HTTP method the provider uses (`"POST"`, or `"GET, POST"` for Meta).
    pub method: &'static str,
    /// The URL, with `{tenant}` where the tenant's slug goes.
    pub url: String,
}

/// Meta's settings: the app secret signs POSTs, the verify token answers the GET.
#[derive(Clone)]
pub(super) struct MetaConfig {
    pub(super) verifier: SignatureVerifier,
    pub(super) verify_token: String,
}

/// How the webhook [`router`](super::router) checks and routes requests.
///
/// Every provider is off until configured: its routes answer 403 saying what to
/// configure, so a forgotten secret fails closed instead of accepting anything.
///
/// ```
/// use msgcore::webhooks::WebhookConfig;
///
/// let config = WebhookConfig::new("https://example.com/api")?
///     .twilio("your-auth-token")?
///     .body_limit(256 * 1024);
/// let urls = config.webhook_urls();
/// assert_eq!(urls[0].url, "https://example.com/api/twilio/{tenant}/sms");
/// // Secrets never reach logs.
/// assert!(!format!("{config:?}").contains("your-auth-token"));
/// # Ok::<(), msgcore::webhooks::WebhookConfigError>(())
/// ```
#[derive(Clone)]
pub struct WebhookConfig {
    pub(super) public_url: PublicUrl,
    pub(super) twilio: Option<RequestValidator>,
    pub(super) telnyx: Option<WebhookVerifier>,
    pub(super) meta: Option<MetaConfig>,
    /// Meta `phone_number_id` → tenant; others fall back to the display number.
    pub(super) meta_numbers: HashMap<String, TenantRef>,
    pub(super) voice: Option<VoiceFlow>,
    pub(super) body_limit: usize,
    pub(super) clock: Arc<dyn Clock>,
    /// What a refusal for an unconfigured provider says to do, where the
    /// embedder said it better than a Rust call.
    setup_hints: HashMap<WebhookProvider, String>,
}

impl fmt::Debug for WebhookConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The validators redact their own keys; the verify token is shown only as set.
        f.debug_struct("WebhookConfig")
            .field("public_url", &self.public_url)
            .field("twilio", &self.twilio)
            .field("telnyx", &self.telnyx)
            .field("meta_configured", &self.meta.is_some())
            .field("meta_numbers", &self.meta_numbers)
            .field("voice", &self.voice)
            .field("body_limit", &self.body_limit)
            .finish_non_exhaustive()
    }
}

impl WebhookConfig {
    /// A configuration with no provider enabled.
    ///
    /// `public_base_url` is the externally visible URL the router is mounted at
    /// (e.g. `"https://example.com/api"`): Twilio signs the URL it posted to, so
    /// signatures are checked against `public_base_url` + the route path + query,
    /// never against the request's own `Host`, which a proxy rewrites.
    pub fn new(public_base_url: &str) -> Result<WebhookConfig, WebhookConfigError> {
        Ok(WebhookConfig {
            public_url: PublicUrl::new(public_base_url)
                .map_err(WebhookConfigError::PublicBaseUrl)?,
            twilio: None,
            telnyx: None,
            meta: None,
            meta_numbers: HashMap::new(),
            voice: None,
            body_limit: DEFAULT_BODY_LIMIT,
            clock: Arc::new(SystemClock),
            setup_hints: HashMap::new(),
        })
    }

    /// Enables the Twilio routes, verifying `X-Twilio-Signature` with `auth_token`.
    pub fn twilio(mut self, auth_token: &str) -> Result<WebhookConfig, WebhookConfigError> {
        let validator =
            RequestValidator::new(auth_token).map_err(WebhookConfigError::TwilioAuthToken)?;
        self.twilio = Some(validator.with_public_url(self.public_url.clone()));
        Ok(self)
    }

    /// Enables the Telnyx route, verifying Ed25519 signatures with the account's
    /// public key (base64, as Mission Control shows it).
    pub fn telnyx(mut self, public_key_base64: &str) -> Result<WebhookConfig, WebhookConfigError> {
        let verifier =
            WebhookVerifier::new(public_key_base64).map_err(WebhookConfigError::TelnyxPublicKey)?;
        self.telnyx = Some(verifier);
        Ok(self)
    }

    /// Enables the Meta routes: `app_secret` checks `X-Hub-Signature-256` on
    /// POSTs, `verify_token` answers the GET subscription handshake.
    pub fn meta(
        mut self,
        app_secret: &str,
        verify_token: &str,
    ) -> Result<WebhookConfig, WebhookConfigError> {
        let verifier =
            SignatureVerifier::new(app_secret).map_err(WebhookConfigError::MetaAppSecret)?;
        if verify_token.is_empty() {
            return Err(WebhookConfigError::EmptyMetaVerifyToken);
        }
        self.meta = Some(MetaConfig {
            verifier,
            verify_token: verify_token.to_owned(),
        });
        Ok(self)
    }

    /// Which tenant a Meta `phone_number_id` belongs to. Messages for numbers not
    /// named here go to the tenant owning the display number
    /// ([`TenantRef::Number`]).
    pub fn meta_number(mut self, phone_number_id: &str, tenant: TenantRef) -> WebhookConfig {
        self.meta_numbers.insert(phone_number_id.to_owned(), tenant);
        self
    }

    /// Enables the Twilio voice routes (`/answer`, `/gather`, and call status
    /// callbacks on `/status`), answered by `flow`. They also need
    /// [`twilio`](Self::twilio): calls are signed like messages.
    pub fn voice(mut self, flow: VoiceFlow) -> WebhookConfig {
        self.voice = Some(flow);
        self
    }

    /// What the 403 for an unconfigured `provider` tells the caller to do,
    /// instead of the Rust call that configures it: your deployment's way, such
    /// as the environment variables to set.
    ///
    /// ```
    /// use msgcore::webhooks::{WebhookConfig, WebhookProvider};
    ///
    /// let config = WebhookConfig::new("https://example.com")?
    ///     .setup_hint(WebhookProvider::Telnyx, "set TELNYX_API_KEY and TELNYX_PUBLIC_KEY");
    /// assert_eq!(
    ///     config.not_configured(WebhookProvider::Telnyx),
    ///     "Telnyx webhooks are not configured: set TELNYX_API_KEY and TELNYX_PUBLIC_KEY"
    /// );
    /// # Ok::<(), msgcore::webhooks::WebhookConfigError>(())
    /// ```
    pub fn setup_hint(
        mut self,
        provider: WebhookProvider,
        hint: impl Into<String>,
    ) -> WebhookConfig {
        self.setup_hints.insert(provider, hint.into());
        self
    }

    /// What the router answers (403) to a webhook for `provider` while it is not
    /// configured.
    pub fn not_configured(&self, provider: WebhookProvider) -> String {
        let fix = self
            .setup_hints
            .get(&provider)
            .map_or(provider.call(), String::as_str);
        format!("{} webhooks are not configured: {fix}", provider.name())
    }

    /// The largest body accepted (default [`DEFAULT_BODY_LIMIT`]); larger ones get 413.
    pub fn body_limit(mut self, bytes: usize) -> WebhookConfig {
        self.body_limit = bytes;
        self
    }

    /// The clock Telnyx timestamps are checked against and Twilio status
    /// callbacks are dated by (default [`SystemClock`]).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> WebhookConfig {
        self.clock = clock;
        self
    }

    /// Every URL to paste into a provider console for the configured providers,
    /// with `{tenant}` where the tenant's slug goes.
    pub fn webhook_urls(&self) -> Vec<WebhookUrl> {
        let url = |label, method, path: &str| WebhookUrl {
            label,
            method,
            url: self.public_url.url_for(path),
        };
        let mut urls = Vec::new();
        if self.twilio.is_some() {
            urls.extend([
                url(
                    "Twilio: A message comes in (SMS)",
                    "POST",
                    "/twilio/{tenant}/sms",
                ),
                url(
                    "Twilio: A message comes in (WhatsApp sender)",
                    "POST",
                    "/twilio/{tenant}/whatsapp",
                ),
                url(
                    "Twilio: Status callback URL",
                    "POST",
                    "/twilio/{tenant}/status",
                ),
            ]);
        }
        if self.twilio.is_some() && self.voice.is_some() {
            urls.extend([
                url("Twilio: A call comes in", "POST", "/twilio/{tenant}/answer"),
                url(
                    "Twilio: Call status changes",
                    "POST",
                    "/twilio/{tenant}/status",
                ),
            ]);
        }
        if self.telnyx.is_some() {
            urls.push(url(
                "Telnyx: Messaging profile webhook URL",
                "POST",
                "/telnyx/{tenant}",
            ));
        }
        if self.meta.is_some() {
            urls.push(url(
                "Meta: WhatsApp webhook callback URL",
                "GET, POST",
                "/meta",
            ));
        }
        urls
    }
}
