use api::Role;
use serde_json::json;
use tests::{PASSWORD, both_backends};

both_backends!(every_operation_but_login_needs_a_token, |app| async move {
    for query in [
        "{ me { email } }",
        "{ volunteers { totalCount } }",
        "{ families { totalCount } }",
        "{ waitingList { totalCount } }",
        "{ familyCareServices { totalCount } }",
        "{ languages(search: \"ar\") { code } }",
        "{ node(id: \"x\") { id } }",
    ] {
        let error = app.gql_err(query, json!({})).await;
        assert_eq!(
            error["extensions"]["code"], "UNAUTHENTICATED",
            "{query}: {error:#}"
        );
    }
    let error = app
        .gql_err(
            "mutation { createFamilyCareService(input: {name: \"x\", organization: \"y\", kind: OTHER, languages: [\"nl\"], serviceArea: [\"1000\"], lifeDomains: []}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(error["extensions"]["code"], "UNAUTHENTICATED");
});

both_backends!(a_forged_token_is_unauthenticated, |app| async move {
    app.token = Some("not-a-real-token".to_owned());
    let error = app.gql_err("{ me { email } }", json!({})).await;
    assert_eq!(error["extensions"]["code"], "UNAUTHENTICATED");
});

both_backends!(
    login_returns_a_token_that_identifies_the_user,
    |app| async move {
        app.create_user("Coord@Example.org", Role::Coordinator, None)
            .await;
        let data = app
        .gql_ok(
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt user { email role name } } }",
            json!({"e": "coord@example.org", "p": PASSWORD}),
        )
        .await;
        assert_eq!(data["login"]["user"]["email"], "coord@example.org");
        assert_eq!(data["login"]["user"]["role"], "COORDINATOR");
        app.token = Some(data["login"]["token"].as_str().unwrap().to_owned());
        let me = app
            .gql_ok("{ me { email role volunteer { id } } }", json!({}))
            .await;
        assert_eq!(me["me"]["email"], "coord@example.org");
        assert!(me["me"]["volunteer"].is_null());
    }
);

both_backends!(
    a_wrong_password_is_unauthenticated_and_says_nothing_more,
    |app| async move {
        app.create_user("coord@example.org", Role::Coordinator, None)
            .await;
        for (email, password) in [
            ("coord@example.org", "wrong password!!"),
            ("nobody@example.org", PASSWORD),
        ] {
            let error = app
            .gql_err(
                "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
                json!({"e": email, "p": password}),
            )
            .await;
            assert_eq!(error["extensions"]["code"], "UNAUTHENTICATED");
            assert_eq!(error["message"], "verkeerd e-mailadres of wachtwoord");
        }
    }
);

both_backends!(
    an_expired_token_is_refused,
    settings = |s: &mut api::Settings| s.token_ttl = std::time::Duration::from_secs(1),
    |app| async move {
        app.as_coordinator().await;
        app.gql_ok("{ me { email } }", json!({})).await;
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let error = app.gql_err("{ me { email } }", json!({})).await;
        assert_eq!(error["extensions"]["code"], "UNAUTHENTICATED");
    }
);

both_backends!(logout_revokes_the_token, |app| async move {
    app.as_coordinator().await;
    let data = app.gql_ok("mutation { logout }", json!({})).await;
    assert_eq!(data["logout"], true);
    let error = app.gql_err("{ me { email } }", json!({})).await;
    assert_eq!(error["extensions"]["code"], "UNAUTHENTICATED");
});

both_backends!(
    five_failed_logins_stop_that_email_from_that_address_for_fifteen_minutes,
    |app| async move {
        app.create_user("coord@example.org", Role::Coordinator, None)
            .await;
        let q = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";
        for _ in 0..5 {
            let error = app
                .gql_err(
                    q,
                    json!({"e": "coord@example.org", "p": "wrong password!!"}),
                )
                .await;
            assert_eq!(error["message"], "verkeerd e-mailadres of wachtwoord");
        }
        let error = app
            .gql_err(q, json!({"e": "COORD@example.org", "p": PASSWORD}))
            .await;
        assert_eq!(error["extensions"]["code"], "TOO_MANY_REQUESTS");
        let retry = error["extensions"]["retryAfter"].as_u64().unwrap();
        assert!((14 * 60..=15 * 60).contains(&retry), "{error:#}");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("te veel mislukte aanmeldingen"),
            "{error:#}"
        );
        app.create_user("other@example.org", Role::Coordinator, None)
            .await;
        app.gql_ok(q, json!({"e": "other@example.org", "p": PASSWORD}))
            .await;
    }
);

both_backends!(passwords_need_twelve_characters, |app| async move {
    app.create_user("admin@example.org", Role::Admin, None)
        .await;
    app.login("admin@example.org").await;
    let error = app
        .gql_err("mutation { createUser(input: {name: \"X\", email: \"x@example.org\", role: COORDINATOR, password: \"short\"}) { id } }", json!({}))
        .await;
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(error["extensions"]["field"], "input.password");
    let error = app
        .gql_err("mutation { createUser(input: {name: \"X\", email: \"admin@example.org\", role: COORDINATOR, password: \"long enough password\"}) { id } }", json!({}))
        .await;
    assert_eq!(error["extensions"]["field"], "input.email", "{error:#}");
    let user = app
        .gql_ok("mutation { createUser(input: {name: \"X\", email: \"x@example.org\", role: COORDINATOR, password: \"long enough password\"}) { email role } }", json!({}))
        .await;
    assert_eq!(
        user["createUser"],
        json!({"email": "x@example.org", "role": "COORDINATOR"})
    );
});

/// Logging in as `email` with `password` is UNAUTHENTICATED.
async fn assert_login_refused(app: &tests::TestApp, email: &str, password: &str) {
    let login = app
        .gql_err(
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
            json!({"e": email, "p": password}),
        )
        .await;
    assert_eq!(login["extensions"]["code"], "UNAUTHENTICATED", "{email}");
}

// Issue 20, finding 8: accounts could not be listed, switched off or given a
// new password, and a volunteer who stopped still signed in.
both_backends!(
    accounts_can_be_listed_switched_off_and_given_a_new_password,
    |app| async move {
        use crate::fixtures::*;
        let network = Network::build(&mut app).await;
        let users = app
            .gql_ok(
                "{ all: users(first: 10) { totalCount edges { node { email role disabled } } } volunteers: users(role: VOLUNTEER) { totalCount edges { node { id email volunteer { name } } } } }",
                json!({}),
            )
            .await;
        assert_eq!(users["all"]["totalCount"], 4, "{users:#}");
        assert_eq!(users["volunteers"]["totalCount"], 1);
        let volunteer = users["volunteers"]["edges"][0]["node"].clone();
        assert_eq!(volunteer["volunteer"]["name"], "Own volunteer");

        // Switched off: every session ends at once, and no new one starts.
        let disabled = app
            .gql_ok(
                "mutation($u: ID!) { setUserDisabled(userId: $u, disabled: true) { email disabled } }",
                json!({"u": volunteer["id"]}),
            )
            .await;
        assert_eq!(disabled["setUserDisabled"]["disabled"], true);
        network.as_role(&mut app, "volunteer");
        let refused = app.gql_err("{ me { email } }", json!({})).await;
        assert_eq!(refused["extensions"]["code"], "UNAUTHENTICATED");
        assert_login_refused(&app, "volunteer@example.org", PASSWORD).await;
        network.as_role(&mut app, "admin");
        let listed = app
            .gql_ok(
                "{ users(disabled: true) { edges { node { email } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            listed["users"]["edges"],
            json!([{"node": {"email": "volunteer@example.org"}}])
        );
        app.gql_ok(
            "mutation($u: ID!) { setUserDisabled(userId: $u, disabled: false) { disabled } }",
            json!({"u": volunteer["id"]}),
        )
        .await;
        app.login("volunteer@example.org").await;

        // A volunteer who stops can no longer sign in.
        network.as_role(&mut app, "coordinator");
        app.gql_ok(
            "mutation($v: ID!) { updateVolunteer(id: $v, input: {status: STOPPED}) { status } }",
            json!({"v": network.own["id"]}),
        )
        .await;
        assert_login_refused(&app, "volunteer@example.org", PASSWORD).await;

        // Only ADMIN manages accounts.
        let refused = app.gql_err("{ users { totalCount } }", json!({})).await;
        assert_eq!(refused["extensions"]["code"], "FORBIDDEN");

        // A new password: the current one first, then the password policy.
        let change = "mutation($c: String!, $n: String!) { changeMyPassword(currentPassword: $c, newPassword: $n) }";
        let wrong = app
            .gql_err(
                change,
                json!({"c": "not my password", "n": "a brand new passphrase"}),
            )
            .await;
        assert_eq!(wrong["extensions"]["code"], "UNAUTHENTICATED");
        let short = app
            .gql_err(change, json!({"c": PASSWORD, "n": "short"}))
            .await;
        assert_bad_input(&short, "newPassword");
        let changed = app
            .gql_ok(
                change,
                json!({"c": PASSWORD, "n": "a brand new passphrase"}),
            )
            .await;
        assert_eq!(changed["changeMyPassword"], true);
        assert_login_refused(&app, "coordinator@example.org", PASSWORD).await;
        app.gql_ok(
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
            json!({"e": "coordinator@example.org", "p": "a brand new passphrase"}),
        )
        .await;
    }
);
