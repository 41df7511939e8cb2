//! [`ReadModel`]: records held in memory, kept current from the changes,
//! and trusted only while they can be vouched for.
//!
//! What a model holds (the roster of volunteers, the register of families)
//! says what is particular to it as a [`RecordKind`]: how to read some or
//! all of its records from the database, what names a record, and how it
//! (the records and whatever index reads need) takes one in or lets one go.
//! The generic part owns the rest, once for every kind:
//! - loading everything at start (a failure there fails the start);
//! - refreshing the records a committed change names, and reloading
//!   everything after an import or lost notifications, one refresh at a
//!   time, so that an older read is never stored over a newer one;
//! - the trust flag, and what a failed refresh does (below);
//! - retrying with back-off, and the count of failed refreshes in the
//!   metrics (`tandem_read_model_refresh_failures_total{model}`).
//!
//! A refresh runs after its write committed, so a failed read does not fail
//! the write. Instead the model stops being trusted: its memory is emptied
//! at once (the write may have changed anything it held of those records,
//! and what it holds of the others may be older than the write's), reads go
//! to the database through the one fork, [`ReadModel::answer`] (and
//! [`ReadModel::trusted`] answers `None`), and a reload of everything is retried in the
//! background, 100 ms after the failure and twice as long after each next
//! one, up to [`RETRY_AT_MOST`], until it succeeds and the model is trusted
//! again. Of the two ways the roster and the register used to handle a
//! failed refresh (the roster kept the records it could not read again for
//! reads, and only took them out of matching), this is the safer one: a
//! record that may be stale is never served as if it were current.

use std::{
    ops::Deref,
    sync::{
        Arc, RwLock, RwLockReadGuard,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use sea_orm::DatabaseConnection;

use super::{Change, Handler};
use crate::core::{
    error::{ApiError, ApiResult},
    state::AppState,
};

/// Longest wait between two attempts of a failed reload.
pub const RETRY_AT_MOST: Duration = Duration::from_secs(5);

/// The first wait after a failed refresh.
const RETRY_FIRST: Duration = Duration::from_millis(100);

/// What a [`ReadModel`] holds in memory: the records of one kind, and
/// whatever index reads need; and what is particular to that kind.
pub trait RecordKind: Default + Send + Sync + 'static {
    /// What names one record (an id).
    type Key: Copy + Eq + Send + Sync + std::fmt::Debug + 'static;
    /// One record as read from the database.
    type Record: Send + 'static;

    /// How logs and metrics name the model (`roster`, `register`).
    const NAME: &'static str;

    /// The record of this kind that `change` names, if it names one.
    fn changed(change: &Change) -> Option<Self::Key>;

    /// The key of `record`.
    fn key(record: &Self::Record) -> Self::Key;

    /// Reads the records `keys` (every record when `None`) from the
    /// database; a key with no record is left out.
    fn load(
        db: &DatabaseConnection,
        keys: Option<&[Self::Key]>,
    ) -> impl Future<Output = ApiResult<Vec<Self::Record>>> + Send;

    /// Memory holding `records` and nothing else.
    fn build(records: Vec<Self::Record>) -> Self;

    /// Puts `record` in place of what it held of that key.
    fn insert(&mut self, record: Self::Record);

    /// Takes the record of `key` out.
    fn remove(&mut self, key: Self::Key);

    /// How many records it holds.
    fn len(&self) -> usize;
}

/// Memory, and whether it can be vouched for.
struct Held<M> {
    trusted: bool,
    memory: M,
}

struct Shared<K: RecordKind> {
    held: RwLock<Held<K>>,
    /// Held by every refresh, reload and retry: one at a time.
    refreshing: tokio::sync::Mutex<()>,
    /// A retry runs in the background (set and cleared under `refreshing`).
    retrying: AtomicBool,
}

/// Records of kind `K` held in memory: see the module documentation. Cheap
/// to clone (every clone is the same model); a part of the application
/// state and a handler on the change bus.
pub struct ReadModel<K: RecordKind> {
    shared: Arc<Shared<K>>,
}

impl<K: RecordKind> Clone for ReadModel<K> {
    fn clone(&self) -> Self {
        ReadModel {
            shared: self.shared.clone(),
        }
    }
}

impl<K: RecordKind> std::fmt::Debug for ReadModel<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadModel")
            .field("model", &K::NAME)
            .field("records", &self.len())
            .finish_non_exhaustive()
    }
}

impl<K: RecordKind> Default for ReadModel<K> {
    /// An empty model, trusted.
    fn default() -> Self {
        ReadModel::new(K::default())
    }
}

/// A read of a trusted model's memory (reads wait while a refresh stores).
pub struct Trusted<'a, K: RecordKind>(RwLockReadGuard<'a, Held<K>>);

impl<K: RecordKind> std::fmt::Debug for Trusted<'_, K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trusted")
            .field("model", &K::NAME)
            .finish_non_exhaustive()
    }
}

impl<K: RecordKind> Deref for Trusted<'_, K> {
    type Target = K;

    fn deref(&self) -> &K {
        &self.0.memory
    }
}

/// Why a refresh did not store: the database read failed (retried), or the
/// lock is poisoned (not retried: the process is broken).
enum Failed {
    Read(ApiError),
    Poisoned,
}

impl<K: RecordKind> ReadModel<K> {
    /// A model holding `memory`, trusted.
    pub fn new(memory: K) -> Self {
        ReadModel {
            shared: Arc::new(Shared {
                held: RwLock::new(Held {
                    trusted: true,
                    memory,
                }),
                refreshing: tokio::sync::Mutex::new(()),
                retrying: AtomicBool::new(false),
            }),
        }
    }

    /// Every record, read from `db` (at start: a failure fails the start).
    pub async fn load(db: &DatabaseConnection) -> ApiResult<Self> {
        Ok(ReadModel::new(K::build(K::load(db, None).await?)))
    }

    /// The memory, while it can be vouched for; `None` sends the caller to
    /// the database (and so does a poisoned lock).
    pub fn trusted(&self) -> Option<Trusted<'_, K>> {
        self.shared
            .held
            .read()
            .ok()
            .filter(|held| held.trusted)
            .map(Trusted)
    }

    /// The one fork between memory and the database for records of this
    /// kind: what `memory` answers while the model is trusted, unless it
    /// has no answer (`None`: what it holds cannot settle the question),
    /// else what `database` reads. The memory is let go before the database
    /// is read.
    pub async fn answer<T>(
        &self,
        memory: impl FnOnce(&K) -> Option<ApiResult<T>>,
        database: impl Future<Output = ApiResult<T>>,
    ) -> ApiResult<T> {
        let remembered = self.trusted().and_then(|held| memory(&held));
        match remembered {
            Some(answer) => answer,
            None => database.await,
        }
    }

    /// How many records it holds (0 while it is not trusted).
    pub fn len(&self) -> usize {
        self.trusted().map_or(0, |memory| memory.len())
    }

    /// Reads `keys` again into memory (a key the read does not find leaves
    /// it). Called after every commit that changes such a record; a failed
    /// read does not fail it (see the module documentation).
    pub async fn refresh(&self, state: &AppState, keys: &[K::Key]) -> ApiResult<()> {
        if keys.is_empty() {
            return Ok(());
        }
        let _one_at_a_time = self.shared.refreshing.lock().await;
        if self.trusted().is_none() {
            // A reload is being retried; it reads these records too.
            return Ok(());
        }
        let stored = match K::load(&state.db, Some(keys)).await {
            Ok(records) => self.store(|memory| replace(memory, keys, records)),
            Err(e) => Err(Failed::Read(e)),
        };
        self.settle(state, stored, Some(keys.len()))
    }

    /// Reads every record again (after an import, or after notifications
    /// from other processes may have been lost), and trusts the model again.
    pub async fn reload(&self, state: &AppState) -> ApiResult<()> {
        let _one_at_a_time = self.shared.refreshing.lock().await;
        let stored = self.reload_locked(state).await;
        self.settle(state, stored, None)
    }

    async fn reload_locked(&self, state: &AppState) -> Result<(), Failed> {
        let records = K::load(&state.db, None).await.map_err(Failed::Read)?;
        let mut held = self.shared.held.write().map_err(|_| Failed::Poisoned)?;
        *held = Held {
            trusted: true,
            memory: K::build(records),
        };
        Ok(())
    }

    fn store(&self, change: impl FnOnce(&mut K)) -> Result<(), Failed> {
        let mut held = self.shared.held.write().map_err(|_| Failed::Poisoned)?;
        change(&mut held.memory);
        Ok(())
    }

    /// After a refresh of `count` records (every record when `None`), with
    /// the refresh lock held: a failed read distrusts the model and starts
    /// the retry.
    fn settle(
        &self,
        state: &AppState,
        stored: Result<(), Failed>,
        count: Option<usize>,
    ) -> ApiResult<()> {
        match stored {
            Ok(()) => Ok(()),
            Err(Failed::Poisoned) => Err(self.poisoned()),
            Err(Failed::Read(e)) => {
                tracing::warn!(
                    error = %e.cause(),
                    model = K::NAME,
                    records = count,
                    "could not read records again; reads go to the database until a reload succeeds"
                );
                state.metrics.refresh_failed(K::NAME);
                let mut held = self.shared.held.write().map_err(|_| self.poisoned())?;
                *held = Held {
                    trusted: false,
                    memory: K::default(),
                };
                drop(held);
                self.retry_in_background(state.clone());
                Ok(())
            }
        }
    }

    fn poisoned(&self) -> ApiError {
        ApiError::internal(anyhow::anyhow!("the {} lock is poisoned", K::NAME))
    }

    /// Reloads until it works (see the module documentation); one retry at
    /// a time. Each attempt holds the refresh lock, and stops as soon as the
    /// model is trusted again (another reload succeeded).
    fn retry_in_background(&self, state: AppState) {
        if self.shared.retrying.swap(true, Ordering::SeqCst) {
            return;
        }
        let model = self.clone();
        tokio::spawn(async move {
            let mut wait = RETRY_FIRST;
            loop {
                tokio::time::sleep(wait).await;
                let _one_at_a_time = model.shared.refreshing.lock().await;
                let trusted = model.trusted().is_some();
                let stored = if trusted {
                    Ok(())
                } else {
                    model.reload_locked(&state).await
                };
                match stored {
                    Ok(()) => {
                        model.shared.retrying.store(false, Ordering::SeqCst);
                        tracing::info!(model = K::NAME, "reloaded on retry");
                        return;
                    }
                    Err(Failed::Poisoned) => {
                        tracing::error!(model = K::NAME, "lock poisoned; giving up the retry");
                        return;
                    }
                    Err(Failed::Read(e)) => {
                        state.metrics.refresh_failed(K::NAME);
                        tracing::warn!(error = %e.cause(), model = K::NAME, "reload failed again; retrying");
                    }
                }
                wait = (wait * 2).min(RETRY_AT_MOST);
            }
        });
    }
}

/// Puts `records`, a fresh read of `keys`, in place of what `memory` held
/// of `keys`; a key the read did not find is removed.
fn replace<K: RecordKind>(memory: &mut K, keys: &[K::Key], records: Vec<K::Record>) {
    for key in keys {
        if !records.iter().any(|r| K::key(r) == *key) {
            memory.remove(*key);
        }
    }
    for record in records {
        memory.insert(record);
    }
}

/// Keeps the model current: the records a change names are read again,
/// and every record after an import or lost notifications.
#[async_trait::async_trait]
impl<K: RecordKind> Handler for ReadModel<K> {
    async fn apply(&self, state: &AppState, changes: &[Change]) -> ApiResult<()> {
        let keys: Vec<K::Key> = changes.iter().filter_map(K::changed).collect();
        self.refresh(state, &keys).await?;
        if changes.contains(&Change::Reload) {
            self.reload(state).await?;
        }
        Ok(())
    }

    async fn resync(&self, state: &AppState) -> ApiResult<()> {
        self.reload(state).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A model of numbers, enough to ask [`ReadModel::answer`] questions.
    #[derive(Default)]
    struct Numbers(Vec<u32>);

    impl RecordKind for Numbers {
        type Key = u32;
        type Record = u32;

        const NAME: &'static str = "numbers";

        fn changed(_: &Change) -> Option<u32> {
            None
        }

        fn key(record: &u32) -> u32 {
            *record
        }

        async fn load(_: &DatabaseConnection, _: Option<&[u32]>) -> ApiResult<Vec<u32>> {
            Ok(Vec::new())
        }

        fn build(records: Vec<u32>) -> Numbers {
            Numbers(records)
        }

        fn insert(&mut self, record: u32) {
            self.0.push(record);
        }

        fn remove(&mut self, key: u32) {
            self.0.retain(|n| *n != key);
        }

        fn len(&self) -> usize {
            self.0.len()
        }
    }

    /// Whether `n` is held, answered from memory only when it is; the
    /// database (here) always says no.
    async fn holds(model: &ReadModel<Numbers>, n: u32) -> ApiResult<bool> {
        model
            .answer(
                |numbers| numbers.0.contains(&n).then_some(Ok(true)),
                async { Ok(false) },
            )
            .await
    }

    #[tokio::test]
    async fn memory_answers_while_trusted_and_the_database_when_it_cannot() -> ApiResult<()> {
        let model = ReadModel::new(Numbers(vec![1]));
        assert!(holds(&model, 1).await?, "trusted memory answers");
        assert!(
            !holds(&model, 2).await?,
            "memory without an answer: the database"
        );
        if let Ok(mut held) = model.shared.held.write() {
            held.trusted = false;
        }
        assert!(!holds(&model, 1).await?, "memory not trusted: the database");
        Ok(())
    }
}
