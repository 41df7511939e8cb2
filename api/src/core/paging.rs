//! Query helpers shared by the domain modules: keyset pages and
//! version-checked updates.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

use crate::{
    core::error::{ApiError, ApiResult},
    core::locale::tr,
    core::relay::{Page, PageRequest},
};

/// One keyset page of `select` in ascending `id` order, plus the total count
/// when `req.count` asks for it (0 otherwise). One or two statements, whatever
/// the page size.
pub async fn keyset_page<E, C>(
    db: &C,
    select: Select<E>,
    id: E::Column,
    req: &PageRequest,
) -> Result<Page<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait,
{
    let total = if req.count {
        select.clone().count(db).await? as usize
    } else {
        0
    };
    let mut query = select;
    if let Some(after) = req.after {
        query = query.filter(id.gt(after));
    }
    if let Some(before) = req.before {
        query = query.filter(id.lt(before));
    }
    let fetch = req.limit as u64 + 1;
    let rows = if req.from_end {
        let mut rows = query.order_by_desc(id).limit(fetch).all(db).await?;
        rows.reverse();
        rows
    } else {
        query.order_by_asc(id).limit(fetch).all(db).await?
    };
    Ok(req.page_of(rows, total))
}

/// Loads rows by key and returns them in the order of `ids` (for pages whose
/// order was decided in Rust).
pub async fn load_in_order<E, C>(
    db: &C,
    id: E::Column,
    ids: &[Uuid],
    key: impl Fn(&E::Model) -> Uuid,
) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows = E::find()
        .filter(id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    rows.sort_by_key(|row| ids.iter().position(|i| *i == key(row)));
    Ok(rows)
}

/// Checks a client's `expectedVersion` against the stored one.
pub fn check_version(kind: &str, expected: Option<i32>, current: i32) -> ApiResult<()> {
    match expected {
        Some(expected) if expected != current => {
            Err(ApiError::stale_version(kind, expected, current))
        }
        _ => Ok(()),
    }
}

/// Writes `changes` only if the row is still at `read_version` (so two
/// writers that read the same version cannot both win, on either backend).
/// The caller sets `version` to `read_version + 1` in `changes`.
pub async fn update_if_version<A, C>(
    db: &C,
    kind: &str,
    changes: A,
    version: <A::Entity as EntityTrait>::Column,
    read_version: i32,
) -> ApiResult<<A::Entity as EntityTrait>::Model>
where
    A: ActiveModelTrait + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
    C: ConnectionTrait,
{
    let update = <A::Entity as EntityTrait>::update(changes).validate()?;
    match update.filter(version.eq(read_version)).exec(db).await {
        Ok(model) => Ok(model),
        Err(DbErr::RecordNotUpdated) => Err(ApiError::conflict(tr!(
            "error-changed-meanwhile",
            kind = kind
        ))),
        Err(e) => Err(e.into()),
    }
}
