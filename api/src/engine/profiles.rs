//! Rows to the matching engine's profiles.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    family, family_language, involvement, plan, training_completion, volunteer, volunteer_language,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{Urgency, VolunteerStatus, day_of};
use crate::core::{
    error::{ApiError, ApiResult},
    values::{CrisisType, enums_from_json, slots_from_json, stored_skill},
};

/// Builds the matching engine's view of a volunteer.
pub fn volunteer_profile(
    model: &volunteer::Model,
    languages: &[volunteer_language::Model],
    trainings: &[training_completion::Model],
    current_load: u32,
    involved_family_ids: Vec<u128>,
) -> ApiResult<matching::VolunteerProfile> {
    let bad = |what: &str| ApiError::internal(anyhow::anyhow!("stored volunteer has bad {what}"));
    let status = VolunteerStatus::from(model.status);
    let skills = languages
        .iter()
        .map(|l| stored_skill(&l.language_code, l.level))
        .collect::<ApiResult<Vec<_>>>()?;
    let crises: Vec<CrisisType> = enums_from_json(&model.crisis_experience)?;
    Ok(matching::VolunteerProfile {
        id: model.id.as_u128(),
        status: status.into(),
        languages: skills,
        home: matching::Coordinates::new(model.latitude, model.longitude)
            .map_err(|_| bad("coordinates"))?,
        max_travel_km: model.max_travel_km,
        availability: matching::WeekMask::from_slots(&slots_from_json(&model.availability)?),
        crisis_experience: crises.into_iter().map(matching::CrisisType::from).collect(),
        // Completions that no longer count (validForMonths) are left out.
        trainings: trainings
            .iter()
            .filter(|t| {
                valid_until(&t.module, t.completed_on)
                    .is_none_or(|last| last >= Utc::now().date_naive())
            })
            .map(|t| t.module.clone())
            .collect(),
        capacity: u32::try_from(model.capacity).unwrap_or(0),
        current_load,
        background_check_issued_on: model.background_check_issued_on.map(day_of),
        involved_family_ids,
    })
}

/// The volunteers whose involvement with each family (of `ids`, or every
/// family) ENDED or was DECLINED, with the day it did: what the rule
/// RECENTLY_ENDED_WITH_FAMILY reads.
pub async fn parted_with<C: ConnectionTrait>(
    db: &C,
    ids: Option<&[Uuid]>,
) -> ApiResult<HashMap<Uuid, Vec<(u128, matching::Day)>>> {
    use sea_orm::{QuerySelect, QueryTrait};
    let mut plans = plan::Entity::find()
        .select_only()
        .columns([plan::Column::Id, plan::Column::FamilyId]);
    let mut parted = involvement::Entity::find()
        .select_only()
        .columns([
            involvement::Column::PlanId,
            involvement::Column::VolunteerId,
            involvement::Column::PhasedOutAt,
        ])
        .filter(involvement::Column::VolunteerId.is_not_null())
        .filter(involvement::Column::PhasedOutAt.is_not_null())
        .filter(involvement::Column::Status.is_in([
            entity::vocabulary::InvolvementStatus::Ended,
            entity::vocabulary::InvolvementStatus::Declined,
        ]));
    if let Some(ids) = ids {
        plans = plans.filter(plan::Column::FamilyId.is_in(ids.iter().copied()));
        parted = parted.filter(
            involvement::Column::PlanId.in_subquery(
                plan::Entity::find()
                    .select_only()
                    .column(plan::Column::Id)
                    .filter(plan::Column::FamilyId.is_in(ids.iter().copied()))
                    .into_query(),
            ),
        );
    }
    let rows: Vec<(Uuid, Option<Uuid>, Option<DateTime<Utc>>)> =
        parted.into_tuple().all(db).await?;
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    let family_of: HashMap<Uuid, Uuid> = plans.into_tuple().all(db).await?.into_iter().collect();
    let mut out: HashMap<Uuid, Vec<(u128, matching::Day)>> = HashMap::new();
    for (plan_id, volunteer, at) in rows {
        if let (Some(family), Some(volunteer), Some(at)) = (family_of.get(&plan_id), volunteer, at)
        {
            out.entry(*family)
                .or_default()
                .push((volunteer.as_u128(), day_of(at.date_naive())));
        }
    }
    Ok(out)
}

/// The last day a completion of training module `code` on `completed_on`
/// counts, if the catalogue says it expires (`validForMonths`).
pub fn valid_until(code: &str, completed_on: NaiveDate) -> Option<NaiveDate> {
    let months = matching::training_module(code)?.valid_for_months?;
    completed_on
        .checked_add_months(chrono::Months::new(months))
        .map(|d| d - chrono::Duration::days(1))
}

/// Builds the matching engine's view of a family; `parted`: see [`parted_with`].
pub fn family_profile(
    model: &family::Model,
    languages: &[family_language::Model],
    parted: Vec<(u128, matching::Day)>,
) -> ApiResult<matching::FamilyProfile> {
    let bad = |what: &str| ApiError::internal(anyhow::anyhow!("stored family has bad {what}"));
    let skills = languages
        .iter()
        .map(|l| stored_skill(&l.language_code, l.level))
        .collect::<ApiResult<Vec<_>>>()?;
    let crises: Vec<CrisisType> = enums_from_json(&model.crisis_types)?;
    let urgency = Urgency::from(model.urgency);
    let home = match (model.latitude, model.longitude) {
        (Some(lat), Some(lon)) => {
            matching::Coordinates::new(lat, lon).map_err(|_| bad("coordinates"))?
        }
        _ => return Err(bad("location")),
    };
    Ok(matching::FamilyProfile {
        id: model.id.as_u128(),
        languages: skills,
        preferred_language: model
            .preferred_language
            .as_deref()
            .and_then(matching::LanguageCode::parse_code),
        home,
        needed_availability: matching::WeekMask::from_slots(&slots_from_json(
            &model.needed_availability,
        )?),
        crisis_types: crises.into_iter().map(matching::CrisisType::from).collect(),
        urgency: urgency.into(),
        referred_on: day_of(
            model
                .waiting_since
                .unwrap_or(model.referred_at)
                .date_naive(),
        ),
        parted,
    })
}

/// A (not erased) family and its languages in the order given; NOT_FOUND otherwise.
pub async fn live_family<C: ConnectionTrait>(
    db: &C,
    family_id: Uuid,
) -> ApiResult<(family::Model, Vec<family_language::Model>)> {
    let family = family::Entity::find_by_id(family_id)
        .filter(family::Column::ErasedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("Family"))?;
    let languages = family_languages(db, family_id).await?;
    Ok((family, languages))
}

/// Loads a family's matching profile (NOT_FOUND for unknown or erased families).
pub async fn family_profile_of<C: ConnectionTrait>(
    db: &C,
    family_id: Uuid,
) -> ApiResult<(family::Model, matching::FamilyProfile)> {
    let (family, languages) = live_family(db, family_id).await?;
    let parted = parted_with(db, Some(&[family_id]))
        .await?
        .remove(&family_id)
        .unwrap_or_default();
    let profile = family_profile(&family, &languages, parted)?;
    Ok((family, profile))
}

/// A family's languages, in the order given.
pub async fn family_languages<C: ConnectionTrait>(
    db: &C,
    family_id: Uuid,
) -> ApiResult<Vec<family_language::Model>> {
    Ok(family_language::Entity::find()
        .filter(family_language::Column::FamilyId.eq(family_id))
        .order_by_asc(family_language::Column::Position)
        .all(db)
        .await?)
}
