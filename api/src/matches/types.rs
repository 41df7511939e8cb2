//! The GraphQL types of matching: candidates with their score and reasons,
//! the exclusion counts, pair explanations and the assignment plan.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use uuid::Uuid;

use crate::engine::Ranking;
use crate::{
    core::error::{ApiError, ApiResult},
    core::values::Language,
    families::Family,
    volunteers::Volunteer,
};

/// Why a volunteer is not a candidate.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "matching::ExclusionReason")]
pub enum ExclusionReason {
    /// The volunteer's status is not ACTIVE.
    NotActive,
    /// No background check, or it is too old.
    BackgroundCheckMissingOrExpired,
    /// The volunteer already supports as many families as their capacity.
    AtCapacity,
    /// The volunteer is already involved with the family.
    AlreadyInvolved,
    /// Ended or declined with this family in the last 90 days
    /// (`TANDEM_RECENTLY_ENDED_DAYS`).
    RecentlyEndedWithFamily,
    /// A training module the family's crisis types require is missing.
    MissingRequiredTraining,
    /// No language in common.
    NoSharedLanguage,
    /// The family lives beyond the volunteer's travel distance.
    TooFar,
    /// Too little weekly time in common.
    NoAvailabilityOverlap,
}

/// A criterion of the match score.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "matching::Criterion")]
pub enum MatchCriterion {
    /// Shared languages, by level; full marks for the family's preferred language.
    Language,
    /// Distance between the homes, against the volunteer's travel reach.
    Location,
    /// Weekly time both have free.
    Availability,
    /// Experience or training for the family's needs.
    CrisisType,
}

/// One reason behind a score, as a stable code for programs and a sentence for people.
#[derive(Clone, Debug, SimpleObject)]
pub struct MatchReason {
    /// The criterion it is about.
    pub criterion: MatchCriterion,
    /// Stable, e.g. SPEAKS_PREFERRED_LANGUAGE, WITHIN_TRAVEL_DISTANCE, NO_NEEDS_IN_COMMON.
    pub code: String,
    /// The sentence, in the request's locale.
    pub text: String,
}

/// Why a family is left without a volunteer in a proposal.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum UnassignedReason {
    /// No volunteer passes the hard matching rules for the family.
    NoEligibleVolunteer,
    /// The eligible volunteers' capacity went to more urgent, better-matched or pinned families.
    CapacityTakenByHigherPriority,
    /// Every eligible volunteer left is in a forbidden pair with the family.
    ForbiddenPairsOnly,
    /// The pair pinned for the family cannot be kept (forbidden too, not eligible, or out of capacity).
    PinnedPairRefused,
    /// The family is listed more than once in `familyIds`.
    ListedTwice,
}

impl From<matching::UnassignedCause> for UnassignedReason {
    fn from(cause: matching::UnassignedCause) -> Self {
        use matching::UnassignedCause as C;
        match cause {
            C::NoVolunteers | C::NoEligibleVolunteer { .. } => {
                UnassignedReason::NoEligibleVolunteer
            }
            C::CapacityTakenByHigherPriority | C::ZeroPriority | C::TakenByPinnedFamilies => {
                UnassignedReason::CapacityTakenByHigherPriority
            }
            C::ForbiddenPairsOnly | C::TakenByPinnedOrForbidden => {
                UnassignedReason::ForbiddenPairsOnly
            }
            C::PinnedPairForbidden
            | C::PinnedVolunteerUnknown
            | C::PinnedVolunteerNotEligible(_)
            | C::PinnedVolunteerAtCapacity => UnassignedReason::PinnedPairRefused,
            C::ListedTwice => UnassignedReason::ListedTwice,
        }
    }
}

/// Each criterion in [0, 1].
#[derive(Clone, Debug, SimpleObject)]
pub struct ScoreBreakdown {
    /// Each in [0, 1].
    pub language: f64,
    /// Closeness relative to the volunteer's travel distance.
    pub location: f64,
    /// Share of the family's needed hours the volunteer has free.
    pub availability: f64,
    /// Share of the family's needs the volunteer has experience with.
    pub crisis_type: f64,
}

/// A volunteer as a suggestion for a family.
#[derive(Clone, Debug)]
pub struct MatchCandidate {
    /// The ranking it is part of, shared (a kept ranking is not copied).
    ranking: Arc<[matching::Candidate]>,
    /// Its place in `ranking`.
    at: usize,
    /// The volunteer's stored row, read from the pool together with the
    /// ranking.
    row: Option<Arc<entity::volunteer::Model>>,
}

impl MatchCandidate {
    fn of(&self) -> &matching::Candidate {
        &self.ranking[self.at]
    }

    /// The volunteer's key.
    pub fn volunteer_id(&self) -> Uuid {
        Uuid::from_u128(self.of().volunteer_id)
    }

    /// The candidates of `ranking`, best first, with their rows.
    pub(super) fn all(ranking: Arc<[matching::Candidate]>, pool: &dyn Ranking) -> Vec<Self> {
        (0..ranking.len())
            .map(|at| MatchCandidate {
                row: pool.volunteer(Uuid::from_u128(ranking[at].volunteer_id)),
                ranking: ranking.clone(),
                at,
            })
            .collect()
    }

    /// One candidate on its own (its row read when asked for).
    pub(super) fn single(candidate: matching::Candidate) -> Self {
        MatchCandidate {
            ranking: Arc::from(vec![candidate]),
            at: 0,
            row: None,
        }
    }
}

/// A volunteer as a suggestion for a family.
#[Object]
impl MatchCandidate {
    /// Weighted total in [0, 1]; higher is better.
    async fn score(&self) -> f64 {
        self.of().score
    }
    /// Each criterion.
    async fn breakdown(&self) -> ScoreBreakdown {
        let b = &self.of().breakdown;
        ScoreBreakdown {
            language: b.language,
            location: b.location,
            availability: b.availability,
            crisis_type: b.crisis_type,
        }
    }
    /// Between the two homes.
    async fn distance_km(&self) -> f64 {
        self.of().distance_km
    }
    /// Languages both speak.
    async fn shared_languages(&self) -> Vec<Language> {
        self.of()
            .shared_languages
            .iter()
            .copied()
            .map(Language::from)
            .collect()
    }
    /// Minutes a week both are free.
    async fn overlap_minutes_per_week(&self) -> i32 {
        i32::try_from(self.of().overlap_minutes).unwrap_or(i32::MAX)
    }
    /// Human-readable reasons, one per criterion (language, location,
    /// availability, crisis type), in the request's locale.
    async fn explanation(&self) -> Vec<String> {
        let locale = crate::core::locale::current();
        self.of()
            .reasons
            .iter()
            .map(|r| crate::matches::reasons::sentence(locale, r))
            .collect()
    }
    /// The same reasons with their codes.
    async fn reasons(&self) -> Vec<MatchReason> {
        let locale = crate::core::locale::current();
        self.of()
            .reasons
            .iter()
            .map(|r| MatchReason {
                criterion: r.criterion().into(),
                code: r.code().to_owned(),
                text: crate::matches::reasons::sentence(locale, r),
            })
            .collect()
    }
    /// The volunteer.
    async fn volunteer(&self, ctx: &Context<'_>) -> ApiResult<Volunteer> {
        let id = self.volunteer_id();
        let record = match &self.row {
            Some(row) => {
                let volunteer = Volunteer(row.clone());
                crate::auth::sees(ctx, &volunteer)
                    .await?
                    .then_some(volunteer)
            }
            None => crate::volunteers::load_one(ctx, id).await?,
        };
        record.ok_or_else(|| ApiError::not_found("Volunteer"))
    }
}

/// How many volunteers a rule left out.
#[derive(Clone, Debug, SimpleObject)]
pub struct ExclusionCount {
    /// The rule.
    pub reason: ExclusionReason,
    /// How many volunteers failed it first.
    pub count: i32,
    /// For MISSING_REQUIRED_TRAINING: how many of those `count` volunteers
    /// lack each module the family's matches require ("35 volunteers lack
    /// BASIC"), by module code, modules nobody lacks left out; a
    /// volunteer lacking two modules counts for both. Empty for the other
    /// rules.
    pub missing_trainings: Vec<TrainingShortfall>,
}

/// How many volunteers a required training module keeps out of a family's
/// matches.
#[derive(Clone, Debug, SimpleObject)]
pub struct TrainingShortfall {
    /// The module.
    pub module: crate::volunteers::TrainingModule,
    /// How many of the volunteers left out for MISSING_REQUIRED_TRAINING
    /// lack it.
    pub volunteers: i32,
}

/// The ranked volunteers for a family.
#[derive(Clone, Debug, SimpleObject)]
pub struct MatchResult {
    /// Best first.
    pub candidates: Vec<MatchCandidate>,
    /// How many volunteers were left out, by the first hard rule they failed.
    pub excluded: Vec<ExclusionCount>,
    /// Volunteers looked at.
    pub considered_volunteers: i32,
}

/// Everything about one family-volunteer pair.
#[derive(Clone, Debug, SimpleObject)]
pub struct PairExplanation {
    /// No hard rule fails.
    pub eligible: bool,
    /// Every hard rule the pair fails (empty when eligible).
    pub failed_rules: Vec<ExclusionReason>,
    /// For MISSING_REQUIRED_TRAINING: the modules missing.
    pub missing_trainings: Vec<crate::volunteers::TrainingModule>,
    /// The score it would have, rules aside.
    pub candidate: MatchCandidate,
}

/// Relative importance of each criterion; normalised by the server.
#[derive(Clone, Debug, Default, InputObject)]
pub struct MatchWeightsInput {
    /// Default 0.35.
    pub language: Option<f64>,
    /// Default 0.25.
    pub location: Option<f64>,
    /// Default 0.25.
    pub availability: Option<f64>,
    /// Default 0.15.
    pub crisis_type: Option<f64>,
}

/// A family-volunteer pair.
#[derive(Clone, Debug, InputObject)]
pub struct PairInput {
    /// The family.
    pub family_id: ID,
    /// The volunteer.
    pub volunteer_id: ID,
}

/// One suggested pair.
#[derive(Clone, Debug, SimpleObject)]
#[graphql(complex)]
pub struct Assignment {
    #[graphql(skip)]
    pub family_id: Uuid,
    #[graphql(skip)]
    pub volunteer_id: Uuid,
    /// The pair's match score.
    pub score: f64,
}

#[async_graphql::ComplexObject]
impl Assignment {
    /// The family.
    async fn family(&self, ctx: &Context<'_>) -> ApiResult<Family> {
        crate::families::load_one(ctx, self.family_id)
            .await?
            .ok_or_else(|| ApiError::not_found("Family"))
    }
    /// The volunteer.
    async fn volunteer(&self, ctx: &Context<'_>) -> ApiResult<Volunteer> {
        crate::volunteers::load_one(ctx, self.volunteer_id)
            .await?
            .ok_or_else(|| ApiError::not_found("Volunteer"))
    }
}

/// A family the proposal leaves without a volunteer.
#[derive(Clone, Debug)]
pub struct Unassigned {
    /// The family's key.
    pub family_id: Uuid,
    /// Why, as the engine says it.
    pub cause: matching::UnassignedCause,
}

/// A family the proposal leaves without a volunteer, and why.
#[Object]
impl Unassigned {
    /// Why, for programs.
    async fn reason(&self) -> UnassignedReason {
        self.cause.into()
    }
    /// The reason in the request's locale.
    async fn detail(&self) -> String {
        crate::matches::reasons::unassigned_detail(crate::core::locale::current(), self.cause)
    }
    /// The family.
    async fn family(&self, ctx: &Context<'_>) -> ApiResult<Family> {
        crate::families::load_one(ctx, self.family_id)
            .await?
            .ok_or_else(|| ApiError::not_found("Family"))
    }
}

/// A proposal for the whole waiting list at once; nothing is written.
#[derive(Clone, Debug, SimpleObject)]
pub struct AssignmentPlan {
    /// The suggested pairs.
    pub assignments: Vec<Assignment>,
    /// Families left without a volunteer, with the reason.
    pub unassigned: Vec<Unassigned>,
    /// Sum of priority-weighted scores of the assignments.
    pub objective: f64,
}
