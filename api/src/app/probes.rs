//! What is not GraphQL: health, readiness, metrics and GraphiQL.

use std::{sync::Arc, time::Duration};

use async_graphql::http::GraphiQLSource;
use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{Html, IntoResponse, Response},
};

use super::Door;
use crate::{core::db, families::register::SharedRegister, volunteers::roster::SharedRoster};

/// `GET /`: GraphiQL (not in production).
pub(crate) async fn graphiql() -> Html<String> {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .subscription_endpoint("/graphql/ws")
            .title("Tandem")
            .finish(),
    )
}

/// `GET /healthz`: the process is up.
pub(crate) async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: the database answers and every migration is applied.
pub(crate) async fn readyz(State(door): State<Arc<Door>>) -> Response {
    let db = &door.state.db;
    let ping = tokio::time::timeout(Duration::from_secs(3), async {
        db.ping().await?;
        db::migrations_current(db).await
    })
    .await;
    match ping {
        Ok(Ok(true)) => (StatusCode::OK, "ready").into_response(),
        Ok(Ok(false)) => (StatusCode::SERVICE_UNAVAILABLE, "migrations pending").into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = ?e, "database not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database timed out").into_response(),
    }
}

/// `GET /metrics`: Prometheus text.
pub(crate) async fn metrics(State(door): State<Arc<Door>>) -> Response {
    let state = &door.state;
    let index_size = state.part::<SharedRoster>().map_or(0, |r| r.len());
    let register_size = state.part::<SharedRegister>().map_or(0, |r| r.len());
    let body = state
        .metrics
        .render(&state.db, index_size, register_size, &door.statements);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}
