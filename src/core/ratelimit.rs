//! Rate limits (SPEC §10): 120 API requests a minute per IP, 20 sends an hour per
//! recipient, enforced with the generic cell rate algorithm (GCRA).
//!
//! A [`Quota`] says how much a key may do; [`Quota::check`] is the whole algorithm
//! as a pure function of one key's [`GcraState`], the quota and `now`;
//! [`KeyedLimiter`] applies it to many keys in one process; a refusal is a
//! [`RateLimited`] error carrying `retry_after`, which servers turn into a 429 with a
//! `Retry-After` header. In the send path (SPEC §12) this gate comes after content,
//! consent, the WhatsApp window and quiet hours, so a send those refuse does not use
//! up the recipient's allowance.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use msgcore::core::ratelimit::{KeyedLimiter, Quota, RateScope};
//!
//! let mut api = KeyedLimiter::new(RateScope::ApiRequests, Quota::api_requests());
//! let now = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
//! for _ in 0..120 {
//!     assert!(api.check("203.0.113.7", now).is_ok());
//! }
//! let refused = api.check("203.0.113.7", now).unwrap_err();
//! assert_eq!(refused.retry_after, TimeDelta::milliseconds(500));
//! assert_eq!(refused.retry_after_header(), "1");
//! assert!(api.check("198.51.100.20", now).is_ok()); // another IP is not affected
//! ```
//!
//! # The algorithm
//!
//! A quota of `count` per `period` with burst `b` has an *emission interval*
//! `T = ⌈period / count⌉` nanoseconds and a *tolerance* `τ = (b − 1) × T`. Each key
//! keeps one instant, its theoretical arrival time `TAT` (a fresh key's is taken as
//! `now`). A cell at `now` is allowed when the key is at most `τ` ahead of schedule,
//!
//! ```text
//! max(TAT, now) − now ≤ τ,   and then   TAT ← max(TAT, now) + T;
//! ```
//!
//! otherwise it is refused, the state is left as it was, and
//! `retry_after = TAT − τ − now`: checked again at exactly `now + retry_after`, with
//! nothing else allowed for the key in between, the same cell is allowed, and at any
//! earlier instant it is not. A key whose `TAT ≤ now` decides exactly like a fresh
//! one from then on, so it can be forgotten; that is what keeps memory bounded.
//!
//! # What a quota allows
//!
//! **In any window of length `L`, both ends included, a key is allowed at most
//! `b + ⌊L / T⌋` cells** ([`Quota::max_allowed_in`]), for cells checked in time order.
//!
//! *Proof.* Let the cells allowed in the window come at `t₁ ≤ … ≤ tₖ`, and let `Aᵢ`
//! be the TAT just after cell `i` is allowed. Refused cells change nothing, and each
//! allowed one sets `Aᵢ = max(Aᵢ₋₁, tᵢ) + T ≥ Aᵢ₋₁ + T`, with `A₁ ≥ t₁ + T`; so
//! `Aₖ₋₁ ≥ t₁ + (k − 1)T`. Cell `k` was allowed, so `Aₖ₋₁ − τ ≤ tₖ`. Together
//! `t₁ + (k − 1)T − (b − 1)T ≤ tₖ`, that is `(k − b)T ≤ tₖ − t₁ ≤ L`, and since `k`
//! is whole, `k ≤ b + ⌊L / T⌋`. ∎ (For a half-open window `[s, s + L)` the same
//! steps give `k ≤ b + ⌈L / T⌉ − 1`.)
//!
//! The bound is reached: a fresh key that uses its burst at `s` and then one cell
//! every `T` gets exactly `b + ⌊L / T⌋` in `[s, s + L]`. Every quantity is an
//! integer number of nanoseconds, so no rounding blurs the boundary, and `T` is
//! rounded *up*, so `⌊L / T⌋` never exceeds the `count × L / period` asked for. The
//! property tests in `ratelimit/laws.rs` check the bound on every window of random
//! request sequences.
//!
//! So with the SPEC defaults, "120 a minute" is 120 at once and then two a second:
//! up to 240 in any closed minute, 7,320 in any hour, 120 a minute in the long run.
//! "20 an hour" is 20 at once and then one every three minutes: up to 40 in any
//! closed hour and 500 in any day.
//!
//! # Why the default burst is the count
//!
//! [`Quota::new`] sets `burst = count`, so a rested key may use a whole period's
//! allowance at once:
//!
//! - it is what "20 messages an hour per recipient" reads as: twenty now, the
//!   twenty-first refused (and `msgctl simulate`'s 20 sends/hour/recipient behaves
//!   so); a smaller burst would refuse an agent's third quick reply in a
//!   conversation, and a page that fires a dozen API calls on load;
//! - it is the convention of the reference GCRA implementations (`governor`'s
//!   `Quota::per_minute`, redis-cell), so the numbers mean what readers expect;
//! - its worst case, twice the count in one period-long window, is the same as that
//!   of the fixed-window counters most APIs document ("resets at the top of the
//!   minute"), while GCRA refills smoothly instead of all at once.
//!
//! [`Quota::with_burst`] sets any other burst; a burst of 1 spaces every cell `T`
//! apart.
//!
//! # Time, clocks and shared state
//!
//! `now` is always an argument. Instants are handled as `i128` nanoseconds since the
//! Unix epoch, which hold every `DateTime<Utc>` chrono can represent, so nothing
//! overflows. A new TAT beyond chrono's last instant (year 262,143) is clamped, which
//! only a `now` within `b × T` (at most 292 years) of that instant can cause; the
//! bound above is not promised there.
//!
//! Across processes (SPEC §10: "the limiter state lives in the shared store") the
//! state is plain data: a store runs [`Quota::check`] while holding the key's row
//! (`SELECT … FOR UPDATE`, SQLite's write transaction, or a compare-and-swap on
//! `tat`), stores the state of a [`Decision::Allow`] and writes nothing for a
//! [`Decision::Deny`]. Replicas' clocks disagree, and that is handled without
//! special cases: a `now` earlier than the stored TAT is a key further ahead of
//! schedule, and the TAT never moves back. A replica whose clock lags by `δ` refuses
//! more (it waits `δ` longer); one whose clock runs ahead by `δ` can let through
//! about `δ / T` cells early, so keep replicas' clocks synchronized to well under `T`.
//!
//! # Why not the `governor` crate
//!
//! DESIGN.md prefers a well-kept crate, so `governor` 0.10 (the reference Rust GCRA)
//! and `gcra` 0.6 were evaluated. Neither fits a core where `now` is an argument and
//! state is plain data a store can hold:
//!
//! - `governor` reads the time from its own `Clock`: `RateLimiter::check` and
//!   `retain_recent` take no instant, so passing `now` means a clock whose reading is
//!   set through shared mutable state before every call. Its state is a private
//!   `AtomicU64` of nanoseconds since *that limiter's* start instant, with no serde
//!   and no meaning in another process. The algorithm itself (`Gcra`) is
//!   crate-private, and its `StateStore` hook is a synchronous callback retried on a
//!   compare-and-swap, which does not fit a database transaction either.
//! - `gcra` keeps `Option<std::time::Instant>`, which cannot leave the process, adds
//!   `Instant + Duration` in ways that panic on overflow, and has no burst other than
//!   the count.
//!
//! What is needed is the few lines of integer arithmetic in [`Quota::check`], so they
//! are written here, and cross-checked against `governor` itself:
//! `tests/ratelimit_oracle.rs` replays decisions and retry times that `governor`
//! made on random request sequences (`scripts/ratelimit_oracle/`).
//!
//! Checking several cells at once (cost > 1) is left out: the arithmetic extends
//! (`TAT + n × T`), but a cost above the burst can never pass, an outcome with no
//! `retry_after`, and nothing in the SPEC checks more than one cell at a time.

mod error;
mod gcra;
mod keyed;
#[cfg(test)]
mod laws;
mod nanos;
mod quota;

pub use error::{RateLimited, RateScope};
pub use gcra::{Decision, GcraState};
pub use keyed::KeyedLimiter;
pub use quota::{Quota, QuotaError};
