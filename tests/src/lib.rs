//! The black-box test harness: each test spawns the real server
//! (`Application::build`, as `main` does) on 127.0.0.1:0 against a fresh
//! database, SQLite or PostgreSQL, and speaks GraphQL over HTTP to it.
//!
//! `both_backends!` turns one test body into a `sqlite` and a `postgres` test.
//! PostgreSQL is found at `TANDEM_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432`); when it is unreachable the postgres
//! half is skipped with a message, except under `CI=true`, where it fails.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_debug_implementations
)]

use std::net::SocketAddr;

use api::{Application, NewUser, Role, Settings, create_user};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use tokio::sync::{OnceCell, oneshot};

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A temporary SQLite file.
    Sqlite,
    /// A fresh PostgreSQL database.
    Postgres,
}

/// Password of the accounts the harness creates.
pub const PASSWORD: &str = "correct horse battery staple";

/// A running server and a client for it.
pub struct TestApp {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The backend it runs on.
    pub backend: Backend,
    /// The database URL it uses.
    pub database_url: String,
    /// The HTTP client.
    pub client: reqwest::Client,
    /// The bearer token sent with `gql` (set by `login`).
    pub token: Option<String>,
    /// The database pool of the server (to seed accounts).
    pub db: sea_orm::DatabaseConnection,
    _dir: Option<tempfile::TempDir>,
    _shutdown: Option<oneshot::Sender<()>>,
}

fn pg_base_url() -> String {
    std::env::var("TANDEM_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

static PG_READY: OnceCell<bool> = OnceCell::const_new();

/// Whether PostgreSQL is reachable; on first call also drops the databases
/// earlier runs left behind. Under `CI=true` an unreachable server panics.
async fn postgres_available() -> bool {
    *PG_READY
        .get_or_init(|| async {
            let admin = match Database::connect(format!("{}/postgres", pg_base_url())).await {
                Ok(db) => db,
                Err(e) => {
                    if std::env::var("CI").is_ok_and(|v| v == "true") {
                        panic!("CI=true but PostgreSQL is unreachable at {}: {e}", pg_base_url());
                    }
                    eprintln!("PostgreSQL unreachable ({e}): skipping the postgres half of the tests");
                    return false;
                }
            };
            let stale = admin
                .query_all_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Postgres,
                    "SELECT datname FROM pg_database WHERE datname LIKE 'tandem_test_%' \
                     AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = pg_database.datname)",
                ))
                .await
                .unwrap_or_default();
            for row in stale {
                if let Ok(name) = row.try_get::<String>("", "datname") {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\""))
                        .await;
                }
            }
            true
        })
        .await
}

impl TestApp {
    /// Spawns a server on a fresh database; `None` when the backend is not
    /// available here (PostgreSQL outside CI).
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, |_| {}).await
    }

    /// A second server on the database of an existing one (a replica).
    pub async fn spawn_on(backend: Backend, database_url: String) -> Option<TestApp> {
        Self::start(backend, database_url, None, |_| {}).await
    }

    /// Like [`spawn_on`](Self::spawn_on), adjusting the settings first.
    pub async fn spawn_on_with(
        backend: Backend,
        database_url: String,
        adjust: impl FnOnce(&mut Settings),
    ) -> Option<TestApp> {
        Self::start(backend, database_url, None, adjust).await
    }

    /// A client of the same server without its token.
    pub fn detached(other: &TestApp) -> TestApp {
        TestApp {
            addr: other.addr,
            backend: other.backend,
            database_url: other.database_url.clone(),
            client: reqwest::Client::new(),
            token: None,
            db: other.db.clone(),
            _dir: None,
            _shutdown: None,
        }
    }

    /// Like [`spawn`](Self::spawn), adjusting the settings first.
    pub async fn spawn_with(
        backend: Backend,
        adjust: impl FnOnce(&mut Settings),
    ) -> Option<TestApp> {
        let (database_url, dir) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("tandem.db").display()
                );
                (url, Some(dir))
            }
            Backend::Postgres => {
                if !postgres_available().await {
                    return None;
                }
                let name = format!("tandem_test_{}", uuid::Uuid::now_v7().simple());
                let admin = Database::connect(format!("{}/postgres", pg_base_url()))
                    .await
                    .unwrap();
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .unwrap();
                admin.close().await.unwrap();
                (format!("{}/{name}", pg_base_url()), None)
            }
        };
        Self::start(backend, database_url, dir, adjust).await
    }

    async fn start(
        backend: Backend,
        database_url: String,
        dir: Option<tempfile::TempDir>,
        adjust: impl FnOnce(&mut Settings),
    ) -> Option<TestApp> {
        let mut settings = Settings::new(database_url.clone());
        settings.bind = "127.0.0.1:0".parse().unwrap();
        settings.db_max_connections = 5;
        adjust(&mut settings);
        let app = Application::build(settings).await.expect("server starts");
        let addr = app.local_addr().unwrap();
        let db = app.db().clone();
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(app.run_until(async {
            let _ = rx.await;
        }));
        Some(TestApp {
            addr,
            backend,
            database_url,
            client: reqwest::Client::new(),
            token: None,
            db,
            _dir: dir,
            _shutdown: Some(tx),
        })
    }

    /// The server's URL for `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Creates a user directly in the database (the bootstrap path `tandem users add` takes).
    pub async fn create_user(&self, email: &str, role: Role, volunteer_id: Option<uuid::Uuid>) {
        create_user(
            &self.db,
            NewUser {
                name: format!("{role:?} {email}"),
                email: email.to_owned(),
                role,
                password: PASSWORD.to_owned(),
                volunteer_id,
            },
        )
        .await
        .map_err(|e| e.message())
        .unwrap();
    }

    /// Logs in and keeps the token for later requests.
    pub async fn login(&mut self, email: &str) {
        let data = self
            .gql_ok(
                "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
                json!({"e": email, "p": PASSWORD}),
            )
            .await;
        self.token = Some(data["login"]["token"].as_str().unwrap().to_owned());
    }

    /// Creates a coordinator and logs in as them.
    pub async fn as_coordinator(&mut self) {
        self.create_user("coordinator@example.org", Role::Coordinator, None)
            .await;
        self.login("coordinator@example.org").await;
    }

    /// Posts a GraphQL request; returns the whole response body.
    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({"query": query, "variables": variables}));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        response.json().await.unwrap()
    }

    /// Posts a GraphQL request with an `Accept-Language` header; returns the
    /// whole response body.
    pub async fn gql_in(&self, accept_language: &str, query: &str, variables: Value) -> Value {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .header("accept-language", accept_language)
            .json(&json!({"query": query, "variables": variables}));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        response.json().await.unwrap()
    }

    /// Posts a GraphQL request that must succeed; returns `data`.
    pub async fn gql_ok(&self, query: &str, variables: Value) -> Value {
        let body = self.gql(query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
        body["data"].clone()
    }

    /// Posts a GraphQL request that must fail; returns its first error.
    pub async fn gql_err(&self, query: &str, variables: Value) -> Value {
        let body = self.gql(query, variables).await;
        body["errors"][0].clone()
    }

    /// SQL statements the server has run so far (from `/metrics`).
    pub async fn sql_statements(&self) -> u64 {
        self.metric("tandem_sql_statements_total").await as u64
    }

    /// The fewest SQL statements one successful run of `query` took, over
    /// three runs, and the last run's data. On a loaded machine a DataLoader
    /// batch can be split in two when its 1 ms window closes early: that adds
    /// statements, never removes them.
    pub async fn fewest_statements(&self, query: &str, variables: Value) -> (u64, Value) {
        let mut fewest = u64::MAX;
        let mut data = Value::Null;
        for _ in 0..3 {
            let before = self.sql_statements().await;
            data = self.gql_ok(query, variables.clone()).await;
            fewest = fewest.min(self.sql_statements().await - before);
        }
        (fewest, data)
    }

    /// The one number `sql` selects (as `n`), read straight from the database.
    pub async fn sql_number(&self, sql: &str) -> i64 {
        self.db
            .query_one_raw(sea_orm::Statement::from_string(
                self.db.get_database_backend(),
                sql,
            ))
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no row from {sql}"))
            .try_get::<i64>("", "n")
            .unwrap()
    }

    /// The value of one series on `/metrics`, named with its labels as the
    /// exposition writes them (`tandem_x{a="b"}`); 0 when it is not there yet.
    pub async fn metric(&self, series: &str) -> f64 {
        let text = self
            .client
            .get(self.url("/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
            .map_or(0.0, |v| v.trim().parse().expect("a number"))
    }
}

/// Runs one async test body on SQLite and on PostgreSQL:
/// `both_backends!(name, |app| async move { ... });`, optionally with
/// `settings = |s: &mut api::Settings| ...` before the body.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, |$app:ident| $body:expr) => {
        $crate::both_backends!($name, settings = |_: &mut api::Settings| {}, |$app| $body);
    };
    ($name:ident, settings = $adjust:expr, |$app:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run(backend: $crate::Backend) {
                let Some(spawned) = $crate::TestApp::spawn_with(backend, $adjust).await else {
                    return;
                };
                #[allow(unused_mut)]
                let mut $app = spawned;
                $body.await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run($crate::Backend::Sqlite).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                run($crate::Backend::Postgres).await
            }
        }
    };
}
