//! The one error type at the GraphQL boundary.
//!
//! Each variant says which `extensions.code` the client gets. An
//! [`ApiError`] is a `std::error::Error` (built with `thiserror`) whose
//! `Display` is the sentence the client reads, in the request's locale; an
//! internal error keeps its cause (an `anyhow::Error`, with its chain) as
//! its `source`, and shows the client only the INTERNAL sentence.
//!
//! A resolver's `ApiError` leaves through async-graphql's own conversion
//! (`impl<T: Display> From<T> for async_graphql::Error`), which keeps the
//! value itself as the error's `source`. The request pipeline
//! (`app::pipeline`) reads it back (`ServerError::source::<ApiError>()`) and
//! renders every error's `extensions` ([`render`]: code, field, suggestion,
//! allowed, failedRules, retryAfter) and logs internal causes there, in the
//! one place every error leaves the server, whatever the transport.
//!
//! Outside requests (the CLI, start-up, background tasks) an `ApiError`
//! goes on with `?` into `anyhow` (anyhow's own conversion of a
//! `std::error::Error`: `{:#}` shows the whole chain of causes), or is
//! logged with `error = %e.cause()`. There, where no client and no
//! `x-request-id` exist, an internal error does not read as the client's
//! sentence but as "internal error", followed by its cause.

use std::sync::Arc;

use async_graphql::{ErrorExtensionValues, ServerError};
use sea_orm::DbErr;

/// What went wrong, as the client sees it: `Display` is the client's
/// sentence (see the module documentation for how it leaves the server).
///
/// `Clone`, and so an internal error's cause behind an `Arc`, only because
/// async-graphql asks it of every resolver's error type: its
/// `impl<T, E: Into<Error> + Send + Sync + Clone> OutputType for Result<T, E>`
/// (async-graphql 7.2.1, `src/base.rs:127`) is what `#[Object]`,
/// `#[ComplexObject]` and `#[Subscription]` register a resolver's
/// `ApiResult<T>` through, although the value is never cloned on the way out
/// (the derives convert it with `Into`).
#[derive(Clone, Debug, thiserror::Error)]
pub enum ApiError {
    /// `UNAUTHENTICATED`: no valid bearer token, or wrong credentials.
    #[error("{0}")]
    Unauthenticated(String),
    /// `FORBIDDEN`: signed in, but this role may not do or see this.
    #[error("{0}")]
    Forbidden(String),
    /// `FORBIDDEN`, with `extensions.field`: an input (a filter, a field to
    /// change) this role may not use.
    #[error("{message}")]
    ForbiddenInput {
        /// Input path, e.g. `filter.crisisType`.
        field: String,
        /// Why, in a sentence.
        message: String,
    },
    /// `NOT_FOUND`: no such record (or none this viewer may see); with
    /// `extensions.field` when an argument names it.
    #[error("{message}")]
    NotFound {
        /// The schema's name of the type looked for.
        kind: &'static str,
        /// The argument that named it (`input.familyId`), when one did.
        field: Option<String>,
        /// What was not found, in a sentence.
        message: String,
    },
    /// `BAD_USER_INPUT`, with `extensions.field` (the input path) and, where one
    /// exists, `extensions.suggestion`.
    #[error("{message}")]
    BadInput {
        /// Input path, e.g. `input.languages[1].language`.
        field: String,
        /// What is wrong, in a sentence.
        message: String,
        /// "Did you mean ..." candidates.
        suggestion: Option<String>,
    },
    /// `CONFLICT`: a stale `expectedVersion`, or a move the current state does
    /// not allow. Carries `extensions.allowed` and, for matching rules,
    /// `extensions.failedRules`.
    #[error("{message}")]
    Conflict {
        /// What is in the way, in a sentence.
        message: String,
        /// The transitions allowed from the current state.
        allowed: Vec<String>,
        /// The hard matching rules the pair fails.
        failed_rules: Vec<String>,
    },
    /// `CONFLICT`, with `extensions.field`: the input names something
    /// already taken (one account per volunteer), whoever got there first.
    #[error("{message}")]
    ConflictAt {
        /// Input path, e.g. `input.volunteerId`.
        field: String,
        /// What is in the way, in a sentence.
        message: String,
    },
    /// `TOO_MANY_REQUESTS`, with `extensions.retryAfter`: the seconds after
    /// which the same request may succeed (login throttling, WebSocket limits).
    #[error("{message}")]
    TooManyRequests {
        /// What limit was reached, in a sentence.
        message: String,
        /// Seconds to wait before trying again.
        retry_after_secs: u64,
    },
    /// `INTERNAL`: a fault on our side; the details (its `source`, the
    /// cause with its chain) go to the log only.
    #[error("{}", internal_sentence())]
    Internal(#[source] Arc<anyhow::Error>),
}

/// Shorthand for resolver results.
pub type ApiResult<T> = Result<T, ApiError>;

/// What a resolver adds to the errors of the work it hands down.
pub trait ResultExt {
    /// A NOT_FOUND for a `kind` record that names no argument yet names
    /// `field`: the resolver knows which of its arguments held that ID.
    #[must_use]
    fn naming(self, field: &str, kind: &str) -> Self;
}

impl<T> ResultExt for ApiResult<T> {
    fn naming(self, field: &str, kind: &str) -> Self {
        self.map_err(|err| match err {
            ApiError::NotFound {
                kind: k,
                field: None,
                message,
            } if k == kind => ApiError::NotFound {
                kind: k,
                field: Some(field.to_owned()),
                message: format!("{field}: {message}"),
            },
            other => other,
        })
    }
}

impl ApiError {
    /// A BAD_USER_INPUT for `field`.
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::BadInput {
            field: field.into(),
            message: message.into(),
            suggestion: None,
        }
    }

    /// A BAD_USER_INPUT for `field` with a "did you mean" suggestion.
    pub fn bad_input_with_suggestion(
        field: impl Into<String>,
        message: impl Into<String>,
        suggestion: impl Into<String>,
    ) -> ApiError {
        ApiError::BadInput {
            field: field.into(),
            message: message.into(),
            suggestion: Some(suggestion.into()),
        }
    }

    /// A NOT_FOUND for a `kind` record (its argument, if any, is named by
    /// [`ResultExt::naming`] in the resolver that knows it).
    pub fn not_found(kind: &'static str) -> ApiError {
        ApiError::NotFound {
            kind,
            field: None,
            message: crate::core::locale::text(
                "error-no-such",
                &[("kind", crate::core::locale::s(kind))],
            ),
        }
    }

    /// A NOT_FOUND for the argument `field`, which names no `kind` record.
    pub fn not_found_at(field: &str, kind: &'static str, id: &str) -> ApiError {
        ApiError::NotFound {
            kind,
            field: Some(field.to_owned()),
            message: crate::core::locale::text(
                "error-no-such-id",
                &[
                    ("field", crate::core::locale::s(field)),
                    ("kind", crate::core::locale::s(kind)),
                    ("id", crate::core::locale::s(format!("{id:?}"))),
                ],
            ),
        }
    }

    /// A CONFLICT with nothing more to say than the message.
    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::Conflict {
            message: message.into(),
            allowed: Vec::new(),
            failed_rules: Vec::new(),
        }
    }

    /// The CONFLICT of an `expectedVersion` that is no longer current.
    pub fn stale_version(kind: &str, expected: i32, current: i32) -> ApiError {
        ApiError::conflict(crate::core::locale::text(
            "error-stale-version",
            &[
                ("kind", crate::core::locale::s(kind)),
                ("expected", crate::core::locale::n(expected)),
                ("current", crate::core::locale::n(current)),
            ],
        ))
    }

    /// An internal fault with its cause (logged, never shown).
    pub fn internal(cause: impl Into<anyhow::Error>) -> ApiError {
        ApiError::Internal(Arc::new(cause.into()))
    }

    /// The sentence the client reads (its `Display`).
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// The `extensions.code` of this error.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated(_) => "UNAUTHENTICATED",
            ApiError::Forbidden(_) | ApiError::ForbiddenInput { .. } => "FORBIDDEN",
            ApiError::NotFound { .. } => "NOT_FOUND",
            ApiError::BadInput { .. } => "BAD_USER_INPUT",
            ApiError::Conflict { .. } | ApiError::ConflictAt { .. } => "CONFLICT",
            ApiError::TooManyRequests { .. } => "TOO_MANY_REQUESTS",
            ApiError::Internal(_) => "INTERNAL",
        }
    }
}

/// What the client reads of an internal error: the catalogue's sentence in
/// the request's locale, or, outside a request, where there is neither a
/// client nor an `x-request-id`, plainly "internal error".
fn internal_sentence() -> String {
    if crate::core::locale::in_request() {
        crate::core::locale::text("error-internal", &[])
    } else {
        "internal error".to_owned()
    }
}

/// An error as the log shows it: see [`ApiError::cause`].
#[derive(Debug)]
pub struct Cause<'a>(&'a ApiError);

impl std::fmt::Display for Cause<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            ApiError::Internal(cause) => write!(f, "{cause:#}"),
            other => write!(f, "{}: {other}", other.code()),
        }
    }
}

impl ApiError {
    /// What the log shows: the code and the sentence, or for an internal
    /// error its cause with the whole chain of causes under it.
    pub fn cause(&self) -> Cause<'_> {
        Cause(self)
    }

    /// The `extensions` the client gets with this error: its code and,
    /// by variant, `field`, `suggestion`, `allowed`, `failedRules`,
    /// `retryAfter`.
    pub fn extensions(&self) -> ErrorExtensionValues {
        let mut ext = ErrorExtensionValues::default();
        ext.set("code", self.code());
        match self {
            ApiError::BadInput {
                field, suggestion, ..
            } => {
                ext.set("field", field.as_str());
                if let Some(suggestion) = suggestion {
                    ext.set("suggestion", suggestion.as_str());
                }
            }
            ApiError::ForbiddenInput { field, .. }
            | ApiError::ConflictAt { field, .. }
            | ApiError::NotFound {
                field: Some(field), ..
            } => ext.set("field", field.as_str()),
            ApiError::Conflict {
                allowed,
                failed_rules,
                ..
            } => {
                if !allowed.is_empty() || failed_rules.is_empty() {
                    ext.set("allowed", allowed.clone());
                }
                if !failed_rules.is_empty() {
                    ext.set("failedRules", failed_rules.clone());
                }
            }
            ApiError::TooManyRequests {
                retry_after_secs, ..
            } => ext.set("retryAfter", *retry_after_secs),
            _ => {}
        }
        ext
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> Self {
        ApiError::internal(err)
    }
}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> Self {
        ApiError::internal(err)
    }
}

/// Renders `error` as the client gets it, when an [`ApiError`] raised it
/// (async-graphql keeps the value as its `source`): its
/// [`extensions`](ApiError::extensions), and, for an internal error, its
/// cause logged (inside the request's span, which carries the request id).
/// The request pipeline calls it once for every error it sends; errors
/// without an `ApiError` behind them are left as they are.
pub fn render(error: &mut ServerError) {
    let Some(api) = error.source::<ApiError>() else {
        return;
    };
    if let ApiError::Internal(_) = api {
        tracing::error!(error = %api.cause(), "internal error");
    }
    error.extensions = Some(api.extensions());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::locale::{Locale, scope};

    fn failed_read() -> ApiError {
        let cause = anyhow::anyhow!("unexpected stored enum value \"BOGUS\"")
            .context("reading volunteer 7 into the roster");
        ApiError::internal(cause)
    }

    #[tokio::test]
    async fn an_internal_errors_cause_chain_is_in_its_log_form_and_never_in_the_clients_message() {
        let logged = failed_read().cause().to_string();
        assert!(logged.contains("reading volunteer 7"), "{logged}");
        assert!(logged.contains("BOGUS"), "the whole chain: {logged}");
        // Outside a request, through anyhow (the CLI, start-up, tasks).
        let chained = format!("{:#}", anyhow::Error::from(failed_read()));
        assert!(chained.contains("reading volunteer 7"), "{chained}");
        assert!(chained.contains("BOGUS"), "{chained}");
        assert!(!chained.contains("x-request-id"), "{chained}");

        // Inside a request, what the client gets.
        let (message, mut sent) = scope(Locale::En, async {
            let error = failed_read();
            let sent = async_graphql::Error::from(failed_read());
            (
                error.to_string(),
                sent.into_server_error(Default::default()),
            )
        })
        .await;
        render(&mut sent);
        for said in [message, sent.message.clone()] {
            assert!(said.contains("x-request-id"), "{said}");
            assert!(!said.contains("BOGUS"), "{said}");
            assert!(!said.contains("volunteer 7"), "{said}");
        }
        let extensions = serde_json::to_string(&sent.extensions).unwrap_or_default();
        assert_eq!(extensions, r#"{"code":"INTERNAL"}"#);
    }

    #[test]
    fn every_variant_renders_its_extensions_from_the_error_async_graphql_keeps() {
        let conflict = ApiError::Conflict {
            message: "stale".to_owned(),
            allowed: Vec::new(),
            failed_rules: vec!["TOO_FAR".to_owned()],
        };
        let mut sent = async_graphql::Error::from(conflict).into_server_error(Default::default());
        assert_eq!(sent.message, "stale");
        render(&mut sent);
        let extensions = serde_json::to_value(&sent.extensions).unwrap_or_default();
        assert_eq!(
            extensions,
            serde_json::json!({"code": "CONFLICT", "failedRules": ["TOO_FAR"]})
        );
        let mut sent = async_graphql::Error::from(ApiError::bad_input_with_suggestion(
            "input.language",
            "unknown",
            "sr",
        ))
        .into_server_error(Default::default());
        render(&mut sent);
        let extensions = serde_json::to_value(&sent.extensions).unwrap_or_default();
        assert_eq!(
            extensions,
            serde_json::json!({"code": "BAD_USER_INPUT", "field": "input.language", "suggestion": "sr"})
        );
    }
}
