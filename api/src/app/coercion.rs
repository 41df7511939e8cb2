//! Errors async-graphql raises itself when a value does not coerce to its
//! input type (an enum value it does not have, a `Date` that is no date, an
//! `Int` out of range, an `ID` that is no ID): they become BAD_USER_INPUT
//! naming the input in `extensions.field`, as every other bad input does,
//! with a sentence in the request's locale. So do its depth and complexity
//! limits. A `DateTime`, and an `Int`'s range, async-graphql only checks
//! while the field runs, without naming the input: [`is_date_time_input`]
//! and [`is_int_input`] let the request pipeline check those before
//! anything runs.

use std::{
    collections::{HashMap, HashSet},
    sync::LazyLock,
};

use async_graphql_parser::types::{BaseType, Type, TypeKind, TypeSystemDefinition};

use crate::core::locale::{s, text, tr};

/// Every enum of the served schema with its values.
static ENUMS: LazyLock<HashMap<String, Vec<String>>> = LazyLock::new(|| {
    let Ok(doc) = async_graphql_parser::parse_schema(crate::app::schema::export_sdl()) else {
        return HashMap::new();
    };
    doc.definitions
        .into_iter()
        .filter_map(|def| match def {
            TypeSystemDefinition::Type(ty) => match ty.node.kind {
                TypeKind::Enum(e) => Some((
                    ty.node.name.node.to_string(),
                    e.values
                        .iter()
                        .map(|v| v.node.value.node.to_string())
                        .collect(),
                )),
                _ => None,
            },
            _ => None,
        })
        .collect()
});

/// The names under which the served schema takes a `DateTime` as input (an
/// input object's field or a field's argument).
static DATE_TIME_INPUTS: LazyLock<HashSet<String>> =
    LazyLock::new(|| inputs_of_type("DateTime").into_iter().collect());

/// The names of every input field and argument of the served schema whose
/// type is `scalar` (in a list or not), with repeats.
fn inputs_of_type(scalar: &str) -> Vec<String> {
    fn named(ty: &Type) -> &str {
        match &ty.base {
            BaseType::Named(name) => name.as_str(),
            BaseType::List(inner) => named(inner),
        }
    }
    let Ok(doc) = async_graphql_parser::parse_schema(crate::app::schema::export_sdl()) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    for def in doc.definitions {
        let TypeSystemDefinition::Type(ty) = def else {
            continue;
        };
        match ty.node.kind {
            TypeKind::InputObject(input) => names.extend(
                input
                    .fields
                    .iter()
                    .filter(|f| named(&f.node.ty.node) == scalar)
                    .map(|f| f.node.name.node.to_string()),
            ),
            TypeKind::Object(object) => names.extend(
                object
                    .fields
                    .iter()
                    .flat_map(|f| f.node.arguments.iter())
                    .filter(|a| named(&a.node.ty.node) == scalar)
                    .map(|a| a.node.name.node.to_string()),
            ),
            _ => {}
        }
    }
    names
}

/// The names under which the served schema takes an `Int` as input.
static INT_INPUTS: LazyLock<HashSet<String>> =
    LazyLock::new(|| inputs_of_type("Int").into_iter().collect());

/// Whether an input given under `name` is a `DateTime`.
pub(crate) fn is_date_time_input(name: &str) -> bool {
    DATE_TIME_INPUTS.contains(name)
}

/// Whether an input given under `name` is an `Int` (which async-graphql
/// checks for range only while the field runs).
pub(crate) fn is_int_input(name: &str) -> bool {
    INT_INPUTS.contains(name)
}

/// For an error of a depth or complexity limit, the sentence to say instead.
pub(crate) fn limit(message: &str) -> Option<String> {
    use crate::app::schema::{MAX_COMPLEXITY, MAX_DEPTH};
    match message {
        "Query is nested too deep." => Some(tr!("error-query-too-deep", max = MAX_DEPTH)),
        "Query is too complex." => Some(tr!("error-query-too-complex", max = MAX_COMPLEXITY)),
        _ => None,
    }
}

/// An async-graphql input path (`input.languages.0.level`) the way the
/// contract writes it (`input.languages[0].level`).
fn input_path(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for segment in raw.split('.') {
        if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(segment);
            out.push(']');
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(segment);
        }
    }
    out
}

/// The text between the first two double quotes after `after`.
fn quoted<'a>(text: &'a str, after: &str) -> Option<&'a str> {
    let rest = &text[text.find(after)? + after.len()..];
    let start = rest.find('"')? + 1;
    let len = rest[start..].find('"')?;
    Some(&rest[start..start + len])
}

/// For an error of a value that did not coerce, the input it names and the
/// sentence to say instead; `None` for any other error.
pub(crate) fn explain(message: &str) -> Option<(String, String)> {
    let rest = message.strip_prefix("Invalid value for argument \"")?;
    let (path, reason) = rest.split_once("\", ")?;
    let field = input_path(path);
    let named = s(field.clone());
    let sentence = if let (Some(ty), Some(value)) = (
        quoted(reason, "enumeration type"),
        quoted(reason, "does not contain the value"),
    ) {
        let values = ENUMS.get(ty).map(|v| v.join(", ")).unwrap_or_default();
        text(
            "error-not-a-value",
            &[
                ("field", named),
                ("value", s(format!("{value:?}"))),
                ("type", s(ty)),
                ("values", s(values)),
            ],
        )
    } else {
        match quoted(reason, "expected type") {
            Some("Date") => text("error-not-a-date", &[("field", named)]),
            Some("DateTime") => text("error-not-a-datetime", &[("field", named)]),
            Some("Int") => text("error-not-an-int", &[("field", named)]),
            Some("Float") => text("error-not-a-float", &[("field", named)]),
            Some("ID") => text("error-not-an-id", &[("field", named)]),
            Some(ty @ ("String" | "Boolean")) => {
                text("error-not-of-type", &[("field", named), ("type", s(ty))])
            }
            _ => text(
                "error-bad-value",
                &[("field", named), ("detail", s(reason))],
            ),
        }
    };
    Some((field, sentence))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coercion_errors_name_their_input() {
        let (field, _) = explain(
            "Invalid value for argument \"input.languages.1.level\", enumeration type \"LanguageLevel\" does not contain the value \"SUPER\"",
        )
        .unwrap();
        assert_eq!(field, "input.languages[1].level");
        let (field, _) =
            explain("Invalid value for argument \"completedOn\", expected type \"Date\"").unwrap();
        assert_eq!(field, "completedOn");
        assert!(explain("Unknown field \"x\" on type \"Query\".").is_none());
    }

    /// The pipeline finds a `DateTime` input by its name alone: no name the
    /// schema gives a `DateTime` is also given to an input of another type.
    #[test]
    fn date_time_inputs_are_known_by_their_names() {
        let names = inputs_of_type("DateTime");
        assert!(names.iter().any(|n| n == "referredAt"), "{names:?}");
        let mut others = Vec::new();
        for scalar in ["String", "ID", "Date", "Int", "Float", "Boolean"] {
            others.extend(inputs_of_type(scalar));
        }
        let shared: Vec<&String> = names.iter().filter(|n| others.contains(n)).collect();
        assert!(shared.is_empty(), "also of another type: {shared:?}");
    }

    /// Nor is a name the schema gives an `Int` also given to a `Float`.
    #[test]
    fn int_inputs_are_known_by_their_names() {
        let ints = inputs_of_type("Int");
        assert!(ints.iter().any(|n| n == "first"), "{ints:?}");
        let floats = inputs_of_type("Float");
        let shared: Vec<&String> = ints.iter().filter(|n| floats.contains(n)).collect();
        assert!(shared.is_empty(), "also a Float: {shared:?}");
    }
}
