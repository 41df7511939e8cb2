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
//!   request ([`Visibility`]).
//! - The records themselves ([`Record`], below): what each type knows of its
//!   family and of the viewer's relationship to it.
//!
//! Resolvers hold no role checks: a record the viewer may not see is left
//! out by the loaders, which ask [`sees`] (derived from the same table), and
//! every field is decided here.

pub mod enforce;
pub mod identity;
pub mod policy;
pub mod relation;

use std::future::Future;

use async_graphql::Context;
use uuid::Uuid;

pub use enforce::{
    Enforce, Scoped, SubscriptionRoot, check, may_read_some, may_use, own_only, permits, sees,
    sees_all, sees_as, viewing,
};
pub use identity::{Actor, Role, Viewer};
pub use policy::Access;
pub use relation::{FamilySet, Viewing, Visibility};

use crate::{
    accounts::User,
    core::error::ApiResult,
    core::values::Location,
    families::Family,
    follow_up::CheckIn,
    plans::{Goal, Involvement, InvolvementEvent, Plan},
    reporting::NetworkStats,
    volunteers::Volunteer,
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

/// Whose home a [`Location`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    /// A family's.
    Family(Uuid),
    /// A volunteer's.
    Volunteer(Uuid),
}

/// The family of plan `plan`: from the register's index of plans, or
/// through the request's DataLoader while the register is not trusted.
pub async fn family_of_plan(ctx: &Context<'_>, plan: Uuid) -> ApiResult<Option<Uuid>> {
    let state = crate::core::state::ContextExt::state(ctx)?;
    if let Some(register) = crate::families::register::trusted(state)
        && let Some(family) = register.family_of_plan(plan)
    {
        return Ok(Some(family));
    }
    Ok(
        crate::core::loaders::load(ctx, crate::plans::PlanById(plan))
            .await?
            .map(|p| p.family_id),
    )
}

impl Record for Family {
    const TYPE: &'static str = "Family";

    async fn relation(&self, _: &str, viewing: &Viewing<'_>) -> ApiResult<Access> {
        viewing.family(self.model().id).await
    }

    async fn family(&self, _: &Context<'_>) -> ApiResult<Option<Uuid>> {
        Ok(Some(self.model().id))
    }
}

impl Record for Plan {
    const TYPE: &'static str = "Plan";

    async fn relation(&self, _: &str, viewing: &Viewing<'_>) -> ApiResult<Access> {
        viewing.family(self.0.family_id).await
    }

    async fn family(&self, _: &Context<'_>) -> ApiResult<Option<Uuid>> {
        Ok(Some(self.0.family_id))
    }
}

impl Record for Goal {
    const TYPE: &'static str = "Goal";

    async fn relation(&self, _: &str, viewing: &Viewing<'_>) -> ApiResult<Access> {
        viewing.plan(self.0.plan_id).await
    }

    async fn family(&self, ctx: &Context<'_>) -> ApiResult<Option<Uuid>> {
        family_of_plan(ctx, self.0.plan_id).await
    }
}

impl Record for Involvement {
    const TYPE: &'static str = "Involvement";

    async fn relation(&self, _: &str, viewing: &Viewing<'_>) -> ApiResult<Access> {
        viewing
            .involvement(self.0.id, self.0.plan_id, self.0.volunteer_id)
            .await
    }

    async fn family(&self, ctx: &Context<'_>) -> ApiResult<Option<Uuid>> {
        family_of_plan(ctx, self.0.plan_id).await
    }
}

impl Record for InvolvementEvent {
    const TYPE: &'static str = "InvolvementEvent";

    async fn relation(&self, _: &str, viewing: &Viewing<'_>) -> ApiResult<Access> {
        viewing
            .involvement(self.row.involvement_id, self.row.plan_id, self.volunteer)
            .await
    }

    async fn family(&self, ctx: &Context<'_>) -> ApiResult<Option<Uuid>> {
        family_of_plan(ctx, self.row.plan_id).await
    }
}

impl Record for CheckIn {
    const TYPE: &'static str = "CheckIn";

    async fn relation(&self, _: &str, viewing: &Viewing<'_>) -> ApiResult<Access> {
        Ok(viewing.volunteer(self.0.volunteer_id))
    }

    async fn family(&self, _: &Context<'_>) -> ApiResult<Option<Uuid>> {
        Ok(self.0.family_id)
    }
}

impl Record for Volunteer {
    const TYPE: &'static str = "Volunteer";

    async fn relation(&self, _: &str, viewing: &Viewing<'_>) -> ApiResult<Access> {
        Ok(viewing.volunteer(self.0.id))
    }
}

impl Record for User {
    const TYPE: &'static str = "User";

    async fn relation(&self, _: &str, viewing: &Viewing<'_>) -> ApiResult<Access> {
        Ok(if self.key == viewing.viewer.user_id {
            Access::OWN
        } else {
            Access::NO
        })
    }

    fn signed_in_as(&self) -> Option<Role> {
        self.signing_in.then_some(self.role)
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

impl Record for NetworkStats {
    const TYPE: &'static str = "NetworkStats";

    async fn relation(&self, field: &str, _: &Viewing<'_>) -> ApiResult<Access> {
        Ok(if self.families_behind(field) >= 5 {
            Access::FIVE_FAMILIES
        } else {
            Access::NO
        })
    }
}
