//! [`Rankings`]: rankings already computed, kept exact while volunteers change.
//!
//! A coordinator's screens ask for the same families' best volunteers again and
//! again (the waiting list with its matches, a family's page), and between two asks
//! few volunteers change. `Rankings` keeps each answer of
//! [`MatchIndex::top_k_candidates`] for a family, a `k` and weights, and is told of
//! every change to the index, which it applies to what it keeps:
//! - a volunteer who is in a kept ranking and changes, or leaves the index, makes
//!   that ranking unknown (who would take their place is not kept): it is dropped;
//! - a volunteer who is not in a kept ranking cannot have left it; if they are now
//!   eligible and rank above its last candidate (or the ranking has fewer than `k`),
//!   they take their place, exactly where sorting would put them.
//!
//! Everybody else is as they were when the ranking was computed, so a kept ranking
//! is, bit for bit, what ranking the index again would return. A ranking is only
//! handed out for the same family profile, `k`, weights and policy it was computed
//! with, so a family that changed, or a new day (background checks expire), simply
//! finds nothing kept. The property tests check all of it against fresh rankings.

use std::{collections::HashMap, sync::Arc};

use crate::index::MatchIndex;
use crate::places::{chord, km_to_chord};
use crate::profile::{FamilyProfile, Policy, VolunteerProfile, VolunteerStatus, Weights};
use crate::score::{Candidate, rank_order, score_pair};

/// What a ranking is kept under: the family, `k` and the weights' bits.
type Key = (u128, usize, [u64; 4]);

#[derive(Debug, Clone)]
struct Kept {
    family: FamilyProfile,
    /// The family's home on the unit sphere (for the distance pre-check).
    home: [f64; 3],
    weights: Weights,
    candidates: Arc<[Candidate]>,
    /// When it was last kept or handed out (a tick of [`Rankings::clock`]).
    used_at: u64,
}

/// Rankings of families, kept exact as the index changes (see the module docs).
#[derive(Debug, Clone)]
pub struct Rankings {
    /// The policy every kept ranking was computed under.
    policy: Option<Policy>,
    kept: HashMap<Key, Kept>,
    /// Most candidate places kept, all rankings together (see [`Rankings::slots`]).
    capacity: usize,
    /// Candidate places the kept rankings take now.
    used: usize,
    /// Counts every keep and hand-out, to tell recent rankings from old ones.
    clock: u64,
}

/// The candidate places a ranking for `k` takes: what it may come to hold.
fn slots_of(k: usize) -> usize {
    k.max(1)
}

impl Default for Rankings {
    fn default() -> Self {
        Rankings::with_capacity(Rankings::DEFAULT_CAPACITY)
    }
}

impl Rankings {
    /// Candidate places kept at most by default: a network's waiting list of
    /// 6,000 families with their 10 best each, in some 40 MB (a candidate with its
    /// explanation is about 600 bytes).
    pub const DEFAULT_CAPACITY: usize = 65_536;

    /// Keeps rankings for at most `capacity` candidates in all, a ranking for `k`
    /// counting `k` whether or not it found that many (0 keeps none). When a new
    /// ranking does not fit, the half that was used least recently makes way.
    pub fn with_capacity(capacity: usize) -> Rankings {
        Rankings {
            policy: None,
            kept: HashMap::new(),
            capacity,
            used: 0,
            clock: 0,
        }
    }

    /// How many rankings are kept.
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    /// Candidate places the kept rankings take (at most the capacity).
    pub fn slots(&self) -> usize {
        self.used
    }

    fn recount(&mut self) {
        self.used = self.kept.keys().map(|&(_, k, _)| slots_of(k)).sum();
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    /// Forgets every ranking.
    pub fn clear(&mut self) {
        self.kept.clear();
        self.used = 0;
    }

    /// The kept ranking of `family` for `k` and `weights`, if it was computed for
    /// this very profile under `policy` (shared, not copied).
    pub fn get(
        &mut self,
        family: &FamilyProfile,
        k: usize,
        weights: &Weights,
        policy: &Policy,
    ) -> Option<Arc<[Candidate]>> {
        if self.policy.as_ref() != Some(policy) {
            return None;
        }
        self.clock += 1;
        let kept = self.kept.get_mut(&(family.id, k, weights.bits()))?;
        if kept.family != *family {
            return None;
        }
        kept.used_at = self.clock;
        Some(kept.candidates.clone())
    }

    /// Drops the half of the kept rankings that was used least recently.
    fn drop_older_half(&mut self) {
        let mut ticks: Vec<u64> = self.kept.values().map(|k| k.used_at).collect();
        // Ticks are unique: the older half is every ranking up to the
        // (len / 2)-th oldest (all of them when one is kept).
        let Some(last_dropped) = (ticks.len() / 2).checked_sub(1) else {
            self.clear();
            return;
        };
        let (_, newest_dropped, _) = ticks.select_nth_unstable(last_dropped);
        let newest_dropped = *newest_dropped;
        self.kept.retain(|_, kept| kept.used_at > newest_dropped);
        self.recount();
    }

    /// Keeps `candidates`, which must be what `index.top_k_candidates(family, k,
    /// weights, policy)` returned for the index as it is now (the caller holds it so
    /// that no change comes in between). A new policy forgets every other ranking.
    pub fn keep(
        &mut self,
        family: &FamilyProfile,
        k: usize,
        weights: &Weights,
        policy: &Policy,
        candidates: Arc<[Candidate]>,
    ) {
        let needs = slots_of(k);
        if needs > self.capacity {
            return;
        }
        if self.policy.as_ref() != Some(policy) {
            self.clear();
            self.policy = Some(policy.clone());
        }
        let key = (family.id, k, weights.bits());
        if self.kept.remove(&key).is_some() {
            self.used -= needs;
        }
        while self.used + needs > self.capacity && !self.kept.is_empty() {
            self.drop_older_half();
        }
        self.used += needs;
        self.clock += 1;
        self.kept.insert(
            key,
            Kept {
                family: family.clone(),
                home: family.home.unit_vector(),
                weights: *weights,
                candidates,
                used_at: self.clock,
            },
        );
    }

    /// The index now holds `volunteer` in place of whatever it held under that id
    /// (call after [`MatchIndex::upsert`]).
    pub fn volunteer_changed(&mut self, volunteer: &VolunteerProfile) {
        let Some(policy) = self.policy.clone() else {
            return;
        };
        let id = volunteer.id;
        // Nobody takes a family while not ACTIVE or at capacity: then the change
        // only matters to the rankings they were in.
        let can_take = volunteer.status == VolunteerStatus::Active
            && volunteer.current_load < volunteer.capacity;
        let home = volunteer.home.unit_vector();
        // A little beyond the travel distance, far above rounding: pairs further
        // apart than this are TOO_FAR whatever the exact distance says.
        let reach = (volunteer.max_travel_km >= 0.0)
            .then(|| km_to_chord(volunteer.max_travel_km) * (1.0 + 1e-6) + 1e-9);
        self.kept.retain(|&(_, k, _), kept| {
            if kept.candidates.iter().any(|c| c.volunteer_id == id) {
                return false;
            }
            if !can_take || reach.is_some_and(|reach| chord(&kept.home, &home) > reach) {
                return true;
            }
            let Ok(candidate) = score_pair(&kept.family, volunteer, &kept.weights, &policy) else {
                return true;
            };
            let key = |c: &Candidate| (c.score, c.distance_km, c.volunteer_id);
            let at = kept
                .candidates
                .partition_point(|c| rank_order(key(c), key(&candidate)).is_lt());
            if at < k {
                let mut candidates = kept.candidates.to_vec();
                candidates.insert(at, candidate);
                candidates.truncate(k);
                kept.candidates = candidates.into();
            }
            true
        });
        self.recount();
    }

    /// The index no longer holds volunteer `id` (call after [`MatchIndex::remove`]).
    pub fn volunteer_removed(&mut self, id: u128) {
        self.kept
            .retain(|_, kept| !kept.candidates.iter().any(|c| c.volunteer_id == id));
        self.recount();
    }

    /// The ranking of `family` for `k` and `weights`: the kept one, or a fresh one
    /// from `index`, then kept (the same as [`MatchIndex::top_k_candidates`]).
    pub fn top_k_candidates(
        &mut self,
        index: &MatchIndex,
        family: &FamilyProfile,
        k: usize,
        weights: &Weights,
        policy: &Policy,
    ) -> Arc<[Candidate]> {
        if let Some(kept) = self.get(family, k, weights, policy) {
            return kept;
        }
        let candidates: Arc<[Candidate]> =
            index.top_k_candidates(family, k, weights, policy).into();
        self.keep(family, k, weights, policy, candidates.clone());
        candidates
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places::Coordinates;
    use crate::profile::{CrisisSet, Day, Urgency};
    use crate::week::WeekMask;

    fn family(id: u128) -> FamilyProfile {
        FamilyProfile {
            id,
            languages: Vec::new(),
            preferred_language: None,
            home: Coordinates::new(50.85, 4.35).unwrap(),
            needed_availability: WeekMask::default(),
            crisis_types: CrisisSet::default(),
            urgency: Urgency::Normal,
            referred_on: Day(0),
            parted: Vec::new(),
        }
    }

    #[test]
    fn rankings_asked_for_recently_outlive_a_flood_of_new_ones() {
        let policy = Policy::with_today(Day(20_000));
        let weights = Weights::default();
        let mut rankings = Rankings::with_capacity(100);
        let none: Arc<[Candidate]> = Arc::from(Vec::new());
        for id in 0..5 {
            rankings.keep(&family(id), 10, &weights, &policy, none.clone());
        }
        for id in 1000..2000 {
            for asked in 0..5 {
                assert!(
                    rankings
                        .get(&family(asked), 10, &weights, &policy)
                        .is_some(),
                    "ranking {asked} was dropped by the flood at {id}"
                );
            }
            rankings.keep(&family(id), 10, &weights, &policy, none.clone());
            assert!(rankings.slots() <= 100);
        }
    }
}
