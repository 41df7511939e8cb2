//! Schema-driven fuzzing: thousands of generated operations (random fields,
//! arguments of the right and of the wrong shape, random depth) against the
//! real server. None may get a 5xx, kill the server, or come back with an
//! error that has no `extensions.code`.

use std::collections::HashMap;

use api::Role;
use async_graphql_parser::types::{BaseType, Type, TypeKind, TypeSystemDefinition};
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde_json::json;
use tests::both_backends;

/// A field: name, arguments (name, type), type.
type FieldDef = (String, Vec<(String, Type)>, Type);

/// Fields and arguments of every object, input and enum of the served schema.
struct Schema {
    objects: HashMap<String, Vec<FieldDef>>,
    inputs: HashMap<String, Vec<(String, Type)>>,
    enums: HashMap<String, Vec<String>>,
    unions: HashMap<String, Vec<String>>,
}

fn load_schema() -> Schema {
    let doc = async_graphql_parser::parse_schema(api::export_sdl()).unwrap();
    let mut schema = Schema {
        objects: HashMap::new(),
        inputs: HashMap::new(),
        enums: HashMap::new(),
        unions: HashMap::new(),
    };
    for def in doc.definitions {
        let TypeSystemDefinition::Type(ty) = def else {
            continue;
        };
        let name = ty.node.name.node.to_string();
        match ty.node.kind {
            TypeKind::Object(o) => {
                let fields = o.fields.into_iter().map(|f| {
                    let args = f
                        .node
                        .arguments
                        .into_iter()
                        .map(|a| (a.node.name.node.to_string(), a.node.ty.node))
                        .collect();
                    (f.node.name.node.to_string(), args, f.node.ty.node)
                });
                schema.objects.insert(name, fields.collect());
            }
            TypeKind::Interface(o) => {
                let fields = o
                    .fields
                    .into_iter()
                    .map(|f| (f.node.name.node.to_string(), Vec::new(), f.node.ty.node));
                schema.objects.insert(name, fields.collect());
            }
            TypeKind::InputObject(o) => {
                schema.inputs.insert(
                    name,
                    o.fields
                        .into_iter()
                        .map(|f| (f.node.name.node.to_string(), f.node.ty.node))
                        .collect(),
                );
            }
            TypeKind::Enum(e) => {
                schema.enums.insert(
                    name,
                    e.values
                        .into_iter()
                        .map(|v| v.node.value.node.to_string())
                        .collect(),
                );
            }
            TypeKind::Union(u) => {
                schema.unions.insert(
                    name,
                    u.members.into_iter().map(|m| m.node.to_string()).collect(),
                );
            }
            TypeKind::Scalar => {}
        }
    }
    schema
}

fn base_name(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(n) => n.as_str(),
        BaseType::List(inner) => base_name(inner),
    }
}

struct Gen<'a> {
    schema: &'a Schema,
    rng: StdRng,
    ids: Vec<String>,
}

impl Gen<'_> {
    fn value(&mut self, ty: &Type, depth: u32) -> String {
        if !ty.nullable || self.rng.random_bool(0.8) {
            if let BaseType::List(inner) = &ty.base {
                let n = self.rng.random_range(0..3);
                let items: Vec<String> = (0..n).map(|_| self.value(inner, depth + 1)).collect();
                return format!("[{}]", items.join(", "));
            }
            return self.scalar(base_name(ty), depth);
        }
        "null".to_owned()
    }

    fn scalar(&mut self, name: &str, depth: u32) -> String {
        let wild = self.rng.random_bool(0.15);
        match name {
            "Int" if wild => ["-1", "0", "2147483647", "-2147483648", "99999"]
                [self.rng.random_range(0..5)]
            .to_owned(),
            "Int" => self.rng.random_range(0..30).to_string(),
            "Float" if wild => {
                ["-1.5", "0", "1e300", "100000"][self.rng.random_range(0..4)].to_owned()
            }
            "Float" => format!("{:.1}", self.rng.random_range(0.0..20.0)),
            "Boolean" => self.rng.random_bool(0.5).to_string(),
            "ID" if !self.ids.is_empty() && !wild => {
                format!("{:?}", self.ids[self.rng.random_range(0..self.ids.len())])
            }
            "ID" => format!(
                "{:?}",
                ["", "nope", "VXNlcjox", "RmFtaWx5OnJvb3Q", "\u{0}"][self.rng.random_range(0..5)]
            ),
            "Date" => format!(
                "{:?}",
                ["2026-01-01", "2026-13-45", "yesterday", "1900-01-01"]
                    [self.rng.random_range(0..4)]
            ),
            "DateTime" => format!(
                "{:?}",
                ["2026-01-01T10:00:00Z", "not a time", "2999-01-01T00:00:00Z"]
                    [self.rng.random_range(0..3)]
            ),
            "String" => format!(
                "{:?}",
                [
                    "",
                    "ar",
                    "Arabisch",
                    "1080",
                    "14:00",
                    "x".repeat(300).as_str(),
                    "Klingon",
                    "'; DROP TABLE family; --",
                    "🙂"
                ][self.rng.random_range(0..9)]
            ),
            other => {
                if let Some(values) = self.schema.enums.get(other) {
                    if wild {
                        "NOT_A_VALUE".to_owned()
                    } else {
                        values[self.rng.random_range(0..values.len())].clone()
                    }
                } else if let Some(fields) = self.schema.inputs.get(other) {
                    if depth > 3 {
                        return "{}".to_owned();
                    }
                    let fields = fields.clone();
                    format!("{{{}}}", self.arguments(&fields, 0.6, depth + 1))
                } else {
                    "null".to_owned()
                }
            }
        }
    }

    /// Required arguments always, optional ones with probability `p`.
    fn arguments(&mut self, args: &[(String, Type)], p: f64, depth: u32) -> String {
        let mut parts = Vec::new();
        for (name, ty) in args {
            if !ty.nullable || self.rng.random_bool(p) {
                let value = self.value(ty, depth);
                parts.push(format!("{name}: {value}"));
            }
        }
        parts.join(", ")
    }

    fn selection(&mut self, type_name: &str, depth: u32) -> String {
        if let Some(members) = self.schema.unions.get(type_name).cloned() {
            let parts: Vec<String> = members
                .iter()
                .map(|m| format!("... on {m} {}", self.selection(m, depth)))
                .collect();
            return format!("{{ __typename {} }}", parts.join(" "));
        }
        let Some(fields) = self.schema.objects.get(type_name).cloned() else {
            return String::new();
        };
        let mut out = Vec::new();
        for (name, args, ty) in fields {
            if !self.rng.random_bool(if depth == 0 { 0.5 } else { 0.35 }) {
                continue;
            }
            let inner = base_name(&ty);
            let composite =
                self.schema.objects.contains_key(inner) || self.schema.unions.contains_key(inner);
            if composite && depth >= 3 {
                continue;
            }
            let args = self.arguments(&args, 0.5, 0);
            let args = if args.is_empty() {
                String::new()
            } else {
                format!("({args})")
            };
            let sub = if composite {
                self.selection(inner, depth + 1)
            } else {
                String::new()
            };
            if composite && sub.is_empty() {
                continue;
            }
            out.push(format!("{name}{args} {sub}"));
        }
        if out.is_empty() {
            "{ __typename }".to_owned()
        } else {
            format!("{{ {} }}", out.join(" "))
        }
    }

    fn operation(&mut self) -> String {
        let (keyword, root) = if self.rng.random_bool(0.3) {
            ("mutation", "Mutation")
        } else {
            ("query", "Query")
        };
        let fields = self.schema.objects[root].clone();
        let (name, args, ty) = &fields[self.rng.random_range(0..fields.len())];
        if name == "logout" {
            return "query { me { email } }".to_owned();
        }
        let args = self.arguments(args, 0.6, 0);
        let args = if args.is_empty() {
            String::new()
        } else {
            format!("({args})")
        };
        let inner = base_name(ty);
        let sub =
            if self.schema.objects.contains_key(inner) || self.schema.unions.contains_key(inner) {
                self.selection(inner, 1)
            } else {
                String::new()
            };
        format!("{keyword} {{ {name}{args} {sub} }}")
    }
}

both_backends!(
    two_thousand_generated_operations_get_no_5xx_and_every_error_has_a_code,
    |app| async move {
        app.create_user("admin@example.org", Role::Admin, None)
            .await;
        app.login("admin@example.org").await;
        let v = crate::fixtures::create_volunteer(&app, crate::fixtures::volunteer_input("Fuzzy"))
            .await;
        let f = crate::fixtures::create_family(&app, crate::fixtures::family_input("Fuzzed")).await;
        let schema = load_schema();
        let mut generator = Gen {
            schema: &schema,
            rng: StdRng::seed_from_u64(7),
            ids: vec![
                v["id"].as_str().unwrap().to_owned(),
                f["id"].as_str().unwrap().to_owned(),
                f["plan"]["id"].as_str().unwrap().to_owned(),
            ],
        };
        let mut codes: HashMap<String, usize> = HashMap::new();
        for i in 0..2000 {
            let query = generator.operation();
            let response = app
                .client
                .post(app.url("/graphql"))
                .bearer_auth(app.token.as_deref().unwrap())
                .json(&json!({"query": query}))
                .send()
                .await
                .unwrap_or_else(|e| panic!("request {i} failed ({e}): {query}"));
            let status = response.status();
            assert!(status.as_u16() < 500, "{status} for {query}");
            let body: serde_json::Value = response.json().await.unwrap();
            for error in body["errors"].as_array().into_iter().flatten() {
                let code = error["extensions"]["code"]
                    .as_str()
                    .unwrap_or_else(|| panic!("error without a code for {query}: {error}"));
                assert_ne!(code, "INTERNAL", "internal error for {query}: {error}");
                *codes.entry(code.to_owned()).or_default() += 1;
            }
        }
        eprintln!("error codes over 2000 generated operations: {codes:?}");
        app.gql_ok("{ me { email } }", json!({})).await;
    }
);
