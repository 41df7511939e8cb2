//! A failed login for an email from a client address (for throttling), or
//! an attempt under way (counted before its password is checked).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "login_failure")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Lower-cased, as typed (also for emails no account has).
    pub email: String,
    pub at: DateTimeUtc,
    /// The client address the attempt came from ("" for failures recorded before addresses were).
    pub client: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
