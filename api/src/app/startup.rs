//! The one seam: `Application::build(settings)` connects and migrates the
//! database, binds the listener and wires the routes ([`crate::app`]).
//! `main` and every test start the server through it.

use std::{future::Future, net::SocketAddr, sync::Arc};

use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;

use crate::{
    accounts::{SessionCache, login::Logins},
    app::App,
    audit::AuditWriter,
    auth::{FollowedFamilies, VolunteerLinks},
    core::{config::Settings, db, error::ApiResult, state::AppState},
    engine::Pool,
    families::register::load_register,
    sync::{Bus, Notices},
    volunteers::roster::SharedRoster,
};

/// A server that is bound and ready to run.
#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    app: App,
    state: AppState,
}

impl Application {
    /// Connects to the database, applies migrations, seeds the demo network
    /// when asked, and binds `settings.bind` (port 0 picks a free port).
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let (db, statements) = db::connect(&settings).await?;
        db::migrate(&db).await?;
        let listener = crate::sync::subscribe(&db).await?;
        let state = assemble(db, settings).await.map_err(anyhow::Error::from)?;
        crate::sync::spawn_listener(state.clone(), listener);
        if state.settings.demo {
            crate::tools::demo::seed(&state).await?;
        }
        let listener = TcpListener::bind(state.settings.bind).await?;
        let app = App::new(state.clone(), statements);
        Ok(Application {
            listener,
            app,
            state,
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The database pool (for tests and the CLI).
    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests in flight.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let stop = shutdown_signal();
        self.run_until(stop).await
    }

    /// Serves until `shutdown` completes.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        self.app.serve(self.listener, shutdown).await
    }
}

/// Completes on SIGINT or SIGTERM. The handlers are installed when this is
/// called, not when the future is first polled: a signal that arrives while
/// the server starts serving stops it gracefully too.
fn shutdown_signal() -> impl Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let interrupt = signal(SignalKind::interrupt());
        let terminate = signal(SignalKind::terminate());
        async move {
            let (mut interrupt, mut terminate) = match (interrupt, terminate) {
                (Ok(interrupt), Ok(terminate)) => (interrupt, terminate),
                (Err(e), _) | (_, Err(e)) => {
                    tracing::error!(error = %e, "cannot listen for SIGINT and SIGTERM");
                    return std::future::pending::<()>().await;
                }
            };
            tokio::select! {
                _ = interrupt.recv() => {},
                _ = terminate.recv() => {},
            }
            tracing::info!("shutting down");
        }
    }
    #[cfg(not(unix))]
    async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
        tracing::info!("shutting down");
    }
}

/// The application state with its parts: the volunteer roster and the
/// family register (loaded), the session cache, login attempts, the audit
/// writer, the subscriptions' feed, and the change bus that keeps the first
/// three of them and the feed current, in that order. The roster and the
/// register are also registered as the domains' answers to the layers
/// below them: the roster as the engine's `Pool` and auth's
/// `VolunteerLinks`, the register as auth's `FollowedFamilies`.
pub async fn assemble(db: DatabaseConnection, settings: Settings) -> ApiResult<AppState> {
    let state = AppState::new(db, settings)?;
    let roster = SharedRoster::load(&state.db).await?;
    let register = load_register(&state.db).await?;
    let sessions = Arc::new(SessionCache::default());
    let notices = Notices::new(1024);
    let bus = Bus::default()
        .with(Arc::new(roster.clone()))
        .with(Arc::new(register.clone()))
        .with(sessions.clone())
        .with(Arc::new(notices.clone()));
    let audit = AuditWriter::spawn(state.db.clone(), &state.metrics);
    let logins = Arc::new(Logins::new(state.settings.limits.password_checks));
    Ok(state
        .with::<Arc<dyn Pool>>(Arc::new(roster.clone()))
        .with::<Arc<dyn VolunteerLinks>>(Arc::new(roster.clone()))
        .with::<Arc<dyn FollowedFamilies>>(Arc::new(register.clone()))
        .with(roster)
        .with(register)
        .with(sessions)
        .with(notices)
        .with(bus)
        .with(audit)
        .with(logins))
}
