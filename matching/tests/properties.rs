//! Property tests against oracles: the index against a brute-force scan with `explain`,
//! the batch assignment against brute-force enumeration and the greedy baseline.

#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

use std::collections::{HashMap, HashSet};

use matching::{
    AssignmentInput, AssignmentPlan, Coordinates, CrisisSet, CrisisType, Day, FamilyProfile,
    LanguageCode, LanguageLevel, MatchIndex, MatchResult, Policy, Rankings, TimeSlot, Urgency,
    VolunteerProfile, VolunteerStatus, WeekMask, Weekday, Weights, explain, first_failed_rule,
    priority, suggest_assignments, suggest_assignments_greedy,
};
use proptest::prelude::*;

const TODAY: Day = Day(20_000);
const LANGUAGES: [&str; 5] = ["nl", "fr", "en", "ar", "tr"];
const MODULES: [&str; 5] = [
    "BASIC",
    " basic",
    "DOMESTIC_VIOLENCE",
    "CHILD_SAFETY",
    "OTHER",
];

fn french() -> LanguageCode {
    LanguageCode::parse_code("fr").unwrap()
}

fn language_skills() -> impl Strategy<Value = Vec<(LanguageCode, LanguageLevel)>> {
    prop::collection::vec((0..LANGUAGES.len(), 0..4usize), 0..4).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(l, level)| {
                (
                    LanguageCode::parse_code(LANGUAGES[l]).unwrap(),
                    LanguageLevel::ALL[level],
                )
            })
            .collect()
    })
}

/// A few windows on Wednesday and Saturday, so overlaps are frequent but not certain.
fn week() -> impl Strategy<Value = WeekMask> {
    prop::collection::vec((prop::bool::ANY, 32u16..80, 1u16..16), 0..3).prop_map(|windows| {
        let slots: Vec<TimeSlot> = windows
            .into_iter()
            .map(|(saturday, start, len)| TimeSlot {
                day: if saturday {
                    Weekday::Saturday
                } else {
                    Weekday::Wednesday
                },
                start_minute: start * 15,
                end_minute: (start + len).min(96) * 15,
            })
            .collect();
        WeekMask::from_slots(&slots)
    })
}

fn crisis_set() -> impl Strategy<Value = CrisisSet> {
    prop::collection::vec(0..CrisisType::ALL.len(), 0..4)
        .prop_map(|ts| ts.into_iter().map(|t| CrisisType::ALL[t]).collect())
}

/// Around Brussels: distances from 0 to about 15 km.
fn home() -> impl Strategy<Value = Coordinates> {
    (50.80f64..50.90, 4.30f64..4.45).prop_map(|(lat, lon)| Coordinates::new(lat, lon).unwrap())
}

fn any_volunteer(id: u128) -> impl Strategy<Value = VolunteerProfile> {
    (
        (
            prop::sample::select(vec![
                VolunteerStatus::Active,
                VolunteerStatus::Active,
                VolunteerStatus::Active,
                VolunteerStatus::Active,
                VolunteerStatus::Paused,
                VolunteerStatus::InTraining,
            ]),
            language_skills(),
            home(),
            prop_oneof![
                8 => 0.0f64..12.0,
                1 => Just(0.0),
                1 => Just(f64::NAN),
                1 => Just(f64::INFINITY),
            ],
            week(),
            crisis_set(),
        ),
        (
            prop::collection::vec(0..MODULES.len(), 0..4),
            0u32..3,
            0u32..3,
            prop::option::weighted(
                0.9,
                prop_oneof![3 => -5i32..1200, 1 => prop::sample::select(vec![-1, 0, 1, 1095, 1096, 1097])],
            ),
            prop::collection::vec(1u128..4, 0..2),
        ),
    )
        .prop_map(
            move |(
                (status, languages, home, max_travel_km, availability, crisis_experience),
                (modules, capacity, current_load, age, involved_family_ids),
            )| VolunteerProfile {
                id,
                status,
                languages,
                home,
                max_travel_km,
                availability,
                crisis_experience,
                trainings: modules.into_iter().map(|m| MODULES[m].to_owned()).collect(),
                capacity,
                current_load,
                background_check_issued_on: age.map(|a| Day(TODAY.0 - a)),
                involved_family_ids,
            },
        )
}

fn any_family(id: u128) -> impl Strategy<Value = FamilyProfile> {
    (
        language_skills(),
        prop::option::of(0..LANGUAGES.len()),
        home(),
        week(),
        crisis_set(),
        prop::sample::select(Urgency::ALL.to_vec()),
        0i32..400,
    )
        .prop_map(
            move |(
                languages,
                preferred,
                home,
                needed_availability,
                crisis_types,
                urgency,
                waited,
            )| {
                FamilyProfile {
                    id,
                    languages,
                    preferred_language: preferred
                        .map(|l| LanguageCode::parse_code(LANGUAGES[l]).unwrap()),
                    home,
                    needed_availability,
                    crisis_types,
                    urgency,
                    referred_on: Day(TODAY.0 - waited),
                    parted: Vec::new(),
                }
            },
        )
}

/// Half of the volunteers are made mostly eligible (active, checked, trained, free,
/// speaking French and free on Wednesdays), so rankings have candidates to order.
fn volunteer(id: u128) -> impl Strategy<Value = VolunteerProfile> {
    (any_volunteer(id), prop::bool::ANY, 0..4usize).prop_map(|(mut v, likely, level)| {
        if likely {
            v.status = VolunteerStatus::Active;
            v.background_check_issued_on = Some(Day(TODAY.0 - 10));
            v.capacity = v.current_load + 1;
            v.max_travel_km = v.max_travel_km.max(8.0);
            v.trainings = MODULES.iter().map(|m| m.to_string()).collect();
            v.languages.push((french(), LanguageLevel::ALL[level]));
            v.availability = v
                .availability
                .union(&WeekMask::from_slots(&[TimeSlot::parse(
                    Weekday::Wednesday,
                    "08:00",
                    "20:00",
                )
                .unwrap()]));
        }
        v
    })
}

/// Most families speak French too.
fn family(id: u128) -> impl Strategy<Value = FamilyProfile> {
    (any_family(id), prop::bool::weighted(0.7), 0..4usize).prop_map(|(mut f, french_too, level)| {
        if french_too {
            f.languages.push((french(), LanguageLevel::ALL[level]));
        }
        f
    })
}

fn volunteers(max: usize) -> impl Strategy<Value = Vec<VolunteerProfile>> {
    (0..=max).prop_flat_map(|n| {
        (0..n)
            .map(|i| volunteer(100 + i as u128))
            .collect::<Vec<_>>()
    })
}

fn weights() -> impl Strategy<Value = Weights> {
    prop_oneof![
        Just(Weights::default()),
        (0.0f64..1.0, 0.0f64..1.0, 0.0f64..1.0, 0.01f64..1.0)
            .prop_map(|(a, b, c, d)| Weights::new(a, b, c, d).unwrap()),
    ]
}

fn policy() -> impl Strategy<Value = Policy> {
    prop::sample::select(vec![0u32, 30, 60, 120]).prop_map(|min_overlap_minutes| Policy {
        min_overlap_minutes,
        ..Policy::with_today(TODAY)
    })
}

/// The oracle: `explain` for every volunteer, sorted best first.
fn brute_force(
    volunteers: &[VolunteerProfile],
    family: &FamilyProfile,
    k: usize,
    weights: &Weights,
    policy: &Policy,
) -> MatchResult {
    let mut excluded = HashMap::new();
    let mut candidates = Vec::new();
    for v in volunteers {
        let e = explain(family, v, weights, policy);
        match e.failed_rules.first() {
            Some(r) => *excluded.entry(*r).or_insert(0u32) += 1,
            None => candidates.push(e.candidate),
        }
    }
    candidates.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.distance_km.total_cmp(&b.distance_km))
            .then(a.volunteer_id.cmp(&b.volunteer_id))
    });
    candidates.truncate(k);
    let mut excluded: Vec<_> = excluded.into_iter().collect();
    excluded.sort();
    MatchResult {
        candidates,
        excluded,
        considered: volunteers.len() as u32,
    }
}

/// An edit of the index: upsert a volunteer with one of a few ids, or remove an id.
#[derive(Debug, Clone)]
enum Edit {
    Upsert(Box<VolunteerProfile>),
    Remove(u128),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        prop_oneof![
            3 => (100u128..130).prop_flat_map(volunteer).prop_map(|v| Edit::Upsert(Box::new(v))),
            1 => (100u128..130).prop_map(Edit::Remove),
        ],
        0..30,
    )
}

/// A few homes shared by several volunteers of a dense cluster (ties in distance).
const SPOTS: [(f64, f64); 3] = [(50.85, 4.35), (50.852, 4.347), (50.8485, 4.356)];

/// Within about half a kilometre of the cluster's centre, or on one of its [`SPOTS`].
fn cluster_home() -> impl Strategy<Value = Coordinates> {
    prop_oneof![
        3 => (50.845f64..50.855, 4.342f64..4.358),
        1 => prop::sample::select(SPOTS.to_vec()),
    ]
    .prop_map(|(lat, lon)| Coordinates::new(lat, lon).unwrap())
}

/// Travel distances from a few hundred metres to unbounded, the bounds of the index's
/// reach classes included.
fn travel_km() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => 0.1f64..30.0,
        2 => prop::sample::select(vec![1.0, 1.25, 1.5, 2.0, 3.0, 5.0, 8.0, 10.0, 25.0, 100.0]),
        1 => Just(0.0),
        1 => Just(f64::INFINITY),
    ]
}

/// A volunteer of a dense cluster: as [`volunteer`], living in the cluster.
fn dense_volunteer(id: u128) -> impl Strategy<Value = VolunteerProfile> {
    (volunteer(id), cluster_home(), travel_km()).prop_map(|(mut v, home, travel)| {
        v.home = home;
        v.max_travel_km = travel;
        v
    })
}

/// 150 to 400 volunteers of a dense cluster, with distinct ids.
fn dense_volunteers() -> impl Strategy<Value = Vec<VolunteerProfile>> {
    (150usize..=400).prop_flat_map(|n| {
        (0..n)
            .map(|i| dense_volunteer(100 + i as u128))
            .collect::<Vec<_>>()
    })
}

/// In the cluster, or up to several kilometres from it.
fn family_near_the_cluster(id: u128) -> impl Strategy<Value = FamilyProfile> {
    (family(id), prop_oneof![cluster_home(), home()]).prop_map(|(mut f, home)| {
        f.home = home;
        f
    })
}

/// Weights with zeros: one criterion alone (location alone makes the ranking a matter
/// of distance; the others make ties that distance breaks), or any mix.
fn weights_with_zeros() -> impl Strategy<Value = Weights> {
    fn weight() -> impl Strategy<Value = f64> {
        prop_oneof![1 => Just(0.0), 2 => 0.0f64..1.0]
    }
    prop_oneof![
        1 => Just(Weights::default()),
        1 => prop::sample::select(vec![
            Weights::new(0.0, 1.0, 0.0, 0.0).unwrap(),
            Weights::new(1.0, 0.0, 0.0, 0.0).unwrap(),
            Weights::new(0.0, 0.0, 1.0, 0.0).unwrap(),
            Weights::new(0.0, 0.0, 0.0, 1.0).unwrap(),
        ]),
        3 => (weight(), weight(), weight(), weight())
            .prop_filter_map("every weight zero", |(a, b, c, d)| Weights::new(a, b, c, d).ok()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn top_k_returns_exactly_what_a_brute_force_scan_returns(
        volunteers in volunteers(30),
        family in (1u128..4).prop_flat_map(family),
        k in prop::sample::select(vec![0usize, 1, 3, 10, 100]),
        weights in weights(),
        policy in policy(),
    ) {
        let index = MatchIndex::build(volunteers.clone());
        let got = index.top_k(&family, k, &weights, &policy);
        let uncounted = index.top_k_candidates(&family, k, &weights, &policy);
        prop_assert_eq!(&uncounted, &got.candidates);
        prop_assert_eq!(got, brute_force(&volunteers, &family, k, &weights, &policy));
    }

    #[test]
    fn top_k_stays_exact_through_upserts_and_removes(
        start in volunteers(20),
        edits in edits(),
        family in (1u128..4).prop_flat_map(family),
        policy in policy(),
    ) {
        let mut index = MatchIndex::build(start.clone());
        let mut model: Vec<VolunteerProfile> = start;
        for edit in edits {
            match edit {
                Edit::Upsert(v) => {
                    let v = *v;
                    match model.iter_mut().find(|m| m.id == v.id) {
                        Some(m) => *m = v.clone(),
                        None => model.push(v.clone()),
                    }
                    index.upsert(v);
                }
                Edit::Remove(id) => {
                    let existed = model.iter().any(|m| m.id == id);
                    model.retain(|m| m.id != id);
                    prop_assert_eq!(index.remove(id), existed);
                }
            }
        }
        prop_assert_eq!(index.len(), model.len());
        let weights = Weights::default();
        let got = index.top_k(&family, 10, &weights, &policy);
        prop_assert_eq!(&index.top_k_candidates(&family, 10, &weights, &policy), &got.candidates);
        prop_assert_eq!(got, brute_force(&model, &family, 10, &weights, &policy));
        for v in &model {
            let stored = index.get(v.id).unwrap();
            prop_assert_eq!(
                explain(&family, &stored, &weights, &policy),
                explain(&family, v, &weights, &policy)
            );
        }
    }

    /// Hundreds of volunteers close together: the ranking fills early and
    /// `top_k_candidates` skips R-tree boxes and entries, which must not change a bit.
    #[test]
    fn top_k_candidates_skip_nobody_who_ranks_in_a_dense_cluster(
        volunteers in dense_volunteers(),
        family in (1u128..4).prop_flat_map(family_near_the_cluster),
        weights in weights_with_zeros(),
        policy in policy(),
        upserted in prop::bool::ANY,
    ) {
        let index = if upserted {
            let mut index = MatchIndex::new();
            for v in volunteers.clone() {
                index.upsert(v);
            }
            index
        } else {
            MatchIndex::build(volunteers.clone())
        };
        let want = brute_force(&volunteers, &family, 20, &weights, &policy).candidates;
        for k in 1..=20 {
            let got = index.top_k_candidates(&family, k, &weights, &policy);
            prop_assert_eq!(&got, &index.top_k(&family, k, &weights, &policy).candidates, "k = {}", k);
            prop_assert_eq!(&got[..], &want[..k.min(want.len())], "k = {}", k);
        }
    }

    #[test]
    fn every_score_is_in_the_unit_interval_and_explained(
        v in volunteer(1),
        f in family(2),
        weights in weights(),
        policy in policy(),
    ) {
        let e = explain(&f, &v, &weights, &policy);
        let c = &e.candidate;
        for x in [c.score, c.breakdown.language, c.breakdown.location, c.breakdown.availability, c.breakdown.crisis_type] {
            prop_assert!((0.0..=1.0).contains(&x), "{} out of [0, 1]: {:?}", x, c);
        }
        prop_assert_eq!(c.explanation().len(), 4);
        prop_assert!(c.explanation().iter().all(|s| !s.is_empty()));
        prop_assert_eq!(first_failed_rule(&f, &v, &policy), e.failed_rules.first().copied());
        let mut sorted = e.failed_rules.clone();
        sorted.sort();
        prop_assert_eq!(sorted, e.failed_rules.clone());
    }
}

/// A step of the server's life: volunteers change or leave, families change, a day
/// passes, and rankings are asked for (and kept).
#[derive(Debug, Clone)]
enum Step {
    Upsert(Box<VolunteerProfile>),
    Remove(u128),
    MoveFamily(usize, Box<FamilyProfile>),
    NextDay,
    Rank {
        family: usize,
        k: usize,
        custom_weights: bool,
    },
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(
        prop_oneof![
            4 => (100u128..125).prop_flat_map(volunteer).prop_map(|v| Step::Upsert(Box::new(v))),
            1 => (100u128..125).prop_map(Step::Remove),
            1 => (0usize..3).prop_flat_map(|i| family(1 + i as u128).prop_map(move |f| Step::MoveFamily(i, Box::new(f)))),
            1 => Just(Step::NextDay),
            6 => (0usize..3, prop::sample::select(vec![1usize, 3, 10]), prop::bool::ANY)
                .prop_map(|(family, k, custom_weights)| Step::Rank { family, k, custom_weights }),
        ],
        1..60,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Kept rankings, told of every change to the index, are always exactly what
    /// ranking the index afresh returns.
    #[test]
    fn kept_rankings_stay_what_a_fresh_ranking_returns(
        start in volunteers(20),
        families in (family(1), family(2), family(3)),
        steps in steps(),
        custom in weights(),
        capacity in prop::sample::select(vec![0usize, 3, 25, 1000]),
    ) {
        let mut index = MatchIndex::build(start);
        let mut rankings = Rankings::with_capacity(capacity);
        let mut families = [families.0, families.1, families.2];
        let mut policy = Policy::with_today(TODAY);
        for step in steps {
            match step {
                Step::Upsert(v) => {
                    rankings.volunteer_changed(&v);
                    index.upsert(*v);
                }
                Step::Remove(id) => {
                    index.remove(id);
                    rankings.volunteer_removed(id);
                }
                Step::MoveFamily(i, f) => families[i] = *f,
                Step::NextDay => policy = Policy::with_today(Day(policy.today.0 + 400)),
                Step::Rank { family, k, custom_weights } => {
                    let weights = if custom_weights { custom } else { Weights::default() };
                    let f = &families[family];
                    let fresh = index.top_k_candidates(f, k, &weights, &policy);
                    let got = rankings.top_k_candidates(&index, f, k, &weights, &policy);
                    prop_assert_eq!(&got[..], &fresh[..]);
                    prop_assert!(rankings.slots() <= capacity);
                    prop_assert!(rankings.len() <= rankings.slots());
                }
            }
        }
    }
}

// ---- assignment

/// Pins as `suggest_assignments` documents them: first pin per family in the batch,
/// served in input order, kept when not forbidden, eligible and with capacity left.
fn apply_pins(
    families: &[FamilyProfile],
    volunteers: &[VolunteerProfile],
    pinned: &[(u128, u128)],
    forbidden: &HashSet<(u128, u128)>,
    policy: &Policy,
    remaining: &mut HashMap<u128, u32>,
) -> HashMap<u128, Option<u128>> {
    let mut outcome = HashMap::new();
    for &(f, v) in pinned {
        let Some(family) = families.iter().find(|x| x.id == f) else {
            continue;
        };
        if outcome.contains_key(&f) {
            continue;
        }
        let kept = !forbidden.contains(&(f, v))
            && volunteers.iter().any(|x| {
                x.id == v && first_failed_rule(family, x, policy).is_none() && remaining[&v] > 0
            });
        if kept {
            *remaining.get_mut(&v).unwrap() -= 1;
        }
        outcome.insert(f, kept.then_some(v));
    }
    outcome
}

/// The best objective over every assignment of the open families.
fn brute_force_objective(
    families: &[FamilyProfile],
    volunteers: &[VolunteerProfile],
    pinned: &[(u128, u128)],
    forbidden: &[(u128, u128)],
    weights: &Weights,
    policy: &Policy,
) -> f64 {
    let forbidden: HashSet<_> = forbidden.iter().copied().collect();
    let mut remaining: HashMap<u128, u32> = volunteers
        .iter()
        .map(|v| (v.id, v.capacity.saturating_sub(v.current_load)))
        .collect();
    let pins = apply_pins(
        families,
        volunteers,
        pinned,
        &forbidden,
        policy,
        &mut remaining,
    );
    let mut fixed = 0.0;
    let mut options: Vec<Vec<(u128, f64)>> = Vec::new();
    for f in families {
        if let Some(pin) = pins.get(&f.id) {
            if let Some(v) = pin {
                let vol = volunteers.iter().find(|x| x.id == *v).unwrap();
                fixed += priority(f, policy) * explain(f, vol, weights, policy).candidate.score;
            }
            continue;
        }
        options.push(
            volunteers
                .iter()
                .filter(|v| !forbidden.contains(&(f.id, v.id)))
                .filter_map(|v| {
                    let e = explain(f, v, weights, policy);
                    e.eligible()
                        .then(|| (v.id, priority(f, policy) * e.candidate.score))
                })
                .collect(),
        );
    }
    fn best(options: &[Vec<(u128, f64)>], remaining: &mut HashMap<u128, u32>) -> f64 {
        let Some((first, rest)) = options.split_first() else {
            return 0.0;
        };
        let mut top = best(rest, remaining);
        for &(v, w) in first {
            if remaining[&v] > 0 {
                *remaining.get_mut(&v).unwrap() -= 1;
                top = top.max(w + best(rest, remaining));
                *remaining.get_mut(&v).unwrap() += 1;
            }
        }
        top
    }
    fixed + best(&options, &mut remaining)
}

/// Capacities, pins, forbidden pairs, and every family accounted for once.
fn check_feasible(
    plan: &AssignmentPlan,
    families: &[FamilyProfile],
    volunteers: &[VolunteerProfile],
    pinned: &[(u128, u128)],
    forbidden: &[(u128, u128)],
    policy: &Policy,
) -> Result<(), TestCaseError> {
    let mut used: HashMap<u128, u32> = HashMap::new();
    for a in &plan.assignments {
        *used.entry(a.volunteer_id).or_default() += 1;
        prop_assert!(!forbidden.contains(&(a.family_id, a.volunteer_id)));
        let f = families.iter().find(|f| f.id == a.family_id).unwrap();
        let v = volunteers.iter().find(|v| v.id == a.volunteer_id).unwrap();
        prop_assert_eq!(first_failed_rule(f, v, policy), None);
    }
    for v in volunteers {
        prop_assert!(
            used.get(&v.id).copied().unwrap_or(0) <= v.capacity.saturating_sub(v.current_load)
        );
    }
    let mut seen: Vec<u128> = plan
        .assignments
        .iter()
        .map(|a| a.family_id)
        .chain(plan.unassigned.iter().map(|u| u.family_id))
        .collect();
    seen.sort();
    let mut ids: Vec<u128> = families.iter().map(|f| f.id).collect();
    ids.sort();
    prop_assert_eq!(seen, ids);
    let forbidden_set: HashSet<_> = forbidden.iter().copied().collect();
    let mut remaining: HashMap<u128, u32> = volunteers
        .iter()
        .map(|v| (v.id, v.capacity.saturating_sub(v.current_load)))
        .collect();
    let pins = apply_pins(
        families,
        volunteers,
        pinned,
        &forbidden_set,
        policy,
        &mut remaining,
    );
    for (f, pin) in pins {
        let got = plan
            .assignments
            .iter()
            .find(|a| a.family_id == f)
            .map(|a| a.volunteer_id);
        prop_assert_eq!(got, pin, "pin of family {}", f);
    }
    let objective: f64 = plan.assignments.iter().map(|a| a.priority * a.score).sum();
    prop_assert!((objective - plan.objective).abs() < 1e-9);
    Ok(())
}

/// Families, volunteers, pinned pairs, forbidden pairs.
type Batch = (
    Vec<FamilyProfile>,
    Vec<VolunteerProfile>,
    Vec<(u128, u128)>,
    Vec<(u128, u128)>,
);

fn small_batch() -> impl Strategy<Value = Batch> {
    (1usize..=6, 1usize..=5).prop_flat_map(|(nf, nv)| {
        let families: Vec<_> = (0..nf)
            .map(|i| {
                family(1 + i as u128).prop_map(|mut f| {
                    f.languages.push((french(), LanguageLevel::Fluent));
                    f
                })
            })
            .collect();
        let volunteers: Vec<_> = (0..nv)
            .map(|i| {
                (volunteer(100 + i as u128), 1u32..=2, 0u32..=1, 0..4usize).prop_map(
                    |(mut v, cap, load, level)| {
                        // Mostly eligible, so the optimiser has real choices to make.
                        v.status = VolunteerStatus::Active;
                        v.capacity = cap + load;
                        v.current_load = load;
                        v.background_check_issued_on = Some(Day(TODAY.0 - 10));
                        v.trainings = MODULES.iter().map(|m| m.to_string()).collect();
                        v.max_travel_km = 20.0;
                        v.languages.push((french(), LanguageLevel::ALL[level]));
                        v.availability =
                            v.availability
                                .union(&WeekMask::from_slots(&[TimeSlot::parse(
                                    Weekday::Wednesday,
                                    "08:00",
                                    "20:00",
                                )
                                .unwrap()]));
                        v
                    },
                )
            })
            .collect();
        let pair = (1..=nf as u128, 100..100 + nv as u128);
        (
            families,
            volunteers,
            prop::collection::vec(pair.clone(), 0..2),
            prop::collection::vec(pair, 0..3),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn assignment_is_optimal_feasible_and_at_least_greedy(
        (families, volunteers, pinned, forbidden) in small_batch(),
        weights in weights(),
    ) {
        let policy = Policy::with_today(TODAY);
        let index = MatchIndex::build(volunteers.clone());
        let input = AssignmentInput { families: &families, pinned: &pinned, forbidden: &forbidden };
        let plan = suggest_assignments(&input, &index, &weights, &policy);
        check_feasible(&plan, &families, &volunteers, &pinned, &forbidden, &policy)?;
        let greedy = suggest_assignments_greedy(&input, &index, &weights, &policy);
        check_feasible(&greedy, &families, &volunteers, &pinned, &forbidden, &policy)?;
        let best = brute_force_objective(&families, &volunteers, &pinned, &forbidden, &weights, &policy);
        prop_assert!((plan.objective - best).abs() <= 1e-9 * (1.0 + best), "plan {} vs brute force {}", plan.objective, best);
        prop_assert!(plan.objective >= greedy.objective - 1e-9 * (1.0 + best));
        prop_assert_eq!(suggest_assignments(&input, &index, &weights, &policy), plan);
    }
}

// ---- medium batches: more than 16 eligible pairs per family, against the Hungarian method

/// Minimum-cost assignment of every row to a distinct column (rows <= columns), by the
/// Hungarian method with potentials (O(rows^2 * columns)). Returns the column per row.
fn hungarian(cost: &[Vec<f64>]) -> Vec<usize> {
    let n = cost.len();
    let m = cost[0].len();
    let (mut u, mut v) = (vec![0.0; n + 1], vec![0.0; m + 1]);
    let (mut p, mut way) = (vec![0usize; m + 1], vec![0usize; m + 1]);
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![f64::INFINITY; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = f64::INFINITY;
            let mut j1 = 0;
            for j in 1..=m {
                if !used[j] {
                    let cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=m {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut column = vec![0; n];
    for j in 1..=m {
        if p[j] != 0 {
            column[p[j] - 1] = j - 1;
        }
    }
    column
}

/// The optimum by the Hungarian method: one column per unit of free capacity, plus one
/// "unassigned" column per family at cost 0.
fn hungarian_objective(
    families: &[FamilyProfile],
    volunteers: &[VolunteerProfile],
    forbidden: &[(u128, u128)],
    weights: &Weights,
    policy: &Policy,
) -> f64 {
    let units: Vec<&VolunteerProfile> = volunteers
        .iter()
        .flat_map(|v| std::iter::repeat_n(v, v.capacity.saturating_sub(v.current_load) as usize))
        .collect();
    let weight: Vec<Vec<Option<f64>>> = families
        .iter()
        .map(|f| {
            volunteers
                .iter()
                .map(|v| {
                    let e = explain(f, v, weights, policy);
                    (e.eligible() && !forbidden.contains(&(f.id, v.id)))
                        .then(|| priority(f, policy) * e.candidate.score)
                })
                .collect()
        })
        .collect();
    let column_of: Vec<usize> = units
        .iter()
        .map(|u| volunteers.iter().position(|v| v.id == u.id).unwrap())
        .collect();
    let cost: Vec<Vec<f64>> = (0..families.len())
        .map(|fi| {
            column_of
                .iter()
                .map(|&vi| weight[fi][vi].map_or(1e9, |w| -w))
                .chain(std::iter::repeat_n(0.0, families.len()))
                .collect()
        })
        .collect();
    hungarian(&cost)
        .into_iter()
        .enumerate()
        .map(|(fi, col)| {
            if col < units.len() {
                weight[fi][column_of[col]].unwrap_or(0.0)
            } else {
                0.0
            }
        })
        .sum()
}

fn medium_batch()
-> impl Strategy<Value = (Vec<FamilyProfile>, Vec<VolunteerProfile>, Vec<(u128, u128)>)> {
    let families: Vec<_> = (0..50u128)
        .map(|i| {
            family(1 + i).prop_map(|mut f| {
                f.languages.push((french(), LanguageLevel::Fluent));
                f.crisis_types = CrisisSet::EMPTY;
                f
            })
        })
        .collect();
    let volunteers: Vec<_> = (0..30u128)
        .map(|i| {
            (volunteer(100 + i), 1u32..=2).prop_map(|(mut v, capacity)| {
                v.status = VolunteerStatus::Active;
                v.capacity = capacity;
                v.current_load = 0;
                v.background_check_issued_on = Some(Day(TODAY.0 - 10));
                v.trainings = vec!["BASIC".into()];
                v.max_travel_km = 30.0;
                v.languages.push((french(), LanguageLevel::Native));
                v.availability = WeekMask::default();
                v.involved_family_ids.clear();
                v
            })
        })
        .collect();
    (
        families,
        volunteers,
        prop::collection::vec((1u128..=50, 100u128..130), 0..20),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn dense_assignment_matches_the_hungarian_optimum(
        (families, volunteers, forbidden) in medium_batch(),
    ) {
        let policy = Policy::with_today(TODAY);
        let weights = Weights::default();
        let index = MatchIndex::build(volunteers.clone());
        let input = AssignmentInput { families: &families, pinned: &[], forbidden: &forbidden };
        let plan = suggest_assignments(&input, &index, &weights, &policy);
        check_feasible(&plan, &families, &volunteers, &[], &forbidden, &policy)?;
        let best = hungarian_objective(&families, &volunteers, &forbidden, &weights, &policy);
        prop_assert!((plan.objective - best).abs() <= 1e-9 * (1.0 + best), "plan {} vs Hungarian {}", plan.objective, best);
        let greedy = suggest_assignments_greedy(&input, &index, &weights, &policy);
        prop_assert!(plan.objective >= greedy.objective - 1e-9 * (1.0 + best));
    }
}
