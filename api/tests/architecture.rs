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

/// Paths that break the rule today, as `file: crate::path`: debts to pay
/// back. None are left: auth asks the domains through traits they answer
/// (`auth::VolunteerLinks`, `auth::FollowedFamilies`), matching reads the
/// volunteers as the engine's `Pool`, and accounts are switched off through
/// `auth::revocation`, all registered or named below the domains.
const DEBTS: &[&str] = &[];

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

/// Every source file of api/src, as its path below it (with `/`) and its
/// text.
fn sources() -> Vec<(String, String)> {
    let src = source_dir();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .map(|file| {
            let name = file
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (name, fs::read_to_string(&file).unwrap())
        })
        .collect()
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
    let mut found = BTreeMap::new();
    for (name, text) in sources() {
        let from = name.split(['/', '.']).next().unwrap_or_default().to_owned();
        let code = code_of(&text);
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

/// Calls whose arguments reach a person as a sentence: an error's message,
/// a refusal before execution, a WebSocket close reason.
const SENTENCE_CALLS: &[&str] = &[
    "ApiError::bad_input(",
    "ApiError::bad_input_with_suggestion(",
    "ApiError::conflict(",
    "ApiError::Forbidden(",
    "ApiError::Unauthenticated(",
    "ServerError::new(",
    "Error::new(",
    "refused(",
    "refusal(",
    "bad_request(",
    "too_many(",
    "Close(",
    "message:",
];

/// Calls whose arguments are placeholders of a catalogue message, not sentences.
const CATALOGUE_CALLS: &[&str] = &["tr!(", "tr_in!(", "text(", "text_in("];

/// Literals with a space that are not Tandem's sentences: the close reasons
/// graphql-transport-ws itself defines (clients compare them, as graphql-ws
/// does) with what Tandem adds after them, and the field path an error
/// names before its (catalogue) message.
const NOT_SENTENCES: &[&str] = &[
    "Subprotocol not acceptable",
    "graphql-transport-ws messages are text",
    "Connection initialisation timeout",
    "Invalid message received",
    "Too many initialisation requests",
    "Subscriber for {id} already exists",
    "Unauthorized",
    "Unauthorized: {why}",
    "Forbidden: {why}",
    "Message too big",
    "Messages are UTF-8 text",
    "Protocol error",
    "{field}: {message}",
];

/// A file's code without comments and without its `#[cfg(test)]` module,
/// each string literal replaced by `"<n>"`, the n-th of the literals
/// returned; character literals become `'_'` (a `'('` is no bracket).
fn literals_of(text: &str) -> (String, Vec<String>) {
    let text = text.find("#[cfg(test)]").map_or(text, |at| &text[..at]);
    let chars: Vec<char> = text.chars().collect();
    let (mut code, mut literals) = (String::new(), Vec::new());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let after_ident = i > 0 && is_ident(chars[i - 1]);
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '"' || (c == 'r' && !after_ident && matches!(next, Some('"' | '#'))) {
            let hashes = if c == 'r' {
                i += 1;
                let start = i;
                while chars.get(i) == Some(&'#') {
                    i += 1;
                }
                i - start
            } else {
                0
            };
            i += 1;
            let mut literal = String::new();
            while i < chars.len() {
                if hashes == 0 && c == '"' && chars[i] == '\\' {
                    literal.extend(chars.get(i..i + 2).unwrap_or_default());
                    i += 2;
                    continue;
                }
                if chars[i] == '"' && chars[i + 1..].iter().take(hashes).all(|h| *h == '#') {
                    i += 1 + hashes;
                    break;
                }
                literal.push(chars[i]);
                i += 1;
            }
            code.push_str(&format!("\"{}\"", literals.len()));
            literals.push(literal);
        } else if c == '\'' && (chars.get(i + 2) == Some(&'\'') || next == Some('\\')) {
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            code.push_str("'_'");
        } else {
            code.push(c);
            i += 1;
        }
    }
    (code, literals)
}

/// The end (exclusive) of the argument list starting at `start` (its
/// closing bracket), or with `field`, of the field value starting there
/// (also a `,` or `;` at depth 0).
fn span_end(code: &str, start: usize, field: bool) -> usize {
    let mut depth = 0i32;
    for (at, c) in code[start..].char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => return start + at,
            ')' | ']' | '}' => depth -= 1,
            ',' | ';' if depth == 0 && field => return start + at,
            _ => {}
        }
    }
    code.len()
}

/// The literals in `code[from..to]`, leaving out those inside catalogue calls.
fn literals_in(code: &str, from: usize, to: usize) -> Vec<usize> {
    let mut found = Vec::new();
    let mut at = from;
    while at < to {
        let rest = &code[at..to];
        if let Some(call) = CATALOGUE_CALLS
            .iter()
            .find(|call| rest.starts_with(**call) && !code[..at].ends_with(is_ident))
        {
            at = span_end(code, at + call.len(), false) + 1;
            while at < to && !code.is_char_boundary(at) {
                at += 1;
            }
            continue;
        }
        if let Some(number) = rest.strip_prefix('"') {
            let digits: String = number.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse() {
                found.push(n);
                at += digits.len() + 2;
                continue;
            }
        }
        at += rest.chars().next().map_or(1, char::len_utf8);
    }
    found
}

/// Every sentence literal passed where a person reads it, as `file: "literal"`.
fn sentences_in(name: &str, text: &str) -> Vec<String> {
    let (code, literals) = literals_of(text);
    let mut found = Vec::new();
    for call in SENTENCE_CALLS {
        for (at, _) in code.match_indices(call) {
            if code[..at].ends_with(is_ident) {
                continue;
            }
            let start = at + call.len();
            let end = span_end(&code, start, call.ends_with(':'));
            for n in literals_in(&code, start, end) {
                let literal = &literals[n];
                if literal.contains(' ') && !NOT_SENTENCES.contains(&literal.as_str()) {
                    found.push(format!("{name}: {call} {literal:?}"));
                }
            }
        }
    }
    found
}

#[test]
fn every_sentence_a_person_reads_comes_from_the_catalogue() {
    let mut found = Vec::new();
    for (name, text) in sources() {
        if name != "core/locale.rs" {
            found.extend(sentences_in(&name, &text));
        }
    }
    assert!(
        found.is_empty(),
        "{} sentence(s) written in the code: put them in api/locales/{{nl,fr,en}}.ftl and \
         use `tr!`:\n  {}",
        found.len(),
        found.join("\n  ")
    );
}

#[test]
fn the_sentence_reader_sees_literals_and_format_strings_but_not_placeholders() {
    let code = "fn f() {\n\
        // ApiError::conflict(\"a comment\")\n\
        let c = ')';\n\
        ApiError::bad_input(field, format!(\"{field} may not be empty\"));\n\
        ApiError::bad_input(field, tr!(\"error-slot\", slot = format!(\"{} {}\", a, b)));\n\
        Refusal { status, message: \"too many sockets\".into(), field: None };\n\
        Err(Close(4400, \"Invalid message received\".into()))\n\
        }\n\
        #[cfg(test)]\nmod tests { fn t() { ApiError::conflict(\"in a test\"); } }";
    assert_eq!(
        sentences_in("x.rs", code),
        [
            "x.rs: ApiError::bad_input( \"{field} may not be empty\"",
            "x.rs: message: \"too many sockets\""
        ]
    );
}

/// Literals equal to a stored value that are not storage, as `file: literal`.
///
/// - `auth/policy.rs`: the words the README's policy table uses for a
///   viewer's relation to a record (which happen to be the names of
///   involvement statuses); printed, never stored or compared with a column.
/// - `tools/demo/mod.rs`: `BASIC` and `DOMESTIC_VIOLENCE` are training modules'
///   codes (the catalogue in the matching crate, stored as open strings),
///   not the language level and the crisis type of the same names.
const NOT_STORED: &[&str] = &[
    "auth/policy.rs: PROPOSED",
    "auth/policy.rs: ACTIVE",
    "auth/policy.rs: PHASING_OUT",
    "auth/policy.rs: ENDED",
    "auth/policy.rs: DECLINED",
    "tools/demo/mod.rs: BASIC",
    "tools/demo/mod.rs: DOMESTIC_VIOLENCE",
];

/// The strings the entity enums store: every upper-case string literal of
/// `entity/src/vocabulary.rs` (its `string_value`s and written-out values).
/// The locale codes (`nl`, `fr`, `en`) are left out: they are language codes
/// too, which the code names as such.
fn stored_vocabulary() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../entity/src/vocabulary.rs");
    let (_, literals) = literals_of(&fs::read_to_string(path).unwrap());
    literals
        .into_iter()
        .filter(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .collect()
}

/// Every literal of `text` (code, not comments, attributes or tests) equal
/// to a stored value, as `file: literal`.
fn stored_literals_in(name: &str, text: &str, vocabulary: &BTreeSet<String>) -> Vec<String> {
    let (code, literals) = literals_of(text);
    let mut found = Vec::new();
    for line in code.lines() {
        if line.trim_start().starts_with("#[") {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find('"') {
            let digits: String = rest[at + 1..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            rest = &rest[at + 1 + digits.len()..];
            let Ok(n) = digits.parse::<usize>() else {
                continue;
            };
            rest = rest.strip_prefix('"').unwrap_or(rest);
            let literal = &literals[n];
            if vocabulary.contains(literal) {
                found.push(format!("{name}: {literal}"));
            }
        }
    }
    found
}

#[test]
fn no_stored_value_is_written_as_a_string_outside_entity() {
    let vocabulary = stored_vocabulary();
    assert!(vocabulary.contains("PHASING_OUT") && vocabulary.contains("SELF"));
    let mut found = Vec::new();
    for (name, text) in sources() {
        found.extend(
            stored_literals_in(&name, &text, &vocabulary)
                .into_iter()
                .filter(|f| !NOT_STORED.contains(&f.as_str())),
        );
    }
    assert!(
        found.is_empty(),
        "{} stored value(s) written as strings: use the enums of entity::vocabulary:\n  {}",
        found.len(),
        found.join("\n  ")
    );
}

#[test]
fn the_vocabulary_reader_skips_comments_attributes_and_tests() {
    let vocabulary: BTreeSet<String> = ["ACTIVE", "SELF"].map(str::to_owned).into();
    let code = "/// Only \"ACTIVE\" ones.\n\
        #[graphql(name = \"SELF\")]\n\
        fn f() { filter(status.eq(\"ACTIVE\")); let s = \"ACTIVE_X\"; }\n\
        #[cfg(test)]\nmod tests { const A: &str = \"ACTIVE\"; }";
    assert_eq!(
        stored_literals_in("x.rs", code, &vocabulary),
        ["x.rs: ACTIVE"]
    );
}
