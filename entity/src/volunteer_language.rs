//! One language a volunteer speaks, with a level.

use sea_orm::entity::prelude::*;

use crate::vocabulary::LanguageLevel;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "volunteer_language")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub volunteer_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub language_code: String,
    pub level: LanguageLevel,
    /// Order in which the languages were given.
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
