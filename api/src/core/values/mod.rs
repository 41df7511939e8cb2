//! Shared values of the contract (languages, places, weekly time slots, crisis
//! types, life domains) and the parsing of their inputs.
//!
//! Parse, don't validate: raw GraphQL input becomes the matching crate's typed
//! values here, or a BAD_USER_INPUT naming the input path.
//!
//! Input hygiene lives in [`text`] (every text input of every request meets
//! [`check_text`] before anything runs), places in [`places`], the week's
//! slots in [`week`]; all are re-exported here.

use async_graphql::{Enum, InputObject, SimpleObject, resolver_utils::EnumType};
use matching::LanguageCode;
use serde_json::Value as Json;

use crate::core::{
    error::{ApiError, ApiResult},
    locale::tr,
};

mod places;
mod text;
mod week;

pub use places::*;
pub use text::*;
pub use week::*;

/// The value of GraphQL enum `T` named `name` as the schema names it, for
/// the inputs that do not come through GraphQL (the import's CSV cells, the
/// CLI's `--role`).
pub fn graphql_value<T: EnumType>(name: &str) -> Option<T> {
    T::items()
        .iter()
        .find(|item| item.name == name)
        .map(|item| item.value)
}

/// Converts, variant for variant, between a GraphQL enum and the
/// `entity::vocabulary` enum of the same name it is stored as, for the
/// GraphQL enums whose `remote` is already the matching crate's (the others
/// name the entity enum as their `remote`).
macro_rules! stored_as {
    ($name:ident, [$($variant:ident),+ $(,)?]) => {
        impl From<$name> for entity::vocabulary::$name {
            fn from(value: $name) -> Self {
                match value {
                    $($name::$variant => entity::vocabulary::$name::$variant,)+
                }
            }
        }

        impl From<entity::vocabulary::$name> for $name {
            fn from(value: entity::vocabulary::$name) -> Self {
                match value {
                    $(entity::vocabulary::$name::$variant => $name::$variant,)+
                }
            }
        }
    };
}
pub(crate) use stored_as;

/// A GraphQL enum whose lists are stored in JSON columns, as the entity
/// enum [`StoredInJson::Stored`] serialises them.
pub trait StoredInJson: Copy + Into<Self::Stored> + From<Self::Stored> {
    /// The entity enum.
    type Stored: serde::Serialize + serde::de::DeserializeOwned + PartialEq;
}

/// How well someone speaks a language.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "matching::LanguageLevel")]
pub enum LanguageLevel {
    /// Mother tongue.
    Native,
    /// Speaks it with ease.
    Fluent,
    /// Can hold a conversation.
    Conversational,
    /// Knows the basics.
    Basic,
}

/// Why a family needs support. Dutch terms of the field in the descriptions.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "matching::CrisisType")]
pub enum CrisisType {
    /// opvoedingsstress, opvoedingsonmacht
    ParentingStress,
    /// verontrusting
    ChildSafetyConcern,
    /// intrafamiliaal geweld
    DomesticViolence,
    /// psychische kwetsbaarheid van ouder of kind
    MentalHealth,
    /// verslaving
    Addiction,
    /// dakloosheid, uithuiszetting
    Housing,
    /// armoede, schulden
    Financial,
    /// spijbelen, schooluitval (NAFT)
    SchoolDropout,
    /// klein of geen netwerk
    SocialIsolation,
    /// nieuwkomer, anderstaligheid
    Newcomer,
    /// ziekte of beperking in het gezin
    IllnessOrDisability,
}

/// A domain of family life a goal or a service is about.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::vocabulary::LifeDomain")]
pub enum LifeDomain {
    /// Raising the children (opvoeding).
    Parenting,
    /// Running the household.
    Household,
    /// Physical and mental health.
    Health,
    /// School and learning.
    School,
    /// A home, and keeping it.
    Housing,
    /// Income, debts and paperwork.
    Finances,
    /// Free time, sport and culture.
    Leisure,
    /// Family, friends and neighbours to rely on.
    SocialNetwork,
    /// Work and training for work.
    Work,
}

stored_as!(LanguageLevel, [Native, Fluent, Conversational, Basic]);
stored_as!(
    CrisisType,
    [
        ParentingStress,
        ChildSafetyConcern,
        DomesticViolence,
        MentalHealth,
        Addiction,
        Housing,
        Financial,
        SchoolDropout,
        SocialIsolation,
        Newcomer,
        IllnessOrDisability,
    ]
);

impl StoredInJson for CrisisType {
    type Stored = entity::vocabulary::CrisisType;
}

impl StoredInJson for LifeDomain {
    type Stored = entity::vocabulary::LifeDomain;
}

/// A language by ISO 639 code, with its names. `name` is in the request's locale.
#[derive(Clone, Debug, SimpleObject)]
#[graphql(complex)]
pub struct Language {
    /// ISO 639 code, e.g. "ar".
    pub code: String,
    /// Dutch name.
    pub name_nl: String,
    /// French name.
    pub name_fr: String,
    /// English name.
    pub name_en: String,
}

#[async_graphql::ComplexObject]
impl Language {
    /// The name in the request's locale.
    async fn name(&self, ctx: &async_graphql::Context<'_>) -> &str {
        match crate::core::locale::of(ctx) {
            crate::core::locale::Locale::Nl => &self.name_nl,
            crate::core::locale::Locale::Fr => &self.name_fr,
            crate::core::locale::Locale::En => &self.name_en,
        }
    }
}

impl From<LanguageCode> for Language {
    fn from(code: LanguageCode) -> Self {
        Language::from(code.language())
    }
}

impl From<&matching::Language> for Language {
    fn from(l: &matching::Language) -> Self {
        Language {
            code: l.code.to_owned(),
            name_nl: l.name_nl.to_owned(),
            name_fr: l.name_fr.to_owned(),
            name_en: l.name_en.to_owned(),
        }
    }
}

/// A language someone speaks, and how well.
#[derive(Clone, Debug, SimpleObject)]
pub struct LanguageSkill {
    /// The language.
    pub language: Language,
    /// How well.
    pub level: LanguageLevel,
}

impl LanguageSkill {
    /// From a stored `(code, level)` row.
    pub fn from_row(
        code: &str,
        level: entity::vocabulary::LanguageLevel,
    ) -> ApiResult<LanguageSkill> {
        let (code, level) = stored_skill(code, level)?;
        Ok(LanguageSkill {
            language: code.into(),
            level: level.into(),
        })
    }
}

/// Reads a stored `(code, level)` language row back into the engine's types.
pub fn stored_skill(
    code: &str,
    level: entity::vocabulary::LanguageLevel,
) -> ApiResult<(LanguageCode, matching::LanguageLevel)> {
    let code = LanguageCode::parse_code(code).ok_or_else(|| {
        ApiError::internal(anyhow::anyhow!("unknown stored language code {code:?}"))
    })?;
    Ok((code, LanguageLevel::from(level).into()))
}

/// How the language tables store a level the engine knows.
pub fn stored_level(level: matching::LanguageLevel) -> entity::vocabulary::LanguageLevel {
    LanguageLevel::from(level).into()
}

/// `language` accepts a code ("ar") or a name in Dutch, French or English
/// ("Arabisch", "arabe", "Arabic"), typos tolerated.
#[derive(Clone, Debug, InputObject)]
pub struct LanguageSkillInput {
    /// Code or name.
    pub language: String,
    /// How well.
    pub level: LanguageLevel,
}

/// Resolves a language name or code, with suggestions when unknown. Names
/// over [`TextKind::Language`]'s length are refused before fuzzy matching
/// sees them.
pub fn parse_language(input: &str, field: &str) -> ApiResult<LanguageCode> {
    check_text(field, TextKind::Language, input)?;
    matching::resolve(input).map_err(|unknown| {
        let names: Vec<String> = unknown
            .suggestions
            .iter()
            .map(|l| format!("{} ({})", language_name(l), l.code))
            .collect();
        let typed = crate::core::locale::s(format!("{:?}", input.trim()));
        match unknown.suggestions.first() {
            None => ApiError::bad_input(
                field,
                crate::core::locale::text("error-unknown-language", &[("input", typed)]),
            ),
            Some(best) => ApiError::bad_input_with_suggestion(
                field,
                crate::core::locale::text(
                    "error-unknown-language-suggest",
                    &[
                        ("input", typed),
                        ("names", crate::core::locale::s(names.join(", "))),
                    ],
                ),
                best.code,
            ),
        }
    })
}

/// A language's name in the request's locale.
fn language_name(language: &matching::Language) -> &'static str {
    match crate::core::locale::current() {
        crate::core::locale::Locale::Nl => language.name_nl,
        crate::core::locale::Locale::Fr => language.name_fr,
        crate::core::locale::Locale::En => language.name_en,
    }
}

/// Parses a list of language skills: at least one, at most 20, no language twice.
pub fn parse_languages(
    inputs: &[LanguageSkillInput],
    field: &str,
) -> ApiResult<Vec<(LanguageCode, matching::LanguageLevel)>> {
    if inputs.is_empty() {
        return Err(ApiError::bad_input(field, tr!("error-languages-empty")));
    }
    if inputs.len() > 20 {
        return Err(ApiError::bad_input(
            field,
            tr!("error-languages-too-many", max = 20),
        ));
    }
    let mut skills: Vec<(LanguageCode, matching::LanguageLevel)> = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let path = format!("{field}[{i}].language");
        let code = parse_language(&input.language, &path)?;
        if skills.iter().any(|(c, _)| *c == code) {
            return Err(ApiError::bad_input(
                path,
                tr!(
                    "error-language-twice",
                    language = language_name(code.language())
                ),
            ));
        }
        skills.push((code, input.level.into()));
    }
    Ok(skills)
}

/// Stores a list of enum values as a JSON array of their stored strings,
/// each once, in the order first given.
pub fn enums_to_json<T: StoredInJson>(values: &[T]) -> ApiResult<Json> {
    let mut stored: Vec<T::Stored> = Vec::with_capacity(values.len());
    for value in values.iter().map(|v| (*v).into()) {
        if !stored.contains(&value) {
            stored.push(value);
        }
    }
    serde_json::to_value(stored).map_err(ApiError::internal)
}

/// Reads a stored JSON array of enum values.
pub fn enums_from_json<T: StoredInJson>(value: &Json) -> ApiResult<Vec<T>> {
    let stored: Vec<T::Stored> =
        serde_json::from_value(value.clone()).map_err(ApiError::internal)?;
    Ok(stored.into_iter().map(T::from).collect())
}

/// Reads a stored JSON array of strings.
pub fn strings_from_json(value: &Json) -> ApiResult<Vec<String>> {
    value
        .as_array()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("expected a JSON array")))?
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| ApiError::internal(anyhow::anyhow!("expected a JSON string")))
        })
        .collect()
}

/// A calendar day, ISO 8601 (`2026-11-23`): the contract's `Date` scalar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub chrono::NaiveDate);

/// A calendar day, ISO 8601 `YYYY-MM-DD` ("2026-11-23"), without a time or
/// an offset.
#[async_graphql::Scalar(name = "Date")]
impl async_graphql::ScalarType for Date {
    fn parse(value: async_graphql::Value) -> async_graphql::InputValueResult<Self> {
        match &value {
            async_graphql::Value::String(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| {
                    async_graphql::InputValueError::custom(format!(
                        "{s:?} is not an ISO date (YYYY-MM-DD)"
                    ))
                }),
            _ => Err(async_graphql::InputValueError::expected_type(value)),
        }
    }

    /// Checked while the request is validated, so that a bad date is refused
    /// naming its input before anything runs.
    fn is_valid(value: &async_graphql::Value) -> bool {
        matches!(value, async_graphql::Value::String(s)
            if chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok())
    }

    fn to_value(&self) -> async_graphql::Value {
        async_graphql::Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}
