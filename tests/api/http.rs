use serde_json::json;
use tests::both_backends;

both_backends!(health_is_up_and_ready_after_migrations, |app| async move {
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.unwrap(), "ready");
});

both_backends!(graphiql_is_served_at_the_root, |app| async move {
    let page = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("graphiql"));
});

both_backends!(get_requests_run_queries, |app| async move {
    app.as_coordinator().await;
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", "{ me { email role } }")])
        .bearer_auth(app.token.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["data"]["me"]["role"], "COORDINATOR");
    let _ = json!({});
});

both_backends!(
    bodies_over_a_megabyte_are_refused_with_413,
    |app| async move {
        app.as_coordinator().await;
        // Announcing the length is enough: the 413 comes before any of the
        // body is read, so this half of the test has no race.
        let (addr, token) = (app.addr, app.token.clone().unwrap());
        let head = tokio::task::spawn_blocking(move || {
            use std::io::{Read, Write};
            let mut stream = std::net::TcpStream::connect(addr).unwrap();
            stream
                .set_read_timeout(Some(std::time::Duration::from_secs(10)))
                .unwrap();
            write!(
                stream,
                "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
                 Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                1024 * 1024 + 1
            )
            .unwrap();
            let mut buf = [0u8; 512];
            let n = stream.read(&mut buf).unwrap();
            String::from_utf8_lossy(&buf[..n]).into_owned()
        })
        .await
        .unwrap();
        assert!(head.starts_with("HTTP/1.1 413"), "{head}");

        // Sent in full, the body meets the same refusal. The server answers
        // 413 without reading the rest and may close the connection before
        // the client has written it all: the client then sees its write fail
        // (broken pipe or reset) instead of the 413. A 200 fails the test.
        let padding = "x".repeat(1024 * 1024 + 1);
        let sent = app
            .client
            .post(app.url("/graphql"))
            .bearer_auth(app.token.as_deref().unwrap())
            .header("content-type", "application/json")
            .body(format!("{{\"query\": \"{{ me {{ email }} }}\", \"extensions\": {{\"pad\": \"{padding}\"}}}}"))
            .send()
            .await;
        match sent {
            Ok(response) => assert_eq!(response.status(), 413),
            Err(e) => {
                let why = format!("{e:?}");
                assert!(
                    why.contains("BrokenPipe") || why.contains("ConnectionReset"),
                    "{why}"
                );
            }
        }
    }
);

both_backends!(
    cross_site_simple_requests_and_get_mutations_are_refused,
    |app| async move {
        app.as_coordinator().await;
        let mutation = "mutation { createFamilyCareService(input: {name: \"x\", organization: \"y\", kind: OTHER, languages: [\"nl\"], serviceArea: [\"1000\"], lifeDomains: []}) { id } }";
        for content_type in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
        ] {
            let response = app
                .client
                .post(app.url("/graphql"))
                .bearer_auth(app.token.as_deref().unwrap())
                .header("content-type", content_type)
                .body(json!({"query": mutation}).to_string())
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 415, "{content_type}");
        }
        let response = app
            .client
            .get(app.url("/graphql"))
            .query(&[("query", mutation)])
            .bearer_auth(app.token.as_deref().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405);
        let batch = app
            .client
            .post(app.url("/graphql"))
            .bearer_auth(app.token.as_deref().unwrap())
            .json(&json!([{"query": "{ me { email } }"}, {"query": "{ me { email } }"}]))
            .send()
            .await
            .unwrap();
        assert!(
            batch.status().is_client_error(),
            "batches are refused, got {}",
            batch.status()
        );
        let services = app
            .gql_ok("{ familyCareServices { totalCount } }", json!({}))
            .await;
        assert_eq!(
            services["familyCareServices"]["totalCount"], 0,
            "nothing was written"
        );
    }
);

both_backends!(
    fragment_bombs_are_refused_and_others_keep_being_served,
    |app| async move {
        app.as_coordinator().await;
        let bomb = crate::fixtures::fragment_bomb(30);
        assert!(bomb.len() < 8 * 1024);
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .unwrap();
        let token = app.token.clone().unwrap();
        let mut attackers = Vec::new();
        for _ in 0..8 {
            let (client, url, token, bomb) = (
                client.clone(),
                app.url("/graphql"),
                token.clone(),
                bomb.clone(),
            );
            attackers.push(tokio::spawn(async move {
                let response = client
                    .post(url)
                    .bearer_auth(token)
                    .json(&json!({"query": bomb}))
                    .send()
                    .await
                    .unwrap();
                let status = response.status();
                let body: serde_json::Value = response.json().await.unwrap();
                (status, body)
            }));
        }
        for _ in 0..5 {
            let me = app.gql_ok("{ me { email } }", json!({})).await;
            assert_eq!(me["me"]["email"], "coordinator@example.org");
        }
        for attacker in attackers {
            let (status, body) = attacker.await.unwrap();
            assert_eq!(status, 400);
            assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        }
    }
);

both_backends!(
    production_mode_hides_introspection_graphiql_and_suggestions,
    settings = |s: &mut api::Settings| s.production = true,
    |app| async move {
        app.as_coordinator().await;
        let page = app.client.get(app.url("/")).send().await.unwrap();
        assert_eq!(page.status(), 404);
        let body = app.gql("{ __schema { types { name } } }", json!({})).await;
        assert!(
            body["data"]["__schema"].is_null(),
            "introspection must reveal nothing: {body:#}"
        );
        let body = app.gql("{ volunteerz { totalCount } }", json!({})).await;
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(!message.contains("Did you mean"), "{message}");
    }
);

both_backends!(two_hundred_concurrent_writers_all_land, |app| async move {
    app.as_coordinator().await;
    let app = std::sync::Arc::new(app);
    let mut writers = Vec::new();
    for i in 0..200 {
        let app = app.clone();
        writers.push(tokio::spawn(async move {
            let mut input = crate::fixtures::volunteer_input(&format!("Writer {i}"));
            input["email"] = json!(format!("writer{i}@example.org"));
            app.gql(crate::fixtures::CREATE_VOLUNTEER, json!({"input": input}))
                .await
        }));
    }
    for writer in writers {
        let body = writer.await.unwrap();
        assert!(body.get("errors").is_none(), "{body:#}");
    }
    assert_eq!(crate::fixtures::count_volunteers(&app).await, 200);
});

both_backends!(
    of_two_concurrent_updates_with_the_same_version_exactly_one_wins,
    |app| async move {
        app.as_coordinator().await;
        let v =
            crate::fixtures::create_volunteer(&app, crate::fixtures::volunteer_input("Sara")).await;
        let app = std::sync::Arc::new(app);
        let mut updates = Vec::new();
        for i in 0..10 {
            let (app, id) = (app.clone(), v["id"].clone());
            updates.push(tokio::spawn(async move {
            app.gql(
                "mutation($id: ID!, $n: String!) { updateVolunteer(id: $id, input: {name: $n}, expectedVersion: 1) { version } }",
                json!({"id": id, "n": format!("Name {i}")}),
            )
            .await
        }));
        }
        let mut won = 0;
        for update in updates {
            let body = update.await.unwrap();
            if body.get("errors").is_none() {
                won += 1;
            } else {
                assert_eq!(
                    body["errors"][0]["extensions"]["code"], "CONFLICT",
                    "{body:#}"
                );
            }
        }
        assert_eq!(won, 1);
        let now = app
            .gql_ok(
                "query($id: ID!) { volunteer(id: $id) { version } }",
                json!({"id": v["id"]}),
            )
            .await;
        assert_eq!(now["volunteer"]["version"], 2);
    }
);

both_backends!(
    metrics_count_operations_errors_ranking_and_the_pool,
    |app| async move {
        app.as_coordinator().await;
        let f = crate::fixtures::create_family(&app, crate::fixtures::family_input("Fatima")).await;
        app.gql_ok("query Me { me { email } }", json!({})).await;
        app.gql_ok(
            "query Rank($f: ID!) { matchesForFamily(familyId: $f) { consideredVolunteers } }",
            json!({"f": f["id"]}),
        )
        .await;
        app.gql_err("query Missing { volunteer(id: \"x\") { name } family(id: \"x\") { id } languages(search: \"ar\", first: -1) { code } }", json!({})).await;
        let response = app.client.get(app.url("/metrics")).send().await.unwrap();
        assert!(
            response.headers().get("x-request-id").is_some(),
            "every response carries a request id"
        );
        let text = response.text().await.unwrap();
        for needle in [
            "tandem_graphql_requests_total{operation=\"Me\"} 1",
            "tandem_graphql_request_duration_seconds_bucket{operation=\"Rank\"",
            "tandem_graphql_errors_total{code=\"BAD_USER_INPUT\"} 1",
            "tandem_match_ranking_duration_seconds_count 1",
            "tandem_match_index_volunteers 0",
            "tandem_db_pool_connections{state=\"idle\"}",
            "tandem_sql_statements_total",
        ] {
            assert!(text.contains(needle), "{needle} missing from:\n{text}");
        }
        // Rank read a family: it waited for its audit entry, committed by the writer.
        let value = |name: &str| -> f64 {
            text.lines()
                .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
                .unwrap_or_else(|| panic!("{name} missing from:\n{text}"))
        };
        let waited = value("tandem_audit_write_duration_seconds_count");
        let commits = value("tandem_audit_commits_total");
        assert!(waited >= 1.0, "no audit wait observed:\n{text}");
        assert!(
            (1.0..=waited).contains(&commits),
            "{commits} commits for {waited} requests"
        );
    }
);

/// A browser's preflight for a POST with a bearer token and JSON.
async fn preflight(app: &tests::TestApp, origin: &str) -> reqwest::Response {
    app.client
        .request(reqwest::Method::OPTIONS, app.url("/graphql"))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization,content-type",
        )
        .send()
        .await
        .unwrap()
}

both_backends!(
    cross_origin_requests_get_no_cors_headers_by_default,
    |app| async move {
        let response = preflight(&app, "https://console.example.org").await;
        assert!(
            response
                .headers()
                .get("access-control-allow-origin")
                .is_none(),
            "{:?}",
            response.headers()
        );
    }
);

both_backends!(
    the_origins_of_tandem_cors_origins_may_call_the_api_from_a_browser,
    settings = |s: &mut api::Settings| {
        s.cors_origins = vec!["https://console.example.org".into()];
    },
    |app| async move {
        let response = preflight(&app, "https://console.example.org").await;
        assert!(response.status().is_success(), "{}", response.status());
        let headers = response.headers().clone();
        assert_eq!(
            headers["access-control-allow-origin"],
            "https://console.example.org"
        );
        let methods = headers["access-control-allow-methods"].to_str().unwrap();
        assert!(
            methods.contains("POST") && methods.contains("GET"),
            "{methods}"
        );
        let allowed = headers["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .to_ascii_lowercase();
        assert!(
            allowed.contains("authorization") && allowed.contains("content-type"),
            "{allowed}"
        );
        assert!(headers.get("access-control-allow-credentials").is_none());
        // The request itself.
        let response = app
            .client
            .post(app.url("/graphql"))
            .header("origin", "https://console.example.org")
            .json(&json!({"query": "{ __typename }"}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.headers()["access-control-allow-origin"],
            "https://console.example.org"
        );
        assert!(
            response.headers().get_all("vary").iter().any(|v| v
                .to_str()
                .unwrap()
                .to_ascii_lowercase()
                .contains("origin"))
        );
        // Any other origin is not allowed.
        let response = preflight(&app, "https://evil.example.com").await;
        assert!(
            response
                .headers()
                .get("access-control-allow-origin")
                .is_none()
        );
    }
);
