//! The follow-up's DataLoaders: a volunteer's follow-up facts, and one
//! page of a volunteer's check-ins (the pages of a list of volunteers in
//! one statement).

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::check_in;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::cadence::{FollowUpFacts, follow_up_facts};
use crate::{
    core::loaders::{DbLoader, LoadError},
    core::relay::{Page, PageRequest},
};

/// Follow-up facts of a volunteer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FollowUpOf(pub Uuid);

impl Loader<FollowUpOf> for DbLoader {
    type Value = FollowUpFacts;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[FollowUpOf],
    ) -> Result<HashMap<FollowUpOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(follow_up_facts(&self.db, Some(&ids))
            .await?
            .into_iter()
            .map(|(id, facts)| (FollowUpOf(id), facts))
            .collect())
    }
}

/// One page of a volunteer's check-ins (`Volunteer.checkIns(first, after)`).
/// A list of volunteers that asks for the same page of each loads them
/// together: one statement for the pages, one more for `totalCount`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CheckInsOf {
    pub(super) volunteer_id: Uuid,
    pub(super) limit: usize,
    pub(super) after: Option<Uuid>,
    pub(super) count: bool,
}

impl Loader<CheckInsOf> for DbLoader {
    type Value = Page<check_in::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[CheckInsOf],
    ) -> Result<HashMap<CheckInsOf, Self::Value>, Self::Error> {
        let mut shapes: HashMap<(usize, Option<Uuid>, bool), Vec<Uuid>> = HashMap::new();
        for key in keys {
            shapes
                .entry((key.limit, key.after, key.count))
                .or_default()
                .push(key.volunteer_id);
        }
        let mut out = HashMap::with_capacity(keys.len());
        for ((limit, after, count), ids) in shapes {
            let request = PageRequest {
                limit,
                after,
                before: None,
                from_end: false,
                count,
            };
            let totals = if count {
                check_in_counts(&self.db, &ids).await?
            } else {
                HashMap::new()
            };
            let mut pages = first_check_ins(&self.db, &ids, limit + 1, after).await?;
            for volunteer_id in ids {
                let rows = pages.remove(&volunteer_id).unwrap_or_default();
                let total = totals.get(&volunteer_id).copied().unwrap_or(0);
                let key = CheckInsOf {
                    volunteer_id,
                    limit,
                    after,
                    count,
                };
                out.insert(key, request.page_of(rows, total));
            }
        }
        Ok(out)
    }
}

/// The first `take` check-ins of each volunteer in `ids` (after `after`), in
/// logging order, in one statement: `ROW_NUMBER()` over each volunteer's rows.
async fn first_check_ins(
    db: &sea_orm::DatabaseConnection,
    ids: &[Uuid],
    take: usize,
    after: Option<Uuid>,
) -> Result<HashMap<Uuid, Vec<check_in::Model>>, sea_orm::DbErr> {
    use sea_orm::{
        FromQueryResult, QueryTrait,
        sea_query::{Alias, Asterisk, Expr, ExprTrait, Order, Query, WindowStatement},
    };
    let mut select =
        check_in::Entity::find().filter(check_in::Column::VolunteerId.is_in(ids.iter().copied()));
    if let Some(after) = after {
        select = select.filter(check_in::Column::Id.gt(after));
    }
    let mut numbered = select.into_query();
    numbered.expr_window_as(
        Expr::cust("ROW_NUMBER()"),
        WindowStatement::partition_by(check_in::Column::VolunteerId)
            .order_by(check_in::Column::Id, Order::Asc)
            .to_owned(),
        Alias::new("n"),
    );
    let page = Query::select()
        .column(Asterisk)
        .from_subquery(numbered, Alias::new("numbered"))
        .and_where(Expr::col(Alias::new("n")).lte(take as i64))
        .order_by(check_in::Column::Id, Order::Asc)
        .to_owned();
    let statement = db.get_database_backend().build(&page);
    let mut out: HashMap<Uuid, Vec<check_in::Model>> = HashMap::new();
    for row in check_in::Model::find_by_statement(statement)
        .all(db)
        .await?
    {
        out.entry(row.volunteer_id).or_default().push(row);
    }
    Ok(out)
}

/// How many check-ins each volunteer in `ids` has (`totalCount`).
async fn check_in_counts(
    db: &sea_orm::DatabaseConnection,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, usize>, sea_orm::DbErr> {
    use sea_orm::QuerySelect;
    let counts: Vec<(Uuid, i64)> = check_in::Entity::find()
        .select_only()
        .column(check_in::Column::VolunteerId)
        .column_as(check_in::Column::Id.count(), "n")
        .filter(check_in::Column::VolunteerId.is_in(ids.iter().copied()))
        .group_by(check_in::Column::VolunteerId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(counts.into_iter().map(|(id, n)| (id, n as usize)).collect())
}
