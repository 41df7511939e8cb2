//! The role matrix: every query, mutation and sensitive field, for every role.

use std::collections::HashMap;

use api::accounts::Role;
use serde_json::{Value, json};
use tests::{TestApp, both_backends};

use crate::fixtures::*;

/// What a role gets for one operation.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// Data, no error.
    Ok,
    /// A FORBIDDEN error.
    Forbidden,
    /// No error and a null result: the record does not exist for this viewer.
    Hidden,
    /// A NOT_FOUND error.
    NotFound,
}
use Expect::*;

const ROLES: [&str; 4] = ["admin", "coordinator", "followup", "volunteer"];

async fn outcome(app: &TestApp, query: &str, vars: &Value) -> (Expect, Value) {
    let body = app.gql(query, vars.clone()).await;
    if let Some(error) = body["errors"].get(0) {
        let code = error["extensions"]["code"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        return match code.as_str() {
            "FORBIDDEN" => (Forbidden, body),
            "NOT_FOUND" => (NotFound, body),
            _ => panic!("unexpected error for {query}: {body:#}"),
        };
    }
    let data = body["data"].as_object().unwrap();
    let first = data.values().next().unwrap();
    if first.is_null() || first.as_array().is_some_and(|a| a.is_empty()) {
        (Hidden, body)
    } else {
        (Ok, body)
    }
}

both_backends!(
    every_role_gets_exactly_what_the_matrix_allows,
    |app| async move {
        app.create_user("admin@example.org", Role::Admin, None)
            .await;
        app.login("admin@example.org").await;
        let mut v1 = volunteer_input("Own volunteer");
        v1["capacity"] = json!(3);
        let v1 = create_volunteer(&app, v1).await;
        let v2 = create_volunteer(&app, volunteer_input("Other volunteer")).await;
        for v in [&v1, &v2] {
            app.gql_ok("mutation($id: ID!) { recordTraining(volunteerId: $id, module: \"BASIC\", completedOn: \"2026-01-10\") { id } }", json!({"id": v["id"]})).await;
        }
        let supported = create_family(&app, family_input("Supported")).await;
        let proposed = create_family(&app, family_input("Proposed")).await;
        let unrelated = create_family(&app, family_input("Unrelated")).await;
        let own_inv = app.gql_ok("mutation($f: ID!, $v: ID!) { involveVolunteer(input: {familyId: $f, volunteerId: $v}) { id } }", json!({"f": supported["id"], "v": v1["id"]})).await["involveVolunteer"]["id"].clone();
        app.gql_ok(
            "mutation($i: ID!) { phaseIn(input: {involvementId: $i}) { id } }",
            json!({"i": own_inv}),
        )
        .await;
        let proposed_inv = app.gql_ok("mutation($f: ID!, $v: ID!) { involveVolunteer(input: {familyId: $f, volunteerId: $v}) { id } }", json!({"f": proposed["id"], "v": v1["id"]})).await["involveVolunteer"]["id"].clone();
        app.gql_ok("mutation($p: ID!) { addGoal(planId: $p, description: \"Naar school\", lifeDomain: SCHOOL) { id } }", json!({"p": supported["plan"]["id"]})).await;
        let check_in = app.gql_ok("mutation($v: ID!) { logCheckIn(input: {volunteerId: $v, kind: CALL, notes: \"private\"}) { id } }", json!({"v": v1["id"]})).await["logCheckIn"]["id"].clone();

        let (_, v1_key) = api::relay::parse_global_id(v1["id"].as_str().unwrap()).unwrap();
        app.create_user("coordinator@example.org", Role::Coordinator, None)
            .await;
        app.create_user("followup@example.org", Role::FollowUp, None)
            .await;
        app.create_user("volunteer@example.org", Role::Volunteer, Some(v1_key))
            .await;
        let mut tokens = HashMap::new();
        for role in ROLES {
            app.login(&format!("{role}@example.org")).await;
            tokens.insert(role, app.token.clone());
        }

        let vars = json!({
            "v1": v1["id"], "v2": v2["id"], "fs": supported["id"], "fp": proposed["id"], "fu": unrelated["id"],
            "ps": supported["plan"]["id"], "own": own_inv, "prop": proposed_inv, "ci": check_in,
        });
        //            query                                                                  admin coord followup volunteer
        let matrix: Vec<(&str, [Expect; 4])> = vec![
            ("query { me { email } }", [Ok, Ok, Ok, Ok]),
            (
                "query($v1: ID!) { volunteer(id: $v1) { name email phone } }",
                [Ok, Ok, Ok, Ok],
            ),
            (
                "query($v2: ID!) { volunteer(id: $v2) { name } }",
                [Ok, Ok, Ok, Hidden],
            ),
            (
                "query($v2: ID!) { node(id: $v2) { id } }",
                [Ok, Ok, Ok, Hidden],
            ),
            ("query { volunteers { totalCount } }", [Ok, Ok, Ok, Ok]),
            (
                "query($v1: ID!) { volunteer(id: $v1) { backgroundCheck { valid } checkIns { totalCount } } }",
                [Ok, Ok, Ok, Ok],
            ),
            (
                "query($fs: ID!) { family(id: $fs) { displayName home { municipality } } }",
                [Ok, Ok, Ok, Ok],
            ),
            (
                "query($fs: ID!) { family(id: $fs) { reference } }",
                [Ok, Ok, Ok, Forbidden],
            ),
            (
                "query($fs: ID!) { family(id: $fs) { languages { level } preferredLanguage { code } children { ageYears } neededAvailability { day } } }",
                [Ok, Ok, Forbidden, Ok],
            ),
            (
                "query($fs: ID!) { family(id: $fs) { plan { goals { description } } } }",
                [Ok, Ok, Forbidden, Ok],
            ),
            (
                "query($fs: ID!) { family(id: $fs) { home { postalCode } } }",
                [Ok, Ok, Forbidden, Forbidden],
            ),
            (
                "query($fs: ID!) { family(id: $fs) { home { latitude longitude } } }",
                [Ok, Ok, Forbidden, Forbidden],
            ),
            (
                "query($fs: ID!) { family(id: $fs) { crisisTypes } }",
                [Ok, Ok, Forbidden, Forbidden],
            ),
            (
                "query($fs: ID!) { family(id: $fs) { urgency } }",
                [Ok, Ok, Forbidden, Forbidden],
            ),
            (
                "query($fs: ID!) { family(id: $fs) { referralSource referredAt } }",
                [Ok, Ok, Forbidden, Forbidden],
            ),
            (
                "query($fs: ID!) { family(id: $fs) { plan { timeline { at } } } }",
                [Ok, Ok, Forbidden, Forbidden],
            ),
            (
                "query($fs: ID!) { family(id: $fs) { plan { status } } }",
                [Ok, Ok, Forbidden, Forbidden],
            ),
            (
                "query($fp: ID!) { family(id: $fp) { displayName } }",
                [Ok, Ok, Ok, Hidden],
            ),
            (
                "query($fu: ID!) { family(id: $fu) { displayName } }",
                [Ok, Ok, Hidden, Hidden],
            ),
            (
                "query($fu: ID!) { node(id: $fu) { id } }",
                [Ok, Ok, Hidden, Hidden],
            ),
            (
                "query($ps: ID!) { node(id: $ps) { id } }",
                [Ok, Ok, Hidden, Ok],
            ),
            (
                "query { families { edges { node { id } } } }",
                [Ok, Ok, Ok, Ok],
            ),
            (
                "query { waitingList { id } }",
                [Ok, Ok, Forbidden, Forbidden],
            ),
            (
                "query { familyCareServices { id } }",
                [Hidden, Hidden, Forbidden, Forbidden],
            ),
            (
                "query { languages(search: \"ar\") { code } }",
                [Ok, Ok, Ok, Ok],
            ),
            (
                "query($fu: ID!) { matchesForFamily(familyId: $fu) { consideredVolunteers } }",
                [Ok, Ok, Forbidden, Forbidden],
            ),
            (
                "query($fu: ID!, $v2: ID!) { explainMatch(familyId: $fu, volunteerId: $v2) { eligible } }",
                [Ok, Ok, Forbidden, Forbidden],
            ),
            (
                "query { suggestAssignments { objective } }",
                [Ok, Ok, Forbidden, Forbidden],
            ),
            (
                "query($fs: ID!) { family(id: $fs) { matches { consideredVolunteers } } }",
                [Ok, Ok, Forbidden, Forbidden],
            ),
            ("query { checkInsDue { id } }", [Ok, Ok, Ok, Forbidden]),
            (
                "query { openConcerns { id } }",
                [Hidden, Hidden, Hidden, Forbidden],
            ),
            (
                "query($ci: ID!) { node(id: $ci) { ... on CheckIn { notes } } }",
                [Ok, Ok, Ok, Forbidden],
            ),
            (
                "query { networkStats { familiesWaiting } }",
                [Ok, Ok, Ok, Forbidden],
            ),
            (
                "query { auditLog { totalCount } }",
                [Ok, Forbidden, Forbidden, Forbidden],
            ),
            (
                "query($fs: ID!) { exportFamilyData(familyId: $fs) }",
                [Ok, Ok, Forbidden, Forbidden],
            ),
            (
                "query($v1: ID!) { volunteer(id: $v1) { involvements { status plan { goals { id } } } } }",
                [Ok, Ok, Forbidden, Ok],
            ),
            (
                "mutation($v1: ID!) { updateVolunteer(id: $v1, input: {phone: \"+32 2 000 00 00\"}) { phone } }",
                [Ok, Ok, Forbidden, Ok],
            ),
            (
                "mutation($v1: ID!) { updateVolunteer(id: $v1, input: {capacity: 2}) { capacity } }",
                [Ok, Ok, Forbidden, Forbidden],
            ),
            (
                "mutation($v2: ID!) { updateVolunteer(id: $v2, input: {phone: \"+32 2 000 00 01\"}) { phone } }",
                [Ok, Ok, Forbidden, NotFound],
            ),
            (
                "mutation($v2: ID!) { recordTraining(volunteerId: $v2, module: \"CHILD_SAFETY\", completedOn: \"2026-02-01\") { id } }",
                [Ok, Ok, Ok, Forbidden],
            ),
            (
                "mutation($fu: ID!) { updateFamily(id: $fu, input: {urgency: HIGH}) { id } }",
                [Ok, Ok, Forbidden, Forbidden],
            ),
            (
                "mutation($ps: ID!) { setPointOfContact(planId: $ps, pointOfContact: \"Sofie\") { id } }",
                [Ok, Ok, Forbidden, Forbidden],
            ),
            (
                "mutation($ps: ID!) { addGoal(planId: $ps, description: \"x\", lifeDomain: HEALTH) { id } }",
                [Ok, Ok, Forbidden, Forbidden],
            ),
            (
                "mutation($fu: ID!) { involveNetworkMember(input: {familyId: $fu, name: \"N\", relation: \"r\", role: \"x\"}) { id } }",
                [Ok, Ok, Forbidden, Forbidden],
            ),
            (
                "mutation($v2: ID!) { logCheckIn(input: {volunteerId: $v2, kind: CALL}) { id } }",
                [Ok, Ok, Ok, Forbidden],
            ),
            (
                "mutation { createUser(input: {name: \"X\", email: \"x@example.org\", role: COORDINATOR, password: \"a long password 1\"}) { id } }",
                [Ok, Forbidden, Forbidden, Forbidden],
            ),
            (
                "mutation($fu: ID!) { eraseFamily(familyId: $fu, reason: \"test\") { rowsAnonymised } }",
                [Ok, Forbidden, Forbidden, Forbidden],
            ),
        ];
        let mut failures = Vec::new();
        for (query, expected) in &matrix {
            for (i, role) in ROLES.iter().enumerate() {
                app.token = tokens[role].clone();
                let (got, body) = outcome(&app, query, &vars).await;
                if got != expected[i] {
                    failures.push(format!(
                        "{role} on `{query}`: expected {:?}, got {got:?}: {body}",
                        expected[i]
                    ));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} mismatches:\n{}",
            failures.len(),
            failures.join("\n")
        );

        // A volunteer may decline their own PROPOSED involvement, and nothing else.
        app.token = tokens["volunteer"].clone();
        let declined = app
        .gql_ok("mutation($prop: ID!) { declineInvolvement(input: {involvementId: $prop, reason: \"no time\"}) { status } }", vars.clone())
        .await;
        assert_eq!(declined["declineInvolvement"]["status"], "DECLINED");
        let error = app
        .gql_err("mutation($own: ID!) { startPhaseOut(input: {involvementId: $own, reason: \"x\"}) { status } }", vars.clone())
        .await;
        assert_eq!(error["extensions"]["code"], "FORBIDDEN");
    }
);
