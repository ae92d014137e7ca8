//! Who a campaign or a contact list is for (SPEC §12, §18): contacts with any
//! of some tags, with all of others, for whom a [condition](crate::core::condition)
//! holds, with consent on a channel.
//!
//! Tags are what the SQL stores serve from an index, page by page in contact
//! creation order; the condition and the consent are read from each contact of
//! those pages, so any mix of the four pages through the tenant's contacts
//! once.
//!
//! ```
//! use msgcore::core::audience::Audience;
//!
//! let audience: Audience = serde_json::from_value(serde_json::json!({
//!     "tags": ["vip", "lead"],
//!     "all_tags": ["newsletter"],
//!     "condition": {"field": "attributes.city", "op": "equals", "value": "Lisbon"},
//!     "opted_in": "whatsapp"
//! }))?;
//! audience.check()?;
//! assert_eq!(audience.all_tags, ["newsletter"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::core::channel::Channel;
use crate::core::condition::{Condition, Subject};

/// Who a campaign or a contact list is for; every part left out admits
/// everyone, so the default is every contact.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Audience {
    /// Contacts with any of these tags; none: every contact.
    #[serde(default)]
    pub tags: Vec<String>,
    /// And with every one of these tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub all_tags: Vec<String>,
    /// And for whom this condition holds (SPEC §18; checked when read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    /// And who have consent on this channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opted_in: Option<Channel>,
}

/// A blank tag in an audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("audience `{list}[{index}]` is an empty tag")]
pub struct BlankTag {
    /// Which list: `tags` or `all_tags`.
    pub list: &'static str,
    /// Its position in the list.
    pub index: usize,
}

impl Audience {
    /// Refuses a blank tag, naming where it is.
    pub fn check(&self) -> Result<(), BlankTag> {
        for (list, tags) in [("tags", &self.tags), ("all_tags", &self.all_tags)] {
            if let Some(index) = tags.iter().position(|tag| tag.trim().is_empty()) {
                return Err(BlankTag { list, index });
            }
        }
        Ok(())
    }

    /// Whether a contact the tags admit is in the audience too: the
    /// condition holds for `subject` and, if asked, `allows` says it has
    /// consent on the channel.
    pub fn admits(&self, subject: &Subject<'_>, allows: impl Fn(Channel) -> bool) -> bool {
        let consents = self.opted_in.is_none_or(allows);
        consents && self.condition.as_ref().is_none_or(|c| c.matches(subject))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audience(json: serde_json::Value) -> Audience {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn a_blank_tag_is_refused_with_its_list_and_place() {
        assert_eq!(
            audience(serde_json::json!({"tags": ["vip"], "all_tags": ["a", " "]})).check(),
            Err(BlankTag {
                list: "all_tags",
                index: 1
            })
        );
        assert_eq!(Audience::default().check(), Ok(()));
    }

    #[test]
    fn the_condition_and_consent_must_both_admit_a_contact() {
        let lisbon = audience(serde_json::json!({
            "condition": {"field": "company", "op": "equals", "value": "acme"},
            "opted_in": "sms"
        }));
        let acme = Subject {
            company: Some("ACME"),
            ..Subject::default()
        };
        assert!(lisbon.admits(&acme, |c| c == Channel::Sms));
        assert!(!lisbon.admits(&acme, |_| false), "no consent");
        assert!(!lisbon.admits(&Subject::default(), |_| true), "no company");
        assert!(Audience::default().admits(&Subject::default(), |_| false));
    }

    #[test]
    fn a_condition_that_does_not_check_is_refused_when_read() {
        let bad = serde_json::json!({"condition": {"field": "nope", "op": "equals", "value": "x"}});
        assert!(serde_json::from_value::<Audience>(bad).is_err());
    }
}
