//! The request's prefetch of a page of families: what the page's selection
//! asks of its families (plans, children, languages) and of their plans
//! (goals, helpers), read with the page, one query per relation.

use std::{collections::HashMap, sync::Mutex};

use async_graphql::{Context, dataloader::Loader};
use entity::plan;
use uuid::Uuid;

use super::{Child, FamilyChildren, FamilyLanguages};
use crate::auth::ViewerExt;
use crate::{
    core::error::{ApiError, ApiResult},
    core::loaders::{DbLoader, LoadError},
    core::state::ContextExt,
    core::values::LanguageSkill,
    plans::PlanByFamily,
};

/// The plans, children and languages of the families on a page, and the
/// goals and helpers of their plans, read with the page when its selection
/// asks for them: one query per relation, run side by side, without the
/// DataLoader's per-field bookkeeping and batching delay (whose 1 ms window
/// a page's fields, each through the access policy, may outlast). Per
/// request, and filled only by `families`, a query: a mutation never reads
/// from it. Families not on such a page go through the DataLoader.
#[derive(Debug, Default)]
pub struct Prefetched {
    pub(super) plans: Mutex<HashMap<Uuid, plan::Model>>,
    children: Mutex<HashMap<Uuid, Vec<Child>>>,
    languages: Mutex<HashMap<Uuid, Vec<LanguageSkill>>>,
    goals: Mutex<HashMap<Uuid, Vec<entity::goal::Model>>>,
    helpers: Mutex<HashMap<Uuid, Vec<entity::involvement::Model>>>,
}

impl Prefetched {
    /// The request's store, if it has one.
    pub fn of<'a>(ctx: &'a Context<'_>) -> Option<&'a Prefetched> {
        ctx.data_opt::<Prefetched>()
    }

    /// The goals of plan `plan`, if its page read them.
    pub fn goals(&self, plan: Uuid) -> Option<Vec<entity::goal::Model>> {
        self.goals.lock().ok()?.get(&plan).cloned()
    }

    /// The involvements of plan `plan`, if its page read them.
    pub fn helpers(&self, plan: Uuid) -> Option<Vec<entity::involvement::Model>> {
        self.helpers.lock().ok()?.get(&plan).cloned()
    }

    /// Reads the goals and involvements of `plans` when the selection under
    /// `edges { node { plan { ... } } }` asks for them.
    pub(super) async fn plan_parts(ctx: &Context<'_>, plans: &[Uuid]) -> ApiResult<()> {
        let Some(store) = Prefetched::of(ctx) else {
            return Ok(());
        };
        if plans.is_empty() {
            return Ok(());
        }
        let plan = ctx.look_ahead().field("edges").field("node").field("plan");
        let loader = DbLoader {
            db: ctx.state()?.db.clone(),
        };
        tokio::try_join!(
            fill(
                &store.goals,
                &loader,
                plan.field("goals").exists(),
                plans,
                crate::plans::GoalsByPlan
            ),
            fill(
                &store.helpers,
                &loader,
                plan.field("involvements").exists(),
                plans,
                crate::plans::InvolvementsByPlan
            ),
        )?;
        Ok(())
    }

    pub(super) fn plan(&self, family: Uuid) -> Option<plan::Model> {
        self.plans.lock().ok()?.get(&family).cloned()
    }

    pub(super) fn children(&self, family: Uuid) -> Option<Vec<Child>> {
        self.children.lock().ok()?.get(&family).cloned()
    }

    pub(super) fn languages(&self, family: Uuid) -> Option<Vec<LanguageSkill>> {
        self.languages.lock().ok()?.get(&family).cloned()
    }

    /// Reads what the selection under `edges { node { ... } }` asks of the
    /// families `ids` and the viewer may see.
    pub(super) async fn page(ctx: &Context<'_>, ids: &[Uuid]) -> ApiResult<()> {
        let Some(store) = Prefetched::of(ctx) else {
            return Ok(());
        };
        if ids.is_empty() {
            return Ok(());
        }
        let node = ctx.look_ahead().field("edges").field("node");
        let viewer = ctx.viewer()?;
        let wants = |field: &str| {
            node.field(field).exists() && crate::auth::may_read_some(viewer, "Family", field)
        };
        let loader = DbLoader {
            db: ctx.state()?.db.clone(),
        };
        tokio::try_join!(
            fill(&store.plans, &loader, wants("plan"), ids, PlanByFamily),
            fill(
                &store.children,
                &loader,
                wants("children"),
                ids,
                FamilyChildren
            ),
            fill(
                &store.languages,
                &loader,
                wants("languages"),
                ids,
                FamilyLanguages
            ),
        )?;
        Ok(())
    }
}

/// Loads relation `K` of `ids` through the DataLoader's own query, straight
/// into `into` (when `wanted`).
async fn fill<K, V>(
    into: &Mutex<HashMap<Uuid, V>>,
    loader: &DbLoader,
    wanted: bool,
    ids: &[Uuid],
    key: fn(Uuid) -> K,
) -> ApiResult<()>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    DbLoader: Loader<K, Value = V, Error = LoadError>,
{
    if !wanted {
        return Ok(());
    }
    let keys: Vec<K> = ids.iter().map(|id| key(*id)).collect();
    let mut rows = loader
        .load(&keys)
        .await
        .map_err(|e| ApiError::internal(anyhow::anyhow!("prefetch failed: {e}")))?;
    let mut into = into
        .lock()
        .map_err(|_| ApiError::internal(anyhow::anyhow!("prefetch lock poisoned")))?;
    for id in ids {
        if let Some(value) = rows.remove(&key(*id)) {
            into.insert(*id, value);
        }
    }
    Ok(())
}
