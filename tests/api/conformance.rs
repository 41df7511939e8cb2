//! GraphQL-over-HTTP conformance: graphql-http's `auditServer` (npm) against
//! the real server. `.ci/run` installs it (`npm ci --prefix tests/graphql-http`);
//! without Node or the package the test says so and passes, except under
//! `CI=true`, where that is a failure.

use tests::both_backends;

both_backends!(the_graphql_http_audit_reports_no_error, |app| async move {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("graphql-http");
    let installed = dir.join("node_modules/graphql-http").exists();
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    if !installed {
        assert!(
            !ci,
            "CI=true but graphql-http is not installed: run `npm ci --prefix tests/graphql-http`"
        );
        eprintln!("graphql-http not installed (npm ci --prefix tests/graphql-http): audit skipped");
        return;
    }
    let url = app.url("/graphql");
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(dir.join("audit.mjs"))
            .arg(url)
            .output()
    })
    .await
    .unwrap()
    .expect("node runs");
    let report = String::from_utf8_lossy(&output.stdout);
    eprintln!("{report}");
    assert!(
        output.status.success(),
        "the audit reported errors:\n{report}"
    );
    assert!(report.contains(" 0 error"), "{report}");
});
