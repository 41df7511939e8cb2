//! Follow-up of volunteers by training-and-follow-up staff: check-ins, their
//! cadence (`nextCheckInDue`, `checkInsDue`) and concerns (`openConcerns`,
//! `resolveConcern`).

mod cadence;
mod loaders;
mod service;

pub use cadence::{follow_up_facts, next_due, volunteers_due};
pub use loaders::{CheckInsOf, FollowUpOf};
pub use service::log_check_in;

use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{check_in, vocabulary as stored};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::auth::ViewerExt;
use crate::core::relay::NodeKind;
use crate::{
    auth::Actor,
    core::db::begin_write,
    core::error::{ApiError, ApiResult, ResultExt},
    core::loaders::load,
    core::locale::tr,
    core::paging::update_if_version,
    core::relay::{PageRequest, expect_id, global_id, slice_ordered},
    core::state::ContextExt,
    core::values::{Date, required_text},
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
