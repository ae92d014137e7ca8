//! Where a number's owner is: their country, subdivision and possible time zones.

use super::QuietHoursError;
use super::area_codes::AREA_CODES;
use super::country_zones::COUNTRY_ZONES;
use crate::core::phone::E164;
use chrono_tz::Tz;

/// One row of the generated NANP table.
pub(super) struct AreaCode {
    pub(super) npa: u16,
    pub(super) subdivisions: &'static [&'static str],
    pub(super) zones: &'static [Tz],
}

/// What a phone number tells about where its owner is, for quiet hours.
///
/// * A US or Canadian number: its area code's state or province and zone(s), from
///   NANPA's area code report (an area code can span zones: 850 in Florida is
///   Eastern and Central). A US or Canadian number whose area code has no place
///   (toll free 800, 888, …; 500, 600, 710) could be anywhere in its country: it gets
///   every zone of the country and every subdivision's rules.
/// * Any other number, NANP countries and US territories included (libphonenumber
///   gives `+1 787` the region `PR`, `+1 876` `JM`): the zone(s) IANA's `zone.tab`
///   lists for its region (Russia has 26), and every subdivision's rules.
///
/// ```
/// use msgcore::E164;
/// use msgcore::core::quiet_hours::Recipient;
///
/// let florida = Recipient::for_number(&E164::parse("+1 850 555 0100", None)?)?;
/// assert_eq!(florida.country(), "US");
/// assert_eq!(florida.subdivisions(), Some(&["US-FL"][..]));
/// assert_eq!(florida.zone_names().collect::<Vec<_>>(), ["America/Chicago", "America/New_York"]);
///
/// let toll_free = Recipient::for_number(&E164::parse("+1 800 555 0100", None)?)?;
/// assert_eq!(toll_free.subdivisions(), None);
/// assert_eq!(toll_free.zones().len(), 29);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recipient {
    country: &'static str,
    subdivisions: Option<&'static [&'static str]>,
    zones: &'static [Tz],
}

impl Recipient {
    /// Where `number`'s owner may be; an error for numbers that belong to no country
    /// (`+800` international freephone, `+882`/`+883` networks, …).
    pub fn for_number(number: &E164) -> Result<Recipient, QuietHoursError> {
        if let Some(area_code) = nanp_area_code(number) {
            return Ok(area_code);
        }
        let region = number
            .region()
            .ok_or(QuietHoursError::NoRecipientZone { number: *number })?;
        let (country, zones) =
            country_zones(&region).ok_or(QuietHoursError::NoRecipientZone { number: *number })?;
        Ok(Recipient {
            country,
            subdivisions: None,
            zones,
        })
    }

    /// The ISO 3166-1 alpha-2 country (`"US"`).
    pub fn country(&self) -> &'static str {
        self.country
    }

    /// The ISO 3166-2 subdivisions the number may be in (`["US-FL"]`; `["CA-NS",
    /// "CA-PE"]` for an area code shared by two provinces), or `None` when the number
    /// does not tell.
    pub fn subdivisions(&self) -> Option<&'static [&'static str]> {
        self.subdivisions
    }

    /// The time zones the owner may be in.
    pub fn zones(&self) -> &'static [Tz] {
        self.zones
    }

    /// The zones' IANA names.
    pub fn zone_names(&self) -> impl Iterator<Item = &'static str> {
        self.zones.iter().map(|zone| zone.name())
    }

    /// Whether rules for `region` (`"US"` or `"US-FL"`) may apply: the country's always
    /// do; a subdivision's when the number may be there.
    pub(super) fn is_in(&self, region: &str) -> bool {
        match region.split_once('-') {
            None => region == self.country,
            Some((country, _)) => {
                country == self.country
                    && self
                        .subdivisions
                        .is_none_or(|subdivisions| subdivisions.contains(&region))
            }
        }
    }
}

/// The table row of a `+1` number whose area code is a US or Canadian place.
///
/// libphonenumber agrees that each of these area codes is a US or Canadian number (the
/// generator checks it, and so do the tests), so the region lookup can be skipped.
fn nanp_area_code(number: &E164) -> Option<Recipient> {
    if number.country_code() != 1 {
        return None;
    }
    let npa: u16 = number.as_str().get(2..5)?.parse().ok()?;
    let index = AREA_CODES.binary_search_by_key(&npa, |row| row.npa).ok()?;
    let row = AREA_CODES.get(index)?;
    let country = row.subdivisions.first()?.get(..2)?;
    Some(Recipient {
        country: country_zones(country)?.0,
        subdivisions: Some(row.subdivisions),
        zones: row.zones,
    })
}

/// The region's code (as a `'static` string) and its zones.
fn country_zones(region: &str) -> Option<(&'static str, &'static [Tz])> {
    let index = COUNTRY_ZONES
        .binary_search_by_key(&region, |(code, _)| code)
        .ok()?;
    COUNTRY_ZONES.get(index).copied()
}
