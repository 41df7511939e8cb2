//! The README's Apollo Client example (issue 24, finding 5), run as it is
//! written there against a test server: sign in, automatic persisted
//! queries over GET, paging through a connection, an error's code.

use serde_json::{Value, json};
use tests::{PASSWORD, both_backends};

use crate::{
    fixtures::{create_volunteer, volunteer_input},
    npm,
};

/// The `js` block after the example's marker in the README.
fn readme_example() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("the README reads");
    let (_, after) = readme
        .split_once("<!-- apollo-client-example")
        .expect("the README has the Apollo Client example");
    let (_, block) = after.split_once("```js\n").expect("a js block");
    let (code, _) = block.split_once("```").expect("the block ends");
    code.to_owned()
}

both_backends!(
    the_readme_s_apollo_client_example_runs_against_the_server,
    |app| async move {
        app.as_coordinator().await;
        let names = ["Amina", "Bram", "Chloé", "Dries", "Elif"];
        for name in names {
            create_volunteer(&app, volunteer_input(name)).await;
        }
        let Some(dir) = npm::installed("graphql-js", "@apollo/client").await else {
            return;
        };
        let env = vec![
            ("TANDEM_URL", app.url("/graphql")),
            ("TANDEM_EMAIL", "coordinator@example.org".to_owned()),
            ("TANDEM_PASSWORD", PASSWORD.to_owned()),
        ];
        let (success, output) = npm::run_module(&dir, readme_example(), env).await;
        assert!(success, "the example failed:\n{output}");
        let last = output.lines().last().unwrap_or_default();
        let result: Value = serde_json::from_str(last).unwrap_or_else(|_| panic!("{output}"));
        assert_eq!(result["names"], json!(names), "{output}");
        assert_eq!(
            result["refused"],
            json!({"code": "BAD_USER_INPUT", "field": "first"}),
            "{output}"
        );
    }
);
