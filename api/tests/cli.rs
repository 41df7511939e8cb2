//! The `tandem` command line, run as a process against SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    io::Write,
    process::{Command, Output, Stdio},
};

use sea_orm::{ConnectionTrait, Database, EntityTrait, PaginatorTrait};

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

/// A fresh PostgreSQL database, or `None` outside CI when there is no server.
async fn postgres_url() -> Option<String> {
    let base = std::env::var("TANDEM_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned());
    match Database::connect(format!("{base}/postgres")).await {
        Ok(admin) => {
            let name = format!("tandem_test_{}", uuid::Uuid::now_v7().simple());
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .unwrap();
            Some(format!("{base}/{name}"))
        }
        Err(e) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but PostgreSQL is unreachable: {e}"
            );
            None
        }
    }
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
        .map(|i| i.status)
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
    assert_eq!(user.role, "FOLLOW_UP");
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
    assert!(
        text(&out).contains("at least 12 characters"),
        "{}",
        text(&out)
    );

    // Retention: a plan closed 100 days ago is erased, a recent one is not.
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let plans = entity::plan::Entity::find().all(&db).await.unwrap();
    for (plan, days) in [(&plans[0], 100), (&plans[1], 3)] {
        entity::plan::ActiveModel {
            id: Set(plan.id),
            status: Set("CLOSED".into()),
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
        text(&out).contains("retention: 1 families"),
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

#[tokio::test]
async fn cli_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("cli.db").display());
    the_cli_migrates_seeds_idempotently_adds_users_and_exports_the_schema(&url).await;
}

#[tokio::test]
async fn cli_on_postgres() {
    if let Some(url) = postgres_url().await {
        the_cli_migrates_seeds_idempotently_adds_users_and_exports_the_schema(&url).await;
    }
}
