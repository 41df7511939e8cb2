//! What `createVolunteer`, `updateVolunteer` and `volunteers` take: the
//! GraphQL input objects.

use async_graphql::InputObject;

use super::VolunteerStatus;
use crate::core::values::{CrisisType, Date, LanguageSkillInput, LocationInput, TimeSlotInput};

/// A new volunteer.
#[derive(Clone, Debug, InputObject)]
pub struct CreateVolunteerInput {
    /// Full name.
    pub name: String,
    /// Contact email.
    pub email: Option<String>,
    /// Contact phone.
    pub phone: Option<String>,
    /// Where they stand.
    #[graphql(default_with = "Some(VolunteerStatus::Applicant)")]
    pub status: Option<VolunteerStatus>,
    /// At least one language.
    pub languages: Vec<LanguageSkillInput>,
    /// Where they live.
    pub home: LocationInput,
    /// How far they travel, in (0, 100] km.
    #[graphql(default_with = "Some(10.0)")]
    pub max_travel_km: Option<f64>,
    /// When they can help each week.
    pub availability: Vec<TimeSlotInput>,
    /// Crises they have experience with.
    #[graphql(default_with = "Some(Vec::new())")]
    pub crisis_experience: Option<Vec<CrisisType>>,
    /// Families at the same time, 1 to 10.
    #[graphql(default_with = "Some(1)")]
    pub capacity: Option<i32>,
    /// Date of their extract from the criminal record (model 2).
    pub background_check_issued_on: Option<Date>,
}

/// Every field optional: what is given replaces what was there.
#[derive(Clone, Debug, Default, InputObject)]
pub struct UpdateVolunteerInput {
    /// Full name.
    pub name: Option<String>,
    /// Contact email.
    pub email: Option<String>,
    /// Contact phone.
    pub phone: Option<String>,
    /// Where they stand.
    pub status: Option<VolunteerStatus>,
    /// Replaces all languages.
    pub languages: Option<Vec<LanguageSkillInput>>,
    /// Where they live.
    pub home: Option<LocationInput>,
    /// How far they travel.
    pub max_travel_km: Option<f64>,
    /// Replaces the weekly availability.
    pub availability: Option<Vec<TimeSlotInput>>,
    /// Replaces the crisis experience.
    pub crisis_experience: Option<Vec<CrisisType>>,
    /// Families at the same time.
    pub capacity: Option<i32>,
    /// Date of their extract from the criminal record.
    pub background_check_issued_on: Option<Date>,
}

impl UpdateVolunteerInput {
    /// Each field, and whether it was given.
    pub(super) fn given(&self) -> [(&'static str, bool); 11] {
        [
            ("name", self.name.is_some()),
            ("email", self.email.is_some()),
            ("phone", self.phone.is_some()),
            ("status", self.status.is_some()),
            ("languages", self.languages.is_some()),
            ("home", self.home.is_some()),
            ("maxTravelKm", self.max_travel_km.is_some()),
            ("availability", self.availability.is_some()),
            ("crisisExperience", self.crisis_experience.is_some()),
            ("capacity", self.capacity.is_some()),
            (
                "backgroundCheckIssuedOn",
                self.background_check_issued_on.is_some(),
            ),
        ]
    }
}

/// Filters of `volunteers`.
#[derive(Clone, Debug, Default, InputObject)]
pub struct VolunteerFilter {
    /// Any of these statuses.
    pub status: Option<Vec<VolunteerStatus>>,
    /// Speaks this language (code or name).
    pub language: Option<String>,
    /// Fuzzy match on name.
    pub search: Option<String>,
    /// Lives near this postal code...
    pub near_postal_code: Option<String>,
    /// ...within this many km (default 10).
    pub within_km: Option<f64>,
}
