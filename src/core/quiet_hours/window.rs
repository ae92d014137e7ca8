//! Allowed sending hours: a daily window of local wall-clock time, and a week of them.

use std::fmt;

use chrono::{DateTime, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::PolicyError;
use super::local_time::{self, SEARCH_DAYS};

/// Hours of one local day when sending is allowed: from `start` (inclusive) to `end`
/// (exclusive), in the recipient's wall-clock time.
///
/// Written `{"start": "08:00", "end": "21:00"}` (seconds are optional: `"08:00:30"`).
///
/// ```
/// use msgcore::core::quiet_hours::DailyWindow;
///
/// let window = DailyWindow::from_hm((8, 0), (21, 0))?;
/// assert_eq!(window.to_string(), "08:00–21:00");
/// assert!(DailyWindow::from_hm((21, 0), (8, 0)).is_err()); // windows do not wrap midnight
/// # Ok::<(), msgcore::core::quiet_hours::PolicyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DailyWindow {
    start: NaiveTime,
    end: NaiveTime,
}

impl DailyWindow {
    /// A window from `start` up to (not including) `end`; `start` must be earlier.
    pub fn new(start: NaiveTime, end: NaiveTime) -> Result<DailyWindow, PolicyError> {
        if start < end {
            Ok(DailyWindow { start, end })
        } else {
            Err(PolicyError::EmptyWindow {
                start: format_time(start),
                end: format_time(end),
            })
        }
    }

    /// A window from `(hour, minute)` to `(hour, minute)`.
    pub fn from_hm(start: (u32, u32), end: (u32, u32)) -> Result<DailyWindow, PolicyError> {
        let time = |(hour, minute): (u32, u32)| {
            NaiveTime::from_hms_opt(hour, minute, 0).ok_or_else(|| PolicyError::InvalidTime {
                time: format!("{hour:02}:{minute:02}"),
            })
        };
        DailyWindow::new(time(start)?, time(end)?)
    }

    /// The first allowed wall-clock time.
    pub fn start(&self) -> NaiveTime {
        self.start
    }

    /// The first wall-clock time after the window (not allowed).
    pub fn end(&self) -> NaiveTime {
        self.end
    }

    /// The hours both windows allow, if any.
    pub fn intersect(&self, other: &DailyWindow) -> Option<DailyWindow> {
        DailyWindow::new(self.start.max(other.start), self.end.min(other.end)).ok()
    }
}

impl fmt::Display for DailyWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", format_time(self.start), format_time(self.end))
    }
}

/// `HH:MM`, or `HH:MM:SS` when the seconds matter.
fn format_time(time: NaiveTime) -> String {
    if time.second() == 0 {
        time.format("%H:%M").to_string()
    } else {
        time.format("%H:%M:%S").to_string()
    }
}

/// Reads `HH:MM` or `HH:MM:SS` (24-hour clock).
fn parse_time(text: &str) -> Result<NaiveTime, PolicyError> {
    NaiveTime::parse_from_str(text, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M"))
        .map_err(|_| PolicyError::InvalidTime {
            time: text.to_owned(),
        })
}

#[derive(Serialize, Deserialize)]
struct DailyWindowWire {
    start: String,
    end: String,
}

impl Serialize for DailyWindow {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        DailyWindowWire {
            start: format_time(self.start),
            end: format_time(self.end),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for DailyWindow {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = DailyWindowWire::deserialize(deserializer)?;
        let window = || DailyWindow::new(parse_time(&wire.start)?, parse_time(&wire.end)?);
        window().map_err(serde::de::Error::custom)
    }
}

/// The allowed hours of each day of the week; a day without a window allows nothing.
///
/// Written with the days by their three-letter English names; `every_day` stands for
/// each day not named, and `null` closes a day:
/// `{"every_day": {"start": "09:00", "end": "21:00"}, "sun": {"start": "12:00", "end": "21:00"}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WeeklyWindow {
    /// Monday first, as `Weekday::num_days_from_monday` counts.
    days: [Option<DailyWindow>; 7],
}

impl WeeklyWindow {
    /// The same window every day.
    pub fn every_day(window: DailyWindow) -> WeeklyWindow {
        WeeklyWindow {
            days: [Some(window); 7],
        }
    }

    /// This week with `day`'s window replaced (`None` closes the day).
    pub fn with_day(mut self, day: Weekday, window: Option<DailyWindow>) -> WeeklyWindow {
        if let Some(slot) = self.days.get_mut(day_index(day)) {
            *slot = window;
        }
        self
    }

    /// The window of `day`, if the day has one.
    pub fn on(&self, day: Weekday) -> Option<DailyWindow> {
        self.days.get(day_index(day)).copied().flatten()
    }

    /// The hours both weeks allow, day by day.
    pub fn intersect(&self, other: &WeeklyWindow) -> WeeklyWindow {
        let mut days = self.days;
        for (mine, theirs) in days.iter_mut().zip(other.days) {
            *mine = match (*mine, theirs) {
                (Some(a), Some(b)) => a.intersect(&b),
                _ => None,
            };
        }
        WeeklyWindow { days }
    }

    /// Whether every hour `self` allows, `other` allows too.
    pub fn is_within(&self, other: &WeeklyWindow) -> bool {
        self.intersect(other) == *self
    }

    /// Whether `at` falls inside the window of its local day in `zone`.
    pub fn allows(&self, zone: Tz, at: DateTime<Utc>) -> bool {
        self.next_allowed(zone, at) == Some(at)
    }

    /// The earliest instant at or after `from` inside a window of `zone`'s local days,
    /// or `None` if there is none in the next [`SEARCH_DAYS`] days (or `from` is so
    /// close to the end of time that its local date cannot be represented).
    ///
    /// A day's window is the instants from its start to its end as
    /// [`local_time::resolve`] places them, so a boundary that falls in a
    /// spring-forward gap moves to the end of the gap and one that occurs twice takes
    /// the earlier occurrence. A window ends on its own day, so the search starts on
    /// `from`'s local date.
    pub(super) fn next_allowed(&self, zone: Tz, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let today = local_time::wall_clock(zone, from)?.date();
        today.iter_days().take(SEARCH_DAYS).find_map(|day| {
            let window = self.on(chrono::Datelike::weekday(&day))?;
            let start = local_time::resolve(zone, day.and_time(window.start));
            let end = local_time::resolve(zone, day.and_time(window.end));
            (end > from && start < end).then(|| start.max(from))
        })
    }
}

fn day_index(day: Weekday) -> usize {
    usize::try_from(day.num_days_from_monday()).unwrap_or_default()
}

/// Weekday keys in the wire form, Monday first.
const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The wire form: `every_day` fills the days not named; a named `null` closes its day.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WeeklyWindowWire {
    #[serde(default, skip_serializing)]
    every_day: Option<DailyWindow>,
    #[serde(default, deserialize_with = "present")]
    mon: Option<Option<DailyWindow>>,
    #[serde(default, deserialize_with = "present")]
    tue: Option<Option<DailyWindow>>,
    #[serde(default, deserialize_with = "present")]
    wed: Option<Option<DailyWindow>>,
    #[serde(default, deserialize_with = "present")]
    thu: Option<Option<DailyWindow>>,
    #[serde(default, deserialize_with = "present")]
    fri: Option<Option<DailyWindow>>,
    #[serde(default, deserialize_with = "present")]
    sat: Option<Option<DailyWindow>>,
    #[serde(default, deserialize_with = "present")]
    sun: Option<Option<DailyWindow>>,
}

/// Tells a day written as `null` (`Some(None)`) from a day left out (`None`).
fn present<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<DailyWindow>>, D::Error> {
    Option::<DailyWindow>::deserialize(deserializer).map(Some)
}

impl Serialize for WeeklyWindow {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let [mon, tue, wed, thu, fri, sat, sun] = self.days.map(Some);
        WeeklyWindowWire {
            every_day: None,
            mon,
            tue,
            wed,
            thu,
            fri,
            sat,
            sun,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for WeeklyWindow {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = WeeklyWindowWire::deserialize(deserializer)?;
        let named = [
            wire.mon, wire.tue, wire.wed, wire.thu, wire.fri, wire.sat, wire.sun,
        ];
        Ok(WeeklyWindow {
            days: named.map(|day| day.unwrap_or(wire.every_day)),
        })
    }
}

impl fmt::Display for WeeklyWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, (name, day)) in DAY_NAMES.iter().zip(self.days).enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            match day {
                Some(window) => write!(f, "{name} {window}")?,
                None => write!(f, "{name} closed")?,
            }
        }
        Ok(())
    }
}
