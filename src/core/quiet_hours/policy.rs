//! The quiet-hours policy as data: SPEC §3's rules, and a tenant's tightening of them.

use std::collections::BTreeMap;

use chrono::Weekday;
use serde::{Deserialize, Serialize};

use super::{DailyWindow, PolicyError, Recipient, SolicitationCap, WeeklyWindow};

/// Quiet-hours rules as a tenant writes them: allowed hours for everyone, and windows
/// and caps for recipients in a country or subdivision.
///
/// ```
/// use msgcore::core::quiet_hours::{PolicyRules, QuietHoursPolicy};
///
/// // No marketing on Sundays anywhere, and 09:00–18:00 in Quebec.
/// let rules: PolicyRules = serde_json::from_str(r#"{
///     "everywhere": {"every_day": {"start": "00:00", "end": "23:59"}, "sun": null},
///     "regions": {"CA-QC": {"window": {"every_day": {"start": "09:00", "end": "18:00"}}}}
/// }"#)?;
/// let policy = QuietHoursPolicy::default().tightened(&rules)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRules {
    /// Allowed hours for every recipient, in the recipient's local time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub everywhere: Option<WeeklyWindow>,
    /// Rules for recipients in a country (`"US"`, ISO 3166-1) or a subdivision
    /// (`"US-FL"`, ISO 3166-2).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub regions: BTreeMap<String, RegionRules>,
}

/// The rules for one country or subdivision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionRules {
    /// Allowed hours there, on top of the `everywhere` hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<WeeklyWindow>,
    /// Solicitation caps there; a send must stay under every one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caps: Vec<SolicitationCap>,
}

impl PolicyRules {
    /// Both sets of rules at once: windows intersected, caps all kept.
    fn and(&self, other: &PolicyRules) -> PolicyRules {
        let mut regions = self.regions.clone();
        for (key, theirs) in &other.regions {
            let merged = match regions.get(key) {
                Some(mine) => mine.and(theirs),
                None => theirs.clone(),
            };
            regions.insert(key.clone(), merged);
        }
        PolicyRules {
            everywhere: both(self.everywhere, other.everywhere),
            regions,
        }
    }

    fn check(&self) -> Result<(), PolicyError> {
        match self.regions.keys().find(|key| !is_region_key(key)) {
            Some(key) => Err(PolicyError::InvalidRegion { key: key.clone() }),
            None => Ok(()),
        }
    }
}

impl RegionRules {
    fn and(&self, other: &RegionRules) -> RegionRules {
        let mut caps: Vec<SolicitationCap> = self.caps.iter().chain(&other.caps).copied().collect();
        caps.sort_unstable();
        caps.dedup();
        RegionRules {
            window: both(self.window, other.window),
            caps,
        }
    }
}

/// Two optional windows at once (`None` restricts nothing).
fn both(a: Option<WeeklyWindow>, b: Option<WeeklyWindow>) -> Option<WeeklyWindow> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.intersect(&b)),
        (a, b) => a.or(b),
    }
}

/// `"US"` or `"US-FL"`: an ISO 3166-1 alpha-2 code, optionally with an ISO 3166-2
/// subdivision suffix of one to three letters or digits.
fn is_region_key(key: &str) -> bool {
    let (country, subdivision) = match key.split_once('-') {
        Some((country, subdivision)) => (country, Some(subdivision)),
        None => (key, None),
    };
    let country_ok = country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase());
    let subdivision_ok = subdivision.is_none_or(|s| {
        (1..=3).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    });
    country_ok && subdivision_ok
}

/// The quiet-hours policy in force: SPEC §3's rules, tightened by a tenant's.
///
/// There is no way to loosen it: every constructor, deserialization included, starts
/// from [`QuietHoursPolicy::spec`] and intersects, so a tenant's rules can only take
/// hours away or add caps. It serializes as its [`PolicyRules`] (the SPEC rules merged
/// with the tenant's), and deserializing that gives the same policy back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PolicyRules", into = "PolicyRules")]
pub struct QuietHoursPolicy {
    rules: PolicyRules,
}

impl QuietHoursPolicy {
    /// SPEC §3: 08:00–21:00 everywhere; 08:00–20:00 in Florida, Oklahoma, Maryland and
    /// Washington; 09:00–20:00 in Connecticut; in Texas 09:00–21:00 Monday to Saturday
    /// and 12:00–21:00 on Sunday; and at most 3 sends per 24 hours on one subject in
    /// Florida, Oklahoma and Maryland.
    pub fn spec() -> QuietHoursPolicy {
        let window = |start, end| DailyWindow::from_hm(start, end).ok();
        let every_day = |start, end| window(start, end).map(WeeklyWindow::every_day);
        let eight_to_eight = every_day((8, 0), (20, 0));
        let cap = SolicitationCap::new(3, 24)
            .ok()
            .into_iter()
            .collect::<Vec<_>>();
        let texas = every_day((9, 0), (21, 0))
            .map(|week| week.with_day(Weekday::Sun, window((12, 0), (21, 0))));
        let region = |key: &str, window, caps: &[SolicitationCap]| {
            (
                key.to_owned(),
                RegionRules {
                    window,
                    caps: caps.to_vec(),
                },
            )
        };
        QuietHoursPolicy {
            rules: PolicyRules {
                everywhere: every_day((8, 0), (21, 0)),
                regions: BTreeMap::from([
                    region("US-CT", every_day((9, 0), (20, 0)), &[]),
                    region("US-FL", eight_to_eight, &cap),
                    region("US-MD", eight_to_eight, &cap),
                    region("US-OK", eight_to_eight, &cap),
                    region("US-TX", texas, &[]),
                    region("US-WA", eight_to_eight, &[]),
                ]),
            },
        }
    }

    /// This policy with `rules` added: windows intersected, caps added.
    pub fn tightened(&self, rules: &PolicyRules) -> Result<QuietHoursPolicy, PolicyError> {
        rules.check()?;
        Ok(QuietHoursPolicy {
            rules: self.rules.and(rules),
        })
    }

    /// The rules in force.
    pub fn rules(&self) -> &PolicyRules {
        &self.rules
    }

    /// The rules that apply to `recipient`: the country's, and its subdivision's (every
    /// subdivision's of the country when the number does not tell which).
    pub(super) fn rules_for<'a>(
        &'a self,
        recipient: &'a Recipient,
    ) -> impl Iterator<Item = (&'a str, &'a RegionRules)> + 'a {
        self.rules
            .regions
            .iter()
            .filter(|(key, _)| recipient.is_in(key))
            .map(|(key, rules)| (key.as_str(), rules))
    }
}

impl Default for QuietHoursPolicy {
    /// The SPEC rules.
    fn default() -> Self {
        QuietHoursPolicy::spec()
    }
}

impl TryFrom<PolicyRules> for QuietHoursPolicy {
    type Error = PolicyError;

    fn try_from(rules: PolicyRules) -> Result<Self, Self::Error> {
        QuietHoursPolicy::spec().tightened(&rules)
    }
}

impl From<QuietHoursPolicy> for PolicyRules {
    fn from(policy: QuietHoursPolicy) -> Self {
        policy.rules
    }
}
