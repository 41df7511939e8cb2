use chrono::Datelike;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use tests::both_backends;

use crate::fixtures::*;

both_backends!(
    creating_a_family_gives_a_reference_and_its_one_plan,
    |app| async move {
        app.as_coordinator().await;
        let f = create_family(&app, family_input("Fatima")).await;
        let year = chrono::Utc::now().year();
        assert_eq!(f["reference"], format!("G-{year}-0001"));
        assert_eq!(f["displayName"], "Fatima");
        assert_eq!(f["status"], "WAITING");
        assert_eq!(f["urgency"], "HIGH");
        assert_eq!(f["waitingDays"], 0);
        assert_eq!(f["preferredLanguage"]["code"], "ar");
        assert_eq!(f["languages"][1]["language"]["code"], "fr");
        assert_eq!(f["home"]["municipality"], "Anderlecht");
        assert_eq!(f["children"], json!([{"ageYears": 3}, {"ageYears": 7}]));
        assert_eq!(
            f["crisisTypes"],
            json!(["PARENTING_STRESS", "NEWCOMER", "HOUSING"])
        );
        assert_eq!(f["plan"]["status"], "DRAFT");
        assert_eq!(f["plan"]["goals"], json!([]));
        assert_eq!(f["plan"]["involvements"], json!([]));
        assert_eq!(f["plan"]["timeline"]["totalCount"], 0);
        assert_eq!(f["plan"]["family"]["id"], f["id"]);
        let second = create_family(&app, family_input("Karim")).await;
        assert_eq!(second["reference"], format!("G-{year}-0002"));
        let plan = app
            .gql_ok(
                "query($id: ID!) { node(id: $id) { ... on Plan { family { displayName } } } }",
                json!({"id": f["plan"]["id"]}),
            )
            .await;
        assert_eq!(plan["node"]["plan"], Value::Null);
        assert_eq!(plan["node"]["family"]["displayName"], "Fatima");
    }
);

both_backends!(a_second_plan_for_a_family_is_impossible, |app| async move {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
    app.as_coordinator().await;
    let f = create_family(&app, family_input("Fatima")).await;
    let (_, family_id) = api::parse_global_id(f["id"].as_str().unwrap()).unwrap();
    let now = chrono::Utc::now();
    let second = entity::plan::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        family_id: Set(family_id),
        status: Set(entity::vocabulary::PlanStatus::Draft),
        point_of_contact: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&app.db)
    .await;
    assert!(
        second.is_err(),
        "the unique constraint must refuse a second plan"
    );
    assert_eq!(
        entity::plan::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        1
    );
});

both_backends!(
    bad_family_input_is_bad_input_and_writes_nothing,
    |app| async move {
        app.as_coordinator().await;
        let cases: Vec<(&str, Value, &str)> = vec![
            ("displayName", json!(""), "input.displayName"),
            ("childrenAges", json!([4, 30]), "input.childrenAges[1]"),
            ("childrenAges", json!([-1]), "input.childrenAges[0]"),
            (
                "preferredLanguage",
                json!("Turkish"),
                "input.preferredLanguage",
            ),
            (
                "preferredLanguage",
                json!("Klingon"),
                "input.preferredLanguage",
            ),
            (
                "languages",
                json!([{"language": "Quenya", "level": "BASIC"}]),
                "input.languages[0].language",
            ),
            (
                "home",
                json!({"postalCode": "12345"}),
                "input.home.postalCode",
            ),
            (
                "neededAvailability",
                json!([{"day": "FRIDAY", "start": "18:00", "end": "17:00"}]),
                "input.neededAvailability[0]",
            ),
            (
                "referredAt",
                json!("2999-01-01T00:00:00Z"),
                "input.referredAt",
            ),
        ];
        for (key, value, field) in cases {
            let mut input = family_input("Bad");
            input[key] = value;
            let error = app.gql_err(CREATE_FAMILY, json!({"input": input})).await;
            assert_bad_input(&error, field);
        }
        assert_eq!(count_families(&app).await, 0);
        let f = create_family(&app, family_input("Good")).await;
        let year = chrono::Utc::now().year();
        assert_eq!(
            f["reference"],
            format!("G-{year}-0001"),
            "failed attempts used no reference number"
        );
    }
);

const UPDATE: &str = "mutation($id: ID!, $input: UpdateFamilyInput!, $v: Int) {
  updateFamily(id: $id, input: $input, expectedVersion: $v) {
    version displayName urgency children { ageYears } preferredLanguage { code } languages { language { code } }
  }
}";

both_backends!(
    family_updates_check_the_version_and_keep_the_preferred_language_consistent,
    |app| async move {
        app.as_coordinator().await;
        let f = create_family(&app, family_input("Fatima")).await;
        let data = app
        .gql_ok(UPDATE, json!({"id": f["id"], "v": 1, "input": {"urgency": "CRISIS", "childrenAges": [4, 8, 12]}}))
        .await;
        assert_eq!(data["updateFamily"]["version"], 2);
        assert_eq!(data["updateFamily"]["urgency"], "CRISIS");
        assert_eq!(
            data["updateFamily"]["children"],
            json!([{"ageYears": 4}, {"ageYears": 8}, {"ageYears": 12}])
        );
        let error = app
            .gql_err(
                UPDATE,
                json!({"id": f["id"], "v": 1, "input": {"displayName": "Lost"}}),
            )
            .await;
        assert_eq!(error["extensions"]["code"], "CONFLICT");
        let data = app
        .gql_ok(UPDATE, json!({"id": f["id"], "input": {"languages": [{"language": "fr", "level": "FLUENT"}]}}))
        .await;
        assert!(
            data["updateFamily"]["preferredLanguage"].is_null(),
            "Arabic is no longer one of the languages"
        );
        let error = app
            .gql_err(
                UPDATE,
                json!({"id": f["id"], "input": {"preferredLanguage": "nl"}}),
            )
            .await;
        assert_bad_input(&error, "input.preferredLanguage");
        let error = app
            .gql_err(
                UPDATE,
                json!({"id": f["id"], "input": {"childrenAges": [26]}}),
            )
            .await;
        assert_bad_input(&error, "input.childrenAges[0]");
        let now = app
            .gql_ok(
                "query($id: ID!) { family(id: $id) { version displayName } }",
                json!({"id": f["id"]}),
            )
            .await;
        assert_eq!(now["family"]["version"], 3);
    }
);

both_backends!(
    the_waiting_list_puts_crises_first_then_the_longest_waiting,
    |app| async move {
        app.as_coordinator().await;
        let days_ago = |d: i64| (chrono::Utc::now() - chrono::Duration::days(d)).to_rfc3339();
        for (name, urgency, waited) in [
            ("Normal old", "NORMAL", 40),
            ("High new", "HIGH", 2),
            ("Crisis new", "CRISIS", 1),
            ("High old", "HIGH", 20),
            ("Crisis old", "CRISIS", 5),
        ] {
            let mut input = family_input(name);
            input["urgency"] = json!(urgency);
            input["referredAt"] = json!(days_ago(waited));
            create_family(&app, input).await;
        }
        let data = app
            .gql_ok(
                "{ waitingList { edges { node { displayName waitingDays } } } }",
                json!({}),
            )
            .await;
        let names: Vec<&str> = data["waitingList"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["node"]["displayName"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            vec![
                "Crisis old",
                "Crisis new",
                "High old",
                "High new",
                "Normal old"
            ]
        );
        assert_eq!(data["waitingList"]["edges"][4]["node"]["waitingDays"], 40);
        let two = app
            .gql_ok(
                "{ waitingList(first: 2) { edges { node { displayName } } } }",
                json!({}),
            )
            .await;
        assert_eq!(two["waitingList"]["edges"].as_array().unwrap().len(), 2);
    }
);

both_backends!(
    families_filter_by_status_urgency_crisis_type_and_search,
    |app| async move {
        app.as_coordinator().await;
        for (name, urgency, crisis) in [
            ("Fatima", "HIGH", "HOUSING"),
            ("Karim", "NORMAL", "FINANCIAL"),
            ("Fatma", "CRISIS", "HOUSING"),
        ] {
            let mut input = family_input(name);
            input["urgency"] = json!(urgency);
            input["crisisTypes"] = json!([crisis]);
            create_family(&app, input).await;
        }
        let q = "query($filter: FamilyFilter) { families(filter: $filter) { totalCount edges { node { displayName reference } } } }";
        let count = |v: &Value| v["families"]["totalCount"].as_i64().unwrap();
        assert_eq!(
            count(
                &app.gql_ok(q, json!({"filter": {"status": ["WAITING"]}}))
                    .await
            ),
            3
        );
        assert_eq!(
            count(
                &app.gql_ok(q, json!({"filter": {"status": ["SUPPORTED"]}}))
                    .await
            ),
            0
        );
        assert_eq!(
            count(
                &app.gql_ok(q, json!({"filter": {"urgency": ["CRISIS", "HIGH"]}}))
                    .await
            ),
            2
        );
        assert_eq!(
            count(
                &app.gql_ok(q, json!({"filter": {"crisisType": "HOUSING"}}))
                    .await
            ),
            2
        );
        let karim = app.gql_ok(q, json!({"filter": {"search": "karim"}})).await;
        assert_eq!(count(&karim), 1);
        let reference = karim["families"]["edges"][0]["node"]["reference"].clone();
        assert_eq!(
            count(
                &app.gql_ok(q, json!({"filter": {"search": reference}}))
                    .await
            ),
            1
        );
    }
);

both_backends!(
    a_page_of_families_with_plans_languages_and_children_costs_a_bounded_number_of_statements,
    |app| async move {
        app.as_coordinator().await;
        for i in 0..25 {
            create_family(&app, family_input(&format!("Family {i}"))).await;
        }
        let q = "query($n: Int) { families(first: $n) { totalCount edges { node { reference languages { language { code } level } children { ageYears } plan { status goals { id } involvements { id } } } } } }";
        let mut costs = Vec::new();
        for n in [5, 20] {
            let (fewest, data) = app.fewest_statements(q, json!({"n": n})).await;
            assert_eq!(data["families"]["edges"].as_array().unwrap().len(), n);
            costs.push(fewest);
        }
        eprintln!(
            "SQL statements for a page of 5 families: {}, of 20: {}",
            costs[0], costs[1]
        );
        assert_eq!(
            costs[0], costs[1],
            "statement count must not grow with the page size"
        );
        // session, count, page, languages, children, plans, goals, involvements, audit insert
        assert!(
            costs[1] <= 9,
            "a 20-family page took {} statements",
            costs[1]
        );
    }
);

both_backends!(
    a_page_reads_each_familys_own_plan_children_and_languages,
    |app| async move {
        app.as_coordinator().await;
        let codes = ["nl", "fr", "tr", "ro"];
        let mut created = Vec::new();
        for (i, code) in codes.iter().enumerate() {
            let mut input = family_input(&format!("Family {i}"));
            input["languages"] = json!([{"language": code, "level": "NATIVE"}]);
            input["preferredLanguage"] = json!(code);
            input["childrenAges"] = json!([i, i + 10]);
            created.push(create_family(&app, input).await);
        }
        // Two overlapping pages in one document: every family gets its own rows.
        let q = "{ a: families(first: 2) { edges { node { id
                   languages { language { code } } children { ageYears } plan { id family { id } } } } }
                 b: families(first: 4) { ...Page } }
                 fragment Page on FamilyConnection { edges { node { id
                   languages { language { code } } children { ageYears } plan { id family { id } } } } }";
        let data = app.gql_ok(q, json!({})).await;
        for page in ["a", "b"] {
            let nodes: Vec<&Value> = data[page]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| &e["node"])
                .collect();
            for node in nodes {
                let family = created.iter().find(|f| f["id"] == node["id"]).unwrap();
                let i = created.iter().position(|f| f["id"] == node["id"]).unwrap();
                assert_eq!(node["languages"], json!([{"language": {"code": codes[i]}}]));
                assert_eq!(
                    node["children"],
                    json!([{"ageYears": i}, {"ageYears": i + 10}])
                );
                assert_eq!(node["plan"]["id"], family["plan"]["id"]);
                assert_eq!(node["plan"]["family"]["id"], node["id"]);
            }
        }
        assert_eq!(data["b"]["edges"].as_array().unwrap().len(), 4);
    }
);

both_backends!(
    families_are_read_from_the_database_while_the_register_cannot_vouch_for_them,
    |app| async move {
        app.as_coordinator().await;
        let register = "tandem_family_register_families";
        let anouk = create_family(&app, family_input("Anouk")).await;
        create_family(&app, family_input("Bilal")).await;
        assert_eq!(app.metric(register).await, 2.0);
        let names = || async {
            let page = app
                .gql_ok("{ families { edges { node { displayName } } } }", json!({}))
                .await;
            page["families"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["displayName"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        };

        // A family whose plan row is gone cannot be read into the register:
        // the write below commits, but reading the family back fails.
        app.db
            .execute_unprepared(
                "CREATE TABLE plan_aside AS SELECT * FROM plan WHERE family_id IN \
                 (SELECT id FROM family WHERE display_name = 'Anouk')",
            )
            .await
            .unwrap();
        app.db
            .execute_unprepared("DELETE FROM plan WHERE id IN (SELECT id FROM plan_aside)")
            .await
            .unwrap();
        let updated = app
            .gql_ok(
                "mutation($id: ID!) { updateFamily(id: $id, input: {displayName: \"Anouk B.\"}) { displayName } }",
                json!({"id": anouk["id"]}),
            )
            .await;
        assert_eq!(updated["updateFamily"]["displayName"], "Anouk B.");
        // The register no longer vouches for anything: reads go to the database.
        assert_eq!(app.metric(register).await, 0.0);
        assert_eq!(names().await, ["Anouk B.", "Bilal"]);

        // The plan back: a reload in the background succeeds, and the register
        // serves again, with the change.
        app.db
            .execute_unprepared("INSERT INTO plan SELECT * FROM plan_aside")
            .await
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while app.metric(register).await != 2.0 {
            assert!(
                std::time::Instant::now() < deadline,
                "the register was not reloaded"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(names().await, ["Anouk B.", "Bilal"]);
        let plan = app
            .gql_ok(
                "query($id: ID!) { family(id: $id) { plan { status } } }",
                json!({"id": anouk["id"]}),
            )
            .await;
        assert_eq!(plan["family"]["plan"]["status"], "DRAFT");
    }
);
