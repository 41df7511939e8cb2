//! Family reads: the waiting figures of a family row (days waited, the day
//! an answer is due, the waiting-list order), a page of families under a
//! filter, and the waiting list.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use entity::{family, family_language, plan, vocabulary as stored};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::FamilyFilter;
use crate::engine::{ANSWER_WITHIN_DAYS, days_between};
use crate::{
    core::error::ApiResult,
    core::paging::{keyset_page, load_in_order},
    core::relay::{Page, PageRequest},
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
