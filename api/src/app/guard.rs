//! A cheap look at a GraphQL document before async-graphql validates it.
//!
//! async-graphql's validation walks every fragment spread again, without
//! memoisation: a 1 KB document whose fragments each spread the next one
//! twice expands to millions of fields and keeps a core busy for seconds,
//! and depth or complexity limits do not stop it. This pass computes the
//! fragment-expanded size with memoisation (linear in the document), and
//! refuses documents over budget, with recursive fragments, or with too many
//! aliases or directives, before anything else looks at them.
//!
//! Before even that, [`scan`] reads the raw text once, without recursion:
//! the parser recurses into nested values (`[[[[...]]]]`, `{a: {a: ...}}`),
//! and a 4 KB document 2,000 levels deep overflowed its stack and aborted the
//! process. Text nested deeper than the limit, or holding control
//! characters, never reaches the parser.
//!
//! Clients send the same few documents again and again, so [`Documents`]
//! keeps the parse and the verdict of recent texts: a document is parsed and
//! checked once, not on every request.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use async_graphql_parser::{
    Positioned,
    types::{ExecutableDocument, OperationType, Selection, SelectionSet},
};

/// Limits of one document.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// Fields after expanding every fragment spread.
    pub max_expanded_fields: u64,
    /// Aliases written in the document.
    pub max_aliases: usize,
    /// Directives written in the document.
    pub max_directives: usize,
    /// Fragment spreads nested in fragment spreads.
    pub max_fragment_depth: u32,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_expanded_fields: 2_000,
            max_aliases: 30,
            max_directives: 30,
            max_fragment_depth: 8,
        }
    }
}

/// Why a document was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// More fields than the budget once fragments are expanded.
    TooLarge,
    /// A fragment spreads itself, directly or not.
    RecursiveFragment(String),
    /// A spread names no fragment of the document.
    UnknownFragment(String),
    /// Fragments nested too deep.
    TooDeep,
    /// Too many aliases.
    TooManyAliases,
    /// Too many directives.
    TooManyDirectives,
    /// Brackets (`{`, `[`, `(`) nested deeper than the limit.
    NestedTooDeep(usize),
    /// A control character other than tab, newline and carriage return.
    ControlCharacter,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::TooLarge => {
                f.write_str("the document is too large once its fragments are expanded")
            }
            Refusal::RecursiveFragment(name) => write!(f, "fragment {name} spreads itself"),
            Refusal::UnknownFragment(name) => write!(f, "unknown fragment {name}"),
            Refusal::TooDeep => f.write_str("fragments are nested too deep"),
            Refusal::TooManyAliases => f.write_str("the document uses too many aliases"),
            Refusal::TooManyDirectives => f.write_str("the document uses too many directives"),
            Refusal::NestedTooDeep(max) => {
                write!(f, "the document nests brackets deeper than {max} levels")
            }
            Refusal::ControlCharacter => f.write_str("the document contains a control character"),
        }
    }
}

/// Where [`scan`] is in the text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lexing {
    Code,
    Comment,
    String,
    BlockString,
}

/// Reads a document's raw text once, iteratively, before the parser sees
/// it: brackets outside strings and comments may nest at most `max_nesting`
/// deep, and no control character but tab, newline and carriage return may
/// appear anywhere. The parser recurses once per nesting level, so this is
/// what keeps its stack bounded.
pub fn scan(text: &str, max_nesting: usize) -> Result<(), Refusal> {
    let bytes = text.as_bytes();
    let mut state = Lexing::Code;
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') || b == 0x7f {
            return Err(Refusal::ControlCharacter);
        }
        let triple = bytes.get(i..i + 3) == Some(b"\"\"\"");
        match state {
            Lexing::Code => match b {
                b'#' => state = Lexing::Comment,
                b'"' if triple => {
                    state = Lexing::BlockString;
                    i += 2;
                }
                b'"' => state = Lexing::String,
                b'{' | b'[' | b'(' => {
                    depth += 1;
                    if depth > max_nesting {
                        return Err(Refusal::NestedTooDeep(max_nesting));
                    }
                }
                b'}' | b']' | b')' => depth = depth.saturating_sub(1),
                _ => {}
            },
            Lexing::Comment if matches!(b, b'\n' | b'\r') => state = Lexing::Code,
            Lexing::Comment => {}
            Lexing::String => match b {
                b'\\' => i += 1,
                b'"' | b'\n' | b'\r' => state = Lexing::Code,
                _ => {}
            },
            Lexing::BlockString => {
                if b == b'\\' && bytes.get(i + 1..i + 4) == Some(b"\"\"\"") {
                    i += 3;
                } else if triple {
                    state = Lexing::Code;
                    i += 2;
                }
            }
        }
        i += 1;
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum Memo {
    InProgress,
    Done { size: u64, depth: u32 },
}

struct Walker<'a> {
    doc: &'a ExecutableDocument,
    budget: Budget,
    memo: HashMap<&'a str, Memo>,
    aliases: usize,
    directives: usize,
}

impl<'a> Walker<'a> {
    /// (expanded size, fragment depth) of a selection set.
    fn set(&mut self, set: &'a Positioned<SelectionSet>) -> Result<(u64, u32), Refusal> {
        let mut size: u64 = 0;
        let mut depth = 0;
        for item in &set.node.items {
            self.directives += item.node.directives().len();
            let (s, d) = match &item.node {
                Selection::Field(field) => {
                    if field.node.alias.is_some() {
                        self.aliases += 1;
                    }
                    let (s, d) = self.set(&field.node.selection_set)?;
                    (s.saturating_add(1), d)
                }
                Selection::InlineFragment(fragment) => self.set(&fragment.node.selection_set)?,
                Selection::FragmentSpread(spread) => {
                    let (s, d) = self.fragment(spread.node.fragment_name.node.as_str())?;
                    (s, d + 1)
                }
            };
            size = size.saturating_add(s);
            depth = depth.max(d);
            if size > self.budget.max_expanded_fields {
                return Err(Refusal::TooLarge);
            }
            if depth > self.budget.max_fragment_depth {
                return Err(Refusal::TooDeep);
            }
        }
        Ok((size, depth))
    }

    fn fragment(&mut self, name: &'a str) -> Result<(u64, u32), Refusal> {
        match self.memo.get(name) {
            Some(Memo::Done { size, depth }) => return Ok((*size, *depth)),
            Some(Memo::InProgress) => return Err(Refusal::RecursiveFragment(name.to_owned())),
            None => {}
        }
        let doc = self.doc;
        let Some((key, definition)) = doc.fragments.get_key_value(name) else {
            return Err(Refusal::UnknownFragment(name.to_owned()));
        };
        self.memo.insert(key.as_str(), Memo::InProgress);
        self.directives += definition.node.directives.len();
        let (size, depth) = self.set(&definition.node.selection_set)?;
        self.memo.insert(key.as_str(), Memo::Done { size, depth });
        Ok((size, depth))
    }
}

/// The operation a document would run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    /// Query, mutation or subscription.
    pub ty: OperationType,
    /// Its name, if it has one.
    pub name: Option<String>,
}

/// Checks a parsed document against `budget` and returns the operation that
/// would run. The server parses once, checks, then hands the same document to
/// async-graphql (a document that does not parse is left to async-graphql,
/// which reports the syntax error itself).
pub fn check(
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    budget: Budget,
) -> Result<Option<Operation>, Refusal> {
    let mut walker = Walker {
        doc,
        budget,
        memo: HashMap::new(),
        aliases: 0,
        directives: 0,
    };
    let mut total: u64 = 0;
    let mut selected = None;
    for (name, operation) in doc.operations.iter() {
        walker.directives += operation.node.directives.len();
        let (size, _) = walker.set(&operation.node.selection_set)?;
        total = total.saturating_add(size);
        if total > budget.max_expanded_fields {
            return Err(Refusal::TooLarge);
        }
        if operation_name.is_none() || name.map(|n| n.as_str()) == operation_name {
            selected = Some(Operation {
                ty: operation.node.ty,
                name: name.map(|n| n.to_string()),
            });
        }
    }
    for name in doc.fragments.keys() {
        walker.fragment(name.as_str())?;
    }
    if walker.aliases > budget.max_aliases {
        return Err(Refusal::TooManyAliases);
    }
    if walker.directives > budget.max_directives {
        return Err(Refusal::TooManyDirectives);
    }
    Ok(selected)
}

/// A document as the server first saw it: parsed (`None` when it does not
/// parse; async-graphql then reports the syntax error itself) and checked.
#[derive(Debug)]
pub struct Checked {
    /// The parsed document.
    pub document: Option<ExecutableDocument>,
    /// What [`check`] said of it under the default budget.
    pub verdict: Result<Option<Operation>, Refusal>,
}

/// Recently seen documents by text and operation name, each parsed and
/// checked once. At most [`Documents::CAPACITY`] are kept, none longer than
/// [`Documents::LONGEST`]; when full it starts afresh, so a client sending
/// endless new documents costs what it did without the cache.
#[derive(Debug, Default)]
pub struct Documents {
    hasher: std::hash::RandomState,
    seen: Mutex<HashMap<u64, Arc<Seen>>>,
}

/// A kept document with the text and operation name it was kept for.
#[derive(Debug)]
struct Seen {
    query: String,
    operation_name: Option<String>,
    checked: Arc<Checked>,
}

impl Documents {
    /// Most documents kept.
    pub const CAPACITY: usize = 512;
    /// Longest text kept, in bytes.
    pub const LONGEST: usize = 16 * 1024;

    /// The parse and the verdict of `query` (selecting `operation_name`).
    pub fn check(&self, query: &str, operation_name: Option<&str>) -> Arc<Checked> {
        use std::hash::BuildHasher;
        let key = self.hasher.hash_one((query, operation_name));
        if let Ok(seen) = self.seen.lock()
            && let Some(seen) = seen.get(&key)
            && seen.query == query
            && seen.operation_name.as_deref() == operation_name
        {
            return seen.checked.clone();
        }
        let document = async_graphql_parser::parse_query(query).ok();
        let verdict = match &document {
            Some(doc) => check(doc, operation_name, Budget::default()),
            None => Ok(None),
        };
        let checked = Arc::new(Checked { document, verdict });
        if query.len() <= Self::LONGEST
            && let Ok(mut seen) = self.seen.lock()
        {
            if seen.len() >= Self::CAPACITY {
                seen.clear();
            }
            seen.insert(
                key,
                Arc::new(Seen {
                    query: query.to_owned(),
                    operation_name: operation_name.map(str::to_owned),
                    checked: checked.clone(),
                }),
            );
        }
        checked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses and checks; `Ok(None)` when the text does not parse.
    fn check_text(
        query: &str,
        operation_name: Option<&str>,
        budget: Budget,
    ) -> Result<Option<Operation>, Refusal> {
        match async_graphql_parser::parse_query(query) {
            Ok(doc) => check(&doc, operation_name, budget),
            Err(_) => Ok(None),
        }
    }

    /// Fragments that each spread the next one twice: 2^n fields from a few hundred bytes.
    fn doubling(n: usize) -> String {
        let mut doc = String::from("query { me { ...F0 } }\n");
        for i in 0..n {
            doc.push_str(&format!(
                "fragment F{i} on User {{ ...F{} ...F{} }}\n",
                i + 1,
                i + 1
            ));
        }
        doc.push_str(&format!("fragment F{n} on User {{ name }}\n"));
        doc
    }

    #[test]
    fn deep_text_and_control_characters_are_refused_before_parsing() {
        let deep = format!(
            "{{ languages(search: {}\"a\"{}) {{ code }} }}",
            "[".repeat(2_000),
            "]".repeat(2_000)
        );
        assert_eq!(scan(&deep, 32), Err(Refusal::NestedTooDeep(32)));
        let objects = format!("{{ f(a: {}1{}) }}", "{a: ".repeat(40), "}".repeat(40));
        assert_eq!(scan(&objects, 32), Err(Refusal::NestedTooDeep(32)));
        // Brackets in strings, block strings and comments do not count.
        let quoted = format!(
            "{{ f(a: \"{open}\\\"{open}\", b: \"\"\"{open}\\\"\"\"{open}\"\"\") # {open}\n }}",
            open = "[".repeat(100)
        );
        assert_eq!(scan(&quoted, 32), Ok(()));
        assert_eq!(scan("{ me {\r\n\tname } }", 32), Ok(()));
        assert_eq!(
            scan("{ me { name } }\u{0}", 32),
            Err(Refusal::ControlCharacter)
        );
        assert_eq!(
            scan("{ f(a: \"\u{1b}[31m\") }", 32),
            Err(Refusal::ControlCharacter)
        );
    }

    #[test]
    fn an_exponential_fragment_document_is_refused_in_linear_time() {
        let doc = doubling(40);
        assert!(doc.len() < 2048);
        let started = std::time::Instant::now();
        let refused = check_text(
            &doc,
            None,
            Budget {
                max_fragment_depth: 64,
                ..Budget::default()
            },
        );
        assert_eq!(refused, Err(Refusal::TooLarge));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn ordinary_documents_pass_and_report_their_operation() {
        let ok = check_text(
            "mutation M { login(email: \"a\", password: \"b\") { token } } query Q { me { name } }",
            Some("M"),
            Budget::default(),
        );
        assert_eq!(
            ok.unwrap().map(|o| (o.ty, o.name)),
            Some((OperationType::Mutation, Some("M".to_owned())))
        );
        assert_eq!(
            check_text("{ me { name } }", None, Budget::default())
                .unwrap()
                .map(|o| o.ty),
            Some(OperationType::Query)
        );
        assert_eq!(check_text("{ me { ", None, Budget::default()), Ok(None));
    }

    #[test]
    fn recursive_and_unknown_fragments_and_alias_floods_are_refused() {
        assert_eq!(
            check_text(
                "{ me { ...A } } fragment A on User { ...B } fragment B on User { ...A }",
                None,
                Budget::default()
            ),
            Err(Refusal::RecursiveFragment("A".into()))
        );
        assert_eq!(
            check_text("{ me { ...X } }", None, Budget::default()),
            Err(Refusal::UnknownFragment("X".into()))
        );
        let aliases: String = (0..40).map(|i| format!("a{i}: me {{ name }} ")).collect();
        assert_eq!(
            check_text(&format!("{{ {aliases} }}"), None, Budget::default()),
            Err(Refusal::TooManyAliases)
        );
    }

    #[test]
    fn a_document_is_parsed_and_checked_once_per_text_and_operation() {
        let documents = Documents::default();
        let query = "query A { __typename } query B { __typename }";
        let named = |checked: &Checked| {
            let operation = checked.verdict.clone().unwrap().unwrap();
            operation.name
        };
        let first = documents.check(query, Some("A"));
        assert!(Arc::ptr_eq(&first, &documents.check(query, Some("A"))));
        assert_eq!(named(&first).as_deref(), Some("A"));
        let other = documents.check(query, Some("B"));
        assert!(!Arc::ptr_eq(&first, &other));
        assert_eq!(named(&other).as_deref(), Some("B"));
    }

    #[test]
    fn refusals_and_syntax_errors_are_kept_as_they_were_judged() {
        let documents = Documents::default();
        let aliases: String = (0..31).map(|i| format!("a{i}: __typename ")).collect();
        let query = format!("{{ {aliases} }}");
        for _ in 0..2 {
            assert_eq!(
                documents.check(&query, None).verdict,
                Err(Refusal::TooManyAliases)
            );
        }
        let broken = documents.check("{ unclosed", None);
        assert!(broken.document.is_none());
        assert_eq!(broken.verdict, Ok(None));
    }

    #[test]
    fn long_documents_and_a_full_cache_are_not_kept() {
        let documents = Documents::default();
        let long = format!("{{ __typename }} #{}", "x".repeat(Documents::LONGEST));
        assert!(!Arc::ptr_eq(
            &documents.check(&long, None),
            &documents.check(&long, None)
        ));
        for i in 0..Documents::CAPACITY {
            documents.check(&format!("{{ a{i}: __typename }}"), None);
        }
        let kept = documents.check("{ __typename }", None);
        assert!(Arc::ptr_eq(&kept, &documents.check("{ __typename }", None)));
        assert!(documents.seen.lock().unwrap().len() <= Documents::CAPACITY);
    }
}
