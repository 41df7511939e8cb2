//! What client developers meet at the edges of the protocol (issue 24,
//! finding 6): cursors tied to their list, introspection in production,
//! the scalars' descriptions, and what a bad DateTime is told.

use serde_json::json;
use tests::both_backends;

use crate::fixtures::{count_families, create_volunteer, family_input, volunteer_input};

both_backends!(
    a_cursor_of_one_list_is_refused_by_another,
    |app| async move {
        app.as_coordinator().await;
        create_volunteer(&app, volunteer_input("Amina")).await;
        create_volunteer(&app, volunteer_input("Bram")).await;
        let page = app
            .gql_ok("{ volunteers(first: 1) { edges { cursor } } }", json!({}))
            .await;
        let cursor = page["volunteers"]["edges"][0]["cursor"].clone();
        let next = app
            .gql_ok(
                "query($c: String) { volunteers(first: 1, after: $c) { edges { node { name } } } }",
                json!({"c": cursor}),
            )
            .await;
        assert_eq!(next["volunteers"]["edges"][0]["node"]["name"], "Bram");
        for argument in ["after", "before"] {
            let body = app
            .gql(
                &format!("query($c: String) {{ families(first: 1, {argument}: $c) {{ totalCount }} }}"),
                json!({"c": cursor}),
            )
            .await;
            let error = &body["errors"][0];
            assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{body:#}");
            assert_eq!(error["extensions"]["field"], argument, "{body:#}");
            assert!(
                error["message"]
                    .as_str()
                    .unwrap()
                    .contains("VolunteerConnection"),
                "{body:#}"
            );
        }
    }
);

both_backends!(
    in_production_introspection_is_answered_with_an_error,
    settings = |s: &mut api::Settings| s.production = true,
    |app| async move {
        app.as_coordinator().await;
        for document in [
            "{ __schema { queryType { name } } }",
            "{ __type(name: \"Family\") { name } }",
            "{ ...I } fragment I on Query { __schema { types { name } } }",
        ] {
            let response = app
                .client
                .post(app.url("/graphql"))
                .json(&json!({"query": document}))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 403, "{document}");
            let body: serde_json::Value = response.json().await.unwrap();
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "FORBIDDEN",
                "{body:#}"
            );
            assert!(body.get("data").is_none_or(|d| d.is_null()), "{body:#}");
        }
        let data = app.gql_ok("{ __typename me { email } }", json!({})).await;
        assert_eq!(data["__typename"], "Query");
    }
);

both_backends!(the_date_scalars_say_what_they_accept, |app| async move {
    let data = app
        .gql_ok(
            "{ d: __type(name: \"Date\") { description } t: __type(name: \"DateTime\") { description } }",
            json!({}),
        )
        .await;
    let date = data["d"]["description"].as_str().unwrap();
    let time = data["t"]["description"].as_str().unwrap();
    assert!(date.contains("YYYY-MM-DD"), "{date}");
    assert!(
        time.contains("RFC 3339") && time.contains("2026-12-06T09:30:00Z"),
        "{time}"
    );
    assert!(!time.contains("Implement"), "{time}");
});

both_backends!(
    a_bad_date_time_says_what_format_is_expected,
    |app| async move {
        app.as_coordinator().await;
        let mut input = family_input("Family Peeters");
        input["referredAt"] = json!("2026-12-06");
        let body = app
            .gql(
                "mutation($input: CreateFamilyInput!) { createFamily(input: $input) { id } }",
                json!({"input": input}),
            )
            .await;
        let error = &body["errors"][0];
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{body:#}");
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains("RFC 3339") && message.contains("2026-12-06T09:30:00Z"),
            "{message}"
        );
        assert_eq!(count_families(&app).await, 0);
    }
);
