//! Families: the pseudonymous family record, its languages, children and
//! needs; `family/families`, `waitingList`, `createFamily` (which creates the
//! family's one plan in the same transaction), `updateFamily`.

mod history;
mod inputs;
mod loaders;
mod lookups;
mod prefetch;
mod queries;
pub mod register;
mod service;

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use entity::family;
use uuid::Uuid;

use crate::auth::{Actor, ViewerExt};
use crate::core::relay::NodeKind;
pub use crate::engine::Urgency;
pub use history::{
    FamilyStatusCause, FamilyStatusChange, FamilyStatusChangeConnection, change_row,
    load_status_change,
};
pub use inputs::{CreateFamilyInput, FamilyFilter, UpdateFamilyInput};
pub use loaders::{FamilyById, FamilyChildren, FamilyLanguages};
pub use lookups::{
    family_of_plan, find, load_one, matching_profile, profile_for_matching,
    waiting_profiles_for_matching,
};
pub use prefetch::Prefetched;
pub use queries::waiting_days;
pub use service::{NewFamily, create_family, insert_families, validate_family};

use crate::{
    core::error::{ApiError, ApiResult, ResultExt},
    core::loaders::load,
    core::relay::{PageRequest, expect_id, global_id, slice_ordered},
    core::state::ContextExt,
    core::values::{
        CrisisType, Date, Language, LanguageSkill, Location, TimeSlot, enums_from_json, slots_view,
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
        queries::waiting_since(self.model()).map(Date)
    }
    /// While WAITING: days since waitingSince. Once SUPPORTED: how many days
    /// it waited last time.
    async fn waiting_days(&self) -> i32 {
        waiting_days(self.model(), Utc::now())
    }
    /// Referral + 30 days while no helper was ever phased in (the one-month
    /// rule); null once answered.
    async fn answer_due_on(&self) -> Option<Date> {
        queries::answer_due_on(self.model()).map(Date)
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
                    let rows = queries::waiting_list(&state.db, &filter, references).await?;
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
    let rows = queries::find_family_page(db, filter, page, only, references).await?;
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
            service::create_family(state, input, &Actor::from(viewer)).await?,
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
        let update = service::parse_family_update(input, key)?;
        let updated =
            service::update_family(state, key, update, expected_version, &Actor::from(viewer))
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
