//! One change of a family's status (WAITING, SUPPORTED, CLOSED), written in
//! the transaction of the referral, helper step or plan change that caused
//! it. Append-only; deleted with the family's other records on erasure.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "family_status_change")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub family_id: Uuid,
    /// None for the referral (the family's first status).
    pub from_status: Option<String>,
    pub to_status: String,
    /// REFERRED, HELPER_PHASED_IN, HELPER_ENDED, PLAN_CLOSED or PLAN_REOPENED.
    pub cause: String,
    /// The helper's step that caused it, if one did.
    pub involvement_event_id: Option<Uuid>,
    pub at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
