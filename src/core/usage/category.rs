//! Meta's pricing categories and the `pricing` object of its status webhooks.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What a WhatsApp message is billed as (Meta's `pricing` object on statuses).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pricing {
    /// Whether the message is charged.
    pub billable: Option<bool>,
    /// Its pricing category.
    pub category: PricingCategory,
    /// Meta's pricing model (`PMP`, per-message pricing; `CBP` before it).
    pub model: Option<String>,
}

/// A WhatsApp pricing category, written as Meta names it (`"marketing"`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum PricingCategory {
    /// Marketing templates.
    Marketing,
    /// Utility templates (order updates, reminders).
    Utility,
    /// Authentication templates (one-time codes).
    Authentication,
    /// Authentication templates to some countries, priced apart.
    AuthenticationInternational,
    /// Free-form messages in the customer-service window.
    Service,
    /// Messages in a conversation a Click-to-WhatsApp ad opened (free).
    ReferralConversion,
    /// A category Meta added after this was written, by its name.
    Other(String),
}

impl PricingCategory {
    /// The category Meta names `name`.
    pub fn from_meta(name: &str) -> PricingCategory {
        match name {
            "marketing" => PricingCategory::Marketing,
            "utility" => PricingCategory::Utility,
            "authentication" => PricingCategory::Authentication,
            "authentication_international" | "authentication-international" => {
                PricingCategory::AuthenticationInternational
            }
            "service" => PricingCategory::Service,
            "referral_conversion" => PricingCategory::ReferralConversion,
            other => PricingCategory::Other(other.to_owned()),
        }
    }

    /// Meta's name for it.
    pub fn as_str(&self) -> &str {
        match self {
            PricingCategory::Marketing => "marketing",
            PricingCategory::Utility => "utility",
            PricingCategory::Authentication => "authentication",
            PricingCategory::AuthenticationInternational => "authentication_international",
            PricingCategory::Service => "service",
            PricingCategory::ReferralConversion => "referral_conversion",
            PricingCategory::Other(name) => name,
        }
    }
}

impl fmt::Display for PricingCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<String> for PricingCategory {
    fn from(name: String) -> PricingCategory {
        PricingCategory::from_meta(&name)
    }
}

impl From<PricingCategory> for String {
    fn from(category: PricingCategory) -> String {
        category.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_written_by_metas_names_and_read_back() {
        for name in [
            "marketing",
            "utility",
            "authentication",
            "authentication_international",
            "service",
            "referral_conversion",
            "marketing_lite",
        ] {
            let category = PricingCategory::from_meta(name);
            assert_eq!(category.as_str(), name);
            let json = serde_json::to_string(&category).unwrap();
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(
                serde_json::from_str::<PricingCategory>(&json).unwrap(),
                category
            );
        }
    }

    #[test]
    fn a_category_meta_adds_later_is_kept_by_its_name() {
        assert_eq!(
            PricingCategory::from_meta("marketing_lite"),
            PricingCategory::Other("marketing_lite".into())
        );
    }
}
