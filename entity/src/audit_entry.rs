//! One recorded access to personal data, of one family or several (a page
//! of families read in one request is one entry). Append-only.

use sea_orm::entity::prelude::*;

use crate::vocabulary::{AuditAction, Role};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_entry")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    pub user_id: Option<Uuid>,
    pub user_email: String,
    pub role: Role,
    pub action: AuditAction,
    /// The global ID of the first record touched.
    pub subject_id: String,
    pub operation: String,
    /// The global IDs of every record touched, `subject_id` first (a JSON array).
    pub subjects: Json,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
