//! Family queries and writes.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, Utc};
use entity::{
    family, family_child, family_language, family_status_change, plan, reference_counter,
    vocabulary::{self as stored, AuditAction},
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, OnConflict},
};
use uuid::Uuid;

use super::{CreateFamilyInput, FamilyFilter, FamilyStatus, UpdateFamilyInput, Urgency};
use crate::engine::{ANSWER_WITHIN_DAYS, days_between, family_languages};
use crate::{
    auth::Actor,
    core::db::begin_write,
    core::error::{ApiError, ApiResult},
    core::paging::{check_version, keyset_page, load_in_order, update_if_version},
    core::relay::{Page, PageRequest},
    core::state::AppState,
    core::values::{
        LanguageSkillInput, enums_to_json, parse_language, parse_languages, parse_location,
        parse_slots, required_text, slots_to_json, stored_level,
    },
    sync::Change,
};

/// While WAITING: days since this wait began (the referral, or the day the
/// last helper ended). Otherwise: how many days the last wait lasted.
pub fn waiting_days(family: &family::Model, now: DateTime<Utc>) -> i32 {
    if family.status == stored::FamilyStatus::Waiting {
        let since = family.waiting_since.unwrap_or(family.referred_at);
        return days_between(since, now);
    }
    match (family.last_waited_days, family.first_phase_in_at) {
        (Some(days), _) => days,
        (None, Some(first)) => days_between(family.referred_at, first),
        (None, None) => 0,
    }
}

/// Referral day + 30 while no helper was ever phased in; `None` once answered.
pub fn answer_due_on(family: &family::Model) -> Option<chrono::NaiveDate> {
    family
        .first_phase_in_at
        .is_none()
        .then(|| family.referred_at.date_naive() + Duration::days(ANSWER_WITHIN_DAYS))
}

/// While WAITING: the day this wait began.
pub fn waiting_since(family: &family::Model) -> Option<chrono::NaiveDate> {
    (family.status == stored::FamilyStatus::Waiting).then(|| {
        family
            .waiting_since
            .unwrap_or(family.referred_at)
            .date_naive()
    })
}

/// Waiting-list order: CRISIS before HIGH before NORMAL, then the longest
/// current wait, then the key.
pub fn waiting_order(family: &family::Model) -> (u8, DateTime<Utc>, Uuid) {
    let rank = match family.urgency {
        stored::Urgency::Crisis => 0,
        stored::Urgency::High => 1,
        stored::Urgency::Normal => 2,
    };
    (
        rank,
        family.waiting_since.unwrap_or(family.referred_at),
        family.id,
    )
}

/// Children ages: 0 to 25, at most 20 children.
fn check_children(ages: &[i32], field: &str) -> ApiResult<()> {
    if ages.len() > 20 {
        return Err(ApiError::bad_input(
            field,
            crate::core::locale::tr!("error-children-too-many", max = 20),
        ));
    }
    for (i, age) in ages.iter().enumerate() {
        if !(0..=25).contains(age) {
            return Err(ApiError::bad_input(
                format!("{field}[{i}]"),
                crate::core::locale::tr!("error-child-age", max = 25, age = *age),
            ));
        }
    }
    Ok(())
}

/// Resolves the preferred language, which must be one of the family's languages.
fn preferred_language(
    input: Option<&str>,
    languages: &[(matching::LanguageCode, matching::LanguageLevel)],
) -> ApiResult<Option<String>> {
    let field = "input.preferredLanguage";
    match input.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(raw) => {
            let code = parse_language(raw, field)?;
            if !languages.iter().any(|(c, _)| *c == code) {
                return Err(ApiError::bad_input(
                    field,
                    crate::core::locale::tr!(
                        "error-preferred-language",
                        language = code.language().code,
                    ),
                ));
            }
            Ok(Some(code.as_str().to_owned()))
        }
    }
}

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

/// One page of (not erased) families matching `filter` (of `only`, when
/// given); `references`: whether the search matches references too.
pub async fn find_family_page(
    db: &DatabaseConnection,
    filter: &FamilyFilter,
    page: &PageRequest,
    only: Option<&crate::auth::FamilySet>,
    references: bool,
) -> ApiResult<Page<family::Model>> {
    use sea_orm::QueryTrait;
    let mut select = family::Entity::find().filter(family::Column::ErasedAt.is_null());
    match only {
        None => {}
        Some(crate::auth::FamilySet::Listed(ids)) => {
            select = select.filter(family::Column::Id.is_in(ids.iter().copied()));
        }
        Some(crate::auth::FamilySet::Followed) => {
            let plans = entity::involvement::Entity::find()
                .select_only()
                .column(entity::involvement::Column::PlanId)
                .filter(entity::involvement::Column::VolunteerId.is_not_null())
                .filter(entity::involvement::Column::Status.is_in(crate::engine::LOAD_STATES));
            let families = plan::Entity::find()
                .select_only()
                .column(plan::Column::FamilyId)
                .filter(plan::Column::Id.in_subquery(plans.into_query()));
            select = select.filter(family::Column::Id.in_subquery(families.into_query()));
        }
    }
    if let Some(statuses) = &filter.status {
        select = select.filter(
            family::Column::Status.is_in(statuses.iter().map(|s| stored::FamilyStatus::from(*s))),
        );
    }
    if let Some(urgencies) = &filter.urgency {
        select = select.filter(
            family::Column::Urgency.is_in(urgencies.iter().map(|u| stored::Urgency::from(*u))),
        );
    }
    let search = filter.search_term()?;
    if search.is_none() && filter.crisis_type.is_none() {
        return Ok(keyset_page(db, select, family::Column::Id, page).await?);
    }
    let rows: Vec<(Uuid, String, String, serde_json::Value)> = select
        .select_only()
        .columns([
            family::Column::Id,
            family::Column::DisplayName,
            family::Column::Reference,
            family::Column::CrisisTypes,
        ])
        .order_by_asc(family::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut ids = Vec::new();
    for (id, name, reference, crises) in rows {
        if filter.admits(
            search,
            &name,
            references.then_some(reference.as_str()),
            &crises,
        )? {
            ids.push(id);
        }
    }
    let keys = page.slice(&ids);
    let items =
        load_in_order::<family::Entity, _>(db, family::Column::Id, &keys.items, |f| f.id).await?;
    Ok(Page {
        items,
        has_next: keys.has_next,
        has_previous: keys.has_previous,
        total: keys.total,
    })
}

/// The WAITING families (of `only`, when given) in key order, with their
/// languages by family.
pub async fn waiting_with_languages(
    db: &DatabaseConnection,
    only: Option<Vec<Uuid>>,
) -> ApiResult<(
    Vec<family::Model>,
    HashMap<Uuid, Vec<family_language::Model>>,
)> {
    let mut select = family::Entity::find()
        .filter(family::Column::ErasedAt.is_null())
        .filter(family::Column::Status.eq(stored::FamilyStatus::Waiting))
        .order_by_asc(family::Column::Id);
    if let Some(ids) = only {
        select = select.filter(family::Column::Id.is_in(ids));
    }
    let families = select.all(db).await?;
    let ids: Vec<Uuid> = families.iter().map(|f| f.id).collect();
    let mut languages: HashMap<Uuid, Vec<family_language::Model>> = HashMap::new();
    if !ids.is_empty() {
        for row in family_language::Entity::find()
            .filter(family_language::Column::FamilyId.is_in(ids))
            .order_by_asc(family_language::Column::Position)
            .all(db)
            .await?
        {
            languages.entry(row.family_id).or_default().push(row);
        }
    }
    Ok((families, languages))
}

/// The WAITING families that pass `filter`, in waiting-list order
/// ([`waiting_order`]).
pub async fn waiting_list(
    db: &DatabaseConnection,
    filter: &FamilyFilter,
    references: bool,
) -> ApiResult<Vec<family::Model>> {
    let search = filter.search_term()?;
    let mut rows = Vec::new();
    for family in family::Entity::find()
        .filter(family::Column::ErasedAt.is_null())
        .filter(family::Column::Status.eq(stored::FamilyStatus::Waiting))
        .all(db)
        .await?
    {
        if filter.admits_family(search, references, &family)? {
            rows.push(family);
        }
    }
    rows.sort_by_key(waiting_order);
    Ok(rows)
}
