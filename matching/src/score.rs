//! Scoring one family-volunteer pair: the hard rules, the four criteria, and one
//! reason per criterion (a code and its facts; a plain-English sentence).
//!
//! # Hard rules
//! Checked in this order; the first one a volunteer fails is "the" exclusion reason
//! ([`ExclusionReason::ALL`] lists them in order):
//! 1. NOT_ACTIVE: status is not ACTIVE;
//! 2. BACKGROUND_CHECK_MISSING_OR_EXPIRED: see [`Policy::background_check_valid`];
//! 3. AT_CAPACITY: `current_load >= capacity`;
//! 4. ALREADY_INVOLVED: the family is in `involved_family_ids`;
//! 5. RECENTLY_ENDED_WITH_FAMILY: the volunteer's involvement with the family ended or
//!    was declined recently ([`FamilyProfile::parted_recently`]);
//! 6. MISSING_REQUIRED_TRAINING: a module of [`Policy::required_modules`] is missing;
//! 7. NO_SHARED_LANGUAGE: no language on both lists;
//! 8. TOO_FAR: distance above `max_travel_km` (a NaN or negative reach is always too far);
//! 9. NO_AVAILABILITY_OVERLAP: both sides gave times and they share fewer minutes than
//!    `min(Policy::min_overlap_minutes, minutes the family needs)`.
//!
//! # Criteria, each in [0, 1]
//! - **language**: for each shared language, `factor(family level) * factor(volunteer
//!   level)` ([`Policy::level_factor`]), except 1.0 for the family's preferred language
//!   when both speak it at CONVERSATIONAL or better; the best shared language counts.
//!   0 without a shared language. A language listed twice counts at its best level.
//! - **location**: `1 - distance / max_travel_km` (1.0 for a zero reach at distance 0;
//!   0 beyond the reach).
//! - **availability**: shared minutes / minutes the family needs, capped at 1; 0.5 when
//!   either side gave no times (unknown is not agreement).
//! - **crisis type**: share of the family's crisis types the volunteer has experience
//!   with, or holds every module the policy ties to that type; 0.5 when the family
//!   named none.
//!
//! The total is the weighted sum with normalised [`Weights`], clamped to [0, 1]. Ranks
//! break ties by distance, then volunteer id, so results are deterministic.

use std::cmp::Ordering;
use std::fmt::Write as _;

use crate::language::LanguageCode;
use crate::places::Coordinates;
use crate::places::{EARTH_RADIUS_KM, chord, chord_to_km};
use crate::profile::{
    CrisisSet, CrisisType, FamilyProfile, LanguageLevel, Policy, VolunteerProfile, VolunteerStatus,
    Weights, clamp_unit, normalize_module,
};
use crate::week::{TimeSlot, WeekMask, Weekday};

/// A hard rule a volunteer fails for a family, in rule order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExclusionReason {
    /// Status is not ACTIVE.
    NotActive,
    /// No background check, or it is older than the policy allows (or dated after today).
    BackgroundCheckMissingOrExpired,
    /// Already supports as many families as their capacity.
    AtCapacity,
    /// Already involved with this family.
    AlreadyInvolved,
    /// Ended or declined with this family recently ([`Policy::recently_ended_days`]).
    RecentlyEndedWithFamily,
    /// Lacks a training module the family's crisis types require.
    MissingRequiredTraining,
    /// No language in common.
    NoSharedLanguage,
    /// The family lives beyond the volunteer's travel distance.
    TooFar,
    /// Too little time in common in the week.
    NoAvailabilityOverlap,
}

graphql_enum!(ExclusionReason {
    NotActive => "NOT_ACTIVE",
    BackgroundCheckMissingOrExpired => "BACKGROUND_CHECK_MISSING_OR_EXPIRED",
    AtCapacity => "AT_CAPACITY",
    AlreadyInvolved => "ALREADY_INVOLVED",
    RecentlyEndedWithFamily => "RECENTLY_ENDED_WITH_FAMILY",
    MissingRequiredTraining => "MISSING_REQUIRED_TRAINING",
    NoSharedLanguage => "NO_SHARED_LANGUAGE",
    TooFar => "TOO_FAR",
    NoAvailabilityOverlap => "NO_AVAILABILITY_OVERLAP",
});

impl ExclusionReason {
    /// Position in rule order (0 for NOT_ACTIVE).
    pub fn index(&self) -> usize {
        *self as usize
    }

    /// A short English phrase, e.g. `"is not active"`.
    pub fn describe(&self) -> &'static str {
        match self {
            ExclusionReason::NotActive => "is not active",
            ExclusionReason::BackgroundCheckMissingOrExpired => "has no valid background check",
            ExclusionReason::AtCapacity => "is at capacity",
            ExclusionReason::AlreadyInvolved => "is already involved with the family",
            ExclusionReason::RecentlyEndedWithFamily => {
                "ended or declined with the family recently"
            }
            ExclusionReason::MissingRequiredTraining => "lacks a required training",
            ExclusionReason::NoSharedLanguage => "shares no language with the family",
            ExclusionReason::TooFar => "lives too far away",
            ExclusionReason::NoAvailabilityOverlap => "has too little time in common",
        }
    }
}

/// The four criteria of a pair, each in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ScoreBreakdown {
    /// Best shared language, by levels (see the module docs).
    pub language: f64,
    /// Closeness relative to the volunteer's travel distance.
    pub location: f64,
    /// Share of the family's needed time the volunteer has free.
    pub availability: f64,
    /// Share of the family's crisis types the volunteer knows.
    pub crisis_type: f64,
}

/// A volunteer as a suggestion for a family, with everything a coordinator needs to
/// judge it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The volunteer.
    pub volunteer_id: u128,
    /// Weighted total in [0, 1]; higher is better.
    pub score: f64,
    /// Each criterion in [0, 1].
    pub breakdown: ScoreBreakdown,
    /// Great-circle distance between the two homes.
    pub distance_km: f64,
    /// Languages both speak, in code order.
    pub shared_languages: Vec<LanguageCode>,
    /// Minutes a week both have free.
    pub overlap_minutes: u32,
    /// Why each criterion scored as it did: language, location, availability,
    /// crisis type ([`Candidate::explanation`] says them in English).
    pub reasons: Vec<Reason>,
}

/// Everything about one pair, eligible or not.
#[derive(Debug, Clone, PartialEq)]
pub struct PairExplanation {
    /// Every hard rule the pair fails, in rule order (empty when eligible).
    pub failed_rules: Vec<ExclusionReason>,
    /// The score the pair has, or would have if the rules allowed it.
    pub candidate: Candidate,
}

impl PairExplanation {
    /// True when no rule fails.
    pub fn eligible(&self) -> bool {
        self.failed_rules.is_empty()
    }
}

/// Languages with their best level: a 128-bit set over catalogue positions, and 2 bits
/// of level rank per spoken language, in code order. At most 64 languages per person
/// are kept (the first 64 in code order), far more than anyone lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct LanguageSkills {
    /// Bit i: speaks catalogue language i.
    pub(crate) spoken: u128,
    /// Level rank of the n-th spoken language at bits 2n..2n+2.
    pub(crate) levels: u128,
}

impl LanguageSkills {
    const MAX_LANGUAGES: usize = 64;

    pub(crate) fn from_pairs(pairs: &[(LanguageCode, LanguageLevel)]) -> LanguageSkills {
        let mut best = [None::<u8>; 128];
        for (code, level) in pairs {
            let slot = &mut best[code.index()];
            *slot = Some(slot.map_or(level.rank(), |r| r.max(level.rank())));
        }
        let mut skills = LanguageSkills::default();
        for (n, (i, rank)) in best
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.map(|r| (i, r)))
            .take(Self::MAX_LANGUAGES)
            .enumerate()
        {
            skills.spoken |= 1 << i;
            skills.levels |= u128::from(rank) << (2 * n);
        }
        skills
    }

    pub(crate) fn level(&self, i: usize) -> Option<LanguageLevel> {
        if self.spoken >> i & 1 == 0 {
            return None;
        }
        let n = (self.spoken & ((1u128 << i) - 1)).count_ones();
        Some(LanguageLevel::from_rank((self.levels >> (2 * n) & 3) as u8))
    }

    /// (language, best level) in code order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (LanguageCode, LanguageLevel)> + '_ {
        bits(self.spoken).filter_map(|i| Some((LanguageCode::from_index(i)?, self.level(i)?)))
    }
}

/// Positions of the set bits, lowest first.
fn bits(mut mask: u128) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if mask == 0 {
            return None;
        }
        let i = mask.trailing_zeros() as usize;
        mask &= mask - 1;
        Some(i)
    })
}

/// What scoring needs about a family under a policy, computed once per family.
#[derive(Debug)]
pub(crate) struct FamilyContext<'a> {
    pub(crate) family: &'a FamilyProfile,
    pub(crate) languages: LanguageSkills,
    pub(crate) xyz: [f64; 3],
    needed_minutes: u32,
    overlap_threshold: u32,
    /// Normalised module names this family's matches require.
    pub(crate) required_modules: Vec<String>,
    /// Crisis types with policy modules of their own, and those modules (normalised).
    pub(crate) crisis_modules: Vec<(CrisisType, Vec<String>)>,
    level_factors: [f64; 4],
}

impl<'a> FamilyContext<'a> {
    pub(crate) fn new(family: &'a FamilyProfile, policy: &Policy) -> FamilyContext<'a> {
        let needed_minutes = family.needed_availability.minutes();
        let mut crisis_modules: Vec<(CrisisType, Vec<String>)> = Vec::new();
        for rule in &policy.required_trainings {
            if let Some(t) = rule.crisis_type {
                let module = normalize_module(&rule.module);
                match crisis_modules.iter_mut().find(|(c, _)| *c == t) {
                    Some((_, modules)) => modules.push(module),
                    None => crisis_modules.push((t, vec![module])),
                }
            }
        }
        // Index by rank: 0 basic .. 3 native.
        let level_factors = [
            policy.level_factor(LanguageLevel::Basic),
            policy.level_factor(LanguageLevel::Conversational),
            policy.level_factor(LanguageLevel::Fluent),
            policy.level_factor(LanguageLevel::Native),
        ];
        FamilyContext {
            family,
            languages: LanguageSkills::from_pairs(&family.languages),
            xyz: family.home.unit_vector(),
            needed_minutes,
            overlap_threshold: policy.min_overlap_minutes.min(needed_minutes),
            required_modules: policy.required_modules(family.crisis_types),
            crisis_modules,
            level_factors,
        }
    }

    /// Fewest shared minutes a volunteer with times must have (rule 8).
    pub(crate) fn overlap_threshold(&self) -> u32 {
        self.overlap_threshold
    }

    fn factor(&self, level: LanguageLevel) -> f64 {
        self.level_factors[usize::from(level.rank())]
    }

    /// Crisis types covered by holding `has(module)` for each of their modules.
    pub(crate) fn trained_for(&self, has: impl Fn(&str) -> bool) -> CrisisSet {
        self.crisis_modules
            .iter()
            .filter(|(_, modules)| modules.iter().all(|m| has(m)))
            .map(|(t, _)| *t)
            .collect()
    }
}

/// What the rules and criteria need about a volunteer, relative to one family.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VolunteerFacts<'a> {
    pub(crate) id: u128,
    pub(crate) active: bool,
    pub(crate) background_valid: bool,
    pub(crate) at_capacity: bool,
    pub(crate) involved: bool,
    pub(crate) recently_ended: bool,
    pub(crate) missing_training: bool,
    /// Experience plus crisis types covered by training.
    pub(crate) crisis_covered: CrisisSet,
    pub(crate) languages: LanguageSkills,
    pub(crate) home: Coordinates,
    pub(crate) max_travel_km: f64,
    pub(crate) availability: &'a WeekMask,
}

impl<'a> VolunteerFacts<'a> {
    pub(crate) fn from_profile(
        volunteer: &'a VolunteerProfile,
        ctx: &FamilyContext<'_>,
        policy: &Policy,
    ) -> VolunteerFacts<'a> {
        let modules: Vec<String> = volunteer
            .trainings
            .iter()
            .map(|m| normalize_module(m))
            .collect();
        let has = |m: &str| modules.iter().any(|own| own == m);
        VolunteerFacts {
            id: volunteer.id,
            active: volunteer.status == VolunteerStatus::Active,
            background_valid: policy.background_check_valid(volunteer.background_check_issued_on),
            at_capacity: volunteer.current_load >= volunteer.capacity,
            involved: volunteer.involved_family_ids.contains(&ctx.family.id),
            recently_ended: ctx.family.parted_recently(volunteer.id, policy),
            missing_training: !ctx.required_modules.iter().all(|m| has(m)),
            crisis_covered: volunteer.crisis_experience.union(ctx.trained_for(has)),
            languages: LanguageSkills::from_pairs(&volunteer.languages),
            home: volunteer.home,
            max_travel_km: volunteer.max_travel_km,
            availability: &volunteer.availability,
        }
    }

    /// The first of rules 1-6 (those that do not need the distance) the volunteer fails.
    pub(crate) fn first_static_failure(&self, ctx: &FamilyContext<'_>) -> Option<ExclusionReason> {
        if !self.active {
            Some(ExclusionReason::NotActive)
        } else if !self.background_valid {
            Some(ExclusionReason::BackgroundCheckMissingOrExpired)
        } else if self.at_capacity {
            Some(ExclusionReason::AtCapacity)
        } else if self.involved {
            Some(ExclusionReason::AlreadyInvolved)
        } else if self.recently_ended {
            Some(ExclusionReason::RecentlyEndedWithFamily)
        } else if self.missing_training {
            Some(ExclusionReason::MissingRequiredTraining)
        } else if self.languages.spoken & ctx.languages.spoken == 0 {
            Some(ExclusionReason::NoSharedLanguage)
        } else {
            None
        }
    }
}

/// The measured side of a pair: distance, overlap, criteria and total.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Measure {
    pub(crate) distance_km: f64,
    pub(crate) overlap_minutes: u32,
    pub(crate) too_far: bool,
    pub(crate) too_little_time: bool,
    pub(crate) breakdown: ScoreBreakdown,
    pub(crate) score: f64,
}

/// Location rule and score for a distance and a reach.
/// True when the family lives within the volunteer's travel distance (never for a NaN
/// distance or reach).
pub(crate) fn within_reach(distance_km: f64, max_travel_km: f64) -> bool {
    distance_km <= max_travel_km
}

fn location(distance_km: f64, max_travel_km: f64) -> (bool, f64) {
    let within = within_reach(distance_km, max_travel_km);
    let score = if !within {
        0.0
    } else if max_travel_km > 0.0 {
        clamp_unit(1.0 - distance_km / max_travel_km)
    } else {
        1.0
    };
    (!within, score)
}

/// The criteria that need no distance, and the time rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Partial {
    overlap_minutes: u32,
    pub(crate) too_little_time: bool,
    language: f64,
    availability: f64,
    crisis_type: f64,
}

/// Everything about a pair but its distance.
pub(crate) fn partial(ctx: &FamilyContext<'_>, v: &VolunteerFacts<'_>) -> Partial {
    let (overlap_minutes, too_little_time, availability) = time_criterion(ctx, v.availability);
    Partial {
        overlap_minutes,
        too_little_time,
        language: language_score(ctx, &v.languages).map_or(0.0, |(_, s)| s),
        availability,
        crisis_type: crisis_score(ctx.family.crisis_types, v.crisis_covered),
    }
}

/// Shared minutes, whether rule 8 fails (the criterion is then 0, unused), and the
/// availability criterion.
pub(crate) fn time_criterion(ctx: &FamilyContext<'_>, availability: &WeekMask) -> (u32, bool, f64) {
    let needed = &ctx.family.needed_availability;
    let overlap_minutes = needed.overlap_minutes(availability);
    if needed.is_empty() || availability.is_empty() {
        (overlap_minutes, false, 0.5)
    } else if overlap_minutes < ctx.overlap_threshold {
        (overlap_minutes, true, 0.0)
    } else {
        let share = f64::from(overlap_minutes) / f64::from(ctx.needed_minutes);
        (overlap_minutes, false, share.min(1.0))
    }
}

fn weighted_total(weights: &Weights, b: &ScoreBreakdown) -> f64 {
    clamp_unit(
        weights.language() * b.language
            + weights.location() * b.location
            + weights.availability() * b.availability
            + weights.crisis_type() * b.crisis_type,
    )
}

/// Completes a [`Partial`] with the distance.
pub(crate) fn complete(
    p: &Partial,
    distance_km: f64,
    max_travel_km: f64,
    weights: &Weights,
) -> Measure {
    let (too_far, location) = location(distance_km, max_travel_km);
    let breakdown = ScoreBreakdown {
        language: p.language,
        location,
        availability: p.availability,
        crisis_type: p.crisis_type,
    };
    Measure {
        distance_km,
        overlap_minutes: p.overlap_minutes,
        too_far,
        too_little_time: p.too_little_time,
        score: weighted_total(weights, &breakdown),
        breakdown,
    }
}

/// A total no smaller than the pair's score when it is within reach, from the chord
/// between the homes instead of the distance (`asin(x) >= x`, so the great-circle
/// distance is at least `R * chord`). Saves the `asin` for pairs that cannot rank.
pub(crate) fn upper_bound(p: &Partial, chord: f64, max_travel_km: f64, weights: &Weights) -> f64 {
    bound_total(
        p.language,
        chord,
        max_travel_km,
        p.availability,
        p.crisis_type,
        weights,
    )
}

/// A cruder bound than [`upper_bound`] that needs neither language levels nor crisis
/// experience (full marks for both), and any travel distance up to `max_travel_bound`.
pub(crate) fn rough_upper_bound(
    availability: f64,
    chord: f64,
    max_travel_bound: f64,
    weights: &Weights,
) -> f64 {
    bound_total(1.0, chord, max_travel_bound, availability, 1.0, weights)
}

/// The most a volunteer can score with a family, from what the match index keeps in
/// its R-tree entries, for bounding a volunteer, or a whole box of them, before reading
/// their records. Each part is at least the criterion [`partial`] gives any volunteer
/// the part applies to (every criterion is in [0, 1]):
/// - language: per language of the family, 1 for the preferred one when the family
///   speaks it at CONVERSATIONAL or better, else the family's factor times the best
///   factor of the policy ([`language_score`] takes the best shared language);
/// - availability: 0.5 when either side gave no times; else the minutes the family
///   needs in the three-hour blocks ([`WeekMask::coarse`]) where the volunteer has
///   time, over the minutes it needs, capped at 1 (common minutes lie in such blocks;
///   see [`time_criterion`]);
/// - crisis type: 0.5 when the family named none, else 1 ([`crisis_score`]).
#[derive(Debug, Clone)]
pub(crate) struct Ceiling {
    /// The family's languages: catalogue bit and most a volunteer speaking it can score.
    languages: Vec<(u128, f64)>,
    /// The best of `languages` (0 without any).
    language: f64,
    /// The three-hour blocks of the week in which the family needs time, with the
    /// minutes it needs in each.
    needed_by_block: Vec<(u32, u32)>,
    needed_minutes: u32,
    crisis_type: f64,
}

impl Ceiling {
    pub(crate) fn of(ctx: &FamilyContext<'_>) -> Ceiling {
        let preferred = ctx.family.preferred_language.map(|l| l.index());
        let best_factor = ctx.level_factors.iter().copied().fold(0.0, f64::max);
        let languages: Vec<(u128, f64)> = bits(ctx.languages.spoken)
            .filter_map(|i| {
                let level = ctx.languages.level(i)?;
                let conversational = level.rank() >= LanguageLevel::Conversational.rank();
                let most = if preferred == Some(i) && conversational {
                    1.0
                } else {
                    ctx.factor(level) * best_factor
                };
                Some((1u128 << i, most))
            })
            .collect();
        let needed = &ctx.family.needed_availability;
        let needed_by_block = bits(u128::from(needed.coarse()))
            .map(|block| {
                let start = 180 * (block % 8) as u16;
                let window = TimeSlot {
                    day: Weekday::ALL[block / 8],
                    start_minute: start,
                    end_minute: start + 180,
                };
                let minutes = needed.overlap_minutes(&WeekMask::from_slots(&[window]));
                (block as u32, minutes)
            })
            .collect();
        Ceiling {
            language: languages.iter().map(|(_, most)| *most).fold(0.0, f64::max),
            languages,
            needed_by_block,
            needed_minutes: ctx.needed_minutes,
            crisis_type: if ctx.family.crisis_types.is_empty() {
                0.5
            } else {
                1.0
            },
        }
    }

    /// The most a volunteer who speaks `spoken` can score on language.
    fn language(&self, spoken: u128) -> f64 {
        self.languages
            .iter()
            .filter(|(bit, _)| spoken & bit != 0)
            .fold(0.0, |best, (_, most)| best.max(*most))
    }

    /// The most a volunteer with time in the three-hour blocks `time_blocks` can score
    /// on availability.
    fn availability(&self, time_blocks: u64) -> f64 {
        if self.needed_minutes == 0 || time_blocks == 0 {
            return 0.5;
        }
        let minutes: u32 = self
            .needed_by_block
            .iter()
            .map(|&(block, minutes)| minutes * (time_blocks >> block & 1) as u32)
            .sum();
        (f64::from(minutes) / f64::from(self.needed_minutes)).min(1.0)
    }

    /// A total no smaller than the score of any volunteer with the family whose home is
    /// at least `chord` from the family's and whose travel distance is at most
    /// `max_travel_bound`, if within reach.
    pub(crate) fn upper_bound(&self, chord: f64, max_travel_bound: f64, weights: &Weights) -> f64 {
        let availability = if self.needed_minutes == 0 { 0.5 } else { 1.0 };
        bound_total(
            self.language,
            chord,
            max_travel_bound,
            availability,
            self.crisis_type,
            weights,
        )
    }

    /// [`upper_bound`](Self::upper_bound) for one volunteer who speaks `spoken` and has
    /// time in the three-hour blocks `time_blocks`.
    pub(crate) fn volunteer_upper_bound(
        &self,
        spoken: u128,
        time_blocks: u64,
        chord: f64,
        max_travel_bound: f64,
        weights: &Weights,
    ) -> f64 {
        bound_total(
            self.language(spoken),
            chord,
            max_travel_bound,
            self.availability(time_blocks),
            self.crisis_type,
            weights,
        )
    }
}

fn bound_total(
    language: f64,
    chord: f64,
    max_travel_km: f64,
    availability: f64,
    crisis_type: f64,
    weights: &Weights,
) -> f64 {
    let shortest_km = EARTH_RADIUS_KM * chord * (1.0 - 1e-12);
    let location = if max_travel_km > 0.0 {
        clamp_unit(1.0 - shortest_km / max_travel_km)
    } else {
        1.0
    };
    weighted_total(
        weights,
        &ScoreBreakdown {
            language,
            location,
            availability,
            crisis_type,
        },
    )
}

/// Measures a pair, given the distance (so the index can reuse one it computed).
pub(crate) fn measure_at(
    ctx: &FamilyContext<'_>,
    v: &VolunteerFacts<'_>,
    distance_km: f64,
    weights: &Weights,
) -> Measure {
    complete(&partial(ctx, v), distance_km, v.max_travel_km, weights)
}

/// Measures a pair from scratch.
pub(crate) fn measure(
    ctx: &FamilyContext<'_>,
    v: &VolunteerFacts<'_>,
    weights: &Weights,
) -> Measure {
    let distance_km = chord_to_km(chord(&ctx.xyz, &v.home.unit_vector()));
    measure_at(ctx, v, distance_km, weights)
}

/// The best shared language and its score (see the module docs), `None` without one.
/// Ties go to the preferred language, then to code order.
fn language_score(ctx: &FamilyContext<'_>, volunteer: &LanguageSkills) -> Option<(usize, f64)> {
    let preferred = ctx.family.preferred_language.map(|l| l.index());
    let mut best: Option<(usize, f64)> = None;
    for i in bits(ctx.languages.spoken & volunteer.spoken) {
        let (Some(fl), Some(vl)) = (ctx.languages.level(i), volunteer.level(i)) else {
            continue;
        };
        let conversational = LanguageLevel::Conversational.rank();
        let s =
            if preferred == Some(i) && fl.rank() >= conversational && vl.rank() >= conversational {
                1.0
            } else {
                ctx.factor(fl) * ctx.factor(vl)
            };
        let better = match best {
            None => true,
            Some((b, bs)) => s > bs || (s == bs && preferred == Some(i) && preferred != Some(b)),
        };
        if better {
            best = Some((i, s));
        }
    }
    best
}

fn crisis_score(family: CrisisSet, covered: CrisisSet) -> f64 {
    if family.is_empty() {
        0.5
    } else {
        family.intersection(covered).len() as f64 / family.len() as f64
    }
}

/// Every failed rule of a measured pair, in rule order.
fn failed_rules(
    ctx: &FamilyContext<'_>,
    v: &VolunteerFacts<'_>,
    m: &Measure,
) -> Vec<ExclusionReason> {
    let checks = [
        !v.active,
        !v.background_valid,
        v.at_capacity,
        v.involved,
        v.recently_ended,
        v.missing_training,
        v.languages.spoken & ctx.languages.spoken == 0,
        m.too_far,
        m.too_little_time,
    ];
    ExclusionReason::ALL
        .into_iter()
        .zip(checks)
        .filter_map(|(r, failed)| failed.then_some(r))
        .collect()
}

/// The candidate for a measured pair, explanation included.
pub(crate) fn candidate(ctx: &FamilyContext<'_>, v: &VolunteerFacts<'_>, m: &Measure) -> Candidate {
    let shared = ctx.languages.spoken & v.languages.spoken;
    Candidate {
        volunteer_id: v.id,
        score: m.score,
        breakdown: m.breakdown,
        distance_km: m.distance_km,
        shared_languages: bits(shared).filter_map(LanguageCode::from_index).collect(),
        overlap_minutes: m.overlap_minutes,
        reasons: vec![
            explain_language(ctx, &v.languages),
            explain_location(m.distance_km, v.max_travel_km),
            explain_availability(ctx, v.availability, m),
            explain_crisis_reason(ctx.family.crisis_types, v.crisis_covered),
        ],
    }
}

/// Best first: higher score, then shorter distance, then lower id.
pub(crate) fn rank_order(a: (f64, f64, u128), b: (f64, f64, u128)) -> Ordering {
    b.0.total_cmp(&a.0)
        .then(a.1.total_cmp(&b.1))
        .then(a.2.cmp(&b.2))
}

/// The modules a match of `volunteer` with `family` requires that the volunteer
/// does not hold (normalised codes, sorted): what MISSING_REQUIRED_TRAINING is about.
pub fn missing_modules(
    family: &FamilyProfile,
    volunteer: &VolunteerProfile,
    policy: &Policy,
) -> Vec<String> {
    let held: Vec<String> = volunteer
        .trainings
        .iter()
        .map(|m| normalize_module(m))
        .collect();
    policy
        .required_modules(family.crisis_types)
        .into_iter()
        .filter(|m| !held.contains(m))
        .collect()
}

/// Every failed rule of the pair and the score it has (or would have), with its
/// explanation. Works for any pair, eligible or not.
pub fn explain(
    family: &FamilyProfile,
    volunteer: &VolunteerProfile,
    weights: &Weights,
    policy: &Policy,
) -> PairExplanation {
    let ctx = FamilyContext::new(family, policy);
    let facts = VolunteerFacts::from_profile(volunteer, &ctx, policy);
    let m = measure(&ctx, &facts, weights);
    PairExplanation {
        failed_rules: failed_rules(&ctx, &facts, &m),
        candidate: candidate(&ctx, &facts, &m),
    }
}

/// The first hard rule the pair fails, in rule order, or `None` when the volunteer is
/// eligible for the family.
pub fn first_failed_rule(
    family: &FamilyProfile,
    volunteer: &VolunteerProfile,
    policy: &Policy,
) -> Option<ExclusionReason> {
    let ctx = FamilyContext::new(family, policy);
    let facts = VolunteerFacts::from_profile(volunteer, &ctx, policy);
    if let Some(r) = facts.first_static_failure(&ctx) {
        return Some(r);
    }
    let m = measure(&ctx, &facts, &Weights::default());
    if m.too_far {
        Some(ExclusionReason::TooFar)
    } else if m.too_little_time {
        Some(ExclusionReason::NoAvailabilityOverlap)
    } else {
        None
    }
}

/// The candidate when the volunteer is eligible for the family, otherwise the first
/// rule the pair fails.
pub fn score_pair(
    family: &FamilyProfile,
    volunteer: &VolunteerProfile,
    weights: &Weights,
    policy: &Policy,
) -> Result<Candidate, ExclusionReason> {
    let explanation = explain(family, volunteer, weights, policy);
    match explanation.failed_rules.first() {
        Some(r) => Err(*r),
        None => Ok(explanation.candidate),
    }
}

// ---- explanations

/// The criterion a [`Reason`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Criterion {
    /// Shared languages.
    Language,
    /// Distance and travel reach.
    Location,
    /// Weekly time in common.
    Availability,
    /// Experience with the family's needs.
    CrisisType,
}

/// Why one criterion scored as it did: the facts behind the sentence, so that
/// the API can say it in any language ([`Reason::english`] says it in English)
/// and programs can read its stable [`Reason::code`].
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// The family has no language on file.
    FamilyHasNoLanguage,
    /// No language in common; the family's languages.
    NoSharedLanguage {
        /// The family's languages.
        family: Vec<LanguageCode>,
    },
    /// The best shared language.
    SpeaksLanguage {
        /// The language.
        language: LanguageCode,
        /// How well the volunteer speaks it.
        level: LanguageLevel,
        /// The family's preferred language, if any.
        preferred: Option<LanguageCode>,
        /// The other shared languages.
        also: Vec<LanguageCode>,
    },
    /// A shared language the catalogue cannot name (never in practice).
    SpeaksSomeLanguage,
    /// Inside the volunteer's travel reach.
    WithinTravelDistance {
        /// Between the homes.
        distance_km: f64,
        /// The volunteer's reach.
        max_travel_km: f64,
    },
    /// Beyond the volunteer's travel reach.
    BeyondTravelDistance {
        /// Between the homes.
        distance_km: f64,
        /// The volunteer's reach (0 when negative).
        max_travel_km: f64,
    },
    /// The volunteer's reach is unknown.
    TravelDistanceUnknown {
        /// Between the homes.
        distance_km: f64,
    },
    /// One side or both gave no times.
    AvailabilityUnknown {
        /// The family gave times.
        family_gave: bool,
        /// The volunteer gave times.
        volunteer_gave: bool,
    },
    /// Both gave times; none in common.
    NoTimeInCommon,
    /// Time in common.
    TimeInCommon {
        /// Minutes a week.
        minutes: u32,
        /// The windows in common, in week order.
        windows: Vec<TimeSlot>,
        /// When too little: the minutes needed.
        needed: Option<u32>,
    },
    /// The family named no needs.
    NoNeedsNamed,
    /// The family's needs and those the volunteer knows.
    Needs {
        /// The family's needs.
        family: CrisisSet,
        /// Those the volunteer has experience or training for.
        known: CrisisSet,
    },
}

impl Reason {
    /// The criterion it is about.
    pub fn criterion(&self) -> Criterion {
        match self {
            Reason::FamilyHasNoLanguage
            | Reason::NoSharedLanguage { .. }
            | Reason::SpeaksLanguage { .. }
            | Reason::SpeaksSomeLanguage => Criterion::Language,
            Reason::WithinTravelDistance { .. }
            | Reason::BeyondTravelDistance { .. }
            | Reason::TravelDistanceUnknown { .. } => Criterion::Location,
            Reason::AvailabilityUnknown { .. }
            | Reason::NoTimeInCommon
            | Reason::TimeInCommon { .. } => Criterion::Availability,
            Reason::NoNeedsNamed | Reason::Needs { .. } => Criterion::CrisisType,
        }
    }

    /// The stable code, e.g. `SPEAKS_PREFERRED_LANGUAGE`.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::FamilyHasNoLanguage => "FAMILY_HAS_NO_LANGUAGE",
            Reason::NoSharedLanguage { .. } => "NO_SHARED_LANGUAGE",
            Reason::SpeaksLanguage {
                language,
                preferred,
                ..
            } => match preferred {
                Some(p) if p == language => "SPEAKS_PREFERRED_LANGUAGE",
                Some(_) => "SPEAKS_OTHER_FAMILY_LANGUAGE",
                None => "SPEAKS_FAMILY_LANGUAGE",
            },
            Reason::SpeaksSomeLanguage => "SPEAKS_FAMILY_LANGUAGE",
            Reason::WithinTravelDistance { .. } => "WITHIN_TRAVEL_DISTANCE",
            Reason::BeyondTravelDistance { .. } => "BEYOND_TRAVEL_DISTANCE",
            Reason::TravelDistanceUnknown { .. } => "TRAVEL_DISTANCE_UNKNOWN",
            Reason::AvailabilityUnknown { .. } => "AVAILABILITY_UNKNOWN",
            Reason::NoTimeInCommon => "NO_TIME_IN_COMMON",
            Reason::TimeInCommon {
                needed: Some(_), ..
            } => "TOO_LITTLE_TIME_IN_COMMON",
            Reason::TimeInCommon { needed: None, .. } => "TIME_IN_COMMON",
            Reason::NoNeedsNamed => "NO_NEEDS_NAMED",
            Reason::Needs { family, known } => {
                let (n, k) = (family.len(), family.intersection(*known).len());
                if k == 0 {
                    "NO_NEEDS_IN_COMMON"
                } else if k == n {
                    "ALL_NEEDS_KNOWN"
                } else {
                    "SOME_NEEDS_KNOWN"
                }
            }
        }
    }

    /// The sentence in plain English.
    pub fn english(&self) -> String {
        let name = |l: &LanguageCode| l.language().name_en.to_owned();
        match self {
            Reason::FamilyHasNoLanguage => {
                "No language in common: the family has no language on file".to_owned()
            }
            Reason::NoSharedLanguage { family } => {
                let theirs: Vec<String> = family.iter().map(name).collect();
                format!(
                    "No language in common (the family speaks {})",
                    list_and(&theirs)
                )
            }
            Reason::SpeaksLanguage {
                language,
                level,
                preferred,
                also,
            } => {
                let mut sentence = format!("Speaks {} {}", name(language), level.adverb());
                match preferred {
                    Some(p) if p == language => {
                        sentence.push_str(", the family's preferred language");
                    }
                    Some(p) => {
                        let _ = write!(sentence, " (the family prefers {})", name(p));
                    }
                    None => {}
                }
                if !also.is_empty() {
                    let others: Vec<String> = also.iter().map(name).collect();
                    let _ = write!(sentence, "; also {}", list_and(&others));
                }
                sentence
            }
            Reason::SpeaksSomeLanguage => "Speaks a language of the family".to_owned(),
            Reason::WithinTravelDistance {
                distance_km,
                max_travel_km,
            } => format!(
                "{distance_km:.1} km away (travels up to {} km)",
                format_km(*max_travel_km)
            ),
            Reason::TravelDistanceUnknown { distance_km } => {
                format!("{distance_km:.1} km away (travel distance unknown)")
            }
            Reason::BeyondTravelDistance {
                distance_km,
                max_travel_km,
            } => format!(
                "{distance_km:.1} km away, beyond the {} km they travel",
                format_km(*max_travel_km)
            ),
            Reason::AvailabilityUnknown {
                family_gave,
                volunteer_gave,
            } => match (family_gave, volunteer_gave) {
                (false, false) => "Availability unknown: neither side gave times",
                (false, true) => "Availability unknown: the family gave no times",
                _ => "Availability unknown: the volunteer gave no times",
            }
            .to_owned(),
            Reason::NoTimeInCommon => "No time in common in the week".to_owned(),
            Reason::TimeInCommon {
                minutes,
                windows,
                needed,
            } => {
                let shown: Vec<String> = windows.iter().take(3).map(|s| s.to_string()).collect();
                let mut when = shown.join(", ");
                if windows.len() > shown.len() {
                    let _ = write!(when, " and {} more", windows.len() - shown.len());
                }
                let common = format_minutes(*minutes);
                match needed {
                    Some(needed) => format!(
                        "Only {common} a week in common ({when}); at least {} needed",
                        format_minutes(*needed)
                    ),
                    None => format!("{common} a week in common ({when})"),
                }
            }
            Reason::NoNeedsNamed => "The family named no specific needs".to_owned(),
            Reason::Needs { family, known } => explain_crisis(*family, *known),
        }
    }
}

impl Candidate {
    /// One sentence per criterion in plain English: language, location,
    /// availability, crisis type.
    pub fn explanation(&self) -> Vec<String> {
        self.reasons.iter().map(Reason::english).collect()
    }
}

fn list_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn explain_language(ctx: &FamilyContext<'_>, volunteer: &LanguageSkills) -> Reason {
    let Some((best, _)) = language_score(ctx, volunteer) else {
        let family: Vec<LanguageCode> = ctx.languages.iter().map(|(l, _)| l).collect();
        return if family.is_empty() {
            Reason::FamilyHasNoLanguage
        } else {
            Reason::NoSharedLanguage { family }
        };
    };
    let (Some(language), Some(level)) = (LanguageCode::from_index(best), volunteer.level(best))
    else {
        return Reason::SpeaksSomeLanguage;
    };
    Reason::SpeaksLanguage {
        language,
        level,
        preferred: ctx.family.preferred_language,
        also: bits(ctx.languages.spoken & volunteer.spoken)
            .filter(|i| *i != best)
            .filter_map(LanguageCode::from_index)
            .collect(),
    }
}

/// `10` or `7.5`.
pub fn format_km(km: f64) -> String {
    if km.fract() == 0.0 && km.abs() < 1e6 {
        format!("{km:.0}")
    } else {
        format!("{km:.1}")
    }
}

fn explain_location(distance_km: f64, max_travel_km: f64) -> Reason {
    if distance_km <= max_travel_km {
        Reason::WithinTravelDistance {
            distance_km,
            max_travel_km,
        }
    } else if max_travel_km.is_nan() {
        Reason::TravelDistanceUnknown { distance_km }
    } else {
        Reason::BeyondTravelDistance {
            distance_km,
            max_travel_km: max_travel_km.max(0.0),
        }
    }
}

/// `2 h 30 min`, `2 h`, `45 min`.
fn format_minutes(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

fn explain_availability(ctx: &FamilyContext<'_>, volunteer: &WeekMask, m: &Measure) -> Reason {
    let needed = &ctx.family.needed_availability;
    if needed.is_empty() || volunteer.is_empty() {
        return Reason::AvailabilityUnknown {
            family_gave: !needed.is_empty(),
            volunteer_gave: !volunteer.is_empty(),
        };
    }
    if m.overlap_minutes == 0 {
        return Reason::NoTimeInCommon;
    }
    Reason::TimeInCommon {
        minutes: m.overlap_minutes,
        windows: needed.intersection(volunteer).to_slots(),
        needed: m.too_little_time.then_some(ctx.overlap_threshold),
    }
}

fn explain_crisis_reason(family: CrisisSet, covered: CrisisSet) -> Reason {
    if family.is_empty() {
        Reason::NoNeedsNamed
    } else {
        Reason::Needs {
            family,
            known: family.intersection(covered),
        }
    }
}

fn explain_crisis(family: CrisisSet, known: CrisisSet) -> String {
    let labels = |set: CrisisSet| -> String {
        set.iter()
            .map(|t| t.label_en())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (n, k) = (family.len(), known.len());
    match (k, n) {
        (0, 1) => format!("No experience with the family's need: {}", labels(family)),
        (0, _) => format!("No experience with the family's needs: {}", labels(family)),
        (1, 1) => format!("Experienced with the family's need: {}", labels(known)),
        (k, n) if k == n => format!(
            "Experienced with all of the family's {n} needs: {}",
            labels(known)
        ),
        (k, n) => format!(
            "Experienced with {k} of the family's {n} needs: {}",
            labels(known)
        ),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::language::resolve;
    use crate::places::Coordinates;
    use crate::profile::{Day, Urgency};
    use crate::week::{TimeSlot, Weekday};

    pub(crate) fn lang(code: &str) -> LanguageCode {
        LanguageCode::parse_code(code).unwrap()
    }

    pub(crate) fn week(slots: &[(Weekday, &str, &str)]) -> WeekMask {
        let slots: Vec<TimeSlot> = slots
            .iter()
            .map(|(d, s, e)| TimeSlot::parse(*d, s, e).unwrap())
            .collect();
        WeekMask::from_slots(&slots)
    }

    pub(crate) const TODAY: Day = Day(20_000);

    pub(crate) fn volunteer(id: u128) -> VolunteerProfile {
        VolunteerProfile {
            id,
            status: VolunteerStatus::Active,
            languages: vec![
                (lang("ar"), LanguageLevel::Native),
                (lang("fr"), LanguageLevel::Fluent),
            ],
            home: Coordinates::new(50.85, 4.35).unwrap(),
            max_travel_km: 10.0,
            availability: week(&[(Weekday::Wednesday, "13:00", "18:00")]),
            crisis_experience: [CrisisType::ParentingStress, CrisisType::Newcomer]
                .into_iter()
                .collect(),
            trainings: vec!["basic".to_owned()],
            capacity: 2,
            current_load: 0,
            background_check_issued_on: Some(Day(TODAY.0 - 100)),
            involved_family_ids: vec![],
        }
    }

    pub(crate) fn family(id: u128) -> FamilyProfile {
        FamilyProfile {
            id,
            languages: vec![
                (lang("ar"), LanguageLevel::Native),
                (lang("nl"), LanguageLevel::Basic),
            ],
            preferred_language: Some(lang("ar")),
            home: Coordinates::new(50.87, 4.37).unwrap(),
            needed_availability: week(&[
                (Weekday::Wednesday, "14:00", "16:30"),
                (Weekday::Saturday, "10:00", "12:00"),
            ]),
            crisis_types: [
                CrisisType::ParentingStress,
                CrisisType::Newcomer,
                CrisisType::Housing,
            ]
            .into_iter()
            .collect(),
            urgency: Urgency::Normal,
            referred_on: Day(TODAY.0 - 10),
            parted: Vec::new(),
        }
    }

    fn policy() -> Policy {
        Policy::with_today(TODAY)
    }

    #[test]
    fn a_good_pair_is_explained_criterion_by_criterion() {
        let e = explain(&family(1), &volunteer(7), &Weights::default(), &policy());
        assert!(e.eligible(), "{:?}", e.failed_rules);
        let c = &e.candidate;
        assert_eq!(c.volunteer_id, 7);
        assert_eq!(c.shared_languages, vec![lang("ar")]);
        assert_eq!(c.overlap_minutes, 150);
        assert_eq!(c.breakdown.language, 1.0);
        assert!((c.distance_km - 2.63).abs() < 0.01, "{}", c.distance_km);
        assert!((c.breakdown.location - (1.0 - c.distance_km / 10.0)).abs() < 1e-12);
        assert!((c.breakdown.availability - 150.0 / 270.0).abs() < 1e-12);
        assert!((c.breakdown.crisis_type - 2.0 / 3.0).abs() < 1e-12);
        let expected =
            0.35 * 1.0 + 0.25 * c.breakdown.location + 0.25 * (150.0 / 270.0) + 0.15 * (2.0 / 3.0);
        assert!((c.score - expected).abs() < 1e-12);
        assert_eq!(
            c.explanation(),
            vec![
                "Speaks Arabic natively, the family's preferred language".to_owned(),
                "2.6 km away (travels up to 10 km)".to_owned(),
                "2 h 30 min a week in common (Wednesday 14:00-16:30)".to_owned(),
                "Experienced with 2 of the family's 3 needs: parenting stress, newcomer".to_owned(),
            ]
        );
        assert_eq!(
            first_failed_rule(&family(1), &volunteer(7), &policy()),
            None
        );
        assert_eq!(
            score_pair(&family(1), &volunteer(7), &Weights::default(), &policy()).unwrap(),
            e.candidate
        );
    }

    #[test]
    fn every_failed_rule_is_listed_in_rule_order() {
        let mut v = volunteer(7);
        v.status = VolunteerStatus::Paused;
        v.background_check_issued_on = None;
        v.current_load = 2;
        v.involved_family_ids = vec![1];
        v.trainings.clear();
        v.languages = vec![(lang("pl"), LanguageLevel::Native)];
        v.home = Coordinates::new(51.2, 4.4).unwrap();
        v.availability = week(&[(Weekday::Monday, "09:00", "10:00")]);
        let mut f = family(1);
        f.parted = vec![(v.id, Day(TODAY.0 - 10))];
        let e = explain(&f, &v, &Weights::default(), &policy());
        assert_eq!(e.failed_rules, ExclusionReason::ALL.to_vec());
        assert_eq!(
            first_failed_rule(&f, &v, &policy()),
            Some(ExclusionReason::NotActive)
        );
        assert_eq!(
            score_pair(&f, &v, &Weights::default(), &policy()),
            Err(ExclusionReason::NotActive)
        );
        assert_eq!(e.candidate.breakdown.language, 0.0);
        assert_eq!(e.candidate.breakdown.location, 0.0);
        assert_eq!(
            e.candidate.explanation()[0],
            "No language in common (the family speaks Arabic and Dutch)"
        );
        assert!(
            e.candidate.explanation()[1].ends_with("beyond the 10 km they travel"),
            "{}",
            e.candidate.explanation()[1]
        );
        assert_eq!(
            e.candidate.explanation()[2],
            "No time in common in the week"
        );
    }

    #[test]
    fn each_rule_alone_is_the_first_failure() {
        let f = family(1);
        let p = policy();
        type Change = Box<dyn Fn(&mut VolunteerProfile)>;
        let cases: Vec<(ExclusionReason, Change)> = vec![
            (
                ExclusionReason::NotActive,
                Box::new(|v| v.status = VolunteerStatus::InTraining),
            ),
            (
                ExclusionReason::BackgroundCheckMissingOrExpired,
                Box::new(|v| v.background_check_issued_on = Some(Day(TODAY.0 - 1096))),
            ),
            (
                ExclusionReason::AtCapacity,
                Box::new(|v| v.current_load = 5),
            ),
            (
                ExclusionReason::AlreadyInvolved,
                Box::new(|v| v.involved_family_ids = vec![9, 1]),
            ),
            (
                ExclusionReason::MissingRequiredTraining,
                Box::new(|v| v.trainings = vec!["CHILD_SAFETY".into()]),
            ),
            (
                ExclusionReason::NoSharedLanguage,
                Box::new(|v| v.languages = vec![(lang("fr"), LanguageLevel::Native)]),
            ),
            (ExclusionReason::TooFar, Box::new(|v| v.max_travel_km = 2.0)),
            (
                ExclusionReason::NoAvailabilityOverlap,
                Box::new(|v| v.availability = week(&[(Weekday::Wednesday, "16:00", "16:45")])),
            ),
        ];
        for (reason, change) in cases {
            let mut v = volunteer(7);
            change(&mut v);
            assert_eq!(first_failed_rule(&f, &v, &p), Some(reason));
            assert_eq!(
                explain(&f, &v, &Weights::default(), &p).failed_rules,
                vec![reason]
            );
        }
    }

    #[test]
    fn crisis_types_add_required_trainings() {
        let mut f = family(1);
        f.crisis_types.insert(CrisisType::DomesticViolence);
        let mut v = volunteer(7);
        assert_eq!(
            first_failed_rule(&f, &v, &policy()),
            Some(ExclusionReason::MissingRequiredTraining)
        );
        v.trainings.push(" domestic_violence ".into());
        assert_eq!(first_failed_rule(&f, &v, &policy()), None);
        // Training for a crisis type counts as experience with it.
        let c = explain(&f, &v, &Weights::default(), &policy()).candidate;
        assert!((c.breakdown.crisis_type - 3.0 / 4.0).abs() < 1e-12);
        assert!(
            c.explanation()[3].contains("domestic violence"),
            "{}",
            c.explanation()[3]
        );
    }

    #[test]
    fn missing_data_is_unknown_not_agreement() {
        let mut f = family(1);
        f.needed_availability = WeekMask::default();
        f.crisis_types = CrisisSet::EMPTY;
        let mut v = volunteer(7);
        v.availability = WeekMask::default();
        let e = explain(&f, &v, &Weights::default(), &policy());
        assert!(e.eligible());
        assert_eq!(e.candidate.breakdown.availability, 0.5);
        assert_eq!(e.candidate.breakdown.crisis_type, 0.5);
        assert_eq!(
            e.candidate.explanation()[2],
            "Availability unknown: neither side gave times"
        );
        assert_eq!(
            e.candidate.explanation()[3],
            "The family named no specific needs"
        );
        let e = explain(&family(1), &v, &Weights::default(), &policy());
        assert!(e.eligible());
        assert_eq!(
            e.candidate.explanation()[2],
            "Availability unknown: the volunteer gave no times"
        );
    }

    #[test]
    fn a_family_needing_little_time_is_served_by_sharing_all_of_it() {
        let mut f = family(1);
        f.needed_availability = week(&[(Weekday::Wednesday, "15:00", "15:30")]);
        let e = explain(&f, &volunteer(7), &Weights::default(), &policy());
        assert!(e.eligible());
        assert_eq!(e.candidate.breakdown.availability, 1.0);
        let mut v = volunteer(7);
        v.availability = week(&[(Weekday::Wednesday, "15:00", "15:15")]);
        let e = explain(&f, &v, &Weights::default(), &policy());
        assert_eq!(e.failed_rules, vec![ExclusionReason::NoAvailabilityOverlap]);
        assert_eq!(
            e.candidate.explanation()[2],
            "Only 15 min a week in common (Wednesday 15:00-15:15); at least 30 min needed"
        );
    }

    #[test]
    fn language_levels_and_preference_set_the_language_score() {
        let p = policy();
        let mut f = family(1);
        let mut v = volunteer(7);
        // Preferred language at conversational on both sides: full marks.
        f.languages = vec![(lang("ar"), LanguageLevel::Conversational)];
        v.languages = vec![(lang("ar"), LanguageLevel::Conversational)];
        assert_eq!(
            explain(&f, &v, &Weights::default(), &p)
                .candidate
                .breakdown
                .language,
            1.0
        );
        // Preferred language at basic: product of factors.
        v.languages = vec![(lang("ar"), LanguageLevel::Basic)];
        let c = explain(&f, &v, &Weights::default(), &p).candidate;
        assert!((c.breakdown.language - 0.7 * 0.4).abs() < 1e-12);
        assert_eq!(
            c.explanation()[0],
            "Speaks Arabic at a basic level, the family's preferred language"
        );
        // Another language: product of factors; a duplicate counts at its best level.
        f.languages = vec![
            (lang("fr"), LanguageLevel::Fluent),
            (lang("ar"), LanguageLevel::Native),
        ];
        v.languages = vec![
            (lang("fr"), LanguageLevel::Basic),
            (lang("fr"), LanguageLevel::Native),
        ];
        let c = explain(&f, &v, &Weights::default(), &p).candidate;
        assert!((c.breakdown.language - 0.9).abs() < 1e-12);
        assert_eq!(
            c.explanation()[0],
            "Speaks French natively (the family prefers Arabic)"
        );
        assert_eq!(resolve("fr").unwrap(), lang("fr"));
    }

    #[test]
    fn explanations_read_well() {
        assert_eq!(format_minutes(150), "2 h 30 min");
        assert_eq!(format_minutes(120), "2 h");
        assert_eq!(format_minutes(45), "45 min");
        assert_eq!(
            explain_location(2.34, 7.5).english(),
            "2.3 km away (travels up to 7.5 km)"
        );
        let all: CrisisSet = [CrisisType::Housing, CrisisType::Financial]
            .into_iter()
            .collect();
        assert_eq!(
            explain_crisis(all, all),
            "Experienced with all of the family's 2 needs: housing, financial trouble"
        );
        let one: CrisisSet = [CrisisType::Housing].into_iter().collect();
        assert_eq!(
            explain_crisis(one, one),
            "Experienced with the family's need: housing"
        );
        assert_eq!(
            explain_crisis(one, CrisisSet::EMPTY),
            "No experience with the family's need: housing"
        );
        assert_eq!(ExclusionReason::TooFar.as_str(), "TOO_FAR");
        assert_eq!(
            "AT_CAPACITY".parse::<ExclusionReason>().unwrap(),
            ExclusionReason::AtCapacity
        );
    }

    #[test]
    fn exclusion_reasons_match_the_contract() {
        let contract = include_str!("../../tests/contract.graphql");
        for r in ExclusionReason::ALL {
            assert!(contract.contains(&format!("  {}\n", r.as_str())), "{r}");
        }
    }

    #[test]
    fn language_skills_keep_the_best_level_per_language() {
        let skills = LanguageSkills::from_pairs(&[
            (lang("fr"), LanguageLevel::Basic),
            (lang("ar"), LanguageLevel::Fluent),
            (lang("fr"), LanguageLevel::Native),
            (lang("zu"), LanguageLevel::Conversational),
        ]);
        assert_eq!(
            skills.iter().collect::<Vec<_>>(),
            vec![
                (lang("ar"), LanguageLevel::Fluent),
                (lang("fr"), LanguageLevel::Native),
                (lang("zu"), LanguageLevel::Conversational)
            ]
        );
        assert_eq!(skills.level(lang("nl").index()), None);
        let everything: Vec<_> = crate::language::catalogue()
            .iter()
            .map(|l| {
                (
                    LanguageCode::parse_code(l.code).unwrap(),
                    LanguageLevel::Basic,
                )
            })
            .collect();
        assert_eq!(LanguageSkills::from_pairs(&everything).iter().count(), 64);
    }

    #[test]
    fn the_ceiling_is_at_least_each_criterion_it_stands_for() {
        let (f, p) = (family(1), policy());
        let ctx = FamilyContext::new(&f, &p);
        let ceiling = Ceiling::of(&ctx);
        // Arabic is preferred and native: full marks; Dutch (basic) at most 0.4 * 1.0.
        assert_eq!(ceiling.language(1 << lang("ar").index()), 1.0);
        assert_eq!(ceiling.language(1 << lang("nl").index()), 0.4);
        assert_eq!(ceiling.language(1 << lang("fr").index()), 0.0);
        // The family needs Wednesday 14:00-16:30 (60 + 90 minutes in two blocks) and
        // Saturday 10:00-12:00 (120 minutes in one).
        let times = |slots: &[(Weekday, &str, &str)]| ceiling.availability(week(slots).coarse());
        let wednesday = times(&[(Weekday::Wednesday, "13:00", "18:00")]);
        assert!((wednesday - 150.0 / 270.0).abs() < 1e-12);
        let late = times(&[(Weekday::Wednesday, "17:00", "18:00")]);
        assert!(
            (late - 90.0 / 270.0).abs() < 1e-12,
            "the block, not the minutes"
        );
        assert_eq!(times(&[(Weekday::Monday, "09:00", "10:00")]), 0.0);
        assert_eq!(times(&[]), 0.5);
        for v in [volunteer(7), {
            let mut v = volunteer(8);
            v.availability = week(&[(Weekday::Saturday, "11:45", "19:00")]);
            v.languages = vec![(lang("nl"), LanguageLevel::Native)];
            v
        }] {
            let facts = VolunteerFacts::from_profile(&v, &ctx, &p);
            let part = partial(&ctx, &facts);
            assert!(ceiling.language(facts.languages.spoken) >= part.language);
            assert!(ceiling.availability(v.availability.coarse()) >= part.availability);
            assert!(ceiling.crisis_type >= part.crisis_type);
            let w = Weights::default();
            let score = explain(&f, &v, &w, &p).candidate.score;
            let spoken = facts.languages.spoken;
            let blocks = v.availability.coarse();
            assert!(ceiling.volunteer_upper_bound(spoken, blocks, 0.0, 1e9, &w) >= score);
            assert!(ceiling.upper_bound(0.0, 1e9, &w) >= score);
        }
    }

    #[test]
    fn ranks_break_ties_by_distance_then_id() {
        assert_eq!(rank_order((0.9, 5.0, 1), (0.8, 1.0, 0)), Ordering::Less);
        assert_eq!(rank_order((0.9, 5.0, 1), (0.9, 1.0, 0)), Ordering::Greater);
        assert_eq!(rank_order((0.9, 1.0, 1), (0.9, 1.0, 2)), Ordering::Less);
    }
}
