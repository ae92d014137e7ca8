//! The standard inbox variables a quick reply or an agent's message may use.

use std::borrow::Cow;

use chrono::{DateTime, Datelike, TimeZone, Timelike};

use super::variables::Variables;
use crate::core::text::is_white_space;

/// Values for the inbox variables, built from the names at hand and the current
/// time in the tenant's time zone.
///
/// | variable | value |
/// |---|---|
/// | `contact.name` | the contact's name, trimmed |
/// | `contact.firstName` | its first white-space-separated word (`Jane Doe` → `Jane`; titles are not guessed at) |
/// | `org.name` | the business's name |
/// | `agent.name` | the agent's name |
/// | `date` | the local date, ISO 8601 `YYYY-MM-DD`: unambiguous in every country |
/// | `time` | the local time, 24-hour `HH:MM` |
///
/// A name that is not set, or is only white space, has no value, so the
/// template's [`MissingPolicy`](super::MissingPolicy) decides what to show
/// (a fallback such as "there" in `Hi {{contact.firstName}}`).
///
/// `now` is an argument, already in the tenant's zone: pass
/// `now_utc.with_timezone(&tenant_zone)` with any `chrono` [`TimeZone`]
/// (a `chrono_tz::Tz`, a `FixedOffset`, …).
///
/// ```
/// use chrono::{FixedOffset, TimeZone};
/// use msgcore::core::template::{InboxVariables, MissingPolicy, Template};
///
/// let kolkata = FixedOffset::east_opt(5 * 3600 + 1800).unwrap();
/// let now = kolkata.with_ymd_and_hms(2025, 3, 15, 5, 0, 0).unwrap();
/// let vars = InboxVariables::at(&now).contact_name("Jane Doe").org_name("Acme");
/// let reply = Template::parse("Hi {{contact.firstName}}, {{org.name}} here ({{date}} {{time}}).")?;
/// assert_eq!(
///     reply.render(&vars, &MissingPolicy::Error)?,
///     "Hi Jane, Acme here (2025-03-15 05:00)."
/// );
/// # Ok::<(), msgcore::core::template::TemplateError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxVariables {
    contact_name: Option<String>,
    org_name: Option<String>,
    agent_name: Option<String>,
    date: String,
    time: String,
}

impl InboxVariables {
    /// Every inbox variable name, as templates write them.
    pub const NAMES: [&'static str; 6] = [
        "contact.name",
        "contact.firstName",
        "org.name",
        "agent.name",
        "date",
        "time",
    ];

    /// Inbox variables at `now` (in the tenant's zone), with no names set yet.
    pub fn at<Tz: TimeZone>(now: &DateTime<Tz>) -> Self {
        let local = now.naive_local();
        InboxVariables {
            contact_name: None,
            org_name: None,
            agent_name: None,
            date: format!(
                "{:04}-{:02}-{:02}",
                local.year(),
                local.month(),
                local.day()
            ),
            time: format!("{:02}:{:02}", local.hour(), local.minute()),
        }
    }

    /// Sets the contact's full name.
    pub fn contact_name(mut self, name: impl Into<String>) -> Self {
        self.contact_name = non_blank(name.into());
        self
    }

    /// Sets the business's name.
    pub fn org_name(mut self, name: impl Into<String>) -> Self {
        self.org_name = non_blank(name.into());
        self
    }

    /// Sets the agent's name.
    pub fn agent_name(mut self, name: impl Into<String>) -> Self {
        self.agent_name = non_blank(name.into());
        self
    }
}

impl Variables for InboxVariables {
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        let value = match name {
            "contact.name" => self.contact_name.as_deref()?,
            "contact.firstName" => first_word(self.contact_name.as_deref()?)?,
            "org.name" => self.org_name.as_deref()?,
            "agent.name" => self.agent_name.as_deref()?,
            "date" => &self.date,
            "time" => &self.time,
            _ => return None,
        };
        Some(Cow::Borrowed(value))
    }
}

/// The name trimmed, or `None` when nothing is left.
fn non_blank(name: String) -> Option<String> {
    let trimmed = name.trim_matches(is_white_space);
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

fn first_word(name: &str) -> Option<&str> {
    name.split(is_white_space).find(|word| !word.is_empty())
}

#[cfg(test)]
mod tests {
    use chrono::{FixedOffset, Utc};

    use super::*;

    fn noon() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
    }

    #[test]
    fn date_and_time_are_the_tenants_local_ones_not_utc() {
        let utc = Utc.with_ymd_and_hms(2025, 3, 14, 23, 30, 0).unwrap();
        let kolkata = FixedOffset::east_opt(5 * 3600 + 1800).unwrap();
        let vars = InboxVariables::at(&utc.with_timezone(&kolkata));
        assert_eq!(vars.get("date").as_deref(), Some("2025-03-15"));
        assert_eq!(vars.get("time").as_deref(), Some("05:00"));
        let vars = InboxVariables::at(&utc);
        assert_eq!(vars.get("date").as_deref(), Some("2025-03-14"));
        assert_eq!(vars.get("time").as_deref(), Some("23:30"));
    }

    #[test]
    fn the_first_name_is_the_first_word_of_the_trimmed_name() {
        let vars = InboxVariables::at(&noon()).contact_name("  María José\u{00A0}García ");
        assert_eq!(
            vars.get("contact.name").as_deref(),
            Some("María José\u{00A0}García")
        );
        assert_eq!(vars.get("contact.firstName").as_deref(), Some("María"));
    }

    #[test]
    fn unset_or_blank_names_have_no_value() {
        let vars = InboxVariables::at(&noon())
            .contact_name(" \t")
            .org_name("Acme");
        assert_eq!(vars.get("contact.name"), None);
        assert_eq!(vars.get("contact.firstName"), None);
        assert_eq!(vars.get("agent.name"), None);
        assert_eq!(vars.get("org.name").as_deref(), Some("Acme"));
        assert_eq!(vars.get("name"), None);
    }
}
