//! A family-care service (gezinszorg, kraamzorg, ...) that can be involved in plans.

use sea_orm::entity::prelude::*;

use crate::vocabulary::ServiceKind;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "family_care_service")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub organization: String,
    pub kind: ServiceKind,
    /// `["nl", "fr"]`
    pub languages: Json,
    /// `["1000", "1030"]`
    pub service_area: Json,
    /// A JSON array of [`LifeDomain`](crate::vocabulary::LifeDomain)s.
    pub life_domains: Json,
    pub crisis_available: bool,
    pub contribution_waivable: bool,
    pub capacity: Option<i32>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
