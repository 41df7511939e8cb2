//! A follow-up contact with a volunteer. Append-only but for the resolution of a concern.

use sea_orm::entity::prelude::*;

use crate::vocabulary::{CheckInKind, ConcernLevel};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "check_in")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub volunteer_id: Uuid,
    pub family_id: Option<Uuid>,
    pub kind: CheckInKind,
    pub occurred_at: DateTimeUtc,
    pub wellbeing: Option<i32>,
    pub hours_since_last: Option<f64>,
    pub concern: ConcernLevel,
    #[sea_orm(column_type = "Text", nullable)]
    pub notes: Option<String>,
    pub next_due_on: Option<Date>,
    pub recorded_by: String,
    pub recorded_by_user_id: Option<Uuid>,
    pub resolved_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub resolution: Option<String>,
    pub resolved_by: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
