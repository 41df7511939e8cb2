//! `networkStats`: the network's figures ("1 gezin 1 plan": an answer within
//! a month), computed from the rows every time, never from counters that
//! could drift. The README defines each figure.

use std::collections::{HashMap, HashSet};

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use entity::{check_in, family, involvement, plan, volunteer, volunteer_language};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::{
    core::error::{ApiError, ApiResult},
    core::locale::tr,
    core::state::{AppState, ContextExt},
    core::values::Date,
    engine::ANSWER_WITHIN_DAYS,
    follow_up::{follow_up_facts, next_due},
};

/// Figures for the network's reporting (1 gezin 1 plan: answer within a month).
/// A figure computed from fewer than 5 families is null for every role but
/// ADMIN and COORDINATOR (small-cell suppression).
#[derive(Clone, Debug, SimpleObject)]
#[graphql(complex, guard = "crate::auth::Scoped(self)")]
pub struct NetworkStats {
    /// Families whose status is WAITING now (no helper ACTIVE or PHASING_OUT,
    /// plan not closed), whatever the period.
    pub families_waiting: i32,
    /// Families whose status is SUPPORTED now (a helper ACTIVE or
    /// PHASING_OUT), whatever the period.
    pub families_supported: i32,
    #[graphql(skip)]
    pub median_waiting_days: Figure,
    #[graphql(skip)]
    pub answered_within30_days: Figure,
    /// Families referred in the period (from `from` to `to`, both days
    /// included) still inside their 30 days without a helper: no helper was
    /// ever phased in and today is on or before their `answerDueOn`
    /// (referral day + 30). Neither a success nor a failure yet.
    pub answers_pending: i32,
    /// Volunteers whose status is ACTIVE now, whatever the period.
    pub active_volunteers: i32,
    /// Involvements (of any kind of helper) ACTIVE or PHASING_OUT now,
    /// whatever the period.
    pub active_involvements: i32,
    /// Check-ins whose `occurredAt` falls in the period.
    pub check_ins_logged: i32,
    /// ACTIVE volunteers whose next check-in was due before today (see
    /// `checkInsDue`), whatever the period.
    pub volunteers_overdue_for_check_in: i32,
    #[graphql(skip)]
    pub median_days_to_first_helper: Figure,
    #[graphql(skip)]
    pub preferred_language_match_rate: Figure,
    /// Involvements now ENDED whose phase-out ended in the period.
    pub involvements_ended: i32,
    /// Of `involvementsEnded`, those that ended less than 30 days after
    /// their phase-in.
    pub involvements_ended_within30_days: i32,
}

/// A figure and how many families it was computed from.
#[derive(Clone, Copy, Debug, Default)]
pub struct Figure {
    /// The value, if there is one.
    pub value: Option<f64>,
    /// The families behind it.
    pub families: usize,
}

impl NetworkStats {
    /// How many families the figure `field` was computed from (the counts
    /// of now, which are not small cells of a period, count as many).
    pub fn families_behind(&self, field: &str) -> usize {
        match field {
            "medianWaitingDays" => self.median_waiting_days.families,
            "answeredWithin30Days" => self.answered_within30_days.families,
            "medianDaysToFirstHelper" => self.median_days_to_first_helper.families,
            "preferredLanguageMatchRate" => self.preferred_language_match_rate.families,
            _ => usize::MAX,
        }
    }
}

/// No object guard here: a figure the viewer may not see is null, not an
/// error, so each field asks the policy itself (and is marked checked).
#[async_graphql::ComplexObject]
impl NetworkStats {
    /// Of the families referred in the period: the median of their days from
    /// referral to their first helper phased in, or to now for those never
    /// answered. Null when no family was referred in the period, and when
    /// computed from fewer than 5 families, except for ADMIN and COORDINATOR.
    async fn median_waiting_days(&self, ctx: &Context<'_>) -> ApiResult<Option<f64>> {
        shown(ctx, self, self.median_waiting_days).await
    }
    /// Of the families referred in the period whose 30 days are over (today
    /// is past their `answerDueOn`, referral day + 30) or who were answered
    /// sooner: the share whose first helper was phased in on or before their
    /// `answerDueOn`. Families still inside their 30 days without a helper
    /// are not counted either way (`answersPending`). Null when no family is
    /// decided yet, and when computed from fewer than 5 families, except for
    /// ADMIN and COORDINATOR.
    async fn answered_within30_days(&self, ctx: &Context<'_>) -> ApiResult<Option<f64>> {
        shown(ctx, self, self.answered_within30_days).await
    }
    /// Of the families referred in the period whose first helper was phased
    /// in: the median of their days from referral to that phase-in. Null when
    /// there is none, and when computed from fewer than 5 families, except
    /// for ADMIN and COORDINATOR.
    async fn median_days_to_first_helper(&self, ctx: &Context<'_>) -> ApiResult<Option<f64>> {
        shown(ctx, self, self.median_days_to_first_helper).await
    }
    /// Of the volunteer involvements ACTIVE now with a family that named a
    /// preferred language, whatever the period: the share where the volunteer
    /// speaks that language. Null when there is none, and when computed from
    /// fewer than 5 families, except for ADMIN and COORDINATOR.
    async fn preferred_language_match_rate(&self, ctx: &Context<'_>) -> ApiResult<Option<f64>> {
        shown(ctx, self, self.preferred_language_match_rate).await
    }
}

/// The figure, or null where the policy suppresses its small cell.
async fn shown(ctx: &Context<'_>, stats: &NetworkStats, figure: Figure) -> ApiResult<Option<f64>> {
    Ok(if crate::auth::permits(ctx, stats).await? {
        figure.value
    } else {
        None
    })
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

/// The one-month rule over a set of referred families, as of `today`: a
/// family is answered in time when its first helper was phased in on or
/// before its `answerDueOn` (referral day + 30); late when that happened
/// later, or when `today` is past its due day without a helper; pending while
/// `today` is on or before its due day without a helper.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct OneMonthRule {
    answered_in_time: usize,
    late: usize,
    pending: usize,
}

impl OneMonthRule {
    /// Families decided either way.
    fn decided(&self) -> usize {
        self.answered_in_time + self.late
    }
}

fn one_month_rule(families: &[&family::Model], today: NaiveDate) -> OneMonthRule {
    let mut rule = OneMonthRule::default();
    for family in families {
        let due = family.referred_at.date_naive() + chrono::Duration::days(ANSWER_WITHIN_DAYS);
        match family.first_phase_in_at.map(|at| at.date_naive()) {
            Some(answered) if answered <= due => rule.answered_in_time += 1,
            Some(_) => rule.late += 1,
            None if today > due => rule.late += 1,
            None => rule.pending += 1,
        }
    }
    rule
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Computes the figures for `[from, to]` (inclusive days, UTC).
pub async fn network_stats(
    state: &AppState,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> ApiResult<NetworkStats> {
    let today = state.today();
    let to = to.unwrap_or(today);
    let start: Option<DateTime<Utc>> = from.map(|d| d.and_time(NaiveTime::MIN).and_utc());
    let end: DateTime<Utc> = to.and_time(NaiveTime::MIN).and_utc() + chrono::Duration::days(1);
    if from.is_some_and(|f| f > to) {
        return Err(ApiError::bad_input("from", tr!("error-from-after-to")));
    }
    let in_period = |t: DateTime<Utc>| start.is_none_or(|s| t >= s) && t < end;
    let db = &state.db;
    let now = Utc::now();

    let families = family::Entity::find().all(db).await?;
    let referred: Vec<&family::Model> = families
        .iter()
        .filter(|f| in_period(f.referred_at))
        .collect();
    let waiting_days: Vec<f64> = referred
        .iter()
        .map(|f| {
            (f.first_phase_in_at.unwrap_or(now) - f.referred_at)
                .num_days()
                .max(0) as f64
        })
        .collect();
    let to_first_helper: Vec<f64> = referred
        .iter()
        .filter_map(|f| {
            f.first_phase_in_at
                .map(|p| (p - f.referred_at).num_days().max(0) as f64)
        })
        .collect();
    let month = one_month_rule(&referred, today);

    let involvements = involvement::Entity::find().all(db).await?;
    let active_involvements = involvements
        .iter()
        .filter(|i| i.status == "ACTIVE" || i.status == "PHASING_OUT")
        .count();
    let ended: Vec<&involvement::Model> = involvements
        .iter()
        .filter(|i| i.status == "ENDED" && i.phased_out_at.is_some_and(in_period))
        .collect();
    let ended_quickly = ended
        .iter()
        .filter(|i| match (i.phased_in_at, i.phased_out_at) {
            (Some(a), Some(b)) => (b - a).num_days() < 30,
            _ => false,
        })
        .count();

    // Preferred-language match of ACTIVE volunteer involvements.
    let active_volunteer_involvements: Vec<&involvement::Model> = involvements
        .iter()
        .filter(|i| i.status == "ACTIVE" && i.volunteer_id.is_some())
        .collect();
    let plan_family: HashMap<Uuid, Uuid> = plan::Entity::find()
        .select_only()
        .columns([plan::Column::Id, plan::Column::FamilyId])
        .into_tuple::<(Uuid, Uuid)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let preferred: HashMap<Uuid, &str> = families
        .iter()
        .filter_map(|f| f.preferred_language.as_deref().map(|l| (f.id, l)))
        .collect();
    let volunteer_ids: Vec<Uuid> = active_volunteer_involvements
        .iter()
        .filter_map(|i| i.volunteer_id)
        .collect();
    let spoken: HashSet<(Uuid, String)> = if volunteer_ids.is_empty() {
        HashSet::new()
    } else {
        volunteer_language::Entity::find()
            .filter(volunteer_language::Column::VolunteerId.is_in(volunteer_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|l| (l.volunteer_id, l.language_code))
            .collect()
    };
    let mut with_preference = 0usize;
    let mut preference_families = HashSet::new();
    let mut matched = 0usize;
    for inv in &active_volunteer_involvements {
        let Some(volunteer_id) = inv.volunteer_id else {
            continue;
        };
        let Some(language) = plan_family.get(&inv.plan_id).and_then(|f| preferred.get(f)) else {
            continue;
        };
        with_preference += 1;
        if let Some(family) = plan_family.get(&inv.plan_id) {
            preference_families.insert(*family);
        }
        if spoken.contains(&(volunteer_id, (*language).to_owned())) {
            matched += 1;
        }
    }

    let active_volunteers: Vec<Uuid> = volunteer::Entity::find()
        .select_only()
        .column(volunteer::Column::Id)
        .filter(volunteer::Column::Status.eq("ACTIVE"))
        .into_tuple()
        .all(db)
        .await?;
    let facts = follow_up_facts(db, None).await?;
    let cadence = state.settings.check_in_cadence;
    let overdue = active_volunteers
        .iter()
        .filter(|id| {
            facts
                .get(id)
                .and_then(|f| next_due(f, cadence))
                .is_some_and(|due| due < today)
        })
        .count();
    let mut check_ins = check_in::Entity::find().filter(check_in::Column::OccurredAt.lt(end));
    if let Some(start) = start {
        check_ins = check_ins.filter(check_in::Column::OccurredAt.gte(start));
    }
    let check_ins_logged = check_ins.count(db).await?;

    Ok(NetworkStats {
        families_waiting: count(families.iter().filter(|f| f.status == "WAITING").count()),
        families_supported: count(families.iter().filter(|f| f.status == "SUPPORTED").count()),
        median_waiting_days: Figure {
            families: waiting_days.len(),
            value: median(waiting_days),
        },
        answered_within30_days: Figure {
            value: (month.decided() > 0)
                .then(|| month.answered_in_time as f64 / month.decided() as f64),
            families: month.decided(),
        },
        answers_pending: count(month.pending),
        active_volunteers: count(active_volunteers.len()),
        active_involvements: count(active_involvements),
        check_ins_logged: count(check_ins_logged as usize),
        volunteers_overdue_for_check_in: count(overdue),
        median_days_to_first_helper: Figure {
            families: to_first_helper.len(),
            value: median(to_first_helper),
        },
        preferred_language_match_rate: Figure {
            value: (with_preference > 0).then(|| matched as f64 / with_preference as f64),
            families: preference_families.len(),
        },
        involvements_ended: count(ended.len()),
        involvements_ended_within30_days: count(ended_quickly),
    })
}

/// Reporting queries.
#[derive(Default, Debug)]
pub struct ReportingQuery;

#[Object]
impl ReportingQuery {
    /// The network's figures for a period (default: everything up to today).
    async fn network_stats(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the reporting period.")] from: Option<Date>,
        #[graphql(desc = "Last day of the reporting period.")] to: Option<Date>,
    ) -> ApiResult<NetworkStats> {
        network_stats(ctx.state()?, from.map(|d| d.0), to.map(|d| d.0)).await
    }
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn medians_of_odd_and_even_lists() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }
}
