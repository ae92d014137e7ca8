//! The user's prices: per SMS segment and per WhatsApp message by category,
//! each by destination country.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::billing::Billing;
use super::category::PricingCategory;
use crate::core::channel::Channel;
use crate::core::segments::Amount;

/// The country key that prices every country the table does not name.
const ANY_COUNTRY: &str = "*";

/// Prices by ISO 3166-1 country (`"US"`, matched without regard to case), with
/// `"*"` for every other country (a carrier's "rest of world" rate).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "BTreeMap<String, Amount>", into = "BTreeMap<String, Amount>")]
pub struct CountryPrices(BTreeMap<String, Amount>);

impl CountryPrices {
    /// The prices with `price` for `country` (`"*"`: every other country).
    pub fn with(mut self, country: &str, price: Amount) -> CountryPrices {
        self.0.insert(country.to_ascii_uppercase(), price);
        self
    }

    /// The price for `country` (none: a non-geographic number), falling back
    /// on `"*"`.
    pub fn price(&self, country: Option<&str>) -> Option<Amount> {
        country
            .and_then(|c| self.0.get(&c.to_ascii_uppercase()))
            .or_else(|| self.0.get(ANY_COUNTRY))
            .copied()
    }
}

impl From<BTreeMap<String, Amount>> for CountryPrices {
    fn from(prices: BTreeMap<String, Amount>) -> CountryPrices {
        prices
            .into_iter()
            .fold(CountryPrices::default(), |all, (country, price)| {
                all.with(&country, price)
            })
    }
}

impl From<CountryPrices> for BTreeMap<String, Amount> {
    fn from(prices: CountryPrices) -> BTreeMap<String, Amount> {
        prices.0
    }
}

/// What messages cost, in one currency: `{"currency": "USD", "sms": {"US":
/// "0.0079"}, "whatsapp": {"marketing": {"US": "0.025"}, "utility": {"*":
/// "0.004"}}}`. SMS prices are per segment, WhatsApp prices per message of
/// the category. Amounts are decimal strings, never floats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateCard {
    /// The ISO 4217 currency of every price (`"USD"`).
    pub currency: String,
    /// The price of one SMS segment, by country.
    #[serde(default)]
    pub sms: CountryPrices,
    /// The price of one WhatsApp message, by category and country.
    #[serde(default)]
    pub whatsapp: BTreeMap<PricingCategory, CountryPrices>,
}

impl RateCard {
    /// An empty card in `currency`.
    pub fn new(currency: impl Into<String>) -> RateCard {
        RateCard {
            currency: currency.into(),
            sms: CountryPrices::default(),
            whatsapp: BTreeMap::new(),
        }
    }

    /// The price of one unit of `billing` (an SMS segment, a WhatsApp message);
    /// none when the card has no price for it, or the category is not known yet.
    pub fn unit_price(&self, billing: &Billing) -> Option<Amount> {
        let country = billing.country.as_deref();
        match billing.channel {
            Channel::Sms => self.sms.price(country),
            Channel::WhatsApp => self
                .whatsapp
                .get(billing.category.as_ref()?)?
                .price(country),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(s: &str) -> Amount {
        s.parse().unwrap()
    }

    fn billing(channel: Channel, country: Option<&str>, category: Option<&str>) -> Billing {
        Billing {
            channel,
            country: country.map(str::to_owned),
            segments: 1,
            category: category.map(PricingCategory::from_meta),
            billable: true,
        }
    }

    fn card() -> RateCard {
        serde_json::from_str(
            r#"{"currency": "USD",
                "sms": {"us": "0.0079", "*": "0.05"},
                "whatsapp": {"marketing": {"US": "0.025", "BR": "0.0625"}, "utility": {"*": "0.004"}}}"#,
        )
        .unwrap()
    }

    #[test]
    fn an_sms_segment_costs_its_countrys_price_or_the_rest_of_the_worlds() {
        let card = card();
        let price = |country| card.unit_price(&billing(Channel::Sms, country, None));
        assert_eq!(price(Some("US")), Some(amount("0.0079")));
        assert_eq!(price(Some("gb")), Some(amount("0.05")));
        assert_eq!(price(None), Some(amount("0.05")));
    }

    #[test]
    fn a_whatsapp_message_costs_its_categorys_price_in_its_country() {
        let card = card();
        let price = |country, category| {
            card.unit_price(&billing(Channel::WhatsApp, Some(country), category))
        };
        assert_eq!(price("BR", Some("marketing")), Some(amount("0.0625")));
        assert_eq!(price("FR", Some("marketing")), None);
        assert_eq!(price("FR", Some("utility")), Some(amount("0.004")));
        assert_eq!(price("US", Some("authentication")), None);
        assert_eq!(price("US", None), None);
    }

    #[test]
    fn a_rate_card_reads_back_what_it_writes() {
        let card = card();
        let json = serde_json::to_string(&card).unwrap();
        assert_eq!(serde_json::from_str::<RateCard>(&json).unwrap(), card);
        assert!(json.contains(r#""US":"0.0079""#), "{json}");
    }

    #[test]
    fn a_price_written_as_a_json_number_is_refused() {
        let json = r#"{"currency": "USD", "sms": {"US": 0.0079}}"#;
        assert!(serde_json::from_str::<RateCard>(json).is_err());
    }
}
