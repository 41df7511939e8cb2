//! What the other domains ask of families, each answered from the register
//! while it is trusted and from the database otherwise: one family
//! ([`find`]; [`load_one`] adds the access policy), the family of a plan,
//! and a family's matching profile (noted as a read of the family when a
//! viewer asks for it), or those of the waiting families.

use async_graphql::Context;
use uuid::Uuid;

use super::{Family, FamilyById, queries, register};
use crate::engine::family_profile;
use crate::{
    core::error::{ApiError, ApiResult},
    core::loaders::load,
    core::state::{AppState, ContextExt},
};

/// One (not erased) family, whoever reads: from the register, or through
/// the request's DataLoader while the register is not trusted. `None` for
/// an unknown or erased family.
pub async fn find(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Family>> {
    register::shared(ctx.state()?)?
        .answer(
            |register| Some(Ok(register.get(id).map(Family::Registered))),
            async { Ok(load(ctx, FamilyById(id)).await?.map(Family::from_row)) },
        )
        .await
}

/// Loads one (not erased) family the viewer may see ([`find`], then the
/// access policy).
pub async fn load_one(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Family>> {
    match find(ctx, id).await? {
        Some(family) if crate::auth::sees(ctx, &family).await? => Ok(Some(family)),
        _ => Ok(None),
    }
}

/// The family of plan `plan`: from the register's index of plans, or
/// through the request's DataLoader while the register is not trusted (or
/// does not know the plan).
pub async fn family_of_plan(ctx: &Context<'_>, plan: Uuid) -> ApiResult<Option<Uuid>> {
    register::shared(ctx.state()?)?
        .answer(
            |register| register.family_of_plan(plan).map(|family| Ok(Some(family))),
            async {
                Ok(load(ctx, crate::plans::PlanById(plan))
                    .await?
                    .map(|p| p.family_id))
            },
        )
        .await
}

/// A family's matching profile, not noted as a read (for jobs and for
/// [`profile_for_matching`]): from the register, or from the database while
/// the register is not trusted or cannot make one of the stored row
/// (NOT_FOUND for unknown or erased families).
pub async fn matching_profile(state: &AppState, id: Uuid) -> ApiResult<matching::FamilyProfile> {
    register::shared(state)?
        .answer(
            |register| match register.get(id) {
                None => Some(Err(ApiError::not_found("Family"))),
                Some(record) => record.profile.clone().map(Ok),
            },
            async { Ok(crate::engine::family_profile_of(&state.db, id).await?.1) },
        )
        .await
}

/// A family's matching profile, read for the viewer (and so noted as a
/// read of the family: rankings and distances give its home, languages and
/// crisis types away). NOT_FOUND for unknown or erased families.
pub async fn profile_for_matching(
    ctx: &Context<'_>,
    family_id: Uuid,
) -> ApiResult<matching::FamilyProfile> {
    let profile = matching_profile(ctx.state()?, family_id).await?;
    crate::audit::note_read(ctx, family_id);
    Ok(profile)
}

/// The matching profiles of the WAITING families (of `only`, when given), in
/// key order, read for the viewer (each noted as a read of its family).
pub async fn waiting_profiles_for_matching(
    ctx: &Context<'_>,
    only: Option<Vec<Uuid>>,
) -> ApiResult<Vec<matching::FamilyProfile>> {
    let state = ctx.state()?;
    let (families, languages) = queries::waiting_with_languages(&state.db, only).await?;
    let ids: Vec<Uuid> = families.iter().map(|f| f.id).collect();
    let mut parted = crate::engine::parted_with(&state.db, Some(&ids)).await?;
    let mut profiles = Vec::with_capacity(families.len());
    for family in &families {
        let rows = languages
            .get(&family.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        profiles.push(family_profile(
            family,
            rows,
            parted.remove(&family.id).unwrap_or_default(),
        )?);
        crate::audit::note_read(ctx, family.id);
    }
    Ok(profiles)
}
