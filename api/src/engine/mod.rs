//! The matching engine as the API sees it: rows to profiles, the calendar
//! day and today's policy, and the statuses (and groups of them) that more
//! than one domain counts by.

mod profiles;
mod status;

use chrono::NaiveDate;

pub use profiles::{
    family_languages, family_profile, family_profile_of, live_family, volunteer_profile,
};
pub use status::{InvolvementStatus, LOAD_STATES, Urgency, VolunteerStatus};

use crate::core::state::AppState;

/// A calendar day as the matching engine counts it (days since 1970-01-01).
pub fn day_of(date: NaiveDate) -> matching::Day {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(NaiveDate::MIN);
    matching::Day(i32::try_from((date - epoch).num_days()).unwrap_or(i32::MAX))
}

/// The engine's policy for today.
pub fn policy(state: &AppState) -> matching::Policy {
    matching::Policy::with_today(day_of(state.today()))
}
