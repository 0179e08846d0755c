//! Paged listings of `GET /v1/on_call_roles`: one page, every page, the
//! roles of one name, and single roles read through a shared listing.

use std::time::SystemTime;

use serde::Deserialize;

use super::on_call_roles::{OnCallRole, ResourceObject};
use super::{decode, page_request, RootlyClient, LIST_PAGE_SIZE, MEDIA_TYPE};
use crate::vendors::lost_create::settle::Before;
use crate::vendors::rootly::RootlyError;

#[derive(Deserialize)]
struct Page {
    data: Vec<ResourceObject>,
    #[serde(default)]
    meta: Option<PageMeta>,
    #[serde(default)]
    links: Option<PageLinks>,
}

#[derive(Deserialize)]
struct PageMeta {
    #[serde(default)]
    next_page: Option<u64>,
}

#[derive(Deserialize)]
struct PageLinks {
    #[serde(default)]
    next: Option<String>,
}

/// Filters of `GET /v1/on_call_roles`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilters {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub search: Option<String>,
}

impl RootlyClient {
    /// What was there before a create of a role named `name` (see
    /// [`crate::vendors::lost_create::settle`]): one walk of the role pages per run,
    /// before the first create.
    pub async fn before_create(&self, name: &str) -> Result<Before, RootlyError> {
        self.before
            .before("", name, || async {
                let roles = self.list_roles(&ListFilters::default()).await?;
                Ok(roles.into_iter().map(|r| (r.name, r.id)).collect())
            })
            .await
    }

    /// The roles named `name` (`filter[name]`, every page), and the server's
    /// time of the first answer (its `Date` header).
    pub(super) async fn roles_named(
        &self,
        name: &str,
    ) -> Result<(Vec<OnCallRole>, Option<SystemTime>), RootlyError> {
        let filters = ListFilters {
            name: Some(name.to_string()),
            ..Default::default()
        };
        let mut all = Vec::new();
        let mut server_now = None;
        for page in 1.. {
            let (roles, more, date) = self.list_page_dated(&filters, page, LIST_PAGE_SIZE).await?;
            server_now = server_now.or(date);
            let empty = roles.is_empty();
            all.extend(roles);
            if !more || empty {
                break;
            }
        }
        Ok((all, server_now))
    }

    /// One role for a refresh, by UUID; `None` when it does not exist.
    /// Reads of many roles at once share one walk of the list pages (they
    /// hold full roles) instead of one `GET` each.
    pub async fn read_role(&self, id: &str) -> Result<Option<OnCallRole>, RootlyError> {
        self.snapshot
            .get(&id.to_string(), || async {
                let roles = self.list_roles(&ListFilters::default()).await?;
                Ok(roles.into_iter().map(|r| (r.id.clone(), r)).collect())
            })
            .await
    }

    /// One page of `GET /v1/on_call_roles`; also whether there is a next one.
    pub async fn list_page(
        &self,
        filters: &ListFilters,
        page: u64,
        size: usize,
    ) -> Result<(Vec<OnCallRole>, bool), RootlyError> {
        let (roles, more, _) = self.list_page_dated(filters, page, size).await?;
        Ok((roles, more))
    }

    /// [`Self::list_page`], with the answer's `Date` header.
    async fn list_page_dated(
        &self,
        filters: &ListFilters,
        page: u64,
        size: usize,
    ) -> Result<(Vec<OnCallRole>, bool, Option<SystemTime>), RootlyError> {
        let request = page_request(
            "/v1/on_call_roles",
            page,
            size,
            &[
                ("filter[name]", &filters.name),
                ("filter[slug]", &filters.slug),
                ("filter[search]", &filters.search),
            ],
        );
        let request = request.header("Accept", MEDIA_TYPE).expect_json::<Page>();
        let response = self.http.send(request).await?;
        let page_body: Page = decode(&response)?;
        let date = response
            .header("date")
            .and_then(|d| httpdate::parse_http_date(d).ok());
        let more = match (&page_body.meta, &page_body.links) {
            (Some(meta), _) => meta.next_page.is_some(),
            (None, Some(links)) => links.next.is_some(),
            (None, None) => false,
        };
        let roles = page_body.data.into_iter().map(OnCallRole::from).collect();
        Ok((roles, more, date))
    }

    /// Every role matching `filters`, walking every page.
    pub async fn list_roles(&self, filters: &ListFilters) -> Result<Vec<OnCallRole>, RootlyError> {
        let mut all = Vec::new();
        let mut page = 1;
        loop {
            let (roles, more) = self.list_page(filters, page, LIST_PAGE_SIZE).await?;
            let empty = roles.is_empty();
            all.extend(roles);
            // An empty page ends the walk even if the server says there is
            // more, so a wrong `next_page` cannot loop forever.
            if !more || empty {
                return Ok(all);
            }
            page += 1;
        }
    }
}
