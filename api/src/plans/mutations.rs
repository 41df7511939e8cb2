//! Plan writes: status, point of contact, goals, involving helpers and moving
//! them through their lifecycle. Each write is one transaction; each
//! lifecycle move appends its event in the same transaction as the status.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::{
    family, family_care_service, family_status_change, goal, involvement, involvement_event, plan,
    vocabulary::{self as stored, AuditAction, HelperKind},
    volunteer,
};
use matching::Move;
use sea_orm::{
    ActiveEnum, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::{Goal, GoalStatus, Involvement, InvolvementStatus, Plan, PlanStatus};
use crate::auth::ViewerExt;
use crate::{
    auth::Actor,
    core::db::begin_write,
    core::error::{ApiError, ApiResult, ResultExt},
    core::paging::{check_version, update_if_version},
    core::relay::{NodeKind, expect_id},
    core::state::{AppState, ContextExt},
    core::values::{Date, LifeDomain, optional_text, required_text, strings_from_json},
    engine::{HELPING_STATES, LOAD_STATES},
    families::{FamilyStatus, FamilyStatusCause},
    sync::Change,
};

/// Writes the audit entry of a write to a family's plan, in its transaction.
async fn audit_write(
    txn: &DatabaseTransaction,
    actor: &Actor,
    action: AuditAction,
    family_id: Uuid,
    operation: &str,
) -> ApiResult<()> {
    match &actor.viewer {
        Some(viewer) => crate::audit::record(txn, viewer, action, family_id, operation).await,
        None => Ok(()),
    }
}

/// Who is being involved.
#[derive(Clone, Debug)]
pub enum HelperSpec {
    /// A volunteer (every hard matching rule is enforced).
    Volunteer(Uuid),
    /// A family-care service (capacity and service area are enforced).
    Service(Uuid),
    /// Someone from the family's own network.
    NetworkMember {
        /// Name.
        name: String,
        /// Relation to the family.
        relation: String,
    },
    /// A professional from a partner organisation.
    Professional {
        /// Name.
        name: String,
        /// Organisation.
        organization: String,
    },
}

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

async fn plan_of_family(
    txn: &DatabaseTransaction,
    family_id: Uuid,
) -> ApiResult<(family::Model, plan::Model)> {
    let family = lock(
        txn,
        family::Entity::find_by_id(family_id).filter(family::Column::ErasedAt.is_null()),
    )
    .await?
    .ok_or_else(|| ApiError::not_found("Family"))?;
    let plan = plan::Entity::find()
        .filter(plan::Column::FamilyId.eq(family_id))
        .one(txn)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("family {family_id} has no plan")))?;
    Ok((family, plan))
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
            recorded_by: Set(actor.name.clone()),
            recorded_by_user_id: Set(actor.user_id),
            created_at: Set(Utc::now()),
        },
    )
}

/// Proposes a helper for a family's plan (PROPOSED), recording the first
/// event; see [`involve_with`].
pub async fn involve(
    state: &AppState,
    actor: &Actor,
    family_id: Uuid,
    helper: HelperSpec,
    role: &str,
    note: Option<&str>,
    at: Option<DateTime<Utc>>,
) -> ApiResult<involvement::Model> {
    let terms = Terms {
        role,
        note,
        at,
        planned_start_on: None,
    };
    involve_with(state, actor, family_id, helper, terms).await
}

/// What a proposal says besides who: the helper's role, why, when it was
/// made (default now), and the day the helper is planned to start.
#[derive(Clone, Copy, Debug)]
pub struct Terms<'a> {
    /// e.g. buddy.
    pub role: &'a str,
    /// Why this helper; becomes the proposal's reason.
    pub note: Option<&'a str>,
    /// When the proposal was made (default now; at most a day ahead).
    pub at: Option<DateTime<Utc>>,
    /// The day the helper is planned to start (today or later).
    pub planned_start_on: Option<NaiveDate>,
}

/// A planned start day: today or later, at most a year ahead.
pub fn check_planned_start(day: NaiveDate, today: NaiveDate, field: &str) -> ApiResult<NaiveDate> {
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

/// Proposes a helper for a family's plan (PROPOSED), recording the first event.
pub async fn involve_with(
    state: &AppState,
    actor: &Actor,
    family_id: Uuid,
    helper: HelperSpec,
    terms: Terms<'_>,
) -> ApiResult<involvement::Model> {
    let Terms {
        role,
        note,
        at,
        planned_start_on,
    } = terms;
    let now = Utc::now();
    let at = at.unwrap_or(now);
    if at > now + Duration::days(1) {
        return Err(ApiError::bad_input(
            "input.at",
            crate::core::locale::tr!("error-proposal-ahead"),
        ));
    }
    let planned_start_on = planned_start_on
        .map(|d| check_planned_start(d, state.today(), "input.plannedStartOn"))
        .transpose()?;
    let role = required_text(role, "input.role", 100)?;
    let note = optional_text(note, "input.note", 2000)?;
    let (name, detail) = match &helper {
        HelperSpec::NetworkMember { name, relation } => (
            Some(required_text(name, "input.name", 200)?),
            Some(required_text(relation, "input.relation", 200)?),
        ),
        HelperSpec::Professional { name, organization } => (
            Some(required_text(name, "input.name", 200)?),
            Some(required_text(organization, "input.organization", 200)?),
        ),
        _ => (None, None),
    };
    let txn = begin_write(&state.db).await?;
    let (family, plan) = plan_of_family(&txn, family_id).await?;
    if !family.consent_given {
        return Err(ApiError::conflict(crate::core::locale::tr!(
            "error-no-consent"
        )));
    }
    if plan.status == stored::PlanStatus::Closed {
        return Err(ApiError::conflict(crate::core::locale::tr!(
            "error-plan-closed"
        )));
    }
    let mut match_score = None;
    let mut changes = Vec::new();
    let (kind, volunteer_id, service_id) = match &helper {
        HelperSpec::Volunteer(volunteer_id) => {
            lock(&txn, volunteer::Entity::find_by_id(*volunteer_id))
                .await?
                .ok_or_else(|| ApiError::not_found("Volunteer"))?;
            let (_, family_profile) = crate::engine::family_profile_of(&txn, family_id).await?;
            let profile = crate::volunteers::roster::load_profiles(&txn, Some(&[*volunteer_id]))
                .await?
                .pop()
                .ok_or_else(|| ApiError::not_found("Volunteer"))?;
            let policy = crate::engine::policy(state);
            let explained = matching::explain(
                &family_profile,
                &profile,
                &matching::Weights::default(),
                &policy,
            );
            let missing = matching::missing_modules(&family_profile, &profile, &policy);
            if !explained.eligible() {
                let rules: Vec<String> = explained
                    .failed_rules
                    .iter()
                    .map(|r| r.as_str().to_owned())
                    .collect();
                let names: Vec<String> = explained
                    .failed_rules
                    .iter()
                    .map(|r| {
                        let name =
                            crate::core::locale::text(&format!("exclusion-{}", r.as_str()), &[]);
                        match r {
                            matching::ExclusionReason::MissingRequiredTraining => {
                                format!("{name} ({})", missing.join(", "))
                            }
                            _ => name,
                        }
                    })
                    .collect();
                return Err(ApiError::Conflict {
                    message: crate::core::locale::text(
                        "error-cannot-propose",
                        &[("rules", crate::core::locale::s(names.join("; ")))],
                    ),
                    allowed: Vec::new(),
                    failed_rules: rules,
                });
            }
            match_score = Some(explained.candidate.score);
            // The family is now followed by follow-up staff.
            changes.push(Change::Volunteer(*volunteer_id));
            changes.push(Change::Family(family_id));
            (HelperKind::Volunteer, Some(*volunteer_id), None)
        }
        HelperSpec::Service(service_id) => {
            let service = lock(&txn, family_care_service::Entity::find_by_id(*service_id))
                .await?
                .ok_or_else(|| ApiError::not_found("FamilyCareService"))?;
            let area = strings_from_json(&service.service_area)?;
            if !family
                .postal_code
                .as_ref()
                .is_some_and(|code| area.contains(code))
            {
                return Err(ApiError::conflict(crate::core::locale::tr!(
                    "error-service-not-serving",
                    service = &service.name,
                    code = family.postal_code.as_deref().unwrap_or("?"),
                )));
            }
            if let Some(capacity) = service.capacity {
                let load = involvement::Entity::find()
                    .filter(involvement::Column::ServiceId.eq(*service_id))
                    .filter(involvement::Column::Status.is_in(LOAD_STATES))
                    .count(&txn)
                    .await?;
                if load >= capacity as u64 {
                    return Err(ApiError::conflict(crate::core::locale::tr!(
                        "error-service-at-capacity",
                        service = &service.name,
                        capacity = capacity,
                    )));
                }
            }
            let already = involvement::Entity::find()
                .filter(involvement::Column::PlanId.eq(plan.id))
                .filter(involvement::Column::ServiceId.eq(*service_id))
                .filter(involvement::Column::Status.is_in(LOAD_STATES))
                .count(&txn)
                .await?;
            if already > 0 {
                return Err(ApiError::conflict(crate::core::locale::tr!(
                    "error-service-already-involved",
                    service = &service.name,
                )));
            }
            (HelperKind::Service, None, Some(*service_id))
        }
        HelperSpec::NetworkMember { .. } => (HelperKind::NetworkMember, None, None),
        HelperSpec::Professional { .. } => (HelperKind::Professional, None, None),
    };
    let model = involvement::Model {
        id: Uuid::now_v7(),
        plan_id: plan.id,
        helper_kind: kind,
        volunteer_id,
        service_id,
        helper_name: name,
        helper_detail: detail,
        role,
        status: stored::InvolvementStatus::Proposed,
        planned_start_on,
        phased_in_at: None,
        phased_out_at: None,
        match_score,
        note: note.clone(),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    involvement::Entity::insert(model.clone().into_active_model())
        .exec_without_returning(&txn)
        .await?;
    let (event_id, event) = event_row(
        model.id,
        plan.id,
        None,
        stored::InvolvementStatus::Proposed,
        at,
        note,
        actor,
    );
    involvement_event::Entity::insert(event)
        .exec_without_returning(&txn)
        .await?;
    audit_write(
        &txn,
        actor,
        AuditAction::Update,
        family_id,
        "involve helper",
    )
    .await?;
    changes.push(Change::Event(event_id));
    crate::sync::commit(txn, state, &changes).await?;
    Ok(model)
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
    let now = Utc::now();
    let at = at.unwrap_or(now);
    if at > now + Duration::days(1) {
        return Err(ApiError::bad_input(
            "input.at",
            crate::core::locale::tr!("error-step-ahead"),
        ));
    }
    let reason = optional_text(reason, "input.reason", 2000)?;
    let txn = begin_write(&state.db).await?;
    let current = lock(&txn, involvement::Entity::find_by_id(involvement_id))
        .await?
        .ok_or_else(|| ApiError::not_found("Involvement"))?;
    check_version("involvement", expected_version, current.version)?;
    let from = InvolvementStatus::from(current.status);
    let step = matching::apply(from.into(), mv, reason.as_deref()).map_err(|e| match e {
        matching::TransitionError::NotAllowed { ref allowed, .. } => ApiError::Conflict {
            message: crate::engine::transition_message(&e),
            allowed: allowed.iter().map(|s| s.as_str().to_owned()).collect(),
            failed_rules: Vec::new(),
        },
        matching::TransitionError::ReasonRequired { .. } => {
            ApiError::bad_input("input.reason", crate::engine::transition_message(&e))
        }
    })?;
    let last_at = involvement_event::Entity::find()
        .filter(involvement_event::Column::InvolvementId.eq(involvement_id))
        .order_by_desc(involvement_event::Column::At)
        .one(&txn)
        .await?
        .map(|e| e.at);
    if last_at.is_some_and(|last| at < last) {
        return Err(ApiError::bad_input(
            "input.at",
            crate::core::locale::tr!("error-step-before-previous"),
        ));
    }
    let to: InvolvementStatus = step.to.into();
    let mut changes = involvement::ActiveModel {
        id: Set(involvement_id),
        status: Set(to.into()),
        version: Set(current.version + 1),
        updated_at: Set(now),
        ..Default::default()
    };
    match to {
        InvolvementStatus::Active => changes.phased_in_at = Set(Some(at)),
        InvolvementStatus::Ended | InvolvementStatus::Declined => {
            changes.phased_out_at = Set(Some(at))
        }
        _ => {}
    }
    let updated = update_if_version(
        &txn,
        "involvement",
        changes,
        involvement::Column::Version,
        current.version,
    )
    .await?;
    let (event_id, event) = event_row(
        involvement_id,
        current.plan_id,
        Some(current.status),
        to.into(),
        at,
        reason,
        actor,
    );
    involvement_event::Entity::insert(event)
        .exec_without_returning(&txn)
        .await?;
    let family_id = derive_family_status(&txn, current.plan_id, at, Some(event_id)).await?;
    audit_write(
        &txn,
        actor,
        AuditAction::Update,
        family_id,
        "involvement step",
    )
    .await?;
    let mut notices = vec![Change::Event(event_id), Change::Family(family_id)];
    if let Some(volunteer_id) = current.volunteer_id {
        notices.push(Change::Volunteer(volunteer_id));
    }
    crate::sync::commit(txn, state, &notices).await?;
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
    audit_write(
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
    if family.status != status.into() || answered || changes.waiting_since.is_set() {
        family::Entity::update(changes).exec(txn).await?;
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
    let updated = update_if_version(
        &txn,
        "plan",
        plan::ActiveModel {
            id: Set(plan_id),
            status: Set(status.into()),
            version: Set(plan.version + 1),
            updated_at: Set(Utc::now()),
            ..Default::default()
        },
        plan::Column::Version,
        plan.version,
    )
    .await?;
    derive_family_status(&txn, plan_id, Utc::now(), None).await?;
    audit_write(
        &txn,
        actor,
        AuditAction::Update,
        plan.family_id,
        "setPlanStatus",
    )
    .await?;
    crate::sync::commit(txn, state, &[Change::Family(plan.family_id)]).await?;
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
    audit_write(&txn, actor, AuditAction::Update, plan.family_id, "addGoal").await?;
    crate::sync::commit(txn, state, &[Change::Family(plan.family_id)]).await?;
    Ok(model)
}

/// What `involveVolunteer` takes.
#[derive(Clone, Debug, InputObject)]
pub struct InvolveVolunteerInput {
    /// The family.
    pub family_id: ID,
    /// The volunteer.
    pub volunteer_id: ID,
    /// e.g. buddy.
    #[graphql(default_with = "Some(\"buddy\".to_owned())")]
    pub role: Option<String>,
    /// Why this volunteer; becomes the proposal's reason.
    pub note: Option<String>,
    /// The day the volunteer is planned to start (today or later, at most a
    /// year ahead); shown on the plan. The phase-in itself is recorded with
    /// `phaseIn` when it happens.
    pub planned_start_on: Option<Date>,
}

/// What `involveService` takes.
#[derive(Clone, Debug, InputObject)]
pub struct InvolveServiceInput {
    /// The family.
    pub family_id: ID,
    /// The service.
    pub service_id: ID,
    /// e.g. household help.
    pub role: String,
    /// Why.
    pub note: Option<String>,
}

/// What `involveNetworkMember` takes.
#[derive(Clone, Debug, InputObject)]
pub struct InvolveNetworkMemberInput {
    /// The family.
    pub family_id: ID,
    /// Name.
    pub name: String,
    /// Relation to the family, e.g. grandmother.
    pub relation: String,
    /// e.g. childcare on Wednesdays.
    pub role: String,
    /// Why.
    pub note: Option<String>,
}

/// What `involveProfessional` takes.
#[derive(Clone, Debug, InputObject)]
pub struct InvolveProfessionalInput {
    /// The family.
    pub family_id: ID,
    /// Name.
    pub name: String,
    /// Their organisation.
    pub organization: String,
    /// e.g. point of contact.
    pub role: String,
    /// Why.
    pub note: Option<String>,
}

/// Move a helper to the next step. `reason` is required for phase-out, end and decline.
#[derive(Clone, Debug, InputObject)]
pub struct InvolvementTransitionInput {
    /// The involvement.
    pub involvement_id: ID,
    /// Why (required for phase-out, end and decline).
    pub reason: Option<String>,
    /// The version the client saw; stale is CONFLICT.
    pub expected_version: Option<i32>,
    /// When it happened (default now; at most a day ahead).
    pub at: Option<DateTime<Utc>>,
}

/// Plan mutations.
#[derive(Default, Debug)]
pub struct PlansMutation;

impl PlansMutation {
    async fn step(
        &self,
        ctx: &Context<'_>,
        input: InvolvementTransitionInput,
        mv: Move,
    ) -> ApiResult<Involvement> {
        let viewer = ctx.viewer()?;
        let id = expect_id(
            &input.involvement_id,
            NodeKind::Involvement,
            "input.involvementId",
        )?;
        let involvement = super::load_involvement(ctx, id)
            .await?
            .ok_or_else(|| ApiError::not_found("Involvement"))
            .naming("input.involvementId", "Involvement")?;
        crate::auth::check(ctx, &involvement, "Mutation").await?;
        let model = transition(
            ctx.state()?,
            &Actor::from(viewer),
            id,
            mv,
            input.reason.as_deref(),
            input.expected_version,
            input.at,
        )
        .await
        .naming("input.involvementId", "Involvement")?;
        Ok(Involvement(model))
    }
}

#[Object]
impl PlansMutation {
    /// Names the family's one point of contact (aanspreekpunt).
    async fn set_point_of_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan.")] plan_id: ID,
        #[graphql(
            desc = "The one point of contact (aanspreekpunt), e.g. a name and an organisation."
        )]
        point_of_contact: String,
    ) -> ApiResult<Plan> {
        let viewer = ctx.viewer()?;
        let state = ctx.state()?;
        let id = expect_id(&plan_id, NodeKind::Plan, "planId")?;
        let contact = required_text(&point_of_contact, "pointOfContact", 200)?;
        let txn = begin_write(&state.db).await?;
        let plan = load_plan_for_update(&txn, id)
            .await
            .naming("planId", "Plan")?;
        let updated = update_if_version(
            &txn,
            "plan",
            plan::ActiveModel {
                id: Set(id),
                point_of_contact: Set(Some(contact)),
                version: Set(plan.version + 1),
                updated_at: Set(Utc::now()),
                ..Default::default()
            },
            plan::Column::Version,
            plan.version,
        )
        .await?;
        crate::audit::record(
            &txn,
            viewer,
            AuditAction::Update,
            plan.family_id,
            "setPointOfContact",
        )
        .await?;
        crate::sync::commit(txn, state, &[Change::Family(plan.family_id)]).await?;
        Ok(Plan(updated))
    }

    /// Changes a plan's status; closing needs every helper ENDED or DECLINED.
    async fn set_plan_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan.")] plan_id: ID,
        #[graphql(desc = "The new status.")] status: PlanStatus,
        #[graphql(
            desc = "The version read; if the record has changed since, this is a CONFLICT and nothing is written."
        )]
        expected_version: Option<i32>,
    ) -> ApiResult<Plan> {
        let viewer = ctx.viewer()?;
        let id = expect_id(&plan_id, NodeKind::Plan, "planId")?;
        Ok(Plan(
            set_plan_status(
                ctx.state()?,
                id,
                status,
                expected_version,
                &Actor::from(viewer),
            )
            .await
            .naming("planId", "Plan")?,
        ))
    }

    /// Adds a goal, in the family's own words.
    async fn add_goal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan.")] plan_id: ID,
        #[graphql(desc = "The goal, in the family's own words.")] description: String,
        #[graphql(desc = "The domain of life it is about.")] life_domain: LifeDomain,
        #[graphql(desc = "When the family hopes to reach it.")] target_date: Option<
            crate::core::values::Date,
        >,
    ) -> ApiResult<Goal> {
        let viewer = ctx.viewer()?;
        let id = expect_id(&plan_id, NodeKind::Plan, "planId")?;
        Ok(Goal(
            add_goal(
                ctx.state()?,
                id,
                &description,
                life_domain,
                target_date.map(|d| d.0),
                &Actor::from(viewer),
            )
            .await
            .naming("planId", "Plan")?,
        ))
    }

    /// Changes a goal's status.
    async fn set_goal_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The goal.")] goal_id: ID,
        #[graphql(desc = "Where it stands now.")] status: GoalStatus,
    ) -> ApiResult<Goal> {
        let viewer = ctx.viewer()?;
        let state = ctx.state()?;
        let id = expect_id(&goal_id, NodeKind::Goal, "goalId")?;
        let txn = begin_write(&state.db).await?;
        let current = goal::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| ApiError::not_found("Goal"))
            .naming("goalId", "Goal")?;
        let plan = load_plan_for_update(&txn, current.plan_id).await?;
        let updated = update_if_version(
            &txn,
            "goal",
            goal::ActiveModel {
                id: Set(id),
                status: Set(status.into()),
                version: Set(current.version + 1),
                updated_at: Set(Utc::now()),
                ..Default::default()
            },
            goal::Column::Version,
            current.version,
        )
        .await?;
        crate::audit::record(
            &txn,
            viewer,
            AuditAction::Update,
            plan.family_id,
            "setGoalStatus",
        )
        .await?;
        crate::sync::commit(txn, ctx.state()?, &[Change::Family(plan.family_id)]).await?;
        Ok(Goal(updated))
    }

    /// Proposes a volunteer to a family's plan (PROPOSED). Enforces every hard matching rule.
    async fn involve_volunteer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which volunteer, for which family, in what role.")]
        input: InvolveVolunteerInput,
    ) -> ApiResult<Involvement> {
        let viewer = ctx.viewer()?;
        let family_id = expect_id(&input.family_id, NodeKind::Family, "input.familyId")?;
        let volunteer_id = expect_id(
            &input.volunteer_id,
            NodeKind::Volunteer,
            "input.volunteerId",
        )?;
        let terms = Terms {
            role: input.role.as_deref().unwrap_or("buddy"),
            note: input.note.as_deref(),
            at: None,
            planned_start_on: input.planned_start_on.map(|d| d.0),
        };
        let model = involve_with(
            ctx.state()?,
            &Actor::from(viewer),
            family_id,
            HelperSpec::Volunteer(volunteer_id),
            terms,
        )
        .await
        .naming("input.familyId", "Family")
        .naming("input.volunteerId", "Volunteer")?;
        Ok(Involvement(model))
    }

    /// Proposes a family-care service; its capacity and service area must fit.
    async fn involve_service(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which service, for which family, in what role.")]
        input: InvolveServiceInput,
    ) -> ApiResult<Involvement> {
        let viewer = ctx.viewer()?;
        let family_id = expect_id(&input.family_id, NodeKind::Family, "input.familyId")?;
        let service_id = expect_id(
            &input.service_id,
            NodeKind::FamilyCareService,
            "input.serviceId",
        )?;
        let model = involve(
            ctx.state()?,
            &Actor::from(viewer),
            family_id,
            HelperSpec::Service(service_id),
            &input.role,
            input.note.as_deref(),
            None,
        )
        .await
        .naming("input.familyId", "Family")
        .naming("input.serviceId", "FamilyCareService")?;
        Ok(Involvement(model))
    }

    /// Involves someone from the family's own network.
    async fn involve_network_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Who, for which family, in what role.")] input: InvolveNetworkMemberInput,
    ) -> ApiResult<Involvement> {
        let viewer = ctx.viewer()?;
        let family_id = expect_id(&input.family_id, NodeKind::Family, "input.familyId")?;
        let model = involve(
            ctx.state()?,
            &Actor::from(viewer),
            family_id,
            HelperSpec::NetworkMember {
                name: input.name,
                relation: input.relation,
            },
            &input.role,
            input.note.as_deref(),
            None,
        )
        .await
        .naming("input.familyId", "Family")?;
        Ok(Involvement(model))
    }

    /// Involves a professional from a partner organisation.
    async fn involve_professional(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Who, for which family, in what role.")] input: InvolveProfessionalInput,
    ) -> ApiResult<Involvement> {
        let viewer = ctx.viewer()?;
        let family_id = expect_id(&input.family_id, NodeKind::Family, "input.familyId")?;
        let model = involve(
            ctx.state()?,
            &Actor::from(viewer),
            family_id,
            HelperSpec::Professional {
                name: input.name,
                organization: input.organization,
            },
            &input.role,
            input.note.as_deref(),
            None,
        )
        .await
        .naming("input.familyId", "Family")?;
        Ok(Involvement(model))
    }

    /// PROPOSED -> ACTIVE (the family agreed; the helper starts).
    async fn phase_in(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The involvement.")] input: InvolvementTransitionInput,
    ) -> ApiResult<Involvement> {
        self.step(ctx, input, Move::PhaseIn).await
    }

    /// Plans the day a PROPOSED helper starts (today or later, at most a
    /// year ahead; null clears it). The phase-in itself is recorded with
    /// `phaseIn` when it happens.
    async fn plan_phase_in(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The involvement.")] involvement_id: ID,
        #[graphql(desc = "The planned first day; null clears it.")] planned_start_on: Option<Date>,
        #[graphql(
            desc = "The version read; if the record has changed since, this is a CONFLICT and nothing is written."
        )]
        expected_version: Option<i32>,
    ) -> ApiResult<Involvement> {
        let viewer = ctx.viewer()?;
        let id = expect_id(&involvement_id, NodeKind::Involvement, "involvementId")?;
        let involvement = super::load_involvement(ctx, id)
            .await?
            .ok_or_else(|| ApiError::not_found("Involvement"))
            .naming("involvementId", "Involvement")?;
        crate::auth::check(ctx, &involvement, "Mutation").await?;
        let model = plan_start(
            ctx.state()?,
            &Actor::from(viewer),
            id,
            planned_start_on.map(|d| d.0),
            expected_version,
        )
        .await?;
        Ok(Involvement(model))
    }

    /// ACTIVE -> PHASING_OUT.
    async fn start_phase_out(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The involvement, and why.")] input: InvolvementTransitionInput,
    ) -> ApiResult<Involvement> {
        self.step(ctx, input, Move::StartPhaseOut).await
    }

    /// ACTIVE or PHASING_OUT -> ENDED.
    async fn end_involvement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The involvement, and why.")] input: InvolvementTransitionInput,
    ) -> ApiResult<Involvement> {
        self.step(ctx, input, Move::End).await
    }

    /// PROPOSED -> DECLINED.
    async fn decline_involvement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The involvement, and why.")] input: InvolvementTransitionInput,
    ) -> ApiResult<Involvement> {
        self.step(ctx, input, Move::Decline).await
    }
}
