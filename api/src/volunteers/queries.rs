//! Volunteer reads: a page of volunteers under a filter. Status and
//! language filter in SQL; the fuzzy name search and the distance from a
//! postal code filter in Rust.

use entity::{volunteer, volunteer_language};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
    sea_query::Query,
};
use uuid::Uuid;

use super::VolunteerFilter;
use crate::{
    core::error::{ApiError, ApiResult},
    core::paging::{keyset_page, load_in_order},
    core::relay::{Page, PageRequest},
    core::values::{fuzzy_matches, parse_language},
};

/// The volunteers `filter` admits by status and language (of `only`,
/// when given): what SQL filters.
fn volunteer_select(
    filter: &VolunteerFilter,
    only: Option<Uuid>,
) -> ApiResult<Select<volunteer::Entity>> {
    let mut select = volunteer::Entity::find();
    if let Some(id) = only {
        select = select.filter(volunteer::Column::Id.eq(id));
    }
    if let Some(statuses) = &filter.status {
        select = select.filter(
            volunteer::Column::Status.is_in(
                statuses
                    .iter()
                    .map(|s| entity::vocabulary::VolunteerStatus::from(*s)),
            ),
        );
    }
    if let Some(language) = &filter.language {
        let code = parse_language(language, "filter.language")?;
        select = select.filter(
            volunteer::Column::Id.in_subquery(
                Query::select()
                    .column(volunteer_language::Column::VolunteerId)
                    .from(volunteer_language::Entity)
                    .and_where(volunteer_language::Column::LanguageCode.eq(code.as_str()))
                    .to_owned(),
            ),
        );
    }
    Ok(select)
}

/// The centre and radius of a filter's "near a postal code" (10 km unless
/// given, at most 300); a radius without a postal code is BAD_USER_INPUT.
fn near_of(filter: &VolunteerFilter) -> ApiResult<Option<(matching::Coordinates, f64)>> {
    match (&filter.near_postal_code, filter.within_km) {
        (Some(code), km) => {
            let place = matching::lookup_postal_code(code).ok_or_else(|| {
                ApiError::bad_input(
                    "filter.nearPostalCode",
                    crate::core::locale::tr!(
                        "error-not-a-postal-code",
                        code = format!("{:?}", code.trim())
                    ),
                )
            })?;
            let km = km.unwrap_or(10.0);
            if !(km > 0.0 && km <= 300.0) {
                return Err(ApiError::bad_input(
                    "filter.withinKm",
                    crate::core::locale::tr!("error-within-km", max = 300),
                ));
            }
            Ok(Some((place.coordinates, km)))
        }
        (None, Some(_)) => Err(ApiError::bad_input(
            "filter.withinKm",
            crate::core::locale::tr!("error-within-km-alone"),
        )),
        (None, None) => Ok(None),
    }
}

/// A filter's name search, trimmed (none when blank; at most 100
/// characters).
fn search_of(filter: &VolunteerFilter) -> ApiResult<Option<&str>> {
    let search = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(search) = search
        && search.chars().count() > 100
    {
        return Err(ApiError::bad_input(
            "filter.search",
            crate::core::locale::tr!("error-too-long", field = "search", max = 100),
        ));
    }
    Ok(search)
}

/// One page of the volunteers `select` admits whose name matches `search`
/// (fuzzily) and who live within `near`: both filter in Rust over the
/// (id, name, coordinates) columns, then the page's rows are read.
async fn page_filtered_in_rust(
    db: &DatabaseConnection,
    select: Select<volunteer::Entity>,
    search: Option<&str>,
    near: Option<(matching::Coordinates, f64)>,
    page: &PageRequest,
) -> ApiResult<Page<volunteer::Model>> {
    let rows: Vec<(Uuid, String, f64, f64)> = select
        .select_only()
        .columns([
            volunteer::Column::Id,
            volunteer::Column::Name,
            volunteer::Column::Latitude,
            volunteer::Column::Longitude,
        ])
        .order_by_asc(volunteer::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows
        .into_iter()
        .filter(|(_, name, lat, lon)| {
            search.is_none_or(|s| fuzzy_matches(name, s))
                && near.is_none_or(|(centre, km)| {
                    matching::Coordinates::new(*lat, *lon)
                        .is_ok_and(|c| c.distance_km(&centre) <= km)
                })
        })
        .map(|(id, ..)| id)
        .collect();
    let keys = page.slice(&ids);
    let items =
        load_in_order::<volunteer::Entity, _>(db, volunteer::Column::Id, &keys.items, |v| v.id)
            .await?;
    Ok(Page {
        items,
        has_next: keys.has_next,
        has_previous: keys.has_previous,
        total: keys.total,
    })
}

/// One page of volunteers matching `filter`. Status and language filter in
/// SQL; fuzzy name search and distance, which SQL cannot do the same way on
/// both backends, filter in Rust over the (id, name, coordinates) columns.
pub async fn find_volunteer_page(
    db: &DatabaseConnection,
    filter: &VolunteerFilter,
    page: &PageRequest,
    only: Option<Uuid>,
) -> ApiResult<Page<volunteer::Model>> {
    let select = volunteer_select(filter, only)?;
    let near = near_of(filter)?;
    let search = search_of(filter)?;
    if search.is_none() && near.is_none() {
        return Ok(keyset_page(db, select, volunteer::Column::Id, page).await?);
    }
    page_filtered_in_rust(db, select, search, near, page).await
}
