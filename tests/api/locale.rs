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

/// The message of the first error of `body`, which must have `code`.
fn message_of(body: &Value, code: &str) -> String {
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], code, "{body:#}");
    error["message"].as_str().unwrap().to_owned()
}

/// Asks `query` without `Accept-Language` and with `fr`: the first error
/// has `code` and reads `dutch`, then `french`.
async fn reads(
    app: &tests::TestApp,
    query: &str,
    vars: Value,
    code: &str,
    dutch: &str,
    french: &str,
) {
    let nl = message_of(&app.gql(query, vars.clone()).await, code);
    assert!(nl.contains(dutch), "{query}: {nl}");
    let fr = message_of(&app.gql_in("fr-BE, fr;q=0.9", query, vars).await, code);
    assert!(fr.contains(french), "{query}: {fr}");
}

both_backends!(
    errors_of_every_code_read_in_dutch_by_default_and_in_french_when_asked,
    |app| async move {
        // UNAUTHENTICATED: no token.
        let anonymous = "{ volunteers(first: 1) { totalCount } }";
        reads(
            &app,
            anonymous,
            json!({}),
            "UNAUTHENTICATED",
            "Meld eerst aan",
            "Connectez-vous d'abord",
        )
        .await;
        // A refusal before anything runs: a query nested too deep.
        let deep = format!(
            "{{ __schema {{ types {} name {} }} }}",
            "fields { type { ".repeat(8),
            "} } ".repeat(8)
        );
        reads(
            &app,
            &deep,
            json!({}),
            "BAD_USER_INPUT",
            "te diep genest",
            "imbriquée trop profondément",
        )
        .await;
        // ... and one of Tandem's own guard.
        let nested = format!("{{ me {} }}", "{ ".repeat(300));
        reads(
            &app,
            &nested,
            json!({}),
            "BAD_USER_INPUT",
            "document geweigerd",
            "document refusé",
        )
        .await;
        // TOO_MANY_REQUESTS (and UNAUTHENTICATED for a wrong password).
        app.create_user("coordinator@example.org", api::Role::Coordinator, None)
            .await;
        let login =
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";
        let wrong = json!({"e": "coordinator@example.org", "p": "not the password!"});
        reads(
            &app,
            login,
            wrong.clone(),
            "UNAUTHENTICATED",
            "verkeerd e-mailadres of wachtwoord",
            "mot de passe incorrect",
        )
        .await;
        for _ in 0..3 {
            app.gql(login, wrong.clone()).await;
        }
        reads(
            &app,
            login,
            wrong,
            "TOO_MANY_REQUESTS",
            "probeer opnieuw over",
            "réessayez dans",
        )
        .await;

        let mut app = app;
        app.create_user("admin@example.org", api::Role::Admin, None)
            .await;
        app.login("admin@example.org").await;
        // BAD_USER_INPUT from the shared values.
        let mut input = volunteer_input("Amina");
        input["home"] = json!({"postalCode": "0042"});
        reads(
            &app,
            CREATE_VOLUNTEER,
            json!({"input": input}),
            "BAD_USER_INPUT",
            "is geen Belgische postcode",
            "n'est pas un code postal belge",
        )
        .await;
        // NOT_FOUND.
        let gone = api::global_id("Family", uuid::Uuid::now_v7());
        reads(
            &app,
            "query($f: ID!) { exportFamilyData(familyId: $f) }",
            json!({"f": gone}),
            "NOT_FOUND",
            "Geen Family gevonden",
            "Family introuvable",
        )
        .await;
        // CONFLICT: a family without consent cannot be helped through its plan.
        let v = ready_volunteer(&app, "Amina", volunteer_input("x")).await;
        let mut without = family_input("Fatima");
        without["consentGiven"] = json!(false);
        let f = create_family(&app, without).await;
        let involve = "mutation($f: ID!, $v: ID!) { involveVolunteer(input: {familyId: $f, volunteerId: $v}) { id } }";
        reads(
            &app,
            involve,
            json!({"f": f["id"], "v": v["id"]}),
            "CONFLICT",
            "geen toestemming",
            "pas donné son accord",
        )
        .await;
        // FORBIDDEN: a FOLLOW_UP account may not create volunteers.
        app.create_user("followup@example.org", api::Role::FollowUp, None)
            .await;
        app.login("followup@example.org").await;
        reads(
            &app,
            CREATE_VOLUNTEER,
            json!({"input": volunteer_input("Bram")}),
            "FORBIDDEN",
            "niet toegankelijk voor de rol FOLLOW_UP",
            "pas accessible au rôle FOLLOW_UP",
        )
        .await;
    }
);

/// The first error message of an operation answered on `socket`.
async fn socket_message(socket: &mut crate::socket::Socket, id: &str, query: &str) -> String {
    let answer = crate::socket::ask(socket, id, query, json!({})).await;
    answer["payload"]["errors"][0]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("an error: {answer:#}"))
        .to_owned()
}

both_backends!(
    a_websocket_speaks_the_language_of_its_upgrade_request_else_the_users,
    |app| async move {
        app.as_coordinator().await;
        let bad_page = "{ volunteers(first: -1) { totalCount } }";
        let mut plain = crate::socket::connect(&app).await;
        let dutch = socket_message(&mut plain, "1", bad_page).await;
        assert!(dutch.contains("0 of meer"), "{dutch}");
        // Quality values decide, not the order.
        let headers = [("accept-language", "de;q=1, en;q=0.2, fr;q=0.8")];
        let mut french = crate::socket::connect_with(&app, &headers).await;
        let message = socket_message(&mut french, "1", bad_page).await;
        assert!(message.contains("0 ou plus"), "{message}");
        // Without the header, the user's own locale; the header still wins.
        app.gql_ok("mutation { setMyLocale(locale: EN) { locale } }", json!({}))
            .await;
        let mut english = crate::socket::connect(&app).await;
        let message = socket_message(&mut english, "1", bad_page).await;
        assert!(message.contains("0 or more"), "{message}");
        let mut french = crate::socket::connect_with(&app, &[("accept-language", "fr")]).await;
        let message = socket_message(&mut french, "1", bad_page).await;
        assert!(message.contains("0 ou plus"), "{message}");
    }
);
