//! How many WebSockets and operations each client address and each user
//! holds: a slot is taken with a [`Permit`] and given back when the permit
//! is dropped, however the socket or the operation ends.

use std::{
    collections::HashMap,
    hash::Hash,
    net::IpAddr,
    sync::{Arc, Mutex, MutexGuard},
};

use uuid::Uuid;

/// Counts per key.
#[derive(Debug)]
pub(crate) struct Counter<K>(Arc<Mutex<HashMap<K, usize>>>);

impl<K> Default for Counter<K> {
    fn default() -> Self {
        Counter(Arc::default())
    }
}

/// One slot of a [`Counter`], held until dropped.
#[derive(Debug)]
pub(crate) struct Permit<K: Hash + Eq + Copy> {
    counts: Arc<Mutex<HashMap<K, usize>>>,
    key: K,
}

fn counts<K>(counts: &Mutex<HashMap<K, usize>>) -> MutexGuard<'_, HashMap<K, usize>> {
    counts
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl<K: Hash + Eq + Copy> Counter<K> {
    /// A slot for `key`, unless it holds `max` already.
    pub(crate) fn admit(&self, key: K, max: usize) -> Option<Permit<K>> {
        let mut held = counts(&self.0);
        let count = held.entry(key).or_default();
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(Permit {
            counts: self.0.clone(),
            key,
        })
    }
}

impl<K: Hash + Eq + Copy> Drop for Permit<K> {
    fn drop(&mut self) {
        let mut held = counts(&self.counts);
        if let Some(count) = held.get_mut(&self.key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                held.remove(&self.key);
            }
        }
    }
}

/// The WebSocket slots of one server.
#[derive(Debug, Default)]
pub(crate) struct Sockets {
    /// Open sockets per client address.
    pub by_address: Counter<IpAddr>,
    /// Signed-in sockets per user.
    pub by_user: Counter<Uuid>,
    /// Running operations per user, over all their sockets.
    pub operations_by_user: Counter<Uuid>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_comes_back_when_its_permit_is_dropped() {
        let counter = Counter::default();
        let first = counter.admit(1, 2).unwrap();
        let second = counter.admit(1, 2).unwrap();
        assert!(counter.admit(1, 2).is_none());
        assert!(counter.admit(2, 2).is_some());
        drop(first);
        let third = counter.admit(1, 2);
        assert!(third.is_some());
        drop((second, third));
        assert!(counts(&counter.0).get(&1).is_none());
    }
}
