//! Shared values of the contract (languages, places, weekly time slots, crisis
//! types, life domains) and the parsing of their inputs.
//!
//! Parse, don't validate: raw GraphQL input becomes the matching crate's typed
//! values here, or a BAD_USER_INPUT naming the input path.
//!
//! Input hygiene lives here too, in one place: [`check_text`] is what every
//! text input of every request meets before anything runs (the request
//! pipeline applies it to each string argument, by its [`TextKind`]), and
//! [`required_text`], [`new_password`] and [`email`] apply the same rules
//! to what they parse.

use async_graphql::{Enum, InputObject, SimpleObject, resolver_utils::EnumType};
use matching::{Coordinates, LanguageCode, TimeSlot as Slot};
use serde_json::{Value as Json, json};

use crate::core::{
    error::{ApiError, ApiResult},
    locale::tr,
};

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

/// Day of the week.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "matching::Weekday")]
pub enum Weekday {
    /// Monday (maandag, lundi).
    Monday,
    /// Tuesday (dinsdag, mardi).
    Tuesday,
    /// Wednesday (woensdag, mercredi).
    Wednesday,
    /// Thursday (donderdag, jeudi).
    Thursday,
    /// Friday (vrijdag, vendredi).
    Friday,
    /// Saturday (zaterdag, samedi).
    Saturday,
    /// Sunday (zondag, dimanche).
    Sunday,
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

/// A weekly recurring window, e.g. TUESDAY 16:00-18:30.
#[derive(Clone, Debug, SimpleObject)]
pub struct TimeSlot {
    /// Day of the week.
    pub day: Weekday,
    /// "HH:MM".
    pub start: String,
    /// "HH:MM".
    pub end: String,
}

/// A weekly window: "HH:MM" on a 15-minute grid, start before end.
#[derive(Clone, Debug, InputObject)]
pub struct TimeSlotInput {
    /// Day of the week.
    pub day: Weekday,
    /// "HH:MM".
    pub start: String,
    /// "HH:MM" ("24:00" for midnight).
    pub end: String,
}

/// The Brussels postal codes with their municipality's French and Dutch
/// names (`api/data/brussels-names.csv`).
static BRUSSELS_NAMES: std::sync::LazyLock<std::collections::HashMap<String, (String, String)>> =
    std::sync::LazyLock::new(|| {
        let mut reader =
            csv::Reader::from_reader(include_str!("../../data/brussels-names.csv").as_bytes());
        reader
            .records()
            .filter_map(Result::ok)
            .filter_map(|row| {
                Some((
                    row.get(0)?.to_owned(),
                    (row.get(1)?.to_owned(), row.get(2)?.to_owned()),
                ))
            })
            .collect()
    });

/// The name of the Brussels municipality of `postal_code` in `locale`
/// (French for English, as English-speaking Brussels says it); `None`
/// outside Brussels.
pub fn brussels_name(
    postal_code: &str,
    locale: crate::core::locale::Locale,
) -> Option<&'static str> {
    let (fr, nl) = BRUSSELS_NAMES.get(postal_code.trim())?;
    Some(match locale {
        crate::core::locale::Locale::Nl => nl,
        crate::core::locale::Locale::Fr | crate::core::locale::Locale::En => fr,
    })
}

/// Whose home a [`Location`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    /// A family's.
    Family(uuid::Uuid),
    /// A volunteer's.
    Volunteer(uuid::Uuid),
}

/// Where someone lives, as precisely as the viewer may see.
#[derive(Clone, Debug)]
pub struct Location {
    /// Belgian postal code.
    pub postal_code: Option<String>,
    /// Municipality of the postal code.
    pub municipality: Option<String>,
    /// WGS 84.
    pub latitude: Option<f64>,
    /// WGS 84.
    pub longitude: Option<f64>,
    /// Whose home it is (the access policy reads a family's home differently).
    pub owner: Owner,
}

/// Give a Belgian postal code, or coordinates, or both.
#[derive(Clone, Debug, InputObject)]
pub struct LocationInput {
    /// Belgian postal code, e.g. "1080".
    pub postal_code: Option<String>,
    /// WGS 84.
    pub latitude: Option<f64>,
    /// WGS 84.
    pub longitude: Option<f64>,
}

/// A location input resolved against the gazetteer.
#[derive(Clone, Debug)]
pub struct ResolvedLocation {
    /// Postal code (given, or the nearest to the coordinates).
    pub postal_code: String,
    /// Its municipality.
    pub municipality: String,
    /// The coordinates given, or the postal code's centroid.
    pub coordinates: Coordinates,
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

/// A weekday's name in the request's locale.
fn weekday_name(day: matching::Weekday) -> String {
    crate::core::locale::text(&format!("weekday-{}", day.as_str()), &[])
}

/// What is wrong with a time slot, in the request's locale.
fn slot_problem(error: &matching::SlotError) -> String {
    match error {
        matching::SlotError::BadTime(time) => {
            tr!("error-slot-bad-time", time = format!("{time:?}"))
        }
        matching::SlotError::OffGrid(time) => {
            tr!("error-slot-off-grid", time = format!("{time:?}"))
        }
        matching::SlotError::StartNotBeforeEnd => tr!("error-slot-start-not-before-end"),
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

/// The most weekly slots one person may give.
pub const MAX_SLOTS: usize = 50;

/// Parses weekly slots: "HH:MM" on the 15-minute grid, start before end.
pub fn parse_slots(inputs: &[TimeSlotInput], field: &str) -> ApiResult<Vec<Slot>> {
    if inputs.len() > MAX_SLOTS {
        return Err(ApiError::bad_input(
            field,
            tr!("error-slots-too-many", max = MAX_SLOTS),
        ));
    }
    inputs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            Slot::parse(s.day.into(), &s.start, &s.end).map_err(|e| {
                ApiError::bad_input(
                    format!("{field}[{i}]"),
                    tr!(
                        "error-slot",
                        slot = format!("{} {}-{}", weekday_name(s.day.into()), s.start, s.end),
                        problem = slot_problem(&e),
                    ),
                )
            })
        })
        .collect()
}

/// Stores slots as `[{"day","start","end"}]`.
pub fn slots_to_json(slots: &[Slot]) -> Json {
    Json::Array(
        slots
            .iter()
            .map(|s| json!({"day": s.day.as_str(), "start": s.start_hhmm(), "end": s.end_hhmm()}))
            .collect(),
    )
}

/// Reads stored slots back.
pub fn slots_from_json(value: &Json) -> ApiResult<Vec<Slot>> {
    let bad = || ApiError::internal(anyhow::anyhow!("malformed stored time slots"));
    value
        .as_array()
        .ok_or_else(bad)?
        .iter()
        .map(|slot| {
            let field = |name: &str| slot.get(name).and_then(Json::as_str).ok_or_else(bad);
            let day: matching::Weekday = field("day")?.parse().map_err(|_| bad())?;
            Slot::parse(day, field("start")?, field("end")?).map_err(|_| bad())
        })
        .collect()
}

/// The GraphQL view of stored slots.
pub fn slots_view(value: &Json) -> ApiResult<Vec<TimeSlot>> {
    Ok(slots_from_json(value)?
        .into_iter()
        .map(|s| TimeSlot {
            day: s.day.into(),
            start: s.start_hhmm(),
            end: s.end_hhmm(),
        })
        .collect())
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

/// Resolves a location: a postal code gives municipality and centroid;
/// coordinates must lie in Belgium and give the nearest postal code.
pub fn parse_location(input: &LocationInput, field: &str) -> ApiResult<ResolvedLocation> {
    let coordinates = match (input.latitude, input.longitude) {
        (Some(lat), Some(lon)) => {
            let c = Coordinates::new(lat, lon).map_err(|_| {
                ApiError::bad_input(
                    format!("{field}.latitude"),
                    tr!(
                        "error-not-coordinates",
                        latitude = lat.to_string(),
                        longitude = lon.to_string()
                    ),
                )
            })?;
            if !c.is_in_belgium() {
                return Err(ApiError::bad_input(
                    format!("{field}.latitude"),
                    tr!(
                        "error-outside-belgium",
                        latitude = lat.to_string(),
                        longitude = lon.to_string()
                    ),
                ));
            }
            Some(c)
        }
        (None, None) => None,
        (Some(_), None) => {
            return Err(ApiError::bad_input(
                format!("{field}.longitude"),
                tr!("error-longitude-alone"),
            ));
        }
        (None, Some(_)) => {
            return Err(ApiError::bad_input(
                format!("{field}.latitude"),
                tr!("error-latitude-alone"),
            ));
        }
    };
    match (&input.postal_code, coordinates) {
        (Some(code), coordinates) => {
            let place = matching::lookup_postal_code(code).ok_or_else(|| {
                ApiError::bad_input(
                    format!("{field}.postalCode"),
                    tr!(
                        "error-not-a-postal-code",
                        code = format!("{:?}", code.trim())
                    ),
                )
            })?;
            Ok(ResolvedLocation {
                postal_code: place.postal_code.to_owned(),
                municipality: place.municipality.to_owned(),
                coordinates: coordinates.unwrap_or(place.coordinates),
            })
        }
        (None, Some(coordinates)) => {
            let place = matching::nearest_place(&coordinates);
            Ok(ResolvedLocation {
                postal_code: place.postal_code.to_owned(),
                municipality: place.municipality.to_owned(),
                coordinates,
            })
        }
        (None, None) => Err(ApiError::bad_input(field, tr!("error-no-location"))),
    }
}

/// Trims a required text and checks its length (1..=max characters) and
/// its characters (no control characters but newline and tab).
pub fn required_text(value: &str, field: &str, max: usize) -> ApiResult<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ApiError::bad_input(
            field,
            tr!("error-empty", field = field),
        ));
    }
    check_length(field, trimmed, max)?;
    check_characters(field, TextKind::FreeText, trimmed)?;
    Ok(trimmed.to_owned())
}

/// Like [`required_text`] for an optional text; blank becomes `None`.
pub fn optional_text(value: Option<&str>, field: &str, max: usize) -> ApiResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => required_text(v, field, max).map(Some),
    }
}

/// Folds case and accents for fuzzy search ("Élodie" -> "elodie").
pub fn fold(text: &str) -> String {
    matching::fold(text)
}

/// Whether `name` matches a fuzzy `search`: every word of the search is a
/// prefix of, or within a small edit distance of, some word of the name.
/// Only the first [`TextKind::Search`] characters of `search` count, so the
/// work stays bounded whoever calls it.
pub fn fuzzy_matches(name: &str, search: &str) -> bool {
    let name = fold(name);
    let words: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let bounded: String = search.chars().take(TextKind::Search.max_chars()).collect();
    let search = fold(&bounded);
    search
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .all(|term| {
            words.iter().any(|word| {
                word.starts_with(term)
                    || word.contains(term) && term.len() >= 3
                    || strsim::jaro_winkler(word, term) >= 0.88
            })
        })
}

/// What a text input is, told by its name (the argument or input field it
/// is given as): each kind has a longest length and the characters it may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextKind {
    /// A language code or name (`language`, `languages`, `preferredLanguage`): 64 characters.
    Language,
    /// A search string (`search`): 200 characters.
    Search,
    /// A person's, family's or organisation's name and other one-line labels
    /// (`name`, `...Name`, `organization`, `relation`, `pointOfContact`,
    /// `role`, `module`, `phone`): 200 characters.
    Name,
    /// An email address (`email`, `...Email`): 254 characters.
    Email,
    /// A password (`password`, `...Password`): 1,024 characters.
    Password,
    /// Short codes (`postalCode`, `nearPostalCode`, `start`, `end`): 32 characters.
    Code,
    /// Global IDs and cursors (`id`, `...Id`, `...Ids`, `after`, `before`): 256 characters.
    Key,
    /// Anything else: notes, descriptions, reasons. 5,000 characters; newlines and tabs allowed.
    FreeText,
}

impl TextKind {
    /// The kind of the input named `name`.
    pub fn of(name: &str) -> TextKind {
        match name {
            "language" | "languages" | "preferredLanguage" => TextKind::Language,
            "search" => TextKind::Search,
            "name" | "displayName" | "organization" | "relation" | "pointOfContact" | "role"
            | "module" | "phone" => TextKind::Name,
            "email" => TextKind::Email,
            "password" => TextKind::Password,
            "postalCode" | "nearPostalCode" | "start" | "end" => TextKind::Code,
            "id" | "after" | "before" => TextKind::Key,
            _ if name.ends_with("Id") || name.ends_with("Ids") => TextKind::Key,
            _ if name.ends_with("Password") => TextKind::Password,
            _ if name.ends_with("Email") => TextKind::Email,
            _ if name.ends_with("Name") => TextKind::Name,
            _ => TextKind::FreeText,
        }
    }

    /// The most characters an input of this kind may have.
    pub fn max_chars(self) -> usize {
        match self {
            TextKind::Language => 64,
            TextKind::Search | TextKind::Name => 200,
            TextKind::Email => 254,
            TextKind::Password => 1_024,
            TextKind::Code => 32,
            TextKind::Key => 256,
            TextKind::FreeText => 5_000,
        }
    }

    /// Whether the text is one line (no newline or tab either).
    fn one_line(self) -> bool {
        !matches!(self, TextKind::FreeText | TextKind::Password)
    }

    /// Whether bidirectional overrides and zero-width characters are refused:
    /// in names and every other one-line text, where they disguise what is
    /// shown (`Ali\u{202e}ecnirp` reads as "Aliprince").
    fn plain(self) -> bool {
        self.one_line()
    }
}

/// Bidirectional embeddings, overrides and isolates, and zero-width
/// characters: invisible, and able to make a text read as another.
fn is_disguise(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{FEFF}'
    )
}

/// Checks one text input of kind `kind` given as `field`: its length (the
/// byte length decides first where it can, so an oversized input costs
/// nothing) and its [characters](check_characters).
pub fn check_text(field: &str, kind: TextKind, text: &str) -> ApiResult<()> {
    check_length(field, text, kind.max_chars())?;
    check_characters(field, kind, text)
}

/// At most `max` characters; the byte length decides without counting
/// when it can (a character is 1 to 4 bytes).
fn check_length(field: &str, text: &str, max: usize) -> ApiResult<()> {
    if text.len() > max && (text.len() > 4 * max || text.chars().count() > max) {
        return Err(ApiError::bad_input(
            field,
            tr!("error-too-long", field = field, max = max),
        ));
    }
    Ok(())
}

/// No control characters (none at all in one-line texts; newline and tab
/// allowed in free text), and no bidirectional-override or zero-width
/// characters in one-line texts.
pub fn check_characters(field: &str, kind: TextKind, text: &str) -> ApiResult<()> {
    for c in text.chars() {
        if c.is_control() && (kind.one_line() || !matches!(c, '\n' | '\t')) {
            let message = if kind.one_line() {
                tr!("error-control-characters-one-line", field = field)
            } else {
                tr!("error-control-characters", field = field)
            };
            return Err(ApiError::bad_input(field, message));
        }
        if kind.plain() && is_disguise(c) {
            return Err(ApiError::bad_input(
                field,
                tr!("error-disguise", field = field),
            ));
        }
    }
    Ok(())
}

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Passwords long enough for the length rule that every guessing list starts with.
const COMMON_PASSWORDS: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456123456",
    "password1234",
    "password12345",
    "password123456",
    "passwordpassword",
    "qwertyuiop12",
    "qwerty123456",
    "qwertyuiopas",
    "azertyuiop12",
    "azerty123456",
    "iloveyou1234",
    "abcdefghijkl",
    "abc123abc123",
    "1q2w3e4r5t6y",
    "welkom123456",
    "wachtwoord12",
    "wachtwoord123",
    "motdepasse12",
    "motdepasse123",
    "bienvenue123",
    "changeme1234",
    "letmein12345",
    "administrator",
];

/// Checks a new password: at least [`MIN_PASSWORD_CHARS`] characters, not
/// one character repeated, not one of the most common passwords, no
/// control characters. BAD_USER_INPUT on `field` otherwise.
pub fn new_password(field: &str, password: &str) -> ApiResult<()> {
    check_text(field, TextKind::Password, password)?;
    let mut chars = password.chars();
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::bad_input(
            field,
            tr!("error-password-short", min = MIN_PASSWORD_CHARS),
        ));
    }
    if let Some(first) = chars.next()
        && chars.all(|c| c == first)
    {
        return Err(ApiError::bad_input(field, tr!("error-password-repeated")));
    }
    let lower = password.to_lowercase();
    if COMMON_PASSWORDS.contains(&lower.as_str()) {
        return Err(ApiError::bad_input(field, tr!("error-password-common")));
    }
    Ok(())
}

/// Parses an email address into its stored form (trimmed, lower-case):
/// one `@` between a local part of 1 to 64 characters and a domain of at
/// least two dot-separated labels (letters, digits, hyphens), the last one
/// of two letters or more. BAD_USER_INPUT on `field` otherwise.
pub fn email(field: &str, raw: &str) -> ApiResult<String> {
    let email = raw.trim().to_lowercase();
    check_text(field, TextKind::Email, &email)?;
    let bad = || {
        ApiError::bad_input(
            field,
            tr!("error-not-an-email", input = format!("{:?}", raw.trim())),
        )
    };
    let (local, domain) = email.split_once('@').ok_or_else(bad)?;
    let local_ok = (1..=64).contains(&local.chars().count())
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            (1..=63).contains(&label.chars().count())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic));
    if local_ok && domain_ok {
        Ok(email)
    } else {
        Err(bad())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_checked_by_kind() {
        assert!(check_text("name", TextKind::Name, "Élodie Janssens-El Amrani").is_ok());
        assert!(check_text("notes", TextKind::FreeText, "line\n\tindented").is_ok());
        for (kind, bad) in [
            (TextKind::Name, "a\u{0}b"),
            (TextKind::Name, "two\nlines"),
            (TextKind::Name, "Ali\u{202e}ecnirp"),
            (TextKind::Name, "zero\u{200b}width"),
            (TextKind::FreeText, "bell\u{7}"),
            (TextKind::FreeText, "\u{1b}[31m"),
            (TextKind::Key, "Family:\u{0}"),
        ] {
            assert!(check_text("f", kind, bad).is_err(), "{bad:?}");
        }
        assert!(check_text("l", TextKind::Language, &"é".repeat(64)).is_ok());
        assert!(check_text("l", TextKind::Language, &"é".repeat(65)).is_err());
        assert_eq!(TextKind::of("volunteerId"), TextKind::Key);
        assert_eq!(TextKind::of("familyIds"), TextKind::Key);
        assert_eq!(TextKind::of("notes"), TextKind::FreeText);
        assert_eq!(TextKind::of("newPassword"), TextKind::Password);
        assert_eq!(TextKind::of("helperName"), TextKind::Name);
    }

    #[test]
    fn weak_passwords_and_implausible_emails_are_refused() {
        assert!(new_password("p", "correct horse battery staple").is_ok());
        for weak in ["short", "            ", "aaaaaaaaaaaa", "Password1234"] {
            assert!(new_password("p", weak).is_err(), "{weak:?}");
        }
        assert_eq!(
            email("e", " Anna.Peeters@Example.ORG ").ok().as_deref(),
            Some("anna.peeters@example.org")
        );
        for bad in [
            "@",
            "a@b",
            "a@b.c",
            "no-at.example.org",
            "a@@b.org",
            "a b@c.org",
            ".a@b.org",
            "a@-b.org",
        ] {
            assert!(email("e", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn fuzzy_search_tolerates_typos_and_accents() {
        assert!(fuzzy_matches("Élodie Janssens", "elodie"));
        assert!(fuzzy_matches("Élodie Janssens", "Jansens"));
        assert!(fuzzy_matches("Youssef El Amrani", "amrani youssef"));
        assert!(!fuzzy_matches("Youssef El Amrani", "Peeters"));
    }
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
