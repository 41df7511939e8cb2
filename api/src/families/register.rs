//! The register: every family that is not erased, as this replica knows it,
//! with its languages, children, plan and matching profile. `families`,
//! `family(id)`, `node`, `waitingList`, the families of plans and matching are
//! answered from it without a database round trip.
//!
//! It is loaded at start and refreshed, after commit, by every write that
//! changes a family or its plan (`Change::Family`, see [`crate::sync`]);
//! other replicas and command-line processes follow through the change feed.
//! An erased family leaves it with the erasure's commit, here at once and on
//! the other replicas as the notification arrives.
//!
//! The register is either trusted or not. When a refresh cannot read what a
//! write committed, nothing it holds can be vouched for: it stops being
//! trusted, every read goes to the database (the paths that existed before
//! it), and a reload is retried in the background until it succeeds.

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    ops::Bound,
    sync::{Arc, RwLock, RwLockReadGuard},
};

use entity::{family, family_child, family_language, involvement, plan};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::{Child, FamilyFilter, FamilyStatus};
use crate::engine::family_profile;
use crate::{
    core::error::{ApiError, ApiResult},
    core::relay::{Page, PageRequest},
    core::state::AppState,
    core::values::{LanguageSkill, enum_name},
    sync::{Change, Handler},
};

/// What reads need of one family.
#[derive(Debug)]
pub struct FamilyRecord {
    /// The stored row.
    pub model: family::Model,
    /// Languages, in the order given (rows the server cannot read are left
    /// out, as the DataLoader leaves them out).
    pub languages: Vec<LanguageSkill>,
    /// Children, in the order given.
    pub children: Vec<Child>,
    /// The family's one plan.
    pub plan: plan::Model,
    /// A volunteer is PROPOSED, ACTIVE or PHASING_OUT in the plan (so
    /// follow-up staff follow the family).
    pub followed: bool,
    /// What matching sees; `None` when the stored row does not make one
    /// (matching then reads the row from the database and reports why).
    pub profile: Option<matching::FamilyProfile>,
}

/// Every family that is not erased, in key order (the order of `families`).
#[derive(Debug, Default)]
pub struct Register {
    trusted: bool,
    families: BTreeMap<Uuid, Arc<FamilyRecord>>,
    /// The family of each plan.
    plans: HashMap<Uuid, Uuid>,
}

impl Register {
    fn build(records: Vec<FamilyRecord>) -> Register {
        Register {
            trusted: true,
            plans: records.iter().map(|r| (r.plan.id, r.model.id)).collect(),
            families: records
                .into_iter()
                .map(|r| (r.model.id, Arc::new(r)))
                .collect(),
        }
    }

    /// The family of plan `plan`.
    pub fn family_of_plan(&self, plan: Uuid) -> Option<Uuid> {
        self.plans.get(&plan).copied()
    }

    /// One family.
    pub fn get(&self, id: Uuid) -> Option<Arc<FamilyRecord>> {
        self.families.get(&id).cloned()
    }

    /// How many families it holds.
    pub fn len(&self) -> usize {
        self.families.len()
    }

    fn replace(&mut self, ids: &[Uuid], loaded: Vec<FamilyRecord>) {
        for id in ids {
            if let Some(gone) = self.families.remove(id) {
                self.plans.remove(&gone.plan.id);
            }
        }
        for record in loaded {
            self.plans.insert(record.plan.id, record.model.id);
            self.families.insert(record.model.id, Arc::new(record));
        }
    }

    /// One page of the families matching `filter` (of `only`, when given), as
    /// the database query of `families` pages them: keyset pages in key
    /// order, or, with a search or crisis type, a slice of every match.
    /// `references`: whether the search matches references too.
    pub fn page(
        &self,
        filter: &FamilyFilter,
        page: &PageRequest,
        only: Option<&crate::auth::FamilySet>,
        references: bool,
    ) -> ApiResult<Page<Arc<FamilyRecord>>> {
        let statuses: Option<Vec<&str>> = filter
            .status
            .as_ref()
            .map(|s| s.iter().map(|s| enum_name(*s)).collect());
        let urgencies: Option<Vec<&str>> = filter
            .urgency
            .as_ref()
            .map(|u| u.iter().map(|u| enum_name(*u)).collect());
        let plain = |r: &FamilyRecord| {
            only.is_none_or(|only| match only {
                crate::auth::FamilySet::Listed(ids) => ids.contains(&r.model.id),
                crate::auth::FamilySet::Followed => r.followed,
            }) && statuses
                .as_ref()
                .is_none_or(|s| s.contains(&r.model.status.as_str()))
                && urgencies
                    .as_ref()
                    .is_none_or(|u| u.contains(&r.model.urgency.as_str()))
        };
        let search = filter.search_term()?;
        if search.is_none() && filter.crisis_type.is_none() {
            return Ok(self.keyset_page(page, plain));
        }
        let mut keys = Vec::new();
        for record in self.families.values() {
            let m = &record.model;
            if plain(record)
                && filter.admits(
                    search,
                    &m.display_name,
                    references.then_some(m.reference.as_str()),
                    &m.crisis_types,
                )?
            {
                keys.push(m.id);
            }
        }
        let keys = page.slice(&keys);
        Ok(Page {
            items: keys.items.iter().filter_map(|id| self.get(*id)).collect(),
            has_next: keys.has_next,
            has_previous: keys.has_previous,
            total: keys.total,
        })
    }

    /// [`crate::core::paging::keyset_page`] over the register: the same rows and
    /// page info as the database gives for the same filter.
    fn keyset_page(
        &self,
        req: &PageRequest,
        wanted: impl Fn(&FamilyRecord) -> bool,
    ) -> Page<Arc<FamilyRecord>> {
        let total = if req.count {
            self.families.values().filter(|r| wanted(r)).count()
        } else {
            0
        };
        let lower = req.after.map_or(Bound::Unbounded, Bound::Excluded);
        let upper = req.before.map_or(Bound::Unbounded, Bound::Excluded);
        let range = self
            .families
            .range((lower, upper))
            .map(|(_, r)| r)
            .filter(|r| wanted(r));
        let fetch = req.limit + 1;
        let rows: Vec<Arc<FamilyRecord>> = if req.from_end {
            let mut rows: Vec<_> = range.rev().take(fetch).cloned().collect();
            rows.reverse();
            rows
        } else {
            range.take(fetch).cloned().collect()
        };
        req.page_of(rows, total)
    }

    /// The WAITING families that pass `filter`, in the order of the
    /// database's waiting list ([`super::store::waiting_order`]).
    pub fn waiting_list(
        &self,
        filter: &FamilyFilter,
        references: bool,
    ) -> ApiResult<Vec<Arc<FamilyRecord>>> {
        let search = filter.search_term()?;
        let waiting = enum_name(FamilyStatus::Waiting);
        let mut list = Vec::new();
        for record in self.families.values() {
            if record.model.status == waiting
                && filter.admits_family(search, references, &record.model)?
            {
                list.push(record.clone());
            }
        }
        list.sort_by_key(|r| super::store::waiting_order(&r.model));
        Ok(list)
    }
}

/// The register shared by every request of one server, and the lock that
/// makes its refreshes run one at a time (so an older read can never be
/// stored over a newer one).
#[derive(Clone, Debug, Default)]
pub struct SharedRegister {
    register: Arc<RwLock<Register>>,
    refreshing: Arc<tokio::sync::Mutex<()>>,
}

impl SharedRegister {
    /// The register, when it can be trusted; `None` sends the caller to the
    /// database.
    pub fn trusted(&self) -> Option<RwLockReadGuard<'_, Register>> {
        self.register.read().ok().filter(|r| r.trusted)
    }

    /// How many families it holds (0 while it is not trusted).
    pub fn len(&self) -> usize {
        self.trusted().map_or(0, |r| r.len())
    }
}

/// Keeps the register current: the families a change names are read
/// again, and every family after an import or lost notifications.
#[async_trait::async_trait]
impl Handler for SharedRegister {
    async fn apply(&self, state: &AppState, changes: &[Change]) -> ApiResult<()> {
        let families: Vec<Uuid> = changes.iter().filter_map(Change::family).collect();
        refresh(state, &families).await?;
        if changes.contains(&Change::Reload) {
            reload(state).await?;
        }
        Ok(())
    }

    async fn resync(&self, state: &AppState) -> ApiResult<()> {
        reload(state).await
    }
}

/// The register of `state`, when it can be trusted; `None` sends the caller
/// to the database.
pub fn trusted(state: &AppState) -> Option<RwLockReadGuard<'_, Register>> {
    state.part::<SharedRegister>().ok()?.trusted()
}

fn shared(state: &AppState) -> ApiResult<&SharedRegister> {
    state.part::<SharedRegister>()
}

/// Reads the families `ids` (every family when `None`) that are not erased,
/// with their languages, children, plans and whether a volunteer is on the
/// plan: five statements.
pub async fn load<C: ConnectionTrait>(
    db: &C,
    ids: Option<&[Uuid]>,
) -> ApiResult<Vec<FamilyRecord>> {
    let mut families = family::Entity::find().filter(family::Column::ErasedAt.is_null());
    let mut languages =
        family_language::Entity::find().order_by_asc(family_language::Column::Position);
    let mut children = family_child::Entity::find().order_by_asc(family_child::Column::Position);
    let mut plans = plan::Entity::find();
    let mut followed = involvement::Entity::find()
        .filter(involvement::Column::VolunteerId.is_not_null())
        .filter(involvement::Column::Status.is_in(crate::engine::LOAD_STATES));
    if let Some(ids) = ids {
        families = families.filter(family::Column::Id.is_in(ids.iter().copied()));
        languages = languages.filter(family_language::Column::FamilyId.is_in(ids.iter().copied()));
        children = children.filter(family_child::Column::FamilyId.is_in(ids.iter().copied()));
        plans = plans.filter(plan::Column::FamilyId.is_in(ids.iter().copied()));
        followed = followed.filter(
            involvement::Column::PlanId.in_subquery(sea_orm::QueryTrait::into_query(
                plan::Entity::find()
                    .select_only()
                    .column(plan::Column::Id)
                    .filter(plan::Column::FamilyId.is_in(ids.iter().copied())),
            )),
        );
    }
    let families = families.all(db).await?;
    let mut parted = crate::engine::parted_with(db, ids).await?;
    let mut languages_by: HashMap<Uuid, Vec<family_language::Model>> = HashMap::new();
    for row in languages.all(db).await? {
        languages_by.entry(row.family_id).or_default().push(row);
    }
    let mut children_by: HashMap<Uuid, Vec<Child>> = HashMap::new();
    for row in children.all(db).await? {
        children_by.entry(row.family_id).or_default().push(Child {
            age_years: row.age_years,
        });
    }
    let followed: HashSet<Uuid> = followed
        .select_only()
        .column(involvement::Column::PlanId)
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut plan_of: HashMap<Uuid, plan::Model> = plans
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.family_id, p))
        .collect();
    families
        .into_iter()
        .map(|model| {
            let plan = plan_of.remove(&model.id).ok_or_else(|| {
                ApiError::internal(anyhow::anyhow!("family {} has no plan", model.id))
            })?;
            let rows = languages_by.remove(&model.id).unwrap_or_default();
            Ok(FamilyRecord {
                profile: family_profile(
                    &model,
                    &rows,
                    parted.remove(&model.id).unwrap_or_default(),
                )
                .ok(),
                languages: rows
                    .iter()
                    .filter_map(|l| LanguageSkill::from_row(&l.language_code, &l.level).ok())
                    .collect(),
                children: children_by.remove(&model.id).unwrap_or_default(),
                followed: followed.contains(&plan.id),
                plan,
                model,
            })
        })
        .collect()
}

/// Builds the register of every family.
pub async fn load_register<C: ConnectionTrait>(db: &C) -> ApiResult<SharedRegister> {
    let register = Register::build(load(db, None).await?);
    Ok(SharedRegister {
        register: Arc::new(RwLock::new(register)),
        refreshing: Arc::default(),
    })
}

fn poisoned() -> ApiError {
    ApiError::internal(anyhow::anyhow!("family register lock poisoned"))
}

/// Re-reads `ids` into the register (an erased or deleted family leaves it).
/// Called after every commit that changes a family or its plan.
///
/// The write has committed by then, so a failed read does not fail it: the
/// register stops being trusted (reads go to the database) until a reload in
/// the background succeeds.
pub async fn refresh(state: &AppState, ids: &[Uuid]) -> ApiResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let shared = shared(state)?;
    let _one_at_a_time = shared.refreshing.lock().await;
    match load(&state.db, Some(ids)).await {
        Ok(loaded) => {
            shared
                .register
                .write()
                .map_err(|_| poisoned())?
                .replace(ids, loaded);
        }
        Err(e) => {
            tracing::warn!(
                error = %e.cause(),
                families = ids.len(),
                "could not re-read changed families; reading families from the database until a reload succeeds"
            );
            distrust(shared)?;
            retry_in_background(state.clone());
        }
    }
    Ok(())
}

/// Reads every family again (after an import, or after notifications from
/// other processes may have been lost). While it fails, the register is not
/// trusted and the reload is retried in the background.
pub async fn reload(state: &AppState) -> ApiResult<()> {
    let shared = shared(state)?;
    let _one_at_a_time = shared.refreshing.lock().await;
    match load(&state.db, None).await {
        Ok(loaded) => {
            *shared.register.write().map_err(|_| poisoned())? = Register::build(loaded);
        }
        Err(e) => {
            tracing::warn!(error = %e.cause(), "could not reload the family register; retrying");
            distrust(shared)?;
            retry_in_background(state.clone());
        }
    }
    Ok(())
}

fn distrust(shared: &SharedRegister) -> ApiResult<()> {
    let mut register = shared.register.write().map_err(|_| poisoned())?;
    register.trusted = false;
    register.families.clear();
    register.plans.clear();
    Ok(())
}

/// Longest wait between two attempts of a failed reload.
const RETRY_AT_MOST: std::time::Duration = std::time::Duration::from_secs(5);

/// Reloads the register until it works, waiting 100 ms after the first
/// failure and twice as long after each next one, up to [`RETRY_AT_MOST`].
/// Each attempt holds the refresh lock, so it never stores over a newer read.
fn retry_in_background(state: AppState) {
    let Ok(shared) = shared(&state).cloned() else {
        return;
    };
    tokio::spawn(async move {
        let mut wait = std::time::Duration::from_millis(100);
        loop {
            tokio::time::sleep(wait).await;
            let _one_at_a_time = shared.refreshing.lock().await;
            if shared.trusted().is_some() {
                return;
            }
            match load(&state.db, None).await {
                Ok(loaded) => match shared.register.write() {
                    Ok(mut register) => {
                        *register = Register::build(loaded);
                        tracing::info!("family register reloaded on retry");
                        return;
                    }
                    Err(_) => {
                        tracing::error!("family register lock poisoned; giving up the retry");
                        return;
                    }
                },
                Err(e) => {
                    tracing::warn!(error = %e.cause(), "family register reload failed again; retrying");
                }
            }
            wait = (wait * 2).min(RETRY_AT_MOST);
        }
    });
}
