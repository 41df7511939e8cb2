//! Audit trail, right of access and erasure.

use api::Role;
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
        // An operation is logged by its name and root fields; the fixture's
        // mutation has no name.
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
                    node["operation"].as_str().unwrap().to_owned(),
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
                    ("READ".to_owned(), id.clone(), "createFamily".to_owned()),
                ]
            })
            .chain(
                ids.iter()
                    .map(|id| ("READ".to_owned(), id.clone(), "Page (families)".to_owned())),
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
        let nobody = api::global_id("Family", uuid::Uuid::now_v7()).to_string();
        let missing = app
            .gql_err(
                "query Missing($id: ID!) { matchesForFamily(familyId: $id) { consideredVolunteers } }",
                json!({"id": nobody}),
            )
            .await;
        assert_eq!(missing["extensions"]["code"], "NOT_FOUND");

        app.login("admin@example.org").await;
        let operations = |reads: Vec<(String, String)>| -> Vec<(String, String)> {
            reads
                .into_iter()
                .filter(|(op, _)| op != "createFamily")
                .collect()
        };
        let coordinator = "coordinator@example.org".to_owned();
        assert_eq!(
            operations(reads_of(&app, &f["id"]).await),
            [
                "Ranking (matchesForFamily)",
                "Pair (explainMatch)",
                "Nested (family)",
                "Joint (suggestAssignments)"
            ]
            .map(|op| (op.to_owned(), coordinator.clone()))
            .to_vec()
        );
        assert_eq!(
            operations(reads_of(&app, &other["id"]).await),
            Vec::<(String, String)>::new(),
            "the other family was in none of these"
        );
        assert_eq!(
            operations(reads_of(&app, &json!(nobody)).await),
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

/// The READ entries naming `subject`, as (operation, user email).
async fn reads_of(app: &TestApp, subject: &serde_json::Value) -> Vec<(String, String)> {
    let log = app
        .gql_ok(
            "query($s: ID) { auditLog(first: 100, subjectId: $s) { edges { node { action operation userEmail } } } }",
            json!({"s": subject}),
        )
        .await;
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
        .collect()
}

// Issue 20, finding 4: these reads of a family's data left no audit entry.
both_backends!(
    reads_of_family_data_are_audited_on_every_path,
    |app| async move {
        let network = Network::build(&mut app).await;
        let family = network.families["active"].clone();
        network.as_role(&mut app, "followup");
        let mut socket = crate::socket::subscribe(
            &app,
            "subscription Concerns { checkInLogged { concern notes family { id } } }",
            json!({}),
        )
        .await;
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        network.as_role(&mut app, "coordinator");
        let vars = json!({
            "plan": family["plan"]["id"],
            "goal": network.goals["active"],
            "involvement": network.own_involvements["active"],
            "v": network.own["id"],
            "f": family["id"],
        });
        for query in [
            "query Fields { families { edges { node { urgency status referralSource referredAt waitingDays neededAvailability { day } preferredLanguage { code } consentGiven } } } }",
            "query PlanNode($plan: ID!) { node(id: $plan) { ... on Plan { pointOfContact goals { description } timeline { edges { node { reason } } } } } }",
            "query GoalNode($goal: ID!) { node(id: $goal) { ... on Goal { description } } }",
            "query InvolvementNode($involvement: ID!) { node(id: $involvement) { ... on Involvement { role } } }",
            "query Concerns { openConcerns { edges { node { notes } } } }",
        ] {
            app.gql_ok(query, vars.clone()).await;
        }
        app.gql_ok(
            "mutation Log($v: ID!, $f: ID!) { logCheckIn(input: {volunteerId: $v, familyId: $f, kind: CALL, concern: HIGH, notes: \"the father shouts\"}) { id } }",
            vars.clone(),
        )
        .await;
        let message = crate::socket::next_json(&mut socket).await;
        assert_eq!(
            message["payload"]["data"]["checkInLogged"]["notes"], "the father shouts",
            "{message:#}"
        );
        // Delivered only once its entry is in: the log has it now.
        network.as_role(&mut app, "admin");
        let reads = reads_of(&app, &family["id"]).await;
        for (operation, by) in [
            ("Fields", "coordinator"),
            ("PlanNode", "coordinator"),
            ("GoalNode", "coordinator"),
            ("InvolvementNode", "coordinator"),
            ("Concerns", "coordinator"),
            ("Concerns", "followup"),
        ] {
            let email = format!("{by}@example.org");
            assert!(
                reads
                    .iter()
                    .any(|(op, e)| op.starts_with(operation) && *e == email),
                "no READ by {email} for {operation}: {reads:#?}"
            );
        }
    }
);

// Issue 20, finding 6: a figure over one family is that family's data.
both_backends!(
    network_figures_from_fewer_than_five_families_are_null_except_for_staff,
    |app| async move {
        let network = Network::build(&mut app).await;
        let today = chrono::Utc::now().date_naive().to_string();
        let query = "query($d: Date) { networkStats(from: $d, to: $d) { familiesWaiting medianWaitingDays answeredWithin30Days medianDaysToFirstHelper preferredLanguageMatchRate } }";
        // (answeredWithin30Days counts only the families answered or past
        // their month: here fewer than five, so it is not among the figures.)
        let figures = |body: &serde_json::Value| {
            ["medianWaitingDays"]
                .map(|f| body["networkStats"][f].clone())
                .to_vec()
        };
        let vars = json!({"d": today});
        network.as_role(&mut app, "followup");
        let small = app.gql_ok(query, vars.clone()).await;
        // Seven families were referred today.
        assert!(figures(&small).iter().all(|f| f.is_number()), "{small:#}");
        let yesterday = (chrono::Utc::now() - chrono::Duration::days(1)).date_naive();
        network.as_role(&mut app, "coordinator");
        let mut input = family_input("Only one referred yesterday");
        input["referredAt"] = json!(format!("{yesterday}T09:00:00Z"));
        create_family(&app, input).await;
        let one_day = json!({"d": yesterday.to_string()});
        let staff = app.gql_ok(query, one_day.clone()).await;
        assert!(
            staff["networkStats"]["medianWaitingDays"].is_number(),
            "{staff:#}"
        );
        network.as_role(&mut app, "followup");
        let suppressed = app.gql_ok(query, one_day).await;
        assert_eq!(
            suppressed["networkStats"],
            json!({
                "familiesWaiting": suppressed["networkStats"]["familiesWaiting"],
                "medianWaitingDays": null,
                "answeredWithin30Days": null,
                "medianDaysToFirstHelper": null,
                "preferredLanguageMatchRate": null,
            }),
            "{suppressed:#}"
        );
    }
);

/// Every text column of every table, one line per row.
async fn dump(app: &TestApp) -> String {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.db.get_database_backend();
    let sql = |text: &str| Statement::from_string(backend, text.to_owned());
    let tables: Vec<String> = match app.backend {
        Backend::Sqlite => app
            .db
            .query_all_raw(sql("SELECT name FROM sqlite_master WHERE type = 'table'"))
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get::<String>("", "name").unwrap())
            .collect(),
        Backend::Postgres => app
            .db
            .query_all_raw(sql("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'"))
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get::<String>("", "name").unwrap())
            .collect(),
    };
    let mut out = String::new();
    for table in tables {
        let row = match app.backend {
            Backend::Postgres => format!("SELECT CAST(t.* AS TEXT) AS r FROM \"{table}\" t"),
            Backend::Sqlite => {
                let columns: Vec<String> = app
                    .db
                    .query_all_raw(sql(&format!("PRAGMA table_info(\"{table}\")")))
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.try_get::<String>("", "name").unwrap())
                    .map(|c| format!("COALESCE(CASE WHEN typeof(\"{c}\") = 'blob' THEN hex(\"{c}\") ELSE CAST(\"{c}\" AS TEXT) END, '')"))
                    .collect();
                format!(
                    "SELECT {} AS r FROM \"{table}\"",
                    columns.join(" || '|' || ")
                )
            }
        };
        for r in app.db.query_all_raw(sql(&row)).await.unwrap() {
            out.push_str(&table);
            out.push_str(": ");
            out.push_str(&r.try_get::<String>("", "r").unwrap());
            out.push('\n');
        }
    }
    out
}

/// Rows of the tables whose heap pages (dead row versions included) hold
/// `marker`, on PostgreSQL.
async fn marker_in_heap_pages(app: &TestApp, marker: &str) -> i64 {
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared("CREATE EXTENSION IF NOT EXISTS pageinspect")
        .await
        .unwrap();
    app.sql_number(&format!(
        "SELECT COUNT(*) AS n FROM information_schema.tables t, \
         LATERAL generate_series(0, (pg_relation_size(quote_ident(t.table_name)) / 8192)::int - 1) AS b, \
         LATERAL heap_page_items(get_raw_page(quote_ident(t.table_name), b)) AS i \
         WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' \
         AND i.t_data IS NOT NULL AND position(convert_to('{marker}', 'UTF8') in i.t_data) > 0"
    ))
    .await
}

// Issue 20, finding 7: erasure left the family's name, its helpers' roles
// and notes behind, in the rows, the audit log and the files.
both_backends!(
    erasure_leaves_no_trace_of_the_family_in_any_column_or_file,
    |app| async move {
        let marker = "Qzx7erasable";
        app.create_user("admin@example.org", Role::Admin, None)
            .await;
        app.login("admin@example.org").await;
        let v = ready_volunteer(&app, "Amina", volunteer_input("x")).await;
        let mut input = family_input(&format!("Mk{marker}"));
        input["home"] = json!({"postalCode": "1070"});
        let f = create_family(&app, input).await;
        let name = format!("{marker} Fatima");
        // Written into the documents themselves, not passed as variables.
        app.gql_ok(
            &format!("mutation($f: ID!) {{ updateFamily(id: $f, input: {{displayName: \"{name}\"}}) {{ id }} }}"),
            json!({"f": f["id"]}),
        )
        .await;
        app.gql_ok(
            &format!("{{ families(filter: {{search: \"{marker}\"}}) {{ totalCount edges {{ node {{ displayName }} }} }} }}"),
            json!({}),
        )
        .await;
        let service = app
            .gql_ok(
                "mutation { createFamilyCareService(input: {name: \"Gezinszorg Brussel\", organization: \"Familiehulp\", kind: FAMILY_CARE, languages: [\"nl\"], serviceArea: [\"1070\"], lifeDomains: [HOUSEHOLD]}) { id } }",
                json!({}),
            )
            .await["createFamilyCareService"]["id"]
            .clone();
        let text = |what: &str| format!("{what} {marker}");
        let vars = json!({
            "f": f["id"], "p": f["plan"]["id"], "v": v["id"], "s": service,
            "role": text("childcare on Wednesdays at Rue"), "note": text("note"),
            "name": text("Khadija"), "relation": text("tante"), "goal": text("goal"),
            "contact": text("contact"), "reason": text("reason"),
        });
        app.gql_ok("mutation($p: ID!, $goal: String!) { addGoal(planId: $p, description: $goal, lifeDomain: SCHOOL) { id } }", vars.clone()).await;
        app.gql_ok("mutation($p: ID!, $contact: String!) { setPointOfContact(planId: $p, pointOfContact: $contact) { id } }", vars.clone()).await;
        let mine = app.gql_ok("mutation($f: ID!, $v: ID!, $role: String, $note: String) { involveVolunteer(input: {familyId: $f, volunteerId: $v, role: $role, note: $note}) { id } }", vars.clone()).await["involveVolunteer"]["id"].clone();
        step(&app, "phaseIn", &mine, None).await;
        step(
            &app,
            "startPhaseOut",
            &mine,
            Some(&text("phase-out reason")),
        )
        .await;
        app.gql_ok("mutation($f: ID!, $name: String!, $relation: String!, $role: String!, $note: String) { involveNetworkMember(input: {familyId: $f, name: $name, relation: $relation, role: $role, note: $note}) { id } }", vars.clone()).await;
        app.gql_ok("mutation($f: ID!, $name: String!, $relation: String!, $role: String!) { involveProfessional(input: {familyId: $f, name: $name, organization: $relation, role: $role}) { id } }", vars.clone()).await;
        app.gql_ok("mutation($f: ID!, $s: ID!, $role: String!, $note: String) { involveService(input: {familyId: $f, serviceId: $s, role: $role, note: $note}) { id } }", vars.clone()).await;
        let concern = app.gql_ok("mutation($v: ID!, $f: ID!, $note: String) { logCheckIn(input: {volunteerId: $v, familyId: $f, kind: VISIT, concern: HIGH, notes: $note}) { id } }", vars.clone()).await["logCheckIn"]["id"].clone();
        app.gql_ok("mutation($c: ID!, $reason: String!) { resolveConcern(checkInId: $c, note: $reason) { id } }", json!({"c": concern, "reason": text("resolution")})).await;
        let about_name = app.gql_ok("mutation($v: ID!, $n: String) { logCheckIn(input: {volunteerId: $v, kind: CALL, notes: $n}) { id } }", json!({"v": v["id"], "n": format!("met {name} at school")})).await["logCheckIn"]["id"].clone();
        let about_reference = app.gql_ok("mutation($v: ID!, $n: String) { logCheckIn(input: {volunteerId: $v, kind: CALL, notes: $n}) { id } }", json!({"v": v["id"], "n": format!("the case {} worries me", f["reference"].as_str().unwrap())})).await["logCheckIn"]["id"].clone();
        let unrelated = app.gql_ok("mutation($v: ID!) { logCheckIn(input: {volunteerId: $v, kind: CALL, notes: \"tired this month\"}) { id } }", json!({"v": v["id"]})).await["logCheckIn"]["id"].clone();
        app.gql_ok(
            "query($f: ID!) { exportFamilyData(familyId: $f) }",
            vars.clone(),
        )
        .await;
        assert!(
            dump(&app).await.contains(marker),
            "the test wrote its marker"
        );

        let receipt = app
            .gql_ok(
                "mutation($f: ID!, $reason: String!) { eraseFamily(familyId: $f, reason: $reason) { rowsAnonymised clearedFromStorage } }",
                vars.clone(),
            )
            .await["eraseFamily"]
            .clone();
        let dumped = dump(&app).await;
        let hits: Vec<&str> = dumped.lines().filter(|l| l.contains(marker)).collect();
        assert!(
            hits.is_empty(),
            "the marker survived erasure in:\n{}",
            hits.join("\n")
        );
        let notes = app
            .gql_ok(
                "query($a: ID!, $b: ID!, $c: ID!) { a: node(id: $a) { ... on CheckIn { notes } } b: node(id: $b) { ... on CheckIn { notes } } c: node(id: $c) { ... on CheckIn { notes } } }",
                json!({"a": about_name, "b": about_reference, "c": unrelated}),
            )
            .await;
        assert_eq!(
            notes,
            json!({"a": {"notes": null}, "b": {"notes": null}, "c": {"notes": "tired this month"}}),
            "notes that name the family go, others stay"
        );
        match app.backend {
            Backend::Sqlite => {
                let path = app
                    .database_url
                    .trim_start_matches("sqlite://")
                    .split('?')
                    .next()
                    .unwrap()
                    .to_owned();
                for file in [path.clone(), format!("{path}-wal")] {
                    let bytes = std::fs::read(&file).unwrap_or_default();
                    let found = bytes.windows(marker.len()).any(|w| w == marker.as_bytes());
                    assert!(!found, "{file} still holds the marker");
                }
                assert_eq!(receipt["clearedFromStorage"], json!(["wal"]), "{receipt:#}");
            }
            Backend::Postgres => {
                assert_eq!(
                    marker_in_heap_pages(&app, marker).await,
                    0,
                    "dead row versions hold the marker"
                );
                let vacuumed = receipt["clearedFromStorage"].as_array().unwrap();
                assert!(vacuumed.contains(&json!("goal")), "{receipt:#}");
                assert!(vacuumed.contains(&json!("involvement")), "{receipt:#}");
            }
        }
    }
);

/// The READ rows the audit log holds: for each operation, the subjects of
/// each stored access (straight from the database: one row per request).
async fn stored_reads(app: &TestApp) -> std::collections::HashMap<String, Vec<Vec<String>>> {
    use sea_orm::{ConnectionTrait, Statement};
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT operation, user_email, subjects FROM audit_entry WHERE action = 'READ'"
                .to_owned(),
        ))
        .await
        .unwrap();
    let mut out: std::collections::HashMap<String, Vec<Vec<String>>> = Default::default();
    for row in rows {
        let operation: String = row.try_get("", "operation").unwrap();
        let email: String = row.try_get("", "user_email").unwrap();
        let subjects: serde_json::Value = row.try_get("", "subjects").unwrap();
        let mut subjects: Vec<String> = serde_json::from_value(subjects).unwrap();
        subjects.sort();
        out.entry(format!("{operation} by {email}"))
            .or_default()
            .push(subjects);
    }
    out
}

// Every read of a family's personal data is audited, once per request,
// naming the family: generated from the schema and the access policy.
// Every personal field of every record type, read from a record of each
// family at each relationship (`node(id:)`, and the walks from there to
// the types that are parts of a record: a family's home, an involvement's
// steps), as each role the policy lets read it; every path from the root
// to a family, a check-in or an involvement; and every subscription.
both_backends!(
    every_read_of_family_data_is_audited_once_per_request_naming_the_family,
    |app| async move {
        use crate::policy::*;
        let network = Network::build(&mut app).await;
        let schema = Schema::of(&app).await;
        let anchors = network.anchors(&app).await;
        let mut expected: Vec<(String, Vec<String>)> = Vec::new();
        let mut n = 0;
        let mut walks: Vec<Walk> = NODES
            .iter()
            .map(|t| Walk {
                start: (*t).to_owned(),
                steps: Vec::new(),
                reaches: (*t).to_owned(),
            })
            .collect();
        walks.extend(schema.walks().into_iter().filter(|w| w.start != "Query"));
        for walk in &walks {
            let parent = walk
                .steps
                .last()
                .map_or(walk.start.as_str(), |s| s.on.as_str());
            let variant = match (parent, walk.reaches.as_str()) {
                ("Family", "Location") => "Location (a family's home)".to_owned(),
                ("Volunteer", "Location") => "Location (a volunteer's home)".to_owned(),
                (_, ty) => ty.to_owned(),
            };
            let personal: Vec<&crate::policy::Field> = schema.objects[&walk.reaches]
                .iter()
                .filter(|f| f.required_args.is_empty() && rule(&variant, &f.name).personal)
                .collect();
            for field in personal {
                let selection = if field.ty.composite() {
                    format!("{} {{ __typename }}", field.name)
                } else {
                    field.name.clone()
                };
                for anchor in anchors
                    .iter()
                    .filter(|a| a.ty == walk.start && a.family.is_some())
                {
                    for (i, role) in ROLES.iter().enumerate() {
                        if expected_read(role, walk, &field.name, anchor.relations[i]) {
                            n += 1;
                            let (text, _) = document(&schema, &network, walk, &selection);
                            let text = text.replacen("query Walk", &format!("query Read{n}"), 1);
                            network.as_role(&mut app, role);
                            let body = app.gql(&text, json!({"id": anchor.id})).await;
                            assert!(body.get("errors").is_none(), "{text} as {role}: {body}");
                            if reached(&body["data"], walk) || walk.steps.is_empty() {
                                let family = anchor.family.clone().unwrap();
                                expected.push((
                                    format!("Read{n} (node) by {role}@example.org"),
                                    vec![family.as_str().unwrap().to_owned()],
                                ));
                            }
                        }
                    }
                }
            }
        }
        let reads = stored_reads(&app).await;
        let mut failures = Vec::new();
        for (label, family) in &expected {
            let stored = reads.get(label).cloned().unwrap_or_default();
            if stored != vec![family.clone()] {
                failures.push(format!(
                    "{label}: expected one entry naming {family:?}, stored {stored:?}"
                ));
            }
        }
        eprintln!(
            "audit walk: {} reads of personal data through node paths",
            expected.len()
        );
        assert!(
            expected.len() > 200,
            "the walk read {} fields",
            expected.len()
        );
        failures.extend(root_paths(&mut app, &network, &schema).await);
        failures.extend(subscriptions(&mut app, &network, &schema).await);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
);

/// Whether `role` may read `field` at the end of `walk` from a record it
/// has `relation` to.
fn expected_read(
    role: &str,
    walk: &crate::policy::Walk,
    field: &str,
    relation: api::Access,
) -> bool {
    use crate::policy::*;
    expected(role_of(role), walk, field, Some(relation)) == Outcome::Read
}

/// Every path from a root field to a family, a check-in or an involvement
/// (through fields without required arguments, four deep at most), read as
/// every role: one stored entry naming the families whose data the response
/// holds.
async fn root_paths(
    app: &mut TestApp,
    network: &Network,
    schema: &crate::policy::Schema,
) -> Vec<String> {
    use crate::policy::*;
    let targets = [
        ("Family", "id displayName"),
        ("CheckIn", "id notes"),
        ("Involvement", "id status"),
    ];
    let mut paths: Vec<Vec<(String, String)>> = Vec::new();
    let mut frontier: Vec<(Vec<(String, String)>, String)> = vec![(Vec::new(), "Query".to_owned())];
    for _ in 0..4 {
        let mut next = Vec::new();
        for (path, ty) in frontier {
            let Some(fields) = schema.objects.get(&ty) else {
                continue;
            };
            for field in fields.iter().filter(|f| f.ty.composite()) {
                let at_root = ty == "Query";
                if (!at_root && !field.required_args.is_empty())
                    || ["node", "auditLog", "users"].contains(&field.name.as_str())
                    || path.iter().any(|(t, _)| *t == field.ty.named)
                {
                    continue;
                }
                let mut longer = path.clone();
                longer.push((ty.clone(), field.name.clone()));
                if targets.iter().any(|(t, _)| *t == field.ty.named) {
                    paths.push(longer.clone());
                }
                next.push((longer, field.ty.named.clone()));
            }
        }
        frontier = next;
    }
    let mut failures = Vec::new();
    let mut n = 0;
    let mut expected = Vec::new();
    for path in &paths {
        let reaches = schema.objects[&path.last().unwrap().0]
            .iter()
            .find(|f| f.name == path.last().unwrap().1)
            .unwrap()
            .ty
            .named
            .clone();
        let selection = targets.iter().find(|(t, _)| *t == reaches).unwrap().1;
        let walk = Walk {
            start: "Query".to_owned(),
            steps: path
                .iter()
                .map(|(on, field)| Step {
                    on: on.clone(),
                    variant: on.clone(),
                    field: field.clone(),
                })
                .collect(),
            reaches: reaches.clone(),
        };
        let (text, vars) = document(schema, network, &walk, selection);
        for role in ROLES {
            n += 1;
            let text = text.replacen("query Walk", &format!("query Path{n}"), 1);
            network.as_role(app, role);
            let body = app.gql(&text, vars.clone()).await;
            if error_codes(&body).iter().any(|c| c != "FORBIDDEN") {
                failures.push(format!("{text} as {role}: {body}"));
                continue;
            }
            let mut read = families_read(app, network, &body["data"], &reaches).await;
            read.sort();
            read.dedup();
            let root = &walk.steps[0].field;
            let label = format!("Path{n} ({root}) by {role}@example.org");
            expected.push((label, read, text));
        }
    }
    // One entry per request, naming (at least) every family whose data the
    // response holds: a request also reads what it does not show (the
    // families matching weighed, a plan's empty list of helpers).
    let stored = stored_reads(app).await;
    for (label, read, text) in expected {
        let rows = stored.get(&label).cloned().unwrap_or_default();
        let covered = match rows.as_slice() {
            [] => read.is_empty(),
            [subjects] => read.iter().all(|f| subjects.contains(f)),
            _ => false,
        };
        if !covered {
            failures.push(format!(
                "{label} ({text}): expected one entry naming {read:?}, stored {rows:?}"
            ));
        }
    }
    eprintln!(
        "audit walk: {n} reads through {} paths from the root",
        paths.len()
    );
    failures
}

/// The families whose data a response holds: the families, the families
/// of the check-ins whose notes it holds, and of the involvements whose
/// status it holds (looked up as ADMIN).
async fn families_read(
    app: &mut TestApp,
    network: &Network,
    data: &serde_json::Value,
    reaches: &str,
) -> Vec<String> {
    fn objects<'a>(value: &'a serde_json::Value, out: &mut Vec<&'a serde_json::Value>) {
        match value {
            serde_json::Value::Array(items) => items.iter().for_each(|v| objects(v, out)),
            serde_json::Value::Object(map) => {
                out.push(value);
                map.values().for_each(|v| objects(v, out));
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    objects(data, &mut found);
    let mut ids = Vec::new();
    for object in found {
        let read = match reaches {
            "Family" => !object["displayName"].is_null(),
            "CheckIn" => !object["notes"].is_null(),
            _ => !object["status"].is_null(),
        };
        if read && object["id"].is_string() {
            ids.push(object["id"].clone());
        }
    }
    let token = app.token.clone();
    network.as_role(app, "admin");
    let mut families = Vec::new();
    for id in ids {
        let family = match reaches {
            "Family" => id,
            "CheckIn" => app.gql_ok("query($id: ID!) { node(id: $id) { ... on CheckIn { family { id } } } }", json!({"id": id})).await["node"]["family"]["id"].clone(),
            _ => app.gql_ok("query($id: ID!) { node(id: $id) { ... on Involvement { plan { family { id } } } } }", json!({"id": id})).await["node"]["plan"]["family"]["id"].clone(),
        };
        if let Some(family) = family.as_str() {
            families.push(family.to_owned());
        }
    }
    app.token = token;
    families
}

/// Each subscription, by every role it is open to, with every field of the
/// event the role may read selected: one entry per delivered event, naming
/// the family, written before the event was delivered.
async fn subscriptions(
    app: &mut TestApp,
    network: &Network,
    schema: &crate::policy::Schema,
) -> Vec<String> {
    use crate::policy::*;
    use api::Access;
    let family = network.families["active"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut failures = Vec::new();
    // The events: the VOLUNTEER's own step on the active family, a check-in
    // with them about it.
    let cases = [
        (
            "involvementEvents",
            "Events",
            "InvolvementEvent",
            Access::OWN.or(Access::ACTIVE),
        ),
        ("checkInLogged", "Logged", "CheckIn", Access::OWN),
    ];
    let mut sockets = Vec::new();
    for (field, name, ty, relation) in cases {
        for (i, role) in ROLES.iter().enumerate() {
            if root_decision("Subscription", field, role_of(role)) == api::policy::Decision::Deny {
                continue;
            }
            let follow_up = if i == 2 {
                Access::FOLLOWED.or(Access::VOLUNTEERS)
            } else {
                relation
            };
            let selection: Vec<String> = schema.objects[ty]
                .iter()
                .filter(|f| f.required_args.is_empty())
                .filter(|f| rule(ty, &f.name).access(role_of(role)).grants(follow_up))
                .map(|f| {
                    if f.ty.composite() {
                        format!("{} {{ __typename }}", f.name)
                    } else {
                        f.name.clone()
                    }
                })
                .collect();
            let query = format!(
                "subscription {name} {{ {field} {{ {} }} }}",
                selection.join(" ")
            );
            network.as_role(app, role);
            sockets.push((
                field,
                name,
                *role,
                crate::socket::subscribe(app, &query, json!({})).await,
            ));
        }
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    network.as_role(app, "admin");
    step(
        app,
        "startPhaseOut",
        &network.own_involvements["active"],
        Some("a step about the family"),
    )
    .await;
    app.gql_ok(
        "mutation($v: ID!, $f: ID!) { logCheckIn(input: {volunteerId: $v, familyId: $f, kind: CALL, notes: \"a note about the family\"}) { id } }",
        json!({"v": network.own["id"], "f": family}),
    )
    .await;
    for (field, _, role, socket) in &mut sockets {
        let message = crate::socket::next_json(socket).await;
        if !message["payload"]["errors"].is_null() || message["payload"]["data"][*field].is_null() {
            failures.push(format!("{role} on {field}: {message}"));
        }
    }
    let stored = stored_reads(app).await;
    for (field, name, role, _) in &sockets {
        let label = format!("{name} ({field}) by {role}@example.org");
        let rows = stored.get(&label).cloned().unwrap_or_default();
        if rows != vec![vec![family.clone()]] {
            failures.push(format!(
                "{label}: expected one entry naming the family, stored {rows:?}"
            ));
        }
    }
    failures
}
