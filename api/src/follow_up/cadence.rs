//! The check-in cadence: what it needs to know of each volunteer (their
//! first phase-in, whether they support a family now, their latest
//! check-in), when their next check-in falls due, and who is due.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::{check_in, involvement, vocabulary as stored, volunteer};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::{
    core::config::CheckInCadence, core::error::ApiResult, core::state::AppState,
    engine::HELPING_STATES,
};

/// What the cadence needs to know about one volunteer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FollowUpFacts {
    /// Their first phase-in into any plan.
    pub first_phase_in: Option<DateTime<Utc>>,
    /// Whether an involvement of theirs is ACTIVE or PHASING_OUT now.
    pub supporting: bool,
    /// Their latest check-in: when, and the next due date it set.
    pub last_check_in: Option<(DateTime<Utc>, Option<NaiveDate>)>,
}

/// When the next check-in falls due: a check-in's own `nextDueOn` wins;
/// otherwise, while the volunteer supports a family, `first_after_days` after
/// the first phase-in and then `every_days` after each check-in.
pub fn next_due(facts: &FollowUpFacts, cadence: CheckInCadence) -> Option<NaiveDate> {
    match facts.last_check_in {
        Some((_, Some(explicit))) => Some(explicit),
        Some((at, None)) => facts
            .supporting
            .then(|| (at + Duration::days(cadence.every_days)).date_naive()),
        None => match (facts.supporting, facts.first_phase_in) {
            (true, Some(first)) => {
                Some((first + Duration::days(cadence.first_after_days)).date_naive())
            }
            _ => None,
        },
    }
}

/// Follow-up facts of `ids` (or of every volunteer), in three queries.
pub async fn follow_up_facts<C: sea_orm::ConnectionTrait>(
    db: &C,
    ids: Option<&[Uuid]>,
) -> Result<HashMap<Uuid, FollowUpFacts>, sea_orm::DbErr> {
    let mut involvements =
        involvement::Entity::find().filter(involvement::Column::VolunteerId.is_not_null());
    let mut check_ins = check_in::Entity::find().order_by_asc(check_in::Column::OccurredAt);
    let mut out: HashMap<Uuid, FollowUpFacts> = HashMap::new();
    if let Some(ids) = ids {
        involvements =
            involvements.filter(involvement::Column::VolunteerId.is_in(ids.iter().copied()));
        check_ins = check_ins.filter(check_in::Column::VolunteerId.is_in(ids.iter().copied()));
        for id in ids {
            out.insert(*id, FollowUpFacts::default());
        }
    }
    for inv in involvements.all(db).await? {
        let Some(volunteer_id) = inv.volunteer_id else {
            continue;
        };
        let facts = out.entry(volunteer_id).or_default();
        if let Some(at) = inv.phased_in_at {
            facts.first_phase_in = Some(facts.first_phase_in.map_or(at, |f| f.min(at)));
        }
        if HELPING_STATES.contains(&inv.status) {
            facts.supporting = true;
        }
    }
    for row in check_ins.all(db).await? {
        out.entry(row.volunteer_id).or_default().last_check_in =
            Some((row.occurred_at, row.next_due_on));
    }
    Ok(out)
}

/// ACTIVE volunteers who support a family (an involvement ACTIVE or
/// PHASING_OUT) and whose next check-in is due on or before `as_of`,
/// soonest due first (then by key). Volunteers who are not ACTIVE (paused,
/// say) and volunteers who support no family are left out.
pub async fn volunteers_due(
    state: &AppState,
    as_of: NaiveDate,
) -> ApiResult<Vec<volunteer::Model>> {
    let facts = follow_up_facts(&state.db, None).await?;
    let cadence = state.settings.check_in_cadence;
    let due: HashMap<Uuid, NaiveDate> = facts
        .iter()
        .filter(|(_, f)| f.supporting)
        .filter_map(|(id, f)| next_due(f, cadence).map(|due| (*id, due)))
        .filter(|(_, due)| *due <= as_of)
        .collect();
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let mut volunteers = volunteer::Entity::find()
        .filter(volunteer::Column::Status.eq(stored::VolunteerStatus::Active))
        .filter(volunteer::Column::Id.is_in(due.keys().copied()))
        .all(&state.db)
        .await?;
    volunteers.sort_by_key(|v| (due.get(&v.id).copied(), v.id));
    Ok(volunteers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(days_ago: i64) -> DateTime<Utc> {
        Utc::now() - Duration::days(days_ago)
    }

    #[test]
    fn the_first_check_in_is_due_two_weeks_after_the_first_phase_in() {
        let facts = FollowUpFacts {
            first_phase_in: Some(at(20)),
            supporting: true,
            last_check_in: None,
        };
        assert_eq!(
            next_due(&facts, CheckInCadence::default()),
            Some((at(20) + Duration::days(14)).date_naive())
        );
    }

    #[test]
    fn then_every_month_unless_a_check_in_set_its_own_date() {
        let mut facts = FollowUpFacts {
            first_phase_in: Some(at(90)),
            supporting: true,
            last_check_in: Some((at(10), None)),
        };
        assert_eq!(
            next_due(&facts, CheckInCadence::default()),
            Some((at(10) + Duration::days(30)).date_naive())
        );
        let explicit = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
        facts.last_check_in = Some((at(10), Some(explicit)));
        assert_eq!(next_due(&facts, CheckInCadence::default()), Some(explicit));
    }

    #[test]
    fn nothing_is_due_while_the_volunteer_supports_no_family() {
        let facts = FollowUpFacts {
            first_phase_in: Some(at(90)),
            supporting: false,
            last_check_in: Some((at(40), None)),
        };
        assert_eq!(next_due(&facts, CheckInCadence::default()), None);
    }
}
