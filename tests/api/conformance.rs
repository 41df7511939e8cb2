//! GraphQL-over-HTTP conformance: graphql-http's `auditServer` (npm) against
//! the real server. The test installs the package itself the first time
//! (see [`crate::npm`]), so `cargo test --workspace` runs the audit on a
//! fresh machine too.

use tests::both_backends;

use crate::npm;

both_backends!(the_graphql_http_audit_reports_no_error, |app| async move {
    let Some(dir) = npm::installed("graphql-http", "graphql-http").await else {
        return;
    };
    let (success, report) =
        npm::node(&dir, "audit.mjs", &[app.url("/graphql")], String::new()).await;
    eprintln!("{report}");
    assert!(success, "the audit reported errors:\n{report}");
    assert!(report.contains(" 0 error"), "{report}");
});
