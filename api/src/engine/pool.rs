//! The volunteers matching ranks against, as the layers below the domains
//! see them: [`Pool`], which the volunteers domain answers (its roster holds
//! the engine's [`MatchIndex`]) and start-up registers as an `Arc<dyn Pool>`
//! part of the state, so that matching and plans rank and check volunteers
//! without naming the roster.

use std::sync::Arc;

use entity::volunteer;
use matching::{Candidate, FamilyProfile, MatchIndex, Policy, VolunteerProfile, Weights};
use sea_orm::DatabaseExecutor;
use uuid::Uuid;

use crate::core::{error::ApiResult, metrics::Ranked, state::AppState};

/// What matching asks of the volunteers.
#[async_trait::async_trait]
pub trait Pool: Send + Sync {
    /// The volunteers to rank against now. While their keeper cannot vouch
    /// for its records, no one: no family may be offered a volunteer on a
    /// record that may no longer hold (a background check withdrawn, a
    /// pause).
    fn read(&self) -> Box<dyn Ranking + '_>;

    /// The engine's profiles of volunteers `ids`, read through `db` (the
    /// pool, or the caller's transaction when it must see its own writes);
    /// an unknown volunteer is left out.
    async fn profiles(
        &self,
        db: &DatabaseExecutor<'_>,
        ids: &[Uuid],
    ) -> ApiResult<Vec<VolunteerProfile>>;
}

/// One read of the volunteers for ranking; changes wait while it is held.
pub trait Ranking {
    /// The match index.
    fn index(&self) -> &MatchIndex;

    /// The `k` best candidates for `family`, as
    /// [`MatchIndex::top_k_candidates`] ranks them, and whether the ranking
    /// was kept from an earlier request or computed now.
    fn top_k_candidates(
        &self,
        family: &FamilyProfile,
        k: usize,
        weights: &Weights,
        policy: &Policy,
    ) -> (Arc<[Candidate]>, Ranked);

    /// The stored row of volunteer `id`, read with the index.
    fn volunteer(&self, id: Uuid) -> Option<Arc<volunteer::Model>>;
}

/// The volunteers to rank against now (see [`Pool::read`]).
pub fn ranking(state: &AppState) -> ApiResult<Box<dyn Ranking + '_>> {
    Ok(state.part::<Arc<dyn Pool>>()?.read())
}

/// The engine's profiles of volunteers `ids`, read through `db` (see
/// [`Pool::profiles`]).
pub async fn volunteer_profiles<'c>(
    state: &AppState,
    db: impl Into<DatabaseExecutor<'c>>,
    ids: &[Uuid],
) -> ApiResult<Vec<VolunteerProfile>> {
    state
        .part::<Arc<dyn Pool>>()?
        .profiles(&db.into(), ids)
        .await
}
