//! Volunteer services: creating one (checked into a [`NewVolunteer`], then
//! inserted with their languages; in bulk for import and generate),
//! updating one (parsed, then written if the version still matches; a
//! stopped volunteer's accounts are disabled in the same transaction) and
//! recording a training by its module's code or name. Each writes in one
//! transaction and finishes through `sync::commit`.

use chrono::{NaiveDate, Utc};
use entity::{training_completion, volunteer, volunteer_language};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use uuid::Uuid;

use super::{CreateVolunteerInput, UpdateVolunteerInput, VolunteerStatus};
use crate::{
    core::db::begin_write,
    core::error::{ApiError, ApiResult},
    core::paging::{check_version, update_if_version},
    core::state::AppState,
    core::values::{
        enums_to_json, optional_text, parse_languages, parse_location, parse_slots, required_text,
        slots_to_json,
    },
    sync::Change,
};

fn check_capacity(capacity: i32, field: &str) -> ApiResult<i32> {
    if !(1..=10).contains(&capacity) {
        return Err(ApiError::bad_input(
            field,
            crate::core::locale::tr!("error-volunteer-capacity", max = 10),
        ));
    }
    Ok(capacity)
}

fn check_travel(km: f64, field: &str) -> ApiResult<f64> {
    if !(km > 0.0 && km <= 100.0) {
        return Err(ApiError::bad_input(
            field,
            crate::core::locale::tr!("error-max-travel", max = 100),
        ));
    }
    Ok(km)
}

fn check_email(email: Option<&str>, field: &str) -> ApiResult<Option<String>> {
    let email = optional_text(email, field, 254)?;
    if let Some(e) = &email
        && (!e.contains('@') || e.contains(char::is_whitespace))
    {
        return Err(ApiError::bad_input(
            field,
            crate::core::locale::tr!("error-not-an-email", input = format!("{e:?}")),
        ));
    }
    Ok(email)
}

fn check_background_date(date: NaiveDate, today: NaiveDate, field: &str) -> ApiResult<NaiveDate> {
    if date > today {
        return Err(ApiError::bad_input(
            field,
            crate::core::locale::tr!("error-extract-future"),
        ));
    }
    Ok(date)
}

async fn replace_languages<C: ConnectionTrait>(
    db: &C,
    volunteer_id: Uuid,
    skills: &[(matching::LanguageCode, matching::LanguageLevel)],
) -> ApiResult<()> {
    volunteer_language::Entity::delete_many()
        .filter(volunteer_language::Column::VolunteerId.eq(volunteer_id))
        .exec(db)
        .await?;
    volunteer_language::Entity::insert_many(language_rows(volunteer_id, skills))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The rows of a volunteer's languages, in the order given.
fn language_rows(
    volunteer_id: Uuid,
    skills: &[(matching::LanguageCode, matching::LanguageLevel)],
) -> impl Iterator<Item = volunteer_language::ActiveModel> + '_ {
    skills
        .iter()
        .enumerate()
        .map(move |(i, (code, level))| volunteer_language::ActiveModel {
            volunteer_id: Set(volunteer_id),
            language_code: Set(code.as_str().to_owned()),
            level: Set(crate::core::values::stored_level(*level)),
            position: Set(i as i32),
        })
}

/// A validated new volunteer, ready to insert.
#[derive(Clone, Debug)]
pub struct NewVolunteer {
    /// The row.
    pub model: volunteer::Model,
    /// Their languages.
    pub languages: Vec<(matching::LanguageCode, matching::LanguageLevel)>,
}

/// Validates and inserts a volunteer with their languages, in one transaction.
pub async fn create_volunteer(
    state: &AppState,
    input: CreateVolunteerInput,
) -> ApiResult<volunteer::Model> {
    let new = validate_volunteer(input, state.today())?;
    let txn = begin_write(&state.db).await?;
    insert_volunteer(&txn, &new).await?;
    let changes = [Change::Volunteer(new.model.id)];
    crate::sync::commit(txn, state, &changes).await?;
    Ok(new.model)
}

/// Inserts a validated volunteer and their languages (inside the caller's transaction).
pub async fn insert_volunteer<C: ConnectionTrait>(db: &C, new: &NewVolunteer) -> ApiResult<()> {
    volunteer::Entity::insert(new.model.clone().into_active_model())
        .exec_without_returning(db)
        .await?;
    volunteer_language::Entity::insert_many(language_rows(new.model.id, &new.languages))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Checks a new volunteer's input; BAD_USER_INPUT names the first bad field.
pub fn validate_volunteer(
    input: CreateVolunteerInput,
    today: NaiveDate,
) -> ApiResult<NewVolunteer> {
    let name = required_text(&input.name, "input.name", 200)?;
    let email = check_email(input.email.as_deref(), "input.email")?;
    let phone = optional_text(input.phone.as_deref(), "input.phone", 40)?;
    let languages = parse_languages(&input.languages, "input.languages")?;
    let home = parse_location(&input.home, "input.home")?;
    let max_travel_km = check_travel(input.max_travel_km.unwrap_or(10.0), "input.maxTravelKm")?;
    let slots = parse_slots(&input.availability, "input.availability")?;
    let capacity = check_capacity(input.capacity.unwrap_or(1), "input.capacity")?;
    let background = input
        .background_check_issued_on
        .map(|d| check_background_date(d.0, today, "input.backgroundCheckIssuedOn"))
        .transpose()?;
    let now = Utc::now();
    let model = volunteer::Model {
        id: Uuid::now_v7(),
        name,
        email,
        phone,
        status: input.status.unwrap_or(VolunteerStatus::Applicant).into(),
        postal_code: Some(home.postal_code),
        municipality: Some(home.municipality),
        latitude: home.coordinates.latitude(),
        longitude: home.coordinates.longitude(),
        max_travel_km,
        availability: slots_to_json(&slots),
        crisis_experience: enums_to_json(&input.crisis_experience.unwrap_or_default())?,
        capacity,
        background_check_issued_on: background,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    Ok(NewVolunteer { model, languages })
}

/// Languages with their levels, parsed.
type Skills = Vec<(matching::LanguageCode, matching::LanguageLevel)>;

/// The columns `input` changes, parsed and checked, and the languages it
/// gives (when it gives them): nothing is written.
fn parse_volunteer_update(
    input: &UpdateVolunteerInput,
    id: Uuid,
    today: NaiveDate,
) -> ApiResult<(volunteer::ActiveModel, Option<Skills>)> {
    let mut changes = volunteer::ActiveModel {
        id: Set(id),
        ..Default::default()
    };
    if let Some(name) = &input.name {
        changes.name = Set(required_text(name, "input.name", 200)?);
    }
    if let Some(email) = &input.email {
        changes.email = Set(check_email(Some(email), "input.email")?);
    }
    if let Some(phone) = &input.phone {
        changes.phone = Set(optional_text(Some(phone), "input.phone", 40)?);
    }
    if let Some(status) = input.status {
        changes.status = Set(status.into());
    }
    let languages = input
        .languages
        .as_deref()
        .map(|l| parse_languages(l, "input.languages"))
        .transpose()?;
    if let Some(home) = &input.home {
        let home = parse_location(home, "input.home")?;
        changes.postal_code = Set(Some(home.postal_code));
        changes.municipality = Set(Some(home.municipality));
        changes.latitude = Set(home.coordinates.latitude());
        changes.longitude = Set(home.coordinates.longitude());
    }
    if let Some(km) = input.max_travel_km {
        changes.max_travel_km = Set(check_travel(km, "input.maxTravelKm")?);
    }
    if let Some(slots) = &input.availability {
        changes.availability = Set(slots_to_json(&parse_slots(slots, "input.availability")?));
    }
    if let Some(crises) = &input.crisis_experience {
        changes.crisis_experience = Set(enums_to_json(crises)?);
    }
    if let Some(capacity) = input.capacity {
        changes.capacity = Set(check_capacity(capacity, "input.capacity")?);
    }
    if let Some(date) = input.background_check_issued_on {
        changes.background_check_issued_on = Set(Some(check_background_date(
            date.0,
            today,
            "input.backgroundCheckIssuedOn",
        )?));
    }

    Ok((changes, languages))
}

/// Applies an update: validated first, then written in one transaction only if
/// the version still matches.
pub async fn update_volunteer(
    state: &AppState,
    id: Uuid,
    input: UpdateVolunteerInput,
    expected_version: Option<i32>,
) -> ApiResult<volunteer::Model> {
    let (mut changes, languages) = parse_volunteer_update(&input, id, state.today())?;
    let txn = begin_write(&state.db).await?;
    let current = volunteer::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::not_found("Volunteer"))?;
    check_version("volunteer", expected_version, current.version)?;
    changes.version = Set(current.version + 1);
    changes.updated_at = Set(Utc::now());
    let updated = update_if_version(
        &txn,
        "volunteer",
        changes,
        volunteer::Column::Version,
        current.version,
    )
    .await?;
    if let Some(languages) = &languages {
        replace_languages(&txn, id, languages).await?;
    }
    let mut changes = vec![Change::Volunteer(id)];
    if input.status == Some(VolunteerStatus::Stopped) {
        changes.extend(crate::auth::revocation::disable_accounts_of_volunteer(&txn, id).await?);
    }
    crate::sync::commit(txn, state, &changes).await?;
    Ok(updated)
}

/// New volunteers per multi-row INSERT (a volunteer row has 17 columns: far
/// below SQLite's 32,766 parameters a statement).
const ROWS_PER_INSERT: usize = 500;

/// Inserts validated new volunteers with their languages and completed
/// trainings (module, date), inside the caller's transaction: three
/// statements for every 500 volunteers instead of three or four for each
/// (`tandem import volunteers`, `tandem generate`).
pub async fn insert_volunteers<C: ConnectionTrait>(
    db: &C,
    batch: &[(NewVolunteer, Vec<(String, NaiveDate)>)],
) -> ApiResult<()> {
    let now = Utc::now();
    for chunk in batch.chunks(ROWS_PER_INSERT) {
        volunteer::Entity::insert_many(
            chunk
                .iter()
                .map(|(new, _)| new.model.clone().into_active_model()),
        )
        .exec_without_returning(db)
        .await?;
        let languages: Vec<_> = chunk
            .iter()
            .flat_map(|(new, _)| language_rows(new.model.id, &new.languages))
            .collect();
        if !languages.is_empty() {
            volunteer_language::Entity::insert_many(languages)
                .exec_without_returning(db)
                .await?;
        }
        let trainings: Vec<_> = chunk
            .iter()
            .flat_map(|(new, trainings)| {
                trainings
                    .iter()
                    .map(|(module, on)| training_completion::ActiveModel {
                        id: Set(Uuid::now_v7()),
                        volunteer_id: Set(new.model.id),
                        module: Set(module.clone()),
                        completed_on: Set(*on),
                        created_at: Set(now),
                    })
            })
            .collect();
        if !trainings.is_empty() {
            training_completion::Entity::insert_many(trainings)
                .exec_without_returning(db)
                .await?;
        }
    }
    Ok(())
}

/// Appends a training completion (inside the caller's transaction).
pub async fn insert_training<C: ConnectionTrait>(
    db: &C,
    volunteer_id: Uuid,
    module: &str,
    completed_on: NaiveDate,
) -> ApiResult<()> {
    training_completion::Entity::insert(training_completion::ActiveModel {
        id: Set(Uuid::now_v7()),
        volunteer_id: Set(volunteer_id),
        module: Set(module.to_owned()),
        completed_on: Set(completed_on),
        created_at: Set(Utc::now()),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// A training module's name in the request's locale.
fn module_name(module: &matching::TrainingModule) -> &'static str {
    match crate::core::locale::current() {
        crate::core::locale::Locale::Nl => module.name_nl,
        crate::core::locale::Locale::Fr => module.name_fr,
        crate::core::locale::Locale::En => module.name_en,
    }
}

/// A module of the training catalogue, by its code or a name in Dutch,
/// French or English (typos forgiven when one module is clearly meant): its
/// code. Anything else is BAD_USER_INPUT with the closest modules.
pub fn training_module(raw: &str, field: &str) -> ApiResult<String> {
    let raw = required_text(raw, field, 100)?;
    matching::resolve_module(&raw)
        .map(|m| m.code.to_owned())
        .map_err(|unknown| {
            let names: Vec<String> = unknown
                .suggestions
                .iter()
                .map(|m| format!("{} ({})", m.code, module_name(m)))
                .collect();
            let modules = matching::TRAINING_MODULES
                .iter()
                .map(|m| m.code)
                .collect::<Vec<_>>()
                .join(", ");
            let input = format!("{raw:?}");
            match unknown.suggestions.first() {
                None => ApiError::bad_input(
                    field,
                    crate::core::locale::tr!(
                        "error-unknown-module",
                        input = input,
                        modules = modules
                    ),
                ),
                Some(best) => ApiError::bad_input_with_suggestion(
                    field,
                    crate::core::locale::tr!(
                        "error-unknown-module-suggest",
                        input = input,
                        modules = modules,
                        names = names.join(", "),
                    ),
                    best.code,
                ),
            }
        })
}

/// Appends a training completion and bumps the volunteer's version.
pub async fn record_training(
    state: &AppState,
    id: Uuid,
    module: &str,
    completed_on: NaiveDate,
) -> ApiResult<volunteer::Model> {
    let module = training_module(module, "module")?;
    if completed_on > state.today() {
        return Err(ApiError::bad_input(
            "completedOn",
            crate::core::locale::tr!("error-training-future"),
        ));
    }
    let txn = begin_write(&state.db).await?;
    let current = volunteer::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::not_found("Volunteer"))?;
    let now = Utc::now();
    insert_training(&txn, id, &module, completed_on).await?;
    let changes = volunteer::ActiveModel {
        id: Set(id),
        version: Set(current.version + 1),
        updated_at: Set(now),
        ..Default::default()
    };
    let updated = update_if_version(
        &txn,
        "volunteer",
        changes,
        volunteer::Column::Version,
        current.version,
    )
    .await?;
    let changes = [Change::Volunteer(id)];
    crate::sync::commit(txn, state, &changes).await?;
    Ok(updated)
}
