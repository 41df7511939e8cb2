//! The one error type at the GraphQL boundary.
//!
//! Each variant says which `extensions.code` the client gets. Internal errors
//! are logged with their cause (inside the request's span, which carries the
//! request id) and shown to the client only as INTERNAL.
//!
//! Outside requests (the CLI, start-up, background tasks) an `ApiError`
//! goes on with `?` into `anyhow` (an internal error as its cause, whole)
//! or is logged with `error = %e.cause()`; neither loses the cause the way
//! [`ApiError::message`], the client's sentence, would.

use std::sync::Arc;

use async_graphql::ErrorExtensions;
use sea_orm::DbErr;

/// What went wrong, as the client sees it.
///
/// Deliberately not `Display` (and so not `std::error::Error`, nor built with
/// `thiserror`): async-graphql turns every `Display` error into a bare
/// message (`impl<T: Display> From<T> for async_graphql::Error`), which would
/// take precedence and drop the code; the only way out to a client is the
/// `From<ApiError> for async_graphql::Error` below, which sets it. `Clone`
/// because async-graphql asks it of resolvers' errors, hence the `Arc`
/// around an internal error's cause. [`ApiError::cause`] is the `Display`
/// for logs, and `From<ApiError> for anyhow::Error` the way into `anyhow`.
#[derive(Clone, Debug)]
pub enum ApiError {
    /// `UNAUTHENTICATED`: no valid bearer token, or wrong credentials.
    Unauthenticated(String),
    /// `FORBIDDEN`: signed in, but this role may not do or see this.
    Forbidden(String),
    /// `FORBIDDEN`, with `extensions.field`: an input (a filter, a field to
    /// change) this role may not use.
    ForbiddenInput {
        /// Input path, e.g. `filter.crisisType`.
        field: String,
        /// Why, in a sentence.
        message: String,
    },
    /// `NOT_FOUND`: no such record (or none this viewer may see); with
    /// `extensions.field` when an argument names it.
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
    ConflictAt {
        /// Input path, e.g. `input.volunteerId`.
        field: String,
        /// What is in the way, in a sentence.
        message: String,
    },
    /// `TOO_MANY_REQUESTS`, with `extensions.retryAfter`: the seconds after
    /// which the same request may succeed (login throttling, WebSocket limits).
    TooManyRequests {
        /// What limit was reached, in a sentence.
        message: String,
        /// Seconds to wait before trying again.
        retry_after_secs: u64,
    },
    /// `INTERNAL`: a fault on our side; the details go to the log only.
    Internal(Arc<anyhow::Error>),
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

    /// The sentence the client reads.
    pub fn message(&self) -> String {
        match self {
            ApiError::Unauthenticated(m) | ApiError::Forbidden(m) => m.clone(),
            ApiError::NotFound { message, .. } => message.clone(),
            ApiError::BadInput { message, .. }
            | ApiError::Conflict { message, .. }
            | ApiError::ConflictAt { message, .. }
            | ApiError::TooManyRequests { message, .. }
            | ApiError::ForbiddenInput { message, .. } => message.clone(),
            ApiError::Internal(_) => crate::core::locale::text("error-internal", &[]),
        }
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

/// An error as the log shows it: see [`ApiError::cause`].
#[derive(Debug)]
pub struct Cause<'a>(&'a ApiError);

impl std::fmt::Display for Cause<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            ApiError::Internal(cause) => write!(f, "{cause:#}"),
            other => write!(f, "{}: {}", other.code(), other.message()),
        }
    }
}

impl ApiError {
    /// What the log shows: the code and the sentence, or for an internal
    /// error its cause with the whole chain of causes under it.
    pub fn cause(&self) -> Cause<'_> {
        Cause(self)
    }
}

/// Into `anyhow` (outside requests): an internal error becomes its cause,
/// kept whole; any other is its code and sentence.
impl From<ApiError> for anyhow::Error {
    fn from(err: ApiError) -> Self {
        match err {
            ApiError::Internal(cause) => {
                Arc::try_unwrap(cause).unwrap_or_else(|shared| anyhow::anyhow!("{shared:#}"))
            }
            other => anyhow::anyhow!("{}", other.cause()),
        }
    }
}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> Self {
        ApiError::internal(err)
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> Self {
        ApiError::Internal(Arc::new(err))
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        if let ApiError::Internal(cause) = &err {
            tracing::error!(error = ?cause, "internal error");
        }
        let code = err.code();
        async_graphql::Error::new(err.message()).extend_with(|_, ext| {
            ext.set("code", code);
            match &err {
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
        })
    }
}
