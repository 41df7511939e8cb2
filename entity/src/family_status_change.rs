//! One change of a family's status (WAITING, SUPPORTED, CLOSED), written in
//! the transaction of the referral, helper step or plan change that caused
//! it. Append-only; deleted with the family's other records on erasure.

use sea_orm::entity::prelude::*;

use crate::vocabulary::{FamilyStatus, FamilyStatusCause};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "family_status_change")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub family_id: Uuid,
    /// None for the referral (the family's first status).
    pub from_status: Option<FamilyStatus>,
    pub to_status: FamilyStatus,
    pub cause: FamilyStatusCause,
    /// The helper's step that caused it, if one did.
    pub involvement_event_id: Option<Uuid>,
    pub at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
