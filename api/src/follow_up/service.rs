//! Logging a check-in: its moment and figures checked, the volunteer and
//! the family it names found, the row written with its audit entry in one
//! transaction, finished through `sync::commit`.

use chrono::{DateTime, Duration, Utc};
use entity::{check_in, family, vocabulary as stored, volunteer};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
use uuid::Uuid;

use super::{ConcernLevel, LogCheckInInput};
use crate::core::relay::NodeKind;
use crate::{
    auth::Actor,
    core::db::begin_write,
    core::error::{ApiError, ApiResult, ResultExt},
    core::locale::tr,
    core::relay::expect_id,
    core::state::AppState,
    core::values::optional_text,
    sync::Change,
};

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
