//! Rows to the matching engine's profiles.

use entity::{family, family_language, training_completion, volunteer, volunteer_language};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{Urgency, VolunteerStatus, day_of};
use crate::core::{
    error::{ApiError, ApiResult},
    values::{CrisisType, enums_from_json, parse_enum, slots_from_json, stored_skill},
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
    let status: VolunteerStatus = parse_enum(&model.status)?;
    let skills = languages
        .iter()
        .map(|l| stored_skill(&l.language_code, &l.level))
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
        trainings: trainings.iter().map(|t| t.module.clone()).collect(),
        capacity: u32::try_from(model.capacity).unwrap_or(0),
        current_load,
        background_check_issued_on: model.background_check_issued_on.map(day_of),
        involved_family_ids,
    })
}

/// Builds the matching engine's view of a family.
pub fn family_profile(
    model: &family::Model,
    languages: &[family_language::Model],
) -> ApiResult<matching::FamilyProfile> {
    let bad = |what: &str| ApiError::internal(anyhow::anyhow!("stored family has bad {what}"));
    let skills = languages
        .iter()
        .map(|l| stored_skill(&l.language_code, &l.level))
        .collect::<ApiResult<Vec<_>>>()?;
    let crises: Vec<CrisisType> = enums_from_json(&model.crisis_types)?;
    let urgency: Urgency = parse_enum(&model.urgency)?;
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
        referred_on: day_of(model.referred_at.date_naive()),
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
    let profile = family_profile(&family, &languages)?;
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
