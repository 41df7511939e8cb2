//! A helper's part in a plan. The helper is a volunteer, a service, a network member or a professional.

use sea_orm::entity::prelude::*;

use crate::vocabulary::{HelperKind, InvolvementStatus};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "involvement")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    pub helper_kind: HelperKind,
    pub volunteer_id: Option<Uuid>,
    pub service_id: Option<Uuid>,
    /// Name of a network member or professional.
    pub helper_name: Option<String>,
    /// A network member's relation, or a professional's organisation.
    pub helper_detail: Option<String>,
    pub role: String,
    pub status: InvolvementStatus,
    /// The day the helper is planned to start (may lie ahead).
    pub planned_start_on: Option<Date>,
    pub phased_in_at: Option<DateTimeUtc>,
    pub phased_out_at: Option<DateTimeUtc>,
    pub match_score: Option<f64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
