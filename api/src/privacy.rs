//! Privacy: the audit log of every access to a family's personal data, the
//! right of access (`exportFamilyData`) and erasure (`eraseFamily`, whose
//! work is in [`crate::erasure`]).
//!
//! Reads are audited per execution (a request, or an event a subscription
//! delivers): every family whose personal data the access policy lets a
//! field read is noted in the execution's [`AuditTrail`] where the policy is
//! enforced ([`crate::auth`]), and the trail is written before the response
//! leaves the schema, as one stored row listing every family it read
//! (`auditLog` shows it as one entry per family). Writes record their entry
//! in their own transaction. An entry names the operation and its root
//! fields, never a literal value from the document.

use std::{collections::BTreeSet, sync::Mutex};

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use entity::{audit_entry, check_in, family_child, goal, involvement, involvement_event, plan};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use crate::{
    accounts::{Role, Viewer},
    changes::Change,
    db::begin_write,
    error::{ApiError, ApiResult, ResultExt},
    relay::{PageRequest, expect_id, global_id},
    state::ContextExt,
    values::{enum_name, parse_enum},
};

/// One recorded access to personal data: one record touched by one stored
/// access (a stored access that read several families is one entry each).
#[derive(Clone, Debug)]
pub struct AuditEntry {
    row: std::sync::Arc<audit_entry::Model>,
    subject: String,
    /// Which of the stored access's subjects it is.
    index: u16,
}

/// The global ID of entry `index` of stored access `row`.
fn audit_entry_id(row: Uuid, index: u16) -> ID {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    ID(URL_SAFE_NO_PAD.encode(format!("AuditEntry:{row}.{index}")))
}

/// The stored access and subject index an `AuditEntry` global ID names.
fn parse_audit_entry_id(id: &str) -> Option<(Uuid, u16)> {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(id.as_bytes()).ok()?).ok()?;
    let (row, index) = text.strip_prefix("AuditEntry:")?.split_once('.')?;
    Some((Uuid::parse_str(row).ok()?, index.parse().ok()?))
}

/// The audit entry a global ID names, if any.
pub async fn load_audit_entry(db: &DatabaseConnection, id: &str) -> ApiResult<Option<AuditEntry>> {
    let Some((row, index)) = parse_audit_entry_id(id) else {
        return Ok(None);
    };
    let Some(row) = audit_entry::Entity::find_by_id(row).one(db).await? else {
        return Ok(None);
    };
    Ok(subjects_of(&row)
        .into_iter()
        .nth(usize::from(index))
        .map(|subject| AuditEntry {
            row: std::sync::Arc::new(row),
            subject,
            index,
        }))
}

crate::connection!(AuditEntryConnection, AuditEntryEdge, AuditEntry);

/// What an audit entry records.
#[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum AuditAction {
    /// Personal data was read (or a ranking was worked out from it).
    Read,
    /// The family was registered.
    Create,
    /// The family or its plan changed.
    Update,
    /// The family was erased.
    Erase,
    /// The family's data was exported (right of access).
    Export,
}

/// One recorded access to personal data.
#[Object]
impl AuditEntry {
    /// Global ID.
    pub async fn id(&self) -> ID {
        audit_entry_id(self.row.id, self.index)
    }
    /// When.
    async fn at(&self) -> DateTime<Utc> {
        self.row.at
    }
    /// Who.
    async fn user_email(&self) -> &str {
        &self.row.user_email
    }
    /// In which role.
    async fn role(&self) -> ApiResult<Role> {
        parse_enum(&self.row.role)
    }
    /// What was done.
    async fn action(&self) -> ApiResult<AuditAction> {
        parse_enum(&self.row.action)
    }
    /// The global ID of the record touched.
    async fn subject_id(&self) -> ID {
        ID(self.subject.clone())
    }
    /// The operation's name and root fields; never literal values from the document.
    async fn operation(&self) -> &str {
        &self.row.operation
    }
}

/// The global IDs a stored access touched, `subject_id` first.
fn subjects_of(row: &audit_entry::Model) -> Vec<String> {
    match crate::values::strings_from_json(&row.subjects) {
        Ok(subjects) if !subjects.is_empty() => subjects,
        _ => vec![row.subject_id.clone()],
    }
}

/// Where a page of the audit log starts: after entry `index` of stored row
/// `row` (base64url of the row's key and the index, big-endian).
fn audit_cursor(row: Uuid, index: u16) -> String {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let mut bytes = row.as_bytes().to_vec();
    bytes.extend_from_slice(&index.to_be_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

fn parse_audit_cursor(raw: &str) -> ApiResult<(Uuid, u16)> {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let bytes = URL_SAFE_NO_PAD
        .decode(raw.as_bytes())
        .ok()
        .filter(|b| b.len() == 18)
        .ok_or_else(|| ApiError::bad_input("after", "not a cursor this server handed out"))?;
    let row = Uuid::from_slice(&bytes[..16])
        .map_err(|_| ApiError::bad_input("after", "not a cursor this server handed out"))?;
    Ok((row, u16::from_be_bytes([bytes[16], bytes[17]])))
}

/// The families whose personal data one request read.
#[derive(Debug, Default)]
pub struct AuditTrail {
    read: Mutex<BTreeSet<Uuid>>,
}

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
    pub fn spawn(db: DatabaseConnection, metrics: &crate::metrics::Metrics) -> AuditWriter {
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
            roles.push(row.role);
            actions.push(row.action);
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
        writer: &AuditWriter,
        viewer: Option<&Viewer>,
        operation: &str,
    ) -> ApiResult<()> {
        let families: Vec<Uuid> = match self.read.lock() {
            Ok(mut set) => std::mem::take(&mut *set).into_iter().collect(),
            Err(_) => {
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
            .map(|id| global_id("Family", id).to_string())
            .collect();
        writer
            .write(vec![entry(viewer, "READ", subjects, operation, Utc::now())])
            .await
    }
}

/// One stored access of `viewer` to `subjects` (global IDs, at least one).
fn entry(
    viewer: &Viewer,
    action: &str,
    subjects: Vec<String>,
    operation: &str,
    at: DateTime<Utc>,
) -> audit_entry::Model {
    audit_entry::Model {
        id: Uuid::now_v7(),
        at,
        user_id: Some(viewer.user_id),
        user_email: viewer.email.clone(),
        role: enum_name(viewer.role).to_owned(),
        action: action.to_owned(),
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

/// Notes that this request read a family's personal data.
pub fn note_read(ctx: &Context<'_>, family_id: Uuid) {
    if let Some(trail) = ctx.data_opt::<std::sync::Arc<AuditTrail>>()
        && let Ok(mut set) = trail.read.lock()
    {
        set.insert(family_id);
    }
}

/// Records a write to a family inside the writer's transaction.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    action: &str,
    family_id: Uuid,
    operation: &str,
) -> ApiResult<()> {
    audit_entry::Entity::insert(
        entry(
            viewer,
            action,
            vec![global_id("Family", family_id).to_string()],
            operation,
            Utc::now(),
        )
        .into_active_model(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Everything held about one family, as JSON, minus other people's private
/// data (volunteers' contact details, check-in notes).
pub async fn export_family<C: ConnectionTrait>(
    db: &C,
    family_id: Uuid,
) -> ApiResult<serde_json::Value> {
    let (family, languages) = crate::families::live_family(db, family_id).await?;
    let children = family_child::Entity::find()
        .filter(family_child::Column::FamilyId.eq(family_id))
        .order_by_asc(family_child::Column::Position)
        .all(db)
        .await?;
    let plan = plan::Entity::find()
        .filter(plan::Column::FamilyId.eq(family_id))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("family without plan")))?;
    let goals = goal::Entity::find()
        .filter(goal::Column::PlanId.eq(plan.id))
        .order_by_asc(goal::Column::Id)
        .all(db)
        .await?;
    let involvements = involvement::Entity::find()
        .filter(involvement::Column::PlanId.eq(plan.id))
        .order_by_asc(involvement::Column::Id)
        .all(db)
        .await?;
    let events = involvement_event::Entity::find()
        .filter(involvement_event::Column::PlanId.eq(plan.id))
        .order_by_asc(involvement_event::Column::At)
        .all(db)
        .await?;
    let check_ins = check_in::Entity::find()
        .filter(check_in::Column::FamilyId.eq(family_id))
        .order_by_asc(check_in::Column::OccurredAt)
        .all(db)
        .await?;
    let volunteer_ids: Vec<Uuid> = involvements.iter().filter_map(|i| i.volunteer_id).collect();
    let volunteer_names: std::collections::HashMap<Uuid, String> =
        entity::volunteer::Entity::find()
            .filter(entity::volunteer::Column::Id.is_in(volunteer_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|v| (v.id, v.name))
            .collect();
    Ok(json!({
        "family": {
            "id": global_id("Family", family.id).to_string(),
            "reference": family.reference,
            "displayName": family.display_name,
            "languages": languages.iter().map(|l| json!({"language": l.language_code, "level": l.level})).collect::<Vec<_>>(),
            "preferredLanguage": family.preferred_language,
            "home": {"postalCode": family.postal_code, "municipality": family.municipality, "latitude": family.latitude, "longitude": family.longitude},
            "crisisTypes": family.crisis_types,
            "urgency": family.urgency,
            "status": family.status,
            "referralSource": family.referral_source,
            "referredAt": family.referred_at,
            "firstHelperPhasedInAt": family.first_phase_in_at,
            "neededAvailability": family.needed_availability,
            "childrenAges": children.iter().map(|c| c.age_years).collect::<Vec<_>>(),
            "consentGiven": family.consent_given,
            "createdAt": family.created_at,
            "updatedAt": family.updated_at,
        },
        "plan": {
            "status": plan.status,
            "pointOfContact": plan.point_of_contact,
            "goals": goals.iter().map(|g| json!({"description": g.description, "lifeDomain": g.life_domain, "status": g.status, "targetDate": g.target_date})).collect::<Vec<_>>(),
            "helpers": involvements.iter().map(|i| json!({
                "kind": i.helper_kind,
                "name": i.volunteer_id.and_then(|v| volunteer_names.get(&v).cloned()).or_else(|| i.helper_name.clone()),
                "detail": i.helper_detail,
                "role": i.role,
                "status": i.status,
                "phasedInAt": i.phased_in_at,
                "phasedOutAt": i.phased_out_at,
                "note": i.note,
            })).collect::<Vec<_>>(),
            "timeline": events.iter().map(|e| json!({"at": e.at, "from": e.from_status, "to": e.to_status, "reason": e.reason, "recordedBy": e.recorded_by})).collect::<Vec<_>>(),
        },
        "checkInsAboutTheFamily": check_ins.iter().map(|c| json!({"occurredAt": c.occurred_at, "kind": c.kind})).collect::<Vec<_>>(),
    }))
}

/// A page of the audit log, one entry per record touched: stored accesses in
/// the order they were written, each expanded into its subjects (only
/// `subject`, when given), from just after `after`.
async fn audit_page(
    db: &DatabaseConnection,
    subject: Option<&str>,
    after: Option<(Uuid, u16)>,
    limit: usize,
    counting: bool,
) -> ApiResult<AuditEntryConnection> {
    use sea_orm::{PaginatorTrait, QuerySelect, sea_query::Expr};
    let backend = db.get_database_backend();
    let mut select = audit_entry::Entity::find();
    if let Some(subject) = subject {
        select = select.filter(match backend {
            // sea-query numbers a custom expression's `$1` within the statement.
            DbBackend::Postgres => Expr::cust_with_values(
                "\"audit_entry\".\"subjects\" @> $1::jsonb",
                [json!([subject]).to_string()],
            ),
            _ => Expr::cust_with_values(
                "EXISTS (SELECT 1 FROM json_each(\"audit_entry\".\"subjects\") WHERE json_each.value = ?)",
                [subject.to_owned()],
            ),
        });
    }
    let total = match (counting, subject) {
        (false, _) => 0,
        (true, Some(_)) => select.clone().count(db).await? as usize,
        (true, None) => {
            let length = match backend {
                DbBackend::Postgres => "jsonb_array_length(\"subjects\")",
                _ => "json_array_length(\"subjects\")",
            };
            let sum: Option<i64> = audit_entry::Entity::find()
                .select_only()
                .column_as(
                    Expr::cust(format!("CAST(SUM({length}) AS BIGINT)")),
                    "total",
                )
                .into_tuple()
                .one(db)
                .await?
                .flatten();
            usize::try_from(sum.unwrap_or(0)).unwrap_or(usize::MAX)
        }
    };
    if let Some((row, _)) = after {
        select = select.filter(audit_entry::Column::Id.gte(row));
    }
    // Every stored access is at least one entry: `limit + 1` rows (and the
    // one the cursor is in) hold the page and tell whether more follow.
    let rows = select
        .order_by_asc(audit_entry::Column::Id)
        .limit(limit as u64 + 2)
        .all(db)
        .await?;
    let mut entries = Vec::new();
    for row in rows {
        let row = std::sync::Arc::new(row);
        for (index, id) in subjects_of(&row).into_iter().enumerate() {
            let index = u16::try_from(index).unwrap_or(u16::MAX);
            if subject.is_some_and(|s| s != id)
                || after.is_some_and(|(at, i)| row.id == at && index <= i)
            {
                continue;
            }
            entries.push((
                audit_cursor(row.id, index),
                AuditEntry {
                    row: row.clone(),
                    subject: id,
                    index,
                },
            ));
        }
        if entries.len() > limit {
            break;
        }
    }
    let has_next = entries.len() > limit;
    entries.truncate(limit);
    let page_info = crate::relay::PageInfo {
        has_next_page: has_next,
        has_previous_page: after.is_some(),
        start_cursor: entries.first().map(|e| e.0.clone()),
        end_cursor: entries.last().map(|e| e.0.clone()),
    };
    Ok(<AuditEntryConnection as crate::relay::ConnectionType>::new(
        entries,
        page_info,
        i32::try_from(total).unwrap_or(i32::MAX),
    ))
}

/// Privacy queries.
#[derive(Default, Debug)]
pub struct PrivacyQuery;

#[Object]
impl PrivacyQuery {
    /// ADMIN only.
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start (at most 100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Only rows after this cursor.")] after: Option<String>,
        #[graphql(desc = "Only entries about this record (a global ID).")] subject_id: Option<ID>,
    ) -> ApiResult<AuditEntryConnection> {
        let limit = PageRequest::parse(first, None, None, None)?.limit;
        let after = after.as_deref().map(parse_audit_cursor).transpose()?;
        let counting = ctx.look_ahead().field("totalCount").exists();
        let db = &ctx.state()?.db;
        audit_page(
            db,
            subject_id.as_ref().map(|s| s.as_str()),
            after,
            limit,
            counting,
        )
        .await
    }

    /// Everything held about one family, as JSON (right of access). ADMIN or COORDINATOR.
    async fn export_family_data(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The family.")] family_id: ID,
    ) -> ApiResult<String> {
        let viewer = ctx.viewer()?;
        let id = expect_id(&family_id, "Family", "familyId")?;
        let db = &ctx.state()?.db;
        let txn = begin_write(db).await?;
        let export = export_family(&txn, id).await.naming("familyId", "Family")?;
        record(&txn, viewer, "EXPORT", id, "exportFamilyData").await?;
        txn.commit().await?;
        serde_json::to_string_pretty(&export).map_err(ApiError::internal)
    }
}

/// Privacy mutations.
#[derive(Default, Debug)]
pub struct PrivacyMutation;

#[Object]
impl PrivacyMutation {
    /// ADMIN only. Removes every personal detail of the family and its plan;
    /// keeps anonymous counts for reporting.
    async fn erase_family(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The family to erase.")] family_id: ID,
        #[graphql(desc = "Why (required; never stored, as it may name the family).")]
        reason: String,
    ) -> ApiResult<crate::erasure::ErasureReceipt> {
        let viewer = ctx.viewer()?;
        let id = expect_id(&family_id, "Family", "familyId")?;
        // Required, but never stored: a reason may name the family.
        crate::values::required_text(&reason, "reason", 500)?;
        let state = ctx.state()?;
        let receipt =
            crate::erasure::erase_family(&state.db, state.replica, viewer, id, "eraseFamily")
                .await
                .naming("familyId", "Family")?;
        crate::changes::apply(state, &[Change::Family(id)]).await?;
        Ok(receipt)
    }

    /// ADMIN only.
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account.")] input: CreateUserInput,
    ) -> ApiResult<crate::accounts::User> {
        let volunteer_id = input
            .volunteer_id
            .as_ref()
            .map(|id| expect_id(id, "Volunteer", "input.volunteerId"))
            .transpose()?;
        crate::accounts::create_user(
            &ctx.state()?.db,
            crate::accounts::NewUser {
                name: input.name,
                email: input.email,
                role: input.role,
                password: input.password,
                volunteer_id,
            },
        )
        .await
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
