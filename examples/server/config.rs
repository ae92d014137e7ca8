//! The server's configuration, read from environment variables and checked whole
//! at start-up: every mistake is reported with the variable's name and the fix,
//! before anything listens.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use chrono::TimeDelta;
use msgcore::api::ApiConfig;
use msgcore::core::channel::Channel;
use msgcore::core::ratelimit::Quota;
use msgcore::core::webhook_endpoint::UrlPolicy;
use msgcore::core::webhook_retry::RetrySchedule;
use msgcore::providers::env_error::{EnvError, EnvErrors};
use msgcore::providers::{meta, telnyx, twilio};

/// Where the server listens unless `MSGCORE_LISTEN` says otherwise.
const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// The SQLite file unless `MSGCORE_DATABASE` names another or a PostgreSQL URL.
const DEFAULT_DATABASE: &str = "msgcore.db";
/// The tenant the server creates unless `MSGCORE_TENANT` says otherwise.
const DEFAULT_TENANT: &str = "demo";
/// Requests a minute per IP and per key unless `MSGCORE_API_RATE_LIMIT` says otherwise.
const DEFAULT_API_RATE_LIMIT: u32 = 120;

/// The variables that turn a provider on; the rest of its variables are then required.
const PROVIDER_SWITCHES: [&str; 3] = ["TWILIO_ACCOUNT_SID", "TELNYX_API_KEY", "META_ACCESS_TOKEN"];

/// Everything the server needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The address to listen on (`MSGCORE_LISTEN`).
    pub listen: SocketAddr,
    /// The URL providers reach this server at (`MSGCORE_PUBLIC_URL`): signatures
    /// are checked against it, and its path is where the webhooks are mounted.
    pub public_url: String,
    /// Where the inbox is kept and whose it is.
    pub inbox: InboxConfig,
    /// How the REST API at `/api/whatsapp-api` limits its callers.
    pub api: ApiSettings,
    /// Twilio, when `TWILIO_ACCOUNT_SID` is set.
    pub twilio: Option<Twilio>,
    /// Telnyx, when `TELNYX_API_KEY` is set.
    pub telnyx: Option<Telnyx>,
    /// Meta's WhatsApp Cloud API, when `META_ACCESS_TOKEN` is set.
    pub meta: Option<Meta>,
    /// Which provider sends SMS (`MSGCORE_SMS_PROVIDER`).
    pub sms: Option<Provider>,
    /// Which provider sends WhatsApp (`MSGCORE_WHATSAPP_PROVIDER`).
    pub whatsapp: Option<Provider>,
}

/// Where the inbox is kept and whose it is: all that `create-key` needs, so
/// that making a key does not need a provider's secrets.
#[derive(Debug, Clone)]
pub struct InboxConfig {
    /// Where the inbox is kept (`MSGCORE_DATABASE`).
    pub database: Database,
    /// The tenant created at start-up if missing (`MSGCORE_TENANT`, `MSGCORE_ORG_NAME`).
    pub tenant_slug: String,
    /// The tenant's name, used in keyword replies and the voice greeting.
    pub org_name: String,
}

impl InboxConfig {
    /// Reads `MSGCORE_DATABASE`, `MSGCORE_TENANT` and `MSGCORE_ORG_NAME`.
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<InboxConfig, EnvError> {
        let var = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        Ok(InboxConfig {
            database: database(var("MSGCORE_DATABASE"))?,
            tenant_slug: tenant_slug(&var),
            org_name: var("MSGCORE_ORG_NAME").unwrap_or_else(|| "Demo".to_owned()),
        })
    }
}

/// The REST API's limits, and where it keeps uploaded files.
#[derive(Debug, Clone)]
pub struct ApiSettings {
    /// Requests a minute each IP and each key may make (`MSGCORE_API_RATE_LIMIT`,
    /// default 120, as SPEC §10 says).
    pub requests_per_minute: u32,
    /// Whether the client is the last `X-Forwarded-For` entry
    /// (`MSGCORE_TRUST_FORWARDED_FOR=true`; only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
    /// Where webhook endpoints may point (`MSGCORE_WEBHOOK_URLS`: `public`,
    /// the default, for HTTPS to public addresses; `local` for development).
    pub webhook_urls: UrlPolicy,
    /// Seconds to wait after each failed delivery before the endpoint is
    /// disabled (`MSGCORE_WEBHOOK_RETRY=5,300,1800`; default Standard
    /// Webhooks' schedule).
    pub webhook_retry: RetrySchedule,
    /// The directory `POST /media` keeps files in (`MSGCORE_MEDIA_DIR`; by
    /// default `media` beside the SQLite file, or in the working directory
    /// with PostgreSQL).
    pub media_dir: PathBuf,
}

impl ApiSettings {
    /// `requests_per_minute` as the limiter's quota.
    pub fn quota(&self) -> Result<Quota, msgcore::core::ratelimit::QuotaError> {
        Quota::new(self.requests_per_minute, TimeDelta::minutes(1))
    }

    /// The library's settings for these limits.
    pub fn api_config(&self) -> Result<ApiConfig, msgcore::core::ratelimit::QuotaError> {
        Ok(ApiConfig::default()
            .rate_limit(self.quota()?)
            .trust_forwarded_for(self.trust_forwarded_for)
            .webhook_urls(self.webhook_urls))
    }
}

fn tenant_slug(var: &impl Fn(&str) -> Option<String>) -> String {
    var("MSGCORE_TENANT").unwrap_or_else(|| DEFAULT_TENANT.to_owned())
}

/// `MSGCORE_MEDIA_DIR`, or a `media` directory beside the SQLite file. With
/// PostgreSQL there is no file to sit beside: the working directory's `media`,
/// which replicas on several machines must replace with a volume they share.
fn media_dir(value: Option<String>, database: Option<&Database>) -> PathBuf {
    match (value, database) {
        (Some(dir), _) => dir.into(),
        (None, Some(Database::Sqlite(file))) => {
            file.parent().unwrap_or(Path::new("")).join("media")
        }
        (None, _) => PathBuf::from("media"),
    }
}

fn api_settings(
    var: &impl Fn(&str) -> Option<String>,
    database: Option<&Database>,
) -> Result<ApiSettings, EnvErrors> {
    let mut problems = EnvErrors::default();
    let requests_per_minute = problems.keep(match var("MSGCORE_API_RATE_LIMIT") {
        None => Ok(DEFAULT_API_RATE_LIMIT),
        Some(value) => value
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                EnvError::new(
                    "MSGCORE_API_RATE_LIMIT",
                    format!("must be a positive number of requests a minute, got {value:?}"),
                )
            }),
    });
    let trust_forwarded_for = problems.keep(match var("MSGCORE_TRUST_FORWARDED_FOR") {
        None => Ok(false),
        Some(value) => match value.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Ok(true),
            "false" | "0" | "no" => Ok(false),
            _ => Err(EnvError::new(
                "MSGCORE_TRUST_FORWARDED_FOR",
                format!("must be true or false, got {value:?}"),
            )),
        },
    });
    let webhook_urls = problems.keep(match var("MSGCORE_WEBHOOK_URLS") {
        None => Ok(UrlPolicy::PUBLIC),
        Some(value) => match value.trim() {
            "public" => Ok(UrlPolicy::PUBLIC),
            "local" => Ok(UrlPolicy::LOCAL),
            _ => Err(EnvError::new(
                "MSGCORE_WEBHOOK_URLS",
                format!("must be public or local, got {value:?}"),
            )),
        },
    });
    let media_dir = media_dir(var("MSGCORE_MEDIA_DIR"), database);
    let webhook_retry = problems.keep(match var("MSGCORE_WEBHOOK_RETRY") {
        None => Ok(RetrySchedule::default()),
        Some(value) => retry_schedule(&value),
    });
    let settings = requests_per_minute
        .zip(trust_forwarded_for)
        .zip(webhook_urls.zip(webhook_retry))
        .map(
            |((requests_per_minute, trust_forwarded_for), (webhook_urls, webhook_retry))| {
                ApiSettings {
                    requests_per_minute,
                    trust_forwarded_for,
                    webhook_urls,
                    webhook_retry,
                    media_dir,
                }
            },
        );
    problems.finish(settings)
}

/// `5,300,1800`: the seconds to wait after each failure.
fn retry_schedule(value: &str) -> Result<RetrySchedule, EnvError> {
    let delays: Option<Vec<TimeDelta>> = value
        .split(',')
        .map(|seconds| {
            let seconds = seconds.trim().parse::<u32>().ok().filter(|s| *s > 0)?;
            Some(TimeDelta::seconds(i64::from(seconds)))
        })
        .collect();
    delays.map(RetrySchedule::new).ok_or_else(|| {
        EnvError::new(
            "MSGCORE_WEBHOOK_RETRY",
            format!("must be positive seconds separated by commas, got {value:?}"),
        )
    })
}

/// Where the inbox is kept: a SQLite file, or a PostgreSQL database that
/// several replicas of the server can share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file, created if missing.
    Sqlite(PathBuf),
    /// A `postgres://` URL (the server built with the `postgres` feature).
    Postgres(String),
}

impl std::fmt::Display for Database {
    /// The file, or the URL without its user and password: for the banner.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "{}", path.display()),
            Database::Postgres(url) => {
                let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
                let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
                write!(f, "{scheme}://{host}")
            }
        }
    }
}

/// A provider the server can send through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// Twilio.
    Twilio,
    /// Telnyx.
    Telnyx,
    /// Meta's WhatsApp Cloud API.
    Meta,
}

impl Provider {
    fn name(self) -> &'static str {
        match self {
            Provider::Twilio => "twilio",
            Provider::Telnyx => "telnyx",
            Provider::Meta => "meta",
        }
    }
}

/// Twilio's sending API and the token its webhooks are signed with.
#[derive(Debug, Clone)]
pub struct Twilio {
    /// Sends messages.
    pub api: twilio::send::MessagesApi,
    /// Verifies `X-Twilio-Signature`.
    pub auth_token: String,
}

/// Telnyx's sending API and the key its webhooks are signed with.
#[derive(Debug, Clone)]
pub struct Telnyx {
    /// Sends messages.
    pub api: telnyx::send::MessagesApi,
    /// Verifies `telnyx-signature-ed25519` (base64, from the Mission Control portal).
    pub public_key: String,
}

/// Meta's sending API and its webhook secrets.
#[derive(Debug, Clone)]
pub struct Meta {
    /// Sends messages.
    pub api: meta::send::MessagesApi,
    /// The business phone number's id; its webhooks belong to the server's tenant.
    pub phone_number_id: String,
    /// Verifies `X-Hub-Signature-256`.
    pub app_secret: String,
    /// Answers the subscription handshake.
    pub verify_token: String,
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Config, EnvErrors> {
        Config::from_vars(|name| std::env::var(name).ok())
    }

    /// Reads the variables `lookup` finds; every problem is reported, not just the
    /// first, so one restart fixes them all.
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, EnvErrors> {
        let var = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let mut problems = EnvErrors::default();
        let listen = problems.keep(listen(var("MSGCORE_LISTEN")));
        let public_url = problems.keep(public_url(var("MSGCORE_PUBLIC_URL")));
        let inbox = problems.keep(InboxConfig::from_vars(var));
        let database = inbox.as_ref().map(|inbox| &inbox.database);
        let api = problems.keep_all(api_settings(&var, database));
        let tenant_slug = tenant_slug(&var);
        let callbacks = public_url.as_deref().map(|url| Callbacks {
            url,
            tenant: &tenant_slug,
        });
        let twilio = problems
            .keep_all(twilio(&var, callbacks).transpose())
            .flatten();
        let telnyx = problems
            .keep_all(telnyx(&var, callbacks).transpose())
            .flatten();
        let meta = problems.keep_all(meta(&var).transpose()).flatten();
        let configured = [
            (Provider::Twilio, twilio.is_some()),
            (Provider::Telnyx, telnyx.is_some()),
            (Provider::Meta, meta.is_some()),
        ];
        let sms = problems.keep(route(&var, Channel::Sms, &configured));
        let whatsapp = problems.keep(route(&var, Channel::WhatsApp, &configured));
        if PROVIDER_SWITCHES.iter().all(|name| var(name).is_none()) {
            problems.push(EnvError::new(
                "TWILIO_ACCOUNT_SID, TELNYX_API_KEY or META_ACCESS_TOKEN",
                "must be set: configure at least one provider (the README lists each one's variables)",
            ));
        }
        let config = listen
            .zip(public_url)
            .zip(sms.zip(whatsapp))
            .zip(inbox.zip(api))
            .map(
                |(((listen, public_url), (sms, whatsapp)), (inbox, api))| Config {
                    listen,
                    public_url,
                    inbox,
                    api,
                    twilio,
                    telnyx,
                    meta,
                    sms,
                    whatsapp,
                },
            );
        problems.finish(config)
    }
}

fn listen(value: Option<String>) -> Result<SocketAddr, EnvError> {
    let value = value.unwrap_or_else(|| DEFAULT_LISTEN.to_owned());
    value.parse().map_err(|_| {
        EnvError::new(
            "MSGCORE_LISTEN",
            format!("must be an address and port like {DEFAULT_LISTEN}, got {value:?}"),
        )
    })
}

fn database(value: Option<String>) -> Result<Database, EnvError> {
    let value = value.unwrap_or_else(|| DEFAULT_DATABASE.to_owned());
    if !(value.starts_with("postgres://") || value.starts_with("postgresql://")) {
        return Ok(Database::Sqlite(value.into()));
    }
    if cfg!(feature = "postgres") {
        Ok(Database::Postgres(value))
    } else {
        Err(EnvError::new(
            "MSGCORE_DATABASE",
            "is a PostgreSQL URL: build the server with the postgres feature \
             (--features api,http,sqlite,postgres)",
        ))
    }
}

fn public_url(value: Option<String>) -> Result<String, EnvError> {
    let Some(value) = value else {
        return Err(EnvError::new(
            "MSGCORE_PUBLIC_URL",
            "is required: the https URL providers reach this server at, e.g. https://inbox.example.com or an ngrok URL",
        ));
    };
    let scheme_ok = value.starts_with("https://") || value.starts_with("http://");
    if !scheme_ok || value.contains(['?', '#']) {
        return Err(EnvError::new(
            "MSGCORE_PUBLIC_URL",
            format!("must be an http(s) URL without query or fragment, got {value:?}"),
        ));
    }
    Ok(value.trim_end_matches('/').to_owned())
}

/// Where providers post delivery statuses: this server, so that a sent message
/// does not stay `sent` forever.
#[derive(Clone, Copy)]
struct Callbacks<'a> {
    url: &'a str,
    tenant: &'a str,
}

/// Twilio is on when `TWILIO_ACCOUNT_SID` is set; then its other variables must be
/// right. Statuses come back to `/twilio/{tenant}/status` unless
/// `TWILIO_STATUS_CALLBACK_URL` says otherwise.
fn twilio(
    var: &impl Fn(&str) -> Option<String>,
    callbacks: Option<Callbacks<'_>>,
) -> Option<Result<Twilio, EnvErrors>> {
    var("TWILIO_ACCOUNT_SID")?;
    Some(twilio::send::MessagesApi::from_vars(var).map(|mut api| {
        if let (None, Some(Callbacks { url, tenant })) =
            (var("TWILIO_STATUS_CALLBACK_URL"), callbacks)
        {
            api = api.with_status_callback(format!("{url}/twilio/{tenant}/status"));
        }
        // Read and checked by `from_vars` already.
        let auth_token = var("TWILIO_AUTH_TOKEN").unwrap_or_default();
        Twilio { api, auth_token }
    }))
}

/// Telnyx is on when `TELNYX_API_KEY` is set; its message events come back to
/// `/telnyx/{tenant}`.
fn telnyx(
    var: &impl Fn(&str) -> Option<String>,
    callbacks: Option<Callbacks<'_>>,
) -> Option<Result<Telnyx, EnvErrors>> {
    var("TELNYX_API_KEY")?;
    let mut problems = EnvErrors::default();
    let api = problems.keep_all(telnyx::send::MessagesApi::from_vars(var));
    let public_key = problems.keep(required(
        var,
        "TELNYX_PUBLIC_KEY",
        "Mission Control → Account Settings → Keys & Credentials → Public Key",
    ));
    let telnyx = api.zip(public_key).map(|(mut api, public_key)| {
        if let Some(Callbacks { url, tenant }) = callbacks {
            api = api.with_webhook_url(format!("{url}/telnyx/{tenant}"));
        }
        Telnyx { api, public_key }
    });
    Some(problems.finish(telnyx))
}

fn meta(var: &impl Fn(&str) -> Option<String>) -> Option<Result<Meta, EnvErrors>> {
    let access_token = var("META_ACCESS_TOKEN")?;
    Some(meta_section(var, access_token))
}

fn meta_section(
    var: &impl Fn(&str) -> Option<String>,
    access_token: String,
) -> Result<Meta, EnvErrors> {
    let mut problems = EnvErrors::default();
    let phone_number_id = problems.keep(
        required(
            var,
            "META_PHONE_NUMBER_ID",
            "WhatsApp Manager → API Setup → Phone number ID",
        )
        .and_then(phone_number_id),
    );
    let app_secret = problems.keep(required(
        var,
        "META_APP_SECRET",
        "App Dashboard → App settings → Basic → App secret",
    ));
    let verify_token = problems.keep(required(
        var,
        "META_VERIFY_TOKEN",
        "any secret string; paste the same one into the webhook settings of your Meta app",
    ));
    let meta = phone_number_id.zip(app_secret).zip(verify_token).map(
        |((phone_number_id, app_secret), verify_token)| {
            let mut api = meta::send::MessagesApi::new(access_token, phone_number_id.clone());
            if let Some(base) = var("META_API_BASE_URL") {
                api = api.with_base_url(base);
            }
            Meta {
                api,
                phone_number_id,
                app_secret,
                verify_token,
            }
        },
    );
    problems.finish(meta)
}

/// Meta's numeric Phone number ID: digits, not the phone number.
fn phone_number_id(value: String) -> Result<String, EnvError> {
    if value.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(value);
    }
    Err(EnvError::new(
        "META_PHONE_NUMBER_ID",
        format!("must be the numeric Phone number ID (not the phone number), got {value:?}"),
    ))
}

fn required(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    where_to_find: &str,
) -> Result<String, EnvError> {
    var(name)
        .ok_or_else(|| EnvError::new(name, format!("is required (find it in {where_to_find})")))
}

/// The provider for `channel`: the one named in `MSGCORE_{SMS,WHATSAPP}_PROVIDER`, or
/// the first configured one that can carry the channel.
fn route(
    var: &impl Fn(&str) -> Option<String>,
    channel: Channel,
    configured: &[(Provider, bool)],
) -> Result<Option<Provider>, EnvError> {
    let (variable, carriers): (&'static str, &[Provider]) = match channel {
        Channel::Sms => (
            "MSGCORE_SMS_PROVIDER",
            &[Provider::Twilio, Provider::Telnyx],
        ),
        Channel::WhatsApp => (
            "MSGCORE_WHATSAPP_PROVIDER",
            &[Provider::Meta, Provider::Twilio],
        ),
    };
    let is_on = |p: Provider| configured.iter().any(|(q, on)| *q == p && *on);
    let Some(named) = var(variable) else {
        return Ok(carriers.iter().copied().find(|p| is_on(*p)));
    };
    let names: Vec<&str> = carriers.iter().map(|p| p.name()).collect();
    let provider = carriers
        .iter()
        .copied()
        .find(|p| p.name() == named.trim().to_ascii_lowercase())
        .ok_or_else(|| {
            EnvError::new(
                variable,
                format!("must be one of {}, got {named:?}", names.join(", ")),
            )
        })?;
    if !is_on(provider) {
        return Err(EnvError::new(
            variable,
            format!("names {} but its variables are not set", provider.name()),
        ));
    }
    Ok(Some(provider))
}
