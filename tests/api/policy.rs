//! The access policy against the served schema: every object field has a
//! row; the README's "Who sees what" is the table; and the walks the role
//! matrix (`access`) and the audit test (`privacy`) are generated from:
//! every field of every object type, reached from a record at each
//! relationship the policy knows, with what the table says each role gets.

use std::collections::{BTreeSet, HashMap};

use api::{
    Role,
    policy::{self, Access, Decision, Rule},
};
use serde_json::{Value, json};
use tests::{TestApp, both_backends};

use crate::fixtures::*;

const INTROSPECTION: &str = "{ __schema { types { kind name
  fields { name type { ...T } args { name defaultValue type { ...T } } }
  inputFields { name type { ...T } }
  possibleTypes { name } enumValues { name } } } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }";

/// A type as a field or argument has it.
#[derive(Clone, Debug)]
pub struct TypeRef {
    /// The named type underneath the lists and non-nulls.
    pub named: String,
    /// Its kind (OBJECT, SCALAR, ...).
    pub kind: String,
    /// Non-null at the top.
    pub required: bool,
    /// A list.
    pub list: bool,
}

impl TypeRef {
    fn from(value: &Value) -> TypeRef {
        let required = value["kind"] == "NON_NULL";
        let mut list = false;
        let mut at = value;
        while at["name"].is_null() {
            list |= at["kind"] == "LIST";
            at = &at["ofType"];
        }
        TypeRef {
            named: at["name"].as_str().unwrap().to_owned(),
            kind: at["kind"].as_str().unwrap().to_owned(),
            required,
            list,
        }
    }

    /// Whether selecting it needs a selection set.
    pub fn composite(&self) -> bool {
        ["OBJECT", "INTERFACE", "UNION"].contains(&self.kind.as_str())
    }
}

/// A field of an object type.
#[derive(Clone, Debug)]
pub struct Field {
    /// Its name.
    pub name: String,
    /// What it returns.
    pub ty: TypeRef,
    /// Arguments that must be given (non-null without a default).
    pub required_args: Vec<(String, TypeRef)>,
}

/// The served schema, as introspection tells it.
#[derive(Debug)]
pub struct Schema {
    /// Object types by name, with their fields.
    pub objects: HashMap<String, Vec<Field>>,
    /// Input types by name, with their fields.
    pub inputs: HashMap<String, Vec<(String, TypeRef)>>,
    /// Enum values by enum.
    pub enums: HashMap<String, Vec<String>>,
    /// Members of unions and implementations of interfaces.
    pub possible: HashMap<String, Vec<String>>,
}

impl Schema {
    /// Introspects the server `app` runs (as whoever `app` is signed in as).
    pub async fn of(app: &TestApp) -> Schema {
        let data = app.gql_ok(INTROSPECTION, json!({})).await;
        let mut schema = Schema {
            objects: HashMap::new(),
            inputs: HashMap::new(),
            enums: HashMap::new(),
            possible: HashMap::new(),
        };
        for ty in data["__schema"]["types"].as_array().unwrap() {
            let name = ty["name"].as_str().unwrap().to_owned();
            if name.starts_with("__") {
                continue;
            }
            match ty["kind"].as_str().unwrap() {
                "OBJECT" => {
                    let fields = ty["fields"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|f| Field {
                            name: f["name"].as_str().unwrap().to_owned(),
                            ty: TypeRef::from(&f["type"]),
                            required_args: f["args"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .filter(|a| {
                                    a["type"]["kind"] == "NON_NULL" && a["defaultValue"].is_null()
                                })
                                .map(|a| {
                                    (
                                        a["name"].as_str().unwrap().to_owned(),
                                        TypeRef::from(&a["type"]),
                                    )
                                })
                                .collect(),
                        })
                        .collect();
                    schema.objects.insert(name, fields);
                }
                "INPUT_OBJECT" => {
                    let fields = ty["inputFields"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|f| {
                            (
                                f["name"].as_str().unwrap().to_owned(),
                                TypeRef::from(&f["type"]),
                            )
                        })
                        .collect();
                    schema.inputs.insert(name, fields);
                }
                "ENUM" => {
                    let values = ty["enumValues"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v["name"].as_str().unwrap().to_owned())
                        .collect();
                    schema.enums.insert(name, values);
                }
                "UNION" | "INTERFACE" => {
                    let members = ty["possibleTypes"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| t["name"].as_str().unwrap().to_owned())
                        .collect();
                    schema.possible.insert(name, members);
                }
                _ => {}
            }
        }
        schema
    }

    /// A value of `ty` that passes GraphQL's validation and that no resolver
    /// acts on: empty texts, unknown IDs, negative numbers (for argument
    /// `name`).
    pub fn harmless(&self, ty: &TypeRef) -> Value {
        if ty.list {
            return json!([]);
        }
        match ty.named.as_str() {
            "ID" => json!("not-an-id"),
            "String" => json!(""),
            "Int" => json!(-1),
            "Float" => json!(-1.0),
            "Boolean" => json!(false),
            "Date" => json!("2000-01-01"),
            "DateTime" => json!("2000-01-01T00:00:00Z"),
            named => match (self.enums.get(named), self.inputs.get(named)) {
                (Some(values), _) => json!(values[0]),
                (_, Some(fields)) => Value::Object(
                    fields
                        .iter()
                        .filter(|(_, t)| t.required)
                        .map(|(n, t)| (n.clone(), self.harmless(t)))
                        .collect(),
                ),
                _ => panic!("no harmless value for {named}"),
            },
        }
    }
}

/// The GraphQL type literal of `ty` (for a variable declaration).
fn literal(ty: &TypeRef) -> String {
    let named = if ty.list {
        format!("[{}!]", ty.named)
    } else {
        ty.named.clone()
    };
    if ty.required {
        format!("{named}!")
    } else {
        named
    }
}

both_backends!(
    every_object_field_of_the_served_schema_has_a_row_in_the_access_policy,
    |app| async move {
        app.create_user("admin@example.org", Role::Admin, None)
            .await;
        app.login("admin@example.org").await;
        let schema = Schema::of(&app).await;
        let mut missing = BTreeSet::new();
        for (ty, fields) in &schema.objects {
            for field in fields {
                if policy::entry(ty, &field.name).is_none() {
                    missing.insert(format!("{ty}.{}", field.name));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "fields without a row in api/src/auth/policy.rs (refused to everyone until they have one):\n{}",
            missing.into_iter().collect::<Vec<_>>().join("\n")
        );
        // And no row names something the schema does not serve.
        let mut stale = BTreeSet::new();
        for rule in policy::POLICY {
            let ty = rule.graphql_type();
            let served = match (schema.objects.get(ty), schema.inputs.get(ty)) {
                (Some(fields), _) => fields.iter().any(|f| f.name == rule.field),
                (_, Some(fields)) => fields.iter().any(|(f, _)| f == rule.field),
                // An interface's fields are its implementations' (`Node.id`).
                _ => schema.possible.get(ty).is_some_and(|members| {
                    members
                        .iter()
                        .all(|m| schema.objects[m].iter().any(|f| f.name == rule.field))
                }),
            };
            if !served && !rule.field.contains(' ') {
                stale.insert(format!("{}.{}", rule.ty, rule.field));
            }
        }
        assert!(stale.is_empty(), "rows for what is not served: {stale:?}");
    }
);

#[test]
fn the_readme_says_who_sees_what_as_the_policy_table_does() {
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"),
    )
    .expect("README.md");
    let start =
        "<!-- who-sees-what: generated by `tandem who-sees-what` from api/src/auth/policy.rs -->\n";
    let end = "<!-- who-sees-what: end -->";
    let table = readme
        .split_once(start)
        .and_then(|(_, rest)| rest.split_once(end))
        .map(|(table, _)| table)
        .expect("README.md has the generated table between its markers");
    assert!(
        table == policy::who_sees_what(),
        "README.md's \"Who sees what\" differs from the policy: paste the output of `cargo run -q -p api -- who-sees-what` between its markers"
    );
}

/// What one role gets when it reads a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The value.
    Read,
    /// The record does not exist for the viewer (no error).
    Hidden,
    /// FORBIDDEN.
    Forbidden,
    /// No error; null where the figure is a small cell.
    Figure,
}

/// A record of the network the walk starts from, with what each role is to it.
#[derive(Clone, Debug)]
pub struct Anchor {
    /// Its type.
    pub ty: &'static str,
    /// Its global ID.
    pub id: Value,
    /// What it is, in a message.
    pub label: String,
    /// The family whose data its personal fields are, if any.
    pub family: Option<Value>,
    /// By role (`ROLES` order): the relationships.
    pub relations: [Access; 4],
}

/// What a VOLUNTEER and FOLLOW_UP are to the network's families, by relation name.
fn family_relations(relation: &str) -> (Access, Access) {
    let volunteer = match relation {
        "proposed" => Access::PROPOSED,
        "active" => Access::ACTIVE,
        "phasing_out" => Access::PHASING_OUT,
        "ended" => Access::ENDED,
        "declined" => Access::DECLINED,
        _ => Access::NO,
    };
    let followed = ["proposed", "active", "phasing_out", "other"].contains(&relation);
    let follow_up = if followed {
        Access::FOLLOWED
    } else {
        Access::NO
    };
    (volunteer, follow_up)
}

impl Network {
    /// Every record of the network the walks start from.
    pub async fn anchors(&self, app: &TestApp) -> Vec<Anchor> {
        let mut anchors = Vec::new();
        for relation in RELATIONS {
            let family = &self.families[relation];
            let (v, f) = family_relations(relation);
            let of_family =
                |ty: &'static str, id: Value, volunteer: Access, follow_up: Access| Anchor {
                    ty,
                    id,
                    label: format!("{ty} of the {relation} family"),
                    family: Some(family["id"].clone()),
                    relations: [Access::NO, Access::NO, follow_up, volunteer],
                };
            anchors.push(of_family("Family", family["id"].clone(), v, f));
            anchors.push(of_family("Plan", family["plan"]["id"].clone(), v, f));
            anchors.push(of_family("Goal", self.goals[relation].clone(), v, f));
            anchors.push(of_family(
                "Involvement",
                self.network_involvements[relation].clone(),
                v,
                Access::NO,
            ));
            if let Some(own) = self.own_involvements.get(relation) {
                let mut anchor = of_family(
                    "Involvement",
                    own.clone(),
                    v.or(Access::OWN),
                    f.or(Access::VOLUNTEERS),
                );
                anchor.label =
                    format!("the volunteer's own involvement with the {relation} family");
                anchors.push(anchor);
            }
        }
        let mut professional = anchors
            .iter()
            .find(|a| a.ty == "Involvement" && a.id == self.network_involvements["active"])
            .cloned()
            .unwrap();
        professional.id = self.professional_involvement.clone();
        professional.label = "the professional's involvement with the active family".to_owned();
        anchors.push(professional);
        let check_in = Anchor {
            ty: "CheckIn",
            id: self.check_in.clone(),
            label: "the check-in with the volunteer about the active family".to_owned(),
            family: Some(self.families["active"]["id"].clone()),
            relations: [Access::NO, Access::NO, Access::NO, Access::OWN],
        };
        anchors.push(check_in);
        let volunteers = [(&self.own, true), (&self.other_volunteer, false)]
            .into_iter()
            .chain((!self.untrained.is_null()).then_some((&self.untrained, false)));
        for (volunteer, own) in volunteers {
            anchors.push(Anchor {
                ty: "Volunteer",
                id: volunteer["id"].clone(),
                label: if own {
                    "their own volunteer".to_owned()
                } else {
                    format!("the volunteer {}", volunteer["name"])
                },
                family: None,
                relations: [
                    Access::NO,
                    Access::NO,
                    Access::NO,
                    if own { Access::OWN } else { Access::NO },
                ],
            });
        }
        let users = app
            .gql_ok("{ users { edges { node { id email } } } }", json!({}))
            .await;
        for edge in users["users"]["edges"].as_array().unwrap() {
            let email = edge["node"]["email"].as_str().unwrap();
            let mut relations = [Access::NO; 4];
            for (i, role) in ROLES.iter().enumerate() {
                if email == format!("{role}@example.org") {
                    relations[i] = Access::OWN;
                }
            }
            anchors.push(Anchor {
                ty: "User",
                id: edge["node"]["id"].clone(),
                label: format!("the account {email}"),
                family: None,
                relations,
            });
        }
        anchors.push(Anchor {
            ty: "FamilyCareService",
            id: self.service.clone(),
            label: "a service".to_owned(),
            family: None,
            relations: [Access::NO; 4],
        });
        let entry = app
            .gql_ok(
                "{ auditLog(first: 1) { edges { node { id } } } }",
                json!({}),
            )
            .await;
        anchors.push(Anchor {
            ty: "AuditEntry",
            id: entry["auditLog"]["edges"][0]["node"]["id"].clone(),
            label: "an audit entry".to_owned(),
            family: None,
            relations: [Access::NO; 4],
        });
        anchors
    }
}

/// One step of a walk: a field of a concrete object type.
#[derive(Clone, Debug)]
pub struct Step {
    /// The concrete type the field is on.
    pub on: String,
    /// The row's variant of it (`Location (a family's home)`).
    pub variant: String,
    /// The field.
    pub field: String,
}

/// A walk from a node type (reached with `node(id:)`) or from the query
/// root down to an object type that is not a node.
#[derive(Clone, Debug)]
pub struct Walk {
    /// Where it starts: a node type, or `Query`.
    pub start: String,
    /// The fields it goes through.
    pub steps: Vec<Step>,
    /// The object type it reaches.
    pub reaches: String,
}

/// The node types (each reached with `node(id:)` from an anchor; never
/// walked into, so that a walk reads one record's own parts only).
pub const NODES: [&str; 9] = [
    "Family",
    "Plan",
    "Goal",
    "Involvement",
    "CheckIn",
    "Volunteer",
    "User",
    "FamilyCareService",
    "AuditEntry",
];

/// The row's variant of `ty` when it is reached through a field of `parent`.
fn variant_of(parent: &str, ty: &str) -> String {
    match (parent, ty) {
        ("Family", "Location") => "Location (a family's home)".to_owned(),
        ("Volunteer", "Location") => "Location (a volunteer's home)".to_owned(),
        _ => ty.to_owned(),
    }
}

impl Schema {
    /// The concrete object types a field of type `named` can hold.
    fn concrete(&self, named: &str) -> Vec<String> {
        self.possible
            .get(named)
            .cloned()
            .unwrap_or_else(|| vec![named.to_owned()])
    }

    /// The shortest walk to every object type that is not a node or a root,
    /// from the node types first, then from the query root, through fields
    /// that need no argument (at the root: the arguments [`root_arguments`]
    /// fills; `node` aside).
    pub fn walks(&self) -> Vec<Walk> {
        let mut found: HashMap<String, Walk> = HashMap::new();
        let starts = NODES
            .iter()
            .map(|t| (*t).to_owned())
            .chain(["Query".to_owned()]);
        let mut frontier: Vec<Walk> = starts
            .map(|start| Walk {
                reaches: start.clone(),
                start,
                steps: Vec::new(),
            })
            .collect();
        while !frontier.is_empty() {
            let mut next = Vec::new();
            for walk in frontier {
                let parent = walk
                    .steps
                    .last()
                    .map_or(walk.start.as_str(), |s| s.on.as_str())
                    .to_owned();
                let Some(fields) = self.objects.get(&walk.reaches) else {
                    continue;
                };
                for field in fields.iter().filter(|f| f.ty.composite()) {
                    if !field.required_args.is_empty() && walk.reaches != "Query" {
                        continue;
                    }
                    // `node(id:)` names a record of any type: the node types
                    // are reached from their anchors, the others (a family's
                    // status change, say) through the record they belong to.
                    if walk.reaches == "Query" && field.name == "node" {
                        continue;
                    }
                    for target in self.concrete(&field.ty.named) {
                        if NODES.contains(&target.as_str()) || found.contains_key(&target) {
                            continue;
                        }
                        let mut longer = walk.clone();
                        longer.steps.push(Step {
                            on: walk.reaches.clone(),
                            variant: variant_of(&parent, &walk.reaches),
                            field: field.name.clone(),
                        });
                        longer.reaches = target.clone();
                        found.insert(target, longer.clone());
                        next.push(longer);
                    }
                }
            }
            frontier = next;
        }
        let mut walks: Vec<Walk> = found.into_values().collect();
        walks.sort_by(|a, b| a.reaches.cmp(&b.reaches));
        walks
    }
}

/// Values for the required arguments of root fields, from the network.
pub fn root_arguments(network: &Network, field: &str, argument: &str) -> Value {
    match (field, argument) {
        ("volunteer", "id") | (_, "volunteerId") => network.own["id"].clone(),
        ("family", "id") | (_, "familyId") => network.families["unfollowed"]["id"].clone(),
        (_, "search") => json!("ar"),
        _ => panic!("no value for {field}({argument})"),
    }
}

/// The selection of every field of `ty` (object-valued ones by `__typename`).
pub fn all_fields(schema: &Schema, ty: &str) -> String {
    schema.objects[ty]
        .iter()
        .filter(|f| f.required_args.is_empty())
        .map(|f| {
            if f.ty.composite() {
                format!("{} {{ __typename }}", f.name)
            } else {
                f.name.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The document of `walk` from its start (`node(id: $id)`, or a root field
/// with its arguments), selecting `selection` of the type it reaches, and
/// the variables it needs besides `$id`.
pub fn document(
    schema: &Schema,
    network: &Network,
    walk: &Walk,
    selection: &str,
) -> (String, Value) {
    let mut steps = walk.steps.iter();
    let (mut text, vars) = if walk.start == "Query" {
        let first = steps.next().expect("a walk from the root has a step");
        let field = schema.objects["Query"]
            .iter()
            .find(|f| f.name == first.field)
            .unwrap();
        operation("query Walk", field, |name, _| {
            root_arguments(network, &field.name, name)
        })
    } else {
        ("query Walk($id: ID!) { node(id: $id)".to_owned(), json!({}))
    };
    let mut closing = 1;
    for step in steps {
        text.push_str(&format!(" {{ ... on {} {{ {}", step.on, step.field));
        closing += 2;
    }
    text.push_str(&format!(" {{ ... on {} {{ {selection} }} }}", walk.reaches));
    text.push_str(&" }".repeat(closing));
    (text, vars)
}

/// The start of an operation (`head` is `query Name` or `mutation`) that
/// asks for root field `field` with its required arguments as variables
/// (their values from `value`), up to before the field's selection, and the
/// variables.
pub fn operation(
    head: &str,
    field: &Field,
    value: impl Fn(&str, &TypeRef) -> Value,
) -> (String, Value) {
    let args = &field.required_args;
    let vars: serde_json::Map<String, Value> =
        args.iter().map(|(n, t)| (n.clone(), value(n, t))).collect();
    if args.is_empty() {
        return (format!("{head} {{ {}", field.name), Value::Object(vars));
    }
    let declared: Vec<String> = args
        .iter()
        .map(|(n, t)| format!("${n}: {}", literal(t)))
        .collect();
    let passed: Vec<String> = args.iter().map(|(n, _)| format!("{n}: ${n}")).collect();
    (
        format!(
            "{head}({}) {{ {}({})",
            declared.join(", "),
            field.name,
            passed.join(", ")
        ),
        Value::Object(vars),
    )
}

/// The path to a field of the type a walk reaches, without list indices.
pub fn field_path(walk: &Walk, field: &str) -> Vec<String> {
    let mut path = Vec::new();
    if walk.start != "Query" {
        path.push("node".to_owned());
    }
    path.extend(walk.steps.iter().map(|s| s.field.clone()));
    path.push(field.to_owned());
    path
}

/// The row of a field of a concrete type (by its variant).
pub fn rule(variant: &str, field: &str) -> &'static Rule {
    let ty = variant.split(" (").next().unwrap();
    policy::entry(ty, field)
        .and_then(|e| e.rule(variant))
        .unwrap_or_else(|| panic!("no row for {variant}.{field}"))
}

/// What `role` gets reading `field` at the end of `walk` from a record its
/// relationships to which are `relation` (`None`: from the root).
pub fn expected(role: Role, walk: &Walk, field: &str, relation: Option<Access>) -> Outcome {
    let relation = relation.unwrap_or(Access::NO);
    if walk.start != "Query" && !policy::visible(&walk.start, role).grants(relation) {
        return Outcome::Hidden;
    }
    let parent = walk
        .steps
        .last()
        .map_or(walk.start.as_str(), |s| s.on.as_str());
    let last = Step {
        on: walk.reaches.clone(),
        variant: variant_of(parent, &walk.reaches),
        field: field.to_owned(),
    };
    for step in walk.steps.iter().chain(std::iter::once(&last)) {
        let access = rule(&step.variant, &step.field).access(role);
        if access == Access::FIVE_FAMILIES {
            return Outcome::Figure;
        }
        if !access.grants(relation) {
            return Outcome::Forbidden;
        }
    }
    Outcome::Read
}

/// The path of an error, without list indices.
pub fn error_path(error: &Value) -> Vec<String> {
    error["path"]
        .as_array()
        .map(|p| {
            p.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// What the response says `role` got for the field at `path` (`root`: the
/// first field of the document, null when hidden).
pub fn observed(body: &Value, root: &str, path: &[String]) -> Result<Outcome, String> {
    let errors = body["errors"].as_array().cloned().unwrap_or_default();
    for error in &errors {
        let code = error["extensions"]["code"].as_str().unwrap_or("");
        if code != "FORBIDDEN" {
            return Err(format!("unexpected error {error}"));
        }
    }
    if errors.iter().any(|e| path.starts_with(&error_path(e))) {
        return Ok(Outcome::Forbidden);
    }
    if errors.is_empty() && body["data"][root].is_null() {
        return Ok(Outcome::Hidden);
    }
    Ok(Outcome::Read)
}

/// Whether the object a walk reaches is there at all for ADMIN (who reads
/// everything; the document selected its `__typename`): a walk through an
/// empty list, or to another member of a union, shows nothing either way.
pub fn reached(data: &Value, walk: &Walk) -> bool {
    let flatten = |values: Vec<Value>| -> Vec<Value> {
        values
            .into_iter()
            .flat_map(|v| match v {
                Value::Array(items) => items,
                other => vec![other],
            })
            .filter(|v| !v.is_null())
            .collect()
    };
    let mut at = vec![if walk.start == "Query" {
        data.clone()
    } else {
        data["node"].clone()
    }];
    for step in &walk.steps {
        at = flatten(at.into_iter().map(|v| v[&step.field].clone()).collect());
    }
    at.iter().any(|v| v["__typename"] == walk.reaches.as_str())
}

/// Whether any row on `walk` (or of the type it reaches) depends on the record.
pub fn depends_on_record(schema: &Schema, walk: &Walk) -> bool {
    let parent = walk
        .steps
        .last()
        .map_or(walk.start.as_str(), |s| s.on.as_str());
    let last_variant = variant_of(parent, &walk.reaches);
    let steps = walk.steps.iter().map(|s| rule(&s.variant, &s.field));
    let fields = schema.objects[&walk.reaches]
        .iter()
        .filter(|f| f.required_args.is_empty())
        .map(|f| rule(&last_variant, &f.name));
    steps
        .chain(fields)
        .any(|r| r.roles.iter().any(|a| !a.always() && !a.never()))
}

/// The role at `ROLES[i]`.
pub fn role_of(name: &str) -> Role {
    policy::ROLES[ROLES.iter().position(|r| *r == name).unwrap()]
}

/// What the role alone decides of a root field.
pub fn root_decision(ty: &str, field: &str, role: Role) -> Decision {
    policy::entry(ty, field)
        .unwrap_or_else(|| panic!("no row for {ty}.{field}"))
        .decision(Some(role))
}
