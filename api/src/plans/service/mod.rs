//! Plan services: status, point of contact, goals, involving helpers
//! (`involve`) and moving them through their lifecycle (`lifecycle`). Each
//! takes parsed values (keys, typed statuses, checked text; the terms of a
//! proposal are checked here because the command-line tools propose too),
//! writes in one transaction through steps that return the row and the
//! changes they made, and finishes through `sync::commit`. Each lifecycle
//! move appends its event in the same transaction as the status.

mod involve;
mod lifecycle;

pub use involve::{HelperSpec, Terms, involve, involve_with};
pub use lifecycle::{plan_start, transition};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::{
    family, family_status_change, goal, involvement, involvement_event, plan,
    vocabulary::{self as stored, AuditAction},
};
use sea_orm::{
    ActiveEnum, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::{GoalStatus, InvolvementStatus, PlanStatus};
use crate::{
    auth::Actor,
    core::db::begin_write,
    core::error::{ApiError, ApiResult},
    core::paging::{check_version, update_if_version},
    core::state::AppState,
    core::values::{LifeDomain, required_text},
    engine::{HELPING_STATES, LOAD_STATES},
    families::{FamilyStatus, FamilyStatusCause},
    sync::Change,
};

/// Reads a row for update: on PostgreSQL the row stays locked until commit,
/// so two writers cannot both pass a capacity check; SQLite's IMMEDIATE
/// transaction already serialises writers.
async fn lock<E: EntityTrait>(
    txn: &DatabaseTransaction,
    select: sea_orm::Select<E>,
) -> ApiResult<Option<E::Model>> {
    let select = if txn.get_database_backend() == DbBackend::Postgres {
        select.lock_exclusive()
    } else {
        select
    };
    Ok(select.one(txn).await?)
}

/// A new event row and its key.
fn event_row(
    involvement_id: Uuid,
    plan_id: Uuid,
    from: Option<stored::InvolvementStatus>,
    to: stored::InvolvementStatus,
    at: DateTime<Utc>,
    reason: Option<String>,
    actor: &Actor,
) -> (Uuid, involvement_event::ActiveModel) {
    let id = Uuid::now_v7();
    (
        id,
        involvement_event::ActiveModel {
            id: Set(id),
            involvement_id: Set(involvement_id),
            plan_id: Set(plan_id),
            from_status: Set(from),
            to_status: Set(to),
            at: Set(at),
            reason: Set(reason),
            recorded_by: Set(actor.name().to_owned()),
            recorded_by_user_id: Set(actor.user_id()),
            created_at: Set(Utc::now()),
        },
    )
}

/// A planned start day: today or later, at most a year ahead.
fn check_planned_start(day: NaiveDate, today: NaiveDate, field: &str) -> ApiResult<NaiveDate> {
    if day < today {
        return Err(ApiError::bad_input(
            field,
            crate::core::locale::tr!("error-planned-start-past"),
        ));
    }
    if day > today + Duration::days(366) {
        return Err(ApiError::bad_input(
            field,
            crate::core::locale::tr!("error-planned-start-too-far"),
        ));
    }
    Ok(day)
}

/// The family's status as its plan says it: CLOSED when the plan is
/// closed, SUPPORTED while a helper is ACTIVE or PHASING_OUT, WAITING
/// otherwise. The one place status is decided.
pub fn derived_status(plan_status: stored::PlanStatus, supporting_helpers: u64) -> FamilyStatus {
    if plan_status == stored::PlanStatus::Closed {
        FamilyStatus::Closed
    } else if supporting_helpers > 0 {
        FamilyStatus::Supported
    } else {
        FamilyStatus::Waiting
    }
}

/// Recomputes the family's status from its plan (see [`derived_status`]),
/// in the transaction of the change that may move it, with what follows
/// from it: a wait that ends at `at` (a phase-in) is kept as
/// `last_waited_days` and the first phase-in answers the one-month rule; a
/// wait that starts at `at` (the last helper ended, or the plan reopened)
/// sets `waiting_since`. The first phase-in also turns a DRAFT plan ACTIVE.
/// A change of status goes on the family's status history, caused by the
/// helper's step `step` (its event's key) or, without one, by the plan's
/// change. Returns the family's key.
async fn derive_family_status(
    txn: &DatabaseTransaction,
    plan_id: Uuid,
    at: DateTime<Utc>,
    step: Option<Uuid>,
) -> ApiResult<Uuid> {
    let plan = plan::Entity::find_by_id(plan_id)
        .one(txn)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no plan {plan_id}")))?;
    let family = family::Entity::find_by_id(plan.family_id)
        .one(txn)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no family for plan {plan_id}")))?;
    let supporting = involvement::Entity::find()
        .filter(involvement::Column::PlanId.eq(plan_id))
        .filter(involvement::Column::Status.is_in(HELPING_STATES))
        .count(txn)
        .await?;
    let status = derived_status(plan.status, supporting);
    if let Some(columns) = status_columns(&family, status, at) {
        family::Entity::update(columns).exec(txn).await?;
    }
    if family.status != status.into() {
        let cause = FamilyStatusCause::of(status, step.is_some());
        let row =
            crate::families::change_row(family.id, Some(family.status), status, cause, step, at);
        family_status_change::Entity::insert(row)
            .exec_without_returning(txn)
            .await?;
    }
    if status == FamilyStatus::Supported && plan.status == stored::PlanStatus::Draft {
        plan::Entity::update(plan::ActiveModel {
            id: Set(plan.id),
            status: Set(stored::PlanStatus::Active),
            version: Set(plan.version + 1),
            updated_at: Set(Utc::now()),
            ..Default::default()
        })
        .exec(txn)
        .await?;
    }
    Ok(plan.family_id)
}

/// The family's columns that move when its status becomes `status` at
/// `at` (see [`derive_family_status`]): the status, the wait that starts
/// or ends and the first phase-in; none when nothing moves.
fn status_columns(
    family: &family::Model,
    status: FamilyStatus,
    at: DateTime<Utc>,
) -> Option<family::ActiveModel> {
    let was_waiting = family.status == stored::FamilyStatus::Waiting;
    let mut changes = family::ActiveModel {
        id: Set(family.id),
        status: Set(status.into()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    match status {
        FamilyStatus::Waiting if !was_waiting || family.waiting_since.is_none() => {
            changes.waiting_since = Set(Some(at));
        }
        FamilyStatus::Waiting => {}
        FamilyStatus::Supported | FamilyStatus::Closed => {
            if was_waiting {
                let since = family.waiting_since.unwrap_or(family.referred_at);
                changes.waiting_since = Set(None);
                if status == FamilyStatus::Supported {
                    changes.last_waited_days = Set(Some(crate::engine::days_between(since, at)));
                }
            }
        }
    }
    let answered = status == FamilyStatus::Supported && family.first_phase_in_at.is_none();
    if answered {
        changes.first_phase_in_at = Set(Some(at));
    }
    let moved = family.status != status.into() || answered || changes.waiting_since.is_set();
    moved.then_some(changes)
}

async fn load_plan_for_update(txn: &DatabaseTransaction, plan_id: Uuid) -> ApiResult<plan::Model> {
    let plan = lock(txn, plan::Entity::find_by_id(plan_id))
        .await?
        .ok_or_else(|| ApiError::not_found("Plan"))?;
    let live = family::Entity::find_by_id(plan.family_id)
        .filter(family::Column::ErasedAt.is_null())
        .count(txn)
        .await?;
    if live == 0 {
        return Err(ApiError::not_found("Plan"));
    }
    Ok(plan)
}

/// Writes `columns` to `plan`, one version on, unless someone wrote the
/// plan since it was read (CONFLICT).
async fn update_plan(
    txn: &DatabaseTransaction,
    plan: &plan::Model,
    mut columns: plan::ActiveModel,
) -> ApiResult<plan::Model> {
    columns.id = Set(plan.id);
    columns.version = Set(plan.version + 1);
    columns.updated_at = Set(Utc::now());
    update_if_version(txn, "plan", columns, plan::Column::Version, plan.version).await
}

/// Finishes a write to a family's plan: audits it as an UPDATE of the
/// family by `operation`, then commits it with the family's change.
async fn finish(
    txn: DatabaseTransaction,
    state: &AppState,
    actor: &Actor,
    family_id: Uuid,
    operation: &str,
) -> ApiResult<()> {
    crate::audit::record(&txn, actor, AuditAction::Update, family_id, operation).await?;
    crate::sync::commit(txn, state, &[Change::Family(family_id)]).await
}

/// Changes a plan's status. Closing needs every involvement ENDED or
/// DECLINED and closes the family; reopening puts the family back to
/// WAITING or SUPPORTED.
pub async fn set_plan_status(
    state: &AppState,
    plan_id: Uuid,
    status: PlanStatus,
    expected_version: Option<i32>,
    actor: &Actor,
) -> ApiResult<plan::Model> {
    let txn = begin_write(&state.db).await?;
    let plan = load_plan_for_update(&txn, plan_id).await?;
    check_version("plan", expected_version, plan.version)?;
    if status == PlanStatus::Closed {
        let open = involvement::Entity::find()
            .filter(involvement::Column::PlanId.eq(plan_id))
            .filter(involvement::Column::Status.is_in(LOAD_STATES))
            .all(&txn)
            .await?;
        if !open.is_empty() {
            let names: Vec<String> = open
                .iter()
                .map(|i| {
                    format!(
                        "{} ({}, {})",
                        i.helper_name
                            .as_deref()
                            .unwrap_or(&i.helper_kind.to_value().to_lowercase()),
                        i.role,
                        InvolvementStatus::from(i.status)
                    )
                })
                .collect();
            return Err(ApiError::Conflict {
                message: crate::core::locale::tr!(
                    "error-plan-helpers-open",
                    helpers = names.join(", ")
                ),
                allowed: Vec::new(),
                failed_rules: Vec::new(),
            });
        }
    }
    let updated = update_plan(
        &txn,
        &plan,
        plan::ActiveModel {
            status: Set(status.into()),
            ..Default::default()
        },
    )
    .await?;
    derive_family_status(&txn, plan_id, Utc::now(), None).await?;
    finish(txn, state, actor, plan.family_id, "setPlanStatus").await?;
    Ok(updated)
}

/// Adds a goal to a plan.
pub async fn add_goal(
    state: &AppState,
    plan_id: Uuid,
    description: &str,
    life_domain: LifeDomain,
    target_date: Option<NaiveDate>,
    actor: &Actor,
) -> ApiResult<goal::Model> {
    let description = required_text(description, "description", 1000)?;
    let txn = begin_write(&state.db).await?;
    let plan = load_plan_for_update(&txn, plan_id).await?;
    let now = Utc::now();
    let model = goal::Model {
        id: Uuid::now_v7(),
        plan_id,
        description,
        life_domain: life_domain.into(),
        status: stored::GoalStatus::Open,
        target_date,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    goal::Entity::insert(model.clone().into_active_model())
        .exec_without_returning(&txn)
        .await?;
    plan::Entity::update(plan::ActiveModel {
        id: Set(plan_id),
        version: Set(plan.version + 1),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    finish(txn, state, actor, plan.family_id, "addGoal").await?;
    Ok(model)
}

/// Names the family's one point of contact (a checked text) on its plan.
pub async fn set_point_of_contact(
    state: &AppState,
    actor: &Actor,
    plan_id: Uuid,
    contact: String,
) -> ApiResult<plan::Model> {
    let txn = begin_write(&state.db).await?;
    let plan = load_plan_for_update(&txn, plan_id).await?;
    let updated = update_plan(
        &txn,
        &plan,
        plan::ActiveModel {
            point_of_contact: Set(Some(contact)),
            ..Default::default()
        },
    )
    .await?;
    finish(txn, state, actor, plan.family_id, "setPointOfContact").await?;
    Ok(updated)
}

/// Changes a goal's status.
pub async fn set_goal_status(
    state: &AppState,
    actor: &Actor,
    goal_id: Uuid,
    status: GoalStatus,
) -> ApiResult<goal::Model> {
    let txn = begin_write(&state.db).await?;
    let current = goal::Entity::find_by_id(goal_id)
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::not_found("Goal"))?;
    let plan = load_plan_for_update(&txn, current.plan_id).await?;
    let updated = update_if_version(
        &txn,
        "goal",
        goal::ActiveModel {
            id: Set(goal_id),
            status: Set(status.into()),
            version: Set(current.version + 1),
            updated_at: Set(Utc::now()),
            ..Default::default()
        },
        goal::Column::Version,
        current.version,
    )
    .await?;
    finish(txn, state, actor, plan.family_id, "setGoalStatus").await?;
    Ok(updated)
}
