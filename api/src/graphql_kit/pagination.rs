//! Relay-style pagination: `first`/`after` checked against the configured page size, and
//! opaque keyset cursors. A cursor is the sort key of the last row seen, serialized and
//! base64url-encoded; clients must treat it as an opaque string.

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{ObjectType, OutputType};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{AppError, AppResult};

/// A checked page request: how many rows, and after which key.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<K> {
    pub first: usize,
    pub after: Option<K>,
}

/// Page size when the client gives none.
pub const DEFAULT_PAGE_SIZE: usize = 20;

impl<K: DeserializeOwned> Page<K> {
    /// `first` must be 1..=`max`; `after` must be a cursor this server made.
    pub fn parse(first: Option<i32>, after: Option<&str>, max: usize) -> AppResult<Page<K>> {
        let first = match first {
            None => DEFAULT_PAGE_SIZE.min(max),
            Some(n) if n >= 1 && (n as usize) <= max => n as usize,
            Some(n) => {
                return Err(AppError::bad_input(
                    "first",
                    format!("`first` must be between 1 and {max} (got {n})"),
                ));
            }
        };
        let after = after.map(decode_cursor).transpose()?;
        Ok(Page { first, after })
    }

    /// Rows to fetch: one more than the page, to learn whether another page follows.
    pub fn fetch_limit(&self) -> u64 {
        self.first as u64 + 1
    }
}

impl<K: Serialize> Page<K> {
    /// The connection of the rows fetched for this page (up to [`Page::fetch_limit`]): the
    /// page's rows as `node`s, each with the cursor of its sort `key`.
    pub fn connection<R, N: OutputType>(
        &self,
        rows: Vec<R>,
        key: impl Fn(&R) -> K,
        node: impl FnMut(R) -> N,
    ) -> Connection<String, N> {
        self.connection_with(rows, EmptyFields, key, node)
    }

    /// The same, with fields of the whole list beside the edges (counts, say).
    pub fn connection_with<R, N: OutputType, F: ObjectType>(
        &self,
        rows: Vec<R>,
        fields: F,
        key: impl Fn(&R) -> K,
        mut node: impl FnMut(R) -> N,
    ) -> Connection<String, N, F> {
        let (rows, has_next) = split_page(rows, self.first);
        let mut connection =
            Connection::with_additional_fields(self.after.is_some(), has_next, fields);
        connection.edges.extend(
            rows.into_iter()
                .map(|row| Edge::new(encode_cursor(&key(&row)), node(row))),
        );
        connection
    }
}

pub fn encode_cursor<K: Serialize>(key: &K) -> String {
    // Serializing plain keys (timestamps, ids) cannot fail.
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

pub fn decode_cursor<K: DeserializeOwned>(cursor: &str) -> AppResult<K> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| AppError::bad_input("after", "`after` is not a cursor from this list"))
}

/// Splits a fetched `first + 1` rows into the page and whether more follow.
pub fn split_page<T>(mut rows: Vec<T>, first: usize) -> (Vec<T>, bool) {
    let has_next = rows.len() > first;
    rows.truncate(first);
    (rows, has_next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let key = ("2026-11-23T12:00:00Z".to_owned(), 7u32);
        let cursor = encode_cursor(&key);
        assert_eq!(decode_cursor::<(String, u32)>(&cursor).unwrap(), key);
        assert!(decode_cursor::<(String, u32)>("not a cursor!").is_err());
        assert!(decode_cursor::<(String, u32)>(&encode_cursor(&"other shape")).is_err());
    }

    #[test]
    fn page_sizes_are_bounded() {
        assert_eq!(
            Page::<u32>::parse(None, None, 100).unwrap().first,
            DEFAULT_PAGE_SIZE
        );
        assert_eq!(Page::<u32>::parse(Some(100), None, 100).unwrap().first, 100);
        for bad in [0, -1, 101] {
            assert!(Page::<u32>::parse(Some(bad), None, 100).is_err(), "{bad}");
        }
    }

    #[test]
    fn split_reports_a_next_page() {
        assert_eq!(split_page(vec![1, 2, 3], 2), (vec![1, 2], true));
        assert_eq!(split_page(vec![1, 2], 2), (vec![1, 2], false));
    }
}
