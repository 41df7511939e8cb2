//! Automatic persisted queries (issue 24, finding 3): Apollo's protocol over
//! POST, GET and the WebSocket, and the allow-list mode.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tests::{TestApp, both_backends};

use crate::socket;

const DOCUMENT: &str = "query Me { me { email role } }";

fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn persisted(hash: &str) -> Value {
    json!({"persistedQuery": {"version": 1, "sha256Hash": hash}})
}

async fn post(app: &TestApp, body: Value) -> (u16, Value) {
    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(app.token.as_deref().unwrap())
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn get(app: &TestApp, hash: &str) -> Value {
    app.client
        .get(app.url("/graphql"))
        .query(&[("extensions", persisted(hash).to_string())])
        .bearer_auth(app.token.as_deref().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

both_backends!(
    a_hash_the_server_does_not_know_is_persisted_query_not_found,
    |app| async move {
        app.as_coordinator().await;
        let hash = sha256(DOCUMENT);
        let (status, body) = post(&app, json!({"extensions": persisted(&hash)})).await;
        assert_eq!(status, 200, "{body:#}");
        assert_eq!(
            body["errors"][0]["extensions"]["code"],
            "PERSISTED_QUERY_NOT_FOUND"
        );
        assert_eq!(body["errors"][0]["message"], "PersistedQueryNotFound");
        assert!(body.get("data").is_none_or(Value::is_null), "{body:#}");
        let body = get(&app, &hash).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"],
            "PERSISTED_QUERY_NOT_FOUND"
        );
    }
);

both_backends!(
    a_document_sent_with_its_hash_then_runs_by_its_hash_alone,
    |app| async move {
        app.as_coordinator().await;
        let hash = sha256(DOCUMENT);
        let (_, body) = post(
            &app,
            json!({"query": DOCUMENT, "extensions": persisted(&hash)}),
        )
        .await;
        assert_eq!(body["data"]["me"]["role"], "COORDINATOR", "{body:#}");
        let (_, body) = post(&app, json!({"extensions": persisted(&hash)})).await;
        assert_eq!(
            body["data"]["me"]["email"], "coordinator@example.org",
            "{body:#}"
        );
        let body = get(&app, &hash).await;
        assert_eq!(body["data"]["me"]["role"], "COORDINATOR", "{body:#}");
    }
);

both_backends!(
    a_hash_that_is_not_the_document_s_is_refused_and_registers_nothing,
    |app| async move {
        app.as_coordinator().await;
        let wrong = sha256("{ __typename }");
        let (status, body) = post(
            &app,
            json!({"query": DOCUMENT, "extensions": persisted(&wrong)}),
        )
        .await;
        assert_eq!(status, 400, "{body:#}");
        let error = &body["errors"][0];
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{body:#}");
        assert_eq!(
            error["extensions"]["field"],
            "extensions.persistedQuery.sha256Hash"
        );
        let (_, body) = post(&app, json!({"extensions": persisted(&wrong)})).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"],
            "PERSISTED_QUERY_NOT_FOUND"
        );
        for bad in [
            json!({"version": 2, "sha256Hash": sha256(DOCUMENT)}),
            json!({"version": 1, "sha256Hash": "abc"}),
        ] {
            let (status, body) = post(
                &app,
                json!({"query": DOCUMENT, "extensions": {"persistedQuery": bad}}),
            )
            .await;
            assert_eq!(status, 400, "{body:#}");
            assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        }
    }
);

both_backends!(
    persisted_queries_work_over_the_websocket,
    |app| async move {
        app.as_coordinator().await;
        let hash = sha256(DOCUMENT);
        let mut ws = socket::connect(&app).await;
        let ask = |id: &'static str, payload: Value| json!({"id": id, "type": "subscribe", "payload": payload});
        socket::send(&mut ws, ask("1", json!({"extensions": persisted(&hash)}))).await;
        let answer = socket::next_json(&mut ws).await;
        assert_eq!(answer["type"], "error", "{answer:#}");
        assert_eq!(
            answer["payload"][0]["extensions"]["code"],
            "PERSISTED_QUERY_NOT_FOUND"
        );
        socket::send(
            &mut ws,
            ask(
                "2",
                json!({"query": DOCUMENT, "extensions": persisted(&hash)}),
            ),
        )
        .await;
        let answer = socket::next_json(&mut ws).await;
        assert_eq!(
            answer["payload"]["data"]["me"]["role"], "COORDINATOR",
            "{answer:#}"
        );
        assert_eq!(socket::next_json(&mut ws).await["type"], "complete");
        socket::send(&mut ws, ask("3", json!({"extensions": persisted(&hash)}))).await;
        let answer = socket::next_json(&mut ws).await;
        assert_eq!(
            answer["payload"]["data"]["me"]["role"], "COORDINATOR",
            "{answer:#}"
        );
    }
);

both_backends!(
    with_an_allow_list_only_the_listed_documents_run,
    settings = |s: &mut api::Settings| {
        // The harness signs in with this document: it must be listed too.
        let login =
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";
        s.persisted_queries =
            api::config::PersistedQueries::Only(vec![DOCUMENT.to_owned(), login.to_owned()]);
    },
    |app| async move {
        app.as_coordinator().await;
        let (_, body) = post(&app, json!({"extensions": persisted(&sha256(DOCUMENT))})).await;
        assert_eq!(body["data"]["me"]["role"], "COORDINATOR", "{body:#}");
        let (_, body) = post(&app, json!({"query": DOCUMENT})).await;
        assert_eq!(body["data"]["me"]["role"], "COORDINATOR", "{body:#}");
        let other = "{ me { name } }";
        let (status, body) = post(&app, json!({"query": other})).await;
        assert_eq!(status, 403, "{body:#}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");
        // Sending the document with its hash registers nothing.
        let (status, _) = post(
            &app,
            json!({"query": other, "extensions": persisted(&sha256(other))}),
        )
        .await;
        assert_eq!(status, 403);
        let (_, body) = post(&app, json!({"extensions": persisted(&sha256(other))})).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"],
            "PERSISTED_QUERY_NOT_FOUND"
        );
    }
);
