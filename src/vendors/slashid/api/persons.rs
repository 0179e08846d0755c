//! Persons and what they hold, for access reviews (docs/vendors/slashid.md
//! "People and lookups"): `GET /persons` (every person, with handles) and
//! `GET /persons/{id}/permissions` (effective permissions).

use serde::Deserialize;

use super::{check, Envelope, SlashidClient};
use crate::http::{encode_path_segment, Request};
use crate::vendors::slashid::SlashidError;

/// Page size asked of `GET /persons`: its documented maximum `limit`.
pub const PERSONS_PAGE_SIZE: usize = 1000;

/// A person as `GET /persons?fields=handles` lists it (the abridged
/// `PersonRet`; only the fields the provider uses).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ListedPerson {
    pub person_id: String,
    #[serde(default)]
    pub handles: Vec<Handle>,
}

/// A login handle: `email_address`, `phone_number` or `username`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Handle {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

impl ListedPerson {
    /// The person's email addresses (its `email_address` handles).
    pub fn emails(&self) -> impl Iterator<Item = &str> {
        self.handles
            .iter()
            .filter(|h| h.kind == "email_address")
            .map(|h| h.value.as_str())
    }
}

impl SlashidClient {
    /// One page of `GET /persons?fields=handles&offset=&limit=`.
    pub async fn list_persons_page(
        &self,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ListedPerson>, SlashidError> {
        let request = Request::get("/persons")
            .query("fields", "handles")
            .query("offset", offset.to_string())
            .query("limit", limit.to_string());
        let request = self
            .request(request)
            .expect_json::<Envelope<Vec<ListedPerson>>>();
        let response = self.http.send(request).await?;
        check(&response)?;
        let page: Envelope<Vec<ListedPerson>> = response.json()?;
        Ok(page.result)
    }

    /// Every person of the organization with their handles, walking
    /// `offset` until a page comes back short. Where SlashID puts the paging
    /// totals is **unverified** (docs/vendors/slashid.md "Listing persons"), so
    /// the walk relies on none; a failed page fails the whole listing.
    pub async fn list_persons(&self) -> Result<Vec<ListedPerson>, SlashidError> {
        let mut all: Vec<ListedPerson> = Vec::new();
        loop {
            let page = self.list_persons_page(all.len(), PERSONS_PAGE_SIZE).await?;
            let last = page.len() < PERSONS_PAGE_SIZE;
            all.extend(page);
            if last {
                return Ok(all);
            }
        }
    }

    /// `GET /persons/{person_id}/permissions`: the person's effective
    /// permissions, direct and through roles.
    pub async fn get_person_permissions(
        &self,
        person_id: &str,
    ) -> Result<Vec<String>, SlashidError> {
        let path = format!("/persons/{}/permissions", encode_path_segment(person_id));
        Ok(self.read(path).await?.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn slashid_listed_persons_give_their_email_handles() {
        let p: ListedPerson = serde_json::from_value(json!({
            "person_id": "pid:01", "active": true, "person_type": "regular", "region": "us-iowa",
            "handles": [{"type": "phone_number", "value": "+15550100"},
                        {"type": "email_address", "value": "Ada@Example.com"}]
        }))
        .unwrap();
        assert_eq!(p.emails().collect::<Vec<_>>(), ["Ada@Example.com"]);
    }
}
