//! What a viewer is to a record, worked out once per request: for a
//! VOLUNTEER, the status of each of their involvements by family and plan;
//! for FOLLOW_UP, the families with a volunteer PROPOSED, ACTIVE or
//! PHASING_OUT. Staff's rules never depend on the record, so nothing is
//! worked out for them.
//!
//! Auth names no domain: it asks the domain that keeps each record kind,
//! through a trait that domain answers and that start-up registers as a part
//! of the state, like the change bus's handlers: [`VolunteerLinks`] (the
//! volunteers' roster) and [`FollowedFamilies`] (the family register). Each
//! answers from memory or from the database, as its read model can vouch.

use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
};

use tokio::sync::OnceCell;
use uuid::Uuid;

use super::policy::Access;
use crate::{
    auth::{Role, Viewer},
    core::error::{ApiError, ApiResult},
    core::state::AppState,
    engine::InvolvementStatus,
};

/// One of a volunteer's involvements, as the access policy reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    /// The involvement.
    pub involvement: Uuid,
    /// Its plan.
    pub plan: Uuid,
    /// The plan's family.
    pub family: Uuid,
    /// Where it stands.
    pub status: InvolvementStatus,
}

/// What auth asks of the volunteers: a volunteer's involvements. The
/// volunteers domain answers (from its roster, or from the database while
/// the roster cannot vouch for them); start-up registers it as an
/// `Arc<dyn VolunteerLinks>` part of the state.
#[async_trait::async_trait]
pub trait VolunteerLinks: Send + Sync {
    /// Every involvement of volunteer `volunteer`, whatever its status.
    async fn links(&self, state: &AppState, volunteer: Uuid) -> ApiResult<Vec<Link>>;
}

/// What auth asks of the families: which families follow-up staff follow
/// (a volunteer PROPOSED, ACTIVE or PHASING_OUT in their plan). The families
/// domain answers (from its register, or from the database while the
/// register cannot vouch for them); start-up registers it as an
/// `Arc<dyn FollowedFamilies>` part of the state.
#[async_trait::async_trait]
pub trait FollowedFamilies: Send + Sync {
    /// The families followed now: [`Followed::Remembered`] while memory can
    /// answer each question, otherwise listed from the database.
    async fn followed(&self, state: &AppState) -> ApiResult<Followed>;

    /// From memory: whether family `family` (or, without one, the family of
    /// plan `plan`) is followed. Memory that stopped being trusted since
    /// [`FollowedFamilies::followed`] answered says no.
    fn remembered(&self, family: Option<Uuid>, plan: Option<Uuid>) -> bool;
}

/// The families follow-up staff follow, as [`FollowedFamilies`] answers.
#[derive(Debug)]
pub enum Followed {
    /// Memory answers each question ([`FollowedFamilies::remembered`]).
    Remembered,
    /// These families, and their plans.
    Listed {
        /// The families followed.
        families: HashSet<Uuid>,
        /// Their plans.
        plans: HashSet<Uuid>,
    },
}

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
    /// Follow-up staff: the families they follow.
    FollowUp(Followed),
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
                let mut links = Links::default();
                for link in self
                    .state
                    .part::<Arc<dyn VolunteerLinks>>()?
                    .links(self.state, volunteer)
                    .await?
                {
                    links.add(link.involvement, link.plan, link.family, link.status);
                }
                Ok(Known::Volunteer(links))
            }
            (Role::Volunteer, None) => Ok(Known::Volunteer(Links::default())),
            (Role::FollowUp, _) => Ok(Known::FollowUp(
                self.followed_families()?.followed(self.state).await?,
            )),
            (Role::Admin | Role::Coordinator, _) => Ok(Known::Nothing),
        }
    }

    fn followed_families(&self) -> ApiResult<&Arc<dyn FollowedFamilies>> {
        self.state.part::<Arc<dyn FollowedFamilies>>()
    }

    /// FOLLOWED when memory says family `family` (or the family of plan
    /// `plan`) is followed.
    fn remembered(&self, family: Option<Uuid>, plan: Option<Uuid>) -> ApiResult<Access> {
        Ok(followed(self.followed_families()?.remembered(family, plan)))
    }

    /// What the viewer is to family `family`.
    pub async fn family(&self, family: Uuid) -> ApiResult<Access> {
        Ok(match &*self.known().await? {
            Known::Nothing => Access::NO,
            Known::Volunteer(links) => links.by_family.get(&family).copied().unwrap_or(Access::NO),
            Known::FollowUp(Followed::Remembered) => self.remembered(Some(family), None)?,
            Known::FollowUp(Followed::Listed { families, .. }) => {
                followed(families.contains(&family))
            }
        })
    }

    /// What the viewer is to the family of plan `plan`.
    pub async fn plan(&self, plan: Uuid) -> ApiResult<Access> {
        Ok(match &*self.known().await? {
            Known::Nothing => Access::NO,
            Known::Volunteer(links) => links.by_plan.get(&plan).copied().unwrap_or(Access::NO),
            Known::FollowUp(Followed::Remembered) => self.remembered(None, Some(plan))?,
            Known::FollowUp(Followed::Listed { plans, .. }) => followed(plans.contains(&plan)),
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
            Known::FollowUp(_) if !relations.grants(Access::FOLLOWED) => {
                Some(FamilySet::Listed(Arc::default()))
            }
            Known::FollowUp(Followed::Remembered) => Some(FamilySet::Followed),
            Known::FollowUp(Followed::Listed { families, .. }) => {
                Some(FamilySet::Listed(Arc::new(families.clone())))
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
