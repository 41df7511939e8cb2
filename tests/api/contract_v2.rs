//! What contract v2 adds for client developers: identity for every object a
//! cache must normalise, connections for the lists that grow, codes next to
//! the sentences, the user's locale.

use serde_json::{Value, json};
use tests::both_backends;

use crate::fixtures::*;

/// The nodes of a connection.
fn nodes(connection: &Value) -> Vec<Value> {
    connection["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("not a connection: {connection:#}"))
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

both_backends!(
    steps_network_members_and_professionals_have_ids_that_node_resolves,
    |app| async move {
        app.as_coordinator().await;
        let v = ready_volunteer(&app, "Amina", volunteer_input("x")).await;
        let f = create_family(&app, family_input("Fatima")).await;
        let vars = json!({"f": f["id"], "v": v["id"]});
        app.gql_ok(
            "mutation($f: ID!, $v: ID!) {
               a: involveVolunteer(input: {familyId: $f, volunteerId: $v}) { id }
               b: involveNetworkMember(input: {familyId: $f, name: \"Tante Khadija\", relation: \"tante\", role: \"childcare\"}) { id }
               c: involveProfessional(input: {familyId: $f, name: \"Sofie\", organization: \"CAW\", role: \"point of contact\"}) { id }
             }",
            vars,
        )
        .await;
        let plan = app
            .gql_ok(
                "query($f: ID!) { family(id: $f) { plan {
                   timeline(first: 10) { edges { node { id to } } }
                   involvements { events { id } helper { __typename ... on NetworkMember { id name } ... on Professional { id name } } }
                 } } }",
                json!({"f": f["id"]}),
            )
            .await["family"]["plan"]
            .clone();
        let steps = nodes(&plan["timeline"]);
        assert_eq!(steps.len(), 3, "{plan:#}");
        let mut ids: Vec<Value> = steps.iter().map(|s| s["id"].clone()).collect();
        for involvement in plan["involvements"].as_array().unwrap() {
            assert!(ids.contains(&involvement["events"][0]["id"]), "{plan:#}");
            let helper = &involvement["helper"];
            if helper["__typename"] != "Volunteer" {
                assert!(helper["id"].is_string(), "{helper:#}");
                ids.push(helper["id"].clone());
            }
        }
        assert_eq!(ids.len(), 5, "{plan:#}");
        let unique: std::collections::BTreeSet<String> =
            ids.iter().map(|i| i.as_str().unwrap().to_owned()).collect();
        assert_eq!(unique.len(), 5, "IDs are unique: {ids:?}");
        for id in ids {
            let node = app
                .gql_ok(
                    "query($id: ID!) { node(id: $id) { __typename id ... on NetworkMember { name } ... on Professional { name } ... on InvolvementEvent { to } } }",
                    json!({"id": id}),
                )
                .await["node"]
                .clone();
            assert_eq!(node["id"], id, "{node:#}");
        }
    }
);

both_backends!(
    a_follow_up_worker_cannot_reach_a_network_member_through_node,
    |app| async move {
        let network = Network::build(&mut app).await;
        let member = app
            .gql_ok(
                "query($i: ID!) { node(id: $i) { ... on Involvement { helper { ... on NetworkMember { id } } } } }",
                json!({"i": network.network_involvements["active"]}),
            )
            .await["node"]["helper"]["id"]
            .clone();
        assert!(member.is_string());
        network.as_role(&mut app, "followup");
        let body = app
            .gql(
                "query($i: ID!) { node(id: $i) { id } }",
                json!({"i": member}),
            )
            .await;
        assert_eq!(body["data"]["node"], Value::Null, "{body:#}");
    }
);

/// Pages through `field` of `query` two at a time; every node, in order.
async fn page_through(app: &tests::TestApp, query: &str, path: &[&str], vars: Value) -> Vec<Value> {
    let mut seen = Vec::new();
    let mut after = Value::Null;
    for _ in 0..20 {
        let mut vars = vars.clone();
        vars["after"] = after.clone();
        let mut data = app.gql_ok(query, vars).await;
        for key in path {
            data = data[key].clone();
        }
        let total = data["totalCount"].as_i64().unwrap();
        let page = nodes(&data);
        assert!(page.len() <= 2, "{data:#}");
        seen.extend(page);
        if !data["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            assert_eq!(seen.len() as i64, total, "{data:#}");
            return seen;
        }
        after = data["pageInfo"]["endCursor"].clone();
    }
    panic!("did not end");
}

both_backends!(
    lists_that_grow_are_connections_that_page_to_the_end,
    |app| async move {
        let network = Network::build(&mut app).await;
        for name in ["Kraamzorg", "Thuiszorg"] {
            app.gql_ok(
                &format!("mutation {{ createFamilyCareService(input: {{name: \"{name}\", organization: \"Familiehulp\", kind: FAMILY_CARE, languages: [\"nl\"], serviceArea: [\"1000\"], lifeDomains: [HOUSEHOLD]}}) {{ id }} }}"),
                json!({}),
            )
            .await;
        }
        let services = page_through(
            &app,
            "query($after: String) { familyCareServices(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { name } } } }",
            &["familyCareServices"],
            json!({}),
        )
        .await;
        let names: Vec<&str> = services
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Gezinszorg", "Kraamzorg", "Thuiszorg"]);

        for _ in 0..2 {
            app.gql_ok(
                "mutation($v: ID!) { logCheckIn(input: {volunteerId: $v, kind: CALL, concern: HIGH, notes: \"worried\"}) { id } }",
                json!({"v": network.other_volunteer["id"]}),
            )
            .await;
        }
        let concerns = page_through(
            &app,
            "query($after: String) { openConcerns(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }",
            &["openConcerns"],
            json!({}),
        )
        .await;
        assert_eq!(concerns.len(), 3);
        assert_eq!(concerns[0]["id"], network.check_in);

        let involvements = page_through(
            &app,
            "query($v: ID!, $after: String) { volunteer(id: $v) { involvements(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id status } } } } }",
            &["volunteer", "involvements"],
            json!({"v": network.own["id"]}),
        )
        .await;
        assert_eq!(involvements.len(), 5);
        let proposed = app
            .gql_ok(
                "query($v: ID!) { volunteer(id: $v) { involvements(status: [PROPOSED]) { totalCount edges { node { id } } } } }",
                json!({"v": network.own["id"]}),
            )
            .await;
        assert_eq!(
            proposed["volunteer"]["involvements"]["edges"][0]["node"]["id"],
            network.own_involvements["proposed"]
        );
        assert_eq!(proposed["volunteer"]["involvements"]["totalCount"], 1);

        let timeline = page_through(
            &app,
            "query($p: ID!, $after: String) { node(id: $p) { ... on Plan { timeline(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { to } } } } } }",
            &["node", "timeline"],
            json!({"p": network.families["ended"]["plan"]["id"]}),
        )
        .await;
        let steps: Vec<&str> = timeline.iter().map(|s| s["to"].as_str().unwrap()).collect();
        // The network member's proposal, then the volunteer's whole way.
        assert_eq!(
            steps,
            ["PROPOSED", "PROPOSED", "ACTIVE", "PHASING_OUT", "ENDED"]
        );
    }
);

both_backends!(
    unassigned_families_say_why_with_a_code_and_a_sentence,
    |app| async move {
        app.as_coordinator().await;
        ready_volunteer(&app, "Amina", volunteer_input("x")).await;
        let mut input = family_input("Nobody speaks Tigrinya");
        input["languages"] = json!([{"language": "ti", "level": "NATIVE"}]);
        input["preferredLanguage"] = json!("ti");
        let f = create_family(&app, input).await;
        let plan = app
            .gql_ok(
                "query($f: [ID!]) { suggestAssignments(familyIds: $f) { unassigned { family { id } reason detail } } }",
                json!({"f": [f["id"]]}),
            )
            .await["suggestAssignments"]
            .clone();
        let unassigned = &plan["unassigned"][0];
        assert_eq!(unassigned["family"]["id"], f["id"]);
        assert_eq!(unassigned["reason"], "NO_ELIGIBLE_VOLUNTEER", "{plan:#}");
        assert!(
            unassigned["detail"]
                .as_str()
                .unwrap()
                .contains("gemeenschappelijke taal"),
            "Dutch by default: {plan:#}"
        );
    }
);

both_backends!(
    every_match_reason_has_a_criterion_a_code_and_the_sentence_of_the_explanation,
    |app| async move {
        app.as_coordinator().await;
        ready_volunteer(&app, "Amina", volunteer_input("x")).await;
        let f = create_family(&app, family_input("Fatima")).await;
        let candidate = app
            .gql_ok(
                "query($f: ID!) { matchesForFamily(familyId: $f) { candidates { explanation reasons { criterion code text } } } }",
                json!({"f": f["id"]}),
            )
            .await["matchesForFamily"]["candidates"][0]
            .clone();
        let reasons = candidate["reasons"].as_array().unwrap();
        let criteria: Vec<&str> = reasons
            .iter()
            .map(|r| r["criterion"].as_str().unwrap())
            .collect();
        assert_eq!(
            criteria,
            ["LANGUAGE", "LOCATION", "AVAILABILITY", "CRISIS_TYPE"]
        );
        let codes: Vec<&str> = reasons
            .iter()
            .map(|r| r["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            [
                "SPEAKS_PREFERRED_LANGUAGE",
                "WITHIN_TRAVEL_DISTANCE",
                "TIME_IN_COMMON",
                "SOME_NEEDS_KNOWN"
            ]
        );
        let texts: Vec<Value> = reasons.iter().map(|r| r["text"].clone()).collect();
        assert_eq!(Value::from(texts), candidate["explanation"]);
        assert!(
            candidate["explanation"][0]
                .as_str()
                .unwrap()
                .contains("Arabisch"),
            "{candidate:#}"
        );
    }
);

both_backends!(languages_have_their_english_name, |app| async move {
    app.as_coordinator().await;
    let v = create_volunteer(&app, volunteer_input("Amina")).await;
    let languages = app
        .gql_ok(
            "query($v: ID!) { volunteer(id: $v) { languages { language { code name nameNl nameFr nameEn } } } }",
            json!({"v": v["id"]}),
        )
        .await["volunteer"]["languages"]
        .clone();
    assert_eq!(
        languages[0]["language"],
        json!({"code": "ar", "name": "Arabisch", "nameNl": "Arabisch", "nameFr": "arabe", "nameEn": "Arabic"})
    );
});

both_backends!(
    a_user_chooses_their_locale_and_keeps_it_across_sessions,
    |app| async move {
        app.as_coordinator().await;
        let me = app.gql_ok("{ me { id locale } }", json!({})).await;
        assert_eq!(me["me"]["locale"], "NL");
        let set = app
            .gql_ok(
                "mutation { setMyLocale(locale: FR) { id locale } }",
                json!({}),
            )
            .await;
        assert_eq!(set["setMyLocale"]["locale"], "FR");
        assert_eq!(set["setMyLocale"]["id"], me["me"]["id"]);
        app.login("coordinator@example.org").await;
        let me = app.gql_ok("{ me { locale } }", json!({})).await;
        assert_eq!(me["me"]["locale"], "FR");
        let bad = app
            .gql_err("mutation { setMyLocale(locale: DE) { id } }", json!({}))
            .await;
        assert_eq!(bad["extensions"]["code"], "BAD_USER_INPUT", "{bad:#}");
        let signed_out = tests::TestApp::detached(&app);
        let body = signed_out
            .gql("mutation { setMyLocale(locale: EN) { id } }", json!({}))
            .await;
        assert_eq!(error_codes(&body), ["UNAUTHENTICATED"], "{body:#}");
    }
);
