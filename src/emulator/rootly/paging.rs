//! Query parameters and JSON:API pagination shared by Rootly's list
//! endpoints (docs/vendors/rootly.md, "On-call role endpoints").

use axum::http::{header, HeaderMap};
use serde_json::{json, Value};

use super::errors::{ApiError, ErrorItem};

/// Page size when `page[size]` is absent, and the largest accepted
/// (both **unverified**).
pub const DEFAULT_PAGE_SIZE: usize = 20;
pub const MAX_PAGE_SIZE: usize = 100;

/// The decoded query string of a list request.
pub(super) struct ListQuery {
    pairs: Vec<(String, String)>,
    pub(super) page: usize,
    pub(super) size: usize,
}

impl ListQuery {
    /// Parses `page[number]` and `page[size]`; a bad one adds a validation
    /// error to `errors`.
    pub(super) fn parse(query: Option<String>, errors: &mut Vec<ErrorItem>) -> Self {
        let pairs: Vec<(String, String)> =
            url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
                .into_owned()
                .collect();
        let mut q = ListQuery {
            pairs,
            page: 1,
            size: DEFAULT_PAGE_SIZE,
        };
        q.page = q.number("page[number]", 1, errors);
        q.size = q
            .number("page[size]", DEFAULT_PAGE_SIZE, errors)
            .min(MAX_PAGE_SIZE);
        q
    }

    fn number(&self, name: &str, default: usize, errors: &mut Vec<ErrorItem>) -> usize {
        match self.param(name) {
            None => default,
            Some(v) => match v.parse::<usize>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    errors.push(ApiError::invalid(name, "must be a positive integer"));
                    default
                }
            },
        }
    }

    /// The value of one query parameter.
    pub(super) fn param(&self, name: &str) -> Option<String> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    /// The items of `all` on the requested page.
    pub(super) fn page_of<'a, T>(&self, all: &'a [T]) -> &'a [T] {
        let start = (self.page - 1).saturating_mul(self.size).min(all.len());
        let end = start.saturating_add(self.size).min(all.len());
        &all[start..end]
    }

    /// The list body: `data` (one page, see [`ListQuery::page_of`]),
    /// `links` (absolute, keeping the other parameters) and `meta` for a
    /// listing of `total` items. `path` is the endpoint under `/rootly`,
    /// e.g. `/v1/users`.
    pub(super) fn page_body(
        &self,
        headers: &HeaderMap,
        path: &str,
        total: usize,
        data: Vec<Value>,
    ) -> Value {
        let (page, size) = (self.page, self.size);
        let pages = total.div_ceil(size).max(1);
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("127.0.0.1");
        let link = |n: usize| {
            let mut q = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in &self.pairs {
                if k != "page[number]" && k != "page[size]" {
                    q.append_pair(k, v);
                }
            }
            q.append_pair("page[number]", &n.to_string());
            q.append_pair("page[size]", &size.to_string());
            format!("http://{host}/rootly{path}?{}", q.finish())
        };
        let next = (page < pages).then_some(page + 1);
        let prev = (page > 1).then(|| (page - 1).min(pages));
        json!({
            "data": data,
            "links": {
                "self": link(page),
                "first": link(1),
                "prev": prev.map(link),
                "next": next.map(link),
                "last": link(pages),
            },
            "meta": {
                "current_page": page,
                "next_page": next,
                "prev_page": prev,
                "total_count": total,
                "total_pages": pages,
            },
        })
    }
}
