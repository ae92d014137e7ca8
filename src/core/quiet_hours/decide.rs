//! The decision: the earliest instant every rule that applies to the recipient allows.

use std::borrow::Cow;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use super::{
    Decision, HORIZON_DAYS, Hold, HoldReason, QuietHoursError, QuietHoursPolicy, Recipient,
    SendKind, SolicitationCap, WeeklyWindow,
};
use crate::core::phone::E164;

/// The rule key SPEC's federal window (and any tenant window for everyone) goes by.
const EVERYWHERE: &str = "everywhere";

impl QuietHoursPolicy {
    /// Whether a send of `kind` to `to` may go at `at`, or until when it must wait.
    ///
    /// `recent_sends` are the earlier marketing sends to this recipient on the same
    /// subject (any order), which the solicitation caps count; pass `&[]` where no cap
    /// applies or nothing was sent. Transactional sends and conversation replies are
    /// never held, whatever the number.
    ///
    /// ```
    /// use chrono::{DateTime, Utc};
    /// use msgcore::E164;
    /// use msgcore::core::quiet_hours::{Decision, QuietHoursPolicy, SendKind};
    ///
    /// let policy = QuietHoursPolicy::default();
    /// let miami = E164::parse("+1 305 555 1234", None)?;
    /// let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
    ///
    /// // 20:00:00 in Miami (EDT, UTC−4): Florida's window has just closed.
    /// let decision = policy.decide(&miami, SendKind::Marketing, at("2026-07-01T00:00:00Z"), &[])?;
    /// assert_eq!(decision.hold_until(), Some(at("2026-07-01T12:00:00Z"))); // 08:00 local
    /// // 19:59:59 is still inside it, and a receipt is never held.
    /// assert_eq!(policy.decide(&miami, SendKind::Marketing, at("2026-06-30T23:59:59Z"), &[])?, Decision::SendNow);
    /// assert_eq!(policy.decide(&miami, SendKind::Transactional, at("2026-07-01T00:00:00Z"), &[])?, Decision::SendNow);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide(
        &self,
        to: &E164,
        kind: SendKind,
        at: DateTime<Utc>,
        recent_sends: &[DateTime<Utc>],
    ) -> Result<Decision, QuietHoursError> {
        if !kind.is_held_by_quiet_hours() {
            return Ok(Decision::SendNow);
        }
        self.decide_for(&Recipient::for_number(to)?, at, recent_sends)
    }

    /// [`decide`](Self::decide) for a marketing send (the only kind quiet hours hold)
    /// to a recipient already looked up.
    pub fn decide_for(
        &self,
        recipient: &Recipient,
        at: DateTime<Utc>,
        recent_sends: &[DateTime<Utc>],
    ) -> Result<Decision, QuietHoursError> {
        let search = Search::new(self, recipient, recent_sends);
        let (until, binding) = search.earliest_from(at)?;
        Ok(match binding {
            None => Decision::SendNow,
            Some(binding) => Decision::HoldUntil(Hold {
                until,
                reason: search.reason(binding),
            }),
        })
    }

    /// Whether a marketing send to `recipient` at `at` is allowed: inside the window
    /// in every zone the recipient may be in, and under every cap.
    pub fn allows(
        &self,
        recipient: &Recipient,
        at: DateTime<Utc>,
        recent_sends: &[DateTime<Utc>],
    ) -> bool {
        let search = Search::new(self, recipient, recent_sends);
        let in_window = search.window.is_none_or(|window| {
            recipient
                .zones()
                .iter()
                .all(|&zone| window.allows(zone, at))
        });
        in_window
            && search
                .caps
                .iter()
                .all(|(_, cap)| cap.allows(&search.sent, at))
    }
}

/// The rules that apply to one recipient, ready to search.
struct Search<'a> {
    policy: &'a QuietHoursPolicy,
    recipient: &'a Recipient,
    /// Every window that applies, intersected (`None`: no window applies).
    window: Option<WeeklyWindow>,
    caps: Vec<(&'a str, SolicitationCap)>,
    /// The recent sends in ascending order.
    sent: Cow<'a, [DateTime<Utc>]>,
}

/// The rule that set the hold's end: the last one to move it.
enum Binding<'a> {
    /// `zone`'s window did not allow `before`, and its next opening is the hold's end.
    Window { zone: Tz, before: DateTime<Utc> },
    Cap {
        region: &'a str,
        cap: SolicitationCap,
    },
}

impl<'a> Search<'a> {
    fn new(
        policy: &'a QuietHoursPolicy,
        recipient: &'a Recipient,
        recent_sends: &'a [DateTime<Utc>],
    ) -> Search<'a> {
        let mut window = policy.rules().everywhere;
        let mut caps = Vec::new();
        for (region, rules) in policy.rules_for(recipient) {
            if let Some(theirs) = rules.window {
                window = Some(window.map_or(theirs, |mine| mine.intersect(&theirs)));
            }
            caps.extend(rules.caps.iter().map(|&cap| (region, cap)));
        }
        let sent = if caps.is_empty() || recent_sends.is_sorted() {
            Cow::Borrowed(recent_sends)
        } else {
            let mut sorted = recent_sends.to_vec();
            sorted.sort_unstable();
            Cow::Owned(sorted)
        };
        Search {
            policy,
            recipient,
            window,
            caps,
            sent,
        }
    }

    /// The earliest instant at or after `at` that every zone's window and every cap
    /// allows, and the rule that moved it last (`None`: `at` itself is allowed).
    ///
    /// Each rule maps an instant to its own earliest allowed instant at or after it;
    /// applying them in turn until none moves reaches the earliest instant they all
    /// allow (no allowed instant is ever skipped, since each step only moves to the
    /// first instant its rule allows). The windows repeat weekly, so if that instant
    /// is more than [`HORIZON_DAYS`] away there is none.
    fn earliest_from(
        &self,
        at: DateTime<Utc>,
    ) -> Result<(DateTime<Utc>, Option<Binding<'a>>), QuietHoursError> {
        let never = QuietHoursError::NoAllowedTime {
            from: at,
            days: HORIZON_DAYS,
        };
        let horizon = at
            .checked_add_signed(TimeDelta::days(i64::from(HORIZON_DAYS)))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        let mut t = at;
        let mut binding = None;
        loop {
            let round_start = t;
            if let Some(window) = &self.window {
                for &zone in self.recipient.zones() {
                    let next = window.next_allowed(zone, t).ok_or(never.clone())?;
                    if next > t {
                        binding = Some(Binding::Window { zone, before: t });
                        t = next;
                    }
                }
            }
            for &(region, cap) in &self.caps {
                let next = cap.next_allowed(&self.sent, t).ok_or(never.clone())?;
                if next > t {
                    binding = Some(Binding::Cap { region, cap });
                    t = next;
                }
            }
            if t == round_start {
                return Ok((t, binding));
            }
            if t > horizon {
                return Err(never);
            }
        }
    }

    fn reason(&self, binding: Binding<'_>) -> HoldReason {
        match binding {
            Binding::Window { zone, before } => HoldReason::Window {
                zone: zone.name().to_owned(),
                rules: self.windows_refusing(zone, before),
            },
            Binding::Cap { region, cap } => HoldReason::SolicitationCap {
                region: region.to_owned(),
                max_sends: cap.max_sends(),
                period_hours: cap.period_hours(),
            },
        }
    }

    /// The rules whose own window does not allow `at` in `zone`.
    fn windows_refusing(&self, zone: Tz, at: DateTime<Utc>) -> Vec<String> {
        let everywhere = self
            .policy
            .rules()
            .everywhere
            .as_ref()
            .map(|window| (EVERYWHERE, window));
        let regional = self
            .policy
            .rules_for(self.recipient)
            .filter_map(|(region, rules)| Some((region, rules.window.as_ref()?)));
        everywhere
            .into_iter()
            .chain(regional)
            .filter(|(_, window)| !window.allows(zone, at))
            .map(|(rule, _)| rule.to_owned())
            .collect()
    }
}
