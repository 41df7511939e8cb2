//! A GraphQL request as it arrives, before anything trusts it: one reader for
//! JSON (a POST body, a WebSocket `subscribe` payload) and one for GET
//! parameters. What does not read is BAD_REQUEST with a sentence, never
//! a parser's debug text.

use async_graphql::Variables;
use serde::Deserialize;
use serde_json::Value;

use crate::core::locale::tr;

/// A request in the form a transport received it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Raw<'a> {
    /// JSON text: `{"query": ..., "operationName": ..., "variables": {...}}`.
    Json(&'a [u8]),
    /// A URL query string: `query=...&operationName=...&variables=<JSON>`.
    Params(&'a str),
}

/// What a request asks for, read but not yet checked.
#[derive(Debug)]
pub(crate) struct Incoming {
    /// The document text (absent when a persisted query's hash stands for it).
    pub query: Option<String>,
    /// `extensions.persistedQuery` (Apollo's automatic persisted queries).
    pub persisted: Option<PersistedQuery>,
    /// The operation to run, when the document has several.
    pub operation_name: Option<String>,
    /// The variables (an empty map when none were sent).
    pub variables: Variables,
}

/// `extensions.persistedQuery`: `{"version": 1, "sha256Hash": "<hex>"}`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PersistedQuery {
    /// The protocol's version (1).
    pub version: Option<i64>,
    /// The document's SHA-256 hash, in hexadecimal.
    pub sha256_hash: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Body {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<Value>,
    extensions: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Params {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

/// Reads `raw`; `Err` is the sentence a BAD_REQUEST carries.
pub(crate) fn read(raw: Raw<'_>) -> Result<Incoming, String> {
    let (query, operation_name, variables, extensions) = match raw {
        Raw::Json(bytes) => {
            let value: Value = serde_json::from_slice(bytes)
                .map_err(|e| tr!("error-body-not-json", detail = e.to_string()))?;
            if value.is_array() {
                return Err(tr!("error-batch"));
            }
            if !value.is_object() {
                return Err(tr!("error-body-not-object"));
            }
            let body: Body = serde_json::from_value(value)
                .map_err(|e| tr!("error-body-fields", detail = e.to_string()))?;
            (
                body.query,
                body.operation_name,
                body.variables,
                body.extensions,
            )
        }
        Raw::Params(text) => {
            let params: Params = serde_urlencoded::from_str(text)
                .map_err(|e| tr!("error-params", detail = e.to_string()))?;
            let json = |name: &str, text: Option<String>| {
                text.filter(|t| !t.is_empty())
                    .map(|t| serde_json::from_str::<Value>(&t))
                    .transpose()
                    .map_err(|e| tr!("error-param-not-json", name = name, detail = e.to_string()))
            };
            (
                params.query,
                params.operation_name,
                json("variables", params.variables)?,
                json("extensions", params.extensions)?,
            )
        }
    };
    let persisted = match extensions {
        None | Some(Value::Null) => None,
        Some(Value::Object(mut extensions)) => match extensions.remove("persistedQuery") {
            None | Some(Value::Null) => None,
            Some(persisted) => Some(
                serde_json::from_value::<PersistedQuery>(persisted)
                    .map_err(|e| tr!("error-persisted-query-shape", detail = e.to_string()))?,
            ),
        },
        Some(_) => return Err(tr!("error-extensions-not-object")),
    };
    if query.is_none() && persisted.is_none() {
        return Err(tr!("error-query-needed"));
    }
    let variables = match variables {
        None | Some(Value::Null) => Variables::default(),
        Some(object @ Value::Object(_)) => Variables::from_json(object),
        Some(_) => return Err(tr!("error-variables-not-object")),
    };
    Ok(Incoming {
        query,
        persisted,
        operation_name: operation_name.filter(|name| !name.is_empty()),
        variables,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_and_parameters_read_the_same_and_garbage_says_why() {
        let json = read(Raw::Json(
            br#"{"query": "query Q($a: Int) { f(a: $a) }", "operationName": "Q", "variables": {"a": 1}}"#,
        ))
        .unwrap();
        let get = read(Raw::Params(
            "query=query%20Q(%24a%3A%20Int)%20%7B%20f(a%3A%20%24a)%20%7D&operationName=Q&variables=%7B%22a%22%3A1%7D",
        ))
        .unwrap();
        assert_eq!(json.query, get.query);
        assert_eq!(json.operation_name.as_deref(), Some("Q"));
        assert_eq!(json.variables, get.variables);
        for garbage in [
            &b"{1: 2}"[..],
            b"[]",
            b"\"x\"",
            b"{}",
            br#"{"query": "{ f }", "variables": 3}"#,
        ] {
            let why = read(Raw::Json(garbage)).unwrap_err();
            assert!(!why.contains("Error("), "{why}");
        }
    }
}
