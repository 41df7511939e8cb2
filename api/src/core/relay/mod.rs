//! Relay plumbing: opaque global IDs, cursors and connections.
//!
//! A global ID is base64url("Type:uuid"); a cursor is base64url of
//! "Connection:uuid", the connection it was handed out by and the row's
//! UUIDv7 key, so pages are keyset pages in creation order and stay stable
//! while rows are added, and a cursor of one list is refused by another
//! (BAD_USER_INPUT on `after` or `before`). Global IDs are in `ids`,
//! re-exported here.

use async_graphql::SimpleObject;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use uuid::Uuid;

use crate::core::error::{ApiError, ApiResult};

mod ids;

pub use ids::*;

/// The cursor of row `id` in a `connection` (a connection type's name).
pub fn cursor(connection: &str, id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("{connection}:{id}"))
}

/// The row key of `raw`, a cursor given as argument `field` to `connection`.
fn parse_cursor(raw: &str, field: &str, connection: &str) -> ApiResult<Uuid> {
    let foreign =
        || ApiError::bad_input(field, crate::core::locale::text("error-not-a-cursor", &[]));
    let text = URL_SAFE_NO_PAD
        .decode(raw.as_bytes())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(foreign)?;
    let (kind, key) = text.split_once(':').ok_or_else(foreign)?;
    let key = Uuid::parse_str(key).map_err(|_| foreign())?;
    if kind != connection {
        return Err(ApiError::bad_input(
            field,
            crate::core::locale::tr!(
                "error-cursor-of-other",
                kind = kind,
                connection = connection
            ),
        ));
    }
    Ok(key)
}

/// The largest page a client may ask for.
pub const MAX_PAGE: usize = 100;
/// The page size when the client gives neither `first` nor `last`.
pub const DEFAULT_PAGE: usize = 20;

/// A validated `first/after/last/before` request.
#[derive(Clone, Copy, Debug)]
pub struct PageRequest {
    /// Rows wanted.
    pub limit: usize,
    /// Only rows after this key.
    pub after: Option<Uuid>,
    /// Only rows before this key.
    pub before: Option<Uuid>,
    /// `last` was given: take the rows nearest `before` (or the end).
    pub from_end: bool,
    /// Count every matching row for `totalCount` (a second statement; skipped
    /// when the query does not ask for it).
    pub count: bool,
}

impl PageRequest {
    /// Parses the four Relay arguments of connection `C`; a negative or
    /// oversized count, both `first` and `last`, or a cursor `C` did not
    /// hand out is BAD_USER_INPUT.
    pub fn parse<C: ConnectionType>(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<PageRequest> {
        let count = |value: i32, field: &str| -> ApiResult<usize> {
            let named = || crate::core::locale::s(field);
            if value < 0 {
                return Err(ApiError::bad_input(
                    field,
                    crate::core::locale::text("error-page-negative", &[("field", named())]),
                ));
            }
            let value = value as usize;
            if value > MAX_PAGE {
                return Err(ApiError::bad_input(
                    field,
                    crate::core::locale::text(
                        "error-page-too-large",
                        &[
                            ("field", named()),
                            ("max", crate::core::locale::n(MAX_PAGE as f64)),
                        ],
                    ),
                ));
            }
            Ok(value)
        };
        let (limit, from_end) = match (first, last) {
            (Some(_), Some(_)) => {
                return Err(ApiError::bad_input(
                    "last",
                    crate::core::locale::text("error-first-and-last", &[]),
                ));
            }
            (Some(first), None) => (count(first, "first")?, false),
            (None, Some(last)) => (count(last, "last")?, true),
            (None, None) => (DEFAULT_PAGE, false),
        };
        Ok(PageRequest {
            limit,
            after: after
                .as_deref()
                .map(|c| parse_cursor(c, "after", C::NAME))
                .transpose()?,
            before: before
                .as_deref()
                .map(|c| parse_cursor(c, "before", C::NAME))
                .transpose()?,
            from_end,
            count: true,
        })
    }

    /// Counts only when the connection's `totalCount` is selected (counting
    /// 20,000 families costs more than the page itself).
    pub fn counting(self, ctx: &async_graphql::Context<'_>) -> PageRequest {
        PageRequest {
            count: ctx.look_ahead().field("totalCount").exists(),
            ..self
        }
    }

    /// The page made of `fetched`: the first `limit + 1` rows after `after`
    /// (or, from the end, the last `limit + 1` before `before`), ascending. The
    /// extra row only tells that there is more.
    pub fn page_of<T>(&self, mut fetched: Vec<T>, total: usize) -> Page<T> {
        let more = fetched.len() > self.limit;
        if more {
            if self.from_end {
                fetched.remove(0);
            } else {
                fetched.truncate(self.limit);
            }
        }
        Page {
            items: fetched,
            has_next: if self.from_end {
                self.before.is_some()
            } else {
                more
            },
            has_previous: if self.from_end {
                more
            } else {
                self.after.is_some()
            },
            total,
        }
    }

    /// Cuts one page out of keys sorted ascending.
    pub fn slice(&self, sorted_keys: &[Uuid]) -> Page<Uuid> {
        let start = match self.after {
            Some(after) => sorted_keys.partition_point(|k| *k <= after),
            None => 0,
        };
        let end = match self.before {
            Some(before) => sorted_keys.partition_point(|k| *k < before),
            None => sorted_keys.len(),
        }
        .max(start);
        let window = &sorted_keys[start..end];
        let (items, has_next, has_previous) = if self.from_end {
            let from = window.len().saturating_sub(self.limit);
            (
                window[from..].to_vec(),
                end < sorted_keys.len(),
                from > 0 || start > 0,
            )
        } else {
            let to = window.len().min(self.limit);
            (
                window[..to].to_vec(),
                to < window.len() || end < sorted_keys.len(),
                start > 0,
            )
        };
        Page {
            items,
            has_next,
            has_previous,
            total: sorted_keys.len(),
        }
    }
}

impl PageRequest {
    /// Cuts one page out of `items`, a whole list already in its display
    /// order (not necessarily key order): the cursors name rows of the list.
    /// A cursor whose row has left the list (a concern resolved, say) is
    /// BAD_USER_INPUT: the client starts again from the first page.
    pub fn page_in_order<T>(&self, items: Vec<T>, key: impl Fn(&T) -> Uuid) -> ApiResult<Page<T>> {
        let position = |cursor: Option<Uuid>, field: &str| -> ApiResult<Option<usize>> {
            cursor
                .map(|wanted| {
                    items
                        .iter()
                        .position(|item| key(item) == wanted)
                        .ok_or_else(|| {
                            ApiError::bad_input(
                                field,
                                crate::core::locale::text("error-cursor-gone", &[]),
                            )
                        })
                })
                .transpose()
        };
        let start = position(self.after, "after")?.map_or(0, |at| at + 1);
        let end = position(self.before, "before")?
            .unwrap_or(items.len())
            .max(start);
        let total = items.len();
        let (from, to) = if self.from_end {
            (end.saturating_sub(self.limit).max(start), end)
        } else {
            (start, (start + self.limit).min(end))
        };
        let items: Vec<T> = items.into_iter().skip(from).take(to - from).collect();
        Ok(Page {
            items,
            has_next: to < total,
            has_previous: from > 0,
            total,
        })
    }
}

/// Cuts one page out of rows in a list's own order (the waiting list's
/// urgency, say), not in key order: `after` and `before` name rows of the
/// list. A cursor whose row has left the list since is BAD_USER_INPUT (page
/// again from the start).
pub fn slice_ordered<T: Clone>(
    req: &PageRequest,
    rows: &[T],
    key: impl Fn(&T) -> Uuid,
) -> ApiResult<Page<T>> {
    let position = |wanted: Uuid, field: &str| {
        rows.iter().position(|r| key(r) == wanted).ok_or_else(|| {
            ApiError::bad_input(field, crate::core::locale::text("error-cursor-gone", &[]))
        })
    };
    let start = match req.after {
        Some(after) => position(after, "after")? + 1,
        None => 0,
    };
    let end = match req.before {
        Some(before) => position(before, "before")?,
        None => rows.len(),
    }
    .max(start);
    let window = &rows[start..end];
    let (items, has_next, has_previous) = if req.from_end {
        let from = window.len().saturating_sub(req.limit);
        (
            window[from..].to_vec(),
            end < rows.len(),
            from > 0 || start > 0,
        )
    } else {
        let to = window.len().min(req.limit);
        (
            window[..to].to_vec(),
            to < window.len() || end < rows.len(),
            start > 0,
        )
    };
    Ok(Page {
        items,
        has_next,
        has_previous,
        total: rows.len(),
    })
}

/// One page of rows plus what the client needs to page on.
#[derive(Clone, Debug)]
pub struct Page<T> {
    /// The rows, in ascending key order.
    pub items: Vec<T>,
    /// Rows exist after the last one.
    pub has_next: bool,
    /// Rows exist before the first one.
    pub has_previous: bool,
    /// Rows matching the filter, all pages together.
    pub total: usize,
}

impl<T> Page<T> {
    /// Builds the connection, given each row's key and its GraphQL node.
    pub fn into_connection<C: ConnectionType>(
        self,
        key: impl Fn(&T) -> Uuid,
        node: impl Fn(T) -> C::Node,
    ) -> C {
        let edges: Vec<(String, C::Node)> = self
            .items
            .into_iter()
            .map(|item| (cursor(C::NAME, key(&item)), node(item)))
            .collect();
        let page_info = PageInfo {
            has_next_page: self.has_next,
            has_previous_page: self.has_previous,
            start_cursor: edges.first().map(|e| e.0.clone()),
            end_cursor: edges.last().map(|e| e.0.clone()),
        };
        C::new(
            edges,
            page_info,
            i32::try_from(self.total).unwrap_or(i32::MAX),
        )
    }
}

/// Relay's page info.
#[derive(Clone, Debug, SimpleObject)]
pub struct PageInfo {
    /// More rows follow `endCursor`.
    pub has_next_page: bool,
    /// More rows precede `startCursor`.
    pub has_previous_page: bool,
    /// Cursor of the first edge.
    pub start_cursor: Option<String>,
    /// Cursor of the last edge.
    pub end_cursor: Option<String>,
}

/// A connection type made by [`connection!`](crate::connection).
pub trait ConnectionType {
    /// The connection's GraphQL type name (its cursors carry it).
    const NAME: &'static str;
    /// The node of each edge.
    type Node;
    /// Assembles the connection.
    fn new(edges: Vec<(String, Self::Node)>, page_info: PageInfo, total_count: i32) -> Self;
}

/// Declares `XConnection` and `XEdge` for a node type, as the contract names them.
#[macro_export]
macro_rules! connection {
    ($connection:ident, $edge:ident, $node:ty) => {
        /// One row of a connection.
        #[derive(Clone, Debug, async_graphql::SimpleObject)]
        pub struct $edge {
            /// Pass as `after`/`before` to page from here.
            pub cursor: String,
            /// The row.
            pub node: $node,
        }

        /// A page of a list that can grow without bound.
        #[derive(Clone, Debug, async_graphql::SimpleObject)]
        pub struct $connection {
            /// The rows of this page.
            pub edges: Vec<$edge>,
            /// Where this page stands.
            pub page_info: $crate::core::relay::PageInfo,
            /// Rows matching the filter, all pages together.
            pub total_count: i32,
        }

        impl $crate::core::relay::ConnectionType for $connection {
            const NAME: &'static str = stringify!($connection);
            type Node = $node;
            fn new(
                edges: Vec<(String, $node)>,
                page_info: $crate::core::relay::PageInfo,
                total_count: i32,
            ) -> Self {
                $connection {
                    edges: edges
                        .into_iter()
                        .map(|(cursor, node)| $edge { cursor, node })
                        .collect(),
                    page_info,
                    total_count,
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::connection!(TestConnection, TestEdge, i32);

    fn test_cursor(id: Uuid) -> String {
        cursor(TestConnection::NAME, id)
    }

    fn keys(n: usize) -> Vec<Uuid> {
        (0..n).map(|_| Uuid::now_v7()).collect()
    }

    #[test]
    fn forward_pages_cover_every_key_once() {
        let all = keys(7);
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let req =
                PageRequest::parse::<TestConnection>(Some(3), after.map(test_cursor), None, None)
                    .unwrap();
            let page = req.slice(&all);
            seen.extend(page.items.iter().copied());
            if !page.has_next {
                break;
            }
            after = page.items.last().copied();
        }
        assert_eq!(seen, all);
    }

    #[test]
    fn last_takes_the_rows_before_the_cursor() {
        let all = keys(5);
        let req =
            PageRequest::parse::<TestConnection>(None, None, Some(2), Some(test_cursor(all[4])))
                .unwrap();
        let page = req.slice(&all);
        assert_eq!(page.items, vec![all[2], all[3]]);
        assert!(page.has_previous);
        assert!(page.has_next);
    }

    #[test]
    fn pages_in_display_order_cover_the_list_once() {
        let all = keys(5);
        let shown: Vec<Uuid> = all.iter().rev().copied().collect();
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let req =
                PageRequest::parse::<TestConnection>(Some(2), after.map(test_cursor), None, None)
                    .unwrap();
            let page = req.page_in_order(shown.clone(), |k| *k).unwrap();
            assert_eq!(page.total, 5);
            seen.extend(page.items.iter().copied());
            if !page.has_next {
                break;
            }
            after = page.items.last().copied();
        }
        assert_eq!(seen, shown);
        let gone = PageRequest::parse::<TestConnection>(
            Some(2),
            Some(test_cursor(Uuid::now_v7())),
            None,
            None,
        )
        .unwrap();
        assert!(gone.page_in_order(shown.clone(), |k| *k).is_err());
        let last =
            PageRequest::parse::<TestConnection>(None, None, Some(2), Some(test_cursor(shown[3])))
                .unwrap();
        let page = last.page_in_order(shown.clone(), |k| *k).unwrap();
        assert_eq!(page.items, vec![shown[1], shown[2]]);
        assert!(page.has_previous && page.has_next);
    }

    #[test]
    fn global_ids_round_trip_and_reject_garbage() {
        let id = Uuid::now_v7();
        let gid = global_id(NodeKind::Family, id);
        assert_eq!(parse_global_id(&gid), Some(("Family".to_owned(), id)));
        assert!(parse_global_id("not-an-id").is_none());
        assert!(expect_id(&gid, NodeKind::Volunteer, "id").is_err());
    }
}
