//! `tandem generate`: a seeded synthetic network at Flemish scale, for
//! benchmarks and load tests (`bench/run` loads 100,000 volunteers and 20,000
//! families into PostgreSQL).
//!
//! People are drawn by [`matching::synthetic`], the same generator the matching
//! benchmarks use: a third of them around Brussels (dense: 85% within 15 km of
//! the Grand-Place), the rest spread over Flanders (half uniformly, half around
//! its eight largest cities), with Brussels' and Flanders' language mixes.
//! Every row then goes through the API's own validation and insert functions,
//! so the data obeys the same rules as data entered by a coordinator.
//!
//! After the volunteers and families, a quarter of the families who consented
//! get their best match proposed, and most of those are phased in (some are
//! still proposed, some already phased out and ended), through the same
//! `involve` and `transition` steps as the API, so capacities, plans and
//! family statuses add up.
//!
//! The same seed gives the same people, languages, places and plans; only the
//! generated UUIDs and timestamps differ between runs.

use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use entity::volunteer;
use indicatif::{ProgressBar, ProgressStyle};
use matching::{
    FamilyProfile, LanguageCode, LanguageLevel as Level, Move, VolunteerProfile, WeekMask,
    synthetic::{self, Geography, Rng},
};
use sea_orm::{EntityTrait, PaginatorTrait};
use uuid::Uuid;

use crate::{
    auth::Actor,
    core::db::begin_write,
    core::state::AppState,
    core::values::{LanguageSkillInput, LocationInput, TimeSlotInput},
    families::{CreateFamilyInput, ReferralSource, insert_families, validate_family},
    plans::{HelperSpec, involve, transition},
    sync::Change,
    tools::demo::{FAMILY_NAMES, SURNAMES, VOLUNTEER_NAMES},
    volunteers::{CreateVolunteerInput, insert_volunteers, validate_volunteer},
};

/// How big a network to generate.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    /// Volunteers.
    pub volunteers: usize,
    /// Families (each with its plan).
    pub families: usize,
    /// Seed of the random draws.
    pub seed: u64,
}

/// What `generate` wrote.
#[derive(Clone, Copy, Debug, Default)]
pub struct Report {
    /// Volunteers inserted.
    pub volunteers: usize,
    /// Training completions inserted.
    pub trainings: usize,
    /// Families (and plans) inserted.
    pub families: usize,
    /// Volunteers proposed to a family.
    pub involvements: usize,
    /// Of those, phased in (ACTIVE, or later PHASING_OUT or ENDED).
    pub phased_in: usize,
    /// Seconds the whole run took.
    pub seconds: f64,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "generated {} volunteers ({} trainings), {} families with their plans, \
             {} involvements ({} phased in) in {:.1} s",
            self.volunteers,
            self.trainings,
            self.families,
            self.involvements,
            self.phased_in,
            self.seconds
        )
    }
}

/// Rows per write transaction.
const CHUNK: usize = 2_000;

const REFERRERS: [ReferralSource; 8] = [
    ReferralSource::CrisisHotline,
    ReferralSource::Caw,
    ReferralSource::Clb,
    ReferralSource::KindEnGezin,
    ReferralSource::Ocj,
    ReferralSource::HuisVanHetKind,
    ReferralSource::School,
    ReferralSource::Gp,
];

/// Brussels with probability `brussels`, otherwise Flanders.
fn geography(rng: &mut Rng, brussels: f64) -> Geography {
    if rng.chance(brussels) {
        Geography::Brussels
    } else {
        Geography::Flanders
    }
}

/// A synthetic day (relative to [`synthetic::TODAY`]) moved to the same distance from `today`.
fn date(day: matching::Day, today: NaiveDate) -> NaiveDate {
    today - Duration::days(synthetic::TODAY.days_since(day))
}

/// Languages as API input, each language once (the generator may draw one twice).
fn skills(languages: &[(LanguageCode, Level)]) -> Vec<LanguageSkillInput> {
    let mut seen = Vec::new();
    languages
        .iter()
        .filter(|(code, _)| {
            let new = !seen.contains(code);
            seen.push(*code);
            new
        })
        .map(|(code, level)| LanguageSkillInput {
            language: code.as_str().to_owned(),
            level: (*level).into(),
        })
        .collect()
}

fn slots(week: &WeekMask) -> Vec<TimeSlotInput> {
    week.to_slots()
        .iter()
        .map(|slot| TimeSlotInput {
            day: slot.day.into(),
            start: slot.start_hhmm(),
            end: slot.end_hhmm(),
        })
        .collect()
}

fn volunteer_input(p: &VolunteerProfile, i: usize, today: NaiveDate) -> CreateVolunteerInput {
    CreateVolunteerInput {
        name: format!(
            "{} {}",
            VOLUNTEER_NAMES[i % VOLUNTEER_NAMES.len()],
            SURNAMES[(i / VOLUNTEER_NAMES.len()) % SURNAMES.len()]
        ),
        email: Some(format!("volunteer{i}@generated.tandem")),
        phone: None,
        status: Some(p.status.into()),
        languages: skills(&p.languages),
        home: LocationInput {
            postal_code: None,
            latitude: Some(p.home.latitude()),
            longitude: Some(p.home.longitude()),
        },
        max_travel_km: Some(p.max_travel_km),
        availability: slots(&p.availability),
        crisis_experience: Some(p.crisis_experience.iter().map(Into::into).collect()),
        capacity: Some(p.capacity as i32),
        background_check_issued_on: p
            .background_check_issued_on
            .map(|d| crate::core::values::Date(date(d, today))),
    }
}

fn family_input(p: &FamilyProfile, i: usize, rng: &mut Rng, today: NaiveDate) -> CreateFamilyInput {
    let languages = skills(&p.languages);
    let referred = date(p.referred_on, today)
        .and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default())
        .and_utc();
    CreateFamilyInput {
        display_name: FAMILY_NAMES[i % FAMILY_NAMES.len()].to_owned(),
        preferred_language: languages.first().map(|l| l.language.clone()),
        languages,
        home: LocationInput {
            postal_code: None,
            latitude: Some(p.home.latitude()),
            longitude: Some(p.home.longitude()),
        },
        crisis_types: p.crisis_types.iter().map(Into::into).collect(),
        urgency: Some(p.urgency.into()),
        referral_source: *rng.pick(&REFERRERS),
        referred_at: Some(referred.min(Utc::now())),
        needed_availability: slots(&p.needed_availability),
        children_ages: Some(
            (0..1 + rng.below(4))
                .map(|_| rng.below(18) as i32)
                .collect(),
        ),
        consent_given: rng.chance(0.95),
    }
}

fn bar(len: usize, what: &'static str) -> ProgressBar {
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) =
        ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {what} {{elapsed}}"))
    {
        bar.set_style(style);
    }
    bar
}

fn api(e: crate::core::error::ApiError) -> anyhow::Error {
    anyhow::Error::from(e).context("generate")
}

/// Generates a network into an empty database (no volunteers yet).
pub async fn generate(state: &AppState, scale: Scale) -> anyhow::Result<Report> {
    let started = Instant::now();
    let existing = volunteer::Entity::find().count(&state.db).await?;
    if existing > 0 {
        anyhow::bail!(
            "the database already has {existing} volunteers; generate into an empty database \
             so that the figures are the seed's"
        );
    }
    let mut rng = Rng::new(scale.seed);
    let mut report = Report::default();
    generate_volunteers(state, &scale, &mut rng, &mut report).await?;
    let families = generate_families(state, &scale, &mut rng, &mut report).await?;
    // Every volunteer is in the database now: one index over all of them (and
    // any other replica reloads).
    crate::sync::commit(begin_write(&state.db).await?, state, &[Change::Reload])
        .await
        .map_err(api)?;
    generate_plans(state, &families, &mut rng, &mut report).await?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// The volunteers, in chunks of [`CHUNK`], each chunk in one transaction.
async fn generate_volunteers(
    state: &AppState,
    scale: &Scale,
    rng: &mut Rng,
    report: &mut Report,
) -> anyhow::Result<()> {
    let today = state.today();
    let progress = bar(scale.volunteers, "volunteers");
    let mut done = 0;
    while done < scale.volunteers {
        let n = CHUNK.min(scale.volunteers - done);
        let mut batch = Vec::with_capacity(n);
        for i in done..done + n {
            let g = geography(rng, 1.0 / 3.0);
            let profile = synthetic::volunteer(rng, i as u128, g, 0);
            let new =
                validate_volunteer(volunteer_input(&profile, i, today), today).map_err(api)?;
            let trainings: Vec<_> = profile
                .trainings
                .into_iter()
                .map(|module| (module, today - Duration::days(30)))
                .collect();
            report.trainings += trainings.len();
            batch.push((new, trainings));
        }
        let txn = begin_write(&state.db).await?;
        insert_volunteers(&txn, &batch).await.map_err(api)?;
        txn.commit().await?;
        done += n;
        progress.inc(n as u64);
    }
    progress.finish_and_clear();
    report.volunteers = done;
    Ok(())
}

/// A generated family: its id, whether it consented, when it was referred.
type Generated = (Uuid, bool, DateTime<Utc>);

/// The families (with their plans), in chunks of [`CHUNK`].
async fn generate_families(
    state: &AppState,
    scale: &Scale,
    rng: &mut Rng,
    report: &mut Report,
) -> anyhow::Result<Vec<Generated>> {
    let today = state.today();
    let progress = bar(scale.families, "families");
    let mut families = Vec::with_capacity(scale.families);
    let mut done = 0;
    while done < scale.families {
        let n = CHUNK.min(scale.families - done);
        let mut batch = Vec::with_capacity(n);
        for i in done..done + n {
            let g = geography(rng, 0.5);
            let profile = synthetic::family(rng, i as u128, g);
            let input = family_input(&profile, i, rng, today);
            batch.push(validate_family(input, Utc::now()).map_err(api)?);
        }
        let txn = begin_write(&state.db).await?;
        insert_families(&txn, &mut batch).await.map_err(api)?;
        txn.commit().await?;
        families.extend(
            batch
                .iter()
                .map(|new| (new.model.id, new.model.consent_given, new.model.referred_at)),
        );
        done += n;
        progress.inc(n as u64);
    }
    progress.finish_and_clear();
    report.families = done;
    Ok(families)
}

/// A quarter of the consenting families get their best volunteer proposed;
/// most of those are phased in, some phased out again.
async fn generate_plans(
    state: &AppState,
    families: &[Generated],
    rng: &mut Rng,
    report: &mut Report,
) -> anyhow::Result<()> {
    let actor = Actor::Seed("Generator");
    let chosen: Vec<Generated> = families
        .iter()
        .enumerate()
        .filter(|(i, (_, consent, _))| *consent && i % 4 == 0)
        .map(|(_, f)| *f)
        .collect();
    let progress = bar(chosen.len(), "plans");
    for (family_id, _, referred_at) in chosen {
        progress.inc(1);
        let ranked = crate::matches::rank_for_family(
            state,
            family_id,
            1,
            None,
            crate::matches::Exclusions::Skipped,
        )
        .await
        .map_err(api)?;
        let Some(best) = ranked.candidates.first() else {
            continue;
        };
        let proposed_at = (referred_at + Duration::days(1 + rng.below(20) as i64)).min(Utc::now());
        let involvement = involve(
            state,
            &actor,
            family_id,
            HelperSpec::Volunteer(best.volunteer_id()),
            "buddy",
            None,
            Some(proposed_at),
        )
        .await
        .map_err(api)?;
        report.involvements += 1;
        let stage = rng.weighted(&[10, 80, 10]);
        if stage == 0 {
            continue;
        }
        let phase_in_at = (proposed_at + Duration::days(2)).min(Utc::now());
        let step =
            |mv, reason, at| transition(state, &actor, involvement.id, mv, reason, None, Some(at));
        step(Move::PhaseIn, None, phase_in_at).await.map_err(api)?;
        report.phased_in += 1;
        if stage == 2 {
            let at = phase_in_at.max(Utc::now() - Duration::hours(1));
            step(Move::StartPhaseOut, Some("goals reached"), at)
                .await
                .map_err(api)?;
            step(Move::End, Some("the family's own network took over"), at)
                .await
                .map_err(api)?;
        }
    }
    progress.finish_and_clear();
    Ok(())
}
