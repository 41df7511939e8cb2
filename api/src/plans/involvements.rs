//! A plan's helpers: who they are (a volunteer, a service, someone from the
//! family's network, a professional), their involvement in the plan and the
//! events of its lifecycle, each with its line in the access policy.

use async_graphql::{Context, ID, Object, SimpleObject, Union};
use chrono::{DateTime, Utc};
use entity::{involvement, involvement_event, vocabulary::HelperKind};

use super::{EventsByInvolvement, InvolvementStatus, Plan, PlanById, load_involvement};
use crate::core::relay::NodeKind;
use crate::{
    core::error::{ApiError, ApiResult},
    core::loaders::load,
    core::relay::global_id,
    services::FamilyCareService,
    volunteers::Volunteer,
};

/// A person from the family's own network (grandmother, neighbour, coach).
#[derive(Clone, Debug, SimpleObject)]
pub struct NetworkMember {
    /// Global ID (one per plan they help in: a network member is recorded
    /// with their involvement).
    #[graphql(owned)]
    pub id: ID,
    /// Name.
    pub name: String,
    /// Relation to the family.
    pub relation: String,
}

/// A professional from a partner organisation.
#[derive(Clone, Debug, SimpleObject)]
pub struct Professional {
    /// Global ID (one per plan they help in: a professional is recorded with
    /// their involvement).
    #[graphql(owned)]
    pub id: ID,
    /// Name.
    pub name: String,
    /// Their organisation.
    pub organization: String,
}

/// Someone who helps in a plan.
#[derive(Clone, Debug, Union)]
pub enum Helper {
    Volunteer(Volunteer),
    FamilyCareService(FamilyCareService),
    NetworkMember(NetworkMember),
    Professional(Professional),
}

/// A helper's part in a plan, with its whole phase-in/phase-out history.
#[derive(Clone, Debug)]
pub struct Involvement(pub involvement::Model);

crate::connection!(InvolvementConnection, InvolvementEdge, Involvement);
crate::connection!(
    InvolvementEventConnection,
    InvolvementEventEdge,
    InvolvementEvent
);

/// A helper's part in a plan, with its whole phase-in/phase-out history.
#[Object(guard = "crate::auth::Scoped(self)")]
impl Involvement {
    /// Global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Involvement, self.0.id)
    }
    /// The plan. Null (with a FORBIDDEN error) for a volunteer whose part in
    /// the plan is not ACTIVE or PHASING_OUT.
    async fn plan(&self, ctx: &Context<'_>) -> ApiResult<Option<Plan>> {
        load(ctx, PlanById(self.0.plan_id))
            .await?
            .map(|plan| Some(Plan(plan)))
            .ok_or_else(|| ApiError::not_found("Plan"))
    }
    /// Who helps.
    async fn helper(&self, ctx: &Context<'_>) -> ApiResult<Helper> {
        let missing =
            || ApiError::internal(anyhow::anyhow!("involvement {} has no helper", self.0.id));
        match self.0.helper_kind {
            HelperKind::Volunteer => {
                let id = self.0.volunteer_id.ok_or_else(missing)?;
                crate::volunteers::load_one(ctx, id)
                    .await?
                    .map(Helper::Volunteer)
                    .ok_or_else(missing)
            }
            HelperKind::Service => {
                let id = self.0.service_id.ok_or_else(missing)?;
                crate::services::load_one(ctx, id)
                    .await?
                    .map(Helper::FamilyCareService)
                    .ok_or_else(missing)
            }
            _ => Ok(self.named_helper()),
        }
    }
    /// The helper's part, e.g. buddy, household help, homework support, point of contact.
    async fn role(&self) -> &str {
        &self.0.role
    }
    /// Where it stands.
    async fn status(&self) -> InvolvementStatus {
        self.0.status.into()
    }
    /// The day the helper is planned to start (may lie ahead); shown on the
    /// plan.
    async fn planned_start_on(&self) -> Option<crate::core::values::Date> {
        self.0.planned_start_on.map(crate::core::values::Date)
    }
    /// When the helper started.
    async fn phased_in_at(&self) -> Option<DateTime<Utc>> {
        self.0.phased_in_at
    }
    /// When the helper stopped.
    async fn phased_out_at(&self) -> Option<DateTime<Utc>> {
        self.0.phased_out_at
    }
    /// For volunteers: the match score when proposed, kept for the record.
    async fn match_score(&self) -> Option<f64> {
        self.0.match_score
    }
    /// Every step, oldest first.
    async fn events(&self, ctx: &Context<'_>) -> ApiResult<Vec<InvolvementEvent>> {
        Ok(load(ctx, EventsByInvolvement(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|row| InvolvementEvent {
                row,
                volunteer: self.0.volunteer_id,
            })
            .collect())
    }
    /// Version for optimistic concurrency (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
}

impl Involvement {
    /// The network member or professional recorded with this involvement.
    pub fn named_helper(&self) -> Helper {
        let name = self.0.helper_name.clone().unwrap_or_default();
        let detail = self.0.helper_detail.clone().unwrap_or_default();
        if self.0.helper_kind == HelperKind::NetworkMember {
            Helper::NetworkMember(NetworkMember {
                id: global_id("NetworkMember", self.0.id),
                name,
                relation: detail,
            })
        } else {
            Helper::Professional(Professional {
                id: global_id("Professional", self.0.id),
                name,
                organization: detail,
            })
        }
    }
}

/// One recorded step of a helper being phased in or out. Append-only.
#[derive(Clone, Debug)]
pub struct InvolvementEvent {
    /// The stored step.
    pub row: involvement_event::Model,
    /// The volunteer whose involvement it is, if the helper is one.
    pub volunteer: Option<uuid::Uuid>,
}

/// One recorded step of a helper being phased in or out. Append-only.
#[Object(guard = "crate::auth::Scoped(self)")]
impl InvolvementEvent {
    /// Global ID.
    pub async fn id(&self) -> ID {
        global_id("InvolvementEvent", self.row.id)
    }
    /// When it happened.
    async fn at(&self) -> DateTime<Utc> {
        self.row.at
    }
    /// The state before (none for the proposal).
    async fn from(&self) -> Option<InvolvementStatus> {
        self.row.from_status.map(InvolvementStatus::from)
    }
    /// The state after.
    async fn to(&self) -> InvolvementStatus {
        self.row.to_status.into()
    }
    /// Why (required for phase-out, end and decline).
    async fn reason(&self) -> Option<&str> {
        self.row.reason.as_deref()
    }
    /// Who recorded it.
    async fn recorded_by(&self) -> &str {
        &self.row.recorded_by
    }
    /// The involvement it belongs to.
    async fn involvement(&self, ctx: &Context<'_>) -> ApiResult<Involvement> {
        load_involvement(ctx, self.row.involvement_id)
            .await?
            .ok_or_else(|| ApiError::not_found("Involvement"))
    }
}

impl crate::auth::Record for Involvement {
    const TYPE: &'static str = "Involvement";

    async fn relation(
        &self,
        _: &str,
        viewing: &crate::auth::Viewing<'_>,
    ) -> crate::core::error::ApiResult<crate::auth::Access> {
        viewing
            .involvement(self.0.id, self.0.plan_id, self.0.volunteer_id)
            .await
    }

    async fn family(
        &self,
        ctx: &async_graphql::Context<'_>,
    ) -> crate::core::error::ApiResult<Option<uuid::Uuid>> {
        crate::families::family_of_plan(ctx, self.0.plan_id).await
    }
}

impl crate::auth::Record for InvolvementEvent {
    const TYPE: &'static str = "InvolvementEvent";

    async fn relation(
        &self,
        _: &str,
        viewing: &crate::auth::Viewing<'_>,
    ) -> crate::core::error::ApiResult<crate::auth::Access> {
        viewing
            .involvement(self.row.involvement_id, self.row.plan_id, self.volunteer)
            .await
    }

    async fn family(
        &self,
        ctx: &async_graphql::Context<'_>,
    ) -> crate::core::error::ApiResult<Option<uuid::Uuid>> {
        crate::families::family_of_plan(ctx, self.row.plan_id).await
    }
}
