//! Subscriptions over graphql-transport-ws at `/graphql/ws`, authenticated
//! by the bearer token in the connection payload. Events reach every replica
//! through [`crate::sync`], so a subscriber on one replica sees what was
//! written through another.
//!
//! A subscriber receives only the events whose record they may see (the
//! access policy decides, as for any read); every event's fields pass the
//! enforcement point, and what they read of a family is audited before the
//! event is delivered. A plan or volunteer named that does not exist, or
//! that the subscriber may not see, is NOT_FOUND naming the argument,
//! before any event.

use async_graphql::{Context, ID, Subscription};
use futures_util::{Stream, StreamExt};
use sea_orm::EntityTrait;
use tokio_stream::wrappers::BroadcastStream;

use crate::auth::ViewerExt;
use crate::core::relay::NodeKind;
use crate::{
    auth::Viewer,
    auth::{Record, Viewing, Visibility},
    core::error::ApiError,
    core::relay::expect_id,
    core::state::{AppState, ContextExt},
    follow_up::CheckIn,
    plans::InvolvementEvent,
    sync::Notice,
};

/// Every subscription of the API.
#[derive(Default, Debug)]
pub struct SubscriptionRoot;

/// Whether `viewer` sees `record`, worked out afresh for one event.
async fn sees<R: Record>(state: &AppState, viewer: &Viewer, record: &R) -> bool {
    let visibility = Visibility::default();
    let viewing = Viewing {
        viewer,
        state,
        visibility: &visibility,
    };
    crate::auth::sees_as(&viewing, record)
        .await
        .unwrap_or(false)
}

/// Live updates over the WebSocket at `/graphql/ws` (graphql-transport-ws).
#[Subscription(name = "Subscription", guard = "crate::auth::SubscriptionRoot")]
impl SubscriptionRoot {
    /// Phase-in/phase-out steps, for one plan or for all plans the viewer may see.
    async fn involvement_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only steps of this plan (every step the viewer may see when left out).")]
        plan_id: Option<ID>,
    ) -> Result<impl Stream<Item = InvolvementEvent> + use<>, ApiError> {
        let viewer = ctx.viewer()?.clone();
        let plan = plan_id
            .as_ref()
            .map(|id| expect_id(id, NodeKind::Plan, "planId"))
            .transpose()?;
        let state = ctx.state()?.clone();
        if let (Some(id), Some(given)) = (plan, &plan_id) {
            let row = entity::plan::Entity::find_by_id(id).one(&state.db).await?;
            let seen = match row {
                Some(row) => sees(&state, &viewer, &crate::plans::Plan(row)).await,
                None => false,
            };
            if !seen {
                return Err(ApiError::not_found_at("planId", "Plan", given.as_str()));
            }
        }
        let notices = BroadcastStream::new(state.part::<crate::sync::Notices>()?.subscribe());
        Ok(notices.filter_map(move |notice| {
            let (state, viewer) = (state.clone(), viewer.clone());
            async move {
                let Ok(Notice::Event(row, volunteer)) = notice else {
                    return None;
                };
                if plan.is_some_and(|p| p != row.plan_id) {
                    return None;
                }
                let event = InvolvementEvent { row, volunteer };
                sees(&state, &viewer, &event).await.then_some(event)
            }
        }))
    }

    /// Check-ins as they are logged, for one volunteer or all.
    async fn check_in_logged(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only check-ins with this volunteer.")] volunteer_id: Option<ID>,
    ) -> Result<impl Stream<Item = CheckIn> + use<>, ApiError> {
        let viewer = ctx.viewer()?.clone();
        let volunteer = volunteer_id
            .as_ref()
            .map(|id| expect_id(id, NodeKind::Volunteer, "volunteerId"))
            .transpose()?;
        let state = ctx.state()?.clone();
        if let (Some(id), Some(given)) = (volunteer, &volunteer_id) {
            let row = entity::volunteer::Entity::find_by_id(id)
                .one(&state.db)
                .await?;
            let seen = match row {
                Some(row) => {
                    let record = crate::volunteers::Volunteer(std::sync::Arc::new(row));
                    sees(&state, &viewer, &record).await
                }
                None => false,
            };
            if !seen {
                return Err(ApiError::not_found_at(
                    "volunteerId",
                    "Volunteer",
                    given.as_str(),
                ));
            }
        }
        let notices = BroadcastStream::new(state.part::<crate::sync::Notices>()?.subscribe());
        Ok(notices.filter_map(move |notice| {
            let (state, viewer) = (state.clone(), viewer.clone());
            async move {
                let Ok(Notice::CheckIn(row)) = notice else {
                    return None;
                };
                if volunteer.is_some_and(|v| v != row.volunteer_id) {
                    return None;
                }
                let check_in = CheckIn(row);
                sees(&state, &viewer, &check_in).await.then_some(check_in)
            }
        }))
    }
}
