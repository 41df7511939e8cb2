//! Subscriptions over a real WebSocket, and two replicas on one PostgreSQL.

use std::time::Duration;

use serde_json::json;
use tests::{Backend, TestApp, both_backends};

use crate::{
    fixtures::*,
    socket::{next_json, subscribe},
};

const EVENTS: &str = "subscription($p: ID) { involvementEvents(planId: $p) { from to reason recordedBy involvement { role } } }";

both_backends!(
    a_websocket_client_receives_involvement_events_of_its_plan,
    |app| async move {
        app.as_coordinator().await;
        let f = create_family(&app, family_input("Fatima")).await;
        let other = create_family(&app, family_input("Karim")).await;
        let mut socket = subscribe(&app, EVENTS, json!({"p": f["plan"]["id"]})).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        app.gql_ok(
        "mutation($f: ID!) { involveNetworkMember(input: {familyId: $f, name: \"Oma\", relation: \"grandmother\", role: \"not this plan\"}) { id } }",
        json!({"f": other["id"]}),
    )
    .await;
        app.gql_ok(
        "mutation($f: ID!) { involveNetworkMember(input: {familyId: $f, name: \"Khadija\", relation: \"grandmother\", role: \"childcare\", note: \"offered to help\"}) { id } }",
        json!({"f": f["id"]}),
    )
    .await;
        let message = next_json(&mut socket).await;
        assert_eq!(message["type"], "next", "{message:#}");
        let event = &message["payload"]["data"]["involvementEvents"];
        assert_eq!(event["to"], "PROPOSED");
        assert_eq!(event["involvement"]["role"], "childcare");
        assert_eq!(event["reason"], "offered to help");
        app.create_user("admin@example.org", api::Role::Admin, None)
            .await;
        app.login("admin@example.org").await;
        let (delivered, log) = read_was_audited(
            &app,
            &f["id"],
            "involvementEvents",
            "coordinator@example.org",
        )
        .await;
        assert!(delivered, "what a subscriber receives is audited: {log:#}");
    }
);

/// Two servers on one PostgreSQL database: what one writes, the other ranks
/// and streams within a second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_on_one_postgres_follow_each_other() {
    let Some(mut one) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    let url = one.database_url.clone();
    let Some(mut two) = TestApp::spawn_on(Backend::Postgres, url).await else {
        return;
    };
    one.as_coordinator().await;
    two.login("coordinator@example.org").await;

    let f = create_family(&one, family_input("Fatima")).await;
    let mut socket = subscribe(&two, EVENTS, json!({"p": f["plan"]["id"]})).await;
    let before = two
        .gql_ok(
            "query($f: ID!) { matchesForFamily(familyId: $f) { consideredVolunteers } }",
            json!({"f": f["id"]}),
        )
        .await;
    assert_eq!(before["matchesForFamily"]["consideredVolunteers"], 0);

    let v = create_volunteer(&one, volunteer_input("Amina")).await;
    one.gql_ok(
        "mutation($id: ID!) { recordTraining(volunteerId: $id, module: \"BASIC\", completedOn: \"2026-01-10\") { id } }",
        json!({"id": v["id"]}),
    )
    .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
    loop {
        let ranked = two
            .gql_ok("query($f: ID!) { matchesForFamily(familyId: $f) { candidates { volunteer { id } } } }", json!({"f": f["id"]}))
            .await;
        if ranked["matchesForFamily"]["candidates"][0]["volunteer"]["id"] == v["id"] {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "replica two did not rank the new volunteer within a second"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    one.gql_ok(
        "mutation($f: ID!, $v: ID!) { involveVolunteer(input: {familyId: $f, volunteerId: $v}) { id } }",
        json!({"f": f["id"], "v": v["id"]}),
    )
    .await;
    let message = next_json(&mut socket).await;
    assert_eq!(
        message["payload"]["data"]["involvementEvents"]["to"], "PROPOSED",
        "{message:#}"
    );
    let two_view = two
        .gql_ok(
            "query($id: ID!) { volunteer(id: $id) { currentLoad } }",
            json!({"id": v["id"]}),
        )
        .await;
    assert_eq!(two_view["volunteer"]["currentLoad"], 1);
}

// A volunteer's subscription carries only the steps of their own involvements.
both_backends!(
    a_volunteer_subscriber_only_hears_of_their_own_involvements,
    |app| async move {
        app.as_coordinator().await;
        let own = create_volunteer(&app, volunteer_input("Own")).await;
        let other = create_volunteer(&app, volunteer_input("Other")).await;
        for v in [&own, &other] {
            app.gql_ok("mutation($id: ID!) { recordTraining(volunteerId: $id, module: \"BASIC\", completedOn: \"2026-01-10\") { id } }", json!({"id": v["id"]})).await;
        }
        let f = create_family(&app, family_input("Fatima")).await;
        let (_, key) = api::parse_global_id(own["id"].as_str().unwrap()).unwrap();
        app.create_user("volunteer@example.org", api::Role::Volunteer, Some(key))
            .await;
        let coordinator_token = app.token.clone();
        app.login("volunteer@example.org").await;
        let mut socket = subscribe(&app, EVENTS_WITHOUT_REASON, json!({})).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        app.token = coordinator_token;
        app.gql_ok("mutation($f: ID!, $v: ID!) { involveVolunteer(input: {familyId: $f, volunteerId: $v}) { id } }", json!({"f": f["id"], "v": other["id"]})).await;
        app.gql_ok("mutation($f: ID!, $v: ID!) { involveVolunteer(input: {familyId: $f, volunteerId: $v}) { id } }", json!({"f": f["id"], "v": own["id"]})).await;
        let message = next_json(&mut socket).await;
        assert_eq!(
            message["payload"]["data"]["involvementEvents"]["involvement"]["helper"]["id"],
            own["id"],
            "{message:#}"
        );
    }
);

const EVENTS_WITHOUT_REASON: &str =
    "subscription { involvementEvents { to involvement { helper { ... on Volunteer { id } } } } }";
