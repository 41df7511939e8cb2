//! Matching through the API: `matchesForFamily`, `Family.matches`,
//! `explainMatch` and `suggestAssignments`, served from the matching engine's
//! in-memory [`MatchIndex`].
//!
//! The index lives in the volunteers' roster, which keeps it current;
//! matching reads it as the engine's [`crate::engine::Pool`].
//!
//! Each of them is audited as a read of every family it ranked or weighed
//! (the families' matching profiles are read through
//! [`crate::families::profile_for_matching`] and
//! [`crate::families::waiting_profiles_for_matching`], which note the read):
//! no field of the family is in the answer, but the distances and scores are
//! worked out from its home, languages and crisis types, and give them away.
//!
//! [`reasons`] says the engine's reasons in the request's locale.

pub(crate) mod reasons;

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use matching::Weights;
use uuid::Uuid;

use crate::core::relay::NodeKind;
use crate::engine::{Ranking, policy, ranking, volunteer_profiles};
use crate::{
    core::error::{ApiError, ApiResult, ResultExt},
    core::locale::tr,
    core::relay::expect_id,
    core::state::{AppState, ContextExt},
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
    fn all(ranking: Arc<[matching::Candidate]>, pool: &dyn Ranking) -> Vec<Self> {
        (0..ranking.len())
            .map(|at| MatchCandidate {
                row: pool.volunteer(Uuid::from_u128(ranking[at].volunteer_id)),
                ranking: ranking.clone(),
                at,
            })
            .collect()
    }

    /// One candidate on its own (its row read when asked for).
    fn single(candidate: matching::Candidate) -> Self {
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

/// The families and pairs given to `suggestAssignments`, parsed.
struct Named {
    /// Only these families (`familyIds`), when given.
    only: Option<Vec<Uuid>>,
    /// The pinned pairs (family, volunteer).
    pinned: Vec<(u128, u128)>,
    /// The forbidden pairs (family, volunteer).
    forbidden: Vec<(u128, u128)>,
}

/// The families and pairs given to `suggestAssignments`, parsed; NOT_FOUND,
/// naming its path, for the first family or volunteer that does not exist
/// (an erased family included).
async fn named_records(
    state: &AppState,
    family_ids: Option<&[ID]>,
    pinned: Option<&[PairInput]>,
    forbidden: Option<&[PairInput]>,
) -> ApiResult<Named> {
    let mut families: Vec<(String, &ID)> = Vec::new();
    let mut volunteers: Vec<(String, &ID)> = Vec::new();
    for (i, id) in family_ids.unwrap_or_default().iter().enumerate() {
        families.push((format!("familyIds[{i}]"), id));
    }
    let listed = families.len();
    for (field, list) in [("pinned", pinned), ("forbidden", forbidden)] {
        for (i, pair) in list.unwrap_or_default().iter().enumerate() {
            families.push((format!("{field}[{i}].familyId"), &pair.family_id));
            volunteers.push((format!("{field}[{i}].volunteerId"), &pair.volunteer_id));
        }
    }
    let family_keys = existing(state, &families, NodeKind::Family).await?;
    let volunteer_keys = existing(state, &volunteers, NodeKind::Volunteer).await?;
    let mut pinned_pairs: Vec<(u128, u128)> = family_keys[listed..]
        .iter()
        .zip(&volunteer_keys)
        .map(|(f, v)| (f.as_u128(), v.as_u128()))
        .collect();
    let forbidden_pairs = pinned_pairs.split_off(pinned.map_or(0, <[PairInput]>::len));
    Ok(Named {
        only: family_ids.map(|_| family_keys[..listed].to_vec()),
        pinned: pinned_pairs,
        forbidden: forbidden_pairs,
    })
}

/// The keys of `named` (path, ID), each a `kind` record; NOT_FOUND for the
/// first with none.
async fn existing(
    state: &AppState,
    named: &[(String, &ID)],
    kind: NodeKind,
) -> ApiResult<Vec<Uuid>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    if named.is_empty() {
        return Ok(Vec::new());
    }
    let keys = named
        .iter()
        .map(|(path, id)| expect_id(id, kind, path))
        .collect::<ApiResult<Vec<Uuid>>>()?;
    let found: Vec<Uuid> = if kind == NodeKind::Family {
        entity::family::Entity::find()
            .select_only()
            .column(entity::family::Column::Id)
            .filter(entity::family::Column::Id.is_in(keys.clone()))
            .filter(entity::family::Column::ErasedAt.is_null())
            .into_tuple()
            .all(&state.db)
            .await?
    } else {
        entity::volunteer::Entity::find()
            .select_only()
            .column(entity::volunteer::Column::Id)
            .filter(entity::volunteer::Column::Id.is_in(keys.clone()))
            .into_tuple()
            .all(&state.db)
            .await?
    };
    let found: std::collections::HashSet<Uuid> = found.into_iter().collect();
    let missing = named
        .iter()
        .zip(&keys)
        .find(|(_, key)| !found.contains(key))
        .map(|((path, id), _)| (path, *id));
    if let Some((path, id)) = missing {
        return Err(ApiError::not_found_at(path, kind.name(), id.as_str()));
    }
    Ok(keys)
}

/// Parses weights: unset criteria keep their default; negative, non-finite
/// or all-zero weights are BAD_USER_INPUT.
pub fn parse_weights(input: Option<&MatchWeightsInput>) -> ApiResult<Weights> {
    let Some(input) = input else {
        return Ok(Weights::default());
    };
    let d = Weights::default();
    Weights::new(
        input.language.unwrap_or(d.language()),
        input.location.unwrap_or(d.location()),
        input.availability.unwrap_or(d.availability()),
        input.crisis_type.unwrap_or(d.crisis_type()),
    )
    .map_err(|e| {
        let message = match e {
            matching::InvalidWeights::NotFinite(criterion) => {
                tr!("error-weight-not-finite", criterion = criterion)
            }
            matching::InvalidWeights::Negative(criterion) => {
                tr!("error-weight-negative", criterion = criterion)
            }
            matching::InvalidWeights::AllZero => tr!("error-weights-all-zero"),
        };
        ApiError::bad_input("weights", message)
    })
}

/// Whether a `MatchResult` selection asks for the exclusion counts: only then
/// does ranking pay for the pass over every volunteer that counts them.
fn counts_exclusions(ctx: &Context<'_>) -> Exclusions {
    let excluded = ctx.look_ahead().field("excluded");
    if excluded.field("missingTrainings").exists() {
        Exclusions::WithShortfall
    } else if excluded.exists() {
        Exclusions::Counted
    } else {
        Exclusions::Skipped
    }
}

/// What a ranking counts besides its candidates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exclusions {
    /// Nothing: `excluded` stays empty.
    Skipped,
    /// How many volunteers each rule left out (a pass over every volunteer).
    Counted,
    /// That, and which modules the untrained ones lack (a second pass,
    /// only when MISSING_REQUIRED_TRAINING left someone out).
    WithShortfall,
}

/// `matchesForFamily` and `Family.matches`: the ranking, with the exclusion
/// counts only when the selection asks for them (the family's profile is
/// read for the viewer, so the read is audited).
pub async fn matches_field(
    ctx: &Context<'_>,
    family_id: Uuid,
    first: i32,
    weights: Option<&MatchWeightsInput>,
) -> ApiResult<MatchResult> {
    check_first(first)?;
    let weights = parse_weights(weights)?;
    let profile = crate::families::profile_for_matching(ctx, family_id).await?;
    rank_profile(
        ctx.state()?,
        &profile,
        first,
        &weights,
        counts_exclusions(ctx),
    )
}

fn check_first(first: i32) -> ApiResult<()> {
    if (0..=100).contains(&first) {
        Ok(())
    } else {
        Err(ApiError::bad_input(
            "first",
            tr!("error-between", field = "first", min = 0, max = 100),
        ))
    }
}

/// Ranks the volunteers for one family, counting what `count_exclusions`
/// asks for.
pub async fn rank_for_family(
    state: &AppState,
    family_id: Uuid,
    first: i32,
    weights: Option<&MatchWeightsInput>,
    count_exclusions: Exclusions,
) -> ApiResult<MatchResult> {
    check_first(first)?;
    let weights = parse_weights(weights)?;
    let profile = crate::families::matching_profile(state, family_id).await?;
    rank_profile(state, &profile, first, &weights, count_exclusions)
}

/// Ranks the volunteers for a family's matching profile.
fn rank_profile(
    state: &AppState,
    profile: &matching::FamilyProfile,
    first: i32,
    weights: &Weights,
    count_exclusions: Exclusions,
) -> ApiResult<MatchResult> {
    let policy = policy(state);
    let pool = ranking(state)?;
    let _timer = state.metrics.ranking.start_timer();
    let index = pool.index();
    let considered = i32::try_from(index.len()).unwrap_or(i32::MAX);
    let first = usize::try_from(first).unwrap_or(0);
    let (ranking, excluded): (Arc<[matching::Candidate]>, _) =
        if count_exclusions != Exclusions::Skipped {
            state.metrics.ranked(crate::core::metrics::Ranked::Computed);
            let result = index.top_k(profile, first, weights, &policy);
            (result.candidates.into(), result.excluded)
        } else {
            let (candidates, ranked) = pool.top_k_candidates(profile, first, weights, &policy);
            state.metrics.ranked(ranked);
            (candidates, Vec::new())
        };
    Ok(MatchResult {
        candidates: MatchCandidate::all(ranking, &*pool),
        excluded: excluded
            .into_iter()
            .map(|(reason, count)| ExclusionCount {
                reason: reason.into(),
                count: i32::try_from(count).unwrap_or(i32::MAX),
                missing_trainings: if reason == matching::ExclusionReason::MissingRequiredTraining
                    && count_exclusions == Exclusions::WithShortfall
                {
                    shortfall(index.training_shortfall(profile, &policy))
                } else {
                    Vec::new()
                },
            })
            .collect(),
        considered_volunteers: considered,
    })
}

/// The engine's `(module, volunteers)` counts as the schema shows them.
fn shortfall(counts: Vec<(String, u32)>) -> Vec<TrainingShortfall> {
    counts
        .into_iter()
        .map(|(code, n)| TrainingShortfall {
            module: crate::volunteers::TrainingModule::of_code(&code),
            volunteers: i32::try_from(n).unwrap_or(i32::MAX),
        })
        .collect()
}

/// Matching queries.
#[derive(Default, Debug)]
pub struct MatchesQuery;

#[Object]
impl MatchesQuery {
    /// The best volunteers for a family right now, with the reasons others were left out.
    async fn matches_for_family(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The family.")] family_id: ID,
        #[graphql(default = 10, desc = "How many candidates (0 to 100).")] first: Option<i32>,
        #[graphql(
            desc = "Relative importance of each criterion; the defaults apply to those left out."
        )]
        weights: Option<MatchWeightsInput>,
    ) -> ApiResult<MatchResult> {
        let family_id = expect_id(&family_id, NodeKind::Family, "familyId")?;
        matches_field(ctx, family_id, first.unwrap_or(10), weights.as_ref())
            .await
            .naming("familyId", "Family")
    }

    /// Why a volunteer is or is not a candidate for a family, and the score they would have.
    async fn explain_match(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The family.")] family_id: ID,
        #[graphql(desc = "The volunteer.")] volunteer_id: ID,
        #[graphql(
            desc = "Relative importance of each criterion; the defaults apply to those left out."
        )]
        weights: Option<MatchWeightsInput>,
    ) -> ApiResult<PairExplanation> {
        let state = ctx.state()?;
        let family_id = expect_id(&family_id, NodeKind::Family, "familyId")?;
        let volunteer_id = expect_id(&volunteer_id, NodeKind::Volunteer, "volunteerId")?;
        let weights = parse_weights(weights.as_ref())?;
        let family = crate::families::profile_for_matching(ctx, family_id)
            .await
            .naming("familyId", "Family")?;
        let volunteer = volunteer_profiles(state, &state.db, &[volunteer_id])
            .await?
            .pop()
            .ok_or_else(|| ApiError::not_found("Volunteer"))
            .naming("volunteerId", "Volunteer")?;
        let policy = policy(state);
        let explained = matching::explain(&family, &volunteer, &weights, &policy);
        Ok(PairExplanation {
            eligible: explained.eligible(),
            failed_rules: explained.failed_rules.iter().map(|r| (*r).into()).collect(),
            missing_trainings: matching::missing_modules(&family, &volunteer, &policy)
                .iter()
                .map(|code| crate::volunteers::TrainingModule::of_code(code))
                .collect(),
            candidate: MatchCandidate::single(explained.candidate),
        })
    }

    /// Best joint assignment of WAITING families (all, or those given) to
    /// volunteers with free capacity. `pinned` pairs are kept (if they pass the
    /// hard rules); `forbidden` pairs are never suggested.
    async fn suggest_assignments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only these WAITING families (default: all of them).")] family_ids: Option<
            Vec<ID>,
        >,
        #[graphql(
            desc = "Relative importance of each criterion; the defaults apply to those left out."
        )]
        weights: Option<MatchWeightsInput>,
        #[graphql(desc = "Pairs to keep if they pass the hard rules.")] pinned: Option<
            Vec<PairInput>,
        >,
        #[graphql(desc = "Pairs never to suggest.")] forbidden: Option<Vec<PairInput>>,
    ) -> ApiResult<AssignmentPlan> {
        let state = ctx.state()?;
        let weights = parse_weights(weights.as_ref())?;
        if family_ids.as_ref().is_some_and(|ids| ids.len() > 10_000) {
            return Err(ApiError::bad_input(
                "familyIds",
                tr!("error-too-many-families", max = 10000),
            ));
        }
        let Named {
            only,
            pinned,
            forbidden,
        } = named_records(
            state,
            family_ids.as_deref(),
            pinned.as_deref(),
            forbidden.as_deref(),
        )
        .await?;
        let profiles = crate::families::waiting_profiles_for_matching(ctx, only).await?;
        let input = matching::AssignmentInput {
            families: &profiles,
            pinned: &pinned,
            forbidden: &forbidden,
        };
        let plan = {
            let pool = ranking(state)?;
            matching::suggest_assignments(&input, pool.index(), &weights, &policy(state))
        };
        Ok(AssignmentPlan {
            assignments: plan
                .assignments
                .into_iter()
                .map(|a| Assignment {
                    family_id: Uuid::from_u128(a.family_id),
                    volunteer_id: Uuid::from_u128(a.volunteer_id),
                    score: a.score,
                })
                .collect(),
            unassigned: plan
                .unassigned
                .into_iter()
                .map(|u| Unassigned {
                    family_id: Uuid::from_u128(u.family_id),
                    cause: u.cause,
                })
                .collect(),
            objective: plan.objective,
        })
    }
}
