//! Bearer tokens and the sessions they open: a token's hash, the token of
//! an `Authorization` header, the live session a token stands for, and
//! this replica's cache of recently authenticated sessions (which forgets a
//! revoked session as soon as the change bus reports it).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use entity::{app_user, session};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{
    auth::Viewer,
    core::error::ApiResult,
    core::state::AppState,
    sync::{Change, Handler},
};

/// A token's SHA-256 in hex: all the database keeps of it.
pub(super) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The token of an `Authorization` header value: the scheme `Bearer` in
/// any case (RFC 7235), a space, the token.
pub fn bearer_token(authorization: &str) -> Option<&str> {
    let (scheme, token) = authorization.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}
/// The live session with this token hash, and when it expires.
async fn find_session(
    db: &DatabaseConnection,
    hash: &str,
) -> ApiResult<Option<(Viewer, DateTime<Utc>)>> {
    let found = session::Entity::find()
        .filter(session::Column::TokenHash.eq(hash))
        .find_also_related(app_user::Entity)
        .one(db)
        .await?;
    let Some((session, Some(user))) = found else {
        return Ok(None);
    };
    if session.revoked_at.is_some() || session.expires_at <= Utc::now() || user.disabled {
        return Ok(None);
    }
    let viewer = Viewer {
        user_id: user.id,
        role: user.role.into(),
        email: user.email,
        name: user.name,
        volunteer_id: user.volunteer_id,
        session_id: session.id,
        locale: user.locale.map(crate::core::locale::Locale::from),
    };
    Ok(Some((viewer, session.expires_at)))
}

/// How long a replica may answer for a session without asking the database.
/// A logout is seen at once by the replica that served it and, through
/// [`Change::SessionRevoked`](crate::sync::Change), by the others; this
/// bound only matters if that notification is lost.
pub const SESSION_CACHE_SECONDS: i64 = 30;

/// Sessions this replica authenticated recently, by token hash, so that an
/// authenticated request does not cost a database round trip.
#[derive(Debug, Default)]
pub struct SessionCache {
    entries: std::sync::RwLock<std::collections::HashMap<String, (Viewer, DateTime<Utc>)>>,
}

impl SessionCache {
    /// Most sessions kept; beyond it the cache starts over.
    const CAPACITY: usize = 10_000;

    fn get(&self, hash: &str) -> Option<Viewer> {
        let entries = self.entries.read().ok()?;
        match entries.get(hash) {
            Some((viewer, until)) if *until > Utc::now() => Some(viewer.clone()),
            _ => None,
        }
    }

    fn put(&self, hash: String, viewer: Viewer, session_expires: DateTime<Utc>) {
        let until =
            session_expires.min(Utc::now() + chrono::Duration::seconds(SESSION_CACHE_SECONDS));
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= Self::CAPACITY {
                entries.clear();
            }
            entries.insert(hash, (viewer, until));
        }
    }

    /// Forgets a revoked session.
    pub fn forget(&self, session_id: Uuid) {
        if let Ok(mut entries) = self.entries.write() {
            entries.retain(|_, (viewer, _)| viewer.session_id != session_id);
        }
    }

    /// Forgets the sessions of one user (their account changed).
    pub fn forget_user(&self, user_id: Uuid) {
        if let Ok(mut entries) = self.entries.write() {
            entries.retain(|_, (viewer, _)| viewer.user_id != user_id);
        }
    }

    /// Forgets every session (when revocations may have been missed).
    pub fn forget_all(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }
}

/// Revoked sessions are forgotten, and every session when revocations may
/// have been missed.
#[async_trait::async_trait]
impl Handler for SessionCache {
    async fn apply(&self, _: &AppState, changes: &[Change]) -> ApiResult<()> {
        for change in changes {
            if let Change::SessionRevoked(id) = change {
                self.forget(*id);
            }
        }
        Ok(())
    }

    async fn resync(&self, _: &AppState) -> ApiResult<()> {
        self.forget_all();
        Ok(())
    }
}

/// [`authenticate`] through this replica's [`SessionCache`].
pub async fn authenticate_cached(state: &AppState, token: &str) -> ApiResult<Option<Viewer>> {
    let hash = token_hash(token);
    let sessions = state.part::<Arc<SessionCache>>()?;
    if let Some(viewer) = sessions.get(&hash) {
        return Ok(Some(viewer));
    }
    let Some((viewer, expires)) = find_session(&state.db, &hash).await? else {
        return Ok(None);
    };
    sessions.put(hash, viewer.clone(), expires);
    Ok(Some(viewer))
}
