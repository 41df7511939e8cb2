//! `tandem import volunteers|families FILE.csv [--dry-run] [--skip-existing]`:
//! spreadsheets in, through the same validation as the API. The delimiter is
//! found from the header (`,`, `;` as Belgian Excel saves, or a tab). Every
//! bad row is reported, in one run, with its line and the CSV column at
//! fault (a row with the wrong number of fields too); when any row is bad
//! nothing is imported; otherwise every row goes in within one transaction.
//! A row that is already in Tandem or earlier in the file (volunteers: the
//! same email, or the same name and postal code; families: the same display
//! name and postal code) is refused and listed; with `--skip-existing` the
//! others are imported. Every default the import applies to a row is
//! stated in the report.
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
//!
//! Cells and rows are read in `rows`; here the file is read, checked for
//! duplicates and written.

use std::{collections::HashMap, time::Instant};

use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

mod rows;

use rows::*;

use crate::{
    core::db::begin_write, core::locale::tr, core::state::AppState, families::insert_families,
    sync::Change, volunteers::insert_volunteers,
};

/// A row that cannot be imported, and why (or, in a report's notes, a
/// default the import applied to it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    /// Line in the file (the header is line 1).
    pub line: usize,
    /// The CSV column at fault, when one is.
    pub column: Option<String>,
    /// What is wrong.
    pub reason: String,
    /// Whether the row is one already in Tandem or earlier in the file
    /// (`--skip-existing` leaves those out).
    pub duplicate: bool,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(column) => f.write_str(&tr!(
                "import-at-column",
                line = self.line,
                column = column,
                reason = &self.reason,
            )),
            None => f.write_str(&tr!(
                "import-at-line",
                line = self.line,
                reason = &self.reason
            )),
        }
    }
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
        /// Rows already in Tandem or earlier in the file, left out
        /// (`--skip-existing`).
        skipped: Vec<RowError>,
        /// The defaults applied to rows.
        defaults: Vec<RowError>,
        /// Whether they were written.
        written: bool,
        /// Seconds the whole import took.
        seconds: f64,
    },
}

type Row = HashMap<String, String>;

/// The delimiter of a CSV text: whichever of `,`, `;` and tab its header
/// line holds most of outside quotes (`,` when none).
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for byte in header.bytes() {
        if byte == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|(d, _)| *d == byte) {
            c.1 += 1;
        }
    }
    counts
        .iter()
        .max_by_key(|(d, n)| (*n, *d == b','))
        .map_or(b',', |(d, _)| *d)
}

/// The rows read (with their lines) and the rows that could not be read.
type Read = (Vec<(usize, Row)>, Vec<RowError>);

/// The rows parsed (with their lines) and the defaults they took.
type Checked<T> = (Vec<(usize, T)>, Vec<RowError>);

fn row_error(line: usize, column: Option<&str>, reason: String) -> RowError {
    RowError {
        line,
        column: column.map(str::to_owned),
        reason,
        duplicate: false,
    }
}

/// The rows of the file and every row that cannot be read (a row with the
/// wrong number of fields included); the header's own problems are Err.
fn read_rows(text: &str, required: &[&str]) -> Result<Read, Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .flexible(true)
        .trim(csv::Trim::Headers)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_lowercase()).collect(),
        Err(e) => {
            let reason = tr!("import-unreadable-header", cause = e.to_string());
            return Err(vec![row_error(1, None, reason)]);
        }
    };
    let missing: Vec<&str> = required
        .iter()
        .filter(|c| !headers.iter().any(|h| h == *c))
        .copied()
        .collect();
    if !missing.is_empty() {
        let reason = tr!(
            "import-header-lacks",
            missing = missing.join(", "),
            headers = headers.join(", "),
        );
        return Err(vec![row_error(1, None, reason)]);
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) if record.len() != headers.len() => {
                let line = record.position().map_or(0, |p| p.line() as usize);
                let reason = tr!(
                    "import-field-count",
                    fields = record.len(),
                    header = headers.len(),
                );
                errors.push(row_error(line, None, reason));
            }
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line() as usize);
                let row = headers
                    .iter()
                    .cloned()
                    .zip(record.iter().map(str::to_owned))
                    .collect();
                rows.push((line, row));
            }
            Err(e) => errors.push(row_error(
                e.position().map_or(0, |p| p.line() as usize),
                None,
                e.to_string(),
            )),
        }
    }
    Ok((rows, errors))
}

/// Every row checked: all of them parsed (with their lines and the defaults
/// they took), or every bad one, those that could not be read included, in
/// line order.
fn check_rows<T>(
    (rows, unread): Read,
    parse: impl Fn(&Row) -> Parsed<T>,
) -> Result<Checked<T>, Vec<RowError>> {
    let mut good = Vec::with_capacity(rows.len());
    let mut defaults = Vec::new();
    let mut errors = unread;
    for (line, row) in &rows {
        match parse(row) {
            Ok((value, taken)) => {
                good.push((*line, value));
                for (column, reason) in taken {
                    defaults.push(row_error(*line, Some(&column), reason));
                }
            }
            Err((column, reason)) => errors.push(row_error(*line, Some(&column), reason)),
        }
    }
    errors.sort_by_key(|e| e.line);
    if errors.is_empty() {
        Ok((good, defaults))
    } else {
        Err(errors)
    }
}

/// The rows whose key (any of `keys(row)`) is in `existing` or on an earlier
/// line: (line, column, what it duplicates).
fn duplicates<T>(
    rows: &[(usize, T)],
    existing: &HashMap<String, String>,
    keys: impl Fn(&T) -> Vec<(&'static str, String)>,
) -> Vec<RowError> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (line, row) in rows {
        let mut found = None;
        for (column, key) in keys(row) {
            if found.is_none() {
                if let Some(what) = existing.get(&key) {
                    found = Some((column, tr!("import-already-in-tandem", what = what)));
                } else if let Some(first) = seen.get(&key) {
                    found = Some((column, tr!("import-same-as-line", line = *first)));
                }
            }
            seen.entry(key).or_insert(*line);
        }
        if let Some((column, reason)) = found {
            out.push(RowError {
                duplicate: true,
                ..row_error(*line, Some(column), reason)
            });
        }
    }
    out
}

/// A volunteer's keys: their email, and their name with their postal code.
fn volunteer_keys(model: &entity::volunteer::Model) -> Vec<(&'static str, String)> {
    let mut keys = vec![(
        "name",
        format!(
            "name:{}|{}",
            model.name.trim().to_lowercase(),
            model.postal_code.as_deref().unwrap_or_default()
        ),
    )];
    if let Some(email) = &model.email {
        keys.insert(
            0,
            ("email", format!("email:{}", email.trim().to_lowercase())),
        );
    }
    keys
}

/// A family's key: its display name with its postal code.
fn family_key(model: &entity::family::Model) -> Vec<(&'static str, String)> {
    vec![(
        "display_name",
        format!(
            "family:{}|{}",
            model.display_name.trim().to_lowercase(),
            model.postal_code.as_deref().unwrap_or_default()
        ),
    )]
}

/// Leaves out the duplicates (`skip_existing`), or refuses the import
/// listing them.
fn without_duplicates<T>(
    rows: Vec<(usize, T)>,
    found: Vec<RowError>,
    skip_existing: bool,
) -> Result<(Vec<T>, Vec<RowError>), Vec<RowError>> {
    if !found.is_empty() && !skip_existing {
        return Err(found);
    }
    let lines: Vec<usize> = found.iter().map(|d| d.line).collect();
    let kept = rows
        .into_iter()
        .filter(|(line, _)| !lines.contains(line))
        .map(|(_, row)| row)
        .collect();
    Ok((kept, found))
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

/// How an import runs: check only, and whether rows already there are
/// left out (instead of refusing the file).
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Check every row and report, but write nothing.
    pub dry_run: bool,
    /// Import the rows that are not already in Tandem (or earlier in the file).
    pub skip_existing: bool,
}

/// Imports volunteers from CSV text.
pub async fn import_volunteers(
    state: &AppState,
    text: &str,
    options: Options,
) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let rows = match read_rows(text, &["name", "languages", "postal_code"]) {
        Ok(rows) => rows,
        Err(errors) => return Ok(Outcome::Refused(errors)),
    };
    let today = state.today();
    let (good, defaults) = match check_rows(rows, |row| volunteer_row(row, today)) {
        Ok(good) => good,
        Err(errors) => return Ok(Outcome::Refused(errors)),
    };
    let mut existing = HashMap::new();
    for v in entity::volunteer::Entity::find().all(&state.db).await? {
        for (_, key) in volunteer_keys(&v) {
            existing.insert(key, tr!("import-existing-volunteer", name = &v.name));
        }
    }
    let found = duplicates(&good, &existing, |(new, _)| volunteer_keys(&new.model));
    let (good, skipped) = match without_duplicates(good, found, options.skip_existing) {
        Ok(kept) => kept,
        Err(found) => return Ok(Outcome::Refused(found)),
    };
    if !options.dry_run {
        let bar = progress(good.len());
        let txn = begin_write(&state.db).await?;
        for chunk in good.chunks(PROGRESS_STEP) {
            insert_volunteers(&txn, chunk)
                .await
                .map_err(anyhow::Error::from)?;
            bar.inc(chunk.len() as u64);
        }
        bar.finish_and_clear();
        crate::sync::commit(txn, state, &[Change::Reload])
            .await
            .map_err(anyhow::Error::from)?;
    }
    Ok(Outcome::Imported {
        rows: good.len(),
        skipped,
        defaults,
        written: !options.dry_run,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Imports families (each with its plan) from CSV text.
pub async fn import_families(
    state: &AppState,
    text: &str,
    options: Options,
) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let required = [
        "display_name",
        "languages",
        "postal_code",
        "referral_source",
        "consent_given",
    ];
    let rows = match read_rows(text, &required) {
        Ok(rows) => rows,
        Err(errors) => return Ok(Outcome::Refused(errors)),
    };
    let (good, defaults) = match check_rows(rows, family_row) {
        Ok(good) => good,
        Err(errors) => return Ok(Outcome::Refused(errors)),
    };
    let mut existing = HashMap::new();
    for f in entity::family::Entity::find()
        .filter(entity::family::Column::ErasedAt.is_null())
        .all(&state.db)
        .await?
    {
        for (_, key) in family_key(&f) {
            existing.insert(key, tr!("import-existing-family", reference = &f.reference));
        }
    }
    let found = duplicates(&good, &existing, |new| family_key(&new.model));
    let (mut good, skipped) = match without_duplicates(good, found, options.skip_existing) {
        Ok(kept) => kept,
        Err(found) => return Ok(Outcome::Refused(found)),
    };
    if !options.dry_run {
        let bar = progress(good.len());
        let txn = begin_write(&state.db).await?;
        for chunk in good.chunks_mut(PROGRESS_STEP) {
            insert_families(&txn, chunk)
                .await
                .map_err(anyhow::Error::from)?;
            bar.inc(chunk.len() as u64);
        }
        bar.finish_and_clear();
        crate::sync::commit(txn, state, &[Change::Reload])
            .await
            .map_err(anyhow::Error::from)?;
    }
    Ok(Outcome::Imported {
        rows: good.len(),
        skipped,
        defaults,
        written: !options.dry_run,
        seconds: started.elapsed().as_secs_f64(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::values::{CrisisType, LanguageLevel, Weekday};

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

    #[test]
    fn delimiters_and_columns_are_found() {
        assert_eq!(delimiter("name;languages;postal_code\n"), b';');
        assert_eq!(delimiter("name,languages,postal_code\n"), b',');
        assert_eq!(delimiter("name\tlanguages\tpostal_code\n"), b'\t');
        assert_eq!(delimiter("\"a;b\",c\n"), b',');
        assert_eq!(column_of("input.home.postalCode"), "postal_code");
        assert_eq!(column_of("input.childrenAges[0]"), "children_ages");
        assert_eq!(column_of("input.languages[1].language"), "languages");
        assert_eq!(
            column_of("input.backgroundCheckIssuedOn"),
            "background_check_issued_on"
        );
    }
}
