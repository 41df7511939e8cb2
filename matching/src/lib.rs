//! Tandem's matching engine: which volunteer for which family in crisis, and why.
//!
//! A pure crate: no database, no I/O, no async, no clock. The API turns its rows into
//! the plain profiles of [`profile`] and gets plain answers back; the day is a
//! parameter ([`Policy::today`]).
//!
//! The tour, in the order a request meets it:
//! - [`language`]: the catalogue of ISO 639 languages with Dutch, French and English
//!   names; [`resolve`] turns "Arabisch" or "néerlandais" into a [`LanguageCode`].
//! - [`places`](mod@places): validated [`Coordinates`], great-circle distance, and the Belgian
//!   postal-code gazetteer ([`lookup_postal_code`], [`nearest_place`]).
//! - [`week`]: weekly availability as "HH:MM" windows ([`TimeSlot`]) and as a 7 x 96
//!   quarter-hour bitset ([`WeekMask`]) whose overlap is an AND and a popcount.
//! - [`profile`]: [`VolunteerProfile`], [`FamilyProfile`], the criterion [`Weights`]
//!   and the house rules ([`Policy`]), with enums spelled like the GraphQL contract.
//! - [`score`]: one pair: the hard rules in order, the four criteria in [0, 1], the
//!   weighted total and a sentence per criterion ([`explain`], [`score_pair`]).
//! - [`index`]: [`MatchIndex`], every volunteer in memory, with rstar R-trees (on the
//!   unit sphere, one per travel-distance class) of those who can take a family;
//!   [`MatchIndex::top_k`] ranks them for a family exactly as scoring everyone would
//!   ([`rank_by_scan`]), exclusion counts included.
//! - [`rankings`]: [`Rankings`], the rankings already computed for families, kept
//!   exact as volunteers change, so asking again costs no ranking.
//! - [`assign`]: [`suggest_assignments`], the optimal plan for a whole waiting list
//!   (max-weight b-matching by min-cost flow), with a reason for every family left out.
//! - [`lifecycle`]: the involvement state machine PROPOSED -> ACTIVE -> PHASING_OUT ->
//!   ENDED (and DECLINED), with the events to store.
//!
//! Everything public is re-exported here, so `matching::MatchIndex` works.

use std::fmt;

/// A name that is not one of an enum's GraphQL values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    /// The enum, e.g. `"CrisisType"`.
    pub kind: &'static str,
    /// What was given.
    pub input: String,
    /// Every accepted value, in declaration order.
    pub expected: &'static [&'static str],
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not a {}; expected one of {}",
            self.input,
            self.kind,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for UnknownName {}

/// Adds `ALL`, `as_str` (the GraphQL enum value), `Display` and `FromStr` to a
/// field-less enum whose variants are listed with their GraphQL names.
macro_rules! graphql_enum {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in declaration order.
            pub const ALL: [$ty; [$($name),+].len()] = [$($ty::$variant),+];
            pub(crate) const NAMES: &'static [&'static str] = &[$($name),+];

            /// The GraphQL enum value (SCREAMING_SNAKE_CASE), as in `contract.graphql`.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }
        }

        impl ::std::fmt::Display for $ty {
            /// The GraphQL enum value.
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::UnknownName;

            /// Exactly the GraphQL enum value (case-sensitive).
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name => Ok($ty::$variant),)+
                    _ => Err($crate::UnknownName {
                        kind: stringify!($ty),
                        input: s.to_owned(),
                        expected: $ty::NAMES,
                    }),
                }
            }
        }
    };
}

pub mod assign;
pub mod index;
pub mod language;
pub mod lifecycle;
pub mod places;
pub mod profile;
pub mod rankings;
pub mod score;
pub mod synthetic;
pub mod training;
pub mod week;

pub use assign::{
    Assignment, AssignmentInput, AssignmentPlan, Unassigned, UnassignedCause, priority,
    suggest_assignments, suggest_assignments_greedy,
};
pub use index::{MatchIndex, MatchResult, rank_by_scan};
pub use language::{Language, LanguageCode, UnknownLanguage, catalogue, fold, resolve, search};
pub use lifecycle::{
    InvolvementEvent, InvolvementStatus, Move, Transition, TransitionError, allowed_moves, apply,
    propose, record,
};
pub use places::{
    Coordinates, EARTH_RADIUS_KM, InvalidCoordinates, Place, lookup_postal_code, nearest_place,
    places,
};
pub use profile::{
    CrisisSet, CrisisType, Day, FamilyProfile, InvalidWeights, LanguageLevel, Policy,
    TrainingRequirement, Urgency, VolunteerProfile, VolunteerStatus, Weights,
};
pub use rankings::Rankings;
pub use score::{
    Candidate, Criterion, ExclusionReason, PairExplanation, Reason, ScoreBreakdown, explain,
    first_failed_rule, format_km, missing_modules, score_pair,
};
pub use training::{
    TRAINING_MODULES, TrainingModule, UnknownModule, resolve_module, training_module,
};
pub use week::{MINUTES_PER_DAY, SLOT_MINUTES, SlotError, TimeSlot, WeekMask, Weekday};
