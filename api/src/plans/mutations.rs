//! Plan mutations: the input types and thin resolvers that parse their
//! arguments, call the plan services (`service`) and map the result.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use matching::Move;

use super::service::{
    HelperSpec, Terms, add_goal, involve, involve_with, plan_start, set_goal_status,
    set_plan_status, set_point_of_contact, transition,
};
use super::{Goal, GoalStatus, Involvement, Plan, PlanStatus};
use crate::auth::ViewerExt;
use crate::{
    auth::Actor,
    core::error::{ApiError, ApiResult, ResultExt},
    core::relay::{NodeKind, expect_id},
    core::state::ContextExt,
    core::values::{Date, LifeDomain, required_text},
};

/// What `involveVolunteer` takes.
#[derive(Clone, Debug, InputObject)]
pub struct InvolveVolunteerInput {
    /// The family.
    pub family_id: ID,
    /// The volunteer.
    pub volunteer_id: ID,
    /// e.g. buddy.
    #[graphql(default_with = "Some(\"buddy\".to_owned())")]
    pub role: Option<String>,
    /// Why this volunteer; becomes the proposal's reason.
    pub note: Option<String>,
    /// The day the volunteer is planned to start (today or later, at most a
    /// year ahead); shown on the plan. The phase-in itself is recorded with
    /// `phaseIn` when it happens.
    pub planned_start_on: Option<Date>,
}

/// What `involveService` takes.
#[derive(Clone, Debug, InputObject)]
pub struct InvolveServiceInput {
    /// The family.
    pub family_id: ID,
    /// The service.
    pub service_id: ID,
    /// e.g. household help.
    pub role: String,
    /// Why.
    pub note: Option<String>,
}

/// What `involveNetworkMember` takes.
#[derive(Clone, Debug, InputObject)]
pub struct InvolveNetworkMemberInput {
    /// The family.
    pub family_id: ID,
    /// Name.
    pub name: String,
    /// Relation to the family, e.g. grandmother.
    pub relation: String,
    /// e.g. childcare on Wednesdays.
    pub role: String,
    /// Why.
    pub note: Option<String>,
}

/// What `involveProfessional` takes.
#[derive(Clone, Debug, InputObject)]
pub struct InvolveProfessionalInput {
    /// The family.
    pub family_id: ID,
    /// Name.
    pub name: String,
    /// Their organisation.
    pub organization: String,
    /// e.g. point of contact.
    pub role: String,
    /// Why.
    pub note: Option<String>,
}

/// Move a helper to the next step. `reason` is required for phase-out, end and decline.
#[derive(Clone, Debug, InputObject)]
pub struct InvolvementTransitionInput {
    /// The involvement.
    pub involvement_id: ID,
    /// Why (required for phase-out, end and decline).
    pub reason: Option<String>,
    /// The version the client saw; stale is CONFLICT.
    pub expected_version: Option<i32>,
    /// When it happened (default now; at most a day ahead).
    pub at: Option<DateTime<Utc>>,
}

/// Plan mutations.
#[derive(Default, Debug)]
pub struct PlansMutation;

impl PlansMutation {
    async fn step(
        &self,
        ctx: &Context<'_>,
        input: InvolvementTransitionInput,
        mv: Move,
    ) -> ApiResult<Involvement> {
        let viewer = ctx.viewer()?;
        let id = expect_id(
            &input.involvement_id,
            NodeKind::Involvement,
            "input.involvementId",
        )?;
        let involvement = super::load_involvement(ctx, id)
            .await?
            .ok_or_else(|| ApiError::not_found("Involvement"))
            .naming("input.involvementId", "Involvement")?;
        crate::auth::check(ctx, &involvement, "Mutation").await?;
        let model = transition(
            ctx.state()?,
            &Actor::from(viewer),
            id,
            mv,
            input.reason.as_deref(),
            input.expected_version,
            input.at,
        )
        .await
        .naming("input.involvementId", "Involvement")?;
        Ok(Involvement(model))
    }
}

#[Object]
impl PlansMutation {
    /// Names the family's one point of contact (aanspreekpunt).
    async fn set_point_of_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan.")] plan_id: ID,
        #[graphql(
            desc = "The one point of contact (aanspreekpunt), e.g. a name and an organisation."
        )]
        point_of_contact: String,
    ) -> ApiResult<Plan> {
        let viewer = ctx.viewer()?;
        let state = ctx.state()?;
        let id = expect_id(&plan_id, NodeKind::Plan, "planId")?;
        let contact = required_text(&point_of_contact, "pointOfContact", 200)?;
        let updated = set_point_of_contact(state, &Actor::from(viewer), id, contact)
            .await
            .naming("planId", "Plan")?;
        Ok(Plan(updated))
    }

    /// Changes a plan's status; closing needs every helper ENDED or DECLINED.
    async fn set_plan_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan.")] plan_id: ID,
        #[graphql(desc = "The new status.")] status: PlanStatus,
        #[graphql(
            desc = "The version read; if the record has changed since, this is a CONFLICT and nothing is written."
        )]
        expected_version: Option<i32>,
    ) -> ApiResult<Plan> {
        let viewer = ctx.viewer()?;
        let id = expect_id(&plan_id, NodeKind::Plan, "planId")?;
        Ok(Plan(
            set_plan_status(
                ctx.state()?,
                id,
                status,
                expected_version,
                &Actor::from(viewer),
            )
            .await
            .naming("planId", "Plan")?,
        ))
    }

    /// Adds a goal, in the family's own words.
    async fn add_goal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan.")] plan_id: ID,
        #[graphql(desc = "The goal, in the family's own words.")] description: String,
        #[graphql(desc = "The domain of life it is about.")] life_domain: LifeDomain,
        #[graphql(desc = "When the family hopes to reach it.")] target_date: Option<
            crate::core::values::Date,
        >,
    ) -> ApiResult<Goal> {
        let viewer = ctx.viewer()?;
        let id = expect_id(&plan_id, NodeKind::Plan, "planId")?;
        Ok(Goal(
            add_goal(
                ctx.state()?,
                id,
                &description,
                life_domain,
                target_date.map(|d| d.0),
                &Actor::from(viewer),
            )
            .await
            .naming("planId", "Plan")?,
        ))
    }

    /// Changes a goal's status.
    async fn set_goal_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The goal.")] goal_id: ID,
        #[graphql(desc = "Where it stands now.")] status: GoalStatus,
    ) -> ApiResult<Goal> {
        let viewer = ctx.viewer()?;
        let state = ctx.state()?;
        let id = expect_id(&goal_id, NodeKind::Goal, "goalId")?;
        let updated = set_goal_status(state, &Actor::from(viewer), id, status)
            .await
            .naming("goalId", "Goal")?;
        Ok(Goal(updated))
    }

    /// Proposes a volunteer to a family's plan (PROPOSED). Enforces every hard matching rule.
    async fn involve_volunteer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which volunteer, for which family, in what role.")]
        input: InvolveVolunteerInput,
    ) -> ApiResult<Involvement> {
        let viewer = ctx.viewer()?;
        let family_id = expect_id(&input.family_id, NodeKind::Family, "input.familyId")?;
        let volunteer_id = expect_id(
            &input.volunteer_id,
            NodeKind::Volunteer,
            "input.volunteerId",
        )?;
        let terms = Terms {
            role: input.role.as_deref().unwrap_or("buddy"),
            note: input.note.as_deref(),
            at: None,
            planned_start_on: input.planned_start_on.map(|d| d.0),
        };
        let model = involve_with(
            ctx.state()?,
            &Actor::from(viewer),
            family_id,
            HelperSpec::Volunteer(volunteer_id),
            terms,
        )
        .await
        .naming("input.familyId", "Family")
        .naming("input.volunteerId", "Volunteer")?;
        Ok(Involvement(model))
    }

    /// Proposes a family-care service; its capacity and service area must fit.
    async fn involve_service(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which service, for which family, in what role.")]
        input: InvolveServiceInput,
    ) -> ApiResult<Involvement> {
        let viewer = ctx.viewer()?;
        let family_id = expect_id(&input.family_id, NodeKind::Family, "input.familyId")?;
        let service_id = expect_id(
            &input.service_id,
            NodeKind::FamilyCareService,
            "input.serviceId",
        )?;
        let model = involve(
            ctx.state()?,
            &Actor::from(viewer),
            family_id,
            HelperSpec::Service(service_id),
            &input.role,
            input.note.as_deref(),
            None,
        )
        .await
        .naming("input.familyId", "Family")
        .naming("input.serviceId", "FamilyCareService")?;
        Ok(Involvement(model))
    }

    /// Involves someone from the family's own network.
    async fn involve_network_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Who, for which family, in what role.")] input: InvolveNetworkMemberInput,
    ) -> ApiResult<Involvement> {
        let viewer = ctx.viewer()?;
        let family_id = expect_id(&input.family_id, NodeKind::Family, "input.familyId")?;
        let model = involve(
            ctx.state()?,
            &Actor::from(viewer),
            family_id,
            HelperSpec::NetworkMember {
                name: input.name,
                relation: input.relation,
            },
            &input.role,
            input.note.as_deref(),
            None,
        )
        .await
        .naming("input.familyId", "Family")?;
        Ok(Involvement(model))
    }

    /// Involves a professional from a partner organisation.
    async fn involve_professional(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Who, for which family, in what role.")] input: InvolveProfessionalInput,
    ) -> ApiResult<Involvement> {
        let viewer = ctx.viewer()?;
        let family_id = expect_id(&input.family_id, NodeKind::Family, "input.familyId")?;
        let model = involve(
            ctx.state()?,
            &Actor::from(viewer),
            family_id,
            HelperSpec::Professional {
                name: input.name,
                organization: input.organization,
            },
            &input.role,
            input.note.as_deref(),
            None,
        )
        .await
        .naming("input.familyId", "Family")?;
        Ok(Involvement(model))
    }

    /// PROPOSED -> ACTIVE (the family agreed; the helper starts).
    async fn phase_in(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The involvement.")] input: InvolvementTransitionInput,
    ) -> ApiResult<Involvement> {
        self.step(ctx, input, Move::PhaseIn).await
    }

    /// Plans the day a PROPOSED helper starts (today or later, at most a
    /// year ahead; null clears it). The phase-in itself is recorded with
    /// `phaseIn` when it happens.
    async fn plan_phase_in(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The involvement.")] involvement_id: ID,
        #[graphql(desc = "The planned first day; null clears it.")] planned_start_on: Option<Date>,
        #[graphql(
            desc = "The version read; if the record has changed since, this is a CONFLICT and nothing is written."
        )]
        expected_version: Option<i32>,
    ) -> ApiResult<Involvement> {
        let viewer = ctx.viewer()?;
        let id = expect_id(&involvement_id, NodeKind::Involvement, "involvementId")?;
        let involvement = super::load_involvement(ctx, id)
            .await?
            .ok_or_else(|| ApiError::not_found("Involvement"))
            .naming("involvementId", "Involvement")?;
        crate::auth::check(ctx, &involvement, "Mutation").await?;
        let model = plan_start(
            ctx.state()?,
            &Actor::from(viewer),
            id,
            planned_start_on.map(|d| d.0),
            expected_version,
        )
        .await?;
        Ok(Involvement(model))
    }

    /// ACTIVE -> PHASING_OUT.
    async fn start_phase_out(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The involvement, and why.")] input: InvolvementTransitionInput,
    ) -> ApiResult<Involvement> {
        self.step(ctx, input, Move::StartPhaseOut).await
    }

    /// ACTIVE or PHASING_OUT -> ENDED.
    async fn end_involvement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The involvement, and why.")] input: InvolvementTransitionInput,
    ) -> ApiResult<Involvement> {
        self.step(ctx, input, Move::End).await
    }

    /// PROPOSED -> DECLINED.
    async fn decline_involvement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The involvement, and why.")] input: InvolvementTransitionInput,
    ) -> ApiResult<Involvement> {
        self.step(ctx, input, Move::Decline).await
    }
}
