//! Payment links (SPEC §19's `create_payment_link`): msgcore takes no
//! payments itself, so the embedder plugs its payment provider in through the
//! [`PaymentLinks`] port, and the service layer checks what is asked first.
//!
//! ```
//! # async fn demo() -> Result<(), msgcore::Error> {
//! use std::sync::Arc;
//! use async_trait::async_trait;
//! use msgcore::engine::Inbox;
//! use msgcore::service::{Operations, PaymentLink, PaymentLinkRequest, PaymentLinks};
//! use msgcore::store::MemoryStore;
//!
//! /// A provider that would call Stripe, Razorpay, … here.
//! struct Checkout;
//!
//! #[async_trait]
//! impl PaymentLinks for Checkout {
//!     async fn create(
//!         &self,
//!         request: PaymentLinkRequest<'_>,
//!     ) -> Result<PaymentLink, Box<dyn std::error::Error + Send + Sync>> {
//!         Ok(PaymentLink {
//!             url: format!("https://pay.example.com/{}", request.contact.id),
//!             id: None,
//!             expires_at: None,
//!         })
//!     }
//! }
//!
//! let inbox = Arc::new(Inbox::builder(Arc::new(MemoryStore::new())).build());
//! let ops = Operations::new(inbox).payment_links(Arc::new(Checkout));
//! # let _ = ops; Ok(()) }
//! ```

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::api_keys::Principal;
use super::operations::Operations;
use crate::core::api_key::Scope;
use crate::error::Error;
use crate::model::{Contact, Tenant};

/// The longest description a payment link may carry.
pub const MAX_PAYMENT_DESCRIPTION: usize = 500;

/// The embedder's payment provider: makes a link a contact pays through.
#[async_trait]
pub trait PaymentLinks: Send + Sync {
    /// A link for `request`, already checked (a positive amount, an ISO 4217
    /// code, a description, a contact of the tenant). An error is logged,
    /// and the caller told only that the provider failed.
    async fn create(
        &self,
        request: PaymentLinkRequest<'_>,
    ) -> Result<PaymentLink, Box<dyn std::error::Error + Send + Sync>>;
}

/// What the provider is asked for.
#[derive(Debug, Clone, Copy)]
pub struct PaymentLinkRequest<'a> {
    /// The tenant that is paid.
    pub tenant: &'a Tenant,
    /// Who pays.
    pub contact: &'a Contact,
    /// How much, in the currency's minor unit (cents: 4999 is 49.99 USD).
    pub amount: u64,
    /// The ISO 4217 code, upper case (`USD`, `INR`).
    pub currency: &'a str,
    /// What the payment is for, as the payer sees it.
    pub description: &'a str,
}

/// A link the provider made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentLink {
    /// Where the contact pays.
    pub url: String,
    /// The provider's id for it, if it has one.
    pub id: Option<String>,
    /// When it stops working, if it does.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A payment link to make, as an API client asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPaymentLink {
    /// How much, in the currency's minor unit.
    pub amount: u64,
    /// The ISO 4217 code (any case).
    pub currency: String,
    /// What the payment is for.
    pub description: String,
    /// The contact's id.
    pub contact: String,
}

/// A payment link that cannot be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PaymentLinkError {
    /// The embedder gave [`Operations`] no [`PaymentLinks`] (501,
    /// [`ErrorKind::NoPaymentLinks`](crate::ErrorKind::NoPaymentLinks)).
    #[error(
        "no payment provider is configured: create_payment_link needs the server to be \
         given a PaymentLinks implementation (Operations::payment_links)"
    )]
    NotConfigured,
    /// The amount is zero (400).
    #[error("amount: at least 1, in the currency's minor unit (4999 for 49.99)")]
    ZeroAmount,
    /// The currency is not three letters (400).
    #[error("currency: an ISO 4217 code of three letters, such as USD; got {0:?}")]
    Currency(String),
    /// The description is empty or too long (400).
    #[error("description: 1 to {most} characters")]
    Description {
        /// The limit.
        most: usize,
    },
    /// The provider failed (502); its error is the source, never shown to
    /// the caller, whom it may tell nothing useful and much that is private.
    #[error("the payment provider could not create the link; try again")]
    Provider(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// The port as [`Operations`] keeps it, so that it stays `Debug`.
#[derive(Clone)]
pub(super) struct PaymentPort(pub(super) Arc<dyn PaymentLinks>);

impl std::fmt::Debug for PaymentPort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PaymentLinks")
    }
}

impl NewPaymentLink {
    /// The upper-cased currency, once every field is checked.
    fn checked_currency(&self) -> Result<String, PaymentLinkError> {
        if self.amount == 0 {
            return Err(PaymentLinkError::ZeroAmount);
        }
        let length = self.description.trim().chars().count();
        if length == 0 || self.description.chars().count() > MAX_PAYMENT_DESCRIPTION {
            return Err(PaymentLinkError::Description {
                most: MAX_PAYMENT_DESCRIPTION,
            });
        }
        let currency = self.currency.trim();
        match currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_alphabetic()) {
            true => Ok(currency.to_ascii_uppercase()),
            false => Err(PaymentLinkError::Currency(self.currency.clone())),
        }
    }
}

impl Operations {
    /// A payment link for the tenant's contact, from the embedder's
    /// [`PaymentLinks`]; [`PaymentLinkError::NotConfigured`] without one.
    /// Scope `messages:send`: the link is made to be sent to the contact.
    pub async fn create_payment_link(
        &self,
        principal: &Principal,
        new: &NewPaymentLink,
    ) -> Result<PaymentLink, Error> {
        principal.require(Scope::MessagesSend)?;
        let port = self
            .payment_links
            .as_ref()
            .ok_or(PaymentLinkError::NotConfigured)?;
        let currency = new.checked_currency()?;
        let contact = self.load_contact(principal.tenant, &new.contact).await?;
        let tenant = self.inbox.tenant(principal.tenant).await?;
        let request = PaymentLinkRequest {
            tenant: &tenant,
            contact: &contact,
            amount: new.amount,
            currency: &currency,
            description: new.description.trim(),
        };
        let link = port.0.create(request).await.map_err(|source| {
            tracing::warn!(tenant = %principal.tenant, error = %source, "the payment provider failed");
            PaymentLinkError::Provider(source)
        })?;
        Ok(link)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(amount: u64, currency: &str, description: &str) -> NewPaymentLink {
        NewPaymentLink {
            amount,
            currency: currency.to_owned(),
            description: description.to_owned(),
            contact: String::new(),
        }
    }

    #[test]
    fn a_currency_is_three_letters_read_in_any_case() {
        assert_eq!(
            asked(4999, " usd ", "Order 42").checked_currency().ok(),
            Some("USD".to_owned())
        );
        for bad in ["US", "USDT", "U$D", ""] {
            let refused = asked(1, bad, "Order 42").checked_currency();
            assert!(
                matches!(refused, Err(PaymentLinkError::Currency(ref got)) if got == bad),
                "{bad:?}: {refused:?}"
            );
        }
    }

    #[test]
    fn a_zero_amount_or_a_blank_or_long_description_is_refused_naming_which() {
        let zero = asked(0, "USD", "Order 42").checked_currency();
        assert!(matches!(zero, Err(PaymentLinkError::ZeroAmount)));
        let long = "x".repeat(MAX_PAYMENT_DESCRIPTION + 1);
        for description in ["  ", long.as_str()] {
            let refused = asked(1, "USD", description).checked_currency();
            assert!(matches!(
                refused,
                Err(PaymentLinkError::Description {
                    most: MAX_PAYMENT_DESCRIPTION
                })
            ));
        }
    }
}
