//! Two `tandem serve` processes on one PostgreSQL database: what one writes,
//! the other ranks and streams within a second, a logout on one is honoured by
//! the other, and killing one leaves the other serving.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{PASSWORD, gql, start};
use serde_json::json;

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
            "query($v: ID!) { volunteer(id: $v) { name version languages { language { code } } trainings { module } } }",
            json!({"v": volunteer}),
        )
        .await
        .unwrap();
        if read["volunteer"]["name"] == "Vera" {
            assert_eq!(read["volunteer"]["version"], renamed);
            assert_eq!(read["volunteer"]["languages"][0]["language"]["code"], "ar");
            assert_eq!(read["volunteer"]["trainings"][0]["module"], "BASIC");
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
