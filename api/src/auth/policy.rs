//! The access policy: who may read what. One row per field of every object
//! type the schema serves (and per filter or input field a role is limited
//! on), with, for each role, the viewer's relationships to the record that
//! let them read it. A field without a row is refused to everyone.
//!
//! How to read a row: `row("Family", "displayName", PERSONAL, YES, YES,
//! FOLLOWED, PROPOSED_OR_HELPING)` says that ADMIN and COORDINATOR always read
//! a family's display name, FOLLOW_UP only of a family they follow, and a
//! VOLUNTEER only of a family they are proposed to or help; and that reading
//! it is a read of the family's personal data (audited).
//!
//! The relationships (`Access`), as the README's "Who sees what" explains them:
//! - `YES` / `NO`: whatever the relationship; `ANYONE`: even signed out.
//! - `OWN`: the viewer's own record (their account, their volunteer record and
//!   home, their own involvements and those involvements' steps, check-ins
//!   with them).
//! - `PROPOSED`, `ACTIVE`, `PHASING_OUT`, `ENDED`, `DECLINED` (VOLUNTEER): the
//!   status of the viewer's involvement with the family the record belongs to;
//!   `HELPING` is ACTIVE or PHASING_OUT, `PROPOSED_OR_HELPING` adds PROPOSED.
//! - `FOLLOWED` (FOLLOW_UP): the family has a volunteer PROPOSED, ACTIVE or
//!   PHASING_OUT (for an involvement or its steps: a volunteer's involvement
//!   with such a family).
//! - `VOLUNTEERS` (FOLLOW_UP): the involvement (or step) is a volunteer's.
//! - `FIVE_FAMILIES`: a figure computed from at least five families; below
//!   that it is null (small-cell suppression).

use std::{collections::HashMap, sync::LazyLock};

use super::identity::Role;

/// The relationships to a record that let a role read a field; also, with
/// only relationship bits set, what a viewer is to one record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Access(u16);

impl Access {
    /// Never.
    pub const NO: Access = Access(0);
    /// The viewer's own record.
    pub const OWN: Access = Access(1);
    /// The viewer (a volunteer) is PROPOSED to the record's family.
    pub const PROPOSED: Access = Access(1 << 1);
    /// The viewer (a volunteer) is ACTIVE in the record's family's plan.
    pub const ACTIVE: Access = Access(1 << 2);
    /// The viewer (a volunteer) is PHASING_OUT of the record's family's plan.
    pub const PHASING_OUT: Access = Access(1 << 3);
    /// The viewer's (a volunteer's) involvement with the family ENDED.
    pub const ENDED: Access = Access(1 << 4);
    /// The viewer (a volunteer) DECLINED the family.
    pub const DECLINED: Access = Access(1 << 5);
    /// The family has a volunteer PROPOSED, ACTIVE or PHASING_OUT.
    pub const FOLLOWED: Access = Access(1 << 6);
    /// The involvement (or its step) is a volunteer's.
    pub const VOLUNTEERS: Access = Access(1 << 7);
    /// The figure was computed from at least five families.
    pub const FIVE_FAMILIES: Access = Access(1 << 8);
    /// Whatever the relationship.
    pub const YES: Access = Access(1 << 14);
    /// Whatever the relationship, even without signing in.
    pub const ANYONE: Access = Access(1 << 15 | 1 << 14);
    /// ACTIVE or PHASING_OUT.
    pub const HELPING: Access = Access::ACTIVE.or(Access::PHASING_OUT);
    /// PROPOSED, ACTIVE or PHASING_OUT.
    pub const PROPOSED_OR_HELPING: Access = Access::PROPOSED.or(Access::HELPING);
    /// Their own record, or ACTIVE or PHASING_OUT in the family's plan.
    pub const OWN_OR_HELPING: Access = Access::OWN.or(Access::HELPING);

    /// Both.
    pub const fn or(self, other: Access) -> Access {
        Access(self.0 | other.0)
    }

    /// Whether a viewer with relationships `relation` to a record may read.
    pub fn grants(self, relation: Access) -> bool {
        self.always() || self.0 & relation.0 != 0
    }

    /// Whatever the relationship.
    pub fn always(self) -> bool {
        self.0 & Access::YES.0 != 0
    }

    /// Even signed out.
    pub fn signed_out(self) -> bool {
        self.0 & Access::ANYONE.0 == Access::ANYONE.0
    }

    /// Never.
    pub fn never(self) -> bool {
        self == Access::NO
    }

    /// Whether every relationship `other` grants, this grants too.
    pub fn covers(self, other: Access) -> bool {
        self.always() || (!other.always() && other.0 & !self.0 == 0)
    }

    /// The relationships, in words (for the README).
    pub fn describe(self) -> String {
        if self.signed_out() {
            return "anyone".to_owned();
        }
        if self.always() {
            return "yes".to_owned();
        }
        if self.never() {
            return "no".to_owned();
        }
        RELATIONSHIPS
            .iter()
            .filter(|(bit, _)| self.0 & bit.0 != 0)
            .map(|(_, name)| *name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The relationships one by one, with the words the README uses.
pub const RELATIONSHIPS: [(Access, &str); 9] = [
    (Access::OWN, "own"),
    (Access::PROPOSED, "PROPOSED"),
    (Access::ACTIVE, "ACTIVE"),
    (Access::PHASING_OUT, "PHASING_OUT"),
    (Access::ENDED, "ENDED"),
    (Access::DECLINED, "DECLINED"),
    (Access::FOLLOWED, "followed"),
    (Access::VOLUNTEERS, "a volunteer's"),
    (Access::FIVE_FAMILIES, "from 5+ families"),
];

/// One row of the table.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// The type, as the schema names it; a record type read differently by
    /// whose it is adds which one in brackets: `Location (a family's home)`.
    pub ty: &'static str,
    /// The field.
    pub field: &'static str,
    /// Reading it is a read of a family's personal data (audited).
    pub personal: bool,
    /// ADMIN, COORDINATOR, FOLLOW_UP, VOLUNTEER.
    pub roles: [Access; 4],
}

impl Rule {
    /// What `role` may read.
    pub fn access(&self, role: Role) -> Access {
        self.roles[column(role)]
    }

    /// The schema's name of the type.
    pub fn graphql_type(&self) -> &'static str {
        self.ty.split(" (").next().unwrap_or(self.ty)
    }
}

/// The column of `role`.
pub fn column(role: Role) -> usize {
    match role {
        Role::Admin => 0,
        Role::Coordinator => 1,
        Role::FollowUp => 2,
        Role::Volunteer => 3,
    }
}

/// The roles, in the order of the columns.
pub const ROLES: [Role; 4] = [
    Role::Admin,
    Role::Coordinator,
    Role::FollowUp,
    Role::Volunteer,
];

const PERSONAL: bool = true;
const NOT_PERSONAL: bool = false;
const YES: Access = Access::YES;
const NO: Access = Access::NO;
const ANYONE: Access = Access::ANYONE;
const OWN: Access = Access::OWN;
const FOLLOWED: Access = Access::FOLLOWED;
const VOLUNTEERS: Access = Access::VOLUNTEERS;
const HELPING: Access = Access::HELPING;
const PROPOSED_OR_HELPING: Access = Access::PROPOSED_OR_HELPING;
const OWN_OR_HELPING: Access = Access::OWN_OR_HELPING;
const FIVE_FAMILIES: Access = Access::FIVE_FAMILIES;

const fn row(
    ty: &'static str,
    field: &'static str,
    personal: bool,
    admin: Access,
    coordinator: Access,
    follow_up: Access,
    volunteer: Access,
) -> Rule {
    Rule {
        ty,
        field,
        personal,
        roles: [admin, coordinator, follow_up, volunteer],
    }
}

/// Types whose rows depend on the record: they carry the guard that asks the
/// record for the viewer's relationship (see [`super::Record`]).
pub const RECORD_TYPES: &[&str] = &[
    "Family",
    "FamilyStatusChange",
    "Plan",
    "Goal",
    "Involvement",
    "InvolvementEvent",
    "CheckIn",
    "Volunteer",
    "User",
    "Location",
    "NetworkStats",
];

/// The table.
#[rustfmt::skip]
pub const POLICY: &[Rule] = &[
    //  type                          field                      family data   ADMIN   COORDINATOR FOLLOW_UP   VOLUNTEER
    // ---- what a signed-in user may ask for
    row("Query", "node",                                         NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("Query", "me",                                           NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("Query", "volunteer",                                    NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("Query", "volunteers",                                   NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("Query", "family",                                       NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("Query", "families",                                     NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("Query", "waitingList",                                  NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Query", "familyCareServices",                           NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Query", "languages",                                    NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("Query", "trainingModules",                              NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("Query", "matchesForFamily",                             NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Query", "explainMatch",                                 NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Query", "suggestAssignments",                           NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Query", "checkInsDue",                                  NOT_PERSONAL, YES,    YES,        YES,        NO),
    row("Query", "openConcerns",                                 NOT_PERSONAL, YES,    YES,        YES,        NO),
    row("Query", "networkStats",                                 NOT_PERSONAL, YES,    YES,        YES,        NO),
    row("Query", "auditLog",                                     NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("Query", "users",                                        NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("Query", "exportFamilyData",                             NOT_PERSONAL, YES,    YES,        NO,         NO),
    // ---- what a user may do (a VOLUNTEER: to their own record only)
    row("Mutation", "login",                                     NOT_PERSONAL, ANYONE, ANYONE,     ANYONE,     ANYONE),
    row("Mutation", "logout",                                    NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("Mutation", "changeMyPassword",                          NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("Mutation", "setMyLocale",                               NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("Mutation", "createVolunteer",                           NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Mutation", "updateVolunteer",                           NOT_PERSONAL, YES,    YES,        NO,         OWN),
    row("Mutation", "recordTraining",                            NOT_PERSONAL, YES,    YES,        YES,        NO),
    row("Mutation", "createFamily",                              NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Mutation", "updateFamily",                              NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Mutation", "createFamilyCareService",                   NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Mutation", "setPointOfContact",                         NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Mutation", "setPlanStatus",                             NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Mutation", "addGoal",                                   NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Mutation", "setGoalStatus",                             NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Mutation", "involveVolunteer",                          NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Mutation", "involveService",                            NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Mutation", "involveNetworkMember",                      NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Mutation", "involveProfessional",                       NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Mutation", "phaseIn",                                   NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Mutation", "planPhaseIn",                               NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Mutation", "startPhaseOut",                             NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Mutation", "endInvolvement",                            NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Mutation", "declineInvolvement",                        NOT_PERSONAL, YES,    YES,        NO,         OWN),
    row("Mutation", "logCheckIn",                                NOT_PERSONAL, YES,    YES,        YES,        NO),
    row("Mutation", "resolveConcern",                            NOT_PERSONAL, YES,    YES,        YES,        NO),
    row("Mutation", "eraseFamily",                               NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("Mutation", "createUser",                                NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("Mutation", "setUserDisabled",                           NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("Subscription", "involvementEvents",                     NOT_PERSONAL, YES,    YES,        NO,         YES),
    row("Subscription", "checkInLogged",                         NOT_PERSONAL, YES,    YES,        YES,        NO),
    // ---- what a VOLUNTEER may change of their own record
    row("UpdateVolunteerInput", "name",                          NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("UpdateVolunteerInput", "email",                         NOT_PERSONAL, YES,    YES,        NO,         OWN),
    row("UpdateVolunteerInput", "phone",                         NOT_PERSONAL, YES,    YES,        NO,         OWN),
    row("UpdateVolunteerInput", "status",                        NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("UpdateVolunteerInput", "languages",                     NOT_PERSONAL, YES,    YES,        NO,         OWN),
    row("UpdateVolunteerInput", "home",                          NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("UpdateVolunteerInput", "maxTravelKm",                   NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("UpdateVolunteerInput", "availability",                  NOT_PERSONAL, YES,    YES,        NO,         OWN),
    row("UpdateVolunteerInput", "crisisExperience",              NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("UpdateVolunteerInput", "capacity",                      NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("UpdateVolunteerInput", "backgroundCheckIssuedOn",       NOT_PERSONAL, YES,    YES,        NO,         NO),
    // ---- filters: only on what the viewer may read of every family they see
    row("FamilyFilter", "status",                                NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("FamilyFilter", "urgency",                               NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("FamilyFilter", "crisisType",                            NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("FamilyFilter", "search",                                NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("FamilyFilter", "search (matches references)",           NOT_PERSONAL, YES,    YES,        YES,        NO),
    // ---- families
    row("Family", "id",                                          NOT_PERSONAL, YES,    YES,        FOLLOWED,   PROPOSED_OR_HELPING),
    row("Family", "reference",                                   NOT_PERSONAL, YES,    YES,        FOLLOWED,   NO),
    row("Family", "displayName",                                 PERSONAL,     YES,    YES,        FOLLOWED,   PROPOSED_OR_HELPING),
    row("Family", "languages",                                   PERSONAL,     YES,    YES,        NO,         PROPOSED_OR_HELPING),
    row("Family", "preferredLanguage",                           PERSONAL,     YES,    YES,        NO,         PROPOSED_OR_HELPING),
    row("Family", "home",                                        PERSONAL,     YES,    YES,        FOLLOWED,   PROPOSED_OR_HELPING),
    row("Family", "crisisTypes",                                 PERSONAL,     YES,    YES,        NO,         NO),
    row("Family", "urgency",                                     PERSONAL,     YES,    YES,        NO,         NO),
    row("Family", "status",                                      PERSONAL,     YES,    YES,        NO,         NO),
    row("Family", "statusHistory",                               PERSONAL,     YES,    YES,        NO,         NO),
    row("Family", "referralSource",                              PERSONAL,     YES,    YES,        NO,         NO),
    row("Family", "referredAt",                                  PERSONAL,     YES,    YES,        NO,         NO),
    row("Family", "waitingSince",                                PERSONAL,     YES,    YES,        NO,         NO),
    row("Family", "waitingDays",                                 PERSONAL,     YES,    YES,        NO,         NO),
    row("Family", "answerDueOn",                                 PERSONAL,     YES,    YES,        NO,         NO),
    row("Family", "neededAvailability",                          PERSONAL,     YES,    YES,        NO,         PROPOSED_OR_HELPING),
    row("Family", "children",                                    PERSONAL,     YES,    YES,        NO,         PROPOSED_OR_HELPING),
    row("Family", "consentGiven",                                PERSONAL,     YES,    YES,        NO,         NO),
    row("Family", "plan",                                        NOT_PERSONAL, YES,    YES,        NO,         HELPING),
    row("Family", "matches",                                     PERSONAL,     YES,    YES,        NO,         NO),
    row("Family", "version",                                     NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Family", "createdAt",                                   NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Family", "updatedAt",                                   NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Location (a family's home)", "municipality",            PERSONAL,     YES,    YES,        FOLLOWED,   PROPOSED_OR_HELPING),
    row("Location (a family's home)", "postalCode",              PERSONAL,     YES,    YES,        NO,         NO),
    row("Location (a family's home)", "latitude",                PERSONAL,     YES,    YES,        NO,         NO),
    row("Location (a family's home)", "longitude",               PERSONAL,     YES,    YES,        NO,         NO),
    row("Child", "ageYears",                                     NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("FamilyConnection", "edges",                             NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("FamilyConnection", "pageInfo",                          NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("FamilyConnection", "totalCount",                        NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("FamilyEdge", "cursor",                                  NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("FamilyEdge", "node",                                    NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("FamilyStatusChange", "id",                              NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("FamilyStatusChange", "at",                              PERSONAL,     YES,    YES,        NO,         NO),
    row("FamilyStatusChange", "from",                            PERSONAL,     YES,    YES,        NO,         NO),
    row("FamilyStatusChange", "to",                              PERSONAL,     YES,    YES,        NO,         NO),
    row("FamilyStatusChange", "cause",                           PERSONAL,     YES,    YES,        NO,         NO),
    row("FamilyStatusChange", "step",                            PERSONAL,     YES,    YES,        NO,         NO),
    row("FamilyStatusChange", "family",                          NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("FamilyStatusChangeConnection", "edges",                 NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("FamilyStatusChangeConnection", "pageInfo",              NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("FamilyStatusChangeConnection", "totalCount",            NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("FamilyStatusChangeEdge", "cursor",                      NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("FamilyStatusChangeEdge", "node",                        NOT_PERSONAL, YES,    YES,        YES,        YES),
    // ---- plans
    row("Plan", "id",                                            NOT_PERSONAL, YES,    YES,        NO,         HELPING),
    row("Plan", "family",                                        NOT_PERSONAL, YES,    YES,        NO,         HELPING),
    row("Plan", "status",                                        PERSONAL,     YES,    YES,        NO,         NO),
    row("Plan", "pointOfContact",                                PERSONAL,     YES,    YES,        NO,         NO),
    row("Plan", "goals",                                         PERSONAL,     YES,    YES,        NO,         HELPING),
    row("Plan", "involvements",                                  PERSONAL,     YES,    YES,        NO,         HELPING),
    row("Plan", "timeline",                                      PERSONAL,     YES,    YES,        NO,         NO),
    row("Plan", "version",                                       NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Plan", "updatedAt",                                     NOT_PERSONAL, YES,    YES,        NO,         HELPING),
    row("Goal", "id",                                            NOT_PERSONAL, YES,    YES,        NO,         HELPING),
    row("Goal", "description",                                   PERSONAL,     YES,    YES,        NO,         HELPING),
    row("Goal", "lifeDomain",                                    PERSONAL,     YES,    YES,        NO,         HELPING),
    row("Goal", "status",                                        PERSONAL,     YES,    YES,        NO,         HELPING),
    row("Goal", "targetDate",                                    PERSONAL,     YES,    YES,        NO,         HELPING),
    row("Involvement", "id",                                     NOT_PERSONAL, YES,    YES,        VOLUNTEERS, OWN_OR_HELPING),
    row("Involvement", "plan",                                   NOT_PERSONAL, YES,    YES,        NO,         HELPING),
    row("Involvement", "helper",                                 PERSONAL,     YES,    YES,        VOLUNTEERS, OWN),
    row("Involvement", "role",                                   PERSONAL,     YES,    YES,        FOLLOWED,   OWN_OR_HELPING),
    row("Involvement", "status",                                 PERSONAL,     YES,    YES,        VOLUNTEERS, OWN_OR_HELPING),
    row("Involvement", "plannedStartOn",                         PERSONAL,     YES,    YES,        VOLUNTEERS, OWN),
    row("Involvement", "phasedInAt",                             PERSONAL,     YES,    YES,        VOLUNTEERS, OWN),
    row("Involvement", "phasedOutAt",                            PERSONAL,     YES,    YES,        VOLUNTEERS, OWN),
    row("Involvement", "matchScore",                             PERSONAL,     YES,    YES,        NO,         OWN),
    row("Involvement", "events",                                 PERSONAL,     YES,    YES,        VOLUNTEERS, OWN),
    row("Involvement", "version",                                NOT_PERSONAL, YES,    YES,        NO,         OWN),
    row("InvolvementEvent", "id",                                NOT_PERSONAL, YES,    YES,        VOLUNTEERS, OWN),
    row("InvolvementEvent", "at",                                PERSONAL,     YES,    YES,        VOLUNTEERS, OWN),
    row("InvolvementEvent", "from",                              PERSONAL,     YES,    YES,        VOLUNTEERS, OWN),
    row("InvolvementEvent", "to",                                PERSONAL,     YES,    YES,        VOLUNTEERS, OWN),
    row("InvolvementEvent", "reason",                            PERSONAL,     YES,    YES,        FOLLOWED,   NO),
    row("InvolvementEvent", "recordedBy",                        NOT_PERSONAL, YES,    YES,        VOLUNTEERS, OWN),
    row("InvolvementEvent", "involvement",                       NOT_PERSONAL, YES,    YES,        VOLUNTEERS, OWN),
    row("NetworkMember", "id",                                   NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("NetworkMember", "name",                                 NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("NetworkMember", "relation",                             NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Professional", "id",                                    NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Professional", "name",                                  NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Professional", "organization",                          NOT_PERSONAL, YES,    YES,        NO,         NO),
    // ---- check-ins (with volunteers; some are about a family)
    row("CheckIn", "id",                                         NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("CheckIn", "volunteer",                                  NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("CheckIn", "family",                                     NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("CheckIn", "kind",                                       NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("CheckIn", "occurredAt",                                 NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("CheckIn", "wellbeing",                                  NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("CheckIn", "hoursSinceLast",                             NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("CheckIn", "concern",                                    NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("CheckIn", "notes",                                      PERSONAL,     YES,    YES,        YES,        NO),
    row("CheckIn", "nextDueOn",                                  NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("CheckIn", "recordedBy",                                 NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("CheckIn", "resolvedAt",                                 NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("CheckIn", "resolution",                                 PERSONAL,     YES,    YES,        YES,        NO),
    row("FamilyCareServiceConnection", "edges",                  NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("FamilyCareServiceConnection", "pageInfo",               NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("FamilyCareServiceConnection", "totalCount",             NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("FamilyCareServiceEdge", "cursor",                       NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("FamilyCareServiceEdge", "node",                         NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("InvolvementConnection", "edges",                        NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("InvolvementConnection", "pageInfo",                     NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("InvolvementConnection", "totalCount",                   NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("InvolvementEdge", "cursor",                             NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("InvolvementEdge", "node",                               NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("InvolvementEventConnection", "edges",                   NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("InvolvementEventConnection", "pageInfo",                NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("InvolvementEventConnection", "totalCount",              NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("InvolvementEventEdge", "cursor",                        NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("InvolvementEventEdge", "node",                          NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("CheckInConnection", "edges",                            NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("CheckInConnection", "pageInfo",                         NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("CheckInConnection", "totalCount",                       NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("CheckInEdge", "cursor",                                 NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("CheckInEdge", "node",                                   NOT_PERSONAL, YES,    YES,        YES,        YES),
    // ---- volunteers
    row("Volunteer", "id",                                       NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "name",                                     NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "email",                                    NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "phone",                                    NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "status",                                   NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "languages",                                NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "home",                                     NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "maxTravelKm",                              NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "availability",                             NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "crisisExperience",                         NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "capacity",                                 NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "currentLoad",                              NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "matchBlockers",                            NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "missingTrainings",                         NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "backgroundCheck",                          NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "trainings",                                NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "involvements",                             NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "checkIns",                                 NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "lastCheckInAt",                            NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "nextCheckInDue",                           NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "version",                                  NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "createdAt",                                NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Volunteer", "updatedAt",                                NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Location (a volunteer's home)", "municipality",         NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Location (a volunteer's home)", "postalCode",           NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Location (a volunteer's home)", "latitude",             NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("Location (a volunteer's home)", "longitude",            NOT_PERSONAL, YES,    YES,        YES,        OWN),
    row("BackgroundCheck", "issuedOn",                           NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("BackgroundCheck", "validUntil",                         NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("BackgroundCheck", "valid",                              NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("TrainingCompletion", "module",                          NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("TrainingCompletion", "completedOn",                     NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("TrainingCompletion", "validUntil",                      NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("TrainingModule", "code",                                NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("TrainingModule", "name",                                NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("TrainingModule", "nameNl",                              NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("TrainingModule", "nameFr",                              NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("TrainingModule", "nameEn",                              NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("TrainingModule", "requiredFor",                         NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("TrainingModule", "requiredForEveryMatch",               NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("TrainingModule", "validForMonths",                      NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("VolunteerConnection", "edges",                          NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("VolunteerConnection", "pageInfo",                       NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("VolunteerConnection", "totalCount",                     NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("VolunteerEdge", "cursor",                               NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("VolunteerEdge", "node",                                 NOT_PERSONAL, YES,    YES,        YES,        YES),
    // ---- services
    row("FamilyCareService", "id",                               NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("FamilyCareService", "name",                             NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("FamilyCareService", "organization",                     NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("FamilyCareService", "kind",                             NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("FamilyCareService", "languages",                        NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("FamilyCareService", "serviceArea",                      NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("FamilyCareService", "lifeDomains",                      NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("FamilyCareService", "crisisAvailable",                  NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("FamilyCareService", "contributionWaivable",             NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("FamilyCareService", "capacity",                         NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("FamilyCareService", "currentLoad",                      NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("FamilyCareService", "version",                          NOT_PERSONAL, YES,    YES,        NO,         NO),
    // ---- matching
    row("MatchResult", "candidates",                             NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("MatchResult", "excluded",                               NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("MatchResult", "consideredVolunteers",                   NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("MatchCandidate", "volunteer",                           NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("MatchCandidate", "score",                               NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("MatchCandidate", "breakdown",                           NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("MatchCandidate", "distanceKm",                          NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("MatchCandidate", "sharedLanguages",                     NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("MatchCandidate", "overlapMinutesPerWeek",               NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("MatchCandidate", "explanation",                         NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("MatchCandidate", "reasons",                             NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("MatchReason", "criterion",                              NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("MatchReason", "code",                                   NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("MatchReason", "text",                                   NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("ScoreBreakdown", "language",                            NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("ScoreBreakdown", "location",                            NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("ScoreBreakdown", "availability",                        NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("ScoreBreakdown", "crisisType",                          NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("ExclusionCount", "reason",                              NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("ExclusionCount", "count",                               NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("ExclusionCount", "missingTrainings",                    NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("TrainingShortfall", "module",                           NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("TrainingShortfall", "volunteers",                       NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("PairExplanation", "eligible",                           NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("PairExplanation", "failedRules",                        NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("PairExplanation", "missingTrainings",                   NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("PairExplanation", "candidate",                          NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("AssignmentPlan", "assignments",                         NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("AssignmentPlan", "unassigned",                          NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("AssignmentPlan", "objective",                           NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Assignment", "score",                                   NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Assignment", "family",                                  NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Assignment", "volunteer",                               NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Unassigned", "reason",                                  NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Unassigned", "detail",                                  NOT_PERSONAL, YES,    YES,        NO,         NO),
    row("Unassigned", "family",                                  NOT_PERSONAL, YES,    YES,        NO,         NO),
    // ---- reporting: small cells are null for all but ADMIN and COORDINATOR
    row("NetworkStats", "familiesWaiting",                       NOT_PERSONAL, YES,    YES,        YES,        NO),
    row("NetworkStats", "familiesSupported",                     NOT_PERSONAL, YES,    YES,        YES,        NO),
    row("NetworkStats", "medianWaitingDays",                     NOT_PERSONAL, YES,    YES,        FIVE_FAMILIES, NO),
    row("NetworkStats", "answeredWithin30Days",                  NOT_PERSONAL, YES,    YES,        FIVE_FAMILIES, NO),
    row("NetworkStats", "answersPending",                        NOT_PERSONAL, YES,    YES,        YES,        NO),
    row("NetworkStats", "activeVolunteers",                      NOT_PERSONAL, YES,    YES,        YES,        NO),
    row("NetworkStats", "activeInvolvements",                    NOT_PERSONAL, YES,    YES,        YES,        NO),
    row("NetworkStats", "checkInsLogged",                        NOT_PERSONAL, YES,    YES,        YES,        NO),
    row("NetworkStats", "volunteersOverdueForCheckIn",           NOT_PERSONAL, YES,    YES,        YES,        NO),
    row("NetworkStats", "medianDaysToFirstHelper",               NOT_PERSONAL, YES,    YES,        FIVE_FAMILIES, NO),
    row("NetworkStats", "preferredLanguageMatchRate",            NOT_PERSONAL, YES,    YES,        FIVE_FAMILIES, NO),
    row("NetworkStats", "involvementsEnded",                     NOT_PERSONAL, YES,    YES,        YES,        NO),
    row("NetworkStats", "involvementsEndedWithin30Days",         NOT_PERSONAL, YES,    YES,        YES,        NO),
    // ---- accounts and the audit log
    row("User", "id",                                            NOT_PERSONAL, YES,    OWN,        OWN,        OWN),
    row("User", "name",                                          NOT_PERSONAL, YES,    OWN,        OWN,        OWN),
    row("User", "email",                                         NOT_PERSONAL, YES,    OWN,        OWN,        OWN),
    row("User", "role",                                          NOT_PERSONAL, YES,    OWN,        OWN,        OWN),
    row("User", "locale",                                        NOT_PERSONAL, YES,    OWN,        OWN,        OWN),
    row("User", "disabled",                                      NOT_PERSONAL, YES,    OWN,        OWN,        OWN),
    row("User", "volunteer",                                     NOT_PERSONAL, YES,    OWN,        OWN,        OWN),
    row("UserConnection", "edges",                               NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("UserConnection", "pageInfo",                            NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("UserConnection", "totalCount",                          NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("UserEdge", "cursor",                                    NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("UserEdge", "node",                                      NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("Session", "token",                                      NOT_PERSONAL, ANYONE, ANYONE,     ANYONE,     ANYONE),
    row("Session", "expiresAt",                                  NOT_PERSONAL, ANYONE, ANYONE,     ANYONE,     ANYONE),
    row("Session", "user",                                       NOT_PERSONAL, ANYONE, ANYONE,     ANYONE,     ANYONE),
    row("AuditEntry", "id",                                      NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("AuditEntry", "at",                                      NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("AuditEntry", "userEmail",                               NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("AuditEntry", "role",                                    NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("AuditEntry", "action",                                  NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("AuditEntry", "subjectId",                               NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("AuditEntry", "operation",                               NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("AuditEntryConnection", "edges",                         NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("AuditEntryConnection", "pageInfo",                      NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("AuditEntryConnection", "totalCount",                    NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("AuditEntryEdge", "cursor",                              NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("AuditEntryEdge", "node",                                NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("ErasureReceipt", "familyReference",                     NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("ErasureReceipt", "erasedAt",                            NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("ErasureReceipt", "rowsAnonymised",                      NOT_PERSONAL, YES,    NO,         NO,         NO),
    row("ErasureReceipt", "clearedFromStorage",                  NOT_PERSONAL, YES,    NO,         NO,         NO),
    // ---- shared values: whoever reached them through a field above reads them
    row("Node", "id",                                            NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("PageInfo", "hasNextPage",                               NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("PageInfo", "hasPreviousPage",                           NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("PageInfo", "startCursor",                               NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("PageInfo", "endCursor",                                 NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("Language", "code",                                      NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("Language", "name",                                      NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("Language", "nameNl",                                    NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("Language", "nameFr",                                    NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("Language", "nameEn",                                    NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("LanguageSkill", "language",                             NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("LanguageSkill", "level",                                NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("TimeSlot", "day",                                       NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("TimeSlot", "start",                                     NOT_PERSONAL, YES,    YES,        YES,        YES),
    row("TimeSlot", "end",                                       NOT_PERSONAL, YES,    YES,        YES,        YES),
];

/// What the enforcement point decides from the role alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Read it.
    Allow,
    /// FORBIDDEN.
    Deny,
    /// UNAUTHENTICATED: sign in first.
    SignInFirst,
    /// Depends on the record: its guard decides.
    ByRecord,
}

/// Every row of one field of one schema type (several when the type is read
/// differently by whose record it is), and what the role alone decides.
#[derive(Debug)]
pub struct Entry {
    /// The rows, one per variant of the type.
    pub rules: Vec<&'static Rule>,
    /// By role column; the fifth is for a request without a signed-in user.
    pub decisions: [Decision; 5],
    /// Any row is personal.
    pub personal: bool,
}

impl Entry {
    fn new(rules: Vec<&'static Rule>) -> Entry {
        let decide = |role: usize| {
            let accesses: Vec<Access> = rules.iter().map(|r| r.roles[role]).collect();
            if accesses.iter().all(|a| a.always()) {
                Decision::Allow
            } else if accesses.iter().all(|a| a.never()) {
                Decision::Deny
            } else {
                Decision::ByRecord
            }
        };
        let signed_out = if rules.iter().all(|r| r.roles.iter().all(|a| a.signed_out())) {
            Decision::Allow
        } else if RECORD_TYPES.contains(&rules[0].graphql_type()) {
            Decision::ByRecord
        } else {
            Decision::SignInFirst
        };
        Entry {
            personal: rules.iter().any(|r| r.personal),
            decisions: [decide(0), decide(1), decide(2), decide(3), signed_out],
            rules,
        }
    }

    /// What the role alone decides (`None`: not signed in).
    pub fn decision(&self, role: Option<Role>) -> Decision {
        self.decisions[role.map_or(4, column)]
    }

    /// The row for a record of `variant` (the type with its bracketed
    /// variant, or the plain type).
    pub fn rule(&self, variant: &str) -> Option<&'static Rule> {
        match self.rules.as_slice() {
            [only] if only.ty == variant => Some(*only),
            rules => rules.iter().copied().find(|r| r.ty == variant),
        }
    }
}

/// A map keyed by the schema's names: hashed with foldhash, which for such
/// short keys costs a fraction of the standard SipHash (every field of every
/// request is looked up here, by the extension and again by its guard).
type ByName<V> = HashMap<&'static str, V, foldhash::fast::FixedState>;

/// The table by schema type, then field.
type Entries = ByName<ByName<Entry>>;

static ENTRIES: LazyLock<Entries> = LazyLock::new(|| {
    let mut grouped: HashMap<&'static str, HashMap<&'static str, Vec<&'static Rule>>> =
        HashMap::new();
    for rule in POLICY {
        grouped
            .entry(rule.graphql_type())
            .or_default()
            .entry(rule.field)
            .or_default()
            .push(rule);
    }
    grouped
        .into_iter()
        .map(|(ty, fields)| {
            let entries = fields
                .into_iter()
                .map(|(field, rules)| (field, Entry::new(rules)))
                .collect();
            (ty, entries)
        })
        .collect()
});

/// The entry of `ty.field`, if the table has one: two hash lookups, no
/// allocation.
pub fn entry(ty: &str, field: &str) -> Option<&'static Entry> {
    ENTRIES.get(ty)?.get(field)
}

/// By schema type and role: the relationships under which a record of that
/// type is there at all for the viewer (any field but `id` readable). A
/// record the viewer may read nothing of answers as if it did not exist.
static VISIBLE: LazyLock<ByName<[Access; 4]>> = LazyLock::new(|| {
    let mut visible: ByName<[Access; 4]> = ByName::default();
    for rule in POLICY.iter().filter(|r| r.field != "id") {
        let masks = visible
            .entry(rule.graphql_type())
            .or_insert([Access::NO; 4]);
        for (mask, access) in masks.iter_mut().zip(rule.roles) {
            *mask = mask.or(access);
        }
    }
    visible
});

/// The relationships under which `role` sees records of `ty` at all.
pub fn visible(ty: &str, role: Role) -> Access {
    VISIBLE
        .get(ty)
        .map_or(Access::NO, |masks| masks[column(role)])
}

/// The README's "Who sees what", generated from the table: one table per
/// type, a column per role.
pub fn who_sees_what() -> String {
    let mut out = String::new();
    out.push_str("| type | field | family data | ADMIN | COORDINATOR | FOLLOW_UP | VOLUNTEER |\n");
    out.push_str("|---|---|---|---|---|---|---|\n");
    for rule in POLICY {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            rule.ty,
            rule.field,
            if rule.personal { "yes" } else { "" },
            rule.roles
                .iter()
                .map(|a| a.describe())
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_rules_stand_only_on_record_types() {
        for rule in POLICY {
            let relational = rule.roles.iter().any(|a| !a.always() && !a.never());
            let input = rule.ty.ends_with("Input") || rule.ty.ends_with("Filter");
            let root = ["Query", "Mutation", "Subscription"].contains(&rule.ty);
            assert!(
                !relational || input || root || RECORD_TYPES.contains(&rule.graphql_type()),
                "{}.{} depends on the record, but {} has no guard",
                rule.ty,
                rule.field,
                rule.graphql_type()
            );
        }
    }

    #[test]
    fn every_row_is_there_once() {
        let mut seen = std::collections::HashSet::new();
        for rule in POLICY {
            assert!(
                seen.insert((rule.ty, rule.field)),
                "{}.{} twice",
                rule.ty,
                rule.field
            );
        }
    }

    #[test]
    fn family_data_is_noted_by_a_record_that_knows_its_family() {
        let knows_its_family = |ty: &str| !["Volunteer", "User", "NetworkStats"].contains(&ty);
        for rule in POLICY.iter().filter(|r| r.personal) {
            assert!(
                RECORD_TYPES.contains(&rule.graphql_type())
                    && knows_its_family(rule.graphql_type()),
                "{}.{}",
                rule.ty,
                rule.field
            );
        }
    }

    #[test]
    fn a_family_filter_is_open_only_to_who_reads_the_field_of_every_family_they_see() {
        for (filter, field) in [
            ("status", "status"),
            ("urgency", "urgency"),
            ("crisisType", "crisisTypes"),
            ("search", "displayName"),
            ("search (matches references)", "reference"),
        ] {
            let filter = entry("FamilyFilter", filter).unwrap().rules[0];
            let read = entry("Family", field).unwrap().rules[0];
            for role in ROLES {
                if !filter.access(role).never() {
                    assert!(
                        read.access(role).covers(visible("Family", role)),
                        "{role:?} filters on {field} but may not read it of every family they see"
                    );
                }
            }
        }
    }
}
