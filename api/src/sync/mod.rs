//! How one replica's writes reach the others and the subscribers.
//!
//! A write queues a notification in its own transaction and, once it has
//! committed, applies the change locally: it refreshes the volunteer roster
//! and the family register and fans events out to this process's
//! subscriptions. Every other process on the same database does the same for
//! the writes it did not make, skipping its own:
//! - on PostgreSQL the notification is `pg_notify` (delivered only if the
//!   transaction commits), and replicas LISTEN on one channel;
//! - on SQLite it is a row in `change_log`, and every server on the file reads
//!   the rows others appended every [`SQLITE_POLL`] (a command-line import or
//!   erasure reaches a running server that way).
//!
//! What a process holds in memory and keeps current this way (the roster,
//! the register) is a [`ReadModel`]: one generic part owns loading,
//! refreshing, retrying and trust for every kind of record.

use std::{sync::Arc, time::Duration};

use entity::{check_in, involvement, involvement_event};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, Statement,
    sqlx::postgres::PgListener,
};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::{core::error::ApiResult, core::state::AppState};

mod read_model;
pub use read_model::{ReadModel, RecordKind, Trusted};

/// The PostgreSQL channel replicas talk on.
pub const CHANNEL: &str = "tandem_changes";

/// How often a server on SQLite reads the change log.
pub const SQLITE_POLL: Duration = Duration::from_millis(250);

/// How long change-log rows are kept (a server reads them within
/// [`SQLITE_POLL`]; one that starts loads everything afresh).
const SQLITE_KEEP: Duration = Duration::from_secs(600);

/// What subscriptions receive.
#[derive(Clone, Debug)]
pub enum Notice {
    /// A phase-in/phase-out step, with the volunteer it concerns (if any).
    Event(involvement_event::Model, Option<Uuid>),
    /// A check-in was logged.
    CheckIn(check_in::Model),
}

/// What changed.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// A volunteer's matching profile or load.
    Volunteer(Uuid),
    /// A family, its languages, children or plan.
    Family(Uuid),
    /// An involvement event was appended.
    Event(Uuid),
    /// A check-in was logged.
    CheckIn(Uuid),
    /// Many rows changed at once (an import): reload the roster and the register.
    Reload,
    /// A session was revoked (logout): forget it in the session cache.
    SessionRevoked(Uuid),
}

impl Change {
    /// The volunteer whose record changed, if this is such a change.
    pub fn volunteer(&self) -> Option<Uuid> {
        match self {
            Change::Volunteer(id) => Some(*id),
            _ => None,
        }
    }

    /// The family whose record changed, if this is such a change.
    pub fn family(&self) -> Option<Uuid> {
        match self {
            Change::Family(id) => Some(*id),
            _ => None,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    replica: Uuid,
    change: Change,
}

/// Queues `changes` for the other processes, inside the caller's
/// transaction; `replica` is the writing process (which skips its own).
pub async fn notify<C: ConnectionTrait>(
    db: &C,
    replica: Uuid,
    changes: &[Change],
) -> ApiResult<()> {
    let backend = db.get_database_backend();
    for change in changes {
        let payload = serde_json::to_string(&Payload {
            replica,
            change: *change,
        })
        .map_err(crate::core::error::ApiError::internal)?;
        let statement = match backend {
            DbBackend::Postgres => Statement::from_sql_and_values(
                backend,
                "SELECT pg_notify($1, $2)",
                [CHANNEL.into(), payload.into()],
            ),
            _ => Statement::from_sql_and_values(
                backend,
                "INSERT INTO change_log (payload, at) VALUES (?, ?)",
                [payload.into(), chrono::Utc::now().into()],
            ),
        };
        db.execute_raw(statement).await?;
    }
    Ok(())
}

/// Queues `changes` for the other processes, commits, then applies them here:
/// the one way a write that matters to what servers hold in memory (the
/// roster, the register, sessions) or to subscriptions finishes.
pub async fn commit(
    txn: sea_orm::DatabaseTransaction,
    state: &AppState,
    changes: &[Change],
) -> ApiResult<()> {
    notify(&txn, state.replica, changes).await?;
    txn.commit().await?;
    apply(state, changes).await
}

/// Applies committed `changes` in this process: every handler on the
/// [`Bus`] gets them, in the order start-up registered them.
pub async fn apply(state: &AppState, changes: &[Change]) -> ApiResult<()> {
    for handler in state.part::<Bus>()?.handlers.iter() {
        handler.apply(state, changes).await?;
    }
    Ok(())
}

/// Notifications from the other processes may have been lost: every handler
/// starts afresh (reloads what it holds, forgets what it cached).
pub async fn resync(state: &AppState) -> ApiResult<()> {
    for handler in state.part::<Bus>()?.handlers.iter() {
        handler.resync(state).await?;
    }
    Ok(())
}

/// What keeps something current from the changes: the roster, the
/// register, the session cache, subscriptions.
#[async_trait::async_trait]
pub trait Handler: Send + Sync + std::fmt::Debug {
    /// Applies committed `changes` in this process.
    async fn apply(&self, state: &AppState, changes: &[Change]) -> ApiResult<()>;
    /// Starts afresh after notifications may have been lost.
    async fn resync(&self, state: &AppState) -> ApiResult<()>;
}

/// The change bus: the handlers every committed change goes through,
/// registered once at start-up (`app::startup`), so nothing here names them.
#[derive(Clone, Debug, Default)]
pub struct Bus {
    handlers: Vec<Arc<dyn Handler>>,
}

impl Bus {
    /// Adds `handler` after the ones already registered.
    #[must_use]
    pub fn with(mut self, handler: Arc<dyn Handler>) -> Bus {
        self.handlers.push(handler);
        self
    }
}

/// Subscriptions' feed: phase-in/out events and check-ins, fanned out to
/// every subscriber of this process.
#[derive(Clone, Debug)]
pub struct Notices(broadcast::Sender<Notice>);

impl Notices {
    /// A feed that keeps up to `capacity` notices for slow subscribers.
    pub fn new(capacity: usize) -> Notices {
        Notices(broadcast::channel(capacity).0)
    }

    /// A new subscriber's receiver.
    pub fn subscribe(&self) -> broadcast::Receiver<Notice> {
        self.0.subscribe()
    }
}

#[async_trait::async_trait]
impl Handler for Notices {
    async fn apply(&self, state: &AppState, changes: &[Change]) -> ApiResult<()> {
        for change in changes {
            match change {
                Change::Event(id) => {
                    if let Some(event) = involvement_event::Entity::find_by_id(*id)
                        .one(&state.db)
                        .await?
                    {
                        let volunteer = involvement::Entity::find_by_id(event.involvement_id)
                            .one(&state.db)
                            .await?
                            .and_then(|i| i.volunteer_id);
                        let _ = self.0.send(Notice::Event(event, volunteer));
                    }
                }
                Change::CheckIn(id) => {
                    if let Some(row) = check_in::Entity::find_by_id(*id).one(&state.db).await? {
                        let _ = self.0.send(Notice::CheckIn(row));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    async fn resync(&self, _: &AppState) -> ApiResult<()> {
        Ok(())
    }
}

/// Where a server follows the other processes' writes from, taken before it
/// loads the roster and the register, so that nothing committed after they
/// were read can go unheard.
#[derive(Debug)]
pub enum Follower {
    /// LISTENing on [`CHANNEL`].
    Postgres(PgListener),
    /// The change log, after this sequence number.
    Sqlite(i64),
}

/// Starts following the change feed (see [`Follower`]).
pub async fn subscribe(db: &DatabaseConnection) -> anyhow::Result<Follower> {
    if db.get_database_backend() == DbBackend::Postgres {
        let mut listener = PgListener::connect_with(db.get_postgres_connection_pool()).await?;
        listener.listen(CHANNEL).await?;
        return Ok(Follower::Postgres(listener));
    }
    Ok(Follower::Sqlite(last_logged(db).await?))
}

async fn last_logged(db: &DatabaseConnection) -> anyhow::Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COALESCE(MAX(seq), 0) AS seq FROM change_log",
        ))
        .await?;
    Ok(match row {
        Some(row) => row.try_get::<i64>("", "seq")?,
        None => 0,
    })
}

/// Follows the other processes' writes for as long as the process runs.
/// On PostgreSQL, when the connection is lost, the notifications sent
/// meanwhile are gone: it listens again and catches up, reloading the roster
/// and the register and forgetting the cached sessions.
pub fn spawn_listener(state: AppState, follower: Follower) {
    let first = match follower {
        Follower::Postgres(listener) => listener,
        Follower::Sqlite(after) => {
            tokio::spawn(follow_log(state, after));
            return;
        }
    };
    tokio::spawn(async move {
        let mut listener = Some(first);
        loop {
            let followed = match listener.take() {
                Some(listener) => follow(&state, listener).await,
                None => match listen_again(&state).await {
                    Ok(listener) => follow(&state, listener).await,
                    Err(e) => Err(e),
                },
            };
            if let Err(e) = followed {
                tracing::warn!(error = %e, "replica listener lost its connection; retrying");
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
}

async fn listen_again(state: &AppState) -> anyhow::Result<PgListener> {
    let Follower::Postgres(listener) = subscribe(&state.db).await? else {
        anyhow::bail!("only PostgreSQL has replicas to listen to");
    };
    resync(state).await.map_err(anyhow::Error::from)?;
    Ok(listener)
}

async fn follow(state: &AppState, mut listener: PgListener) -> anyhow::Result<()> {
    loop {
        // Not `recv`: it reconnects by itself and hides that notifications
        // were lost meanwhile. `try_recv` says so (`None`), and the caller
        // listens again from scratch, catching up.
        let Some(notification) = listener.try_recv().await? else {
            anyhow::bail!("the listening connection was lost");
        };
        receive(state, notification.payload()).await;
    }
}

/// Applies one change another process wrote (skipping this process's own).
async fn receive(state: &AppState, payload: &str) {
    let Ok(payload) = serde_json::from_str::<Payload>(payload) else {
        tracing::warn!(payload, "unreadable change notification");
        return;
    };
    if payload.replica == state.replica {
        return;
    }
    if let Err(e) = apply(state, &[payload.change]).await {
        tracing::warn!(error = %e.cause(), "could not apply another process's change");
    }
}

/// Reads the SQLite change log every [`SQLITE_POLL`], applying what other
/// processes appended after `after`, and drops rows older than
/// [`SQLITE_KEEP`] now and then. It reads through the pool itself, below
/// sea-orm, so its polls stay out of `sql_statements_total`, which counts the
/// statements requests and writes cost.
async fn follow_log(state: AppState, mut after: i64) {
    let pool = state.db.get_sqlite_connection_pool().clone();
    let mut polls: u32 = 0;
    loop {
        tokio::time::sleep(SQLITE_POLL).await;
        let rows: Result<Vec<(i64, String)>, _> = sea_orm::sqlx::query_as(
            "SELECT seq, payload FROM change_log WHERE seq > ? ORDER BY seq LIMIT 1000",
        )
        .bind(after)
        .fetch_all(&pool)
        .await;
        match rows {
            Ok(rows) => {
                for (seq, payload) in rows {
                    after = seq;
                    receive(&state, &payload).await;
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not read the change log; retrying"),
        }
        polls = polls.wrapping_add(1);
        if polls.is_multiple_of(240) {
            let cutoff = chrono::Utc::now()
                - chrono::Duration::from_std(SQLITE_KEEP).unwrap_or(chrono::Duration::zero());
            if let Err(e) = sea_orm::sqlx::query("DELETE FROM change_log WHERE at < ?")
                .bind(cutoff)
                .execute(&pool)
                .await
            {
                tracing::warn!(error = %e, "could not prune the change log");
            }
        }
    }
}
