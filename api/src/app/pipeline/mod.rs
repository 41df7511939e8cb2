//! The one door. Every GraphQL request, whether a POST or a GET on
//! `/graphql` or an operation on a WebSocket, is handed to
//! [`Pipeline::run`] as the raw text the transport received, with the
//! caller's token and address; nothing else can execute a request: the
//! schema is a private field of the pipeline.
//!
//! In order, before anything runs:
//! 1. the request is read ([`request::read`]; BAD_REQUEST when it does not read),
//!    and a persisted query's hash stands for its document ([`Persisted`]);
//! 2. the document's length, then its raw text ([`guard::scan`]: bracket
//!    nesting, control characters), before the parser sees it;
//! 3. the parse and the document budget ([`guard::Documents`]);
//! 4. what the transport may run (no mutations over GET, subscriptions only
//!    over the WebSocket);
//! 5. every text input ([`inputs::check`]);
//! 6. authentication (through the session cache);
//! 7. the request's own data, from one function ([`Pipeline::request_data`]).
//!
//! After it ran: every error gets its code and extensions (rendered in
//! `outcome`, from the [`ApiError`] behind it, whose internal causes are
//! logged there),
//! the metrics are counted, and the audit trail is flushed; the answer goes
//! out only once its audit entry is committed. A subscription keeps its
//! request data for its life: before each event its visibility is worked out
//! again (by the access policy's enforcement point, `auth::Enforce`), and
//! each event is delivered only while the session is alive and only once
//! its audit entry is committed (an event whose entry cannot be written is
//! dropped, and logged).

mod outcome;

pub(crate) use outcome::{Outcome, Refusal, Run, Session};
use outcome::{document_refused, refused, request_error, with_codes};

use std::{sync::Arc, time::Instant};

use async_graphql::{Request, Response, Variables};
use async_graphql_parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};
use axum::http::StatusCode;
use futures_util::{StreamExt, stream::BoxStream};

// `outcome` renders coercion errors through `super::coercion`.
use super::{
    coercion,
    complete::Shapes,
    inputs,
    persisted::Persisted,
    request::{self, Raw},
};
use crate::{
    accounts::authenticate_cached,
    accounts::login::{ClientAddr, OneLogin},
    app::guard::{self, Checked, Documents},
    app::schema::{TandemSchema, build_schema},
    audit::{AuditTrail, operation_label},
    auth::Viewer,
    core::error::ApiError,
    core::loaders::loaders,
    core::locale::{Locale, tr},
    core::state::AppState,
};

/// How a request arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Transport {
    /// `GET /graphql`: queries only.
    Get,
    /// `POST /graphql`: queries and mutations.
    Post,
    /// An operation on `/graphql/ws`: anything, subscriptions included.
    WebSocket,
}

/// Who is asking, as the transport saw them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Caller<'a> {
    /// The bearer token, if one was sent.
    pub token: Option<&'a str>,
    /// Where the request came from.
    pub client: ClientAddr,
    /// How.
    pub transport: Transport,
    /// The `Accept-Language` header, if one was sent (HTTP only).
    pub accept_language: Option<&'a str>,
}

/// The request pipeline. See the module documentation.
pub(crate) struct Pipeline {
    schema: TandemSchema,
    shapes: Shapes,
    state: AppState,
    documents: Documents,
    persisted: Persisted,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline").finish_non_exhaustive()
    }
}

/// What a request asked for, kept to complete its results (see [`super::complete`]).
struct Asked {
    checked: Arc<Checked>,
    operation_name: Option<String>,
    variables: Variables,
}

/// A request that passed every check, ready to run.
struct Prepared {
    request: Request,
    asked: Asked,
    trail: Arc<AuditTrail>,
    viewer: Option<Viewer>,
    operation_name: Option<String>,
    label: String,
    subscription: bool,
    locale: Locale,
}

impl Pipeline {
    /// The pipeline serving `state`, with the schema built for it.
    pub(crate) fn new(state: AppState) -> Pipeline {
        let schema = build_schema(state.clone());
        Pipeline {
            shapes: Shapes::new(&schema.sdl()),
            persisted: Persisted::new(&state.settings.persisted_queries),
            schema,
            state,
            documents: Documents::default(),
        }
    }

    /// Runs the request `raw` for `caller`: a query or mutation once, a
    /// subscription as a stream of events.
    pub(crate) async fn run(self: &Arc<Self>, raw: Raw<'_>, caller: Caller<'_>) -> Run {
        let started = Instant::now();
        let asked_for = self.locale_for(caller.accept_language, None);
        let prepared = crate::core::locale::scope(asked_for, self.prepare(raw, caller)).await;
        match prepared {
            Err(outcome) => {
                match &outcome {
                    Outcome::Answer(response) => self.observe(None, started, response),
                    Outcome::Refused(refusal) => {
                        self.state.metrics.observe_request(
                            None,
                            started.elapsed(),
                            &[refusal.code],
                        );
                    }
                    Outcome::SessionEnded => {}
                }
                Run::Once(outcome)
            }
            Ok(prepared) if prepared.subscription => {
                let token = caller.token.map(str::to_owned);
                Run::Events(self.clone().events(prepared, token))
            }
            Ok(prepared) => Run::Once(self.execute(prepared).await),
        }
    }

    /// The locale a caller is answered in: the first of `Accept-Language`
    /// Tandem speaks, else the user's own, else the server's default.
    pub(crate) fn locale_for(&self, accept_language: Option<&str>, user: Option<Locale>) -> Locale {
        accept_language
            .and_then(Locale::from_accept_language)
            .or(user)
            .unwrap_or(self.state.settings.default_locale)
    }

    /// Steps 1 to 7 of the module documentation, in the locale the caller's
    /// `Accept-Language` asks for (the user's own is known only after step 6).
    async fn prepare(&self, raw: Raw<'_>, caller: Caller<'_>) -> Result<Prepared, Outcome> {
        let limits = &self.state.settings.limits;
        let incoming = request::read(raw)
            .map_err(|why| refused(StatusCode::BAD_REQUEST, "BAD_REQUEST", why, None))?;
        let registers = incoming.persisted.is_some() && incoming.query.is_some();
        let query = self
            .persisted
            .resolve(incoming.query, incoming.persisted.as_ref())
            .map_err(Outcome::Refused)?;
        if query.len() > limits.max_document_bytes {
            return Err(refused(
                StatusCode::BAD_REQUEST,
                "BAD_USER_INPUT",
                tr!("error-document-bytes", max = limits.max_document_bytes),
                Some("query"),
            ));
        }
        guard::scan(&query, limits.max_nesting).map_err(document_refused)?;
        let checked = self
            .documents
            .check(&query, incoming.operation_name.as_deref());
        let operation = checked.verdict.clone().map_err(document_refused)?;
        if registers && checked.document.is_some() {
            self.persisted.register(&query);
        }
        let ty = operation.as_ref().map(|o| o.ty);
        self.allowed(caller.transport, ty)?;
        if self.state.settings.production
            && let Some(doc) = &checked.document
            && introspects(doc, incoming.operation_name.as_deref())
        {
            return Err(refused(
                StatusCode::FORBIDDEN,
                "FORBIDDEN",
                tr!("error-introspection-off"),
                Some("query"),
            ));
        }
        if let Some(doc) = &checked.document {
            inputs::check(doc, &incoming.variables, limits.max_nesting).map_err(request_error)?;
        }
        let viewer = self.authenticate(caller).await?;
        let operation_name = incoming
            .operation_name
            .clone()
            .or_else(|| operation.and_then(|o| o.name));
        let label = operation_label(operation_name.as_deref(), checked.document.as_ref(), &query);
        let asked = Asked {
            checked: checked.clone(),
            operation_name: incoming.operation_name.clone(),
            variables: incoming.variables.clone(),
        };
        let mut request = Request::new(query).variables(incoming.variables);
        if let Some(name) = incoming.operation_name {
            request = request.operation_name(name);
        }
        if let Some(doc) = &checked.document {
            let mut marked = doc.clone();
            self.shapes.mark_abstract(&mut marked);
            request.set_parsed_query(marked);
        }
        let locale = self.locale_for(
            caller.accept_language,
            viewer.as_ref().and_then(|v| v.locale),
        );
        let (request, trail) = self.request_data(request, viewer.clone(), caller.client);
        Ok(Prepared {
            locale,
            request,
            asked,
            trail,
            viewer,
            operation_name,
            label,
            subscription: ty == Some(OperationType::Subscription),
        })
    }

    /// What each transport may run.
    fn allowed(&self, transport: Transport, ty: Option<OperationType>) -> Result<(), Outcome> {
        match (transport, ty) {
            (Transport::Get, Some(OperationType::Mutation)) => Err(refused(
                StatusCode::METHOD_NOT_ALLOWED,
                "BAD_REQUEST",
                tr!("error-mutation-over-get"),
                None,
            )),
            (Transport::Get | Transport::Post, Some(OperationType::Subscription)) => Err(refused(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                tr!("error-subscription-over-http"),
                None,
            )),
            _ => Ok(()),
        }
    }

    /// The viewer of `caller`'s token. Over HTTP an unknown token is
    /// anonymous (resolvers then answer UNAUTHENTICATED); on a WebSocket,
    /// which was signed in at `connection_init`, it means the session ended.
    async fn authenticate(&self, caller: Caller<'_>) -> Result<Option<Viewer>, Outcome> {
        let Some(token) = caller.token else {
            return Ok(None);
        };
        match authenticate_cached(&self.state, token).await {
            Ok(Some(viewer)) => Ok(Some(viewer)),
            Ok(None) if caller.transport == Transport::WebSocket => Err(Outcome::SessionEnded),
            Ok(None) => Ok(None),
            Err(e) => {
                tracing::error!(error = %e.cause(), "authentication failed");
                Err(refused(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "INTERNAL",
                    tr!("error-authentication-unavailable"),
                    None,
                ))
            }
        }
    }

    /// The viewer a WebSocket signs in as at `connection_init`.
    pub(crate) async fn sign_in(&self, token: &str) -> Result<Option<Viewer>, ApiError> {
        authenticate_cached(&self.state, token).await
    }

    /// Whether the session of `token` is still valid (through the session
    /// cache: a logout on this replica, or its notification from another,
    /// is seen at once).
    pub(crate) async fn session(&self, token: &str) -> Session {
        match authenticate_cached(&self.state, token).await {
            Ok(Some(_)) => Session::Alive,
            Ok(None) => Session::Ended,
            Err(e) => {
                tracing::warn!(error = %e.cause(), "could not check a WebSocket session");
                Session::Unknown
            }
        }
    }

    /// The one place a request gets its data: its DataLoader, its
    /// visibility, its prefetched families, its audit trail, its client
    /// address, its one login, and its viewer.
    fn request_data(
        &self,
        request: Request,
        viewer: Option<Viewer>,
        client: ClientAddr,
    ) -> (Request, Arc<AuditTrail>) {
        let trail = Arc::new(AuditTrail::default());
        let mut request = request
            .data(loaders(self.state.db.clone()))
            .data(crate::auth::Visibility::default())
            .data(crate::families::Prefetched::default())
            .data(trail.clone())
            .data(client)
            .data(OneLogin::default());
        if let Some(viewer) = viewer {
            request = request.data(viewer);
        }
        (request, trail)
    }

    async fn execute(&self, prepared: Prepared) -> Outcome {
        let started = Instant::now();
        let asked = &prepared.asked;
        let request = prepared.request;
        let response = crate::core::locale::scope(prepared.locale, async {
            let response = self.schema.execute(request).await;
            with_codes(self.completed(asked, response))
        })
        .await;
        self.observe(prepared.operation_name.as_deref(), started, &response);
        match prepared
            .trail
            .flush(&self.state, prepared.viewer.as_ref(), &prepared.label)
            .await
        {
            Ok(()) => Outcome::Answer(Box::new(response)),
            Err(e) => {
                tracing::error!(error = %e.cause(), "could not write the audit trail");
                refused(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "INTERNAL",
                    crate::core::locale::tr_in!(prepared.locale, "error-audit-unwritten"),
                    None,
                )
            }
        }
    }

    fn events(
        self: Arc<Self>,
        prepared: Prepared,
        token: Option<String>,
    ) -> BoxStream<'static, Outcome> {
        let source = self.schema.execute_stream(prepared.request);
        let subscription = Subscription {
            pipeline: self,
            source,
            asked: prepared.asked,
            trail: prepared.trail,
            viewer: prepared.viewer,
            token,
            operation_name: prepared.operation_name,
            label: prepared.label,
            locale: prepared.locale,
        };
        futures_util::stream::unfold(Some(subscription), |subscription| async move {
            let mut subscription = subscription?;
            let outcome = subscription.next_event().await?;
            let more = !matches!(outcome, Outcome::SessionEnded);
            Some((outcome, more.then_some(subscription)))
        })
        .boxed()
    }

    /// `response` as the GraphQL specification would have it: nulls where
    /// fields failed, propagated to the nearest nullable field; fields in
    /// document order.
    fn completed(&self, asked: &Asked, mut response: Response) -> Response {
        if let Some(document) = &asked.checked.document {
            self.shapes.complete(
                document,
                asked.operation_name.as_deref(),
                &asked.variables,
                &mut response,
            );
        }
        response
    }

    fn observe(&self, operation_name: Option<&str>, started: Instant, response: &Response) {
        let codes: Vec<&str> = response
            .errors
            .iter()
            .filter_map(|e| match e.extensions.as_ref()?.get("code")? {
                async_graphql::Value::String(code) => Some(code.as_str()),
                _ => None,
            })
            .collect();
        self.state
            .metrics
            .observe_request(operation_name, started.elapsed(), &codes);
    }
}

/// A subscription's request, kept for its life.
struct Subscription {
    pipeline: Arc<Pipeline>,
    source: BoxStream<'static, Response>,
    asked: Asked,
    trail: Arc<AuditTrail>,
    viewer: Option<Viewer>,
    token: Option<String>,
    operation_name: Option<String>,
    label: String,
    locale: crate::core::locale::Locale,
}

impl Subscription {
    /// The next event to deliver: resolved, its session still alive, its
    /// audit entry committed. `None` when the subscription is over.
    async fn next_event(&mut self) -> Option<Outcome> {
        loop {
            let started = Instant::now();
            let locale = self.locale;
            let response = crate::core::locale::scope(locale, async {
                let response = self.source.next().await?;
                Some(with_codes(self.pipeline.completed(&self.asked, response)))
            })
            .await?;
            if let Some(token) = &self.token {
                match self.pipeline.session(token).await {
                    Session::Alive => {}
                    Session::Ended => return Some(Outcome::SessionEnded),
                    Session::Unknown => continue,
                }
            }
            self.pipeline
                .observe(self.operation_name.as_deref(), started, &response);
            let flushed = self
                .trail
                .flush(&self.pipeline.state, self.viewer.as_ref(), &self.label)
                .await;
            match flushed {
                Ok(()) => return Some(Outcome::Answer(Box::new(response))),
                Err(e) => {
                    tracing::error!(error = %e.cause(), "could not write the audit trail: event dropped");
                }
            }
        }
    }
}

/// Whether the operation of `doc` to run asks for `__schema` or `__type`
/// (in production they are refused with an error, not answered null).
fn introspects(doc: &ExecutableDocument, operation_name: Option<&str>) -> bool {
    fn asks(doc: &ExecutableDocument, set: &SelectionSet, depth: usize) -> bool {
        depth < 8
            && set.items.iter().any(|selection| match &selection.node {
                Selection::Field(field) => {
                    matches!(field.node.name.node.as_str(), "__schema" | "__type")
                }
                Selection::InlineFragment(fragment) => {
                    asks(doc, &fragment.node.selection_set.node, depth + 1)
                }
                Selection::FragmentSpread(spread) => doc
                    .fragments
                    .get(&spread.node.fragment_name.node)
                    .is_some_and(|f| asks(doc, &f.node.selection_set.node, depth + 1)),
            })
    }
    doc.operations
        .iter()
        .filter(|(name, _)| operation_name.is_none_or(|wanted| name.is_some_and(|n| n == wanted)))
        .any(|(_, operation)| asks(doc, &operation.node.selection_set.node, 0))
}
