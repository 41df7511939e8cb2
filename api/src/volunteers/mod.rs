//! Volunteers: their profile, languages, availability, trainings and
//! background check; `volunteer(s)`, `createVolunteer`, `updateVolunteer`,
//! `recordTraining`.

mod inputs;
mod qualifications;
mod queries;
pub mod roster;
mod service;

use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, NaiveDate, Utc};
use entity::volunteer;
use uuid::Uuid;

pub use crate::engine::VolunteerStatus;
pub use inputs::{CreateVolunteerInput, UpdateVolunteerInput, VolunteerFilter};
pub use qualifications::{
    BackgroundCheck, TrainingCompletion, TrainingModule, background_check_valid_until,
};
pub use queries::find_volunteer_page;
pub use service::{
    NewVolunteer, create_volunteer, insert_volunteers, record_training, training_module,
    validate_volunteer,
};

use crate::auth::ViewerExt;
use crate::core::relay::NodeKind;
use crate::{
    core::error::{ApiError, ApiResult, ResultExt},
    core::loaders::load,
    core::relay::{PageRequest, expect_id, global_id},
    core::state::ContextExt,
    core::values::{
        CrisisType, Date, LanguageSkill, Location, TimeSlot, enums_from_json, slots_view,
    },
    plans::{Involvement, InvolvementsByVolunteer},
    volunteers::roster::VolunteerRecord,
};

/// A volunteer who supports families next to professional help.
#[derive(Clone, Debug)]
pub struct Volunteer(pub Arc<volunteer::Model>);

impl From<volunteer::Model> for Volunteer {
    fn from(model: volunteer::Model) -> Self {
        Volunteer(Arc::new(model))
    }
}

/// This volunteer's record, from the roster (from the database while the
/// roster cannot vouch for it: [`roster::record`]). A
/// volunteer on a page is read from the database; if another replica created
/// it a moment ago and this one has not heard yet, it has no record, and
/// shows no languages, trainings or load until the notification arrives
/// (milliseconds).
async fn record_of(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Arc<VolunteerRecord>>> {
    crate::volunteers::roster::record(ctx.state()?, id).await
}

/// The catalogue's modules for every match that `record` holds no counting
/// completion of on `today`.
fn missing_for_every_match(
    record: Option<&VolunteerRecord>,
    today: NaiveDate,
) -> Vec<&'static matching::TrainingModule> {
    let holds = |code: &str| {
        record.is_some_and(|r| {
            r.trainings
                .iter()
                .any(|t| t.module.code == code && t.valid_until.is_none_or(|last| last.0 >= today))
        })
    };
    matching::TRAINING_MODULES
        .iter()
        .filter(|m| m.required_for_every_match && !holds(m.code))
        .collect()
}

crate::connection!(VolunteerConnection, VolunteerEdge, Volunteer);

/// A volunteer: languages, home, weekly availability, experience, trainings and the families they help.
#[Object(guard = "crate::auth::Scoped(self)")]
impl Volunteer {
    /// Global ID.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Volunteer, self.0.id)
    }
    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Contact email.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// Contact phone.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    /// Where they stand.
    async fn status(&self) -> VolunteerStatus {
        self.0.status.into()
    }
    /// Languages with levels, in the order given.
    async fn languages(&self, ctx: &Context<'_>) -> ApiResult<Vec<LanguageSkill>> {
        Ok(record_of(ctx, self.0.id)
            .await?
            .map(|r| r.languages.clone())
            .unwrap_or_default())
    }
    /// Where they live.
    async fn home(&self) -> Location {
        Location {
            postal_code: self.0.postal_code.clone(),
            municipality: self.0.municipality.clone(),
            latitude: Some(self.0.latitude),
            longitude: Some(self.0.longitude),
            owner: crate::core::values::Owner::Volunteer(self.0.id),
        }
    }
    /// How far they travel to a family.
    async fn max_travel_km(&self) -> f64 {
        self.0.max_travel_km
    }
    /// When they can help each week.
    async fn availability(&self) -> ApiResult<Vec<TimeSlot>> {
        slots_view(&self.0.availability)
    }
    /// Crises they have experience with or training for.
    async fn crisis_experience(&self) -> ApiResult<Vec<CrisisType>> {
        enums_from_json(&self.0.crisis_experience)
    }
    /// How many families this volunteer supports at most at the same time.
    async fn capacity(&self) -> i32 {
        self.0.capacity
    }
    /// Involvements in PROPOSED, ACTIVE or PHASING_OUT state.
    async fn current_load(&self, ctx: &Context<'_>) -> ApiResult<i32> {
        Ok(record_of(ctx, self.0.id).await?.map_or(0, |r| r.load))
    }
    /// Why this volunteer cannot be matched with any family at all (empty
    /// when some family could have them), in rule order: NOT_ACTIVE,
    /// BACKGROUND_CHECK_MISSING_OR_EXPIRED, AT_CAPACITY,
    /// MISSING_REQUIRED_TRAINING (a module every match requires; see
    /// `missingTrainings`). Ask it in the answer of `createVolunteer` or
    /// `updateVolunteer`: an ACTIVE volunteer with blockers is never proposed.
    async fn match_blockers(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Vec<crate::matches::ExclusionReason>> {
        use matching::ExclusionReason as R;
        let today = ctx.state()?.today();
        let record = record_of(ctx, self.0.id).await?;
        let mut blockers = Vec::new();
        if self.0.status != entity::vocabulary::VolunteerStatus::Active {
            blockers.push(R::NotActive);
        }
        let valid_check = self
            .0
            .background_check_issued_on
            .is_some_and(|issued| today <= background_check_valid_until(issued));
        if !valid_check {
            blockers.push(R::BackgroundCheckMissingOrExpired);
        }
        if record.as_ref().map_or(0, |r| r.load) >= self.0.capacity {
            blockers.push(R::AtCapacity);
        }
        if !missing_for_every_match(record.as_deref(), today).is_empty() {
            blockers.push(R::MissingRequiredTraining);
        }
        Ok(blockers.into_iter().map(Into::into).collect())
    }
    /// The modules every match requires (trainingModules with
    /// requiredForEveryMatch) that this volunteer lacks or whose completion
    /// no longer counts, e.g. BASIC: the same modules
    /// `PairExplanation.missingTrainings` names for one pair.
    async fn missing_trainings(&self, ctx: &Context<'_>) -> ApiResult<Vec<TrainingModule>> {
        let today = ctx.state()?.today();
        let record = record_of(ctx, self.0.id).await?;
        Ok(missing_for_every_match(record.as_deref(), today)
            .into_iter()
            .map(TrainingModule::from)
            .collect())
    }
    /// Their extract from the criminal record, if any.
    async fn background_check(&self, ctx: &Context<'_>) -> ApiResult<Option<BackgroundCheck>> {
        let today = ctx.state()?.today();
        Ok(self.0.background_check_issued_on.map(|issued_on| {
            let valid_until = background_check_valid_until(issued_on);
            BackgroundCheck {
                issued_on: Date(issued_on),
                valid_until: Date(valid_until),
                valid: today <= valid_until,
            }
        }))
    }
    /// Completed training modules, oldest first.
    async fn trainings(&self, ctx: &Context<'_>) -> ApiResult<Vec<TrainingCompletion>> {
        Ok(record_of(ctx, self.0.id)
            .await?
            .map(|r| r.trainings.clone())
            .unwrap_or_default())
    }
    /// Every family plan this volunteer was proposed for, oldest first,
    /// optionally only those in the given states.
    async fn involvements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only involvements in one of these states.")] status: Option<
            Vec<crate::plans::InvolvementStatus>,
        >,
        #[graphql(desc = "Page size from the start (at most 100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Only involvements after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Only involvements before this cursor.")] before: Option<String>,
    ) -> ApiResult<crate::plans::InvolvementConnection> {
        let page =
            PageRequest::parse::<crate::plans::InvolvementConnection>(first, after, last, before)?;
        let mut seen = Vec::new();
        for model in load(ctx, InvolvementsByVolunteer(self.0.id))
            .await?
            .unwrap_or_default()
        {
            let wanted = match &status {
                Some(wanted) => wanted.contains(&model.status.into()),
                None => true,
            };
            let involvement = Involvement(model);
            if wanted && crate::auth::sees(ctx, &involvement).await? {
                seen.push(involvement);
            }
        }
        Ok(page
            .page_in_order(seen, |i| i.0.id)?
            .into_connection(|i| i.0.id, |i| i))
    }
    /// Follow-up contacts, in the order they were logged.
    async fn check_ins(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start (at most 100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Only rows after this cursor.")] after: Option<String>,
    ) -> ApiResult<crate::follow_up::CheckInConnection> {
        crate::follow_up::check_ins_of(ctx, self.0.id, first, after).await
    }
    /// When the latest check-in took place.
    async fn last_check_in_at(&self, ctx: &Context<'_>) -> ApiResult<Option<DateTime<Utc>>> {
        Ok(crate::follow_up::follow_up_of(ctx, self.0.id).await?.0)
    }
    /// When the next check-in is due (none while they support no family and set no date).
    async fn next_check_in_due(&self, ctx: &Context<'_>) -> ApiResult<Option<Date>> {
        Ok(crate::follow_up::follow_up_of(ctx, self.0.id)
            .await?
            .1
            .map(Date))
    }
    /// Version for optimistic concurrency (`expectedVersion`).
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the record was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// One volunteer the viewer may see, from the roster.
pub async fn load_one(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Volunteer>> {
    match record_of(ctx, id)
        .await?
        .map(|r| Volunteer(r.model.clone()))
    {
        Some(volunteer) if crate::auth::sees(ctx, &volunteer).await? => Ok(Some(volunteer)),
        _ => Ok(None),
    }
}

/// Volunteer queries.
#[derive(Default, Debug)]
pub struct VolunteersQuery;

#[Object]
impl VolunteersQuery {
    /// One volunteer.
    async fn volunteer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The volunteer's global ID.")] id: ID,
    ) -> ApiResult<Option<Volunteer>> {
        let key = match expect_id(&id, NodeKind::Volunteer, "id") {
            Ok(key) => key,
            Err(ApiError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        load_one(ctx, key).await
    }

    /// Volunteers, in the order they were registered.
    async fn volunteers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start (at most 100; default 20).")] first: Option<i32>,
        #[graphql(desc = "Only rows after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Only rows before this cursor.")] before: Option<String>,
        #[graphql(desc = "Only volunteers matching every criterion given.")] filter: Option<
            VolunteerFilter,
        >,
    ) -> ApiResult<VolunteerConnection> {
        let viewer = ctx.viewer()?;
        let only = crate::auth::own_only(viewer, "Volunteer")
            .then(|| viewer.volunteer_id.unwrap_or_default());
        let page =
            PageRequest::parse::<VolunteerConnection>(first, after, last, before)?.counting(ctx);
        let db = &ctx.state()?.db;
        let rows = find_volunteer_page(db, &filter.unwrap_or_default(), &page, only).await?;
        Ok(rows.into_connection(|v| v.id, Volunteer::from))
    }
}

/// Volunteer mutations.
#[derive(Default, Debug)]
pub struct VolunteersMutation;

#[Object]
impl VolunteersMutation {
    /// Registers a volunteer.
    async fn create_volunteer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The volunteer.")] input: CreateVolunteerInput,
    ) -> ApiResult<Volunteer> {
        let state = ctx.state()?;
        let model = service::create_volunteer(state, input).await?;
        Ok(Volunteer::from(model))
    }

    /// Changes a volunteer; a stale `expectedVersion` is CONFLICT and writes nothing.
    async fn update_volunteer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The volunteer.")] id: ID,
        #[graphql(desc = "The fields to change; those left out keep their value.")]
        input: UpdateVolunteerInput,
        #[graphql(
            desc = "The version read; if the record has changed since, this is a CONFLICT and nothing is written."
        )]
        expected_version: Option<i32>,
    ) -> ApiResult<Volunteer> {
        let key = expect_id(&id, NodeKind::Volunteer, "id")?;
        let volunteer = load_one(ctx, key)
            .await?
            .ok_or_else(|| ApiError::not_found("Volunteer"))
            .naming("id", "Volunteer")?;
        crate::auth::check(ctx, &volunteer, "Mutation").await?;
        for (field, given) in input.given() {
            if given {
                crate::auth::may_use(
                    ctx,
                    "UpdateVolunteerInput",
                    field,
                    &format!("input.{field}"),
                )?;
            }
        }
        let state = ctx.state()?;
        let model = service::update_volunteer(state, key, input, expected_version).await?;
        Ok(Volunteer::from(model))
    }

    /// Records a completed training module (trainings gate matching).
    async fn record_training(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The volunteer.")] volunteer_id: ID,
        #[graphql(desc = "A catalogue code or name (typos get a suggestion).")] module: String,
        #[graphql(desc = "The day the module was completed.")] completed_on: Date,
    ) -> ApiResult<Volunteer> {
        let key = expect_id(&volunteer_id, NodeKind::Volunteer, "volunteerId")?;
        let state = ctx.state()?;
        let model = service::record_training(state, key, &module, completed_on.0)
            .await
            .naming("volunteerId", "Volunteer")?;
        Ok(Volunteer::from(model))
    }
}

impl crate::auth::Record for Volunteer {
    const TYPE: &'static str = "Volunteer";

    async fn relation(
        &self,
        _: &str,
        viewing: &crate::auth::Viewing<'_>,
    ) -> crate::core::error::ApiResult<crate::auth::Access> {
        Ok(viewing.volunteer(self.0.id))
    }
}
