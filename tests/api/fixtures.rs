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
    trainings { module { code } completedOn }
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
    plan { id status goals { id } involvements { id } timeline { totalCount edges { node { at } } } family { id } }
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

/// The four roles, by the name of their test account (`<role>@example.org`).
pub const ROLES: [&str; 4] = ["admin", "coordinator", "followup", "volunteer"];

/// A small network with a family at every relationship the access policy
/// knows: the VOLUNTEER account belongs to `own`, who is PROPOSED to the
/// family `proposed`, ACTIVE on `active`, PHASING_OUT on `phasing_out`, ENDED
/// on `ended` and DECLINED on `declined`; `other` has only the second
/// volunteer PROPOSED (followed by follow-up staff, nothing to `own`), and
/// `unfollowed` has no volunteer at all. Every plan has a goal, a point of
/// contact and a network member; `active` also has the second volunteer and a
/// professional. One HIGH-concern check-in with `own` is about `active`.
pub struct Network {
    /// A token per role (`ROLES`).
    pub tokens: std::collections::HashMap<&'static str, String>,
    /// The volunteer of the VOLUNTEER account.
    pub own: Value,
    /// The other volunteer.
    pub other_volunteer: Value,
    /// Families by relationship, as `CREATE_FAMILY` answered.
    pub families: std::collections::HashMap<&'static str, Value>,
    /// The VOLUNTEER's own involvement with each family they are on.
    pub own_involvements: std::collections::HashMap<&'static str, Value>,
    /// A goal of each family's plan.
    pub goals: std::collections::HashMap<&'static str, Value>,
    /// The network member's involvement of each family.
    pub network_involvements: std::collections::HashMap<&'static str, Value>,
    /// The HIGH-concern check-in with `own` about `active`.
    pub check_in: Value,
    /// A family-care service (on no plan).
    pub service: Value,
    /// The professional's involvement with `active`.
    pub professional_involvement: Value,
    /// A WAITING family no volunteer speaks the language of.
    pub unmatched: Value,
    /// An ACTIVE volunteer without the basic training (null until
    /// [`Network::add_untrained_volunteer`]).
    pub untrained: Value,
}

/// The relationships of `Network::families`.
pub const RELATIONS: [&str; 7] = [
    "proposed",
    "active",
    "phasing_out",
    "ended",
    "declined",
    "other",
    "unfollowed",
];

/// What the step to an involvement's status is called, with the reason it needs.
const STEPS: [(&str, &str, Option<&str>); 3] = [
    ("phaseIn", "ACTIVE", None),
    ("startPhaseOut", "PHASING_OUT", Some("winding down")),
    (
        "endInvolvement",
        "ENDED",
        Some("the family preferred a woman buddy"),
    ),
];

impl Network {
    /// Builds the network as ADMIN and signs every role in; `app.token` is
    /// left on the admin.
    pub async fn build(app: &mut TestApp) -> Network {
        use api::Role;
        app.create_user("admin@example.org", Role::Admin, None)
            .await;
        app.login("admin@example.org").await;
        let mut input = volunteer_input("x");
        input["capacity"] = json!(5);
        let own = ready_volunteer(app, "Own volunteer", input.clone()).await;
        let other_volunteer = ready_volunteer(app, "Other volunteer", input).await;
        let mut network = Network {
            tokens: Default::default(),
            own,
            other_volunteer,
            families: Default::default(),
            own_involvements: Default::default(),
            goals: Default::default(),
            network_involvements: Default::default(),
            check_in: Value::Null,
            service: Value::Null,
            professional_involvement: Value::Null,
            unmatched: Value::Null,
            untrained: Value::Null,
        };
        for relation in RELATIONS {
            network.add_family(app, relation).await;
        }
        let mut unmatched = family_input("Family nobody speaks with");
        unmatched["languages"] = json!([{"language": "ti", "level": "NATIVE"}]);
        unmatched["preferredLanguage"] = json!("ti");
        network.unmatched = create_family(app, unmatched).await;
        network.service = app
            .gql_ok(
                "mutation { createFamilyCareService(input: {name: \"Gezinszorg\", organization: \"Familiehulp\", kind: FAMILY_CARE, languages: [\"nl\"], serviceArea: [\"1000\"], lifeDomains: [HOUSEHOLD]}) { id } }",
                json!({}),
            )
            .await["createFamilyCareService"]["id"]
            .clone();
        network.check_in = app
            .gql_ok(
                "mutation($v: ID!, $f: ID!) { logCheckIn(input: {volunteerId: $v, familyId: $f, kind: VISIT, concern: HIGH, notes: \"worried about the family\"}) { id } }",
                json!({"v": network.own["id"], "f": network.families["active"]["id"]}),
            )
            .await["logCheckIn"]["id"]
            .clone();
        let (_, own_key) = api::parse_global_id(network.own["id"].as_str().unwrap()).unwrap();
        app.create_user("coordinator@example.org", Role::Coordinator, None)
            .await;
        app.create_user("followup@example.org", Role::FollowUp, None)
            .await;
        app.create_user("volunteer@example.org", Role::Volunteer, Some(own_key))
            .await;
        for role in ROLES {
            app.login(&format!("{role}@example.org")).await;
            network.tokens.insert(role, app.token.clone().unwrap());
        }
        app.token = Some(network.tokens["admin"].clone());
        network
    }

    async fn add_family(&mut self, app: &TestApp, relation: &'static str) {
        let family = create_family(app, family_input(&format!("Family {relation}"))).await;
        let vars = |extra: Value| {
            let mut vars = json!({"f": family["id"], "p": family["plan"]["id"]});
            for (k, v) in extra.as_object().unwrap() {
                vars[k] = v.clone();
            }
            vars
        };
        let goal = app
            .gql_ok(
                "mutation($p: ID!, $d: String!) { addGoal(planId: $p, description: $d, lifeDomain: SCHOOL) { id } }",
                vars(json!({"d": format!("Goal of {relation}: Mounir goes to school")})),
            )
            .await["addGoal"]["id"]
            .clone();
        self.goals.insert(relation, goal);
        app.gql_ok(
            "mutation($p: ID!) { setPointOfContact(planId: $p, pointOfContact: \"Sofie (CAW)\") { id } }",
            vars(json!({})),
        )
        .await;
        let member = app
            .gql_ok(
                "mutation($f: ID!) { involveNetworkMember(input: {familyId: $f, name: \"Tante Khadija\", relation: \"tante\", role: \"childcare on Wednesdays\"}) { id } }",
                vars(json!({})),
            )
            .await["involveNetworkMember"]["id"]
            .clone();
        self.network_involvements.insert(relation, member);
        let involve = "mutation($f: ID!, $v: ID!) { involveVolunteer(input: {familyId: $f, volunteerId: $v, note: \"lives close\"}) { id } }";
        if relation == "other" || relation == "active" {
            let theirs = app
                .gql_ok(involve, vars(json!({"v": self.other_volunteer["id"]})))
                .await["involveVolunteer"]["id"]
                .clone();
            if relation == "active" {
                step(app, "phaseIn", &theirs, None).await;
                self.professional_involvement = app
                    .gql_ok(
                        "mutation($f: ID!) { involveProfessional(input: {familyId: $f, name: \"Sofie\", organization: \"CAW\", role: \"point of contact\"}) { id } }",
                        vars(json!({})),
                    )
                    .await["involveProfessional"]["id"]
                    .clone();
            }
        }
        if relation != "other" && relation != "unfollowed" {
            let mine = app
                .gql_ok(involve, vars(json!({"v": self.own["id"]})))
                .await["involveVolunteer"]["id"]
                .clone();
            let steps: &[(&str, &str, Option<&str>)] = match relation {
                "active" => &STEPS[..1],
                "phasing_out" => &STEPS[..2],
                "ended" => &STEPS[..],
                _ => &[],
            };
            for (mutation, _, reason) in steps {
                step(app, mutation, &mine, *reason).await;
            }
            if relation == "declined" {
                step(app, "declineInvolvement", &mine, Some("no time")).await;
            }
            self.own_involvements.insert(relation, mine);
        }
        self.families.insert(relation, family);
    }

    /// Adds an ACTIVE volunteer without the basic training, on no plan: what
    /// lists the modules a volunteer or a family's matches miss has a row.
    pub async fn add_untrained_volunteer(&mut self, app: &TestApp) {
        let mut input = volunteer_input("x");
        input["name"] = json!("Untrained volunteer");
        self.untrained = create_volunteer(app, input).await;
    }

    /// Signs `app` in as `role` (one of `ROLES`).
    pub fn as_role(&self, app: &mut TestApp, role: &str) {
        app.token = Some(self.tokens[role].clone());
    }
}

/// Moves an involvement one step.
pub async fn step(app: &TestApp, mutation: &str, involvement: &Value, reason: Option<&str>) {
    app.gql_ok(
        &format!("mutation($i: ID!, $r: String) {{ {mutation}(input: {{involvementId: $i, reason: $r}}) {{ id }} }}"),
        json!({"i": involvement, "r": reason}),
    )
    .await;
}

/// The `extensions.code` of every error of a response.
pub fn error_codes(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["extensions"]["code"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}
