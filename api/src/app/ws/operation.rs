//! One operation on a socket, run as its own task: its raw `subscribe`
//! payload goes to the pipeline, and each outcome that comes back goes out
//! as the protocol's `next`, `error` or `complete` (or closes the socket
//! when the session ended).

use std::sync::Arc;

use futures_util::StreamExt;
use serde_json::json;
use tokio::sync::mpsc;

use super::super::{
    Door,
    pipeline::{Caller, Outcome, Run, Transport},
    request::Raw,
};
use super::{Out, session_ended};
use crate::{accounts::login::ClientAddr, core::locale::Locale};

/// One operation, run as its own task: the raw payload goes to the
/// pipeline, and what comes back goes out as protocol messages.
pub(super) struct Operation {
    pub(super) door: Arc<Door>,
    pub(super) outbox: mpsc::Sender<Out>,
    pub(super) id: String,
    pub(super) token: Arc<str>,
    pub(super) client: ClientAddr,
    pub(super) accept_language: Option<Arc<str>>,
    pub(super) locale: Locale,
}

impl Operation {
    pub(super) async fn run(self, raw: String, serial: u64) {
        let caller = Caller {
            token: Some(&self.token),
            client: self.client,
            transport: Transport::WebSocket,
            accept_language: self.accept_language.as_deref(),
        };
        match self
            .door
            .pipeline
            .run(Raw::Json(raw.as_bytes()), caller)
            .await
        {
            Run::Once(outcome) => {
                if self.deliver(outcome, false).await {
                    self.send(json!({"id": self.id, "type": "complete"})).await;
                }
            }
            Run::Events(mut events) => {
                let mut open = true;
                let mut first = true;
                while let Some(outcome) = events.next().await {
                    open = self.deliver(outcome, first).await;
                    first = false;
                    if !open {
                        break;
                    }
                }
                if open {
                    self.send(json!({"id": self.id, "type": "complete"})).await;
                }
            }
        }
        let _ = self.outbox.send(Out::Finished(self.id, serial)).await;
    }

    /// Sends one outcome (`stream_start`: a subscription's first); `false`
    /// when the operation is over with it (an `error`, or the session ended).
    async fn deliver(&self, outcome: Outcome, stream_start: bool) -> bool {
        match outcome {
            // A request error (nothing ran), or a subscription whose event
            // stream could not start (its root field refused): `error`.
            // Other field errors go out in `next`, even when they made
            // `data` null, as graphql-js and graphql-ws do.
            Outcome::Answer(response)
                if response.data == async_graphql::Value::Null
                    && !response.errors.is_empty()
                    && response
                        .errors
                        .iter()
                        .all(|e| e.path.is_empty() || (stream_start && e.path.len() == 1)) =>
            {
                let errors = serde_json::to_value(&response.errors).unwrap_or_else(|_| json!([]));
                self.send(json!({"id": self.id, "type": "error", "payload": errors}))
                    .await;
                false
            }
            Outcome::Answer(response) => {
                let payload = serde_json::to_value(&response).unwrap_or_else(|_| json!({}));
                self.send(json!({"id": self.id, "type": "next", "payload": payload}))
                    .await;
                true
            }
            Outcome::Refused(refusal) => {
                let mut extensions = json!({"code": refusal.code});
                if let Some(field) = &refusal.field {
                    extensions["field"] = json!(field);
                }
                let errors = json!([{"message": refusal.message, "extensions": extensions}]);
                self.send(json!({"id": self.id, "type": "error", "payload": errors}))
                    .await;
                false
            }
            Outcome::SessionEnded => {
                let _ = self
                    .outbox
                    .send(Out::Close(session_ended(self.locale)))
                    .await;
                false
            }
        }
    }

    async fn send(&self, message: serde_json::Value) {
        let _ = self.outbox.send(Out::Send(message.to_string())).await;
    }
}
