//! The audit trail: every access to a family's personal data, written where
//! it happens. Reads are noted per request ([`note_read`]) and written
//! together by the [`AuditWriter`] before the request answers; writes are
//! recorded in their own transaction ([`record`]).

use chrono::{DateTime, Utc};
use entity::{audit_entry, vocabulary::AuditAction};
use sea_orm::{
    ActiveEnum, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, IntoActiveModel,
};
use serde_json::json;
use uuid::Uuid;

pub use crate::core::reads::{AuditTrail, note_read};
use crate::core::relay::NodeKind;
use crate::{
    auth::{Actor, AuditedAs, Viewer},
    core::db::begin_write,
    core::error::{ApiError, ApiResult},
    core::relay::global_id,
    core::state::AppState,
};

/// Audit rows of one request, and where to answer once they are written.
type AuditBatch = (
    Vec<audit_entry::Model>,
    tokio::sync::oneshot::Sender<Result<(), String>>,
);

/// Writes the READ entries of concurrent requests together (group commit):
/// one task takes every batch waiting in its queue and writes them in one
/// transaction, so fifty requests reading families cost one write, not fifty.
/// Each request still waits until its own rows are committed before it
/// answers: no entry, no response.
#[derive(Clone, Debug)]
pub struct AuditWriter {
    queue: tokio::sync::mpsc::Sender<AuditBatch>,
    /// How long each request waits for its rows (`/metrics`).
    wait: prometheus::Histogram,
}

/// The audit writer's own connection to PostgreSQL, with the shared pool's
/// settings, kept from one batch to the next. The shared pool pings a
/// connection when it hands it out and again when it takes it back; each ping
/// is a round trip, and here it would be on the path of every request that
/// waits for its entries. A broken connection is found by the batch itself,
/// which is then written again on a new one (see [`AuditWriter::insert_postgres`]).
struct OwnConnection {
    options: sea_orm::sqlx::postgres::PgConnectOptions,
    open: Option<sea_orm::sqlx::PgConnection>,
}

/// The statement that writes audit rows on PostgreSQL, one array per column
/// (see [`AuditWriter::insert_postgres`]).
macro_rules! insert_audit {
    () => {
        "INSERT INTO audit_entry \
         (id, at, user_id, user_email, role, action, subject_id, operation, subjects) \
         SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::varchar[], \
         $5::varchar[], $6::varchar[], $7::varchar[], $8::varchar[], $9::jsonb[])"
    };
}

/// A batch's first attempt.
const INSERT_AUDIT: &str = insert_audit!();

/// Its second, after the first failed: the first may have committed before
/// its connection broke, and the rows' keys are made here, so a row that is
/// already in is that very row.
const INSERT_AUDIT_AGAIN: &str = concat!(insert_audit!(), " ON CONFLICT (id) DO NOTHING");

impl AuditWriter {
    /// Most requests written together.
    const BATCH: usize = 128;
    /// Rows per INSERT on SQLite (8 parameters a row stays far below its limit).
    const ROWS_PER_INSERT: usize = 1_000;
    /// Longest wait for the writer's own connection (the shared pool's acquire timeout).
    const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

    /// Starts the writing task on the current runtime; it reports how long
    /// each request waits and how many transactions it commits in `metrics`.
    pub fn spawn(db: DatabaseConnection, metrics: &crate::core::metrics::Metrics) -> AuditWriter {
        let (wait, commits) = (metrics.audit_wait.clone(), metrics.audit_commits.clone());
        let (queue, mut waiting) = tokio::sync::mpsc::channel::<AuditBatch>(4_096);
        let mut own = (db.get_database_backend() == DbBackend::Postgres).then(|| OwnConnection {
            options: (*db.get_postgres_connection_pool().connect_options()).clone(),
            open: None,
        });
        tokio::spawn(async move {
            while let Some(first) = waiting.recv().await {
                let mut batch = vec![first];
                while batch.len() < Self::BATCH {
                    match waiting.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                let rows: Vec<_> = batch
                    .iter_mut()
                    .flat_map(|(rows, _)| std::mem::take(rows))
                    .collect();
                let result = match &mut own {
                    Some(own) => Self::insert_postgres(own, rows)
                        .await
                        .map_err(|e| e.to_string()),
                    None => Self::insert(&db, rows).await,
                };
                if result.is_ok() {
                    commits.inc();
                }
                for (_, done) in batch {
                    let _ = done.send(result.clone());
                }
            }
        });
        AuditWriter { queue, wait }
    }

    async fn insert(db: &DatabaseConnection, rows: Vec<audit_entry::Model>) -> Result<(), String> {
        let txn = begin_write(db).await.map_err(|e| e.to_string())?;
        let mut rows = rows
            .into_iter()
            .map(|row| row.into_active_model())
            .peekable();
        while rows.peek().is_some() {
            let chunk: Vec<_> = rows.by_ref().take(Self::ROWS_PER_INSERT).collect();
            audit_entry::Entity::insert_many(chunk)
                .exec_without_returning(&txn)
                .await
                .map_err(|e| e.to_string())?;
        }
        txn.commit().await.map_err(|e| e.to_string())
    }

    /// On PostgreSQL the rows go in as one array per column: one statement
    /// with the same text however many rows there are, so the connection
    /// parses and plans it once, where a multi-row VALUES list would be a new
    /// statement for every batch size. One statement is atomic on its own.
    /// A batch that fails (a connection PostgreSQL closed, say) is written
    /// once more on a new connection, without writing any row twice.
    async fn insert_postgres(
        own: &mut OwnConnection,
        rows: Vec<audit_entry::Model>,
    ) -> Result<(), sea_orm::sqlx::Error> {
        use sea_orm::sqlx::Connection as _;
        let mut ids = Vec::with_capacity(rows.len());
        let mut ats = Vec::with_capacity(rows.len());
        let mut users = Vec::with_capacity(rows.len());
        let mut emails = Vec::with_capacity(rows.len());
        let mut roles = Vec::with_capacity(rows.len());
        let mut actions = Vec::with_capacity(rows.len());
        let mut subjects = Vec::with_capacity(rows.len());
        let mut operations = Vec::with_capacity(rows.len());
        let mut subject_lists = Vec::with_capacity(rows.len());
        for row in rows {
            ids.push(row.id);
            ats.push(row.at);
            users.push(row.user_id);
            emails.push(row.user_email);
            roles.push(row.role.to_value());
            actions.push(row.action.to_value());
            subjects.push(row.subject_id);
            operations.push(row.operation);
            subject_lists.push(row.subjects);
        }
        let mut sql = INSERT_AUDIT;
        loop {
            let conn = match &mut own.open {
                Some(conn) => conn,
                None => {
                    let connect = sea_orm::sqlx::PgConnection::connect_with(&own.options);
                    let opened = tokio::time::timeout(Self::CONNECT_TIMEOUT, connect)
                        .await
                        .map_err(|_| sea_orm::sqlx::Error::PoolTimedOut)??;
                    own.open.insert(opened)
                }
            };
            let written = sea_orm::sqlx::query(sql)
                .bind(&ids)
                .bind(&ats)
                .bind(&users)
                .bind(&emails)
                .bind(&roles)
                .bind(&actions)
                .bind(&subjects)
                .bind(&operations)
                .bind(&subject_lists)
                .execute(&mut *conn)
                .await;
            match written {
                Ok(_) => return Ok(()),
                Err(e) => {
                    own.open = None;
                    if sql == INSERT_AUDIT_AGAIN {
                        return Err(e);
                    }
                    tracing::warn!(error = %e, "audit batch failed; writing it again on a new connection");
                    sql = INSERT_AUDIT_AGAIN;
                }
            }
        }
    }

    /// Writes `rows`; returns once they are committed.
    pub async fn write(&self, rows: Vec<audit_entry::Model>) -> ApiResult<()> {
        let started = std::time::Instant::now();
        let (done, committed) = tokio::sync::oneshot::channel();
        let stopped = || ApiError::internal(anyhow::anyhow!("the audit writer has stopped"));
        self.queue.send((rows, done)).await.map_err(|_| stopped())?;
        committed
            .await
            .map_err(|_| stopped())?
            .map_err(|e| ApiError::internal(anyhow::anyhow!("audit write failed: {e}")))?;
        self.wait.observe(started.elapsed().as_secs_f64());
        Ok(())
    }
}

impl AuditTrail {
    /// Writes one READ entry per family read, through the [`AuditWriter`].
    pub async fn flush(
        &self,
        state: &AppState,
        viewer: Option<&Viewer>,
        operation: &str,
    ) -> ApiResult<()> {
        let families: Vec<Uuid> = match self.families_read() {
            Some(families) => families,
            None => {
                return Err(ApiError::internal(anyhow::anyhow!(
                    "audit trail lock poisoned"
                )));
            }
        };
        let Some(viewer) = viewer else { return Ok(()) };
        if families.is_empty() {
            return Ok(());
        }
        let subjects: Vec<String> = families
            .into_iter()
            .map(|id| global_id(NodeKind::Family, id).to_string())
            .collect();
        state
            .part::<AuditWriter>()?
            .write(vec![entry(
                viewer.audited_as(),
                AuditAction::Read,
                subjects,
                operation,
                Utc::now(),
            )])
            .await
    }
}

/// One stored access of `who` to `subjects` (global IDs, at least one).
fn entry(
    who: AuditedAs<'_>,
    action: AuditAction,
    subjects: Vec<String>,
    operation: &str,
    at: DateTime<Utc>,
) -> audit_entry::Model {
    audit_entry::Model {
        id: Uuid::now_v7(),
        at,
        user_id: Some(who.user_id),
        user_email: who.email.to_owned(),
        role: who.role.into(),
        action,
        subject_id: subjects.first().cloned().unwrap_or_default(),
        operation: operation.chars().take(200).collect(),
        subjects: json!(subjects),
    }
}

/// What the audit log stores as a request's `operation`: the operation's
/// name (if it has one) and its root fields, e.g. `Page (families)` or
/// `family, node`; never a literal value of the document.
pub fn operation_label(
    operation_name: Option<&str>,
    document: Option<&async_graphql_parser::types::ExecutableDocument>,
    _query: &str,
) -> String {
    use async_graphql_parser::types::DocumentOperations;
    let Some(document) = document else {
        return operation_name.unwrap_or_default().to_owned();
    };
    let (name, operation) = match (&document.operations, operation_name) {
        (DocumentOperations::Single(op), name) => (name, Some(op)),
        (DocumentOperations::Multiple(ops), Some(name)) => (Some(name), ops.get(name)),
        (DocumentOperations::Multiple(ops), None) => match ops.iter().next() {
            Some((name, op)) if ops.len() == 1 => (Some(name.as_str()), Some(op)),
            _ => (None, None),
        },
    };
    let mut fields = Vec::new();
    if let Some(operation) = operation {
        root_fields(document, &operation.node.selection_set.node, &mut fields, 0);
    }
    let fields = fields.join(", ");
    match name {
        Some(name) => format!("{name} ({fields})"),
        None => fields,
    }
}

/// The names of the fields of `selection` (fragments expanded), each once.
fn root_fields(
    document: &async_graphql_parser::types::ExecutableDocument,
    selection: &async_graphql_parser::types::SelectionSet,
    out: &mut Vec<String>,
    depth: u32,
) {
    use async_graphql_parser::types::Selection;
    if depth > 8 {
        return;
    }
    for item in &selection.items {
        match &item.node {
            Selection::Field(field) => {
                let name = field.node.name.node.to_string();
                if !out.contains(&name) {
                    out.push(name);
                }
            }
            Selection::InlineFragment(fragment) => {
                root_fields(document, &fragment.node.selection_set.node, out, depth + 1);
            }
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node) {
                    root_fields(document, &fragment.node.selection_set.node, out, depth + 1);
                }
            }
        }
    }
}

/// Records `actor`'s write to a family inside the writer's transaction
/// (nothing for a seed, which is not audited).
pub async fn record<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    action: AuditAction,
    family_id: Uuid,
    operation: &str,
) -> ApiResult<()> {
    let Some(who) = actor.audited_as() else {
        return Ok(());
    };
    audit_entry::Entity::insert(
        entry(
            who,
            action,
            vec![global_id(NodeKind::Family, family_id).to_string()],
            operation,
            Utc::now(),
        )
        .into_active_model(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}
