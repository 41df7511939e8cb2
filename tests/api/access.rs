//! The role matrix, generated from the access policy and the served schema:
//! every field of every object type, read from a record at each relationship
//! the policy knows (for a volunteer: their own, PROPOSED, ACTIVE,
//! PHASING_OUT, ENDED, DECLINED, none; for follow-up staff: followed or not,
//! a volunteer's or not), as every role; every root field as every role; and
//! every input field a role is limited on. Plus the findings of issue 20.

use api::policy::{self, Decision};
use serde_json::{Value, json};
use tests::{TestApp, both_backends};

use crate::{fixtures::*, policy::*};

/// Compares what each role gets with what the table says, for every field
/// of every node type (read with `node(id:)` from each anchor) and of every
/// type a walk from them or from the root reaches.
async fn object_fields(app: &mut TestApp, network: &Network, schema: &Schema) -> Vec<String> {
    let mut failures = Vec::new();
    let anchors = network.anchors(app).await;
    let mut checks = 0;
    for anchor in &anchors {
        let query = format!(
            "query Node($id: ID!) {{ node(id: $id) {{ ... on {} {{ {} }} }} }}",
            anchor.ty,
            all_fields(schema, anchor.ty)
        );
        let walk = Walk {
            start: anchor.ty.to_owned(),
            steps: Vec::new(),
            reaches: anchor.ty.to_owned(),
        };
        for (i, role) in ROLES.iter().enumerate() {
            network.as_role(app, role);
            let body = app.gql(&query, json!({"id": anchor.id})).await;
            for field in schema.objects[anchor.ty]
                .iter()
                .filter(|f| f.required_args.is_empty())
            {
                checks += 1;
                let want = expected(role_of(role), &walk, &field.name, Some(anchor.relations[i]));
                let got = observed(&body, "node", &field_path(&walk, &field.name));
                if got != Ok(want) {
                    failures.push(format!(
                        "{role} reading {}.{} of {}: expected {want:?}, got {got:?}: {body}",
                        anchor.ty, field.name, anchor.label
                    ));
                }
            }
        }
    }
    for walk in schema.walks() {
        let selection = format!("__typename {}", all_fields(schema, &walk.reaches));
        let (query, vars) = document(schema, network, &walk, &selection);
        let starts: Vec<Option<&Anchor>> = if walk.start == "Query" {
            vec![None]
        } else {
            anchors
                .iter()
                .filter(|a| a.ty == walk.start)
                .map(Some)
                .collect()
        };
        let every_anchor = depends_on_record(schema, &walk);
        let mut tried = 0;
        for anchor in starts {
            let mut vars = vars.clone();
            if let Some(anchor) = anchor {
                vars["id"] = anchor.id.clone();
            }
            network.as_role(app, "admin");
            let probe = app.gql(&query, vars.clone()).await;
            if !reached(&probe["data"], &walk) {
                continue;
            }
            tried += 1;
            let root = if walk.start == "Query" {
                walk.steps[0].field.as_str()
            } else {
                "node"
            };
            for (i, role) in ROLES.iter().enumerate() {
                network.as_role(app, role);
                let body = app.gql(&query, vars.clone()).await;
                for field in schema.objects[&walk.reaches]
                    .iter()
                    .filter(|f| f.required_args.is_empty())
                {
                    checks += 1;
                    let relation = anchor.map(|a| a.relations[i]);
                    let want = expected(role_of(role), &walk, &field.name, relation);
                    let got = observed(&body, root, &field_path(&walk, &field.name));
                    let agrees = match want {
                        Outcome::Figure => got == Ok(Outcome::Read),
                        want => got == Ok(want),
                    };
                    if !agrees {
                        failures.push(format!(
                            "{role} reading {}.{} through {:?} from {}: expected {want:?}, got {got:?}: {body}",
                            walk.reaches,
                            field.name,
                            walk.steps.iter().map(|s| format!("{}.{}", s.on, s.field)).collect::<Vec<_>>(),
                            anchor.map_or("the root", |a| a.label.as_str()),
                        ));
                    }
                }
            }
            if !every_anchor {
                break;
            }
        }
        if tried == 0 {
            failures.push(format!(
                "no record reaches {} through {walk:?}",
                walk.reaches
            ));
        }
    }
    eprintln!("role matrix: {checks} field readings compared with the policy");
    failures
}

/// Every root field as every role: refused where the role alone refuses,
/// and not refused where it does not (the arguments name nothing, so no
/// write happens). `logout` last.
async fn root_fields(app: &mut TestApp, network: &Network, schema: &Schema) -> Vec<String> {
    let mut failures = Vec::new();
    for (root, keyword) in [("Query", "query"), ("Mutation", "mutation")] {
        for field in &schema.objects[root] {
            if field.name == "logout" {
                continue;
            }
            let selection = if field.ty.composite() {
                " { __typename } }"
            } else {
                " }"
            };
            let (head, vars) = operation(keyword, field, |_, t| schema.harmless(t));
            let query = format!("{head}{selection}");
            for role in ROLES {
                network.as_role(app, role);
                let body = app.gql(&query, vars.clone()).await;
                let codes = error_codes(&body);
                let refused = codes.iter().any(|c| c == "FORBIDDEN");
                let want = root_decision(root, &field.name, role_of(role)) == Decision::Deny;
                if refused != want || codes.iter().any(|c| c == "INTERNAL") {
                    failures.push(format!(
                        "{role} on {root}.{}: expected refused={want}: {body}",
                        field.name
                    ));
                }
            }
        }
    }
    for field in &schema.objects["Subscription"] {
        for role in ROLES {
            if root_decision("Subscription", &field.name, role_of(role)) != Decision::Deny {
                continue;
            }
            network.as_role(app, role);
            let query = format!("subscription {{ {} {{ __typename }} }}", field.name);
            let mut socket = crate::socket::subscribe(app, &query, json!({})).await;
            let message = crate::socket::next_json(&mut socket).await;
            if message["payload"][0]["extensions"]["code"] != "FORBIDDEN" {
                failures.push(format!("{role} subscribing to {}: {message}", field.name));
            }
        }
    }
    for role in ROLES {
        network.as_role(app, role);
        let body = app.gql("mutation { logout }", json!({})).await;
        if body["data"]["logout"] != true {
            failures.push(format!("{role} logging out: {body}"));
        }
    }
    failures
}

/// Every input field a role is limited on, as every role: the filters of
/// `families` and what `updateVolunteer` may change (on the VOLUNTEER's own
/// record; `expectedVersion: -1` keeps anything from being written).
async fn input_fields(app: &mut TestApp, network: &Network, schema: &Schema) -> Vec<String> {
    let mut failures = Vec::new();
    for rule in policy::POLICY
        .iter()
        .filter(|r| r.ty == "FamilyFilter" || r.ty == "UpdateVolunteerInput")
    {
        let Some((_, ty)) = schema.inputs[rule.ty].iter().find(|(f, _)| f == rule.field) else {
            continue;
        };
        let value = match (rule.field, ty.named.as_str()) {
            ("home", _) => json!({"postalCode": "1000"}),
            ("email", _) => json!("new@example.org"),
            (_, "String") => json!("x"),
            (_, "Int") => json!(1),
            (_, "Float") => json!(5.0),
            _ => schema.harmless(ty),
        };
        let (query, vars) = if rule.ty == "FamilyFilter" {
            (
                "query($f: FamilyFilter) { families(filter: $f) { totalCount } }",
                json!({"f": {rule.field: value}}),
            )
        } else {
            (
                "mutation($v: ID!, $i: UpdateVolunteerInput!) { updateVolunteer(id: $v, input: $i, expectedVersion: -1) { id } }",
                json!({"v": network.own["id"], "i": {rule.field: value}}),
            )
        };
        for (i, role) in ROLES.iter().enumerate() {
            network.as_role(app, role);
            let body = app.gql(query, vars.clone()).await;
            let refused = error_codes(&body).iter().any(|c| c == "FORBIDDEN");
            let root = if rule.ty == "FamilyFilter" {
                "families"
            } else {
                "updateVolunteer"
            };
            let want = rule.roles[i].never()
                || root_decision(
                    if rule.ty == "FamilyFilter" {
                        "Query"
                    } else {
                        "Mutation"
                    },
                    root,
                    role_of(role),
                ) == Decision::Deny;
            if refused != want {
                failures.push(format!(
                    "{role} using {}.{}: expected refused={want}: {body}",
                    rule.ty, rule.field
                ));
            }
        }
    }
    failures
}

both_backends!(
    every_role_reads_every_field_exactly_as_the_policy_says,
    |app| async move {
        let mut network = Network::build(&mut app).await;
        network.add_untrained_volunteer(&app).await;
        let schema = Schema::of(&app).await;
        let mut failures = object_fields(&mut app, &network, &schema).await;
        failures.extend(input_fields(&mut app, &network, &schema).await);
        failures.extend(root_fields(&mut app, &network, &schema).await);
        assert!(
            failures.is_empty(),
            "{} mismatches with api/src/auth/policy.rs:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
);

// Issue 20, finding 1: a volunteer read the goals and helpers of plans they
// were only proposed for, had declined or had left.
both_backends!(
    a_volunteer_reads_the_plans_they_help_on_now_and_nothing_of_the_others,
    |app| async move {
        let network = Network::build(&mut app).await;
        network.as_role(&mut app, "volunteer");
        let body = app
            .gql(
                "{ me { volunteer { involvements { edges { node { id status role plan { goals { description } involvements { role status } } } } } } } }",
                json!({}),
            )
            .await;
        let involvements = body["data"]["me"]["volunteer"]["involvements"]["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("{body:#}"));
        assert_eq!(involvements.len(), 5, "{body:#}");
        for edge in involvements {
            let involvement = &edge["node"];
            let plan = &involvement["plan"];
            match involvement["status"].as_str().unwrap() {
                "ACTIVE" | "PHASING_OUT" => {
                    assert!(plan["goals"][0]["description"].is_string(), "{body:#}");
                    assert!(!plan["involvements"].as_array().unwrap().is_empty());
                }
                _ => assert!(plan.is_null(), "{involvement:#}"),
            }
        }
        assert_eq!(
            error_codes(&body),
            vec!["FORBIDDEN"; 3],
            "the plans of the PROPOSED, ENDED and DECLINED involvements: {body:#}"
        );
        let text = body.to_string();
        for goal in ["Goal of proposed", "Goal of ended", "Goal of declined"] {
            assert!(!text.contains(goal), "{goal}: {body:#}");
        }

        // The other helpers of a plan they are on: their roles, never who they are.
        let helpers = app
            .gql(
                "{ me { volunteer { involvements { edges { node { plan { involvements { role helper { __typename ... on Volunteer { name } ... on NetworkMember { name relation } ... on Professional { name organization } } } } } } } } } }",
                json!({}),
            )
            .await;
        assert!(
            error_codes(&helpers).iter().all(|c| c == "FORBIDDEN"),
            "{helpers:#}"
        );
        let text = helpers.to_string();
        for secret in ["Tante Khadija", "Other volunteer", "Sofie"] {
            assert!(!text.contains(secret), "{secret}: {helpers:#}");
        }

        // Enough of a family they are proposed to to decide, and no more.
        let vars = json!({
            "proposed": network.families["proposed"]["id"],
            "ended": network.families["ended"]["id"],
            "plan": network.families["ended"]["plan"]["id"],
            "goal": network.goals["ended"],
        });
        let proposed = app
            .gql_ok(
                "query($proposed: ID!) { family(id: $proposed) { displayName languages { level } children { ageYears } neededAvailability { day } home { municipality } } }",
                vars.clone(),
            )
            .await;
        assert_eq!(proposed["family"]["displayName"], "Family proposed");
        let refused = app
            .gql_err(
                "query($proposed: ID!) { family(id: $proposed) { crisisTypes } }",
                vars.clone(),
            )
            .await;
        assert_eq!(refused["extensions"]["code"], "FORBIDDEN");
        let gone = app
            .gql_ok(
                "query($ended: ID!, $plan: ID!, $goal: ID!) { family(id: $ended) { id } plan: node(id: $plan) { id } goal: node(id: $goal) { id } }",
                vars,
            )
            .await;
        assert_eq!(gone, json!({"family": null, "plan": null, "goal": null}));
    }
);

// Issue 20, finding 2: filters answered what the fields they filter on hide.
both_backends!(
    filtering_on_a_field_the_viewer_may_not_read_is_forbidden,
    |app| async move {
        let network = Network::build(&mut app).await;
        network.as_role(&mut app, "followup");
        for filter in [
            json!({"crisisType": "HOUSING"}),
            json!({"urgency": ["HIGH"]}),
            json!({"status": ["WAITING"]}),
        ] {
            let body = app
                .gql("query($f: FamilyFilter) { families(filter: $f) { totalCount edges { node { id } } } }", json!({"f": filter}))
                .await;
            assert_eq!(error_codes(&body), vec!["FORBIDDEN"], "{filter}: {body:#}");
            assert!(body["data"]["families"].is_null(), "{body:#}");
            let field = filter.as_object().unwrap().keys().next().unwrap().clone();
            assert_eq!(
                body["errors"][0]["extensions"]["field"],
                format!("filter.{field}")
            );
        }
        let count = |body: Value| body["families"]["totalCount"].clone();
        let by_name = json!({"f": {"search": "Family other"}});
        let query = "query($f: FamilyFilter) { families(filter: $f) { totalCount } }";
        assert_eq!(count(app.gql_ok(query, by_name.clone()).await), 1);
        let reference = json!({"f": {"search": network.families["other"]["reference"]}});
        assert_eq!(
            count(app.gql_ok(query, reference.clone()).await),
            1,
            "follow-up staff read references"
        );

        network.as_role(&mut app, "volunteer");
        let proposed = json!({"f": {"search": "Family proposed"}});
        assert_eq!(count(app.gql_ok(query, proposed).await), 1);
        let reference = json!({"f": {"search": network.families["proposed"]["reference"]}});
        assert_eq!(
            count(app.gql_ok(query, reference).await),
            0,
            "a volunteer may not read references, so a search does not match them"
        );
    }
);

// Issue 20, finding 3: any signed-in role could register a family.
both_backends!(only_staff_register_families, |app| async move {
    let network = Network::build(&mut app).await;
    let before = count_families(&app).await;
    for role in ["followup", "volunteer"] {
        network.as_role(&mut app, role);
        let body = app
            .gql(CREATE_FAMILY, json!({"input": family_input("Walk-in")}))
            .await;
        assert_eq!(error_codes(&body), vec!["FORBIDDEN"], "{role}: {body:#}");
    }
    network.as_role(&mut app, "coordinator");
    assert_eq!(count_families(&app).await, before, "nothing was written");
    let waiting = app
        .gql_ok(
            "{ waitingList(first: 100) { edges { node { displayName } } } }",
            json!({}),
        )
        .await;
    assert!(!waiting.to_string().contains("Walk-in"), "{waiting:#}");
});

// Issue 20, finding 5: follow-up staff read why a volunteer left a family
// they do not follow.
both_backends!(
    follow_up_staff_read_no_step_reasons_of_families_they_do_not_follow,
    |app| async move {
        let network = Network::build(&mut app).await;
        network.as_role(&mut app, "followup");
        let body = app
            .gql(
                "query($v: ID!) { volunteer(id: $v) { involvements { edges { node { status events { to reason } } } } } }",
                json!({"v": network.own["id"]}),
            )
            .await;
        let text = body.to_string();
        assert!(!text.contains("woman buddy"), "{body:#}");
        assert!(!text.contains("no time"), "{body:#}");
        assert!(!error_codes(&body).is_empty());
        assert!(
            error_codes(&body).iter().all(|c| c == "FORBIDDEN"),
            "{body:#}"
        );
        assert!(
            text.contains("lives close"),
            "the proposals to families they follow keep their reason: {body:#}"
        );
        let ended = app
            .gql(
                "query($i: ID!) { node(id: $i) { ... on Involvement { status events { reason } } } }",
                json!({"i": network.own_involvements["ended"]}),
            )
            .await;
        assert!(!ended.to_string().contains("woman buddy"), "{ended:#}");
    }
);
