//! What the pipeline answers: a request's [`Outcome`] (an answer, a
//! refusal before anything ran, or the end of a WebSocket's session), the
//! stream of them for a subscription, whether a session is still alive;
//! and how refusals and errors are rendered for the client, each error with
//! its code and extensions.

use async_graphql::{Response, ServerError};
use axum::http::StatusCode;
use futures_util::stream::BoxStream;

use crate::{app::guard, core::error::ApiError, core::locale::tr};

/// A request refused before anything ran.
#[derive(Clone, Debug)]
pub(crate) struct Refusal {
    /// The HTTP status (the WebSocket sends an `error` message instead).
    pub status: StatusCode,
    /// `extensions.code`.
    pub code: &'static str,
    /// What is wrong, in a sentence.
    pub message: String,
    /// `extensions.field`, when one input is to blame.
    pub field: Option<String>,
}

/// What became of a request.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// It ran (or async-graphql refused it): data and/or errors, each error with a code.
    Answer(Box<Response>),
    /// Refused before anything ran.
    Refused(Refusal),
    /// The WebSocket's session has ended (logout, expiry, revocation): the socket closes.
    SessionEnded,
}

/// A request's outcome, or, for a subscription, the stream of them.
pub(crate) enum Run {
    /// One outcome.
    Once(Outcome),
    /// One outcome per event.
    Events(BoxStream<'static, Outcome>),
}

/// Whether a session is still valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Session {
    /// It is.
    Alive,
    /// It is not (logged out, expired, revoked, account gone).
    Ended,
    /// It could not be checked now (the database did not answer).
    Unknown,
}

pub(super) fn refused(
    status: StatusCode,
    code: &'static str,
    message: impl Into<String>,
    field: Option<&str>,
) -> Outcome {
    Outcome::Refused(Refusal {
        status,
        code,
        message: message.into(),
        field: field.map(str::to_owned),
    })
}

pub(super) fn document_refused(why: guard::Refusal) -> Outcome {
    let reason = match why {
        guard::Refusal::TooLarge => tr!("error-document-too-large"),
        guard::Refusal::RecursiveFragment(name) => {
            tr!("error-document-recursive-fragment", name = name)
        }
        guard::Refusal::UnknownFragment(name) => {
            tr!("error-document-unknown-fragment", name = name)
        }
        guard::Refusal::TooDeep => tr!("error-document-fragments-too-deep"),
        guard::Refusal::TooManyAliases => tr!("error-document-too-many-aliases"),
        guard::Refusal::TooManyDirectives => tr!("error-document-too-many-directives"),
        guard::Refusal::NestedTooDeep(max) => tr!("error-document-nested-too-deep", max = max),
        guard::Refusal::ControlCharacter => tr!("error-document-control-character"),
    };
    refused(
        StatusCode::BAD_REQUEST,
        "BAD_USER_INPUT",
        tr!("error-document-refused", reason = reason),
        Some("query"),
    )
}

/// An error raised before execution, as async-graphql would report it.
pub(super) fn request_error(error: ApiError) -> Outcome {
    let error = async_graphql::Error::from(error);
    let mut server_error = ServerError::new(error.message, None);
    server_error.source = error.source;
    crate::core::error::render(&mut server_error);
    Outcome::Answer(Box::new(Response::from_errors(vec![server_error])))
}

/// Every error of `response` as the client gets it. An error an
/// [`ApiError`] raised (in a resolver, a guard, the enforcement point) is
/// rendered from it ([`crate::core::error::render`]: its extensions, its
/// cause logged). Errors async-graphql raises itself (syntax, validation,
/// variable coercion, limits) carry no code: they are all bad input; a
/// value that does not coerce names its input in `field`
/// ([`super::coercion`]).
pub(super) fn with_codes(mut response: Response) -> Response {
    for error in &mut response.errors {
        crate::core::error::render(error);
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_none() {
            extensions.set("code", "BAD_USER_INPUT");
            if let Some((field, sentence)) = super::coercion::explain(&error.message) {
                extensions.set("field", field);
                error.message = sentence;
            } else if let Some(sentence) = super::coercion::limit(&error.message) {
                error.message = sentence;
            }
        }
    }
    response
}
