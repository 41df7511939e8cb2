//! The week: days, weekly time slots as the contract shows and takes them,
//! their parsing on the 15-minute grid and how they are stored.

use async_graphql::{Enum, InputObject, SimpleObject};
use matching::TimeSlot as Slot;
use serde_json::{Value as Json, json};

use crate::core::{
    error::{ApiError, ApiResult},
    locale::tr,
};

/// Day of the week.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "matching::Weekday")]
pub enum Weekday {
    /// Monday (maandag, lundi).
    Monday,
    /// Tuesday (dinsdag, mardi).
    Tuesday,
    /// Wednesday (woensdag, mercredi).
    Wednesday,
    /// Thursday (donderdag, jeudi).
    Thursday,
    /// Friday (vrijdag, vendredi).
    Friday,
    /// Saturday (zaterdag, samedi).
    Saturday,
    /// Sunday (zondag, dimanche).
    Sunday,
}

/// A weekly recurring window, e.g. TUESDAY 16:00-18:30.
#[derive(Clone, Debug, SimpleObject)]
pub struct TimeSlot {
    /// Day of the week.
    pub day: Weekday,
    /// "HH:MM".
    pub start: String,
    /// "HH:MM".
    pub end: String,
}

/// A weekly window: "HH:MM" on a 15-minute grid, start before end.
#[derive(Clone, Debug, InputObject)]
pub struct TimeSlotInput {
    /// Day of the week.
    pub day: Weekday,
    /// "HH:MM".
    pub start: String,
    /// "HH:MM" ("24:00" for midnight).
    pub end: String,
}

/// A weekday's name in the request's locale.
fn weekday_name(day: matching::Weekday) -> String {
    crate::core::locale::text(&format!("weekday-{}", day.as_str()), &[])
}

/// What is wrong with a time slot, in the request's locale.
fn slot_problem(error: &matching::SlotError) -> String {
    match error {
        matching::SlotError::BadTime(time) => {
            tr!("error-slot-bad-time", time = format!("{time:?}"))
        }
        matching::SlotError::OffGrid(time) => {
            tr!("error-slot-off-grid", time = format!("{time:?}"))
        }
        matching::SlotError::StartNotBeforeEnd => tr!("error-slot-start-not-before-end"),
    }
}

/// The most weekly slots one person may give.
pub const MAX_SLOTS: usize = 50;

/// Parses weekly slots: "HH:MM" on the 15-minute grid, start before end.
pub fn parse_slots(inputs: &[TimeSlotInput], field: &str) -> ApiResult<Vec<Slot>> {
    if inputs.len() > MAX_SLOTS {
        return Err(ApiError::bad_input(
            field,
            tr!("error-slots-too-many", max = MAX_SLOTS),
        ));
    }
    inputs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            Slot::parse(s.day.into(), &s.start, &s.end).map_err(|e| {
                ApiError::bad_input(
                    format!("{field}[{i}]"),
                    tr!(
                        "error-slot",
                        slot = format!("{} {}-{}", weekday_name(s.day.into()), s.start, s.end),
                        problem = slot_problem(&e),
                    ),
                )
            })
        })
        .collect()
}

/// Stores slots as `[{"day","start","end"}]`.
pub fn slots_to_json(slots: &[Slot]) -> Json {
    Json::Array(
        slots
            .iter()
            .map(|s| json!({"day": s.day.as_str(), "start": s.start_hhmm(), "end": s.end_hhmm()}))
            .collect(),
    )
}

/// Reads stored slots back.
pub fn slots_from_json(value: &Json) -> ApiResult<Vec<Slot>> {
    let bad = || ApiError::internal(anyhow::anyhow!("malformed stored time slots"));
    value
        .as_array()
        .ok_or_else(bad)?
        .iter()
        .map(|slot| {
            let field = |name: &str| slot.get(name).and_then(Json::as_str).ok_or_else(bad);
            let day: matching::Weekday = field("day")?.parse().map_err(|_| bad())?;
            Slot::parse(day, field("start")?, field("end")?).map_err(|_| bad())
        })
        .collect()
}

/// The GraphQL view of stored slots.
pub fn slots_view(value: &Json) -> ApiResult<Vec<TimeSlot>> {
    Ok(slots_from_json(value)?
        .into_iter()
        .map(|s| TimeSlot {
            day: s.day.into(),
            start: s.start_hhmm(),
            end: s.end_hhmm(),
        })
        .collect())
}
