//! A goal in a plan, in the family's own words.

use sea_orm::entity::prelude::*;

use crate::vocabulary::{GoalStatus, LifeDomain};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "goal")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub life_domain: LifeDomain,
    pub status: GoalStatus,
    pub target_date: Option<Date>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
