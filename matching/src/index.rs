//! [`MatchIndex`]: every volunteer in memory, ready to rank for any family.
//!
//! # Layout
//! Volunteers live in a struct of arrays, one slot each (a removed volunteer's slot is
//! reused; [`MatchIndex::build`] lays slots out in Z-order of the homes, so neighbours
//! share cache lines, and those who can take a family come first): a 24-byte record of
//! what the hard rules read, a 152-byte record of what scoring reads (the weekly
//! availability included), and the cold fields `get` needs.
//!
//! Volunteers who can take a family at all (ACTIVE and below capacity) form the *pool*:
//! - the pool's check dates, training bits and language bits, as dense arrays for the
//!   counting pass;
//! - rstar R-trees of their homes as unit-sphere points (x, y, z), one per *reach
//!   class* (travel distances up to 1, 1.25, 1.5, 2, ... 100 km, then unbounded). A
//!   query walks each class's tree down to the nodes within the class's bound of the
//!   family (a chord on the unit sphere, so the filter is exact for great-circle
//!   distances), which yields everyone in the class who could reach the family, and
//!   few others. Each tree entry carries a copy of the rule fields and three-hour time
//!   blocks, so most volunteers a query meets are judged without leaving the tree.
//!
//! # Exactness
//! [`MatchIndex::top_k`] returns exactly what scoring every volunteer with
//! [`explain`](crate::score::explain) returns, exclusion counts included:
//! - NOT_ACTIVE is a counter; among ACTIVE volunteers at capacity, AT_CAPACITY and
//!   BACKGROUND_CHECK_MISSING_OR_EXPIRED come from a map of check dates (a range count);
//! - the pool is counted by one branch-free pass into expired checks,
//!   MISSING_REQUIRED_TRAINING, NO_SHARED_LANGUAGE and the rest, and the family's
//!   involvements are moved to ALREADY_INVOLVED from a family -> volunteers map;
//! - of the rest, those the trees do not return are TOO_FAR; those returned are checked
//!   exactly (the f32 points decide reach unless within a few metres of the edge, where
//!   the exact distance does), and the eligible ones are scored into a bounded heap. A
//!   pair whose score, bounded from above without the `asin` of its distance, cannot
//!   enter the heap is not scored further.
//!
//! [`MatchIndex::top_k_candidates`] returns exactly the candidates of `top_k` without
//! the counts, so it may skip whole boxes of the trees: a box's members are at least
//! its distance from the family and travel at most their class's bound, so none scores
//! above a bound computed from the box alone (full marks for the other criteria, or
//! what the family leaves possible). A box whose bound is strictly below the score of
//! the `k`-th best pair found so far holds nobody who could enter the heap, and is not
//! opened; nor is an entry whose bound from its languages and time blocks falls short
//! (see `BestWalk`). The rest are judged by the same code as in `top_k`. Boxes are
//! skipped mostly when location weighs heavily: under the default weights the other
//! criteria alone allow 0.75, more than a typical 10th-best score, and the saving is
//! mostly in entries skipped before their records are read.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};
use std::hash::{BuildHasherDefault, Hasher};

use rstar::{AABB, ParentNode, RStarInsertionStrategy, RTree, RTreeNode, RTreeObject, RTreeParams};

use crate::places::{Coordinates, chord, chord_to_km, km_to_chord};
use crate::profile::{
    CrisisSet, CrisisType, Day, FamilyProfile, Policy, VolunteerProfile, VolunteerStatus, Weights,
    normalize_module,
};
use crate::score::{
    Candidate, Ceiling, ExclusionReason, FamilyContext, LanguageSkills, Measure, VolunteerFacts,
    candidate, complete, measure, partial, rank_order, rough_upper_bound, time_criterion,
    upper_bound, within_reach,
};
use crate::week::WeekMask;

/// Hashes the index's keys (volunteer and family UUIDs, slot numbers) with one
/// multiply-xorshift round instead of SipHash: the keys come from the server, not from
/// an adversary, and building the index hashes every id.
#[derive(Debug, Clone, Copy, Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01B3);
        }
    }

    fn write_u16(&mut self, i: u16) {
        self.write_u64(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0 ^ i).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write_u128(&mut self, i: u128) {
        self.write_u64(i as u64 ^ (i >> 64) as u64);
    }

    fn finish(&self) -> u64 {
        let h = self.0;
        h ^ (h >> 32)
    }
}

type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// The ranked answer for one family.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchResult {
    /// The best eligible volunteers, best first (score, then distance, then id).
    pub candidates: Vec<Candidate>,
    /// How many volunteers each hard rule left out, by the first rule they failed; only
    /// non-zero counts, in rule order.
    pub excluded: Vec<(ExclusionReason, u32)>,
    /// How many volunteers were looked at: everyone in the index.
    pub considered: u32,
}

const LIVE: u8 = 1;
const ACTIVE: u8 = 2;
const AT_CAPACITY: u8 = 4;
/// Check date of a volunteer without a background check.
const NO_CHECK: i32 = i32::MIN;
/// `pool_pos` of a volunteer outside the pool.
const NOT_POOLED: u32 = u32::MAX;
/// Widening of every query radius, in unit-sphere units (about 6 m), far above the
/// rounding error of the distance computations and of the f32 homes in the trees.
const REACH_MARGIN: f64 = 1e-6;
/// Relative band around a reach's chord inside which the exact distance decides.
const REACH_BAND: f64 = 1e-6;

/// R-tree node sizes: wider nodes than rstar's default (6) make for shallower trees.
#[derive(Debug, Clone, Copy)]
struct ReachParams;

impl RTreeParams for ReachParams {
    const MIN_SIZE: usize = 5;
    const MAX_SIZE: usize = 16;
    const REINSERTION_COUNT: usize = 4;
    type DefaultInsertionStrategy = RStarInsertionStrategy;
}

/// Upper bounds of the reach classes, in km (steps of about 1.25, round numbers
/// included): each class has an R-tree of its members' homes, queried with the class's
/// bound as radius, so a query returns roughly the volunteers who travel as far as the
/// family (never fewer).
const REACH_CLASSES_KM: [f64; 22] = [
    1.0,
    1.25,
    1.5,
    2.0,
    2.5,
    3.0,
    4.0,
    5.0,
    6.0,
    8.0,
    10.0,
    12.5,
    15.0,
    20.0,
    25.0,
    30.0,
    40.0,
    50.0,
    60.0,
    80.0,
    100.0,
    f64::INFINITY,
];

fn reach_class(max_travel_km: f64) -> usize {
    REACH_CLASSES_KM
        .iter()
        .position(|bound| max_travel_km <= *bound)
        .unwrap_or(REACH_CLASSES_KM.len() - 1)
}

/// A pooled volunteer in the R-tree of their reach class: their home on the unit
/// sphere rounded to f32, the chord of their travel distance, and copies of what the
/// hard rules read (check date as an [`ordered_day`], training and language bits, time
/// blocks), so most volunteers a query meets are judged without leaving the tree.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Reach {
    spoken: [u64; 2],
    point: [f32; 3],
    chord: f32,
    slot: u32,
    checked: u32,
    /// [`WeekMask::coarse`] of the availability.
    time_blocks: u64,
    trainings: u16,
}

/// Bound on the chord error from the f32 rounding of a unit-sphere point.
const POINT_ERROR: f64 = 2e-7;

impl Reach {
    /// `None` for a volunteer who reaches nobody (NaN or negative travel distance).
    fn new(
        home: &Coordinates,
        max_travel_km: f64,
        slot: u32,
        rules: &Rules,
        availability: &WeekMask,
    ) -> Option<Reach> {
        if max_travel_km.is_nan() || max_travel_km < 0.0 {
            return None;
        }
        Some(Reach {
            spoken: rules.spoken,
            point: home.unit_vector().map(|c| c as f32),
            chord: km_to_chord(max_travel_km) as f32,
            slot,
            checked: ordered_day(rules.background),
            time_blocks: availability.coarse(),
            trainings: rules.trainings,
        })
    }

    fn spoken(&self) -> u128 {
        u128::from(self.spoken[0]) | u128::from(self.spoken[1]) << 64
    }

    /// The squared chord from `xyz` to the rounded home; its root is within
    /// [`POINT_ERROR`] of the exact chord.
    fn rough_chord_squared(&self, xyz: &[f64; 3]) -> f64 {
        let [x, y, z] = self.point.map(f64::from);
        let (dx, dy, dz) = (xyz[0] - x, xyz[1] - y, xyz[2] - z);
        dx * dx + dy * dy + dz * dz
    }

    /// `Some(answer)` when the rough chord settles whether the home is within the travel
    /// distance, `None` when it is too close to the edge to tell.
    fn clearly_reaches(&self, rough_chord_squared: f64) -> Option<bool> {
        let edge = f64::from(self.chord);
        let slack = POINT_ERROR + edge * REACH_BAND;
        let (inner, outer) = (edge - slack, edge + slack);
        if inner > 0.0 && rough_chord_squared < inner * inner {
            Some(true)
        } else if rough_chord_squared > outer * outer {
            Some(false)
        } else {
            None
        }
    }
}

impl RTreeObject for Reach {
    type Envelope = AABB<[f32; 3]>;

    fn envelope(&self) -> Self::Envelope {
        AABB::from_point(self.point)
    }
}

/// A day as an order-preserving `u32` (`i32::MIN` -> 0), so a range test is one
/// wrapping subtraction.
fn ordered_day(day: i32) -> u32 {
    (day as u32) ^ 0x8000_0000
}

/// Position of a point on a Z-order (Morton) curve over latitude and longitude.
fn z_order(c: &Coordinates) -> u64 {
    fn spread(mut x: u64) -> u64 {
        x &= 0xFFFF_FFFF;
        x = (x | x << 16) & 0x0000_FFFF_0000_FFFF;
        x = (x | x << 8) & 0x00FF_00FF_00FF_00FF;
        x = (x | x << 4) & 0x0F0F_0F0F_0F0F_0F0F;
        x = (x | x << 2) & 0x3333_3333_3333_3333;
        (x | x << 1) & 0x5555_5555_5555_5555
    }
    let lat = ((c.latitude() + 90.0) / 180.0 * f64::from(u32::MAX)) as u64;
    let lon = ((c.longitude() + 180.0) / 360.0 * f64::from(u32::MAX)) as u64;
    spread(lat) << 1 | spread(lon)
}

/// Calls `visit` with every entry under `node` whose subtree's box comes within
/// `sqrt(radius_squared)` of `xyz` (entries themselves are not tested: the caller's
/// exact check follows). A depth-first walk over rstar's nodes that prunes by distance
/// to the box, so boxes in the corners of the query cube are skipped.
fn walk_within<'t>(
    node: &'t ParentNode<Reach>,
    xyz: &[f64; 3],
    radius_squared: f64,
    visit: &mut impl FnMut(&'t Reach),
) {
    for child in node.children() {
        match child {
            RTreeNode::Leaf(reach) => visit(reach),
            RTreeNode::Parent(parent) => {
                if gap_squared(&parent.envelope(), xyz) <= radius_squared {
                    walk_within(parent, xyz, radius_squared, visit);
                }
            }
        }
    }
}

/// The squared distance from `xyz` to the box (0 inside it). No larger than the
/// [`rough_chord_squared`](Reach::rough_chord_squared) of any entry in the box: per
/// axis, the entry's coordinate lies between the box's corners and rounding is monotone.
fn gap_squared(envelope: &AABB<[f32; 3]>, xyz: &[f64; 3]) -> f64 {
    let (lower, upper) = (envelope.lower(), envelope.upper());
    let mut gap_squared = 0.0;
    for axis in 0..3 {
        let gap = (f64::from(lower[axis]) - xyz[axis])
            .max(xyz[axis] - f64::from(upper[axis]))
            .max(0.0);
        gap_squared += gap * gap;
    }
    gap_squared
}

/// The walk behind [`MatchIndex::top_k_candidates`]: depth first through the R-tree of
/// each reach class (the widest reaches first, and nearest boxes first), opening only
/// the boxes whose members might score as high as the `k`-th best pair found so far
/// ([`BestK::threshold`]), and reading the records of only the entries that might.
///
/// Why no pair that ranks is skipped:
/// - a box's gap to the family (as [`gap_squared`] computes it from the f32 corners) is
///   no longer than the rough chord of any entry inside, which is within
///   [`POINT_ERROR`] of the exact chord; so every member is at least `gap - POINT_ERROR`
///   (floored at 0) from the family, and, being in class `c`, travels at most
///   `REACH_CLASSES_KM[c]`. Their location criterion is then at most what
///   [`Ceiling::upper_bound`] counts for that chord and travel bound, and their other
///   criteria at most the family's ceiling;
/// - an entry's bound ([`Ceiling::volunteer_upper_bound`]) counts the same location at
///   its own rough chord, and the most its languages and three-hour time blocks allow;
/// - both bounds are `bound_total`'s weighted sum (score.rs), as are the bounds
///   [`visit_eligible`](MatchIndex::visit_eligible) already skips pairs on: with each
///   criterion at least the pair's and non-negative weights, the rounded sum is at least
///   the pair's score;
/// - a bound strictly below the threshold means `k` kept pairs score higher than
///   anyone it covers, and the threshold only rises: none of them could enter `best`.
///   A pair scoring exactly the threshold may still enter (ties break by distance and
///   id), so equal bounds are walked. Entries wait in batches of [`BATCH`] so that their
///   records are fetched together; each is checked again against the threshold of the
///   moment it is judged, and a threshold read earlier is only lower, never wrong.
///
/// The entries left are judged as [`visit_eligible`](MatchIndex::visit_eligible) judges
/// them, by the same functions: `near_entry`, involvement, `timely_entry` and
/// `offer_entry`.
struct BestWalk<'w, 'q> {
    index: &'w MatchIndex,
    /// Entries that passed rules 1-7 and might rank, judged [`BATCH`] at a time.
    promising: Vec<Promising<'w>>,
    /// Boxes within reach still to open, with their squared gaps (see `descend`).
    boxes: Vec<(f64, &'w ParentNode<Reach>)>,
    q: &'w Query<'q>,
    weights: &'w Weights,
    ceiling: Ceiling,
    best: &'w mut BestK,
}

impl<'w> BestWalk<'w, '_> {
    /// Walks the boxes under `node` (of a class with travel bound `class_bound`) that
    /// come within `sqrt(radius_squared)` of the family and might hold a pair that ranks.
    fn descend(&mut self, node: &'w ParentNode<Reach>, class_bound: f64, radius_squared: f64) {
        let q = self.q;
        // The boxes within reach, nearest first: they hold the best locations, which
        // raises the bar soonest. `boxes` is a stack shared by the whole walk: this
        // node's boxes stay below the ones its children push.
        let base = self.boxes.len();
        for child in node.children() {
            match child {
                RTreeNode::Leaf(reach) => {
                    if let Some(promising) = self.promising(reach, class_bound) {
                        self.promising.push(promising);
                        if self.promising.len() == BATCH {
                            self.judge_promising();
                        }
                    }
                }
                RTreeNode::Parent(parent) => {
                    let gap_squared = gap_squared(&parent.envelope(), &q.ctx.xyz);
                    if gap_squared <= radius_squared {
                        self.boxes.push((gap_squared, parent));
                    }
                }
            }
        }
        self.boxes[base..].sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        for i in base..self.boxes.len() {
            let (gap_squared, parent) = self.boxes[i];
            let shortest_chord = (gap_squared.sqrt() - POINT_ERROR).max(0.0);
            let bound = self
                .ceiling
                .upper_bound(shortest_chord, class_bound, self.weights);
            if bound >= self.best.threshold() {
                self.descend(parent, class_bound, radius_squared);
            }
        }
        self.boxes.truncate(base);
    }

    /// Judges the promising entries kept so far, fetching their records together: those
    /// still bounded at the threshold or above, as
    /// [`visit_eligible`](MatchIndex::visit_eligible) judges them (rule 8, then
    /// `offer_entry`).
    fn judge_promising(&mut self) {
        let (index, q) = (self.index, self.q);
        let mut promising = std::mem::take(&mut self.promising);
        let threshold = self.best.threshold();
        promising.retain(|p| p.bound >= threshold);
        for p in &promising {
            index.touch(p.reach.slot);
        }
        for p in promising.drain(..) {
            if let Some(availability) = index.timely_entry(p.reach, q) {
                let entry = Timely {
                    reach: p.reach,
                    rough_chord_squared: p.rough_chord_squared,
                    class_bound: p.class_bound,
                    availability,
                };
                index.offer_entry(entry, q, self.weights, self.best);
            }
        }
        self.promising = promising;
    }

    /// Rules 1-7 for an entry, and its bound when the volunteer is near and not involved
    /// with the family and might rank.
    fn promising(&self, reach: &'w Reach, class_bound: f64) -> Option<Promising<'w>> {
        let (index, q) = (self.index, self.q);
        let rough_chord_squared = reach.rough_chord_squared(&q.ctx.xyz);
        if !index.near_entry(reach, rough_chord_squared, q) {
            return None;
        }
        let shortest_chord = (rough_chord_squared.sqrt() - POINT_ERROR).max(0.0);
        let bound = self.ceiling.volunteer_upper_bound(
            reach.spoken(),
            reach.time_blocks,
            shortest_chord,
            class_bound,
            self.weights,
        );
        (bound >= self.best.threshold() && !q.involves(reach.slot)).then_some(Promising {
            reach,
            rough_chord_squared,
            class_bound,
            bound,
        })
    }
}

/// How many promising entries [`BestWalk`] gathers before reading their records.
const BATCH: usize = 16;

/// A tree entry within reach that passes rules 1-7 and might rank.
#[derive(Debug, Clone, Copy)]
struct Promising<'t> {
    reach: &'t Reach,
    rough_chord_squared: f64,
    /// The travel bound of the entry's reach class.
    class_bound: f64,
    /// [`Ceiling::volunteer_upper_bound`] of the entry.
    bound: f64,
}

/// A tree entry within reach that passes rules 1-8, with what scoring it reads next.
#[derive(Debug, Clone, Copy)]
struct Timely<'t> {
    reach: &'t Reach,
    rough_chord_squared: f64,
    /// The travel bound of the entry's reach class.
    class_bound: f64,
    /// The availability criterion.
    availability: f64,
}

/// Training modules with a bit of their own in [`Rules`]; later ones go to a side list.
const MODULE_BITS: u32 = 16;

/// A set of training modules as the index stores them: bits for the first 16 module
/// names it has seen, a list for the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ModuleSet {
    mask: u16,
    extra: Vec<u32>,
    /// A module nobody in the index holds: no volunteer has this set.
    unknown: bool,
}

impl ModuleSet {
    fn add(&mut self, id: u32) {
        if id < MODULE_BITS {
            self.mask |= 1 << id;
        } else if !self.extra.contains(&id) {
            self.extra.push(id);
        }
    }
}

/// What the hard rules read about a volunteer, in one cache-friendly record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Rules {
    spoken: [u64; 2],
    background: i32,
    trainings: u16,
    flags: u8,
}

impl Rules {
    fn speaks_any(&self, languages: u128) -> bool {
        (self.spoken[0] & languages as u64) | (self.spoken[1] & (languages >> 64) as u64) != 0
    }

    fn spoken(&self) -> u128 {
        u128::from(self.spoken[0]) | u128::from(self.spoken[1]) << 64
    }
}

/// What scoring reads about a volunteer, in one record (ids and language levels as
/// pairs of words, so the record packs to 152 bytes).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Scoring {
    id: [u64; 2],
    levels: [u64; 2],
    home: Coordinates,
    max_travel_km: f64,
    availability: WeekMask,
    crisis: CrisisSet,
}

impl Scoring {
    fn id(&self) -> u128 {
        u128::from(self.id[0]) | u128::from(self.id[1]) << 64
    }

    fn levels(&self) -> u128 {
        u128::from(self.levels[0]) | u128::from(self.levels[1]) << 64
    }
}

fn split(x: u128) -> [u64; 2] {
    [x as u64, (x >> 64) as u64]
}

/// Where the rules that need no distance leave a volunteer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Vacant,
    Failed(ExclusionReason),
    /// Passes rules 1-6 (involvement aside): only distance and time remain.
    Reachable,
}

/// Everything a query needs about a family, in the index's terms.
#[derive(Debug)]
pub(crate) struct Query<'a> {
    pub(crate) ctx: FamilyContext<'a>,
    required: ModuleSet,
    crisis_modules: Vec<(CrisisType, ModuleSet)>,
    /// Slots of volunteers already involved with the family.
    involved: Vec<u32>,
    /// Slots of volunteers not involved who ended or declined with the family recently.
    parted: Vec<u32>,
    today: i32,
    valid_days: i32,
    /// [`WeekMask::coarse`] of the family's needed time.
    needed_blocks: u64,
    /// Valid check dates as `(first, span)` of [`ordered_day`]s: valid when
    /// `checked.wrapping_sub(first) <= span`; `None` when no date is valid.
    valid_window: Option<(u32, u32)>,
}

impl Query<'_> {
    /// True when the volunteer in `slot` is involved with the family (rule 4) or
    /// ended or declined with it recently (rule 5).
    fn involves(&self, slot: u32) -> bool {
        self.involved.contains(&slot) || self.parted.contains(&slot)
    }

    fn check_valid(&self, issued: i32) -> bool {
        let age = i64::from(self.today) - i64::from(issued);
        issued != NO_CHECK && (0..i64::from(self.valid_days)).contains(&age)
    }
}

/// Exclusion counts in rule order, plus how many passed every rule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub(crate) excluded: [u32; ExclusionReason::ALL.len()],
    pub(crate) eligible: u32,
}

impl Tally {
    pub(crate) fn nonzero(&self) -> Vec<(ExclusionReason, u32)> {
        ExclusionReason::ALL
            .into_iter()
            .zip(self.excluded)
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

/// What [`MatchIndex::visit_eligible`] reports to: the eligible pairs worth scoring, and
/// an upper bound for those that were not.
pub(crate) trait PairVisitor {
    /// Pairs whose score cannot beat this are passed to [`left_out`](Self::left_out)
    /// instead of being scored (ties are scored).
    fn threshold(&self) -> f64;
    /// Whether to look at this eligible volunteer at all.
    fn admit(&mut self, _slot: u32, _id: u128) -> bool {
        true
    }
    /// Whether pairs may be left out on a cruder bound (full marks for language and
    /// crisis type) before their scoring record is read. Such pairs skip
    /// [`admit`](Self::admit), so only a visitor admitting everyone should say yes.
    fn takes_rough_bounds(&self) -> bool {
        false
    }
    /// An admitted eligible pair, measured.
    fn eligible(&mut self, slot: u32, facts: &VolunteerFacts<'_>, m: &Measure);
    /// An admitted eligible pair scoring at most `upper_bound`, below the threshold.
    fn left_out(&mut self, _upper_bound: f64) {}
}

/// An in-memory index of volunteers, kept current with [`upsert`](Self::upsert) and
/// [`remove`](Self::remove), answering [`top_k`](Self::top_k) for any family.
///
/// Profiles are stored normalised: languages in code order at their best level,
/// training names trimmed and upper-cased, involvements without duplicates;
/// [`get`](Self::get) returns that form.
#[derive(Debug, Clone, Default)]
pub struct MatchIndex {
    slot_of: HashMap<u128, u32>,
    vacant: Vec<u32>,
    rules: Vec<Rules>,
    scoring: Vec<Scoring>,
    status: Vec<VolunteerStatus>,
    capacity: Vec<u32>,
    load: Vec<u32>,
    pool_pos: Vec<u32>,
    /// The pool (ACTIVE, below capacity): slots and a copy of what the counting pass
    /// reads, as parallel arrays (check dates as [`ordered_day`]s).
    pool_slot: Vec<u32>,
    pool_checked: Vec<u32>,
    pool_trainings: Vec<u16>,
    pool_spoken_lo: Vec<u64>,
    pool_spoken_hi: Vec<u64>,
    /// Live volunteers who are not ACTIVE.
    inactive: u32,
    /// ACTIVE volunteers at capacity, by background-check date.
    full_by_check: BTreeMap<i32, u32>,
    full: u32,
    /// Modules past the first 16, for the rare volunteer holding such a module.
    extra_trainings: HashMap<u32, Vec<u32>>,
    /// Families each volunteer is involved with (only volunteers with some).
    involved: HashMap<u32, Box<[u128]>>,
    /// Volunteers involved with each family.
    involved_by_family: HashMap<u128, Vec<u32>>,
    module_names: Vec<String>,
    module_ids: std::collections::HashMap<String, u32>,
    /// One R-tree per reach class.
    trees: [RTree<Reach, ReachParams>; REACH_CLASSES_KM.len()],
}

/// Best first, for the bounded heap (the heap's top is the worst kept).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ranked {
    pub(crate) score: f64,
    pub(crate) distance_km: f64,
    pub(crate) id: u128,
    pub(crate) slot: u32,
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        rank_order(
            (self.score, self.distance_km, self.id),
            (other.score, other.distance_km, other.id),
        )
    }
}

/// The best `k` pairs seen, by rank.
#[derive(Debug)]
pub(crate) struct BestK {
    k: usize,
    heap: BinaryHeap<Ranked>,
}

impl BestK {
    pub(crate) fn new(k: usize) -> BestK {
        BestK {
            k,
            heap: BinaryHeap::with_capacity(k.min(1024) + 1),
        }
    }

    /// Score a pair needs to possibly enter (ties may, by distance and id).
    pub(crate) fn threshold(&self) -> f64 {
        if self.heap.len() < self.k {
            f64::NEG_INFINITY
        } else {
            self.heap.peek().map_or(f64::INFINITY, |worst| worst.score)
        }
    }

    /// Offers a pair; returns the one that no longer makes the cut, if any.
    pub(crate) fn offer(&mut self, r: Ranked) -> Option<Ranked> {
        if self.heap.len() < self.k {
            self.heap.push(r);
            None
        } else if self.heap.peek().is_some_and(|worst| r < *worst) {
            let out = self.heap.pop();
            self.heap.push(r);
            out
        } else {
            Some(r)
        }
    }

    /// The kept pairs, best first.
    pub(crate) fn into_sorted(self) -> Vec<Ranked> {
        self.heap.into_sorted_vec()
    }
}

impl PairVisitor for BestK {
    fn threshold(&self) -> f64 {
        BestK::threshold(self)
    }

    fn takes_rough_bounds(&self) -> bool {
        true
    }

    fn eligible(&mut self, slot: u32, facts: &VolunteerFacts<'_>, m: &Measure) {
        self.offer(Ranked {
            score: m.score,
            distance_km: m.distance_km,
            id: facts.id,
            slot,
        });
    }
}

impl MatchIndex {
    /// An empty index.
    pub fn new() -> Self {
        MatchIndex::default()
    }

    /// An index of `volunteers` (a later profile with the same id replaces an earlier
    /// one). Bulk-loads the R-tree, faster than upserting one by one.
    pub fn build(volunteers: Vec<VolunteerProfile>) -> Self {
        let mut index = MatchIndex::default();
        let n = volunteers.len();
        // Slots in Z-order of the homes, the pool first: volunteers a query may read sit
        // near each other in memory, which keeps its reads in few cache lines and pages.
        // The profiles are read in input order (a later duplicate replaces an earlier
        // one) and written to their ranks.
        let mut order: Vec<(bool, u64, u32)> = volunteers
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let pooled = v.status == VolunteerStatus::Active && v.current_load < v.capacity;
                (!pooled, z_order(&v.home), i as u32)
            })
            .collect();
        order.sort_unstable();
        let mut rank = vec![0u32; n];
        for (r, (_, _, i)) in order.into_iter().enumerate() {
            rank[i as usize] = r as u32;
        }
        index.reserve(n);
        for _ in 0..n {
            index.push_slot();
        }
        for (v, &slot) in volunteers.iter().zip(&rank) {
            if let Some(&earlier) = index.slot_of.get(&v.id) {
                index.involved.remove(&earlier);
                index.extra_trainings.remove(&earlier);
                index.rules[earlier as usize].flags = 0;
            }
            index.write(slot, v);
        }
        for slot in 0..n as u32 {
            if index.rules[slot as usize].flags & LIVE != 0 {
                index.attach(slot, false);
            } else {
                index.vacant.push(slot);
            }
        }
        let mut classes: Vec<Vec<Reach>> = vec![Vec::new(); REACH_CLASSES_KM.len()];
        for &slot in &index.pool_slot {
            if let Some(reach) = index.reach_of(slot) {
                classes[index.class_of(slot)].push(reach);
            }
        }
        for (tree, members) in index.trees.iter_mut().zip(classes) {
            *tree = RTree::bulk_load_with_params(members);
        }
        index
    }

    fn reserve(&mut self, n: usize) {
        self.slot_of.reserve(n);
        self.rules.reserve_exact(n);
        self.scoring.reserve_exact(n);
        self.status.reserve_exact(n);
        self.capacity.reserve_exact(n);
        self.load.reserve_exact(n);
        self.pool_pos.reserve_exact(n);
    }

    /// A new vacant slot at the end of the arrays.
    fn push_slot(&mut self) -> u32 {
        let slot = u32::try_from(self.rules.len()).unwrap_or(u32::MAX);
        self.rules.push(Rules::default());
        self.scoring.push(Scoring {
            id: [0; 2],
            levels: [0; 2],
            home: Coordinates::default_point(),
            max_travel_km: 0.0,
            availability: WeekMask::default(),
            crisis: CrisisSet::EMPTY,
        });
        self.status.push(VolunteerStatus::Stopped);
        self.capacity.push(0);
        self.load.push(0);
        self.pool_pos.push(NOT_POOLED);
        slot
    }

    /// Stores `v`'s own fields in a detached `slot`.
    fn write(&mut self, slot: u32, v: &VolunteerProfile) {
        let s = slot as usize;
        self.slot_of.insert(v.id, slot);
        let skills = LanguageSkills::from_pairs(&v.languages);
        let modules = self.intern_modules(&v.trainings);
        if !modules.extra.is_empty() {
            self.extra_trainings.insert(slot, modules.extra);
        }
        let active = v.status == VolunteerStatus::Active;
        let full = v.current_load >= v.capacity;
        self.rules[s] = Rules {
            spoken: split(skills.spoken),
            background: v.background_check_issued_on.map_or(NO_CHECK, |d| d.0),
            trainings: modules.mask,
            flags: LIVE | if active { ACTIVE } else { 0 } | if full { AT_CAPACITY } else { 0 },
        };
        self.scoring[s] = Scoring {
            id: split(v.id),
            levels: split(skills.levels),
            home: v.home,
            max_travel_km: v.max_travel_km,
            availability: v.availability,
            crisis: v.crisis_experience,
        };
        self.status[s] = v.status;
        self.capacity[s] = v.capacity;
        self.load[s] = v.current_load;
        let mut families = v.involved_family_ids.clone();
        families.sort_unstable();
        families.dedup();
        if !families.is_empty() {
            self.involved.insert(slot, families.into_boxed_slice());
        }
    }

    /// Adds a written slot to the counters, the pool, the R-tree (when `tree`) and the
    /// involvement map.
    fn attach(&mut self, slot: u32, tree: bool) {
        let s = slot as usize;
        let rules = self.rules[s];
        if rules.flags & ACTIVE == 0 {
            self.inactive += 1;
        } else if rules.flags & AT_CAPACITY != 0 {
            *self.full_by_check.entry(rules.background).or_default() += 1;
            self.full += 1;
        } else {
            self.pool_pos[s] = u32::try_from(self.pool_slot.len()).unwrap_or(NOT_POOLED);
            self.pool_slot.push(slot);
            self.pool_checked.push(ordered_day(rules.background));
            self.pool_trainings.push(rules.trainings);
            self.pool_spoken_lo.push(rules.spoken[0]);
            self.pool_spoken_hi.push(rules.spoken[1]);
            if tree && let Some(reach) = self.reach_of(slot) {
                let class = self.class_of(slot);
                self.trees[class].insert(reach);
            }
        }
        if let Some(families) = self.involved.get(&slot) {
            for family in families.iter() {
                self.involved_by_family
                    .entry(*family)
                    .or_default()
                    .push(slot);
            }
        }
    }

    /// Undoes [`attach`](Self::attach) and forgets the slot's side tables.
    fn detach(&mut self, slot: u32) {
        let s = slot as usize;
        let flags = self.rules[s].flags;
        if flags & LIVE == 0 {
            return;
        }
        if flags & ACTIVE == 0 {
            self.inactive -= 1;
        } else if flags & AT_CAPACITY != 0 {
            let day = self.rules[s].background;
            if let Some(n) = self.full_by_check.get_mut(&day) {
                *n -= 1;
                if *n == 0 {
                    self.full_by_check.remove(&day);
                }
            }
            self.full -= 1;
        } else {
            if let Some(reach) = self.reach_of(slot) {
                let class = self.class_of(slot);
                self.trees[class].remove(&reach);
            }
            let pos = self.pool_pos[s] as usize;
            self.pool_slot.swap_remove(pos);
            self.pool_checked.swap_remove(pos);
            self.pool_trainings.swap_remove(pos);
            self.pool_spoken_lo.swap_remove(pos);
            self.pool_spoken_hi.swap_remove(pos);
            if let Some(&moved) = self.pool_slot.get(pos) {
                self.pool_pos[moved as usize] = pos as u32;
            }
            self.pool_pos[s] = NOT_POOLED;
        }
        if let Some(families) = self.involved.remove(&slot) {
            for family in families.iter() {
                if let Some(slots) = self.involved_by_family.get_mut(family) {
                    slots.retain(|x| *x != slot);
                    if slots.is_empty() {
                        self.involved_by_family.remove(family);
                    }
                }
            }
        }
        self.extra_trainings.remove(&slot);
        self.rules[s].flags = 0;
    }

    fn intern_modules(&mut self, names: &[String]) -> ModuleSet {
        let mut set = ModuleSet::default();
        for name in names {
            let name = normalize_module(name);
            let id = match self.module_ids.get(&name) {
                Some(id) => *id,
                None => {
                    let id = u32::try_from(self.module_names.len()).unwrap_or(u32::MAX);
                    self.module_names.push(name.clone());
                    self.module_ids.insert(name, id);
                    id
                }
            };
            set.add(id);
        }
        set
    }

    /// The index's form of module names it may not know (an unknown one marks the set).
    fn lookup_modules(&self, names: &[String]) -> ModuleSet {
        let mut set = ModuleSet::default();
        for name in names {
            match self.module_ids.get(name) {
                Some(id) => set.add(*id),
                None => set.unknown = true,
            }
        }
        set
    }

    fn has_modules(&self, slot: u32, set: &ModuleSet) -> bool {
        !set.unknown
            && self.rules[slot as usize].trainings & set.mask == set.mask
            && (set.extra.is_empty()
                || self
                    .extra_trainings
                    .get(&slot)
                    .is_some_and(|own| set.extra.iter().all(|m| own.contains(m))))
    }

    fn class_of(&self, slot: u32) -> usize {
        reach_class(self.scoring[slot as usize].max_travel_km)
    }

    fn reach_of(&self, slot: u32) -> Option<Reach> {
        let s = slot as usize;
        let scoring = &self.scoring[s];
        Reach::new(
            &scoring.home,
            scoring.max_travel_km,
            slot,
            &self.rules[s],
            &self.scoring[s].availability,
        )
    }

    /// The exact distance from the family to the volunteer in `slot`.
    fn distance_km(&self, slot: u32, q: &Query<'_>) -> f64 {
        chord_to_km(chord(
            &q.ctx.xyz,
            &self.scoring[slot as usize].home.unit_vector(),
        ))
    }

    /// Adds a volunteer, or replaces the one with the same id, without rebuilding.
    pub fn upsert(&mut self, v: VolunteerProfile) {
        let slot = match self.slot_of.get(&v.id) {
            Some(&slot) => {
                self.detach(slot);
                slot
            }
            None => match self.vacant.pop() {
                Some(slot) => slot,
                None => self.push_slot(),
            },
        };
        self.write(slot, &v);
        self.attach(slot, true);
    }

    /// Removes the volunteer with this id; `false` when there was none.
    pub fn remove(&mut self, id: u128) -> bool {
        let Some(slot) = self.slot_of.remove(&id) else {
            return false;
        };
        self.detach(slot);
        self.vacant.push(slot);
        true
    }

    /// The stored profile of a volunteer (normalised, see [`MatchIndex`]).
    pub fn get(&self, id: u128) -> Option<VolunteerProfile> {
        let slot = *self.slot_of.get(&id)?;
        let s = slot as usize;
        let (rules, scoring) = (&self.rules[s], &self.scoring[s]);
        let skills = LanguageSkills {
            spoken: rules.spoken(),
            levels: scoring.levels(),
        };
        let mut module_ids: Vec<u32> = (0..MODULE_BITS)
            .filter(|b| rules.trainings >> b & 1 == 1)
            .collect();
        module_ids.extend(self.extra_trainings.get(&slot).into_iter().flatten());
        let mut trainings: Vec<String> = module_ids
            .into_iter()
            .filter_map(|m| self.module_names.get(m as usize).cloned())
            .collect();
        trainings.sort();
        Some(VolunteerProfile {
            id,
            status: self.status[s],
            languages: skills.iter().collect(),
            home: scoring.home,
            max_travel_km: scoring.max_travel_km,
            availability: self.scoring[s].availability,
            crisis_experience: scoring.crisis,
            trainings,
            capacity: self.capacity[s],
            current_load: self.load[s],
            background_check_issued_on: (rules.background != NO_CHECK)
                .then_some(Day(rules.background)),
            involved_family_ids: self
                .involved
                .get(&slot)
                .map(|f| f.to_vec())
                .unwrap_or_default(),
        })
    }

    /// Ids of every volunteer in the index, in no particular order.
    pub fn ids(&self) -> impl Iterator<Item = u128> + '_ {
        self.slot_of.keys().copied()
    }

    /// Number of volunteers.
    pub fn len(&self) -> usize {
        self.slot_of.len()
    }

    /// True without volunteers.
    pub fn is_empty(&self) -> bool {
        self.slot_of.is_empty()
    }

    /// Releases the spare capacity that growing by [`upsert`](Self::upsert) leaves in the
    /// arrays and maps (up to half of them); [`build`](Self::build) leaves none.
    pub fn shrink_to_fit(&mut self) {
        self.slot_of.shrink_to_fit();
        self.vacant.shrink_to_fit();
        self.rules.shrink_to_fit();
        self.scoring.shrink_to_fit();
        self.status.shrink_to_fit();
        self.capacity.shrink_to_fit();
        self.load.shrink_to_fit();
        self.pool_pos.shrink_to_fit();
        self.pool_slot.shrink_to_fit();
        self.pool_checked.shrink_to_fit();
        self.pool_trainings.shrink_to_fit();
        self.pool_spoken_lo.shrink_to_fit();
        self.pool_spoken_hi.shrink_to_fit();
        self.involved.shrink_to_fit();
        self.involved_by_family.shrink_to_fit();
    }

    /// Estimated heap bytes held by the index: every array at its capacity, the hash
    /// maps at `capacity * (key + value + 1 control byte)`, the check-date map at 64
    /// bytes per entry, and the R-tree counted node by node. Allocator overhead is not
    /// included.
    pub fn memory_bytes(&self) -> usize {
        fn vec<T>(v: &Vec<T>) -> usize {
            v.capacity() * size_of::<T>()
        }
        fn map<K, V, S>(m: &std::collections::HashMap<K, V, S>) -> usize {
            m.capacity() * (size_of::<K>() + size_of::<V>() + 1)
        }
        fn tree_nodes(node: &rstar::ParentNode<Reach>) -> usize {
            node.children().len()
                + node
                    .children()
                    .iter()
                    .map(|c| match c {
                        RTreeNode::Parent(p) => tree_nodes(p),
                        RTreeNode::Leaf(_) => 0,
                    })
                    .sum::<usize>()
        }
        let arrays = vec(&self.rules)
            + vec(&self.scoring)
            + vec(&self.status)
            + vec(&self.capacity)
            + vec(&self.load)
            + vec(&self.pool_pos)
            + vec(&self.pool_slot)
            + vec(&self.pool_checked)
            + vec(&self.pool_trainings)
            + vec(&self.pool_spoken_lo)
            + vec(&self.pool_spoken_hi)
            + vec(&self.vacant);
        let maps = map(&self.slot_of)
            + self.full_by_check.len() * 64
            + map(&self.extra_trainings)
            + self.extra_trainings.values().map(vec).sum::<usize>()
            + map(&self.involved)
            + self.involved.values().map(|f| f.len() * 16).sum::<usize>()
            + map(&self.involved_by_family)
            + self.involved_by_family.values().map(vec).sum::<usize>()
            + map(&self.module_ids)
            + vec(&self.module_names);
        let tree = self
            .trees
            .iter()
            .map(|t| tree_nodes(t.root()))
            .sum::<usize>()
            * size_of::<RTreeNode<Reach>>();
        arrays + maps + tree
    }

    // ---- queries

    pub(crate) fn query<'a>(&self, family: &'a FamilyProfile, policy: &Policy) -> Query<'a> {
        let ctx = FamilyContext::new(family, policy);
        let required = self.lookup_modules(&ctx.required_modules);
        let crisis_modules = ctx
            .crisis_modules
            .iter()
            .map(|(t, names)| (*t, self.lookup_modules(names)))
            .collect();
        let involved = self
            .involved_by_family
            .get(&family.id)
            .cloned()
            .unwrap_or_default();
        let mut parted: Vec<u32> = family
            .parted
            .iter()
            .filter(|(id, _)| family.parted_recently(*id, policy))
            .filter_map(|(id, _)| self.slot(*id))
            .filter(|slot| !involved.contains(slot))
            .collect();
        parted.sort_unstable();
        parted.dedup();
        let today = i64::from(policy.today.0);
        let first_valid = (today - i64::from(policy.background_check_valid_days) + 1)
            .max(i64::from(NO_CHECK) + 1);
        let valid_window = (first_valid <= today).then(|| {
            let first = ordered_day(i32::try_from(first_valid).unwrap_or(i32::MAX));
            (first, ordered_day(policy.today.0) - first)
        });
        Query {
            needed_blocks: family.needed_availability.coarse(),
            ctx,
            required,
            crisis_modules,
            involved,
            parted,
            today: policy.today.0,
            valid_days: policy.background_check_valid_days,
            valid_window,
        }
    }

    /// Rules 1-6 for one slot, involvement aside.
    fn stage(&self, slot: u32, q: &Query<'_>) -> Stage {
        let rules = &self.rules[slot as usize];
        if rules.flags & LIVE == 0 {
            Stage::Vacant
        } else if rules.flags & ACTIVE == 0 {
            Stage::Failed(ExclusionReason::NotActive)
        } else if !q.check_valid(rules.background) {
            Stage::Failed(ExclusionReason::BackgroundCheckMissingOrExpired)
        } else if rules.flags & AT_CAPACITY != 0 {
            Stage::Failed(ExclusionReason::AtCapacity)
        } else if !self.has_modules(slot, &q.required) {
            Stage::Failed(ExclusionReason::MissingRequiredTraining)
        } else if !rules.speaks_any(q.ctx.languages.spoken) {
            Stage::Failed(ExclusionReason::NoSharedLanguage)
        } else {
            Stage::Reachable
        }
    }

    /// True when a volunteer whose first 16 module bits are `modules` holds every module
    /// of `set` (the side list is read only for sets that need it).
    fn holds(&self, slot: u32, modules: u16, set: &ModuleSet) -> bool {
        if set.extra.is_empty() {
            !set.unknown && modules & set.mask == set.mask
        } else {
            self.has_modules(slot, set)
        }
    }

    /// [`facts`](Self::facts) for a pooled volunteer who passed rules 1-6, from its
    /// R-tree entry and scoring record (the rule record is not read).
    fn pooled_facts(&self, reach: &Reach, q: &Query<'_>) -> VolunteerFacts<'_> {
        let s = reach.slot as usize;
        let scoring = &self.scoring[s];
        let trained_for: CrisisSet = q
            .crisis_modules
            .iter()
            .filter(|(_, set)| self.holds(reach.slot, reach.trainings, set))
            .map(|(t, _)| *t)
            .collect();
        VolunteerFacts {
            id: scoring.id(),
            active: true,
            background_valid: true,
            at_capacity: false,
            involved: false,
            recently_ended: false,
            missing_training: false,
            crisis_covered: scoring.crisis.union(trained_for),
            languages: LanguageSkills {
                spoken: reach.spoken(),
                levels: scoring.levels(),
            },
            home: scoring.home,
            max_travel_km: scoring.max_travel_km,
            availability: &self.scoring[s].availability,
        }
    }

    /// Rules 1-6 for a pooled volunteer (ACTIVE and below capacity by construction), from
    /// the copy in its R-tree entry; involvement aside ([`Query::involves`]).
    fn passes_rules_before_distance(&self, reach: &Reach, q: &Query<'_>) -> bool {
        let trained = self.holds(reach.slot, reach.trainings, &q.required);
        let languages = q.ctx.languages.spoken;
        q.valid_window
            .is_some_and(|(first, span)| reach.checked.wrapping_sub(first) <= span)
            && trained
            && (reach.spoken[0] & languages as u64) | (reach.spoken[1] & (languages >> 64) as u64)
                != 0
    }

    /// Counts rules 1-6 over every volunteer, involvement aside; the volunteers passing
    /// them are counted at TOO_FAR for the caller to correct.
    fn count_stages(&self, q: &Query<'_>) -> [u32; ExclusionReason::ALL.len()] {
        use ExclusionReason as R;
        let mut counts = [0u32; ExclusionReason::ALL.len()];
        counts[R::NotActive.index()] = self.inactive;
        let full_valid: u32 = match q.valid_window {
            Some((first, span)) => {
                let from = (first ^ 0x8000_0000) as i32;
                let to = ((first + span) ^ 0x8000_0000) as i32;
                self.full_by_check.range(from..=to).map(|(_, n)| n).sum()
            }
            None => 0,
        };
        counts[R::AtCapacity.index()] = full_valid;
        counts[R::BackgroundCheckMissingOrExpired.index()] = self.full - full_valid;
        if !q.required.extra.is_empty() || q.required.unknown {
            for &slot in &self.pool_slot {
                match self.stage(slot, q) {
                    Stage::Failed(r) => counts[r.index()] += 1,
                    Stage::Reachable => counts[R::TooFar.index()] += 1,
                    Stage::Vacant => {}
                }
            }
            return counts;
        }
        let pooled = self.pool_slot.len() as u32;
        let (expired, untrained, mute) = match q.valid_window {
            None => (pooled, 0, 0),
            Some((first, span)) => {
                let mask = q.required.mask;
                let languages = q.ctx.languages.spoken;
                let (lo, hi) = (languages as u64, (languages >> 64) as u64);
                let (mut valid, mut trained, mut speaking) = (0u32, 0u32, 0u32);
                let mut count = |checked: u32, modules: u16, speaks: bool| {
                    let is_valid = checked.wrapping_sub(first) <= span;
                    let is_trained = is_valid & (modules & mask == mask);
                    valid += u32::from(is_valid);
                    trained += u32::from(is_trained);
                    speaking += u32::from(is_trained & speaks);
                };
                let common = self.pool_checked.iter().zip(&self.pool_trainings);
                if hi == 0 {
                    // Most families speak only languages of the first 64 codes: half the
                    // language bits need not be read.
                    for ((&checked, &modules), &spoken_lo) in common.zip(&self.pool_spoken_lo) {
                        count(checked, modules, spoken_lo & lo != 0);
                    }
                } else {
                    for (((&checked, &modules), &spoken_lo), &spoken_hi) in
                        common.zip(&self.pool_spoken_lo).zip(&self.pool_spoken_hi)
                    {
                        count(checked, modules, (spoken_lo & lo) | (spoken_hi & hi) != 0);
                    }
                }
                (pooled - valid, valid - trained, trained - speaking)
            }
        };
        counts[R::BackgroundCheckMissingOrExpired.index()] += expired;
        counts[R::MissingRequiredTraining.index()] = untrained;
        counts[R::NoSharedLanguage.index()] = mute;
        counts[R::TooFar.index()] = pooled - expired - untrained - mute;
        counts
    }

    /// What the rules and criteria need about the volunteer in `slot` for this query.
    fn facts(&self, slot: u32, q: &Query<'_>) -> VolunteerFacts<'_> {
        let s = slot as usize;
        let (rules, scoring) = (&self.rules[s], &self.scoring[s]);
        let trained_for: CrisisSet = q
            .crisis_modules
            .iter()
            .filter(|(_, set)| self.has_modules(slot, set))
            .map(|(t, _)| *t)
            .collect();
        VolunteerFacts {
            id: scoring.id(),
            active: rules.flags & ACTIVE != 0,
            background_valid: q.check_valid(rules.background),
            at_capacity: rules.flags & AT_CAPACITY != 0,
            involved: q.involved.contains(&slot),
            recently_ended: q.parted.contains(&slot),
            missing_training: !self.has_modules(slot, &q.required),
            crisis_covered: scoring.crisis.union(trained_for),
            languages: LanguageSkills {
                spoken: rules.spoken(),
                levels: scoring.levels(),
            },
            home: scoring.home,
            max_travel_km: scoring.max_travel_km,
            availability: &self.scoring[s].availability,
        }
    }

    /// Counts every exclusion for the query and reports the eligible pairs to `visitor`.
    pub(crate) fn scan(
        &self,
        q: &Query<'_>,
        weights: &Weights,
        visitor: &mut impl PairVisitor,
    ) -> Tally {
        use ExclusionReason as R;
        let mut excluded = self.count_stages(q);
        let both = q.involved.iter().map(|s| (s, R::AlreadyInvolved));
        for (&slot, reason) in both.chain(q.parted.iter().map(|s| (s, R::RecentlyEndedWithFamily)))
        {
            let counted = match self.stage(slot, q) {
                Stage::Failed(r) if r >= R::MissingRequiredTraining => r.index(),
                Stage::Reachable => R::TooFar.index(),
                Stage::Failed(_) | Stage::Vacant => continue,
            };
            excluded[counted] -= 1;
            excluded[reason.index()] += 1;
        }
        let reachable = excluded[R::TooFar.index()];
        let (near, short_of_time, eligible) = self.visit_eligible(q, weights, visitor);
        excluded[R::TooFar.index()] = reachable - near;
        excluded[R::NoAvailabilityOverlap.index()] = short_of_time;
        Tally { excluded, eligible }
    }

    /// Rules 1-3 and 5-7 for a tree entry at `rough_chord_squared` from the family: true
    /// when the volunteer is within reach (the rough chord decides unless within a few
    /// metres of the edge, where the exact distance does) and passes rules 1-6,
    /// involvement aside ([`Query::involves`]).
    fn near_entry(&self, reach: &Reach, rough_chord_squared: f64, q: &Query<'_>) -> bool {
        let within = reach
            .clearly_reaches(rough_chord_squared)
            .unwrap_or_else(|| {
                let scoring = &self.scoring[reach.slot as usize];
                within_reach(self.distance_km(reach.slot, q), scoring.max_travel_km)
            });
        within && self.passes_rules_before_distance(reach, q)
    }

    /// Reads the parts of a volunteer's scoring record that judging them reads, for
    /// loops that touch many records before using them: the memory system then fetches
    /// them in parallel instead of one miss at a time.
    fn touch(&self, slot: u32) {
        let scoring = &self.scoring[slot as usize];
        std::hint::black_box((scoring.availability.sample(), scoring.levels[0]));
    }

    /// Rule 8 for a volunteer within reach: `None` when they share too little time with
    /// the family, otherwise their availability criterion. Disjoint three-hour blocks
    /// share no minute: those are decided from the entry alone.
    fn timely_entry(&self, reach: &Reach, q: &Query<'_>) -> Option<f64> {
        let no_common_block = q.needed_blocks != 0
            && reach.time_blocks != 0
            && q.needed_blocks & reach.time_blocks == 0;
        if no_common_block {
            return (q.ctx.overlap_threshold() == 0).then_some(0.0);
        }
        match time_criterion(&q.ctx, &self.scoring[reach.slot as usize].availability) {
            (_, true, _) => None,
            (_, false, score) => Some(score),
        }
    }

    /// Reports an eligible entry to `visitor`: left out when a bound on its score is
    /// below the threshold (first the rough bound, when the visitor takes those, then
    /// the bound without the `asin` of the distance), measured otherwise.
    fn offer_entry(
        &self,
        entry: Timely<'_>,
        q: &Query<'_>,
        weights: &Weights,
        visitor: &mut impl PairVisitor,
    ) {
        let Timely {
            reach,
            rough_chord_squared,
            class_bound,
            availability,
        } = entry;
        let shortest_chord = (rough_chord_squared.sqrt() - POINT_ERROR).max(0.0);
        if visitor.takes_rough_bounds() {
            let rough = rough_upper_bound(availability, shortest_chord, class_bound, weights);
            if rough < visitor.threshold() {
                visitor.left_out(rough);
                return;
            }
        }
        let facts = self.pooled_facts(reach, q);
        if !visitor.admit(reach.slot, facts.id) {
            return;
        }
        let p = partial(&q.ctx, &facts);
        let bound = upper_bound(&p, shortest_chord, facts.max_travel_km, weights);
        if bound < visitor.threshold() {
            visitor.left_out(bound);
        } else {
            let distance_km = self.distance_km(reach.slot, q);
            let m = complete(&p, distance_km, facts.max_travel_km, weights);
            visitor.eligible(reach.slot, &facts, &m);
        }
    }

    /// Reports every volunteer eligible for the query to `visitor` (in R-tree order) and
    /// returns how many passed rules 1-7, how many of those then failed rule 8, and how
    /// many were eligible.
    pub(crate) fn visit_eligible(
        &self,
        q: &Query<'_>,
        weights: &Weights,
        visitor: &mut impl PairVisitor,
    ) -> (u32, u32, u32) {
        // First the trees: who is within reach and passes rules 1-6 (judged from the
        // entries, so the walk stays in the tree's memory).
        let mut near: Vec<(&Reach, f64, f64)> = Vec::new();
        for (class, tree) in self.trees.iter().enumerate() {
            if tree.size() == 0 {
                continue;
            }
            let class_bound = REACH_CLASSES_KM[class];
            let radius = km_to_chord(class_bound) + REACH_MARGIN;
            walk_within(
                tree.root(),
                &q.ctx.xyz,
                radius * radius,
                &mut |reach: &Reach| {
                    let rough_chord_squared = reach.rough_chord_squared(&q.ctx.xyz);
                    if self.near_entry(reach, rough_chord_squared, q) && !q.involves(reach.slot) {
                        near.push((reach, rough_chord_squared, class_bound));
                    }
                },
            );
        }
        let passed_distance = near.len() as u32;
        // Touch the records the next loops read, in a loop of independent loads: the
        // memory system fetches them in parallel instead of one miss at a time.
        for (reach, _, _) in &near {
            self.touch(reach.slot);
        }
        // Rule 8, and the availability criterion of those passing it.
        let mut timely = Vec::with_capacity(near.len());
        for (reach, rough_chord_squared, class_bound) in near {
            if let Some(availability) = self.timely_entry(reach, q) {
                timely.push(Timely {
                    reach,
                    rough_chord_squared,
                    class_bound,
                    availability,
                });
            }
        }
        let eligible = timely.len() as u32;
        for entry in timely {
            self.offer_entry(entry, q, weights, visitor);
        }
        (passed_distance, passed_distance - eligible, eligible)
    }

    /// Offers `best` every eligible volunteer who might rank: the candidates of
    /// [`visit_eligible`](Self::visit_eligible), without its counts. See [`BestWalk`].
    fn visit_best(&self, q: &Query<'_>, weights: &Weights, best: &mut BestK) {
        let mut walk = BestWalk {
            index: self,
            promising: Vec::with_capacity(BATCH),
            boxes: Vec::new(),
            q,
            weights,
            ceiling: Ceiling::of(&q.ctx),
            best,
        };
        // The widest reaches first: their members nearby score high on location, which
        // raises the bar early.
        for (class, tree) in self.trees.iter().enumerate().rev() {
            if tree.size() > 0 {
                let radius = km_to_chord(REACH_CLASSES_KM[class]) + REACH_MARGIN;
                walk.descend(tree.root(), REACH_CLASSES_KM[class], radius * radius);
            }
        }
        walk.judge_promising();
    }

    /// The `k` best eligible volunteers for `family`, best first (score, then distance,
    /// then id), with the number of volunteers each hard rule excluded and how many were
    /// considered. Exactly what scoring every volunteer with
    /// [`explain`](crate::score::explain) and sorting would give.
    pub fn top_k(
        &self,
        family: &FamilyProfile,
        k: usize,
        weights: &Weights,
        policy: &Policy,
    ) -> MatchResult {
        let q = self.query(family, policy);
        let mut best = BestK::new(k);
        let tally = self.scan(&q, weights, &mut best);
        MatchResult {
            candidates: self.explained(best, &q, weights),
            excluded: tally.nonzero(),
            considered: u32::try_from(self.len()).unwrap_or(u32::MAX),
        }
    }

    /// The `k` best eligible volunteers for `family`, exactly the candidates of
    /// [`top_k`](Self::top_k), without counting whom each hard rule excluded: that
    /// count is a pass over every volunteer, which callers that do not report it skip.
    ///
    /// Without counts to keep, the walk skips every R-tree box, and every entry, whose
    /// members cannot score as high as the `k`-th best pair found so far (an upper
    /// bound from the box's distance to the family and its class's travel bound, or
    /// from the entry's own distance, languages and time blocks, strictly below that
    /// score). They could not enter the ranking, so the candidates are the same, bit
    /// for bit; see the module docs.
    pub fn top_k_candidates(
        &self,
        family: &FamilyProfile,
        k: usize,
        weights: &Weights,
        policy: &Policy,
    ) -> Vec<Candidate> {
        let q = self.query(family, policy);
        let mut best = BestK::new(k);
        self.visit_best(&q, weights, &mut best);
        self.explained(best, &q, weights)
    }

    /// Which required modules keep volunteers out: of the volunteers
    /// [`top_k`](Self::top_k) counts under MISSING_REQUIRED_TRAINING for `family` (the
    /// first rule they fail), how many lack each module the family's matches require,
    /// as `(module, volunteers)` by module code (the policy's order), those nobody lacks
    /// left out. A volunteer lacking two modules counts for both. One pass over every
    /// volunteer, apart from the ranking: ask for it only when the breakdown is shown.
    pub fn training_shortfall(
        &self,
        family: &FamilyProfile,
        policy: &Policy,
    ) -> Vec<(String, u32)> {
        let q = self.query(family, policy);
        let modules: Vec<(&String, ModuleSet)> = q
            .ctx
            .required_modules
            .iter()
            .map(|m| (m, self.lookup_modules(std::slice::from_ref(m))))
            .collect();
        let mut lacking = vec![0u32; modules.len()];
        let untrained = Stage::Failed(ExclusionReason::MissingRequiredTraining);
        for slot in 0..u32::try_from(self.slot_count()).unwrap_or(u32::MAX) {
            if self.stage(slot, &q) != untrained || q.involves(slot) {
                continue;
            }
            for (count, (_, set)) in lacking.iter_mut().zip(&modules) {
                *count += u32::from(!self.has_modules(slot, set));
            }
        }
        modules
            .into_iter()
            .zip(lacking)
            .filter(|(_, n)| *n > 0)
            .map(|((module, _), n)| (module.clone(), n))
            .collect()
    }

    /// The candidates `best` kept, best first, each with its breakdown and reasons.
    fn explained(&self, best: BestK, q: &Query<'_>, weights: &Weights) -> Vec<Candidate> {
        best.into_sorted()
            .into_iter()
            .map(|r| {
                let facts = self.facts(r.slot, q);
                let m = measure(&q.ctx, &facts, weights);
                candidate(&q.ctx, &facts, &m)
            })
            .collect()
    }

    /// Every rule for the volunteer in `slot`: the pair's score, or the first rule failed.
    pub(crate) fn evaluate(
        &self,
        slot: u32,
        q: &Query<'_>,
        weights: &Weights,
    ) -> Result<f64, ExclusionReason> {
        let facts = self.facts(slot, q);
        if let Some(rule) = facts.first_static_failure(&q.ctx) {
            return Err(rule);
        }
        let m = measure(&q.ctx, &facts, weights);
        if m.too_far {
            Err(ExclusionReason::TooFar)
        } else if m.too_little_time {
            Err(ExclusionReason::NoAvailabilityOverlap)
        } else {
            Ok(m.score)
        }
    }

    /// Slot of a volunteer id.
    pub(crate) fn slot(&self, id: u128) -> Option<u32> {
        self.slot_of.get(&id).copied()
    }

    /// Number of slots (live or vacant): slots are `0..slot_count()`.
    pub(crate) fn slot_count(&self) -> usize {
        self.rules.len()
    }

    /// Free capacity of a slot (0 for a vacant one).
    pub(crate) fn free_capacity(&self, slot: u32) -> u32 {
        let s = slot as usize;
        if self.rules[s].flags & LIVE == 0 {
            0
        } else {
            self.capacity[s].saturating_sub(self.load[s])
        }
    }

    /// Id of a slot.
    pub(crate) fn id_of(&self, slot: u32) -> u128 {
        self.scoring[slot as usize].id()
    }
}

/// The reference ranking the index is measured against: scores every profile of
/// `volunteers` in turn (one `O(n)` pass, no index) and returns the same [`MatchResult`]
/// as [`MatchIndex::top_k`] over the same volunteers. Use the index; this is the baseline
/// for tests and benchmarks.
pub fn rank_by_scan(
    volunteers: &[VolunteerProfile],
    family: &FamilyProfile,
    k: usize,
    weights: &Weights,
    policy: &Policy,
) -> MatchResult {
    let ctx = FamilyContext::new(family, policy);
    let mut excluded = [0u32; ExclusionReason::ALL.len()];
    let mut best = BestK::new(k);
    for (i, v) in volunteers.iter().enumerate() {
        let facts = VolunteerFacts::from_profile(v, &ctx, policy);
        if let Some(rule) = facts.first_static_failure(&ctx) {
            excluded[rule.index()] += 1;
            continue;
        }
        let m = measure(&ctx, &facts, weights);
        if m.too_far {
            excluded[ExclusionReason::TooFar.index()] += 1;
        } else if m.too_little_time {
            excluded[ExclusionReason::NoAvailabilityOverlap.index()] += 1;
        } else {
            best.offer(Ranked {
                score: m.score,
                distance_km: m.distance_km,
                id: v.id,
                slot: u32::try_from(i).unwrap_or(u32::MAX),
            });
        }
    }
    let candidates = best
        .into_sorted()
        .into_iter()
        .map(|r| {
            let facts = VolunteerFacts::from_profile(&volunteers[r.slot as usize], &ctx, policy);
            candidate(&ctx, &facts, &measure(&ctx, &facts, weights))
        })
        .collect();
    MatchResult {
        candidates,
        excluded: Tally {
            excluded,
            eligible: 0,
        }
        .nonzero(),
        considered: u32::try_from(volunteers.len()).unwrap_or(u32::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::explain;
    use crate::score::tests::{TODAY, family, volunteer};

    /// The oracle: score every volunteer with `explain`, sort, count first failures.
    pub(crate) fn brute_force(
        volunteers: &[VolunteerProfile],
        family: &FamilyProfile,
        k: usize,
        weights: &Weights,
        policy: &Policy,
    ) -> MatchResult {
        let mut excluded = [0u32; ExclusionReason::ALL.len()];
        let mut candidates = Vec::new();
        for v in volunteers {
            let e = explain(family, v, weights, policy);
            match e.failed_rules.first() {
                Some(r) => excluded[r.index()] += 1,
                None => candidates.push(e.candidate),
            }
        }
        candidates.sort_by(|a, b| {
            rank_order(
                (a.score, a.distance_km, a.volunteer_id),
                (b.score, b.distance_km, b.volunteer_id),
            )
        });
        candidates.truncate(k);
        MatchResult {
            candidates,
            excluded: Tally {
                excluded,
                eligible: 0,
            }
            .nonzero(),
            considered: volunteers.len() as u32,
        }
    }

    fn policy() -> Policy {
        Policy::with_today(TODAY)
    }

    #[test]
    fn top_k_ranks_and_counts_like_the_brute_force_scan() {
        let mut volunteers = Vec::new();
        for i in 0..40u128 {
            let mut v = volunteer(i);
            v.home =
                Coordinates::new(50.80 + (i as f64) * 0.004, 4.30 + (i % 7) as f64 * 0.01).unwrap();
            v.max_travel_km = 2.0 + (i % 5) as f64 * 3.0;
            match i % 9 {
                0 => v.status = VolunteerStatus::Paused,
                1 => v.background_check_issued_on = None,
                2 => v.current_load = v.capacity,
                3 => v.involved_family_ids = vec![1],
                4 => v.trainings.clear(),
                _ => {}
            }
            volunteers.push(v);
        }
        let index = MatchIndex::build(volunteers.clone());
        for k in [0, 1, 3, 100] {
            let got = index.top_k(&family(1), k, &Weights::default(), &policy());
            let want = brute_force(&volunteers, &family(1), k, &Weights::default(), &policy());
            assert_eq!(got, want, "k = {k}");
        }
        for k in [0, 2, 100] {
            assert_eq!(
                rank_by_scan(&volunteers, &family(1), k, &Weights::default(), &policy()),
                brute_force(&volunteers, &family(1), k, &Weights::default(), &policy())
            );
        }
        let result = index.top_k(&family(1), 5, &Weights::default(), &policy());
        assert_eq!(result.considered, 40);
        assert!(!result.candidates.is_empty());
        assert!(
            result
                .excluded
                .iter()
                .any(|(r, _)| *r == ExclusionReason::AlreadyInvolved)
        );
    }

    #[test]
    fn the_training_shortfall_counts_each_missing_module_of_the_untrained_volunteers() {
        let mut volunteers = Vec::new();
        for i in 0..36u128 {
            let mut v = volunteer(i);
            v.trainings = match i % 4 {
                0 => vec![],
                1 => vec!["basic".to_owned()],
                2 => vec!["CHILD_SAFETY".to_owned()],
                _ => vec!["BASIC".to_owned(), "child_safety".to_owned()],
            };
            match i % 9 {
                0 => v.status = VolunteerStatus::Paused,
                5 => v.involved_family_ids = vec![1],
                _ => {}
            }
            volunteers.push(v);
        }
        let mut f = family(1);
        f.crisis_types.insert(CrisisType::ChildSafetyConcern);
        f.parted = vec![(6, Day(TODAY.0 - 5))];
        let index = MatchIndex::build(volunteers.clone());
        let got = index.training_shortfall(&f, &policy());
        // The oracle: every volunteer whose first failed rule is the training, and what
        // they miss.
        let mut want: Vec<(String, u32)> = Vec::new();
        for v in &volunteers {
            let e = explain(&f, v, &Weights::default(), &policy());
            if e.failed_rules.first() != Some(&ExclusionReason::MissingRequiredTraining) {
                continue;
            }
            for module in crate::score::missing_modules(&f, v, &policy()) {
                match want.iter_mut().find(|(m, _)| *m == module) {
                    Some((_, n)) => *n += 1,
                    None => want.push((module, 1)),
                }
            }
        }
        want.sort_by_key(|(m, _)| {
            policy()
                .required_modules(f.crisis_types)
                .iter()
                .position(|r| r == m)
        });
        assert_eq!(got, want);
        // By hand: of the 36, 4 are paused (i % 9 == 0), 4 involved (i % 9 == 5) and
        // number 6 parted recently: 27 left. By i % 4 they hold nothing (7 of them),
        // only BASIC (7), only CHILD_SAFETY (6) or both (7): 13 lack BASIC, 14 lack
        // CHILD_SAFETY, 20 are counted under the rule.
        assert_eq!(
            got,
            vec![("BASIC".to_owned(), 13), ("CHILD_SAFETY".to_owned(), 14)]
        );
        let untrained = index
            .top_k(&f, 0, &Weights::default(), &policy())
            .excluded
            .into_iter()
            .find(|(r, _)| *r == ExclusionReason::MissingRequiredTraining)
            .map(|(_, n)| n);
        assert_eq!(untrained, Some(20));
        assert!(
            index
                .training_shortfall(&family(1), &policy())
                .iter()
                .all(|(m, _)| m == "BASIC")
        );
    }

    #[test]
    fn recently_parted_volunteers_rank_and_count_like_the_brute_force_scan() {
        let mut volunteers = Vec::new();
        for i in 0..30u128 {
            let mut v = volunteer(i);
            v.home =
                Coordinates::new(50.80 + (i as f64) * 0.004, 4.30 + (i % 7) as f64 * 0.01).unwrap();
            v.max_travel_km = 2.0 + (i % 5) as f64 * 3.0;
            if i % 6 == 0 {
                v.involved_family_ids = vec![1];
            }
            volunteers.push(v);
        }
        let mut f = family(1);
        // Recent (counts), long ago (does not), and one also involved (ALREADY_INVOLVED wins).
        f.parted = (0..30u128)
            .filter(|i| i % 3 == 0)
            .map(|i| (i, Day(TODAY.0 - if i % 9 == 0 { 200 } else { 5 })))
            .collect();
        let index = MatchIndex::build(volunteers.clone());
        for k in [0, 1, 3, 100] {
            let got = index.top_k(&f, k, &Weights::default(), &policy());
            let want = brute_force(&volunteers, &f, k, &Weights::default(), &policy());
            assert_eq!(got, want, "k = {k}");
            assert_eq!(
                rank_by_scan(&volunteers, &f, k, &Weights::default(), &policy()),
                want
            );
        }
        let result = index.top_k(&f, 100, &Weights::default(), &policy());
        assert!(
            result
                .excluded
                .iter()
                .any(|(r, _)| *r == ExclusionReason::RecentlyEndedWithFamily)
        );
        let off = Policy {
            recently_ended_days: 0,
            ..policy()
        };
        let without = index.top_k(&f, 100, &Weights::default(), &off);
        assert!(
            without
                .excluded
                .iter()
                .all(|(r, _)| *r != ExclusionReason::RecentlyEndedWithFamily)
        );
    }

    #[test]
    fn upsert_replaces_and_remove_forgets() {
        let mut index = MatchIndex::new();
        assert!(index.is_empty());
        index.upsert(volunteer(1));
        index.upsert(volunteer(2));
        let mut moved = volunteer(1);
        moved.home = Coordinates::new(51.2, 4.4).unwrap();
        index.upsert(moved.clone());
        assert_eq!(index.len(), 2);
        assert_eq!(index.get(1).unwrap().home, moved.home);
        let result = index.top_k(&family(9), 10, &Weights::default(), &policy());
        assert_eq!(result.candidates.len(), 1);
        assert_eq!(result.excluded, vec![(ExclusionReason::TooFar, 1)]);
        assert!(index.remove(2));
        assert!(!index.remove(2));
        assert_eq!(index.get(2), None);
        index.upsert(volunteer(3));
        assert_eq!(index.len(), 2);
        assert_eq!(index.slot_count(), 2, "the vacant slot is reused");
        index.shrink_to_fit();
        let result = index.top_k(&family(9), 10, &Weights::default(), &policy());
        assert_eq!(result.considered, 2);
        assert_eq!(result.candidates[0].volunteer_id, 3);
    }

    #[test]
    fn build_keeps_the_last_profile_of_a_repeated_id() {
        let mut first = volunteer(1);
        first.involved_family_ids = vec![1];
        first.trainings.push("MODULE_A".into());
        let mut second = volunteer(1);
        second.status = VolunteerStatus::Paused;
        let list = vec![first, volunteer(2), second.clone()];
        let index = MatchIndex::build(list);
        assert_eq!(index.len(), 2);
        assert_eq!(index.get(1).unwrap().status, VolunteerStatus::Paused);
        assert_eq!(
            index.get(1).unwrap().involved_family_ids,
            Vec::<u128>::new()
        );
        let deduped = vec![volunteer(2), second];
        let got = index.top_k(&family(1), 5, &Weights::default(), &policy());
        assert_eq!(
            got,
            brute_force(&deduped, &family(1), 5, &Weights::default(), &policy())
        );
        let mut index = index;
        index.upsert(volunteer(3));
        assert_eq!(index.slot_count(), 3, "the duplicate's slot is reused");
    }

    #[test]
    fn get_returns_the_normalised_profile() {
        let mut v = volunteer(5);
        v.trainings = vec![" basic".into(), "Child_Safety".into()];
        v.involved_family_ids = vec![8, 3, 8];
        let mut index = MatchIndex::new();
        index.upsert(v.clone());
        let got = index.get(5).unwrap();
        assert_eq!(got.trainings, vec!["BASIC", "CHILD_SAFETY"]);
        assert_eq!(got.involved_family_ids, vec![3, 8]);
        assert_eq!(got.languages, v.languages);
        assert_eq!(got.background_check_issued_on, v.background_check_issued_on);
        assert_eq!(got.availability, v.availability);
        assert!(index.memory_bytes() > 0);
    }

    #[test]
    fn more_than_64_training_modules_still_count() {
        let mut volunteers = Vec::new();
        for i in 0..70u128 {
            let mut v = volunteer(i);
            v.trainings = vec!["BASIC".into(), format!("MODULE_{i}")];
            volunteers.push(v);
        }
        let mut p = policy();
        p.required_trainings
            .push(crate::profile::TrainingRequirement {
                crisis_type: None,
                module: "module_69".into(),
            });
        let index = MatchIndex::build(volunteers.clone());
        let got = index.top_k(&family(1), 3, &Weights::default(), &p);
        assert_eq!(
            got,
            brute_force(&volunteers, &family(1), 3, &Weights::default(), &p)
        );
        assert_eq!(got.candidates.len(), 1);
        p.required_trainings[3].module = "NOBODY_HAS_THIS".into();
        let got = index.top_k(&family(1), 3, &Weights::default(), &p);
        assert_eq!(
            got.excluded,
            vec![(ExclusionReason::MissingRequiredTraining, 70)]
        );
    }

    #[test]
    fn unusual_travel_distances_behave_like_the_scan() {
        let mut volunteers = Vec::new();
        for (i, reach) in [f64::NAN, -1.0, 0.0, f64::INFINITY, 1e9]
            .into_iter()
            .enumerate()
        {
            let mut v = volunteer(i as u128);
            v.max_travel_km = reach;
            volunteers.push(v);
        }
        let mut f = family(1);
        f.home = volunteers[0].home;
        let index = MatchIndex::build(volunteers.clone());
        let got = index.top_k(&f, 10, &Weights::default(), &policy());
        assert_eq!(
            got,
            brute_force(&volunteers, &f, 10, &Weights::default(), &policy())
        );
        assert_eq!(got.excluded, vec![(ExclusionReason::TooFar, 2)]);
    }
}
