//! Automatic persisted queries (Apollo's APQ protocol): a client sends
//! `extensions.persistedQuery = {"version": 1, "sha256Hash": "<hex>"}`
//! without the document; the server answers `PERSISTED_QUERY_NOT_FOUND`
//! when it does not know the hash, and the client sends hash and document
//! once, which registers the document after its hash is checked. Over POST,
//! GET and the WebSocket alike (the request reader reads `extensions` for
//! all three).
//!
//! The registered texts are kept in a bounded LRU (at most
//! [`Persisted::MAX_DOCUMENTS`] documents and [`Persisted::MAX_BYTES`] bytes
//! of text); a text found by its hash then goes through the pipeline like
//! any other, and its parse comes from the parse-once cache
//! ([`crate::app::guard::Documents`]), which is keyed by the text.
//!
//! With `TANDEM_PERSISTED_QUERIES=only` the server runs only the documents
//! of its manifest (an allow-list): by hash, or by a text whose hash is one
//! of them; nothing is registered from requests.

use std::{collections::HashMap, num::NonZeroUsize, sync::Mutex};

use axum::http::StatusCode;
use sha2::{Digest, Sha256};

use super::{pipeline::Refusal, request::PersistedQuery};
use crate::core::{config::PersistedQueries, locale::tr};

/// A document's SHA-256 hash.
type Hash = [u8; 32];

/// The documents known by their hashes. See the module documentation.
#[derive(Debug)]
pub(crate) struct Persisted {
    /// `Some` in allow-list mode: the only documents that run.
    only: Option<HashMap<Hash, String>>,
    learned: Mutex<Learned>,
}

#[derive(Debug)]
struct Learned {
    texts: lru::LruCache<Hash, String>,
    bytes: usize,
}

fn refusal(status: StatusCode, code: &'static str, message: &str, field: Option<&str>) -> Refusal {
    Refusal {
        status,
        code,
        message: message.to_owned(),
        field: field.map(str::to_owned),
    }
}

fn hash_of(text: &str) -> Hash {
    Sha256::digest(text.as_bytes()).into()
}

impl Persisted {
    /// Most documents kept.
    pub(crate) const MAX_DOCUMENTS: usize = 2048;
    /// Most bytes of document text kept.
    pub(crate) const MAX_BYTES: usize = 8 * 1024 * 1024;

    /// The registry for `mode`.
    pub(crate) fn new(mode: &PersistedQueries) -> Persisted {
        let only = match mode {
            PersistedQueries::Automatic => None,
            PersistedQueries::Only(documents) => Some(
                documents
                    .iter()
                    .map(|text| (hash_of(text), text.clone()))
                    .collect(),
            ),
        };
        let capacity = NonZeroUsize::new(Self::MAX_DOCUMENTS).unwrap_or(NonZeroUsize::MIN);
        Persisted {
            only,
            learned: Mutex::new(Learned {
                texts: lru::LruCache::new(capacity),
                bytes: 0,
            }),
        }
    }

    /// The document text a request runs: its own text, or the one its hash
    /// names. `Err` is the refusal to answer.
    pub(crate) fn resolve(
        &self,
        query: Option<String>,
        persisted: Option<&PersistedQuery>,
    ) -> Result<String, Refusal> {
        let Some(persisted) = persisted else {
            let query = query.ok_or_else(|| {
                refusal(
                    StatusCode::BAD_REQUEST,
                    "BAD_REQUEST",
                    &tr!("error-query-needed"),
                    None,
                )
            })?;
            return self.allowed(query, None);
        };
        if persisted.version != Some(1) {
            return Err(refusal(
                StatusCode::BAD_REQUEST,
                "BAD_USER_INPUT",
                &tr!("error-persisted-version"),
                Some("extensions.persistedQuery.version"),
            ));
        }
        let hash = persisted
            .sha256_hash
            .as_deref()
            .and_then(|hex| <[u8; 32]>::try_from(hex::decode(hex).ok()?).ok())
            .ok_or_else(|| {
                refusal(
                    StatusCode::BAD_REQUEST,
                    "BAD_USER_INPUT",
                    &tr!("error-persisted-hash-shape"),
                    Some("extensions.persistedQuery.sha256Hash"),
                )
            })?;
        match query {
            Some(query) if hash_of(&query) != hash => Err(refusal(
                StatusCode::BAD_REQUEST,
                "BAD_USER_INPUT",
                &tr!("error-persisted-hash-mismatch"),
                Some("extensions.persistedQuery.sha256Hash"),
            )),
            Some(query) => self.allowed(query, Some(hash)),
            None => self.known(&hash).ok_or_else(|| {
                // The message Apollo's clients look for, besides the code.
                refusal(
                    StatusCode::OK,
                    "PERSISTED_QUERY_NOT_FOUND",
                    "PersistedQueryNotFound",
                    None,
                )
            }),
        }
    }

    /// `query` if it may run (in allow-list mode: if it is listed).
    fn allowed(&self, query: String, hash: Option<Hash>) -> Result<String, Refusal> {
        match &self.only {
            None => Ok(query),
            Some(listed) if listed.contains_key(&hash.unwrap_or_else(|| hash_of(&query))) => {
                Ok(query)
            }
            Some(_) => Err(refusal(
                StatusCode::FORBIDDEN,
                "FORBIDDEN",
                &tr!("error-persisted-only"),
                Some("query"),
            )),
        }
    }

    fn known(&self, hash: &Hash) -> Option<String> {
        if let Some(listed) = &self.only {
            return listed.get(hash).cloned();
        }
        let mut learned = self.learned.lock().ok()?;
        learned.texts.get(hash).cloned()
    }

    /// Registers `query` under its hash (after it passed the pipeline's
    /// checks), evicting the least recently used texts beyond the bounds.
    pub(crate) fn register(&self, query: &str) {
        if self.only.is_some() || query.len() > Self::MAX_BYTES / 64 {
            return;
        }
        let hash = hash_of(query);
        let Ok(mut learned) = self.learned.lock() else {
            return;
        };
        if learned.texts.get(&hash).is_some() {
            return;
        }
        if let Some((_, evicted)) = learned.texts.push(hash, query.to_owned()) {
            learned.bytes -= evicted.len();
        }
        learned.bytes += query.len();
        while learned.bytes > Self::MAX_BYTES {
            match learned.texts.pop_lru() {
                Some((_, evicted)) => learned.bytes -= evicted.len(),
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_kept_within_their_bounds() {
        let persisted = Persisted::new(&PersistedQueries::Automatic);
        let text = |i: usize| format!("{{ a{i}: __typename {} }}", " ".repeat(100_000));
        for i in 0..200 {
            persisted.register(&text(i));
        }
        let learned = persisted.learned.lock().unwrap();
        assert!(learned.bytes <= Persisted::MAX_BYTES);
        assert_eq!(
            learned.bytes,
            learned.texts.iter().map(|(_, t)| t.len()).sum::<usize>()
        );
        assert!(learned.texts.len() < 200);
    }
}
