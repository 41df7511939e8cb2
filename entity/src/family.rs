//! A family in crisis, known by a pseudonymous reference.

use sea_orm::entity::prelude::*;

use crate::vocabulary::{FamilyStatus, ReferralSource, Urgency};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "family")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `G-YYYY-NNNN`.
    #[sea_orm(unique)]
    pub reference: String,
    pub display_name: String,
    pub preferred_language: Option<String>,
    /// Null only after erasure.
    pub postal_code: Option<String>,
    pub municipality: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// A JSON array of [`CrisisType`](crate::vocabulary::CrisisType)s.
    pub crisis_types: Json,
    pub urgency: Urgency,
    pub status: FamilyStatus,
    pub referral_source: ReferralSource,
    pub referred_at: DateTimeUtc,
    /// When the first helper was phased in (the one-month rule is answered).
    pub first_phase_in_at: Option<DateTimeUtc>,
    /// While WAITING: when this wait began (the referral, or the moment the
    /// last helper ended). Null while SUPPORTED or CLOSED.
    pub waiting_since: Option<DateTimeUtc>,
    /// Days the family's last wait lasted (set when a helper is phased in).
    pub last_waited_days: Option<i32>,
    pub needed_availability: Json,
    pub consent_given: bool,
    /// Set by erasure: the row then only keeps what anonymous reporting needs.
    pub erased_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
