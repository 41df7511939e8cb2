//! What qualifies a volunteer besides their profile: the training modules
//! of the network's catalogue, the completions a volunteer recorded, and
//! their background check (accepted for three years).

use async_graphql::SimpleObject;
use chrono::NaiveDate;

use crate::core::values::{CrisisType, Date};

/// Belgian extract from the criminal record, model 2 (work with minors).
#[derive(Clone, Debug, SimpleObject)]
pub struct BackgroundCheck {
    /// Date on the extract.
    pub issued_on: Date,
    /// The network accepts an extract for three years.
    pub valid_until: Date,
    /// Still valid today.
    pub valid: bool,
}

/// A training module of the network's catalogue, e.g. BASIC (basisvorming),
/// CHILD_SAFETY. The catalogue is `matching::TRAINING_MODULES`.
#[derive(Clone, Debug, SimpleObject)]
pub struct TrainingModule {
    /// Stable code, e.g. "BASIC".
    pub code: String,
    /// In the request's locale (English until Tandem speaks the request's
    /// locale).
    pub name: String,
    /// Dutch name.
    pub name_nl: String,
    /// French name.
    pub name_fr: String,
    /// English name.
    pub name_en: String,
    /// Crisis types for which a volunteer needs this module to be matched
    /// (empty: needed for every match, or for none).
    pub required_for: Vec<CrisisType>,
    /// Needed for every match.
    pub required_for_every_match: bool,
    /// How long a completion counts; null: for good.
    pub valid_for_months: Option<i32>,
}

impl From<&matching::TrainingModule> for TrainingModule {
    fn from(m: &matching::TrainingModule) -> Self {
        TrainingModule {
            code: m.code.to_owned(),
            name: m.name_en.to_owned(),
            name_nl: m.name_nl.to_owned(),
            name_fr: m.name_fr.to_owned(),
            name_en: m.name_en.to_owned(),
            required_for: m
                .required_for
                .iter()
                .map(|t| CrisisType::from(*t))
                .collect(),
            required_for_every_match: m.required_for_every_match,
            valid_for_months: m.valid_for_months.and_then(|n| i32::try_from(n).ok()),
        }
    }
}

impl TrainingModule {
    /// The catalogue's module of a stored code; a code recorded before the
    /// catalogue existed (and not in it) stands for itself, required for
    /// nothing.
    pub fn of_code(code: &str) -> TrainingModule {
        match matching::training_module(code) {
            Some(m) => TrainingModule::from(m),
            None => TrainingModule {
                code: code.to_owned(),
                name: code.to_owned(),
                name_nl: code.to_owned(),
                name_fr: code.to_owned(),
                name_en: code.to_owned(),
                required_for: Vec::new(),
                required_for_every_match: false,
                valid_for_months: None,
            },
        }
    }
}

/// A training module a volunteer completed.
#[derive(Clone, Debug, SimpleObject)]
pub struct TrainingCompletion {
    /// The module.
    pub module: TrainingModule,
    /// When.
    pub completed_on: Date,
    /// The last day the completion counts (`validForMonths` after
    /// `completedOn`); null: for good.
    pub valid_until: Option<Date>,
}

impl TrainingCompletion {
    /// A stored completion.
    pub fn of(code: &str, completed_on: chrono::NaiveDate) -> TrainingCompletion {
        TrainingCompletion {
            module: TrainingModule::of_code(code),
            completed_on: Date(completed_on),
            valid_until: crate::engine::valid_until(code, completed_on).map(Date),
        }
    }
}

/// How long a background check is accepted.
pub const BACKGROUND_CHECK_VALID_YEARS: u32 = 3;

/// The last day a background check issued on `issued_on` is accepted.
pub fn background_check_valid_until(issued_on: NaiveDate) -> NaiveDate {
    issued_on
        .checked_add_months(chrono::Months::new(12 * BACKGROUND_CHECK_VALID_YEARS))
        .unwrap_or(NaiveDate::MAX)
}
