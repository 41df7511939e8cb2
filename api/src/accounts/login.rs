//! Login attempts: counted before the password is checked, throttled per
//! client address, and pruned.
//!
//! - An attempt is recorded as a failure *before* its password is checked
//!   and removed again if the password was right (the failures before it
//!   keep counting), in a transaction that is
//!   serialised per client address and per email: in this process by a lock
//!   on each, across replicas by `pg_advisory_xact_lock` on PostgreSQL (on
//!   SQLite, `BEGIN IMMEDIATE` serialises every write already). Forty
//!   parallel guesses are forty attempts, counted one after the other; none
//!   gets past the limit by racing the others.
//! - From one client address, [`MAX_FAILURES_PER_EMAIL`] failures for an
//!   email within [`WINDOW_MINUTES`] stop further attempts at that email from
//!   that address until the oldest of them is out of the window; beyond
//!   [`FREE_FAILURES_PER_ADDRESS`] failures (any email), each further attempt
//!   from that address waits twice as long as the one before (1 s, 2 s, 4 s,
//!   ... up to the window). Refusals are TOO_MANY_REQUESTS with
//!   `extensions.retryAfter`. Other addresses are not slowed at all: a
//!   stranger's failures never lock the real user out.
//! - Failures older than the window are deleted by every attempt.
//! - Passwords are checked (argon2) on the blocking pool, at most
//!   [`Limits::password_checks`](crate::core::config::Limits) at once; one request
//!   checks at most one password.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
};

use async_graphql::Context;
use chrono::{DateTime, Utc};
use entity::login_failure;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, Statement, sea_query::Expr,
};
use tokio::sync::{OwnedMutexGuard, Semaphore};
use uuid::Uuid;

use crate::{
    core::db::begin_write,
    core::error::{ApiError, ApiResult},
    core::locale::tr,
    core::state::AppState,
};

/// Failures for one email from one client address that stop further
/// attempts at it from there.
pub const MAX_FAILURES_PER_EMAIL: u64 = 5;
/// Failures from one client address (any email) before each further attempt waits.
pub const FREE_FAILURES_PER_ADDRESS: u64 = 10;
/// How long a failure counts; older ones are deleted.
pub const WINDOW_MINUTES: i64 = 15;

/// The address of the client a request came from: the peer, or what a
/// trusted proxy said in `X-Forwarded-For`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// Per request: whether it has checked a password already (one per request,
/// so that aliases cannot multiply the work or the guesses).
#[derive(Debug, Default)]
pub struct OneLogin(AtomicBool);

impl OneLogin {
    /// Takes this request's one login; BAD_USER_INPUT the second time.
    pub fn take(ctx: &Context<'_>) -> ApiResult<()> {
        match ctx.data_opt::<OneLogin>() {
            Some(once) if once.0.swap(true, Ordering::SeqCst) => {
                Err(ApiError::bad_input("email", tr!("error-one-login")))
            }
            _ => Ok(()),
        }
    }
}

/// What this process holds for logins: the locks that serialise attempts
/// per address and per email, and the bound on concurrent password checks.
#[derive(Debug)]
pub struct Logins {
    locks: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    password_checks: Arc<Semaphore>,
}

impl Logins {
    /// At most `password_checks` argon2 verifications at once.
    pub fn new(password_checks: usize) -> Logins {
        Logins {
            locks: std::sync::Mutex::default(),
            password_checks: Arc::new(Semaphore::new(password_checks.max(1))),
        }
    }

    async fn lock(&self, key: String) -> ApiResult<OwnedMutexGuard<()>> {
        let lock = {
            let mut locks = self
                .locks
                .lock()
                .map_err(|_| ApiError::internal(anyhow::anyhow!("login locks poisoned")))?;
            locks.retain(|_, lock| Arc::strong_count(lock) > 1);
            locks.entry(key).or_default().clone()
        };
        Ok(lock.lock_owned().await)
    }
}

/// An attempt under way, counted as a failure until [`Attempt::succeeded`].
#[derive(Debug)]
pub struct Attempt {
    id: Uuid,
}

/// Counts an attempt at `email` from the request's client, or refuses it
/// with TOO_MANY_REQUESTS when the address has failed too often.
pub async fn begin(ctx: &Context<'_>, state: &AppState, email: &str) -> ApiResult<Attempt> {
    let client = ctx
        .data_opt::<ClientAddr>()
        .map(|c| c.0.to_string())
        .unwrap_or_default();
    let logins = state.part::<std::sync::Arc<Logins>>()?;
    let _address = logins.lock(format!("address {client}")).await?;
    let _email = logins.lock(format!("email {email}")).await?;
    let txn = begin_write(&state.db).await?;
    serialise_across_replicas(&txn, &client, email).await?;
    let now = Utc::now();
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::At.lt(now - window()))
        .exec(&txn)
        .await?;
    refuse_if_throttled(&txn, &client, email, now).await?;
    let attempt = Attempt { id: Uuid::now_v7() };
    login_failure::Entity::insert(login_failure::ActiveModel {
        id: Set(attempt.id),
        email: Set(email.to_owned()),
        at: Set(now),
        client: Set(client),
    })
    .exec_without_returning(&txn)
    .await?;
    // Nothing held in memory changes: the attempt's row alone.
    crate::sync::commit(txn, state, &[]).await?;
    Ok(attempt)
}

impl Attempt {
    /// The password was wrong: the failure stays, dated now, so that the
    /// wait before the address's next attempt counts from its answer.
    pub async fn failed(self, db: &sea_orm::DatabaseConnection) -> ApiResult<()> {
        login_failure::Entity::update_many()
            .col_expr(login_failure::Column::At, Expr::value(Utc::now()))
            .filter(login_failure::Column::Id.eq(self.id))
            .exec(db)
            .await?;
        Ok(())
    }

    /// The password was right: this attempt is no failure. The failures
    /// before it still count until they leave the window, so that a
    /// success in the middle of a burst of guesses does not reopen the
    /// door to the rest of the burst.
    pub async fn succeeded(self, db: &sea_orm::DatabaseConnection) -> ApiResult<()> {
        login_failure::Entity::delete_by_id(self.id)
            .exec(db)
            .await?;
        Ok(())
    }
}

fn window() -> chrono::Duration {
    chrono::Duration::minutes(WINDOW_MINUTES)
}

/// Other replicas' attempts for the same address or email wait for this
/// transaction (PostgreSQL; SQLite's `BEGIN IMMEDIATE` already did).
async fn serialise_across_replicas(
    txn: &DatabaseTransaction,
    client: &str,
    email: &str,
) -> ApiResult<()> {
    if txn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for (space, key) in [(1819, client), (1820, email)] {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1, hashtext($2))",
            [space.into(), key.into()],
        ))
        .await?;
    }
    Ok(())
}

async fn refuse_if_throttled(
    txn: &DatabaseTransaction,
    client: &str,
    email: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let from_client =
        login_failure::Entity::find().filter(login_failure::Column::Client.eq(client));
    let for_email: Vec<DateTime<Utc>> = from_client
        .clone()
        .filter(login_failure::Column::Email.eq(email))
        .select_only()
        .column(login_failure::Column::At)
        .order_by_desc(login_failure::Column::At)
        .limit(MAX_FAILURES_PER_EMAIL)
        .into_tuple()
        .all(txn)
        .await?;
    if let Some(oldest) = for_email.get(MAX_FAILURES_PER_EMAIL as usize - 1) {
        return Err(too_many(
            *oldest + window() - now,
            &tr!("error-login-throttled-email"),
        ));
    }
    let failures = from_client.clone().count(txn).await?;
    if failures >= FREE_FAILURES_PER_ADDRESS {
        let last: Option<DateTime<Utc>> = from_client
            .select_only()
            .column(login_failure::Column::At)
            .order_by_desc(login_failure::Column::At)
            .into_tuple()
            .one(txn)
            .await?;
        let doublings = u32::try_from(failures - FREE_FAILURES_PER_ADDRESS).unwrap_or(u32::MAX);
        let gap = 2i64
            .checked_pow(doublings)
            .map_or(window(), chrono::Duration::seconds)
            .min(window());
        if let Some(last) = last
            && last + gap > now
        {
            return Err(too_many(
                last + gap - now,
                &tr!("error-login-throttled-address"),
            ));
        }
    }
    Ok(())
}

fn too_many(wait: chrono::Duration, what: &str) -> ApiError {
    let millis = u64::try_from(wait.num_milliseconds()).unwrap_or(0);
    let retry_after_secs = millis.div_ceil(1000).max(1);
    ApiError::TooManyRequests {
        message: tr!("error-try-again", what = what, seconds = retry_after_secs),
        retry_after_secs,
    }
}

/// Checks `password` against `hash` (argon2) on the blocking pool, waiting
/// for a turn when as many checks as allowed are running.
pub async fn check_password(state: &AppState, password: String, hash: String) -> ApiResult<bool> {
    let _turn = state
        .part::<std::sync::Arc<Logins>>()?
        .password_checks
        .clone()
        .acquire_owned()
        .await
        .map_err(ApiError::internal)?;
    tokio::task::spawn_blocking(move || crate::accounts::verify_password(&password, &hash))
        .await
        .map_err(ApiError::internal)
}
