//! The demo Brussels network (`serve --demo`, `seed --demo`): volunteers and
//! families over the 19 communes and the Flemish rim, speaking the languages
//! of Brussels; family-care services; plans with helpers at every lifecycle
//! stage; check-ins, overdue ones and an open concern. Everything goes
//! through the same store functions as the API, so the demo data obeys the
//! same rules. Seeding is idempotent: it does nothing when the demo
//! coordinator exists.

use chrono::{Duration, Utc};
use entity::app_user;
use matching::Move;
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::{
    accounts::{NewUser, create_user},
    auth::Actor,
    auth::Role,
    core::relay::global_id,
    core::state::AppState,
    core::values::{
        CrisisType, Date, LanguageLevel, LanguageSkillInput, LifeDomain, LocationInput,
        TimeSlotInput, Weekday,
    },
    families::{CreateFamilyInput, ReferralSource, Urgency},
    follow_up::{CheckInKind, ConcernLevel, LogCheckInInput, log_check_in},
    plans::{HelperSpec, involve, transition},
    volunteers::{CreateVolunteerInput, VolunteerStatus},
};

/// The demo coordinator's login.
pub const COORDINATOR_EMAIL: &str = "coordinator@tandem.demo";
/// The password of every demo account.
pub const COORDINATOR_PASSWORD: &str = "tandem-demo-2026";

/// The 19 communes of Brussels-Capital and the Flemish rim around them.
const POSTAL_CODES: &[&str] = &[
    "1000", "1020", "1030", "1040", "1050", "1060", "1070", "1080", "1081", "1082", "1083", "1090",
    "1120", "1140", "1150", "1160", "1170", "1180", "1190", "1200", "1210", "1600", "1640", "1700",
    "1730", "1780", "1800", "1830", "1853", "1930", "1950", "1970", "3080",
];

const LANGUAGE_MIX: &[&[&str]] = &[
    &["ar", "fr"],
    &["ber", "fr", "nl"],
    &["tr", "nl"],
    &["ro", "fr"],
    &["prs", "fa"],
    &["ps", "en"],
    &["so", "en"],
    &["ti", "am"],
    &["nl", "fr"],
    &["fr", "en"],
    &["pl", "nl"],
    &["es", "fr"],
    &["pt", "fr"],
    &["ln", "fr"],
    &["bg", "tr"],
    &["uk", "ru"],
    &["ar", "nl"],
    &["sq", "fr"],
];

/// Names the demo (and `tandem generate`) draw from.
pub(crate) const VOLUNTEER_NAMES: &[&str] = &[
    "Amina", "Youssef", "Sara", "Mehmet", "Ioana", "Pieter", "Élodie", "Karim", "Fatma", "Jonas",
    "Nadia", "Ahmad", "Hanna", "Omar", "Lotte", "Bilal", "Marie", "Samir", "Leen", "Rachid",
    "Aylin", "Tom", "Khadija", "Bram", "Zainab", "Lucas", "Hind", "Wout", "Mariam", "Arne",
];
/// Names the demo (and `tandem generate`) draw from.
pub(crate) const SURNAMES: &[&str] = &[
    "Benali",
    "El Amrani",
    "Janssens",
    "Yilmaz",
    "Popescu",
    "Peeters",
    "Dubois",
    "Haddad",
    "Kaya",
    "Maes",
    "Rahimi",
    "Mohamed",
    "Claes",
    "Diallo",
    "Wouters",
    "Nowak",
    "Haidari",
    "Tesfaye",
];
/// Names the demo (and `tandem generate`) draw from.
pub(crate) const FAMILY_NAMES: &[&str] = &[
    "Fatima", "Mounir", "Ana", "Hakan", "Ilinca", "Farid", "Leila", "Jamal", "Sofia", "Nour",
    "Abdi", "Meron", "Yasmina", "Kevin", "Sanne", "Reza", "Oksana", "Aziz", "Inès", "Hamza",
];

fn level(i: usize) -> LanguageLevel {
    [
        LanguageLevel::Native,
        LanguageLevel::Fluent,
        LanguageLevel::Conversational,
    ][i % 3]
}

fn slots(rng: &mut StdRng) -> Vec<TimeSlotInput> {
    let days = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
    ];
    (0..rng.random_range(1..=3))
        .map(|_| {
            let start = rng.random_range(9..=17);
            TimeSlotInput {
                day: days[rng.random_range(0..days.len())],
                start: format!("{start:02}:00"),
                end: format!("{:02}:30", start + rng.random_range(1..=3)),
            }
        })
        .collect()
}

fn crises(rng: &mut StdRng, n: usize) -> Vec<CrisisType> {
    let all = [
        CrisisType::ParentingStress,
        CrisisType::Newcomer,
        CrisisType::SocialIsolation,
        CrisisType::Financial,
        CrisisType::Housing,
        CrisisType::SchoolDropout,
        CrisisType::MentalHealth,
        CrisisType::DomesticViolence,
        CrisisType::ChildSafetyConcern,
        CrisisType::IllnessOrDisability,
    ];
    let mut out = Vec::new();
    for _ in 0..n {
        let c = all[rng.random_range(0..all.len())];
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

fn err(e: crate::core::error::ApiError) -> anyhow::Error {
    anyhow::anyhow!("demo seed: {}", e.message())
}

/// Seeds the demo network unless it is there already; returns what it did.
pub async fn seed(state: &AppState) -> anyhow::Result<String> {
    let exists = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(COORDINATOR_EMAIL))
        .one(&state.db)
        .await?;
    if exists.is_some() {
        return Ok("the demo network is already there".to_owned());
    }
    let mut rng = StdRng::seed_from_u64(2026);
    let today = state.today();
    let actor = Actor {
        user_id: None,
        name: "Demo coordinator".to_owned(),
        viewer: None,
    };

    let mut volunteers = Vec::new();
    for i in 0..64 {
        let name = format!(
            "{} {}",
            VOLUNTEER_NAMES[i % VOLUNTEER_NAMES.len()],
            SURNAMES[(i * 7) % SURNAMES.len()]
        );
        let langs = LANGUAGE_MIX[i % LANGUAGE_MIX.len()];
        let status = match i % 16 {
            13 => VolunteerStatus::InTraining,
            14 => VolunteerStatus::Applicant,
            15 => VolunteerStatus::Paused,
            _ => VolunteerStatus::Active,
        };
        let input = CreateVolunteerInput {
            name,
            email: Some(format!("volunteer{i}@tandem.demo")),
            phone: Some(format!(
                "+32 470 {:02} {:02} {:02}",
                i,
                (i * 3) % 100,
                (i * 7) % 100
            )),
            status: Some(status),
            languages: langs
                .iter()
                .enumerate()
                .map(|(j, l)| LanguageSkillInput {
                    language: (*l).to_owned(),
                    level: level(i + j),
                })
                .collect(),
            home: LocationInput {
                postal_code: Some(POSTAL_CODES[(i * 5) % POSTAL_CODES.len()].to_owned()),
                latitude: None,
                longitude: None,
            },
            max_travel_km: Some([5.0, 8.0, 10.0, 15.0][i % 4]),
            availability: slots(&mut rng),
            crisis_experience: Some(crises(&mut rng, 3)),
            capacity: Some(1 + (i % 3) as i32),
            background_check_issued_on: (i % 11 != 10)
                .then(|| Date(today - Duration::days(30 + (i as i64 * 17) % 900))),
        };
        let v = crate::volunteers::create_volunteer(state, input)
            .await
            .map_err(err)?;
        if status == VolunteerStatus::Active {
            crate::volunteers::record_training(state, v.id, "BASIC", today - Duration::days(60))
                .await
                .map_err(err)?;
            if i % 4 == 0 {
                crate::volunteers::record_training(
                    state,
                    v.id,
                    "DOMESTIC_VIOLENCE",
                    today - Duration::days(40),
                )
                .await
                .map_err(err)?;
            }
            if i % 5 == 0 {
                crate::volunteers::record_training(
                    state,
                    v.id,
                    "CHILD_SAFETY",
                    today - Duration::days(40),
                )
                .await
                .map_err(err)?;
            }
        }
        volunteers.push(v);
    }

    let mut families = Vec::new();
    for i in 0..42 {
        let langs = LANGUAGE_MIX[(i * 5 + 1) % LANGUAGE_MIX.len()];
        let input = CreateFamilyInput {
            display_name: FAMILY_NAMES[i % FAMILY_NAMES.len()].to_owned(),
            languages: langs
                .iter()
                .enumerate()
                .map(|(j, l)| LanguageSkillInput {
                    language: (*l).to_owned(),
                    level: level(j),
                })
                .collect(),
            preferred_language: Some(langs[0].to_owned()),
            home: LocationInput {
                postal_code: Some(POSTAL_CODES[(i * 3 + 2) % POSTAL_CODES.len()].to_owned()),
                latitude: None,
                longitude: None,
            },
            crisis_types: crises(&mut rng, 2),
            urgency: Some(
                [
                    Urgency::Normal,
                    Urgency::High,
                    Urgency::Normal,
                    Urgency::Crisis,
                ][i % 4],
            ),
            referral_source: [
                ReferralSource::Caw,
                ReferralSource::Clb,
                ReferralSource::KindEnGezin,
                ReferralSource::CrisisHotline,
                ReferralSource::School,
                ReferralSource::Ocj,
            ][i % 6],
            referred_at: Some(Utc::now() - Duration::days(3 + (i as i64 * 13) % 70)),
            needed_availability: slots(&mut rng),
            children_ages: Some((0..1 + i % 4).map(|c| ((i + c * 5) % 17) as i32).collect()),
            consent_given: i % 10 != 9,
        };
        families.push(
            crate::families::create_family(state, input, None)
                .await
                .map_err(err)?,
        );
    }

    let services = seed_services(state).await?;

    // Plans with helpers at every stage: the best match of the first families is
    // proposed, and then phased in, out, ended or declined.
    let mut staged = 0;
    let mut check_ins = 0;
    for (i, family) in families.iter().enumerate().take(24) {
        if !family.consent_given {
            continue;
        }
        let result = crate::matches::rank_for_family(state, family.id, 1, None, false)
            .await
            .map_err(err)?;
        let Some(best) = result.candidates.first() else {
            continue;
        };
        let referred = family.referred_at;
        let proposed_at = referred + Duration::days(1 + (i as i64 % 5));
        let inv = involve(
            state,
            &actor,
            family.id,
            HelperSpec::Volunteer(best.volunteer_id()),
            "buddy",
            Some("best match on language and distance"),
            Some(proposed_at),
        )
        .await
        .map_err(err)?;
        let stage = staged % 6;
        staged += 1;
        let phase_in_at = proposed_at + Duration::days(2);
        match stage {
            0 => {}
            1 => {
                transition(
                    state,
                    &actor,
                    inv.id,
                    Move::Decline,
                    Some("the family preferred a woman buddy"),
                    None,
                    Some(phase_in_at),
                )
                .await
                .map_err(err)?;
            }
            _ => {
                transition(
                    state,
                    &actor,
                    inv.id,
                    Move::PhaseIn,
                    None,
                    None,
                    Some(phase_in_at),
                )
                .await
                .map_err(err)?;
                if stage >= 4 {
                    transition(
                        state,
                        &actor,
                        inv.id,
                        Move::StartPhaseOut,
                        Some("goals reached; the family's own network takes over"),
                        None,
                        Some(phase_in_at + Duration::days(1)),
                    )
                    .await
                    .map_err(err)?;
                }
                if stage == 5 {
                    transition(
                        state,
                        &actor,
                        inv.id,
                        Move::End,
                        Some("handed over to the neighbour"),
                        None,
                        Some(phase_in_at + Duration::days(2)),
                    )
                    .await
                    .map_err(err)?;
                }
                if stage == 2 {
                    let follow_up = Actor {
                        user_id: None,
                        name: "Demo follow-up worker".to_owned(),
                        viewer: None,
                    };
                    log_check_in(state, &follow_up, LogCheckInInput {
                        volunteer_id: global_id("Volunteer", best.volunteer_id()),
                        family_id: Some(global_id("Family", family.id)),
                        kind: CheckInKind::Call,
                        occurred_at: Some(phase_in_at + Duration::days(1)),
                        wellbeing: Some(if check_ins == 0 { 2 } else { 4 }),
                        hours_since_last: Some(6.0),
                        concern: Some(if check_ins == 0 { ConcernLevel::High } else { ConcernLevel::None }),
                        notes: Some(if check_ins == 0 { "Feels out of their depth with the housing situation; needs supervision soon.".to_owned() } else { "Going well; homework help on Wednesdays.".to_owned() }),
                        next_due_on: None,
                    })
                    .await
                    .map_err(err)?;
                    check_ins += 1;
                }
            }
        }
        if i % 3 == 0 {
            involve(
                state,
                &actor,
                family.id,
                HelperSpec::NetworkMember {
                    name: "Grandmother".to_owned(),
                    relation: "grandmother".to_owned(),
                },
                "childcare on Wednesdays",
                None,
                Some(proposed_at),
            )
            .await
            .map_err(err)?;
        }
        if i % 4 == 1 {
            involve(
                state,
                &actor,
                family.id,
                HelperSpec::Professional {
                    name: "Sofie De Smet".to_owned(),
                    organization: "CAW Brussel".to_owned(),
                },
                "point of contact",
                None,
                Some(proposed_at),
            )
            .await
            .map_err(err)?;
        }
        if i % 5 == 2
            && let Some(service) = services.iter().find(|(_, area)| {
                family
                    .postal_code
                    .as_ref()
                    .is_some_and(|p| area.contains(p))
            })
        {
            involve(
                state,
                &actor,
                family.id,
                HelperSpec::Service(service.0),
                "household help",
                None,
                Some(proposed_at),
            )
            .await
            .map_err(err)?;
        }
        let plan = crate::plans::plan_id_of_family(state, family.id)
            .await
            .map_err(err)?;
        crate::plans::add_goal(
            state,
            plan,
            "De kinderen gaan elke dag naar school / Les enfants vont à l'école tous les jours",
            LifeDomain::School,
            Some(today + Duration::days(60)),
            &actor,
        )
        .await
        .map_err(err)?;
    }

    for (email, name, role) in [
        (COORDINATOR_EMAIL, "Demo coordinator", Role::Coordinator),
        (
            "followup@tandem.demo",
            "Demo follow-up worker",
            Role::FollowUp,
        ),
        ("admin@tandem.demo", "Demo admin", Role::Admin),
    ] {
        create_user(
            &state.db,
            NewUser {
                name: name.to_owned(),
                email: email.to_owned(),
                role,
                password: COORDINATOR_PASSWORD.to_owned(),
                volunteer_id: None,
            },
        )
        .await
        .map_err(err)?;
    }
    Ok(format!(
        "seeded the demo network: {} volunteers, {} families, {} services, {} plans with helpers",
        volunteers.len(),
        families.len(),
        services.len(),
        staged
    ))
}

async fn seed_services(state: &AppState) -> anyhow::Result<Vec<(Uuid, Vec<String>)>> {
    use crate::services::{CreateFamilyCareServiceInput, ServiceKind};
    let brussels: Vec<String> = POSTAL_CODES
        .iter()
        .filter(|p| p.starts_with("10") || p.starts_with("11") || p.starts_with("12"))
        .map(|p| (*p).to_owned())
        .collect();
    let rim: Vec<String> = POSTAL_CODES
        .iter()
        .filter(|p| !p.starts_with("10") && !p.starts_with("11") && !p.starts_with("12"))
        .map(|p| (*p).to_owned())
        .collect();
    let list = [
        (
            "Gezinszorg Brussel",
            "Familiehulp",
            ServiceKind::FamilyCare,
            vec!["nl", "fr", "ar"],
            brussels.clone(),
            vec![LifeDomain::Household, LifeDomain::Parenting],
            true,
            true,
            Some(40),
        ),
        (
            "Kraamzorg Vlaams-Brabant",
            "Kraamzorg Vlaanderen",
            ServiceKind::MaternityCare,
            vec!["nl", "en"],
            rim.clone(),
            vec![LifeDomain::Health],
            false,
            true,
            Some(15),
        ),
        (
            "Poetshulp Molenbeek",
            "Dienstenchequebedrijf Net",
            ServiceKind::HouseholdHelp,
            vec!["fr", "nl", "ro"],
            vec!["1080".into(), "1081".into(), "1070".into()],
            vec![LifeDomain::Household],
            false,
            false,
            Some(20),
        ),
        (
            "RTJ Brussel Noord",
            "Jeugdhulp Brussel",
            ServiceKind::DirectYouthCare,
            vec!["nl", "fr"],
            brussels.clone(),
            vec![LifeDomain::Parenting, LifeDomain::SocialNetwork],
            true,
            true,
            None,
        ),
        (
            "Eerstelijnspsychologen Halle-Vilvoorde",
            "Netwerk GGZ",
            ServiceKind::PsychologicalFirstLine,
            vec!["nl", "fr", "tr"],
            rim,
            vec![LifeDomain::Health],
            false,
            true,
            Some(30),
        ),
        (
            "NAFT Brussel",
            "Onderwijsambassadeurs",
            ServiceKind::SchoolSupport,
            vec!["nl", "fr", "ar", "ber"],
            brussels,
            vec![LifeDomain::School],
            false,
            true,
            Some(25),
        ),
    ];
    let mut out = Vec::new();
    for (name, org, kind, langs, area, domains, crisis, waivable, capacity) in list {
        let model = crate::services::create_service(
            state,
            CreateFamilyCareServiceInput {
                name: name.to_owned(),
                organization: org.to_owned(),
                kind,
                languages: langs.into_iter().map(str::to_owned).collect(),
                service_area: area.clone(),
                life_domains: domains,
                crisis_available: Some(crisis),
                contribution_waivable: Some(waivable),
                capacity,
            },
        )
        .await
        .map_err(err)?;
        out.push((model.id, area));
    }
    Ok(out)
}
