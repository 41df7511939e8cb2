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
    every_value_that_does_not_coerce_names_its_input,
    |app| async move {
        app.as_coordinator().await;
        let v = create_volunteer(&app, volunteer_input("Amina")).await;
        let cases: Vec<(&str, Value, &str)> = vec![
            // A DateTime, in a variable and written in the document.
            (
                CREATE_FAMILY,
                json!({"input": {"referredAt": "06/12/2026 09:30"}}),
                "input.referredAt",
            ),
            (
                "mutation { phaseIn(input: {involvementId: \"x\", at: \"2026-12-06\"}) { id } }",
                json!({}),
                "input.at",
            ),
            // A Date.
            (
                "mutation($v: ID!) { recordTraining(volunteerId: $v, module: \"BASIC\", completedOn: \"6 Dec\") { id } }",
                json!({"v": v["id"]}),
                "completedOn",
            ),
            // An ID that is no ID, at the top and in an input.
            ("{ volunteer(id: true) { id } }", json!({}), "id"),
            (
                "mutation($v: ID!) { involveVolunteer(input: {familyId: 12.5, volunteerId: $v}) { id } }",
                json!({"v": v["id"]}),
                "input.familyId",
            ),
            // An Int out of range, in the document and in a variable.
            (
                "{ volunteers(first: 3000000000) { totalCount } }",
                json!({}),
                "first",
            ),
            (
                "query($n: Int) { volunteers(first: $n) { totalCount } }",
                json!({"n": 3_000_000_000_u64}),
                "first",
            ),
            // An enum value the type does not have.
            (
                "mutation { setMyLocale(locale: DE) { id } }",
                json!({}),
                "locale",
            ),
        ];
        for (query, vars, field) in cases {
            let mut vars = vars;
            if query == CREATE_FAMILY {
                let mut input = family_input("Fatima");
                input["referredAt"] = vars["input"]["referredAt"].clone();
                vars = json!({"input": input});
            }
            let body = app.gql(query, vars).await;
            let error = &body["errors"][0];
            assert_eq!(
                error["extensions"]["code"], "BAD_USER_INPUT",
                "{query}: {body:#}"
            );
            assert_eq!(error["extensions"]["field"], field, "{query}: {body:#}");
            assert!(
                !error["message"]
                    .as_str()
                    .unwrap()
                    .contains("Failed to parse"),
                "a sentence for people: {body:#}"
            );
        }
        assert_eq!(count_families(&app).await, 0);
    }
);

/// Every argument and input field of the schema that names a record by ID,
/// with the path `extensions.field` names.
const ID_INPUTS: &[&str] = &[
    "CreateUserInput.volunteerId",
    "InvolveNetworkMemberInput.familyId",
    "InvolveProfessionalInput.familyId",
    "InvolveServiceInput.familyId",
    "InvolveServiceInput.serviceId",
    "InvolveVolunteerInput.familyId",
    "InvolveVolunteerInput.volunteerId",
    "InvolvementTransitionInput.involvementId",
    "LogCheckInInput.volunteerId",
    "LogCheckInInput.familyId",
    "PairInput.familyId",
    "PairInput.volunteerId",
    "Mutation.updateVolunteer.id",
    "Mutation.recordTraining.volunteerId",
    "Mutation.updateFamily.id",
    "Mutation.setPointOfContact.planId",
    "Mutation.setPlanStatus.planId",
    "Mutation.addGoal.planId",
    "Mutation.setGoalStatus.goalId",
    "Mutation.planPhaseIn.involvementId",
    "Mutation.resolveConcern.checkInId",
    "Mutation.eraseFamily.familyId",
    "Mutation.setUserDisabled.userId",
    "Query.node.id",
    "Query.volunteer.id",
    "Query.family.id",
    "Query.matchesForFamily.familyId",
    "Query.explainMatch.familyId",
    "Query.explainMatch.volunteerId",
    "Query.suggestAssignments.familyIds",
    "Query.auditLog.subjectId",
    "Query.exportFamilyData.familyId",
    "Subscription.involvementEvents.planId",
    "Subscription.checkInLogged.volunteerId",
];

/// The arguments and input fields of type `ID` (or `[ID!]`) in the served schema.
fn id_inputs_of_the_schema() -> Vec<String> {
    let sdl = api::export_sdl();
    let doc = async_graphql_parser::parse_schema(&sdl).unwrap();
    let mut found = Vec::new();
    let is_id = |ty: &async_graphql_parser::types::Type| {
        ty.to_string().trim_matches(['[', ']', '!']) == "ID"
    };
    for def in doc.definitions {
        let async_graphql_parser::types::TypeSystemDefinition::Type(ty) = def else {
            continue;
        };
        let name = ty.node.name.node.to_string();
        match &ty.node.kind {
            async_graphql_parser::types::TypeKind::InputObject(input) => {
                for field in &input.fields {
                    if is_id(&field.node.ty.node) {
                        found.push(format!("{name}.{}", field.node.name.node));
                    }
                }
            }
            async_graphql_parser::types::TypeKind::Object(object)
                if ["Query", "Mutation", "Subscription"].contains(&name.as_str()) =>
            {
                for field in &object.fields {
                    for argument in &field.node.arguments {
                        if is_id(&argument.node.ty.node) {
                            found.push(format!(
                                "{name}.{}.{}",
                                field.node.name.node, argument.node.name.node
                            ));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    found
}

#[test]
fn the_table_of_id_inputs_is_the_schemas() {
    let mut listed: Vec<&str> = ID_INPUTS.to_vec();
    listed.sort_unstable();
    let served = id_inputs_of_the_schema();
    let mut served: Vec<&str> = served.iter().map(String::as_str).collect();
    served.sort_unstable();
    assert_eq!(
        listed, served,
        "ID_INPUTS must list every ID input of api/schema.graphql"
    );
}

both_backends!(
    every_id_input_that_names_nothing_is_not_found_naming_its_path,
    |app| async move {
        app.create_user("admin@example.org", api::Role::Admin, None)
            .await;
        app.login("admin@example.org").await;
        let v = ready_volunteer(&app, "Amina", volunteer_input("x")).await;
        let f = create_family(&app, family_input("Fatima")).await;
        let service = app
            .gql_ok(
                "mutation($i: CreateFamilyCareServiceInput!) { createFamilyCareService(input: $i) { id } }",
                json!({"i": {"name": "S", "organization": "O", "kind": "OTHER", "languages": ["nl"], "serviceArea": ["1070"], "lifeDomains": []}}),
            )
            .await["createFamilyCareService"]["id"]
            .clone();
        let gone = |kind: &str| api::global_id(kind, uuid::Uuid::now_v7());
        let (fam, vol) = (f["id"].clone(), v["id"].clone());
        let transition = |mutation: &str| {
            format!(
                "mutation($i: ID!) {{ {mutation}(input: {{involvementId: $i, reason: \"r\"}}) {{ id }} }}"
            )
        };
        let cases: Vec<(String, Value, &str)> = vec![
            ("mutation($v: ID) { createUser(input: {name: \"V\", email: \"v@example.org\", role: VOLUNTEER, password: \"a long enough password\", volunteerId: $v}) { id } }".into(), json!({"v": gone("Volunteer")}), "input.volunteerId"),
            ("mutation($f: ID!) { involveNetworkMember(input: {familyId: $f, name: \"Oma\", relation: \"grandmother\", role: \"babysits\"}) { id } }".into(), json!({"f": gone("Family")}), "input.familyId"),
            ("mutation($f: ID!) { involveProfessional(input: {familyId: $f, name: \"Dr\", organization: \"CLB\", role: \"school\"}) { id } }".into(), json!({"f": gone("Family")}), "input.familyId"),
            ("mutation($f: ID!, $s: ID!) { involveService(input: {familyId: $f, serviceId: $s, role: \"r\"}) { id } }".into(), json!({"f": gone("Family"), "s": service}), "input.familyId"),
            ("mutation($f: ID!, $s: ID!) { involveService(input: {familyId: $f, serviceId: $s, role: \"r\"}) { id } }".into(), json!({"f": fam, "s": gone("FamilyCareService")}), "input.serviceId"),
            ("mutation($f: ID!, $v: ID!) { involveVolunteer(input: {familyId: $f, volunteerId: $v}) { id } }".into(), json!({"f": gone("Family"), "v": vol}), "input.familyId"),
            ("mutation($f: ID!, $v: ID!) { involveVolunteer(input: {familyId: $f, volunteerId: $v}) { id } }".into(), json!({"f": fam, "v": gone("Volunteer")}), "input.volunteerId"),
            (transition("phaseIn"), json!({"i": gone("Involvement")}), "input.involvementId"),
            (transition("startPhaseOut"), json!({"i": gone("Involvement")}), "input.involvementId"),
            (transition("endInvolvement"), json!({"i": gone("Involvement")}), "input.involvementId"),
            (transition("declineInvolvement"), json!({"i": gone("Involvement")}), "input.involvementId"),
            ("mutation($v: ID!, $f: ID) { logCheckIn(input: {volunteerId: $v, familyId: $f, kind: CALL}) { id } }".into(), json!({"v": gone("Volunteer"), "f": fam}), "input.volunteerId"),
            ("mutation($v: ID!, $f: ID) { logCheckIn(input: {volunteerId: $v, familyId: $f, kind: CALL}) { id } }".into(), json!({"v": vol, "f": gone("Family")}), "input.familyId"),
            ("query($f: ID!, $v: ID!) { suggestAssignments(pinned: [{familyId: $f, volunteerId: $v}]) { objective } }".into(), json!({"f": gone("Family"), "v": vol}), "pinned[0].familyId"),
            ("query($f: ID!, $v: ID!) { suggestAssignments(pinned: [{familyId: $f, volunteerId: $v}]) { objective } }".into(), json!({"f": fam, "v": gone("Volunteer")}), "pinned[0].volunteerId"),
            ("query($f: ID!, $v: ID!) { suggestAssignments(forbidden: [{familyId: $f, volunteerId: $v}]) { objective } }".into(), json!({"f": gone("Family"), "v": vol}), "forbidden[0].familyId"),
            ("query($f: ID!, $v: ID!) { suggestAssignments(forbidden: [{familyId: $f, volunteerId: $v}]) { objective } }".into(), json!({"f": fam, "v": gone("Volunteer")}), "forbidden[0].volunteerId"),
            ("mutation($i: ID!) { updateVolunteer(id: $i, input: {capacity: 3}) { id } }".into(), json!({"i": gone("Volunteer")}), "id"),
            ("mutation($i: ID!) { recordTraining(volunteerId: $i, module: \"BASIC\", completedOn: \"2026-01-10\") { id } }".into(), json!({"i": gone("Volunteer")}), "volunteerId"),
            ("mutation($i: ID!) { updateFamily(id: $i, input: {urgency: NORMAL}) { id } }".into(), json!({"i": gone("Family")}), "id"),
            ("mutation($i: ID!) { setPointOfContact(planId: $i, pointOfContact: \"Els\") { id } }".into(), json!({"i": gone("Plan")}), "planId"),
            ("mutation($i: ID!) { setPlanStatus(planId: $i, status: ACTIVE) { id } }".into(), json!({"i": gone("Plan")}), "planId"),
            ("mutation($i: ID!) { addGoal(planId: $i, description: \"d\", lifeDomain: HEALTH) { id } }".into(), json!({"i": gone("Plan")}), "planId"),
            ("mutation($i: ID!) { setGoalStatus(goalId: $i, status: REACHED) { id } }".into(), json!({"i": gone("Goal")}), "goalId"),
            ("mutation($i: ID!) { planPhaseIn(involvementId: $i) { id } }".into(), json!({"i": gone("Involvement")}), "involvementId"),
            ("mutation($i: ID!) { resolveConcern(checkInId: $i, note: \"n\") { id } }".into(), json!({"i": gone("CheckIn")}), "checkInId"),
            ("mutation($i: ID!) { eraseFamily(familyId: $i, reason: \"r\") { familyReference } }".into(), json!({"i": gone("Family")}), "familyId"),
            ("mutation($i: ID!) { setUserDisabled(userId: $i, disabled: true) { id } }".into(), json!({"i": gone("User")}), "userId"),
            ("query($i: ID!) { matchesForFamily(familyId: $i) { candidates { score } } }".into(), json!({"i": gone("Family")}), "familyId"),
            ("query($f: ID!, $v: ID!) { explainMatch(familyId: $f, volunteerId: $v) { eligible } }".into(), json!({"f": gone("Family"), "v": vol}), "familyId"),
            ("query($f: ID!, $v: ID!) { explainMatch(familyId: $f, volunteerId: $v) { eligible } }".into(), json!({"f": fam, "v": gone("Volunteer")}), "volunteerId"),
            ("query($f: [ID!]) { suggestAssignments(familyIds: $f) { objective } }".into(), json!({"f": [fam, gone("Family")]}), "familyIds[1]"),
            ("query($i: ID!) { exportFamilyData(familyId: $i) }".into(), json!({"i": gone("Family")}), "familyId"),
        ];
        let mut wrong = Vec::new();
        for (query, vars, field) in &cases {
            let body = app.gql(query, vars.clone()).await;
            let error = &body["errors"][0];
            if error["extensions"]["code"] != "NOT_FOUND" || error["extensions"]["field"] != *field
            {
                wrong.push(format!("{field} of {query}:\n{body}"));
            }
        }
        for (query, kind, field) in [
            (
                "subscription($i: ID) { involvementEvents(planId: $i) { id } }",
                "Plan",
                "planId",
            ),
            (
                "subscription($i: ID) { checkInLogged(volunteerId: $i) { id } }",
                "Volunteer",
                "volunteerId",
            ),
        ] {
            let mut socket = crate::socket::connect(&app).await;
            let answer =
                crate::socket::ask(&mut socket, "1", query, json!({"i": gone(kind)})).await;
            let error = &answer["payload"][0];
            if error["extensions"]["code"] != "NOT_FOUND" || error["extensions"]["field"] != field {
                wrong.push(format!("{field} of {query}:\n{answer}"));
            }
        }
        assert!(
            wrong.is_empty(),
            "{} not NOT_FOUND naming the input:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
        // Relay's `node`, and `volunteer` and `family` like it, answer null
        // for an ID that names nothing (Global Object Identification); the
        // audit log, a history that outlives records, has no entries about it.
        for (query, kind) in [
            (
                "query($i: ID) { auditLog(first: 5, subjectId: $i) { totalCount } }",
                "Family",
            ),
            ("query($i: ID!) { node(id: $i) { id } }", "Volunteer"),
            ("query($i: ID!) { volunteer(id: $i) { id } }", "Volunteer"),
            ("query($i: ID!) { family(id: $i) { id } }", "Family"),
        ] {
            let body = app.gql(query, json!({"i": gone(kind)})).await;
            assert!(body.get("errors").is_none(), "{query}: {body:#}");
        }
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
