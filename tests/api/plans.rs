//! The coordinator story and every refused move, end to end.

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use tests::{TestApp, both_backends};

use crate::fixtures::*;

const INVOLVE: &str = "mutation($input: InvolveVolunteerInput!) { involveVolunteer(input: $input) { id status version matchScore role helper { ... on Volunteer { id } } } }";
const PHASE_IN: &str = "mutation($input: InvolvementTransitionInput!) { phaseIn(input: $input) { id status version phasedInAt } }";
const PHASE_OUT: &str = "mutation($input: InvolvementTransitionInput!) { startPhaseOut(input: $input) { id status version } }";
const END: &str = "mutation($input: InvolvementTransitionInput!) { endInvolvement(input: $input) { id status version phasedOutAt } }";
const DECLINE: &str = "mutation($input: InvolvementTransitionInput!) { declineInvolvement(input: $input) { id status version } }";
const MATCHES: &str = "query($f: ID!, $w: MatchWeightsInput) { matchesForFamily(familyId: $f, first: 5, weights: $w) { consideredVolunteers excluded { reason count } candidates { score distanceKm overlapMinutesPerWeek explanation sharedLanguages { code } breakdown { language location availability crisisType } volunteer { id name } } } }";

fn statuses(timeline: &Value) -> Vec<(Value, Value)> {
    timeline
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["from"].clone(), e["to"].clone()))
        .collect()
}

both_backends!(
    ranking_gives_the_same_candidates_whether_or_not_exclusions_are_counted,
    |app| async move {
        app.as_coordinator().await;
        let near = ready_volunteer(&app, "Amina", volunteer_input("x")).await;
        let mut far_input = volunteer_input("x");
        far_input["home"] = json!({"postalCode": "3000"});
        ready_volunteer(&app, "Pieter", far_input).await;
        let mut paused = volunteer_input("x");
        paused["status"] = json!("PAUSED");
        create_volunteer(&app, paused).await;
        let f = create_family(&app, family_input("Fatima")).await;

        let counted = app.gql_ok(MATCHES, json!({"f": f["id"]})).await["matchesForFamily"].clone();
        let uncounted = app
            .gql_ok(
                "query($f: ID!) { matchesForFamily(familyId: $f, first: 5) { consideredVolunteers candidates { score distanceKm overlapMinutesPerWeek explanation sharedLanguages { code } breakdown { language location availability crisisType } volunteer { id name } } } }",
                json!({"f": f["id"]}),
            )
            .await["matchesForFamily"]
            .clone();
        assert_eq!(uncounted["candidates"], counted["candidates"]);
        assert_eq!(uncounted["consideredVolunteers"], 3);
        assert_eq!(counted["candidates"][0]["volunteer"]["id"], near["id"]);
        assert_eq!(
            counted["excluded"],
            json!([{"reason": "NOT_ACTIVE", "count": 1}, {"reason": "TOO_FAR", "count": 1}])
        );

        // Asked for through a fragment, under an alias, or on Family.matches, the
        // counts are there all the same.
        let fragment = app
            .gql_ok(
                "query($f: ID!) { m: matchesForFamily(familyId: $f) { ...Counts } } fragment Counts on MatchResult { why: excluded { reason count } }",
                json!({"f": f["id"]}),
            )
            .await;
        assert_eq!(fragment["m"]["why"], counted["excluded"]);
        let nested = app
            .gql_ok(
                "query($f: ID!) { family(id: $f) { matches(first: 5) { ... on MatchResult { excluded { reason count } } candidates { volunteer { id } } } } }",
                json!({"f": f["id"]}),
            )
            .await;
        assert_eq!(nested["family"]["matches"]["excluded"], counted["excluded"]);
        assert_eq!(
            nested["family"]["matches"]["candidates"][0]["volunteer"]["id"],
            near["id"]
        );
    }
);

both_backends!(
    a_volunteer_who_cannot_be_read_back_after_a_write_leaves_matching_until_a_retry_can,
    |app| async move {
        app.as_coordinator().await;
        let v = ready_volunteer(&app, "Amina", volunteer_input("x")).await;
        let f = create_family(&app, family_input("Fatima")).await;
        let candidates = |ranked: Value| -> Vec<Value> {
            ranked["matchesForFamily"]["candidates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["volunteer"]["id"].clone())
                .collect()
        };
        let ranked = app.gql_ok(MATCHES, json!({"f": f["id"]})).await;
        assert_eq!(candidates(ranked), vec![v["id"].clone()]);

        // A stored language level the server cannot read: the write below
        // commits, but reading the volunteer back into the roster fails.
        set_aminas_level(&app, "UNREADABLE").await;
        let updated = app
            .gql_ok(
                "mutation($id: ID!) { updateVolunteer(id: $id, input: {maxTravelKm: 9}) { maxTravelKm } }",
                json!({"id": v["id"]}),
            )
            .await;
        assert_eq!(
            updated["updateVolunteer"]["maxTravelKm"].as_f64(),
            Some(9.0)
        );
        // The roster cannot say whether Amina is still eligible: no family is
        // offered her meanwhile.
        let ranked = app.gql_ok(MATCHES, json!({"f": f["id"]})).await;
        assert_eq!(ranked["matchesForFamily"]["consideredVolunteers"], 0);
        assert_eq!(candidates(ranked), Vec::<Value>::new());

        // Readable again: the retry in the background puts her back, as written.
        set_aminas_level(&app, "NATIVE").await;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let ranked = app.gql_ok(MATCHES, json!({"f": f["id"]})).await;
            if candidates(ranked) == vec![v["id"].clone()] {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the volunteer did not come back to matching"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let read = app
            .gql_ok(
                "query($id: ID!) { volunteer(id: $id) { maxTravelKm languages { level } } }",
                json!({"id": v["id"]}),
            )
            .await;
        assert_eq!(read["volunteer"]["maxTravelKm"].as_f64(), Some(9.0));
        assert_eq!(read["volunteer"]["languages"][0]["level"], "NATIVE");
    }
);

/// Sets the stored level of Amina's languages behind the server's back
/// (`UNREADABLE`: a level the server cannot read, so that she cannot be read
/// back into the roster after a write).
async fn set_aminas_level(app: &TestApp, level: &str) {
    app.db
        .execute_unprepared(&format!(
            "UPDATE volunteer_language SET level = '{level}' \
             WHERE volunteer_id IN (SELECT id FROM volunteer WHERE name = 'Amina')"
        ))
        .await
        .unwrap();
}

both_backends!(
    a_volunteer_who_cannot_be_read_back_is_never_answered_from_the_roster_as_before_the_write,
    |app| async move {
        app.as_coordinator().await;
        let v = ready_volunteer(&app, "Amina", volunteer_input("x")).await;
        let other = ready_volunteer(&app, "Bram", volunteer_input("y")).await;
        let travel = |id: &Value| {
            let asked = json!({"id": id});
            let app = &app;
            async move {
                let read = app
                    .gql(
                        "query($id: ID!) { volunteer(id: $id) { maxTravelKm } }",
                        asked,
                    )
                    .await;
                read["data"]["volunteer"]["maxTravelKm"].as_f64()
            }
        };
        let set_travel = |id: &Value, km: u32| {
            let asked = json!({"id": id, "km": km});
            let app = &app;
            async move {
                app.gql_ok("mutation($id: ID!, $km: Float!) { updateVolunteer(id: $id, input: {maxTravelKm: $km}) { id } }", asked)
                    .await;
            }
        };
        assert_eq!(travel(&v["id"]).await, Some(8.0));

        // Amina's write commits, but she cannot be read back into the roster.
        set_aminas_level(&app, "UNREADABLE").await;
        set_travel(&v["id"], 9).await;
        // What the roster held of her is older than the write: it is not
        // answered (the database is asked, and cannot read her either).
        assert_ne!(travel(&v["id"]).await, Some(8.0), "a stale record");
        // Others are read from the database meanwhile, as they are now.
        set_travel(&other["id"], 7).await;
        assert_eq!(travel(&other["id"]).await, Some(7.0));

        set_aminas_level(&app, "NATIVE").await;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while travel(&v["id"]).await != Some(9.0) {
            assert!(
                std::time::Instant::now() < deadline,
                "Amina was not read back"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
);

both_backends!(
    the_whole_coordinator_story_from_referral_to_closed_plan,
    |app| async move {
        app.as_coordinator().await;
        let near = ready_volunteer(&app, "Amina", volunteer_input("x")).await;
        let mut far_input = volunteer_input("x");
        far_input["home"] = json!({"postalCode": "3000"});
        let far = ready_volunteer(&app, "Pieter", far_input).await;
        let mut family = family_input("Fatima");
        family["referredAt"] =
            json!((chrono::Utc::now() - chrono::Duration::days(12)).to_rfc3339());
        let f = create_family(&app, family).await;

        let ranked = app.gql_ok(MATCHES, json!({"f": f["id"]})).await["matchesForFamily"].clone();
        assert_eq!(ranked["consideredVolunteers"], 2);
        assert_eq!(ranked["candidates"].as_array().unwrap().len(), 1);
        let best = &ranked["candidates"][0];
        assert_eq!(best["volunteer"]["id"], near["id"]);
        assert_eq!(best["sharedLanguages"], json!([{"code": "ar"}]));
        assert_eq!(best["overlapMinutesPerWeek"], 120);
        assert_eq!(best["explanation"].as_array().unwrap().len(), 4);
        assert_eq!(
            ranked["excluded"],
            json!([{"reason": "TOO_FAR", "count": 1}])
        );

        let why = app
        .gql_ok(
            "query($f: ID!, $v: ID!) { explainMatch(familyId: $f, volunteerId: $v) { eligible failedRules candidate { distanceKm score } } }",
            json!({"f": f["id"], "v": far["id"]}),
        )
        .await["explainMatch"]
        .clone();
        assert_eq!(why["eligible"], false);
        assert_eq!(why["failedRules"], json!(["TOO_FAR"]));
        assert!(why["candidate"]["distanceKm"].as_f64().unwrap() > 20.0);

        let inv = app
        .gql_ok(INVOLVE, json!({"input": {"familyId": f["id"], "volunteerId": near["id"], "note": "speaks Arabic, lives close"}}))
        .await["involveVolunteer"]
        .clone();
        assert_eq!(inv["status"], "PROPOSED");
        assert_eq!(inv["role"], "buddy");
        assert!(
            (inv["matchScore"].as_f64().unwrap() - best["score"].as_f64().unwrap()).abs() < 1e-9
        );
        let load = app
            .gql_ok(
                "query($id: ID!) { volunteer(id: $id) { currentLoad } }",
                json!({"id": near["id"]}),
            )
            .await;
        assert_eq!(load["volunteer"]["currentLoad"], 1);

        let inv = app
            .gql_ok(
                PHASE_IN,
                json!({"input": {"involvementId": inv["id"], "expectedVersion": 1}}),
            )
            .await["phaseIn"]
            .clone();
        assert_eq!(inv["status"], "ACTIVE");
        let fam = app
            .gql_ok(
                "query($id: ID!) { family(id: $id) { status waitingDays plan { status } } }",
                json!({"id": f["id"]}),
            )
            .await["family"]
            .clone();
        assert_eq!(fam["status"], "SUPPORTED");
        assert_eq!(fam["waitingDays"], 12);
        assert_eq!(fam["plan"]["status"], "ACTIVE");

        let service = app
        .gql_ok(
            "mutation { createFamilyCareService(input: {name: \"Gezinszorg\", organization: \"Familiehulp\", kind: FAMILY_CARE, languages: [\"nl\"], serviceArea: [\"1070\"], lifeDomains: [HOUSEHOLD], capacity: 1}) { id } }",
            json!({}),
        )
        .await["createFamilyCareService"]["id"]
        .clone();
        app.gql_ok(
        "mutation($f: ID!, $s: ID!) { involveService(input: {familyId: $f, serviceId: $s, role: \"household help\"}) { status helper { ... on FamilyCareService { currentLoad } } } }",
        json!({"f": f["id"], "s": service}),
    )
    .await;
        app.gql_ok(
        "mutation($f: ID!) { involveNetworkMember(input: {familyId: $f, name: \"Khadija\", relation: \"grandmother\", role: \"childcare\"}) { id } involveProfessional(input: {familyId: $f, name: \"Sofie\", organization: \"CAW\", role: \"point of contact\"}) { id } }",
        json!({"f": f["id"]}),
    )
    .await;

        let check_in = app
        .gql_ok(
            "mutation($v: ID!, $f: ID!) { logCheckIn(input: {volunteerId: $v, familyId: $f, kind: CALL, wellbeing: 4, hoursSinceLast: 6, notes: \"going well\"}) { id concern recordedBy } }",
            json!({"v": near["id"], "f": f["id"]}),
        )
        .await["logCheckIn"]
        .clone();
        assert_eq!(check_in["concern"], "NONE");
        let v = app
        .gql_ok("query($id: ID!) { volunteer(id: $id) { lastCheckInAt nextCheckInDue checkIns { totalCount } } }", json!({"id": near["id"]}))
        .await["volunteer"]
        .clone();
        assert_eq!(v["checkIns"]["totalCount"], 1);
        let due = (chrono::Utc::now() + chrono::Duration::days(30))
            .date_naive()
            .to_string();
        assert_eq!(v["nextCheckInDue"], due);

        app.gql_ok(
            PHASE_OUT,
            json!({"input": {"involvementId": inv["id"], "reason": "the grandmother takes over"}}),
        )
        .await;
        app.gql_ok(
            END,
            json!({"input": {"involvementId": inv["id"], "reason": "goals reached"}}),
        )
        .await;

        let plan = app
        .gql_ok(
            "query($id: ID!) { family(id: $id) { status plan { id version timeline(first: 100) { edges { node { from to reason recordedBy involvement { role } } } } involvements(status: [PROPOSED, ACTIVE, PHASING_OUT]) { id role status } } } }",
            json!({"id": f["id"]}),
        )
        .await["family"]
        .clone();
        assert_eq!(plan["status"], "WAITING", "no helper is active any more");
        let steps: Value = plan["plan"]["timeline"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"].clone())
            .collect();
        let buddy: Vec<(Value, Value)> = statuses(&steps)
            .into_iter()
            .zip(steps.as_array().unwrap())
            .filter(|(_, e)| e["involvement"]["role"] == "buddy")
            .map(|(s, _)| s)
            .collect();
        assert_eq!(
            buddy,
            vec![
                (Value::Null, json!("PROPOSED")),
                (json!("PROPOSED"), json!("ACTIVE")),
                (json!("ACTIVE"), json!("PHASING_OUT")),
                (json!("PHASING_OUT"), json!("ENDED")),
            ]
        );
        assert_eq!(
            steps[0]["recordedBy"],
            "Coordinator coordinator@example.org"
        );
        let open = plan["plan"]["involvements"].as_array().unwrap();
        assert_eq!(
            open.len(),
            3,
            "service, network member and professional are still PROPOSED"
        );

        let error = app
            .gql_err(
                "mutation($p: ID!) { setPlanStatus(planId: $p, status: CLOSED) { status } }",
                json!({"p": plan["plan"]["id"]}),
            )
            .await;
        assert_eq!(error["extensions"]["code"], "CONFLICT");
        assert!(
            error["message"].as_str().unwrap().contains("Khadija"),
            "{error:#}"
        );
        for inv in open {
            app.gql_ok(
                DECLINE,
                json!({"input": {"involvementId": inv["id"], "reason": "not needed any more"}}),
            )
            .await;
        }
        let closed = app
        .gql_ok("mutation($p: ID!) { setPlanStatus(planId: $p, status: CLOSED) { status family { status } } }", json!({"p": plan["plan"]["id"]}))
        .await;
        assert_eq!(closed["setPlanStatus"]["status"], "CLOSED");
        assert_eq!(closed["setPlanStatus"]["family"]["status"], "CLOSED");

        let stats = app
        .gql_ok("{ networkStats { familiesWaiting familiesSupported activeVolunteers activeInvolvements checkInsLogged involvementsEnded involvementsEndedWithin30Days medianDaysToFirstHelper answeredWithin30Days } }", json!({}))
        .await["networkStats"]
        .clone();
        assert_eq!(stats["familiesWaiting"], 0);
        assert_eq!(stats["familiesSupported"], 0);
        assert_eq!(stats["activeVolunteers"], 2);
        assert_eq!(stats["activeInvolvements"], 0);
        assert_eq!(stats["checkInsLogged"], 1);
        assert_eq!(stats["involvementsEnded"], 1);
        assert_eq!(stats["involvementsEndedWithin30Days"], 1);
        assert_eq!(stats["medianDaysToFirstHelper"], 12.0);
        assert_eq!(stats["answeredWithin30Days"], 1.0);
        let load = app
            .gql_ok(
                "query($id: ID!) { volunteer(id: $id) { currentLoad } }",
                json!({"id": near["id"]}),
            )
            .await;
        assert_eq!(load["volunteer"]["currentLoad"], 0);
    }
);

both_backends!(refused_moves_say_why_and_write_nothing, |app| async move {
    app.as_coordinator().await;
    let v = ready_volunteer(&app, "Amina", volunteer_input("x")).await;
    let f = create_family(&app, family_input("Fatima")).await;
    let inv = app
        .gql_ok(
            INVOLVE,
            json!({"input": {"familyId": f["id"], "volunteerId": v["id"]}}),
        )
        .await["involveVolunteer"]
        .clone();

    let error = app
        .gql_err(
            END,
            json!({"input": {"involvementId": inv["id"], "reason": "x"}}),
        )
        .await;
    assert_eq!(error["extensions"]["code"], "CONFLICT");
    assert_eq!(
        error["extensions"]["allowed"],
        json!(["ACTIVE", "DECLINED"])
    );
    let error = app
        .gql_err(DECLINE, json!({"input": {"involvementId": inv["id"]}}))
        .await;
    assert_bad_input(&error, "input.reason");
    let error = app
        .gql_err(
            DECLINE,
            json!({"input": {"involvementId": inv["id"], "reason": "   "}}),
        )
        .await;
    assert_bad_input(&error, "input.reason");
    let error = app
        .gql_err(
            PHASE_IN,
            json!({"input": {"involvementId": inv["id"], "expectedVersion": 7}}),
        )
        .await;
    assert_eq!(error["extensions"]["code"], "CONFLICT");
    let error = app
        .gql_err(
            INVOLVE,
            json!({"input": {"familyId": f["id"], "volunteerId": v["id"]}}),
        )
        .await;
    assert_eq!(error["extensions"]["code"], "CONFLICT");
    assert_eq!(
        error["extensions"]["failedRules"],
        json!(["ALREADY_INVOLVED"])
    );

    let plan = app
        .gql_ok("query($id: ID!) { family(id: $id) { status plan { timeline { edges { node { to } } } involvements { status version } } } }", json!({"id": f["id"]}))
        .await["family"]
        .clone();
    assert_eq!(plan["status"], "WAITING");
    assert_eq!(
        plan["plan"]["timeline"]["edges"],
        json!([{"node": {"to": "PROPOSED"}}])
    );
    assert_eq!(
        plan["plan"]["involvements"],
        json!([{"status": "PROPOSED", "version": 1}])
    );

    let mut no_consent = family_input("Karim");
    no_consent["consentGiven"] = json!(false);
    let nc = create_family(&app, no_consent).await;
    let error = app
        .gql_err(
            INVOLVE,
            json!({"input": {"familyId": nc["id"], "volunteerId": v["id"]}}),
        )
        .await;
    assert_eq!(error["extensions"]["code"], "CONFLICT");
    let error = app
        .gql_err(
            "mutation($f: ID!) { involveNetworkMember(input: {familyId: $f, name: \"Oma\", relation: \"grandmother\", role: \"care\"}) { id } }",
            json!({"f": nc["id"]}),
        )
        .await;
    assert_eq!(error["extensions"]["code"], "CONFLICT");

    let mut untrained = volunteer_input("Jonas");
    untrained["status"] = json!("ACTIVE");
    let u = create_volunteer(&app, untrained).await;
    let error = app
        .gql_err(
            INVOLVE,
            json!({"input": {"familyId": nc["id"], "volunteerId": u["id"]}}),
        )
        .await;
    assert_eq!(error["extensions"]["code"], "CONFLICT");
    let mut dv = family_input("Leila");
    dv["crisisTypes"] = json!(["DOMESTIC_VIOLENCE"]);
    let dv = create_family(&app, dv).await;
    let error = app
        .gql_err(
            INVOLVE,
            json!({"input": {"familyId": dv["id"], "volunteerId": u["id"]}}),
        )
        .await;
    assert_eq!(
        error["extensions"]["failedRules"],
        json!(["MISSING_REQUIRED_TRAINING"])
    );

    let service = app
        .gql_ok(
            "mutation { createFamilyCareService(input: {name: \"Kraamzorg\", organization: \"K\", kind: MATERNITY_CARE, languages: [\"nl\"], serviceArea: [\"3000\"], lifeDomains: [HEALTH]}) { id } }",
            json!({}),
        )
        .await["createFamilyCareService"]["id"]
        .clone();
    let error = app
        .gql_err(
            "mutation($f: ID!, $s: ID!) { involveService(input: {familyId: $f, serviceId: $s, role: \"care\"}) { id } }",
            json!({"f": f["id"], "s": service}),
        )
        .await;
    assert_eq!(error["extensions"]["code"], "CONFLICT");
    assert!(error["message"].as_str().unwrap().contains("1070"));

    let error = app
        .gql_err(
            "mutation($v: ID!) { logCheckIn(input: {volunteerId: $v, kind: CALL, wellbeing: 6}) { id } }",
            json!({"v": v["id"]}),
        )
        .await;
    assert_bad_input(&error, "input.wellbeing");
    let error = app
        .gql_err(
            "mutation($v: ID!) { logCheckIn(input: {volunteerId: $v, kind: CALL, hoursSinceLast: -1}) { id } }",
            json!({"v": v["id"]}),
        )
        .await;
    assert_bad_input(&error, "input.hoursSinceLast");
    let error = app
        .gql_err(
            "mutation($v: ID!) { logCheckIn(input: {volunteerId: $v, kind: CALL, occurredAt: \"2999-01-01T00:00:00Z\"}) { id } }",
            json!({"v": v["id"]}),
        )
        .await;
    assert_bad_input(&error, "input.occurredAt");
    let count = app
        .gql_ok(
            "query($v: ID!) { volunteer(id: $v) { checkIns { totalCount } } }",
            json!({"v": v["id"]}),
        )
        .await;
    assert_eq!(count["volunteer"]["checkIns"]["totalCount"], 0);

    let error = app
        .gql_err(MATCHES, json!({"f": f["id"], "w": {"language": -1}}))
        .await;
    assert_bad_input(&error, "weights");
    let error = app
        .gql_err(MATCHES, json!({"f": f["id"], "w": {"language": 0, "location": 0, "availability": 0, "crisisType": 0}}))
        .await;
    assert_bad_input(&error, "weights");
});

both_backends!(
    the_index_is_never_stale_after_a_mutation,
    |app| async move {
        app.as_coordinator().await;
        let v = ready_volunteer(&app, "Amina", volunteer_input("x")).await;
        let f = create_family(&app, family_input("Fatima")).await;
        let first = app.gql_ok(MATCHES, json!({"f": f["id"]})).await;
        assert_eq!(
            first["matchesForFamily"]["candidates"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        app.gql_ok(
        "mutation($id: ID!) { updateVolunteer(id: $id, input: {languages: [{language: \"Turks\", level: NATIVE}]}) { id } }",
        json!({"id": v["id"]}),
    )
    .await;
        let after = app.gql_ok(MATCHES, json!({"f": f["id"]})).await;
        assert_eq!(after["matchesForFamily"]["candidates"], json!([]));
        assert_eq!(
            after["matchesForFamily"]["excluded"],
            json!([{"reason": "NO_SHARED_LANGUAGE", "count": 1}])
        );
        app.gql_ok(
        "mutation($id: ID!) { updateVolunteer(id: $id, input: {languages: [{language: \"ar\", level: NATIVE}], status: PAUSED}) { id } }",
        json!({"id": v["id"]}),
    )
    .await;
        let paused = app.gql_ok(MATCHES, json!({"f": f["id"]})).await;
        assert_eq!(
            paused["matchesForFamily"]["excluded"],
            json!([{"reason": "NOT_ACTIVE", "count": 1}])
        );
        let newcomer = ready_volunteer(&app, "Sara", volunteer_input("x")).await;
        let fresh = app.gql_ok(MATCHES, json!({"f": f["id"]})).await;
        assert_eq!(
            fresh["matchesForFamily"]["candidates"][0]["volunteer"]["id"],
            newcomer["id"]
        );
        let mut capacity_one = volunteer_input("x");
        capacity_one["capacity"] = json!(1);
        let _ = capacity_one;
        app.gql_ok(
            INVOLVE,
            json!({"input": {"familyId": f["id"], "volunteerId": newcomer["id"]}}),
        )
        .await;
        let other = create_family(&app, family_input("Karim")).await;
        let loaded = app.gql_ok(MATCHES, json!({"f": other["id"]})).await;
        assert_eq!(
            loaded["matchesForFamily"]["candidates"][0]["volunteer"]["id"], newcomer["id"],
            "capacity 2, load 1"
        );
        let family_view = app.gql_ok("query($id: ID!) { family(id: $id) { matches(first: 1) { candidates { volunteer { id } } } } }", json!({"id": other["id"]})).await;
        assert_eq!(
            family_view["family"]["matches"]["candidates"][0]["volunteer"]["id"],
            newcomer["id"]
        );
    }
);

both_backends!(
    suggest_assignments_finds_the_optimum_where_greedy_does_not,
    |app| async move {
        app.as_coordinator().await;
        // Volunteer A speaks Arabic and Turkish; B speaks only Arabic. Family 1 (crisis,
        // first in line) speaks Arabic and Turkish; family 2 only Arabic. Greedy in
        // waiting-list order gives A to family 1 and leaves family 2 without anyone;
        // the optimum gives B to family 1 and A to family 2... unless family 1 scores
        // far better with A. Capacity 1 each, so only the joint view serves both.
        let mut a = volunteer_input("A");
        a["capacity"] = json!(1);
        a["languages"] =
            json!([{"language": "ar", "level": "NATIVE"}, {"language": "tr", "level": "NATIVE"}]);
        let a = ready_volunteer(&app, "A", a).await;
        let mut b = volunteer_input("B");
        b["capacity"] = json!(1);
        b["languages"] = json!([{"language": "tr", "level": "NATIVE"}]);
        let b = ready_volunteer(&app, "B", b).await;
        let mut f1 = family_input("Crisis family");
        f1["urgency"] = json!("CRISIS");
        f1["languages"] =
            json!([{"language": "ar", "level": "NATIVE"}, {"language": "tr", "level": "NATIVE"}]);
        f1["referredAt"] = json!((chrono::Utc::now() - chrono::Duration::days(10)).to_rfc3339());
        let f1 = create_family(&app, f1).await;
        let mut f2 = family_input("Arabic family");
        f2["urgency"] = json!("NORMAL");
        f2["preferredLanguage"] = json!(null);
        f2["languages"] = json!([{"language": "ar", "level": "NATIVE"}]);
        let f2 = create_family(&app, f2).await;

        let q = "query($pinned: [PairInput!], $forbidden: [PairInput!]) { suggestAssignments(pinned: $pinned, forbidden: $forbidden) { objective assignments { score family { id } volunteer { id } } unassigned { family { id } reason } } }";
        let plan = app.gql_ok(q, json!({})).await["suggestAssignments"].clone();
        let pairs: Vec<(Value, Value)> = plan["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["family"]["id"].clone(), a["volunteer"]["id"].clone()))
            .collect();
        assert_eq!(pairs.len(), 2, "{plan:#}");
        assert!(pairs.contains(&(f1["id"].clone(), b["id"].clone())));
        assert!(pairs.contains(&(f2["id"].clone(), a["id"].clone())));
        assert!(plan["unassigned"].as_array().unwrap().is_empty());

        let forbidden = app
            .gql_ok(
                q,
                json!({"forbidden": [{"familyId": f2["id"], "volunteerId": a["id"]}]}),
            )
            .await["suggestAssignments"]
            .clone();
        assert_eq!(forbidden["unassigned"][0]["family"]["id"], f2["id"]);
        let pinned = app
            .gql_ok(
                q,
                json!({"pinned": [{"familyId": f1["id"], "volunteerId": a["id"]}]}),
            )
            .await["suggestAssignments"]
            .clone();
        assert_eq!(pinned["assignments"].as_array().unwrap().len(), 1);
        assert_eq!(pinned["assignments"][0]["volunteer"]["id"], a["id"]);
        assert_eq!(pinned["unassigned"][0]["family"]["id"], f2["id"]);
    }
);

const RANKED: &str = "query($f: ID!, $w: MatchWeightsInput) { matchesForFamily(familyId: $f, first: 5, weights: $w) { candidates { score volunteer { id } } } }";

async fn ranked_ids(app: &TestApp, family: &Value, weights: Value) -> Vec<Value> {
    app.gql_ok(RANKED, json!({"f": family["id"], "w": weights}))
        .await["matchesForFamily"]["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["volunteer"]["id"].clone())
        .collect()
}

both_backends!(
    a_kept_ranking_follows_every_volunteer_and_family_change,
    |app| async move {
        app.as_coordinator().await;
        let kept = "tandem_match_rankings_total{source=\"kept\"}";
        let amina = ready_volunteer(&app, "Amina", volunteer_input("x")).await;
        let f = create_family(&app, family_input("Fatima")).await;
        assert_eq!(
            ranked_ids(&app, &f, Value::Null).await,
            vec![amina["id"].clone()]
        );
        // Asked again with nothing changed: the kept ranking answers.
        assert_eq!(
            ranked_ids(&app, &f, Value::Null).await,
            vec![amina["id"].clone()]
        );
        assert_eq!(app.metric(kept).await, 1.0);

        // A volunteer next door to the family enters the kept ranking, first.
        let mut next_door = volunteer_input("x");
        next_door["home"] = json!({"postalCode": "1070"});
        let bilal = ready_volunteer(&app, "Bilal", next_door).await;
        assert_eq!(
            ranked_ids(&app, &f, Value::Null).await,
            vec![bilal["id"].clone(), amina["id"].clone()]
        );
        assert_eq!(
            app.metric(kept).await,
            2.0,
            "the kept ranking took Bilal in"
        );

        // One who pauses leaves it.
        app.gql_ok(
            "mutation($id: ID!) { updateVolunteer(id: $id, input: {status: PAUSED}) { id } }",
            json!({"id": bilal["id"]}),
        )
        .await;
        assert_eq!(
            ranked_ids(&app, &f, Value::Null).await,
            vec![amina["id"].clone()]
        );

        // Other weights are another ranking; a family that moves away is ranked anew.
        let location_only =
            json!({"language": 0, "location": 1, "availability": 0, "crisisType": 0});
        assert_eq!(
            ranked_ids(&app, &f, location_only).await,
            vec![amina["id"].clone()]
        );
        app.gql_ok(
            "mutation($id: ID!) { updateFamily(id: $id, input: {home: {postalCode: \"9000\"}}) { id } }",
            json!({"id": f["id"]}),
        )
        .await;
        assert_eq!(ranked_ids(&app, &f, Value::Null).await, Vec::<Value>::new());

        // Every answer equals a fresh ranking with the exclusion counts (never kept).
        app.gql_ok(
            "mutation($id: ID!) { updateFamily(id: $id, input: {home: {postalCode: \"1070\"}}) { id } }",
            json!({"id": f["id"]}),
        )
        .await;
        let fresh =
            app.gql_ok(MATCHES, json!({"f": f["id"]})).await["matchesForFamily"]["candidates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["volunteer"]["id"].clone())
                .collect::<Vec<_>>();
        assert_eq!(ranked_ids(&app, &f, Value::Null).await, fresh);
        assert_eq!(ranked_ids(&app, &f, Value::Null).await, fresh);
    }
);
