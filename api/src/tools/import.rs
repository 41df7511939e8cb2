//! `tandem import volunteers|families FILE.csv [--dry-run]`: spreadsheets in,
//! through the same validation as the API. Every bad row is reported with its
//! line number; when any row is bad nothing is imported; otherwise every row
//! goes in within one transaction.
//!
//! Volunteers' header:
//! `name,email,phone,status,languages,postal_code,max_travel_km,availability,crisis_experience,capacity,background_check_issued_on,trainings`
//!
//! Families' header:
//! `display_name,languages,preferred_language,postal_code,crisis_types,urgency,referral_source,referred_at,needed_availability,children_ages,consent_given`
//!
//! - languages: `Arabisch:native;Frans:fluent` (a code or a Dutch, French or
//!   English name; levels native/moedertaal, fluent/vloeiend, conversational/
//!   gevorderd, basic/basis);
//! - availability: `wo 14:00-17:00; za 10:00-12:00` (Dutch or English day
//!   names, full or short);
//! - crisis types: `PARENTING_STRESS;NEWCOMER` (contract names, any case);
//! - trainings: `BASIC;DOMESTIC_VIOLENCE:2026-02-01` (date defaults to today);
//! - dates `YYYY-MM-DD`; children's ages `3;7`; consent `yes/ja/oui/true` or
//!   `no/nee/non/false`. Empty cells take the API's defaults.

use std::{collections::HashMap, time::Instant};

use chrono::{NaiveDate, NaiveTime, Utc};
use indicatif::{ProgressBar, ProgressStyle};

use crate::{
    core::db::begin_write,
    core::error::ApiError,
    core::state::AppState,
    core::values::{
        CrisisType, Date, LanguageLevel, LanguageSkillInput, LocationInput, TimeSlotInput, Weekday,
        parse_enum,
    },
    families::{
        CreateFamilyInput, NewFamily, ReferralSource, Urgency, insert_families, validate_family,
    },
    sync::Change,
    volunteers::{
        CreateVolunteerInput, NewVolunteer, VolunteerStatus, insert_volunteers, training_module,
        validate_volunteer,
    },
};

/// A row that cannot be imported, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    /// Line in the file (the header is line 1).
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug)]
pub enum Outcome {
    /// Some rows are bad: nothing was imported.
    Refused(Vec<RowError>),
    /// Every row is good; `written` is false in a dry run.
    Imported {
        /// Rows.
        rows: usize,
        /// Whether they were written.
        written: bool,
        /// Seconds the whole import took.
        seconds: f64,
    },
}

type Row = HashMap<String, String>;

fn cell<'a>(row: &'a Row, name: &str) -> Option<&'a str> {
    row.get(name).map(|s| s.trim()).filter(|s| !s.is_empty())
}

fn level(raw: &str) -> Result<LanguageLevel, String> {
    match raw.trim().to_lowercase().as_str() {
        "native" | "moedertaal" | "maternelle" | "langue maternelle" => Ok(LanguageLevel::Native),
        "fluent" | "vloeiend" | "courant" => Ok(LanguageLevel::Fluent),
        "conversational" | "gevorderd" | "goed" | "intermédiaire" | "intermediaire" => {
            Ok(LanguageLevel::Conversational)
        }
        "basic" | "basis" | "beginner" | "débutant" | "debutant" => Ok(LanguageLevel::Basic),
        other => Err(format!(
            "unknown language level {other:?} (native, fluent, conversational or basic)"
        )),
    }
}

fn languages(raw: &str) -> Result<Vec<LanguageSkillInput>, String> {
    raw.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            let (language, lvl) = item
                .rsplit_once(':')
                .ok_or_else(|| format!("{item:?} needs a level, as in \"Arabisch:native\""))?;
            Ok(LanguageSkillInput {
                language: language.trim().to_owned(),
                level: level(lvl)?,
            })
        })
        .collect()
}

fn weekday(raw: &str) -> Result<Weekday, String> {
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
        .ok_or_else(|| format!("unknown day {raw:?} (ma, di, wo, ... or mon, tue, wed, ...)"))
}

fn slots(raw: &str) -> Result<Vec<TimeSlotInput>, String> {
    raw.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            let (day, times) = item
                .split_once(char::is_whitespace)
                .ok_or_else(|| format!("{item:?} is not like \"wo 14:00-17:00\""))?;
            let (start, end) = times
                .trim()
                .split_once('-')
                .ok_or_else(|| format!("{item:?} is not like \"wo 14:00-17:00\""))?;
            Ok(TimeSlotInput {
                day: weekday(day)?,
                start: start.trim().to_owned(),
                end: end.trim().to_owned(),
            })
        })
        .collect()
}

fn enum_list<T: async_graphql::resolver_utils::EnumType>(
    raw: &str,
    what: &str,
) -> Result<Vec<T>, String> {
    raw.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let name = s.to_uppercase().replace([' ', '-'], "_");
            parse_enum::<T>(&name).map_err(|_| format!("unknown {what} {s:?}"))
        })
        .collect()
}

fn one_enum<T: async_graphql::resolver_utils::EnumType>(
    raw: &str,
    what: &str,
) -> Result<T, String> {
    enum_list::<T>(raw, what)?
        .pop()
        .ok_or_else(|| format!("missing {what}"))
}

fn date(raw: &str, what: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{what} {raw:?} is not a date (YYYY-MM-DD)"))
}

fn number<T: std::str::FromStr>(raw: &str, what: &str) -> Result<T, String> {
    raw.trim()
        .parse()
        .map_err(|_| format!("{what} {raw:?} is not a number"))
}

fn yes_no(raw: &str) -> Result<bool, String> {
    match raw.trim().to_lowercase().as_str() {
        "yes" | "y" | "ja" | "j" | "oui" | "true" | "1" => Ok(true),
        "no" | "n" | "nee" | "non" | "false" | "0" => Ok(false),
        other => Err(format!("consent {other:?} is not yes or no")),
    }
}

/// The API's error, as a line of the report.
fn reason(error: ApiError) -> String {
    match &error {
        ApiError::BadInput {
            field, suggestion, ..
        } => {
            let column = field.trim_start_matches("input.");
            match suggestion {
                Some(s) => format!("{column}: {} ({s})", error.message()),
                None => format!("{column}: {}", error.message()),
            }
        }
        _ => error.message(),
    }
}

/// A validated volunteer row with the trainings to record.
type VolunteerRow = (NewVolunteer, Vec<(String, NaiveDate)>);

fn volunteer_row(row: &Row, today: NaiveDate) -> Result<VolunteerRow, String> {
    let input = CreateVolunteerInput {
        name: cell(row, "name").unwrap_or_default().to_owned(),
        email: cell(row, "email").map(str::to_owned),
        phone: cell(row, "phone").map(str::to_owned),
        status: cell(row, "status")
            .map(|s| one_enum::<VolunteerStatus>(s, "status"))
            .transpose()?,
        languages: languages(cell(row, "languages").unwrap_or_default())?,
        home: LocationInput {
            postal_code: cell(row, "postal_code").map(str::to_owned),
            latitude: None,
            longitude: None,
        },
        max_travel_km: cell(row, "max_travel_km")
            .map(|s| number(s, "max_travel_km"))
            .transpose()?,
        availability: slots(cell(row, "availability").unwrap_or_default())?,
        crisis_experience: Some(enum_list::<CrisisType>(
            cell(row, "crisis_experience").unwrap_or_default(),
            "crisis type",
        )?),
        capacity: cell(row, "capacity")
            .map(|s| number(s, "capacity"))
            .transpose()?,
        background_check_issued_on: cell(row, "background_check_issued_on")
            .map(|s| date(s, "background_check_issued_on").map(Date))
            .transpose()?,
    };
    let trainings = cell(row, "trainings")
        .unwrap_or_default()
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            let (module, on) = match item.split_once(':') {
                Some((m, d)) => (m, date(d, "training date")?),
                None => (item, today),
            };
            if on > today {
                return Err(format!(
                    "training {module:?} cannot be completed in the future"
                ));
            }
            Ok((training_module(module, "trainings").map_err(reason)?, on))
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok((validate_volunteer(input, today).map_err(reason)?, trainings))
}

fn family_row(row: &Row) -> Result<NewFamily, String> {
    let now = Utc::now();
    let input = CreateFamilyInput {
        display_name: cell(row, "display_name").unwrap_or_default().to_owned(),
        languages: languages(cell(row, "languages").unwrap_or_default())?,
        preferred_language: cell(row, "preferred_language").map(str::to_owned),
        home: LocationInput {
            postal_code: cell(row, "postal_code").map(str::to_owned),
            latitude: None,
            longitude: None,
        },
        crisis_types: enum_list::<CrisisType>(
            cell(row, "crisis_types").unwrap_or_default(),
            "crisis type",
        )?,
        urgency: cell(row, "urgency")
            .map(|s| one_enum::<Urgency>(s, "urgency"))
            .transpose()?,
        referral_source: one_enum::<ReferralSource>(
            cell(row, "referral_source").unwrap_or_default(),
            "referral source",
        )?,
        referred_at: cell(row, "referred_at")
            .map(|s| {
                chrono::DateTime::parse_from_rfc3339(s)
                    .map(|d| d.with_timezone(&Utc))
                    .or_else(|_| {
                        date(s, "referred_at").map(|d| d.and_time(NaiveTime::MIN).and_utc())
                    })
            })
            .transpose()?,
        needed_availability: slots(cell(row, "needed_availability").unwrap_or_default())?,
        children_ages: Some(
            cell(row, "children_ages")
                .unwrap_or_default()
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| number(s, "child's age"))
                .collect::<Result<Vec<i32>, String>>()?,
        ),
        consent_given: yes_no(cell(row, "consent_given").unwrap_or("no"))?,
    };
    validate_family(input, now).map_err(reason)
}

fn read_rows(text: &str, required: &[&str]) -> Result<Vec<(usize, Row)>, Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::Headers)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_lowercase()).collect(),
        Err(e) => {
            return Err(vec![RowError {
                line: 1,
                reason: format!("unreadable header: {e}"),
            }]);
        }
    };
    let missing: Vec<&&str> = required
        .iter()
        .filter(|c| !headers.iter().any(|h| h == *c))
        .collect();
    if !missing.is_empty() {
        return Err(vec![RowError {
            line: 1,
            reason: format!(
                "the header lacks {}",
                missing
                    .iter()
                    .map(|m| m.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }]);
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line() as usize);
                rows.push((
                    line,
                    headers
                        .iter()
                        .cloned()
                        .zip(record.iter().map(str::to_owned))
                        .collect(),
                ));
            }
            Err(e) => errors.push(RowError {
                line: e.position().map_or(0, |p| p.line() as usize),
                reason: e.to_string(),
            }),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Every row checked: all of them parsed, or every bad one with its line.
fn check_rows<T>(
    rows: &[(usize, Row)],
    parse: impl Fn(&Row) -> Result<T, String>,
) -> Result<Vec<T>, Vec<RowError>> {
    let mut good = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    for (line, row) in rows {
        match parse(row) {
            Ok(value) => good.push(value),
            Err(reason) => errors.push(RowError {
                line: *line,
                reason,
            }),
        }
    }
    if errors.is_empty() {
        Ok(good)
    } else {
        Err(errors)
    }
}

/// Rows written between two steps of the progress bar.
const PROGRESS_STEP: usize = 500;

fn progress(len: usize) -> ProgressBar {
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} rows {elapsed}") {
        bar.set_style(style);
    }
    bar
}

/// Imports volunteers from CSV text.
pub async fn import_volunteers(
    state: &AppState,
    text: &str,
    dry_run: bool,
) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let rows = match read_rows(text, &["name", "languages", "postal_code"]) {
        Ok(rows) => rows,
        Err(errors) => return Ok(Outcome::Refused(errors)),
    };
    let today = state.today();
    let good = match check_rows(&rows, |row| volunteer_row(row, today)) {
        Ok(good) => good,
        Err(errors) => return Ok(Outcome::Refused(errors)),
    };
    if !dry_run {
        let bar = progress(good.len());
        let txn = begin_write(&state.db).await?;
        for chunk in good.chunks(PROGRESS_STEP) {
            insert_volunteers(&txn, chunk)
                .await
                .map_err(|e| anyhow::anyhow!(e.message()))?;
            bar.inc(chunk.len() as u64);
        }
        bar.finish_and_clear();
        crate::sync::commit(txn, state, &[Change::Reload])
            .await
            .map_err(|e| anyhow::anyhow!(e.message()))?;
    }
    Ok(Outcome::Imported {
        rows: good.len(),
        written: !dry_run,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Imports families (each with its plan) from CSV text.
pub async fn import_families(
    state: &AppState,
    text: &str,
    dry_run: bool,
) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let rows = match read_rows(
        text,
        &[
            "display_name",
            "languages",
            "postal_code",
            "referral_source",
            "consent_given",
        ],
    ) {
        Ok(rows) => rows,
        Err(errors) => return Ok(Outcome::Refused(errors)),
    };
    let mut good = match check_rows(&rows, family_row) {
        Ok(good) => good,
        Err(errors) => return Ok(Outcome::Refused(errors)),
    };
    if !dry_run {
        let bar = progress(good.len());
        let txn = begin_write(&state.db).await?;
        for chunk in good.chunks_mut(PROGRESS_STEP) {
            insert_families(&txn, chunk)
                .await
                .map_err(|e| anyhow::anyhow!(e.message()))?;
            bar.inc(chunk.len() as u64);
        }
        bar.finish_and_clear();
        crate::sync::commit(txn, state, &[Change::Reload])
            .await
            .map_err(|e| anyhow::anyhow!(e.message()))?;
    }
    Ok(Outcome::Imported {
        rows: good.len(),
        written: !dry_run,
        seconds: started.elapsed().as_secs_f64(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_notations_parse() {
        let langs = languages("Arabisch:native; Frans:vloeiend").unwrap();
        assert_eq!(langs.len(), 2);
        assert_eq!(langs[1].level, LanguageLevel::Fluent);
        let s = slots("wo 14:00-17:00; Saturday 10:00-12:00").unwrap();
        assert_eq!(
            (s[0].day, s[1].day),
            (Weekday::Wednesday, Weekday::Saturday)
        );
        assert!(slots("wo 14:00").is_err());
        assert!(weekday("xx").is_err());
        assert_eq!(
            enum_list::<CrisisType>("parenting stress;NEWCOMER", "crisis type")
                .unwrap()
                .len(),
            2
        );
        assert!(yes_no("ja").unwrap());
    }
}
