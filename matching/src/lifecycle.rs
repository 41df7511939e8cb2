//! The helper lifecycle: how an involvement moves between PROPOSED, ACTIVE,
//! PHASING_OUT, ENDED and DECLINED.
//!
//! ```text
//! PROPOSED --phase_in--> ACTIVE --start_phase_out--> PHASING_OUT --end--> ENDED
//!     |                     |                                             ^
//!     +--decline--> DECLINED +-------------------end-----------------------+
//! ```
//!
//! Any other move is refused with the moves that are allowed. Phase-out, end and
//! decline need a reason. Each move yields an [`InvolvementEvent`] for the API to store;
//! its time is whatever the caller passes (this crate has no clock).

use std::fmt;

/// Where a helper's involvement with a family stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InvolvementStatus {
    /// Suggested, not yet started.
    Proposed,
    /// Helping.
    Active,
    /// Winding down.
    PhasingOut,
    /// Over (final).
    Ended,
    /// Never started (final).
    Declined,
}

graphql_enum!(InvolvementStatus {
    Proposed => "PROPOSED",
    Active => "ACTIVE",
    PhasingOut => "PHASING_OUT",
    Ended => "ENDED",
    Declined => "DECLINED",
});

/// A step a coordinator can ask for; each names its target state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Move {
    /// To ACTIVE.
    PhaseIn,
    /// To PHASING_OUT (reason required).
    StartPhaseOut,
    /// To ENDED (reason required).
    End,
    /// To DECLINED (reason required).
    Decline,
}

impl Move {
    /// Every move.
    pub const ALL: [Move; 4] = [Move::PhaseIn, Move::StartPhaseOut, Move::End, Move::Decline];

    /// The state this move leads to.
    pub fn target(&self) -> InvolvementStatus {
        match self {
            Move::PhaseIn => InvolvementStatus::Active,
            Move::StartPhaseOut => InvolvementStatus::PhasingOut,
            Move::End => InvolvementStatus::Ended,
            Move::Decline => InvolvementStatus::Declined,
        }
    }

    /// True when the move needs a non-blank reason.
    pub fn needs_reason(&self) -> bool {
        !matches!(self, Move::PhaseIn)
    }
}

/// An accepted move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// The state before.
    pub from: InvolvementStatus,
    /// The state after.
    pub to: InvolvementStatus,
}

/// A refused move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransitionError {
    /// The state machine has no such edge; `allowed` lists the states reachable from
    /// `from` (empty for ENDED and DECLINED).
    NotAllowed {
        /// The current state.
        from: InvolvementStatus,
        /// The state asked for.
        attempted: InvolvementStatus,
        /// The states one move away.
        allowed: Vec<InvolvementStatus>,
    },
    /// Phase-out, end and decline need a reason that is not blank.
    ReasonRequired {
        /// The state asked for.
        attempted: InvolvementStatus,
    },
}

impl fmt::Display for TransitionError {
    /// E.g. "An involvement cannot go from ACTIVE to DECLINED; from ACTIVE it can go to
    /// PHASING_OUT or ENDED."
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransitionError::NotAllowed {
                from,
                attempted,
                allowed,
            } => {
                write!(f, "An involvement cannot go from {from} to {attempted}; ")?;
                let names: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
                match names.as_slice() {
                    [] => write!(f, "{from} is final."),
                    [one] => write!(f, "from {from} it can only go to {one}."),
                    [init @ .., last] => {
                        write!(f, "from {from} it can go to {} or {last}.", init.join(", "))
                    }
                }
            }
            TransitionError::ReasonRequired { attempted } => {
                write!(
                    f,
                    "A reason is required to move an involvement to {attempted}."
                )
            }
        }
    }
}

impl std::error::Error for TransitionError {}

/// The states one move away from `from`, in declaration order.
pub fn allowed_moves(from: InvolvementStatus) -> Vec<InvolvementStatus> {
    use InvolvementStatus::*;
    match from {
        Proposed => vec![Active, Declined],
        Active => vec![PhasingOut, Ended],
        PhasingOut => vec![Ended],
        Ended | Declined => vec![],
    }
}

/// Checks a move: the edge must exist, and phase-out, end and decline need a
/// non-blank `reason`.
pub fn apply(
    from: InvolvementStatus,
    mv: Move,
    reason: Option<&str>,
) -> Result<Transition, TransitionError> {
    let to = mv.target();
    let allowed = allowed_moves(from);
    if !allowed.contains(&to) {
        return Err(TransitionError::NotAllowed {
            from,
            attempted: to,
            allowed,
        });
    }
    if mv.needs_reason() && reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(TransitionError::ReasonRequired { attempted: to });
    }
    Ok(Transition { from, to })
}

/// One recorded step of an involvement (append-only history). `At` is the caller's time
/// type, e.g. a `chrono::DateTime<Utc>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvolvementEvent<At> {
    /// The state before (`None` for the proposal that creates the involvement).
    pub from: Option<InvolvementStatus>,
    /// The state after.
    pub to: InvolvementStatus,
    /// When it happened, as the caller says.
    pub at: At,
    /// Why, trimmed (`None` when none or blank was given).
    pub reason: Option<String>,
    /// Who recorded it.
    pub by: String,
}

fn clean_reason(reason: Option<&str>) -> Option<String> {
    reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
}

/// The first event of an involvement: PROPOSED.
pub fn propose<At>(at: At, reason: Option<&str>, by: &str) -> InvolvementEvent<At> {
    InvolvementEvent {
        from: None,
        to: InvolvementStatus::Proposed,
        at,
        reason: clean_reason(reason),
        by: by.to_owned(),
    }
}

/// [`apply`], and on success the event to store.
pub fn record<At>(
    from: InvolvementStatus,
    mv: Move,
    reason: Option<&str>,
    at: At,
    by: &str,
) -> Result<InvolvementEvent<At>, TransitionError> {
    let transition = apply(from, mv, reason)?;
    Ok(InvolvementEvent {
        from: Some(transition.from),
        to: transition.to,
        at,
        reason: clean_reason(reason),
        by: by.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use InvolvementStatus::*;

    #[test]
    fn every_state_and_move_pair_follows_the_diagram() {
        let edges = [
            (Proposed, Active),
            (Proposed, Declined),
            (Active, PhasingOut),
            (Active, Ended),
            (PhasingOut, Ended),
        ];
        for from in InvolvementStatus::ALL {
            for mv in Move::ALL {
                let to = mv.target();
                let is_edge = edges.contains(&(from, to));
                for reason in [None, Some(""), Some("   "), Some("family moved away")] {
                    let result = apply(from, mv, reason);
                    let has_reason = reason.is_some_and(|r| !r.trim().is_empty());
                    match result {
                        Ok(t) => {
                            assert!(
                                is_edge && (has_reason || !mv.needs_reason()),
                                "{from} {mv:?}"
                            );
                            assert_eq!(t, Transition { from, to });
                        }
                        Err(TransitionError::NotAllowed {
                            from: f,
                            attempted,
                            allowed,
                        }) => {
                            assert!(!is_edge, "{from} {mv:?}");
                            assert_eq!((f, attempted), (from, to));
                            assert_eq!(allowed, allowed_moves(from));
                        }
                        Err(TransitionError::ReasonRequired { attempted }) => {
                            assert!(is_edge && mv.needs_reason() && !has_reason);
                            assert_eq!(attempted, to);
                        }
                    }
                }
            }
            let expected: Vec<InvolvementStatus> = edges
                .iter()
                .filter(|(f, _)| *f == from)
                .map(|(_, t)| *t)
                .collect();
            assert_eq!(allowed_moves(from), expected);
        }
    }

    #[test]
    fn refusals_say_what_is_allowed() {
        let err = apply(Active, Move::Decline, Some("x")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "An involvement cannot go from ACTIVE to DECLINED; from ACTIVE it can go to PHASING_OUT or ENDED."
        );
        let err = apply(Ended, Move::PhaseIn, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "An involvement cannot go from ENDED to ACTIVE; ENDED is final."
        );
        let err = apply(PhasingOut, Move::PhaseIn, None).unwrap_err();
        assert!(err.to_string().ends_with("it can only go to ENDED."));
        let err = apply(Active, Move::End, Some(" ")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "A reason is required to move an involvement to ENDED."
        );
    }

    #[test]
    fn moves_yield_events_with_the_callers_time() {
        let first = propose(10_u64, None, "coordinator@tandem");
        assert_eq!((first.from, first.to), (None, Proposed));
        let e = record(
            Proposed,
            Move::PhaseIn,
            Some("  "),
            11_u64,
            "coordinator@tandem",
        )
        .unwrap();
        assert_eq!(
            (e.from, e.to, e.at, e.reason),
            (Some(Proposed), Active, 11, None)
        );
        let e = record(
            Active,
            Move::StartPhaseOut,
            Some(" goals reached "),
            12_u64,
            "c",
        )
        .unwrap();
        assert_eq!(e.reason.as_deref(), Some("goals reached"));
        assert!(record(Active, Move::StartPhaseOut, None, 12_u64, "c").is_err());
        for s in InvolvementStatus::ALL {
            assert_eq!(s.as_str().parse::<InvolvementStatus>().unwrap(), s);
        }
    }
}
