//! The GraphQL schema as a library: no web framework in here.
//!
//! One MergedObject part per domain module; `node` resolves every type that
//! implements `Node`.

use async_graphql::{Context, ID, Interface, MergedObject, Object, Schema, SchemaBuilder};

use crate::{
    accounts::users::{UsersMutation, UsersQuery},
    accounts::{AccountsMutation, AccountsQuery, User},
    app::subscriptions::SubscriptionRoot,
    catalogue::CatalogueQuery,
    core::error::ApiResult,
    core::relay::{NodeKind, parse_global_id},
    core::state::{AppState, ContextExt},
    families::{FamiliesMutation, FamiliesQuery, Family, FamilyStatusChange},
    follow_up::{CheckIn, FollowUpMutation, FollowUpQuery},
    matches::MatchesQuery,
    plans::{
        Goal, Helper, Involvement, InvolvementEvent, NetworkMember, Plan, PlansMutation,
        Professional,
    },
    privacy::{AuditEntry, PrivacyMutation, PrivacyQuery},
    reporting::ReportingQuery,
    services::{FamilyCareService, ServicesMutation, ServicesQuery},
    volunteers::{Volunteer, VolunteersMutation, VolunteersQuery},
};

/// Anything with a global ID.
#[derive(Interface, Debug)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "The global ID: opaque, stable, and accepted by `node(id:)`."
))]
#[allow(clippy::large_enum_variant)]
pub enum Node {
    Volunteer(Volunteer),
    Family(Family),
    Plan(Plan),
    Goal(Goal),
    Involvement(Involvement),
    FamilyCareService(FamilyCareService),
    User(User),
    CheckIn(CheckIn),
    AuditEntry(AuditEntry),
    InvolvementEvent(InvolvementEvent),
    NetworkMember(NetworkMember),
    Professional(Professional),
    FamilyStatusChange(FamilyStatusChange),
}

/// `node`.
#[derive(Default, Debug)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Resolves any global ID; null when it names nothing (or nothing the
    /// viewer may see).
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global ID.")] id: ID,
    ) -> ApiResult<Option<Node>> {
        let Some((kind, key)) = parse_global_id(&id) else {
            if !crate::auth::sees_all(ctx, "AuditEntry")? {
                return Ok(None);
            }
            let db = &ctx.state()?.db;
            return Ok(crate::privacy::load_audit_entry(db, &id)
                .await?
                .map(Node::AuditEntry));
        };
        let Some(kind) = NodeKind::parse(&kind) else {
            return Ok(None);
        };
        Ok(match kind {
            NodeKind::Volunteer => crate::volunteers::load_one(ctx, key)
                .await?
                .map(Node::Volunteer),
            NodeKind::Family => crate::families::load_one(ctx, key).await?.map(Node::Family),
            NodeKind::Plan => crate::plans::load_plan(ctx, key).await?.map(Node::Plan),
            NodeKind::Goal => crate::plans::load_goal(ctx, key).await?.map(Node::Goal),
            NodeKind::Involvement => crate::plans::load_involvement(ctx, key)
                .await?
                .map(Node::Involvement),
            NodeKind::FamilyCareService => crate::services::load_one(ctx, key)
                .await?
                .map(Node::FamilyCareService),
            NodeKind::User => crate::accounts::load_user(ctx, &id).await?.map(Node::User),
            NodeKind::CheckIn => crate::follow_up::load_check_in(ctx, key)
                .await?
                .map(Node::CheckIn),
            NodeKind::InvolvementEvent => crate::plans::load_event(ctx, key)
                .await?
                .map(Node::InvolvementEvent),
            NodeKind::FamilyStatusChange => crate::families::load_status_change(ctx, key)
                .await?
                .map(Node::FamilyStatusChange),
            NodeKind::NetworkMember | NodeKind::Professional => {
                match crate::plans::load_named_helper(ctx, kind.name(), key).await? {
                    Some(Helper::NetworkMember(member)) => Some(Node::NetworkMember(member)),
                    Some(Helper::Professional(professional)) => {
                        Some(Node::Professional(professional))
                    }
                    _ => None,
                }
            }
        })
    }
}

/// Every query of the API.
#[derive(MergedObject, Default, Debug)]
pub struct Query(
    NodeQuery,
    AccountsQuery,
    VolunteersQuery,
    FamiliesQuery,
    ServicesQuery,
    CatalogueQuery,
    MatchesQuery,
    FollowUpQuery,
    ReportingQuery,
    PrivacyQuery,
    UsersQuery,
);

/// Every mutation of the API.
#[derive(MergedObject, Default, Debug)]
pub struct Mutation(
    AccountsMutation,
    VolunteersMutation,
    FamiliesMutation,
    ServicesMutation,
    PlansMutation,
    FollowUpMutation,
    PrivacyMutation,
    UsersMutation,
);

/// The schema type.
pub type TandemSchema = Schema<Query, Mutation, SubscriptionRoot>;

/// The schema without its state (for exporting the SDL).
pub fn schema_builder() -> SchemaBuilder<Query, Mutation, SubscriptionRoot> {
    Schema::build(Query::default(), Mutation::default(), SubscriptionRoot)
        .override_output_type_description::<chrono::DateTime<chrono::Utc>>(
            "A moment in time, RFC 3339 with its offset: \"2026-12-06T09:30:00Z\" or \
             \"2026-12-06T10:30:00+01:00\". Tandem answers in UTC (`Z`).",
        )
}

/// How deep a query may nest its fields.
pub(crate) const MAX_DEPTH: usize = 15;

/// How complex a query may be (async-graphql's count: a point per field).
pub(crate) const MAX_COMPLEXITY: usize = 5_000;

/// The schema, serving `state`, with the limits that protect the server and
/// the access policy's enforcement point, which every field passes through.
/// Only the request pipeline (`app::pipeline`) builds one and keeps it
/// private: no request reaches the schema any other way.
pub(crate) fn build_schema(state: AppState) -> TandemSchema {
    let production = state.settings.production;
    let mut builder = schema_builder()
        .extension(crate::auth::Enforce)
        .data(state)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_recursive_depth(32)
        .limit_directives(20);
    if production {
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder.finish()
}

/// The SDL clients see, as checked in at `api/schema.graphql`.
pub fn export_sdl() -> String {
    schema_builder().finish().sdl()
}

#[cfg(test)]
mod tests {
    use async_graphql::resolver_utils::EnumType;
    use serde::Serialize;

    /// Every value of GraphQL enum `G` is stored as its name in the schema:
    /// the strings stored before the entity enums existed read back as the
    /// same values, with no data migration.
    fn stored_as_named<G, S>()
    where
        G: EnumType + Into<S>,
        S: Serialize,
    {
        for item in G::items() {
            let stored: S = item.value.into();
            let stored = serde_json::to_value(stored).unwrap();
            assert_eq!(stored, item.name, "{}", std::any::type_name::<G>());
        }
    }

    #[test]
    fn every_stored_enum_is_stored_as_its_graphql_name() {
        use entity::vocabulary as stored;
        stored_as_named::<crate::families::FamilyStatus, stored::FamilyStatus>();
        stored_as_named::<crate::families::FamilyStatusCause, stored::FamilyStatusCause>();
        stored_as_named::<crate::engine::Urgency, stored::Urgency>();
        stored_as_named::<crate::families::ReferralSource, stored::ReferralSource>();
        stored_as_named::<crate::core::values::CrisisType, stored::CrisisType>();
        stored_as_named::<crate::core::values::LanguageLevel, stored::LanguageLevel>();
        stored_as_named::<crate::engine::VolunteerStatus, stored::VolunteerStatus>();
        stored_as_named::<crate::plans::PlanStatus, stored::PlanStatus>();
        stored_as_named::<crate::plans::GoalStatus, stored::GoalStatus>();
        stored_as_named::<crate::core::values::LifeDomain, stored::LifeDomain>();
        stored_as_named::<crate::engine::InvolvementStatus, stored::InvolvementStatus>();
        stored_as_named::<crate::services::ServiceKind, stored::ServiceKind>();
        stored_as_named::<crate::follow_up::CheckInKind, stored::CheckInKind>();
        stored_as_named::<crate::follow_up::ConcernLevel, stored::ConcernLevel>();
        stored_as_named::<crate::auth::Role, stored::Role>();
        stored_as_named::<crate::privacy::AuditAction, stored::AuditAction>();
    }

    #[test]
    fn a_locale_is_stored_as_its_code() {
        use sea_orm::ActiveEnum;
        for locale in crate::core::locale::Locale::ALL {
            let stored: entity::vocabulary::Locale = locale.into();
            assert_eq!(stored.to_value(), locale.code());
        }
    }
}
