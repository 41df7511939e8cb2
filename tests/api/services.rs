use serde_json::json;
use tests::both_backends;

use crate::fixtures::assert_bad_input;

const CREATE: &str = "mutation($input: CreateFamilyCareServiceInput!) {
  createFamilyCareService(input: $input) {
    id name organization kind languages { code } serviceArea lifeDomains crisisAvailable contributionWaivable capacity currentLoad version
  }
}";

both_backends!(
    services_are_created_and_found_by_kind_postal_code_and_language,
    |app| async move {
        app.as_coordinator().await;
        let s = app
        .gql_ok(CREATE, json!({"input": {
            "name": "Gezinszorg Brussel", "organization": "Familiehulp", "kind": "FAMILY_CARE",
            "languages": ["Nederlands", "Frans", "ar"], "serviceArea": ["1000", "1080", " 1070 "],
            "lifeDomains": ["HOUSEHOLD", "PARENTING"], "crisisAvailable": true, "capacity": 12
        }}))
        .await["createFamilyCareService"]
        .clone();
        assert_eq!(
            s["languages"],
            json!([{"code": "nl"}, {"code": "fr"}, {"code": "ar"}])
        );
        assert_eq!(s["serviceArea"], json!(["1000", "1080", "1070"]));
        assert_eq!(s["crisisAvailable"], true);
        assert_eq!(s["contributionWaivable"], false);
        assert_eq!(s["currentLoad"], 0);
        app.gql_ok(CREATE, json!({"input": {
        "name": "Kraamzorg Leuven", "organization": "Kraamzorg vzw", "kind": "MATERNITY_CARE",
        "languages": ["nl"], "serviceArea": ["3000"], "lifeDomains": ["HEALTH"]
    }}))
    .await;
        let q = "query($k: ServiceKind, $p: String, $l: String) { familyCareServices(kind: $k, postalCode: $p, language: $l) { edges { node { name } } } }";
        let names = |v: serde_json::Value| {
            v["familyCareServices"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["node"]["name"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(app.gql_ok(q, json!({})).await).len(), 2);
        assert_eq!(
            names(app.gql_ok(q, json!({"k": "MATERNITY_CARE"})).await),
            vec!["Kraamzorg Leuven"]
        );
        assert_eq!(
            names(app.gql_ok(q, json!({"p": "1080"})).await),
            vec!["Gezinszorg Brussel"]
        );
        assert_eq!(
            names(app.gql_ok(q, json!({"l": "Arabic"})).await),
            vec!["Gezinszorg Brussel"]
        );
        assert!(
            names(
                app.gql_ok(q, json!({"p": "1080", "l": "Dutch", "k": "MATERNITY_CARE"}))
                    .await
            )
            .is_empty()
        );
        assert_bad_input(&app.gql_err(q, json!({"p": "0001"})).await, "postalCode");
        assert_bad_input(&app.gql_err(q, json!({"l": "Klingon"})).await, "language");
    }
);

both_backends!(bad_service_input_is_bad_input, |app| async move {
    app.as_coordinator().await;
    let base = json!({"name": "S", "organization": "O", "kind": "OTHER", "languages": ["nl"], "serviceArea": ["1000"], "lifeDomains": []});
    for (key, value, field) in [
        ("name", json!(""), "input.name"),
        ("languages", json!(["nl", "Klingon"]), "input.languages[1]"),
        ("languages", json!([]), "input.languages"),
        (
            "serviceArea",
            json!(["1000", "99999"]),
            "input.serviceArea[1]",
        ),
        ("capacity", json!(0), "input.capacity"),
    ] {
        let mut input = base.clone();
        input[key] = value;
        assert_bad_input(&app.gql_err(CREATE, json!({"input": input})).await, field);
    }
    let data = app
        .gql_ok("{ familyCareServices { totalCount } }", json!({}))
        .await;
    assert_eq!(data["familyCareServices"]["totalCount"], 0);
});

both_backends!(
    languages_are_searched_by_code_and_names_best_first,
    |app| async move {
        app.as_coordinator().await;
        let data = app.gql_ok("{ a: languages(search: \"Arabisch\") { code name nameNl nameFr } b: languages(search: \"tigrinya\", first: 1) { code } }", json!({})).await;
        assert_eq!(data["a"][0]["code"], "ar");
        assert_eq!(data["a"][0]["nameFr"], "arabe");
        assert!(data["a"].as_array().unwrap().len() <= 5);
        assert_eq!(data["b"], json!([{"code": "ti"}]));
    }
);
