//! People read their own language: the locale of a request is
//! `Accept-Language` (quality values honoured), else the user's own locale,
//! else the server default (Dutch).

use serde_json::{Value, json};
use tests::both_backends;

use crate::fixtures::*;

const EXPLAIN: &str = "query($f: ID!) { matchesForFamily(familyId: $f) { candidates { explanation volunteer { home { municipality } } } } }";

/// The first candidate's first sentence and the volunteer's municipality.
fn first_reason(body: &Value) -> (String, String) {
    assert!(body.get("errors").is_none(), "{body:#}");
    let candidate = &body["data"]["matchesForFamily"]["candidates"][0];
    (
        candidate["explanation"][0].as_str().unwrap().to_owned(),
        candidate["volunteer"]["home"]["municipality"]
            .as_str()
            .unwrap()
            .to_owned(),
    )
}

both_backends!(
    accept_language_picks_the_language_of_sentences_and_names,
    |app| async move {
        app.as_coordinator().await;
        ready_volunteer(&app, "Amina", volunteer_input("x")).await;
        let f = create_family(&app, family_input("Fatima")).await;
        let vars = json!({"f": f["id"]});

        let dutch = first_reason(&app.gql(EXPLAIN, vars.clone()).await);
        assert!(dutch.0.starts_with("Spreekt Arabisch"), "{dutch:?}");
        assert_eq!(dutch.1, "Sint-Jans-Molenbeek");

        let french = first_reason(
            &app.gql_in("fr-BE,fr;q=0.9,en;q=0.8", EXPLAIN, vars.clone())
                .await,
        );
        assert!(french.0.starts_with("Parle arabe"), "{french:?}");
        assert_eq!(french.1, "Molenbeek-Saint-Jean");

        // Quality values, not the order, decide.
        let english = first_reason(
            &app.gql_in("de;q=1, fr;q=0.2, en;q=0.7", EXPLAIN, vars.clone())
                .await,
        );
        assert!(english.0.starts_with("Speaks Arabic"), "{english:?}");

        // A language Tandem does not speak falls back to the default.
        let fallback = first_reason(&app.gql_in("de-DE", EXPLAIN, vars).await);
        assert_eq!(fallback, dutch);
    }
);

both_backends!(a_request_in_french_gets_french_errors, |app| async move {
    app.as_coordinator().await;
    let body = app
        .gql_in(
            "fr",
            "query { volunteers(first: 1000) { totalCount } }",
            json!({}),
        )
        .await;
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{body:#}");
    assert!(
        error["message"].as_str().unwrap().contains("au plus 100"),
        "{body:#}"
    );
    let error = &app
        .gql_in(
            "fr",
            "mutation { setMyLocale(locale: DE) { id } }",
            json!({}),
        )
        .await["errors"][0];
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("n'est pas une valeur de Locale"),
        "{error:#}"
    );
    let error = &app
        .gql_in(
            "fr",
            "query { explainMatch(familyId: \"nope\", volunteerId: \"nope\") { eligible } }",
            json!({}),
        )
        .await["errors"][0];
    assert_eq!(error["extensions"]["code"], "NOT_FOUND", "{error:#}");
    assert!(
        error["message"].as_str().unwrap().contains("aucun Family"),
        "{error:#}"
    );
});

both_backends!(
    without_accept_language_a_user_reads_the_locale_they_chose,
    |app| async move {
        app.as_coordinator().await;
        ready_volunteer(&app, "Amina", volunteer_input("x")).await;
        let f = create_family(&app, family_input("Fatima")).await;
        let vars = json!({"f": f["id"]});
        app.gql_ok("mutation { setMyLocale(locale: EN) { locale } }", json!({}))
            .await;
        let english = first_reason(&app.gql(EXPLAIN, vars.clone()).await);
        assert!(english.0.starts_with("Speaks Arabic"), "{english:?}");
        // The header still wins.
        let french = first_reason(&app.gql_in("fr", EXPLAIN, vars).await);
        assert!(french.0.starts_with("Parle arabe"), "{french:?}");
    }
);

both_backends!(
    the_server_default_locale_is_configurable,
    settings = |s: &mut api::Settings| s.default_locale = api::Locale::Fr,
    |app| async move {
        app.as_coordinator().await;
        let me = app.gql_ok("{ me { locale } }", json!({})).await;
        assert_eq!(me["me"]["locale"], "FR");
        let body = app
            .gql("query { volunteers(first: -1) { totalCount } }", json!({}))
            .await;
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("0 ou plus"),
            "{body:#}"
        );
    }
);

both_backends!(
    language_names_follow_the_locale_and_brussels_names_are_understood,
    |app| async move {
        app.as_coordinator().await;
        let mut input = volunteer_input("Youssef");
        input["languages"] = json!([
            {"language": "Marokkaans", "level": "NATIVE"},
            {"language": "Riffijns", "level": "NATIVE"},
            {"language": "Soussou", "level": "BASIC"},
            {"language": "Peul", "level": "BASIC"},
            {"language": "Tshiluba", "level": "BASIC"}
        ]);
        let v = create_volunteer(&app, input).await;
        let codes: Vec<&str> = v["languages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["language"]["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["ar", "ber", "sus", "ff", "lua"]);
        let names = |body: Value| -> Vec<String> {
            body["data"]["volunteer"]["languages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["language"]["name"].as_str().unwrap().to_owned())
                .collect()
        };
        let q = "query($v: ID!) { volunteer(id: $v) { languages { language { name } } } }";
        let vars = json!({"v": v["id"]});
        assert_eq!(
            names(app.gql(q, vars.clone()).await)[..2],
            ["Arabisch", "Berbers"]
        );
        assert_eq!(
            names(app.gql_in("fr", q, vars.clone()).await)[..2],
            ["arabe", "berbère"]
        );
        assert_eq!(
            names(app.gql_in("en", q, vars).await)[..2],
            ["Arabic", "Tamazight"]
        );
    }
);
