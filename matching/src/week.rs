//! Weekly availability: days, "HH:MM" windows and a 7 x 96 quarter-hour bitset.
//!
//! A [`WeekMask`] has one bit per quarter of an hour of a week (Monday 00:00 is bit 0),
//! so the overlap of two people's weeks is an AND and a popcount.

use std::fmt;

/// A day of the week, Monday first (as in Belgium).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Weekday {
    /// Maandag / lundi.
    Monday,
    /// Dinsdag / mardi.
    Tuesday,
    /// Woensdag / mercredi.
    Wednesday,
    /// Donderdag / jeudi.
    Thursday,
    /// Vrijdag / vendredi.
    Friday,
    /// Zaterdag / samedi.
    Saturday,
    /// Zondag / dimanche.
    Sunday,
}

graphql_enum!(Weekday {
    Monday => "MONDAY",
    Tuesday => "TUESDAY",
    Wednesday => "WEDNESDAY",
    Thursday => "THURSDAY",
    Friday => "FRIDAY",
    Saturday => "SATURDAY",
    Sunday => "SUNDAY",
});

impl Weekday {
    /// The English name used in explanations: `"Monday"` .. `"Sunday"`.
    pub fn name_en(&self) -> &'static str {
        match self {
            Weekday::Monday => "Monday",
            Weekday::Tuesday => "Tuesday",
            Weekday::Wednesday => "Wednesday",
            Weekday::Thursday => "Thursday",
            Weekday::Friday => "Friday",
            Weekday::Saturday => "Saturday",
            Weekday::Sunday => "Sunday",
        }
    }

    /// 0 for Monday .. 6 for Sunday.
    pub fn index(&self) -> usize {
        *self as usize
    }
}

/// Minutes in a day; a window may end at `24:00`.
pub const MINUTES_PER_DAY: u16 = 24 * 60;
/// The grid of a [`WeekMask`], in minutes.
pub const SLOT_MINUTES: u16 = 15;
const SLOTS_PER_DAY: usize = (MINUTES_PER_DAY / SLOT_MINUTES) as usize;
const SLOTS_PER_WEEK: usize = 7 * SLOTS_PER_DAY;
const WORDS: usize = SLOTS_PER_WEEK.div_ceil(64);

/// A weekly recurring window on one day, e.g. Tuesday 16:00-18:30.
///
/// Times are minutes since midnight on the 15-minute grid; `end_minute` may be 1440
/// ("24:00"). Build one with [`TimeSlot::parse`] to get those guarantees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeSlot {
    /// The day of the window.
    pub day: Weekday,
    /// Start, minutes since midnight (inclusive).
    pub start_minute: u16,
    /// End, minutes since midnight (exclusive), at most 1440.
    pub end_minute: u16,
}

/// Why a window was refused by [`TimeSlot::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotError {
    /// The text is not a time written `HH:MM` between 00:00 and 24:00.
    BadTime(String),
    /// The time is not on the quarter-hour grid (:00, :15, :30, :45).
    OffGrid(String),
    /// The window does not start before it ends.
    StartNotBeforeEnd,
}

impl fmt::Display for SlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SlotError::BadTime(t) => write!(
                f,
                "\"{t}\" is not a time of day; write it as HH:MM between 00:00 and 24:00"
            ),
            SlotError::OffGrid(t) => write!(
                f,
                "\"{t}\" is not on the quarter-hour grid; use :00, :15, :30 or :45"
            ),
            SlotError::StartNotBeforeEnd => f.write_str("a time window must start before it ends"),
        }
    }
}

impl std::error::Error for SlotError {}

fn parse_hhmm(text: &str) -> Result<u16, SlotError> {
    let bad = || SlotError::BadTime(text.to_owned());
    let trimmed = text.trim();
    let (h, m) = trimmed.split_once(':').ok_or_else(bad)?;
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || m.len() != 2 || !digits(m) {
        return Err(bad());
    }
    let hours: u16 = h.parse().map_err(|_| bad())?;
    let minutes: u16 = m.parse().map_err(|_| bad())?;
    if minutes >= 60 || hours > 24 || (hours == 24 && minutes != 0) {
        return Err(bad());
    }
    let total = hours * 60 + minutes;
    if !total.is_multiple_of(SLOT_MINUTES) {
        return Err(SlotError::OffGrid(text.to_owned()));
    }
    Ok(total)
}

fn format_hhmm(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

impl TimeSlot {
    /// Parses a window from `"HH:MM"` texts (`"9:30"` is accepted too; `"24:00"` only
    /// makes sense as an end). Errors say what is wrong in a sentence.
    pub fn parse(day: Weekday, start: &str, end: &str) -> Result<TimeSlot, SlotError> {
        let start_minute = parse_hhmm(start)?;
        let end_minute = parse_hhmm(end)?;
        if start_minute >= end_minute {
            return Err(SlotError::StartNotBeforeEnd);
        }
        Ok(TimeSlot {
            day,
            start_minute,
            end_minute,
        })
    }

    /// The start as `"HH:MM"`, e.g. `"09:30"`.
    pub fn start_hhmm(&self) -> String {
        format_hhmm(self.start_minute)
    }

    /// The end as `"HH:MM"`, e.g. `"24:00"`.
    pub fn end_hhmm(&self) -> String {
        format_hhmm(self.end_minute)
    }

    /// Length in minutes (0 for a malformed window whose end is not after its start).
    pub fn minutes(&self) -> u32 {
        u32::from(self.end_minute.saturating_sub(self.start_minute))
    }
}

impl fmt::Display for TimeSlot {
    /// `Wednesday 14:00-16:30`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}-{}",
            self.day.name_en(),
            self.start_hhmm(),
            self.end_hhmm()
        )
    }
}

/// A set of quarter-hours in a week: 7 x 96 = 672 bits.
///
/// Built from windows with [`WeekMask::from_slots`]; windows off the 15-minute grid are
/// widened to whole quarter-hours. Equal masks mean exactly the same weekly time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct WeekMask([u64; WORDS]);

impl WeekMask {
    /// The quarter-hours covered by any of `slots` (overlapping windows merge).
    pub fn from_slots(slots: &[TimeSlot]) -> WeekMask {
        let mut mask = WeekMask::default();
        for slot in slots {
            let base = slot.day.index() * SLOTS_PER_DAY;
            let first = usize::from(slot.start_minute.min(MINUTES_PER_DAY) / SLOT_MINUTES);
            let last = usize::from(slot.end_minute.min(MINUTES_PER_DAY).div_ceil(SLOT_MINUTES));
            for bit in (base + first)..(base + last.max(first)) {
                mask.0[bit / 64] |= 1 << (bit % 64);
            }
        }
        mask
    }

    /// True when no time at all is set.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    /// Total minutes a week set in this mask.
    pub fn minutes(&self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum::<u32>() * u32::from(SLOT_MINUTES)
    }

    /// Minutes a week both masks have in common (AND + popcount).
    pub fn overlap_minutes(&self, other: &WeekMask) -> u32 {
        self.0
            .iter()
            .zip(other.0.iter())
            .map(|(a, b)| (a & b).count_ones())
            .sum::<u32>()
            * u32::from(SLOT_MINUTES)
    }

    /// The time both masks have in common.
    pub fn intersection(&self, other: &WeekMask) -> WeekMask {
        let mut out = *self;
        for (o, b) in out.0.iter_mut().zip(other.0.iter()) {
            *o &= b;
        }
        out
    }

    /// The time either mask has.
    pub fn union(&self, other: &WeekMask) -> WeekMask {
        let mut out = *self;
        for (o, b) in out.0.iter_mut().zip(other.0.iter()) {
            *o |= b;
        }
        out
    }

    /// One bit per three-hour block of the week (bit `day * 8 + block`), set when any
    /// quarter-hour of the block is: masks with disjoint blocks share no time.
    pub(crate) fn coarse(&self) -> u64 {
        let mut blocks = 0u64;
        for (w, &word) in self.0.iter().enumerate() {
            let mut rest = word;
            while rest != 0 {
                let bit = w * 64 + rest.trailing_zeros() as usize;
                blocks |= 1 << (bit / 12);
                rest &= rest - 1;
            }
        }
        blocks
    }

    /// A word from each 64-byte stretch of the mask, folded (for touching all of its
    /// memory early).
    pub(crate) fn sample(&self) -> u64 {
        self.0[0] ^ self.0[5] ^ self.0[WORDS - 1]
    }

    fn bit(&self, bit: usize) -> bool {
        self.0[bit / 64] >> (bit % 64) & 1 == 1
    }

    /// The mask as windows, Monday first, each as long as possible within its day
    /// (adjacent quarter-hours merge; a window never crosses midnight).
    pub fn to_slots(&self) -> Vec<TimeSlot> {
        let mut slots = Vec::new();
        for day in Weekday::ALL {
            let base = day.index() * SLOTS_PER_DAY;
            let mut q = 0;
            while q < SLOTS_PER_DAY {
                if !self.bit(base + q) {
                    q += 1;
                    continue;
                }
                let start = q;
                while q < SLOTS_PER_DAY && self.bit(base + q) {
                    q += 1;
                }
                slots.push(TimeSlot {
                    day,
                    // Both fit: at most 96 quarter-hours of 15 minutes.
                    start_minute: start as u16 * SLOT_MINUTES,
                    end_minute: q as u16 * SLOT_MINUTES,
                });
            }
        }
        slots
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(day: Weekday, start: &str, end: &str) -> TimeSlot {
        TimeSlot::parse(day, start, end).unwrap()
    }

    #[test]
    fn weekday_round_trips_through_its_graphql_name() {
        for day in Weekday::ALL {
            assert_eq!(day.as_str().parse::<Weekday>().unwrap(), day);
        }
        assert!("monday".parse::<Weekday>().is_err());
    }

    #[test]
    fn parse_accepts_quarter_hours_and_midnight_end() {
        let s = slot(Weekday::Tuesday, "16:00", "18:30");
        assert_eq!((s.start_minute, s.end_minute), (960, 1110));
        assert_eq!(s.start_hhmm(), "16:00");
        assert_eq!(s.end_hhmm(), "18:30");
        let late = slot(Weekday::Sunday, "22:45", "24:00");
        assert_eq!(late.end_minute, 1440);
        assert_eq!(late.end_hhmm(), "24:00");
        assert_eq!(slot(Weekday::Monday, "9:15", "10:00").start_minute, 555);
    }

    #[test]
    fn parse_refuses_bad_times_off_grid_and_reversed_windows() {
        for bad in [
            "", "16", "16:0", "16:000", "25:00", "24:15", "12:60", "ab:cd", "-1:00",
        ] {
            assert_eq!(
                TimeSlot::parse(Weekday::Monday, bad, "23:00"),
                Err(SlotError::BadTime(bad.to_owned())),
                "{bad}"
            );
        }
        assert_eq!(
            TimeSlot::parse(Weekday::Monday, "10:10", "11:00"),
            Err(SlotError::OffGrid("10:10".to_owned()))
        );
        assert_eq!(
            TimeSlot::parse(Weekday::Monday, "11:00", "11:00"),
            Err(SlotError::StartNotBeforeEnd)
        );
        assert_eq!(
            TimeSlot::parse(Weekday::Monday, "12:00", "11:00"),
            Err(SlotError::StartNotBeforeEnd)
        );
        let message = SlotError::OffGrid("10:10".into()).to_string();
        assert!(message.contains("quarter-hour"), "{message}");
    }

    #[test]
    fn overlap_counts_common_minutes() {
        let a = WeekMask::from_slots(&[slot(Weekday::Wednesday, "14:00", "18:00")]);
        let b = WeekMask::from_slots(&[
            slot(Weekday::Wednesday, "13:00", "16:30"),
            slot(Weekday::Friday, "14:00", "18:00"),
        ]);
        assert_eq!(a.overlap_minutes(&b), 150);
        assert_eq!(b.overlap_minutes(&a), 150);
        assert_eq!(a.minutes(), 240);
        assert_eq!(
            a.intersection(&b).to_slots(),
            vec![slot(Weekday::Wednesday, "14:00", "16:30")]
        );
        assert_eq!(a.union(&b).minutes(), 240 + 60 + 240);
    }

    #[test]
    fn to_slots_merges_adjacent_and_overlapping_windows() {
        let mask = WeekMask::from_slots(&[
            slot(Weekday::Monday, "09:00", "10:00"),
            slot(Weekday::Monday, "10:00", "11:00"),
            slot(Weekday::Monday, "10:30", "12:00"),
            slot(Weekday::Sunday, "23:00", "24:00"),
        ]);
        assert_eq!(
            mask.to_slots(),
            vec![
                slot(Weekday::Monday, "09:00", "12:00"),
                slot(Weekday::Sunday, "23:00", "24:00")
            ]
        );
        assert!(WeekMask::default().is_empty());
        assert!(!mask.is_empty());
        assert_eq!(WeekMask::from_slots(&mask.to_slots()), mask);
    }

    #[test]
    fn coarse_blocks_mark_three_hour_blocks() {
        assert_eq!(WeekMask::default().coarse(), 0);
        let monday_night = WeekMask::from_slots(&[slot(Weekday::Monday, "02:45", "03:15")]);
        assert_eq!(monday_night.coarse(), 0b11);
        let sunday_night = WeekMask::from_slots(&[slot(Weekday::Sunday, "23:45", "24:00")]);
        assert_eq!(sunday_night.coarse(), 1 << 55);
    }

    #[test]
    fn slot_display_reads_like_an_agenda() {
        assert_eq!(
            slot(Weekday::Wednesday, "14:00", "16:30").to_string(),
            "Wednesday 14:00-16:30"
        );
    }
}
