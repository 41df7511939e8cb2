//! The matching engine as the API sees it: rows to profiles, the calendar
//! day and today's policy, the statuses (and groups of them) that more
//! than one domain counts by, and the [`Pool`] of volunteers that matching
//! ranks against.

mod pool;
mod profiles;
mod status;

use chrono::NaiveDate;

pub use pool::{Pool, Ranking, ranking, volunteer_profiles};
pub use profiles::{
    family_languages, family_profile, family_profile_of, live_family, parted_with, valid_until,
    volunteer_profile,
};
pub use status::{
    HELPING_STATES, InvolvementStatus, LOAD_STATES, Urgency, VolunteerStatus, transition_message,
};

use crate::core::state::AppState;

/// Whole days from `from` to `to` (0 when `to` is earlier).
pub fn days_between(from: chrono::DateTime<chrono::Utc>, to: chrono::DateTime<chrono::Utc>) -> i32 {
    i32::try_from(std::cmp::max((to - from).num_days(), 0)).unwrap_or(i32::MAX)
}

/// The one-month rule: a family must have its first helper phased in within
/// this many days of its referral.
pub const ANSWER_WITHIN_DAYS: i64 = 30;

/// A calendar day as the matching engine counts it (days since 1970-01-01).
pub fn day_of(date: NaiveDate) -> matching::Day {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(NaiveDate::MIN);
    matching::Day(i32::try_from((date - epoch).num_days()).unwrap_or(i32::MAX))
}

/// The engine's policy for today.
pub fn policy(state: &AppState) -> matching::Policy {
    matching::Policy {
        recently_ended_days: state.settings.recently_ended_days,
        ..matching::Policy::with_today(day_of(state.today()))
    }
}
