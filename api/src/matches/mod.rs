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
//! [`reasons`] says the engine's reasons in the request's locale; `types`
//! holds the GraphQL types of the answers.

pub(crate) mod reasons;
mod types;

pub use types::*;

use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use matching::Weights;
use uuid::Uuid;

use crate::core::relay::NodeKind;
use crate::engine::{policy, ranking, volunteer_profiles};
use crate::{
    core::error::{ApiError, ApiResult, ResultExt},
    core::locale::tr,
    core::relay::expect_id,
    core::state::{AppState, ContextExt},
};

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
