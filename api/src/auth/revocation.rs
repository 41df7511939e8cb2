//! Accounts switched off and sessions ended, inside the caller's
//! transaction. Identity and sessions belong here: `setUserDisabled` and
//! `changeMyPassword` (accounts) and a volunteer's status becoming STOPPED
//! (volunteers) end sessions the same way, and neither domain reaches into
//! the other for it. Each revoked session is returned as
//! [`Change::SessionRevoked`], for the caller to publish once it commits, so
//! that every replica's session cache forgets it.

use chrono::Utc;
use entity::{app_user, session};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, sea_query::Expr,
};
use uuid::Uuid;

use crate::{core::error::ApiResult, sync::Change};

/// Revokes every live session of `users` (except `keep`), inside the
/// caller's transaction; returns what to publish once it commits.
pub async fn revoke_sessions<C: ConnectionTrait>(
    txn: &C,
    users: &[Uuid],
    keep: Option<Uuid>,
) -> ApiResult<Vec<Change>> {
    if users.is_empty() {
        return Ok(Vec::new());
    }
    let mut live = session::Entity::find()
        .select_only()
        .column(session::Column::Id)
        .filter(session::Column::UserId.is_in(users.iter().copied()))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        live = live.filter(session::Column::Id.ne(keep));
    }
    let ids: Vec<Uuid> = live.into_tuple().all(txn).await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(Some(Utc::now())))
        .filter(session::Column::Id.is_in(ids.iter().copied()))
        .exec(txn)
        .await?;
    Ok(ids.into_iter().map(Change::SessionRevoked).collect())
}

/// Switches accounts `users` on or off; switching off revokes their sessions.
pub async fn set_disabled<C: ConnectionTrait>(
    txn: &C,
    users: &[Uuid],
    disabled: bool,
) -> ApiResult<Vec<Change>> {
    if users.is_empty() {
        return Ok(Vec::new());
    }
    app_user::Entity::update_many()
        .col_expr(app_user::Column::Disabled, Expr::value(disabled))
        .col_expr(app_user::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(app_user::Column::Id.is_in(users.iter().copied()))
        .exec(txn)
        .await?;
    if disabled {
        revoke_sessions(txn, users, None).await
    } else {
        Ok(Vec::new())
    }
}

/// Disables the accounts of a volunteer who stopped, inside the caller's
/// transaction; returns the revoked sessions to publish once it commits.
pub async fn disable_accounts_of_volunteer<C: ConnectionTrait>(
    txn: &C,
    volunteer: Uuid,
) -> ApiResult<Vec<Change>> {
    let accounts: Vec<Uuid> = app_user::Entity::find()
        .select_only()
        .column(app_user::Column::Id)
        .filter(app_user::Column::VolunteerId.eq(volunteer))
        .into_tuple()
        .all(txn)
        .await?;
    set_disabled(txn, &accounts, true).await
}
