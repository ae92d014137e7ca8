//! Campaigns (SPEC §12, §18): the definition as its wire form, checked when it
//! is created; the throttle that says how many recipients may be queued by a
//! given time; and the counts, derived from the recipients' states and their
//! messages' statuses.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use msgcore::core::campaign::CampaignDefinition;
//!
//! let definition: CampaignDefinition = serde_json::from_str(r#"{
//!     "id": "spring-sale", "channel": "sms", "audience": {"tags": ["vip"]},
//!     "text": "Hi {name}, 20% off at {company} this week. Reply STOP to opt out.",
//!     "start_at": "2026-03-02T17:00:00Z", "per_minute": 100
//! }"#)?;
//! let created = Utc.with_ymd_and_hms(2026, 3, 2, 16, 0, 0).unwrap();
//! let campaign = definition.validate(created)?;
//! let start = Utc.with_ymd_and_hms(2026, 3, 2, 17, 0, 0).unwrap();
//! assert_eq!(campaign.throttle().allowance(start - TimeDelta::seconds(1)), 0);
//! assert_eq!(campaign.throttle().allowance(start), 100, "the first minute's share at once");
//! assert_eq!(campaign.throttle().allowance(start + TimeDelta::seconds(90)), 200);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod counts;
mod definition;
mod status;
mod throttle;

pub use counts::{CampaignCounts, RecipientState, SkipReason};
pub use definition::{
    Audience, Campaign, CampaignContent, CampaignDefinition, CampaignError, CampaignKind,
    TemplateRef, client_id,
};
pub use status::{CampaignChange, CampaignFinished, CampaignStatus};
pub use throttle::Throttle;
