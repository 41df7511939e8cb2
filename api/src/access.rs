//! Who sees what. Every root field names the roles it is open to; families
//! and volunteers a viewer may not see are NOT_FOUND, exactly as if they did
//! not exist; fields of a visible record the viewer may not read are
//! FORBIDDEN.
//!
//! | role | may |
//! |---|---|
//! | ADMIN | everything |
//! | COORDINATOR | everything but user management, the audit log and erasure |
//! | FOLLOW_UP | volunteers, trainings, check-ins, stats; of families only those a volunteer is PROPOSED, ACTIVE or PHASING_OUT with, and of those only reference, display name and municipality |
//! | VOLUNTEER | their own record and involvements; of families they are ACTIVE or PHASING_OUT with: display name, municipality, languages, preferred language, children's ages, needed availability, plan goals |

use std::{collections::HashSet, sync::Arc};

use async_graphql::Context;
use entity::{involvement, plan};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use tokio::sync::OnceCell;
use uuid::Uuid;

use crate::{
    accounts::{Role, Viewer},
    error::{ApiError, ApiResult},
    state::ContextExt,
    values::enum_name,
    volunteers::LOAD_STATES,
};

/// ADMIN only.
pub const ADMIN: &[Role] = &[Role::Admin];
/// Coordinators (and admins).
pub const STAFF: &[Role] = &[Role::Admin, Role::Coordinator];
/// Coordinators and follow-up staff (and admins).
pub const STAFF_AND_FOLLOW_UP: &[Role] = &[Role::Admin, Role::Coordinator, Role::FollowUp];
/// Every role.
pub const EVERYONE: &[Role] = &[
    Role::Admin,
    Role::Coordinator,
    Role::FollowUp,
    Role::Volunteer,
];

/// FORBIDDEN unless the viewer has one of `roles`.
pub fn require(viewer: &Viewer, roles: &[Role], what: &str) -> ApiResult<()> {
    if roles.contains(&viewer.role) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "{what} is not open to the {} role",
            enum_name(viewer.role)
        )))
    }
}

/// The signed-in viewer, who must have one of `roles`.
pub fn viewer_in<'a>(ctx: &'a Context<'_>, roles: &[Role], what: &str) -> ApiResult<&'a Viewer> {
    let viewer = ctx.viewer()?;
    require(viewer, roles, what)?;
    Ok(viewer)
}

/// Whether the viewer sees every family (ADMIN, COORDINATOR).
pub fn sees_all_families(viewer: &Viewer) -> bool {
    STAFF.contains(&viewer.role)
}

/// Per request: the families a FOLLOW_UP or VOLUNTEER viewer may see.
/// Worked out once per request; a subscription, whose request lives as long
/// as it does, has it [reset](Visibility::reset) before each event.
#[derive(Debug, Default)]
pub struct Visibility {
    families: std::sync::Mutex<Arc<OnceCell<Arc<HashSet<Uuid>>>>>,
}

impl Visibility {
    /// Forgets what was worked out, so that the next read asks again.
    pub fn reset(&self) {
        if let Ok(mut families) = self.families.lock() {
            *families = Arc::default();
        }
    }

    fn cell(&self) -> Option<Arc<OnceCell<Arc<HashSet<Uuid>>>>> {
        self.families.lock().ok().map(|cell| cell.clone())
    }
}

/// The families the viewer may see; `None` means all of them.
pub async fn visible_families(ctx: &Context<'_>) -> ApiResult<Option<Arc<HashSet<Uuid>>>> {
    let viewer = ctx.viewer()?;
    if sees_all_families(viewer) {
        return Ok(None);
    }
    let db = &ctx.state()?.db;
    let compute = || async {
        let mut select = involvement::Entity::find()
            .select_only()
            .column(involvement::Column::PlanId);
        select = match (viewer.role, viewer.volunteer_id) {
            (Role::FollowUp, _) => select
                .filter(involvement::Column::VolunteerId.is_not_null())
                .filter(involvement::Column::Status.is_in(LOAD_STATES)),
            (_, Some(volunteer_id)) => select
                .filter(involvement::Column::VolunteerId.eq(volunteer_id))
                .filter(involvement::Column::Status.is_in(["ACTIVE", "PHASING_OUT"])),
            (_, None) => return Ok::<_, ApiError>(Arc::new(HashSet::new())),
        };
        let plans: Vec<Uuid> = select.into_tuple().all(db).await?;
        if plans.is_empty() {
            return Ok(Arc::new(HashSet::new()));
        }
        let families: Vec<Uuid> = plan::Entity::find()
            .select_only()
            .column(plan::Column::FamilyId)
            .filter(plan::Column::Id.is_in(plans))
            .into_tuple()
            .all(db)
            .await?;
        Ok(Arc::new(families.into_iter().collect()))
    };
    let cached = match ctx.data_opt::<Visibility>().and_then(Visibility::cell) {
        Some(cell) => cell.get_or_try_init(compute).await?.clone(),
        None => compute().await?,
    };
    Ok(Some(cached))
}

/// Whether the viewer may see this family at all.
pub async fn family_visible(ctx: &Context<'_>, family_id: Uuid) -> ApiResult<bool> {
    Ok(visible_families(ctx)
        .await?
        .is_none_or(|set| set.contains(&family_id)))
}

/// The fields of a family each restricted role may read.
const FOLLOW_UP_FAMILY_FIELDS: &[&str] = &["reference", "displayName", "home"];
const VOLUNTEER_FAMILY_FIELDS: &[&str] = &[
    "displayName",
    "home",
    "languages",
    "preferredLanguage",
    "children",
    "neededAvailability",
    "plan",
];

/// FORBIDDEN when the viewer may not read `field` of a family they can see.
pub fn family_field(ctx: &Context<'_>, field: &str) -> ApiResult<()> {
    let viewer = ctx.viewer()?;
    let allowed = match viewer.role {
        Role::Admin | Role::Coordinator => return Ok(()),
        Role::FollowUp => FOLLOW_UP_FAMILY_FIELDS,
        Role::Volunteer => VOLUNTEER_FAMILY_FIELDS,
    };
    if allowed.contains(&field) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "a family's {field} is not open to the {} role",
            enum_name(viewer.role)
        )))
    }
}

/// Whether the viewer sees addresses only down to the municipality.
pub fn municipality_only(ctx: &Context<'_>) -> bool {
    ctx.viewer().is_ok_and(|v| !sees_all_families(v))
}

/// Whether the viewer may see this volunteer: staff and follow-up see all,
/// a volunteer only themselves.
pub fn volunteer_visible(viewer: &Viewer, volunteer_id: Uuid) -> bool {
    STAFF_AND_FOLLOW_UP.contains(&viewer.role) || viewer.volunteer_id == Some(volunteer_id)
}

/// FORBIDDEN for VOLUNTEER viewers (for fields about other people).
pub fn not_for_volunteers(ctx: &Context<'_>, what: &str) -> ApiResult<()> {
    let viewer = ctx.viewer()?;
    require(viewer, STAFF_AND_FOLLOW_UP, what)
}
