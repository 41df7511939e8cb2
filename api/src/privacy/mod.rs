//! Privacy: the audit log of every access to a family's personal data, the
//! right of access (`exportFamilyData`) and erasure (`eraseFamily`, whose
//! work is in [`crate::privacy::erasure`]).
//!
//! Reads are audited per execution (a request, or an event a subscription
//! delivers): every family whose personal data the access policy lets a
//! field read is noted in the execution's [`AuditTrail`] where the policy is
//! enforced ([`crate::auth`]), and the trail is written before the response
//! leaves the schema, as one stored row listing every family it read
//! (`auditLog` shows it as one entry per family). Writes record their entry
//! in their own transaction. An entry names the operation and its root
//! fields, never a literal value from the document.

pub mod erasure;

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use entity::{audit_entry, check_in, family_child, goal, involvement, involvement_event, plan};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use crate::auth::ViewerExt;
use crate::core::relay::NodeKind;
use crate::{
    auth::{Actor, Role},
    core::db::begin_write,
    core::error::{ApiError, ApiResult, ResultExt},
    core::locale::tr,
    core::relay::{PageRequest, expect_id, global_id},
    core::state::ContextExt,
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
#[graphql(remote = "entity::vocabulary::AuditAction")]
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
    async fn role(&self) -> Role {
        self.row.role.into()
    }
    /// What was done.
    async fn action(&self) -> AuditAction {
        self.row.action.into()
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
    match crate::core::values::strings_from_json(&row.subjects) {
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
        .ok_or_else(|| ApiError::bad_input("after", tr!("error-not-a-cursor")))?;
    let row = Uuid::from_slice(&bytes[..16])
        .map_err(|_| ApiError::bad_input("after", tr!("error-not-a-cursor")))?;
    Ok((row, u16::from_be_bytes([bytes[16], bytes[17]])))
}

/// Everything held about one family, as JSON, minus other people's private
/// data (volunteers' contact details, check-in notes).
pub async fn export_family<C: ConnectionTrait>(
    db: &C,
    family_id: Uuid,
) -> ApiResult<serde_json::Value> {
    let (family, languages) = crate::engine::live_family(db, family_id).await?;
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
    let history = status_history(db, family_id).await?;
    let check_ins = check_in::Entity::find()
        .filter(check_in::Column::FamilyId.eq(family_id))
        .order_by_asc(check_in::Column::OccurredAt)
        .all(db)
        .await?;
    Ok(json!({
        "family": {
            "id": global_id(NodeKind::Family, family.id).to_string(),
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
            "waitingSince": family.waiting_since,
            "lastWaitedDays": family.last_waited_days,
            "statusHistory": history,
            "neededAvailability": family.needed_availability,
            "childrenAges": children.iter().map(|c| c.age_years).collect::<Vec<_>>(),
            "consentGiven": family.consent_given,
            "createdAt": family.created_at,
            "updatedAt": family.updated_at,
        },
        "plan": plan_json(db, &plan).await?,
        "checkInsAboutTheFamily": check_ins.iter().map(|c| json!({"occurredAt": c.occurred_at, "kind": c.kind})).collect::<Vec<_>>(),
    }))
}

/// The family's plan for its export: goals, helpers (volunteers by name
/// only) and every step of the timeline.
async fn plan_json<C: ConnectionTrait>(db: &C, plan: &plan::Model) -> ApiResult<serde_json::Value> {
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
        "status": plan.status,
        "pointOfContact": plan.point_of_contact,
        "goals": goals.iter().map(|g| json!({"description": g.description, "lifeDomain": g.life_domain, "status": g.status, "targetDate": g.target_date})).collect::<Vec<_>>(),
        "helpers": involvements.iter().map(|i| json!({
            "kind": i.helper_kind,
            "name": i.volunteer_id.and_then(|v| volunteer_names.get(&v).cloned()).or_else(|| i.helper_name.clone()),
            "detail": i.helper_detail,
            "role": i.role,
            "status": i.status,
            "plannedStartOn": i.planned_start_on,
            "phasedInAt": i.phased_in_at,
            "phasedOutAt": i.phased_out_at,
            "note": i.note,
        })).collect::<Vec<_>>(),
        "timeline": events.iter().map(|e| json!({"at": e.at, "from": e.from_status, "to": e.to_status, "reason": e.reason, "recordedBy": e.recorded_by})).collect::<Vec<_>>(),
    }))
}

/// Every change of the family's status, oldest first, for its export.
async fn status_history<C: ConnectionTrait>(
    db: &C,
    family_id: Uuid,
) -> ApiResult<Vec<serde_json::Value>> {
    use entity::family_status_change as change;
    Ok(change::Entity::find()
        .filter(change::Column::FamilyId.eq(family_id))
        .order_by_asc(change::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| json!({"at": c.at, "from": c.from_status, "to": c.to_status, "cause": c.cause}))
        .collect())
}

/// How many entries the log holds (with `filtered`, how many stored accesses
/// `select` finds); 0 when the selection does not ask.
async fn audit_total(
    db: &DatabaseConnection,
    select: &sea_orm::Select<audit_entry::Entity>,
    filtered: bool,
    counting: bool,
) -> ApiResult<usize> {
    use sea_orm::{PaginatorTrait, QuerySelect, sea_query::Expr};
    Ok(match (counting, filtered) {
        (false, _) => 0,
        (true, true) => select.clone().count(db).await? as usize,
        (true, false) => {
            let length = match db.get_database_backend() {
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
    })
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
    use sea_orm::{QuerySelect, sea_query::Expr};
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
    let total = audit_total(db, &select, subject.is_some(), counting).await?;
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
    let page_info = crate::core::relay::PageInfo {
        has_next_page: has_next,
        has_previous_page: after.is_some(),
        start_cursor: entries.first().map(|e| e.0.clone()),
        end_cursor: entries.last().map(|e| e.0.clone()),
    };
    Ok(
        <AuditEntryConnection as crate::core::relay::ConnectionType>::new(
            entries,
            page_info,
            i32::try_from(total).unwrap_or(i32::MAX),
        ),
    )
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
        let limit = PageRequest::parse::<AuditEntryConnection>(first, None, None, None)?.limit;
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
        let id = expect_id(&family_id, NodeKind::Family, "familyId")?;
        let state = ctx.state()?;
        let txn = begin_write(&state.db).await?;
        let export = export_family(&txn, id).await.naming("familyId", "Family")?;
        crate::audit::record(
            &txn,
            &Actor::from(viewer),
            AuditAction::Export.into(),
            id,
            "exportFamilyData",
        )
        .await?;
        // Nothing held in memory changed: the export's audit row alone.
        crate::sync::commit(txn, state, &[]).await?;
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
    ) -> ApiResult<crate::privacy::erasure::ErasureReceipt> {
        let viewer = ctx.viewer()?;
        let id = expect_id(&family_id, NodeKind::Family, "familyId")?;
        // Required, but never stored: a reason may name the family.
        crate::core::values::required_text(&reason, "reason", 500)?;
        let state = ctx.state()?;
        crate::privacy::erasure::erase_family(state, &Actor::from(viewer), id, "eraseFamily")
            .await
            .naming("familyId", "Family")
    }
}
