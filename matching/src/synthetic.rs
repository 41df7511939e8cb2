//! Seeded synthetic volunteers and families, for the benchmarks (`matching/benches`)
//! and for `tandem generate`, which loads a whole synthetic network into a database.
//!
//! Three geographies: `Brussels` (dense: 85% within 15 km of the Grand-Place, the rest
//! within 40 km), `Flanders` (spread over the ~230 km x 65 km of the region: half
//! uniform, half within 10 km of its eight largest cities) and `FlandersUniform` (the
//! same region, uniformly). Language, status, capacity and availability mixes
//! are rough guesses at a Brussels/Flemish volunteer pool; the same seed always gives
//! the same data.

use crate::{
    Coordinates, CrisisSet, CrisisType, Day, FamilyProfile, LanguageCode, LanguageLevel, TimeSlot,
    Urgency, VolunteerProfile, VolunteerStatus, WeekMask, Weekday,
};

/// "Today" in every generated data set (2026-11-22).
pub const TODAY: Day = Day(20_779);

/// Where people live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Geography {
    /// Dense, around Brussels.
    Brussels,
    /// Spread over Flanders: half uniform, half around its cities.
    Flanders,
    /// Spread uniformly over Flanders (no cities).
    FlandersUniform,
}

impl Geography {
    pub fn name(self) -> &'static str {
        match self {
            Geography::Brussels => "brussels",
            Geography::Flanders => "flanders",
            Geography::FlandersUniform => "flanders-uniform",
        }
    }
}

/// SplitMix64: small, fast, good enough for synthetic data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(u64::from(total)) as u32;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

const KM_PER_DEGREE: f64 = 111.2;

fn offset(lat: f64, lon: f64, km: f64, bearing: f64) -> Coordinates {
    let dlat = km * bearing.cos() / KM_PER_DEGREE;
    let dlon = km * bearing.sin() / (KM_PER_DEGREE * lat.to_radians().cos());
    Coordinates::new(lat + dlat, lon + dlon).expect("offsets of at most 40 km stay on Earth")
}

const FLEMISH_CITIES: [(f64, f64); 8] = [
    (51.2194, 4.4025), // Antwerpen
    (51.0543, 3.7174), // Gent
    (50.8798, 4.7005), // Leuven
    (51.2093, 3.2247), // Brugge
    (50.9307, 5.3325), // Hasselt
    (51.0259, 4.4776), // Mechelen
    (50.8279, 3.2649), // Kortrijk
    (50.9455, 4.0398), // Aalst
];

fn flanders_uniform(rng: &mut Rng) -> Coordinates {
    Coordinates::new(50.75 + 0.6 * rng.unit(), 2.60 + 3.30 * rng.unit())
        .expect("the box lies within valid coordinates")
}

/// Where someone lives, drawn for the geography.
pub fn home(rng: &mut Rng, geography: Geography) -> Coordinates {
    let bearing = rng.unit() * std::f64::consts::TAU;
    match geography {
        Geography::Brussels => {
            let km = if rng.chance(0.85) {
                15.0 * rng.unit().sqrt()
            } else {
                15.0 + 25.0 * rng.unit()
            };
            offset(50.8467, 4.3525, km, bearing)
        }
        Geography::FlandersUniform => flanders_uniform(rng),
        Geography::Flanders => {
            if rng.chance(0.5) {
                flanders_uniform(rng)
            } else {
                let (lat, lon) = *rng.pick(&FLEMISH_CITIES);
                offset(lat, lon, 10.0 * rng.unit().sqrt(), bearing)
            }
        }
    }
}

const LANGUAGES: [&str; 20] = [
    "fr", "nl", "en", "ar", "ber", "tr", "es", "pt", "it", "pl", "ro", "ru", "uk", "fa", "prs",
    "ps", "so", "ti", "ln", "sw",
];
const BRUSSELS_MIX: [u32; 20] = [
    60, 30, 40, 18, 6, 6, 6, 4, 4, 4, 4, 2, 2, 2, 1, 1, 1, 1, 3, 1,
];
const FLANDERS_MIX: [u32; 20] = [
    25, 85, 40, 6, 2, 4, 3, 2, 2, 3, 3, 1, 2, 1, 1, 1, 1, 1, 1, 1,
];

fn language(rng: &mut Rng, geography: Geography) -> LanguageCode {
    let mix = match geography {
        Geography::Brussels => &BRUSSELS_MIX,
        Geography::Flanders | Geography::FlandersUniform => &FLANDERS_MIX,
    };
    LanguageCode::parse_code(LANGUAGES[rng.weighted(mix)])
        .expect("every code of LANGUAGES is in the catalogue")
}

fn languages(rng: &mut Rng, geography: Geography, n: usize) -> Vec<(LanguageCode, LanguageLevel)> {
    (0..n)
        .map(|i| {
            let level = if i == 0 {
                LanguageLevel::ALL[rng.weighted(&[6, 3, 1, 0])]
            } else {
                LanguageLevel::ALL[rng.weighted(&[1, 3, 4, 2])]
            };
            (language(rng, geography), level)
        })
        .collect()
}

/// 1 to `max_windows` windows of 1 to `max_hours` hours, starting between 08:00 and 20:00.
fn week(rng: &mut Rng, max_windows: u64, max_hours: u64) -> WeekMask {
    let windows = 1 + rng.below(max_windows);
    let slots: Vec<TimeSlot> = (0..windows)
        .map(|_| {
            let start = 32 + rng.below(48) as u16; // 08:00 .. 19:45
            let quarters = 4 * (1 + rng.below(max_hours)) as u16;
            TimeSlot {
                day: Weekday::ALL[rng.below(7) as usize],
                start_minute: start * 15,
                end_minute: (start + quarters).min(96) * 15,
            }
        })
        .collect();
    WeekMask::from_slots(&slots)
}

/// `min` to `max` draws; domestic violence and child safety are kept 40% of the time.
fn crisis_types(rng: &mut Rng, min: u64, max: u64) -> CrisisSet {
    let n = min + rng.below(max - min + 1);
    let mut set = CrisisSet::EMPTY;
    for _ in 0..n {
        let t = *rng.pick(&CrisisType::ALL);
        let rare = matches!(
            t,
            CrisisType::DomesticViolence | CrisisType::ChildSafetyConcern
        );
        if !rare || rng.chance(0.4) {
            set.insert(t);
        }
    }
    set
}

/// Volunteer `id`; involvements point at families `1..=families`.
pub fn volunteer(rng: &mut Rng, id: u128, geography: Geography, families: u64) -> VolunteerProfile {
    let status = [
        VolunteerStatus::Active,
        VolunteerStatus::InTraining,
        VolunteerStatus::Paused,
        VolunteerStatus::Applicant,
        VolunteerStatus::Stopped,
    ][rng.weighted(&[75, 8, 8, 5, 4])];
    let background_check_issued_on = match rng.weighted(&[85, 10, 5]) {
        0 => Some(Day(TODAY.0 - rng.below(1000) as i32)),
        1 => Some(Day(TODAY.0 - 1100 - rng.below(400) as i32)),
        _ => None,
    };
    let capacity = 1 + rng.below(3) as u32;
    let current_load = rng.below(u64::from(capacity) + 1) as u32;
    let mut trainings = Vec::new();
    if rng.chance(0.95) {
        trainings.push("BASIC".to_owned());
    }
    if rng.chance(0.25) {
        trainings.push("DOMESTIC_VIOLENCE".to_owned());
    }
    if rng.chance(0.25) {
        trainings.push("CHILD_SAFETY".to_owned());
    }
    let n_languages = 1 + rng.weighted(&[3, 4, 2]);
    VolunteerProfile {
        id,
        status,
        languages: languages(rng, geography, n_languages),
        home: home(rng, geography),
        max_travel_km: *rng.pick(&[3.0, 5.0, 5.0, 8.0, 10.0, 10.0, 15.0, 20.0, 25.0]),
        availability: week(rng, 4, 4),
        crisis_experience: crisis_types(rng, 0, 3),
        trainings,
        capacity,
        current_load,
        background_check_issued_on,
        involved_family_ids: if rng.chance(0.1) && families > 0 {
            vec![1 + u128::from(rng.below(families))]
        } else {
            vec![]
        },
    }
}

/// Family `id`.
pub fn family(rng: &mut Rng, id: u128, geography: Geography) -> FamilyProfile {
    let n_languages = 1 + rng.weighted(&[5, 4, 1]);
    let languages = languages(rng, geography, n_languages);
    FamilyProfile {
        id,
        preferred_language: languages.first().map(|(l, _)| *l),
        languages,
        home: home(rng, geography),
        needed_availability: if rng.chance(0.1) {
            WeekMask::default()
        } else {
            week(rng, 3, 3)
        },
        crisis_types: crisis_types(rng, 1, 3),
        urgency: Urgency::ALL[rng.weighted(&[10, 25, 65])],
        referred_on: Day(TODAY.0 - rng.below(365) as i32),
        parted: Vec::new(),
    }
}

/// `n` volunteers with ids `1_000_000..`, seeded.
pub fn volunteers(
    seed: u64,
    n: usize,
    geography: Geography,
    families: u64,
) -> Vec<VolunteerProfile> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| volunteer(&mut rng, 1_000_000 + i as u128, geography, families))
        .collect()
}

/// `n` families with ids `1..=n`, seeded.
pub fn families(seed: u64, n: usize, geography: Geography) -> Vec<FamilyProfile> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| family(&mut rng, 1 + i as u128, geography))
        .collect()
}
