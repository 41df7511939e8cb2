use serde_json::{Value, json};
use tests::both_backends;

use crate::fixtures::*;

both_backends!(
    creating_a_volunteer_resolves_language_names_and_the_postal_code,
    |app| async move {
        app.as_coordinator().await;
        let v = create_volunteer(&app, volunteer_input("Youssef El Amrani")).await;
        assert_eq!(v["name"], "Youssef El Amrani");
        assert_eq!(v["status"], "ACTIVE");
        assert_eq!(v["version"], 1);
        assert_eq!(v["currentLoad"], 0);
        assert_eq!(v["languages"][0]["language"]["code"], "ar");
        assert_eq!(v["languages"][0]["language"]["nameNl"], "Arabisch");
        assert_eq!(v["languages"][0]["level"], "NATIVE");
        assert_eq!(v["languages"][1]["language"]["code"], "nl");
        assert_eq!(v["home"]["postalCode"], "1080");
        assert_eq!(v["home"]["municipality"], "Sint-Jans-Molenbeek");
        assert!((v["home"]["latitude"].as_f64().unwrap() - 50.854).abs() < 0.01);
        assert_eq!(
            v["availability"],
            json!([{"day": "WEDNESDAY", "start": "14:00", "end": "17:00"}])
        );
        assert_eq!(
            v["crisisExperience"],
            json!(["PARENTING_STRESS", "NEWCOMER"])
        );
        assert_eq!(v["backgroundCheck"]["validUntil"], "2028-03-01");
        assert_eq!(v["backgroundCheck"]["valid"], true);
    }
);

both_backends!(
    language_names_in_three_languages_and_with_typos_resolve,
    |app| async move {
        app.as_coordinator().await;
        let mut input = volunteer_input("Polyglot");
        input["languages"] = json!([
            {"language": "Nederlnds", "level": "NATIVE"},
            {"language": "néerlandais", "level": "NATIVE"},
        ]);
        let error = app.gql_err(CREATE_VOLUNTEER, json!({"input": input})).await;
        assert_bad_input(&error, "input.languages[1].language");
        for (name, code) in [
            ("Nederlnds", "nl"),
            ("Turks", "tr"),
            ("Tamazight", "ber"),
            ("Dari", "prs"),
            ("ARABE", "ar"),
            ("roemeens", "ro"),
        ] {
            let mut input = volunteer_input(name);
            input["languages"] = json!([{"language": name, "level": "FLUENT"}]);
            let v = create_volunteer(&app, input).await;
            assert_eq!(v["languages"][0]["language"]["code"], code, "{name}");
        }
    }
);

both_backends!(
    an_unknown_language_is_bad_input_with_suggestions_and_writes_nothing,
    |app| async move {
        app.as_coordinator().await;
        let mut input = volunteer_input("Worf");
        input["languages"] = json!([{"language": "nl", "level": "FLUENT"}, {"language": "Klingon", "level": "NATIVE"}]);
        let error = app.gql_err(CREATE_VOLUNTEER, json!({"input": input})).await;
        assert_bad_input(&error, "input.languages[1].language");
        let suggestion = error["extensions"]["suggestion"].as_str().unwrap();
        assert!(
            suggestion.len() <= 3 && error["message"].as_str().unwrap().contains(suggestion),
            "the suggestion is a language code, the sentence is in the message: {error:#}"
        );
        assert_eq!(count_volunteers(&app).await, 0);
    }
);

both_backends!(
    bad_places_are_bad_input_naming_the_field,
    |app| async move {
        app.as_coordinator().await;
        let cases: Vec<(Value, &str)> = vec![
            (json!({"postalCode": "9999"}), "input.home.postalCode"),
            (json!({"postalCode": "abc"}), "input.home.postalCode"),
            (
                json!({"latitude": 48.85, "longitude": 2.35}),
                "input.home.latitude",
            ),
            (json!({"latitude": 50.85}), "input.home.longitude"),
            (json!({}), "input.home"),
        ];
        for (home, field) in cases {
            let mut input = volunteer_input("Nowhere");
            input["home"] = home;
            let error = app.gql_err(CREATE_VOLUNTEER, json!({"input": input})).await;
            assert_bad_input(&error, field);
        }
        let mut input = volunteer_input("By coordinates");
        input["home"] = json!({"latitude": 50.8467, "longitude": 4.3525});
        let v = create_volunteer(&app, input).await;
        assert_eq!(v["home"]["postalCode"], "1000");
        assert_eq!(count_volunteers(&app).await, 1);
    }
);

both_backends!(
    time_slots_must_be_on_the_quarter_hour_with_start_before_end,
    |app| async move {
        app.as_coordinator().await;
        for (slot, field) in [
            (
                json!({"day": "MONDAY", "start": "25:00", "end": "26:00"}),
                "input.availability[1]",
            ),
            (
                json!({"day": "MONDAY", "start": "10:10", "end": "11:00"}),
                "input.availability[1]",
            ),
            (
                json!({"day": "MONDAY", "start": "12:00", "end": "11:00"}),
                "input.availability[1]",
            ),
            (
                json!({"day": "MONDAY", "start": "9h", "end": "11:00"}),
                "input.availability[1]",
            ),
        ] {
            let mut input = volunteer_input("Slots");
            input["availability"] =
                json!([{"day": "TUESDAY", "start": "09:00", "end": "10:00"}, slot]);
            let error = app.gql_err(CREATE_VOLUNTEER, json!({"input": input})).await;
            assert_bad_input(&error, field);
        }
        let mut input = volunteer_input("Too many slots");
        input["availability"] = Value::Array(
            (0..51)
                .map(|_| json!({"day": "MONDAY", "start": "09:00", "end": "10:00"}))
                .collect(),
        );
        let error = app.gql_err(CREATE_VOLUNTEER, json!({"input": input})).await;
        assert_bad_input(&error, "input.availability");
        assert_eq!(count_volunteers(&app).await, 0);
    }
);

both_backends!(
    out_of_range_fields_are_bad_input_and_write_nothing,
    |app| async move {
        app.as_coordinator().await;
        for (key, value, field) in [
            ("name", json!("   "), "input.name"),
            ("name", json!("x".repeat(201)), "input.name"),
            ("capacity", json!(0), "input.capacity"),
            ("capacity", json!(11), "input.capacity"),
            ("maxTravelKm", json!(0), "input.maxTravelKm"),
            ("maxTravelKm", json!(150), "input.maxTravelKm"),
            ("email", json!("not-an-email"), "input.email"),
            ("phone", json!("1".repeat(41)), "input.phone"),
            ("languages", json!([]), "input.languages"),
            (
                "backgroundCheckIssuedOn",
                json!("2999-01-01"),
                "input.backgroundCheckIssuedOn",
            ),
        ] {
            let mut input = volunteer_input("Range");
            input[key] = value;
            let error = app.gql_err(CREATE_VOLUNTEER, json!({"input": input})).await;
            assert_bad_input(&error, field);
        }
        assert_eq!(count_volunteers(&app).await, 0);
    }
);

const UPDATE: &str = "mutation($id: ID!, $input: UpdateVolunteerInput!, $v: Int) {
  updateVolunteer(id: $id, input: $input, expectedVersion: $v) {
    version name phone capacity languages { language { code } } home { municipality }
  }
}";

both_backends!(
    updates_replace_what_is_given_and_bump_the_version,
    |app| async move {
        app.as_coordinator().await;
        let v = create_volunteer(&app, volunteer_input("Sara")).await;
        let data = app
        .gql_ok(
            UPDATE,
            json!({"id": v["id"], "v": 1, "input": {"phone": "+32 470 12 34 56", "languages": [{"language": "Turkish", "level": "FLUENT"}], "home": {"postalCode": "1030"}}}),
        )
        .await;
        let u = &data["updateVolunteer"];
        assert_eq!(u["version"], 2);
        assert_eq!(u["name"], "Sara");
        assert_eq!(u["phone"], "+32 470 12 34 56");
        assert_eq!(u["capacity"], 2);
        assert_eq!(u["languages"], json!([{"language": {"code": "tr"}}]));
        assert_eq!(u["home"]["municipality"], "Schaarbeek");
    }
);

both_backends!(
    a_stale_expected_version_is_a_conflict_and_writes_nothing,
    |app| async move {
        app.as_coordinator().await;
        let v = create_volunteer(&app, volunteer_input("Sara")).await;
        app.gql_ok(
            UPDATE,
            json!({"id": v["id"], "v": 1, "input": {"name": "Sara B."}}),
        )
        .await;
        let error = app
        .gql_err(UPDATE, json!({"id": v["id"], "v": 1, "input": {"name": "Overwritten", "languages": [{"language": "fr", "level": "BASIC"}]}}))
        .await;
        assert_eq!(error["extensions"]["code"], "CONFLICT", "{error:#}");
        let now = app
        .gql_ok("query($id: ID!) { volunteer(id: $id) { name version languages { language { code } } } }", json!({"id": v["id"]}))
        .await;
        assert_eq!(now["volunteer"]["name"], "Sara B.");
        assert_eq!(now["volunteer"]["version"], 2);
        assert_eq!(now["volunteer"]["languages"].as_array().unwrap().len(), 2);
    }
);

both_backends!(
    bad_update_input_is_rejected_before_anything_is_written,
    |app| async move {
        app.as_coordinator().await;
        let v = create_volunteer(&app, volunteer_input("Sara")).await;
        let error = app
            .gql_err(
                UPDATE,
                json!({"id": v["id"], "input": {"name": "New name", "capacity": 99}}),
            )
            .await;
        assert_bad_input(&error, "input.capacity");
        let now = app
            .gql_ok(
                "query($id: ID!) { volunteer(id: $id) { name version } }",
                json!({"id": v["id"]}),
            )
            .await;
        assert_eq!(now["volunteer"]["name"], "Sara");
        assert_eq!(now["volunteer"]["version"], 1);
    }
);

both_backends!(
    recording_a_training_appends_it_and_bumps_the_version,
    |app| async move {
        app.as_coordinator().await;
        let v = create_volunteer(&app, volunteer_input("Sara")).await;
        let q = "mutation($id: ID!, $m: String!, $d: Date!) { recordTraining(volunteerId: $id, module: $m, completedOn: $d) { version trainings { module { code } completedOn } } }";
        app.gql_ok(q, json!({"id": v["id"], "m": "BASIC", "d": "2026-01-10"}))
            .await;
        let data = app
            .gql_ok(
                q,
                json!({"id": v["id"], "m": "domestic violence", "d": "2026-02-10"}),
            )
            .await;
        assert_eq!(data["recordTraining"]["version"], 3);
        assert_eq!(
            data["recordTraining"]["trainings"],
            json!([{"module": {"code": "BASIC"}, "completedOn": "2026-01-10"}, {"module": {"code": "DOMESTIC_VIOLENCE"}, "completedOn": "2026-02-10"}])
        );
        let error = app
            .gql_err(q, json!({"id": v["id"], "m": "BASIC", "d": "2999-01-01"}))
            .await;
        assert_bad_input(&error, "completedOn");
    }
);

both_backends!(volunteers_page_with_cursors_and_filters, |app| async move {
    app.as_coordinator().await;
    let people = [
        ("Amina Benali", "1080", "ar", "ACTIVE"),
        ("Élodie Janssens", "1050", "fr", "ACTIVE"),
        ("Mehmet Yilmaz", "1030", "tr", "PAUSED"),
        ("Pieter Peeters", "3000", "nl", "ACTIVE"),
        ("Ioana Popescu", "1070", "ro", "APPLICANT"),
    ];
    let mut ids = Vec::new();
    for (name, postal, lang, status) in people {
        let mut input = volunteer_input(name);
        input["home"] = json!({"postalCode": postal});
        input["languages"] = json!([{"language": lang, "level": "NATIVE"}]);
        input["status"] = json!(status);
        ids.push(create_volunteer(&app, input).await["id"].clone());
    }
    let q = "query($first: Int, $after: String, $last: Int, $before: String, $filter: VolunteerFilter) {
      volunteers(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
        totalCount edges { cursor node { id name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }";
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app.gql_ok(q, json!({"first": 2, "after": after})).await["volunteers"].clone();
        assert_eq!(page["totalCount"], 5);
        for edge in page["edges"].as_array().unwrap() {
            seen.push(edge["node"]["id"].clone());
        }
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, ids);
    let last = app.gql_ok(q, json!({"last": 2})).await["volunteers"].clone();
    assert_eq!(last["edges"][1]["node"]["id"], ids[4]);
    assert_eq!(last["pageInfo"]["hasPreviousPage"], true);

    let names = |data: Value| -> Vec<String> {
        data["volunteers"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let active = app
        .gql_ok(q, json!({"filter": {"status": ["ACTIVE"]}}))
        .await;
    assert_eq!(active["volunteers"]["totalCount"], 3);
    let turkish = app
        .gql_ok(q, json!({"filter": {"language": "Turks"}}))
        .await;
    assert_eq!(names(turkish), vec!["Mehmet Yilmaz"]);
    let fuzzy = app
        .gql_ok(q, json!({"filter": {"search": "elodie jansens"}}))
        .await;
    assert_eq!(names(fuzzy), vec!["Élodie Janssens"]);
    let near = app
        .gql_ok(
            q,
            json!({"filter": {"nearPostalCode": "1000", "withinKm": 5}}),
        )
        .await;
    assert_eq!(near["volunteers"]["totalCount"], 4, "Leuven is 25 km away");
    let combined = app
        .gql_ok(q, json!({"first": 1, "filter": {"nearPostalCode": "1000", "withinKm": 5, "status": ["ACTIVE"]}}))
        .await;
    assert_eq!(combined["volunteers"]["totalCount"], 2);
    assert_eq!(combined["volunteers"]["pageInfo"]["hasNextPage"], true);

    let error = app
        .gql_err(q, json!({"filter": {"language": "Klingon"}}))
        .await;
    assert_bad_input(&error, "filter.language");
    let error = app
        .gql_err(q, json!({"filter": {"nearPostalCode": "0000"}}))
        .await;
    assert_bad_input(&error, "filter.nearPostalCode");
    let error = app.gql_err(q, json!({"first": 1000})).await;
    assert_bad_input(&error, "first");
    let error = app.gql_err(q, json!({"after": "garbage!"})).await;
    assert_bad_input(&error, "after");
});

both_backends!(
    node_resolves_a_volunteer_and_unknown_ids_are_null,
    |app| async move {
        app.as_coordinator().await;
        let v = create_volunteer(&app, volunteer_input("Sara")).await;
        let data = app
            .gql_ok(
                "query($id: ID!) { node(id: $id) { id ... on Volunteer { name } } }",
                json!({"id": v["id"]}),
            )
            .await;
        assert_eq!(data["node"]["name"], "Sara");
        let data = app
            .gql_ok(
                "{ node(id: \"bm9wZQ\") { id } volunteer(id: \"bm9wZQ\") { id } }",
                json!({}),
            )
            .await;
        assert!(data["node"].is_null());
        assert!(data["volunteer"].is_null());
    }
);
