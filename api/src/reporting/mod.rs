//! `networkStats`: the network's figures ("1 gezin 1 plan": an answer within
//! a month), computed from the rows every time, never from counters that
//! could drift. The README defines each figure.

use std::collections::{HashMap, HashSet};

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use entity::{
    check_in, family, involvement, plan, vocabulary as stored, volunteer, volunteer_language,
};
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

/// The days a report covers: `[from, to]`, both included (UTC); no `from`
/// means since the beginning.
#[derive(Clone, Copy, Debug)]
struct Period {
    start: Option<DateTime<Utc>>,
    end: DateTime<Utc>,
}

impl Period {
    fn new(from: Option<NaiveDate>, to: NaiveDate) -> ApiResult<Period> {
        if from.is_some_and(|f| f > to) {
            return Err(ApiError::bad_input("from", tr!("error-from-after-to")));
        }
        Ok(Period {
            start: from.map(|d| d.and_time(NaiveTime::MIN).and_utc()),
            end: to.and_time(NaiveTime::MIN).and_utc() + chrono::Duration::days(1),
        })
    }

    fn holds(&self, t: DateTime<Utc>) -> bool {
        self.start.is_none_or(|s| t >= s) && t < self.end
    }
}

/// Computes the figures for `[from, to]` (inclusive days, UTC).
pub async fn network_stats(
    state: &AppState,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> ApiResult<NetworkStats> {
    let today = state.today();
    let period = Period::new(from, to.unwrap_or(today))?;
    let db = &state.db;
    let families = family::Entity::find().all(db).await?;
    let involvements = involvement::Entity::find().all(db).await?;
    let referred = FamilyFigures::of(&families, &period, today);
    let ended = EndedFigures::of(&involvements, &period);
    let language = preferred_language_match(db, &families, &involvements).await?;
    let (active_volunteers, overdue) = volunteer_figures(state, today).await?;
    let mut check_ins =
        check_in::Entity::find().filter(check_in::Column::OccurredAt.lt(period.end));
    if let Some(start) = period.start {
        check_ins = check_ins.filter(check_in::Column::OccurredAt.gte(start));
    }
    let check_ins_logged = check_ins.count(db).await?;
    let month = referred.month;
    Ok(NetworkStats {
        families_waiting: count(
            families
                .iter()
                .filter(|f| f.status == stored::FamilyStatus::Waiting)
                .count(),
        ),
        families_supported: count(
            families
                .iter()
                .filter(|f| f.status == stored::FamilyStatus::Supported)
                .count(),
        ),
        median_waiting_days: referred.waiting_days,
        answered_within30_days: Figure {
            value: (month.decided() > 0)
                .then(|| month.answered_in_time as f64 / month.decided() as f64),
            families: month.decided(),
        },
        answers_pending: count(month.pending),
        active_volunteers: count(active_volunteers),
        active_involvements: count(
            involvements
                .iter()
                .filter(|i| crate::engine::HELPING_STATES.contains(&i.status))
                .count(),
        ),
        check_ins_logged: count(usize::try_from(check_ins_logged).unwrap_or(usize::MAX)),
        volunteers_overdue_for_check_in: count(overdue),
        median_days_to_first_helper: referred.to_first_helper,
        preferred_language_match_rate: language,
        involvements_ended: count(ended.ended),
        involvements_ended_within30_days: count(ended.within_30_days),
    })
}

/// The figures about the families referred in the period.
struct FamilyFigures {
    /// Days each waited (until its first phase-in, or until now).
    waiting_days: Figure,
    /// Days from referral to the first phase-in, for those that had one.
    to_first_helper: Figure,
    month: OneMonthRule,
}

impl FamilyFigures {
    fn of(families: &[family::Model], period: &Period, today: NaiveDate) -> FamilyFigures {
        let now = Utc::now();
        let referred: Vec<&family::Model> = families
            .iter()
            .filter(|f| period.holds(f.referred_at))
            .collect();
        let days =
            |to: DateTime<Utc>, f: &family::Model| (to - f.referred_at).num_days().max(0) as f64;
        let waiting: Vec<f64> = referred
            .iter()
            .map(|f| days(f.first_phase_in_at.unwrap_or(now), f))
            .collect();
        let to_first: Vec<f64> = referred
            .iter()
            .filter_map(|f| f.first_phase_in_at.map(|p| days(p, f)))
            .collect();
        FamilyFigures {
            waiting_days: Figure {
                families: waiting.len(),
                value: median(waiting),
            },
            to_first_helper: Figure {
                families: to_first.len(),
                value: median(to_first),
            },
            month: one_month_rule(&referred, today),
        }
    }
}

/// Involvements now ENDED whose phase-out fell in the period, and how many of
/// them ended less than 30 days after their phase-in.
struct EndedFigures {
    ended: usize,
    within_30_days: usize,
}

impl EndedFigures {
    fn of(involvements: &[involvement::Model], period: &Period) -> EndedFigures {
        let ended: Vec<&involvement::Model> = involvements
            .iter()
            .filter(|i| {
                i.status == stored::InvolvementStatus::Ended
                    && i.phased_out_at.is_some_and(|t| period.holds(t))
            })
            .collect();
        let within_30_days = ended
            .iter()
            .filter(|i| match (i.phased_in_at, i.phased_out_at) {
                (Some(a), Some(b)) => (b - a).num_days() < 30,
                _ => false,
            })
            .count();
        EndedFigures {
            ended: ended.len(),
            within_30_days,
        }
    }
}

/// Of the ACTIVE volunteer involvements of families with a preferred
/// language, the share whose volunteer speaks it.
async fn preferred_language_match(
    db: &sea_orm::DatabaseConnection,
    families: &[family::Model],
    involvements: &[involvement::Model],
) -> ApiResult<Figure> {
    let active: Vec<(Uuid, Uuid)> = involvements
        .iter()
        .filter(|i| i.status == stored::InvolvementStatus::Active)
        .filter_map(|i| i.volunteer_id.map(|v| (v, i.plan_id)))
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
    let spoken: HashSet<(Uuid, String)> = if active.is_empty() {
        HashSet::new()
    } else {
        volunteer_language::Entity::find()
            .filter(volunteer_language::Column::VolunteerId.is_in(active.iter().map(|(v, _)| *v)))
            .all(db)
            .await?
            .into_iter()
            .map(|l| (l.volunteer_id, l.language_code))
            .collect()
    };
    let mut with_preference = 0usize;
    let mut matched = 0usize;
    let mut with_preference_families = HashSet::new();
    for (volunteer_id, plan_id) in active {
        let Some(family) = plan_family.get(&plan_id) else {
            continue;
        };
        let Some(language) = preferred.get(family) else {
            continue;
        };
        with_preference += 1;
        with_preference_families.insert(*family);
        if spoken.contains(&(volunteer_id, (*language).to_owned())) {
            matched += 1;
        }
    }
    Ok(Figure {
        value: (with_preference > 0).then(|| matched as f64 / with_preference as f64),
        families: with_preference_families.len(),
    })
}

/// ACTIVE volunteers now, and how many of them are overdue for a check-in.
async fn volunteer_figures(state: &AppState, today: NaiveDate) -> ApiResult<(usize, usize)> {
    let active: Vec<Uuid> = volunteer::Entity::find()
        .select_only()
        .column(volunteer::Column::Id)
        .filter(volunteer::Column::Status.eq(stored::VolunteerStatus::Active))
        .into_tuple()
        .all(&state.db)
        .await?;
    let facts = follow_up_facts(&state.db, None).await?;
    let cadence = state.settings.check_in_cadence;
    let overdue = active
        .iter()
        .filter(|id| {
            facts
                .get(id)
                .and_then(|f| next_due(f, cadence))
                .is_some_and(|due| due < today)
        })
        .count();
    Ok((active.len(), overdue))
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

impl crate::auth::Record for NetworkStats {
    const TYPE: &'static str = "NetworkStats";

    async fn relation(
        &self,
        field: &str,
        _: &crate::auth::Viewing<'_>,
    ) -> crate::core::error::ApiResult<crate::auth::Access> {
        Ok(if self.families_behind(field) >= 5 {
            crate::auth::Access::FIVE_FAMILIES
        } else {
            crate::auth::Access::NO
        })
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
