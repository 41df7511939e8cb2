//! Families: the pseudonymous family record, its languages, children and
//! needs; `family/families`, `waitingList`, `createFamily` (which creates the
//! family's one plan in the same transaction), `updateFamily`.

mod history;
mod loaders;
pub mod register;
mod store;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use async_graphql::{Context, Enum, ID, InputObject, Object, dataloader::Loader};
use chrono::{DateTime, Utc};
use entity::{family, plan};
use uuid::Uuid;

use crate::auth::{Actor, ViewerExt};
use crate::core::relay::NodeKind;
pub use crate::engine::Urgency;
use crate::engine::family_profile;
pub use history::{
    FamilyStatusCause, FamilyStatusChange, FamilyStatusChangeConnection, change_row,
    load_status_change,
};
pub use loaders::{FamilyById, FamilyChildren, FamilyLanguages};
pub use store::{NewFamily, create_family, insert_families, validate_family, waiting_days};

use crate::{
    core::error::{ApiError, ApiResult, ResultExt},
    core::loaders::{DbLoader, LoadError, load},
    core::relay::{PageRequest, expect_id, global_id, slice_ordered},
    core::state::{AppState, ContextExt},
    core::values::{
        CrisisType, Date, Language, LanguageSkill, LanguageSkillInput, Location, LocationInput,
        TimeSlot, TimeSlotInput, enums_from_json, slots_view,
    },
    plans::{Plan, PlanByFamily},
};

/// Where a family stands, derived from its plan: CLOSED when the plan is
/// closed, SUPPORTED while a helper is ACTIVE or PHASING_OUT, WAITING
/// otherwise (never set by hand).
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::vocabulary::FamilyStatus")]
pub enum FamilyStatus {
    /// No helper ACTIVE or PHASING_OUT (yet, or any more).
    Waiting,
    /// At least one helper is ACTIVE or PHASING_OUT.
    Supported,
    /// The plan is closed.
    Closed,
}

/// Who referred the family.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::vocabulary::ReferralSource")]
#[allow(clippy::upper_case_acronyms)]
pub enum ReferralSource {
    /// A crisis line (crisismeldpunt).
    CrisisHotline,
    /// Centrum Algemeen Welzijnswerk.
    Caw,
    /// Centrum voor Leerlingenbegeleiding.
    Clb,
    /// Kind en Gezin (the Flemish agency for young children and families).
    KindEnGezin,
    /// Ondersteuningscentrum Jeugdzorg.
    Ocj,
    /// Huis van het Kind (local family centre).
    HuisVanHetKind,
    /// The children's school.
    School,
    /// General practitioner.
    Gp,
    /// The family came on its own.
    #[graphql(name = "SELF")]
    SelfReferral,
    /// Anyone else.
    Other,
}

/// A child in the family: only the age.
#[derive(Clone, Debug, async_graphql::SimpleObject)]
pub struct Child {
    /// Age in years.
    pub age_years: i32,
}

/// A family in crisis, supported through one shared plan.
#[derive(Clone, Debug)]
pub enum Family {
    /// A row just written or read from the database (mutation results, and
    /// every read while the register is not trusted): its languages,
    /// children and plan come through the DataLoader.
    Row(Arc<family::Model>),
    /// A family from the [`register`], with its languages, children and plan.
    Registered(Arc<register::FamilyRecord>),
}

impl Family {
    /// A family read from the database.
    pub fn from_row(model: family::Model) -> Family {
        Family::Row(Arc::new(model))
    }

    /// The stored row.
    pub fn model(&self) -> &family::Model {
        match self {
            Family::Row(model) => model,
            Family::Registered(record) => &record.model,
        }
    }

    fn record(&self) -> Option<&register::FamilyRecord> {
        match self {
            Family::Row(_) => None,
            Family::Registered(record) => Some(record),
        }
    }
}

crate::connection!(FamilyConnection, FamilyEdge, Family);

/// A family referred for support, with its one plan. What a viewer reads of it follows the access policy.
#[Object(guard = "crate::auth::Scoped(self)")]
impl Family {
    /// Global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Family, self.model().id)
    }
    /// Pseudonymous case reference, e.g. G-2026-0042. Never a surname.
    async fn reference(&self) -> &str {
        &self.model().reference
    }
    /// What the family wants to be called by its helpers (a first name or alias).
    async fn display_name(&self) -> &str {
        &self.model().display_name
    }
    /// Languages the family speaks.
    async fn languages(&self, ctx: &Context<'_>) -> ApiResult<Vec<LanguageSkill>> {
        if let Some(record) = self.record() {
            return Ok(record.languages.clone());
        }
        if let Some(languages) = Prefetched::of(ctx).and_then(|p| p.languages(self.model().id)) {
            return Ok(languages);
        }
        Ok(load(ctx, FamilyLanguages(self.model().id))
            .await?
            .unwrap_or_default())
    }
    /// The language the family prefers to be helped in (one of `languages`).
    async fn preferred_language(&self) -> Option<Language> {
        self.model()
            .preferred_language
            .as_deref()
            .and_then(matching::LanguageCode::parse_code)
            .map(Language::from)
    }
    /// Where the family lives (for some viewers only the municipality).
    async fn home(&self) -> Location {
        Location {
            postal_code: self.model().postal_code.clone(),
            municipality: self.model().municipality.clone(),
            latitude: self.model().latitude,
            longitude: self.model().longitude,
            owner: crate::core::values::Owner::Family(self.model().id),
        }
    }
    /// Why the family needs support.
    async fn crisis_types(&self) -> ApiResult<Vec<CrisisType>> {
        enums_from_json(&self.model().crisis_types)
    }
    /// How urgent.
    async fn urgency(&self) -> Urgency {
        self.model().urgency.into()
    }
    /// Where the family stands.
    async fn status(&self) -> FamilyStatus {
        self.model().status.into()
    }
    /// Every change of `status`, oldest first: the referral (WAITING), a
    /// helper phased in while none was (SUPPORTED), the last helper ending
    /// (WAITING again), the plan closed or reopened. A step that leaves the
    /// status as it was adds nothing. Read as `status` is.
    async fn status_history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start (at most 100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Only changes after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Only changes before this cursor.")] before: Option<String>,
    ) -> ApiResult<FamilyStatusChangeConnection> {
        let page = PageRequest::parse::<FamilyStatusChangeConnection>(first, after, last, before)?;
        history::status_history(ctx, self.model().id, page).await
    }
    /// Who referred the family.
    async fn referral_source(&self) -> ReferralSource {
        self.model().referral_source.into()
    }
    /// When the family was referred.
    async fn referred_at(&self) -> DateTime<Utc> {
        self.model().referred_at
    }
    /// While WAITING: the day it started waiting this time (its referral, or
    /// the day its last helper ended). Null otherwise.
    async fn waiting_since(&self) -> Option<Date> {
        store::waiting_since(self.model()).map(Date)
    }
    /// While WAITING: days since waitingSince. Once SUPPORTED: how many days
    /// it waited last time.
    async fn waiting_days(&self) -> i32 {
        waiting_days(self.model(), Utc::now())
    }
    /// Referral + 30 days while no helper was ever phased in (the one-month
    /// rule); null once answered.
    async fn answer_due_on(&self) -> Option<Date> {
        store::answer_due_on(self.model()).map(Date)
    }
    /// When the family would like support each week.
    async fn needed_availability(&self) -> ApiResult<Vec<TimeSlot>> {
        slots_view(&self.model().needed_availability)
    }
    /// The children, by age.
    async fn children(&self, ctx: &Context<'_>) -> ApiResult<Vec<Child>> {
        if let Some(record) = self.record() {
            return Ok(record.children.clone());
        }
        if let Some(children) = Prefetched::of(ctx).and_then(|p| p.children(self.model().id)) {
            return Ok(children);
        }
        Ok(load(ctx, FamilyChildren(self.model().id))
            .await?
            .unwrap_or_default())
    }
    /// The family agreed to share its data within the network and to be helped
    /// through the plan. Helpers can only be involved when true.
    async fn consent_given(&self) -> bool {
        self.model().consent_given
    }
    /// One family, one plan: created with the family, never more than one.
    /// Null (with a FORBIDDEN error) for viewers who may not see plans.
    async fn plan(&self, ctx: &Context<'_>) -> ApiResult<Option<Plan>> {
        if let Some(record) = self.record() {
            return Ok(Some(Plan(record.plan.clone())));
        }
        if let Some(plan) = Prefetched::of(ctx).and_then(|p| p.plan(self.model().id)) {
            return Ok(Some(Plan(plan)));
        }
        load(ctx, PlanByFamily(self.model().id))
            .await?
            .map(|plan| Some(Plan(plan)))
            .ok_or_else(|| {
                ApiError::internal(anyhow::anyhow!("family {} has no plan", self.model().id))
            })
    }
    /// The best volunteers for this family right now (same as Query.matchesForFamily).
    async fn matches(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10, desc = "How many candidates (0 to 100).")] first: Option<i32>,
    ) -> ApiResult<crate::matches::MatchResult> {
        crate::matches::matches_field(ctx, self.model().id, first.unwrap_or(10), None).await
    }
    /// Version for optimistic concurrency (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.model().version
    }
    /// When the record was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.model().created_at
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.model().updated_at
    }
}

/// The plans, children and languages of the families on a page, and the
/// goals and helpers of their plans, read with the page when its selection
/// asks for them: one query per relation, run side by side, without the
/// DataLoader's per-field bookkeeping and batching delay (whose 1 ms window
/// a page's fields, each through the access policy, may outlast). Per
/// request, and filled only by `families`, a query: a mutation never reads
/// from it. Families not on such a page go through the DataLoader.
#[derive(Debug, Default)]
pub struct Prefetched {
    plans: Mutex<HashMap<Uuid, plan::Model>>,
    children: Mutex<HashMap<Uuid, Vec<Child>>>,
    languages: Mutex<HashMap<Uuid, Vec<LanguageSkill>>>,
    goals: Mutex<HashMap<Uuid, Vec<entity::goal::Model>>>,
    helpers: Mutex<HashMap<Uuid, Vec<entity::involvement::Model>>>,
}

impl Prefetched {
    /// The request's store, if it has one.
    pub fn of<'a>(ctx: &'a Context<'_>) -> Option<&'a Prefetched> {
        ctx.data_opt::<Prefetched>()
    }

    /// The goals of plan `plan`, if its page read them.
    pub fn goals(&self, plan: Uuid) -> Option<Vec<entity::goal::Model>> {
        self.goals.lock().ok()?.get(&plan).cloned()
    }

    /// The involvements of plan `plan`, if its page read them.
    pub fn helpers(&self, plan: Uuid) -> Option<Vec<entity::involvement::Model>> {
        self.helpers.lock().ok()?.get(&plan).cloned()
    }

    /// Reads the goals and involvements of `plans` when the selection under
    /// `edges { node { plan { ... } } }` asks for them.
    async fn plan_parts(ctx: &Context<'_>, plans: &[Uuid]) -> ApiResult<()> {
        let Some(store) = Prefetched::of(ctx) else {
            return Ok(());
        };
        if plans.is_empty() {
            return Ok(());
        }
        let plan = ctx.look_ahead().field("edges").field("node").field("plan");
        let loader = DbLoader {
            db: ctx.state()?.db.clone(),
        };
        tokio::try_join!(
            fill(
                &store.goals,
                &loader,
                plan.field("goals").exists(),
                plans,
                crate::plans::GoalsByPlan
            ),
            fill(
                &store.helpers,
                &loader,
                plan.field("involvements").exists(),
                plans,
                crate::plans::InvolvementsByPlan
            ),
        )?;
        Ok(())
    }

    fn plan(&self, family: Uuid) -> Option<plan::Model> {
        self.plans.lock().ok()?.get(&family).cloned()
    }

    fn children(&self, family: Uuid) -> Option<Vec<Child>> {
        self.children.lock().ok()?.get(&family).cloned()
    }

    fn languages(&self, family: Uuid) -> Option<Vec<LanguageSkill>> {
        self.languages.lock().ok()?.get(&family).cloned()
    }

    /// Reads what the selection under `edges { node { ... } }` asks of the
    /// families `ids` and the viewer may see.
    async fn page(ctx: &Context<'_>, ids: &[Uuid]) -> ApiResult<()> {
        let Some(store) = Prefetched::of(ctx) else {
            return Ok(());
        };
        if ids.is_empty() {
            return Ok(());
        }
        let node = ctx.look_ahead().field("edges").field("node");
        let viewer = ctx.viewer()?;
        let wants = |field: &str| {
            node.field(field).exists() && crate::auth::may_read_some(viewer, "Family", field)
        };
        let loader = DbLoader {
            db: ctx.state()?.db.clone(),
        };
        tokio::try_join!(
            fill(&store.plans, &loader, wants("plan"), ids, PlanByFamily),
            fill(
                &store.children,
                &loader,
                wants("children"),
                ids,
                FamilyChildren
            ),
            fill(
                &store.languages,
                &loader,
                wants("languages"),
                ids,
                FamilyLanguages
            ),
        )?;
        Ok(())
    }
}

/// Loads relation `K` of `ids` through the DataLoader's own query, straight
/// into `into` (when `wanted`).
async fn fill<K, V>(
    into: &Mutex<HashMap<Uuid, V>>,
    loader: &DbLoader,
    wanted: bool,
    ids: &[Uuid],
    key: fn(Uuid) -> K,
) -> ApiResult<()>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    DbLoader: Loader<K, Value = V, Error = LoadError>,
{
    if !wanted {
        return Ok(());
    }
    let keys: Vec<K> = ids.iter().map(|id| key(*id)).collect();
    let mut rows = loader
        .load(&keys)
        .await
        .map_err(|e| ApiError::internal(anyhow::anyhow!("prefetch failed: {e}")))?;
    let mut into = into
        .lock()
        .map_err(|_| ApiError::internal(anyhow::anyhow!("prefetch lock poisoned")))?;
    for id in ids {
        if let Some(value) = rows.remove(&key(*id)) {
            into.insert(*id, value);
        }
    }
    Ok(())
}

/// One (not erased) family, whoever reads: from the register, or through
/// the request's DataLoader while the register is not trusted. `None` for
/// an unknown or erased family.
pub async fn find(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Family>> {
    register::shared(ctx.state()?)?
        .answer(
            |register| Some(Ok(register.get(id).map(Family::Registered))),
            async { Ok(load(ctx, FamilyById(id)).await?.map(Family::from_row)) },
        )
        .await
}

/// Loads one (not erased) family the viewer may see ([`find`], then the
/// access policy).
pub async fn load_one(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Family>> {
    match find(ctx, id).await? {
        Some(family) if crate::auth::sees(ctx, &family).await? => Ok(Some(family)),
        _ => Ok(None),
    }
}

/// The family of plan `plan`: from the register's index of plans, or
/// through the request's DataLoader while the register is not trusted (or
/// does not know the plan).
pub async fn family_of_plan(ctx: &Context<'_>, plan: Uuid) -> ApiResult<Option<Uuid>> {
    register::shared(ctx.state()?)?
        .answer(
            |register| register.family_of_plan(plan).map(|family| Ok(Some(family))),
            async {
                Ok(load(ctx, crate::plans::PlanById(plan))
                    .await?
                    .map(|p| p.family_id))
            },
        )
        .await
}

/// A family's matching profile, not noted as a read (for jobs and for
/// [`profile_for_matching`]): from the register, or from the database while
/// the register is not trusted or cannot make one of the stored row
/// (NOT_FOUND for unknown or erased families).
pub async fn matching_profile(state: &AppState, id: Uuid) -> ApiResult<matching::FamilyProfile> {
    register::shared(state)?
        .answer(
            |register| match register.get(id) {
                None => Some(Err(ApiError::not_found("Family"))),
                Some(record) => record.profile.clone().map(Ok),
            },
            async { Ok(crate::engine::family_profile_of(&state.db, id).await?.1) },
        )
        .await
}

/// A family's matching profile, read for the viewer (and so noted as a
/// read of the family: rankings and distances give its home, languages and
/// crisis types away). NOT_FOUND for unknown or erased families.
pub async fn profile_for_matching(
    ctx: &Context<'_>,
    family_id: Uuid,
) -> ApiResult<matching::FamilyProfile> {
    let profile = matching_profile(ctx.state()?, family_id).await?;
    crate::audit::note_read(ctx, family_id);
    Ok(profile)
}

/// The matching profiles of the WAITING families (of `only`, when given), in
/// key order, read for the viewer (each noted as a read of its family).
pub async fn waiting_profiles_for_matching(
    ctx: &Context<'_>,
    only: Option<Vec<Uuid>>,
) -> ApiResult<Vec<matching::FamilyProfile>> {
    let state = ctx.state()?;
    let (families, languages) = store::waiting_with_languages(&state.db, only).await?;
    let ids: Vec<Uuid> = families.iter().map(|f| f.id).collect();
    let mut parted = crate::engine::parted_with(&state.db, Some(&ids)).await?;
    let mut profiles = Vec::with_capacity(families.len());
    for family in &families {
        let rows = languages
            .get(&family.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        profiles.push(family_profile(
            family,
            rows,
            parted.remove(&family.id).unwrap_or_default(),
        )?);
        crate::audit::note_read(ctx, family.id);
    }
    Ok(profiles)
}

/// A newly referred family.
#[derive(Clone, Debug, InputObject)]
pub struct CreateFamilyInput {
    /// A first name or alias, never a surname.
    pub display_name: String,
    /// At least one language.
    pub languages: Vec<LanguageSkillInput>,
    /// One of `languages`.
    pub preferred_language: Option<String>,
    /// Where the family lives.
    pub home: LocationInput,
    /// Why the family needs support.
    pub crisis_types: Vec<CrisisType>,
    /// How urgent.
    #[graphql(default_with = "Some(Urgency::Normal)")]
    pub urgency: Option<Urgency>,
    /// Who referred the family.
    pub referral_source: ReferralSource,
    /// Defaults to now.
    pub referred_at: Option<DateTime<Utc>>,
    /// When the family would like support each week.
    pub needed_availability: Vec<TimeSlotInput>,
    /// Ages of the children, 0 to 25.
    #[graphql(default_with = "Some(Vec::new())")]
    pub children_ages: Option<Vec<i32>>,
    /// The family agreed to share its data within the network.
    pub consent_given: bool,
}

/// Every field optional: what is given replaces what was there.
#[derive(Clone, Debug, Default, InputObject)]
pub struct UpdateFamilyInput {
    /// A first name or alias.
    pub display_name: Option<String>,
    /// Replaces all languages.
    pub languages: Option<Vec<LanguageSkillInput>>,
    /// One of the family's languages.
    pub preferred_language: Option<String>,
    /// Where the family lives.
    pub home: Option<LocationInput>,
    /// Replaces the crisis types.
    pub crisis_types: Option<Vec<CrisisType>>,
    /// How urgent.
    pub urgency: Option<Urgency>,
    /// Replaces the weekly needs.
    pub needed_availability: Option<Vec<TimeSlotInput>>,
    /// Replaces the children's ages.
    pub children_ages: Option<Vec<i32>>,
    /// Consent to share data within the network.
    pub consent_given: Option<bool>,
}

/// Filters of `families`. A viewer may only filter on what they may read; a
/// filter on a field they may not read is FORBIDDEN.
#[derive(Clone, Debug, Default, InputObject)]
pub struct FamilyFilter {
    /// Any of these statuses.
    pub status: Option<Vec<FamilyStatus>>,
    /// Any of these urgencies.
    pub urgency: Option<Vec<Urgency>>,
    /// Has this crisis type.
    pub crisis_type: Option<CrisisType>,
    /// Fuzzy match on display name, or the exact reference (for viewers who
    /// may read references).
    pub search: Option<String>,
}

impl FamilyFilter {
    /// FORBIDDEN for a filter on what the viewer may not read; whether a
    /// search may match references.
    fn allowed(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let given = [
            ("status", self.status.is_some()),
            ("urgency", self.urgency.is_some()),
            ("crisisType", self.crisis_type.is_some()),
            ("search", self.search.is_some()),
        ];
        for (field, given) in given {
            if given {
                crate::auth::may_use(ctx, "FamilyFilter", field, &format!("filter.{field}"))?;
            }
        }
        Ok(crate::auth::may_use(
            ctx,
            "FamilyFilter",
            "search (matches references)",
            "filter.search",
        )
        .is_ok())
    }

    /// The search term, trimmed (`None` when blank); over 100 characters is
    /// BAD_USER_INPUT.
    fn search_term(&self) -> ApiResult<Option<&str>> {
        let search = self
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if search.is_some_and(|s| s.chars().count() > 100) {
            return Err(ApiError::bad_input(
                "filter.search",
                crate::core::locale::tr!("error-too-long", field = "search", max = 100),
            ));
        }
        Ok(search)
    }

    /// Whether a family passes every part of the filter (`references`:
    /// whether the search may match its reference).
    fn admits_family(
        &self,
        search: Option<&str>,
        references: bool,
        family: &family::Model,
    ) -> ApiResult<bool> {
        let status = self
            .status
            .as_ref()
            .is_none_or(|s| s.contains(&FamilyStatus::from(family.status)));
        let urgency = self
            .urgency
            .as_ref()
            .is_none_or(|u| u.contains(&Urgency::from(family.urgency)));
        Ok(status
            && urgency
            && self.admits(
                search,
                &family.display_name,
                references.then_some(family.reference.as_str()),
                &family.crisis_types,
            )?)
    }

    /// Whether a family passes the crisis-type filter and `search` (its
    /// reference exactly, when given, or its display name fuzzily).
    fn admits(
        &self,
        search: Option<&str>,
        display_name: &str,
        reference: Option<&str>,
        crisis_types: &serde_json::Value,
    ) -> ApiResult<bool> {
        if let Some(wanted) = self.crisis_type {
            let crises: Vec<CrisisType> = enums_from_json(crisis_types)?;
            if !crises.contains(&wanted) {
                return Ok(false);
            }
        }
        Ok(search.is_none_or(|s| {
            reference.is_some_and(|r| r.eq_ignore_ascii_case(s))
                || crate::core::values::fuzzy_matches(display_name, s)
        }))
    }
}

/// Family queries.
#[derive(Default, Debug)]
pub struct FamiliesQuery;

#[Object]
impl FamiliesQuery {
    /// One family.
    async fn family(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The family's global ID.")] id: ID,
    ) -> ApiResult<Option<Family>> {
        let key = match expect_id(&id, NodeKind::Family, "id") {
            Ok(key) => key,
            Err(ApiError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        load_one(ctx, key).await
    }

    /// Families, in the order they were registered.
    async fn families(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start (at most 100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Only rows after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Only rows before this cursor.")] before: Option<String>,
        #[graphql(desc = "Only families matching every criterion given.")] filter: Option<
            FamilyFilter,
        >,
    ) -> ApiResult<FamilyConnection> {
        let filter = filter.unwrap_or_default();
        let references = filter.allowed(ctx)?;
        let viewing = crate::auth::viewing(ctx)?;
        let seen = crate::auth::policy::visible("Family", viewing.viewer.role);
        let only = viewing.families_with(seen).await?;
        let page =
            PageRequest::parse::<FamilyConnection>(first, after, last, before)?.counting(ctx);
        let state = ctx.state()?;
        let read = register::shared(state)?
            .answer(
                |register| {
                    Some(
                        register
                            .page(&filter, &page, only.as_ref(), references)
                            .map(FamilyPage::Registered),
                    )
                },
                families_from_database(ctx, &filter, &page, only.as_ref(), references),
            )
            .await?;
        match read {
            FamilyPage::Registered(rows) => {
                let plans: Vec<Uuid> = rows.items.iter().map(|r| r.plan.id).collect();
                Prefetched::plan_parts(ctx, &plans).await?;
                Ok(rows.into_connection(|r| r.model.id, Family::Registered))
            }
            FamilyPage::Read(connection) => Ok(connection),
        }
    }

    /// WAITING families, most urgent first, then longest waiting (warm
    /// waiting-list management): the current wait counts (`waitingSince`),
    /// so a family whose last helper ended waits again from that day.
    async fn waiting_list(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50, desc = "Page size (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Only families after this cursor.")] after: Option<String>,
        #[graphql(desc = "Only families matching every criterion given.")] filter: Option<
            FamilyFilter,
        >,
    ) -> ApiResult<FamilyConnection> {
        let filter = filter.unwrap_or_default();
        let references = filter.allowed(ctx)?;
        let page = PageRequest::parse::<FamilyConnection>(first, after, None, None)?;
        let state = ctx.state()?;
        register::shared(state)?
            .answer(
                |register| {
                    Some(register.waiting_list(&filter, references).and_then(|rows| {
                        Ok(slice_ordered(&page, &rows, |r| r.model.id)?
                            .into_connection(|r| r.model.id, Family::Registered))
                    }))
                },
                async {
                    let rows = store::waiting_list(&state.db, &filter, references).await?;
                    Ok(slice_ordered(&page, &rows, |f| f.id)?
                        .into_connection(|f| f.id, Family::from_row))
                },
            )
            .await
    }
}

/// A page of `families` read from the database, with what its fields read
/// prefetched.
async fn families_from_database(
    ctx: &Context<'_>,
    filter: &FamilyFilter,
    page: &PageRequest,
    only: Option<&crate::auth::FamilySet>,
    references: bool,
) -> ApiResult<FamilyPage> {
    let db = &ctx.state()?.db;
    let rows = store::find_family_page(db, filter, page, only, references).await?;
    let ids: Vec<Uuid> = rows.items.iter().map(|f| f.id).collect();
    Prefetched::page(ctx, &ids).await?;
    let plans: Vec<Uuid> = Prefetched::of(ctx)
        .and_then(|p| {
            p.plans
                .lock()
                .ok()
                .map(|plans| plans.values().map(|p| p.id).collect())
        })
        .unwrap_or_default();
    Prefetched::plan_parts(ctx, &plans).await?;
    Ok(FamilyPage::Read(
        rows.into_connection(|f| f.id, Family::from_row),
    ))
}

/// A page of `families`: the register's records (whose plans' parts are
/// still to be prefetched), or the connection read from the database.
enum FamilyPage {
    /// From the register.
    Registered(crate::core::relay::Page<Arc<register::FamilyRecord>>),
    /// From the database, prefetched.
    Read(FamilyConnection),
}

/// Family mutations.
#[derive(Default, Debug)]
pub struct FamiliesMutation;

#[Object]
impl FamiliesMutation {
    /// Registers a referred family and creates its plan (DRAFT), in one transaction.
    async fn create_family(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The family.")] input: CreateFamilyInput,
    ) -> ApiResult<Family> {
        let viewer = ctx.viewer()?;
        let state = ctx.state()?;
        Ok(Family::from_row(
            store::create_family(state, input, &Actor::from(viewer)).await?,
        ))
    }

    /// Changes a family; a stale `expectedVersion` is CONFLICT and writes nothing.
    async fn update_family(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The family.")] id: ID,
        #[graphql(desc = "The fields to change; those left out keep their value.")]
        input: UpdateFamilyInput,
        #[graphql(
            desc = "The version read; if the record has changed since, this is a CONFLICT and nothing is written."
        )]
        expected_version: Option<i32>,
    ) -> ApiResult<Family> {
        let viewer = ctx.viewer()?;
        let key = expect_id(&id, NodeKind::Family, "id")?;
        let state = ctx.state()?;
        let update = store::parse_family_update(input, key)?;
        let updated =
            store::update_family(state, key, update, expected_version, &Actor::from(viewer))
                .await
                .naming("id", "Family")?;
        Ok(Family::from_row(updated))
    }
}

impl crate::auth::Record for Family {
    const TYPE: &'static str = "Family";

    async fn relation(
        &self,
        _: &str,
        viewing: &crate::auth::Viewing<'_>,
    ) -> crate::core::error::ApiResult<crate::auth::Access> {
        viewing.family(self.model().id).await
    }

    async fn family(
        &self,
        _: &async_graphql::Context<'_>,
    ) -> crate::core::error::ApiResult<Option<uuid::Uuid>> {
        Ok(Some(self.model().id))
    }
}
