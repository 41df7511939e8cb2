//! The plans' DataLoaders: plans, goals, involvements and their events by key.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{goal, involvement, involvement_event, plan};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::core::loaders::{DbLoader, LoadError, group_by};

/// A family's plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PlanByFamily(pub Uuid);
/// A plan by key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PlanById(pub Uuid);
/// A plan's goals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GoalsByPlan(pub Uuid);
/// A plan's involvements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InvolvementsByPlan(pub Uuid);
/// A volunteer's involvements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InvolvementsByVolunteer(pub Uuid);
/// An involvement by key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InvolvementById(pub Uuid);
/// An involvement's events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EventsByInvolvement(pub Uuid);
/// Every event of a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EventsByPlan(pub Uuid);

impl Loader<PlanByFamily> for DbLoader {
    type Value = plan::Model;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[PlanByFamily],
    ) -> Result<HashMap<PlanByFamily, Self::Value>, Self::Error> {
        let rows = plan::Entity::find()
            .filter(plan::Column::FamilyId.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| (PlanByFamily(r.family_id), r))
            .collect())
    }
}

impl Loader<PlanById> for DbLoader {
    type Value = plan::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[PlanById]) -> Result<HashMap<PlanById, Self::Value>, Self::Error> {
        let rows = plan::Entity::find()
            .filter(plan::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|r| (PlanById(r.id), r)).collect())
    }
}

impl Loader<GoalsByPlan> for DbLoader {
    type Value = Vec<goal::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[GoalsByPlan],
    ) -> Result<HashMap<GoalsByPlan, Self::Value>, Self::Error> {
        let rows = goal::Entity::find()
            .filter(goal::Column::PlanId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(goal::Column::Id)
            .all(&self.db)
            .await?;
        Ok(group_by(keys, rows, |r| GoalsByPlan(r.plan_id)))
    }
}

impl Loader<InvolvementsByPlan> for DbLoader {
    type Value = Vec<involvement::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[InvolvementsByPlan],
    ) -> Result<HashMap<InvolvementsByPlan, Self::Value>, Self::Error> {
        let rows = involvement::Entity::find()
            .filter(involvement::Column::PlanId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(involvement::Column::Id)
            .all(&self.db)
            .await?;
        Ok(group_by(keys, rows, |r| InvolvementsByPlan(r.plan_id)))
    }
}

impl Loader<InvolvementsByVolunteer> for DbLoader {
    type Value = Vec<involvement::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[InvolvementsByVolunteer],
    ) -> Result<HashMap<InvolvementsByVolunteer, Self::Value>, Self::Error> {
        let rows = involvement::Entity::find()
            .filter(involvement::Column::VolunteerId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(involvement::Column::Id)
            .all(&self.db)
            .await?;
        Ok(group_by(keys, rows, |r| {
            InvolvementsByVolunteer(r.volunteer_id.unwrap_or_default())
        }))
    }
}

impl Loader<InvolvementById> for DbLoader {
    type Value = involvement::Model;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[InvolvementById],
    ) -> Result<HashMap<InvolvementById, Self::Value>, Self::Error> {
        let rows = involvement::Entity::find()
            .filter(involvement::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| (InvolvementById(r.id), r))
            .collect())
    }
}

impl Loader<EventsByInvolvement> for DbLoader {
    type Value = Vec<involvement_event::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[EventsByInvolvement],
    ) -> Result<HashMap<EventsByInvolvement, Self::Value>, Self::Error> {
        let rows = involvement_event::Entity::find()
            .filter(involvement_event::Column::InvolvementId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(involvement_event::Column::At)
            .order_by_asc(involvement_event::Column::Id)
            .all(&self.db)
            .await?;
        Ok(group_by(keys, rows, |r| {
            EventsByInvolvement(r.involvement_id)
        }))
    }
}

impl Loader<EventsByPlan> for DbLoader {
    type Value = Vec<involvement_event::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[EventsByPlan],
    ) -> Result<HashMap<EventsByPlan, Self::Value>, Self::Error> {
        let rows = involvement_event::Entity::find()
            .filter(involvement_event::Column::PlanId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(involvement_event::Column::At)
            .order_by_asc(involvement_event::Column::Id)
            .all(&self.db)
            .await?;
        Ok(group_by(keys, rows, |r| EventsByPlan(r.plan_id)))
    }
}
