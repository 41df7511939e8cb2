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
                "{ checkInsDue { name nextCheckInDue lastCheckInAt } }",
                json!({}),
            )
            .await;
        assert_eq!(
            due["checkInsDue"],
            json!([{"name": "Amina", "nextCheckInDue": null, "lastCheckInAt": null}]),
            "ACTIVE and never checked in"
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
                "query($d: Date) { checkInsDue(asOf: $d) { name } }",
                json!({"d": later}),
            )
            .await;
        assert_eq!(due["checkInsDue"], json!([{"name": "Amina"}]));

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

        let open = app.gql_ok("{ openConcerns { id notes } }", json!({})).await;
        assert_eq!(
            open["openConcerns"],
            json!([{"id": worry["id"], "notes": "struggling"}])
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
            app.gql_ok("{ openConcerns { id } }", json!({})).await["openConcerns"],
            json!([])
        );
        let stats = app.gql_ok("{ networkStats { checkInsLogged volunteersOverdueForCheckIn preferredLanguageMatchRate activeInvolvements familiesSupported } }", json!({})).await;
        assert_eq!(
            stats["networkStats"],
            json!({"checkInsLogged": 2, "volunteersOverdueForCheckIn": 0, "preferredLanguageMatchRate": 1.0, "activeInvolvements": 1, "familiesSupported": 1})
        );
    }
);
