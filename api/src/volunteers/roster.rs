//! The roster: every volunteer as this replica knows them. It holds the
//! matching engine's [`MatchIndex`] and, next to it, each volunteer's record
//! (row, languages, trainings, current load), from which `volunteer(id)`,
//! match candidates and every volunteer field on a family's plan are answered
//! without a database round trip.
//!
//! It is a [`ReadModel`] (a [`SharedRoster`]): loaded at start, refreshed after
//! commit by every write that changes a volunteer (`Change::Volunteer`, see
//! [`crate::sync`]), followed by other replicas through the change feed. When
//! a refresh cannot read what a write committed, the roster vouches for no
//! one until a reload in the background succeeds: a volunteer's record is
//! then read from the database (through [`ReadModel::answer`], the one fork:
//! [`record`], and the involvements the roster tells auth as its
//! [`VolunteerLinks`]), and matching, which reads the roster as the engine's
//! [`Pool`], offers no one, since no family may be offered a volunteer on a
//! record that may no longer hold (a background check withdrawn, a pause).

use std::{
    collections::HashMap,
    ops::Deref,
    sync::{Arc, Mutex},
};

use entity::{involvement, plan, training_completion, volunteer, volunteer_language};
use matching::{Candidate, FamilyProfile, MatchIndex, Policy, Rankings, VolunteerProfile, Weights};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseExecutor, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use crate::{
    auth::{Link, VolunteerLinks},
    core::error::ApiResult,
    core::metrics::Ranked,
    core::state::AppState,
    core::values::LanguageSkill,
    engine::{LOAD_STATES, Pool, Ranking, volunteer_profile},
    sync::{Change, ReadModel, RecordKind, Trusted},
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
/// application state, and a handler on the change bus).
pub type SharedRoster = ReadModel<Roster>;

fn shared(state: &AppState) -> ApiResult<&SharedRoster> {
    state.part::<SharedRoster>()
}

impl Roster {
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

    /// One volunteer's record.
    pub fn record(&self, id: Uuid) -> Option<Arc<VolunteerRecord>> {
        self.records.get(&id).cloned()
    }
}

/// The roster as its [`ReadModel`] keeps it: volunteers, by id.
impl RecordKind for Roster {
    type Key = Uuid;
    type Record = Loaded;

    const NAME: &'static str = "roster";

    /// Builds the roster of `loaded`.
    fn build(loaded: Vec<Loaded>) -> Roster {
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

    fn changed(change: &Change) -> Option<Uuid> {
        change.volunteer()
    }

    /// Puts `loaded` in place of what was known of that volunteer.
    fn insert(&mut self, Loaded { profile, record }: Loaded) {
        self.rankings().volunteer_changed(&profile);
        self.index.upsert(profile);
        self.records.insert(record.model.id, Arc::new(record));
    }

    fn key(loaded: &Loaded) -> Uuid {
        loaded.record.model.id
    }

    /// Takes volunteer `id` out (deleted).
    fn remove(&mut self, id: Uuid) {
        self.index.remove(id.as_u128());
        self.rankings().volunteer_removed(id.as_u128());
        self.records.remove(&id);
    }

    async fn load(db: &DatabaseConnection, ids: Option<&[Uuid]>) -> ApiResult<Vec<Loaded>> {
        load(db, ids).await
    }

    fn len(&self) -> usize {
        self.records.len()
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
            if LOAD_STATES.contains(&inv.status) {
                families_by.entry(v).or_default().push(f.as_u128());
            }
            links_by.entry(v).or_default().push(Link {
                involvement: inv.id,
                plan: inv.plan_id,
                family: *f,
                status: inv.status.into(),
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
                    .map(|l| LanguageSkill::from_row(&l.language_code, l.level))
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

/// What matching ranks against: the roster, or, while it cannot vouch for
/// its records, no one (see the module documentation).
#[derive(Debug)]
enum Matching<'a> {
    /// The roster, trusted.
    Roster(Trusted<'a, Roster>),
    /// No one: an empty roster.
    NoOne(Box<Roster>),
}

impl Deref for Matching<'_> {
    type Target = Roster;

    fn deref(&self) -> &Roster {
        match self {
            Matching::Roster(roster) => roster,
            Matching::NoOne(roster) => roster,
        }
    }
}

impl Ranking for Matching<'_> {
    fn index(&self) -> &MatchIndex {
        &self.index
    }

    /// The `k` best candidates for `family`, as
    /// [`MatchIndex::top_k_candidates`] ranks them: kept from an earlier
    /// request when nothing they depend on changed since, otherwise ranked
    /// now (while the caller's read guard keeps every change out) and kept.
    fn top_k_candidates(
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

    fn volunteer(&self, id: Uuid) -> Option<Arc<volunteer::Model>> {
        self.record(id).map(|record| record.model.clone())
    }
}

/// The roster is what matching ranks against (registered at start-up as
/// the engine's [`Pool`]).
#[async_trait::async_trait]
impl Pool for SharedRoster {
    fn read(&self) -> Box<dyn Ranking + '_> {
        Box::new(match self.trusted() {
            Some(roster) => Matching::Roster(roster),
            None => Matching::NoOne(Box::default()),
        })
    }

    async fn profiles(
        &self,
        db: &DatabaseExecutor<'_>,
        ids: &[Uuid],
    ) -> ApiResult<Vec<VolunteerProfile>> {
        Ok(load(db, Some(ids))
            .await?
            .into_iter()
            .map(|l| l.profile)
            .collect())
    }
}

/// One volunteer's record: from the roster, or from the database while the
/// roster cannot vouch for it. `None` when the roster (trusted) does not
/// hold them: another replica created them a moment ago and this one has
/// not heard yet.
pub async fn record(state: &AppState, id: Uuid) -> ApiResult<Option<Arc<VolunteerRecord>>> {
    shared(state)?
        .answer(
            |roster| Some(Ok(roster.record(id))),
            read_record(&state.db, id),
        )
        .await
}

/// One volunteer's record, read from the database.
async fn read_record(db: &DatabaseConnection, id: Uuid) -> ApiResult<Option<Arc<VolunteerRecord>>> {
    Ok(load(db, Some(&[id]))
        .await?
        .pop()
        .map(|loaded| Arc::new(loaded.record)))
}

/// The roster tells auth a volunteer's involvements: from their record,
/// or from the database when the roster cannot vouch for it or does not
/// hold them (yet).
#[async_trait::async_trait]
impl VolunteerLinks for SharedRoster {
    async fn links(&self, state: &AppState, volunteer: Uuid) -> ApiResult<Vec<Link>> {
        let record = self
            .answer(
                |roster| roster.record(volunteer).map(|record| Ok(Some(record))),
                read_record(&state.db, volunteer),
            )
            .await?;
        Ok(record.map(|r| r.involvements.clone()).unwrap_or_default())
    }
}
