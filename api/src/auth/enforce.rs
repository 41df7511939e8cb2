//! The one enforcement point. [`Enforce`], an async-graphql extension
//! registered in `build_schema`, sees every field of every object before it
//! resolves (root fields of queries, mutations and subscription events
//! included) and looks it up in the [policy](super::policy): no row, no
//! answer (FORBIDDEN); a rule the role alone settles is settled there. A rule
//! that depends on the record is settled by the record's type: its object
//! guard, [`Scoped`], asks the record what the viewer is to it, decides from
//! the same row, marks the field as checked, and notes a read of a family's
//! personal data for the audit. After the field resolved, the extension
//! insists on that mark: a type whose rows depend on the record but that has
//! no guard fails loudly, never silently open.
//!
//! Before every execution (an HTTP request, a WebSocket operation, each event
//! a subscription delivers) the extension has the viewer's relationships
//! worked out again. The reads the guards note go into the request's
//! [`AuditTrail`](crate::core::reads::AuditTrail), which the request pipeline
//! (`app::pipeline`) writes before the answer or the event goes out.

use std::sync::Arc;

use super::{
    Record,
    policy::{self, Access, Decision, Entry},
    relation::{Viewing, Visibility},
};
use crate::{
    auth::Viewer,
    core::error::{ApiError, ApiResult},
    core::locale::tr,
};
use async_graphql::{
    Context, Guard, Response, ServerError, ServerResult, Value,
    extensions::{
        Extension, ExtensionContext, ExtensionFactory, NextExecute, NextResolve, ResolveInfo,
    },
};

/// The object guard of a type whose rows depend on the record:
/// `#[Object(guard = "crate::auth::Scoped(self)")]`.
#[derive(Debug)]
pub struct Scoped<'a, R>(pub &'a R);

impl<R: Record> Guard for Scoped<'_, R> {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        check(ctx, self.0, R::TYPE).await.map_err(Into::into)
    }
}

/// The guard of the subscription root, whose fields are checked when a
/// client subscribes (the extension sees them again with every event).
#[derive(Debug)]
pub struct SubscriptionRoot;

impl Guard for SubscriptionRoot {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        let field = ctx.item.node.name.node.as_str();
        let viewer = ctx.data_opt::<Viewer>();
        match policy::entry("Subscription", field) {
            None => Err(no_row("Subscription", field).into()),
            Some(entry) => by_role(entry, viewer, "Subscription", field).map_err(Into::into),
        }
    }
}

/// What the role alone settles, as an error when it refuses.
fn by_role(entry: &Entry, viewer: Option<&Viewer>, ty: &str, field: &str) -> ApiResult<()> {
    match entry.decision(viewer.map(|v| v.role)) {
        Decision::Allow | Decision::ByRecord => Ok(()),
        Decision::Deny => Err(refused(viewer, ty, field)),
        Decision::SignInFirst => Err(sign_in_first()),
    }
}

fn sign_in_first() -> ApiError {
    ApiError::Unauthenticated(tr!("error-not-signed-in"))
}

fn refused(viewer: Option<&Viewer>, ty: &str, field: &str) -> ApiError {
    match viewer {
        Some(viewer) => ApiError::Forbidden(tr!(
            "error-field-closed-to-role",
            field = format!("{ty}.{field}"),
            role = viewer.role.to_string(),
        )),
        None => sign_in_first(),
    }
}

fn no_row(ty: &str, field: &str) -> ApiError {
    ApiError::Forbidden(tr!(
        "error-field-not-in-policy",
        field = format!("{ty}.{field}")
    ))
}

/// The key of the field `ctx` resolves: its path node's address, which the
/// extension sees as `ResolveInfo::path_node`.
fn field_key(ctx: &Context<'_>) -> Option<usize> {
    ctx.path_node.as_ref().map(|node| node as *const _ as usize)
}

/// Decides whether the viewer may read the field `ctx` resolves of `record`
/// (a field of type `ty`, or a root field taking that record), marks it as
/// checked, and notes a read of the record's family when the row says so.
pub async fn check<R: Record>(ctx: &Context<'_>, record: &R, ty: &str) -> ApiResult<()> {
    let field = ctx.item.node.name.node.as_str();
    let entry = policy::entry(ty, field).ok_or_else(|| no_row(ty, field))?;
    let viewer = ctx.data_opt::<Viewer>();
    // A field of the record's own type is read by its variant's row; a root
    // field that takes the record has one row.
    let variant = if ty == R::TYPE { record.variant() } else { ty };
    let rule = match entry.decision(viewer.map(|v| v.role)) {
        Decision::Deny => return Err(refused(viewer, ty, field)),
        Decision::SignInFirst => return Err(sign_in_first()),
        Decision::Allow if !entry.personal => return Ok(()),
        Decision::Allow => entry.rule(variant),
        Decision::ByRecord => {
            let visibility = visibility(ctx)?;
            if let Some(key) = field_key(ctx) {
                visibility.mark_checked(key);
            }
            let rule = entry.rule(variant).ok_or_else(|| no_row(variant, field))?;
            let (role, relation) = match viewer {
                Some(viewer) if rule.access(viewer.role).always() => (viewer.role, Access::NO),
                Some(viewer) => {
                    let viewing = Viewing {
                        viewer,
                        state: crate::core::state::ContextExt::state(ctx)?,
                        visibility,
                    };
                    (viewer.role, record.relation(field, &viewing).await?)
                }
                None => match record.signed_in_as() {
                    Some(role) => (role, Access::OWN),
                    None => return Err(sign_in_first()),
                },
            };
            if !rule.access(role).grants(relation) {
                return Err(refused(viewer, ty, field));
            }
            Some(rule)
        }
    };
    if rule.is_some_and(|r| r.personal) {
        note_family_read(ctx, record).await?;
    }
    Ok(())
}

/// Like [`check`], for a figure that is null rather than refused when the
/// viewer may not read it.
pub async fn permits<R: Record>(ctx: &Context<'_>, record: &R) -> ApiResult<bool> {
    match check(ctx, record, R::TYPE).await {
        Ok(()) => Ok(true),
        Err(ApiError::Forbidden(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

async fn note_family_read<R: Record>(ctx: &Context<'_>, record: &R) -> ApiResult<()> {
    if ctx.data_opt::<Viewer>().is_none() {
        return Ok(());
    }
    if let Some(family) = record.family(ctx).await? {
        crate::core::reads::note_read(ctx, family);
    }
    Ok(())
}

/// The request's [`Visibility`] (every transport inserts one).
pub fn visibility<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a Visibility> {
    ctx.data_opt::<Visibility>()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("the request carries no Visibility")))
}

/// The viewer reading through the request (UNAUTHENTICATED without one).
pub fn viewing<'a>(ctx: &'a Context<'_>) -> ApiResult<Viewing<'a>> {
    Ok(Viewing {
        viewer: crate::auth::ViewerExt::viewer(ctx)?,
        state: crate::core::state::ContextExt::state(ctx)?,
        visibility: visibility(ctx)?,
    })
}

/// Registers the enforcement point (see the module's documentation).
#[derive(Debug, Default)]
pub struct Enforce;

impl ExtensionFactory for Enforce {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Enforcement)
    }
}

/// The enforcement point itself: it keeps nothing per request.
#[derive(Debug)]
struct Enforcement;

fn server_error(error: ApiError, at: &async_graphql::QueryPathNode<'_>) -> ServerError {
    let mut error = async_graphql::Error::from(error).into_server_error(Default::default());
    error.locations.clear();
    let mut path: Vec<async_graphql::PathSegment> = std::iter::once(at)
        .chain(at.parents())
        .map(|node| match node.segment {
            async_graphql::QueryPathSegment::Name(name) => {
                async_graphql::PathSegment::Field(name.to_owned())
            }
            async_graphql::QueryPathSegment::Index(i) => async_graphql::PathSegment::Index(i),
        })
        .collect();
    path.reverse();
    error.path = path;
    error
}

#[async_trait::async_trait]
impl Extension for Enforcement {
    /// Before every execution (a query, a mutation, each event of a
    /// subscription) the viewer's relationships are worked out again.
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        if let Some(visibility) = ctx.data_opt::<Visibility>() {
            visibility.reset();
        }
        next.run(ctx, operation_name).await
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if info.is_for_introspection
            || info.parent_type.starts_with('[')
            || info.name.starts_with("__")
        {
            return next.run(ctx, info).await;
        }
        let (ty, field, at) = (info.parent_type, info.name, info.path_node);
        let Some(entry) = policy::entry(ty, field) else {
            return Err(server_error(no_row(ty, field), at));
        };
        let viewer = ctx.data_opt::<Viewer>();
        let decision = entry.decision(viewer.map(|v| v.role));
        match decision {
            Decision::Deny => return Err(server_error(refused(viewer, ty, field), at)),
            Decision::SignInFirst => return Err(server_error(sign_in_first(), at)),
            Decision::Allow | Decision::ByRecord => {}
        }
        let resolved = next.run(ctx, info).await;
        let checked = ctx
            .data_opt::<Visibility>()
            .is_some_and(|v| v.take_checked(at as *const _ as usize));
        if decision == Decision::ByRecord && resolved.is_ok() && !checked {
            tracing::error!(
                r#type = ty,
                field,
                "a field whose rule depends on the record resolved without its guard; refused"
            );
            return Err(server_error(
                ApiError::Forbidden(tr!(
                    "error-field-unchecked",
                    field = format!("{ty}.{field}")
                )),
                at,
            ));
        }
        resolved
    }
}

/// Whether the viewer sees `record` at all (a record of which they may read
/// nothing but its ID answers as if it did not exist).
pub async fn sees<R: Record>(ctx: &Context<'_>, record: &R) -> ApiResult<bool> {
    let viewing = viewing(ctx)?;
    sees_as(&viewing, record).await
}

/// [`sees`], for a viewer outside a request's context (a subscription's stream).
pub async fn sees_as<R: Record>(viewing: &Viewing<'_>, record: &R) -> ApiResult<bool> {
    let mask = policy::visible(R::TYPE, viewing.viewer.role);
    if mask.always() {
        return Ok(true);
    }
    if mask.never() {
        return Ok(false);
    }
    Ok(mask.grants(record.relation("", viewing).await?))
}

/// Whether the viewer's role sees records of type `ty` whatever they are to
/// them (services, audit entries).
pub fn sees_all(ctx: &Context<'_>, ty: &str) -> ApiResult<bool> {
    let viewer = crate::auth::ViewerExt::viewer(ctx)?;
    Ok(policy::visible(ty, viewer.role).always())
}

/// FORBIDDEN (naming `path`) unless the viewer's role may use `field` of the
/// filter or input type `ty` ([`Access::OWN`] rows: on their own record,
/// which the caller has checked).
pub fn may_use(ctx: &Context<'_>, ty: &str, field: &str, path: &str) -> ApiResult<()> {
    let viewer = crate::auth::ViewerExt::viewer(ctx)?;
    let allowed = policy::entry(ty, field)
        .map(|e| e.rules.iter().all(|r| !r.access(viewer.role).never()))
        .unwrap_or(false);
    if allowed {
        Ok(())
    } else {
        Err(ApiError::ForbiddenInput {
            field: path.to_owned(),
            message: tr!(
                "error-input-closed-to-role",
                field = path,
                role = viewer.role.to_string(),
            ),
        })
    }
}

/// Whether the viewer sees records of `ty` only when they are their own.
pub fn own_only(viewer: &Viewer, ty: &str) -> bool {
    policy::visible(ty, viewer.role) == Access::OWN
}

/// Whether the viewer's role may read `ty.field` at all (of some record).
pub fn may_read_some(viewer: &Viewer, ty: &str, field: &str) -> bool {
    policy::entry(ty, field).is_some_and(|e| e.decision(Some(viewer.role)) != Decision::Deny)
}

#[cfg(test)]
mod tests {
    use async_graphql::{EmptyMutation, EmptySubscription, Object, Request, Schema, SimpleObject};
    use uuid::Uuid;

    use super::{Enforce, Visibility};
    use crate::auth::{Role, Viewer};

    /// A `Goal` (whose rows depend on the record) without the guard.
    #[derive(SimpleObject)]
    #[graphql(name = "Goal")]
    struct UnguardedGoal {
        description: String,
    }

    struct Query;

    #[Object(name = "Query")]
    impl Query {
        async fn node(&self) -> UnguardedGoal {
            UnguardedGoal {
                description: "Mounir goes to school".to_owned(),
            }
        }
        async fn unlisted(&self) -> i32 {
            1
        }
    }

    async fn run(query: &str, role: Role) -> async_graphql::Response {
        let schema = Schema::build(Query, EmptyMutation, EmptySubscription)
            .extension(Enforce)
            .finish();
        let viewer = Viewer {
            user_id: Uuid::nil(),
            email: "x@example.org".to_owned(),
            name: "X".to_owned(),
            role,
            volunteer_id: Some(Uuid::nil()),
            session_id: Uuid::nil(),
            locale: None,
        };
        let mut response = schema
            .execute(Request::new(query).data(viewer).data(Visibility::default()))
            .await;
        // As the request pipeline sends every error.
        response
            .errors
            .iter_mut()
            .for_each(crate::core::error::render);
        response
    }

    fn codes(response: &async_graphql::Response) -> Vec<String> {
        response
            .errors
            .iter()
            .map(|e| format!("{:?}", e.extensions.as_ref().and_then(|x| x.get("code"))))
            .collect()
    }

    #[tokio::test]
    async fn a_field_whose_rule_depends_on_the_record_is_refused_when_its_type_has_no_guard() {
        let refused = run("{ node { description } }", Role::Volunteer).await;
        assert_eq!(refused.errors.len(), 1, "{refused:?}");
        assert!(
            refused.errors[0]
                .message
                .contains("niets heeft het gecontroleerd")
        );
        assert!(codes(&refused)[0].contains("FORBIDDEN"));
        let staff = run("{ node { description } }", Role::Coordinator).await;
        assert!(
            staff.errors.is_empty(),
            "the role alone decides for staff: {staff:?}"
        );
    }

    #[tokio::test]
    async fn a_field_without_a_row_is_refused_to_everyone() {
        let refused = run("{ unlisted }", Role::Admin).await;
        assert!(
            refused.errors[0]
                .message
                .contains("geen regel in het toegangsbeleid")
        );
        assert!(codes(&refused)[0].contains("FORBIDDEN"));
    }
}
