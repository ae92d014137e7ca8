//! Cost estimates: segments × the per-segment price the user's table gives a country.
//!
//! Money is never a float. Carriers price SMS in fractions of a cent (Twilio lists
//! prices such as 0.0079 USD a segment), so whole minor units would round them away;
//! an [`Amount`] is a whole number of millionths of the currency's main unit, which
//! holds every published per-segment price exactly and sums without drift. It is
//! written and read as a decimal string (`"0.0079"`), never as a JSON number, so no
//! float touches it on the way in either.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::SegmentsError;

/// Millionths in one main currency unit.
const MICROS_PER_UNIT: u64 = 1_000_000;
/// Decimals an [`Amount`] keeps.
const DECIMALS: usize = 6;

/// A non-negative amount of money, exact to a millionth of the currency's main unit.
///
/// ```
/// use msgcore::core::segments::Amount;
///
/// let price: Amount = "0.0079".parse()?;
/// assert_eq!(price.micros(), 7_900);
/// assert_eq!(price.to_string(), "0.0079");
/// # Ok::<(), msgcore::core::segments::SegmentsError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount {
    micros: u64,
}

impl Amount {
    /// Nothing.
    pub const ZERO: Amount = Amount { micros: 0 };

    /// The amount of `micros` millionths of the main unit.
    pub const fn from_micros(micros: u64) -> Amount {
        Amount { micros }
    }

    /// The amount in millionths of the main unit.
    pub const fn micros(self) -> u64 {
        self.micros
    }

    /// `self × times`, or `None` if that does not fit.
    pub fn checked_mul(self, times: u64) -> Option<Amount> {
        self.micros.checked_mul(times).map(Amount::from_micros)
    }

    /// `self + other`, or `None` if that does not fit.
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        self.micros
            .checked_add(other.micros)
            .map(Amount::from_micros)
    }
}

impl FromStr for Amount {
    type Err = SegmentsError;

    /// Reads `digits` or `digits.digits` with at most six decimals.
    fn from_str(input: &str) -> Result<Amount, SegmentsError> {
        let invalid = || SegmentsError::InvalidAmount {
            input: input.to_owned(),
        };
        let (whole, fraction) = match input.split_once('.') {
            Some((_, "")) => return Err(invalid()),
            Some(parts) => parts,
            None => (input, ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let well_formed = !whole.is_empty()
            && all_digits(whole)
            && all_digits(fraction)
            && fraction.len() <= DECIMALS;
        if !well_formed {
            return Err(invalid());
        }
        let whole: u64 = whole.parse().map_err(|_| invalid())?;
        let fraction_micros: u64 = format!("{fraction:0<DECIMALS$}")
            .parse()
            .map_err(|_| invalid())?;
        whole
            .checked_mul(MICROS_PER_UNIT)
            .and_then(|micros| micros.checked_add(fraction_micros))
            .map(Amount::from_micros)
            .ok_or_else(invalid)
    }
}

impl fmt::Display for Amount {
    /// The shortest decimal that reads back to the same amount (`0.0079`, `2`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.micros / MICROS_PER_UNIT;
        let fraction = self.micros % MICROS_PER_UNIT;
        if fraction == 0 {
            return write!(f, "{whole}");
        }
        let digits = format!("{fraction:0DECIMALS$}");
        write!(f, "{whole}.{}", digits.trim_end_matches('0'))
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Amount, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// What one segment costs in each destination country, in one currency.
///
/// Countries are ISO 3166-1 alpha-2 codes (`"US"`, as [`E164::region`] gives them),
/// matched without regard to case.
///
/// ```
/// use msgcore::core::segments::{analyze, PriceTable, SegmentOptions};
///
/// let table = PriceTable::new("USD").with_price("US", "0.0079".parse()?);
/// let report = analyze(&"x".repeat(200), SegmentOptions::default());
/// assert_eq!(report.segments, 2);
/// assert_eq!(report.cost(&table, "us")?.to_string(), "0.0158");
/// assert!(report.cost(&table, "GB").is_err());
/// # Ok::<(), msgcore::core::segments::SegmentsError>(())
/// ```
///
/// [`E164::region`]: crate::E164::region
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "PriceTableFields", into = "PriceTableFields")]
pub struct PriceTable {
    currency: String,
    per_segment: BTreeMap<String, Amount>,
}

/// [`PriceTable`] on the wire: `{"currency": "USD", "per_segment": {"US": "0.0079"}}`.
#[derive(Serialize, Deserialize)]
struct PriceTableFields {
    currency: String,
    per_segment: BTreeMap<String, Amount>,
}

impl PriceTable {
    /// An empty table for prices in `currency` (an ISO 4217 code such as `"USD"`).
    pub fn new(currency: impl Into<String>) -> PriceTable {
        PriceTable {
            currency: currency.into(),
            per_segment: BTreeMap::new(),
        }
    }

    /// The table with `price` a segment to `country` (replacing any earlier price).
    pub fn with_price(mut self, country: &str, price: Amount) -> PriceTable {
        self.set_price(country, price);
        self
    }

    /// Sets the price of a segment to `country`.
    pub fn set_price(&mut self, country: &str, price: Amount) {
        self.per_segment.insert(country.to_ascii_uppercase(), price);
    }

    /// The price of a segment to `country`, if the table has one.
    pub fn price(&self, country: &str) -> Option<Amount> {
        self.per_segment.get(&country.to_ascii_uppercase()).copied()
    }

    /// The currency of every price in the table.
    pub fn currency(&self) -> &str {
        &self.currency
    }

    /// What `segments` segments to `country` cost.
    pub fn cost(&self, country: &str, segments: usize) -> Result<Amount, SegmentsError> {
        let price = self.price(country).ok_or_else(|| SegmentsError::NoPrice {
            country: country.to_owned(),
        })?;
        u64::try_from(segments)
            .ok()
            .and_then(|times| price.checked_mul(times))
            .ok_or(SegmentsError::CostOverflow { segments, price })
    }
}

impl From<PriceTableFields> for PriceTable {
    fn from(fields: PriceTableFields) -> PriceTable {
        let mut table = PriceTable::new(fields.currency);
        for (country, price) in fields.per_segment {
            table.set_price(&country, price);
        }
        table
    }
}

impl From<PriceTable> for PriceTableFields {
    fn from(table: PriceTable) -> PriceTableFields {
        PriceTableFields {
            currency: table.currency,
            per_segment: table.per_segment,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(s: &str) -> Amount {
        s.parse().unwrap()
    }

    #[test]
    fn amounts_read_decimals_exactly() {
        assert_eq!(amount("0.0079").micros(), 7_900);
        assert_eq!(amount("12").micros(), 12_000_000);
        assert_eq!(amount("0.000001").micros(), 1);
        assert_eq!(amount("1.5").micros(), 1_500_000);
    }

    #[test]
    fn amounts_refuse_what_is_not_a_plain_decimal() {
        for bad in [
            "",
            ".5",
            "5.",
            "-1",
            "1e3",
            "0.0000001",
            "1,5",
            " 1",
            "1.2.3",
            "NaN",
            "18446744073710",
        ] {
            assert_eq!(
                bad.parse::<Amount>(),
                Err(SegmentsError::InvalidAmount { input: bad.into() }),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn amounts_print_as_the_shortest_decimal_and_read_back() {
        for (text, shown) in [
            ("0.0079", "0.0079"),
            ("2.500", "2.5"),
            ("3.000000", "3"),
            ("0", "0"),
        ] {
            assert_eq!(amount(text).to_string(), shown);
            assert_eq!(amount(shown), amount(text));
        }
    }

    #[test]
    fn amounts_serialize_as_strings_and_refuse_json_numbers() {
        assert_eq!(
            serde_json::to_string(&amount("0.0079")).unwrap(),
            "\"0.0079\""
        );
        assert_eq!(
            serde_json::from_str::<Amount>("\"0.05\"").unwrap(),
            amount("0.05")
        );
        assert!(serde_json::from_str::<Amount>("0.05").is_err());
    }

    #[test]
    fn the_cost_is_segments_times_the_countrys_price() {
        let table = PriceTable::new("USD")
            .with_price("us", amount("0.0079"))
            .with_price("GB", amount("0.0463"));
        assert_eq!(table.cost("US", 3), Ok(amount("0.0237")));
        assert_eq!(table.cost("gb", 1), Ok(amount("0.0463")));
        assert_eq!(
            table.cost("FR", 1),
            Err(SegmentsError::NoPrice {
                country: "FR".into()
            })
        );
        assert_eq!(table.currency(), "USD");
    }

    #[test]
    fn a_cost_too_big_to_hold_is_an_error_not_a_wrapped_number() {
        let table = PriceTable::new("USD").with_price("US", Amount::from_micros(u64::MAX));
        assert_eq!(
            table.cost("US", 2),
            Err(SegmentsError::CostOverflow {
                segments: 2,
                price: Amount::from_micros(u64::MAX)
            })
        );
    }

    #[test]
    fn price_tables_read_from_json_with_countries_in_any_case() {
        let json = r#"{"currency": "EUR", "per_segment": {"de": "0.075", "FR": "0.06"}}"#;
        let table: PriceTable = serde_json::from_str(json).unwrap();
        assert_eq!(table.price("DE"), Some(amount("0.075")));
        assert_eq!(table.price("fr"), Some(amount("0.06")));
        let round_trip: PriceTable =
            serde_json::from_str(&serde_json::to_string(&table).unwrap()).unwrap();
        assert_eq!(round_trip, table);
    }
}
