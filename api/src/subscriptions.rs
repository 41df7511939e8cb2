//! Subscriptions over graphql-transport-ws at `/graphql/ws`, authenticated
//! by the bearer token in the connection payload. Events reach every replica
//! through [`crate::changes`], so a subscriber on one replica sees what was
//! written through another.

use async_graphql::{Context, ID, Subscription};
use futures_util::{Stream, StreamExt};
use sea_orm::EntityTrait;
use tokio_stream::wrappers::BroadcastStream;

use crate::{
    accounts::Role, changes::Notice, error::ApiError, follow_up::CheckIn, plans::InvolvementEvent,
    relay::expect_id, state::ContextExt,
};

/// Every subscription of the API.
#[derive(Default, Debug)]
pub struct SubscriptionRoot;

#[Subscription(name = "Subscription")]
impl SubscriptionRoot {
    /// Phase-in/phase-out steps, for one plan or for all plans the viewer may see.
    async fn involvement_events(
        &self,
        ctx: &Context<'_>,
        plan_id: Option<ID>,
    ) -> Result<impl Stream<Item = InvolvementEvent> + use<>, ApiError> {
        let viewer = ctx.viewer()?;
        let own = match viewer.role {
            Role::Admin | Role::Coordinator => None,
            Role::Volunteer => Some(viewer.volunteer_id.unwrap_or_default()),
            Role::FollowUp => {
                return Err(ApiError::Forbidden(
                    "plan timelines are not open to the FOLLOW_UP role".into(),
                ));
            }
        };
        let plan = plan_id
            .map(|id| expect_id(&id, "Plan", "planId"))
            .transpose()?;
        let state = ctx.state()?;
        let notices = BroadcastStream::new(state.notices.subscribe());
        let (db, viewer) = (state.db.clone(), viewer.clone());
        Ok(notices.filter_map(move |notice| {
            let (db, viewer) = (db.clone(), viewer.clone());
            async move {
                match notice {
                    Ok(Notice::Event(event, volunteer))
                        if plan.is_none_or(|p| p == event.plan_id)
                            && own.is_none_or(|v| volunteer == Some(v)) =>
                    {
                        // What a subscriber receives is a read of the family's plan.
                        let family = entity::plan::Entity::find_by_id(event.plan_id)
                            .one(&db)
                            .await
                            .ok()
                            .flatten()?;
                        crate::privacy::record(
                            &db,
                            &viewer,
                            "READ",
                            family.family_id,
                            "involvementEvents",
                        )
                        .await
                        .ok()?;
                        Some(InvolvementEvent(event))
                    }
                    _ => None,
                }
            }
        }))
    }

    /// Check-ins as they are logged, for one volunteer or all.
    async fn check_in_logged(
        &self,
        ctx: &Context<'_>,
        volunteer_id: Option<ID>,
    ) -> Result<impl Stream<Item = CheckIn> + use<>, ApiError> {
        crate::access::viewer_in(ctx, crate::access::STAFF_AND_FOLLOW_UP, "check-ins")?;
        let volunteer = volunteer_id
            .map(|id| expect_id(&id, "Volunteer", "volunteerId"))
            .transpose()?;
        let notices = BroadcastStream::new(ctx.state()?.notices.subscribe());
        Ok(notices.filter_map(move |notice| async move {
            match notice {
                Ok(Notice::CheckIn(row)) if volunteer.is_none_or(|v| v == row.volunteer_id) => {
                    Some(CheckIn(row))
                }
                _ => None,
            }
        }))
    }
}
