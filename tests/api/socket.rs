//! A graphql-transport-ws client for the tests: open a socket, say
//! `connection_init`, subscribe, read messages and close codes.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tests::TestApp;
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest, http::HeaderValue};

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens a socket speaking graphql-transport-ws, without `connection_init`.
pub async fn open(app: &TestApp) -> Socket {
    try_open(app, &[]).await.expect("the upgrade is accepted")
}

/// Opens a socket with extra request headers; `Err` carries the refusal.
pub async fn try_open(
    app: &TestApp,
    headers: &[(&'static str, &str)],
) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
    let mut request = format!("ws://{}/graphql/ws", app.addr)
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    for (name, value) in headers {
        request
            .headers_mut()
            .insert(*name, HeaderValue::from_str(value).unwrap());
    }
    tokio_tungstenite::connect_async(request)
        .await
        .map(|(socket, _)| socket)
}

/// Sends one protocol message.
pub async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::text(message.to_string()))
        .await
        .unwrap();
}

/// Sends `connection_init` with `token` as the bearer token.
pub async fn init(socket: &mut Socket, token: Option<&str>) {
    let payload = match token {
        Some(token) => json!({"Authorization": format!("Bearer {token}")}),
        None => json!({}),
    };
    send(
        socket,
        json!({"type": "connection_init", "payload": payload}),
    )
    .await;
}

/// Opens a socket as the app's signed-in user and waits for the ack.
pub async fn connect(app: &TestApp) -> Socket {
    connect_with(app, &[]).await
}

/// Like [`connect`], with extra headers on the upgrade request.
pub async fn connect_with(app: &TestApp, headers: &[(&'static str, &str)]) -> Socket {
    let mut socket = try_open(app, headers)
        .await
        .expect("the upgrade is accepted");
    init(&mut socket, app.token.as_deref()).await;
    let ack = next_json(&mut socket).await;
    assert_eq!(ack["type"], "connection_ack", "{ack:#}");
    socket
}

/// Starts operation `id` on an acknowledged socket.
pub async fn start(socket: &mut Socket, id: &str, query: &str, variables: Value) {
    send(
        socket,
        json!({"id": id, "type": "subscribe", "payload": {"query": query, "variables": variables}}),
    )
    .await;
}

/// Opens a connection as the app's user and subscribes as operation "1".
pub async fn subscribe(app: &TestApp, query: &str, variables: Value) -> Socket {
    let mut socket = connect(app).await;
    start(&mut socket, "1", query, variables).await;
    socket
}

/// Runs one operation over `socket` and returns its first answer (`next` or `error`).
pub async fn ask(socket: &mut Socket, id: &str, query: &str, variables: Value) -> Value {
    start(socket, id, query, variables).await;
    loop {
        let message = next_json(socket).await;
        if message["id"] == id && message["type"] != "complete" {
            return message;
        }
    }
}

/// The next text message, as JSON (5 s at most; pings are answered).
pub async fn next_json(socket: &mut Socket) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("a message within 5 s")
            .expect("the socket is open")
            .expect("a message, not an error");
        match message {
            Message::Text(text) => return serde_json::from_str(&text).unwrap(),
            Message::Close(frame) => panic!("closed: {frame:?}"),
            _ => {}
        }
    }
}

/// The close code the server ends the socket with (10 s at most), skipping
/// any messages before it; `None` when the connection drops without one.
pub async fn close_code(socket: &mut Socket) -> Option<u16> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let message = tokio::time::timeout_at(deadline, socket.next())
            .await
            .expect("the server closes the socket within 10 s");
        match message {
            Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
            Some(Ok(_)) => {}
            Some(Err(_)) | None => return None,
        }
    }
}
