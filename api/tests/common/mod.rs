//! Running `tandem serve` as a process, and speaking GraphQL to it.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
};

use serde_json::{Value, json};

/// Starts `tandem serve` on `url`, on a free port; returns the process and its address.
pub fn start(url: &str) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // The address comes in the start-up line ("Tandem luistert op http://..."
    // in the default locale); a server that never prints it fails the test
    // within a minute instead of hanging it.
    let stderr = child.stderr.take().unwrap();
    let (found, address) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if !sent && let Some(rest) = line.split(" http://").nth(1) {
                sent = found
                    .send(
                        rest.split_whitespace()
                            .next()
                            .unwrap_or_default()
                            .to_owned(),
                    )
                    .is_ok();
            }
        }
    });
    let addr = match address.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(addr) => addr,
        Err(e) => {
            let _ = child.kill();
            panic!("the server printed no address within a minute ({e})");
        }
    };
    (child, addr)
}

pub async fn gql(
    client: &reqwest::Client,
    addr: &str,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> Option<Value> {
    let mut request = client
        .post(format!("http://{addr}/graphql"))
        .json(&json!({"query": query, "variables": variables}));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let body: Value = request.send().await.ok()?.json().await.ok()?;
    body.get("errors").is_none().then_some(body["data"].clone())
}

/// A fresh PostgreSQL database, or `None` outside CI when there is no server
/// (under `CI=true` an unreachable PostgreSQL is a failure).
pub async fn fresh_postgres() -> Option<String> {
    use sea_orm::{ConnectionTrait, Database};
    let base = std::env::var("TANDEM_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned());
    match Database::connect(format!("{base}/postgres")).await {
        Ok(admin) => {
            let name = format!("tandem_test_{}", uuid::Uuid::now_v7().simple());
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .unwrap();
            Some(format!("{base}/{name}"))
        }
        Err(e) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but PostgreSQL is unreachable: {e}"
            );
            None
        }
    }
}

/// The password of the accounts these tests create.
pub const PASSWORD: &str = "correct horse battery staple";

/// Creates a coordinator `email` through `tandem users add`.
pub fn add_coordinator(url: &str, email: &str) {
    add_user(url, email, "coordinator");
}

/// Creates a user `email` with `role` through `tandem users add`.
pub fn add_user(url: &str, email: &str, role: &str) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args([
            "users",
            "add",
            "--email",
            email,
            "--name",
            "Staff member",
            "--role",
            role,
            "--password-stdin",
        ])
        .env("DATABASE_URL", url)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(PASSWORD.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
}

/// Logs `email` in at `addr` and returns the bearer token.
pub async fn login(client: &reqwest::Client, addr: &str, email: &str) -> String {
    let login =
        format!("mutation {{ login(email: \"{email}\", password: \"{PASSWORD}\") {{ token }} }}");
    gql(client, addr, None, &login, json!({}))
        .await
        .expect("login works")["login"]["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Runs `check` every 20 ms until it answers `Ok`, and returns that answer;
/// panics with `what` and the last `Err` answer after `within`.
pub async fn eventually<F, Fut>(within: std::time::Duration, what: &str, mut check: F) -> Value
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Value, Value>>,
{
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match check().await {
            Ok(answer) => return answer,
            Err(last) => assert!(
                tokio::time::Instant::now() < deadline,
                "{what} within {within:?}; last answer: {last}"
            ),
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
