//! The `tandem` command line, run as a process against SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::{
    io::Write,
    process::{Command, Output, Stdio},
};

use sea_orm::{ActiveEnum, Database, EntityTrait, PaginatorTrait};

fn tandem(database_url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

async fn the_cli_migrates_seeds_idempotently_adds_users_and_exports_the_schema(url: &str) {
    let out = tandem(url, &["migrate"], None);
    assert!(out.status.success(), "{}", text(&out));

    let out = tandem(url, &["seed", "--demo"], None);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("64 volunteers, 42 families, 6 services"),
        "{}",
        text(&out)
    );
    let out = tandem(url, &["seed", "--demo"], None);
    assert!(text(&out).contains("already there"), "{}", text(&out));
    let db = Database::connect(url).await.unwrap();
    assert_eq!(
        entity::volunteer::Entity::find().count(&db).await.unwrap(),
        64
    );
    assert_eq!(entity::family::Entity::find().count(&db).await.unwrap(), 42);
    assert_eq!(
        entity::family_care_service::Entity::find()
            .count(&db)
            .await
            .unwrap(),
        6
    );
    let statuses: std::collections::BTreeSet<String> = entity::involvement::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.status.to_value())
        .collect();
    assert_eq!(
        statuses.len(),
        5,
        "every lifecycle stage is in the demo: {statuses:?}"
    );

    let out = tandem(
        url,
        &[
            "users",
            "add",
            "--email",
            "Ann@Example.org",
            "--name",
            "Ann",
            "--role",
            "follow-up",
            "--password-stdin",
        ],
        Some("a long enough password\n"),
    );
    assert!(out.status.success(), "{}", text(&out));
    let user = entity::app_user::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "ann@example.org")
        .unwrap();
    assert_eq!(user.role.to_value(), "FOLLOW_UP");
    assert!(user.password_hash.starts_with("$argon2id$"));
    let out = tandem(
        url,
        &[
            "users",
            "add",
            "--email",
            "bob@example.org",
            "--name",
            "Bob",
            "--role",
            "admin",
            "--password-stdin",
        ],
        Some("short"),
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("minstens 12 tekens"), "{}", text(&out));

    // Retention: a plan closed 100 days ago is erased, a recent one is not.
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let plans = entity::plan::Entity::find().all(&db).await.unwrap();
    for (plan, days) in [(&plans[0], 100), (&plans[1], 3)] {
        entity::plan::ActiveModel {
            id: Set(plan.id),
            status: Set(entity::vocabulary::PlanStatus::Closed),
            updated_at: Set(chrono::Utc::now() - chrono::Duration::days(days)),
            ..Default::default()
        }
        .update(&db)
        .await
        .unwrap();
    }
    let out = tandem(url, &["retention", "--closed-for-days", "30"], None);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("bewaartermijn: 1 gezin "),
        "{}",
        text(&out)
    );
    let erased = entity::family::Entity::find_by_id(plans[0].family_id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(erased.erased_at.is_some());
    assert_eq!(erased.display_name, "[erased]");
    let kept = entity::family::Entity::find_by_id(plans[1].family_id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(kept.erased_at.is_none());

    let out = tandem(url, &["export-schema"], None);
    let checked_in =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql")).unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), checked_in);
}

fn add_user(url: &str, email: &str, role: &str, volunteer: Option<&str>) -> Output {
    let mut args = vec![
        "users",
        "add",
        "--email",
        email,
        "--name",
        "Someone",
        "--role",
        role,
        "--password-stdin",
    ];
    if let Some(id) = volunteer {
        args.extend(["--volunteer-id", id]);
    }
    tandem(url, &args, Some("a long enough password\n"))
}

/// Issue 22, finding 10: role names as the schema spells them, one account
/// per volunteer, `--volunteer-id` only for VOLUNTEER, a dry run of
/// retention. Runs on a seeded database.
async fn the_cli_takes_schema_role_names_guards_accounts_and_dry_runs_retention(url: &str) {
    let db = Database::connect(url).await.unwrap();
    for (email, role, stored) in [
        ("fu1@example.org", "FOLLOW_UP", "FOLLOW_UP"),
        ("fu2@example.org", "Follow_Up", "FOLLOW_UP"),
        ("co1@example.org", "COORDINATOR", "COORDINATOR"),
    ] {
        let out = add_user(url, email, role, None);
        assert!(out.status.success(), "{role}: {}", text(&out));
        let user = entity::app_user::Entity::find()
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.email == email)
            .unwrap();
        assert_eq!(user.role.to_value(), stored);
    }
    let out = add_user(url, "x@example.org", "helper", None);
    assert!(!out.status.success());
    assert!(text(&out).contains("FOLLOW_UP"), "{}", text(&out));

    let volunteers = entity::volunteer::Entity::find().all(&db).await.unwrap();
    let (first, second) = (volunteers[0].id.to_string(), volunteers[1].id.to_string());
    let out = add_user(url, "v1@example.org", "VOLUNTEER", Some(&first));
    assert!(out.status.success(), "{}", text(&out));
    let out = add_user(url, "v2@example.org", "volunteer", Some(&first));
    assert!(!out.status.success(), "a second account for one volunteer");
    assert!(
        text(&out).contains("één account per vrijwilliger"),
        "{}",
        text(&out)
    );
    let out = add_user(url, "c2@example.org", "coordinator", Some(&second));
    assert!(!out.status.success(), "--volunteer-id with a coordinator");
    assert!(
        text(&out).contains("alleen een VOLUNTEER-account"),
        "{}",
        text(&out)
    );

    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let plan = entity::plan::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.status != entity::vocabulary::PlanStatus::Closed)
        .unwrap();
    entity::plan::ActiveModel {
        id: Set(plan.id),
        status: Set(entity::vocabulary::PlanStatus::Closed),
        updated_at: Set(chrono::Utc::now() - chrono::Duration::days(400)),
        ..Default::default()
    }
    .update(&db)
    .await
    .unwrap();
    let family = entity::family::Entity::find_by_id(plan.family_id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let out = tandem(
        url,
        &["retention", "--closed-for-days", "365", "--dry-run"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(&format!("zou {} wissen", family.reference)),
        "{}",
        text(&out)
    );
    assert!(
        text(&out).contains("er werd niets gewist"),
        "{}",
        text(&out)
    );
    let still = entity::family::Entity::find_by_id(plan.family_id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(still.erased_at.is_none(), "a dry run erases nothing");
}

/// Issue 22, finding 10: a PostgreSQL database that does not exist is
/// reported in plain words, with what to do.
#[tokio::test]
async fn a_missing_postgres_database_is_reported_with_what_to_do() {
    let Some(existing) = common::fresh_postgres().await else {
        return;
    };
    let base = &existing[..existing.rfind('/').unwrap()];
    let missing = format!("{base}/tandem_missing_{}", uuid::Uuid::now_v7().simple());
    let out = tandem(&missing, &["migrate"], None);
    assert!(!out.status.success());
    let said = text(&out);
    assert!(said.contains("does not exist"), "{said}");
    assert!(said.contains("createdb"), "{said}");
    assert!(said.contains("kan de database"), "{said}");
    assert!(!said.contains(" at line "), "{said}");
}

const VOLUNTEERS_CSV: &str = "name,email,phone,status,languages,postal_code,max_travel_km,availability,crisis_experience,capacity,background_check_issued_on,trainings
Amina Imported,amina@example.org,,ACTIVE,Arabisch:native;Frans:fluent,1080,8,wo 14:00-17:00; za 10:00-12:00,PARENTING_STRESS;newcomer,2,2025-03-01,BASIC:2026-01-10;domestic violence
Pieter Peeters,,,active,nl:moedertaal,3000,,Monday 09:00-12:00,,,,
";

async fn the_cli_imports_spreadsheets_all_or_nothing(url: &str, dir: &std::path::Path) {
    let good = dir.join("volunteers.csv");
    std::fs::write(&good, VOLUNTEERS_CSV).unwrap();
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        format!("{VOLUNTEERS_CSV}Worf,,,ACTIVE,Klingon:native,1000,,,,,,\nNobody,,,ACTIVE,nl:native,9999,,vr 25:00-26:00,,,,\n"),
    )
    .unwrap();
    let db = Database::connect(url).await.unwrap();
    let before = entity::volunteer::Entity::find().count(&db).await.unwrap();

    let out = tandem(url, &["import", "volunteers", bad.to_str().unwrap()], None);
    assert!(!out.status.success());
    let report = text(&out);
    assert!(
        report.contains("regel 4, kolom languages: Onbekende taal \"Klingon\""),
        "{report}"
    );
    assert!(report.contains("regel 5, kolom postal_code"), "{report}");
    assert!(
        report.contains("2 foute rijen") && report.contains("er werd niets geïmporteerd"),
        "{report}"
    );
    assert_eq!(
        entity::volunteer::Entity::find().count(&db).await.unwrap(),
        before
    );

    let out = tandem(
        url,
        &["import", "volunteers", good.to_str().unwrap(), "--dry-run"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("2 rijen zijn geldig; er werd niets geschreven"),
        "{}",
        text(&out)
    );
    assert_eq!(
        entity::volunteer::Entity::find().count(&db).await.unwrap(),
        before
    );

    let out = tandem(url, &["import", "volunteers", good.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("2 rijen geïmporteerd"),
        "{}",
        text(&out)
    );
    let amina = entity::volunteer::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.name == "Amina Imported")
        .unwrap();
    assert_eq!(amina.municipality.as_deref(), Some("Molenbeek-Saint-Jean"));
    assert_eq!(amina.capacity, 2);
    let trainings: Vec<String> = entity::training_completion::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t.volunteer_id == amina.id)
        .map(|t| t.module)
        .collect();
    assert_eq!(trainings, vec!["BASIC", "DOMESTIC_VIOLENCE"]);
    let mut languages: Vec<(String, String, i32)> = entity::volunteer_language::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .filter(|l| l.volunteer_id == amina.id)
        .map(|l| (l.language_code, l.level.to_value(), l.position))
        .collect();
    languages.sort_by_key(|l| l.2);
    assert_eq!(
        languages,
        vec![
            ("ar".to_owned(), "NATIVE".to_owned(), 0),
            ("fr".to_owned(), "FLUENT".to_owned(), 1)
        ]
    );

    let families = dir.join("families.csv");
    std::fs::write(
        &families,
        "display_name,languages,preferred_language,postal_code,crisis_types,urgency,referral_source,referred_at,needed_availability,children_ages,consent_given\n\
         Fatima,ar:native;fr:basic,ar,1070,HOUSING;newcomer,HIGH,CAW,2026-10-01,wo 15:00-18:00,3;7,ja\n\
         Karim,Turks:vloeiend,,1030,,,kind en gezin,,,,no\n",
    )
    .unwrap();
    let families_before = entity::family::Entity::find().count(&db).await.unwrap();
    let seeded: std::collections::HashSet<uuid::Uuid> = entity::family::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.id)
        .collect();
    let out = tandem(
        url,
        &["import", "families", families.to_str().unwrap()],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        entity::family::Entity::find().count(&db).await.unwrap(),
        families_before + 2
    );
    assert_eq!(
        entity::plan::Entity::find().count(&db).await.unwrap(),
        families_before + 2,
        "each with its plan"
    );
    // References drawn in the file's order, one after the other; each family
    // with its own languages and children.
    let imported: Vec<_> = entity::family::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .filter(|f| !seeded.contains(&f.id))
        .collect();
    let family = |name: &str| imported.iter().find(|f| f.display_name == name).unwrap();
    let (fatima, karim) = (family("Fatima"), family("Karim"));
    let number =
        |reference: &str| -> u32 { reference.rsplit('-').next().unwrap().parse().unwrap() };
    assert_eq!(
        number(&karim.reference),
        number(&fatima.reference) + 1,
        "{} then {}",
        fatima.reference,
        karim.reference
    );
    let languages: Vec<(uuid::Uuid, String, i32)> = entity::family_language::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .filter(|l| l.family_id == fatima.id || l.family_id == karim.id)
        .map(|l| (l.family_id, l.language_code, l.position))
        .collect();
    assert_eq!(languages.len(), 3, "{languages:?}");
    assert!(languages.contains(&(fatima.id, "ar".to_owned(), 0)));
    assert!(languages.contains(&(fatima.id, "fr".to_owned(), 1)));
    assert!(languages.contains(&(karim.id, "tr".to_owned(), 0)));
    let mut ages: Vec<(uuid::Uuid, i32, i32)> = entity::family_child::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.family_id == fatima.id || c.family_id == karim.id)
        .map(|c| (c.family_id, c.position, c.age_years))
        .collect();
    ages.sort_by_key(|a| a.1);
    assert_eq!(ages, vec![(fatima.id, 0, 3), (fatima.id, 1, 7)]);
}

/// Issue 22, finding 9: a semicolon file as Belgian Excel saves it, errors
/// by CSV column and line, every bad row in one run (a row with the wrong
/// number of fields too), duplicates refused or skipped, defaults stated.
async fn the_cli_imports_what_coordinators_try(url: &str, dir: &std::path::Path) {
    let db = Database::connect(url).await.unwrap();
    let count = || async {
        entity::volunteer::Entity::find()
            .count(&Database::connect(url).await.unwrap())
            .await
            .unwrap()
    };
    let header = "name;email;phone;status;languages;postal_code;max_travel_km;availability;crisis_experience;capacity;background_check_issued_on;trainings";
    let bad = dir.join("excel-bad.csv");
    std::fs::write(
        &bad,
        format!(
            "{header}\n\
             Sofie Semicolon;sofie@example.org;;ACTIVE;\"nl:native;fr:fluent\";1000;;wo 14:00-17:00;;;2025-03-01;BASIC\n\
             Too Few;;;ACTIVE\n\
             Worf;;;ACTIVE;Klingon:native;1000;;;;;;\n\
             Nobody;;;ACTIVE;nl:native;9999;;;;;;\n"
        ),
    )
    .unwrap();
    let before = count().await;
    let out = tandem(url, &["import", "volunteers", bad.to_str().unwrap()], None);
    assert!(!out.status.success());
    let report = text(&out);
    assert!(
        report.contains("regel 3: 4 velden waar de kopregel er 12 heeft"),
        "{report}"
    );
    assert!(
        report.contains("regel 4, kolom languages: Onbekende taal"),
        "{report}"
    );
    assert!(report.contains("regel 5, kolom postal_code"), "{report}");
    assert!(!report.contains("home.postalCode"), "{report}");
    assert!(report.contains("3 foute rijen"), "{report}");
    assert_eq!(count().await, before);

    let good = dir.join("excel.csv");
    std::fs::write(
        &good,
        format!(
            "{header}\n\
             Sofie Semicolon;sofie@example.org;;ACTIVE;\"nl:native;fr:fluent\";1000;;wo 14:00-17:00;;;2025-03-01;basis\n\
             Jan Tab;;;;nl:native;1030;;;;;;\n"
        ),
    )
    .unwrap();
    let out = tandem(url, &["import", "volunteers", good.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", text(&out));
    let report = text(&out);
    assert!(
        report.contains("regel 2, kolom trainings: BASIC heeft geen datum: gedateerd op vandaag"),
        "{report}"
    );
    assert!(
        report.contains("regel 3, kolom status: leeg: APPLICANT"),
        "{report}"
    );
    assert_eq!(count().await, before + 2);

    let twice = dir.join("excel-again.csv");
    std::fs::write(
        &twice,
        format!(
            "{header}\n\
             Sofie S.;SOFIE@example.org;;ACTIVE;nl:native;1000;;;;;;\n\
             Jan Tab;;;;nl:native;1030;;;;;;\n\
             Nieuw Iemand;;;;nl:native;1040;;;;;;\n\
             Nieuw Iemand;;;;fr:native;1040;;;;;;\n"
        ),
    )
    .unwrap();
    let out = tandem(
        url,
        &["import", "volunteers", twice.to_str().unwrap()],
        None,
    );
    assert!(!out.status.success(), "the same people twice are refused");
    let report = text(&out);
    assert!(
        report.contains("regel 2, kolom email: al in Tandem"),
        "{report}"
    );
    assert!(
        report.contains("regel 3, kolom name: al in Tandem"),
        "{report}"
    );
    assert!(
        report.contains("regel 5, kolom name: hetzelfde als regel 4"),
        "{report}"
    );
    assert!(report.contains("--skip-existing"), "{report}");
    assert_eq!(count().await, before + 2);
    let out = tandem(
        url,
        &[
            "import",
            "volunteers",
            twice.to_str().unwrap(),
            "--skip-existing",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("1 rij geïmporteerd"), "{}", text(&out));
    assert!(text(&out).contains("(3 overgeslagen)"), "{}", text(&out));
    assert_eq!(count().await, before + 3);
    drop(db);
}

async fn volunteer_rows(url: &str) -> Vec<(String, Option<String>, String, i32)> {
    let db = Database::connect(url).await.unwrap();
    let mut rows: Vec<_> = entity::volunteer::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|v| (v.name, v.postal_code, v.status.to_value(), v.capacity))
        .collect();
    rows.sort();
    rows
}

async fn the_generator_loads_a_seeded_network_into_an_empty_database(url: &str, twin: &str) {
    let args = [
        "generate",
        "--volunteers",
        "800",
        "--families",
        "160",
        "--seed",
        "7",
    ];
    let out = tandem(url, &args, None);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("generated 800 volunteers"),
        "{}",
        text(&out)
    );
    let db = Database::connect(url).await.unwrap();
    assert_eq!(
        entity::family::Entity::find().count(&db).await.unwrap(),
        160
    );
    // Volunteers go in 500 to a statement: every one of the 800 has their
    // languages, and the trainings stored are the ones reported.
    let speakers: std::collections::HashSet<_> = entity::volunteer_language::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.volunteer_id)
        .collect();
    assert_eq!(speakers.len(), 800);
    let reported: u64 = text(&out)
        .split_once(" trainings")
        .and_then(|(before, _)| before.rsplit(['(', ' ']).next()?.parse().ok())
        .unwrap_or_else(|| panic!("no training count in {}", text(&out)));
    assert_eq!(
        entity::training_completion::Entity::find()
            .count(&db)
            .await
            .unwrap(),
        reported
    );
    assert_eq!(entity::plan::Entity::find().count(&db).await.unwrap(), 160);
    let involvements = entity::involvement::Entity::find().all(&db).await.unwrap();
    assert!(!involvements.is_empty(), "some families have a volunteer");
    // Every proposal went through the hard rules: no volunteer above capacity.
    for v in entity::volunteer::Entity::find().all(&db).await.unwrap() {
        let open = involvements
            .iter()
            .filter(|i| i.volunteer_id == Some(v.id) && i.status.to_value() != "ENDED")
            .count();
        assert!(open as i32 <= v.capacity, "{} is over capacity", v.name);
        if open > 0 {
            assert_eq!(v.status.to_value(), "ACTIVE");
        }
    }

    // The same seed gives the same people in the same places.
    let out = tandem(twin, &args, None);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(volunteer_rows(url).await, volunteer_rows(twin).await);

    // A second run refuses and writes nothing.
    let out = tandem(url, &args, None);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("already has 800 volunteers"),
        "{}",
        text(&out)
    );
    assert_eq!(
        entity::volunteer::Entity::find().count(&db).await.unwrap(),
        800
    );

    // Through the server: the generated families are matchable.
    common::add_coordinator(url, "generated@example.org");
    let (mut server, addr) = common::start(url);
    let client = reqwest::Client::new();
    let login = format!(
        "mutation {{ login(email: \"generated@example.org\", password: \"{}\") {{ token }} }}",
        common::PASSWORD
    );
    let data = common::gql(&client, &addr, None, &login, serde_json::json!({}))
        .await
        .expect("login");
    let token = data["login"]["token"].as_str().unwrap().to_owned();
    let data = common::gql(
        &client,
        &addr,
        Some(&token),
        "{ waitingList { edges { node { id matches(first: 3) { consideredVolunteers candidates { score } } } } } }",
        serde_json::json!({}),
    )
    .await
    .expect("waiting list");
    let waiting = data["waitingList"]["edges"].as_array().unwrap();
    assert!(!waiting.is_empty());
    assert!(
        waiting.iter().any(|f| !f["node"]["matches"]["candidates"]
            .as_array()
            .unwrap()
            .is_empty()),
        "some waiting family has candidates"
    );
    server.kill().unwrap();
    server.wait().unwrap();
}

#[tokio::test]
async fn generate_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = |name: &str| format!("sqlite://{}?mode=rwc", dir.path().join(name).display());
    the_generator_loads_a_seeded_network_into_an_empty_database(&url("a.db"), &url("b.db")).await;
}

#[tokio::test]
async fn generate_on_postgres() {
    if let (Some(url), Some(twin)) = (
        common::fresh_postgres().await,
        common::fresh_postgres().await,
    ) {
        the_generator_loads_a_seeded_network_into_an_empty_database(&url, &twin).await;
    }
}

#[tokio::test]
async fn cli_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("cli.db").display());
    the_cli_migrates_seeds_idempotently_adds_users_and_exports_the_schema(&url).await;
    the_cli_takes_schema_role_names_guards_accounts_and_dry_runs_retention(&url).await;
    the_cli_imports_spreadsheets_all_or_nothing(&url, dir.path()).await;
    the_cli_imports_what_coordinators_try(&url, dir.path()).await;
}

#[tokio::test]
async fn cli_on_postgres() {
    if let Some(url) = common::fresh_postgres().await {
        the_cli_migrates_seeds_idempotently_adds_users_and_exports_the_schema(&url).await;
        the_cli_takes_schema_role_names_guards_accounts_and_dry_runs_retention(&url).await;
        let dir = tempfile::tempdir().unwrap();
        the_cli_imports_spreadsheets_all_or_nothing(&url, dir.path()).await;
        the_cli_imports_what_coordinators_try(&url, dir.path()).await;
    }
}

/// A command that fails on the database says why: the cause, not the
/// sentence meant for GraphQL clients ("... the request id in the
/// x-request-id header ...", which no CLI run has).
async fn a_failing_command_reports_its_cause_not_the_clients_sentence(url: &str) {
    let out = tandem(url, &["migrate"], None);
    assert!(out.status.success(), "{}", text(&out));
    let db = Database::connect(url).await.unwrap();
    let drop = if url.starts_with("postgres") {
        "DROP TABLE family_care_service CASCADE"
    } else {
        "DROP TABLE family_care_service"
    };
    sea_orm::ConnectionTrait::execute_unprepared(&db, drop)
        .await
        .unwrap();
    let out = tandem(url, &["seed", "--demo"], None);
    assert!(!out.status.success(), "{}", text(&out));
    let said = text(&out);
    assert!(!said.contains("x-request-id"), "{said}");
    assert!(said.contains("family_care_service"), "{said}");
}

#[tokio::test]
async fn failing_command_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("cause.db").display()
    );
    a_failing_command_reports_its_cause_not_the_clients_sentence(&url).await;
}

#[tokio::test]
async fn failing_command_on_postgres() {
    if let Some(url) = common::fresh_postgres().await {
        a_failing_command_reports_its_cause_not_the_clients_sentence(&url).await;
    }
}
