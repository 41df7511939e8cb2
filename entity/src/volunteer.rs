//! A volunteer: who they are, where they live, when they can help.

use sea_orm::entity::prelude::*;

use crate::vocabulary::VolunteerStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "volunteer")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub status: VolunteerStatus,
    pub postal_code: Option<String>,
    pub municipality: Option<String>,
    pub latitude: f64,
    pub longitude: f64,
    pub max_travel_km: f64,
    /// `[{"day":"MONDAY","start":"09:00","end":"12:00"}, ...]`
    pub availability: Json,
    /// A JSON array of [`CrisisType`](crate::vocabulary::CrisisType)s.
    pub crisis_experience: Json,
    pub capacity: i32,
    pub background_check_issued_on: Option<Date>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
