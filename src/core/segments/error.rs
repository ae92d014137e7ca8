//! What can go wrong around segments: a body over Twilio's cap, or a price that cannot
//! be worked out. Analysis itself never fails.

use super::price::Amount;

/// Why a body cannot be sent or a cost cannot be estimated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SegmentsError {
    /// The body is longer than Twilio accepts (see [`check_body_cap`](super::check_body_cap)).
    #[error("the message body is {length} UTF-16 code units long; Twilio accepts at most {limit}")]
    BodyTooLong {
        /// The body's length in UTF-16 code units.
        length: usize,
        /// The most Twilio accepts.
        limit: usize,
    },
    /// The price table has no per-segment price for the destination country.
    #[error("the price table has no per-segment price for country {country:?}")]
    NoPrice {
        /// The country that was asked for, as given.
        country: String,
    },
    /// The cost does not fit an [`Amount`].
    #[error("{segments} segments at {price} each is more than an amount can hold")]
    CostOverflow {
        /// The message's segments.
        segments: usize,
        /// The price of one segment.
        price: Amount,
    },
    /// A price was not a non-negative decimal with at most six decimals.
    #[error("{input:?} is not a price: expected digits with at most 6 decimals, like 0.0079")]
    InvalidAmount {
        /// The rejected input.
        input: String,
    },
}
