//! DataLoaders: every relation is fetched in one batched query per request
//! and key type, never once per parent row (no N+1).
//!
//! There is one loader value per request, [`DbLoader`]; each domain module
//! implements `Loader<ItsKey>` for it next to its own queries.

use std::{collections::HashMap, hash::Hash, sync::Arc};

use async_graphql::{
    Context,
    dataloader::{DataLoader, Loader},
};
use sea_orm::{DatabaseConnection, DbErr};

use crate::core::error::{ApiError, ApiResult};

/// Batches the relation queries of one request.
#[derive(Clone, Debug)]
pub struct DbLoader {
    /// The pool the batches run on.
    pub db: DatabaseConnection,
}

/// The per-request DataLoader.
pub type Loaders = DataLoader<DbLoader>;

/// A new DataLoader for one request.
pub fn loaders(db: DatabaseConnection) -> Loaders {
    DataLoader::new(DbLoader { db }, tokio::spawn)
}

/// The error a batch reports to every waiting field.
pub type LoadError = Arc<DbErr>;

/// Loads one key through the request's DataLoader.
pub async fn load<K>(ctx: &Context<'_>, key: K) -> ApiResult<Option<<DbLoader as Loader<K>>::Value>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    DbLoader: Loader<K, Error = LoadError>,
{
    let loaders = ctx
        .data::<Loaders>()
        .map_err(|_| ApiError::internal(anyhow::anyhow!("data loader missing")))?;
    loaders
        .load_one(key)
        .await
        .map_err(|e| ApiError::internal(anyhow::anyhow!("batched load failed: {e}")))
}

/// Groups child rows by their parent key, keeping every requested key (with
/// an empty list when it has no children).
pub fn group_by<K, R>(keys: &[K], rows: Vec<R>, parent: impl Fn(&R) -> K) -> HashMap<K, Vec<R>>
where
    K: Hash + Eq + Clone,
{
    let mut map: HashMap<K, Vec<R>> = keys.iter().map(|k| (k.clone(), Vec::new())).collect();
    for row in rows {
        map.entry(parent(&row)).or_default().push(row);
    }
    map
}
