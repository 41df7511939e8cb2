//! The demo Brussels network (`serve --demo`, `seed --demo`): volunteers and
//! families over the 19 communes and the Flemish rim, speaking the languages
//! of Brussels; family-care services; plans with helpers at every lifecycle
//! stage; check-ins and an open concern. It shows the product working: most
//! waiting families have candidates, and the story has one family waiting
//! again (its buddy ended), families answered within the month, one family
//! past its month and a buddy whose start is planned ahead. Everything goes
//! through the same store functions as the API, so the demo data obeys the
//! same rules. The people are drawn from the tables in `data`, one row per
//! kind of person, by one short loop each. Seeding is idempotent: it does
//! nothing when the demo coordinator exists.

use chrono::{Duration, Utc};
use entity::app_user;
use matching::Move;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

mod data;

use data::*;
pub(crate) use data::{FAMILY_NAMES, SURNAMES, VOLUNTEER_NAMES};

use crate::{
    accounts::{NewUser, create_user},
    auth::Actor,
    auth::Role,
    core::relay::{NodeKind, global_id},
    core::state::AppState,
    core::values::{Date, LifeDomain},
    families::{CreateFamilyInput, ReferralSource, Urgency},
    follow_up::{CheckInKind, ConcernLevel, LogCheckInInput, log_check_in},
    plans::{HelperSpec, Terms, involve, involve_with, transition},
    volunteers::{CreateVolunteerInput, VolunteerStatus},
};

/// The demo coordinator's login.
pub const COORDINATOR_EMAIL: &str = "coordinator@tandem.demo";
/// The password of every demo account.
pub const COORDINATOR_PASSWORD: &str = "tandem-demo-2026";
/// Whom the seed's families and proposals are recorded for.
const COORDINATOR: &str = "Demo coordinator";

fn err(e: crate::core::error::ApiError) -> anyhow::Error {
    anyhow::Error::from(e).context("demo seed")
}

/// The number of demo volunteers and families.
const VOLUNTEERS: usize = 64;
const FAMILIES: usize = 42;
/// Families whose best match is proposed and moved along its lifecycle.
const STAGED: usize = 24;

/// Seeds the demo network unless it is there already; returns what it did.
pub async fn seed(state: &AppState) -> anyhow::Result<String> {
    let exists = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(COORDINATOR_EMAIL))
        .one(&state.db)
        .await?;
    if exists.is_some() {
        return Ok("the demo network is already there".to_owned());
    }
    let actor = Actor::Seed(COORDINATOR);
    for i in 0..VOLUNTEERS {
        seed_volunteer(state, i).await?;
    }
    let mut families = Vec::new();
    for i in 0..FAMILIES {
        families.push(seed_family(state, i).await?);
    }
    let services = seed_services(state).await?;
    let mut staged = 0;
    for (i, family) in families.iter().enumerate().take(STAGED) {
        if family.consent_given && seed_plan(state, &actor, i, family, &services).await? {
            staged += 1;
        }
    }
    seed_users(state).await?;
    Ok(format!(
        "seeded the demo network: {VOLUNTEERS} volunteers, {FAMILIES} families, {} services, {staged} plans with helpers",
        services.len(),
    ))
}

/// Volunteer `i`: languages, home, week and experience from the tables in
/// turn; most are ACTIVE with the basic training and a valid background
/// check, some hold the modules specific crises need.
async fn seed_volunteer(state: &AppState, i: usize) -> anyhow::Result<()> {
    let today = state.today();
    let status = match i % 16 {
        13 => VolunteerStatus::InTraining,
        14 => VolunteerStatus::Applicant,
        15 => VolunteerStatus::Paused,
        _ => VolunteerStatus::Active,
    };
    let input = CreateVolunteerInput {
        name: format!(
            "{} {}",
            VOLUNTEER_NAMES[i % VOLUNTEER_NAMES.len()],
            SURNAMES[(i * 7) % SURNAMES.len()]
        ),
        email: Some(format!("volunteer{i}@tandem.demo")),
        phone: Some(format!(
            "+32 470 {:02} {:02} {:02}",
            i,
            (i * 3) % 100,
            (i * 7) % 100
        )),
        status: Some(status),
        languages: skills(LANGUAGE_MIX[i % LANGUAGE_MIX.len()], i),
        home: home(POSTAL_CODES[(i * 5) % POSTAL_CODES.len()]),
        max_travel_km: Some([8.0, 10.0, 12.0, 15.0][i % 4]),
        availability: week(VOLUNTEER_WEEKS[i % VOLUNTEER_WEEKS.len()]),
        crisis_experience: Some(VOLUNTEER_CRISES[i % VOLUNTEER_CRISES.len()].to_vec()),
        capacity: Some(1 + (i % 3) as i32),
        // One in 21 has no extract yet: a near miss the coordinator can fix.
        background_check_issued_on: (i % 21 != 20)
            .then(|| Date(today - Duration::days(30 + (i as i64 * 17) % 900))),
    };
    let v = crate::volunteers::create_volunteer(state, input)
        .await
        .map_err(err)?;
    if status != VolunteerStatus::Active {
        return Ok(());
    }
    let modules = [
        ("BASIC", true),
        ("DOMESTIC_VIOLENCE", i.is_multiple_of(3)),
        ("CHILD_SAFETY", i.is_multiple_of(4)),
    ];
    for (module, held) in modules {
        if held {
            crate::volunteers::record_training(state, v.id, module, today - Duration::days(60))
                .await
                .map_err(err)?;
        }
    }
    Ok(())
}

/// Family `i`: languages, home, needs and crises from the tables in turn.
/// The staged families were referred weeks ago; the others recently, but
/// for one that is past its month (the overdue case of the story).
async fn seed_family(state: &AppState, i: usize) -> anyhow::Result<entity::family::Model> {
    let langs = LANGUAGE_MIX[(i * 5 + 1) % LANGUAGE_MIX.len()];
    let days_ago = match i {
        _ if i < STAGED && i % 10 != 9 => 20 + (i as i64 * 13) % 50,
        _ if i == FAMILIES - 1 => 45,
        _ => 1 + (i as i64 * 7) % 25,
    };
    let urgencies = [
        Urgency::Normal,
        Urgency::High,
        Urgency::Normal,
        Urgency::Crisis,
    ];
    let sources = [
        ReferralSource::Caw,
        ReferralSource::Clb,
        ReferralSource::KindEnGezin,
        ReferralSource::CrisisHotline,
        ReferralSource::School,
        ReferralSource::Ocj,
    ];
    let input = CreateFamilyInput {
        display_name: FAMILY_NAMES[i % FAMILY_NAMES.len()].to_owned(),
        languages: skills(langs, 0),
        preferred_language: Some(langs[0].to_owned()),
        home: home(POSTAL_CODES[(i * 3 + 2) % POSTAL_CODES.len()]),
        crisis_types: FAMILY_CRISES[i % FAMILY_CRISES.len()].to_vec(),
        urgency: Some(urgencies[i % urgencies.len()]),
        referral_source: sources[i % sources.len()],
        referred_at: Some(Utc::now() - Duration::days(days_ago)),
        needed_availability: week(FAMILY_WEEKS[i % FAMILY_WEEKS.len()]),
        children_ages: Some((0..1 + i % 4).map(|c| ((i + c * 5) % 17) as i32).collect()),
        consent_given: i % 10 != 9,
    };
    crate::families::create_family(state, input, &Actor::Seed(COORDINATOR))
        .await
        .map_err(err)
}

/// How far the best match of a staged family gets, by family in turn:
/// proposed (the first with a start planned ahead), declined, ACTIVE (with a
/// check-in, the first raising a concern), ACTIVE, PHASING_OUT, or ENDED
/// (the family waits again).
const STAGES: [&[Move]; 6] = [
    &[],
    &[Move::Decline],
    &[Move::PhaseIn],
    &[Move::PhaseIn],
    &[Move::PhaseIn, Move::StartPhaseOut],
    &[Move::PhaseIn, Move::StartPhaseOut, Move::End],
];

/// Proposes the best match of staged family `i` and moves it through its
/// stage; adds the other helpers and a goal. False when it has no match.
async fn seed_plan(
    state: &AppState,
    actor: &Actor,
    i: usize,
    family: &entity::family::Model,
    services: &[(Uuid, Vec<String>)],
) -> anyhow::Result<bool> {
    let result = crate::matches::rank_for_family(
        state,
        family.id,
        1,
        None,
        crate::matches::Exclusions::Skipped,
    )
    .await
    .map_err(err)?;
    let Some(best) = result.candidates.first() else {
        return Ok(false);
    };
    let proposed_at = family.referred_at + Duration::days(1 + (i as i64 % 5));
    let stage = STAGES[i % STAGES.len()];
    let terms = Terms {
        role: "buddy",
        note: Some("best match on language and distance"),
        at: Some(proposed_at),
        planned_start_on: (i == 0).then(|| state.today() + Duration::days(10)),
    };
    let inv = involve_with(
        state,
        actor,
        family.id,
        HelperSpec::Volunteer(best.volunteer_id()),
        terms,
    )
    .await
    .map_err(err)?;
    for (n, mv) in stage.iter().enumerate() {
        let reason = match mv {
            Move::Decline => Some("the family preferred a woman buddy"),
            Move::StartPhaseOut => Some("goals reached; the family's own network takes over"),
            Move::End => Some("handed over to the neighbour"),
            _ => None,
        };
        // The buddies who ended did so a few days ago: their families wait again.
        let at = match mv {
            Move::End => Utc::now() - Duration::days(3 + i as i64 % 3),
            _ => proposed_at + Duration::days(2 + n as i64),
        };
        transition(state, actor, inv.id, *mv, reason, None, Some(at))
            .await
            .map_err(err)?;
    }
    if i % STAGES.len() == 2 {
        let at = proposed_at + Duration::days(3);
        seed_check_in(state, best.volunteer_id(), family.id, at, i == 2).await?;
    }
    seed_other_helpers(state, actor, i, family, services, proposed_at).await?;
    let plan = crate::plans::plan_id_of_family(state, family.id)
        .await
        .map_err(err)?;
    crate::plans::add_goal(
        state,
        plan,
        "De kinderen gaan elke dag naar school / Les enfants vont à l'école tous les jours",
        LifeDomain::School,
        Some(state.today() + Duration::days(60)),
        actor,
    )
    .await
    .map_err(err)?;
    Ok(true)
}

/// A follow-up call with a volunteer about a family; `worried`: a HIGH
/// concern nobody has followed up yet.
async fn seed_check_in(
    state: &AppState,
    volunteer: Uuid,
    family: Uuid,
    at: chrono::DateTime<Utc>,
    worried: bool,
) -> anyhow::Result<()> {
    let follow_up = Actor::Seed("Demo follow-up worker");
    let notes = if worried {
        "Feels out of their depth with the housing situation; needs supervision soon."
    } else {
        "Going well; homework help on Wednesdays."
    };
    let input = LogCheckInInput {
        volunteer_id: global_id(NodeKind::Volunteer, volunteer),
        family_id: Some(global_id(NodeKind::Family, family)),
        kind: CheckInKind::Call,
        occurred_at: Some(at),
        wellbeing: Some(if worried { 2 } else { 4 }),
        hours_since_last: Some(6.0),
        concern: Some(if worried {
            ConcernLevel::High
        } else {
            ConcernLevel::None
        }),
        notes: Some(notes.to_owned()),
        next_due_on: None,
    };
    log_check_in(state, &follow_up, input).await.map_err(err)?;
    Ok(())
}

/// The grandmother, a professional and a family-care service, on some plans.
async fn seed_other_helpers(
    state: &AppState,
    actor: &Actor,
    i: usize,
    family: &entity::family::Model,
    services: &[(Uuid, Vec<String>)],
    at: chrono::DateTime<Utc>,
) -> anyhow::Result<()> {
    let service = services.iter().find(|(_, area)| {
        family
            .postal_code
            .as_ref()
            .is_some_and(|p| area.contains(p))
    });
    let helpers = [
        i.is_multiple_of(3).then(|| {
            let grandmother = HelperSpec::NetworkMember {
                name: "Grandmother".to_owned(),
                relation: "grandmother".to_owned(),
            };
            (grandmother, "childcare on Wednesdays")
        }),
        (i % 4 == 1).then(|| {
            let professional = HelperSpec::Professional {
                name: "Sofie De Smet".to_owned(),
                organization: "CAW Brussel".to_owned(),
            };
            (professional, "point of contact")
        }),
        service
            .filter(|_| i % 5 == 2)
            .map(|s| (HelperSpec::Service(s.0), "household help")),
    ];
    for (helper, role) in helpers.into_iter().flatten() {
        involve(state, actor, family.id, helper, role, None, Some(at))
            .await
            .map_err(err)?;
    }
    Ok(())
}

/// The demo accounts.
async fn seed_users(state: &AppState) -> anyhow::Result<()> {
    for (email, name, role) in [
        (COORDINATOR_EMAIL, "Demo coordinator", Role::Coordinator),
        (
            "followup@tandem.demo",
            "Demo follow-up worker",
            Role::FollowUp,
        ),
        ("admin@tandem.demo", "Demo admin", Role::Admin),
    ] {
        let user = NewUser {
            name: name.to_owned(),
            email: email.to_owned(),
            role,
            password: COORDINATOR_PASSWORD.to_owned(),
            volunteer_id: None,
        };
        create_user(&state.db, user).await.map_err(err)?;
    }
    Ok(())
}

async fn seed_services(state: &AppState) -> anyhow::Result<Vec<(Uuid, Vec<String>)>> {
    use crate::services::CreateFamilyCareServiceInput;
    let mut out = Vec::new();
    for row in &SERVICES {
        let area = match row.area {
            Area::Brussels => postal_codes(true),
            Area::Rim => postal_codes(false),
            Area::Codes(codes) => codes.iter().map(|c| (*c).to_owned()).collect(),
        };
        let input = CreateFamilyCareServiceInput {
            name: row.name.to_owned(),
            organization: row.organization.to_owned(),
            kind: row.kind,
            languages: row.languages.iter().map(|l| (*l).to_owned()).collect(),
            service_area: area.clone(),
            life_domains: row.life_domains.to_vec(),
            crisis_available: Some(row.crisis_available),
            contribution_waivable: Some(row.contribution_waivable),
            capacity: row.capacity,
        };
        let model = crate::services::create_service(state, input)
            .await
            .map_err(err)?;
        out.push((model.id, area));
    }
    Ok(out)
}
