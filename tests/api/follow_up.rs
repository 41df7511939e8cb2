//! Check-ins, their cadence, and concerns.

use serde_json::json;
use tests::both_backends;

use crate::fixtures::*;

const LOG: &str = "mutation($input: LogCheckInInput!) { logCheckIn(input: $input) { id concern resolvedAt nextDueOn recordedBy family { id } volunteer { id } } }";

both_backends!(
    check_ins_set_the_cadence_and_high_concerns_stay_open_until_resolved,
    |app| async move {
        app.as_coordinator().await;
        let v = create_volunteer(&app, volunteer_input("Amina")).await;
        app.gql_ok(
        "mutation($id: ID!) { recordTraining(volunteerId: $id, module: \"BASIC\", completedOn: \"2026-01-10\") { id } }",
        json!({"id": v["id"]}),
    )
    .await;
        let mut idle = volunteer_input("Idle");
        idle["status"] = json!("PAUSED");
        create_volunteer(&app, idle).await;
        let due = app
            .gql_ok(
                "{ checkInsDue { edges { node { name nextCheckInDue lastCheckInAt } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            due["checkInsDue"]["edges"],
            json!([]),
            "an ACTIVE volunteer who supports no family is not due"
        );

        let f = create_family(&app, family_input("Fatima")).await;
        let inv = app
        .gql_ok("mutation($f: ID!, $v: ID!) { involveVolunteer(input: {familyId: $f, volunteerId: $v}) { id } }", json!({"f": f["id"], "v": v["id"]}))
        .await["involveVolunteer"]["id"]
        .clone();
        let twenty_days_ago = (chrono::Utc::now() - chrono::Duration::days(20)).to_rfc3339();
        let error = app
        .gql_err("mutation($i: ID!, $at: DateTime) { phaseIn(input: {involvementId: $i, at: $at}) { id } }", json!({"i": inv, "at": twenty_days_ago}))
        .await;
        assert_bad_input(&error, "input.at");
        app.gql_ok(
            "mutation($i: ID!) { phaseIn(input: {involvementId: $i}) { id } }",
            json!({"i": inv}),
        )
        .await;
        let v_now = app
            .gql_ok(
                "query($id: ID!) { volunteer(id: $id) { nextCheckInDue } }",
                json!({"id": v["id"]}),
            )
            .await;
        let in_two_weeks = (chrono::Utc::now() + chrono::Duration::days(14))
            .date_naive()
            .to_string();
        assert_eq!(v_now["volunteer"]["nextCheckInDue"], in_two_weeks);
        let later = (chrono::Utc::now() + chrono::Duration::days(15))
            .date_naive()
            .to_string();
        let due = app
            .gql_ok(
                "query($d: Date) { checkInsDue(asOf: $d) { edges { node { name } } } }",
                json!({"d": later}),
            )
            .await;
        assert_eq!(
            due["checkInsDue"]["edges"],
            json!([{"node": {"name": "Amina"}}])
        );

        let worry = app
        .gql_ok(LOG, json!({"input": {"volunteerId": v["id"], "familyId": f["id"], "kind": "VISIT", "wellbeing": 2, "concern": "HIGH", "notes": "struggling", "nextDueOn": "2099-01-01"}}))
        .await["logCheckIn"]
        .clone();
        assert_eq!(worry["recordedBy"], "Coordinator coordinator@example.org");
        assert_eq!(worry["family"]["id"], f["id"]);
        app.gql_ok(
            LOG,
            json!({"input": {"volunteerId": v["id"], "kind": "MESSAGE", "concern": "LOW"}}),
        )
        .await;
        let v_now = app.gql_ok("query($id: ID!) { volunteer(id: $id) { nextCheckInDue checkIns(first: 1) { totalCount edges { node { concern } } pageInfo { hasNextPage } } } }", json!({"id": v["id"]})).await;
        let in_a_month = (chrono::Utc::now() + chrono::Duration::days(30))
            .date_naive()
            .to_string();
        assert_eq!(
            v_now["volunteer"]["nextCheckInDue"], in_a_month,
            "the latest check-in sets the rhythm"
        );
        assert_eq!(v_now["volunteer"]["checkIns"]["totalCount"], 2);
        assert_eq!(
            v_now["volunteer"]["checkIns"]["edges"][0]["node"]["concern"],
            "HIGH"
        );
        assert_eq!(
            v_now["volunteer"]["checkIns"]["pageInfo"]["hasNextPage"],
            true
        );

        let open = app
            .gql_ok(
                "{ openConcerns { edges { node { id notes } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            open["openConcerns"]["edges"],
            json!([{"node": {"id": worry["id"], "notes": "struggling"}}])
        );
        let q = "mutation($id: ID!, $n: String!) { resolveConcern(checkInId: $id, note: $n) { resolvedAt resolution } }";
        let error = app.gql_err(q, json!({"id": worry["id"], "n": "  "})).await;
        assert_bad_input(&error, "note");
        let resolved = app
            .gql_ok(
                q,
                json!({"id": worry["id"], "n": "supervision planned on Friday"}),
            )
            .await;
        assert_eq!(
            resolved["resolveConcern"]["resolution"],
            "supervision planned on Friday"
        );
        assert!(resolved["resolveConcern"]["resolvedAt"].is_string());
        let error = app
            .gql_err(q, json!({"id": worry["id"], "n": "again"}))
            .await;
        assert_eq!(error["extensions"]["code"], "CONFLICT");
        assert_eq!(
            app.gql_ok("{ openConcerns { totalCount } }", json!({}))
                .await["openConcerns"]["totalCount"],
            0
        );
        let stats = app.gql_ok("{ networkStats { checkInsLogged volunteersOverdueForCheckIn preferredLanguageMatchRate activeInvolvements familiesSupported } }", json!({})).await;
        assert_eq!(
            stats["networkStats"],
            json!({"checkInsLogged": 2, "volunteersOverdueForCheckIn": 0, "preferredLanguageMatchRate": 1.0, "activeInvolvements": 1, "familiesSupported": 1})
        );
    }
);

both_backends!(
    a_list_of_volunteers_gets_each_ones_own_check_ins_in_a_bounded_number_of_statements,
    |app| async move {
        app.as_coordinator().await;
        // Volunteer i has i check-ins, logged in order.
        let mut ids = Vec::new();
        for i in 0..6 {
            let v = create_volunteer(&app, volunteer_input(&format!("V{i}"))).await;
            for k in 1..=i {
                app.gql_ok(
                    LOG,
                    json!({"input": {"volunteerId": v["id"], "kind": "CALL", "notes": format!("{k} of {i}")}}),
                )
                .await;
            }
            ids.push(v["id"].clone());
        }
        let q = "query($n: Int) { volunteers(first: $n) { edges { node { id name checkIns(first: 2) { totalCount edges { node { notes } } pageInfo { hasNextPage hasPreviousPage endCursor } } } } } }";
        let data = app.gql_ok(q, json!({"n": 6})).await;
        let edges = data["volunteers"]["edges"].as_array().unwrap();
        assert_eq!(edges.len(), 6);
        for (i, edge) in edges.iter().enumerate() {
            let node = &edge["node"];
            assert_eq!(node["id"], ids[i]);
            let page = &node["checkIns"];
            assert_eq!(page["totalCount"], i, "{node}");
            let notes: Vec<String> = (1..=i.min(2)).map(|k| format!("{k} of {i}")).collect();
            assert_eq!(
                page["edges"],
                json!(
                    notes
                        .iter()
                        .map(|n| json!({"node": {"notes": n}}))
                        .collect::<Vec<_>>()
                ),
                "{node}"
            );
            assert_eq!(page["pageInfo"]["hasNextPage"], i > 2, "{node}");
            assert_eq!(page["pageInfo"]["hasPreviousPage"], false, "{node}");
        }
        // The next page of the one with five, after the cursor the list gave.
        let cursor = edges[5]["node"]["checkIns"]["pageInfo"]["endCursor"].clone();
        let next = app
            .gql_ok(
                "query($id: ID!, $after: String) { volunteer(id: $id) { checkIns(first: 2, after: $after) { edges { node { notes } } pageInfo { hasNextPage hasPreviousPage } } } }",
                json!({"id": ids[5], "after": cursor}),
            )
            .await;
        assert_eq!(
            next["volunteer"]["checkIns"],
            json!({
                "edges": [{"node": {"notes": "3 of 5"}}, {"node": {"notes": "4 of 5"}}],
                "pageInfo": {"hasNextPage": true, "hasPreviousPage": true}
            })
        );
        let mut costs = Vec::new();
        for n in [2, 6] {
            costs.push(app.fewest_statements(q, json!({"n": n})).await.0);
        }
        eprintln!(
            "SQL statements for 2 volunteers' check-ins: {}, for 6: {}",
            costs[0], costs[1]
        );
        assert_eq!(
            costs[0], costs[1],
            "statements for 2 volunteers' check-ins: {}, for 6: {}",
            costs[0], costs[1]
        );
    }
);
