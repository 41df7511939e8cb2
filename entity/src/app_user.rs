//! A person who can sign in. Volunteers' accounts point at their volunteer record.

use sea_orm::entity::prelude::*;

use crate::vocabulary::{Locale, Role};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "app_user")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Argon2id PHC string.
    pub password_hash: String,
    pub volunteer_id: Option<Uuid>,
    /// A disabled account cannot sign in, and its sessions no longer work.
    pub disabled: bool,
    /// The language Tandem speaks to them in; null until they choose (the
    /// server default applies).
    pub locale: Option<Locale>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
