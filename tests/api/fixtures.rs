//! Inputs the tests share.

use serde_json::{Value, json};
use tests::TestApp;

pub const CREATE_VOLUNTEER: &str = "mutation($input: CreateVolunteerInput!) {
  createVolunteer(input: $input) {
    id name status version capacity maxTravelKm currentLoad
    languages { language { code name nameNl nameFr } level }
    home { postalCode municipality latitude longitude }
    availability { day start end }
    crisisExperience
    backgroundCheck { issuedOn validUntil valid }
    trainings { module completedOn }
  }
}";

pub const CREATE_FAMILY: &str = "mutation($input: CreateFamilyInput!) {
  createFamily(input: $input) {
    id reference displayName status urgency version waitingDays consentGiven
    languages { language { code } level }
    preferredLanguage { code name }
    home { postalCode municipality }
    crisisTypes
    children { ageYears }
    neededAvailability { day start end }
    plan { id status goals { id } involvements { id } timeline { at } family { id } }
  }
}";

/// A valid volunteer input: Arabic and Dutch, Molenbeek, Wednesday afternoons.
pub fn volunteer_input(name: &str) -> Value {
    json!({
        "name": name,
        "email": "volunteer@example.org",
        "status": "ACTIVE",
        "languages": [
            {"language": "Arabisch", "level": "NATIVE"},
            {"language": "nl", "level": "FLUENT"}
        ],
        "home": {"postalCode": "1080"},
        "maxTravelKm": 8,
        "availability": [{"day": "WEDNESDAY", "start": "14:00", "end": "17:00"}],
        "crisisExperience": ["PARENTING_STRESS", "NEWCOMER"],
        "capacity": 2,
        "backgroundCheckIssuedOn": "2025-03-01"
    })
}

/// A valid family input: speaks Arabic (preferred) and French, in Anderlecht.
pub fn family_input(name: &str) -> Value {
    json!({
        "displayName": name,
        "languages": [
            {"language": "arabe", "level": "NATIVE"},
            {"language": "French", "level": "CONVERSATIONAL"}
        ],
        "preferredLanguage": "ar",
        "home": {"postalCode": "1070"},
        "crisisTypes": ["PARENTING_STRESS", "NEWCOMER", "HOUSING"],
        "urgency": "HIGH",
        "referralSource": "CAW",
        "neededAvailability": [{"day": "WEDNESDAY", "start": "15:00", "end": "18:00"}],
        "childrenAges": [3, 7],
        "consentGiven": true
    })
}

pub async fn create_volunteer(app: &TestApp, input: Value) -> Value {
    app.gql_ok(CREATE_VOLUNTEER, json!({"input": input})).await["createVolunteer"].clone()
}

/// An ACTIVE volunteer with a valid background check and the BASIC training.
pub async fn ready_volunteer(app: &TestApp, name: &str, input: Value) -> Value {
    let mut input = input;
    input["name"] = json!(name);
    let v = create_volunteer(app, input).await;
    app.gql_ok(
        "mutation($id: ID!) { recordTraining(volunteerId: $id, module: \"BASIC\", completedOn: \"2026-01-10\") { id } }",
        json!({"id": v["id"]}),
    )
    .await;
    v
}

pub async fn create_family(app: &TestApp, input: Value) -> Value {
    app.gql_ok(CREATE_FAMILY, json!({"input": input})).await["createFamily"].clone()
}

/// Asserts a BAD_USER_INPUT on `field`.
pub fn assert_bad_input(error: &Value, field: &str) {
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{error:#}");
    assert_eq!(error["extensions"]["field"], field, "{error:#}");
}

pub async fn count_volunteers(app: &TestApp) -> i64 {
    app.gql_ok("{ volunteers { totalCount } }", json!({})).await["volunteers"]["totalCount"]
        .as_i64()
        .unwrap()
}

pub async fn count_families(app: &TestApp) -> i64 {
    app.gql_ok("{ families { totalCount } }", json!({})).await["families"]["totalCount"]
        .as_i64()
        .unwrap()
}

/// Whether the audit log holds a READ of `subject` by `email` caused by
/// `operation` (the app must be signed in as an admin), and the log read.
pub async fn read_was_audited(
    app: &TestApp,
    subject: &Value,
    operation: &str,
    email: &str,
) -> (bool, Value) {
    let log = app
        .gql_ok(
            "query($s: ID) { auditLog(first: 100, subjectId: $s) { edges { node { action operation userEmail } } } }",
            json!({"s": subject}),
        )
        .await;
    let found = log["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| {
            e["node"]["operation"] == operation
                && e["node"]["action"] == "READ"
                && e["node"]["userEmail"] == email
        });
    (found, log)
}

/// Fragments that each spread the next one twice: 2^n fields in well under 8 KB.
pub fn fragment_bomb(n: usize) -> String {
    let mut doc = String::from("query { me { ...F0 } }\n");
    for i in 0..n {
        doc.push_str(&format!(
            "fragment F{i} on User {{ ...F{} ...F{} }}\n",
            i + 1,
            i + 1
        ));
    }
    doc.push_str(&format!("fragment F{n} on User {{ name email }}\n"));
    doc
}
