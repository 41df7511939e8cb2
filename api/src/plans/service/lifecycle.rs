//! An involvement's lifecycle: a step from one status to the next, with
//! its event and the family's status that follows, and the planned start
//! day of a proposal.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::{
    involvement, involvement_event, plan,
    vocabulary::{self as stored, AuditAction},
};
use matching::Move;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::{check_planned_start, derive_family_status, event_row, lock};
use crate::plans::InvolvementStatus;
use crate::{
    auth::Actor,
    core::db::begin_write,
    core::error::{ApiError, ApiResult},
    core::paging::{check_version, update_if_version},
    core::state::AppState,
    core::values::optional_text,
    sync::Change,
};

/// When a step happened: `at` (default now), at most a day ahead.
fn check_step_moment(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> ApiResult<DateTime<Utc>> {
    let at = at.unwrap_or(now);
    if at > now + Duration::days(1) {
        return Err(ApiError::bad_input(
            "input.at",
            crate::core::locale::tr!("error-step-ahead"),
        ));
    }
    Ok(at)
}

/// Where `mv` takes an involvement in status `from`: CONFLICT (with the
/// moves allowed) when the lifecycle forbids it, BAD_USER_INPUT when it
/// needs a reason and has none.
fn next_status(
    from: InvolvementStatus,
    mv: Move,
    reason: Option<&str>,
) -> ApiResult<InvolvementStatus> {
    let step = matching::apply(from.into(), mv, reason).map_err(|e| match e {
        matching::TransitionError::NotAllowed { ref allowed, .. } => ApiError::Conflict {
            message: crate::engine::transition_message(&e),
            allowed: allowed.iter().map(|s| s.as_str().to_owned()).collect(),
            failed_rules: Vec::new(),
        },
        matching::TransitionError::ReasonRequired { .. } => {
            ApiError::bad_input("input.reason", crate::engine::transition_message(&e))
        }
    })?;
    Ok(step.to.into())
}

/// A step is recorded in order: not before the involvement's last event.
async fn check_after_last_event(
    txn: &DatabaseTransaction,
    involvement_id: Uuid,
    at: DateTime<Utc>,
) -> ApiResult<()> {
    let last_at = involvement_event::Entity::find()
        .filter(involvement_event::Column::InvolvementId.eq(involvement_id))
        .order_by_desc(involvement_event::Column::At)
        .one(txn)
        .await?
        .map(|e| e.at);
    if last_at.is_some_and(|last| at < last) {
        return Err(ApiError::bad_input(
            "input.at",
            crate::core::locale::tr!("error-step-before-previous"),
        ));
    }
    Ok(())
}

/// Writes an involvement's step to `to` at `at` (status, phase-in or
/// phase-out moment, version), its event, the family's status that follows
/// and the audit entry; returns the row and the changes to commit.
async fn write_step(
    txn: &DatabaseTransaction,
    actor: &Actor,
    current: &involvement::Model,
    to: InvolvementStatus,
    at: DateTime<Utc>,
    reason: Option<String>,
) -> ApiResult<(involvement::Model, Vec<Change>)> {
    let mut columns = involvement::ActiveModel {
        id: Set(current.id),
        status: Set(to.into()),
        version: Set(current.version + 1),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    match to {
        InvolvementStatus::Active => columns.phased_in_at = Set(Some(at)),
        InvolvementStatus::Ended | InvolvementStatus::Declined => {
            columns.phased_out_at = Set(Some(at))
        }
        _ => {}
    }
    let updated = update_if_version(
        txn,
        "involvement",
        columns,
        involvement::Column::Version,
        current.version,
    )
    .await?;
    let (event_id, event) = event_row(
        current.id,
        current.plan_id,
        Some(current.status),
        to.into(),
        at,
        reason,
        actor,
    );
    involvement_event::Entity::insert(event)
        .exec_without_returning(txn)
        .await?;
    let family_id = derive_family_status(txn, current.plan_id, at, Some(event_id)).await?;
    crate::audit::record(
        txn,
        actor,
        AuditAction::Update,
        family_id,
        "involvement step",
    )
    .await?;
    let mut changes = vec![Change::Event(event_id), Change::Family(family_id)];
    if let Some(volunteer_id) = current.volunteer_id {
        changes.push(Change::Volunteer(volunteer_id));
    }
    Ok((updated, changes))
}

/// Moves an involvement one step along its lifecycle, with its event, and
/// keeps the family's status, waiting time and the plan's status in step.
pub async fn transition(
    state: &AppState,
    actor: &Actor,
    involvement_id: Uuid,
    mv: Move,
    reason: Option<&str>,
    expected_version: Option<i32>,
    at: Option<DateTime<Utc>>,
) -> ApiResult<involvement::Model> {
    let at = check_step_moment(at, Utc::now())?;
    let reason = optional_text(reason, "input.reason", 2000)?;
    let txn = begin_write(&state.db).await?;
    let current = lock(&txn, involvement::Entity::find_by_id(involvement_id))
        .await?
        .ok_or_else(|| ApiError::not_found("Involvement"))?;
    check_version("involvement", expected_version, current.version)?;
    let from = InvolvementStatus::from(current.status);
    let to = next_status(from, mv, reason.as_deref())?;
    check_after_last_event(&txn, involvement_id, at).await?;
    let (updated, changes) = write_step(&txn, actor, &current, to, at, reason).await?;
    crate::sync::commit(txn, state, &changes).await?;
    Ok(updated)
}

/// Sets (or clears) the planned start day of a PROPOSED involvement.
pub async fn plan_start(
    state: &AppState,
    actor: &Actor,
    involvement_id: Uuid,
    day: Option<NaiveDate>,
    expected_version: Option<i32>,
) -> ApiResult<involvement::Model> {
    let day = day
        .map(|d| check_planned_start(d, state.today(), "plannedStartOn"))
        .transpose()?;
    let txn = begin_write(&state.db).await?;
    let current = lock(&txn, involvement::Entity::find_by_id(involvement_id))
        .await?
        .ok_or_else(|| ApiError::not_found("Involvement"))?;
    check_version("involvement", expected_version, current.version)?;
    if current.status != stored::InvolvementStatus::Proposed {
        return Err(ApiError::conflict(crate::core::locale::tr!(
            "error-start-only-proposed",
            status = InvolvementStatus::from(current.status).to_string(),
        )));
    }
    let updated = update_if_version(
        &txn,
        "involvement",
        involvement::ActiveModel {
            id: Set(involvement_id),
            planned_start_on: Set(day),
            version: Set(current.version + 1),
            updated_at: Set(Utc::now()),
            ..Default::default()
        },
        involvement::Column::Version,
        current.version,
    )
    .await?;
    let plan = plan::Entity::find_by_id(current.plan_id)
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no plan {}", current.plan_id)))?;
    crate::audit::record(
        &txn,
        actor,
        AuditAction::Update,
        plan.family_id,
        "planPhaseIn",
    )
    .await?;
    let mut notices = vec![Change::Family(plan.family_id)];
    if let Some(volunteer_id) = current.volunteer_id {
        notices.push(Change::Volunteer(volunteer_id));
    }
    crate::sync::commit(txn, state, &notices).await?;
    Ok(updated)
}
