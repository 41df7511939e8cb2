//! Involving a helper in a family's plan: the proposal's terms checked,
//! then the family and the helper, then the involvement and its first
//! event written.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::{
    family, family_care_service, involvement, involvement_event, plan,
    vocabulary::{self as stored, AuditAction, HelperKind},
    volunteer,
};
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
};
use uuid::Uuid;

use super::{check_planned_start, event_row, lock};
use crate::{
    auth::Actor,
    core::db::begin_write,
    core::error::{ApiError, ApiResult},
    core::state::AppState,
    core::values::{optional_text, required_text, strings_from_json},
    engine::LOAD_STATES,
    sync::Change,
};

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

/// A proposal's terms, checked: nothing about the family or the helper has
/// been read yet.
#[derive(Clone, Debug)]
struct Proposal {
    /// When it was made.
    at: DateTime<Utc>,
    /// The day the helper is planned to start.
    planned_start_on: Option<NaiveDate>,
    /// The helper's role.
    role: String,
    /// Why this helper.
    note: Option<String>,
    /// A network member's or a professional's name.
    name: Option<String>,
    /// Their relation to the family, or their organisation.
    detail: Option<String>,
}

/// Checks the terms of a proposal of `helper` (BAD_USER_INPUT names the
/// first bad field); `now` is the moment it is written.
fn check_proposal(
    helper: &HelperSpec,
    terms: Terms<'_>,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> ApiResult<Proposal> {
    let at = terms.at.unwrap_or(now);
    if at > now + Duration::days(1) {
        return Err(ApiError::bad_input(
            "input.at",
            crate::core::locale::tr!("error-proposal-ahead"),
        ));
    }
    let planned_start_on = terms
        .planned_start_on
        .map(|d| check_planned_start(d, today, "input.plannedStartOn"))
        .transpose()?;
    let role = required_text(terms.role, "input.role", 100)?;
    let note = optional_text(terms.note, "input.note", 2000)?;
    let (name, detail) = match helper {
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
    Ok(Proposal {
        at,
        planned_start_on,
        role,
        note,
        name,
        detail,
    })
}

/// A family takes a new helper only with its consent and while its plan is
/// not closed (CONFLICT otherwise).
fn check_plan_open(family: &family::Model, plan: &plan::Model) -> ApiResult<()> {
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
    Ok(())
}

/// Who the helper of a proposal is, once checked against the family: the
/// involvement's helper columns, the match score of a volunteer and the
/// changes that follow.
#[derive(Clone, Debug)]
struct Checked {
    /// The involvement's `helper_kind`.
    kind: HelperKind,
    /// The volunteer, if one is proposed.
    volunteer_id: Option<Uuid>,
    /// The service, if one is proposed.
    service_id: Option<Uuid>,
    /// The volunteer's match score.
    match_score: Option<f64>,
    /// What the proposal changes besides its event.
    changes: Vec<Change>,
}

impl Checked {
    /// A helper of kind `kind`, with nothing else checked yet.
    fn of(kind: HelperKind) -> Checked {
        Checked {
            kind,
            volunteer_id: None,
            service_id: None,
            match_score: None,
            changes: Vec::new(),
        }
    }
}

/// Checks that `helper` may help this family (a volunteer passes every hard
/// matching rule; a service serves the family's postal code, has room and
/// is not involved yet).
async fn check_helper(
    txn: &DatabaseTransaction,
    state: &AppState,
    family: &family::Model,
    plan: &plan::Model,
    helper: &HelperSpec,
) -> ApiResult<Checked> {
    Ok(match helper {
        HelperSpec::Volunteer(volunteer_id) => Checked {
            volunteer_id: Some(*volunteer_id),
            match_score: Some(check_volunteer(txn, state, family.id, *volunteer_id).await?),
            // The family is now followed by follow-up staff.
            changes: vec![Change::Volunteer(*volunteer_id), Change::Family(family.id)],
            ..Checked::of(HelperKind::Volunteer)
        },
        HelperSpec::Service(service_id) => {
            check_service(txn, family, plan, *service_id).await?;
            Checked {
                service_id: Some(*service_id),
                ..Checked::of(HelperKind::Service)
            }
        }
        HelperSpec::NetworkMember { .. } => Checked::of(HelperKind::NetworkMember),
        HelperSpec::Professional { .. } => Checked::of(HelperKind::Professional),
    })
}

/// A volunteer passes every hard matching rule for the family (CONFLICT
/// naming the rules otherwise); returns their match score.
async fn check_volunteer(
    txn: &DatabaseTransaction,
    state: &AppState,
    family_id: Uuid,
    volunteer_id: Uuid,
) -> ApiResult<f64> {
    lock(txn, volunteer::Entity::find_by_id(volunteer_id))
        .await?
        .ok_or_else(|| ApiError::not_found("Volunteer"))?;
    let (_, family_profile) = crate::engine::family_profile_of(txn, family_id).await?;
    let profile = crate::engine::volunteer_profiles(state, txn, &[volunteer_id])
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
    if !explained.eligible() {
        let missing = matching::missing_modules(&family_profile, &profile, &policy);
        return Err(cannot_propose(&explained.failed_rules, &missing));
    }
    Ok(explained.candidate.score)
}

/// The CONFLICT of a volunteer who fails hard rules: each rule named in the
/// request's language (with the missing trainings), and their codes.
fn cannot_propose(failed: &[matching::ExclusionReason], missing: &[String]) -> ApiError {
    let rules: Vec<String> = failed.iter().map(|r| r.as_str().to_owned()).collect();
    let names: Vec<String> = failed
        .iter()
        .map(|r| {
            let name = crate::core::locale::text(&format!("exclusion-{}", r.as_str()), &[]);
            match r {
                matching::ExclusionReason::MissingRequiredTraining => {
                    format!("{name} ({})", missing.join(", "))
                }
                _ => name,
            }
        })
        .collect();
    ApiError::Conflict {
        message: crate::core::locale::text(
            "error-cannot-propose",
            &[("rules", crate::core::locale::s(names.join("; ")))],
        ),
        allowed: Vec::new(),
        failed_rules: rules,
    }
}

/// A service serves the family's postal code, has room left (its
/// involvements that count as load stay under its capacity) and is not
/// involved in this plan yet (CONFLICT otherwise).
async fn check_service(
    txn: &DatabaseTransaction,
    family: &family::Model,
    plan: &plan::Model,
    service_id: Uuid,
) -> ApiResult<()> {
    let service = lock(txn, family_care_service::Entity::find_by_id(service_id))
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
            .filter(involvement::Column::ServiceId.eq(service_id))
            .filter(involvement::Column::Status.is_in(LOAD_STATES))
            .count(txn)
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
        .filter(involvement::Column::ServiceId.eq(service_id))
        .filter(involvement::Column::Status.is_in(LOAD_STATES))
        .count(txn)
        .await?;
    if already > 0 {
        return Err(ApiError::conflict(crate::core::locale::tr!(
            "error-service-already-involved",
            service = &service.name,
        )));
    }
    Ok(())
}

/// Inserts the PROPOSED involvement and its first event, with the audit
/// entry; returns the row and the changes to commit.
async fn insert_proposal(
    txn: &DatabaseTransaction,
    actor: &Actor,
    plan: &plan::Model,
    proposal: Proposal,
    helper: Checked,
    now: DateTime<Utc>,
) -> ApiResult<(involvement::Model, Vec<Change>)> {
    let model = involvement::Model {
        id: Uuid::now_v7(),
        plan_id: plan.id,
        helper_kind: helper.kind,
        volunteer_id: helper.volunteer_id,
        service_id: helper.service_id,
        helper_name: proposal.name,
        helper_detail: proposal.detail,
        role: proposal.role,
        status: stored::InvolvementStatus::Proposed,
        planned_start_on: proposal.planned_start_on,
        phased_in_at: None,
        phased_out_at: None,
        match_score: helper.match_score,
        note: proposal.note.clone(),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    involvement::Entity::insert(model.clone().into_active_model())
        .exec_without_returning(txn)
        .await?;
    let (event_id, event) = event_row(
        model.id,
        plan.id,
        None,
        stored::InvolvementStatus::Proposed,
        proposal.at,
        proposal.note,
        actor,
    );
    involvement_event::Entity::insert(event)
        .exec_without_returning(txn)
        .await?;
    crate::audit::record(
        txn,
        actor,
        AuditAction::Update,
        plan.family_id,
        "involve helper",
    )
    .await?;
    let mut changes = helper.changes;
    changes.push(Change::Event(event_id));
    Ok((model, changes))
}

/// Proposes a helper for a family's plan (PROPOSED), recording the first
/// event: the terms are checked, then the family and the helper, then both
/// rows are written in one transaction.
pub async fn involve_with(
    state: &AppState,
    actor: &Actor,
    family_id: Uuid,
    helper: HelperSpec,
    terms: Terms<'_>,
) -> ApiResult<involvement::Model> {
    let now = Utc::now();
    let proposal = check_proposal(&helper, terms, now, state.today())?;
    let txn = begin_write(&state.db).await?;
    let (family, plan) = plan_of_family(&txn, family_id).await?;
    check_plan_open(&family, &plan)?;
    let checked = check_helper(&txn, state, &family, &plan, &helper).await?;
    let (model, changes) = insert_proposal(&txn, actor, &plan, proposal, checked, now).await?;
    crate::sync::commit(txn, state, &changes).await?;
    Ok(model)
}
