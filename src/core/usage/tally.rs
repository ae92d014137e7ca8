//! Billings added up by channel, country and category, and priced.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::billing::Billing;
use super::category::PricingCategory;
use super::rate_card::RateCard;
use crate::core::channel::Channel;
use crate::core::segments::Amount;

/// The messages of one channel to one country in one pricing category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageLine {
    /// The channel.
    pub channel: Channel,
    /// The recipients' country; none for non-geographic numbers.
    pub country: Option<String>,
    /// The WhatsApp pricing category; none for SMS, or while Meta has not said.
    pub category: Option<PricingCategory>,
    /// Messages.
    pub messages: u64,
    /// Their SMS segments (one per WhatsApp message).
    pub segments: u64,
    /// What is charged: the segments of charged SMS, the charged WhatsApp
    /// messages. The price of one unit times this is the line's cost.
    pub charged_units: u64,
}

type LineKey = (Channel, Option<String>, Option<PricingCategory>);

/// Billings added up into [`UsageLine`]s, one per channel, country and category.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsageTally {
    lines: BTreeMap<LineKey, UsageLine>,
}

impl UsageTally {
    /// Counts one message billed as `billing`.
    pub fn add(&mut self, billing: &Billing) {
        let key = (
            billing.channel,
            billing.country.clone(),
            billing.category.clone(),
        );
        let line = self.lines.entry(key).or_insert_with(|| UsageLine {
            channel: billing.channel,
            country: billing.country.clone(),
            category: billing.category.clone(),
            messages: 0,
            segments: 0,
            charged_units: 0,
        });
        let segments = u64::from(billing.segments);
        line.messages += 1;
        line.segments += segments;
        line.charged_units += segments * u64::from(billing.charged());
    }

    /// The lines, by channel, country and category.
    pub fn lines(self) -> Vec<UsageLine> {
        self.lines.into_values().collect()
    }
}

/// A usage line with its cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedLine {
    /// What was (or would be) sent.
    #[serde(flatten)]
    pub usage: UsageLine,
    /// What it costs; none when the rate card has no price for it.
    pub cost: Option<Amount>,
}

/// Usage lines priced with a [`RateCard`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostReport {
    /// The rate card's currency.
    pub currency: String,
    /// Every line, priced where the card could.
    pub lines: Vec<PricedLine>,
    /// The sum of the priced lines' costs (it saturates rather than wrap).
    pub total: Amount,
    /// Messages on lines the card has no price for: the total leaves them out.
    pub unpriced_messages: u64,
}

impl RateCard {
    /// Prices `lines`: each line's unit price times its charged units. Lines
    /// without a price are kept, counted in
    /// [`unpriced_messages`](CostReport::unpriced_messages), never guessed.
    pub fn price(&self, lines: Vec<UsageLine>) -> CostReport {
        let mut report = CostReport {
            currency: self.currency.clone(),
            lines: Vec::with_capacity(lines.len()),
            total: Amount::ZERO,
            unpriced_messages: 0,
        };
        for usage in lines {
            let cost = self.line_cost(&usage);
            match cost {
                Some(cost) => report.total = saturating_add(report.total, cost),
                None => report.unpriced_messages += usage.messages,
            }
            report.lines.push(PricedLine { usage, cost });
        }
        report
    }

    fn line_cost(&self, usage: &UsageLine) -> Option<Amount> {
        if usage.charged_units == 0 {
            return Some(Amount::ZERO);
        }
        let billing = Billing {
            channel: usage.channel,
            country: usage.country.clone(),
            segments: 1,
            category: usage.category.clone(),
            billable: true,
        };
        let unit = self.unit_price(&billing)?;
        Some(
            unit.checked_mul(usage.charged_units)
                .unwrap_or(Amount::from_micros(u64::MAX)),
        )
    }
}

fn saturating_add(a: Amount, b: Amount) -> Amount {
    a.checked_add(b).unwrap_or(Amount::from_micros(u64::MAX))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn billing(channel: Channel, country: &str, segments: u32, category: Option<&str>) -> Billing {
        Billing {
            channel,
            country: Some(country.into()),
            segments,
            category: category.map(PricingCategory::from_meta),
            billable: true,
        }
    }

    fn card() -> RateCard {
        serde_json::from_str(
            r#"{"currency": "USD", "sms": {"US": "0.0079"},
                "whatsapp": {"marketing": {"US": "0.025"}}}"#,
        )
        .unwrap()
    }

    #[test]
    fn messages_of_one_channel_country_and_category_share_a_line() {
        let mut tally = UsageTally::default();
        tally.add(&billing(Channel::Sms, "US", 2, None));
        tally.add(&billing(Channel::Sms, "US", 1, None));
        tally.add(&billing(Channel::Sms, "GB", 1, None));
        tally.add(&billing(Channel::WhatsApp, "US", 1, Some("marketing")));
        let lines = tally.lines();
        assert_eq!(lines.len(), 3);
        let us_sms = &lines[1];
        assert_eq!(us_sms.country.as_deref(), Some("US"));
        assert_eq!(
            (us_sms.messages, us_sms.segments, us_sms.charged_units),
            (2, 3, 3)
        );
    }

    #[test]
    fn a_report_prices_what_it_can_and_counts_what_it_cannot() {
        let mut tally = UsageTally::default();
        tally.add(&billing(Channel::Sms, "US", 2, None));
        tally.add(&billing(Channel::Sms, "GB", 1, None));
        tally.add(&billing(Channel::WhatsApp, "US", 1, Some("marketing")));
        tally.add(&billing(Channel::WhatsApp, "US", 1, None));
        let report = card().price(tally.lines());
        assert_eq!(report.currency, "USD");
        // 2 × 0.0079 + 0.025
        assert_eq!(report.total.to_string(), "0.0408");
        assert_eq!(report.unpriced_messages, 2);
        let gb = report
            .lines
            .iter()
            .find(|l| l.usage.country.as_deref() == Some("GB"));
        assert_eq!(gb.map(|l| l.cost), Some(None));
    }

    #[test]
    fn free_messages_cost_nothing_even_without_a_price() {
        let mut tally = UsageTally::default();
        let mut free = billing(Channel::WhatsApp, "FR", 1, Some("referral_conversion"));
        free.billable = false;
        tally.add(&free);
        let report = card().price(tally.lines());
        assert_eq!(report.lines[0].cost, Some(Amount::ZERO));
        assert_eq!(report.unpriced_messages, 0);
    }

    #[test]
    fn a_report_is_written_with_each_lines_usage_beside_its_cost() {
        let mut tally = UsageTally::default();
        tally.add(&billing(Channel::Sms, "US", 2, None));
        let json = serde_json::to_value(card().price(tally.lines())).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "currency": "USD",
                "lines": [{"channel": "sms", "country": "US", "category": null,
                           "messages": 1, "segments": 2, "charged_units": 2, "cost": "0.0158"}],
                "total": "0.0158",
                "unpriced_messages": 0
            })
        );
    }

    proptest! {
        /// However the messages are grouped, the tally keeps every message and
        /// segment, and the priced total is the sum of the priced messages.
        #[test]
        fn the_total_is_the_sum_of_each_messages_cost(
            messages in prop::collection::vec((0..3usize, 1..5u32, any::<bool>()), 0..60)
        ) {
            let countries = ["US", "GB", "CA"];
            let card = card();
            let mut tally = UsageTally::default();
            let mut expected = 0u64;
            let mut unpriced = 0u64;
            for (country, segments, whatsapp) in &messages {
                let country = countries[*country];
                let b = if *whatsapp {
                    billing(Channel::WhatsApp, country, 1, Some("marketing"))
                } else {
                    billing(Channel::Sms, country, *segments, None)
                };
                match card.unit_price(&b) {
                    Some(unit) => expected += unit.micros() * u64::from(b.segments),
                    None => unpriced += 1,
                }
                tally.add(&b);
            }
            let lines = tally.lines();
            let total: u64 = lines.iter().map(|l| l.messages).sum();
            prop_assert_eq!(total, messages.len() as u64);
            let report = card.price(lines);
            prop_assert_eq!(report.total.micros(), expected);
            prop_assert_eq!(report.unpriced_messages, unpriced);
        }
    }
}
