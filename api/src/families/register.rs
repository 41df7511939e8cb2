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
//! It is a [`ReadModel`] (a [`SharedRegister`]), trusted or not: when a refresh
//! cannot read what a write committed, nothing it holds can be vouched for;
//! it stops being trusted, every read goes to the database (through
//! [`ReadModel::answer`], the one fork, which the readers in `families`
//! use), and a reload is retried in the background until it succeeds.
//!
//! It answers auth's [`FollowedFamilies`] (registered at start-up).

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    ops::Bound,
    sync::Arc,
};

use entity::{family, family_child, family_language, involvement, plan, vocabulary as stored};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::{Child, FamilyFilter};
use crate::engine::family_profile;
use crate::{
    auth::{Followed, FollowedFamilies},
    core::error::{ApiError, ApiResult},
    core::relay::{Page, PageRequest},
    core::state::AppState,
    core::values::LanguageSkill,
    sync::{Change, ReadModel, RecordKind},
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
    families: BTreeMap<Uuid, Arc<FamilyRecord>>,
    /// The family of each plan.
    plans: HashMap<Uuid, Uuid>,
}

impl Register {
    /// The family of plan `plan`.
    pub fn family_of_plan(&self, plan: Uuid) -> Option<Uuid> {
        self.plans.get(&plan).copied()
    }

    /// One family.
    pub fn get(&self, id: Uuid) -> Option<Arc<FamilyRecord>> {
        self.families.get(&id).cloned()
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
        let statuses: Option<Vec<stored::FamilyStatus>> = filter
            .status
            .as_ref()
            .map(|s| s.iter().map(|s| (*s).into()).collect());
        let urgencies: Option<Vec<stored::Urgency>> = filter
            .urgency
            .as_ref()
            .map(|u| u.iter().map(|u| (*u).into()).collect());
        let plain = |r: &FamilyRecord| {
            only.is_none_or(|only| match only {
                crate::auth::FamilySet::Listed(ids) => ids.contains(&r.model.id),
                crate::auth::FamilySet::Followed => r.followed,
            }) && statuses
                .as_ref()
                .is_none_or(|s| s.contains(&r.model.status))
                && urgencies
                    .as_ref()
                    .is_none_or(|u| u.contains(&r.model.urgency))
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
    /// database's waiting list ([`super::queries::waiting_order`]).
    pub fn waiting_list(
        &self,
        filter: &FamilyFilter,
        references: bool,
    ) -> ApiResult<Vec<Arc<FamilyRecord>>> {
        let search = filter.search_term()?;
        let mut list = Vec::new();
        for record in self.families.values() {
            if record.model.status == stored::FamilyStatus::Waiting
                && filter.admits_family(search, references, &record.model)?
            {
                list.push(record.clone());
            }
        }
        list.sort_by_key(|r| super::queries::waiting_order(&r.model));
        Ok(list)
    }
}

/// The register as its [`ReadModel`] keeps it: families, by id.
impl RecordKind for Register {
    type Record = FamilyRecord;
    type Key = Uuid;

    const NAME: &'static str = "register";

    async fn load(db: &DatabaseConnection, ids: Option<&[Uuid]>) -> ApiResult<Vec<FamilyRecord>> {
        load(db, ids).await
    }

    fn key(record: &FamilyRecord) -> Uuid {
        record.model.id
    }

    fn changed(change: &Change) -> Option<Uuid> {
        change.family()
    }

    fn build(records: Vec<FamilyRecord>) -> Register {
        Register {
            plans: records.iter().map(|r| (r.plan.id, r.model.id)).collect(),
            families: records
                .into_iter()
                .map(|r| (r.model.id, Arc::new(r)))
                .collect(),
        }
    }

    fn len(&self) -> usize {
        self.families.len()
    }

    /// Takes family `id` out (erased or deleted).
    fn remove(&mut self, id: Uuid) {
        if let Some(gone) = self.families.remove(&id) {
            self.plans.remove(&gone.plan.id);
        }
    }

    /// Puts `record` in place of what was known of that family.
    fn insert(&mut self, record: FamilyRecord) {
        self.remove(record.model.id);
        self.plans.insert(record.plan.id, record.model.id);
        self.families.insert(record.model.id, Arc::new(record));
    }
}

/// The register shared by every request of one server (a part of the
/// application state, and a handler on the change bus).
pub type SharedRegister = ReadModel<Register>;

/// The register of `state`. Its one fork between memory and the database is
/// [`ReadModel::answer`]: every read of a family goes through it.
pub fn shared(state: &AppState) -> ApiResult<&SharedRegister> {
    state.part::<SharedRegister>()
}

/// The register tells auth which families follow-up staff follow: each
/// record's `followed`, while it is trusted; else the database lists them.
#[async_trait::async_trait]
impl FollowedFamilies for SharedRegister {
    async fn followed(&self, state: &AppState) -> ApiResult<Followed> {
        self.answer(
            |_| Some(Ok(Followed::Remembered)),
            followed_in_database(state),
        )
        .await
    }

    fn remembered(&self, family: Option<Uuid>, plan: Option<Uuid>) -> bool {
        let Some(register) = self.trusted() else {
            return false;
        };
        let family = family.or_else(|| plan.and_then(|p| register.family_of_plan(p)));
        family
            .and_then(|f| register.get(f))
            .is_some_and(|r| r.followed)
    }
}

/// The families with a volunteer PROPOSED, ACTIVE or PHASING_OUT, and
/// their plans, read from the database.
async fn followed_in_database(state: &AppState) -> ApiResult<Followed> {
    let plans: HashSet<Uuid> = involvement::Entity::find()
        .select_only()
        .column(involvement::Column::PlanId)
        .filter(involvement::Column::VolunteerId.is_not_null())
        .filter(involvement::Column::Status.is_in(crate::engine::LOAD_STATES))
        .into_tuple::<Uuid>()
        .all(&state.db)
        .await?
        .into_iter()
        .collect();
    let families = if plans.is_empty() {
        HashSet::new()
    } else {
        plan::Entity::find()
            .select_only()
            .column(plan::Column::FamilyId)
            .filter(plan::Column::Id.is_in(plans.iter().copied()))
            .into_tuple::<Uuid>()
            .all(&state.db)
            .await?
            .into_iter()
            .collect()
    };
    Ok(Followed::Listed { families, plans })
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
                    .filter_map(|l| LanguageSkill::from_row(&l.language_code, l.level).ok())
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
pub async fn load_register(db: &DatabaseConnection) -> ApiResult<SharedRegister> {
    SharedRegister::load(db).await
}
