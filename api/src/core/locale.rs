//! The languages Tandem speaks to people in, and its message catalogue.
//!
//! Every sentence meant for people (match explanations, unassigned details,
//! error messages) comes from one Fluent catalogue per language,
//! `api/locales/{nl,fr,en}.ftl`, next to a stable code for programs.
//!
//! The locale of a request is the first of `Accept-Language` (quality values
//! honoured) that Tandem speaks, else the signed-in user's own locale
//! (`setMyLocale`), else `TANDEM_DEFAULT_LOCALE` (Dutch unless set). The
//! request pipeline runs each request inside [`scope`], so whatever renders a
//! sentence while the request runs asks [`current`].

use std::sync::LazyLock;

use async_graphql::Enum;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};
use unic_langid::{LanguageIdentifier, langid};

/// The languages Tandem speaks to people in.
#[derive(Enum, Copy, Clone, Debug, Default, Eq, PartialEq, Hash)]
#[graphql(remote = "entity::vocabulary::Locale")]
pub enum Locale {
    /// Dutch (Nederlands), the default.
    #[default]
    Nl,
    /// French (français).
    Fr,
    /// English.
    En,
}

impl Locale {
    /// All of them, in catalogue order.
    pub const ALL: [Locale; 3] = [Locale::Nl, Locale::Fr, Locale::En];

    /// The ISO 639-1 code (as stored): `nl`, `fr`, `en`.
    pub fn code(self) -> &'static str {
        match self {
            Locale::Nl => "nl",
            Locale::Fr => "fr",
            Locale::En => "en",
        }
    }

    /// A language tag (`nl`, `nl-BE`, `FR_be`, `en-GB`) to the locale of its
    /// language, if Tandem speaks it.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Locale::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The locale an `Accept-Language` header asks for: the tag with the
    /// highest quality that Tandem speaks (ties in header order); `q=0` is
    /// "not this one". `None` when it names none of them.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        if header.len() > 512 {
            return None;
        }
        let mut tags = accept_language::parse_with_quality(header);
        tags.retain(|(_, quality)| *quality > 0.0);
        tags.sort_by(|a, b| b.1.total_cmp(&a.1));
        tags.iter().find_map(|(tag, _)| Locale::from_tag(tag))
    }

    fn langid(self) -> LanguageIdentifier {
        match self {
            Locale::Nl => langid!("nl"),
            Locale::Fr => langid!("fr"),
            Locale::En => langid!("en"),
        }
    }

    /// The catalogue's source for this locale.
    pub fn catalogue_source(self) -> &'static str {
        match self {
            Locale::Nl => include_str!("../../locales/nl.ftl"),
            Locale::Fr => include_str!("../../locales/fr.ftl"),
            Locale::En => include_str!("../../locales/en.ftl"),
        }
    }

    fn index(self) -> usize {
        match self {
            Locale::Nl => 0,
            Locale::Fr => 1,
            Locale::En => 2,
        }
    }
}

/// One bundle per locale, in [`Locale::ALL`] order. A catalogue that does
/// not parse is a build mistake the catalogue test catches; its good entries
/// are still used.
static BUNDLES: LazyLock<Vec<FluentBundle<FluentResource>>> = LazyLock::new(|| {
    Locale::ALL
        .into_iter()
        .map(|locale| {
            let resource = FluentResource::try_new(locale.catalogue_source().to_owned())
                .unwrap_or_else(|(partial, _)| partial);
            let mut bundle = FluentBundle::new_concurrent(vec![locale.langid()]);
            bundle.set_use_isolating(false);
            if let Err(errors) = bundle.add_resource(resource) {
                tracing::error!(?errors, locale = locale.code(), "message catalogue");
            }
            bundle
        })
        .collect()
});

tokio::task_local! {
    static CURRENT: Locale;
}

/// Runs `work` (a request) in `locale`.
pub async fn scope<F: std::future::Future>(locale: Locale, work: F) -> F::Output {
    CURRENT.scope(locale, work).await
}

/// The locale of the request being served (the default outside one).
pub fn current() -> Locale {
    CURRENT.try_with(|l| *l).unwrap_or_default()
}

/// Whether a request is being served here (inside [`scope`]).
pub fn in_request() -> bool {
    CURRENT.try_with(|_| ()).is_ok()
}

/// The locale of the request of `ctx`.
pub fn of(_ctx: &async_graphql::Context<'_>) -> Locale {
    current()
}

/// A value for a placeholder.
pub type Arg = FluentValue<'static>;

/// The message `id` of the catalogue in `locale`, its placeholders filled
/// from `args`. A message missing from the catalogue, or a placeholder left
/// unfilled, is a mistake the catalogue tests catch; it is logged and the
/// id (or the partly filled sentence) is shown rather than nothing.
pub fn text_in(locale: Locale, id: &str, args: &[(&str, Arg)]) -> String {
    let bundle = &BUNDLES[locale.index()];
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        tracing::error!(
            id,
            locale = locale.code(),
            "message missing from the catalogue"
        );
        return id.to_owned();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    if !errors.is_empty() {
        tracing::error!(id, locale = locale.code(), ?errors, "message not filled");
    }
    text.into_owned()
}

/// [`text_in`] in the locale of the request being served.
pub fn text(id: &str, args: &[(&str, Arg)]) -> String {
    text_in(current(), id, args)
}

/// A string placeholder value.
pub fn s(value: impl Into<String>) -> Arg {
    FluentValue::from(value.into())
}

/// A number placeholder value (Fluent picks plural forms by it).
pub fn n(value: impl Into<f64>) -> Arg {
    FluentValue::from(value.into())
}

/// What a placeholder can be given: a text or a number.
pub trait IntoArg {
    /// The placeholder value.
    fn into_arg(self) -> Arg;
}

impl IntoArg for Arg {
    fn into_arg(self) -> Arg {
        self
    }
}

impl IntoArg for String {
    fn into_arg(self) -> Arg {
        FluentValue::from(self)
    }
}

impl IntoArg for &str {
    fn into_arg(self) -> Arg {
        FluentValue::from(self.to_owned())
    }
}

impl IntoArg for &String {
    fn into_arg(self) -> Arg {
        FluentValue::from(self.clone())
    }
}

macro_rules! number_args {
    ($($num:ty)+) => {
        $(impl IntoArg for $num {
            fn into_arg(self) -> Arg {
                FluentValue::from(self)
            }
        })+
    };
}

number_args!(i32 i64 u8 u16 u32 u64 usize f64);

/// The message `id` in the request's locale, its placeholders named:
/// `tr!("error-too-long", field = field, max = 100)`.
macro_rules! tr {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::core::locale::text(
            $id,
            &[$((stringify!($name), $crate::core::locale::IntoArg::into_arg($value))),*],
        )
    };
}
pub(crate) use tr;

/// Like [`tr!`] in a given locale: `tr_in!(locale, "id", name = value)`.
macro_rules! tr_in {
    ($locale:expr, $id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::core::locale::text_in(
            $locale,
            $id,
            &[$((stringify!($name), $crate::core::locale::IntoArg::into_arg($value))),*],
        )
    };
}
pub(crate) use tr_in;

/// A decimal number written the way `locale` writes it, with one decimal
/// (`2,5` in Dutch and French, `2.5` in English).
pub fn decimal(locale: Locale, value: f64) -> String {
    let text = format!("{value:.1}");
    match locale {
        Locale::En => text,
        Locale::Nl | Locale::Fr => text.replace('.', ","),
    }
}

/// Items joined the way `locale` lists them: "a, b and c", "a, b en c", "a, b et c".
pub fn list_and(locale: Locale, items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => {
            let and = text_in(locale, "list-and", &[]);
            format!("{} {and} {last}", init.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_honours_quality_values() {
        let cases = [
            ("fr-BE,fr;q=0.9,en;q=0.8", Some(Locale::Fr)),
            ("en;q=0.5, nl-BE", Some(Locale::Nl)),
            ("de-DE, en-GB;q=0.7, fr;q=0.6", Some(Locale::En)),
            ("nl;q=0, fr;q=0.1", Some(Locale::Fr)),
            ("de, *", None),
            ("", None),
            ("FR_be", Some(Locale::Fr)),
        ];
        for (header, want) in cases {
            assert_eq!(Locale::from_accept_language(header), want, "{header}");
        }
    }

    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast;

    /// The placeholders of a pattern, selectors and variants included.
    fn placeholders(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expression_vars(expression, out);
            }
        }
    }

    fn expression_vars(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
        match expression {
            ast::Expression::Inline(inline) => inline_vars(inline, out),
            ast::Expression::Select { selector, variants } => {
                inline_vars(selector, out);
                for variant in variants {
                    placeholders(&variant.value, out);
                }
            }
        }
    }

    fn inline_vars(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match inline {
            ast::InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_owned());
            }
            ast::InlineExpression::Placeable { expression } => expression_vars(expression, out),
            _ => {}
        }
    }

    /// Every message of a catalogue with its placeholders.
    fn messages(locale: Locale) -> BTreeMap<String, BTreeSet<String>> {
        let resource = fluent_syntax::parser::parse(locale.catalogue_source()).unwrap_or_else(
            |(_, errors)| panic!("{}.ftl does not parse: {errors:?}", locale.code()),
        );
        resource
            .body
            .iter()
            .filter_map(|entry| match entry {
                ast::Entry::Message(m) => {
                    let mut vars = BTreeSet::new();
                    if let Some(value) = &m.value {
                        placeholders(value, &mut vars);
                    }
                    Some((m.id.name.to_owned(), vars))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_message_exists_in_every_language_with_the_same_placeholders() {
        let dutch = messages(Locale::Nl);
        assert!(dutch.len() > 50);
        for locale in [Locale::Fr, Locale::En] {
            let other = messages(locale);
            let missing: Vec<&String> = dutch.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<&String> = other.keys().filter(|k| !dutch.contains_key(*k)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{}.ftl: missing {missing:?}, not in nl.ftl {extra:?}",
                locale.code()
            );
            for (id, vars) in &dutch {
                assert_eq!(&other[id], vars, "{id} in {}.ftl", locale.code());
            }
        }
    }

    #[test]
    fn every_message_renders_with_its_placeholders_filled() {
        for locale in Locale::ALL {
            for (id, vars) in messages(locale) {
                let args: Vec<(&str, Arg)> = vars.iter().map(|v| (v.as_str(), n(2))).collect();
                let bundle = &BUNDLES[locale.index()];
                let pattern = bundle
                    .get_message(&id)
                    .and_then(|m| m.value())
                    .unwrap_or_else(|| panic!("{id} has no value"));
                let mut fluent_args = FluentArgs::new();
                for (name, value) in &args {
                    fluent_args.set(*name, value.clone());
                }
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
                assert!(errors.is_empty(), "{id} ({}): {errors:?}", locale.code());
                assert!(!text.contains('{'), "{id} ({}): {text}", locale.code());
            }
        }
    }

    /// Every id the code asks for, written out or built from a prefix and
    /// the engine's enum values, is in the catalogue.
    #[test]
    fn every_message_the_code_asks_for_exists() {
        let dutch = messages(Locale::Nl);
        let mut wanted: Vec<String> = Vec::new();
        for (prefix, values) in [
            (
                "level-",
                matching::LanguageLevel::ALL
                    .iter()
                    .map(|v| v.as_str())
                    .collect::<Vec<_>>(),
            ),
            (
                "weekday-",
                matching::Weekday::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "crisis-",
                matching::CrisisType::ALL
                    .iter()
                    .map(|v| v.as_str())
                    .collect(),
            ),
            (
                "exclusion-",
                matching::ExclusionReason::ALL
                    .iter()
                    .map(|v| v.as_str())
                    .collect(),
            ),
        ] {
            wanted.extend(values.iter().map(|v| format!("{prefix}{v}")));
        }
        fn sources(dir: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    sources(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.extend(std::fs::read_to_string(&path));
                }
            }
        }
        let mut texts = Vec::new();
        sources(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut texts,
        );
        assert!(texts.len() > 50, "the sources are read");
        for source in &texts {
            for piece in source.split('"').skip(1).step_by(2) {
                let is_id = [
                    "error-",
                    "unassigned-",
                    "reason-",
                    "duration-",
                    "list-",
                    "ws-",
                    "cli-",
                ]
                .iter()
                .any(|p| piece.starts_with(p))
                    && piece
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                if is_id {
                    wanted.push(piece.to_owned());
                }
            }
        }
        let reason_codes = [
            "FAMILY_HAS_NO_LANGUAGE",
            "NO_SHARED_LANGUAGE",
            "SPEAKS_PREFERRED_LANGUAGE",
            "SPEAKS_OTHER_FAMILY_LANGUAGE",
            "SPEAKS_FAMILY_LANGUAGE",
            "WITHIN_TRAVEL_DISTANCE",
            "BEYOND_TRAVEL_DISTANCE",
            "TRAVEL_DISTANCE_UNKNOWN",
            "NO_TIME_IN_COMMON",
            "TIME_IN_COMMON",
            "TOO_LITTLE_TIME_IN_COMMON",
            "NO_NEEDS_NAMED",
            "NO_NEEDS_IN_COMMON",
            "ALL_NEEDS_KNOWN",
            "SOME_NEEDS_KNOWN",
        ];
        wanted.extend(reason_codes.iter().map(|c| format!("reason-{c}")));
        let missing: Vec<&String> = wanted
            .iter()
            .filter(|id| !dutch.contains_key(*id))
            .collect();
        assert!(missing.is_empty(), "not in the catalogue: {missing:?}");
    }

    #[test]
    fn lists_read_in_each_language() {
        let items = ["a".to_owned(), "b".to_owned(), "c".to_owned()];
        assert_eq!(list_and(Locale::Nl, &items), "a, b en c");
        assert_eq!(list_and(Locale::Fr, &items), "a, b et c");
        assert_eq!(list_and(Locale::En, &items), "a, b and c");
    }
}
