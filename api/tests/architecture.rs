//! The layout's one rule, checked on the source: dependencies point down.
//!
//! ```text
//! app -> tools -> domains -> {engine, audit -> auth} -> sync -> core -> {entity, matching}
//! ```
//!
//! Every `crate::` path in `api/src/**/*.rs` (in `use` declarations, in
//! code, in guard strings; not in comments, not in `#[cfg(test)]` modules)
//! is read, and the layer of the file that writes it must be allowed to
//! reach the layer it names. `auth` may ask `engine` about statuses (which
//! states count as a volunteer's load); `engine` uses neither `auth` nor
//! `audit`. A domain may use another domain's GraphQL types and loaders
//! (what its `mod.rs` defines, and its `loaders`), never its service or
//! queries: no path into another domain's submodules, and none of the names
//! its `mod.rs` re-exports from `store`, `service`, `queries` or `mutations`.
//!
//! [`DEBTS`] lists the paths that break the rule today, each to be paid
//! back; the test fails on any path that breaks it and is not listed, and on
//! any listed path that no longer occurs (so the list only shrinks).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

/// The domains: one folder each.
const DOMAINS: &[&str] = &[
    "accounts",
    "catalogue",
    "families",
    "follow_up",
    "matches",
    "plans",
    "privacy",
    "reporting",
    "services",
    "volunteers",
];

/// Submodules of a domain that other domains may reach into.
const OPEN_SUBMODULES: &[&str] = &["loaders"];

/// Submodules whose re-exports at a domain's root are its service or queries.
const CLOSED_SUBMODULES: &[&str] = &["store", "service", "queries", "mutations"];

/// Paths that break the rule today, as `file: crate::path`: debts to pay back.
///
/// - `auth` names the domains' types to implement its `Record` trait for
///   them, and asks the register and the roster what a viewer is to a
///   record: the impls belong in the domains, the questions behind a trait
///   the domains answer (registered at start-up like the bus's handlers).
/// - `core` names `auth::Viewer` (`ContextExt::viewer`) and `auth`'s guard
///   on the values' `Location`.
/// - Matching reads the roster and the register directly until both sit
///   behind one read model.
const DEBTS: &[&str] = &[
    "auth/enforce.rs: crate::audit::note_read",
    "auth/mod.rs: crate::accounts::User",
    "auth/mod.rs: crate::families::Family",
    "auth/mod.rs: crate::families::register::trusted",
    "auth/mod.rs: crate::follow_up::CheckIn",
    "auth/mod.rs: crate::plans::Goal",
    "auth/mod.rs: crate::plans::Involvement",
    "auth/mod.rs: crate::plans::InvolvementEvent",
    "auth/mod.rs: crate::plans::Plan",
    "auth/mod.rs: crate::plans::PlanById",
    "auth/mod.rs: crate::reporting::NetworkStats",
    "auth/mod.rs: crate::volunteers::Volunteer",
    "auth/relation.rs: crate::families::register::trusted",
    "auth/relation.rs: crate::volunteers::roster::record",
    "core/state.rs: crate::auth::Viewer",
    "core/values.rs: crate::auth::Owner",
    "core/values.rs: crate::auth::Scoped",
    "matches/mod.rs: crate::families::register::trusted",
    "matches/mod.rs: crate::volunteers::roster::Roster",
    "matches/mod.rs: crate::volunteers::roster::VolunteerRecord",
    "matches/mod.rs: crate::volunteers::roster::load_profiles",
    "matches/mod.rs: crate::volunteers::roster::read",
    "plans/mod.rs: crate::families::register::trusted",
    "plans/mutations.rs: crate::volunteers::roster::load_profiles",
    "volunteers/store.rs: crate::accounts::users::disable_accounts_of_volunteer",
];

/// The layer of a top-level module, and the layers it may use.
fn layer(module: &str) -> Option<(&'static str, &'static [&'static str])> {
    const DOMAIN_USES: &[&str] = &["domain", "engine", "audit", "auth", "sync", "core"];
    Some(match module {
        "app" => (
            "app",
            &["tools", "domain", "engine", "audit", "auth", "sync", "core"],
        ),
        "tools" => (
            "tools",
            &["domain", "engine", "audit", "auth", "sync", "core"],
        ),
        m if DOMAINS.contains(&m) => ("domain", DOMAIN_USES),
        "audit" => ("audit", &["auth", "sync", "core"]),
        "auth" => ("auth", &["engine", "sync", "core"]),
        "engine" => ("engine", &["sync", "core"]),
        "sync" => ("sync", &["core"]),
        "core" => ("core", &[]),
        _ => return None,
    })
}

fn layer_name(module: &str) -> Option<&'static str> {
    layer(module).map(|(name, _)| name)
}

fn source_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text of a file without comments and without its `#[cfg(test)]`
/// module (from that attribute to the end of the file).
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => out.extend(chars.next()),
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Reads the path tree at `rest` (just after `crate::`), pushing every full
/// path under `prefix` into `out`; returns how many bytes it read.
fn read_tree(rest: &str, prefix: &str, out: &mut Vec<String>) -> usize {
    let bytes = rest.as_bytes();
    let mut i = 0;
    let mut path = prefix.to_owned();
    loop {
        while i < bytes.len() && (bytes[i] as char).is_whitespace() {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'{' {
            i += 1;
            loop {
                while i < bytes.len() && (bytes[i] as char).is_whitespace() {
                    i += 1;
                }
                if i >= bytes.len() {
                    return i;
                }
                if bytes[i] == b'}' {
                    return i + 1;
                }
                if bytes[i] == b',' {
                    i += 1;
                    continue;
                }
                i += read_tree(&rest[i..], &path, out);
            }
        }
        let start = i;
        while i < bytes.len() && is_ident(bytes[i] as char) {
            i += 1;
        }
        if start == i {
            out.push(path);
            return i;
        }
        if !path.is_empty() {
            path.push_str("::");
        }
        path.push_str(&rest[start..i]);
        if rest[i..].starts_with("::") {
            i += 2;
        } else {
            out.push(path);
            return i;
        }
    }
}

/// Every `crate::` path the code names, in full.
fn crate_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("crate::") {
        let at = from + at;
        let before = code[..at].chars().next_back();
        from = at + "crate::".len();
        if before.is_some_and(|c| is_ident(c) && c != '$') {
            continue;
        }
        from += read_tree(&code[from..], "", &mut out);
    }
    out
}

/// The names each domain's `mod.rs` re-exports from its service or queries.
fn closed_names(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut closed = BTreeMap::new();
    for domain in DOMAINS {
        let Ok(text) = fs::read_to_string(src.join(domain).join("mod.rs")) else {
            continue;
        };
        let code = code_of(&text);
        let mut names = BTreeSet::new();
        for sub in CLOSED_SUBMODULES {
            let mut from = 0;
            let needle = format!("pub use {sub}::");
            while let Some(at) = code[from..].find(&needle) {
                let at = from + at + needle.len();
                let end = at + code[at..].find(';').unwrap();
                for name in code[at..end].split(|c: char| !is_ident(c)) {
                    if !name.is_empty() && name != "self" {
                        names.insert(name.to_owned());
                    }
                }
                from = end;
            }
        }
        closed.insert((*domain).to_owned(), names);
    }
    closed
}

/// Why `path`, written in a file of top-level module `from`, breaks the rule.
fn breach(from: &str, path: &str, closed: &BTreeMap<String, BTreeSet<String>>) -> Option<String> {
    let mut segments = path.split("::");
    let to = segments.next()?;
    if to == from {
        return None;
    }
    let (from_layer, allowed) = layer(from)?;
    let to_layer = layer_name(to)?;
    if !allowed.contains(&to_layer) {
        return Some(format!("{from_layer} may not use {to_layer}"));
    }
    if from_layer == "domain" && to_layer == "domain" {
        let next = segments.next().unwrap_or_default();
        let is_module = next.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && segments.next().is_some();
        if is_module && !OPEN_SUBMODULES.contains(&next) {
            return Some(format!("a domain may not reach into {to}::{next}"));
        }
        if closed.get(to).is_some_and(|names| names.contains(next)) {
            return Some(format!("{to}::{next} is {to}'s service or queries"));
        }
    }
    None
}

/// Every path that breaks the rule, as `file: crate::path`, with why.
fn breaches() -> BTreeMap<String, String> {
    let src = source_dir();
    let closed = closed_names(&src);
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut found = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let name = relative.to_string_lossy().replace('\\', "/");
        let from = name.split(['/', '.']).next().unwrap_or_default().to_owned();
        let code = code_of(&fs::read_to_string(&file).unwrap());
        for path in crate_paths(&code) {
            if let Some(why) = breach(&from, &path, &closed) {
                found.insert(format!("{name}: crate::{path}"), why);
            }
        }
    }
    found
}

#[test]
fn every_crate_path_points_down_the_layers() {
    let found = breaches();
    let debts: BTreeSet<&str> = DEBTS.iter().copied().collect();
    let new: Vec<String> = found
        .iter()
        .filter(|(at, _)| !debts.contains(at.as_str()))
        .map(|(at, why)| format!("  {at}   ({why})"))
        .collect();
    let paid: Vec<&str> = debts
        .iter()
        .filter(|d| !found.contains_key(**d))
        .copied()
        .collect();
    assert!(
        new.is_empty(),
        "{} path(s) point up or into another domain's service or queries:\n{}",
        new.len(),
        new.join("\n")
    );
    assert!(
        paid.is_empty(),
        "paid back, remove from DEBTS in api/tests/architecture.rs:\n  {}",
        paid.join("\n  ")
    );
}

#[test]
fn the_reader_finds_paths_in_groups_strings_and_macros() {
    let code = code_of(
        "use crate::{core::{error::ApiError, db}, sync::Change};\n\
         // crate::app::nothing\n\
         #[Object(guard = \"crate::auth::Scoped(self)\")]\n\
         $crate::core::relay::PageInfo\n\
         #[cfg(test)]\nmod tests { use crate::app::x; }",
    );
    assert_eq!(
        crate_paths(&code),
        [
            "core::error::ApiError",
            "core::db",
            "sync::Change",
            "auth::Scoped",
            "core::relay::PageInfo"
        ]
    );
}

#[test]
fn a_path_up_the_layers_or_into_another_domains_queries_is_a_breach() {
    let closed = BTreeMap::from([(
        "families".to_owned(),
        BTreeSet::from(["create_family".to_owned()]),
    )]);
    assert!(breach("core", "families::Family", &closed).is_some());
    assert!(breach("sync", "auth::Viewer", &closed).is_some());
    assert!(breach("engine", "auth::Role", &closed).is_some());
    assert!(breach("plans", "families::register::trusted", &closed).is_some());
    assert!(breach("tools", "families::create_family", &closed).is_none());
    assert!(breach("plans", "families::create_family", &closed).is_some());
    assert!(breach("plans", "families::Family", &closed).is_none());
    assert!(breach("plans", "families::loaders::FamilyById", &closed).is_none());
    assert!(breach("auth", "engine::LOAD_STATES", &closed).is_none());
    assert!(breach("app", "volunteers::roster::SharedRoster", &closed).is_none());
}
