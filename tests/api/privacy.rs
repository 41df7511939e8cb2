//! Audit trail, right of access and erasure.

use api::accounts::Role;
use serde_json::json;
use tests::{Backend, TestApp, both_backends};

use crate::fixtures::*;

/// The actions of an `auditLog` connection's entries, in order.
fn actions(log: &serde_json::Value) -> Vec<&str> {
    log["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect()
}

both_backends!(
    reads_and_writes_of_family_data_are_audited_and_only_admins_read_the_log,
    |app| async move {
        app.create_user("admin@example.org", Role::Admin, None)
            .await;
        app.as_coordinator().await;
        let f = create_family(&app, family_input("Fatima")).await;
        let other = create_family(&app, family_input("Karim")).await;
        app.gql_ok("{ families { edges { node { displayName } } } }", json!({}))
            .await;
        app.gql_ok(
            "query($id: ID!) { node(id: $id) { ... on Family { children { ageYears } } } }",
            json!({"id": f["id"]}),
        )
        .await;
        app.gql_ok(
            "query($id: ID!) { updateFamily: family(id: $id) { id } }",
            json!({"id": other["id"]}),
        )
        .await;
        app.gql_ok(
            "query($id: ID!) { exportFamilyData(familyId: $id) }",
            json!({"id": f["id"]}),
        )
        .await;
        app.login("admin@example.org").await;
        let log = app
        .gql_ok("query($s: ID) { auditLog(first: 50, subjectId: $s) { totalCount edges { node { userEmail role action subjectId operation } } } }", json!({"s": f["id"]}))
        .await["auditLog"]
        .clone();
        assert_eq!(
            actions(&log),
            vec!["CREATE", "READ", "READ", "READ", "EXPORT"],
            "{log:#}"
        );
        let first = &log["edges"][0]["node"];
        assert_eq!(first["userEmail"], "coordinator@example.org");
        assert_eq!(first["role"], "COORDINATOR");
        assert_eq!(first["subjectId"], f["id"]);
        let other_log = app
            .gql_ok(
                "query($s: ID) { auditLog(subjectId: $s) { edges { node { action } } } }",
                json!({"s": other["id"]}),
            )
            .await;
        assert_eq!(
            actions(&other_log["auditLog"]),
            vec!["CREATE", "READ", "READ"],
            "only the id was asked the last time: not personal data"
        );
    }
);

both_backends!(
    the_export_holds_the_family_and_its_plan_but_not_other_peoples_private_data,
    |app| async move {
        app.as_coordinator().await;
        let v = create_volunteer(&app, volunteer_input("Amina")).await;
        app.gql_ok("mutation($id: ID!) { recordTraining(volunteerId: $id, module: \"BASIC\", completedOn: \"2026-01-10\") { id } }", json!({"id": v["id"]})).await;
        let f = create_family(&app, family_input("Fatima")).await;
        app.gql_ok("mutation($f: ID!, $v: ID!) { involveVolunteer(input: {familyId: $f, volunteerId: $v, note: \"good match\"}) { id } }", json!({"f": f["id"], "v": v["id"]})).await;
        app.gql_ok("mutation($v: ID!, $f: ID!) { logCheckIn(input: {volunteerId: $v, familyId: $f, kind: VISIT, notes: \"the volunteer is tired\"}) { id } }", json!({"v": v["id"], "f": f["id"]})).await;
        let export = app
            .gql_ok(
                "query($id: ID!) { exportFamilyData(familyId: $id) }",
                json!({"id": f["id"]}),
            )
            .await;
        let text = export["exportFamilyData"].as_str().unwrap();
        let parsed: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(parsed["family"]["displayName"], "Fatima");
        assert_eq!(parsed["family"]["childrenAges"], json!([3, 7]));
        assert_eq!(parsed["plan"]["helpers"][0]["name"], "Amina");
        assert_eq!(parsed["plan"]["timeline"][0]["reason"], "good match");
        assert_eq!(parsed["checkInsAboutTheFamily"][0]["kind"], "VISIT");
        assert!(
            !text.contains("volunteer@example.org"),
            "no volunteer contact details"
        );
        assert!(!text.contains("tired"), "no check-in notes");
    }
);

both_backends!(
    erasure_removes_the_family_everywhere_but_keeps_the_counts,
    |app| async move {
        app.create_user("admin@example.org", Role::Admin, None)
            .await;
        app.login("admin@example.org").await;
        let v = create_volunteer(&app, volunteer_input("Amina")).await;
        app.gql_ok("mutation($id: ID!) { recordTraining(volunteerId: $id, module: \"BASIC\", completedOn: \"2026-01-10\") { id } }", json!({"id": v["id"]})).await;
        let f = create_family(&app, family_input("Fatima")).await;
        let inv = app.gql_ok("mutation($f: ID!, $v: ID!) { involveVolunteer(input: {familyId: $f, volunteerId: $v, note: \"lives close\"}) { id } }", json!({"f": f["id"], "v": v["id"]})).await["involveVolunteer"]["id"].clone();
        app.gql_ok(
            "mutation($i: ID!) { phaseIn(input: {involvementId: $i}) { id } }",
            json!({"i": inv}),
        )
        .await;
        app.gql_ok("mutation($f: ID!) { involveNetworkMember(input: {familyId: $f, name: \"Khadija\", relation: \"grandmother\", role: \"care\"}) { id } }", json!({"f": f["id"]})).await;
        app.gql_ok("mutation($p: ID!) { addGoal(planId: $p, description: \"Mounir gaat naar school\", lifeDomain: SCHOOL) { id } }", json!({"p": f["plan"]["id"]})).await;
        app.gql_ok("mutation($v: ID!, $f: ID!) { logCheckIn(input: {volunteerId: $v, familyId: $f, kind: VISIT, notes: \"about Mounir\"}) { id } }", json!({"v": v["id"], "f": f["id"]})).await;
        let before = app
            .gql_ok(
                "{ networkStats { familiesSupported activeInvolvements } }",
                json!({}),
            )
            .await;

        let receipt = app
        .gql_ok("mutation($f: ID!) { eraseFamily(familyId: $f, reason: \"request of the family (GDPR art. 17)\") { familyReference erasedAt rowsAnonymised } }", json!({"f": f["id"]}))
        .await["eraseFamily"]
        .clone();
        assert_eq!(receipt["familyReference"], f["reference"]);
        assert!(
            receipt["rowsAnonymised"].as_i64().unwrap() >= 8,
            "{receipt:#}"
        );

        let gone = app
        .gql_ok("query($f: ID!, $p: ID!) { family(id: $f) { id } node(id: $f) { id } plan: node(id: $p) { id } families { totalCount } }", json!({"f": f["id"], "p": f["plan"]["id"]}))
        .await;
        assert_eq!(
            gone,
            json!({"family": null, "node": null, "plan": null, "families": {"totalCount": 0}})
        );
        let error = app
            .gql_err(
                "query($f: ID!) { exportFamilyData(familyId: $f) }",
                json!({"f": f["id"]}),
            )
            .await;
        assert_eq!(error["extensions"]["code"], "NOT_FOUND");
        let error = app.gql_err("mutation($f: ID!) { eraseFamily(familyId: $f, reason: \"again\") { rowsAnonymised } }", json!({"f": f["id"]})).await;
        assert_eq!(error["extensions"]["code"], "NOT_FOUND");
        let after = app
            .gql_ok(
                "{ networkStats { familiesSupported activeInvolvements } }",
                json!({}),
            )
            .await;
        assert_eq!(before, after, "anonymous counts stay");

        use sea_orm::EntityTrait;
        let rows = entity::family::Entity::find().all(&app.db).await.unwrap();
        assert_eq!(rows[0].display_name, "[erased]");
        assert_eq!(rows[0].postal_code, None);
        assert_eq!(rows[0].municipality.as_deref(), Some("Brussels-Capital"));
        let dump = format!(
            "{:?}{:?}{:?}{:?}{:?}",
            entity::goal::Entity::find().all(&app.db).await.unwrap(),
            entity::involvement::Entity::find()
                .all(&app.db)
                .await
                .unwrap(),
            entity::involvement_event::Entity::find()
                .all(&app.db)
                .await
                .unwrap(),
            entity::check_in::Entity::find().all(&app.db).await.unwrap(),
            entity::family_child::Entity::find()
                .all(&app.db)
                .await
                .unwrap(),
        );
        for secret in ["Mounir", "Khadija", "lives close", "Fatima"] {
            assert!(!dump.contains(secret), "{secret} survived erasure");
        }
    }
);

both_backends!(
    plan_changes_are_audited_in_their_transaction,
    |app| async move {
        app.create_user("admin@example.org", Role::Admin, None)
            .await;
        app.as_coordinator().await;
        let f = create_family(&app, family_input("Fatima")).await;
        let inv = app
        .gql_ok("mutation($f: ID!) { involveProfessional(input: {familyId: $f, name: \"Sofie\", organization: \"CAW\", role: \"contact\"}) { id } }", json!({"f": f["id"]}))
        .await["involveProfessional"]["id"]
        .clone();
        app.gql_ok(
            "mutation($i: ID!) { phaseIn(input: {involvementId: $i}) { id } }",
            json!({"i": inv}),
        )
        .await;
        let goal = app
        .gql_ok("mutation($p: ID!) { addGoal(planId: $p, description: \"Rust in huis\", lifeDomain: PARENTING) { id } }", json!({"p": f["plan"]["id"]}))
        .await["addGoal"]["id"]
        .clone();
        app.gql_ok(
            "mutation($g: ID!) { setGoalStatus(goalId: $g, status: IN_PROGRESS) { id } }",
            json!({"g": goal}),
        )
        .await;
        app.gql_ok("mutation($p: ID!) { setPointOfContact(planId: $p, pointOfContact: \"Sofie (CAW)\") { id } }", json!({"p": f["plan"]["id"]})).await;
        app.login("admin@example.org").await;
        let log = app
        .gql_ok("query($s: ID) { auditLog(first: 50, subjectId: $s) { edges { node { action operation } } } }", json!({"s": f["id"]}))
        .await;
        let writes: Vec<String> = log["auditLog"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["node"]["action"] != "READ")
            .map(|e| e["node"]["operation"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            writes,
            vec![
                "createFamily",
                "involve helper",
                "involvement step",
                "addGoal",
                "setGoalStatus",
                "setPointOfContact"
            ]
        );
    }
);

both_backends!(
    a_page_of_families_read_at_once_is_one_entry_per_family_however_the_log_is_paged,
    |app| async move {
        app.create_user("admin@example.org", Role::Admin, None)
            .await;
        app.as_coordinator().await;
        let mut ids = Vec::new();
        for name in ["Amal", "Bart", "Chloé"] {
            ids.push(create_family(&app, family_input(name)).await["id"].clone());
        }
        app.gql_ok(
            "query Page { families { edges { node { displayName } } } }",
            json!({}),
        )
        .await;
        app.login("admin@example.org").await;

        // Paged two at a time, the log lists every entry exactly once: each
        // family's CREATE and the READ of the mutation's answer, then one READ
        // per family of the page, although the page's reads were stored
        // together and a page of the log ends inside them.
        // An operation without a name is logged by its text; the fixture's
        // mutation is known by its start.
        let created = "mutation($input: CreateFamilyInput!) {";
        let mut seen = Vec::new();
        let mut after = serde_json::Value::Null;
        loop {
            let log = app
                .gql_ok(
                    "query($a: String) { auditLog(first: 2, after: $a) { totalCount edges { cursor node { action subjectId operation } } pageInfo { hasNextPage hasPreviousPage endCursor } } }",
                    json!({"a": after}),
                )
                .await["auditLog"]
                .clone();
            assert_eq!(log["totalCount"], 9);
            assert_eq!(log["pageInfo"]["hasPreviousPage"], !after.is_null());
            for edge in log["edges"].as_array().unwrap() {
                let node = &edge["node"];
                seen.push((
                    node["action"].as_str().unwrap().to_owned(),
                    node["subjectId"].clone(),
                    match node["operation"].as_str().unwrap() {
                        op if op.starts_with(created) => created.to_owned(),
                        op => op.to_owned(),
                    },
                ));
            }
            if log["pageInfo"]["hasNextPage"] == false {
                break;
            }
            after = log["pageInfo"]["endCursor"].clone();
        }
        let expected: Vec<(String, serde_json::Value, String)> = ids
            .iter()
            .flat_map(|id| {
                [
                    ("CREATE".to_owned(), id.clone(), "createFamily".to_owned()),
                    ("READ".to_owned(), id.clone(), created.to_owned()),
                ]
            })
            .chain(
                ids.iter()
                    .map(|id| ("READ".to_owned(), id.clone(), "Page".to_owned())),
            )
            .collect();
        assert_eq!(seen, expected);

        // For one family, only its own entries, each once.
        for id in &ids {
            let log = app
                .gql_ok(
                    "query($s: ID) { auditLog(first: 1, subjectId: $s) { totalCount edges { node { action subjectId } } pageInfo { hasNextPage endCursor } } }",
                    json!({"s": id}),
                )
                .await["auditLog"]
                .clone();
            assert_eq!(log["totalCount"], 3);
            assert_eq!(log["edges"][0]["node"]["action"], "CREATE");
            assert_eq!(log["edges"][0]["node"]["subjectId"], *id);
            let next = app
                .gql_ok(
                    "query($s: ID, $a: String) { auditLog(first: 5, after: $a, subjectId: $s) { edges { node { action subjectId } } pageInfo { hasNextPage } } }",
                    json!({"s": id, "a": log["pageInfo"]["endCursor"]}),
                )
                .await["auditLog"]
                .clone();
            assert_eq!(
                next["edges"],
                json!([
                    {"node": {"action": "READ", "subjectId": id}},
                    {"node": {"action": "READ", "subjectId": id}}
                ])
            );
            assert_eq!(next["pageInfo"]["hasNextPage"], false);
        }
        let refused = app
            .gql_err(
                "{ auditLog(after: \"bm90LWEtY3Vyc29y\") { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(refused["extensions"]["code"], "BAD_USER_INPUT");
        assert_eq!(refused["extensions"]["field"], "after");
    }
);

both_backends!(
    matching_for_a_family_is_audited_as_a_read_of_it,
    |app| async move {
        app.create_user("admin@example.org", Role::Admin, None)
            .await;
        app.as_coordinator().await;
        let v = ready_volunteer(&app, "Amina", volunteer_input("x")).await;
        let f = create_family(&app, family_input("Fatima")).await;
        let other = create_family(&app, family_input("Karim")).await;
        // None of these answers holds a field of the family, but each is
        // worked out from its home, languages and crisis types, and the
        // distances and scores give them away.
        let ranked = app
            .gql_ok(
                "query Ranking($id: ID!) { matchesForFamily(familyId: $id) { candidates { distanceKm volunteer { id } } } }",
                json!({"id": f["id"]}),
            )
            .await;
        assert_eq!(
            ranked["matchesForFamily"]["candidates"][0]["volunteer"]["id"],
            v["id"]
        );
        app.gql_ok(
            "query Pair($f: ID!, $v: ID!) { explainMatch(familyId: $f, volunteerId: $v) { eligible } }",
            json!({"f": f["id"], "v": v["id"]}),
        )
        .await;
        app.gql_ok(
            "query Nested($id: ID!) { family(id: $id) { id matches { consideredVolunteers } } }",
            json!({"id": f["id"]}),
        )
        .await;
        app.gql_ok(
            "query Joint($ids: [ID!]) { suggestAssignments(familyIds: $ids) { objective } }",
            json!({"ids": [f["id"]]}),
        )
        .await;
        // A family that is not there is not noted.
        let nobody = api::relay::global_id("Family", uuid::Uuid::now_v7()).to_string();
        let missing = app
            .gql_err(
                "query Missing($id: ID!) { matchesForFamily(familyId: $id) { consideredVolunteers } }",
                json!({"id": nobody}),
            )
            .await;
        assert_eq!(missing["extensions"]["code"], "NOT_FOUND");

        app.login("admin@example.org").await;
        let operations = |log: &serde_json::Value| -> Vec<(String, String)> {
            log["auditLog"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["node"]["action"] == "READ")
                .map(|e| {
                    (
                        e["node"]["operation"].as_str().unwrap().to_owned(),
                        e["node"]["userEmail"].as_str().unwrap().to_owned(),
                    )
                })
                .filter(|(op, _)| !op.starts_with("mutation"))
                .collect()
        };
        let query = "query($s: ID) { auditLog(first: 50, subjectId: $s) { edges { node { action operation userEmail } } } }";
        let coordinator = "coordinator@example.org".to_owned();
        assert_eq!(
            operations(&app.gql_ok(query, json!({"s": f["id"]})).await),
            ["Ranking", "Pair", "Nested", "Joint"]
                .map(|op| (op.to_owned(), coordinator.clone()))
                .to_vec()
        );
        assert_eq!(
            operations(&app.gql_ok(query, json!({"s": other["id"]})).await),
            Vec::<(String, String)>::new(),
            "the other family was in none of these"
        );
        assert_eq!(
            operations(&app.gql_ok(query, json!({"s": nobody})).await),
            Vec::<(String, String)>::new(),
            "a family that is not there was not ranked"
        );
    }
);

/// On PostgreSQL, audit entries go straight into the GIN index over their
/// subjects. With a pending list (PostgreSQL's default), the insert that found
/// the list full merged all of it into the index first, and every request
/// waiting for its entry to commit waited for that merge too
/// (migration m20261204_000001 has the figures).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_entries_go_straight_into_the_subjects_index() {
    let Some(mut app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    app.create_user("admin@example.org", Role::Admin, None)
        .await;
    app.as_coordinator().await;
    let f = create_family(&app, family_input("Fatima")).await;
    for _ in 0..3 {
        app.gql_ok(
            "query($id: ID!) { family(id: $id) { displayName } }",
            json!({"id": f["id"]}),
        )
        .await;
    }
    // The number of pending-list pages it moved into the index: none were left.
    let pending = app
        .sql_number("SELECT gin_clean_pending_list('idx_audit_entry_subjects'::regclass) AS n")
        .await;
    assert_eq!(pending, 0, "audit entries waited in the GIN pending list");
    app.login("admin@example.org").await;
    let log = app
        .gql_ok(
            "query($s: ID) { auditLog(subjectId: $s) { edges { node { action operation } } } }",
            json!({"s": f["id"]}),
        )
        .await;
    // The creating request read the new family back: one READ more.
    assert_eq!(
        actions(&log["auditLog"]),
        ["CREATE", "READ", "READ", "READ", "READ"],
        "{log}"
    );
}
