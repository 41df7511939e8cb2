//! The demo network's people as data: where they live, the languages they
//! speak, their weeks and crises, and the family-care services, with the
//! small builders that turn a row into an API input.

use crate::core::values::{
    CrisisType, LanguageLevel, LanguageSkillInput, LifeDomain, LocationInput, TimeSlotInput,
    Weekday,
};

/// The 19 communes of Brussels-Capital and the Flemish rim around them.
pub(super) const POSTAL_CODES: &[&str] = &[
    "1000", "1020", "1030", "1040", "1050", "1060", "1070", "1080", "1081", "1082", "1083", "1090",
    "1120", "1140", "1150", "1160", "1170", "1180", "1190", "1200", "1210", "1600", "1640", "1700",
    "1730", "1780", "1800", "1830", "1853", "1930", "1950", "1970", "3080",
];

pub(super) const LANGUAGE_MIX: &[&[&str]] = &[
    &["ar", "fr"],
    &["ber", "fr", "nl"],
    &["tr", "nl"],
    &["ro", "fr"],
    &["prs", "fa"],
    &["ps", "en"],
    &["so", "en"],
    &["ti", "am"],
    &["nl", "fr"],
    &["fr", "en"],
    &["pl", "nl"],
    &["es", "fr"],
    &["pt", "fr"],
    &["ln", "fr"],
    &["bg", "tr"],
    &["uk", "ru"],
    &["ar", "nl"],
    &["sq", "fr"],
];

/// Names the demo (and `tandem generate`) draw from.
pub(crate) const VOLUNTEER_NAMES: &[&str] = &[
    "Amina", "Youssef", "Sara", "Mehmet", "Ioana", "Pieter", "Élodie", "Karim", "Fatma", "Jonas",
    "Nadia", "Ahmad", "Hanna", "Omar", "Lotte", "Bilal", "Marie", "Samir", "Leen", "Rachid",
    "Aylin", "Tom", "Khadija", "Bram", "Zainab", "Lucas", "Hind", "Wout", "Mariam", "Arne",
];
/// Names the demo (and `tandem generate`) draw from.
pub(crate) const SURNAMES: &[&str] = &[
    "Benali",
    "El Amrani",
    "Janssens",
    "Yilmaz",
    "Popescu",
    "Peeters",
    "Dubois",
    "Haddad",
    "Kaya",
    "Maes",
    "Rahimi",
    "Mohamed",
    "Claes",
    "Diallo",
    "Wouters",
    "Nowak",
    "Haidari",
    "Tesfaye",
];
/// Names the demo (and `tandem generate`) draw from.
pub(crate) const FAMILY_NAMES: &[&str] = &[
    "Fatima", "Mounir", "Ana", "Hakan", "Ilinca", "Farid", "Leila", "Jamal", "Sofia", "Nour",
    "Abdi", "Meron", "Yasmina", "Kevin", "Sanne", "Reza", "Oksana", "Aziz", "Inès", "Hamza",
];

pub(super) fn level(i: usize) -> LanguageLevel {
    [
        LanguageLevel::Native,
        LanguageLevel::Fluent,
        LanguageLevel::Conversational,
    ][i % 3]
}

/// When volunteers can help, week by week: one pattern per volunteer in turn.
pub(super) const VOLUNTEER_WEEKS: &[&[(Weekday, &str, &str)]] = &[
    &[
        (Weekday::Wednesday, "13:00", "18:00"),
        (Weekday::Saturday, "09:00", "12:00"),
    ],
    &[
        (Weekday::Monday, "16:00", "19:00"),
        (Weekday::Thursday, "16:00", "19:00"),
    ],
    &[
        (Weekday::Tuesday, "09:00", "12:00"),
        (Weekday::Friday, "13:00", "17:00"),
    ],
    &[
        (Weekday::Wednesday, "14:00", "17:00"),
        (Weekday::Saturday, "10:00", "13:00"),
    ],
    &[
        (Weekday::Thursday, "15:00", "19:00"),
        (Weekday::Friday, "13:00", "16:00"),
    ],
];

/// When families would like support: one pattern per family in turn.
pub(super) const FAMILY_WEEKS: &[&[(Weekday, &str, &str)]] = &[
    &[(Weekday::Wednesday, "15:00", "17:00")],
    &[(Weekday::Saturday, "10:00", "12:00")],
    &[(Weekday::Thursday, "16:30", "18:30")],
    &[(Weekday::Friday, "14:00", "16:00")],
    &[
        (Weekday::Monday, "17:00", "19:00"),
        (Weekday::Wednesday, "14:00", "16:00"),
    ],
];

/// Crisis types by family in turn: mostly what volunteers know; now and then
/// one that needs a specific training (the near miss that teaches).
pub(super) const FAMILY_CRISES: &[&[CrisisType]] = &[
    &[CrisisType::ParentingStress, CrisisType::Newcomer],
    &[CrisisType::SocialIsolation, CrisisType::Financial],
    &[CrisisType::Housing, CrisisType::ParentingStress],
    &[CrisisType::SchoolDropout, CrisisType::Newcomer],
    &[CrisisType::MentalHealth, CrisisType::SocialIsolation],
    &[CrisisType::IllnessOrDisability, CrisisType::Financial],
    &[CrisisType::DomesticViolence, CrisisType::Housing],
    &[CrisisType::Newcomer, CrisisType::Financial],
    &[CrisisType::ParentingStress, CrisisType::SchoolDropout],
    &[CrisisType::ChildSafetyConcern, CrisisType::ParentingStress],
];

/// What volunteers have experience with, by volunteer in turn.
pub(super) const VOLUNTEER_CRISES: &[&[CrisisType]] = &[
    &[
        CrisisType::ParentingStress,
        CrisisType::Newcomer,
        CrisisType::SchoolDropout,
    ],
    &[
        CrisisType::SocialIsolation,
        CrisisType::MentalHealth,
        CrisisType::Financial,
    ],
    &[
        CrisisType::Housing,
        CrisisType::Financial,
        CrisisType::Newcomer,
    ],
    &[CrisisType::DomesticViolence, CrisisType::ParentingStress],
    &[CrisisType::IllnessOrDisability, CrisisType::SocialIsolation],
];

pub(super) fn week(pattern: &[(Weekday, &str, &str)]) -> Vec<TimeSlotInput> {
    pattern
        .iter()
        .map(|(day, start, end)| TimeSlotInput {
            day: *day,
            start: (*start).to_owned(),
            end: (*end).to_owned(),
        })
        .collect()
}

pub(super) fn skills(languages: &[&str], offset: usize) -> Vec<LanguageSkillInput> {
    languages
        .iter()
        .enumerate()
        .map(|(j, l)| LanguageSkillInput {
            language: (*l).to_owned(),
            level: level(offset + j),
        })
        .collect()
}

pub(super) fn home(postal_code: &str) -> LocationInput {
    LocationInput {
        postal_code: Some(postal_code.to_owned()),
        latitude: None,
        longitude: None,
    }
}

/// Where a demo service works.
pub(super) enum Area {
    /// Every Brussels postal code of the demo.
    Brussels,
    /// Every Flemish-rim postal code of the demo.
    Rim,
    /// These postal codes.
    Codes(&'static [&'static str]),
}

/// One demo family-care service.
pub(super) struct ServiceRow {
    pub(super) name: &'static str,
    pub(super) organization: &'static str,
    pub(super) kind: crate::services::ServiceKind,
    pub(super) languages: &'static [&'static str],
    pub(super) area: Area,
    pub(super) life_domains: &'static [LifeDomain],
    pub(super) crisis_available: bool,
    pub(super) contribution_waivable: bool,
    pub(super) capacity: Option<i32>,
}

pub(super) const SERVICES: [ServiceRow; 6] = {
    use crate::services::ServiceKind as K;
    [
        ServiceRow {
            name: "Gezinszorg Brussel",
            organization: "Familiehulp",
            kind: K::FamilyCare,
            languages: &["nl", "fr", "ar"],
            area: Area::Brussels,
            life_domains: &[LifeDomain::Household, LifeDomain::Parenting],
            crisis_available: true,
            contribution_waivable: true,
            capacity: Some(40),
        },
        ServiceRow {
            name: "Kraamzorg Vlaams-Brabant",
            organization: "Kraamzorg Vlaanderen",
            kind: K::MaternityCare,
            languages: &["nl", "en"],
            area: Area::Rim,
            life_domains: &[LifeDomain::Health],
            crisis_available: false,
            contribution_waivable: true,
            capacity: Some(15),
        },
        ServiceRow {
            name: "Poetshulp Molenbeek",
            organization: "Dienstenchequebedrijf Net",
            kind: K::HouseholdHelp,
            languages: &["fr", "nl", "ro"],
            area: Area::Codes(&["1080", "1081", "1070"]),
            life_domains: &[LifeDomain::Household],
            crisis_available: false,
            contribution_waivable: false,
            capacity: Some(20),
        },
        ServiceRow {
            name: "RTJ Brussel Noord",
            organization: "Jeugdhulp Brussel",
            kind: K::DirectYouthCare,
            languages: &["nl", "fr"],
            area: Area::Brussels,
            life_domains: &[LifeDomain::Parenting, LifeDomain::SocialNetwork],
            crisis_available: true,
            contribution_waivable: true,
            capacity: None,
        },
        ServiceRow {
            name: "Eerstelijnspsychologen Halle-Vilvoorde",
            organization: "Netwerk GGZ",
            kind: K::PsychologicalFirstLine,
            languages: &["nl", "fr", "tr"],
            area: Area::Rim,
            life_domains: &[LifeDomain::Health],
            crisis_available: false,
            contribution_waivable: true,
            capacity: Some(30),
        },
        ServiceRow {
            name: "NAFT Brussel",
            organization: "Onderwijsambassadeurs",
            kind: K::SchoolSupport,
            languages: &["nl", "fr", "ar", "ber"],
            area: Area::Brussels,
            life_domains: &[LifeDomain::School],
            crisis_available: false,
            contribution_waivable: true,
            capacity: Some(25),
        },
    ]
};

/// The demo's postal codes in Brussels (`true`) or on the rim (`false`).
pub(super) fn postal_codes(brussels: bool) -> Vec<String> {
    POSTAL_CODES
        .iter()
        .filter(|p| ["10", "11", "12"].iter().any(|b| p.starts_with(b)) == brussels)
        .map(|p| (*p).to_owned())
        .collect()
}
