//! Issue 22, "domain truths": the family's status follows from its plan, the
//! waiting list counts the current wait, the one-month rule is counted
//! honestly, check-ins due are only the ones that are due, and a phase-in can
//! be planned ahead.

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use tests::{TestApp, both_backends};

use crate::fixtures::*;

/// A family referred `days_ago` days ago (at this moment of that day).
async fn family_referred(app: &TestApp, name: &str, urgency: &str, days_ago: i64) -> Value {
    let mut input = family_input(name);
    input["urgency"] = json!(urgency);
    input["referredAt"] = json!((Utc::now() - Duration::days(days_ago)).to_rfc3339());
    create_family(app, input).await
}

/// An ACTIVE, trained volunteer who can take `capacity` families.
async fn helper(app: &TestApp, name: &str, capacity: i64) -> Value {
    let mut input = volunteer_input(name);
    input["capacity"] = json!(capacity);
    ready_volunteer(app, name, input).await
}

/// Proposes `volunteer` to `family`; the involvement's ID.
async fn propose(app: &TestApp, family: &Value, volunteer: &Value) -> Value {
    app.gql_ok(
        "mutation($f: ID!, $v: ID!) { involveVolunteer(input: {familyId: $f, volunteerId: $v}) { id } }",
        json!({"f": family["id"], "v": volunteer["id"]}),
    )
    .await["involveVolunteer"]["id"]
        .clone()
}

/// Moves an involvement one step (`phaseIn`, `startPhaseOut`, `endInvolvement`).
async fn step(app: &TestApp, mutation: &str, involvement: &Value) {
    app.gql_ok(
        &format!(
            "mutation($i: ID!) {{ {mutation}(input: {{involvementId: $i, reason: \"done\"}}) {{ id }} }}"
        ),
        json!({"i": involvement}),
    )
    .await;
}

const FAMILY_STATE: &str = "query($id: ID!) { family(id: $id) { status waitingSince waitingDays answerDueOn plan { id status version } } }";

async fn family_state(app: &TestApp, family: &Value) -> Value {
    app.gql_ok(FAMILY_STATE, json!({"id": family["id"]})).await["family"].clone()
}

fn day(days_from_today: i64) -> String {
    (Utc::now() + Duration::days(days_from_today))
        .date_naive()
        .to_string()
}

async fn waiting_references(app: &TestApp) -> Vec<String> {
    app.gql_ok(
        "{ waitingList(first: 50) { edges { node { reference } } } }",
        json!({}),
    )
    .await["waitingList"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["reference"].as_str().unwrap().to_owned())
        .collect()
}

// Finding 1: status can no longer be set by hand; it follows the plan.
both_backends!(
    a_family_status_follows_its_plan_and_cannot_be_set_by_hand,
    |app| async move {
        app.as_coordinator().await;
        let family = family_referred(&app, "Fatima", "HIGH", 3).await;
        let refused = app
            .gql(
                "mutation($id: ID!) { updateFamily(id: $id, input: {status: SUPPORTED}) { status } }",
                json!({"id": family["id"]}),
            )
            .await;
        assert!(refused["errors"].is_array(), "{refused:#}");
        let state = family_state(&app, &family).await;
        assert_eq!(state["status"], "WAITING");
        assert_eq!(
            waiting_references(&app).await,
            vec![family["reference"].as_str().unwrap().to_owned()]
        );

        let buddy = helper(&app, "Amina", 2).await;
        let involvement = propose(&app, &family, &buddy).await;
        assert_eq!(family_state(&app, &family).await["status"], "WAITING");
        step(&app, "phaseIn", &involvement).await;
        let supported = family_state(&app, &family).await;
        assert_eq!(supported["status"], "SUPPORTED");
        assert_eq!(supported["waitingSince"], Value::Null);
        assert_eq!(supported["waitingDays"], 3, "the days its wait lasted");
        assert_eq!(supported["plan"]["status"], "ACTIVE");
        step(&app, "startPhaseOut", &involvement).await;
        assert_eq!(family_state(&app, &family).await["status"], "SUPPORTED");
        step(&app, "endInvolvement", &involvement).await;
        let again = family_state(&app, &family).await;
        assert_eq!(again["status"], "WAITING");
        assert_eq!(again["waitingSince"], day(0));
        assert_eq!(again["waitingDays"], 0);

        let closed = app
            .gql_ok(
                "mutation($p: ID!) { setPlanStatus(planId: $p, status: CLOSED) { status } }",
                json!({"p": again["plan"]["id"]}),
            )
            .await;
        assert_eq!(closed["setPlanStatus"]["status"], "CLOSED");
        let state = family_state(&app, &family).await;
        assert_eq!(state["status"], "CLOSED");
        assert_eq!(state["waitingSince"], Value::Null);
        assert!(waiting_references(&app).await.is_empty());
        app.gql_ok(
            "mutation($p: ID!) { setPlanStatus(planId: $p, status: ACTIVE) { status } }",
            json!({"p": again["plan"]["id"]}),
        )
        .await;
        let reopened = family_state(&app, &family).await;
        assert_eq!(reopened["status"], "WAITING");
        assert_eq!(reopened["waitingSince"], day(0));
    }
);

// Finding 2: a family whose helper ended waits again, and the waiting list
// orders by the current wait.
both_backends!(
    a_family_whose_helper_ended_waits_again_and_is_listed_by_its_current_wait,
    |app| async move {
        app.as_coordinator().await;
        let again = family_referred(&app, "Again", "CRISIS", 24).await;
        let long = family_referred(&app, "Long", "CRISIS", 22).await;
        let normal = family_referred(&app, "Normal", "NORMAL", 40).await;
        let buddy = helper(&app, "Amina", 2).await;
        let involvement = propose(&app, &again, &buddy).await;
        step(&app, "phaseIn", &involvement).await;
        step(&app, "endInvolvement", &involvement).await;

        let state = family_state(&app, &again).await;
        assert_eq!(state["status"], "WAITING");
        assert_eq!(state["waitingSince"], day(0), "waiting again since today");
        assert_eq!(state["waitingDays"], 0);
        assert_eq!(state["answerDueOn"], Value::Null, "it was answered");
        let state = family_state(&app, &long).await;
        assert_eq!(state["waitingSince"], day(-22));
        assert_eq!(state["waitingDays"], 22);
        assert_eq!(state["answerDueOn"], day(8), "referral + 30 days");

        assert_eq!(
            waiting_references(&app).await,
            vec![
                long["reference"].as_str().unwrap().to_owned(),
                again["reference"].as_str().unwrap().to_owned(),
                normal["reference"].as_str().unwrap().to_owned(),
            ],
            "most urgent first, then longest current wait"
        );

        let first = app
            .gql_ok(
                "{ waitingList(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { reference } } } }",
                json!({}),
            )
            .await["waitingList"]
            .clone();
        assert_eq!(first["totalCount"], 3);
        assert_eq!(first["pageInfo"]["hasNextPage"], true);
        let rest = app
            .gql_ok(
                "query($a: String) { waitingList(first: 2, after: $a) { pageInfo { hasNextPage } edges { node { reference } } } }",
                json!({"a": first["pageInfo"]["endCursor"]}),
            )
            .await["waitingList"]
            .clone();
        assert_eq!(rest["pageInfo"]["hasNextPage"], false);
        assert_eq!(rest["edges"][0]["node"]["reference"], normal["reference"]);
        let filtered = app
            .gql_ok(
                "{ waitingList(filter: {urgency: [NORMAL]}) { totalCount edges { node { reference } } } }",
                json!({}),
            )
            .await["waitingList"]
            .clone();
        assert_eq!(filtered["totalCount"], 1);
        assert_eq!(
            filtered["edges"][0]["node"]["reference"],
            normal["reference"]
        );
    }
);

// Finding 3: families inside their month are neither successes nor failures.
both_backends!(
    the_one_month_rule_counts_only_families_whose_month_is_over_or_who_were_answered,
    |app| async move {
        app.as_coordinator().await;
        // Unanswered at day 0, 29 and 30: pending. Unanswered at day 31: late.
        for (name, days) in [("D0", 0), ("D29", 29), ("D30", 30), ("D31", 31)] {
            family_referred(&app, name, "NORMAL", days).await;
        }
        // Answered today at day 29 and 30: in time. At day 31: late.
        let buddy = helper(&app, "Amina", 5).await;
        for (name, days) in [("A29", 29), ("A30", 30), ("A31", 31)] {
            let family = family_referred(&app, name, "NORMAL", days).await;
            let involvement = propose(&app, &family, &buddy).await;
            step(&app, "phaseIn", &involvement).await;
        }
        let stats = app
            .gql_ok(
                "query($from: Date) { networkStats(from: $from) { answeredWithin30Days answersPending familiesWaiting familiesSupported } }",
                json!({"from": day(-40)}),
            )
            .await["networkStats"]
            .clone();
        assert_eq!(
            stats,
            json!({
                "answeredWithin30Days": 0.5,
                "answersPending": 3,
                "familiesWaiting": 4,
                "familiesSupported": 3
            }),
            "2 in time (A29, A30) of 4 decided (A29, A30, A31, D31); D0, D29, D30 pending"
        );
        // From this month only (as in the issue): nobody waited past a month.
        let recent = app
            .gql_ok(
                "query($from: Date) { networkStats(from: $from) { answeredWithin30Days answersPending } }",
                json!({"from": day(-5)}),
            )
            .await["networkStats"]
            .clone();
        assert_eq!(
            recent,
            json!({"answeredWithin30Days": null, "answersPending": 1})
        );

        let described = app
            .gql_ok(
                "{ __type(name: \"NetworkStats\") { fields { name description } } }",
                json!({}),
            )
            .await;
        let fields = described["__type"]["fields"].as_array().unwrap();
        let description = |name: &str| {
            fields
                .iter()
                .find(|f| f["name"] == name)
                .and_then(|f| f["description"].as_str())
                .unwrap_or_default()
                .to_owned()
        };
        assert!(description("answersPending").contains("answerDueOn"));
        assert!(description("answeredWithin30Days").contains("not counted either way"));
        for field in fields {
            assert!(
                field["description"].as_str().is_some_and(|d| d.len() > 40),
                "{field}: every figure says what it counts"
            );
        }
    }
);

// Finding 4: checkInsDue lists only volunteers who support a family and are
// due, soonest first.
both_backends!(
    check_ins_due_are_supporting_volunteers_who_are_due_soonest_first,
    |app| async move {
        app.as_coordinator().await;
        helper(&app, "Idle", 2).await;
        let later = helper(&app, "Later", 2).await;
        let sooner = helper(&app, "Sooner", 2).await;
        let future = helper(&app, "Future", 2).await;
        let paused = helper(&app, "Paused", 2).await;
        for volunteer in [&later, &sooner, &future, &paused] {
            let name = volunteer["name"].as_str().unwrap();
            let family = family_referred(&app, name, "NORMAL", 1).await;
            let involvement = propose(&app, &family, volunteer).await;
            step(&app, "phaseIn", &involvement).await;
        }
        let log = "mutation($v: ID!, $at: DateTime, $next: Date) { logCheckIn(input: {volunteerId: $v, kind: CALL, occurredAt: $at, nextDueOn: $next}) { id } }";
        let ten_days_ago = (Utc::now() - Duration::days(10)).to_rfc3339();
        for (volunteer, next) in [
            (&later, day(-1)),
            (&sooner, day(-3)),
            (&future, day(14)),
            (&paused, day(-5)),
        ] {
            app.gql_ok(
                log,
                json!({"v": volunteer["id"], "at": ten_days_ago, "next": next}),
            )
            .await;
        }
        app.gql_ok(
            "mutation($id: ID!) { updateVolunteer(id: $id, input: {status: PAUSED}) { id } }",
            json!({"id": paused["id"]}),
        )
        .await;
        let due = app
            .gql_ok(
                "{ checkInsDue { totalCount edges { node { name nextCheckInDue } } } }",
                json!({}),
            )
            .await["checkInsDue"]
            .clone();
        assert_eq!(
            due,
            json!({"totalCount": 2, "edges": [
                {"node": {"name": "Sooner", "nextCheckInDue": day(-3)}},
                {"node": {"name": "Later", "nextCheckInDue": day(-1)}}
            ]})
        );
        let ahead = app
            .gql_ok(
                "query($d: Date) { checkInsDue(asOf: $d, first: 2) { totalCount pageInfo { hasNextPage } edges { node { name } } } }",
                json!({"d": day(20)}),
            )
            .await["checkInsDue"]
            .clone();
        assert_eq!(ahead["totalCount"], 3);
        assert_eq!(ahead["pageInfo"]["hasNextPage"], true);
        assert_eq!(ahead["edges"][1]["node"]["name"], "Later");
    }
);

// Finding 6: a phase-in can be planned weeks ahead.
both_backends!(a_phase_in_can_be_planned_weeks_ahead, |app| async move {
    app.as_coordinator().await;
    let family = family_referred(&app, "Fatima", "HIGH", 2).await;
    let buddy = helper(&app, "Amina", 2).await;
    let proposed = app
            .gql_ok(
                "mutation($f: ID!, $v: ID!, $d: Date) { involveVolunteer(input: {familyId: $f, volunteerId: $v, plannedStartOn: $d}) { id status plannedStartOn version } }",
                json!({"f": family["id"], "v": buddy["id"], "d": day(21)}),
            )
            .await["involveVolunteer"]
            .clone();
    assert_eq!(proposed["status"], "PROPOSED");
    assert_eq!(proposed["plannedStartOn"], day(21));
    let moved = app
            .gql_ok(
                "mutation($i: ID!, $d: Date) { planPhaseIn(involvementId: $i, plannedStartOn: $d) { plannedStartOn version } }",
                json!({"i": proposed["id"], "d": day(28)}),
            )
            .await["planPhaseIn"]
            .clone();
    assert_eq!(moved["plannedStartOn"], day(28));
    let plan = app
            .gql_ok(
                "query($id: ID!) { family(id: $id) { status plan { involvements { plannedStartOn status } } } }",
                json!({"id": family["id"]}),
            )
            .await["family"]
            .clone();
    assert_eq!(plan["status"], "WAITING", "planned is not yet supported");
    assert_eq!(
        plan["plan"]["involvements"],
        json!([{"plannedStartOn": day(28), "status": "PROPOSED"}])
    );
    let past = app
            .gql_err(
                "mutation($i: ID!, $d: Date) { planPhaseIn(involvementId: $i, plannedStartOn: $d) { id } }",
                json!({"i": proposed["id"], "d": day(-2)}),
            )
            .await;
    assert_bad_input(&past, "plannedStartOn");
    let other = family_referred(&app, "Karim", "HIGH", 2).await;
    let far = app
            .gql_err(
                "mutation($f: ID!, $v: ID!, $d: Date) { involveVolunteer(input: {familyId: $f, volunteerId: $v, plannedStartOn: $d}) { id } }",
                json!({"f": other["id"], "v": buddy["id"], "d": day(400)}),
            )
            .await;
    assert_bad_input(&far, "input.plannedStartOn");
});

const MATCHES: &str = "query($f: ID!) { matchesForFamily(familyId: $f) { candidates { volunteer { name } } excluded { reason count } } }";
const EXPLAIN: &str = "query($f: ID!, $v: ID!) { explainMatch(familyId: $f, volunteerId: $v) { eligible failedRules } }";
const SUGGEST: &str =
    "{ suggestAssignments { assignments { family { displayName } volunteer { name } } } }";

/// Amina helped Fatima and ended today; Samira could help too.
async fn parted_pair(app: &TestApp) -> (Value, Value) {
    let family = family_referred(app, "Fatima", "HIGH", 10).await;
    let amina = helper(app, "Amina", 2).await;
    let involvement = propose(app, &family, &amina).await;
    step(app, "phaseIn", &involvement).await;
    step(app, "endInvolvement", &involvement).await;
    ready_volunteer(app, "Samira", volunteer_input("Samira")).await;
    (family, amina)
}

// Finding 7: a volunteer who just left a family is not proposed to it again.
both_backends!(
    a_volunteer_who_just_left_a_family_is_not_proposed_to_it_again,
    |app| async move {
        app.as_coordinator().await;
        let (family, amina) = parted_pair(&app).await;
        let matches =
            app.gql_ok(MATCHES, json!({"f": family["id"]})).await["matchesForFamily"].clone();
        assert_eq!(
            matches["candidates"],
            json!([{"volunteer": {"name": "Samira"}}])
        );
        assert_eq!(
            matches["excluded"],
            json!([{"reason": "RECENTLY_ENDED_WITH_FAMILY", "count": 1}])
        );
        let explained = app
            .gql_ok(EXPLAIN, json!({"f": family["id"], "v": amina["id"]}))
            .await["explainMatch"]
            .clone();
        assert_eq!(
            explained,
            json!({"eligible": false, "failedRules": ["RECENTLY_ENDED_WITH_FAMILY"]})
        );
        let suggested = app.gql_ok(SUGGEST, json!({})).await;
        assert_eq!(
            suggested["suggestAssignments"]["assignments"],
            json!([{"family": {"displayName": "Fatima"}, "volunteer": {"name": "Samira"}}])
        );
        let refused = app
            .gql_err(
                "mutation($f: ID!, $v: ID!) { involveVolunteer(input: {familyId: $f, volunteerId: $v}) { id } }",
                json!({"f": family["id"], "v": amina["id"]}),
            )
            .await;
        assert_eq!(refused["extensions"]["code"], "CONFLICT", "{refused:#}");
    }
);

both_backends!(
    the_recently_ended_rule_can_be_switched_off,
    settings = |s: &mut api::Settings| s.recently_ended_days = 0,
    |app| async move {
        app.as_coordinator().await;
        let (family, amina) = parted_pair(&app).await;
        let explained = app
            .gql_ok(EXPLAIN, json!({"f": family["id"], "v": amina["id"]}))
            .await["explainMatch"]
            .clone();
        assert_eq!(explained, json!({"eligible": true, "failedRules": []}));
    }
);

// Finding 5: trainings are a catalogue; what is missing is named.
both_backends!(
    trainings_are_a_catalogue_that_names_what_is_missing,
    |app| async move {
        app.as_coordinator().await;
        let catalogue = app
            .gql_ok(
                "{ trainingModules { code name nameNl requiredFor requiredForEveryMatch validForMonths } }",
                json!({}),
            )
            .await["trainingModules"]
            .clone();
        let module = |code: &str| {
            catalogue
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["code"] == code)
                .cloned()
                .unwrap_or_else(|| panic!("{code} in {catalogue:#}"))
        };
        assert_eq!(module("BASIC")["requiredForEveryMatch"], true);
        assert_eq!(module("BASIC")["nameNl"], "Basisvorming");
        assert_eq!(
            module("CHILD_SAFETY")["requiredFor"],
            json!(["CHILD_SAFETY_CONCERN"])
        );

        // The README's createVolunteer: ACTIVE, but without the basic training.
        let created = app
            .gql_ok(
                "mutation($input: CreateVolunteerInput!) { createVolunteer(input: $input) { id status matchBlockers missingTrainings { code nameNl } } }",
                json!({"input": volunteer_input("Amina")}),
            )
            .await["createVolunteer"]
            .clone();
        assert_eq!(created["status"], "ACTIVE");
        assert_eq!(
            created["matchBlockers"],
            json!(["MISSING_REQUIRED_TRAINING"])
        );
        assert_eq!(
            created["missingTrainings"],
            json!([{"code": "BASIC", "nameNl": "Basisvorming"}])
        );

        let record = "mutation($id: ID!, $m: String!) { recordTraining(volunteerId: $id, module: $m, completedOn: \"2026-01-10\") { matchBlockers trainings { module { code name } validUntil } } }";
        let trained = app
            .gql_ok(record, json!({"id": created["id"], "m": "basis"}))
            .await["recordTraining"]
            .clone();
        assert_eq!(
            trained,
            json!({"matchBlockers": [], "trainings": [
                {"module": {"code": "BASIC", "name": "Basic training"}, "validUntil": null}
            ]}),
            "\"basis\" is the basic training"
        );
        let unknown = app
            .gql_err(record, json!({"id": created["id"], "m": "jonglage"}))
            .await;
        assert_bad_input(&unknown, "module");
        let typo = app
            .gql_err(record, json!({"id": created["id"], "m": "first help"}))
            .await;
        assert_bad_input(&typo, "module");
        assert!(
            typo["extensions"]["suggestion"]
                .as_str()
                .is_some_and(|s| s.contains("FIRST_AID")),
            "{typo:#}"
        );

        let mut input = family_input("Fatima");
        input["crisisTypes"] = json!(["CHILD_SAFETY_CONCERN"]);
        let family = create_family(&app, input).await;
        let explained = app
            .gql_ok(
                "query($f: ID!, $v: ID!) { explainMatch(familyId: $f, volunteerId: $v) { eligible failedRules missingTrainings { code } } }",
                json!({"f": family["id"], "v": created["id"]}),
            )
            .await["explainMatch"]
            .clone();
        assert_eq!(
            explained,
            json!({"eligible": false, "failedRules": ["MISSING_REQUIRED_TRAINING"], "missingTrainings": [{"code": "CHILD_SAFETY"}]})
        );
        let refused = app
            .gql_err(
                "mutation($f: ID!, $v: ID!) { involveVolunteer(input: {familyId: $f, volunteerId: $v}) { id } }",
                json!({"f": family["id"], "v": created["id"]}),
            )
            .await;
        assert!(
            refused["message"]
                .as_str()
                .unwrap()
                .contains("CHILD_SAFETY"),
            "{refused:#}"
        );
    }
);

// Finding 8: the demo shows the product working, and tells its story.
both_backends!(
    the_demo_shows_candidates_for_most_waiting_families_and_tells_its_story,
    settings = |s: &mut api::Settings| s.demo = true,
    |app| async move {
        app.as_coordinator().await;
        let waiting = app
            .gql_ok(
                "{ waitingList(first: 100) { totalCount edges { node { reference urgency waitingSince waitingDays answerDueOn referredAt matches(first: 3) { candidates { score } } } } } }",
                json!({}),
            )
            .await["waitingList"]
            .clone();
        let families = waiting["edges"].as_array().unwrap();
        let with_candidates = families
            .iter()
            .take(10)
            .filter(|e| {
                !e["node"]["matches"]["candidates"]
                    .as_array()
                    .unwrap()
                    .is_empty()
            })
            .count();
        assert!(
            with_candidates >= 8,
            "{with_candidates} of the first 10 waiting families have candidates: {waiting:#}"
        );
        let today = day(0);
        let waits_again = families.iter().any(|e| {
            let since = e["node"]["waitingSince"].as_str().unwrap();
            e["node"]["answerDueOn"].is_null()
                && since > &e["node"]["referredAt"].as_str().unwrap()[..10]
        });
        assert!(waits_again, "a family waits again: {waiting:#}");
        let overdue = families.iter().any(|e| {
            e["node"]["answerDueOn"]
                .as_str()
                .is_some_and(|due| due < today.as_str())
        });
        assert!(overdue, "a family is past its month: {waiting:#}");
        let stats = app
            .gql_ok(
                "{ networkStats { answeredWithin30Days answersPending } }",
                json!({}),
            )
            .await["networkStats"]
            .clone();
        assert!(
            stats["answeredWithin30Days"]
                .as_f64()
                .is_some_and(|r| r > 0.0),
            "families were answered within the month: {stats:#}"
        );
        let planned = app
            .gql_ok(
                "{ families(first: 100) { edges { node { plan { involvements { plannedStartOn } } } } } }",
                json!({}),
            )
            .await;
        assert!(
            planned
                .to_string()
                .contains(&format!("\"plannedStartOn\":\"{}\"", day(10))),
            "a buddy's start is planned ahead"
        );
    }
);

const STATUS_HISTORY: &str = "query($id: ID!) { family(id: $id) { statusHistory(first: 50) { totalCount edges { node { id from to cause step { to } } } } } }";

/// The family's status changes, oldest first, as `(from, to, cause, the
/// causing step's to)`.
async fn status_history(app: &TestApp, family: &Value) -> Vec<Value> {
    app.gql_ok(STATUS_HISTORY, json!({"id": family["id"]}))
        .await["family"]["statusHistory"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let n = &e["node"];
            json!([n["from"], n["to"], n["cause"], n["step"]["to"]])
        })
        .collect()
}

// Issue 22, "recorded on the timeline when it changes": each change of the
// derived status is on the family's status history, with what caused it;
// a step that leaves the status as it was adds nothing.
both_backends!(
    every_change_of_a_family_status_is_on_its_status_history_with_its_cause,
    |app| async move {
        app.as_coordinator().await;
        let family = family_referred(&app, "Fatima", "HIGH", 3).await;
        let referred = json!([null, "WAITING", "REFERRED", null]);
        assert_eq!(status_history(&app, &family).await, vec![referred.clone()]);

        let (amina, bram) = (
            helper(&app, "Amina", 2).await,
            helper(&app, "Bram", 2).await,
        );
        let first = propose(&app, &family, &amina).await;
        let second = propose(&app, &family, &bram).await;
        assert_eq!(
            status_history(&app, &family).await.len(),
            1,
            "a proposal changes nothing"
        );
        step(&app, "phaseIn", &first).await;
        let supported = json!(["WAITING", "SUPPORTED", "HELPER_PHASED_IN", "ACTIVE"]);
        assert_eq!(
            status_history(&app, &family).await,
            vec![referred.clone(), supported.clone()]
        );
        step(&app, "phaseIn", &second).await;
        step(&app, "startPhaseOut", &first).await;
        step(&app, "endInvolvement", &first).await;
        assert_eq!(
            status_history(&app, &family).await.len(),
            2,
            "a second helper in, and one of two out, leave the family SUPPORTED"
        );
        step(&app, "endInvolvement", &second).await;
        let waiting = json!(["SUPPORTED", "WAITING", "HELPER_ENDED", "ENDED"]);
        let plan = family_state(&app, &family).await["plan"]["id"].clone();
        for status in ["CRISIS", "CLOSED", "ACTIVE"] {
            app.gql_ok(
                &format!(
                    "mutation($p: ID!) {{ setPlanStatus(planId: $p, status: {status}) {{ id }} }}"
                ),
                json!({"p": plan}),
            )
            .await;
        }
        let history = status_history(&app, &family).await;
        assert_eq!(
            history,
            vec![
                referred,
                supported,
                waiting,
                json!(["WAITING", "CLOSED", "PLAN_CLOSED", null]),
                json!(["CLOSED", "WAITING", "PLAN_REOPENED", null]),
            ],
            "CRISIS left the family WAITING: no entry"
        );

        // A connection like the others: paged by cursor, each change a node.
        let page = app
            .gql_ok(
                "query($id: ID!) { family(id: $id) { statusHistory(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { id to } } } } }",
                json!({"id": family["id"]}),
            )
            .await["family"]["statusHistory"]
            .clone();
        assert_eq!(page["totalCount"], 5);
        assert_eq!(page["pageInfo"]["hasNextPage"], true);
        let rest = app
            .gql_ok(
                "query($id: ID!, $after: String) { family(id: $id) { statusHistory(first: 10, after: $after) { edges { node { to } } } } }",
                json!({"id": family["id"], "after": page["pageInfo"]["endCursor"]}),
            )
            .await["family"]["statusHistory"]["edges"]
            .clone();
        assert_eq!(
            rest,
            json!([{"node": {"to": "WAITING"}}, {"node": {"to": "CLOSED"}}, {"node": {"to": "WAITING"}}])
        );
        let change = &page["edges"][1]["node"];
        let node = app
            .gql_ok(
                "query($id: ID!) { node(id: $id) { ... on FamilyStatusChange { to cause family { reference } } } }",
                json!({"id": change["id"]}),
            )
            .await["node"]
            .clone();
        assert_eq!(
            node,
            json!({"to": "SUPPORTED", "cause": "HELPER_PHASED_IN", "family": {"reference": family["reference"]}})
        );
    }
);

both_backends!(
    a_family_status_history_is_read_as_its_status_and_erased_with_it,
    |app| async move {
        app.create_user("admin@example.org", api::Role::Admin, None)
            .await;
        app.as_coordinator().await;
        let family = family_referred(&app, "Fatima", "HIGH", 3).await;
        let other = family_referred(&app, "Noor", "NORMAL", 1).await;
        let buddy = helper(&app, "Amina", 2).await;
        let outsider = helper(&app, "Bram", 2).await;
        step(&app, "phaseIn", &propose(&app, &family, &buddy).await).await;
        step(&app, "phaseIn", &propose(&app, &other, &outsider).await).await;
        let change = app
            .gql_ok(STATUS_HISTORY, json!({"id": family["id"]}))
            .await["family"]["statusHistory"]["edges"][1]["node"]["id"]
            .clone();

        for (email, volunteer) in [
            ("amina@example.org", &buddy),
            ("bram@example.org", &outsider),
        ] {
            let (_, key) = api::parse_global_id(volunteer["id"].as_str().unwrap()).unwrap();
            app.create_user(email, api::Role::Volunteer, Some(key))
                .await;
        }
        let coordinator = app.token.clone();
        // Not on the plan: the change names nothing, the family is not there.
        app.login("bram@example.org").await;
        let seen = app
            .gql(
                "query($c: ID!, $f: ID!) { node(id: $c) { id } family(id: $f) { id } }",
                json!({"c": change, "f": family["id"]}),
            )
            .await;
        assert_eq!(
            seen["data"],
            json!({"node": null, "family": null}),
            "{seen:#}"
        );
        // Helping: the family is there, its status history is not (as its status).
        app.login("amina@example.org").await;
        let refused = app
            .gql(
                "query($c: ID!, $f: ID!) { node(id: $c) { id } family(id: $f) { displayName statusHistory { totalCount } } }",
                json!({"c": change, "f": family["id"]}),
            )
            .await;
        assert_eq!(refused["data"]["node"], Value::Null, "{refused:#}");
        assert_eq!(
            refused["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "{refused:#}"
        );
        assert_eq!(
            refused["errors"][0]["path"],
            json!(["family", "statusHistory"]),
            "{refused:#}"
        );

        app.token = coordinator;
        let exported = app
            .gql_ok(
                "query($f: ID!) { exportFamilyData(familyId: $f) }",
                json!({"f": family["id"]}),
            )
            .await;
        let exported: Value =
            serde_json::from_str(exported["exportFamilyData"].as_str().unwrap()).unwrap();
        let causes: Vec<&Value> = exported["family"]["statusHistory"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| &c["cause"])
            .collect();
        assert_eq!(causes, [&json!("REFERRED"), &json!("HELPER_PHASED_IN")]);
        app.login("admin@example.org").await;
        app.gql_ok(
            "mutation($f: ID!) { eraseFamily(familyId: $f, reason: \"asked\") { rowsAnonymised } }",
            json!({"f": family["id"]}),
        )
        .await;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let (_, key) = api::parse_global_id(family["id"].as_str().unwrap()).unwrap();
        let left = entity::family_status_change::Entity::find()
            .filter(entity::family_status_change::Column::FamilyId.eq(key))
            .all(&app.db)
            .await
            .unwrap();
        assert!(left.is_empty(), "{left:?}");
        let kept = app.gql_ok(STATUS_HISTORY, json!({"id": other["id"]})).await;
        assert_eq!(
            kept["family"]["statusHistory"]["totalCount"], 2,
            "another family's stays"
        );
        let gone = app
            .gql_ok(
                "query($c: ID!) { node(id: $c) { id } }",
                json!({"c": change}),
            )
            .await;
        assert_eq!(gone["node"], Value::Null);
    }
);

// Issue 22, finding 10 (one account per volunteer), kept by the database:
// requests at the same moment all pass the application's check; the unique
// index lets one through and the others get a CONFLICT on the field.
both_backends!(
    parallel_accounts_for_one_volunteer_give_one_account_and_conflicts,
    |app| async move {
        app.create_user("admin@example.org", api::Role::Admin, None)
            .await;
        app.login("admin@example.org").await;
        let volunteer = helper(&app, "Amina", 1).await;
        let create = "mutation($e: String!, $v: ID!) { createUser(input: {name: \"Amina\", email: $e, role: VOLUNTEER, password: \"long enough password\", volunteerId: $v}) { email } }";
        let attempts = (0..8).map(|i| {
            app.gql(
                create,
                json!({"e": format!("amina{i}@example.org"), "v": volunteer["id"]}),
            )
        });
        let answers = futures_util::future::join_all(attempts).await;
        let created = answers.iter().filter(|a| a["errors"].is_null()).count();
        assert_eq!(created, 1, "{answers:#?}");
        for refused in answers.iter().filter(|a| !a["errors"].is_null()) {
            let error = &refused["errors"][0];
            assert_eq!(error["extensions"]["code"], "CONFLICT", "{refused:#}");
            assert_eq!(
                error["extensions"]["field"], "input.volunteerId",
                "{refused:#}"
            );
        }
        let accounts = app
            .sql_number("SELECT COUNT(*) AS n FROM app_user WHERE role = 'VOLUNTEER'")
            .await;
        assert_eq!(accounts, 1);
    }
);

// Issue 22, finding 5 ("missingTrainings ... on exclusions"): the count of
// MISSING_REQUIRED_TRAINING says which modules keep how many volunteers out.
both_backends!(
    an_exclusion_for_missing_training_says_which_modules_keep_how_many_volunteers_out,
    |app| async move {
        app.as_coordinator().await;
        let mut input = family_input("Fatima");
        input["crisisTypes"] = json!(["CHILD_SAFETY_CONCERN", "NEWCOMER"]);
        let family = create_family(&app, input).await;
        let record = |volunteer: &Value, module: &str| {
            app.gql_ok(
                "mutation($id: ID!, $m: String!) { recordTraining(volunteerId: $id, module: $m, completedOn: \"2026-01-10\") { id } }",
                json!({"id": volunteer["id"], "m": module}),
            )
        };
        // Three with BASIC only, two with nothing, one with CHILD_SAFETY only,
        // one with both (a candidate), and one PAUSED without any (NOT_ACTIVE
        // first: not counted under the training).
        for name in ["Amina", "Bram", "Chloé"] {
            ready_volunteer(&app, name, volunteer_input(name)).await;
        }
        for name in ["Dirk", "Els"] {
            let mut input = volunteer_input(name);
            input["name"] = json!(name);
            create_volunteer(&app, input).await;
        }
        let mut input = volunteer_input("Fien");
        input["name"] = json!("Fien");
        let fien = create_volunteer(&app, input).await;
        record(&fien, "CHILD_SAFETY").await;
        let gert = ready_volunteer(&app, "Gert", volunteer_input("Gert")).await;
        record(&gert, "Kindveiligheid").await;
        let mut input = volunteer_input("Hanne");
        input["name"] = json!("Hanne");
        input["status"] = json!("PAUSED");
        create_volunteer(&app, input).await;

        let result = app
            .gql_ok(
                "query($f: ID!) { matchesForFamily(familyId: $f, first: 5) { candidates { volunteer { name } } excluded { reason count missingTrainings { module { code } volunteers } } } }",
                json!({"f": family["id"]}),
            )
            .await["matchesForFamily"]
            .clone();
        assert_eq!(
            result["candidates"],
            json!([{"volunteer": {"name": "Gert"}}])
        );
        assert_eq!(
            result["excluded"],
            json!([
                {"reason": "NOT_ACTIVE", "count": 1, "missingTrainings": []},
                {"reason": "MISSING_REQUIRED_TRAINING", "count": 6, "missingTrainings": [
                    {"module": {"code": "BASIC"}, "volunteers": 3},
                    {"module": {"code": "CHILD_SAFETY"}, "volunteers": 5},
                ]},
            ])
        );
    }
);
