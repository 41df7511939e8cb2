//! Hostile input, as an attacker would send it, over HTTP and WebSocket
//! (issue 19, "One door"): every finding of the issue is a test here, on
//! SQLite and on PostgreSQL, through the real server.

use std::time::Duration;

use api::Role;
use serde_json::{Value, json};
use tests::{PASSWORD, TestApp, both_backends};

use crate::{
    fixtures::*,
    socket::{self, ask, close_code, connect, open, send, start},
};

/// `depth` list literals around a string: `[[[ ... "a" ... ]]]`.
fn nested_list(depth: usize) -> String {
    format!("{}\"a\"{}", "[".repeat(depth), "]".repeat(depth))
}

/// `depth` object literals: `{a: {a: ... 1 ... }}`.
fn nested_object(depth: usize) -> String {
    format!("{}1{}", "{a: ".repeat(depth), "}".repeat(depth))
}

/// The server still answers.
async fn assert_alive(app: &TestApp) {
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
}

/// POSTs `body` as JSON text; returns the status and the body as JSON.
async fn post_raw(app: &TestApp, body: String) -> (u16, Value) {
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("not a JSON body ({status}): {text}"));
    (status, body)
}

/// GETs `/graphql?query=...`; returns the status and the body as JSON.
async fn get_query(app: &TestApp, query: &str) -> (u16, Value) {
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", query)])
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("not a JSON body ({status}): {text}"));
    (status, body)
}

/// The `code` of the first error of a GraphQL body or of a WS `error`/`next` message.
fn first_code(body: &Value) -> &str {
    let errors = match &body["payload"] {
        Value::Array(errors) => errors.as_slice(),
        Value::Object(payload) => payload
            .get("errors")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice),
        _ => body["errors"].as_array().map_or(&[][..], Vec::as_slice),
    };
    errors
        .first()
        .and_then(|e| e["extensions"]["code"].as_str())
        .unwrap_or_else(|| panic!("no coded error in {body:#}"))
}

// Finding 1: deeply nested value literals overflowed the parser's stack and
// aborted the process, over POST, GET and a WebSocket subscribe.
both_backends!(
    deeply_nested_values_are_refused_before_the_parser_over_every_transport,
    |app| async move {
        for value in [nested_list(2_000), nested_object(2_000)] {
            let query = format!("{{ languages(search: {value}) {{ code }} }}");
            let (status, body) = post_raw(&app, json!({ "query": query }).to_string()).await;
            assert_eq!(status, 400, "{body:#}");
            assert_eq!(first_code(&body), "BAD_USER_INPUT");
            assert_eq!(body["errors"][0]["extensions"]["field"], "query");
            let (status, body) = get_query(&app, &query).await;
            assert_eq!(status, 400, "{body:#}");
            assert_eq!(first_code(&body), "BAD_USER_INPUT");
            assert_alive(&app).await;
        }
        app.as_coordinator().await;
        let mut socket = connect(&app).await;
        let query = format!(
            "subscription {{ checkInLogged(volunteerId: {}) {{ id }} }}",
            nested_list(2_000)
        );
        let answer = ask(&mut socket, "deep", &query, json!({})).await;
        assert_eq!(answer["type"], "error", "{answer:#}");
        assert_eq!(first_code(&answer), "BAD_USER_INPUT");
        let still = ask(&mut socket, "after", "{ me { email } }", json!({})).await;
        assert_eq!(
            still["payload"]["data"]["me"]["email"],
            "coordinator@example.org"
        );
        assert_alive(&app).await;
    }
);

// Finding 2: the WebSocket path skipped the document guard (fragment bombs,
// alias floods of `login`).
both_backends!(the_websocket_refuses_what_http_refuses, |app| async move {
    app.as_coordinator().await;
    let mut socket = connect(&app).await;
    let answer = ask(&mut socket, "bomb", &fragment_bomb(12), json!({})).await;
    assert_eq!(answer["type"], "error", "{answer:#}");
    assert_eq!(first_code(&answer), "BAD_USER_INPUT");
    let logins: String = (0..40)
            .map(|i| format!("l{i}: login(email: \"coordinator@example.org\", password: \"guess {i}\") {{ token }} "))
            .collect();
    let answer = ask(
        &mut socket,
        "logins",
        &format!("mutation {{ {logins} }}"),
        json!({}),
    )
    .await;
    assert_eq!(answer["type"], "error", "{answer:#}");
    assert_eq!(first_code(&answer), "BAD_USER_INPUT");
    let failures = app
        .sql_number("SELECT COUNT(*) AS n FROM login_failure")
        .await;
    assert_eq!(failures, 0, "no password was checked");
});

// One request checks one password: aliases cannot multiply argon2 work.
both_backends!(one_request_checks_at_most_one_password, |app| async move {
    app.create_user("coordinator@example.org", Role::Coordinator, None)
        .await;
    let logins: String = (0..3)
        .map(|i| format!("l{i}: login(email: \"coordinator@example.org\", password: \"{PASSWORD}\") {{ token }} "))
        .collect();
    let body = app
        .gql(&format!("mutation {{ {logins} }}"), json!({}))
        .await;
    assert!(
        body["data"].is_null() || body["data"]["l1"].is_null(),
        "{body:#}"
    );
    let codes: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["extensions"]["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"BAD_USER_INPUT"), "{body:#}");
});

// Finding 3: nothing run over the WebSocket was audited.
both_backends!(
    queries_over_a_websocket_are_audited_like_over_http,
    |app| async move {
        app.create_user("admin@example.org", Role::Admin, None)
            .await;
        app.as_coordinator().await;
        let f = create_family(&app, family_input("Fatima")).await;
        let mut socket = connect(&app).await;
        let answer = ask(
            &mut socket,
            "1",
            "query LookOverWs($f: ID!) { family(id: $f) { displayName } }",
            json!({"f": f["id"]}),
        )
        .await;
        assert_eq!(answer["payload"]["data"]["family"]["displayName"], "Fatima");
        app.login("admin@example.org").await;
        let (audited, log) = read_was_audited(
            &app,
            &f["id"],
            "LookOverWs (family)",
            "coordinator@example.org",
        )
        .await;
        assert!(audited, "a read over the WebSocket is audited: {log:#}");
    }
);

// Finding 4: a WebSocket outlived its session.
both_backends!(logout_closes_the_websocket_with_4401, |app| async move {
    app.as_coordinator().await;
    let mut socket =
        socket::subscribe(&app, "subscription { checkInLogged { id } }", json!({})).await;
    app.gql_ok("mutation { logout }", json!({})).await;
    assert_eq!(close_code(&mut socket).await, Some(4401));
});

// Issue 20, finding 8 meets finding 4: switching an account off ends its
// sessions, WebSockets included.
both_backends!(
    disabling_an_account_closes_its_websocket,
    |app| async move {
        app.create_user("admin@example.org", Role::Admin, None)
            .await;
        app.as_coordinator().await;
        let mut socket =
            socket::subscribe(&app, "subscription { checkInLogged { id } }", json!({})).await;
        app.login("admin@example.org").await;
        let users = app
            .gql_ok(
                "{ users(role: COORDINATOR) { edges { node { id } } } }",
                json!({}),
            )
            .await;
        let coordinator = users["users"]["edges"][0]["node"]["id"].clone();
        app.gql_ok(
            "mutation($u: ID!) { setUserDisabled(userId: $u, disabled: true) { disabled } }",
            json!({"u": coordinator}),
        )
        .await;
        assert_eq!(close_code(&mut socket).await, Some(4401));
    }
);

both_backends!(
    an_expired_session_closes_the_websocket_with_4401,
    settings = |s: &mut api::Settings| s.token_ttl = Duration::from_secs(2),
    |app| async move {
        app.as_coordinator().await;
        let mut socket = connect(&app).await;
        let answer = ask(&mut socket, "1", "{ me { email } }", json!({})).await;
        assert_eq!(
            answer["payload"]["data"]["me"]["email"],
            "coordinator@example.org"
        );
        assert_eq!(close_code(&mut socket).await, Some(4401));
    }
);

both_backends!(
    an_invalid_token_in_connection_init_closes_the_socket_at_once,
    |app| async move {
        app.as_coordinator().await;
        let mut socket = open(&app).await;
        socket::init(&mut socket, Some("forged")).await;
        assert_eq!(close_code(&mut socket).await, Some(4403));
        let mut socket = open(&app).await;
        socket::init(&mut socket, None).await;
        assert_eq!(close_code(&mut socket).await, Some(4403));
    }
);

both_backends!(
    a_volunteer_s_websocket_stops_showing_a_family_once_the_involvement_ended,
    |app| async move {
        app.as_coordinator().await;
        let v = ready_volunteer(&app, "Amina", volunteer_input("Amina")).await;
        let f = create_family(&app, family_input("Fatima")).await;
        let inv = app.gql_ok("mutation($f: ID!, $v: ID!) { involveVolunteer(input: {familyId: $f, volunteerId: $v}) { id } }", json!({"f": f["id"], "v": v["id"]})).await["involveVolunteer"]["id"].clone();
        app.gql_ok(
            "mutation($i: ID!) { phaseIn(input: {involvementId: $i}) { id } }",
            json!({"i": inv}),
        )
        .await;
        let (_, key) = api::parse_global_id(v["id"].as_str().unwrap()).unwrap();
        app.create_user("volunteer@example.org", Role::Volunteer, Some(key))
            .await;
        let coordinator = app.token.clone();
        app.login("volunteer@example.org").await;
        let mut socket = connect(&app).await;
        let look = "query($f: ID!) { family(id: $f) { displayName } }";
        let seen = ask(&mut socket, "1", look, json!({"f": f["id"]})).await;
        assert_eq!(
            seen["payload"]["data"]["family"]["displayName"], "Fatima",
            "{seen:#}"
        );
        app.token = coordinator;
        app.gql_ok("mutation($i: ID!) { endInvolvement(input: {involvementId: $i, reason: \"moved away\"}) { status } }", json!({"i": inv})).await;
        let after = ask(&mut socket, "2", look, json!({"f": f["id"]})).await;
        assert!(after["payload"]["data"]["family"].is_null(), "{after:#}");
    }
);

// Finding 5: no WebSocket limits.
both_backends!(
    a_socket_that_never_says_connection_init_is_closed_with_4408,
    settings = |s: &mut api::Settings| s.limits.ws_init_timeout = Duration::from_secs(1),
    |app| async move {
        let mut socket = open(&app).await;
        assert_eq!(close_code(&mut socket).await, Some(4408));
    }
);

both_backends!(
    a_connection_holds_at_most_a_hundred_subscriptions,
    |app| async move {
        app.as_coordinator().await;
        let mut socket = connect(&app).await;
        for i in 0..100 {
            start(
                &mut socket,
                &format!("s{i}"),
                "subscription { checkInLogged { id } }",
                json!({}),
            )
            .await;
        }
        let answer = ask(
            &mut socket,
            "one too many",
            "subscription { checkInLogged { id } }",
            json!({}),
        )
        .await;
        assert_eq!(answer["type"], "error", "{answer:#}");
        assert_eq!(first_code(&answer), "TOO_MANY_REQUESTS");
        send(&mut socket, json!({"id": "s0", "type": "complete"})).await;
        let answer = ask(&mut socket, "q", "{ me { email } }", json!({})).await;
        assert_eq!(answer["type"], "next", "{answer:#}");
    }
);

both_backends!(
    subscriptions_and_connections_per_user_and_per_address_are_capped,
    settings = |s: &mut api::Settings| {
        s.limits.ws_max_subscriptions_per_user = 3;
        s.limits.ws_max_connections_per_user = 2;
        s.limits.ws_max_connections_per_address = 3;
    },
    |app| async move {
        app.as_coordinator().await;
        let mut first = connect(&app).await;
        let mut second = connect(&app).await;
        const LOGGED: &str = "subscription { checkInLogged { id } }";
        start(&mut first, "a", LOGGED, json!({})).await;
        start(&mut first, "b", LOGGED, json!({})).await;
        start(&mut second, "c", LOGGED, json!({})).await;
        // A pong on each socket: the subscriptions sent before the ping are in.
        for socket in [&mut first, &mut second] {
            send(socket, json!({"type": "ping"})).await;
            assert_eq!(socket::next_json(socket).await["type"], "pong");
        }
        let answer = ask(
            &mut second,
            "d",
            "subscription { checkInLogged { id } }",
            json!({}),
        )
        .await;
        assert_eq!(first_code(&answer), "TOO_MANY_REQUESTS", "{answer:#}");
        let mut third = open(&app).await;
        socket::init(&mut third, app.token.as_deref()).await;
        assert_eq!(close_code(&mut third).await, Some(4429));
        let _held = open(&app).await;
        let refused = socket::try_open(&app, &[]).await;
        assert!(
            refused.is_err(),
            "a fourth connection from one address is refused"
        );
    }
);

both_backends!(
    a_websocket_message_over_the_size_limit_closes_the_socket,
    |app| async move {
        app.as_coordinator().await;
        let mut socket = connect(&app).await;
        let padding = "#".repeat(100 * 1024);
        start(
            &mut socket,
            "big",
            &format!("{{ me {{ email }} }}\n{padding}"),
            json!({}),
        )
        .await;
        assert_eq!(close_code(&mut socket).await, Some(1009));
    }
);

both_backends!(
    a_client_that_sends_its_headers_slowly_is_cut_off,
    settings = |s: &mut api::Settings| s.limits.header_read_timeout = Duration::from_secs(1),
    |app| async move {
        let addr = app.addr;
        let outcome = tokio::task::spawn_blocking(move || {
            use std::io::{Read, Write};
            let mut stream = std::net::TcpStream::connect(addr).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            let mut buf = [0u8; 256];
            match stream.read(&mut buf) {
                Ok(n) => Ok(String::from_utf8_lossy(&buf[..n]).into_owned()),
                Err(e) => Err(e.kind()),
            }
        })
        .await
        .unwrap();
        match outcome {
            Ok(text) => assert!(
                text.is_empty() || text.starts_with("HTTP/1.1 408"),
                "{text}"
            ),
            Err(kind) => assert_eq!(kind, std::io::ErrorKind::ConnectionReset),
        }
    }
);

// Finding 6: unbounded text reached fuzzy matching.
both_backends!(
    overlong_text_inputs_are_refused_before_any_work,
    |app| async move {
        app.as_coordinator().await;
        let mut volunteer = volunteer_input("Long");
        volunteer["languages"][0]["language"] = json!("y".repeat(65));
        let cases = [
            (
                "query($v: String) { volunteers(filter: {language: $v}) { totalCount } }",
                json!("a".repeat(100 * 1024)),
                "filter.language",
                "64",
            ),
            (
                "query($v: String) { familyCareServices(language: $v) { totalCount } }",
                json!("x".repeat(65)),
                "language",
                "64",
            ),
            (
                "mutation($v: CreateVolunteerInput!) { createVolunteer(input: $v) { id } }",
                volunteer,
                "input.languages[0].language",
                "64",
            ),
            (
                "query($v: String) { families(filter: {search: $v}) { totalCount } }",
                json!("z".repeat(201)),
                "filter.search",
                "200",
            ),
            (
                "mutation($v: String!) { addGoal(planId: \"x\", description: $v, lifeDomain: SCHOOL) { id } }",
                json!("w".repeat(5_001)),
                "description",
                "5000",
            ),
        ];
        for (query, value, field, limit) in cases {
            let error = app.gql_err(query, json!({"v": value})).await;
            assert_bad_input(&error, field);
            let message = error["message"].as_str().unwrap().replace(',', "");
            assert!(message.contains(limit), "{error:#}");
        }
        assert_eq!(count_volunteers(&app).await, 0);
    }
);

/// Sends `login` as the client at `address` (through the trusted proxy).
async fn login_from(app: &TestApp, address: &str, email: &str, password: &str) -> Value {
    app.client
        .post(app.url("/graphql"))
        .header("x-forwarded-for", address)
        .json(&json!({
            "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
            "variables": {"e": email, "p": password},
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn trust_localhost(s: &mut api::Settings) {
    s.limits.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
}

// Finding 7: login throttling could be raced and weaponised.
both_backends!(
    forty_parallel_guesses_cannot_race_past_the_limit,
    |app| async move {
        app.create_user("coordinator@example.org", Role::Coordinator, None)
            .await;
        let app = std::sync::Arc::new(app);
        let mut attempts = Vec::new();
        for i in 0..40 {
            let app = app.clone();
            let password = if i == 29 {
                PASSWORD.to_owned()
            } else {
                format!("wrong guess {i}")
            };
            attempts.push(tokio::spawn(async move {
                app.gql(
                    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
                    json!({"e": "coordinator@example.org", "p": password}),
                )
                .await
            }));
        }
        let mut checked = 0;
        for attempt in attempts {
            let body = attempt.await.unwrap();
            match body["errors"][0]["extensions"]["code"].as_str() {
                None | Some("UNAUTHENTICATED") => checked += 1,
                Some("TOO_MANY_REQUESTS") => {
                    assert!(
                        body["errors"][0]["extensions"]["retryAfter"]
                            .as_u64()
                            .unwrap()
                            > 0,
                        "{body:#}"
                    );
                }
                Some(other) => panic!("{other}: {body:#}"),
            }
        }
        assert!(
            checked <= 5,
            "{checked} attempts had their password checked"
        );
    }
);

both_backends!(
    a_stranger_cannot_lock_the_real_user_out,
    settings = trust_localhost,
    |app| async move {
        app.create_user("coordinator@example.org", Role::Coordinator, None)
            .await;
        for i in 0..5 {
            let body = login_from(
                &app,
                "203.0.113.9",
                "coordinator@example.org",
                &format!("guess {i}!"),
            )
            .await;
            assert_eq!(first_code(&body), "UNAUTHENTICATED");
        }
        let body = login_from(&app, "203.0.113.9", "coordinator@example.org", PASSWORD).await;
        assert_eq!(first_code(&body), "TOO_MANY_REQUESTS", "{body:#}");
        let retry = body["errors"][0]["extensions"]["retryAfter"]
            .as_u64()
            .unwrap();
        assert!((1..=15 * 60).contains(&retry), "{body:#}");
        let body = login_from(&app, "198.51.100.4", "coordinator@example.org", PASSWORD).await;
        assert!(
            body["data"]["login"]["token"].is_string(),
            "the real user signs in: {body:#}"
        );
    }
);

both_backends!(
    an_address_that_keeps_failing_waits_longer_each_time,
    settings = trust_localhost,
    |app| async move {
        const GUESS: &str = "guess guess guess";
        let attacker = "203.0.113.7";
        for i in 0..10 {
            let body = login_from(&app, attacker, &format!("nobody{i}@example.org"), GUESS).await;
            assert_eq!(first_code(&body), "UNAUTHENTICATED", "{body:#}");
        }
        // (what the next attempt answers, its retryAfter, the pause before the one after)
        let steps = [
            ("TOO_MANY_REQUESTS", Some(1), 1_100),
            ("UNAUTHENTICATED", None, 0),
            ("TOO_MANY_REQUESTS", Some(2), 0),
        ];
        for (code, retry_after, pause) in steps {
            let body = login_from(&app, attacker, "someone@example.org", GUESS).await;
            assert_eq!(first_code(&body), code, "{body:#}");
            if let Some(seconds) = retry_after {
                assert_eq!(
                    body["errors"][0]["extensions"]["retryAfter"], seconds,
                    "{body:#}"
                );
            }
            tokio::time::sleep(Duration::from_millis(pause)).await;
        }
        let body = login_from(&app, "198.51.100.1", "someone@example.org", GUESS).await;
        assert_eq!(
            first_code(&body),
            "UNAUTHENTICATED",
            "another address is not slowed: {body:#}"
        );
    }
);

both_backends!(old_login_failures_are_pruned, |app| async move {
    let old = chrono::Utc::now() - chrono::Duration::days(2);
    use sea_orm::{ActiveModelTrait, Set};
    entity::login_failure::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        email: Set("old@example.org".into()),
        at: Set(old),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let body = app
        .gql("mutation { login(email: \"new@example.org\", password: \"guess guess guess\") { token } }", json!({}))
        .await;
    assert_eq!(first_code(&body), "UNAUTHENTICATED");
    let left = app
        .sql_number("SELECT COUNT(*) AS n FROM login_failure WHERE email = 'old@example.org'")
        .await;
    assert_eq!(left, 0, "failures older than the window are deleted");
});

// Finding 8: input hygiene.
both_backends!(
    a_nul_byte_in_any_text_input_is_refused_with_its_field_and_nothing_is_written,
    |app| async move {
        let error = app
            .gql_err("mutation($e: String!) { login(email: $e, password: \"whatever whatever\") { token } }", json!({"e": "a\u{0}@example.org"}))
            .await;
        assert_bad_input(&error, "email");
        app.create_user("admin@example.org", Role::Admin, None)
            .await;
        app.login("admin@example.org").await;
        let mut input = family_input("Fa\u{0}tima");
        let error = app.gql_err(CREATE_FAMILY, json!({"input": input})).await;
        assert_bad_input(&error, "input.displayName");
        assert_eq!(count_families(&app).await, 0, "nothing was written");
        input["displayName"] = json!("Fatima");
        let f = create_family(&app, input).await;
        let error = app
            .gql_err("mutation($p: ID!, $d: String!) { addGoal(planId: $p, description: $d, lifeDomain: SCHOOL) { id } }", json!({"p": f["plan"]["id"], "d": "Naar\u{0} school"}))
            .await;
        assert_bad_input(&error, "description");
        let v = create_volunteer(&app, volunteer_input("Amina")).await;
        let error = app
            .gql_err("mutation($v: ID!, $n: String) { logCheckIn(input: {volunteerId: $v, kind: CALL, notes: $n}) { id } }", json!({"v": v["id"], "n": "fine\u{0}"}))
            .await;
        assert_bad_input(&error, "input.notes");
        let error = app
            .gql_err(
                "query($s: ID) { auditLog(first: 5, subjectId: $s) { totalCount } }",
                json!({"s": "Family:\u{0}"}),
            )
            .await;
        assert_bad_input(&error, "subjectId");
        let goals = app.sql_number("SELECT COUNT(*) AS n FROM goal").await;
        let check_ins = app.sql_number("SELECT COUNT(*) AS n FROM check_in").await;
        assert_eq!((goals, check_ins), (0, 0), "nothing was written");
    }
);

both_backends!(
    names_refuse_control_bidi_and_zero_width_characters_and_free_text_keeps_its_lines,
    |app| async move {
        app.as_coordinator().await;
        for name in [
            "Bell\u{7}",
            "\u{1b}[31mRed",
            "Ali\u{202e}ecnirp",
            "Ze\u{200b}ro",
            "Two\nlines",
        ] {
            let error = app
                .gql_err(CREATE_VOLUNTEER, json!({"input": volunteer_input(name)}))
                .await;
            assert_bad_input(&error, "input.name");
        }
        assert_eq!(count_volunteers(&app).await, 0);
        let v = create_volunteer(&app, volunteer_input("Amina")).await;
        let logged = app
            .gql_ok("mutation($v: ID!, $n: String) { logCheckIn(input: {volunteerId: $v, kind: CALL, notes: $n}) { notes } }", json!({"v": v["id"], "n": "line one\nline two\twith a tab"}))
            .await;
        assert_eq!(
            logged["logCheckIn"]["notes"],
            "line one\nline two\twith a tab"
        );
        let error = app
            .gql_err("mutation($v: ID!, $n: String) { logCheckIn(input: {volunteerId: $v, kind: CALL, notes: $n}) { notes } }", json!({"v": v["id"], "n": "ring \u{7} ring"}))
            .await;
        assert_bad_input(&error, "input.notes");
    }
);

both_backends!(
    weak_passwords_and_implausible_emails_are_refused,
    |app| async move {
        app.create_user("admin@example.org", Role::Admin, None)
            .await;
        app.login("admin@example.org").await;
        let create = "mutation($e: String!, $p: String!) { createUser(input: {name: \"X\", email: $e, role: COORDINATOR, password: $p}) { id } }";
        for password in [
            "            ",
            "aaaaaaaaaaaa",
            "password1234",
            "123456789012",
        ] {
            let error = app
                .gql_err(create, json!({"e": "x@example.org", "p": password}))
                .await;
            assert_bad_input(&error, "input.password");
        }
        for email in [
            "@",
            "a@b",
            "no-at-sign.example.org",
            "two@@example.org",
            "sp ace@example.org",
        ] {
            let error = app
                .gql_err(create, json!({"e": email, "p": "a sound passphrase"}))
                .await;
            assert_bad_input(&error, "input.email");
        }
        let users = app.sql_number("SELECT COUNT(*) AS n FROM app_user").await;
        assert_eq!(users, 1, "nothing was written");
    }
);

// Finding 9: error hygiene.
both_backends!(
    a_malformed_body_gets_a_graphql_error_without_rust_debug_text,
    |app| async move {
        for body in ["{1: 2}", "{\"query\": ", "[]", "\"just a string\""] {
            let (status, answer) = post_raw(&app, body.to_owned()).await;
            assert_eq!(status, 400, "{body}: {answer:#}");
            assert_eq!(first_code(&answer), "BAD_REQUEST", "{body}: {answer:#}");
            let message = answer["errors"][0]["message"].as_str().unwrap();
            assert!(
                !message.contains("Error(") && !message.contains("line:"),
                "{message}"
            );
        }
    }
);

both_backends!(websocket_errors_carry_a_code, |app| async move {
    app.as_coordinator().await;
    let mut socket = connect(&app).await;
    let answer = ask(&mut socket, "1", "{ nope }", json!({})).await;
    assert_eq!(answer["type"], "error", "{answer:#}");
    assert_eq!(first_code(&answer), "BAD_USER_INPUT");
    let answer = ask(&mut socket, "2", "{ auditLog { totalCount } }", json!({})).await;
    assert_eq!(first_code(&answer), "FORBIDDEN", "{answer:#}");
});

both_backends!(the_request_id_is_tandems_own, |app| async move {
    let response = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "spoofed-by-the-client")
        .send()
        .await
        .unwrap();
    let id = response.headers()["x-request-id"].to_str().unwrap();
    assert_ne!(id, "spoofed-by-the-client");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
});

both_backends!(the_bearer_scheme_is_case_insensitive, |app| async move {
    app.as_coordinator().await;
    let token = app.token.clone().unwrap();
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let body: Value = app
            .client
            .post(app.url("/graphql"))
            .header("authorization", format!("{scheme} {token}"))
            .json(&json!({"query": "{ me { email } }"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            body["data"]["me"]["email"], "coordinator@example.org",
            "{scheme}: {body:#}"
        );
    }
});

// The property: generated documents nested deeper than the limit (32) or
// longer than the limit (64 KiB), over HTTP and the WebSocket, get a 4xx or
// a GraphQL error, and the server keeps answering.
mod generated {
    use proptest::prelude::*;

    /// One hostile document and the transport it goes over.
    #[derive(Clone, Debug)]
    pub struct Case {
        pub document: String,
        pub over: Transport,
    }

    #[derive(Clone, Copy, Debug)]
    pub enum Transport {
        Post,
        Get,
        Socket,
    }

    fn nesting() -> impl Strategy<Value = String> {
        (
            33usize..4_000,
            prop::sample::select(vec!["[", "{a: ", "{ a { ", "(", "{"]),
        )
            .prop_map(|(depth, open)| {
                let close = match open {
                    "[" => "]",
                    "(" => ")",
                    "{ a { " => "} }",
                    _ => "}",
                };
                format!(
                    "{{ languages(search: {}\"x\"{}) {{ code }} }}",
                    open.repeat(depth),
                    close.repeat(depth)
                )
            })
    }

    fn oversized() -> impl Strategy<Value = String> {
        (
            64 * 1024 + 1..3_000_000usize,
            prop::sample::select(vec!["a", "\"s\" ", "{", "# ", "a: me { name } "]),
        )
            .prop_map(|(bytes, unit)| {
                format!(
                    "{{ me {{ name }} }} {}",
                    unit.repeat(bytes / unit.len() + 1)
                )
            })
    }

    pub fn case() -> impl Strategy<Value = Case> {
        (
            prop_oneof![nesting(), oversized()],
            prop::sample::select(vec![Transport::Post, Transport::Get, Transport::Socket]),
        )
            .prop_map(|(document, over)| Case { document, over })
    }
}

both_backends!(
    generated_deep_and_oversized_documents_never_take_the_server_down,
    |app| async move {
        use proptest::test_runner::{Config, TestRunner};
        app.as_coordinator().await;
        let handle = tokio::runtime::Handle::current();
        let mut runner = TestRunner::new(Config {
            cases: 48,
            ..Config::default()
        });
        let outcome = tokio::task::block_in_place(|| {
            runner.run(&generated::case(), |case| {
                handle.block_on(async {
                    hostile_case_is_refused_and_the_server_lives(&app, &case).await;
                });
                Ok(())
            })
        });
        outcome.unwrap();
    }
);

async fn hostile_case_is_refused_and_the_server_lives(app: &TestApp, case: &generated::Case) {
    use generated::Transport;
    let document = &case.document;
    // A connection of its own: the server may close it after a refusal
    // (413 and 431 come before the request was read in full).
    let hostile = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let http = match case.over {
        Transport::Post => Some(
            hostile
                .post(app.url("/graphql"))
                .json(&json!({"query": document})),
        ),
        Transport::Get => Some(
            hostile
                .get(app.url("/graphql"))
                .query(&[("query", document)]),
        ),
        Transport::Socket => None,
    };
    match http {
        Some(request) => {
            let sent = request
                .bearer_auth(app.token.as_deref().unwrap())
                .send()
                .await;
            // A body over 1 MB may be cut off while it is still being sent.
            if let Ok(response) = sent {
                let status = response.status().as_u16();
                assert!(
                    (400..500).contains(&status),
                    "{status} for a {} byte document",
                    document.len()
                );
            }
        }
        None => {
            use futures_util::{SinkExt, StreamExt};
            let mut socket = connect(app).await;
            let subscribe = json!({"id": "1", "type": "subscribe", "payload": {"query": document}});
            let sent = socket
                .send(tokio_tungstenite::tungstenite::Message::text(
                    subscribe.to_string(),
                ))
                .await;
            if sent.is_err() {
                // The server closed the socket while a message over its
                // limit was still being written.
                assert!(document.len() > 64 * 1024, "{sent:?}");
                assert_alive(app).await;
                return;
            }
            let answer = tokio::time::timeout(Duration::from_secs(10), socket.next())
                .await
                .expect("an answer within 10 s");
            match answer {
                Some(Ok(tokio_tungstenite::tungstenite::Message::Text(text))) => {
                    let message: Value = serde_json::from_str(&text).unwrap();
                    assert_eq!(message["type"], "error", "{message}");
                    assert!(first_code(&message).len() > 3);
                    let _ = socket.close(None).await;
                }
                Some(Ok(tokio_tungstenite::tungstenite::Message::Close(frame))) => {
                    let code = frame.map(|f| u16::from(f.code));
                    assert_eq!(
                        code,
                        Some(1009),
                        "only an oversized message closes the socket"
                    );
                }
                other => panic!("{other:?}"),
            }
        }
    }
    assert_alive(app).await;
    let me = app.gql_ok("{ me { email } }", json!({})).await;
    assert_eq!(me["me"]["email"], "coordinator@example.org");
}
