//! User management: `users`, `createUser` and `setUserDisabled` (ADMIN),
//! `changeMyPassword`, `setMyLocale`. A disabled account cannot sign in and
//! every session it had ends at once, on every replica (each revoked session
//! is published as [`Change::SessionRevoked`](crate::sync::Change), so every
//! replica's session cache forgets it). A volunteer whose status becomes
//! STOPPED has their account disabled the same way
//! ([`crate::auth::revocation`]).

use async_graphql::{Context, ID, Object};
use chrono::Utc;
use entity::app_user;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::auth::{
    ViewerExt,
    revocation::{revoke_sessions, set_disabled},
};
use crate::core::relay::NodeKind;
use crate::{
    accounts::User,
    auth::Role,
    core::db::begin_write,
    core::error::{ApiError, ApiResult, ResultExt},
    core::locale::tr,
    core::relay::{Page, PageRequest, expect_id},
    core::state::ContextExt,
};

crate::connection!(UserConnection, UserEdge, User);

/// User management queries.
#[derive(Default, Debug)]
pub struct UsersQuery;

#[Object]
impl UsersQuery {
    /// ADMIN only. Accounts in the order they were created, optionally of one
    /// role, or only the disabled (or only the enabled) ones.
    async fn users(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start (at most 100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Only rows after this cursor.")] after: Option<String>,
        #[graphql(desc = "Only accounts with this role.")] role: Option<Role>,
        #[graphql(desc = "Only accounts that are (true) or are not (false) switched off.")]
        disabled: Option<bool>,
    ) -> ApiResult<UserConnection> {
        let page = PageRequest::parse::<UserConnection>(first, after, None, None)?.counting(ctx);
        let mut select = app_user::Entity::find();
        if let Some(role) = role {
            select = select.filter(app_user::Column::Role.eq(entity::vocabulary::Role::from(role)));
        }
        if let Some(disabled) = disabled {
            select = select.filter(app_user::Column::Disabled.eq(disabled));
        }
        let rows =
            crate::core::paging::keyset_page(&ctx.state()?.db, select, app_user::Column::Id, &page)
                .await?;
        let users = Page {
            items: rows
                .items
                .into_iter()
                .map(User::from_model)
                .collect::<ApiResult<Vec<_>>>()?,
            has_next: rows.has_next,
            has_previous: rows.has_previous,
            total: rows.total,
        };
        Ok(users.into_connection(|u| u.key, |u| u))
    }
}

/// User management mutations.
#[derive(Default, Debug)]
pub struct UsersMutation;

#[Object]
impl UsersMutation {
    /// ADMIN only.
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account.")] input: CreateUserInput,
    ) -> ApiResult<User> {
        let volunteer_id = input
            .volunteer_id
            .as_ref()
            .map(|id| expect_id(id, NodeKind::Volunteer, "input.volunteerId"))
            .transpose()?;
        super::create_user(
            &ctx.state()?.db,
            super::NewUser {
                name: input.name,
                email: input.email,
                role: input.role,
                password: input.password,
                volunteer_id,
            },
        )
        .await
    }

    /// ADMIN only. Ends every session of the user at once.
    async fn set_user_disabled(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account.")] user_id: ID,
        #[graphql(
            desc = "True switches the account off (its sessions end at once); false switches it on again."
        )]
        disabled: bool,
    ) -> ApiResult<User> {
        let state = ctx.state()?;
        let key = expect_id(&user_id, NodeKind::User, "userId")?;
        let txn = begin_write(&state.db).await?;
        if app_user::Entity::find_by_id(key).one(&txn).await?.is_none() {
            return Err(ApiError::not_found("User")).naming("userId", "User");
        }
        let revoked = set_disabled(&txn, &[key], disabled).await?;
        crate::sync::commit(txn, state, &revoked).await?;
        let user = app_user::Entity::find_by_id(key)
            .one(&state.db)
            .await?
            .ok_or_else(|| ApiError::not_found("User"))?;
        User::from_model(user)
    }

    /// Changes the signed-in user's password: the current one first, the new
    /// one through the password policy. Their other sessions end.
    async fn change_my_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The password now in use.")] current_password: String,
        #[graphql(desc = "The new password.")] new_password: String,
    ) -> ApiResult<bool> {
        let viewer = ctx.viewer()?;
        let state = ctx.state()?;
        crate::core::values::new_password("newPassword", &new_password)?;
        let user = app_user::Entity::find_by_id(viewer.user_id)
            .one(&state.db)
            .await?
            .ok_or_else(|| ApiError::Unauthenticated(tr!("error-sign-in-again")))?;
        let stored = user.password_hash.clone();
        let hashed = tokio::task::spawn_blocking(move || {
            crate::accounts::verify_password(&current_password, &stored)
                .then(|| crate::accounts::hash_password(&new_password))
        })
        .await
        .map_err(ApiError::internal)?;
        let Some(hashed) = hashed else {
            return Err(ApiError::Unauthenticated(tr!(
                "error-wrong-current-password"
            )));
        };
        let txn = begin_write(&state.db).await?;
        app_user::Entity::update(app_user::ActiveModel {
            id: Set(user.id),
            password_hash: Set(hashed?),
            version: Set(user.version + 1),
            updated_at: Set(Utc::now()),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        let revoked = revoke_sessions(&txn, &[user.id], Some(viewer.session_id)).await?;
        crate::sync::commit(txn, state, &revoked).await?;
        Ok(true)
    }

    /// The language Tandem speaks to the signed-in user in, when a request
    /// sends no `Accept-Language` it speaks. Other replicas see the change
    /// within the session cache's 30 seconds.
    async fn set_my_locale(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language to speak to the signed-in user in.")]
        locale: crate::core::locale::Locale,
    ) -> ApiResult<User> {
        let viewer = ctx.viewer()?;
        let state = ctx.state()?;
        let txn = begin_write(&state.db).await?;
        let user = app_user::Entity::find_by_id(viewer.user_id)
            .one(&txn)
            .await?
            .ok_or_else(|| ApiError::Unauthenticated(tr!("error-sign-in-again")))?;
        let updated = app_user::Entity::update(app_user::ActiveModel {
            id: Set(user.id),
            locale: Set(Some(locale.into())),
            version: Set(user.version + 1),
            updated_at: Set(Utc::now()),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        crate::sync::commit(txn, state, &[]).await?;
        state
            .part::<std::sync::Arc<crate::accounts::SessionCache>>()?
            .forget_user(viewer.user_id);
        User::from_model(updated)
    }
}

/// A new account.
#[derive(Clone, Debug, async_graphql::InputObject)]
pub struct CreateUserInput {
    /// Full name.
    pub name: String,
    /// Login email.
    pub email: String,
    /// Role.
    pub role: Role,
    /// At least 12 characters.
    pub password: String,
    /// For VOLUNTEER accounts: their volunteer record.
    pub volunteer_id: Option<ID>,
}
