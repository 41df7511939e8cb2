//! One step of an involvement's lifecycle. Append-only.

use sea_orm::entity::prelude::*;

use crate::vocabulary::InvolvementStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "involvement_event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub involvement_id: Uuid,
    pub plan_id: Uuid,
    pub from_status: Option<InvolvementStatus>,
    pub to_status: InvolvementStatus,
    pub at: DateTimeUtc,
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
    pub recorded_by: String,
    pub recorded_by_user_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
