//! Resource bounds of hostile requests, measured on the `tandem` process
//! itself: each request of issue 19's findings, over HTTP and the
//! WebSocket, costs the server at most 1 s of CPU (user + system time from
//! /proc/<pid>/stat) before it is refused, and all of them together grow
//! its resident memory by at most 50 MB (VmRSS from /proc/<pid>/status).
//! A resource bound, not a timing test: wall-clock time is not measured.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{add_coordinator, login, start};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest, http::HeaderValue};

/// CPU seconds (user + system) the process has used.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The command name may hold spaces; the fields after it do not.
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    ticks as f64 / rustix::param::clock_ticks_per_second() as f64
}

/// Resident memory of the process, in MB.
fn rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .unwrap()
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .unwrap();
    kb / 1024.0
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The upgrade request of a graphql-transport-ws socket.
fn upgrade(addr: &str) -> tokio_tungstenite::tungstenite::handshake::client::Request {
    let mut request = format!("ws://{addr}/graphql/ws")
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    request
}

async fn socket(addr: &str, token: &str) -> Socket {
    let (mut socket, _) = tokio_tungstenite::connect_async(upgrade(addr))
        .await
        .unwrap();
    let init =
        json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}});
    socket.send(Message::text(init.to_string())).await.unwrap();
    let ack = socket.next().await.unwrap().unwrap();
    assert!(ack.to_text().unwrap().contains("connection_ack"), "{ack:?}");
    socket
}

/// One hostile request.
enum Hostile {
    Post(Value),
    Body(String),
    Get(String),
    Socket(String, Value),
}

async fn send(client: &reqwest::Client, addr: &str, token: &str, hostile: &Hostile) -> String {
    match hostile {
        Hostile::Post(body) => {
            let response = client
                .post(format!("http://{addr}/graphql"))
                .bearer_auth(token)
                .json(body)
                .send()
                .await
                .unwrap();
            let status = response.status();
            assert!(status.is_client_error() || status == 200, "{status}");
            response.text().await.unwrap()
        }
        Hostile::Body(body) => {
            let response = client
                .post(format!("http://{addr}/graphql"))
                .bearer_auth(token)
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
                .await
                .unwrap();
            assert!(response.status().is_client_error(), "{}", response.status());
            response.text().await.unwrap()
        }
        Hostile::Get(query) => {
            let response = client
                .get(format!("http://{addr}/graphql"))
                .query(&[("query", query)])
                .send()
                .await
                .unwrap();
            assert!(response.status().is_client_error(), "{}", response.status());
            response.text().await.unwrap()
        }
        Hostile::Socket(query, variables) => {
            let mut socket = socket(addr, token).await;
            let subscribe = json!({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}});
            socket
                .send(Message::text(subscribe.to_string()))
                .await
                .unwrap();
            let answer = tokio::time::timeout(Duration::from_secs(30), socket.next())
                .await
                .expect("an answer")
                .unwrap()
                .unwrap();
            let _ = socket.close(None).await;
            answer.to_text().unwrap_or("").to_owned()
        }
    }
}

fn hostile_requests() -> Vec<(&'static str, Hostile)> {
    let deep = format!("{}\"a\"{}", "[".repeat(2_000), "]".repeat(2_000));
    let deep_query = format!("{{ languages(search: {deep}) {{ code }} }}");
    let mut bomb = String::from("query { me { ...F0 } }\n");
    for i in 0..25 {
        bomb.push_str(&format!(
            "fragment F{i} on User {{ ...F{} ...F{} }}\n",
            i + 1,
            i + 1
        ));
    }
    bomb.push_str("fragment F25 on User { name }\n");
    let logins: String = (0..500)
        .map(|i| {
            format!(
                "l{i}: login(email: \"c@example.org\", password: \"guess number {i}\") {{ token }} "
            )
        })
        .collect();
    let language = "a".repeat(900 * 1024);
    let aliases: String = (0..30)
        .map(|i| format!("v{i}: volunteers(filter: {{language: $l}}) {{ totalCount }} "))
        .collect();
    let deep_json = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    vec![
        (
            "a 2,000-level list over POST",
            Hostile::Post(json!({"query": deep_query})),
        ),
        (
            "a 2,000-level list over GET",
            Hostile::Get(deep_query.clone()),
        ),
        (
            "a 2,000-level list over the WebSocket",
            Hostile::Socket(deep_query, json!({})),
        ),
        (
            "a 25-level fragment bomb over the WebSocket",
            Hostile::Socket(bomb.clone(), json!({})),
        ),
        (
            "a 25-level fragment bomb over POST",
            Hostile::Post(json!({"query": bomb})),
        ),
        (
            "500 login aliases over the WebSocket",
            Hostile::Socket(format!("mutation {{ {logins} }}"), json!({})),
        ),
        (
            "a 900 KB language",
            Hostile::Post(
                json!({"query": "query($l: String) { volunteers(filter: {language: $l}) { totalCount } }", "variables": {"l": language}}),
            ),
        ),
        (
            "30 aliases of a 100 KB language",
            Hostile::Post(
                json!({"query": format!("query($l: String) {{ {aliases} }}"), "variables": {"l": "b".repeat(100 * 1024)}}),
            ),
        ),
        (
            "100,000-level JSON variables",
            Hostile::Body(format!(
                "{{\"query\": \"query($v: String) {{ languages(search: $v) {{ code }} }}\", \"variables\": {{\"v\": {deep_json}}}}}"
            )),
        ),
    ]
}

async fn each_hostile_request_is_bounded(url: &str) {
    add_coordinator(url, "c@example.org");
    let (mut server, addr) = start(url);
    let pid = server.id();
    let client = reqwest::Client::new();
    let token = login(&client, &addr, "c@example.org").await;
    // Warm up: the first requests load what every later one shares.
    for _ in 0..3 {
        client
            .post(format!("http://{addr}/graphql"))
            .bearer_auth(&token)
            .json(&json!({"query": "{ me { email } languages(search: \"ar\") { code } }"}))
            .send()
            .await
            .unwrap();
    }
    let rss_before = rss_mb(pid);
    for (what, hostile) in hostile_requests() {
        let cpu_before = cpu_seconds(pid);
        let answer = send(&client, &addr, &token, &hostile).await;
        let cpu = cpu_seconds(pid) - cpu_before;
        eprintln!(
            "{what}: {cpu:.2} s of CPU, answered {}",
            &answer.chars().take(160).collect::<String>()
        );
        assert!(cpu <= 1.0, "{what} cost {cpu:.2} s of CPU");
        assert!(
            answer.contains("\"code\""),
            "{what} is refused with a code: {answer}"
        );
    }
    // Sockets that never say connection_init: at most 50 per address are
    // held, the rest are refused at the upgrade.
    let mut idle = Vec::new();
    for _ in 0..200 {
        if let Ok((socket, _)) = tokio_tungstenite::connect_async(upgrade(&addr)).await {
            idle.push(socket);
        }
    }
    assert!(idle.len() <= 50, "{} idle sockets held", idle.len());
    let rss = rss_mb(pid) - rss_before;
    eprintln!("resident memory grew by {rss:.1} MB");
    assert!(rss <= 50.0, "resident memory grew by {rss:.1} MB");
    drop(idle);
    let health = client
        .get(format!("http://{addr}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    server.kill().unwrap();
    server.wait().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_hostile_request_costs_under_a_second_of_cpu_and_little_memory_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("hostile.db").display()
    );
    each_hostile_request_is_bounded(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_hostile_request_costs_under_a_second_of_cpu_and_little_memory_on_postgres() {
    let Some(url) = common::fresh_postgres().await else {
        return;
    };
    each_hostile_request_is_bounded(&url).await;
}
