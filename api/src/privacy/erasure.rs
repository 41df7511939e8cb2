//! Erasure (`eraseFamily`, `tandem retention`): every column that can hold
//! free text about the family is cleared in one transaction, and then the
//! old versions of those rows are cleared from storage too: SQLite runs with
//! `secure_delete` (freed space is zeroed) and its write-ahead log is
//! checkpointed and truncated once the erasure commits; on PostgreSQL the
//! tables the erasure touched are vacuumed, so no dead row version keeps the
//! text. The receipt says which was done.

use std::collections::HashSet;

use async_graphql::SimpleObject;
use chrono::{DateTime, Utc};
use entity::{
    check_in, family, family_child, family_language, family_status_change, goal, involvement,
    involvement_event, plan,
    vocabulary::{AuditAction, PlanStatus},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    DbBackend, EntityTrait, QueryFilter, Statement, sea_query::Expr,
};
use serde_json::json;
use uuid::Uuid;

use crate::{
    auth::{Actor, Job},
    core::db::begin_write,
    core::error::{ApiError, ApiResult},
    core::state::AppState,
    core::values::fold,
    sync::Change,
};

/// What erasure reports.
#[derive(Clone, Debug, SimpleObject)]
pub struct ErasureReceipt {
    /// The family's pseudonymous reference (kept for the record).
    pub family_reference: String,
    /// When.
    pub erased_at: DateTime<Utc>,
    /// Rows whose personal details were removed.
    pub rows_anonymised: i32,
    /// What was cleared from storage once the erasure committed, so that no
    /// file keeps an old version of the erased text: on PostgreSQL the tables
    /// vacuumed; on SQLite `wal` (the write-ahead log checkpointed and
    /// truncated; freed space is zeroed as it is freed).
    pub cleared_from_storage: Vec<String>,
}

/// The tables an erasure changes.
const TOUCHED: [&str; 9] = [
    "family",
    "family_language",
    "family_child",
    "family_status_change",
    "plan",
    "goal",
    "involvement",
    "involvement_event",
    "check_in",
];

/// What an erased text becomes where the column may not be empty.
const ERASED: &str = "[erased]";

/// The region a postal code lies in (all that erasure keeps of an address).
fn region_of(postal_code: Option<&str>) -> Option<String> {
    let code: u32 = postal_code?.parse().ok()?;
    Some(
        match code {
            1000..=1299 => "Brussels-Capital",
            1300..=1499 => "Walloon Brabant",
            1500..=1999 | 3000..=3499 => "Flemish Brabant",
            2000..=2999 => "Antwerp",
            3500..=3999 => "Limburg",
            8000..=8999 => "West Flanders",
            9000..=9999 => "East Flanders",
            _ => "Wallonia",
        }
        .to_owned(),
    )
}

/// Whether `text` names the family: its reference, or a word of its display
/// name (three letters or more), compared without case or accents.
fn names_family(text: &str, display_name: &str, reference: &str) -> bool {
    let folded = fold(text);
    if folded.contains(&fold(reference)) {
        return true;
    }
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3)
            .map(str::to_owned)
            .collect()
    };
    let name = words(&fold(display_name));
    words(&folded).iter().any(|w| name.contains(w))
}

/// Removes every personal detail of a family and its plan, in one
/// transaction that finishes through [`crate::sync::commit`] (so this
/// process drops the family from its register, and the other processes on
/// the database hear of it); then clears the old row versions from storage.
/// `operation` is what the audit entry records (never the reason, which may
/// name the family).
pub async fn erase_family(
    state: &AppState,
    actor: &Actor,
    family_id: Uuid,
    operation: &str,
) -> ApiResult<ErasureReceipt> {
    let db = &state.db;
    let txn = begin_write(db).await?;
    let family = family::Entity::find_by_id(family_id)
        .filter(family::Column::ErasedAt.is_null())
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::not_found("Family"))?;
    let now = Utc::now();
    let mut rows = erase_family_row(&txn, &family, now).await?;
    if let Some(plan) = plan::Entity::find()
        .filter(plan::Column::FamilyId.eq(family_id))
        .one(&txn)
        .await?
    {
        rows += erase_plan(&txn, &plan).await?;
        rows += erase_check_ins_naming(&txn, &family, plan.id).await?;
    }
    rows += clear_check_ins(&txn, check_in::Column::FamilyId.eq(family_id)).await?;
    crate::audit::record(&txn, actor, AuditAction::Erase, family_id, operation).await?;
    crate::sync::commit(txn, state, &[Change::Family(family_id)]).await?;
    Ok(ErasureReceipt {
        family_reference: family.reference,
        erased_at: now,
        rows_anonymised: i32::try_from(rows).unwrap_or(i32::MAX),
        cleared_from_storage: clear_storage(db).await,
    })
}

/// The family's own row, languages, children and status history.
async fn erase_family_row(
    txn: &DatabaseTransaction,
    family: &family::Model,
    now: DateTime<Utc>,
) -> ApiResult<u64> {
    family::Entity::update(family::ActiveModel {
        id: Set(family.id),
        display_name: Set(ERASED.to_owned()),
        preferred_language: Set(None),
        postal_code: Set(None),
        municipality: Set(region_of(family.postal_code.as_deref())),
        latitude: Set(None),
        longitude: Set(None),
        crisis_types: Set(json!([])),
        needed_availability: Set(json!([])),
        erased_at: Set(Some(now)),
        version: Set(family.version + 1),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(txn)
    .await?;
    let languages = family_language::Entity::delete_many()
        .filter(family_language::Column::FamilyId.eq(family.id))
        .exec(txn)
        .await?;
    let children = family_child::Entity::delete_many()
        .filter(family_child::Column::FamilyId.eq(family.id))
        .exec(txn)
        .await?;
    let history = family_status_change::Entity::delete_many()
        .filter(family_status_change::Column::FamilyId.eq(family.id))
        .exec(txn)
        .await?;
    Ok(1 + languages.rows_affected + children.rows_affected + history.rows_affected)
}

/// The plan's point of contact, goals, helpers (names, roles, notes) and the
/// reasons of its steps.
async fn erase_plan(txn: &DatabaseTransaction, plan: &plan::Model) -> ApiResult<u64> {
    let none = || Expr::value(Option::<String>::None);
    let mut rows = plan::Entity::update_many()
        .col_expr(plan::Column::PointOfContact, none())
        .filter(plan::Column::Id.eq(plan.id))
        .exec(txn)
        .await?
        .rows_affected;
    rows += goal::Entity::update_many()
        .col_expr(goal::Column::Description, Expr::value(ERASED))
        .filter(goal::Column::PlanId.eq(plan.id))
        .exec(txn)
        .await?
        .rows_affected;
    rows += involvement::Entity::update_many()
        .col_expr(involvement::Column::Note, none())
        .col_expr(involvement::Column::HelperName, none())
        .col_expr(involvement::Column::HelperDetail, none())
        .col_expr(involvement::Column::Role, Expr::value(ERASED))
        .filter(involvement::Column::PlanId.eq(plan.id))
        .exec(txn)
        .await?
        .rows_affected;
    rows += involvement_event::Entity::update_many()
        .col_expr(involvement_event::Column::Reason, none())
        .filter(involvement_event::Column::PlanId.eq(plan.id))
        .exec(txn)
        .await?
        .rows_affected;
    Ok(rows)
}

/// The notes of check-ins, about any family or none, of the volunteers who
/// were ever on the plan, that name the family.
async fn erase_check_ins_naming(
    txn: &DatabaseTransaction,
    family: &family::Model,
    plan: Uuid,
) -> ApiResult<u64> {
    let volunteers: HashSet<Uuid> = involvement::Entity::find()
        .filter(involvement::Column::PlanId.eq(plan))
        .all(txn)
        .await?
        .into_iter()
        .filter_map(|i| i.volunteer_id)
        .collect();
    if volunteers.is_empty() {
        return Ok(0);
    }
    let naming: Vec<Uuid> = check_in::Entity::find()
        .filter(check_in::Column::VolunteerId.is_in(volunteers))
        .all(txn)
        .await?
        .into_iter()
        .filter(|c| {
            [&c.notes, &c.resolution]
                .into_iter()
                .flatten()
                .any(|text| names_family(text, &family.display_name, &family.reference))
        })
        .map(|c| c.id)
        .collect();
    if naming.is_empty() {
        return Ok(0);
    }
    clear_check_ins(txn, check_in::Column::Id.is_in(naming)).await
}

/// Clears the notes and resolutions of the check-ins `which` selects.
async fn clear_check_ins(
    txn: &DatabaseTransaction,
    which: sea_orm::sea_query::SimpleExpr,
) -> ApiResult<u64> {
    Ok(check_in::Entity::update_many()
        .col_expr(check_in::Column::Notes, Expr::value(Option::<String>::None))
        .col_expr(
            check_in::Column::Resolution,
            Expr::value(Option::<String>::None),
        )
        .filter(which)
        .exec(txn)
        .await?
        .rows_affected)
}

/// After the erasure committed: checkpoints SQLite's write-ahead log into
/// the database file and truncates it, or vacuums the PostgreSQL tables the
/// erasure touched. Returns what it cleared; what it could not clear is
/// logged (the erasure itself stands).
async fn clear_storage(db: &DatabaseConnection) -> Vec<String> {
    match db.get_database_backend() {
        DbBackend::Sqlite => match checkpoint(db).await {
            Ok(()) => vec!["wal".to_owned()],
            Err(e) => {
                tracing::warn!(error = %e, "could not checkpoint the WAL after an erasure");
                Vec::new()
            }
        },
        _ => {
            let mut vacuumed = Vec::new();
            for table in TOUCHED {
                match db.execute_unprepared(&format!("VACUUM \"{table}\"")).await {
                    Ok(_) => vacuumed.push(table.to_owned()),
                    Err(e) => {
                        tracing::warn!(error = %e, table, "could not vacuum after an erasure")
                    }
                }
            }
            vacuumed
        }
    }
}

/// `PRAGMA wal_checkpoint(TRUNCATE)`, again while readers keep it from
/// completing (a few times, 50 ms apart).
async fn checkpoint(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    let statement = || {
        Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA wal_checkpoint(TRUNCATE)".to_owned(),
        )
    };
    for _ in 0..20 {
        let busy = match db.query_one_raw(statement()).await? {
            Some(row) => row.try_get_by_index::<i64>(0)?,
            None => 0,
        };
        if busy == 0 {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    Err(sea_orm::DbErr::Custom(
        "the WAL stayed busy; it is checkpointed later".to_owned(),
    ))
}

/// Erases every family whose plan has been CLOSED for more than `days` days
/// (judged by the plan's last change, which closing is). Each erasure is its
/// own transaction and is audited as done by the retention job; running
/// servers drop the families as its notifications reach them.
pub async fn apply_retention(state: &AppState, days: u32) -> ApiResult<Vec<ErasureReceipt>> {
    let plans = closed_plans(&state.db, days).await?;
    let job = Actor::Job(Job::Retention);
    let mut receipts = Vec::new();
    for plan in plans {
        match erase_family(state, &job, plan.family_id, "retention").await {
            Ok(receipt) => receipts.push(receipt),
            Err(ApiError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(receipts)
}

/// Plans CLOSED for more than `days` days.
async fn closed_plans(db: &DatabaseConnection, days: u32) -> ApiResult<Vec<plan::Model>> {
    let cutoff = Utc::now() - chrono::Duration::days(i64::from(days));
    Ok(plan::Entity::find()
        .filter(plan::Column::Status.eq(PlanStatus::Closed))
        .filter(plan::Column::UpdatedAt.lt(cutoff))
        .all(db)
        .await?)
}

/// What [`apply_retention`] would erase, erasing nothing: the references of
/// the (not yet erased) families whose plan has been CLOSED for more than
/// `days` days, with the day their plan closed.
pub async fn retention_candidates(
    db: &DatabaseConnection,
    days: u32,
) -> ApiResult<Vec<(String, chrono::NaiveDate)>> {
    let mut out = Vec::new();
    for plan in closed_plans(db, days).await? {
        if let Some(family) = family::Entity::find_by_id(plan.family_id)
            .filter(family::Column::ErasedAt.is_null())
            .one(db)
            .await?
        {
            out.push((family.reference, plan.updated_at.date_naive()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::names_family;

    #[test]
    fn a_note_names_the_family_by_a_word_of_its_name_or_its_reference() {
        assert!(names_family(
            "Met Élodie at school",
            "Elodie",
            "G-2026-0001"
        ));
        assert!(names_family("about g-2026-0001", "Elodie", "G-2026-0001"));
        assert!(!names_family("tired this month", "Elodie", "G-2026-0001"));
        assert!(!names_family("a word: el", "El", "G-2026-0001"));
    }
}
