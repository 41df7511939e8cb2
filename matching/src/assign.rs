//! Batch assignment: volunteers for a whole waiting list at once.
//!
//! Maximises the sum of `priority(family) * score` over eligible pairs, each family at
//! most one volunteer, each volunteer at most their free capacity
//! (`capacity - current_load`). Pinned pairs are kept when eligible (and consume
//! capacity first); forbidden pairs are never used.
//!
//! # How the optimum is found, exactly
//! It is a min-cost flow: family -> volunteer arcs cost `-weight`, each family may also
//! stay unassigned at cost 0, each volunteer drains to the sink up to their free
//! capacity. Families are added one at a time, in input order, each by a shortest
//! augmenting path (Dijkstra on reduced costs with node potentials, stopping at the
//! sink), which keeps the flow optimal after every family. Weights are scaled to
//! integers (the largest to about 2^40), so path lengths and ties are exact and the
//! plan is deterministic.
//!
//! Dense instances have millions of eligible pairs, so each family first contributes
//! only its 16 best; the potentials of that restricted optimum are then a certificate:
//! a left-out pair `(f, v)` could only improve the plan if its weight exceeded
//! `potential(f) - potential(sink)` (0 for an unassigned family). Families whose best
//! left-out pair fails that test get all their pairs and the flow is solved again, until
//! no family fails: the plan is then optimal for the full eligible-pair graph.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use crate::index::{BestK, MatchIndex, PairVisitor, Ranked};
use crate::profile::{FamilyProfile, Policy, Weights};
use crate::score::{ExclusionReason, Measure, VolunteerFacts};

/// A batch to assign.
#[derive(Debug, Clone, Copy)]
pub struct AssignmentInput<'a> {
    /// The waiting families; a family listed twice is assigned once.
    pub families: &'a [FamilyProfile],
    /// `(family id, volunteer id)` pairs the coordinator has fixed. The first pin of a
    /// family counts; pins of families not in `families` are ignored.
    pub pinned: &'a [(u128, u128)],
    /// `(family id, volunteer id)` pairs that must not be suggested.
    pub forbidden: &'a [(u128, u128)],
}

/// One suggested pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assignment {
    /// The family.
    pub family_id: u128,
    /// Its volunteer.
    pub volunteer_id: u128,
    /// The pair's score in [0, 1].
    pub score: f64,
    /// The family's [`priority`].
    pub priority: f64,
}

/// A family the plan leaves without a volunteer, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unassigned {
    /// The family.
    pub family_id: u128,
    /// Plain English. One of: "no eligible volunteer (nearest exclusion: TOO_FAR)", where
    /// the nearest exclusion is the latest rule, in rule order, at which some volunteer
    /// was stopped (how close the closest one came); "all eligible volunteers were needed
    /// for more urgent or better-matched families"; "pinned volunteer is not eligible:
    /// AT_CAPACITY"; and a few about pins, forbidden pairs and duplicates.
    pub reason: String,
    /// The same reason for programs (and for sentences in other languages).
    pub cause: UnassignedCause,
}

/// Why a family is left without a volunteer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnassignedCause {
    /// There are no volunteers at all.
    NoVolunteers,
    /// No volunteer passes the hard rules; `nearest` is the latest rule, in
    /// rule order, at which some volunteer was stopped.
    NoEligibleVolunteer {
        /// How close the closest volunteer came.
        nearest: Option<ExclusionReason>,
    },
    /// The eligible volunteers were needed for more urgent or better-matched families.
    CapacityTakenByHigherPriority,
    /// The family's priority is zero under the policy.
    ZeroPriority,
    /// The eligible volunteers were taken by pinned families.
    TakenByPinnedFamilies,
    /// Every eligible volunteer is forbidden for this family.
    ForbiddenPairsOnly,
    /// The eligible volunteers were taken by pinned families or are forbidden.
    TakenByPinnedOrForbidden,
    /// The pinned pair is also forbidden.
    PinnedPairForbidden,
    /// The pinned volunteer is not in the index.
    PinnedVolunteerUnknown,
    /// The pinned volunteer fails a hard rule.
    PinnedVolunteerNotEligible(ExclusionReason),
    /// The pinned volunteer's capacity went to other pinned families.
    PinnedVolunteerAtCapacity,
    /// The family is listed more than once in the batch.
    ListedTwice,
}

impl UnassignedCause {
    /// The reason in plain English.
    pub fn english(self) -> String {
        match self {
            UnassignedCause::NoVolunteers => {
                "no eligible volunteer (there are no volunteers)".to_owned()
            }
            UnassignedCause::NoEligibleVolunteer {
                nearest: Some(rule),
            } => format!("no eligible volunteer (nearest exclusion: {rule})"),
            UnassignedCause::NoEligibleVolunteer { nearest: None } => {
                "no eligible volunteer".to_owned()
            }
            UnassignedCause::CapacityTakenByHigherPriority => {
                "all eligible volunteers were needed for more urgent or better-matched families"
                    .to_owned()
            }
            UnassignedCause::ZeroPriority => {
                "the family's priority is zero under the policy".to_owned()
            }
            UnassignedCause::TakenByPinnedFamilies => {
                "all eligible volunteers were taken by pinned families".to_owned()
            }
            UnassignedCause::ForbiddenPairsOnly => {
                "every eligible volunteer is forbidden for this family".to_owned()
            }
            UnassignedCause::TakenByPinnedOrForbidden => {
                "all eligible volunteers were taken by pinned families or are forbidden".to_owned()
            }
            UnassignedCause::PinnedPairForbidden => "the pinned pair is also forbidden".to_owned(),
            UnassignedCause::PinnedVolunteerUnknown => {
                "the pinned volunteer is not in the index".to_owned()
            }
            UnassignedCause::PinnedVolunteerNotEligible(rule) => {
                format!("pinned volunteer is not eligible: {rule}")
            }
            UnassignedCause::PinnedVolunteerAtCapacity => format!(
                "pinned volunteer is not eligible: {} (their capacity went to other pinned families)",
                ExclusionReason::AtCapacity
            ),
            UnassignedCause::ListedTwice => {
                "the family is listed more than once in the batch".to_owned()
            }
        }
    }
}

impl Unassigned {
    fn new(family_id: u128, cause: UnassignedCause) -> Unassigned {
        Unassigned {
            family_id,
            reason: cause.english(),
            cause,
        }
    }
}

/// A proposal for the whole batch; nothing is written anywhere.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignmentPlan {
    /// Pairs, in the order of the families in the input.
    pub assignments: Vec<Assignment>,
    /// Families without a volunteer, in input order (repeated families last).
    pub unassigned: Vec<Unassigned>,
    /// Sum of `priority * score` over `assignments`.
    pub objective: f64,
}

/// How much a family's match counts: `urgency_weight * (1 + waiting_days / 30)` with
/// [`Policy::urgency_weight`] (CRISIS 3, HIGH 2, NORMAL 1 by default) and the days
/// since referral as of [`Policy::today`] (never negative).
pub fn priority(family: &FamilyProfile, policy: &Policy) -> f64 {
    let waiting_days = policy.today.days_since(family.referred_on).max(0) as f64;
    policy.urgency_weight(family.urgency) * (1.0 + waiting_days / 30.0)
}

/// How many pairs each family contributes before the optimality check asks for more.
const FIRST_PAIRS: usize = 16;

/// What enumerating one family's eligible pairs found.
#[derive(Debug, Default)]
struct Pairs {
    /// Best first.
    kept: Vec<Ranked>,
    /// Score of the best pair left out (`None`: nothing left out).
    best_left_out: Option<f64>,
    /// Eligible volunteers seen, before forbidden pairs and capacity.
    eligible: u32,
    forbidden: u32,
    out_of_capacity: u32,
}

/// Why a family got nothing, decided before the flow.
#[derive(Debug, Clone)]
enum Outcome {
    Open,
    Pinned { slot: u32, score: f64 },
    Refused(UnassignedCause),
}

/// The batch after pins: what the flow (or the greedy baseline) works on.
#[derive(Debug)]
struct Batch<'a> {
    index: &'a MatchIndex,
    weights: &'a Weights,
    policy: &'a Policy,
    families: Vec<&'a FamilyProfile>,
    priorities: Vec<f64>,
    outcomes: Vec<Outcome>,
    /// Free capacity per index slot, after pins.
    remaining: Vec<u32>,
    forbidden: HashSet<(u128, u128)>,
    /// Families listed more than once (input positions after the first).
    duplicates: Vec<u128>,
}

impl<'a> Batch<'a> {
    fn new(
        input: &AssignmentInput<'a>,
        index: &'a MatchIndex,
        weights: &'a Weights,
        policy: &'a Policy,
    ) -> Batch<'a> {
        let mut seen = HashSet::new();
        let mut families = Vec::new();
        let mut duplicates = Vec::new();
        for f in input.families {
            if seen.insert(f.id) {
                families.push(f);
            } else {
                duplicates.push(f.id);
            }
        }
        let position: HashMap<u128, usize> = families
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id, i))
            .collect();
        let mut batch = Batch {
            index,
            weights,
            policy,
            priorities: families.iter().map(|f| priority(f, policy)).collect(),
            outcomes: vec![Outcome::Open; families.len()],
            families,
            remaining: (0..index.slot_count())
                .map(|s| index.free_capacity(s as u32))
                .collect(),
            forbidden: input.forbidden.iter().copied().collect(),
            duplicates,
        };
        let mut pinned_families = HashSet::new();
        for &(family_id, volunteer_id) in input.pinned {
            let Some(&fi) = position.get(&family_id) else {
                continue;
            };
            if !pinned_families.insert(family_id) {
                continue;
            }
            batch.outcomes[fi] = batch.pin(fi, volunteer_id);
        }
        batch
    }

    fn pin(&mut self, fi: usize, volunteer_id: u128) -> Outcome {
        let family = self.families[fi];
        if self.forbidden.contains(&(family.id, volunteer_id)) {
            return Outcome::Refused(UnassignedCause::PinnedPairForbidden);
        }
        let Some(slot) = self.index.slot(volunteer_id) else {
            return Outcome::Refused(UnassignedCause::PinnedVolunteerUnknown);
        };
        let q = self.index.query(family, self.policy);
        match self.index.evaluate(slot, &q, self.weights) {
            Err(rule) => Outcome::Refused(UnassignedCause::PinnedVolunteerNotEligible(rule)),
            Ok(_) if self.remaining[slot as usize] == 0 => {
                Outcome::Refused(UnassignedCause::PinnedVolunteerAtCapacity)
            }
            Ok(score) => {
                self.remaining[slot as usize] -= 1;
                Outcome::Pinned { slot, score }
            }
        }
    }

    /// The eligible pairs of family `fi` with capacity left and not forbidden, best
    /// first, at most `limit` of them.
    fn pairs(&self, fi: usize, limit: Option<usize>) -> Pairs {
        let family = self.families[fi];
        let q = self.index.query(family, self.policy);
        let mut collector = Collector {
            family_id: family.id,
            remaining: &self.remaining,
            forbidden: &self.forbidden,
            best: BestK::new(limit.unwrap_or(usize::MAX)),
            found: Pairs::default(),
        };
        self.index.visit_eligible(&q, self.weights, &mut collector);
        let mut found = collector.found;
        found.kept = collector.best.into_sorted();
        found
    }

    /// Why family `fi`, which got no pair from the optimiser, is left out.
    fn reason_unassigned(&self, fi: usize, pairs: &Pairs) -> UnassignedCause {
        if !pairs.kept.is_empty() {
            return if self.priorities[fi] > 0.0 {
                UnassignedCause::CapacityTakenByHigherPriority
            } else {
                UnassignedCause::ZeroPriority
            };
        }
        if pairs.eligible == 0 {
            if self.index.is_empty() {
                return UnassignedCause::NoVolunteers;
            }
            let q = self.index.query(self.families[fi], self.policy);
            let tally = self.index.scan(&q, self.weights, &mut BestK::new(0));
            return UnassignedCause::NoEligibleVolunteer {
                nearest: tally.nonzero().last().map(|(rule, _)| *rule),
            };
        }
        match (pairs.forbidden > 0, pairs.out_of_capacity > 0) {
            (true, false) => UnassignedCause::ForbiddenPairsOnly,
            (false, _) => UnassignedCause::TakenByPinnedFamilies,
            (true, true) => UnassignedCause::TakenByPinnedOrForbidden,
        }
    }

    /// The plan from the chosen volunteer slot of each family (`None`: unassigned).
    fn plan(&self, chosen: &[Option<(u32, f64)>], pairs: &[Pairs]) -> AssignmentPlan {
        let mut assignments = Vec::new();
        let mut unassigned = Vec::new();
        for (fi, family) in self.families.iter().enumerate() {
            let pick = match &self.outcomes[fi] {
                Outcome::Pinned { slot, score } => Some((*slot, *score)),
                Outcome::Refused(cause) => {
                    unassigned.push(Unassigned::new(family.id, *cause));
                    continue;
                }
                Outcome::Open => chosen[fi],
            };
            match pick {
                Some((slot, score)) => assignments.push(Assignment {
                    family_id: family.id,
                    volunteer_id: self.index.id_of(slot),
                    score,
                    priority: self.priorities[fi],
                }),
                None => unassigned.push(Unassigned::new(
                    family.id,
                    self.reason_unassigned(fi, &pairs[fi]),
                )),
            }
        }
        for id in &self.duplicates {
            unassigned.push(Unassigned::new(*id, UnassignedCause::ListedTwice));
        }
        let objective = assignments.iter().map(|a| a.priority * a.score).sum();
        AssignmentPlan {
            assignments,
            unassigned,
            objective,
        }
    }
}

/// Collects one family's best pairs, noting what it leaves out and why.
#[derive(Debug)]
struct Collector<'b> {
    family_id: u128,
    remaining: &'b [u32],
    forbidden: &'b HashSet<(u128, u128)>,
    best: BestK,
    found: Pairs,
}

impl Collector<'_> {
    fn note_left_out(&mut self, score: f64) {
        self.found.best_left_out = Some(self.found.best_left_out.map_or(score, |b| b.max(score)));
    }
}

impl PairVisitor for Collector<'_> {
    fn threshold(&self) -> f64 {
        self.best.threshold()
    }

    fn admit(&mut self, slot: u32, id: u128) -> bool {
        self.found.eligible += 1;
        if self.remaining[slot as usize] == 0 {
            self.found.out_of_capacity += 1;
            false
        } else if self.forbidden.contains(&(self.family_id, id)) {
            self.found.forbidden += 1;
            false
        } else {
            true
        }
    }

    fn eligible(&mut self, slot: u32, facts: &VolunteerFacts<'_>, m: &Measure) {
        let offered = Ranked {
            score: m.score,
            distance_km: m.distance_km,
            id: facts.id,
            slot,
        };
        if let Some(out) = self.best.offer(offered) {
            self.note_left_out(out.score);
        }
    }

    fn left_out(&mut self, upper_bound: f64) {
        self.note_left_out(upper_bound);
    }
}

/// The plan maximising the sum of `priority * score` (see the module docs). Pinned
/// pairs are kept when the pair is eligible and the volunteer has capacity left (pins
/// are served in input order); otherwise the family stays unassigned with the reason.
/// Deterministic: the same input gives the same plan.
pub fn suggest_assignments(
    input: &AssignmentInput,
    index: &MatchIndex,
    weights: &Weights,
    policy: &Policy,
) -> AssignmentPlan {
    let batch = Batch::new(input, index, weights, policy);
    let open: Vec<usize> = (0..batch.families.len())
        .filter(|fi| matches!(batch.outcomes[*fi], Outcome::Open))
        .collect();
    let mut limits: Vec<Option<usize>> = vec![Some(FIRST_PAIRS); batch.families.len()];
    let mut pairs: Vec<Pairs> = (0..batch.families.len())
        .map(|_| Pairs::default())
        .collect();
    for &fi in &open {
        pairs[fi] = batch.pairs(fi, limits[fi]);
    }
    loop {
        let solution = solve(&batch, &open, &pairs);
        let short: Vec<usize> = open
            .iter()
            .copied()
            .filter(|&fi| limits[fi].is_some() && !solution.certified(fi, &pairs[fi], &batch))
            .collect();
        if short.is_empty() {
            return batch.plan(&solution.chosen, &pairs);
        }
        for fi in short {
            limits[fi] = None;
            pairs[fi] = batch.pairs(fi, None);
        }
    }
}

/// The greedy baseline the optimum is measured against: families by priority (highest
/// first, then input order) each take their best eligible volunteer with capacity left.
/// Same pins, forbidden pairs and reasons as [`suggest_assignments`].
pub fn suggest_assignments_greedy(
    input: &AssignmentInput,
    index: &MatchIndex,
    weights: &Weights,
    policy: &Policy,
) -> AssignmentPlan {
    let mut batch = Batch::new(input, index, weights, policy);
    let mut order: Vec<usize> = (0..batch.families.len())
        .filter(|fi| matches!(batch.outcomes[*fi], Outcome::Open))
        .collect();
    order.sort_by(|a, b| {
        batch.priorities[*b]
            .total_cmp(&batch.priorities[*a])
            .then(a.cmp(b))
    });
    let mut chosen = vec![None; batch.families.len()];
    let mut pairs: Vec<Pairs> = (0..batch.families.len())
        .map(|_| Pairs::default())
        .collect();
    for fi in order {
        pairs[fi] = batch.pairs(fi, Some(1));
        if let Some(best) = pairs[fi].kept.first() {
            batch.remaining[best.slot as usize] -= 1;
            chosen[fi] = Some((best.slot, best.score));
        }
    }
    batch.plan(&chosen, &pairs)
}

// ---- the flow

/// Result of one min-cost-flow solve.
#[derive(Debug)]
struct Solution {
    /// Per family (batch position): chosen slot and score.
    chosen: Vec<Option<(u32, f64)>>,
    /// `potential(f) - potential(sink)` per family, in weight units (`i64`).
    slack: Vec<i64>,
    scale: f64,
}

impl Solution {
    /// True when no left-out pair of family `fi` could improve the plan.
    fn certified(&self, fi: usize, pairs: &Pairs, batch: &Batch<'_>) -> bool {
        match pairs.best_left_out {
            None => true,
            Some(score) => {
                let weight = to_units(batch.priorities[fi] * score, self.scale);
                let bound = if self.chosen[fi].is_some() {
                    self.slack[fi]
                } else {
                    0
                };
                weight <= bound
            }
        }
    }
}

fn to_units(weight: f64, scale: f64) -> i64 {
    (weight.max(0.0) * scale).round() as i64
}

#[derive(Debug, Clone, Copy)]
struct Arc {
    to: u32,
    cap: u32,
    cost: i64,
}

/// Residual graph; arc `a ^ 1` is the reverse of arc `a`.
#[derive(Debug, Default)]
struct Graph {
    arcs: Vec<Arc>,
    out: Vec<Vec<u32>>,
}

impl Graph {
    fn add(&mut self, from: usize, to: usize, cap: u32, cost: i64) {
        let id = self.arcs.len() as u32;
        self.arcs.push(Arc {
            to: to as u32,
            cap,
            cost,
        });
        self.arcs.push(Arc {
            to: from as u32,
            cap: 0,
            cost: -cost,
        });
        self.out[from].push(id);
        self.out[to].push(id + 1);
    }
}

/// Exact max-weight assignment of the `open` families over their kept pairs.
fn solve(batch: &Batch<'_>, open: &[usize], pairs: &[Pairs]) -> Solution {
    let nf = batch.families.len();
    let max_weight = open
        .iter()
        .flat_map(|&fi| {
            pairs[fi]
                .kept
                .iter()
                .map(move |p| batch.priorities[fi] * p.score)
        })
        .fold(0.0_f64, f64::max);
    // Paths have at most 2 * families + 2 arcs; keep every sum far from i64::MAX.
    let unit_cap = ((1u64 << 61) / (2 * nf as u64 + 4)).min(1 << 40) as f64;
    let scale = if max_weight > 0.0 {
        unit_cap / max_weight
    } else {
        1.0
    };

    // Nodes: families 0..nf, then volunteers in order of first appearance, then sink.
    let mut volunteer_node: HashMap<u32, usize> = HashMap::new();
    let mut volunteer_slots: Vec<u32> = Vec::new();
    for &fi in open {
        for p in &pairs[fi].kept {
            volunteer_node.entry(p.slot).or_insert_with(|| {
                volunteer_slots.push(p.slot);
                nf + volunteer_slots.len() - 1
            });
        }
    }
    let sink = nf + volunteer_slots.len();
    let nodes = sink + 1;
    let mut g = Graph {
        arcs: Vec::new(),
        out: vec![Vec::new(); nodes],
    };
    let mut potential = vec![0i64; nodes];
    let mut family_arc_start = vec![0usize; nf];
    for &fi in open {
        family_arc_start[fi] = g.arcs.len();
        for p in &pairs[fi].kept {
            let weight = to_units(batch.priorities[fi] * p.score, scale);
            let v = volunteer_node[&p.slot];
            g.add(fi, v, 1, -weight);
            potential[v] = potential[v].min(-weight);
        }
        g.add(fi, sink, 1, 0);
    }
    for (i, &slot) in volunteer_slots.iter().enumerate() {
        g.add(nf + i, sink, batch.remaining[slot as usize], 0);
    }
    potential[sink] = potential[nf..sink]
        .iter()
        .copied()
        .min()
        .unwrap_or(0)
        .min(0);

    let mut dist = vec![i64::MAX; nodes];
    let mut via = vec![u32::MAX; nodes];
    let mut touched: Vec<usize> = Vec::new();
    let mut settled: Vec<usize> = Vec::new();
    let mut heap: BinaryHeap<Reverse<(i64, u32)>> = BinaryHeap::new();
    for &fi in open {
        dist[fi] = 0;
        touched.push(fi);
        heap.push(Reverse((0, fi as u32)));
        while let Some(Reverse((d, u))) = heap.pop() {
            let u = u as usize;
            if d > dist[u] {
                continue;
            }
            if u == sink {
                break;
            }
            settled.push(u);
            for &a in &g.out[u] {
                let arc = g.arcs[a as usize];
                if arc.cap == 0 {
                    continue;
                }
                let to = arc.to as usize;
                let nd = d + arc.cost + potential[u] - potential[to];
                if nd < dist[to] {
                    if dist[to] == i64::MAX {
                        touched.push(to);
                    }
                    dist[to] = nd;
                    via[to] = a;
                    heap.push(Reverse((nd, to as u32)));
                }
            }
        }
        heap.clear();
        // The family->sink arc always exists, so the sink is reached.
        let to_sink = dist[sink];
        let mut node = sink;
        while node != fi {
            let a = via[node] as usize;
            g.arcs[a].cap -= 1;
            g.arcs[a ^ 1].cap += 1;
            node = g.arcs[a ^ 1].to as usize;
        }
        for &u in &settled {
            if dist[u] < to_sink {
                potential[u] += dist[u] - to_sink;
            }
        }
        for &u in &touched {
            dist[u] = i64::MAX;
            via[u] = u32::MAX;
        }
        touched.clear();
        settled.clear();
    }

    let mut chosen = vec![None; nf];
    let mut slack = vec![0i64; nf];
    for &fi in open {
        for (k, p) in pairs[fi].kept.iter().enumerate() {
            let arc = g.arcs[family_arc_start[fi] + 2 * k];
            if arc.cap == 0 {
                chosen[fi] = Some((p.slot, p.score));
            }
        }
        slack[fi] = potential[fi] - potential[sink];
    }
    Solution {
        chosen,
        slack,
        scale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{Day, Urgency};
    use crate::score::tests::{TODAY, family, volunteer};

    fn policy() -> Policy {
        Policy::with_today(TODAY)
    }

    #[test]
    fn priority_grows_with_urgency_and_waiting() {
        let p = policy();
        let mut f = family(1);
        f.referred_on = TODAY;
        f.urgency = Urgency::Normal;
        assert_eq!(priority(&f, &p), 1.0);
        f.urgency = Urgency::Crisis;
        assert_eq!(priority(&f, &p), 3.0);
        f.referred_on = Day(TODAY.0 - 30);
        assert_eq!(priority(&f, &p), 6.0);
        f.referred_on = Day(TODAY.0 + 5);
        assert_eq!(priority(&f, &p), 3.0);
    }

    #[test]
    fn one_volunteer_goes_to_the_family_it_helps_most() {
        let mut v = volunteer(10);
        v.capacity = 1;
        let index = MatchIndex::build(vec![v]);
        let mut urgent = family(1);
        urgent.urgency = Urgency::Crisis;
        let calm = family(2);
        let families = [calm.clone(), urgent.clone()];
        let input = AssignmentInput {
            families: &families,
            pinned: &[],
            forbidden: &[],
        };
        let plan = suggest_assignments(&input, &index, &Weights::default(), &policy());
        assert_eq!(plan.assignments.len(), 1);
        assert_eq!(plan.assignments[0].family_id, 1);
        assert_eq!(plan.assignments[0].volunteer_id, 10);
        assert_eq!(
            plan.unassigned,
            vec![Unassigned {
                family_id: 2,
                reason:
                    "all eligible volunteers were needed for more urgent or better-matched families"
                        .into(),
                cause: UnassignedCause::CapacityTakenByHigherPriority,
            }]
        );
        let a = plan.assignments[0];
        assert!((plan.objective - a.priority * a.score).abs() < 1e-12);
    }

    #[test]
    fn pins_and_forbidden_pairs_are_respected() {
        let mut v = volunteer(10);
        v.capacity = 1;
        let index = MatchIndex::build(vec![v, volunteer(11)]);
        let families = [family(1), family(2), family(3)];
        let input = AssignmentInput {
            families: &families,
            pinned: &[(2, 10), (3, 10), (99, 11)],
            forbidden: &[(1, 11)],
        };
        let plan = suggest_assignments(&input, &index, &Weights::default(), &policy());
        let pairs: Vec<(u128, u128)> = plan
            .assignments
            .iter()
            .map(|a| (a.family_id, a.volunteer_id))
            .collect();
        assert_eq!(pairs, vec![(2, 10)]);
        let reasons: Vec<(u128, &str)> = plan
            .unassigned
            .iter()
            .map(|u| (u.family_id, u.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            vec![
                (
                    1,
                    "all eligible volunteers were taken by pinned families or are forbidden"
                ),
                (
                    3,
                    "pinned volunteer is not eligible: AT_CAPACITY (their capacity went to other pinned families)"
                ),
            ]
        );
    }

    #[test]
    fn families_nobody_can_help_say_how_close_they_came() {
        let mut far = volunteer(10);
        far.max_travel_km = 0.5;
        let mut paused = volunteer(11);
        paused.status = crate::profile::VolunteerStatus::Paused;
        let index = MatchIndex::build(vec![far, paused]);
        let families = [family(1)];
        let input = AssignmentInput {
            families: &families,
            pinned: &[(1, 11)],
            forbidden: &[],
        };
        let plan = suggest_assignments(&input, &index, &Weights::default(), &policy());
        assert_eq!(
            plan.unassigned[0].reason,
            "pinned volunteer is not eligible: NOT_ACTIVE"
        );
        let input = AssignmentInput {
            families: &families,
            pinned: &[],
            forbidden: &[],
        };
        let plan = suggest_assignments(&input, &index, &Weights::default(), &policy());
        assert_eq!(
            plan.unassigned[0].reason,
            "no eligible volunteer (nearest exclusion: TOO_FAR)"
        );
        assert_eq!(plan.objective, 0.0);
        let empty = MatchIndex::new();
        let plan = suggest_assignments(&input, &empty, &Weights::default(), &policy());
        assert_eq!(
            plan.unassigned[0].reason,
            "no eligible volunteer (there are no volunteers)"
        );
    }

    #[test]
    fn the_optimum_can_beat_greedy() {
        // Volunteer 10 suits both families; 11 suits only family 1 a bit less well.
        // Greedy gives 10 to the more urgent family 1 and leaves family 2 without anyone.
        let mut a = volunteer(10);
        a.capacity = 1;
        let mut b = volunteer(11);
        b.capacity = 1;
        b.home = crate::places::Coordinates::new(50.90, 4.40).unwrap();
        let index = MatchIndex::build(vec![a, b]);
        let mut urgent = family(1);
        urgent.urgency = Urgency::High;
        let mut other = family(2);
        other.home = crate::places::Coordinates::new(50.80, 4.30).unwrap();
        let families = [urgent, other];
        let input = AssignmentInput {
            families: &families,
            pinned: &[],
            forbidden: &[],
        };
        let optimal = suggest_assignments(&input, &index, &Weights::default(), &policy());
        let greedy = suggest_assignments_greedy(&input, &index, &Weights::default(), &policy());
        assert_eq!(optimal.assignments.len(), 2, "{optimal:?}");
        assert_eq!(greedy.assignments.len(), 1, "{greedy:?}");
        assert!(optimal.objective > greedy.objective);
    }
}
