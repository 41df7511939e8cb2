//! One language a family speaks, with a level.

use sea_orm::entity::prelude::*;

use crate::vocabulary::LanguageLevel;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "family_language")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub family_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub language_code: String,
    pub level: LanguageLevel,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
