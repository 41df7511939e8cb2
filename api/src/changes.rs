//! How one replica's writes reach the others and the subscribers.
//!
//! A write queues a notification in its own transaction (PostgreSQL
//! `pg_notify`, delivered only if the transaction commits) and, once it has
//! committed, applies the change locally: it refreshes the volunteer roster and
//! fans events out to this process's subscriptions. Every replica listens on
//! the channel and does the same for the other replicas' writes, skipping its
//! own. SQLite has one process, so only the local half runs.

use std::time::Duration;

use entity::{check_in, involvement, involvement_event};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, Statement,
    sqlx::postgres::PgListener,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{error::ApiResult, state::AppState};

/// The PostgreSQL channel replicas talk on.
pub const CHANNEL: &str = "tandem_changes";

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
    /// An involvement event was appended.
    Event(Uuid),
    /// A check-in was logged.
    CheckIn(Uuid),
    /// Many volunteers changed at once (an import): reload the whole index.
    Reload,
    /// A session was revoked (logout): forget it in the session cache.
    SessionRevoked(Uuid),
}

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    replica: Uuid,
    change: Change,
}

/// Queues `changes` for the other replicas, inside the caller's transaction.
pub async fn notify<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    changes: &[Change],
) -> ApiResult<()> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for change in changes {
        let payload = serde_json::to_string(&Payload {
            replica: state.replica,
            change: *change,
        })
        .map_err(crate::error::ApiError::internal)?;
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), payload.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Queues `changes` for the other replicas, commits, then applies them here:
/// the one way a write that matters to matching or subscriptions finishes.
pub async fn commit(
    txn: sea_orm::DatabaseTransaction,
    state: &AppState,
    changes: &[Change],
) -> ApiResult<()> {
    notify(&txn, state, changes).await?;
    txn.commit().await?;
    apply(state, changes).await
}

/// Applies committed `changes` in this process: refreshes the index and
/// publishes events and check-ins to subscribers.
pub async fn apply(state: &AppState, changes: &[Change]) -> ApiResult<()> {
    let volunteers: Vec<Uuid> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Volunteer(id) => Some(*id),
            _ => None,
        })
        .collect();
    crate::roster::refresh(state, &volunteers).await?;
    if changes.contains(&Change::Reload) {
        crate::roster::reload(state).await?;
    }
    for change in changes {
        match change {
            Change::Volunteer(_) | Change::Reload => {}
            Change::SessionRevoked(id) => state.sessions.forget(*id),
            Change::Event(id) => {
                if let Some(event) = involvement_event::Entity::find_by_id(*id)
                    .one(&state.db)
                    .await?
                {
                    let volunteer = involvement::Entity::find_by_id(event.involvement_id)
                        .one(&state.db)
                        .await?
                        .and_then(|i| i.volunteer_id);
                    let _ = state.notices.send(Notice::Event(event, volunteer));
                }
            }
            Change::CheckIn(id) => {
                if let Some(row) = check_in::Entity::find_by_id(*id).one(&state.db).await? {
                    let _ = state.notices.send(Notice::CheckIn(row));
                }
            }
        }
    }
    Ok(())
}

/// Listens on the replicas' channel, on PostgreSQL (`None` on SQLite). The
/// server calls it before it loads the roster, so that nothing committed
/// after the roster was read can go unheard.
pub async fn subscribe(db: &DatabaseConnection) -> anyhow::Result<Option<PgListener>> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(None);
    }
    let mut listener = PgListener::connect_with(db.get_postgres_connection_pool()).await?;
    listener.listen(CHANNEL).await?;
    Ok(Some(listener))
}

/// Follows the other replicas' writes through `listener` (from [`subscribe`])
/// for as long as the process runs. When the connection is lost, the
/// notifications sent meanwhile are gone: it listens again and catches up,
/// reloading the whole roster and forgetting the cached sessions.
pub fn spawn_listener(state: AppState, listener: Option<PgListener>) {
    let Some(first) = listener else {
        return;
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
    let listener = subscribe(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("only PostgreSQL has replicas to listen to"))?;
    state.sessions.forget_all();
    crate::roster::reload(state)
        .await
        .map_err(|e| anyhow::anyhow!(e.message()))?;
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
        let Ok(payload) = serde_json::from_str::<Payload>(notification.payload()) else {
            tracing::warn!(
                payload = notification.payload(),
                "unreadable change notification"
            );
            continue;
        };
        if payload.replica == state.replica {
            continue;
        }
        if let Err(e) = apply(state, &[payload.change]).await {
            tracing::warn!(error = %e.message(), "could not apply another replica's change");
        }
    }
}
