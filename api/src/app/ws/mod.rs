//! graphql-transport-ws at `/graphql/ws`, over axum's WebSocket.
//!
//! The socket only speaks the protocol: every `subscribe` payload is handed
//! raw to the [pipeline](super::pipeline), exactly as an HTTP body is, with
//! the token the socket signed in with; queries, mutations and
//! subscriptions all go that way. What the socket adds is the protocol's
//! own rules and limits:
//!
//! - `connection_init` within [`Limits::ws_init_timeout`] (else 4408), once
//!   (a second one is 4429), with a valid token as
//!   `{"Authorization": "Bearer <token>"}` or `{"token": "<token>"}` (else
//!   4403 at once);
//! - the session is checked again for every operation and every event, and
//!   every [`Limits::ws_session_check_every`]: logout, expiry or a disabled
//!   account close the socket with 4401;
//! - at most [`Limits::ws_max_subscriptions_per_connection`] operations at
//!   once on a socket and [`Limits::ws_max_subscriptions_per_user`] per user
//!   (an `error` with TOO_MANY_REQUESTS), at most
//!   [`Limits::ws_max_connections_per_user`] sockets per user (4429) and
//!   [`Limits::ws_max_connections_per_address`] per client address (the
//!   upgrade is answered 429);
//! - messages over [`Limits::ws_max_message_bytes`] close the socket with 1009;
//! - anything that is not the protocol closes it with 4400 (4409 for an
//!   operation id already running, 4401 for `subscribe` before the ack,
//!   4406 without the `graphql-transport-ws` subprotocol).
//!
//! Sentences go out in the socket's locale: the upgrade request's
//! `Accept-Language` (quality values honoured), else the signed-in user's
//! own locale, else the server's default, as over HTTP. The close reasons
//! the protocol itself defines ("Unauthorized", "Forbidden", "Invalid
//! message received", ...) stay as the protocol writes them; what Tandem
//! adds after them is in the socket's locale.
//!
//! The legacy `graphql-ws` (subscriptions-transport-ws) protocol is not served.
//!
//! [`Limits::ws_init_timeout`]: crate::core::config::Limits::ws_init_timeout
//! [`Limits::ws_session_check_every`]: crate::core::config::Limits::ws_session_check_every
//! [`Limits::ws_max_subscriptions_per_connection`]: crate::core::config::Limits::ws_max_subscriptions_per_connection
//! [`Limits::ws_max_subscriptions_per_user`]: crate::core::config::Limits::ws_max_subscriptions_per_user
//! [`Limits::ws_max_connections_per_user`]: crate::core::config::Limits::ws_max_connections_per_user
//! [`Limits::ws_max_connections_per_address`]: crate::core::config::Limits::ws_max_connections_per_address
//! [`Limits::ws_max_message_bytes`]: crate::core::config::Limits::ws_max_message_bytes

mod operation;

use std::{borrow::Cow, collections::HashMap, net::IpAddr, sync::Arc};

use axum::{
    extract::{
        State, WebSocketUpgrade,
        ws::{CloseFrame, Message, WebSocket},
    },
    http::{HeaderMap, StatusCode, header},
    response::Response,
};
use futures_util::{SinkExt, StreamExt, stream::SplitSink};
use serde::Deserialize;
use serde_json::{json, value::RawValue};
use tokio::{sync::mpsc, task::AbortHandle};
use uuid::Uuid;

use super::{
    Door,
    client::Client,
    http::refusal_response,
    pipeline::{Refusal, Session},
    sockets::Permit,
};
use crate::{
    accounts::login::ClientAddr,
    core::locale::{Locale, tr_in},
};
use operation::Operation;

/// The subprotocol served.
const PROTOCOL: &str = "graphql-transport-ws";

/// Why the server closes a socket: a close code and its reason.
#[derive(Debug)]
struct Close(u16, Cow<'static, str>);

/// What an operation's task tells the socket.
#[derive(Debug)]
enum Out {
    /// A protocol message to send.
    Send(String),
    /// The operation with this id and serial is over.
    Finished(String, u64),
    /// Close the socket.
    Close(Close),
}

/// `GET /graphql/ws`: counts the client address's sockets, then upgrades.
pub(crate) async fn upgrade(
    State(door): State<Arc<Door>>,
    Client(client): Client,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let limits = door.limits();
    let accept_language: Option<Arc<str>> = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Arc::from);
    let locale = door.pipeline.locale_for(accept_language.as_deref(), None);
    let Some(address) = door
        .sockets
        .by_address
        .admit(client.0, limits.ws_max_connections_per_address)
    else {
        let refusal = Refusal {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: "TOO_MANY_REQUESTS",
            message: tr_in!(locale, "error-ws-too-many-from-address"),
            field: None,
        };
        return refusal_response(&refusal, false);
    };
    let speaks = upgrade
        .requested_protocols()
        .any(|p| p.as_bytes() == PROTOCOL.as_bytes());
    let size = limits.ws_max_message_bytes;
    upgrade
        .protocols([PROTOCOL])
        .max_message_size(size)
        .max_frame_size(size)
        .on_upgrade(move |socket| async move {
            let (sink, stream) = socket.split();
            if speaks {
                Connection::new(door, client, address, accept_language)
                    .serve(sink, stream)
                    .await;
            } else {
                close(sink, Close(4406, "Subprotocol not acceptable".into())).await;
            }
        })
}

async fn close(mut sink: SplitSink<WebSocket, Message>, Close(code, reason): Close) {
    let frame = CloseFrame {
        code,
        reason: reason.as_ref().into(),
    };
    let _ = sink.send(Message::Close(Some(frame))).await;
}

/// A signed-in socket's session.
struct SignedIn {
    token: Arc<str>,
    user: Uuid,
    _slot: Permit<Uuid>,
}

/// An operation running on the socket.
struct Running {
    serial: u64,
    task: AbortHandle,
    _slot: Permit<Uuid>,
}

/// One socket's state.
struct Connection {
    door: Arc<Door>,
    client: ClientAddr,
    _address: Permit<IpAddr>,
    /// The upgrade request's `Accept-Language`, for every operation.
    accept_language: Option<Arc<str>>,
    /// The locale of what the socket itself says (see the module documentation).
    locale: Locale,
    session: Option<SignedIn>,
    operations: HashMap<String, Running>,
    serial: u64,
    outbox: mpsc::Sender<Out>,
    inbox: Option<mpsc::Receiver<Out>>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        for operation in self.operations.values() {
            operation.task.abort();
        }
    }
}

/// The message envelope of graphql-transport-ws.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "type")]
    kind: String,
    id: Option<String>,
    #[serde(borrow)]
    payload: Option<&'a RawValue>,
}

impl Connection {
    fn new(
        door: Arc<Door>,
        client: ClientAddr,
        address: Permit<IpAddr>,
        accept_language: Option<Arc<str>>,
    ) -> Connection {
        let (outbox, inbox) = mpsc::channel(64);
        let locale = door.pipeline.locale_for(accept_language.as_deref(), None);
        Connection {
            door,
            client,
            _address: address,
            accept_language,
            locale,
            session: None,
            operations: HashMap::new(),
            serial: 0,
            outbox,
            inbox: Some(inbox),
        }
    }

    /// Serves the socket until it closes; the reason, if the server closes
    /// it, goes out as the close frame, after every slot was given back.
    async fn serve(
        mut self,
        mut sink: SplitSink<WebSocket, Message>,
        mut stream: futures_util::stream::SplitStream<WebSocket>,
    ) {
        let Some(mut inbox) = self.inbox.take() else {
            return;
        };
        let limits = self.door.limits().clone();
        let init_deadline = tokio::time::sleep(limits.ws_init_timeout);
        tokio::pin!(init_deadline);
        let mut checks = tokio::time::interval(limits.ws_session_check_every);
        checks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut stopping = self.door.stopping.clone();
        let closing = loop {
            tokio::select! {
                message = stream.next() => match message {
                    Some(Ok(Message::Text(text))) => match self.receive(text.as_str()).await {
                        Ok(Some(reply)) => {
                            if sink.send(Message::text(reply)).await.is_err() {
                                break None;
                            }
                        }
                        Ok(None) => {}
                        Err(close) => break Some(close),
                    },
                    Some(Ok(Message::Binary(_))) => {
                        break Some(Close(4400, "graphql-transport-ws messages are text".into()))
                    }
                    Some(Ok(Message::Close(_))) | None => break None,
                    Some(Ok(_)) => {}
                    Some(Err(e)) => break read_error(e),
                },
                Some(out) = inbox.recv() => match out {
                    Out::Send(text) => {
                        if sink.send(Message::text(text)).await.is_err() {
                            break None;
                        }
                    }
                    Out::Finished(id, serial) => self.finished(&id, serial),
                    Out::Close(close) => break Some(close),
                },
                () = &mut init_deadline, if self.session.is_none() => {
                    break Some(Close(4408, "Connection initialisation timeout".into()))
                }
                _ = checks.tick(), if self.session.is_some() => {
                    if let Some(close) = self.check_session().await {
                        break Some(close);
                    }
                }
                _ = stopping.changed() => {
                    break Some(Close(1001, tr_in!(self.locale, "ws-server-stopping").into()))
                }
            }
        };
        drop(self);
        if let Some(closing) = closing {
            close(sink, closing).await;
        }
    }

    /// Handles one text message: `Ok(Some(reply))` to send, `Err` to close.
    async fn receive(&mut self, text: &str) -> Result<Option<String>, Close> {
        let invalid = || Close(4400, "Invalid message received".into());
        let envelope: Envelope<'_> = serde_json::from_str(text).map_err(|_| invalid())?;
        match envelope.kind.as_str() {
            "connection_init" if self.session.is_some() => {
                Err(Close(4429, "Too many initialisation requests".into()))
            }
            "connection_init" => self.init(envelope.payload).await.map(Some),
            "ping" => Ok(Some(json!({"type": "pong"}).to_string())),
            "pong" => Ok(None),
            "subscribe" => {
                let (Some(id), Some(payload)) = (envelope.id, envelope.payload) else {
                    return Err(invalid());
                };
                self.subscribe(id, payload)
            }
            "complete" => {
                if let Some(operation) = envelope.id.and_then(|id| self.operations.remove(&id)) {
                    operation.task.abort();
                }
                Ok(None)
            }
            _ => Err(invalid()),
        }
    }

    /// Starts operation `id`, unless a limit says no.
    fn subscribe(&mut self, id: String, payload: &RawValue) -> Result<Option<String>, Close> {
        let Some(session) = &self.session else {
            return Err(Close(4401, "Unauthorized".into()));
        };
        if self.operations.contains_key(&id) {
            return Err(Close(
                4409,
                format!("Subscriber for {id} already exists").into(),
            ));
        }
        let limits = self.door.limits();
        let slot = if self.operations.len() >= limits.ws_max_subscriptions_per_connection {
            None
        } else {
            self.door
                .sockets
                .operations_by_user
                .admit(session.user, limits.ws_max_subscriptions_per_user)
        };
        let Some(slot) = slot else {
            let message = tr_in!(
                self.locale,
                "error-ws-too-many-operations",
                connection = limits.ws_max_subscriptions_per_connection,
                user = limits.ws_max_subscriptions_per_user,
            );
            let errors = json!([{"message": message, "extensions": {"code": "TOO_MANY_REQUESTS", "retryAfter": 1}}]);
            return Ok(Some(
                json!({"id": id, "type": "error", "payload": errors}).to_string(),
            ));
        };
        self.serial += 1;
        let serial = self.serial;
        let operation = Operation {
            door: self.door.clone(),
            outbox: self.outbox.clone(),
            id: id.clone(),
            token: session.token.clone(),
            client: self.client,
            accept_language: self.accept_language.clone(),
            locale: self.locale,
        };
        let raw = payload.get().to_owned();
        let task = tokio::spawn(operation.run(raw, serial));
        self.operations.insert(
            id,
            Running {
                serial,
                task: task.abort_handle(),
                _slot: slot,
            },
        );
        Ok(None)
    }

    fn finished(&mut self, id: &str, serial: u64) {
        if self
            .operations
            .get(id)
            .is_some_and(|op| op.serial == serial)
        {
            self.operations.remove(id);
        }
    }

    async fn check_session(&self) -> Option<Close> {
        let session = self.session.as_ref()?;
        match self.door.pipeline.session(&session.token).await {
            Session::Ended => Some(session_ended(self.locale)),
            Session::Alive | Session::Unknown => None,
        }
    }
}

fn session_ended(locale: Locale) -> Close {
    let why = tr_in!(locale, "ws-session-ended");
    Close(4401, format!("Unauthorized: {why}").into())
}

impl Connection {
    /// Signs the socket in with the token of `connection_init`; `Err` closes it.
    async fn init(&mut self, payload: Option<&RawValue>) -> Result<String, Close> {
        let locale = self.locale;
        let forbidden = |why: String| Close(4403, format!("Forbidden: {why}").into());
        let token = payload
            .and_then(|raw| serde_json::from_str::<serde_json::Value>(raw.get()).ok())
            .and_then(|payload| token_of(&payload))
            .ok_or_else(|| forbidden(tr_in!(locale, "ws-token-needed")))?;
        let viewer = match self.door.pipeline.sign_in(&token).await {
            Ok(Some(viewer)) => viewer,
            Ok(None) => return Err(forbidden(tr_in!(locale, "ws-token-invalid"))),
            Err(e) => {
                tracing::error!(error = %e.cause(), "WebSocket authentication failed");
                let why = tr_in!(locale, "error-authentication-unavailable");
                return Err(Close(1011, why.into()));
            }
        };
        self.locale = self
            .door
            .pipeline
            .locale_for(self.accept_language.as_deref(), viewer.locale);
        let slot = self
            .door
            .sockets
            .by_user
            .admit(
                viewer.user_id,
                self.door.limits().ws_max_connections_per_user,
            )
            .ok_or_else(|| Close(4429, tr_in!(self.locale, "ws-too-many-for-user").into()))?;
        self.session = Some(SignedIn {
            token: token.into(),
            user: viewer.user_id,
            _slot: slot,
        });
        Ok(json!({"type": "connection_ack"}).to_string())
    }
}

/// The bearer token of a `connection_init` payload.
fn token_of(payload: &serde_json::Value) -> Option<String> {
    let object = payload.as_object()?;
    let header = object
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case("authorization"))
        .and_then(|(_, value)| value.as_str())
        .and_then(crate::accounts::bearer_token);
    header
        .or_else(|| object.get("token").and_then(|v| v.as_str()))
        .map(str::to_owned)
}

/// The close frame for a read that failed: 1009 for a message over the
/// limit, 1007 for text that is not UTF-8, 1002 for a broken frame;
/// nothing when the connection itself is gone.
fn read_error(error: axum::Error) -> Option<Close> {
    use tungstenite::Error;
    match error.into_inner().downcast::<Error>().map(|e| *e) {
        Ok(Error::Capacity(_)) => Some(Close(1009, "Message too big".into())),
        Ok(Error::Utf8(_)) => Some(Close(1007, "Messages are UTF-8 text".into())),
        Ok(Error::Protocol(_)) => Some(Close(1002, "Protocol error".into())),
        _ => None,
    }
}
