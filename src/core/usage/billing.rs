//! What one outbound message is billed as.

use serde::{Deserialize, Serialize};

use super::category::{Pricing, PricingCategory};
use crate::core::channel::Channel;
use crate::core::message::Content;
use crate::core::phone::E164;
use crate::core::segments::{SegmentOptions, analyze};

/// What one outbound message is billed as: SMS by segments to the recipient's
/// country, WhatsApp by message and Meta's pricing category.
///
/// It is decided when the message is queued, from what is known then; Meta's
/// `pricing` on a status webhook has the last word on a WhatsApp message's
/// category and whether it is charged ([`Billing::priced_by`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Billing {
    /// The channel.
    pub channel: Channel,
    /// The recipient's ISO 3166-1 country (`"US"`); none for a non-geographic number.
    pub country: Option<String>,
    /// SMS segments (an MMS counts as one); one for a WhatsApp message.
    pub segments: u32,
    /// The WhatsApp pricing category, when known: free-form messages are
    /// `service`; a template's category is Meta's to say, unless the sender
    /// knows it (a marketing campaign's templates are `marketing`).
    pub category: Option<PricingCategory>,
    /// Whether the message is charged (false in a free entry point, or when
    /// Meta says so).
    pub billable: bool,
}

impl Billing {
    /// The billing of `content` sent to `to` on `channel`; `free_entry` says a
    /// Click-to-WhatsApp free entry point is open for the contact (SPEC §5),
    /// in which every WhatsApp message is free.
    pub fn of(channel: Channel, to: &E164, content: &Content, free_entry: bool) -> Billing {
        let country = to.region();
        match channel {
            Channel::Sms => Billing {
                channel,
                country,
                segments: sms_segments(content),
                category: None,
                billable: true,
            },
            Channel::WhatsApp => Billing {
                channel,
                country,
                segments: 1,
                category: whatsapp_category(content, free_entry),
                billable: !free_entry,
            },
        }
    }

    /// The billing once Meta's `pricing` says what the message is.
    pub fn priced_by(mut self, pricing: &Pricing) -> Billing {
        self.category = Some(pricing.category.clone());
        if let Some(billable) = pricing.billable {
            self.billable = billable;
        }
        self
    }

    /// The messages charged: one, or none when it is free.
    pub fn charged(&self) -> u32 {
        u32::from(self.billable)
    }
}

fn sms_segments(content: &Content) -> u32 {
    match content {
        Content::Text(text) => {
            let segments = analyze(text.as_str(), SegmentOptions::default()).segments;
            u32::try_from(segments).unwrap_or(u32::MAX)
        }
        // Media goes as one MMS, whatever its caption.
        _ => 1,
    }
}

fn whatsapp_category(content: &Content, free_entry: bool) -> Option<PricingCategory> {
    match content {
        _ if free_entry => Some(PricingCategory::ReferralConversion),
        Content::Template(_) => None,
        _ => Some(PricingCategory::Service),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::message::RawContent;

    fn us() -> E164 {
        E164::parse("+12025550123", None).unwrap()
    }

    fn template() -> Content {
        let raw =
            serde_json::json!({"type": "template", "template_name": "promo", "language": "en_US"});
        serde_json::from_value::<RawContent>(raw)
            .unwrap()
            .validate()
            .unwrap()
    }

    #[test]
    fn an_sms_is_billed_by_its_segments_to_the_recipients_country() {
        let two = Content::text("x".repeat(161)).unwrap();
        let billing = Billing::of(Channel::Sms, &us(), &two, false);
        assert_eq!(billing.country.as_deref(), Some("US"));
        assert_eq!((billing.segments, billing.category), (2, None));
        assert!(billing.billable);
        let ucs2 = Content::text("👋".repeat(40)).unwrap();
        assert_eq!(Billing::of(Channel::Sms, &us(), &ucs2, false).segments, 2);
    }

    #[test]
    fn a_free_form_whatsapp_message_is_service_and_a_template_waits_for_meta() {
        let text = Content::text("hello").unwrap();
        let billing = Billing::of(Channel::WhatsApp, &us(), &text, false);
        assert_eq!(billing.category, Some(PricingCategory::Service));
        assert_eq!(billing.segments, 1);
        let billing = Billing::of(Channel::WhatsApp, &us(), &template(), false);
        assert_eq!(billing.category, None);
    }

    #[test]
    fn every_whatsapp_message_in_a_free_entry_point_is_free() {
        let billing = Billing::of(Channel::WhatsApp, &us(), &template(), true);
        assert_eq!(billing.category, Some(PricingCategory::ReferralConversion));
        assert_eq!(billing.charged(), 0);
    }

    #[test]
    fn metas_pricing_has_the_last_word_on_category_and_charge() {
        let billing = Billing::of(Channel::WhatsApp, &us(), &template(), false);
        let pricing = Pricing {
            billable: Some(false),
            category: PricingCategory::Utility,
            model: Some("PMP".into()),
        };
        let priced = billing.clone().priced_by(&pricing);
        assert_eq!(priced.category, Some(PricingCategory::Utility));
        assert!(!priced.billable);
        let silent = Pricing {
            billable: None,
            ..pricing
        };
        assert!(billing.priced_by(&silent).billable);
    }
}
