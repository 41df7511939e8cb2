//! What every resolver can reach: the shared application state and, per
//! request, the signed-in viewer.

use std::sync::Arc;

use async_graphql::Context;
use axum::http::Extensions;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::{
    core::config::Settings,
    core::error::{ApiError, ApiResult},
    core::metrics::Metrics,
};

/// Shared by all requests of one server.
///
/// What the layers above keep for the life of the server (the roster, the
/// register, sessions, the audit writer, the change bus, ...) are its
/// *parts*, added by type at start-up ([`AppState::with`], in
/// `app::startup`) and found by type ([`AppState::part`]), so that this
/// module, which every layer stands on, names none of them.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database pool.
    pub db: DatabaseConnection,
    /// The settings the server started with.
    pub settings: Arc<Settings>,
    /// This process's identity among replicas (to skip its own notifications).
    pub replica: Uuid,
    /// Prometheus metrics.
    pub metrics: Arc<Metrics>,
    parts: Arc<Extensions>,
}

impl AppState {
    /// The state around an open pool, without parts yet.
    pub fn new(db: DatabaseConnection, settings: Settings) -> ApiResult<AppState> {
        Ok(AppState {
            db,
            settings: Arc::new(settings),
            replica: Uuid::now_v7(),
            metrics: Arc::new(Metrics::new().map_err(ApiError::internal)?),
            parts: Arc::default(),
        })
    }

    /// Adds `part` (at start-up, before the state is shared).
    #[must_use]
    pub fn with<T: Clone + Send + Sync + 'static>(mut self, part: T) -> AppState {
        Arc::make_mut(&mut self.parts).insert(part);
        self
    }

    /// The part of type `T`; INTERNAL when start-up did not add one.
    pub fn part<T: Send + Sync + 'static>(&self) -> ApiResult<&T> {
        self.parts.get::<T>().ok_or_else(|| {
            ApiError::internal(anyhow::anyhow!(
                "{} missing from the application state",
                std::any::type_name::<T>()
            ))
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
}

impl ContextExt for Context<'_> {
    fn state(&self) -> ApiResult<&AppState> {
        self.data::<AppState>()
            .map_err(|_| ApiError::internal(anyhow::anyhow!("application state missing")))
    }
}
