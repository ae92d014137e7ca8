//! Outgoing webhook endpoints through the API (SPEC §18, §19): registered
//! with the events they hear and a secret shown once, listed with where
//! their deliveries stand, enabled again after being disabled, and deleted.
//! Every operation needs the `admin` scope: an endpoint receives every
//! event of the tenant it hears.

use super::api_keys::Principal;
use super::operations::Operations;
use super::request_error::RequestError;
use crate::core::api_key::Scope;
use crate::core::webhook_endpoint::{EndpointUrl, EventFilter};
use crate::core::webhook_event::EventType;
use crate::core::webhook_retry::DeliveryState;
use crate::core::webhook_signing::{SECRET_BYTES, SigningSecret};
use crate::engine::NotFound;
use crate::error::Error;
use crate::model::{WebhookEndpoint, WebhookId};

/// The most endpoints one tenant may have.
pub const MAX_WEBHOOKS: usize = 20;

/// The longest description an endpoint may have, in characters.
pub const MAX_DESCRIPTION: usize = 500;

/// An endpoint to register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWebhook {
    /// Where deliveries go, checked against the operations'
    /// [`UrlPolicy`](crate::core::webhook_endpoint::UrlPolicy).
    pub url: String,
    /// The types it hears; none is every type.
    pub events: Vec<EventType>,
    /// What the tenant writes about it.
    pub description: Option<String>,
}

impl Operations {
    /// Registers an endpoint with a new secret (256 random bits from the
    /// operating system), which the answer holds and no later answer shows.
    /// It hears the events from now on. A refused URL or an over-long
    /// description is 400; a tenant with [`MAX_WEBHOOKS`] endpoints is 409.
    /// Scope `admin`.
    pub async fn create_webhook(
        &self,
        principal: &Principal,
        new: NewWebhook,
    ) -> Result<WebhookEndpoint, Error> {
        principal.require(Scope::Admin)?;
        let url = EndpointUrl::parse(&new.url, self.webhook_urls).map_err(RequestError::from)?;
        let description = check_description(new.description)?;
        let store = &self.inbox.store;
        if store.webhooks(principal.tenant).await?.len() >= MAX_WEBHOOKS {
            return Err(RequestError::TooManyWebhooks { most: MAX_WEBHOOKS }.into());
        }
        let mut secret = [0_u8; SECRET_BYTES];
        getrandom::fill(&mut secret).map_err(Error::Randomness)?;
        let now = self.inbox.clock.now();
        let endpoint = WebhookEndpoint {
            id: WebhookId::from_uuid(self.inbox.ids.next_id()),
            tenant: principal.tenant,
            url,
            description,
            events: EventFilter::only(new.events),
            secret: SigningSecret::new(secret),
            created_at: now,
            delivery: DeliveryState::new(0, now),
        };
        Ok(store.create_webhook(&endpoint).await?)
    }

    /// The tenant's endpoints, oldest first, with where their deliveries
    /// stand. Scope `admin`.
    pub async fn list_webhooks(
        &self,
        principal: &Principal,
    ) -> Result<Vec<WebhookEndpoint>, Error> {
        principal.require(Scope::Admin)?;
        Ok(self.inbox.store.webhooks(principal.tenant).await?)
    }

    /// Enables the tenant's endpoint `id` again: it resumes with the first
    /// event it did not deliver. Scope `admin`.
    pub async fn enable_webhook(
        &self,
        principal: &Principal,
        id: &str,
    ) -> Result<WebhookEndpoint, Error> {
        principal.require(Scope::Admin)?;
        let now = self.inbox.clock.now();
        let endpoint = webhook_id(id)?;
        let store = &self.inbox.store;
        let enabled = store
            .enable_webhook(principal.tenant, endpoint, now)
            .await?;
        enabled.ok_or_else(|| unknown(id))
    }

    /// Deletes the tenant's endpoint `id`; its deliveries stop. Scope
    /// `admin`.
    pub async fn delete_webhook(&self, principal: &Principal, id: &str) -> Result<(), Error> {
        principal.require(Scope::Admin)?;
        let endpoint = webhook_id(id)?;
        match self
            .inbox
            .store
            .delete_webhook(principal.tenant, endpoint)
            .await?
        {
            true => Ok(()),
            false => Err(unknown(id)),
        }
    }
}

fn unknown(id: &str) -> Error {
    NotFound::Webhook(id.to_owned()).into()
}

/// A malformed id is answered like an unknown one.
fn webhook_id(id: &str) -> Result<WebhookId, Error> {
    id.parse().map_err(|_| unknown(id))
}

fn check_description(description: Option<String>) -> Result<Option<String>, RequestError> {
    let description = description.map(|text| text.trim().to_owned());
    match description {
        Some(text) if text.chars().count() > MAX_DESCRIPTION => {
            Err(RequestError::DescriptionTooLong {
                most: MAX_DESCRIPTION,
            })
        }
        Some(text) if text.is_empty() => Ok(None),
        other => Ok(other),
    }
}
