//! Kill -9 in the middle of a stream of mutations, then restart: every
//! acknowledged write is there, no involvement has a status without its
//! event, and SQLite's integrity check passes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::{
    process::Command,
    sync::{Arc, Mutex},
    time::Duration,
};

use common::{gql, start};

use sea_orm::{ConnectionTrait, Database, DbBackend, EntityTrait, Statement};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_minus_nine_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("crash.db").display()
    );
    acknowledged_writes_survive_kill_minus_nine(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_minus_nine_on_postgres() {
    let Some(url) = common::fresh_postgres().await else {
        return;
    };
    acknowledged_writes_survive_kill_minus_nine(&url).await;
}

async fn acknowledged_writes_survive_kill_minus_nine(url: &str) {
    let url = url.to_owned();
    common::add_coordinator(&url, "c@example.org");
    let (mut server, addr) = start(&url);
    let client = reqwest::Client::new();
    let token = gql(&client, &addr, None, "mutation { login(email: \"c@example.org\", password: \"correct horse battery staple\") { token } }", json!({}))
        .await
        .unwrap()["login"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let family = gql(
        &client,
        &addr,
        Some(&token),
        "mutation { createFamily(input: {displayName: \"F\", languages: [{language: \"nl\", level: NATIVE}], home: {postalCode: \"1000\"}, crisisTypes: [], referralSource: CAW, neededAvailability: [], consentGiven: true}) { id } }",
        json!({}),
    )
    .await
    .unwrap()["createFamily"]["id"]
    .clone();

    let acknowledged: Arc<Mutex<Vec<(String, &'static str)>>> = Arc::default();
    let mut writers = Vec::new();
    for w in 0..4 {
        let (client, addr, token, family, acknowledged) = (
            client.clone(),
            addr.clone(),
            token.clone(),
            family.clone(),
            acknowledged.clone(),
        );
        writers.push(tokio::spawn(async move {
            for i in 0.. {
                let Some(data) = gql(&client, &addr, Some(&token), "mutation($f: ID!, $n: String!) { involveNetworkMember(input: {familyId: $f, name: $n, relation: \"neighbour\", role: \"help\"}) { id } }", json!({"f": family, "n": format!("N{w}-{i}")})).await else {
                    break;
                };
                let id = data["involveNetworkMember"]["id"].as_str().unwrap().to_owned();
                acknowledged.lock().unwrap().push((id.clone(), "PROPOSED"));
                if gql(&client, &addr, Some(&token), "mutation($i: ID!) { phaseIn(input: {involvementId: $i}) { id } }", json!({"i": id})).await.is_none() {
                    break;
                }
                acknowledged.lock().unwrap().push((id, "ACTIVE"));
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill().unwrap();
    server.wait().unwrap();
    for writer in writers {
        writer.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > 10,
        "the stream was running: {} writes acknowledged",
        acknowledged.len()
    );

    let (mut server, _addr) = start(&url);
    let db = Database::connect(&url).await.unwrap();
    if url.starts_with("sqlite") {
        let check = db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA integrity_check",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(check.try_get_by_index::<String>(0).unwrap(), "ok");
    }
    let involvements = entity::involvement::Entity::find().all(&db).await.unwrap();
    let events = entity::involvement_event::Entity::find()
        .all(&db)
        .await
        .unwrap();
    for inv in &involvements {
        let mine: Vec<_> = events
            .iter()
            .filter(|e| e.involvement_id == inv.id)
            .collect();
        let expected = if inv.status == entity::vocabulary::InvolvementStatus::Active {
            2
        } else {
            1
        };
        assert_eq!(
            mine.len(),
            expected,
            "involvement {} in {:?} has {} events",
            inv.id,
            inv.status,
            mine.len()
        );
    }
    for (id, status) in &acknowledged {
        let (_, key) = api::parse_global_id(id).unwrap();
        let row = involvements
            .iter()
            .find(|i| i.id == key)
            .unwrap_or_else(|| panic!("acknowledged {id} lost"));
        if *status == "ACTIVE" {
            assert_eq!(
                row.status,
                entity::vocabulary::InvolvementStatus::Active,
                "acknowledged phase-in of {id} lost"
            );
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_server_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("term.db").display());
    let (mut server, addr) = start(&url);
    let health = reqwest::get(format!("http://{addr}/healthz"))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let status = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = server.try_wait().unwrap() {
            break exit;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "a graceful stop exits 0, got {exit}");
}
