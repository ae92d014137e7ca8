//! `quiet-hours`: `{"to": "+13055551234", "at": "2026-03-08T12:00:00Z", "kind": "marketing"}`
//! → `{"allowed": true}` or `{"allowed": false, "hold_until": "2026-03-09T12:00:00Z"}`.
//!
//! `kind` is `marketing` or `transactional`; an optional `recent_sends` (RFC 3339
//! instants) lists the earlier marketing sends to the number on the same subject, for
//! the 3-per-24-hours cap of Florida, Oklahoma and Maryland. `hold_until` is the
//! earliest allowed instant in UTC, to the second (rounded up if a cap clears between
//! seconds).

use std::borrow::Cow;
use std::sync::LazyLock;

use chrono::{DateTime, SecondsFormat, TimeDelta, Timelike, Utc};
use msgcore::E164;
use msgcore::core::quiet_hours::{QuietHoursPolicy, SendKind};
use serde::{Deserialize, Serialize};

use super::lines;

/// SPEC's policy, built once.
static POLICY: LazyLock<QuietHoursPolicy> = LazyLock::new(QuietHoursPolicy::default);

#[derive(Deserialize)]
struct Input<'a> {
    #[serde(borrow)]
    to: Cow<'a, str>,
    #[serde(borrow)]
    at: Cow<'a, str>,
    #[serde(borrow)]
    kind: Cow<'a, str>,
    /// Absent or `null` when nothing was sent.
    #[serde(default, borrow)]
    recent_sends: Option<Vec<Cow<'a, str>>>,
}

#[derive(Serialize)]
struct Output {
    allowed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    hold_until: Option<String>,
}

/// Decides one send under the SPEC policy.
pub fn handle(line: &str, out: &mut Vec<u8>) {
    let Some(input) = lines::parse::<Input>(line, out) else {
        return;
    };
    match decide(&input) {
        Ok(hold_until) => lines::write_json(
            out,
            &Output {
                allowed: hold_until.is_none(),
                hold_until: hold_until.map(format_utc_seconds),
            },
        ),
        Err(message) => lines::write_error(out, message),
    }
}

/// `None` to send now, or when to send.
fn decide(input: &Input) -> Result<Option<DateTime<Utc>>, String> {
    let to = E164::parse(&input.to, None).map_err(|e| format!("to: {e}"))?;
    let at = instant(&input.at).map_err(|e| format!("at: {e}"))?;
    let kind = match input.kind.as_ref() {
        "marketing" => SendKind::Marketing,
        "transactional" => SendKind::Transactional,
        other => {
            return Err(format!(
                "kind: {other:?} is not \"marketing\" or \"transactional\""
            ));
        }
    };
    let sent = input
        .recent_sends
        .iter()
        .flatten()
        .map(|s| instant(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("recent_sends: {e}"))?;
    let decision = POLICY
        .decide(&to, kind, at, &sent)
        .map_err(|e| e.to_string())?;
    Ok(decision.hold_until())
}

fn instant(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .map_err(|e| format!("{text:?} is not an RFC 3339 time: {e}"))
}

/// `YYYY-MM-DDTHH:MM:SSZ`, rounding up a fraction of a second so that the printed
/// instant is never before the allowed one.
fn format_utc_seconds(t: DateTime<Utc>) -> String {
    let whole = t.with_nanosecond(0).unwrap_or(t);
    let up = if whole < t {
        whole + TimeDelta::seconds(1)
    } else {
        whole
    };
    up.to_rfc3339_opts(SecondsFormat::Secs, true)
}
