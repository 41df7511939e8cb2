//! A family's status history (`Family.statusHistory`): one
//! [`FamilyStatusChange`] per change of its derived status, from its
//! referral on. The plans service appends a change in the transaction of the
//! helper step or plan change that caused it ([`change_row`]); a write that
//! leaves the status as it was appends nothing. The plan's `timeline` holds
//! the helpers' steps; this holds what they did to the family's status.

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use entity::family_status_change;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{Family, FamilyStatus};
use crate::{
    core::error::{ApiError, ApiResult},
    core::paging::keyset_page,
    core::relay::{NodeKind, PageRequest, global_id},
    core::state::ContextExt,
    plans::InvolvementEvent,
};

/// What changed a family's status.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::vocabulary::FamilyStatusCause")]
pub enum FamilyStatusCause {
    /// The family was referred: its first status, WAITING.
    Referred,
    /// A helper was phased in while no other helper was ACTIVE or
    /// PHASING_OUT: the family is SUPPORTED.
    HelperPhasedIn,
    /// The family's last ACTIVE or PHASING_OUT helper ended: it waits again.
    HelperEnded,
    /// The plan was closed: the family is CLOSED.
    PlanClosed,
    /// The closed plan was reopened: the family waits, or is supported.
    PlanReopened,
}

impl FamilyStatusCause {
    /// The cause of a change to `to` made by a helper's step (`step`) or
    /// else by a change of the plan's status.
    pub fn of(to: FamilyStatus, step: bool) -> FamilyStatusCause {
        match (step, to) {
            (true, FamilyStatus::Supported) => FamilyStatusCause::HelperPhasedIn,
            (true, _) => FamilyStatusCause::HelperEnded,
            (false, FamilyStatus::Closed) => FamilyStatusCause::PlanClosed,
            (false, _) => FamilyStatusCause::PlanReopened,
        }
    }
}

/// The row of one change of family `family_id`'s status, for the caller to
/// insert in the transaction that changes it.
pub fn change_row(
    family_id: Uuid,
    from: Option<entity::vocabulary::FamilyStatus>,
    to: FamilyStatus,
    cause: FamilyStatusCause,
    step: Option<Uuid>,
    at: DateTime<Utc>,
) -> family_status_change::ActiveModel {
    family_status_change::ActiveModel {
        id: Set(Uuid::now_v7()),
        family_id: Set(family_id),
        from_status: Set(from),
        to_status: Set(to.into()),
        cause: Set(cause.into()),
        involvement_event_id: Set(step),
        at: Set(at),
        created_at: Set(Utc::now()),
    }
}

/// One change of a family's status. Append-only.
#[derive(Clone, Debug)]
pub struct FamilyStatusChange(pub family_status_change::Model);

crate::connection!(
    FamilyStatusChangeConnection,
    FamilyStatusChangeEdge,
    FamilyStatusChange
);

/// One change of a family's status (WAITING, SUPPORTED, CLOSED), and what
/// caused it. Append-only; read as the family's status is.
#[Object(guard = "crate::auth::Scoped(self)")]
impl FamilyStatusChange {
    /// Global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::FamilyStatusChange, self.0.id)
    }
    /// When the status changed: the referral, the helper's step (its `at`)
    /// or the plan's change.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// The status before; null for the referral.
    async fn from(&self) -> Option<FamilyStatus> {
        self.0.from_status.map(FamilyStatus::from)
    }
    /// The status after.
    async fn to(&self) -> FamilyStatus {
        self.0.to_status.into()
    }
    /// What changed it.
    async fn cause(&self) -> FamilyStatusCause {
        self.0.cause.into()
    }
    /// For HELPER_PHASED_IN and HELPER_ENDED: the helper's step that changed
    /// it (also on the plan's `timeline`); null otherwise.
    async fn step(&self, ctx: &Context<'_>) -> ApiResult<Option<InvolvementEvent>> {
        match self.0.involvement_event_id {
            Some(id) => crate::plans::load_event(ctx, id).await,
            None => Ok(None),
        }
    }
    /// The family.
    async fn family(&self, ctx: &Context<'_>) -> ApiResult<Family> {
        super::load_one(ctx, self.0.family_id)
            .await?
            .ok_or_else(|| ApiError::not_found("Family"))
    }
}

/// Read as the family is: what the viewer is to the family decides.
impl crate::auth::Record for FamilyStatusChange {
    const TYPE: &'static str = "FamilyStatusChange";

    async fn relation(
        &self,
        _: &str,
        viewing: &crate::auth::Viewing<'_>,
    ) -> ApiResult<crate::auth::Access> {
        viewing.family(self.0.family_id).await
    }

    async fn family(&self, _: &Context<'_>) -> ApiResult<Option<Uuid>> {
        Ok(Some(self.0.family_id))
    }
}

/// One page of family `family_id`'s status changes, oldest first.
pub async fn status_history(
    ctx: &Context<'_>,
    family_id: Uuid,
    page: PageRequest,
) -> ApiResult<FamilyStatusChangeConnection> {
    let select = family_status_change::Entity::find()
        .filter(family_status_change::Column::FamilyId.eq(family_id));
    let page = keyset_page(
        &ctx.state()?.db,
        select,
        family_status_change::Column::Id,
        &page.counting(ctx),
    )
    .await?;
    Ok(page.into_connection(|c| c.id, FamilyStatusChange))
}

/// Loads one status change of a family that is not erased, if the viewer
/// may see it (`node(id:)`).
pub async fn load_status_change(
    ctx: &Context<'_>,
    id: Uuid,
) -> ApiResult<Option<FamilyStatusChange>> {
    let db = &ctx.state()?.db;
    let Some(row) = family_status_change::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    if super::load_one(ctx, row.family_id).await?.is_none() {
        return Ok(None);
    }
    let change = FamilyStatusChange(row);
    Ok(crate::auth::sees(ctx, &change).await?.then_some(change))
}
