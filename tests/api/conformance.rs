//! GraphQL-over-HTTP conformance: graphql-http's `auditServer` (npm) against
//! the real server. The test installs the package itself the first time
//! (`npm ci --prefix tests/graphql-http`, as `.ci/run` does beforehand), so
//! `cargo test --workspace` runs the audit on a fresh machine too. Without
//! npm, or when the install fails, it says so and passes, except under
//! `CI=true`, where that is a failure.

use std::{path::Path, process::Command, sync::Mutex};

use tests::both_backends;

/// Installs graphql-http under `dir` unless it is there already: once per
/// test process (both backends' tests ask; the lock makes the second wait
/// for the first's install). `Err` says why it is not installed.
fn ensure_installed(dir: &Path) -> Result<(), String> {
    static INSTALL: Mutex<()> = Mutex::new(());
    let _one_at_a_time = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    if dir.join("node_modules/graphql-http").exists() {
        return Ok(());
    }
    let output = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(dir)
        .output()
        .map_err(|e| format!("npm could not be started ({e})"))?;
    if !output.status.success() {
        return Err(format!(
            "`npm ci --prefix tests/graphql-http` failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(())
}

both_backends!(the_graphql_http_audit_reports_no_error, |app| async move {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("graphql-http");
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let install_dir = dir.clone();
    let installed = tokio::task::spawn_blocking(move || ensure_installed(&install_dir))
        .await
        .unwrap();
    if let Err(why) = installed {
        assert!(!ci, "CI=true but graphql-http is not installed: {why}");
        eprintln!("graphql-http is not installed, audit skipped: {why}");
        return;
    }
    let url = app.url("/graphql");
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
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
