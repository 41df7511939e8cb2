//! Accounts: users, passwords (argon2id), bearer tokens and `me`.
//!
//! A token is 32 random bytes handed to the client once; the database keeps
//! only its SHA-256, so a leaked database holds no usable token.

pub mod login;
mod sessions;
pub mod users;

use sessions::token_hash;
pub use sessions::{SessionCache, authenticate_cached, bearer_token};

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier, password_hash::SaltString};
use async_graphql::{ComplexObject, Context, ID, Object, SimpleObject};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use entity::{app_user, session, volunteer};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::auth::ViewerExt;
use crate::core::relay::NodeKind;
use crate::{
    auth::Role,
    core::error::{ApiError, ApiResult},
    core::locale::tr,
    core::relay::{expect_id, global_id},
    core::state::ContextExt,
    volunteers::Volunteer,
};

/// Someone who can sign in.
#[derive(Clone, Debug, SimpleObject)]
#[graphql(complex, guard = "crate::auth::Scoped(self)")]
pub struct User {
    /// Global ID.
    #[graphql(owned)]
    pub id: ID,
    /// Full name.
    pub name: String,
    /// Login email.
    pub email: String,
    /// What they may do.
    pub role: Role,
    /// A disabled account cannot log in; its sessions end at once (WebSockets included).
    pub disabled: bool,
    #[graphql(skip)]
    pub volunteer_id: Option<Uuid>,
    /// The user's key.
    #[graphql(skip)]
    pub key: Uuid,
    /// The account that has just signed in (read before any token exists).
    #[graphql(skip)]
    pub signing_in: bool,
    /// The locale they chose, if any.
    #[graphql(skip)]
    pub chosen_locale: Option<crate::core::locale::Locale>,
}

#[ComplexObject(guard = "crate::auth::Scoped(self)")]
impl User {
    /// The language Tandem speaks to them in when a request's
    /// `Accept-Language` names none it speaks: their choice (`setMyLocale`),
    /// else the server's default.
    async fn locale(&self, ctx: &Context<'_>) -> ApiResult<crate::core::locale::Locale> {
        Ok(match self.chosen_locale {
            Some(locale) => locale,
            None => ctx.state()?.settings.default_locale,
        })
    }
    /// For VOLUNTEER accounts: their volunteer record.
    async fn volunteer(&self, ctx: &Context<'_>) -> ApiResult<Option<Volunteer>> {
        match self.volunteer_id {
            Some(id) => crate::volunteers::load_one(ctx, id).await,
            None => Ok(None),
        }
    }
}

impl User {
    pub(crate) fn from_model(model: app_user::Model) -> ApiResult<User> {
        Ok(User {
            id: global_id(NodeKind::User, model.id),
            role: model.role.into(),
            name: model.name,
            email: model.email,
            disabled: model.disabled,
            volunteer_id: model.volunteer_id,
            key: model.id,
            signing_in: false,
            chosen_locale: model.locale.map(crate::core::locale::Locale::from),
        })
    }
}

/// A signed-in session.
#[derive(Clone, Debug, SimpleObject)]
pub struct Session {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// After this the token no longer works.
    pub expires_at: DateTime<Utc>,
    /// Who signed in.
    pub user: User,
}

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let salt = SaltString::encode_b64(&bytes).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
}

/// Whether `password` matches the argon2 `hash` (CPU-heavy: call it through
/// [`login::check_password`](crate::accounts::login::check_password) on a request path).
pub(crate) fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A password hash that no password matches, checked when the email is
/// unknown so that a failed login takes as long either way.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$4o8Q8t1Oy3Oq9V5c0d7Ck9Lc8ZkTQ3bq7yF6m2m0p8Y";

/// What `create_user` needs.
#[derive(Debug)]
pub struct NewUser {
    /// Full name.
    pub name: String,
    /// Login email (unique, compared lower-case).
    pub email: String,
    /// Role.
    pub role: Role,
    /// Plain password; hashed here.
    pub password: String,
    /// For VOLUNTEER accounts.
    pub volunteer_id: Option<Uuid>,
}

/// Creates a user (CLI `users add`). Bad input is BAD_USER_INPUT naming the field.
pub async fn create_user(db: &DatabaseConnection, new: NewUser) -> ApiResult<User> {
    let email = crate::core::values::email("input.email", &new.email)?;
    let name = new.name.trim().to_owned();
    if name.is_empty() || name.len() > 200 {
        return Err(ApiError::bad_input(
            "input.name",
            tr!("error-user-name", max = 200),
        ));
    }
    crate::core::values::check_text("input.name", crate::core::values::TextKind::Name, &name)?;
    crate::core::values::new_password("input.password", &new.password)?;
    if new.role == Role::Volunteer && new.volunteer_id.is_none() {
        return Err(ApiError::bad_input(
            "input.volunteerId",
            tr!("error-volunteer-account-needs-record"),
        ));
    }
    if new.role != Role::Volunteer && new.volunteer_id.is_some() {
        return Err(ApiError::bad_input(
            "input.volunteerId",
            tr!("error-account-not-volunteer", role = new.role.to_string()),
        ));
    }
    if let Some(volunteer_id) = new.volunteer_id {
        if volunteer::Entity::find_by_id(volunteer_id)
            .one(db)
            .await?
            .is_none()
        {
            return Err(ApiError::not_found_at(
                "input.volunteerId",
                "Volunteer",
                &crate::core::relay::global_id("Volunteer", volunteer_id),
            ));
        }
        if let Some(taken) = volunteer_taken(db, volunteer_id).await? {
            return Err(taken);
        }
    }
    let password = new.password;
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(ApiError::internal)??;
    let now = Utc::now();
    let model = app_user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email.clone()),
        name: Set(name),
        role: Set(new.role.into()),
        password_hash: Set(hash),
        volunteer_id: Set(new.volunteer_id),
        disabled: Set(false),
        locale: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    };
    match app_user::Entity::insert(model)
        .exec_with_returning(db)
        .await
    {
        Ok(row) => User::from_model(row),
        Err(e) => match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(what)) if names_volunteer(&what) => {
                let taken = match new.volunteer_id {
                    Some(volunteer_id) => volunteer_taken(db, volunteer_id).await?,
                    None => None,
                };
                Err(taken.ok_or_else(|| ApiError::internal(e))?)
            }
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => Err(ApiError::bad_input(
                "input.email",
                tr!("error-email-taken", email = email),
            )),
            _ => Err(e.into()),
        },
    }
}

/// Whether a unique-key violation is that of one account per volunteer
/// (PostgreSQL names the index, SQLite the column).
fn names_volunteer(violation: &str) -> bool {
    violation.contains("app_user_one_per_volunteer") || violation.contains("volunteer_id")
}

/// The CONFLICT on `input.volunteerId` when volunteer `volunteer_id`
/// already has an account: one account per volunteer, kept by a unique
/// index too, so that of two requests at the same moment one gets this.
async fn volunteer_taken(
    db: &DatabaseConnection,
    volunteer_id: Uuid,
) -> ApiResult<Option<ApiError>> {
    Ok(app_user::Entity::find()
        .filter(app_user::Column::VolunteerId.eq(volunteer_id))
        .one(db)
        .await?
        .map(|other| ApiError::ConflictAt {
            field: "input.volunteerId".to_owned(),
            message: tr!("error-volunteer-has-account", email = &other.email),
        }))
}

/// `me`.
#[derive(Default, Debug)]
pub struct AccountsQuery;

#[Object]
impl AccountsQuery {
    /// The signed-in user.
    async fn me(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        let viewer = ctx.viewer()?;
        let db = &ctx.state()?.db;
        match app_user::Entity::find_by_id(viewer.user_id).one(db).await? {
            Some(model) => Ok(Some(User::from_model(model)?)),
            None => Ok(None),
        }
    }
}

/// `login`.
#[derive(Default, Debug)]
pub struct AccountsMutation;

#[Object]
impl AccountsMutation {
    /// Exchanges an email and password for a bearer token.
    async fn login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account's email.")] email: String,
        #[graphql(desc = "Its password.")] password: String,
    ) -> ApiResult<Session> {
        let state = ctx.state()?;
        crate::accounts::login::OneLogin::take(ctx)?;
        let email: String = email.trim().to_lowercase().chars().take(254).collect();
        let attempt = crate::accounts::login::begin(ctx, state, &email).await?;
        let user = app_user::Entity::find()
            .filter(app_user::Column::Email.eq(email.clone()))
            .one(&state.db)
            .await?;
        let hash = user
            .as_ref()
            .map(|u| u.password_hash.clone())
            .unwrap_or_else(|| DUMMY_HASH.to_owned());
        let ok = crate::accounts::login::check_password(state, password, hash).await?;
        let user = match user {
            Some(user) if ok && !user.disabled => user,
            _ => {
                attempt.failed(&state.db).await?;
                return Err(ApiError::Unauthenticated(tr!("error-wrong-credentials")));
            }
        };
        attempt.succeeded(&state.db).await?;
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let token = URL_SAFE_NO_PAD.encode(bytes);
        let now = Utc::now();
        let expires_at = now
            + chrono::Duration::from_std(state.settings.token_ttl).map_err(ApiError::internal)?;
        session::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(user.id),
            token_hash: Set(token_hash(&token)),
            expires_at: Set(expires_at),
            revoked_at: Set(None),
            created_at: Set(now),
        }
        .insert(&state.db)
        .await?;
        Ok(Session {
            token,
            expires_at,
            user: User {
                signing_in: true,
                ..User::from_model(user)?
            },
        })
    }

    /// Revokes the token of this request; it no longer works anywhere.
    async fn logout(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let viewer = ctx.viewer()?;
        let state = ctx.state()?;
        let txn = crate::core::db::begin_write(&state.db).await?;
        session::Entity::update_many()
            .col_expr(
                session::Column::RevokedAt,
                sea_orm::sea_query::Expr::value(Some(Utc::now())),
            )
            .filter(session::Column::Id.eq(viewer.session_id))
            .exec(&txn)
            .await?;
        let revoked = [crate::sync::Change::SessionRevoked(viewer.session_id)];
        crate::sync::commit(txn, state, &revoked).await?;
        Ok(true)
    }
}

/// Parses a `User` global ID (for `node`).
pub async fn load_user(ctx: &Context<'_>, id: &ID) -> ApiResult<Option<User>> {
    let key = expect_id(id, NodeKind::User, "id")?;
    let db = &ctx.state()?.db;
    match app_user::Entity::find_by_id(key).one(db).await? {
        Some(model) => {
            let user = User::from_model(model)?;
            Ok(crate::auth::sees(ctx, &user).await?.then_some(user))
        }
        None => Ok(None),
    }
}

impl crate::auth::Record for User {
    const TYPE: &'static str = "User";

    async fn relation(
        &self,
        _: &str,
        viewing: &crate::auth::Viewing<'_>,
    ) -> crate::core::error::ApiResult<crate::auth::Access> {
        Ok(if self.key == viewing.viewer.user_id {
            crate::auth::Access::OWN
        } else {
            crate::auth::Access::NO
        })
    }

    fn signed_in_as(&self) -> Option<crate::auth::Role> {
        self.signing_in.then_some(self.role)
    }
}
