//! The schema file is the code's schema, and a superset of the contract.

use std::collections::BTreeSet;

use async_graphql_parser::{
    parse_schema,
    types::{TypeKind, TypeSystemDefinition},
};

fn schema_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../api/schema.graphql")
}

fn contract_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("contract.graphql")
}

/// The contract is vendored as tests/contract.graphql so that a clone tests on
/// its own; where the shared original sits beside the repository, the copy
/// must not have drifted from it.
#[test]
fn the_vendored_contract_is_the_shared_one() {
    let shared =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/contract.graphql");
    if let Ok(original) = std::fs::read_to_string(shared) {
        let copy = std::fs::read_to_string(contract_path()).expect("tests/contract.graphql");
        assert!(
            copy == original,
            "tests/contract.graphql differs from ../shared/contract.graphql: copy it again"
        );
    }
}

#[test]
fn the_checked_in_schema_matches_the_code() {
    let checked_in = std::fs::read_to_string(schema_path()).expect("api/schema.graphql exists");
    let generated = api::export_sdl();
    assert!(
        checked_in == generated,
        "api/schema.graphql is stale: run `cargo run -p api -- export-schema > api/schema.graphql`"
    );
}

/// Every type, field, argument, enum value, union member and interface of a document.
fn items(sdl: &str) -> BTreeSet<String> {
    let doc = parse_schema(sdl).expect("parses");
    let mut out = BTreeSet::new();
    for def in doc.definitions {
        let TypeSystemDefinition::Type(ty) = def else {
            continue;
        };
        let name = ty.node.name.node.to_string();
        out.insert(format!("type {name}"));
        match &ty.node.kind {
            TypeKind::Object(o) => {
                for i in &o.implements {
                    out.insert(format!("{name} implements {}", i.node));
                }
                for f in &o.fields {
                    let field = format!("{name}.{}", f.node.name.node);
                    out.insert(format!("{field}: {}", f.node.ty.node));
                    for a in &f.node.arguments {
                        out.insert(format!("{field}({}: {})", a.node.name.node, a.node.ty.node));
                    }
                }
            }
            TypeKind::Interface(o) => {
                for f in &o.fields {
                    out.insert(format!("{name}.{}: {}", f.node.name.node, f.node.ty.node));
                }
            }
            TypeKind::InputObject(o) => {
                for f in &o.fields {
                    out.insert(format!("{name}.{}: {}", f.node.name.node, f.node.ty.node));
                }
            }
            TypeKind::Enum(e) => {
                for v in &e.values {
                    out.insert(format!("{name}::{}", v.node.value.node));
                }
            }
            TypeKind::Union(u) => {
                for m in &u.members {
                    out.insert(format!("{name} | {}", m.node));
                }
            }
            TypeKind::Scalar => {}
        }
    }
    out
}

/// What contract v2 adds that the server does not serve yet, by the issue that brings it.
/// The list may only shrink: an entry that is served is stale and fails the test too.
const NOT_YET_SERVED: &[(&str, &str)] = &[];

#[test]
fn the_schema_is_a_superset_of_the_contract() {
    let contract = std::fs::read_to_string(contract_path()).expect("tests/contract.graphql");
    let ours = items(&api::export_sdl());
    let missing: BTreeSet<String> = items(&contract).difference(&ours).cloned().collect();
    let pending: BTreeSet<String> = NOT_YET_SERVED
        .iter()
        .map(|(_, item)| (*item).to_owned())
        .collect();
    let unexpected: Vec<&String> = missing.difference(&pending).collect();
    assert!(
        unexpected.is_empty(),
        "missing from the schema:\n{}",
        unexpected
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    let stale: Vec<&String> = pending.difference(&missing).collect();
    assert!(
        stale.is_empty(),
        "served now, so take them out of NOT_YET_SERVED:\n{}",
        stale
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
