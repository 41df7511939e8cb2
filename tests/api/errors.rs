//! One error shape: every BAD_USER_INPUT and every NOT_FOUND for an argument
//! names its input in `extensions.field`; a CONFLICT over matching rules
//! carries `failedRules` and no empty `allowed`; `suggestion` is a value.

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use tests::both_backends;

use crate::fixtures::*;

both_backends!(
    values_that_do_not_coerce_are_bad_input_naming_their_input,
    |app| async move {
        app.as_coordinator().await;
        let v = create_volunteer(&app, volunteer_input("Amina")).await;
        // An enum value the type does not have, in a variable and in the document.
        let mut input = volunteer_input("Bram");
        input["languages"][1]["level"] = json!("SUPERB");
        let error = app.gql_err(CREATE_VOLUNTEER, json!({"input": input})).await;
        assert_bad_input(&error, "input.languages[1].level");
        assert!(
            error["message"].as_str().unwrap().contains("NATIVE"),
            "the message names the values there are: {error:#}"
        );
        let error = app
            .gql_err("mutation { setMyLocale(locale: DE) { id } }", json!({}))
            .await;
        assert_bad_input(&error, "locale");
        // A Date that is no date.
        let error = app
            .gql_err(
                "mutation($v: ID!, $d: Date!) { recordTraining(volunteerId: $v, module: \"BASIC\", completedOn: $d) { id } }",
                json!({"v": v["id"], "d": "10/01/2026"}),
            )
            .await;
        assert_bad_input(&error, "completedOn");
        assert_eq!(count_volunteers(&app).await, 1);
    }
);

both_backends!(
    an_argument_that_names_nothing_is_not_found_naming_the_argument,
    |app| async move {
        app.as_coordinator().await;
        let v = ready_volunteer(&app, "Amina", volunteer_input("x")).await;
        let f = create_family(&app, family_input("Fatima")).await;
        // A well-formed ID of the right type that names no row.
        let (_, key) = api::parse_global_id(v["id"].as_str().unwrap()).unwrap();
        let gone = api::global_id("Volunteer", uuid::Uuid::from_u128(key.as_u128() ^ 1));
        let cases: Vec<(&str, Value, &str)> = vec![
            (
                "mutation($f: ID!, $v: ID!) { involveVolunteer(input: {familyId: $f, volunteerId: $v}) { id } }",
                json!({"f": f["id"], "v": gone.as_str()}),
                "input.volunteerId",
            ),
            (
                "mutation($f: ID!, $v: ID!) { involveVolunteer(input: {familyId: $f, volunteerId: $v}) { id } }",
                json!({"f": v["id"], "v": v["id"]}),
                "input.familyId",
            ),
            (
                "query($f: ID!, $v: ID!) { explainMatch(familyId: $f, volunteerId: $v) { eligible } }",
                json!({"f": f["id"], "v": gone.as_str()}),
                "volunteerId",
            ),
            (
                "mutation($v: ID!) { recordTraining(volunteerId: $v, module: \"BASIC\", completedOn: \"2026-01-10\") { id } }",
                json!({"v": gone.as_str()}),
                "volunteerId",
            ),
        ];
        for (query, vars, field) in cases {
            let error = app.gql_err(query, vars).await;
            assert_eq!(
                error["extensions"]["code"], "NOT_FOUND",
                "{query}: {error:#}"
            );
            assert_eq!(error["extensions"]["field"], field, "{query}: {error:#}");
        }
    }
);

both_backends!(
    a_refused_proposal_names_the_failed_rules_and_no_empty_allowed,
    |app| async move {
        app.as_coordinator().await;
        let mut far = volunteer_input("Pieter");
        far["home"] = json!({"postalCode": "3000"});
        let v = ready_volunteer(&app, "Pieter", far).await;
        let f = create_family(&app, family_input("Fatima")).await;
        let error = app
            .gql_err(
                "mutation($f: ID!, $v: ID!) { involveVolunteer(input: {familyId: $f, volunteerId: $v}) { id } }",
                json!({"f": f["id"], "v": v["id"]}),
            )
            .await;
        assert_eq!(error["extensions"]["code"], "CONFLICT", "{error:#}");
        assert_eq!(
            error["extensions"]["failedRules"],
            json!(["TOO_FAR"]),
            "{error:#}"
        );
        assert!(
            error["extensions"].get("allowed").is_none(),
            "no empty allowed: {error:#}"
        );
    }
);

both_backends!(
    a_suggestion_is_the_suggested_value_and_the_sentence_is_the_message,
    |app| async move {
        app.as_coordinator().await;
        let mut input = volunteer_input("Amina");
        input["languages"] = json!([{"language": "Arabisch", "level": "NATIVE"}, {"language": "Serbo-Kroatisch", "level": "BASIC"}]);
        let error = app.gql_err(CREATE_VOLUNTEER, json!({"input": input})).await;
        assert_bad_input(&error, "input.languages[1].language");
        let suggestion = error["extensions"]["suggestion"].as_str().unwrap();
        assert!(
            ["sr", "hr", "bs"].contains(&suggestion),
            "a language code: {error:#}"
        );
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains(&format!("({suggestion})")),
            "{error:#}"
        );
    }
);

both_backends!(
    an_internal_error_carries_code_internal_and_no_cause_over_http_and_the_websocket,
    |app| async move {
        app.as_coordinator().await;
        create_volunteer(&app, volunteer_input("Amina")).await;
        // A stored status the server cannot read: a fault on our side, whose
        // cause names the stored value.
        app.db
            .execute_unprepared("UPDATE volunteer SET status = 'BOGUS_STATUS'")
            .await
            .unwrap();
        let query = "{ volunteers(first: 5) { edges { node { name status } } } }";
        let internal = |errors: &Value, answer: &Value| {
            let errors = errors.as_array().expect("errors");
            assert!(!errors.is_empty(), "{answer:#}");
            for error in errors {
                assert_eq!(error["extensions"]["code"], "INTERNAL", "{answer:#}");
                let said = error.to_string();
                assert!(!said.contains("BOGUS_STATUS"), "no cause: {answer:#}");
                assert!(!said.contains("unexpected"), "no cause: {answer:#}");
                assert!(said.contains("x-request-id"), "{answer:#}");
            }
        };
        let answer = app.gql(query, json!({})).await;
        internal(&answer["errors"], &answer);

        let mut socket = crate::socket::connect(&app).await;
        let answer = crate::socket::ask(&mut socket, "1", query, json!({})).await;
        match answer["type"].as_str() {
            Some("next") => internal(&answer["payload"]["errors"], &answer),
            _ => internal(&answer["payload"], &answer),
        }
    }
);
