//! Settings, read from the environment (every variable is listed in the README).

use std::{
    net::{IpAddr, SocketAddr},
    time::Duration,
};

/// Everything the server needs to start. `Settings::from_env` reads the
/// environment; tests build one directly.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `DATABASE_URL`: `sqlite://...` or `postgres://...`.
    pub database_url: String,
    /// `TANDEM_BIND`: the address to listen on.
    pub bind: SocketAddr,
    /// `TANDEM_ENV=production` switches off introspection, GraphiQL and suggestions.
    pub production: bool,
    /// `TANDEM_TOKEN_TTL_HOURS`: how long a login token stays valid.
    pub token_ttl: Duration,
    /// `TANDEM_REQUEST_TIMEOUT_SECS`: requests running longer are cut off.
    pub request_timeout: Duration,
    /// `TANDEM_DB_MAX_CONNECTIONS`: size of the database pool.
    pub db_max_connections: u32,
    /// Seed the demo network on start (`serve --demo`).
    pub demo: bool,
    /// When the follow-up of a volunteer falls due.
    pub check_in_cadence: CheckInCadence,
    /// `TANDEM_RECENTLY_ENDED_DAYS`: days after a volunteer's involvement
    /// with a family ENDED or was DECLINED during which matching leaves the
    /// pair out (RECENTLY_ENDED_WITH_FAMILY; default 90, 0 switches it off).
    pub recently_ended_days: i32,
    /// What one client may send and hold (README, "Hardening").
    pub limits: Limits,
    /// `TANDEM_CORS_ORIGINS` (comma-separated): the browser origins
    /// (`https://console.example.org`) that may call the API from another
    /// origin; `*` for any. None by default.
    pub cors_origins: Vec<String>,
    /// `TANDEM_PERSISTED_QUERIES`: which documents run (see [`PersistedQueries`]).
    pub persisted_queries: PersistedQueries,
    /// `TANDEM_DEFAULT_LOCALE` (`nl`, `fr` or `en`; default `nl`): the language
    /// of a request with no `Accept-Language` Tandem speaks from a user who
    /// chose none.
    pub default_locale: crate::core::locale::Locale,
}

/// Which documents a server runs (Apollo's automatic persisted queries).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum PersistedQueries {
    /// Any document; a client may also send only a document's SHA-256 hash
    /// once the server has seen the document (the default).
    #[default]
    Automatic,
    /// `TANDEM_PERSISTED_QUERIES=only`: only these documents run (an
    /// allow-list, for production), read from the Apollo persisted-query
    /// manifest at `TANDEM_PERSISTED_QUERY_MANIFEST`; clients send their
    /// hashes (or their text).
    Only(Vec<String>),
}

/// What one client may send and hold open. Every request, over HTTP or a
/// WebSocket, meets these before any work is done for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest HTTP request body (413 beyond).
    pub max_body_bytes: usize,
    /// Longest GraphQL document text.
    pub max_document_bytes: usize,
    /// Deepest nesting of brackets (`{`, `[`, `(`) in a document, counted on
    /// its text before the parser sees it, and of values in `variables`.
    pub max_nesting: usize,
    /// `TANDEM_HEADER_READ_TIMEOUT_SECS`: a connection that has not sent a
    /// request's headers within this time is closed.
    pub header_read_timeout: Duration,
    /// `TANDEM_TRUSTED_PROXIES` (comma-separated addresses): peers whose
    /// `X-Forwarded-For` names the client; from anyone else it is ignored.
    pub trusted_proxies: Vec<IpAddr>,
    /// `TANDEM_WS_INIT_TIMEOUT_SECS`: a WebSocket must send `connection_init`
    /// within this time (else closed with 4408).
    pub ws_init_timeout: Duration,
    /// `TANDEM_WS_MAX_MESSAGE_BYTES`: largest WebSocket message (else closed with 1009).
    pub ws_max_message_bytes: usize,
    /// `TANDEM_WS_MAX_SUBSCRIPTIONS_PER_CONNECTION`: operations running at once on one socket.
    pub ws_max_subscriptions_per_connection: usize,
    /// `TANDEM_WS_MAX_SUBSCRIPTIONS_PER_USER`: operations running at once for one user.
    pub ws_max_subscriptions_per_user: usize,
    /// `TANDEM_WS_MAX_CONNECTIONS_PER_USER`: sockets open at once for one user (else 4429).
    pub ws_max_connections_per_user: usize,
    /// `TANDEM_WS_MAX_CONNECTIONS_PER_ADDRESS`: sockets open at once from one
    /// client address (else the upgrade is answered 429).
    pub ws_max_connections_per_address: usize,
    /// How often an open WebSocket's session is checked again (logout,
    /// expiry and disabled accounts close it within this time).
    pub ws_session_check_every: Duration,
    /// Password checks (argon2) running at once; more wait their turn.
    pub password_checks: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 1024 * 1024,
            max_document_bytes: 64 * 1024,
            max_nesting: 32,
            header_read_timeout: Duration::from_secs(10),
            trusted_proxies: Vec::new(),
            ws_init_timeout: Duration::from_secs(10),
            ws_max_message_bytes: 64 * 1024,
            ws_max_subscriptions_per_connection: 100,
            ws_max_subscriptions_per_user: 300,
            ws_max_connections_per_user: 10,
            ws_max_connections_per_address: 50,
            ws_session_check_every: Duration::from_millis(250),
            password_checks: std::thread::available_parallelism().map_or(2, |n| n.get()),
        }
    }
}

/// The rhythm of follow-up check-ins with volunteers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckInCadence {
    /// `TANDEM_FIRST_CHECK_IN_DAYS`: first check-in due this many days after the first phase-in.
    pub first_after_days: i64,
    /// `TANDEM_CHECK_IN_EVERY_DAYS`: then every this many days while involved.
    pub every_days: i64,
}

impl Default for CheckInCadence {
    fn default() -> Self {
        CheckInCadence {
            first_after_days: 14,
            every_days: 30,
        }
    }
}

/// The embedded default: a SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://tandem.db?mode=rwc";

impl Settings {
    /// Defaults for everything, on the given database.
    pub fn new(database_url: impl Into<String>) -> Settings {
        Settings {
            database_url: database_url.into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            production: false,
            token_ttl: Duration::from_secs(12 * 3600),
            request_timeout: Duration::from_secs(30),
            db_max_connections: 10,
            demo: false,
            check_in_cadence: CheckInCadence::default(),
            recently_ended_days: 90,
            limits: Limits::default(),
            cors_origins: Vec::new(),
            persisted_queries: PersistedQueries::Automatic,
            default_locale: crate::core::locale::Locale::default(),
        }
    }

    /// Reads the environment; a variable that is set but malformed is an error
    /// naming it, never silently replaced by the default.
    pub fn from_env() -> anyhow::Result<Settings> {
        let mut settings = Settings::new(
            std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_owned()),
        );
        if let Some(bind) = env_parse::<SocketAddr>("TANDEM_BIND")? {
            settings.bind = bind;
        }
        settings.production = std::env::var("TANDEM_ENV").is_ok_and(|v| v == "production");
        if let Some(hours) = env_parse::<u64>("TANDEM_TOKEN_TTL_HOURS")? {
            settings.token_ttl = Duration::from_secs(hours * 3600);
        }
        if let Some(secs) = env_parse::<u64>("TANDEM_REQUEST_TIMEOUT_SECS")? {
            settings.request_timeout = Duration::from_secs(secs);
        }
        if let Some(n) = env_parse::<u32>("TANDEM_DB_MAX_CONNECTIONS")? {
            settings.db_max_connections = n;
        }
        if let Some(days) = env_parse::<i64>("TANDEM_FIRST_CHECK_IN_DAYS")? {
            settings.check_in_cadence.first_after_days = days;
        }
        if let Some(days) = env_parse::<i64>("TANDEM_CHECK_IN_EVERY_DAYS")? {
            settings.check_in_cadence.every_days = days;
        }
        if let Some(days) = env_parse::<u16>("TANDEM_RECENTLY_ENDED_DAYS")? {
            settings.recently_ended_days = i32::from(days);
        }
        if let Ok(raw) = std::env::var("TANDEM_DEFAULT_LOCALE") {
            settings.default_locale =
                crate::core::locale::Locale::from_tag(&raw).ok_or_else(|| {
                    anyhow::anyhow!("TANDEM_DEFAULT_LOCALE: {raw:?} is not one of nl, fr, en")
                })?;
        }
        settings.limits.read_env()?;
        if let Ok(raw) = std::env::var("TANDEM_CORS_ORIGINS") {
            settings.cors_origins = cors_origins(&raw)?;
        }
        settings.persisted_queries = match std::env::var("TANDEM_PERSISTED_QUERIES").as_deref() {
            Err(_) | Ok("" | "automatic") => PersistedQueries::Automatic,
            Ok("only") => PersistedQueries::Only(manifest_documents()?),
            Ok(other) => anyhow::bail!(
                "TANDEM_PERSISTED_QUERIES: {other:?} is neither \"automatic\" nor \"only\""
            ),
        };
        Ok(settings)
    }

    /// Whether the database is PostgreSQL (otherwise SQLite).
    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres")
    }
}

/// The documents of the Apollo persisted-query manifest at
/// `TANDEM_PERSISTED_QUERY_MANIFEST` (`{"format": "apollo-persisted-query-manifest",
/// "version": 1, "operations": [{"id", "name", "type", "body"}]}`).
fn manifest_documents() -> anyhow::Result<Vec<String>> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        format: String,
        operations: Vec<Operation>,
    }
    #[derive(serde::Deserialize)]
    struct Operation {
        body: String,
    }
    let path = std::env::var("TANDEM_PERSISTED_QUERY_MANIFEST").map_err(|_| {
        anyhow::anyhow!("TANDEM_PERSISTED_QUERIES=only needs TANDEM_PERSISTED_QUERY_MANIFEST")
    })?;
    let text = std::fs::read_to_string(&path)
        .map_err(|e| anyhow::anyhow!("TANDEM_PERSISTED_QUERY_MANIFEST: {path}: {e}"))?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("TANDEM_PERSISTED_QUERY_MANIFEST: {path}: {e}"))?;
    if manifest.format != "apollo-persisted-query-manifest" {
        anyhow::bail!(
            "TANDEM_PERSISTED_QUERY_MANIFEST: {path} is not an Apollo persisted-query manifest"
        );
    }
    Ok(manifest.operations.into_iter().map(|o| o.body).collect())
}

/// The origins of `TANDEM_CORS_ORIGINS`: each `scheme://host[:port]`
/// (no path), or `*`.
fn cors_origins(raw: &str) -> anyhow::Result<Vec<String>> {
    raw.split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|origin| {
            let well_formed = origin == "*"
                || origin.split_once("://").is_some_and(|(scheme, rest)| {
                    matches!(scheme, "http" | "https")
                        && !rest.is_empty()
                        && !rest.contains(['/', '?', '#', ' '])
                });
            if well_formed {
                Ok(origin.to_owned())
            } else {
                anyhow::bail!(
                    "TANDEM_CORS_ORIGINS: {origin:?} is not an origin (scheme://host[:port], or *)"
                )
            }
        })
        .collect()
}

impl Limits {
    fn read_env(&mut self) -> anyhow::Result<()> {
        if let Some(secs) = env_parse::<u64>("TANDEM_HEADER_READ_TIMEOUT_SECS")? {
            self.header_read_timeout = Duration::from_secs(secs);
        }
        if let Ok(raw) = std::env::var("TANDEM_TRUSTED_PROXIES") {
            self.trusted_proxies = raw
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(|a| {
                    a.parse().map_err(|e| {
                        anyhow::anyhow!("TANDEM_TRUSTED_PROXIES: {a:?} is not an address: {e}")
                    })
                })
                .collect::<anyhow::Result<_>>()?;
        }
        if let Some(secs) = env_parse::<u64>("TANDEM_WS_INIT_TIMEOUT_SECS")? {
            self.ws_init_timeout = Duration::from_secs(secs);
        }
        if let Some(n) = env_parse("TANDEM_WS_MAX_MESSAGE_BYTES")? {
            self.ws_max_message_bytes = n;
        }
        if let Some(n) = env_parse("TANDEM_WS_MAX_SUBSCRIPTIONS_PER_CONNECTION")? {
            self.ws_max_subscriptions_per_connection = n;
        }
        if let Some(n) = env_parse("TANDEM_WS_MAX_SUBSCRIPTIONS_PER_USER")? {
            self.ws_max_subscriptions_per_user = n;
        }
        if let Some(n) = env_parse("TANDEM_WS_MAX_CONNECTIONS_PER_USER")? {
            self.ws_max_connections_per_user = n;
        }
        if let Some(n) = env_parse("TANDEM_WS_MAX_CONNECTIONS_PER_ADDRESS")? {
            self.ws_max_connections_per_address = n;
        }
        Ok(())
    }
}

fn env_parse<T>(name: &str) -> anyhow::Result<Option<T>>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    match std::env::var(name) {
        Ok(raw) => raw
            .parse()
            .map(Some)
            .map_err(|e| anyhow::anyhow!("{name}={raw:?} is not valid: {e}")),
        Err(_) => Ok(None),
    }
}
