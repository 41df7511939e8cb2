//! `languages`: look-ups in the language catalogue of the matching crate.

use async_graphql::{Context, Object};

use crate::auth::ViewerExt;
use crate::{
    core::error::{ApiError, ApiResult},
    core::locale::tr,
    core::values::Language,
};

/// Catalogue queries.
#[derive(Default, Debug)]
pub struct CatalogueQuery;

#[Object]
impl CatalogueQuery {
    /// The network's training catalogue.
    async fn training_modules(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Vec<crate::volunteers::TrainingModule>> {
        ctx.viewer()?;
        Ok(matching::TRAINING_MODULES
            .iter()
            .map(crate::volunteers::TrainingModule::from)
            .collect())
    }

    /// Languages whose code or name resembles `search` (best first).
    async fn languages(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A code or a name in Dutch, French or English; typos tolerated.")] search: String,
        #[graphql(default = 5, desc = "At most this many.")] first: Option<i32>,
    ) -> ApiResult<Vec<Language>> {
        ctx.viewer()?;
        let first = first.unwrap_or(5);
        if !(0..=100).contains(&first) {
            return Err(ApiError::bad_input(
                "first",
                tr!("error-between", field = "first", min = 0, max = 100),
            ));
        }
        if search.chars().count() > 100 {
            return Err(ApiError::bad_input(
                "search",
                tr!("error-too-long", field = "search", max = 100),
            ));
        }
        Ok(matching::search(&search, first as usize)
            .into_iter()
            .map(Language::from)
            .collect())
    }
}
