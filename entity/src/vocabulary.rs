//! The closed vocabularies Tandem stores: one enum per kind of status, kind
//! or level, each variant stored as the string written in its
//! `string_value` (the names the GraphQL contract gives them, as they have
//! always been stored, so no data changes).
//!
//! A user's locale is stored as its ISO 639-1 code (`nl`), not its GraphQL
//! name (`NL`).
//!
//! Columns hold them as strings (`VARCHAR` on PostgreSQL, `TEXT` on SQLite):
//! the `db_type` of each enum is the column as the migrations created it.
//! Each enum serialises (serde) as the same string, for the lists held in
//! JSON columns (a family's crisis types, a service's life domains) and for
//! the data a family's export hands over.
//!
//! Training modules are not here: they are codes of the catalogue in the
//! matching crate, and a code recorded before the catalogue existed stands
//! for itself, so the column stays an open string.

use sea_orm::entity::prelude::*;

/// Where a family stands (`family.status`, `family_status_change.from_status`
/// and `.to_status`): derived from its plan and its helpers.
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum FamilyStatus {
    /// No helper ACTIVE or PHASING_OUT (yet, or any more).
    #[sea_orm(string_value = "WAITING")]
    Waiting,
    /// At least one helper is ACTIVE or PHASING_OUT.
    #[sea_orm(string_value = "SUPPORTED")]
    Supported,
    /// The plan is closed.
    #[sea_orm(string_value = "CLOSED")]
    Closed,
}

/// What changed a family's status (`family_status_change.cause`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(30))")]
pub enum FamilyStatusCause {
    /// The family was referred: its first status.
    #[sea_orm(string_value = "REFERRED")]
    Referred,
    /// A helper was phased in while no other helper was helping.
    #[sea_orm(string_value = "HELPER_PHASED_IN")]
    HelperPhasedIn,
    /// The family's last helping helper ended.
    #[sea_orm(string_value = "HELPER_ENDED")]
    HelperEnded,
    /// The plan was closed.
    #[sea_orm(string_value = "PLAN_CLOSED")]
    PlanClosed,
    /// The closed plan was reopened.
    #[sea_orm(string_value = "PLAN_REOPENED")]
    PlanReopened,
}

/// How urgently a family needs help (`family.urgency`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum Urgency {
    /// A crisis: help within days.
    #[sea_orm(string_value = "CRISIS")]
    Crisis,
    /// Soon.
    #[sea_orm(string_value = "HIGH")]
    High,
    /// Within the month.
    #[sea_orm(string_value = "NORMAL")]
    Normal,
}

/// Who referred a family (`family.referral_source`).
///
/// Stored like the other enums, but derived as a value type with the
/// strings written out in [`ReferralSource::stored`]: sea-orm's
/// `DeriveActiveEnum` makes an identifier of each stored string, and `SELF`
/// cannot be one.
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveValueType)]
#[sea_orm(
    value_type = "String",
    column_type = "String(sea_orm::sea_query::StringLen::N(30))",
    from_str = "ReferralSource::from_stored",
    to_str = "ReferralSource::stored"
)]
pub enum ReferralSource {
    /// A crisis line (crisismeldpunt).
    CrisisHotline,
    /// Centrum Algemeen Welzijnswerk.
    Caw,
    /// Centrum voor Leerlingenbegeleiding.
    Clb,
    /// Kind en Gezin.
    KindEnGezin,
    /// Ondersteuningscentrum Jeugdzorg.
    Ocj,
    /// Huis van het Kind.
    HuisVanHetKind,
    /// The children's school.
    School,
    /// General practitioner.
    Gp,
    /// The family came on its own.
    SelfReferral,
    /// Anyone else.
    Other,
}

impl ReferralSource {
    /// The string stored for this source.
    pub fn stored(&self) -> &'static str {
        match self {
            ReferralSource::CrisisHotline => "CRISIS_HOTLINE",
            ReferralSource::Caw => "CAW",
            ReferralSource::Clb => "CLB",
            ReferralSource::KindEnGezin => "KIND_EN_GEZIN",
            ReferralSource::Ocj => "OCJ",
            ReferralSource::HuisVanHetKind => "HUIS_VAN_HET_KIND",
            ReferralSource::School => "SCHOOL",
            ReferralSource::Gp => "GP",
            ReferralSource::SelfReferral => "SELF",
            ReferralSource::Other => "OTHER",
        }
    }

    /// The source stored as `raw`; anything else is a type error.
    pub fn from_stored(raw: &str) -> Result<ReferralSource, DbErr> {
        <ReferralSource as sea_orm::Iterable>::iter()
            .find(|source| source.stored() == raw)
            .ok_or_else(|| DbErr::Type(format!("unexpected value for ReferralSource: {raw}")))
    }
}

/// Why a family needs support (the JSON arrays `family.crisis_types` and
/// `volunteer.crisis_experience`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum CrisisType {
    /// Opvoedingsstress.
    #[sea_orm(string_value = "PARENTING_STRESS")]
    ParentingStress,
    /// Verontrusting.
    #[sea_orm(string_value = "CHILD_SAFETY_CONCERN")]
    ChildSafetyConcern,
    /// Intrafamiliaal geweld.
    #[sea_orm(string_value = "DOMESTIC_VIOLENCE")]
    DomesticViolence,
    /// Psychische kwetsbaarheid.
    #[sea_orm(string_value = "MENTAL_HEALTH")]
    MentalHealth,
    /// Verslaving.
    #[sea_orm(string_value = "ADDICTION")]
    Addiction,
    /// Dakloosheid, uithuiszetting.
    #[sea_orm(string_value = "HOUSING")]
    Housing,
    /// Armoede, schulden.
    #[sea_orm(string_value = "FINANCIAL")]
    Financial,
    /// Spijbelen, schooluitval.
    #[sea_orm(string_value = "SCHOOL_DROPOUT")]
    SchoolDropout,
    /// Klein of geen netwerk.
    #[sea_orm(string_value = "SOCIAL_ISOLATION")]
    SocialIsolation,
    /// Nieuwkomer, anderstaligheid.
    #[sea_orm(string_value = "NEWCOMER")]
    Newcomer,
    /// Ziekte of beperking in het gezin.
    #[sea_orm(string_value = "ILLNESS_OR_DISABILITY")]
    IllnessOrDisability,
}

/// How well someone speaks a language (`volunteer_language.level`,
/// `family_language.level`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum LanguageLevel {
    /// Mother tongue.
    #[sea_orm(string_value = "NATIVE")]
    Native,
    /// Speaks it with ease.
    #[sea_orm(string_value = "FLUENT")]
    Fluent,
    /// Can hold a conversation.
    #[sea_orm(string_value = "CONVERSATIONAL")]
    Conversational,
    /// Knows the basics.
    #[sea_orm(string_value = "BASIC")]
    Basic,
}

/// Where a volunteer stands (`volunteer.status`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum VolunteerStatus {
    /// Signed up, not yet screened.
    #[sea_orm(string_value = "APPLICANT")]
    Applicant,
    /// Following the basic training.
    #[sea_orm(string_value = "IN_TRAINING")]
    InTraining,
    /// Can be matched.
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    /// Temporarily unavailable.
    #[sea_orm(string_value = "PAUSED")]
    Paused,
    /// No longer volunteering.
    #[sea_orm(string_value = "STOPPED")]
    Stopped,
}

/// Where a plan stands (`plan.status`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum PlanStatus {
    /// Being drawn up with the family.
    #[sea_orm(string_value = "DRAFT")]
    Draft,
    /// Running.
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    /// The family is in acute crisis.
    #[sea_orm(string_value = "CRISIS")]
    Crisis,
    /// Help is winding down; follow-up only.
    #[sea_orm(string_value = "FOLLOW_UP")]
    FollowUp,
    /// Closed.
    #[sea_orm(string_value = "CLOSED")]
    Closed,
}

/// Where a goal stands (`goal.status`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum GoalStatus {
    /// Not started yet.
    #[sea_orm(string_value = "OPEN")]
    Open,
    /// Being worked on.
    #[sea_orm(string_value = "IN_PROGRESS")]
    InProgress,
    /// Reached.
    #[sea_orm(string_value = "REACHED")]
    Reached,
    /// No longer pursued.
    #[sea_orm(string_value = "DROPPED")]
    Dropped,
}

/// A domain of family life (`goal.life_domain`, and the JSON array
/// `family_care_service.life_domains`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum LifeDomain {
    /// Raising the children.
    #[sea_orm(string_value = "PARENTING")]
    Parenting,
    /// Running the household.
    #[sea_orm(string_value = "HOUSEHOLD")]
    Household,
    /// Physical and mental health.
    #[sea_orm(string_value = "HEALTH")]
    Health,
    /// School and learning.
    #[sea_orm(string_value = "SCHOOL")]
    School,
    /// A home, and keeping it.
    #[sea_orm(string_value = "HOUSING")]
    Housing,
    /// Income, debts and paperwork.
    #[sea_orm(string_value = "FINANCES")]
    Finances,
    /// Free time, sport and culture.
    #[sea_orm(string_value = "LEISURE")]
    Leisure,
    /// Family, friends and neighbours to rely on.
    #[sea_orm(string_value = "SOCIAL_NETWORK")]
    SocialNetwork,
    /// Work and training for work.
    #[sea_orm(string_value = "WORK")]
    Work,
}

/// Who a helper in a plan is (`involvement.helper_kind`): which of the
/// involvement's helper columns are filled.
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum HelperKind {
    /// A volunteer (`volunteer_id`).
    #[sea_orm(string_value = "VOLUNTEER")]
    Volunteer,
    /// A family-care service (`service_id`).
    #[sea_orm(string_value = "SERVICE")]
    Service,
    /// Someone from the family's own network (`helper_name`, `helper_detail`
    /// the relation).
    #[sea_orm(string_value = "NETWORK_MEMBER")]
    NetworkMember,
    /// A professional (`helper_name`, `helper_detail` the organisation).
    #[sea_orm(string_value = "PROFESSIONAL")]
    Professional,
}

/// The lifecycle of a helper in a plan (`involvement.status`,
/// `involvement_event.from_status` and `.to_status`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum InvolvementStatus {
    /// Proposed to the family, not started.
    #[sea_orm(string_value = "PROPOSED")]
    Proposed,
    /// Helping.
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    /// Winding down.
    #[sea_orm(string_value = "PHASING_OUT")]
    PhasingOut,
    /// Stopped helping.
    #[sea_orm(string_value = "ENDED")]
    Ended,
    /// The proposal was declined.
    #[sea_orm(string_value = "DECLINED")]
    Declined,
}

/// What kind of service a family-care service is (`family_care_service.kind`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(30))")]
pub enum ServiceKind {
    /// Gezinszorg.
    #[sea_orm(string_value = "FAMILY_CARE")]
    FamilyCare,
    /// Kraamzorg.
    #[sea_orm(string_value = "MATERNITY_CARE")]
    MaternityCare,
    /// Poetshulp.
    #[sea_orm(string_value = "HOUSEHOLD_HELP")]
    HouseholdHelp,
    /// Rechtstreeks toegankelijke jeugdhulp.
    #[sea_orm(string_value = "DIRECT_YOUTH_CARE")]
    DirectYouthCare,
    /// Eerstelijnspsychologische zorg.
    #[sea_orm(string_value = "PSYCHOLOGICAL_FIRST_LINE")]
    PsychologicalFirstLine,
    /// NAFT, onderwijsambassadeur.
    #[sea_orm(string_value = "SCHOOL_SUPPORT")]
    SchoolSupport,
    /// Any other service.
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// How a follow-up contact took place (`check_in.kind`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(30))")]
pub enum CheckInKind {
    /// A phone or video call.
    #[sea_orm(string_value = "CALL")]
    Call,
    /// A visit in person.
    #[sea_orm(string_value = "VISIT")]
    Visit,
    /// A one-to-one supervision session.
    #[sea_orm(string_value = "SUPERVISION")]
    Supervision,
    /// A group session where volunteers learn from each other.
    #[sea_orm(string_value = "GROUP_INTERVISION")]
    GroupIntervision,
    /// A training session.
    #[sea_orm(string_value = "TRAINING_SESSION")]
    TrainingSession,
    /// A written message.
    #[sea_orm(string_value = "MESSAGE")]
    Message,
}

/// How worried the follow-up worker is (`check_in.concern`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(10))")]
pub enum ConcernLevel {
    /// Nothing to worry about.
    #[sea_orm(string_value = "NONE")]
    None,
    /// Something to keep an eye on.
    #[sea_orm(string_value = "LOW")]
    Low,
    /// Worrying: to be followed up until resolved.
    #[sea_orm(string_value = "HIGH")]
    High,
}

/// What a signed-in user may do (`app_user.role`, `audit_entry.role`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum Role {
    /// Everything.
    #[sea_orm(string_value = "ADMIN")]
    Admin,
    /// Volunteer coordinators.
    #[sea_orm(string_value = "COORDINATOR")]
    Coordinator,
    /// Training-and-follow-up staff.
    #[sea_orm(string_value = "FOLLOW_UP")]
    FollowUp,
    /// A volunteer.
    #[sea_orm(string_value = "VOLUNTEER")]
    Volunteer,
}

/// What an audit entry records (`audit_entry.action`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(10))")]
pub enum AuditAction {
    /// Personal data was read.
    #[sea_orm(string_value = "READ")]
    Read,
    /// The family was registered.
    #[sea_orm(string_value = "CREATE")]
    Create,
    /// The family or its plan changed.
    #[sea_orm(string_value = "UPDATE")]
    Update,
    /// The family was erased.
    #[sea_orm(string_value = "ERASE")]
    Erase,
    /// The family's data was exported.
    #[sea_orm(string_value = "EXPORT")]
    Export,
}

/// The language Tandem speaks to a user in (`app_user.locale`), stored as
/// its ISO 639-1 code.
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
pub enum Locale {
    /// Dutch.
    #[sea_orm(string_value = "nl")]
    Nl,
    /// French.
    #[sea_orm(string_value = "fr")]
    Fr,
    /// English.
    #[sea_orm(string_value = "en")]
    En,
}

/// Serialises each enum as its stored string, and reads it back (an unknown
/// string is an error, as in a column).
macro_rules! in_json_as_stored {
    ($($vocabulary:ty),* $(,)?) => {$(
        impl serde::Serialize for $vocabulary {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.to_value())
            }
        }

        impl<'de> serde::Deserialize<'de> for $vocabulary {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(deserializer)?;
                Self::try_from_value(&raw).map_err(serde::de::Error::custom)
            }
        }
    )*};
}

in_json_as_stored!(
    FamilyStatus,
    FamilyStatusCause,
    Urgency,
    CrisisType,
    LanguageLevel,
    VolunteerStatus,
    PlanStatus,
    GoalStatus,
    LifeDomain,
    HelperKind,
    InvolvementStatus,
    ServiceKind,
    CheckInKind,
    ConcernLevel,
    Role,
    AuditAction,
    Locale,
);

impl serde::Serialize for ReferralSource {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.stored())
    }
}

impl<'de> serde::Deserialize<'de> for ReferralSource {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        ReferralSource::from_stored(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_list_holds_the_stored_strings() {
        let list = vec![CrisisType::Newcomer, CrisisType::ChildSafetyConcern];
        let json = serde_json::to_value(&list).unwrap();
        assert_eq!(
            json,
            serde_json::json!(["NEWCOMER", "CHILD_SAFETY_CONCERN"])
        );
        let back: Vec<CrisisType> = serde_json::from_value(json).unwrap();
        assert_eq!(back, list);
    }

    #[test]
    fn a_referral_source_serialises_as_stored() {
        let json = serde_json::to_value(ReferralSource::SelfReferral).unwrap();
        assert_eq!(json, serde_json::json!("SELF"));
        let back: ReferralSource = serde_json::from_value(json).unwrap();
        assert_eq!(back, ReferralSource::SelfReferral);
    }

    #[test]
    fn an_unknown_string_in_a_json_list_is_an_error() {
        let read = serde_json::from_value::<Vec<LifeDomain>>(serde_json::json!(["GARDENING"]));
        assert!(read.is_err());
    }
}
