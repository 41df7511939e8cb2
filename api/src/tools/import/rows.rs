//! A spreadsheet row read into the API's inputs: each cell's notation
//! (languages, days and slots, enum lists, dates, numbers, yes/no), then a
//! volunteer's or a family's row validated as the API validates it, with the
//! defaults it took or the first cell at fault.

use chrono::{NaiveDate, NaiveTime, Utc};

use super::Row;
use crate::{
    core::error::ApiError,
    core::locale::tr,
    core::values::{
        CrisisType, Date, LanguageLevel, LanguageSkillInput, LocationInput, TimeSlotInput, Weekday,
        graphql_value,
    },
    families::{CreateFamilyInput, NewFamily, ReferralSource, Urgency, validate_family},
    volunteers::{
        CreateVolunteerInput, NewVolunteer, VolunteerStatus, training_module, validate_volunteer,
    },
};

/// A problem with one cell: its column and what is wrong.
pub(super) type Bad = (String, String);

/// `message` about column `column`.
pub(super) fn at(column: &str) -> impl Fn(String) -> Bad + '_ {
    move |message| (column.to_owned(), message)
}

pub(super) fn cell<'a>(row: &'a Row, name: &str) -> Option<&'a str> {
    row.get(name).map(|s| s.trim()).filter(|s| !s.is_empty())
}

pub(super) fn level(raw: &str) -> Result<LanguageLevel, String> {
    match raw.trim().to_lowercase().as_str() {
        "native" | "moedertaal" | "maternelle" | "langue maternelle" => Ok(LanguageLevel::Native),
        "fluent" | "vloeiend" | "courant" => Ok(LanguageLevel::Fluent),
        "conversational" | "gevorderd" | "goed" | "intermédiaire" | "intermediaire" => {
            Ok(LanguageLevel::Conversational)
        }
        "basic" | "basis" | "beginner" | "débutant" | "debutant" => Ok(LanguageLevel::Basic),
        other => Err(tr!("import-unknown-level", input = format!("{other:?}"))),
    }
}

pub(super) fn languages(raw: &str) -> Result<Vec<LanguageSkillInput>, String> {
    raw.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            let (language, lvl) = item
                .rsplit_once(':')
                .ok_or_else(|| tr!("import-needs-level", item = format!("{item:?}")))?;
            Ok(LanguageSkillInput {
                language: language.trim().to_owned(),
                level: level(lvl)?,
            })
        })
        .collect()
}

pub(super) fn weekday(raw: &str) -> Result<Weekday, String> {
    let day = raw.trim().trim_end_matches('.').to_lowercase();
    let found = [
        (Weekday::Monday, ["ma", "maandag", "mon", "monday"]),
        (Weekday::Tuesday, ["di", "dinsdag", "tue", "tuesday"]),
        (Weekday::Wednesday, ["wo", "woensdag", "wed", "wednesday"]),
        (Weekday::Thursday, ["do", "donderdag", "thu", "thursday"]),
        (Weekday::Friday, ["vr", "vrijdag", "fri", "friday"]),
        (Weekday::Saturday, ["za", "zaterdag", "sat", "saturday"]),
        (Weekday::Sunday, ["zo", "zondag", "sun", "sunday"]),
    ]
    .into_iter()
    .find(|(_, names)| names.contains(&day.as_str()));
    found
        .map(|(d, _)| d)
        .ok_or_else(|| tr!("import-unknown-day", input = format!("{raw:?}")))
}

pub(super) fn slots(raw: &str) -> Result<Vec<TimeSlotInput>, String> {
    raw.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            let not_a_slot = || tr!("import-not-a-slot", item = format!("{item:?}"));
            let (day, times) = item
                .split_once(char::is_whitespace)
                .ok_or_else(not_a_slot)?;
            let (start, end) = times.trim().split_once('-').ok_or_else(not_a_slot)?;
            Ok(TimeSlotInput {
                day: weekday(day)?,
                start: start.trim().to_owned(),
                end: end.trim().to_owned(),
            })
        })
        .collect()
}

pub(super) fn enum_list<T: async_graphql::resolver_utils::EnumType>(
    raw: &str,
    what: &str,
) -> Result<Vec<T>, String> {
    raw.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let name = s.to_uppercase().replace([' ', '-'], "_");
            graphql_value::<T>(&name).ok_or_else(|| {
                tr!(
                    "import-unknown-value",
                    what = what,
                    input = format!("{s:?}")
                )
            })
        })
        .collect()
}

pub(super) fn one_enum<T: async_graphql::resolver_utils::EnumType>(
    raw: &str,
    what: &str,
) -> Result<T, String> {
    enum_list::<T>(raw, what)?
        .pop()
        .ok_or_else(|| tr!("import-missing", what = what))
}

pub(super) fn date(raw: &str, what: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| tr!("import-not-a-date", what = what, input = format!("{raw:?}")))
}

pub(super) fn number<T: std::str::FromStr>(raw: &str, what: &str) -> Result<T, String> {
    raw.trim().parse().map_err(|_| {
        tr!(
            "import-not-a-number",
            what = what,
            input = format!("{raw:?}")
        )
    })
}

pub(super) fn yes_no(raw: &str) -> Result<bool, String> {
    match raw.trim().to_lowercase().as_str() {
        "yes" | "y" | "ja" | "j" | "oui" | "true" | "1" => Ok(true),
        "no" | "n" | "nee" | "non" | "false" | "0" => Ok(false),
        other => Err(tr!("import-not-yes-or-no", input = format!("{other:?}"))),
    }
}

/// The CSV column of an API input path: `input.home.postalCode` ->
/// `postal_code`, `input.childrenAges[0]` -> `children_ages`.
pub(super) fn column_of(field: &str) -> String {
    let path = field.trim_start_matches("input.");
    let head = path.split(['.', '[']).next().unwrap_or(path);
    if head == "home" {
        return "postal_code".to_owned();
    }
    let mut column = String::new();
    for c in head.chars() {
        if c.is_uppercase() {
            column.push('_');
        }
        column.extend(c.to_lowercase());
    }
    column
}

/// The API's error, as a line of the report, at its CSV column.
pub(super) fn reason(error: ApiError) -> Bad {
    match &error {
        ApiError::BadInput {
            field, suggestion, ..
        } => {
            let message = match suggestion {
                Some(s) => format!("{} ({s})", error.message()),
                None => error.message(),
            };
            (column_of(field), message)
        }
        _ => ("row".to_owned(), error.message()),
    }
}

/// A validated volunteer row with the trainings to record.
pub(super) type VolunteerRow = (NewVolunteer, Vec<(String, NaiveDate)>);

/// A parsed row and the defaults it took, or the first cell at fault.
pub(super) type Parsed<T> = Result<(T, Vec<Bad>), Bad>;

/// The trainings cell: `BASIC;DOMESTIC_VIOLENCE:2026-02-01`; a module
/// without a date is dated `today` (noted in `defaults`).
pub(super) fn trainings(
    raw: &str,
    today: NaiveDate,
    defaults: &mut Vec<Bad>,
) -> Result<Vec<(String, NaiveDate)>, Bad> {
    let mut out = Vec::new();
    for item in raw.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let (module, on) = match item.split_once(':') {
            Some((m, d)) => (
                m,
                date(d, &tr!("import-what-training-date")).map_err(at("trainings"))?,
            ),
            None => (item, today),
        };
        if on > today {
            return Err(at("trainings")(tr!(
                "import-training-future",
                module = format!("{module:?}")
            )));
        }
        let code = training_module(module, "trainings").map_err(reason)?;
        if !item.contains(':') {
            defaults.push(at("trainings")(tr!(
                "import-training-dated-today",
                module = &code,
                today = today.to_string(),
            )));
        }
        out.push((code, on));
    }
    Ok(out)
}

pub(super) fn volunteer_row(row: &Row, today: NaiveDate) -> Parsed<VolunteerRow> {
    let mut defaults = Vec::new();
    let mut default = |column: &str, what: String| {
        if cell(row, column).is_none() {
            defaults.push(at(column)(tr!("import-empty", default = what)));
        }
    };
    default("status", VolunteerStatus::Applicant.to_string());
    default("max_travel_km", tr!("import-default-travel", km = 10));
    default("capacity", tr!("import-default-capacity", count = 1));
    let input = CreateVolunteerInput {
        name: cell(row, "name").unwrap_or_default().to_owned(),
        email: cell(row, "email").map(str::to_owned),
        phone: cell(row, "phone").map(str::to_owned),
        status: cell(row, "status")
            .map(|s| one_enum::<VolunteerStatus>(s, "status").map_err(at("status")))
            .transpose()?
            .or(Some(VolunteerStatus::Applicant)),
        languages: languages(cell(row, "languages").unwrap_or_default())
            .map_err(at("languages"))?,
        home: LocationInput {
            postal_code: cell(row, "postal_code").map(str::to_owned),
            latitude: None,
            longitude: None,
        },
        max_travel_km: cell(row, "max_travel_km")
            .map(|s| number(s, "max_travel_km").map_err(at("max_travel_km")))
            .transpose()?
            .or(Some(10.0)),
        availability: slots(cell(row, "availability").unwrap_or_default())
            .map_err(at("availability"))?,
        crisis_experience: Some(
            enum_list::<CrisisType>(
                cell(row, "crisis_experience").unwrap_or_default(),
                &tr!("import-what-crisis-type"),
            )
            .map_err(at("crisis_experience"))?,
        ),
        capacity: cell(row, "capacity")
            .map(|s| number(s, "capacity").map_err(at("capacity")))
            .transpose()?
            .or(Some(1)),
        background_check_issued_on: cell(row, "background_check_issued_on")
            .map(|s| {
                date(s, "background_check_issued_on")
                    .map(Date)
                    .map_err(at("background_check_issued_on"))
            })
            .transpose()?,
    };
    let trainings = trainings(
        cell(row, "trainings").unwrap_or_default(),
        today,
        &mut defaults,
    )?;
    let new = validate_volunteer(input, today).map_err(reason)?;
    Ok(((new, trainings), defaults))
}

pub(super) fn referred_at(raw: &str) -> Result<chrono::DateTime<Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(raw)
        .map(|d| d.with_timezone(&Utc))
        .or_else(|_| date(raw, "referred_at").map(|d| d.and_time(NaiveTime::MIN).and_utc()))
}

pub(super) fn family_row(row: &Row) -> Parsed<NewFamily> {
    let now = Utc::now();
    let mut defaults = Vec::new();
    for (column, what) in [
        ("urgency", Urgency::Normal.to_string()),
        ("referred_at", tr!("import-default-referred-now")),
        ("consent_given", tr!("import-default-no-consent")),
    ] {
        if cell(row, column).is_none() {
            defaults.push(at(column)(tr!("import-empty", default = what)));
        }
    }
    let input = CreateFamilyInput {
        display_name: cell(row, "display_name").unwrap_or_default().to_owned(),
        languages: languages(cell(row, "languages").unwrap_or_default())
            .map_err(at("languages"))?,
        preferred_language: cell(row, "preferred_language").map(str::to_owned),
        home: LocationInput {
            postal_code: cell(row, "postal_code").map(str::to_owned),
            latitude: None,
            longitude: None,
        },
        crisis_types: enum_list::<CrisisType>(
            cell(row, "crisis_types").unwrap_or_default(),
            &tr!("import-what-crisis-type"),
        )
        .map_err(at("crisis_types"))?,
        urgency: cell(row, "urgency")
            .map(|s| one_enum::<Urgency>(s, "urgency").map_err(at("urgency")))
            .transpose()?,
        referral_source: one_enum::<ReferralSource>(
            cell(row, "referral_source").unwrap_or_default(),
            &tr!("import-what-referral-source"),
        )
        .map_err(at("referral_source"))?,
        referred_at: cell(row, "referred_at")
            .map(|s| referred_at(s).map_err(at("referred_at")))
            .transpose()?,
        needed_availability: slots(cell(row, "needed_availability").unwrap_or_default())
            .map_err(at("needed_availability"))?,
        children_ages: Some(
            cell(row, "children_ages")
                .unwrap_or_default()
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| number(s, &tr!("import-what-child-age")))
                .collect::<Result<Vec<i32>, String>>()
                .map_err(at("children_ages"))?,
        ),
        consent_given: yes_no(cell(row, "consent_given").unwrap_or("no"))
            .map_err(at("consent_given"))?,
    };
    Ok((validate_family(input, now).map_err(reason)?, defaults))
}
