//! The roster: every volunteer as this replica knows them. It holds the
//! matching engine's [`MatchIndex`] and, next to it, each volunteer's record
//! (row, languages, trainings, current load), from which `volunteer(id)`,
//! match candidates and every volunteer field on a family's plan are answered
//! without a database round trip.
//!
//! The roster is loaded at start and refreshed, after commit, by every write
//! that changes a volunteer (see [`refresh`]); other replicas follow through
//! PostgreSQL LISTEN/NOTIFY (see [`crate::sync`]). Refreshes run one at a
//! time, so a slow refresh can never put an older read of a volunteer over a
//! newer one. A refresh whose read fails takes the volunteers out of matching
//! and is retried in the background until it succeeds.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, RwLock},
};

use entity::{involvement, plan, training_completion, volunteer, volunteer_language};
use matching::{Candidate, FamilyProfile, MatchIndex, Policy, Rankings, VolunteerProfile, Weights};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::{
    core::error::{ApiError, ApiResult},
    core::metrics::Ranked,
    core::state::AppState,
    core::values::LanguageSkill,
    engine::{LOAD_STATES, volunteer_profile},
    sync::{Change, Handler},
    volunteers::TrainingCompletion,
};

/// What reads need of one volunteer.
#[derive(Debug)]
pub struct VolunteerRecord {
    /// The stored row.
    pub model: Arc<volunteer::Model>,
    /// Languages, in the order given.
    pub languages: Vec<LanguageSkill>,
    /// Completed trainings, oldest first.
    pub trainings: Vec<TrainingCompletion>,
    /// Involvements in PROPOSED, ACTIVE or PHASING_OUT state.
    pub load: i32,
    /// Every involvement of theirs, whatever its status (what the access
    /// policy asks when they read).
    pub involvements: Vec<Link>,
}

/// One of a volunteer's involvements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    /// The involvement.
    pub involvement: Uuid,
    /// Its plan.
    pub plan: Uuid,
    /// The plan's family.
    pub family: Uuid,
    /// Where it stands.
    pub status: crate::engine::InvolvementStatus,
}

/// One volunteer read from the database: the engine's profile and the record.
#[derive(Debug)]
pub struct Loaded {
    /// What matching sees.
    pub profile: VolunteerProfile,
    /// What reads see.
    pub record: VolunteerRecord,
}

/// Every volunteer: the match index, the records, and the rankings already
/// computed from the index (kept exact by every change to it).
#[derive(Debug, Default)]
pub struct Roster {
    index: MatchIndex,
    records: HashMap<Uuid, Arc<VolunteerRecord>>,
    rankings: Mutex<Rankings>,
}

/// The roster shared by every request of one server (a part of the
/// application state), and the lock that makes its refreshes run one at a
/// time.
#[derive(Clone, Debug, Default)]
pub struct SharedRoster {
    roster: Arc<RwLock<Roster>>,
    refreshing: Arc<tokio::sync::Mutex<()>>,
}

impl SharedRoster {
    /// A shared roster holding `roster`.
    pub fn new(roster: Roster) -> SharedRoster {
        SharedRoster {
            roster: Arc::new(RwLock::new(roster)),
            refreshing: Arc::default(),
        }
    }

    /// How many volunteers it holds (0 when its lock is poisoned).
    pub fn len(&self) -> usize {
        self.roster.read().map(|r| r.len()).unwrap_or(0)
    }
}

/// Keeps the roster current: the volunteers a change names are read again,
/// and everyone after an import or lost notifications.
#[async_trait::async_trait]
impl Handler for SharedRoster {
    async fn apply(&self, state: &AppState, changes: &[Change]) -> ApiResult<()> {
        let volunteers: Vec<Uuid> = changes.iter().filter_map(Change::volunteer).collect();
        refresh(state, &volunteers).await?;
        if changes.contains(&Change::Reload) {
            reload(state).await?;
        }
        Ok(())
    }

    async fn resync(&self, state: &AppState) -> ApiResult<()> {
        reload(state).await
    }
}

fn shared(state: &AppState) -> ApiResult<&SharedRoster> {
    state.part::<SharedRoster>()
}

impl Roster {
    /// Builds the roster of `loaded`.
    pub fn build(loaded: Vec<Loaded>) -> Roster {
        let mut records = HashMap::with_capacity(loaded.len());
        let mut profiles = Vec::with_capacity(loaded.len());
        for Loaded { profile, record } in loaded {
            records.insert(record.model.id, Arc::new(record));
            profiles.push(profile);
        }
        Roster {
            index: MatchIndex::build(profiles),
            records,
            rankings: Mutex::default(),
        }
    }

    /// The `k` best candidates for `family`, as
    /// [`MatchIndex::top_k_candidates`] ranks them: kept from an earlier
    /// request when nothing they depend on changed since, otherwise ranked
    /// now (while the caller's read guard keeps every change out) and kept.
    pub fn top_k_candidates(
        &self,
        family: &FamilyProfile,
        k: usize,
        weights: &Weights,
        policy: &Policy,
    ) -> (Arc<[Candidate]>, Ranked) {
        if let Ok(mut rankings) = self.rankings.lock()
            && let Some(kept) = rankings.get(family, k, weights, policy)
        {
            return (kept, Ranked::Kept);
        }
        let candidates: Arc<[Candidate]> = self
            .index
            .top_k_candidates(family, k, weights, policy)
            .into();
        if let Ok(mut rankings) = self.rankings.lock() {
            rankings.keep(family, k, weights, policy, candidates.clone());
        }
        (candidates, Ranked::Computed)
    }

    /// The kept rankings, for a change to the index. After a panic while
    /// they were locked (a poisoned lock) they are cleared, so that nothing a
    /// half-applied change left behind is handed out; reads skip them then.
    fn rankings(&mut self) -> &mut Rankings {
        let poisoned = self.rankings.is_poisoned();
        let rankings = self
            .rankings
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if poisoned {
            rankings.clear();
        }
        rankings
    }

    /// The match index.
    pub fn index(&self) -> &MatchIndex {
        &self.index
    }

    /// One volunteer's record.
    pub fn record(&self, id: Uuid) -> Option<Arc<VolunteerRecord>> {
        self.records.get(&id).cloned()
    }

    /// How many volunteers it holds.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Takes `ids` out of the match index, keeping their records for reads:
    /// for volunteers whose current state could not be read after a write.
    pub fn withdraw(&mut self, ids: &[Uuid]) {
        for id in ids {
            self.index.remove(id.as_u128());
            self.rankings().volunteer_removed(id.as_u128());
        }
    }

    /// Puts `loaded`, a fresh read of `ids`, in place of what was known of
    /// `ids`; an id the read did not find is removed.
    pub fn replace(&mut self, ids: &[Uuid], loaded: Vec<Loaded>) {
        for id in ids {
            if !loaded.iter().any(|l| l.record.model.id == *id) {
                self.index.remove(id.as_u128());
                self.rankings().volunteer_removed(id.as_u128());
                self.records.remove(id);
            }
        }
        for Loaded { profile, record } in loaded {
            self.rankings().volunteer_changed(&profile);
            self.index.upsert(profile);
            self.records.insert(record.model.id, Arc::new(record));
        }
    }
}

/// Reads `ids` (or every volunteer) from the database, with languages,
/// trainings and every involvement of theirs.
pub async fn load<C: ConnectionTrait>(db: &C, ids: Option<&[Uuid]>) -> ApiResult<Vec<Loaded>> {
    let mut volunteers = volunteer::Entity::find();
    let mut languages =
        volunteer_language::Entity::find().order_by_asc(volunteer_language::Column::Position);
    let mut trainings = training_completion::Entity::find()
        .order_by_asc(training_completion::Column::CompletedOn)
        .order_by_asc(training_completion::Column::Id);
    let mut involvements =
        involvement::Entity::find().filter(involvement::Column::VolunteerId.is_not_null());
    if let Some(ids) = ids {
        volunteers = volunteers.filter(volunteer::Column::Id.is_in(ids.iter().copied()));
        languages =
            languages.filter(volunteer_language::Column::VolunteerId.is_in(ids.iter().copied()));
        trainings =
            trainings.filter(training_completion::Column::VolunteerId.is_in(ids.iter().copied()));
        involvements =
            involvements.filter(involvement::Column::VolunteerId.is_in(ids.iter().copied()));
    }
    let volunteers = volunteers.all(db).await?;
    let mut languages_by: HashMap<Uuid, Vec<volunteer_language::Model>> = HashMap::new();
    for row in languages.all(db).await? {
        languages_by.entry(row.volunteer_id).or_default().push(row);
    }
    let mut trainings_by: HashMap<Uuid, Vec<training_completion::Model>> = HashMap::new();
    for row in trainings.all(db).await? {
        trainings_by.entry(row.volunteer_id).or_default().push(row);
    }
    let involvements = involvements.all(db).await?;
    let plan_ids: Vec<Uuid> = involvements.iter().map(|i| i.plan_id).collect();
    let family_of_plan: HashMap<Uuid, Uuid> = if plan_ids.is_empty() {
        HashMap::new()
    } else {
        plan::Entity::find()
            .filter(plan::Column::Id.is_in(plan_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.family_id))
            .collect()
    };
    let mut families_by: HashMap<Uuid, Vec<u128>> = HashMap::new();
    let mut links_by: HashMap<Uuid, Vec<Link>> = HashMap::new();
    for inv in &involvements {
        if let (Some(v), Some(f)) = (inv.volunteer_id, family_of_plan.get(&inv.plan_id)) {
            if LOAD_STATES.contains(&inv.status.as_str()) {
                families_by.entry(v).or_default().push(f.as_u128());
            }
            links_by.entry(v).or_default().push(Link {
                involvement: inv.id,
                plan: inv.plan_id,
                family: *f,
                status: crate::core::values::parse_enum(&inv.status)?,
            });
        }
    }
    volunteers
        .into_iter()
        .map(|v| {
            let families = families_by.remove(&v.id).unwrap_or_default();
            let languages = languages_by.remove(&v.id).unwrap_or_default();
            let trainings = trainings_by.remove(&v.id).unwrap_or_default();
            let load = u32::try_from(families.len()).unwrap_or(u32::MAX);
            let profile = volunteer_profile(&v, &languages, &trainings, load, families)?;
            let record = VolunteerRecord {
                languages: languages
                    .iter()
                    .map(|l| LanguageSkill::from_row(&l.language_code, &l.level))
                    .collect::<ApiResult<_>>()?,
                trainings: trainings
                    .into_iter()
                    .map(|t| TrainingCompletion::of(&t.module, t.completed_on))
                    .collect(),
                load: i32::try_from(load).unwrap_or(i32::MAX),
                involvements: links_by.remove(&v.id).unwrap_or_default(),
                model: Arc::new(v),
            };
            Ok(Loaded { profile, record })
        })
        .collect()
}

/// The engine's profiles of `ids` (or of every volunteer).
pub async fn load_profiles<C: ConnectionTrait>(
    db: &C,
    ids: Option<&[Uuid]>,
) -> ApiResult<Vec<VolunteerProfile>> {
    Ok(load(db, ids)
        .await?
        .into_iter()
        .map(|l| l.profile)
        .collect())
}

/// Builds the roster of every volunteer.
pub async fn load_roster<C: ConnectionTrait>(db: &C) -> ApiResult<Roster> {
    Ok(Roster::build(load(db, None).await?))
}

fn poisoned() -> ApiError {
    ApiError::internal(anyhow::anyhow!("volunteer roster lock poisoned"))
}

/// Re-reads `ids` from the database into the roster (removing deleted ones).
/// Called after every commit that changes a volunteer or their load.
///
/// The write has committed by then, so a failed read does not fail it.
/// Instead the volunteers leave the match index at once: what the index knew
/// of them may no longer hold (a background check withdrawn, a pause), and no
/// family may be offered a volunteer on such a record. Their records still
/// answer reads, as they were before the write, until a retry in the
/// background reads them again and puts them back.
pub async fn refresh(state: &AppState, ids: &[Uuid]) -> ApiResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    match refresh_once(state, ids).await {
        Err(RefreshError::Read(e)) => {
            tracing::warn!(
                error = %e.cause(),
                volunteers = ids.len(),
                "could not re-read changed volunteers; out of matching until a retry succeeds"
            );
            shared(state)?
                .roster
                .write()
                .map_err(|_| poisoned())?
                .withdraw(ids);
            retry_in_background(state.clone(), Some(ids.to_vec()));
            Ok(())
        }
        Err(RefreshError::Poisoned) => Err(poisoned()),
        Ok(()) => Ok(()),
    }
}

/// Reads every volunteer again (after an import, or after notifications
/// from other replicas may have been lost). When the read fails, the roster
/// stays as it was and the read is retried in the background.
pub async fn reload(state: &AppState) -> ApiResult<()> {
    match reload_once(state).await {
        Err(RefreshError::Read(e)) => {
            tracing::warn!(error = %e.cause(), "could not reload the roster; retrying");
            retry_in_background(state.clone(), None);
            Ok(())
        }
        Err(RefreshError::Poisoned) => Err(poisoned()),
        Ok(()) => Ok(()),
    }
}

/// Why a refresh did not happen: the database read failed (retried), or the
/// roster's lock is poisoned (not retried: the process is broken).
enum RefreshError {
    Read(ApiError),
    Poisoned,
}

async fn refresh_once(state: &AppState, ids: &[Uuid]) -> Result<(), RefreshError> {
    let shared = shared(state).map_err(RefreshError::Read)?;
    let _one_at_a_time = shared.refreshing.lock().await;
    let loaded = load(&state.db, Some(ids))
        .await
        .map_err(RefreshError::Read)?;
    shared
        .roster
        .write()
        .map_err(|_| RefreshError::Poisoned)?
        .replace(ids, loaded);
    Ok(())
}

async fn reload_once(state: &AppState) -> Result<(), RefreshError> {
    let shared = shared(state).map_err(RefreshError::Read)?;
    let _one_at_a_time = shared.refreshing.lock().await;
    let roster = load_roster(&state.db).await.map_err(RefreshError::Read)?;
    *shared.roster.write().map_err(|_| RefreshError::Poisoned)? = roster;
    Ok(())
}

/// Longest wait between two retries of a failed refresh.
const RETRY_AT_MOST: std::time::Duration = std::time::Duration::from_secs(5);

/// Reads `ids` (every volunteer when `None`) again until it works, waiting
/// 100 ms after the first failure and twice as long after each next one, up
/// to [`RETRY_AT_MOST`]. A newer write's refresh of the same volunteers may
/// land first; the retry then reads the same or newer rows, so it is harmless.
fn retry_in_background(state: AppState, ids: Option<Vec<Uuid>>) {
    tokio::spawn(async move {
        let mut wait = std::time::Duration::from_millis(100);
        loop {
            tokio::time::sleep(wait).await;
            let result = match &ids {
                Some(ids) => refresh_once(&state, ids).await,
                None => reload_once(&state).await,
            };
            match result {
                Ok(()) => {
                    tracing::info!("roster refresh succeeded on retry");
                    return;
                }
                Err(RefreshError::Poisoned) => {
                    tracing::error!("volunteer roster lock poisoned; giving up the retry");
                    return;
                }
                Err(RefreshError::Read(e)) => {
                    tracing::warn!(error = %e.cause(), "roster refresh failed again; retrying");
                }
            }
            wait = (wait * 2).min(RETRY_AT_MOST);
        }
    });
}

/// Reads the roster.
pub fn read(state: &AppState) -> ApiResult<std::sync::RwLockReadGuard<'_, Roster>> {
    shared(state)?.roster.read().map_err(|_| poisoned())
}

/// One volunteer's record, without the database.
pub fn record(state: &AppState, id: Uuid) -> ApiResult<Option<Arc<VolunteerRecord>>> {
    Ok(read(state)?.record(id))
}
