//! Settings, read from the environment (every variable is listed in the README).

use std::{net::SocketAddr, time::Duration};

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
        Ok(settings)
    }

    /// Whether the database is PostgreSQL (otherwise SQLite).
    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres")
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
