//! One family, one plan: the plan, its goals, and the helpers involved in it
//! with their phase-in/phase-out history (the helpers' types in
//! `involvements`, the writes in `service`, the thin resolvers that call them
//! in `mutations`).

mod involvements;
mod loaders;
mod mutations;
mod service;

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use entity::{goal, involvement_event, plan, vocabulary::HelperKind};

pub use crate::engine::InvolvementStatus;
pub use involvements::{
    Helper, Involvement, InvolvementConnection, InvolvementEvent, InvolvementEventConnection,
    NetworkMember, Professional,
};
pub use loaders::{
    EventsByInvolvement, EventsByPlan, GoalsByPlan, InvolvementById, InvolvementsByPlan,
    InvolvementsByVolunteer, PlanByFamily, PlanById,
};
pub use mutations::PlansMutation;
pub use service::{HelperSpec, Terms, add_goal, involve, involve_with, transition};

use crate::core::relay::NodeKind;
use crate::{
    core::error::{ApiError, ApiResult},
    core::loaders::load,
    core::relay::{PageRequest, global_id},
    core::values::LifeDomain,
    families::Family,
};

/// Where a plan stands.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::vocabulary::PlanStatus")]
pub enum PlanStatus {
    /// Being drawn up with the family.
    Draft,
    /// Running.
    Active,
    /// The family is in acute crisis.
    Crisis,
    /// Help is winding down; follow-up only.
    FollowUp,
    /// Closed: every helper ended or declined.
    Closed,
}

/// Where a goal stands.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::vocabulary::GoalStatus")]
pub enum GoalStatus {
    /// Not started yet.
    Open,
    /// Being worked on.
    InProgress,
    /// Reached.
    Reached,
    /// No longer pursued.
    Dropped,
}

/// A goal in a plan.
#[derive(Clone, Debug)]
pub struct Goal(pub goal::Model);

/// A goal in a plan, in the family's own words.
#[Object(guard = "crate::auth::Scoped(self)")]
impl Goal {
    /// Global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Goal, self.0.id)
    }
    /// In the family's own words.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The domain of life it is about.
    async fn life_domain(&self) -> LifeDomain {
        self.0.life_domain.into()
    }
    /// Where it stands.
    async fn status(&self) -> GoalStatus {
        self.0.status.into()
    }
    /// When the family hopes to reach it.
    async fn target_date(&self) -> Option<crate::core::values::Date> {
        self.0.target_date.map(crate::core::values::Date)
    }
}

/// The one shared plan of a family.
#[derive(Clone, Debug)]
pub struct Plan(pub plan::Model);

/// The one shared plan of a family: its goals and its helpers.
#[Object(guard = "crate::auth::Scoped(self)")]
impl Plan {
    /// Global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Plan, self.0.id)
    }
    /// The family.
    async fn family(&self, ctx: &Context<'_>) -> ApiResult<Family> {
        crate::families::load_one(ctx, self.0.family_id)
            .await?
            .ok_or_else(|| ApiError::not_found("Family"))
    }
    /// Where the plan stands.
    async fn status(&self) -> PlanStatus {
        self.0.status.into()
    }
    /// The one point of contact (aanspreekpunt) for the family.
    async fn point_of_contact(&self) -> Option<&str> {
        self.0.point_of_contact.as_deref()
    }
    /// Goals, oldest first.
    async fn goals(&self, ctx: &Context<'_>) -> ApiResult<Vec<Goal>> {
        let goals = match crate::families::Prefetched::of(ctx).and_then(|p| p.goals(self.0.id)) {
            Some(goals) => goals,
            None => load(ctx, GoalsByPlan(self.0.id)).await?.unwrap_or_default(),
        };
        Ok(goals.into_iter().map(Goal).collect())
    }
    /// Helpers in the plan, optionally only those in the given states.
    async fn involvements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only helpers in one of these states.")] status: Option<
            Vec<InvolvementStatus>,
        >,
    ) -> ApiResult<Vec<Involvement>> {
        let all = match crate::families::Prefetched::of(ctx).and_then(|p| p.helpers(self.0.id)) {
            Some(all) => all,
            None => load(ctx, InvolvementsByPlan(self.0.id))
                .await?
                .unwrap_or_default(),
        };
        let mut out = Vec::with_capacity(all.len());
        for model in all {
            let s = InvolvementStatus::from(model.status);
            let involvement = Involvement(model);
            if status.as_ref().is_none_or(|wanted| wanted.contains(&s))
                && crate::auth::sees(ctx, &involvement).await?
            {
                out.push(involvement);
            }
        }
        Ok(out)
    }
    /// Every phase-in/phase-out step of every helper, oldest first.
    async fn timeline(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start (at most 100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Only steps after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Only steps before this cursor.")] before: Option<String>,
    ) -> ApiResult<InvolvementEventConnection> {
        let page = PageRequest::parse::<InvolvementEventConnection>(first, after, last, before)?;
        let helpers: std::collections::HashMap<uuid::Uuid, Option<uuid::Uuid>> =
            load(ctx, InvolvementsByPlan(self.0.id))
                .await?
                .unwrap_or_default()
                .into_iter()
                .map(|i| (i.id, i.volunteer_id))
                .collect();
        let steps: Vec<InvolvementEvent> = load(ctx, EventsByPlan(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|row| InvolvementEvent {
                volunteer: helpers.get(&row.involvement_id).copied().flatten(),
                row,
            })
            .collect();
        Ok(page
            .page_in_order(steps, |e| e.row.id)?
            .into_connection(|e| e.row.id, |e| e))
    }
    /// Version for optimistic concurrency (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the plan last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// Loads one goal of a plan of a family that is not erased, if the viewer
/// may see it.
pub async fn load_goal(ctx: &Context<'_>, id: uuid::Uuid) -> ApiResult<Option<Goal>> {
    use sea_orm::EntityTrait;
    let db = &crate::core::state::ContextExt::state(ctx)?.db;
    let Some(goal) = goal::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    if live_plan(ctx, goal.plan_id).await?.is_none() {
        return Ok(None);
    }
    let goal = Goal(goal);
    Ok(crate::auth::sees(ctx, &goal).await?.then_some(goal))
}

/// A plan whose family is not erased.
async fn live_plan(ctx: &Context<'_>, id: uuid::Uuid) -> ApiResult<Option<Plan>> {
    let Some(plan) = load(ctx, PlanById(id)).await? else {
        return Ok(None);
    };
    let live = crate::families::find(ctx, plan.family_id).await?.is_some();
    Ok(live.then_some(Plan(plan)))
}

/// Loads one plan of a family that is not erased, if the viewer may see it.
pub async fn load_plan(ctx: &Context<'_>, id: uuid::Uuid) -> ApiResult<Option<Plan>> {
    match live_plan(ctx, id).await? {
        Some(plan) if crate::auth::sees(ctx, &plan).await? => Ok(Some(plan)),
        _ => Ok(None),
    }
}

/// Loads one involvement, if the viewer may see it.
pub async fn load_involvement(ctx: &Context<'_>, id: uuid::Uuid) -> ApiResult<Option<Involvement>> {
    let Some(model) = load(ctx, InvolvementById(id)).await? else {
        return Ok(None);
    };
    let involvement = Involvement(model);
    Ok(crate::auth::sees(ctx, &involvement)
        .await?
        .then_some(involvement))
}

/// Loads one phase-in/phase-out step of a family that is not erased, if the
/// viewer may see it.
pub async fn load_event(ctx: &Context<'_>, id: uuid::Uuid) -> ApiResult<Option<InvolvementEvent>> {
    use sea_orm::EntityTrait;
    let db = &crate::core::state::ContextExt::state(ctx)?.db;
    let Some(row) = involvement_event::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let Some(involvement) = load(ctx, InvolvementById(row.involvement_id)).await? else {
        return Ok(None);
    };
    if live_plan(ctx, involvement.plan_id).await?.is_none() {
        return Ok(None);
    }
    let event = InvolvementEvent {
        row,
        volunteer: involvement.volunteer_id,
    };
    Ok(crate::auth::sees(ctx, &event).await?.then_some(event))
}

/// Loads the network member (`kind` "NetworkMember") or professional
/// ("Professional") recorded with involvement `id`, if the viewer's role
/// reads them and the viewer sees the involvement.
pub async fn load_named_helper(
    ctx: &Context<'_>,
    kind: &str,
    id: uuid::Uuid,
) -> ApiResult<Option<Helper>> {
    let stored = match kind {
        "NetworkMember" => HelperKind::NetworkMember,
        "Professional" => HelperKind::Professional,
        _ => return Ok(None),
    };
    if !crate::auth::sees_all(ctx, kind)? {
        return Ok(None);
    }
    let Some(involvement) = load_involvement(ctx, id).await? else {
        return Ok(None);
    };
    if involvement.0.helper_kind != stored || live_plan(ctx, involvement.0.plan_id).await?.is_none()
    {
        return Ok(None);
    }
    Ok(Some(involvement.named_helper()))
}

/// The key of a family's plan.
pub async fn plan_id_of_family(
    state: &crate::core::state::AppState,
    family_id: uuid::Uuid,
) -> ApiResult<uuid::Uuid> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    plan::Entity::find()
        .filter(plan::Column::FamilyId.eq(family_id))
        .one(&state.db)
        .await?
        .map(|p| p.id)
        .ok_or_else(|| ApiError::not_found("Plan"))
}

impl crate::auth::Record for Plan {
    const TYPE: &'static str = "Plan";

    async fn relation(
        &self,
        _: &str,
        viewing: &crate::auth::Viewing<'_>,
    ) -> crate::core::error::ApiResult<crate::auth::Access> {
        viewing.family(self.0.family_id).await
    }

    async fn family(
        &self,
        _: &async_graphql::Context<'_>,
    ) -> crate::core::error::ApiResult<Option<uuid::Uuid>> {
        Ok(Some(self.0.family_id))
    }
}

impl crate::auth::Record for Goal {
    const TYPE: &'static str = "Goal";

    async fn relation(
        &self,
        _: &str,
        viewing: &crate::auth::Viewing<'_>,
    ) -> crate::core::error::ApiResult<crate::auth::Access> {
        viewing.plan(self.0.plan_id).await
    }

    async fn family(
        &self,
        ctx: &async_graphql::Context<'_>,
    ) -> crate::core::error::ApiResult<Option<uuid::Uuid>> {
        crate::families::family_of_plan(ctx, self.0.plan_id).await
    }
}
