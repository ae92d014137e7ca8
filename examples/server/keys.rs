//! `create-key`: makes an API key for the server's tenant and prints its
//! token once. The token goes alone to standard output, so a script can keep
//! it (`KEY=$(cargo run … -- create-key …)`); what it is goes to standard error.

use std::sync::Arc;

use chrono::TimeDelta;
use msgcore::core::api_key::{Scope, Scopes};
use msgcore::engine::{Clock, Inbox, SystemClock};
use msgcore::service::{ApiKeys, CreatedApiKey, NewApiKey};

use super::app::{StartError, ensure_tenant, open_store};
use super::config::InboxConfig;

/// How to call the command, shown with every mistake in its arguments.
pub const USAGE: &str = "usage: server create-key --name NAME --scopes SCOPE[,SCOPE…] [--expires-in-days N]
scopes: contacts:read, contacts:write, messages:read, messages:send, campaigns:write, admin (every scope)";

/// What key to make, as the command line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRequest {
    /// What the tenant calls the key.
    pub name: String,
    /// What it may do.
    pub scopes: Scopes,
    /// How long it works, if not forever.
    pub expires_in_days: Option<u16>,
}

impl KeyRequest {
    /// Reads `--name`, `--scopes` and `--expires-in-days`; a mistake is said
    /// in one line.
    pub fn from_args(args: &[String]) -> Result<KeyRequest, String> {
        let (mut name, mut scopes, mut expires_in_days) = (None, None, None);
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
            match flag.as_str() {
                "--name" => name = Some(value.clone()),
                "--scopes" => scopes = Some(parse_scopes(value)?),
                "--expires-in-days" => expires_in_days = Some(parse_days(value)?),
                other => return Err(format!("unknown option {other:?}")),
            }
        }
        Ok(KeyRequest {
            name: name.ok_or("--name is required")?,
            scopes: scopes.ok_or("--scopes is required: a key with no scope opens nothing")?,
            expires_in_days,
        })
    }
}

fn parse_scopes(value: &str) -> Result<Scopes, String> {
    value
        .split(',')
        .map(|name| name.trim().parse::<Scope>().map_err(|e| e.to_string()))
        .collect()
}

fn parse_days(value: &str) -> Result<u16, String> {
    value
        .parse::<u16>()
        .ok()
        .filter(|days| *days > 0)
        .ok_or_else(|| {
            format!("--expires-in-days must be a whole number of days from 1, got {value:?}")
        })
}

/// Makes the key in the inbox `config` names, creating its tenant if this is
/// the first start.
pub async fn create_key(
    config: &InboxConfig,
    request: KeyRequest,
) -> Result<CreatedApiKey, StartError> {
    let store = open_store(&config.database).await?;
    let inbox = Arc::new(Inbox::builder(store).build());
    let tenant = ensure_tenant(&inbox, config).await?;
    let now = SystemClock.now();
    let new = NewApiKey {
        name: request.name,
        scopes: request.scopes,
        expires_at: request
            .expires_in_days
            .map(|days| now + TimeDelta::days(i64::from(days))),
    };
    Ok(ApiKeys::new(inbox).create(tenant.id, new).await?)
}

/// What the key is, for standard error.
pub fn describe(created: &CreatedApiKey) -> String {
    let key = &created.key;
    let scopes: Vec<&str> = key.grant.scopes.iter().map(Scope::as_str).collect();
    let expiry = key
        .grant
        .expires_at
        .map_or_else(|| "never expires".to_owned(), |at| format!("expires {at}"));
    format!(
        "created API key {:?} (id {}; scopes {}; {expiry})\n\
         the token below is shown once and stored nowhere: keep it now.\n\
         call the API with the header  Authorization: Bearer <token>",
        key.name,
        key.id,
        scopes.join(", ")
    )
}
