//! Spec-exact execution results (issue 24, finding 1): a failed field is
//! null, a null in a non-null position makes its parent null up to the
//! nearest nullable field (`data: null` at the root), and fields come back
//! in document order. The last test runs the same documents through
//! graphql-js (the reference implementation) and compares.

use serde_json::{Value, json};
use tests::{TestApp, both_backends};

use crate::{fixtures::Network, npm, socket};

fn error_paths(body: &Value) -> Vec<Value> {
    body["errors"]
        .as_array()
        .map(|errors| errors.iter().map(|e| e["path"].clone()).collect())
        .unwrap_or_default()
}

/// The body of a POST of `query`, as text: the order of its keys is the
/// server's (`serde_json::Value` would sort them).
async fn raw(app: &TestApp, query: &str, variables: Value) -> String {
    let mut request = app
        .client
        .post(app.url("/graphql"))
        .json(&json!({"query": query, "variables": variables}));
    if let Some(token) = &app.token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().text().await.unwrap()
}

/// Asserts that `keys` (each written once in `text`) come in this order.
fn assert_in_order(text: &str, keys: &[&str]) {
    let at: Vec<usize> = keys
        .iter()
        .map(|key| {
            text.find(&format!("\"{key}\":"))
                .unwrap_or_else(|| panic!("{key} missing from {text}"))
        })
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "not in the order {keys:?}: {text}"
    );
}

both_backends!(
    a_failing_non_null_root_field_makes_data_null,
    |app| async move {
        app.as_coordinator().await;
        let body = app
            .gql(
                "{ me { name } volunteers(first: 1000) { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(body["data"], Value::Null, "{body:#}");
        assert!(body.as_object().unwrap().contains_key("data"), "{body:#}");
        assert_eq!(error_paths(&body), vec![json!(["volunteers"])], "{body:#}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    }
);

both_backends!(
    a_forbidden_non_null_field_nulls_its_nearest_nullable_ancestor,
    |app| async move {
        let network = Network::build(&mut app).await;
        let followed = &network.families["other"]["id"];
        network.as_role(&mut app, "followup");
        // Family.urgency is non-null and closed to FOLLOW_UP: the family is null.
        let body = app
            .gql(
                "query($id: ID!) { family(id: $id) { displayName urgency } me { email } }",
                json!({"id": followed}),
            )
            .await;
        assert_eq!(
            body["data"],
            json!({"family": null, "me": {"email": "followup@example.org"}}),
            "{body:#}"
        );
        assert_eq!(error_paths(&body), vec![json!(["family", "urgency"])]);
        assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");
        // Plan.status (and Plan.id) are closed to FOLLOW_UP: the plan is
        // null, the family keeps its name.
        let body = app
            .gql(
                "query($id: ID!) { family(id: $id) { displayName plan { id status } } }",
                json!({"id": followed}),
            )
            .await;
        assert_eq!(
            body["data"],
            json!({"family": {"displayName": "Family other", "plan": null}}),
            "{body:#}"
        );
        // Through an interface, as a volunteer who helps the family.
        network.as_role(&mut app, "volunteer");
        let body = app
            .gql(
                "query($id: ID!) { node(id: $id) { id ... on Family { displayName urgency } } }",
                json!({"id": network.families["active"]["id"]}),
            )
            .await;
        assert_eq!(body["data"], json!({"node": null}), "{body:#}");
        assert_eq!(error_paths(&body), vec![json!(["node", "urgency"])]);
    }
);

both_backends!(
    an_error_in_a_non_null_list_item_nulls_the_list_s_nearest_nullable_ancestor,
    |app| async move {
        let network = Network::build(&mut app).await;
        network.as_role(&mut app, "followup");
        let body = app
            .gql(
                "{ me { email } families(first: 10) { totalCount edges { node { displayName urgency } } } }",
                json!({}),
            )
            .await;
        assert_eq!(body["data"], Value::Null, "{body:#}");
        let paths = error_paths(&body);
        assert!(!paths.is_empty(), "{body:#}");
        for path in paths {
            assert_eq!(path[0], "families", "{body:#}");
            assert_eq!(path[1], "edges", "{body:#}");
        }
    }
);

both_backends!(
    over_the_websocket_a_query_s_field_errors_come_in_next_with_data_null,
    |app| async move {
        app.as_coordinator().await;
        let mut ws = socket::connect(&app).await;
        let answer = socket::ask(
            &mut ws,
            "1",
            "{ me { name } volunteers(first: 1000) { totalCount } }",
            json!({}),
        )
        .await;
        assert_eq!(answer["type"], "next", "{answer:#}");
        assert_eq!(answer["payload"]["data"], Value::Null, "{answer:#}");
        assert_eq!(
            answer["payload"]["errors"][0]["path"],
            json!(["volunteers"])
        );
        assert_eq!(socket::next_json(&mut ws).await["type"], "complete");
    }
);

both_backends!(root_fields_come_back_in_document_order, |app| async move {
    app.as_coordinator().await;
    // `volunteers` waits for the database, `languages` and `me` do not.
    let text = raw(
        &app,
        "{ volunteers(first: 1) { totalCount } languages(search: \"nl\") { code } me { email } }",
        json!({}),
    )
    .await;
    assert!(!text.contains("\"errors\""), "{text}");
    assert_in_order(&text, &["volunteers", "languages", "me"]);
    let text = raw(
        &app,
        "{ me { role ...M email } }\nfragment M on User { name email role }",
        json!({}),
    )
    .await;
    assert_in_order(&text, &["role", "name", "email"]);
});

/// The documents compared with graphql-js: (name, role, document, variables,
/// the runtime type of interfaces Tandem nulled, by path).
fn cases(network: &Network) -> Vec<(&'static str, &'static str, &'static str, Value, Value)> {
    let other = &network.families["other"]["id"];
    let active = &network.families["active"]["id"];
    vec![
        (
            "non-null root field fails",
            "coordinator",
            "{ me { name } volunteers(first: 1000) { totalCount } }",
            json!({}),
            json!({}),
        ),
        (
            "root fields in document order",
            "coordinator",
            "{ volunteers(first: 2) { totalCount edges { cursor node { name } } } languages(search: \"arab\") { code name } me { email role } }",
            json!({}),
            json!({}),
        ),
        (
            "forbidden non-null field",
            "followup",
            "query($id: ID!) { me { email } family(id: $id) { displayName urgency } }",
            json!({"id": other}),
            json!({}),
        ),
        (
            "object whose every field fails",
            "followup",
            "query($id: ID!) { family(id: $id) { displayName plan { id status } } }",
            json!({"id": other}),
            json!({}),
        ),
        (
            "non-null list items",
            "followup",
            "{ families(first: 10) { totalCount edges { node { displayName urgency } } } me { name } }",
            json!({}),
            json!({}),
        ),
        (
            "interface, fragments and skip",
            "volunteer",
            "query($id: ID!, $no: Boolean = true) { node(id: $id) { __typename id ...F } me { name @skip(if: $no) email } }\nfragment F on Family { displayName urgency }",
            json!({"id": active}),
            json!({"[\"node\"]": "Family"}),
        ),
        (
            "nested plan as a helping volunteer",
            "volunteer",
            "query($id: ID!) { family(id: $id) { displayName plan { id goals { id } status } children { ageYears } } }",
            json!({"id": active}),
            json!({}),
        ),
        (
            "a mutation that fails",
            "coordinator",
            "mutation($id: ID!) { addGoal(planId: $id, description: \"x\", lifeDomain: SCHOOL) { id } }",
            json!({"id": "not an id"}),
            json!({}),
        ),
    ]
}

both_backends!(
    results_are_those_graphql_js_gives_for_the_same_failures,
    |app| async move {
        let network = Network::build(&mut app).await;
        let Some(dir) = npm::installed("graphql-js", "graphql").await else {
            return;
        };
        let mut compared = Vec::new();
        for (name, role, document, variables, types) in cases(&network) {
            network.as_role(&mut app, role);
            let response = raw(&app, document, variables.clone()).await;
            compared.push(json!({
                "name": name,
                "document": document,
                "variables": variables,
                "types": types,
                "responseText": response,
            }));
        }
        let input = json!({"sdl": api::export_sdl(), "cases": compared});
        let (same, report) = npm::node(&dir, "reference.mjs", &[], input.to_string()).await;
        eprintln!("{report}");
        assert!(same, "Tandem and graphql-js differ:\n{report}");
        assert!(report.contains(" 0 different"), "{report}");
    }
);
