//! The statuses the matching engine knows, as the contract names them, and
//! the groups of statuses more than one domain counts by.

use async_graphql::Enum;
use entity::vocabulary as stored;

use crate::core::{locale::tr, values::stored_as};

/// Why a move of an involvement was refused, in the request's locale.
pub fn transition_message(error: &matching::TransitionError) -> String {
    match error {
        matching::TransitionError::NotAllowed {
            from,
            attempted,
            allowed,
        } => {
            let names: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
            tr!(
                "error-transition-not-allowed",
                from = from.as_str(),
                to = attempted.as_str(),
                count = names.len(),
                allowed = names.join(", "),
            )
        }
        matching::TransitionError::ReasonRequired { attempted } => {
            tr!("error-reason-required", to = attempted.as_str())
        }
    }
}

/// Involvement states that count towards a volunteer's load.
pub const LOAD_STATES: [stored::InvolvementStatus; 3] = [
    stored::InvolvementStatus::Proposed,
    stored::InvolvementStatus::Active,
    stored::InvolvementStatus::PhasingOut,
];

/// Involvement states in which the helper is helping: ACTIVE or
/// PHASING_OUT (a family with one is SUPPORTED).
pub const HELPING_STATES: [stored::InvolvementStatus; 2] = [
    stored::InvolvementStatus::Active,
    stored::InvolvementStatus::PhasingOut,
];

/// Where a volunteer stands.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "matching::VolunteerStatus", display)]
pub enum VolunteerStatus {
    /// Signed up, not yet screened.
    Applicant,
    /// Following the basic training.
    InTraining,
    /// Can be matched.
    Active,
    /// Temporarily unavailable.
    Paused,
    /// No longer volunteering.
    Stopped,
}

/// How urgently a family needs help.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "matching::Urgency", display)]
pub enum Urgency {
    /// A crisis: help within days.
    Crisis,
    /// Soon.
    High,
    /// Within the month.
    Normal,
}

/// The lifecycle of a helper in a plan: PROPOSED -> ACTIVE -> PHASING_OUT ->
/// ENDED, or PROPOSED -> DECLINED.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "matching::InvolvementStatus", display)]
pub enum InvolvementStatus {
    /// Proposed to the family, not started.
    Proposed,
    /// Helping.
    Active,
    /// Winding down.
    PhasingOut,
    /// Stopped helping.
    Ended,
    /// The proposal was declined.
    Declined,
}

stored_as!(
    VolunteerStatus,
    [Applicant, InTraining, Active, Paused, Stopped]
);
stored_as!(Urgency, [Crisis, High, Normal]);
stored_as!(
    InvolvementStatus,
    [Proposed, Active, PhasingOut, Ended, Declined]
);
