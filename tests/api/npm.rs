//! The node packages some tests run (graphql-http's audit, graphql-js as a
//! reference executor, Apollo Client): each directory under `tests/` with a
//! `package.json` and its lock is installed with `npm ci` the first time a
//! test needs it (`.ci/run` installs them beforehand). Without npm, or when
//! the install fails, the test says so and passes, except under `CI=true`,
//! where that is a failure.

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::Mutex,
};

/// The directory `tests/<name>`, its packages installed; `None` (after
/// saying why) when they cannot be, outside CI.
pub async fn installed(name: &str, marker: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    let install_dir = dir.clone();
    let marker = marker.to_owned();
    let result = tokio::task::spawn_blocking(move || ensure_installed(&install_dir, &marker))
        .await
        .unwrap();
    match result {
        Ok(()) => Some(dir),
        Err(why) => {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true");
            assert!(!ci, "CI=true but tests/{name} is not installed: {why}");
            eprintln!("tests/{name} is not installed, check skipped: {why}");
            None
        }
    }
}

/// Installs the packages of `dir` unless `node_modules/<marker>` is there
/// already: one install at a time in a test process (both backends' tests
/// ask; the lock makes the second wait for the first's install).
fn ensure_installed(dir: &Path, marker: &str) -> Result<(), String> {
    static INSTALL: Mutex<()> = Mutex::new(());
    let _one_at_a_time = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    if dir.join("node_modules").join(marker).exists() {
        return Ok(());
    }
    let output = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(dir)
        .output()
        .map_err(|e| format!("npm could not be started ({e})"))?;
    if !output.status.success() {
        return Err(format!(
            "`npm ci --prefix {}` failed:\n{}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(())
}

/// Runs `node <dir>/<script> <args...>` with `stdin`; its exit status and output.
pub async fn node(dir: &Path, script: &str, args: &[String], stdin: String) -> (bool, String) {
    let mut command = Command::new("node");
    command.arg(dir.join(script)).args(args);
    run(command, stdin).await
}

/// Runs the ES module `source` with node in `dir` (so that it imports the
/// packages installed there), with `env`; its exit status and output.
pub async fn run_module(
    dir: &Path,
    source: String,
    env: Vec<(&'static str, String)>,
) -> (bool, String) {
    let mut command = Command::new("node");
    command
        .args(["--input-type=module", "-"])
        .current_dir(dir)
        .envs(env);
    run(command, source).await
}

/// Runs `command` on the blocking pool with `stdin` written to it; its exit
/// status and its output (stdout, then stderr).
async fn run(mut command: Command, stdin: String) -> (bool, String) {
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut child = command
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("node runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.success(), text)
    })
    .await
    .unwrap()
}
