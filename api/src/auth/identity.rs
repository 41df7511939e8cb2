//! Who acts: the roles, the signed-in viewer of a request and the actor a
//! write is recorded for.

use async_graphql::Enum;
use uuid::Uuid;

use crate::core::error::{ApiError, ApiResult};

/// What a signed-in user may do.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::vocabulary::Role", display)]
pub enum Role {
    /// Everything, including user management, the audit log and erasure.
    Admin,
    /// Volunteer coordinators: families, volunteers, matching, plans.
    Coordinator,
    /// Training-and-follow-up staff: volunteers, trainings, check-ins.
    FollowUp,
    /// A volunteer: their own profile and the families they actively support, minimal fields.
    Volunteer,
}

/// The signed-in user of a request.
#[derive(Clone, Debug)]
pub struct Viewer {
    /// The user's key.
    pub user_id: Uuid,
    /// Their email (as written in the audit log).
    pub email: String,
    /// Their name (as written in events' `recordedBy`).
    pub name: String,
    /// Their role.
    pub role: Role,
    /// For VOLUNTEER accounts, their volunteer record.
    pub volunteer_id: Option<Uuid>,
    /// The session (token) of this request.
    pub session_id: Uuid,
    /// The locale they chose (`setMyLocale`), if any.
    pub locale: Option<crate::core::locale::Locale>,
}

impl Viewer {
    /// How the audit log names this user.
    pub fn audited_as(&self) -> AuditedAs<'_> {
        AuditedAs {
            user_id: self.user_id,
            email: &self.email,
            role: self.role,
        }
    }
}

/// Who acts: whom a write is recorded for (events' and check-ins'
/// `recordedBy`) and audited as. The one shape services, the audit writer
/// and erasure take, whether a person, a command-line seed or a job acts.
#[derive(Clone, Debug)]
pub enum Actor {
    /// The signed-in user of a request: recorded by name, audited as
    /// themselves.
    Viewer(Viewer),
    /// A command-line seed (the demo network, a generated one), recorded
    /// under this name; it reads no one's data, so nothing is audited.
    Seed(&'static str),
    /// A job the server runs on its own, recorded and audited under its
    /// own name.
    Job(Job),
}

/// A job the server runs without a user.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Job {
    /// Erases the families whose plan has been closed too long
    /// (`tandem retention`).
    Retention,
}

/// How the audit log names who acted: a user's key, email and role.
#[derive(Clone, Copy, Debug)]
pub struct AuditedAs<'a> {
    /// The user's key (the nil key, which no user has, for a job).
    pub user_id: Uuid,
    /// Their email, or the job's name in the log.
    pub email: &'a str,
    /// Their role (a job acts as an administrator).
    pub role: Role,
}

impl Actor {
    /// The name written into `recordedBy`.
    pub fn name(&self) -> &str {
        match self {
            Actor::Viewer(viewer) => &viewer.name,
            Actor::Seed(name) => name,
            Actor::Job(Job::Retention) => "Retention job",
        }
    }

    /// The signed-in user's key, if a user acts.
    pub fn user_id(&self) -> Option<Uuid> {
        match self {
            Actor::Viewer(viewer) => Some(viewer.user_id),
            Actor::Seed(_) | Actor::Job(_) => None,
        }
    }

    /// How the audit log names the actor; none for a seed, which is not
    /// audited.
    pub fn audited_as(&self) -> Option<AuditedAs<'_>> {
        match self {
            Actor::Viewer(viewer) => Some(viewer.audited_as()),
            Actor::Seed(_) => None,
            Actor::Job(Job::Retention) => Some(AuditedAs {
                user_id: Uuid::nil(),
                email: "retention-job",
                role: Role::Admin,
            }),
        }
    }
}

impl From<&Viewer> for Actor {
    fn from(viewer: &Viewer) -> Self {
        Actor::Viewer(viewer.clone())
    }
}

/// The signed-in viewer of a request, from a resolver.
pub trait ViewerExt {
    /// The signed-in viewer, or UNAUTHENTICATED.
    fn viewer(&self) -> ApiResult<&Viewer>;
}

impl ViewerExt for async_graphql::Context<'_> {
    fn viewer(&self) -> ApiResult<&Viewer> {
        self.data_opt::<Viewer>().ok_or_else(|| {
            ApiError::Unauthenticated(crate::core::locale::tr!("error-not-signed-in"))
        })
    }
}
