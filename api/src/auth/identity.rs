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

/// Who records a change (written into events' `recordedBy`).
#[derive(Clone, Debug)]
pub struct Actor {
    /// The signed-in user, if any (none for the demo seed).
    pub user_id: Option<Uuid>,
    /// Their name.
    pub name: String,
    /// The viewer to write audit entries for (none for the demo seed).
    pub viewer: Option<Viewer>,
}

impl From<&Viewer> for Actor {
    fn from(v: &Viewer) -> Self {
        Actor {
            user_id: Some(v.user_id),
            name: v.name.clone(),
            viewer: Some(v.clone()),
        }
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
