//! Updating a family: the input parsed and checked into a [`FamilyUpdate`]
//! before anything is read, then the preferred language settled against the
//! family's languages and the row, languages and children written if the
//! version still matches.

use chrono::Utc;
use entity::{family, family_child, family_language, vocabulary::AuditAction};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use super::super::UpdateFamilyInput;
use super::{check_children, preferred_language};
use crate::engine::family_languages;
use crate::{
    auth::Actor,
    core::db::begin_write,
    core::error::{ApiError, ApiResult},
    core::paging::{check_version, update_if_version},
    core::state::AppState,
    core::values::{
        LanguageSkillInput, enums_to_json, parse_languages, parse_location, parse_slots,
        required_text, slots_to_json, stored_level,
    },
    sync::Change,
};

async fn replace_languages<C: ConnectionTrait>(
    db: &C,
    family_id: Uuid,
    skills: &[(matching::LanguageCode, matching::LanguageLevel)],
) -> ApiResult<()> {
    family_language::Entity::delete_many()
        .filter(family_language::Column::FamilyId.eq(family_id))
        .exec(db)
        .await?;
    let rows = skills
        .iter()
        .enumerate()
        .map(|(i, (code, level))| family_language::ActiveModel {
            family_id: Set(family_id),
            language_code: Set(code.as_str().to_owned()),
            level: Set(stored_level(*level)),
            position: Set(i as i32),
        });
    family_language::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

async fn replace_children<C: ConnectionTrait>(
    db: &C,
    family_id: Uuid,
    ages: &[i32],
) -> ApiResult<()> {
    family_child::Entity::delete_many()
        .filter(family_child::Column::FamilyId.eq(family_id))
        .exec(db)
        .await?;
    if ages.is_empty() {
        return Ok(());
    }
    let rows = ages
        .iter()
        .enumerate()
        .map(|(i, age)| family_child::ActiveModel {
            id: Set(Uuid::now_v7()),
            family_id: Set(family_id),
            age_years: Set(*age),
            position: Set(i as i32),
        });
    family_child::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Languages with their levels, parsed.
type Skills = Vec<(matching::LanguageCode, matching::LanguageLevel)>;

/// An update of a family, parsed and checked: nothing is written yet.
#[derive(Clone, Debug)]
pub struct FamilyUpdate {
    /// The columns it sets (version and time aside).
    columns: family::ActiveModel,
    /// The languages it gives, replacing all of them.
    languages: Option<Skills>,
    /// The preferred language as given: it is checked against the family's
    /// languages once they are read.
    preferred_language: Option<String>,
    /// The children's ages it gives, replacing all of them.
    children_ages: Option<Vec<i32>>,
}

/// The columns `input` changes in family `id`, parsed and checked
/// (BAD_USER_INPUT names the first bad field), with the languages and
/// children it replaces.
pub fn parse_family_update(input: UpdateFamilyInput, id: Uuid) -> ApiResult<FamilyUpdate> {
    let mut columns = family::ActiveModel {
        id: Set(id),
        ..Default::default()
    };
    if let Some(name) = &input.display_name {
        columns.display_name = Set(required_text(name, "input.displayName", 100)?);
    }
    let languages = input
        .languages
        .as_deref()
        .map(|l: &[LanguageSkillInput]| parse_languages(l, "input.languages"))
        .transpose()?;
    if let Some(home) = &input.home {
        let home = parse_location(home, "input.home")?;
        columns.postal_code = Set(Some(home.postal_code));
        columns.municipality = Set(Some(home.municipality));
        columns.latitude = Set(Some(home.coordinates.latitude()));
        columns.longitude = Set(Some(home.coordinates.longitude()));
    }
    if let Some(crises) = &input.crisis_types {
        columns.crisis_types = Set(enums_to_json(crises)?);
    }
    if let Some(urgency) = input.urgency {
        columns.urgency = Set(urgency.into());
    }
    if let Some(slots) = &input.needed_availability {
        columns.needed_availability = Set(slots_to_json(&parse_slots(
            slots,
            "input.neededAvailability",
        )?));
    }
    if let Some(ages) = &input.children_ages {
        check_children(ages, "input.childrenAges")?;
    }
    if let Some(consent) = input.consent_given {
        columns.consent_given = Set(consent);
    }
    Ok(FamilyUpdate {
        columns,
        languages,
        preferred_language: input.preferred_language,
        children_ages: input.children_ages,
    })
}

/// The preferred language must stay one of the family's languages (those
/// the update gives, or else those stored): a given one is checked, and a
/// stored one the new languages leave out is cleared.
async fn settle_preferred_language(
    txn: &DatabaseTransaction,
    current: &family::Model,
    update: &mut FamilyUpdate,
) -> ApiResult<()> {
    let effective_languages = match &update.languages {
        Some(l) => l.clone(),
        None => stored_languages(txn, current.id).await?,
    };
    match &update.preferred_language {
        Some(raw) => {
            update.columns.preferred_language =
                Set(preferred_language(Some(raw), &effective_languages)?);
        }
        None => {
            if let Some(code) = &current.preferred_language
                && !effective_languages.iter().any(|(c, _)| c.as_str() == code)
            {
                update.columns.preferred_language = Set(None);
            }
        }
    }
    Ok(())
}

/// Writes a checked update of `current` (its columns only if the version
/// still matches, its languages and children), with the audit entry;
/// returns the row and the changes to commit.
async fn write_family_update(
    txn: &DatabaseTransaction,
    actor: &Actor,
    current: &family::Model,
    update: FamilyUpdate,
) -> ApiResult<(family::Model, Vec<Change>)> {
    let FamilyUpdate {
        mut columns,
        languages,
        children_ages,
        ..
    } = update;
    columns.version = Set(current.version + 1);
    columns.updated_at = Set(Utc::now());
    let updated = update_if_version(
        txn,
        "family",
        columns,
        family::Column::Version,
        current.version,
    )
    .await?;
    if let Some(languages) = &languages {
        replace_languages(txn, current.id, languages).await?;
    }
    if let Some(ages) = &children_ages {
        replace_children(txn, current.id, ages).await?;
    }
    crate::audit::record(txn, actor, AuditAction::Update, current.id, "updateFamily").await?;
    Ok((updated, vec![Change::Family(current.id)]))
}

/// Applies a checked update (see [`parse_family_update`]) to family `id` in
/// one transaction, only if the version still matches.
pub async fn update_family(
    state: &AppState,
    id: Uuid,
    mut update: FamilyUpdate,
    expected_version: Option<i32>,
    actor: &Actor,
) -> ApiResult<family::Model> {
    let txn = begin_write(&state.db).await?;
    let current = family::Entity::find_by_id(id)
        .filter(family::Column::ErasedAt.is_null())
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::not_found("Family"))?;
    check_version("family", expected_version, current.version)?;
    settle_preferred_language(&txn, &current, &mut update).await?;
    let (updated, changes) = write_family_update(&txn, actor, &current, update).await?;
    crate::sync::commit(txn, state, &changes).await?;
    Ok(updated)
}

async fn stored_languages<C: ConnectionTrait>(
    db: &C,
    family_id: Uuid,
) -> ApiResult<Vec<(matching::LanguageCode, matching::LanguageLevel)>> {
    family_languages(db, family_id)
        .await?
        .iter()
        .map(|r| crate::core::values::stored_skill(&r.language_code, r.level))
        .collect()
}
