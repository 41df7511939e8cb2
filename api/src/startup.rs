//! The one seam: `Application::build(settings)` connects and migrates the
//! database, binds the listener and wires the routes. `main` and every test
//! start the server through it.

use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{
    GraphQLProtocol, GraphQLRequest, GraphQLWebSocket, rejection::GraphQLRejection,
};
use async_graphql_parser::types::OperationType;
use axum::{
    Router,
    extract::{State, WebSocketUpgrade},
    http::{HeaderMap, HeaderName, Method, StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tower_http::{
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

use crate::{
    accounts::{authenticate, authenticate_cached},
    config::Settings,
    db::{self, StatementCounter},
    loaders::loaders,
    privacy::AuditTrail,
    schema::{TandemSchema, build_schema},
    state::AppState,
};

/// Largest accepted request body.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A server that is bound and ready to run.
#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

/// What every HTTP request reaches, behind one `Arc` (cloned per request).
struct HttpState {
    schema: TandemSchema,
    app: AppState,
    statements: StatementCounter,
    documents: crate::guard::Documents,
}

impl Application {
    /// Connects to the database, applies migrations, seeds the demo network
    /// when asked, and binds `settings.bind` (port 0 picks a free port).
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let (db, statements) = db::connect(&settings).await?;
        db::migrate(&db).await?;
        let listener = crate::changes::subscribe(&db).await?;
        let state = AppState::new(db, settings)
            .await
            .map_err(|e| anyhow::anyhow!(e.message()))?;
        crate::changes::spawn_listener(state.clone(), listener);
        if state.settings.demo {
            crate::demo::seed(&state).await?;
        }
        let listener = TcpListener::bind(state.settings.bind).await?;
        let router = router(state.clone(), statements);
        Ok(Application {
            listener,
            router,
            state,
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The database pool (for tests and the CLI).
    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests in flight.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `shutdown` completes.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        use axum::serve::ListenerExt;
        // Answers go out as soon as they are written, not held back by
        // Nagle's algorithm waiting for the client's ACK.
        let listener = self.listener.tap_io(|stream| {
            if let Err(e) = stream.set_nodelay(true) {
                tracing::debug!(error = %e, "could not set TCP_NODELAY on a connection");
            }
        });
        axum::serve(listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await
    }
}

fn router(app: AppState, statements: StatementCounter) -> Router {
    let settings = app.settings.clone();
    let state = Arc::new(HttpState {
        schema: build_schema(app.clone()),
        app,
        statements,
        documents: crate::guard::Documents::default(),
    });
    let request_id = HeaderName::from_static("x-request-id");
    let mut router = Router::new()
        .route("/graphql", get(graphql).post(graphql))
        .route("/graphql/ws", get(graphql_ws))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics));
    if !settings.production {
        router = router.route("/", get(graphiql));
    }
    router
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            settings.request_timeout,
        ))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), uri = %req.uri(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

async fn graphql(
    State(state): State<Arc<HttpState>>,
    method: Method,
    headers: HeaderMap,
    request: Result<GraphQLRequest, GraphQLRejection>,
) -> Response {
    if method == Method::POST {
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let json = content_type.starts_with("application/json")
            || content_type.starts_with("application/graphql-response+json");
        if !json {
            return (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "POST bodies must be application/json",
            )
                .into_response();
        }
    }
    let request = match request {
        Ok(request) => request,
        Err(rejection) => return rejection.into_response(),
    };
    let mut request = request.into_inner();
    let mut operation_name = request.operation_name.clone();
    // Parsed and checked once per document text (see `guard::Documents`),
    // then executed by async-graphql. A document that does not parse goes on
    // unparsed, and async-graphql reports the syntax error itself.
    let checked = state
        .documents
        .check(&request.query, request.operation_name.as_deref());
    match checked.verdict.clone() {
        Err(refusal) => {
            let body = serde_json::json!({"errors": [{
                "message": format!("document refused: {refusal}"),
                "extensions": {"code": "BAD_USER_INPUT", "field": "query"},
            }]});
            return (StatusCode::BAD_REQUEST, axum::Json(body)).into_response();
        }
        Ok(Some(op)) if op.ty == OperationType::Mutation && method == Method::GET => {
            return (
                StatusCode::METHOD_NOT_ALLOWED,
                [(header::ALLOW, "POST")],
                "mutations must be sent with POST",
            )
                .into_response();
        }
        Ok(op) => {
            if operation_name.is_none() {
                operation_name = op.and_then(|o| o.name);
            }
        }
    }
    if let Some(doc) = &checked.document {
        request.set_parsed_query(doc.clone());
    }
    let trail = Arc::new(AuditTrail::default());
    let operation = crate::privacy::operation_label(
        operation_name.as_deref(),
        checked.document.as_ref(),
        &request.query,
    );
    let mut request = request
        .data(loaders(state.app.db.clone()))
        .data(crate::access::Visibility::default())
        .data(crate::families::Prefetched::default())
        .data(trail.clone());
    let mut viewer = None;
    if let Some(token) = bearer_token(&headers) {
        match authenticate_cached(&state.app, token).await {
            Ok(Some(v)) => {
                viewer = Some(v.clone());
                request = request.data(v);
            }
            Ok(None) => {}
            Err(e) => {
                tracing::error!(error = %e.message(), "authentication failed");
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "authentication is unavailable",
                )
                    .into_response();
            }
        }
    }
    let started = std::time::Instant::now();
    let response = state.schema.execute(request).await;
    let codes: Vec<&str> = response
        .errors
        .iter()
        .map(|e| {
            e.extensions
                .as_ref()
                .and_then(|x| x.get("code"))
                .and_then(|v| match v {
                    async_graphql::Value::String(s) => Some(s.as_str()),
                    _ => None,
                })
                .unwrap_or("BAD_USER_INPUT")
        })
        .collect();
    state
        .app
        .metrics
        .observe_request(operation_name.as_deref(), started.elapsed(), &codes);
    if let Err(e) = trail
        .flush(&state.app.audit, viewer.as_ref(), &operation)
        .await
    {
        tracing::error!(error = %e.message(), "could not write the audit trail");
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the audit trail could not be written",
        )
            .into_response();
    }
    respond(&headers, response)
}

/// The GraphQL-over-HTTP response: `application/graphql-response+json` when
/// the client accepts it (then a request error, a document that does not
/// parse or validate, is 400 without `data`), `application/json` otherwise.
fn respond(headers: &HeaderMap, response: async_graphql::Response) -> Response {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let graphql_response = accept.contains("application/graphql-response+json");
    let content_type = if graphql_response {
        "application/graphql-response+json; charset=utf-8"
    } else {
        "application/json; charset=utf-8"
    };
    if response.errors.is_empty() {
        // Nothing to add a code to: serialize once, straight to bytes.
        if let Ok(body) = serde_json::to_vec(&response) {
            return (StatusCode::OK, [(header::CONTENT_TYPE, content_type)], body).into_response();
        }
    }
    let request_error = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    let mut body = serde_json::to_value(&response).unwrap_or_else(|_| serde_json::json!({}));
    // Errors async-graphql raises itself (syntax, validation, variable
    // coercion, limits) carry no code: they are all bad input.
    if let Some(errors) = body.get_mut("errors").and_then(|e| e.as_array_mut()) {
        for error in errors {
            let has_code = error.pointer("/extensions/code").is_some();
            if !has_code && let Some(map) = error.as_object_mut() {
                let extensions = map
                    .entry("extensions")
                    .or_insert_with(|| serde_json::json!({}));
                if let Some(ext) = extensions.as_object_mut() {
                    ext.insert("code".into(), "BAD_USER_INPUT".into());
                }
            }
        }
    }
    let status = if graphql_response && request_error {
        if let Some(map) = body.as_object_mut() {
            map.remove("data");
        }
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    (
        status,
        [(header::CONTENT_TYPE, content_type)],
        body.to_string(),
    )
        .into_response()
}

/// graphql-transport-ws; the connection payload carries the bearer token as
/// `{"Authorization": "Bearer <token>"}` (or `{"token": "<token>"}`).
async fn graphql_ws(
    State(state): State<Arc<HttpState>>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let schema = state.schema.clone();
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            let db = state.app.db.clone();
            GraphQLWebSocket::new(socket, schema, protocol)
                .on_connection_init(move |payload| async move {
                    let token = ["Authorization", "authorization"]
                        .iter()
                        .find_map(|k| payload.get(k).and_then(|v| v.as_str()))
                        .and_then(|v| v.strip_prefix("Bearer "))
                        .or_else(|| payload.get("token").and_then(|v| v.as_str()))
                        .map(str::to_owned);
                    let mut data = async_graphql::Data::default();
                    data.insert(loaders(db.clone()));
                    data.insert(crate::access::Visibility::default());
                    if let Some(token) = token
                        && let Ok(Some(viewer)) = authenticate(&db, &token).await
                    {
                        data.insert(viewer);
                    }
                    Ok(data)
                })
                .serve()
        })
}

async fn graphiql() -> Html<String> {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .subscription_endpoint("/graphql/ws")
            .title("Tandem")
            .finish(),
    )
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<Arc<HttpState>>) -> Response {
    let ping = tokio::time::timeout(Duration::from_secs(3), async {
        state.app.db.ping().await?;
        db::migrations_current(&state.app.db).await
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

async fn metrics(State(state): State<Arc<HttpState>>) -> Response {
    let index_size = state.app.roster.read().map(|r| r.len()).unwrap_or(0);
    let register_size = state.app.families.len();
    let body =
        state
            .app
            .metrics
            .render(&state.app.db, index_size, register_size, &state.statements);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
