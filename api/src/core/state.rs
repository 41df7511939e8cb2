//! What every resolver can reach: the shared application state and, per
//! request, the signed-in viewer.

use std::sync::Arc;

use async_graphql::Context;
use sea_orm::DatabaseConnection;
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::{
    auth::Viewer,
    core::config::Settings,
    core::error::{ApiError, ApiResult},
    sync::Notice,
    volunteers::roster::SharedRoster,
};

/// Shared by all requests of one server.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database pool.
    pub db: DatabaseConnection,
    /// The settings the server started with.
    pub settings: Arc<Settings>,
    /// Every volunteer (match index and records), kept current.
    pub roster: SharedRoster,
    /// Refreshes of the roster, one at a time.
    pub roster_refresh: Arc<tokio::sync::Mutex<()>>,
    /// Every family that is not erased (records and matching profiles), kept current.
    pub families: crate::families::register::SharedRegister,
    /// Phase-in/out events and check-ins, fanned out to subscriptions.
    pub notices: broadcast::Sender<Notice>,
    /// This process's identity among replicas (to skip its own notifications).
    pub replica: Uuid,
    /// Prometheus metrics.
    pub metrics: Arc<crate::core::metrics::Metrics>,
    /// Sessions authenticated recently.
    pub sessions: Arc<crate::accounts::SessionCache>,
    /// Writes requests' audit entries, many requests per transaction.
    pub audit: crate::privacy::AuditWriter,
    /// Login attempts in this process: their locks and the bound on password checks.
    pub logins: Arc<crate::accounts::login::Logins>,
}

impl AppState {
    /// Connects the state around an open pool: loads the volunteer roster
    /// and the family register.
    pub async fn new(db: DatabaseConnection, settings: Settings) -> ApiResult<AppState> {
        let roster = crate::volunteers::roster::load_roster(&db).await?;
        let families = crate::families::register::load_register(&db).await?;
        let (notices, _) = broadcast::channel(1024);
        let metrics = Arc::new(crate::core::metrics::Metrics::new().map_err(ApiError::internal)?);
        Ok(AppState {
            audit: crate::privacy::AuditWriter::spawn(db.clone(), &metrics),
            logins: Arc::new(crate::accounts::login::Logins::new(
                settings.limits.password_checks,
            )),
            db,
            settings: Arc::new(settings),
            roster: Arc::new(std::sync::RwLock::new(roster)),
            roster_refresh: Arc::default(),
            families,
            notices,
            replica: Uuid::now_v7(),
            metrics,
            sessions: Arc::default(),
        })
    }

    /// Today's date (UTC), the day against which validity and due dates are judged.
    pub fn today(&self) -> chrono::NaiveDate {
        chrono::Utc::now().date_naive()
    }
}

/// Typed access to the state from a resolver, without panics.
pub trait ContextExt {
    /// The application state.
    fn state(&self) -> ApiResult<&AppState>;
    /// The signed-in viewer, or UNAUTHENTICATED.
    fn viewer(&self) -> ApiResult<&Viewer>;
}

impl ContextExt for Context<'_> {
    fn state(&self) -> ApiResult<&AppState> {
        self.data::<AppState>()
            .map_err(|_| ApiError::internal(anyhow::anyhow!("application state missing")))
    }

    fn viewer(&self) -> ApiResult<&Viewer> {
        self.data_opt::<Viewer>().ok_or_else(|| {
            ApiError::Unauthenticated(
                "sign in first: send `Authorization: Bearer <token>` from `login`".into(),
            )
        })
    }
}
