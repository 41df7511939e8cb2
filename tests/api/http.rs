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
