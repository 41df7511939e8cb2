//! Referring families: a new family checked into a [`NewFamily`], then
//! inserted with its languages, children, its one plan and the first entry
//! of its status history, its reference (`G-YYYY-NNNN`) drawn in the same
//! transaction; one at a time (`createFamily`) or in bulk (import, generate).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, Utc};
use entity::{
    family, family_child, family_language, family_status_change, plan, reference_counter,
    vocabulary::{self as stored, AuditAction},
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    sea_query::{Expr, ExprTrait, OnConflict},
};
use uuid::Uuid;

use super::super::{CreateFamilyInput, FamilyStatus, Urgency};
use super::{check_children, preferred_language};
use crate::{
    auth::Actor,
    core::db::begin_write,
    core::error::{ApiError, ApiResult},
    core::state::AppState,
    core::values::{
        enums_to_json, parse_languages, parse_location, parse_slots, required_text, slots_to_json,
        stored_level,
    },
    sync::Change,
};

/// The next `count` references of `year` (`G-YYYY-NNNN`), in order, counted
/// in the same transaction.
async fn next_references(
    txn: &DatabaseTransaction,
    year: i32,
    count: usize,
) -> ApiResult<Vec<String>> {
    let count = i32::try_from(count)
        .map_err(|_| ApiError::internal(anyhow::anyhow!("{count} references at once")))?;
    reference_counter::Entity::insert(reference_counter::ActiveModel {
        year: Set(year),
        last_number: Set(0),
    })
    .on_conflict(
        OnConflict::column(reference_counter::Column::Year)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    reference_counter::Entity::update_many()
        .col_expr(
            reference_counter::Column::LastNumber,
            Expr::col(reference_counter::Column::LastNumber).add(count),
        )
        .filter(reference_counter::Column::Year.eq(year))
        .exec(txn)
        .await?;
    let last = reference_counter::Entity::find_by_id(year)
        .one(txn)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("reference counter vanished")))?
        .last_number;
    Ok((last - count + 1..=last)
        .map(|n| format!("G-{year}-{n:04}"))
        .collect())
}

/// A validated new family, ready to insert (its reference is drawn at insert).
#[derive(Clone, Debug)]
pub struct NewFamily {
    /// The row (`reference` empty until inserted).
    pub model: family::Model,
    /// Its languages.
    pub languages: Vec<(matching::LanguageCode, matching::LanguageLevel)>,
    /// Its children's ages.
    pub ages: Vec<i32>,
}

/// Validates and inserts a family, its languages, children and its plan, in
/// one transaction.
pub async fn create_family(
    state: &AppState,
    input: CreateFamilyInput,
    actor: &Actor,
) -> ApiResult<family::Model> {
    let mut new = validate_family(input, Utc::now())?;
    let txn = begin_write(&state.db).await?;
    insert_family(&txn, &mut new).await?;
    crate::audit::record(
        &txn,
        actor,
        AuditAction::Create,
        new.model.id,
        "createFamily",
    )
    .await?;
    crate::sync::commit(txn, state, &[Change::Family(new.model.id)]).await?;
    Ok(new.model)
}

/// Checks a new family's input; BAD_USER_INPUT names the first bad field.
pub fn validate_family(input: CreateFamilyInput, now: DateTime<Utc>) -> ApiResult<NewFamily> {
    let display_name = required_text(&input.display_name, "input.displayName", 100)?;
    let languages = parse_languages(&input.languages, "input.languages")?;
    let preferred = preferred_language(input.preferred_language.as_deref(), &languages)?;
    let home = parse_location(&input.home, "input.home")?;
    let slots = parse_slots(&input.needed_availability, "input.neededAvailability")?;
    let ages = input.children_ages.unwrap_or_default();
    check_children(&ages, "input.childrenAges")?;
    let referred_at = input.referred_at.unwrap_or(now);
    if referred_at > now + Duration::days(1) {
        return Err(ApiError::bad_input(
            "input.referredAt",
            crate::core::locale::tr!("error-referral-future"),
        ));
    }
    let model = family::Model {
        id: Uuid::now_v7(),
        reference: String::new(),
        display_name,
        preferred_language: preferred,
        postal_code: Some(home.postal_code),
        municipality: Some(home.municipality),
        latitude: Some(home.coordinates.latitude()),
        longitude: Some(home.coordinates.longitude()),
        crisis_types: enums_to_json(&input.crisis_types)?,
        urgency: input.urgency.unwrap_or(Urgency::Normal).into(),
        status: stored::FamilyStatus::Waiting,
        referral_source: input.referral_source.into(),
        referred_at,
        first_phase_in_at: None,
        waiting_since: Some(referred_at),
        last_waited_days: None,
        needed_availability: slots_to_json(&slots),
        consent_given: input.consent_given,
        erased_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    Ok(NewFamily {
        model,
        languages,
        ages,
    })
}

/// New families per multi-row INSERT (a family row has about 20 columns: far
/// below SQLite's 32,766 parameters a statement).
const ROWS_PER_INSERT: usize = 500;

/// Inserts a validated family with its languages, children and its one plan,
/// drawing its reference (inside the caller's transaction).
pub async fn insert_family(txn: &DatabaseTransaction, new: &mut NewFamily) -> ApiResult<()> {
    insert_families(txn, std::slice::from_mut(new)).await
}

/// Inserts validated new families with their languages, children and one
/// plan each, inside the caller's transaction: their references are drawn
/// in the batch's order (three statements a year), then four multi-row
/// INSERTs for every 500 families (`tandem import families`, `tandem generate`).
pub async fn insert_families(txn: &DatabaseTransaction, batch: &mut [NewFamily]) -> ApiResult<()> {
    let mut years: Vec<(i32, usize)> = Vec::new();
    for new in batch.iter() {
        let year = new.model.created_at.year();
        match years.iter_mut().find(|(y, _)| *y == year) {
            Some((_, count)) => *count += 1,
            None => years.push((year, 1)),
        }
    }
    let mut references = HashMap::with_capacity(years.len());
    for (year, count) in years {
        references.insert(year, next_references(txn, year, count).await?.into_iter());
    }
    for new in batch.iter_mut() {
        new.model.reference = references
            .get_mut(&new.model.created_at.year())
            .and_then(Iterator::next)
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("a reference short")))?;
    }
    for chunk in batch.chunks(ROWS_PER_INSERT) {
        family::Entity::insert_many(
            chunk
                .iter()
                .map(|new| new.model.clone().into_active_model()),
        )
        .exec_without_returning(txn)
        .await?;
        let languages: Vec<_> = chunk
            .iter()
            .flat_map(|new| {
                new.languages.iter().enumerate().map(|(i, (code, level))| {
                    family_language::ActiveModel {
                        family_id: Set(new.model.id),
                        language_code: Set(code.as_str().to_owned()),
                        level: Set(stored_level(*level)),
                        position: Set(i as i32),
                    }
                })
            })
            .collect();
        if !languages.is_empty() {
            family_language::Entity::insert_many(languages)
                .exec_without_returning(txn)
                .await?;
        }
        let children: Vec<_> = chunk
            .iter()
            .flat_map(|new| {
                new.ages
                    .iter()
                    .enumerate()
                    .map(|(i, age)| family_child::ActiveModel {
                        id: Set(Uuid::now_v7()),
                        family_id: Set(new.model.id),
                        age_years: Set(*age),
                        position: Set(i as i32),
                    })
            })
            .collect();
        if !children.is_empty() {
            family_child::Entity::insert_many(children)
                .exec_without_returning(txn)
                .await?;
        }
        plan::Entity::insert_many(chunk.iter().map(|new| plan::ActiveModel {
            id: Set(Uuid::now_v7()),
            family_id: Set(new.model.id),
            status: Set(stored::PlanStatus::Draft),
            point_of_contact: Set(None),
            version: Set(1),
            created_at: Set(new.model.created_at),
            updated_at: Set(new.model.created_at),
        }))
        .exec_without_returning(txn)
        .await?;
        insert_referrals(txn, chunk).await?;
    }
    Ok(())
}

/// The first entry of each new family's status history: WAITING since its
/// referral.
async fn insert_referrals(txn: &DatabaseTransaction, chunk: &[NewFamily]) -> ApiResult<()> {
    family_status_change::Entity::insert_many(chunk.iter().map(|new| {
        super::change_row(
            new.model.id,
            None,
            FamilyStatus::Waiting,
            super::FamilyStatusCause::Referred,
            None,
            new.model.referred_at,
        )
    }))
    .exec_without_returning(txn)
    .await?;
    Ok(())
}
