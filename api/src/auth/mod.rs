//! Who may read what, decided in one place.
//!
//! - [`policy`]: the table. One row per field of every object type (and per
//!   filter or input field a role is limited on): for each role, the viewer's
//!   relationships to the record that let them read it, and whether reading
//!   it is a read of a family's personal data. No row, no answer.
//! - [`enforce`]: the enforcement point, an async-graphql extension that
//!   every field passes through, and the object guard ([`Scoped`]) of the
//!   types whose rows depend on the record; it also audits what was read.
//! - [`relation`]: what the viewer is to a record, worked out once per
//!   request ([`Visibility`]), from what the domains answer through
//!   [`VolunteerLinks`] and [`FollowedFamilies`] (registered at start-up).
//! - [`revocation`]: accounts switched off and sessions ended, inside the
//!   caller's transaction.
//! - The records themselves ([`Record`], below): what each type knows of its
//!   family and of the viewer's relationship to it. Each domain implements
//!   it for its own types, next to them (`impl crate::auth::Record for
//!   Family` in `families`); auth names no domain type.
//!
//! Resolvers hold no role checks: a record the viewer may not see is left
//! out by the loaders, which ask [`sees`] (derived from the same table), and
//! every field is decided here.

pub mod enforce;
pub mod identity;
pub mod policy;
pub mod relation;
pub mod revocation;

use std::future::Future;

use async_graphql::Context;
use uuid::Uuid;

pub use enforce::{
    Enforce, Scoped, SubscriptionRoot, check, may_read_some, may_use, own_only, permits, sees,
    sees_all, sees_as, viewing,
};
pub use identity::{Actor, AuditedAs, Job, Role, Viewer, ViewerExt};
pub use policy::Access;
pub use relation::{
    FamilySet, Followed, FollowedFamilies, Link, Viewing, Visibility, VolunteerLinks,
};

use crate::{
    core::error::ApiResult,
    core::values::{Location, Owner},
};

/// A record whose rows in the policy depend on what the viewer is to it.
pub trait Record: Sync {
    /// Its type, as the schema names it.
    const TYPE: &'static str;

    /// Its rows' type: [`Self::TYPE`], or with the variant in brackets when
    /// the type is read differently by whose record it is.
    fn variant(&self) -> &'static str {
        Self::TYPE
    }

    /// What the viewer is to it (for `field`; only figures differ by field).
    fn relation(
        &self,
        field: &str,
        viewing: &Viewing<'_>,
    ) -> impl Future<Output = ApiResult<Access>> + Send;

    /// The family whose personal data its personal fields are.
    fn family(&self, _ctx: &Context<'_>) -> impl Future<Output = ApiResult<Option<Uuid>>> + Send {
        async { Ok(None) }
    }

    /// Read without a signed-in user: the role of the account it vouches for
    /// (the user who has just signed in, reading their own account).
    fn signed_in_as(&self) -> Option<Role> {
        None
    }
}

// `core::values::Location`'s fields: the object is guarded by the record's
// relation to the viewer, so it is declared here, above `core`.
/// Where someone lives, as precisely as the viewer may see.
#[async_graphql::Object(guard = "crate::auth::Scoped(self)")]
impl Location {
    /// Belgian postal code.
    async fn postal_code(&self) -> Option<&str> {
        self.postal_code.as_deref()
    }
    /// Municipality of the postal code, in the request's locale where the
    /// municipality has two official names (the 19 communes of Brussels:
    /// "Sint-Jans-Molenbeek" in Dutch, "Molenbeek-Saint-Jean" in French and
    /// English).
    async fn municipality(&self) -> Option<String> {
        let stored = self.municipality.as_deref()?;
        Some(
            self.postal_code
                .as_deref()
                .and_then(|code| {
                    crate::core::values::brussels_name(code, crate::core::locale::current())
                })
                .unwrap_or(stored)
                .to_owned(),
        )
    }
    /// WGS 84.
    async fn latitude(&self) -> Option<f64> {
        self.latitude
    }
    /// WGS 84.
    async fn longitude(&self) -> Option<f64> {
        self.longitude
    }
}

impl Record for Location {
    const TYPE: &'static str = "Location";

    fn variant(&self) -> &'static str {
        match self.owner {
            Owner::Family(_) => "Location (a family's home)",
            Owner::Volunteer(_) => "Location (a volunteer's home)",
        }
    }

    async fn relation(&self, _: &str, viewing: &Viewing<'_>) -> ApiResult<Access> {
        match self.owner {
            Owner::Family(family) => viewing.family(family).await,
            Owner::Volunteer(volunteer) => Ok(viewing.volunteer(volunteer)),
        }
    }

    async fn family(&self, _: &Context<'_>) -> ApiResult<Option<Uuid>> {
        Ok(match self.owner {
            Owner::Family(family) => Some(family),
            Owner::Volunteer(_) => None,
        })
    }
}
