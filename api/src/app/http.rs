//! GraphQL over HTTP at `/graphql`: `POST` with a JSON body, `GET` with
//! parameters. The handler hands the raw body or query string to the
//! [pipeline](super::pipeline) and writes what comes back as the
//! GraphQL-over-HTTP specification says.

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::{RawQuery, State, rejection::BytesRejection},
    http::{HeaderMap, Method, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::{
    Door,
    client::Client,
    pipeline::{Caller, Outcome, Refusal, Run, Transport},
    request::Raw,
};
use crate::core::locale::{Locale, tr_in};

/// `POST/GET /graphql`.
pub(crate) async fn graphql(
    State(door): State<Arc<Door>>,
    Client(client): Client,
    method: Method,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let graphql_response = accepts_graphql_response(&headers);
    let accept_language = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let locale = door.pipeline.locale_for(accept_language, None);
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::accounts::bearer_token);
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            let refusal = bad_request(rejection.status(), tr_in!(locale, "error-body-unread"));
            return refusal_response(&refusal, graphql_response);
        }
    };
    let (raw, transport) = if method == Method::POST {
        if !is_json(&headers) {
            let refusal = bad_request(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                tr_in!(locale, "error-body-not-json-type"),
            );
            return refusal_response(&refusal, graphql_response);
        }
        (Raw::Json(&body), Transport::Post)
    } else {
        (Raw::Params(query.as_deref().unwrap_or("")), Transport::Get)
    };
    let caller = Caller {
        token,
        client,
        transport,
        accept_language,
    };
    match door.pipeline.run(raw, caller).await {
        Run::Once(Outcome::Answer(response)) => respond(graphql_response, *response, locale),
        Run::Once(Outcome::Refused(refusal)) => refusal_response(&refusal, graphql_response),
        Run::Once(Outcome::SessionEnded) | Run::Events(_) => {
            let refusal = bad_request(StatusCode::BAD_REQUEST, tr_in!(locale, "error-not-http"));
            refusal_response(&refusal, graphql_response)
        }
    }
}

fn bad_request(status: StatusCode, message: String) -> Refusal {
    Refusal {
        status,
        code: "BAD_REQUEST",
        message,
        field: None,
    }
}

/// POST bodies must be JSON: cross-site "simple requests" (text/plain,
/// forms) cannot carry a mutation.
fn is_json(headers: &HeaderMap) -> bool {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    content_type.starts_with("application/json")
        || content_type.starts_with("application/graphql-response+json")
}

fn accepts_graphql_response(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("application/graphql-response+json"))
}

fn content_type(graphql_response: bool) -> &'static str {
    if graphql_response {
        "application/graphql-response+json; charset=utf-8"
    } else {
        "application/json; charset=utf-8"
    }
}

/// A refusal as a GraphQL error body with its status (and `Allow: POST`
/// for a 405).
pub(crate) fn refusal_response(refusal: &Refusal, graphql_response: bool) -> Response {
    let mut extensions = serde_json::json!({"code": refusal.code});
    if let Some(field) = &refusal.field {
        extensions["field"] = serde_json::json!(field);
    }
    let body =
        serde_json::json!({"errors": [{"message": refusal.message, "extensions": extensions}]});
    let mut response = (
        refusal.status,
        [(header::CONTENT_TYPE, content_type(graphql_response))],
        body.to_string(),
    )
        .into_response();
    if refusal.status == StatusCode::METHOD_NOT_ALLOWED {
        response
            .headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
    }
    response
}

/// The GraphQL-over-HTTP response: `application/graphql-response+json` when
/// the client accepts it (then a request error, a document that does not
/// parse or validate, is 400 without `data`), `application/json` otherwise.
fn respond(graphql_response: bool, response: async_graphql::Response, locale: Locale) -> Response {
    let content_type = content_type(graphql_response);
    let request_error = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    let status = if graphql_response && request_error {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let body = if status == StatusCode::BAD_REQUEST {
        serde_json::to_vec(&serde_json::json!({ "errors": response.errors }))
    } else {
        serde_json::to_vec(&response)
    };
    match body {
        Ok(body) => (status, [(header::CONTENT_TYPE, content_type)], body).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "could not serialise a response");
            let refusal = Refusal {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                code: "INTERNAL",
                message: tr_in!(locale, "error-response-unwritten"),
                field: None,
            };
            refusal_response(&refusal, graphql_response)
        }
    }
}
