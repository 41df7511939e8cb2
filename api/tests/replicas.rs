//! Two `tandem serve` processes on one PostgreSQL database: what one writes,
//! the other ranks, reads and streams within a second, a logout on one is
//! honoured by the other, killing one leaves the other serving, and a replica
//! that missed notifications catches up when it listens again.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{PASSWORD, gql, start};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_postgres_share_everything_and_survive_each_other() {
    let Some(url) = common::fresh_postgres().await else {
        return;
    };
    common::add_coordinator(&url, "c@example.org");

    let (mut one, addr_one) = start(&url);
    let (mut two, addr_two) = start(&url);
    let client = reqwest::Client::new();
    let login = format!(
        "mutation {{ login(email: \"c@example.org\", password: \"{PASSWORD}\") {{ token }} }}"
    );
    let bearer = gql(&client, &addr_one, None, &login, json!({}))
        .await
        .unwrap()["login"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = Some(bearer.as_str());

    let family = gql(
        &client,
        &addr_one,
        token,
        "mutation { createFamily(input: {displayName: \"F\", languages: [{language: \"ar\", level: NATIVE}], home: {postalCode: \"1080\"}, crisisTypes: [], referralSource: CAW, neededAvailability: [], consentGiven: true}) { id plan { id } } }",
        json!({}),
    )
    .await
    .unwrap()["createFamily"]
        .clone();

    // A subscriber on process two.
    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(format!(
            "ws://{addr_two}/graphql/ws"
        ))
        .unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    socket
        .send(Message::text(json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {bearer}")}}).to_string()))
        .await
        .unwrap();
    socket.next().await.unwrap().unwrap();
    socket
        .send(Message::text(json!({"id": "1", "type": "subscribe", "payload": {"query": "subscription { involvementEvents { to } }"}}).to_string()))
        .await
        .unwrap();

    // A volunteer created through one is ranked through two within a second.
    let volunteer = gql(
        &client,
        &addr_one,
        token,
        "mutation { createVolunteer(input: {name: \"V\", status: ACTIVE, languages: [{language: \"ar\", level: NATIVE}], home: {postalCode: \"1080\"}, availability: [], backgroundCheckIssuedOn: \"2026-01-01\"}) { id } }",
        json!({}),
    )
    .await
    .unwrap()["createVolunteer"]["id"]
        .clone();
    gql(&client, &addr_one, token, "mutation($v: ID!) { recordTraining(volunteerId: $v, module: \"BASIC\", completedOn: \"2026-01-02\") { id } }", json!({"v": volunteer}))
        .await
        .unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
    loop {
        let ranked = gql(
            &client,
            &addr_two,
            token,
            "query($f: ID!) { matchesForFamily(familyId: $f) { candidates { volunteer { id } } } }",
            json!({"f": family["id"]}),
        )
        .await
        .unwrap();
        if ranked["matchesForFamily"]["candidates"][0]["volunteer"]["id"] == volunteer {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "process two did not rank the volunteer within a second"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Two reads volunteers from its own roster: a change through one shows
    // there within a second, with the languages and trainings.
    let renamed = gql(
        &client,
        &addr_one,
        token,
        "mutation($v: ID!) { updateVolunteer(id: $v, input: {name: \"Vera\"}) { version } }",
        json!({"v": volunteer}),
    )
    .await
    .unwrap()["updateVolunteer"]["version"]
        .clone();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
    loop {
        let read = gql(
            &client,
            &addr_two,
            token,
            "query($v: ID!) { volunteer(id: $v) { name version languages { language { code } } trainings { module { code } } } }",
            json!({"v": volunteer}),
        )
        .await
        .unwrap();
        if read["volunteer"]["name"] == "Vera" {
            assert_eq!(read["volunteer"]["version"], renamed);
            assert_eq!(read["volunteer"]["languages"][0]["language"]["code"], "ar");
            assert_eq!(read["volunteer"]["trainings"][0]["module"]["code"], "BASIC");
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "process two did not show the renamed volunteer within a second: {read}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // An event written through one reaches the subscriber on two.
    gql(&client, &addr_one, token, "mutation($f: ID!, $v: ID!) { involveVolunteer(input: {familyId: $f, volunteerId: $v}) { id } }", json!({"f": family["id"], "v": volunteer}))
        .await
        .unwrap();
    let message = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            if let Some(Ok(Message::Text(text))) = socket.next().await {
                let value: serde_json::Value = serde_json::from_str(&text).unwrap();
                if value["type"] == "next" {
                    return value;
                }
            }
        }
    })
    .await
    .expect("the event arrives");
    assert_eq!(
        message["payload"]["data"]["involvementEvents"]["to"],
        "PROPOSED"
    );

    // A logout through one is honoured by two within a second, although two
    // had the session in its cache.
    let second = gql(&client, &addr_one, None, &login, json!({}))
        .await
        .unwrap()["login"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = "{ me { email } }";
    assert!(
        gql(&client, &addr_two, Some(&second), me, json!({}))
            .await
            .is_some()
    );
    gql(
        &client,
        &addr_one,
        Some(&second),
        "mutation { logout }",
        json!({}),
    )
    .await
    .unwrap();
    tokio::time::timeout(Duration::from_secs(1), async {
        while gql(&client, &addr_two, Some(&second), me, json!({}))
            .await
            .is_some()
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the revoked token is refused by the other replica");

    // Killing one leaves the other serving.
    one.kill().unwrap();
    one.wait().unwrap();
    let me = gql(
        &client,
        &addr_two,
        token,
        "{ me { email } volunteer(id: \"x\") { id } }",
        json!({}),
    )
    .await
    .unwrap();
    assert_eq!(me["me"]["email"], "c@example.org");
    let load = gql(
        &client,
        &addr_two,
        token,
        "query($v: ID!) { volunteer(id: $v) { currentLoad } }",
        json!({"v": volunteer}),
    )
    .await
    .unwrap();
    assert_eq!(load["volunteer"]["currentLoad"], 1);
    two.kill().unwrap();
    two.wait().unwrap();
}

/// The backends of the database at `url` that are LISTENing (one per replica).
async fn listeners(db: &sea_orm::DatabaseConnection) -> Vec<i32> {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    db.query_all_raw(Statement::from_string(
        DbBackend::Postgres,
        "SELECT pid FROM pg_stat_activity \
         WHERE datname = current_database() AND query ILIKE 'LISTEN%' ORDER BY pid",
    ))
    .await
    .unwrap()
    .iter()
    .map(|row| row.try_get_by_index::<i32>(0).unwrap())
    .collect()
}

/// Notifications sent while a replica is not listening are lost to it. When
/// it listens again it catches up: it reloads its roster and forgets the
/// sessions it cached, so a volunteer created and a logout made meanwhile
/// through the other replica are honoured.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_that_missed_notifications_catches_up_when_it_listens_again() {
    use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
    let Some(url) = common::fresh_postgres().await else {
        return;
    };
    common::add_coordinator(&url, "c@example.org");
    let db = Database::connect(&url).await.unwrap();
    let wait_for_listeners = |n: usize| {
        let db = db.clone();
        async move {
            for _ in 0..200 {
                let pids = listeners(&db).await;
                if pids.len() == n {
                    return pids;
                }
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            panic!("expected {n} listening replicas");
        }
    };
    let (mut one, addr_one) = start(&url);
    let one_listener = wait_for_listeners(1).await[0];
    let (mut two, addr_two) = start(&url);
    let two_listener = wait_for_listeners(2)
        .await
        .into_iter()
        .find(|pid| *pid != one_listener)
        .unwrap();

    let client = reqwest::Client::new();
    let login = format!(
        "mutation {{ login(email: \"c@example.org\", password: \"{PASSWORD}\") {{ token }} }}"
    );
    let mut tokens = Vec::new();
    for _ in 0..2 {
        tokens.push(
            gql(&client, &addr_one, None, &login, json!({}))
                .await
                .unwrap()["login"]["token"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let (kept, doomed) = (Some(tokens[0].as_str()), Some(tokens[1].as_str()));
    // Two has both sessions in its cache.
    let me = "{ me { email } }";
    assert!(gql(&client, &addr_two, kept, me, json!({})).await.is_some());
    assert!(
        gql(&client, &addr_two, doomed, me, json!({}))
            .await
            .is_some()
    );

    // Two stops hearing; meanwhile one creates a volunteer and logs a session out.
    db.execute_raw(Statement::from_string(
        DbBackend::Postgres,
        format!("SELECT pg_terminate_backend({two_listener})"),
    ))
    .await
    .unwrap();
    while listeners(&db).await.contains(&two_listener) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let volunteer = gql(
        &client,
        &addr_one,
        kept,
        "mutation { createVolunteer(input: {name: \"Missed\", languages: [{language: \"nl\", level: NATIVE}], home: {postalCode: \"1000\"}, availability: []}) { id } }",
        json!({}),
    )
    .await
    .unwrap()["createVolunteer"]["id"]
        .clone();
    gql(&client, &addr_one, doomed, "mutation { logout }", json!({}))
        .await
        .unwrap();

    // Once two listens again, it has caught up on both.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let read = gql(
            &client,
            &addr_two,
            kept,
            "query($v: ID!) { volunteer(id: $v) { name } }",
            json!({"v": volunteer}),
        )
        .await
        .unwrap();
        let refused = gql(&client, &addr_two, doomed, me, json!({}))
            .await
            .is_none();
        if read["volunteer"]["name"] == "Missed" && refused {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "two did not catch up after listening again: {read}, logout honoured: {refused}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    one.kill().unwrap();
    one.wait().unwrap();
    two.kill().unwrap();
    two.wait().unwrap();
}

const FAMILIES: &str = "{ families(first: 100) { edges { node { id displayName children { ageYears } plan { id pointOfContact } } } } }";

/// The families page of `addr`, as (display name, node) pairs.
async fn families_on(client: &reqwest::Client, addr: &str, token: Option<&str>) -> Vec<Value> {
    gql(client, addr, token, FAMILIES, json!({}))
        .await
        .map(|data| {
            data["families"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"].clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Families live in each replica's memory (the register): a family created,
/// changed and erased through one replica is read, changed and gone through
/// the other within a second, plan and children included.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn families_written_through_one_replica_are_read_and_erased_through_the_other() {
    let Some(url) = common::fresh_postgres().await else {
        return;
    };
    common::add_user(&url, "admin@example.org", "admin");
    let (mut one, addr_one) = start(&url);
    let (mut two, addr_two) = start(&url);
    let client = reqwest::Client::new();
    let bearer = common::login(&client, &addr_one, "admin@example.org").await;
    let token = Some(bearer.as_str());
    // Two has loaded its register: it answers an empty page.
    assert!(families_on(&client, &addr_two, token).await.is_empty());

    let created = gql(
        &client,
        &addr_one,
        token,
        "mutation { createFamily(input: {displayName: \"Amal\", languages: [{language: \"ar\", level: NATIVE}], home: {postalCode: \"1080\"}, crisisTypes: [], referralSource: CAW, neededAvailability: [], childrenAges: [3], consentGiven: true}) { id plan { id } } }",
        json!({}),
    )
    .await
    .unwrap()["createFamily"]
        .clone();
    let id = created["id"].clone();
    common::eventually(
        Duration::from_secs(1),
        "two lists the new family",
        || async {
            let page = families_on(&client, &addr_two, token).await;
            match page.as_slice() {
                [f] if f["id"] == id && f["children"][0]["ageYears"] == 3 => Ok(f.clone()),
                _ => Err(json!(page)),
            }
        },
    )
    .await;

    gql(&client, &addr_one, token, "mutation($f: ID!) { updateFamily(id: $f, input: {displayName: \"Amal B.\", childrenAges: [3, 9]}) { id } }", json!({"f": id}))
        .await
        .unwrap();
    gql(&client, &addr_one, token, "mutation($p: ID!) { setPointOfContact(planId: $p, pointOfContact: \"Sara (CAW)\") { id } }", json!({"p": created["plan"]["id"]}))
        .await
        .unwrap();
    common::eventually(Duration::from_secs(1), "two shows the change", || async {
        let page = families_on(&client, &addr_two, token).await;
        match page.as_slice() {
            [f] if f["displayName"] == "Amal B."
                && f["children"] == json!([{"ageYears": 3}, {"ageYears": 9}])
                && f["plan"]["pointOfContact"] == "Sara (CAW)" =>
            {
                Ok(f.clone())
            }
            _ => Err(json!(page)),
        }
    })
    .await;

    gql(&client, &addr_one, token, "mutation($f: ID!) { eraseFamily(familyId: $f, reason: \"asked by the family\") { rowsAnonymised } }", json!({"f": id}))
        .await
        .unwrap();
    common::eventually(
        Duration::from_secs(1),
        "two forgets the erased family",
        || async {
            let one_family = gql(
                &client,
                &addr_two,
                token,
                "query($f: ID!) { family(id: $f) { displayName } }",
                json!({"f": id}),
            )
            .await
            .unwrap_or(Value::Null);
            let page = families_on(&client, &addr_two, token).await;
            if one_family["family"].is_null() && page.is_empty() {
                Ok(Value::Null)
            } else {
                Err(json!({"family": one_family, "page": page}))
            }
        },
    )
    .await;
    one.kill().unwrap();
    one.wait().unwrap();
    two.kill().unwrap();
    two.wait().unwrap();
}

/// Runs `tandem ARGS` on `url` to completion.
fn run_cli(url: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "tandem {args:?}: {text}");
    text
}

/// A running server and the command line on one database: families the
/// command line imports show on the server, and families its retention job
/// erases are gone from it, within a second (on SQLite through the change
/// log, on PostgreSQL through LISTEN/NOTIFY).
async fn a_running_server_follows_what_the_command_line_imports_and_erases(url: &str) {
    common::add_user(url, "admin@example.org", "admin");
    let (mut server, addr) = start(url);
    let client = reqwest::Client::new();
    let bearer = common::login(&client, &addr, "admin@example.org").await;
    let token = Some(bearer.as_str());
    assert!(families_on(&client, &addr, token).await.is_empty());

    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("families.csv");
    std::fs::write(
        &csv,
        "display_name,languages,postal_code,referral_source,consent_given\n\
         Nour,Arabisch:native,1080,CAW,ja\n\
         Ilse,nl:native,3000,CLB,ja\n",
    )
    .unwrap();
    run_cli(url, &["import", "families", csv.to_str().unwrap()]);
    let page = common::eventually(
        Duration::from_secs(1),
        "the server lists the imported families",
        || async {
            let page = families_on(&client, &addr, token).await;
            if page.len() == 2 {
                Ok(json!(page))
            } else {
                Err(json!(page))
            }
        },
    )
    .await;
    let nour = page
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["displayName"] == "Nour")
        .unwrap()
        .clone();

    gql(
        &client,
        &addr,
        token,
        "mutation($p: ID!) { setPlanStatus(planId: $p, status: CLOSED) { status } }",
        json!({"p": nour["plan"]["id"]}),
    )
    .await
    .unwrap();
    let said = run_cli(url, &["retention", "--closed-for-days", "0"]);
    assert!(said.contains("bewaartermijn: 1 gezin "), "{said}");
    common::eventually(
        Duration::from_secs(1),
        "the server forgets the family the retention job erased",
        || async {
            let one_family = gql(
                &client,
                &addr,
                token,
                "query($f: ID!) { family(id: $f) { displayName } }",
                json!({"f": nour["id"]}),
            )
            .await
            .unwrap_or(Value::Null);
            let page = families_on(&client, &addr, token).await;
            let names: Vec<&Value> = page.iter().map(|f| &f["displayName"]).collect();
            if one_family["family"].is_null() && names == [&json!("Ilse")] {
                Ok(Value::Null)
            } else {
                Err(json!({"family": one_family, "page": page}))
            }
        },
    )
    .await;
    server.kill().unwrap();
    server.wait().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_reaches_a_running_server_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/tandem.db?mode=rwc", dir.path().display());
    a_running_server_follows_what_the_command_line_imports_and_erases(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_reaches_a_running_server_on_postgres() {
    let Some(url) = common::fresh_postgres().await else {
        return;
    };
    a_running_server_follows_what_the_command_line_imports_and_erases(&url).await;
}
