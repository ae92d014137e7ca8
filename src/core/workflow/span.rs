//! Durations as a workflow writes them: `90m`, `24h`, `0s`, and signed
//! offsets such as `-24h`.

use chrono::TimeDelta;

use super::error::WorkflowProblem;

/// The longest wait or offset, in days: a year is far beyond any reminder,
/// and keeps every moment a run computes well inside chrono's range.
pub const MAX_DAYS: i64 = 365;

/// Reads a duration: a whole non-negative number, then one of `s` `m` `h` `d`.
pub(super) fn duration(text: &str) -> Result<TimeDelta, WorkflowProblem> {
    unsigned(text).ok_or(WorkflowProblem::NotADuration)?
}

/// Reads an offset: a duration with an optional `+` or `-` in front.
pub(super) fn offset(text: &str) -> Result<TimeDelta, WorkflowProblem> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let span = unsigned(rest).ok_or(WorkflowProblem::NotAnOffset)??;
    Ok(if negative { -span } else { span })
}

/// `None` when the text has the wrong shape; `Some(Err)` when it is too long.
fn unsigned(text: &str) -> Option<Result<TimeDelta, WorkflowProblem>> {
    let unit = text.chars().last()?;
    let number = text.strip_suffix(unit)?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let seconds_per_unit = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        _ => return None,
    };
    let too_long = Err(WorkflowProblem::TooLongAWait { max_days: MAX_DAYS });
    let seconds = match number.parse::<i64>() {
        Ok(n) => n.checked_mul(seconds_per_unit),
        // All digits, so only too large to hold.
        Err(_) => None,
    };
    Some(match seconds {
        Some(s) if s <= MAX_DAYS * 86_400 => Ok(TimeDelta::seconds(s)),
        _ => too_long,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_every_unit_and_zero_is_allowed() {
        assert_eq!(duration("90m"), Ok(TimeDelta::minutes(90)));
        assert_eq!(duration("24h"), Ok(TimeDelta::hours(24)));
        assert_eq!(duration("2d"), Ok(TimeDelta::days(2)));
        assert_eq!(duration("0s"), Ok(TimeDelta::zero()));
        assert_eq!(duration("365d"), Ok(TimeDelta::days(365)));
    }

    #[test]
    fn a_duration_of_the_wrong_shape_is_not_a_duration() {
        for text in [
            "", "m", "90", "1.5h", "-1h", "+1h", " 1h", "1 h", "1w", "1H", "１h", "1é",
        ] {
            assert_eq!(
                duration(text),
                Err(WorkflowProblem::NotADuration),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_wait_beyond_a_year_is_refused_even_when_it_overflows() {
        let too_long = Err(WorkflowProblem::TooLongAWait { max_days: 365 });
        assert_eq!(duration("366d"), too_long);
        assert_eq!(duration("99999999999999999999999s"), too_long);
        assert_eq!(offset("-366d"), too_long);
    }

    #[test]
    fn offsets_take_a_sign() {
        assert_eq!(offset("-24h"), Ok(TimeDelta::hours(-24)));
        assert_eq!(offset("+30m"), Ok(TimeDelta::minutes(30)));
        assert_eq!(offset("15m"), Ok(TimeDelta::minutes(15)));
        assert_eq!(offset("--1h"), Err(WorkflowProblem::NotAnOffset));
        assert_eq!(offset("-"), Err(WorkflowProblem::NotAnOffset));
    }
}
