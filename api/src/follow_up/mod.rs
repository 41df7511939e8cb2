//! Follow-up of volunteers by training-and-follow-up staff: check-ins, their
//! cadence (`nextCheckInDue`, `checkInsDue`) and concerns (`openConcerns`,
//! `resolveConcern`).

use std::collections::HashMap;

use async_graphql::{Context, Enum, ID, InputObject, Object, dataloader::Loader};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::{check_in, family, involvement, vocabulary as stored, volunteer};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::auth::ViewerExt;
use crate::core::relay::NodeKind;
use crate::{
    auth::Actor,
    core::config::CheckInCadence,
    core::db::begin_write,
    core::error::{ApiError, ApiResult, ResultExt},
    core::loaders::{DbLoader, LoadError, load},
    core::locale::tr,
    core::paging::update_if_version,
    core::relay::{Page, PageRequest, expect_id, global_id, slice_ordered},
    core::state::{AppState, ContextExt},
    core::values::{Date, optional_text, required_text},
    engine::HELPING_STATES,
    families::Family,
    sync::Change,
    volunteers::{Volunteer, VolunteerConnection},
};

/// How the contact took place.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::vocabulary::CheckInKind")]
pub enum CheckInKind {
    /// A phone or video call.
    Call,
    /// A visit in person.
    Visit,
    /// A one-to-one supervision session.
    Supervision,
    /// A group session where volunteers learn from each other.
    GroupIntervision,
    /// A training session.
    TrainingSession,
    /// A written message (mail, text).
    Message,
}

/// How worried the follow-up worker is.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::vocabulary::ConcernLevel")]
pub enum ConcernLevel {
    /// Nothing to worry about.
    None,
    /// Something to keep an eye on.
    Low,
    /// Worrying: to be followed up (openConcerns lists it until resolved).
    High,
}

/// A follow-up contact between staff and a volunteer, logged by
/// training-and-follow-up staff.
#[derive(Clone, Debug)]
pub struct CheckIn(pub check_in::Model);

crate::connection!(CheckInConnection, CheckInEdge, CheckIn);

/// A follow-up contact between staff and a volunteer, logged by training-and-follow-up staff.
#[Object(guard = "crate::auth::Scoped(self)")]
impl CheckIn {
    /// Global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::CheckIn, self.0.id)
    }
    /// The volunteer.
    async fn volunteer(&self, ctx: &Context<'_>) -> ApiResult<Volunteer> {
        crate::volunteers::load_one(ctx, self.0.volunteer_id)
            .await?
            .ok_or_else(|| ApiError::not_found("Volunteer"))
    }
    /// The family it was about, if any.
    async fn family(&self, ctx: &Context<'_>) -> ApiResult<Option<Family>> {
        match self.0.family_id {
            Some(id) => crate::families::load_one(ctx, id).await,
            None => Ok(None),
        }
    }
    /// How the contact took place.
    async fn kind(&self) -> CheckInKind {
        self.0.kind.into()
    }
    /// When.
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    /// 1 (struggling) to 5 (doing great).
    async fn wellbeing(&self) -> Option<i32> {
        self.0.wellbeing
    }
    /// Hours volunteered since the last check-in.
    async fn hours_since_last(&self) -> Option<f64> {
        self.0.hours_since_last
    }
    /// How worried the follow-up worker is.
    async fn concern(&self) -> ConcernLevel {
        self.0.concern.into()
    }
    /// What was said.
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    /// When the next check-in is due (overrides the cadence).
    async fn next_due_on(&self) -> Option<Date> {
        self.0.next_due_on.map(Date)
    }
    /// Who logged it.
    async fn recorded_by(&self) -> &str {
        &self.0.recorded_by
    }
    /// For HIGH concerns: when it was followed up.
    async fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.0.resolved_at
    }
    /// For HIGH concerns: how it was followed up.
    async fn resolution(&self) -> Option<&str> {
        self.0.resolution.as_deref()
    }
}

/// What `logCheckIn` takes.
#[derive(Clone, Debug, InputObject)]
pub struct LogCheckInInput {
    /// The volunteer.
    pub volunteer_id: ID,
    /// The family it was about, if any.
    pub family_id: Option<ID>,
    /// How the contact took place.
    pub kind: CheckInKind,
    /// When (default now; at most a day ahead).
    pub occurred_at: Option<DateTime<Utc>>,
    /// 1 (struggling) to 5 (doing great).
    pub wellbeing: Option<i32>,
    /// Hours volunteered since the last check-in (0 or more).
    pub hours_since_last: Option<f64>,
    /// How worried the follow-up worker is.
    #[graphql(default_with = "Some(ConcernLevel::None)")]
    pub concern: Option<ConcernLevel>,
    /// What was said.
    pub notes: Option<String>,
    /// When the next check-in is due (overrides the cadence).
    pub next_due_on: Option<Date>,
}

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

/// Follow-up facts of a volunteer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FollowUpOf(pub Uuid);

impl Loader<FollowUpOf> for DbLoader {
    type Value = FollowUpFacts;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[FollowUpOf],
    ) -> Result<HashMap<FollowUpOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(follow_up_facts(&self.db, Some(&ids))
            .await?
            .into_iter()
            .map(|(id, facts)| (FollowUpOf(id), facts))
            .collect())
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

/// A check-in's moment and figures: not more than a day ahead, wellbeing 1
/// to 5, hours 0 to 2000, the next check-in not before this one.
fn check_figures(
    input: &LogCheckInInput,
    occurred_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if occurred_at > now + Duration::days(1) {
        return Err(ApiError::bad_input(
            "input.occurredAt",
            tr!("error-check-in-ahead"),
        ));
    }
    if let Some(w) = input.wellbeing
        && !(1..=5).contains(&w)
    {
        return Err(ApiError::bad_input(
            "input.wellbeing",
            tr!("error-wellbeing"),
        ));
    }
    if let Some(h) = input.hours_since_last
        && !(h.is_finite() && (0.0..=2000.0).contains(&h))
    {
        return Err(ApiError::bad_input(
            "input.hoursSinceLast",
            tr!("error-hours", max = 2000),
        ));
    }
    if let Some(due) = input.next_due_on
        && due.0 < occurred_at.date_naive()
    {
        return Err(ApiError::bad_input(
            "input.nextDueOn",
            tr!("error-next-due-before"),
        ));
    }
    Ok(())
}

/// Logs a check-in, in one transaction.
pub async fn log_check_in(
    state: &AppState,
    actor: &Actor,
    input: LogCheckInInput,
) -> ApiResult<check_in::Model> {
    let volunteer_id = expect_id(
        &input.volunteer_id,
        NodeKind::Volunteer,
        "input.volunteerId",
    )?;
    let family_id = input
        .family_id
        .as_ref()
        .map(|id| expect_id(id, NodeKind::Family, "input.familyId"))
        .transpose()?;
    let now = Utc::now();
    let occurred_at = input.occurred_at.unwrap_or(now);
    check_figures(&input, occurred_at, now)?;
    let notes = optional_text(input.notes.as_deref(), "input.notes", 5000)?;
    let concern = input.concern.unwrap_or(ConcernLevel::None);
    let txn = begin_write(&state.db).await?;
    if volunteer::Entity::find_by_id(volunteer_id)
        .one(&txn)
        .await?
        .is_none()
    {
        return Err(ApiError::not_found("Volunteer")).naming("input.volunteerId", "Volunteer");
    }
    if let Some(family_id) = family_id
        && family::Entity::find_by_id(family_id)
            .filter(family::Column::ErasedAt.is_null())
            .one(&txn)
            .await?
            .is_none()
    {
        return Err(ApiError::not_found("Family")).naming("input.familyId", "Family");
    }
    let model = check_in::Model {
        id: Uuid::now_v7(),
        volunteer_id,
        family_id,
        kind: input.kind.into(),
        occurred_at,
        wellbeing: input.wellbeing,
        hours_since_last: input.hours_since_last,
        concern: concern.into(),
        notes,
        next_due_on: input.next_due_on.map(|d| d.0),
        recorded_by: actor.name().to_owned(),
        recorded_by_user_id: actor.user_id(),
        resolved_at: None,
        resolution: None,
        resolved_by: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    check_in::Entity::insert(model.clone().into_active_model())
        .exec_without_returning(&txn)
        .await?;
    let changes = [Change::CheckIn(model.id)];
    if let Some(family_id) = family_id {
        crate::audit::record(
            &txn,
            actor,
            stored::AuditAction::Update,
            family_id,
            "logCheckIn",
        )
        .await?;
    }
    crate::sync::commit(txn, state, &changes).await?;
    Ok(model)
}

/// Follow-up queries.
#[derive(Default, Debug)]
pub struct FollowUpQuery;

#[Object]
impl FollowUpQuery {
    /// ACTIVE volunteers who support a family (ACTIVE or PHASING_OUT) and
    /// whose next check-in is due on or before `asOf` (default today),
    /// soonest due first; absent volunteers are left out.
    async fn check_ins_due(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day to look from (default: today).")] as_of: Option<Date>,
        #[graphql(desc = "Page size (at most 100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Only volunteers after this cursor.")] after: Option<String>,
    ) -> ApiResult<VolunteerConnection> {
        let state = ctx.state()?;
        let page = PageRequest::parse::<VolunteerConnection>(first, after, None, None)?;
        let as_of = as_of.map_or_else(|| state.today(), |d| d.0);
        let due = volunteers_due(state, as_of).await?;
        Ok(slice_ordered(&page, &due, |v| v.id)?.into_connection(|v| v.id, Volunteer::from))
    }

    /// Check-ins with concern HIGH that nobody has followed up yet, oldest first.
    async fn open_concerns(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start (at most 100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Only concerns after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Only concerns before this cursor.")] before: Option<String>,
    ) -> ApiResult<CheckInConnection> {
        let page = PageRequest::parse::<CheckInConnection>(first, after, last, before)?;
        let db = &ctx.state()?.db;
        let open = check_in::Entity::find()
            .filter(check_in::Column::Concern.eq(stored::ConcernLevel::High))
            .filter(check_in::Column::ResolvedAt.is_null())
            .order_by_asc(check_in::Column::OccurredAt)
            .order_by_asc(check_in::Column::Id)
            .all(db)
            .await?;
        Ok(page
            .page_in_order(open, |c| c.id)?
            .into_connection(|c| c.id, CheckIn))
    }
}

/// Follow-up mutations.
#[derive(Default, Debug)]
pub struct FollowUpMutation;

#[Object]
impl FollowUpMutation {
    /// Logs a follow-up contact with a volunteer.
    async fn log_check_in(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The contact.")] input: LogCheckInInput,
    ) -> ApiResult<CheckIn> {
        let viewer = ctx.viewer()?;
        Ok(CheckIn(
            log_check_in(ctx.state()?, &Actor::from(viewer), input).await?,
        ))
    }

    /// Marks a HIGH concern as followed up.
    async fn resolve_concern(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The check-in with the HIGH concern.")] check_in_id: ID,
        #[graphql(desc = "What was done about it.")] note: String,
    ) -> ApiResult<CheckIn> {
        let viewer = ctx.viewer()?;
        let state = ctx.state()?;
        let id = expect_id(&check_in_id, NodeKind::CheckIn, "checkInId")?;
        let note = required_text(&note, "note", 2000)?;
        let txn = begin_write(&state.db).await?;
        let current = check_in::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| ApiError::not_found("CheckIn"))
            .naming("checkInId", "CheckIn")?;
        if current.concern != stored::ConcernLevel::High {
            return Err(ApiError::conflict(tr!("error-concern-not-high")));
        }
        if current.resolved_at.is_some() {
            return Err(ApiError::conflict(tr!("error-concern-done")));
        }
        let now = Utc::now();
        let updated = update_if_version(
            &txn,
            "check-in",
            check_in::ActiveModel {
                id: Set(id),
                resolved_at: Set(Some(now)),
                resolution: Set(Some(note)),
                resolved_by: Set(Some(viewer.name.clone())),
                version: Set(current.version + 1),
                updated_at: Set(now),
                ..Default::default()
            },
            check_in::Column::Version,
            current.version,
        )
        .await?;
        crate::sync::commit(txn, ctx.state()?, &[Change::CheckIn(id)]).await?;
        Ok(CheckIn(updated))
    }
}

/// `Volunteer.checkIns`: a volunteer's check-ins in the order they were logged.
pub async fn check_ins_of(
    ctx: &Context<'_>,
    volunteer_id: Uuid,
    first: Option<i32>,
    after: Option<String>,
) -> ApiResult<CheckInConnection> {
    let page = PageRequest::parse::<CheckInConnection>(first, after, None, None)?.counting(ctx);
    let key = CheckInsOf {
        volunteer_id,
        limit: page.limit,
        after: page.after,
        count: page.count,
    };
    Ok(load(ctx, key)
        .await?
        .unwrap_or_else(|| page.page_of(Vec::new(), 0))
        .into_connection(|c| c.id, CheckIn))
}

/// One page of a volunteer's check-ins (`Volunteer.checkIns(first, after)`).
/// A list of volunteers that asks for the same page of each loads them
/// together: one statement for the pages, one more for `totalCount`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CheckInsOf {
    volunteer_id: Uuid,
    limit: usize,
    after: Option<Uuid>,
    count: bool,
}

impl Loader<CheckInsOf> for DbLoader {
    type Value = Page<check_in::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[CheckInsOf],
    ) -> Result<HashMap<CheckInsOf, Self::Value>, Self::Error> {
        let mut shapes: HashMap<(usize, Option<Uuid>, bool), Vec<Uuid>> = HashMap::new();
        for key in keys {
            shapes
                .entry((key.limit, key.after, key.count))
                .or_default()
                .push(key.volunteer_id);
        }
        let mut out = HashMap::with_capacity(keys.len());
        for ((limit, after, count), ids) in shapes {
            let request = PageRequest {
                limit,
                after,
                before: None,
                from_end: false,
                count,
            };
            let totals = if count {
                check_in_counts(&self.db, &ids).await?
            } else {
                HashMap::new()
            };
            let mut pages = first_check_ins(&self.db, &ids, limit + 1, after).await?;
            for volunteer_id in ids {
                let rows = pages.remove(&volunteer_id).unwrap_or_default();
                let total = totals.get(&volunteer_id).copied().unwrap_or(0);
                let key = CheckInsOf {
                    volunteer_id,
                    limit,
                    after,
                    count,
                };
                out.insert(key, request.page_of(rows, total));
            }
        }
        Ok(out)
    }
}

/// The first `take` check-ins of each volunteer in `ids` (after `after`), in
/// logging order, in one statement: `ROW_NUMBER()` over each volunteer's rows.
async fn first_check_ins(
    db: &sea_orm::DatabaseConnection,
    ids: &[Uuid],
    take: usize,
    after: Option<Uuid>,
) -> Result<HashMap<Uuid, Vec<check_in::Model>>, sea_orm::DbErr> {
    use sea_orm::{
        FromQueryResult, QueryTrait,
        sea_query::{Alias, Asterisk, Expr, ExprTrait, Order, Query, WindowStatement},
    };
    let mut select =
        check_in::Entity::find().filter(check_in::Column::VolunteerId.is_in(ids.iter().copied()));
    if let Some(after) = after {
        select = select.filter(check_in::Column::Id.gt(after));
    }
    let mut numbered = select.into_query();
    numbered.expr_window_as(
        Expr::cust("ROW_NUMBER()"),
        WindowStatement::partition_by(check_in::Column::VolunteerId)
            .order_by(check_in::Column::Id, Order::Asc)
            .to_owned(),
        Alias::new("n"),
    );
    let page = Query::select()
        .column(Asterisk)
        .from_subquery(numbered, Alias::new("numbered"))
        .and_where(Expr::col(Alias::new("n")).lte(take as i64))
        .order_by(check_in::Column::Id, Order::Asc)
        .to_owned();
    let statement = db.get_database_backend().build(&page);
    let mut out: HashMap<Uuid, Vec<check_in::Model>> = HashMap::new();
    for row in check_in::Model::find_by_statement(statement)
        .all(db)
        .await?
    {
        out.entry(row.volunteer_id).or_default().push(row);
    }
    Ok(out)
}

/// How many check-ins each volunteer in `ids` has (`totalCount`).
async fn check_in_counts(
    db: &sea_orm::DatabaseConnection,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, usize>, sea_orm::DbErr> {
    use sea_orm::QuerySelect;
    let counts: Vec<(Uuid, i64)> = check_in::Entity::find()
        .select_only()
        .column(check_in::Column::VolunteerId)
        .column_as(check_in::Column::Id.count(), "n")
        .filter(check_in::Column::VolunteerId.is_in(ids.iter().copied()))
        .group_by(check_in::Column::VolunteerId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(counts.into_iter().map(|(id, n)| (id, n as usize)).collect())
}

/// `Volunteer.lastCheckInAt` and `nextCheckInDue`.
pub async fn follow_up_of(
    ctx: &Context<'_>,
    volunteer_id: Uuid,
) -> ApiResult<(Option<DateTime<Utc>>, Option<NaiveDate>)> {
    let facts = load(ctx, FollowUpOf(volunteer_id))
        .await?
        .unwrap_or_default();
    let cadence = ctx.state()?.settings.check_in_cadence;
    Ok((
        facts.last_check_in.map(|(at, _)| at),
        next_due(&facts, cadence),
    ))
}

/// Loads one check-in, if the viewer may see it.
pub async fn load_check_in(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<CheckIn>> {
    let db = &ctx.state()?.db;
    let Some(row) = check_in::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let check_in = CheckIn(row);
    Ok(crate::auth::sees(ctx, &check_in).await?.then_some(check_in))
}

impl crate::auth::Record for CheckIn {
    const TYPE: &'static str = "CheckIn";

    async fn relation(
        &self,
        _: &str,
        viewing: &crate::auth::Viewing<'_>,
    ) -> crate::core::error::ApiResult<crate::auth::Access> {
        Ok(viewing.volunteer(self.0.volunteer_id))
    }

    async fn family(
        &self,
        _: &async_graphql::Context<'_>,
    ) -> crate::core::error::ApiResult<Option<uuid::Uuid>> {
        Ok(self.0.family_id)
    }
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
