//! What the matching engine knows about people: the profiles the API builds from its
//! rows, the criterion [`Weights`] and the rules of the house ([`Policy`]).
//!
//! Every enum spells its values exactly like the GraphQL enum of the same name
//! (`as_str`, `FromStr`, `ALL`).

use std::fmt;

use crate::language::LanguageCode;
use crate::places::Coordinates;
use crate::week::WeekMask;

/// How well someone speaks a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LanguageLevel {
    /// Mother tongue.
    Native,
    /// Speaks it with ease.
    Fluent,
    /// Can hold an everyday conversation.
    Conversational,
    /// A few words and phrases.
    Basic,
}

graphql_enum!(LanguageLevel {
    Native => "NATIVE",
    Fluent => "FLUENT",
    Conversational => "CONVERSATIONAL",
    Basic => "BASIC",
});

impl LanguageLevel {
    /// 3 for native down to 0 for basic: higher speaks better.
    pub fn rank(&self) -> u8 {
        match self {
            LanguageLevel::Native => 3,
            LanguageLevel::Fluent => 2,
            LanguageLevel::Conversational => 1,
            LanguageLevel::Basic => 0,
        }
    }

    /// The level of a [`rank`](Self::rank) (ranks above 3 mean native).
    pub fn from_rank(rank: u8) -> LanguageLevel {
        match rank {
            0 => LanguageLevel::Basic,
            1 => LanguageLevel::Conversational,
            2 => LanguageLevel::Fluent,
            _ => LanguageLevel::Native,
        }
    }

    /// How the explanations say it: "natively", "fluently", "at a conversational
    /// level", "at a basic level".
    pub fn adverb(&self) -> &'static str {
        match self {
            LanguageLevel::Native => "natively",
            LanguageLevel::Fluent => "fluently",
            LanguageLevel::Conversational => "at a conversational level",
            LanguageLevel::Basic => "at a basic level",
        }
    }
}

/// Why a family asked for help (one family may have several).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CrisisType {
    /// Opvoedingsstress, opvoedingsonmacht.
    ParentingStress,
    /// Verontrusting.
    ChildSafetyConcern,
    /// Intrafamiliaal geweld.
    DomesticViolence,
    /// Psychische kwetsbaarheid van ouder of kind.
    MentalHealth,
    /// Verslaving.
    Addiction,
    /// Dakloosheid, uithuiszetting.
    Housing,
    /// Armoede, schulden.
    Financial,
    /// Spijbelen, schooluitval.
    SchoolDropout,
    /// Klein of geen netwerk.
    SocialIsolation,
    /// Nieuwkomer, anderstaligheid.
    Newcomer,
    /// Ziekte of beperking in het gezin.
    IllnessOrDisability,
}

graphql_enum!(CrisisType {
    ParentingStress => "PARENTING_STRESS",
    ChildSafetyConcern => "CHILD_SAFETY_CONCERN",
    DomesticViolence => "DOMESTIC_VIOLENCE",
    MentalHealth => "MENTAL_HEALTH",
    Addiction => "ADDICTION",
    Housing => "HOUSING",
    Financial => "FINANCIAL",
    SchoolDropout => "SCHOOL_DROPOUT",
    SocialIsolation => "SOCIAL_ISOLATION",
    Newcomer => "NEWCOMER",
    IllnessOrDisability => "ILLNESS_OR_DISABILITY",
});

impl CrisisType {
    /// Lower-case English words for explanations, e.g. `"parenting stress"`.
    pub fn label_en(&self) -> &'static str {
        match self {
            CrisisType::ParentingStress => "parenting stress",
            CrisisType::ChildSafetyConcern => "child safety concern",
            CrisisType::DomesticViolence => "domestic violence",
            CrisisType::MentalHealth => "mental health",
            CrisisType::Addiction => "addiction",
            CrisisType::Housing => "housing",
            CrisisType::Financial => "financial trouble",
            CrisisType::SchoolDropout => "school dropout",
            CrisisType::SocialIsolation => "social isolation",
            CrisisType::Newcomer => "newcomer",
            CrisisType::IllnessOrDisability => "illness or disability",
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of crisis types (a bitset; iteration follows declaration order).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CrisisSet(u16);

impl CrisisSet {
    /// No crisis type.
    pub const EMPTY: CrisisSet = CrisisSet(0);

    /// True when `t` is in the set.
    pub fn contains(&self, t: CrisisType) -> bool {
        self.0 & t.bit() != 0
    }

    /// Adds `t`.
    pub fn insert(&mut self, t: CrisisType) {
        self.0 |= t.bit();
    }

    /// Number of crisis types in the set.
    pub fn len(&self) -> usize {
        self.0.count_ones() as usize
    }

    /// True for the empty set.
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The types in both sets.
    pub fn intersection(&self, other: CrisisSet) -> CrisisSet {
        CrisisSet(self.0 & other.0)
    }

    /// The types in either set.
    pub fn union(&self, other: CrisisSet) -> CrisisSet {
        CrisisSet(self.0 | other.0)
    }

    /// The types in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = CrisisType> + '_ {
        CrisisType::ALL.into_iter().filter(|t| self.contains(*t))
    }
}

impl FromIterator<CrisisType> for CrisisSet {
    fn from_iter<I: IntoIterator<Item = CrisisType>>(iter: I) -> Self {
        let mut set = CrisisSet::EMPTY;
        for t in iter {
            set.insert(t);
        }
        set
    }
}

impl fmt::Debug for CrisisSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// Where a volunteer is in their journey with the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VolunteerStatus {
    /// Signed up, not yet screened.
    Applicant,
    /// Following the basic training.
    InTraining,
    /// Can be matched.
    Active,
    /// Taking a break.
    Paused,
    /// Left.
    Stopped,
}

graphql_enum!(VolunteerStatus {
    Applicant => "APPLICANT",
    InTraining => "IN_TRAINING",
    Active => "ACTIVE",
    Paused => "PAUSED",
    Stopped => "STOPPED",
});

/// How soon a family needs someone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Urgency {
    /// Now.
    Crisis,
    /// Within days.
    High,
    /// The waiting list.
    Normal,
}

graphql_enum!(Urgency {
    Crisis => "CRISIS",
    High => "HIGH",
    Normal => "NORMAL",
});

/// A calendar day as days since 1970-01-01 (negative before). The crate has no clock:
/// the caller says what day it is ([`Policy::today`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Day(pub i32);

impl Day {
    /// The day of a proleptic Gregorian date, or `None` for an impossible date
    /// (`Day::from_ymd(2026, 2, 29)` is `None`).
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let month_days = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        let month_len = *month_days.get(usize::try_from(month).ok()?.checked_sub(1)?)?;
        if day == 0 || day > month_len {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = i64::from(year) - i64::from(month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        i32::try_from(era * 146_097 + doe - 719_468).ok().map(Day)
    }

    /// Days from `earlier` to `self` (negative when `earlier` is later).
    pub fn days_since(&self, earlier: Day) -> i64 {
        i64::from(self.0) - i64::from(earlier.0)
    }
}

/// A volunteer as the matching engine sees them.
#[derive(Debug, Clone, PartialEq)]
pub struct VolunteerProfile {
    /// The volunteer's UUID as a `u128`; equal scores and distances rank by it.
    pub id: u128,
    /// Only ACTIVE volunteers are matched.
    pub status: VolunteerStatus,
    /// Languages with levels (a language listed twice counts at its best level).
    pub languages: Vec<(LanguageCode, LanguageLevel)>,
    /// Where they live.
    pub home: Coordinates,
    /// How far they are willing to travel, in km.
    pub max_travel_km: f64,
    /// When they are free in a typical week.
    pub availability: WeekMask,
    /// Crisis types they have experience with.
    pub crisis_experience: CrisisSet,
    /// Completed training modules, e.g. `"BASIC"` (compared trimmed and case-insensitively).
    pub trainings: Vec<String>,
    /// How many families they can support at once.
    pub capacity: u32,
    /// How many families they support now.
    pub current_load: u32,
    /// Issue date of their criminal-record extract (model 2), if any.
    pub background_check_issued_on: Option<Day>,
    /// Families they are already involved with (any involvement status the API counts).
    pub involved_family_ids: Vec<u128>,
}

/// A family waiting for a volunteer, as the matching engine sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct FamilyProfile {
    /// The family's UUID as a `u128`.
    pub id: u128,
    /// Languages with levels. A family with none shares no language with anyone.
    pub languages: Vec<(LanguageCode, LanguageLevel)>,
    /// The language they prefer to be helped in (normally one of `languages`).
    pub preferred_language: Option<LanguageCode>,
    /// Where they live.
    pub home: Coordinates,
    /// When they need someone in a typical week (empty: unknown).
    pub needed_availability: WeekMask,
    /// Why they asked for help (empty: not specified).
    pub crisis_types: CrisisSet,
    /// How soon they need someone.
    pub urgency: Urgency,
    /// When they were referred (start of the wait).
    pub referred_on: Day,
    /// Volunteers whose involvement with the family ENDED or was DECLINED, with the
    /// day it did (see [`FamilyProfile::parted_recently`]).
    pub parted: Vec<(u128, Day)>,
}

impl FamilyProfile {
    /// True when `volunteer` ended or declined with the family less than
    /// [`Policy::recently_ended_days`] days before [`Policy::today`].
    pub fn parted_recently(&self, volunteer: u128, policy: &Policy) -> bool {
        self.parted.iter().any(|(id, day)| {
            *id == volunteer
                && (0..i64::from(policy.recently_ended_days))
                    .contains(&policy.today.days_since(*day))
        })
    }
}

/// Relative importance of the four criteria, always non-negative and summing to 1.
///
/// Build with [`Weights::new`] (which normalises) or take the [`Default`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    language: f64,
    location: f64,
    availability: f64,
    crisis_type: f64,
}

/// Why [`Weights::new`] refused its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidWeights {
    /// A weight is NaN or infinite; names the criterion.
    NotFinite(&'static str),
    /// A weight is below zero; names the criterion.
    Negative(&'static str),
    /// Every weight is zero, so nothing would count.
    AllZero,
}

impl fmt::Display for InvalidWeights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidWeights::NotFinite(c) => write!(f, "the {c} weight must be a finite number"),
            InvalidWeights::Negative(c) => write!(f, "the {c} weight must not be negative"),
            InvalidWeights::AllZero => f.write_str("at least one weight must be above zero"),
        }
    }
}

impl std::error::Error for InvalidWeights {}

impl Default for Weights {
    /// Language 0.35, location 0.25, availability 0.25, crisis type 0.15.
    fn default() -> Self {
        Weights {
            language: 0.35,
            location: 0.25,
            availability: 0.25,
            crisis_type: 0.15,
        }
    }
}

impl Weights {
    /// Weights in any unit, scaled to sum to 1: `new(2, 1, 1, 0)` gives 0.5, 0.25,
    /// 0.25, 0. Refuses NaN, infinities, negatives and all zeros.
    pub fn new(
        language: f64,
        location: f64,
        availability: f64,
        crisis_type: f64,
    ) -> Result<Weights, InvalidWeights> {
        let named = [
            ("language", language),
            ("location", location),
            ("availability", availability),
            ("crisis type", crisis_type),
        ];
        for (name, w) in named {
            if !w.is_finite() {
                return Err(InvalidWeights::NotFinite(name));
            }
            if w < 0.0 {
                return Err(InvalidWeights::Negative(name));
            }
        }
        let sum = language + location + availability + crisis_type;
        if sum <= 0.0 {
            return Err(InvalidWeights::AllZero);
        }
        Ok(Weights {
            language: language / sum,
            location: location / sum,
            availability: availability / sum,
            crisis_type: crisis_type / sum,
        })
    }

    /// Share of the language criterion.
    pub fn language(&self) -> f64 {
        self.language
    }

    /// Share of the location criterion.
    pub fn location(&self) -> f64 {
        self.location
    }

    /// Share of the availability criterion.
    pub fn availability(&self) -> f64 {
        self.availability
    }

    /// Share of the crisis-type criterion.
    pub fn crisis_type(&self) -> f64 {
        self.crisis_type
    }

    /// The four shares' bits: equal for weights that score every pair the same.
    pub(crate) fn bits(&self) -> [u64; 4] {
        [
            self.language.to_bits(),
            self.location.to_bits(),
            self.availability.to_bits(),
            self.crisis_type.to_bits(),
        ]
    }
}

/// A training module a match requires: for every match (`crisis_type: None`) or only
/// for families with that crisis type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingRequirement {
    /// `None`: required for every match.
    pub crisis_type: Option<CrisisType>,
    /// Module name, compared trimmed and case-insensitively with the volunteer's.
    pub module: String,
}

/// The rules of the house, and what day it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Fewest minutes a week a volunteer must share with the family (default 60). When
    /// the family needs less than this in total, sharing all of it is enough.
    pub min_overlap_minutes: u32,
    /// Factor of each [`LanguageLevel`], in `LanguageLevel::ALL` order (native first);
    /// default 1.0, 0.9, 0.7, 0.4. Values are clamped to [0, 1].
    pub level_factors: [f64; 4],
    /// Modules a match requires. Default: from the training catalogue
    /// ([`crate::training::TRAINING_MODULES`]): `BASIC` always, `DOMESTIC_VIOLENCE` for
    /// DOMESTIC_VIOLENCE families, `CHILD_SAFETY` for CHILD_SAFETY_CONCERN families.
    /// A volunteer holding every module specific to a crisis type counts as
    /// experienced with it.
    pub required_trainings: Vec<TrainingRequirement>,
    /// Days a background check stays valid from its issue day (default 1096, three
    /// years): valid on days `issued ..= issued + valid_days - 1`.
    pub background_check_valid_days: i32,
    /// Priority weight of CRISIS, HIGH and NORMAL families (default 3, 2, 1).
    pub urgency_weights: [f64; 3],
    /// Days after a volunteer's involvement with a family ENDED or was DECLINED during
    /// which they are not proposed to it again (default 90; 0 switches the rule off).
    pub recently_ended_days: i32,
    /// Today, for background-check validity and waiting time.
    pub today: Day,
}

impl Policy {
    /// The default policy on day `today`.
    pub fn with_today(today: Day) -> Policy {
        let mut required_trainings = Vec::new();
        for module in &crate::training::TRAINING_MODULES {
            if module.required_for_every_match {
                required_trainings.push(TrainingRequirement {
                    crisis_type: None,
                    module: module.code.to_owned(),
                });
            }
            for crisis_type in module.required_for {
                required_trainings.push(TrainingRequirement {
                    crisis_type: Some(*crisis_type),
                    module: module.code.to_owned(),
                });
            }
        }
        Policy {
            min_overlap_minutes: 60,
            level_factors: [1.0, 0.9, 0.7, 0.4],
            required_trainings,
            background_check_valid_days: 1096,
            urgency_weights: [3.0, 2.0, 1.0],
            recently_ended_days: 90,
            today,
        }
    }

    /// The factor of `level`, clamped to [0, 1] (NaN counts as 0).
    pub fn level_factor(&self, level: LanguageLevel) -> f64 {
        let i = match level {
            LanguageLevel::Native => 0,
            LanguageLevel::Fluent => 1,
            LanguageLevel::Conversational => 2,
            LanguageLevel::Basic => 3,
        };
        clamp_unit(self.level_factors[i])
    }

    /// The priority weight of `urgency` (negative or NaN counts as 0).
    pub fn urgency_weight(&self, urgency: Urgency) -> f64 {
        let w = match urgency {
            Urgency::Crisis => self.urgency_weights[0],
            Urgency::High => self.urgency_weights[1],
            Urgency::Normal => self.urgency_weights[2],
        };
        if w.is_nan() { 0.0 } else { w.max(0.0) }
    }

    /// True when a check issued on `issued_on` is valid [`today`](Self::today).
    pub fn background_check_valid(&self, issued_on: Option<Day>) -> bool {
        issued_on.is_some_and(|issued| {
            let age = self.today.days_since(issued);
            (0..i64::from(self.background_check_valid_days)).contains(&age)
        })
    }

    /// The modules a match with a family of `crisis_types` requires, normalised (trimmed,
    /// upper case), without duplicates.
    pub fn required_modules(&self, crisis_types: CrisisSet) -> Vec<String> {
        let mut modules: Vec<String> = self
            .required_trainings
            .iter()
            .filter(|r| r.crisis_type.is_none_or(|t| crisis_types.contains(t)))
            .map(|r| normalize_module(&r.module))
            .collect();
        modules.sort();
        modules.dedup();
        modules
    }
}

/// Training module names compare trimmed and in upper case.
pub(crate) fn normalize_module(module: &str) -> String {
    module.trim().to_uppercase()
}

/// `x` clamped to [0, 1], NaN to 0.
pub(crate) fn clamp_unit(x: f64) -> f64 {
    if x.is_nan() { 0.0 } else { x.clamp(0.0, 1.0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_through_their_graphql_names() {
        for v in LanguageLevel::ALL {
            assert_eq!(v.as_str().parse::<LanguageLevel>().unwrap(), v);
        }
        for v in CrisisType::ALL {
            assert_eq!(v.as_str().parse::<CrisisType>().unwrap(), v);
            assert!(!v.label_en().is_empty());
        }
        for v in VolunteerStatus::ALL {
            assert_eq!(v.as_str().parse::<VolunteerStatus>().unwrap(), v);
        }
        for v in Urgency::ALL {
            assert_eq!(v.as_str().parse::<Urgency>().unwrap(), v);
        }
        let err = "native".parse::<LanguageLevel>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"native\" is not a LanguageLevel; expected one of NATIVE, FLUENT, CONVERSATIONAL, BASIC"
        );
    }

    #[test]
    fn graphql_names_match_the_contract() {
        let contract = include_str!("../../tests/contract.graphql");
        let values = |name: &str| -> Vec<String> {
            let start = contract.find(&format!("enum {name} {{")).unwrap();
            let body = &contract[start..];
            let body = &body[body.find('{').unwrap() + 1..body.find('}').unwrap()];
            body.lines()
                .map(|l| l.split('#').next().unwrap_or(""))
                .flat_map(|l| l.split_whitespace())
                .map(str::to_owned)
                .collect()
        };
        let names = |all: &[&str]| all.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(values("LanguageLevel"), names(LanguageLevel::NAMES));
        assert_eq!(values("CrisisType"), names(CrisisType::NAMES));
        assert_eq!(values("VolunteerStatus"), names(VolunteerStatus::NAMES));
        assert_eq!(values("Urgency"), names(Urgency::NAMES));
        assert_eq!(values("Weekday"), names(crate::week::Weekday::NAMES));
    }

    #[test]
    fn crisis_set_is_a_set() {
        let set: CrisisSet = [
            CrisisType::Newcomer,
            CrisisType::Housing,
            CrisisType::Newcomer,
        ]
        .into_iter()
        .collect();
        assert_eq!(set.len(), 2);
        assert!(set.contains(CrisisType::Housing));
        assert!(!set.contains(CrisisType::Addiction));
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            vec![CrisisType::Housing, CrisisType::Newcomer]
        );
        assert!(CrisisSet::EMPTY.is_empty());
        assert_eq!(format!("{set:?}"), "{Housing, Newcomer}");
    }

    #[test]
    fn weights_normalise_and_refuse_nonsense() {
        let w = Weights::new(2.0, 1.0, 1.0, 0.0).unwrap();
        assert_eq!(
            (
                w.language(),
                w.location(),
                w.availability(),
                w.crisis_type()
            ),
            (0.5, 0.25, 0.25, 0.0)
        );
        let d = Weights::default();
        assert!(
            (d.language() + d.location() + d.availability() + d.crisis_type() - 1.0).abs() < 1e-12
        );
        assert_eq!(
            Weights::new(-1.0, 1.0, 1.0, 1.0),
            Err(InvalidWeights::Negative("language"))
        );
        assert_eq!(
            Weights::new(1.0, f64::NAN, 1.0, 1.0),
            Err(InvalidWeights::NotFinite("location"))
        );
        assert_eq!(
            Weights::new(0.0, 0.0, 0.0, 0.0),
            Err(InvalidWeights::AllZero)
        );
    }

    #[test]
    fn days_count_from_the_epoch() {
        assert_eq!(Day::from_ymd(1970, 1, 1), Some(Day(0)));
        assert_eq!(Day::from_ymd(2000, 3, 1), Some(Day(11017)));
        assert_eq!(Day::from_ymd(2026, 11, 22), Some(Day(20779)));
        assert_eq!(Day::from_ymd(1969, 12, 31), Some(Day(-1)));
        assert_eq!(Day::from_ymd(2024, 2, 29).map(|d| d.0), Some(19782));
        assert_eq!(Day::from_ymd(2026, 2, 29), None);
        assert_eq!(Day::from_ymd(2026, 13, 1), None);
        assert_eq!(Day(10).days_since(Day(3)), 7);
    }

    #[test]
    fn background_checks_last_three_years_from_issue() {
        let policy = Policy::with_today(Day(2000));
        assert!(policy.background_check_valid(Some(Day(2000))));
        assert!(policy.background_check_valid(Some(Day(2000 - 1095))));
        assert!(!policy.background_check_valid(Some(Day(2000 - 1096))));
        assert!(!policy.background_check_valid(Some(Day(2001))));
        assert!(!policy.background_check_valid(None));
    }

    #[test]
    fn required_modules_follow_the_crisis_types() {
        let policy = Policy::with_today(Day(0));
        assert_eq!(policy.required_modules(CrisisSet::EMPTY), vec!["BASIC"]);
        let set: CrisisSet = [CrisisType::DomesticViolence, CrisisType::ChildSafetyConcern]
            .into_iter()
            .collect();
        assert_eq!(
            policy.required_modules(set),
            vec!["BASIC", "CHILD_SAFETY", "DOMESTIC_VIOLENCE"]
        );
        assert_eq!(normalize_module(" basic "), "BASIC");
    }

    #[test]
    fn policy_factors_are_clamped() {
        let mut policy = Policy::with_today(Day(0));
        assert_eq!(policy.level_factor(LanguageLevel::Fluent), 0.9);
        policy.level_factors = [2.0, f64::NAN, -1.0, 0.5];
        assert_eq!(policy.level_factor(LanguageLevel::Native), 1.0);
        assert_eq!(policy.level_factor(LanguageLevel::Fluent), 0.0);
        assert_eq!(policy.level_factor(LanguageLevel::Conversational), 0.0);
        assert_eq!(policy.urgency_weight(Urgency::Crisis), 3.0);
    }
}
