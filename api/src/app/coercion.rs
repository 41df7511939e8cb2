//! Errors async-graphql raises itself when a value does not coerce to its
//! input type (an enum value it does not have, a `Date` that is no date):
//! they become BAD_USER_INPUT naming the input in `extensions.field`, as
//! every other bad input does, with a sentence in the request's locale.

use std::{collections::HashMap, sync::LazyLock};

use async_graphql_parser::types::{TypeKind, TypeSystemDefinition};

use crate::core::locale::{s, text};

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
}
