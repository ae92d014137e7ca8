//! Phone numbers in E.164 form, and the addresses providers wrap them in.
//!
//! [`E164`] can only hold a number that Google's libphonenumber metadata calls
//! *valid* (not merely *possible*), normalized to `+` and at most 15 digits. Parsing
//! accepts what people type: spaces, dots, dashes, parentheses, `00`/`011`
//! international prefixes, national trunk prefixes, full-width digits, `tel:` URIs
//! and extensions (the extension is dropped: an SMS cannot dial one).
//!
//! The backend is `rlibphonenumber`, a port of libphonenumber that gives the same
//! answers as Google's Java/C++/Python libraries; it is wrapped here so that it can
//! be swapped without touching callers.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use rlibphonenumber::enums::Region;
use rlibphonenumber::{
    NotANumberError, PHONE_NUMBER_UTIL, ParseError, PhoneNumber, PhoneNumberFormat, ValidationError,
};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::channel::Channel;

/// The longest E.164 number: `+` and 15 digits.
const MAX_LEN: usize = 16;

/// The longest input parsed, in characters: libphonenumber refuses anything
/// longer as too long to parse, before reading it, so no input costs more than
/// this to refuse.
pub const MAX_INPUT_CHARS: usize = 250;

/// Twilio writes WhatsApp addresses as `whatsapp:+14155238886`.
const TWILIO_WHATSAPP_PREFIX: &str = "whatsapp:";

/// A valid phone number in E.164 form (`+14155238886`).
///
/// The value is stored inline (no allocation) and is `Copy`. It displays,
/// parses and serializes as the `+…` string.
///
/// ```
/// use msgcore::E164;
///
/// let n = E164::parse("(212) 555-1234", Some("US"))?;
/// assert_eq!(n.as_str(), "+12125551234");
/// assert_eq!(n.country_code(), 1);
/// // Normalizing a normalized number changes nothing.
/// assert_eq!(E164::parse(n.as_str(), None)?, n);
/// // Numbers libphonenumber calls invalid are refused, with the reason.
/// assert!(E164::parse("+1 212 555 123", None).is_err());
/// # Ok::<(), msgcore::PhoneError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct E164 {
    /// `+` followed by the digits; bytes past `len` are zero.
    bytes: [u8; MAX_LEN],
    len: u8,
    country_code: u16,
}

/// Why a string is not a valid phone number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PhoneError {
    /// The input is longer than [`MAX_INPUT_CHARS`], however it is padded: too
    /// long to be a phone number as anyone writes one (libphonenumber's limit).
    #[error(
        "a phone number is written in at most {MAX_INPUT_CHARS} characters; this input is longer"
    )]
    InputTooLong,
    /// The input is empty or only white space.
    #[error("phone number is empty")]
    Empty,
    /// The input does not look like a phone number at all.
    #[error("{input:?} is not a phone number")]
    NotANumber {
        /// The rejected input.
        input: String,
    },
    /// The number has no `+` country code and no usable default region was given.
    #[error(
        "{input:?} has no country code (start it with +) and {region} is not a usable default region"
    )]
    MissingRegion {
        /// The rejected input.
        input: String,
        /// The default region that was given, if any, as written.
        region: RegionName,
    },
    /// The country calling code after `+` (or after an international prefix) is not assigned.
    #[error("{input:?} has an unknown country calling code")]
    InvalidCountryCode {
        /// The rejected input.
        input: String,
    },
    /// The number has fewer digits than any number of its country.
    #[error("{input:?} is too short to be a phone number of its country")]
    TooShort {
        /// The rejected input.
        input: String,
    },
    /// The number has more digits than any number of its country (or than E.164 allows).
    #[error("{input:?} is too long to be a phone number of its country")]
    TooLong {
        /// The rejected input.
        input: String,
    },
    /// libphonenumber accepts the number, but it has more than the 15 digits E.164 allows
    /// (a few German numbers are like this); no carrier can route it internationally.
    #[error("{input:?} has {digits} digits; E.164 allows at most 15")]
    ExceedsE164 {
        /// The rejected input.
        input: String,
        /// How many digits the number has, country code included.
        digits: usize,
    },
    /// The number has a plausible length but matches no numbering plan of its country.
    #[error("{input:?} is not a valid number for country code +{country_code}")]
    Invalid {
        /// The rejected input.
        input: String,
        /// The country calling code the number was read with.
        country_code: u16,
    },
    /// A WhatsApp id (`wa_id`) must be digits only.
    #[error("{input:?} is not a WhatsApp id: expected digits only, like 14155238886")]
    NotAWaId {
        /// The rejected input.
        input: String,
    },
    /// A Twilio address must be `+…` (SMS) or `whatsapp:+…` (WhatsApp).
    #[error("{input:?} is not a Twilio address: expected +14155238886 or whatsapp:+14155238886")]
    NotATwilioAddress {
        /// The rejected input.
        input: String,
    },
}

/// How a default region was given, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionName(Option<String>);

impl fmt::Display for RegionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(region) => write!(f, "{region:?}"),
            None => f.write_str("none"),
        }
    }
}

impl E164 {
    /// Parses human input, with `default_region` (an upper-case ISO 3166-1 alpha-2
    /// code such as `"US"`) for numbers written without a country code.
    ///
    /// A `+` number ignores the region. A region that is not an upper-case,
    /// supported code is treated as absent, as libphonenumber does.
    pub fn parse(input: &str, default_region: Option<&str>) -> Result<E164, PhoneError> {
        if input.chars().nth(MAX_INPUT_CHARS).is_some() {
            return Err(PhoneError::InputTooLong);
        }
        if input.trim().is_empty() {
            return Err(PhoneError::Empty);
        }
        let region = default_region.and_then(supported_region);
        let number = PHONE_NUMBER_UTIL
            .parse(input, region)
            .map_err(|e| parse_error(e, input, default_region))?;
        if !number.is_valid() {
            return Err(validation_error(&number, input));
        }
        let formatted = number.format_as(PhoneNumberFormat::E164);
        // Country calling codes have at most three digits, so the conversion cannot fail.
        let country_code = u16::try_from(number.country_code).unwrap_or(0);
        E164::from_parts(&formatted, country_code).ok_or_else(|| PhoneError::ExceedsE164 {
            input: input.to_owned(),
            digits: formatted.len().saturating_sub(1),
        })
    }

    /// Reads a Meta WhatsApp id (`wa_id`: the number's digits without `+`)
    /// as the number it stands for.
    ///
    /// A `wa_id` is not always a valid number: WhatsApp accounts made before
    /// Brazil added the mobile ninth digit keep ids without it
    /// (`551187654321` for `+55 11 98765-4321`), and Mexican ids may keep the
    /// old mobile `1` (`5215512345678` for `+52 55 1234 5678`). Such an id
    /// reads as the valid number it stands for; keep the id itself as the
    /// contact's WhatsApp identity ([`WhatsAppIds`](crate::model::WhatsAppIds)),
    /// since messages must go to it. Argentina's `549…` is a valid number as
    /// it is. Since 2026 WhatsApp may send no number at all, only a user id.
    ///
    /// ```
    /// use msgcore::E164;
    /// let n = E164::from_wa_id("14155238886")?;
    /// assert_eq!(n.wa_id(), "14155238886");
    /// assert_eq!(E164::from_wa_id("551187654321")?.as_str(), "+5511987654321");
    /// assert_eq!(E164::from_wa_id("5215512345678")?.as_str(), "+525512345678");
    /// # Ok::<(), msgcore::PhoneError>(())
    /// ```
    pub fn from_wa_id(wa_id: &str) -> Result<E164, PhoneError> {
        if wa_id.is_empty() || !wa_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PhoneError::NotAWaId {
                input: wa_id.to_owned(),
            });
        }
        E164::parse(&format!("+{wa_id}"), None).or_else(|error| {
            number_of_legacy_wa_id(wa_id)
                .and_then(|digits| E164::parse(&format!("+{digits}"), None).ok())
                .ok_or(error)
        })
    }

    /// Reads a Twilio address: `+…` is an SMS number, `whatsapp:+…` a WhatsApp one.
    ///
    /// ```
    /// use msgcore::{Channel, E164};
    /// let (channel, n) = E164::from_twilio_address("whatsapp:+14155238886")?;
    /// assert_eq!(channel, Channel::WhatsApp);
    /// assert_eq!(n.twilio_address(channel), "whatsapp:+14155238886");
    /// # Ok::<(), msgcore::PhoneError>(())
    /// ```
    pub fn from_twilio_address(address: &str) -> Result<(Channel, E164), PhoneError> {
        let (channel, number) = match address.strip_prefix(TWILIO_WHATSAPP_PREFIX) {
            Some(number) => (Channel::WhatsApp, number),
            None => (Channel::Sms, address),
        };
        if !number.starts_with('+') {
            return Err(PhoneError::NotATwilioAddress {
                input: address.to_owned(),
            });
        }
        Ok((channel, E164::parse(number, None)?))
    }

    /// The number as `+` and digits.
    pub fn as_str(&self) -> &str {
        // `len` fits the array and the bytes are ASCII by construction, so this never
        // falls back to the empty string.
        self.bytes
            .get(..usize::from(self.len))
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .unwrap_or_default()
    }

    /// The digits without `+`, which is the form Meta calls `wa_id`.
    pub fn wa_id(&self) -> &str {
        let with_plus = self.as_str();
        with_plus.strip_prefix('+').unwrap_or(with_plus)
    }

    /// The address Twilio expects in `To`/`From` for `channel`.
    pub fn twilio_address(&self, channel: Channel) -> String {
        match channel {
            Channel::Sms => self.as_str().to_owned(),
            Channel::WhatsApp => format!("{TWILIO_WHATSAPP_PREFIX}{}", self.as_str()),
        }
    }

    /// The country calling code (`1` for `+1…`, `44` for `+44…`).
    pub fn country_code(&self) -> u16 {
        self.country_code
    }

    /// The ISO 3166-1 region the number belongs to (`"US"`, `"GB"`), if it has one;
    /// non-geographic numbers (`+800…`) have none.
    pub fn region(&self) -> Option<String> {
        let number = PHONE_NUMBER_UTIL.parse(self.as_str(), None).ok()?;
        let region = number.get_region_code()?;
        let name = region.as_region_str();
        (name.as_str() != "001").then(|| name.as_str().to_owned())
    }

    fn from_parts(formatted: &str, country_code: u16) -> Option<E164> {
        let bytes = formatted.as_bytes();
        let well_formed = (2..=MAX_LEN).contains(&bytes.len())
            && bytes.first() == Some(&b'+')
            && bytes.iter().skip(1).all(u8::is_ascii_digit);
        if !well_formed {
            return None;
        }
        let mut out = [0u8; MAX_LEN];
        out.get_mut(..bytes.len())?.copy_from_slice(bytes);
        Some(E164 {
            bytes: out,
            len: u8::try_from(bytes.len()).ok()?,
            country_code,
        })
    }
}

/// libphonenumber's default region must be an upper-case supported code.
fn supported_region(code: &str) -> Option<Region> {
    let two_upper = code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase());
    if !two_upper {
        return None;
    }
    let region = Region::from_code(code).ok()?;
    SUPPORTED_REGIONS.contains(&region).then_some(region)
}

/// The regions libphonenumber has metadata for, looked up on every parse with a
/// default region (a linear scan of ~245 regions cost more than the parse).
static SUPPORTED_REGIONS: LazyLock<HashSet<Region>> =
    LazyLock::new(|| PHONE_NUMBER_UTIL.get_supported_regions().collect());

fn parse_error(error: ParseError, input: &str, region: Option<&str>) -> PhoneError {
    let input = input.to_owned();
    match error {
        ParseError::InvalidCountryCode if input.trim_start().starts_with('+') => {
            PhoneError::InvalidCountryCode { input }
        }
        ParseError::InvalidCountryCode => PhoneError::MissingRegion {
            input,
            region: RegionName(region.map(str::to_owned)),
        },
        ParseError::NotANumber(NotANumberError::FailedToParseNumberAsInt(_))
        | ParseError::TooLongNsn => PhoneError::TooLong { input },
        ParseError::NotANumber(_) => PhoneError::NotANumber { input },
        ParseError::TooShortAfterIdd | ParseError::TooShortNsn => PhoneError::TooShort { input },
    }
}

fn validation_error(number: &PhoneNumber, input: &str) -> PhoneError {
    let input = input.to_owned();
    match number.is_possible_with_reason() {
        Err(ValidationError::TooShort) => PhoneError::TooShort { input },
        Err(ValidationError::TooLong) => PhoneError::TooLong { input },
        Err(ValidationError::InvalidCountryCode) => PhoneError::InvalidCountryCode { input },
        // Country calling codes have at most three digits, so the conversion cannot fail.
        _ => PhoneError::Invalid {
            input,
            country_code: u16::try_from(number.country_code).unwrap_or(0),
        },
    }
}

/// The digits of the number an older WhatsApp id stands for: a Brazilian
/// mobile without its ninth digit (55, a two-digit area, eight digits from
/// 6 to 9), or a Mexican mobile with the `1` Mexico dropped in 2019.
fn number_of_legacy_wa_id(wa_id: &str) -> Option<String> {
    if let Some(national) = wa_id.strip_prefix("55").filter(|n| n.len() == 10) {
        let (area, subscriber) = national.split_at_checked(2)?;
        let mobile = subscriber.starts_with(['6', '7', '8', '9']);
        return mobile.then(|| format!("55{area}9{subscriber}"));
    }
    let national = wa_id.strip_prefix("521").filter(|n| n.len() == 10)?;
    Some(format!("52{national}"))
}

impl fmt::Display for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "E164({})", self.as_str())
    }
}

impl AsRef<str> for E164 {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// Parses with no default region: the string must carry its `+` country code.
impl FromStr for E164 {
    type Err = PhoneError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        E164::parse(s, None)
    }
}

impl TryFrom<&str> for E164 {
    type Error = PhoneError;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl Serialize for E164 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for E164 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e164(input: &str, region: Option<&str>) -> Result<String, PhoneError> {
        E164::parse(input, region).map(|n| n.to_string())
    }

    #[test]
    fn human_formats_normalize_to_the_same_number() {
        for input in [
            "(212) 555-1234",
            "212.555.1234",
            "212 555 1234",
            "1 212 555 1234",
            "+1 (212) 555-1234",
            "tel:+1-212-555-1234",
            "+1 212 555 1234 ext. 89",
            "２１２５５５１２３４",
            "011 1 212 555 1234",
        ] {
            assert_eq!(
                e164(input, Some("US")).as_deref(),
                Ok("+12125551234"),
                "{input}"
            );
        }
    }

    #[test]
    fn an_input_longer_than_libphonenumbers_250_characters_is_refused_however_it_is_padded() {
        let number = "+1 415 523 8886";
        let padded = |to: usize| format!("{number}{}", " ".repeat(to - number.len()));
        assert_eq!(e164(&padded(250), None).as_deref(), Ok("+14155238886"));
        for length in [251, 1_000, 100_000] {
            assert_eq!(
                e164(&padded(length), None),
                Err(PhoneError::InputTooLong),
                "{length}"
            );
        }
        let wide = format!("{number}{}", "\u{3000}".repeat(235));
        assert_eq!(
            wide.chars().count(),
            250,
            "counted in characters, not bytes"
        );
        assert_eq!(e164(&wide, None).as_deref(), Ok("+14155238886"));
        assert_eq!(e164(&" ".repeat(251), None), Err(PhoneError::InputTooLong));
        let error = PhoneError::InputTooLong.to_string();
        assert!(!error.contains(number), "the input is not echoed: {error}");
    }

    #[test]
    fn international_prefixes_follow_the_default_region() {
        assert_eq!(
            e164("00 44 20 7183 8750", Some("DE")).as_deref(),
            Ok("+442071838750")
        );
        assert_eq!(
            e164("020 7183 8750", Some("GB")).as_deref(),
            Ok("+442071838750")
        );
    }

    #[test]
    fn a_plus_number_ignores_the_region_even_an_unknown_one() {
        assert_eq!(
            e164("+12125551234", Some("XX")).as_deref(),
            Ok("+12125551234")
        );
        assert_eq!(e164("+12125551234", None).as_deref(), Ok("+12125551234"));
    }

    #[test]
    fn a_national_number_needs_an_upper_case_supported_region() {
        for region in [None, Some("us"), Some("ZZ"), Some("001"), Some("")] {
            assert!(
                matches!(
                    E164::parse("2125551234", region),
                    Err(PhoneError::MissingRegion { .. })
                ),
                "{region:?}"
            );
        }
    }

    #[test]
    fn numbers_longer_than_fifteen_digits_are_refused_even_when_libphonenumber_accepts_them() {
        // libphonenumber's German plan accepts this 16-digit number; E.164 does not.
        assert_eq!(
            E164::parse("050 590 810 12 34 56", Some("DE")),
            Err(PhoneError::ExceedsE164 {
                input: "050 590 810 12 34 56".into(),
                digits: 16
            })
        );
        assert_eq!(
            e164("030 1234567", Some("DE")).as_deref(),
            Ok("+49301234567")
        );
    }

    #[test]
    fn errors_say_why_the_input_was_refused() {
        assert_eq!(E164::parse("  ", Some("US")), Err(PhoneError::Empty));
        assert!(matches!(
            E164::parse("abc", Some("US")),
            Err(PhoneError::NotANumber { .. })
        ));
        assert!(matches!(
            E164::parse("+1 212 555 123", None),
            Err(PhoneError::TooShort { .. })
        ));
        assert!(matches!(
            E164::parse("+1 212 555 12345", None),
            Err(PhoneError::TooLong { .. })
        ));
        assert!(matches!(
            E164::parse("+999 1234 5678", None),
            Err(PhoneError::InvalidCountryCode { .. })
        ));
        let invalid = E164::parse("+1 212 155 1234", None);
        assert!(
            matches!(
                &invalid,
                Err(PhoneError::Invalid {
                    country_code: 1,
                    ..
                })
            ),
            "{invalid:?}"
        );
    }

    #[test]
    fn the_error_message_names_the_input() {
        let message = E164::parse("+1 212 555 123", None).unwrap_err().to_string();
        assert!(message.contains("+1 212 555 123"), "{message}");
    }

    #[test]
    fn non_geographic_numbers_are_valid_and_have_no_region() {
        let n = E164::parse("+800 1234 5678", None).unwrap();
        assert_eq!(n.as_str(), "+80012345678");
        assert_eq!(n.region(), None);
        assert_eq!(n.country_code(), 800);
    }

    #[test]
    fn region_and_country_code_come_from_the_number() {
        let n = E164::parse("+44 20 7183 8750", None).unwrap();
        assert_eq!(n.region().as_deref(), Some("GB"));
        assert_eq!(n.country_code(), 44);
    }

    #[test]
    fn wa_ids_are_digits_only() {
        let n = E164::from_wa_id("5511987654321").unwrap();
        assert_eq!(n.as_str(), "+5511987654321");
        assert_eq!(n.wa_id(), "5511987654321");
        for bad in [
            "",
            "+14155238886",
            "1415 5238886",
            "US.13491208655302741918",
        ] {
            assert!(
                matches!(E164::from_wa_id(bad), Err(PhoneError::NotAWaId { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_older_whatsapp_id_reads_as_the_valid_number_it_stands_for() {
        for (wa_id, number) in [
            // São Paulo and Rio mobiles without the ninth digit.
            ("551187654321", "+5511987654321"),
            ("552197654321", "+5521997654321"),
            // A Mexican mobile with the `1` Mexico dropped.
            ("5215512345678", "+525512345678"),
            // Valid as they are: Argentina's mobile `9`, a São Paulo landline.
            ("5491123456789", "+5491123456789"),
            ("551133334444", "+551133334444"),
        ] {
            let read = E164::from_wa_id(wa_id).unwrap();
            assert_eq!(read.as_str(), number, "{wa_id}");
        }
    }

    #[test]
    fn a_whatsapp_id_no_form_makes_valid_is_refused_with_the_numbers_error() {
        for wa_id in ["5511", "552187654", "1415555"] {
            let exact = E164::parse(&format!("+{wa_id}"), None).unwrap_err();
            assert_eq!(E164::from_wa_id(wa_id).unwrap_err(), exact, "{wa_id}");
        }
    }

    #[test]
    fn twilio_addresses_carry_the_channel() {
        let (channel, n) = E164::from_twilio_address("+14155238886").unwrap();
        assert_eq!(channel, Channel::Sms);
        assert_eq!(n.twilio_address(Channel::Sms), "+14155238886");
        assert_eq!(n.twilio_address(Channel::WhatsApp), "whatsapp:+14155238886");
        for bad in ["whatsapp:14155238886", "4155238886", "sms:+14155238886"] {
            assert!(
                matches!(
                    E164::from_twilio_address(bad),
                    Err(PhoneError::NotATwilioAddress { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn serde_uses_the_plus_string_and_validates_on_the_way_in() {
        let n = E164::parse("+14155238886", None).unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"+14155238886\"");
        assert_eq!(serde_json::from_str::<E164>("\"+14155238886\"").unwrap(), n);
        assert!(serde_json::from_str::<E164>("\"+1415523888\"").is_err());
        assert!(serde_json::from_str::<E164>("\"4155238886\"").is_err());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        const REGIONS: [Option<&str>; 7] = [
            None,
            Some("US"),
            Some("GB"),
            Some("DE"),
            Some("IN"),
            Some("BR"),
            Some("us"),
        ];

        fn region() -> impl Strategy<Value = Option<&'static str>> {
            proptest::sample::select(REGIONS.to_vec())
        }

        proptest! {
            #[test]
            fn padding_changes_nothing_up_to_250_characters_and_refuses_past_them(
                input in "[+0-9 ().\\-]{0,20}",
                region in region(),
                padding in "[ \u{a0}\u{3000}]{0,300}",
            ) {
                let padded = format!("{input}{padding}");
                let parsed = E164::parse(&padded, region);
                if padded.chars().count() > MAX_INPUT_CHARS {
                    prop_assert_eq!(parsed, Err(PhoneError::InputTooLong));
                } else if let Ok(number) = E164::parse(&input, region) {
                    prop_assert_eq!(parsed, Ok(number));
                }
            }

            #[test]
            fn normalizing_a_normalized_number_changes_nothing(
                input in "[+0-9 ().\\-]{0,20}",
                region in region(),
                again in region(),
            ) {
                if let Ok(number) = E164::parse(&input, region) {
                    prop_assert_eq!(E164::parse(number.as_str(), again), Ok(number));
                    prop_assert_eq!(number.as_str().parse::<E164>(), Ok(number));
                }
            }

            #[test]
            fn separators_between_digits_never_change_the_number(
                separators in proptest::collection::vec("[ .()\\-]{0,2}", 11),
                which in 0usize..4,
            ) {
                let (digits, region, expected) = [
                    ("2125551234", "US", "+12125551234"),
                    ("02071838750", "GB", "+442071838750"),
                    ("03012345678", "DE", "+493012345678"),
                    ("11987654321", "BR", "+5511987654321"),
                ][which];
                let written: String = digits
                    .chars()
                    .zip(separators.iter().map(String::as_str).chain(std::iter::repeat("")))
                    .flat_map(|(digit, separator)| std::iter::once(digit).chain(separator.chars()))
                    .collect();
                let parsed = e164(&written, Some(region));
                prop_assert_eq!(parsed.as_deref(), Ok(expected), "{:?}", written);
            }

            /// Every valid Brazilian mobile's older WhatsApp id (the number
            /// without its ninth digit) reads as that mobile, and every valid
            /// number's own digits read as itself.
            #[test]
            fn a_brazilian_mobiles_older_whatsapp_id_reads_as_the_mobile(
                area in 11u32..100,
                subscriber in 60_000_000u32..100_000_000,
            ) {
                let mobile = format!("+55{area}9{subscriber}");
                if let Ok(number) = E164::parse(&mobile, None) {
                    let older = format!("55{area}{subscriber}");
                    if E164::parse(&format!("+{older}"), None).is_err() {
                        prop_assert_eq!(E164::from_wa_id(&older), Ok(number));
                    }
                    prop_assert_eq!(E164::from_wa_id(number.wa_id()), Ok(number));
                }
            }

            /// Every valid Mexican number's id with the old mobile `1` reads as
            /// the number.
            #[test]
            fn a_mexican_numbers_whatsapp_id_with_the_old_1_reads_as_the_number(
                national in 2_000_000_000u64..10_000_000_000,
            ) {
                if let Ok(number) = E164::parse(&format!("+52{national}"), None) {
                    prop_assert_eq!(E164::from_wa_id(&format!("521{national}")), Ok(number));
                }
            }
        }
    }
}
