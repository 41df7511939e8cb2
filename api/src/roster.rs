//! The roster: every volunteer as this replica knows them. It holds the
//! matching engine's [`MatchIndex`] and, next to it, each volunteer's record
//! (row, languages, trainings, current load), from which `volunteer(id)`,
//! match candidates and every volunteer field on a family's plan are answered
//! without a database round trip.
//!
//! The roster is loaded at start and refreshed, after commit, by every write
//! that changes a volunteer (see [`refresh`]); other replicas follow through
//! PostgreSQL LISTEN/NOTIFY (see [`crate::changes`]). Refreshes run one at a
//! time, so a slow refresh can never put an older read of a volunteer over a
//! newer one.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

use entity::{involvement, plan, training_completion, volunteer, volunteer_language};
use matching::{MatchIndex, VolunteerProfile};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::{
    error::{ApiError, ApiResult},
    state::AppState,
    values::{Date, LanguageSkill},
    volunteers::{LOAD_STATES, TrainingCompletion, volunteer_profile},
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
}

/// One volunteer read from the database: the engine's profile and the record.
#[derive(Debug)]
pub struct Loaded {
    /// What matching sees.
    pub profile: VolunteerProfile,
    /// What reads see.
    pub record: VolunteerRecord,
}

/// Every volunteer: the match index and the records.
#[derive(Debug, Default)]
pub struct Roster {
    index: MatchIndex,
    records: HashMap<Uuid, Arc<VolunteerRecord>>,
}

/// The roster shared by every request of one server.
pub type SharedRoster = Arc<RwLock<Roster>>;

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
        }
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

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Puts `loaded`, a fresh read of `ids`, in place of what was known of
    /// `ids`; an id the read did not find is removed.
    pub fn replace(&mut self, ids: &[Uuid], loaded: Vec<Loaded>) {
        for id in ids {
            if !loaded.iter().any(|l| l.record.model.id == *id) {
                self.index.remove(id.as_u128());
                self.records.remove(id);
            }
        }
        for Loaded { profile, record } in loaded {
            self.index.upsert(profile);
            self.records.insert(record.model.id, Arc::new(record));
        }
    }
}

/// Reads `ids` (or every volunteer) from the database, with languages,
/// trainings and the families they are involved with.
pub async fn load<C: ConnectionTrait>(db: &C, ids: Option<&[Uuid]>) -> ApiResult<Vec<Loaded>> {
    let mut volunteers = volunteer::Entity::find();
    let mut languages =
        volunteer_language::Entity::find().order_by_asc(volunteer_language::Column::Position);
    let mut trainings = training_completion::Entity::find()
        .order_by_asc(training_completion::Column::CompletedOn)
        .order_by_asc(training_completion::Column::Id);
    let mut involvements = involvement::Entity::find()
        .filter(involvement::Column::VolunteerId.is_not_null())
        .filter(involvement::Column::Status.is_in(LOAD_STATES));
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
    for inv in &involvements {
        if let (Some(v), Some(f)) = (inv.volunteer_id, family_of_plan.get(&inv.plan_id)) {
            families_by.entry(v).or_default().push(f.as_u128());
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
                    .map(|t| TrainingCompletion {
                        module: t.module,
                        completed_on: Date(t.completed_on),
                    })
                    .collect(),
                load: i32::try_from(load).unwrap_or(i32::MAX),
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
pub async fn refresh(state: &AppState, ids: &[Uuid]) -> ApiResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let _one_at_a_time = state.roster_refresh.lock().await;
    let loaded = load(&state.db, Some(ids)).await?;
    state
        .roster
        .write()
        .map_err(|_| poisoned())?
        .replace(ids, loaded);
    Ok(())
}

/// Reads every volunteer again (after an import, or after notifications
/// from other replicas may have been lost).
pub async fn reload(state: &AppState) -> ApiResult<()> {
    let _one_at_a_time = state.roster_refresh.lock().await;
    let roster = load_roster(&state.db).await?;
    *state.roster.write().map_err(|_| poisoned())? = roster;
    Ok(())
}

/// Reads the roster.
pub fn read(state: &AppState) -> ApiResult<std::sync::RwLockReadGuard<'_, Roster>> {
    state.roster.read().map_err(|_| poisoned())
}

/// One volunteer's record, without the database.
pub fn record(state: &AppState, id: Uuid) -> ApiResult<Option<Arc<VolunteerRecord>>> {
    Ok(read(state)?.record(id))
}
