//! The server's front: transports, the request pipeline and the routes.
//!
//! - [`pipeline`]: the one door every GraphQL request goes through, over any
//!   transport: limits, the document guard, input hygiene, authentication,
//!   the request's data, metrics and the audit trail. It owns the schema.
//! - [`http`]: `POST/GET /graphql`; [`ws`]: graphql-transport-ws at
//!   `/graphql/ws`. Both hand raw requests to the pipeline and nothing else.
//! - [`complete`]: results as the GraphQL specification has them (nulls
//!   propagated to the nearest nullable field, fields in document order).
//! - [`persisted`]: automatic persisted queries (document by hash), and
//!   the allow-list mode.
//! - [`request`]: reading a raw request; [`inputs`]: every text input
//!   checked; [`coercion`]: values that do not coerce named in `field`; [`client`]: the client address; [`sockets`]: WebSocket slots
//!   per address and per user.
//! - [`probes`]: `/healthz`, `/readyz`, `/metrics`, GraphiQL at `/`.
//! - [`serve`]: the accept loop (header read timeout, graceful stop).

pub mod cli;
mod client;
mod coercion;
mod complete;
pub mod guard;
mod http;
mod inputs;
mod persisted;
mod pipeline;
mod probes;
mod request;
pub mod schema;
mod serve;
mod sockets;
pub mod startup;
pub mod subscriptions;
mod ws;

use std::{future::Future, sync::Arc};

use axum::{
    Router,
    extract::Request,
    http::{HeaderName, StatusCode},
    routing::get,
};
use tokio::{net::TcpListener, sync::watch};
use tower_http::{
    cors::{AllowOrigin, CorsLayer},
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

use crate::{core::config::Limits, core::db::StatementCounter, core::state::AppState};

/// What every route reaches, behind one `Arc`.
#[derive(Debug)]
pub(crate) struct Door {
    pipeline: Arc<pipeline::Pipeline>,
    sockets: sockets::Sockets,
    state: AppState,
    statements: StatementCounter,
    /// Turns true when the server stops: open WebSockets close (1001).
    stopping: watch::Receiver<bool>,
}

impl Door {
    fn limits(&self) -> &Limits {
        &self.state.settings.limits
    }
}

/// The routes of a server, ready to serve.
#[derive(Debug)]
pub(crate) struct App {
    router: Router,
    stop: watch::Sender<bool>,
    header_read_timeout: std::time::Duration,
}

/// The header Tandem's own request id travels in.
const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Where a request id the client sent is kept, to be logged, never echoed.
const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("x-client-request-id");

impl App {
    /// The routes serving `state`.
    pub(crate) fn new(state: AppState, statements: StatementCounter) -> App {
        let settings = state.settings.clone();
        let (stop, stopping) = watch::channel(false);
        let door = Arc::new(Door {
            pipeline: Arc::new(pipeline::Pipeline::new(state.clone())),
            sockets: sockets::Sockets::default(),
            state,
            statements,
            stopping,
        });
        let mut router = Router::new()
            .route("/graphql", get(http::graphql).post(http::graphql))
            .route("/graphql/ws", get(ws::upgrade))
            .route("/healthz", get(probes::healthz))
            .route("/readyz", get(probes::readyz))
            .route("/metrics", get(probes::metrics));
        if !settings.production {
            router = router.route("/", get(probes::graphiql));
        }
        let router = router
            .with_state(door)
            .layer(RequestBodyLimitLayer::new(settings.limits.max_body_bytes))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                settings.request_timeout,
            ))
            .layer(tower::util::option_layer(cors(&settings.cors_origins)))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(
                TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                    let header = |name: &HeaderName| {
                        req.headers()
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("-")
                            .to_owned()
                    };
                    tracing::info_span!(
                        "request",
                        method = %req.method(),
                        uri = %req.uri(),
                        request_id = %header(&REQUEST_ID),
                        client_request_id = %header(&CLIENT_REQUEST_ID),
                    )
                }),
            )
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(axum::middleware::map_request(set_aside_client_request_id));
        App {
            router,
            stop,
            header_read_timeout: settings.limits.header_read_timeout,
        }
    }

    /// Serves on `listener` until `shutdown` completes; open WebSockets are
    /// closed then, and requests in flight finish.
    pub(crate) async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let stop = self.stop;
        let shutdown = async move {
            shutdown.await;
            let _ = stop.send(true);
        };
        serve::serve(listener, self.router, self.header_read_timeout, shutdown).await
    }
}

/// Cross-origin requests from the browser origins of `TANDEM_CORS_ORIGINS`
/// (none by default: then no CORS header is ever sent). Bearer tokens, not
/// cookies: credentials are not allowed.
fn cors(origins: &[String]) -> Option<CorsLayer> {
    use axum::http::{HeaderValue, Method, header};
    if origins.is_empty() {
        return None;
    }
    let allow_origin = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow_origin)
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::ACCEPT,
                header::ACCEPT_LANGUAGE,
                CLIENT_REQUEST_ID,
                REQUEST_ID,
                HeaderName::from_static("apollographql-client-name"),
                HeaderName::from_static("apollographql-client-version"),
            ])
            .expose_headers([REQUEST_ID])
            .max_age(std::time::Duration::from_secs(600)),
    )
}

/// Tandem makes its own request id: one a client sent moves to
/// `x-client-request-id` (logged beside ours), so that it is never taken,
/// logged or echoed as ours.
async fn set_aside_client_request_id(mut request: Request) -> Request {
    if let Some(theirs) = request.headers_mut().remove(&REQUEST_ID) {
        request.headers_mut().insert(CLIENT_REQUEST_ID, theirs);
    }
    request
}
