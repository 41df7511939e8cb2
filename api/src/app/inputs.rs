//! Every text a request gives, checked before anything runs: each string in
//! each argument, written in the document or passed as a variable, meets
//! [`values::check_text`] for the kind its name says ([`TextKind::of`]),
//! and values may nest only so deep; a `DateTime` input must be one, an
//! `Int` must fit in 32 bits. The
//! refusal names the input path (`input.languages[1].language`), as
//! resolvers name theirs.

use std::collections::HashSet;

use async_graphql::Variables;
use async_graphql_parser::{
    Positioned,
    types::{ExecutableDocument, Selection, SelectionSet},
};
use async_graphql_value::{ConstValue, Name, Value};

use crate::{
    core::error::{ApiError, ApiResult},
    core::locale::tr,
    core::values::{TextKind, check_text},
};

/// What the walk needs to see of a value, the same for values written in
/// the document ([`Value`]) and values of variables ([`ConstValue`]).
enum View<'a, T> {
    Text(&'a str),
    Number(&'a serde_json::Number),
    List(&'a [T]),
    Object(Vec<(&'a Name, &'a T)>),
    Variable(&'a Name),
    Other,
}

trait Input: Sized {
    fn view(&self) -> View<'_, Self>;
}

impl Input for Value {
    fn view(&self) -> View<'_, Self> {
        match self {
            Value::String(text) => View::Text(text),
            Value::Number(number) => View::Number(number),
            Value::List(items) => View::List(items),
            Value::Object(fields) => View::Object(fields.iter().collect()),
            Value::Variable(name) => View::Variable(name),
            _ => View::Other,
        }
    }
}

impl Input for ConstValue {
    fn view(&self) -> View<'_, Self> {
        match self {
            ConstValue::String(text) => View::Text(text),
            ConstValue::Number(number) => View::Number(number),
            ConstValue::List(items) => View::List(items),
            ConstValue::Object(fields) => View::Object(fields.iter().collect()),
            _ => View::Other,
        }
    }
}

/// One step of an input path.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Walks the arguments of a document once (fragments once each, not per
/// spread) and each variable once per kind of place it is used in (a
/// variable used a thousand times is read at most once per [`TextKind`]).
struct Walk<'a> {
    variables: &'a Variables,
    checked: HashSet<(&'a str, TextKind)>,
    max_depth: usize,
    path: Vec<Step<'a>>,
}

/// A `DateTime` input must parse as one, RFC 3339 with its offset (as
/// async-graphql parses it when the field runs, too late to name the input).
fn date_time(field: &str, text: &str) -> ApiResult<()> {
    match text.parse::<chrono::DateTime<chrono::FixedOffset>>() {
        Ok(_) => Ok(()),
        Err(_) => Err(ApiError::bad_input(
            field,
            tr!("error-not-a-datetime", field = field),
        )),
    }
}

/// Whether a whole number fits a GraphQL `Int` (32 bits); a fraction is
/// left to async-graphql's validation, which names its input.
fn fits_an_int(number: &serde_json::Number) -> bool {
    number.is_f64() || number.as_i64().is_some_and(|n| i32::try_from(n).is_ok())
}

/// Checks every argument of `doc`, with `variables`, nested at most `max_depth` deep.
pub(crate) fn check(
    doc: &ExecutableDocument,
    variables: &Variables,
    max_depth: usize,
) -> ApiResult<()> {
    let mut walk = Walk {
        variables,
        checked: HashSet::new(),
        max_depth,
        path: Vec::new(),
    };
    for (_, operation) in doc.operations.iter() {
        for definition in &operation.node.variable_definitions {
            if let Some(default) = &definition.node.default_value {
                walk.at(Step::Key(definition.node.name.node.as_str()), &default.node)?;
            }
        }
        walk.selections(&operation.node.selection_set)?;
    }
    for fragment in doc.fragments.values() {
        walk.selections(&fragment.node.selection_set)?;
    }
    Ok(())
}

impl<'a> Walk<'a> {
    fn selections(&mut self, set: &'a Positioned<SelectionSet>) -> ApiResult<()> {
        for item in &set.node.items {
            for directive in item.node.directives() {
                self.arguments(&directive.node.arguments)?;
            }
            match &item.node {
                Selection::Field(field) => {
                    self.arguments(&field.node.arguments)?;
                    self.selections(&field.node.selection_set)?;
                }
                Selection::InlineFragment(fragment) => {
                    self.selections(&fragment.node.selection_set)?;
                }
                Selection::FragmentSpread(_) => {}
            }
        }
        Ok(())
    }

    fn arguments(
        &mut self,
        arguments: &'a [(Positioned<Name>, Positioned<Value>)],
    ) -> ApiResult<()> {
        for (name, value) in arguments {
            self.at(Step::Key(name.node.as_str()), &value.node)?;
        }
        Ok(())
    }

    /// Checks `value`, found at `step` below the current path.
    fn at<T: Input>(&mut self, step: Step<'a>, value: &'a T) -> ApiResult<()> {
        self.path.push(step);
        let outcome = self.value(value);
        self.path.pop();
        outcome
    }

    fn value<T: Input>(&mut self, value: &'a T) -> ApiResult<()> {
        match value.view() {
            View::Variable(name) => {
                let variables = self.variables;
                let used_as = TextKind::of(self.key());
                match variables.get_key_value(name) {
                    Some((name, value)) if self.checked.insert((name.as_str(), used_as)) => {
                        self.value(value)
                    }
                    _ => Ok(()),
                }
            }
            View::Text(text) if super::coercion::is_date_time_input(self.key()) => {
                date_time(&self.field(), text)
            }
            View::Text(text) => check_text(&self.field(), TextKind::of(self.key()), text),
            View::Number(number)
                if super::coercion::is_int_input(self.key()) && !fits_an_int(number) =>
            {
                let field = self.field();
                Err(ApiError::bad_input(
                    &field,
                    tr!("error-not-an-int", field = &field),
                ))
            }
            View::List(items) => {
                self.deeper()?;
                for (i, item) in items.iter().enumerate() {
                    self.at(Step::Index(i), item)?;
                }
                Ok(())
            }
            View::Object(fields) => {
                self.deeper()?;
                for (key, item) in fields {
                    self.at(Step::Key(key.as_str()), item)?;
                }
                Ok(())
            }
            View::Number(_) | View::Other => Ok(()),
        }
    }

    /// The name the current value is given as (for a list item, the list's).
    fn key(&self) -> &'a str {
        self.path
            .iter()
            .rev()
            .find_map(|step| match step {
                Step::Key(key) => Some(*key),
                Step::Index(_) => None,
            })
            .unwrap_or("")
    }

    fn deeper(&self) -> ApiResult<()> {
        if self.path.len() > self.max_depth {
            return Err(ApiError::bad_input(
                self.field(),
                tr!("error-input-too-deep", max = self.max_depth),
            ));
        }
        Ok(())
    }

    /// The input path so far: `input.languages[1].language`.
    fn field(&self) -> String {
        let mut field = String::new();
        for step in &self.path {
            match step {
                Step::Key(key) if field.is_empty() => field.push_str(key),
                Step::Key(key) => {
                    field.push('.');
                    field.push_str(key);
                }
                Step::Index(i) => field.push_str(&format!("[{i}]")),
            }
        }
        field
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(query: &str, variables: serde_json::Value) -> Result<(), (String, String)> {
        let doc = async_graphql_parser::parse_query(query).unwrap();
        check(&doc, &Variables::from_json(variables), 8).map_err(|e| match e {
            ApiError::BadInput { field, message, .. } => (field, message),
            other => panic!("{other:?}"),
        })
    }

    #[test]
    fn every_string_is_checked_by_its_name_with_its_path() {
        assert_eq!(
            verdict(
                "{ f(input: {name: \"Amina\", notes: \"a\\nb\"}) }",
                serde_json::json!({})
            ),
            Ok(())
        );
        let (field, _) = verdict(
            "mutation($i: In) { f(input: $i) }",
            serde_json::json!({"i": {"languages": [{"language": "nl"}, {"language": "x".repeat(65)}]}}),
        )
        .unwrap_err();
        assert_eq!(field, "input.languages[1].language");
        let (field, _) = verdict("{ f(name: \"a\\u0000\") }", serde_json::json!({})).unwrap_err();
        assert_eq!(field, "name");
        let (field, _) = verdict(
            "query($t: String) { f(notes: $t) g(name: $t) }",
            serde_json::json!({"t": "two\nlines"}),
        )
        .unwrap_err();
        assert_eq!(
            field, "name",
            "a variable is checked for every kind of place it is used in"
        );
        let (field, _) = verdict(
            "{ ...F } fragment F on Q { g(input: {displayName: \"Ali\\u202eecnirp\"}) }",
            serde_json::json!({}),
        )
        .unwrap_err();
        assert_eq!(field, "input.displayName");
        let (field, message) = verdict(
            "query($v: In) { f(a: $v) }",
            serde_json::json!({"v": {"a": {"a": {"a": {"a": {"a": {"a": {"a": {"a": {"a": 1}}}}}}}}}}),
        )
        .unwrap_err();
        assert!(field.starts_with("a.a.a"), "{field}");
        assert!(message.contains("nest"), "{message}");
    }
}
