//! [`DispatchPolicy`]: how an outbox dispatcher batches, leases, retries and
//! backs off, and the pure decision it makes about each carrier answer.
//!
//! The decision is kept apart from the dispatcher loop (and from tokio) so it can
//! be tested without time passing, and so a caller driving the outbox from its own
//! scheduler ([`Store::claim_outbox`](crate::store::Store::claim_outbox), send,
//! [`Store::finish_outbox`](crate::store::Store::finish_outbox)) makes exactly the
//! same decisions as the `Dispatcher` (feature `tokio`). It involves no randomness:
//! the retry delay depends on the attempt number and, for the jitter that keeps a
//! burst of failed messages from coming back at the same instant, on a hash of the
//! message's idempotency key.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use crate::model::{CarrierError, OutboxItem, ProviderName};
use crate::store::DispatchOutcome;

/// How a dispatcher drains the outbox: plain data with defaults fit for a
/// production send path (SPEC §12).
///
/// | field | default |
/// |---|---|
/// | `batch_size` | 50 |
/// | `max_concurrent_sends` | 10 |
/// | `lease` | 60 s |
/// | `send_timeout` | 10 s |
/// | `max_attempts` | 8 |
/// | `backoff_base` | 5 s |
/// | `backoff_cap` | 15 min |
/// | `jitter_percent` | 20 |
/// | `poll_interval` | 1 s |
///
/// [`validate`](DispatchPolicy::validate) refuses settings that could send a
/// message twice at once: every claimed item must get its answer within its lease,
/// so `ceil(batch_size / max_concurrent_sends) × send_timeout` must be shorter
/// than the lease.
///
/// ```
/// use chrono::TimeDelta;
/// use msgcore::engine::DispatchPolicy;
///
/// let policy = DispatchPolicy { jitter_percent: 0, ..DispatchPolicy::default() };
/// assert_eq!(policy.backoff(1, "key"), TimeDelta::seconds(5));
/// assert_eq!(policy.backoff(3, "key"), TimeDelta::seconds(20));
/// assert_eq!(policy.backoff(30, "key"), TimeDelta::minutes(15));
/// assert!(policy.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispatchPolicy {
    /// At most this many items are claimed at once.
    pub batch_size: usize,
    /// At most this many sends are in flight at once (in one batch of
    /// `dispatch_once`, or at any moment of `run`).
    pub max_concurrent_sends: usize,
    /// How long a claim holds: no other dispatcher takes the item before it lapses;
    /// after, the item is claimed again and re-sent with the same idempotency key.
    pub lease: TimeDelta,
    /// A send without an answer by then counts as a retryable failure.
    pub send_timeout: Duration,
    /// A retryable failure on this attempt (counting from 1) fails the item.
    pub max_attempts: u32,
    /// The retry delay after the first attempt; it doubles with every attempt.
    pub backoff_base: TimeDelta,
    /// The retry delay never exceeds this (a carrier's `retry_after` may).
    pub backoff_cap: TimeDelta,
    /// Up to this percentage of the delay is taken off, by a hash of the message's
    /// idempotency key, so messages that failed together do not retry together.
    pub jitter_percent: u8,
    /// How long `Dispatcher::run` (feature `tokio`) waits before it claims again
    /// once the outbox has nothing more to give (a send finishing sooner wakes it
    /// sooner).
    pub poll_interval: Duration,
}

impl Default for DispatchPolicy {
    fn default() -> Self {
        DispatchPolicy {
            batch_size: 50,
            max_concurrent_sends: 10,
            lease: TimeDelta::seconds(60),
            send_timeout: Duration::from_secs(10),
            max_attempts: 8,
            backoff_base: TimeDelta::seconds(5),
            backoff_cap: TimeDelta::minutes(15),
            jitter_percent: 20,
            poll_interval: Duration::from_secs(1),
        }
    }
}

/// A [`DispatchPolicy`] setting that cannot work, by field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidPolicy {
    /// A count that must be at least 1 was 0.
    #[error("dispatch policy: {field} must be at least 1")]
    Zero {
        /// `batch_size`, `max_concurrent_sends` or `max_attempts`.
        field: &'static str,
    },
    /// A duration that must be positive was zero or negative.
    #[error("dispatch policy: {field} must be positive")]
    NotPositive {
        /// `lease`, `send_timeout`, `backoff_cap` or `poll_interval`.
        field: &'static str,
    },
    /// `backoff_base` was negative or longer than `backoff_cap`.
    #[error("dispatch policy: backoff_base must be between zero and backoff_cap")]
    BackoffBase,
    /// `jitter_percent` was over 100.
    #[error("dispatch policy: jitter_percent must be at most 100, not {0}")]
    Jitter(u8),
    /// A full batch could outlast its lease, so a second dispatcher could claim and
    /// send an item the first is still sending.
    #[error(
        "dispatch policy: {waves} waves of sends of up to {send_timeout:?} each could outlast the {} s lease; \
         lower batch_size or send_timeout, or raise max_concurrent_sends or lease",
        .lease.num_seconds()
    )]
    BatchOutlastsLease {
        /// `ceil(batch_size / max_concurrent_sends)`.
        waves: usize,
        /// The send timeout.
        send_timeout: Duration,
        /// The lease.
        lease: TimeDelta,
    },
}

impl DispatchPolicy {
    /// Checks that the settings can work; see [`InvalidPolicy`] for what is refused.
    pub fn validate(&self) -> Result<(), InvalidPolicy> {
        for (field, value) in [
            ("batch_size", self.batch_size),
            ("max_concurrent_sends", self.max_concurrent_sends),
            ("max_attempts", self.max_attempts as usize),
        ] {
            if value == 0 {
                return Err(InvalidPolicy::Zero { field });
            }
        }
        for (field, positive) in [
            ("lease", self.lease > TimeDelta::zero()),
            ("send_timeout", !self.send_timeout.is_zero()),
            ("backoff_cap", self.backoff_cap > TimeDelta::zero()),
            ("poll_interval", !self.poll_interval.is_zero()),
        ] {
            if !positive {
                return Err(InvalidPolicy::NotPositive { field });
            }
        }
        if self.backoff_base < TimeDelta::zero() || self.backoff_base > self.backoff_cap {
            return Err(InvalidPolicy::BackoffBase);
        }
        if self.jitter_percent > 100 {
            return Err(InvalidPolicy::Jitter(self.jitter_percent));
        }
        let waves = self.batch_size.div_ceil(self.max_concurrent_sends);
        let worst = u32::try_from(waves)
            .ok()
            .and_then(|w| self.send_timeout.checked_mul(w))
            .and_then(|d| TimeDelta::from_std(d).ok());
        match worst {
            Some(worst) if worst < self.lease => Ok(()),
            _ => Err(InvalidPolicy::BatchOutlastsLease {
                waves,
                send_timeout: self.send_timeout,
                lease: self.lease,
            }),
        }
    }

    /// The delay before the next try after attempt number `attempts` (counting
    /// from 1) failed: `backoff_base × 2^(attempts − 1)`, at most `backoff_cap`,
    /// less up to `jitter_percent` of it by a hash of `key`. For one key it never
    /// decreases as attempts grow.
    pub fn backoff(&self, attempts: u32, key: &str) -> TimeDelta {
        let base = millis(self.backoff_base);
        let cap = millis(self.backoff_cap);
        let doublings = 2u64.saturating_pow(attempts.saturating_sub(1));
        let delay = base.saturating_mul(doublings).min(cap);
        // `fraction / 2^32` is in [0, 1): the share of the jitter this key takes.
        let fraction = u128::from(key_hash(key) >> 32);
        let cut = u128::from(delay) * u128::from(self.jitter_percent.min(100)) * fraction
            / (100u128 << 32);
        // `cut <= delay <= i64::MAX`, so neither step can fail.
        let jittered = u64::try_from(u128::from(delay) - cut).unwrap_or(delay);
        TimeDelta::milliseconds(i64::try_from(jittered).unwrap_or(i64::MAX))
    }

    /// What to record for a claimed `item` given the carrier's `answer`, at `now`:
    ///
    /// - accepted → [`DispatchOutcome::Sent`] with `provider` and its message id;
    /// - refused for good, or because the recipient opted out → `Failed` with the
    ///   carrier's code (an opt-out is never retried, whatever the carrier says);
    /// - retryable on the last allowed attempt (`item.attempts >= max_attempts`)
    ///   → `Failed`, saying retries ran out;
    /// - retryable otherwise → `Retry` after [`backoff`](Self::backoff), or after
    ///   the carrier's `retry_after` when that is longer (it is not capped: trying
    ///   earlier than the provider asked only fails again). A wait that would pass
    ///   the end of representable time fails the item instead.
    pub fn outcome(
        &self,
        item: &OutboxItem,
        provider: &ProviderName,
        answer: &Result<String, CarrierError>,
        now: DateTime<Utc>,
    ) -> DispatchOutcome {
        let error = match answer {
            Ok(provider_message_id) => {
                return DispatchOutcome::Sent {
                    provider: provider.clone(),
                    provider_message_id: provider_message_id.clone(),
                };
            }
            Err(error) => error,
        };
        let failed = |text: String| DispatchOutcome::Failed {
            code: error.code.clone(),
            error: text,
        };
        if error.is_permanent() {
            return failed(error.to_string());
        }
        if item.attempts >= self.max_attempts {
            return failed(format!(
                "{error} (gave up after {} attempts)",
                item.attempts
            ));
        }
        let delay = self
            .backoff(item.attempts, &item.idempotency_key)
            .max(error.retry_after().unwrap_or_else(TimeDelta::zero));
        match now.checked_add_signed(delay) {
            Some(at) => DispatchOutcome::Retry {
                at,
                error: error.to_string(),
            },
            None => failed(format!(
                "{error} (asked to wait {} s, too long)",
                delay.num_seconds()
            )),
        }
    }
}

/// A duration in whole milliseconds, negative ones as zero.
fn millis(delta: TimeDelta) -> u64 {
    u64::try_from(delta.num_milliseconds()).unwrap_or(0)
}

/// A stable 64-bit hash of `key` (unlike `std`'s, which may change between
/// releases), so the same key gets the same jitter in every process and version:
/// FNV-1a, then MurmurHash3's finalizer so keys differing only in their last
/// characters still spread over the high bits.
fn key_hash(key: &str) -> u64 {
    let mut hash = key.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

#[cfg(test)]
mod tests;
