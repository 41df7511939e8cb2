//! What a viewer is to a record, worked out once per request: for a
//! VOLUNTEER, the status of each of their involvements by family and plan
//! (from their record in the roster); for FOLLOW_UP, the families with a
//! volunteer PROPOSED, ACTIVE or PHASING_OUT (from the family register, or
//! from the database while the register is not trusted). Staff's rules never
//! depend on the record, so nothing is worked out for them.

use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
};

use entity::{involvement, plan};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use tokio::sync::OnceCell;
use uuid::Uuid;

use super::policy::Access;
use crate::{
    auth::{Role, Viewer},
    core::error::{ApiError, ApiResult},
    core::state::AppState,
    engine::InvolvementStatus,
    engine::LOAD_STATES,
};

/// Per request (every transport inserts one): what the viewer is to the
/// records it reads, and which fields' guards have checked their record.
/// A subscription, whose request lives as long as it does, has it
/// [reset](Visibility::reset) before each event.
#[derive(Debug, Default)]
pub struct Visibility {
    known: Mutex<Arc<OnceCell<Arc<Known>>>>,
    checked: Checked,
}

impl Visibility {
    /// Forgets what was worked out, so that the next read asks again.
    pub fn reset(&self) {
        if let Ok(mut known) = self.known.lock() {
            *known = Arc::default();
        }
    }

    fn cell(&self) -> Option<Arc<OnceCell<Arc<Known>>>> {
        self.known.lock().ok().map(|cell| cell.clone())
    }

    /// The guard of the field resolved at `key` (its path node's address,
    /// unique while the field resolves) checked its record.
    pub(crate) fn mark_checked(&self, key: usize) {
        self.checked.mark(key);
    }

    /// Whether the guard of the field at `key` checked its record (and
    /// forgets it).
    pub(crate) fn take_checked(&self, key: usize) -> bool {
        self.checked.take(key)
    }
}

/// The fields whose guard checked the record, until the enforcement point
/// has seen them. Almost always empty: a lookup costs one atomic load then.
#[derive(Debug, Default)]
struct Checked {
    pending: AtomicUsize,
    keys: Mutex<Vec<usize>>,
}

impl Checked {
    fn mark(&self, key: usize) {
        if let Ok(mut keys) = self.keys.lock() {
            keys.push(key);
            self.pending.fetch_add(1, Ordering::AcqRel);
        }
    }

    fn take(&self, key: usize) -> bool {
        if self.pending.load(Ordering::Acquire) == 0 {
            return false;
        }
        let Ok(mut keys) = self.keys.lock() else {
            return false;
        };
        match keys.iter().position(|k| *k == key) {
            Some(at) => {
                keys.swap_remove(at);
                self.pending.fetch_sub(1, Ordering::AcqRel);
                true
            }
            None => false,
        }
    }
}

/// What was worked out for the viewer.
#[derive(Debug)]
enum Known {
    /// Nothing depends on the record for this viewer.
    Nothing,
    /// A volunteer's involvements.
    Volunteer(Links),
    /// Follow-up staff, with the family register trusted: it answers.
    FollowUpFromRegister,
    /// Follow-up staff, read from the database.
    FollowUp {
        families: HashSet<Uuid>,
        plans: HashSet<Uuid>,
    },
}

/// A volunteer's involvements: the statuses by family and by plan, and
/// which involvements are theirs.
#[derive(Debug, Default)]
struct Links {
    by_family: HashMap<Uuid, Access>,
    by_plan: HashMap<Uuid, Access>,
    own: HashSet<Uuid>,
}

impl Links {
    fn add(&mut self, involvement: Uuid, plan: Uuid, family: Uuid, status: InvolvementStatus) {
        let bit = status_bit(status);
        let by_family = self.by_family.entry(family).or_insert(Access::NO);
        *by_family = by_family.or(bit);
        let by_plan = self.by_plan.entry(plan).or_insert(Access::NO);
        *by_plan = by_plan.or(bit);
        self.own.insert(involvement);
    }
}

/// The relationship a volunteer's involvement in `status` gives.
pub fn status_bit(status: InvolvementStatus) -> Access {
    match status {
        InvolvementStatus::Proposed => Access::PROPOSED,
        InvolvementStatus::Active => Access::ACTIVE,
        InvolvementStatus::PhasingOut => Access::PHASING_OUT,
        InvolvementStatus::Ended => Access::ENDED,
        InvolvementStatus::Declined => Access::DECLINED,
    }
}

/// One viewer reading through one request's [`Visibility`].
#[derive(Clone, Copy, Debug)]
pub struct Viewing<'a> {
    /// Who reads.
    pub viewer: &'a Viewer,
    /// The server.
    pub state: &'a AppState,
    /// The request's cache.
    pub visibility: &'a Visibility,
}

impl Viewing<'_> {
    async fn known(&self) -> ApiResult<Arc<Known>> {
        let compute = || async { Ok::<_, ApiError>(Arc::new(self.work_out().await?)) };
        match self.visibility.cell() {
            Some(cell) => Ok(cell.get_or_try_init(compute).await?.clone()),
            None => compute().await,
        }
    }

    async fn work_out(&self) -> ApiResult<Known> {
        match (self.viewer.role, self.viewer.volunteer_id) {
            (Role::Volunteer, Some(volunteer)) => {
                Ok(Known::Volunteer(self.links(volunteer).await?))
            }
            (Role::Volunteer, None) => Ok(Known::Volunteer(Links::default())),
            (Role::FollowUp, _) if crate::families::register::trusted(self.state).is_some() => {
                Ok(Known::FollowUpFromRegister)
            }
            (Role::FollowUp, _) => {
                let plans: HashSet<Uuid> = involvement::Entity::find()
                    .select_only()
                    .column(involvement::Column::PlanId)
                    .filter(involvement::Column::VolunteerId.is_not_null())
                    .filter(involvement::Column::Status.is_in(LOAD_STATES))
                    .into_tuple::<Uuid>()
                    .all(&self.state.db)
                    .await?
                    .into_iter()
                    .collect();
                let families = if plans.is_empty() {
                    HashSet::new()
                } else {
                    plan::Entity::find()
                        .select_only()
                        .column(plan::Column::FamilyId)
                        .filter(plan::Column::Id.is_in(plans.iter().copied()))
                        .into_tuple::<Uuid>()
                        .all(&self.state.db)
                        .await?
                        .into_iter()
                        .collect()
                };
                Ok(Known::FollowUp { families, plans })
            }
            (Role::Admin | Role::Coordinator, _) => Ok(Known::Nothing),
        }
    }

    /// A volunteer's involvements: from their roster record, or from the
    /// database when the roster does not hold them (yet).
    async fn links(&self, volunteer: Uuid) -> ApiResult<Links> {
        let mut links = Links::default();
        if let Some(record) = crate::volunteers::roster::record(self.state, volunteer).await? {
            for link in &record.involvements {
                links.add(link.involvement, link.plan, link.family, link.status);
            }
            return Ok(links);
        }
        let rows = involvement::Entity::find()
            .filter(involvement::Column::VolunteerId.eq(volunteer))
            .all(&self.state.db)
            .await?;
        let families: HashMap<Uuid, Uuid> = plan::Entity::find()
            .select_only()
            .columns([plan::Column::Id, plan::Column::FamilyId])
            .filter(plan::Column::Id.is_in(rows.iter().map(|r| r.plan_id)))
            .into_tuple()
            .all(&self.state.db)
            .await?
            .into_iter()
            .collect();
        for row in rows {
            if let Some(family) = families.get(&row.plan_id) {
                links.add(row.id, row.plan_id, *family, row.status.into());
            }
        }
        Ok(links)
    }

    /// What the viewer is to family `family`.
    pub async fn family(&self, family: Uuid) -> ApiResult<Access> {
        Ok(match &*self.known().await? {
            Known::Nothing => Access::NO,
            Known::Volunteer(links) => links.by_family.get(&family).copied().unwrap_or(Access::NO),
            Known::FollowUpFromRegister => followed_in_register(self.state, Some(family), None),
            Known::FollowUp { families, .. } => followed(families.contains(&family)),
        })
    }

    /// What the viewer is to the family of plan `plan`.
    pub async fn plan(&self, plan: Uuid) -> ApiResult<Access> {
        Ok(match &*self.known().await? {
            Known::Nothing => Access::NO,
            Known::Volunteer(links) => links.by_plan.get(&plan).copied().unwrap_or(Access::NO),
            Known::FollowUpFromRegister => followed_in_register(self.state, None, Some(plan)),
            Known::FollowUp { plans, .. } => followed(plans.contains(&plan)),
        })
    }

    /// What the viewer is to involvement `id` of plan `plan` (or to one of
    /// its steps), whose helper is volunteer `volunteer` if any.
    pub async fn involvement(
        &self,
        id: Uuid,
        plan: Uuid,
        volunteer: Option<Uuid>,
    ) -> ApiResult<Access> {
        let family = self.plan(plan).await?;
        Ok(match self.viewer.role {
            Role::Volunteer => {
                let own = volunteer.is_some() && volunteer == self.viewer.volunteer_id
                    || matches!(&*self.known().await?, Known::Volunteer(links) if links.own.contains(&id));
                if own { family.or(Access::OWN) } else { family }
            }
            Role::FollowUp if volunteer.is_some() => family.or(Access::VOLUNTEERS),
            _ => Access::NO,
        })
    }

    /// What the viewer is to the record of volunteer `volunteer` (or to
    /// something that is theirs).
    pub fn volunteer(&self, volunteer: Uuid) -> Access {
        if self.viewer.volunteer_id == Some(volunteer) {
            Access::OWN
        } else {
            Access::NO
        }
    }

    /// Every family the viewer has one of `relations` with (VOLUNTEER and
    /// FOLLOW_UP only; `None` for a viewer whose rules do not depend on it).
    pub async fn families_with(&self, relations: Access) -> ApiResult<Option<FamilySet>> {
        Ok(match &*self.known().await? {
            Known::Nothing => None,
            Known::Volunteer(links) => Some(FamilySet::Listed(Arc::new(
                links
                    .by_family
                    .iter()
                    .filter(|(_, status)| relations.grants(**status))
                    .map(|(family, _)| *family)
                    .collect(),
            ))),
            Known::FollowUpFromRegister if relations.grants(Access::FOLLOWED) => {
                Some(FamilySet::Followed)
            }
            Known::FollowUp { families, .. } if relations.grants(Access::FOLLOWED) => {
                Some(FamilySet::Listed(Arc::new(families.clone())))
            }
            Known::FollowUpFromRegister | Known::FollowUp { .. } => {
                Some(FamilySet::Listed(Arc::default()))
            }
        })
    }
}

/// Which families a viewer may see.
#[derive(Clone, Debug)]
pub enum FamilySet {
    /// These.
    Listed(Arc<HashSet<Uuid>>),
    /// Those the register marks as followed (a volunteer PROPOSED, ACTIVE or
    /// PHASING_OUT).
    Followed,
}

fn followed(yes: bool) -> Access {
    if yes { Access::FOLLOWED } else { Access::NO }
}

/// FOLLOWED when the register says the family (or the plan's family) has a
/// volunteer PROPOSED, ACTIVE or PHASING_OUT. A register that stopped being
/// trusted during the request answers nothing.
fn followed_in_register(state: &AppState, family: Option<Uuid>, plan: Option<Uuid>) -> Access {
    let Some(register) = crate::families::register::trusted(state) else {
        return Access::NO;
    };
    let family = family.or_else(|| plan.and_then(|p| register.family_of_plan(p)));
    followed(
        family
            .and_then(|f| register.get(f))
            .is_some_and(|r| r.followed),
    )
}
