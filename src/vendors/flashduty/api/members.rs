//! Members and their roles (docs/vendors/flashduty.md, "Role endpoints"):
//! `/member/list` (paginated) and `/member/role/update`, which replaces a
//! member's whole role set.

use serde::{Deserialize, Serialize};

use super::FlashdutyClient;
use crate::vendors::flashduty::FlashdutyError;

/// Page size asked of `/member/list`: the spec's maximum `limit`.
pub const MEMBER_PAGE_SIZE: u64 = 100;

/// The built-in Viewer role (docs/vendors/flashduty.md, "Behaviour the
/// provider depends on"). The vendor CLI says `/member/role/update` with an empty list
/// resets the member to Viewer (**unverified** against the API).
pub const VIEWER_ROLE_ID: u64 = 8;

/// A member as `/member/list` returns it (`MemberItem`; only the fields the
/// provider uses).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberItem {
    pub member_id: u64,
    #[serde(default)]
    pub member_name: String,
    #[serde(default)]
    pub email: String,
    /// `enabled`, `pending` (invited) or `deleted` (removed from the
    /// organization).
    #[serde(default)]
    pub status: String,
    /// The member's roles, a set.
    #[serde(default)]
    pub account_role_ids: Vec<u64>,
}

impl MemberItem {
    /// Removed from the organization: the spec's `status: deleted`.
    pub fn is_deleted(&self) -> bool {
        self.status == "deleted"
    }

    /// The member's roles in ascending order, without duplicates.
    pub fn role_ids(&self) -> Vec<u64> {
        let mut ids = self.account_role_ids.clone();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// Body of `/member/list` (`MemberListRequest`). Pages are walked in
/// creation order, oldest first: the default order (`updated_at`, newest
/// first, per the vendor CLI) would move a member changed during the walk
/// to page 1, where it would be missed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberListRequest {
    pub p: u64,
    pub limit: u64,
    pub orderby: &'static str,
    pub asc: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Only members holding this role (the spec's `role_id` filter).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_id: Option<u64>,
}

/// The filters of `/member/list` the provider uses.
#[derive(Debug, Clone, Copy, Default)]
pub struct MemberFilter<'a> {
    /// The spec's search keyword.
    pub query: Option<&'a str>,
    /// Only members holding this role.
    pub role_id: Option<u64>,
}

#[derive(Debug, Deserialize)]
struct MemberListResponse {
    #[serde(default)]
    total: u64,
    #[serde(default)]
    items: Vec<MemberItem>,
}

/// Body of `/member/role/update` (`MemberRoleUpdateRequest`): both fields
/// are required, and `role_ids` is the member's whole new role set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberRoleUpdateRequest {
    pub member_id: u64,
    pub role_ids: Vec<u64>,
}

impl FlashdutyClient {
    /// `POST /member/list`, page `p` (from 1): the members matching
    /// `query` (Flashduty's search keyword) and the total count.
    pub async fn list_members_page(
        &self,
        filter: &MemberFilter<'_>,
        p: u64,
        limit: u64,
    ) -> Result<(Vec<MemberItem>, u64), FlashdutyError> {
        let body = MemberListRequest {
            p,
            limit,
            orderby: "created_at",
            asc: true,
            query: filter.query.map(str::to_string),
            role_id: filter.role_id,
        };
        let page: MemberListResponse = self.call("/member/list", &body, true).await?;
        Ok((page.items, page.total))
    }

    /// Every member matching `query` (every member when `None`), walking
    /// every page. Members removed from the organization are included;
    /// see [`MemberItem::is_deleted`].
    pub async fn list_members(
        &self,
        query: Option<&str>,
    ) -> Result<Vec<MemberItem>, FlashdutyError> {
        let filter = MemberFilter {
            query,
            role_id: None,
        };
        self.list_members_where(&filter).await
    }

    /// Every member holding `role_id`, walking every page of the
    /// `role_id`-filtered listing. Removed members are included.
    pub async fn list_role_holders(&self, role_id: u64) -> Result<Vec<MemberItem>, FlashdutyError> {
        let filter = MemberFilter {
            query: None,
            role_id: Some(role_id),
        };
        self.list_members_where(&filter).await
    }

    /// Every member matching `filter`, walking every page; a failed page
    /// fails the whole listing.
    pub async fn list_members_where(
        &self,
        filter: &MemberFilter<'_>,
    ) -> Result<Vec<MemberItem>, FlashdutyError> {
        let mut all: Vec<MemberItem> = Vec::new();
        for p in 1.. {
            let (items, total) = self.list_members_page(filter, p, MEMBER_PAGE_SIZE).await?;
            let last = (items.len() as u64) < MEMBER_PAGE_SIZE;
            for item in items {
                // A member that moved between pages must count once.
                if !all.iter().any(|m| m.member_id == item.member_id) {
                    all.push(item);
                }
            }
            // A short page ends the walk even if `total` says otherwise, so a
            // wrong total cannot loop forever.
            if last || all.len() as u64 >= total {
                break;
            }
        }
        Ok(all)
    }

    /// One member for a refresh, `None` when it does not exist or was
    /// removed from the organization. There is no single-member read in the
    /// API, so reads of many members at once share one walk of
    /// `/member/list`.
    pub async fn read_member(&self, member_id: u64) -> Result<Option<MemberItem>, FlashdutyError> {
        let member = self
            .members
            .get(&member_id, || async {
                let all = self.list_members(None).await?;
                Ok::<_, FlashdutyError>(all.into_iter().map(|m| (m.member_id, m)).collect())
            })
            .await?;
        Ok(member.filter(|m| !m.is_deleted()))
    }

    /// One member as it was when this process first listed the members
    /// (before this run's writes), `None` when absent or removed. One walk
    /// of `/member/list` per run, whatever the number of calls.
    pub async fn member_before_run(
        &self,
        member_id: u64,
    ) -> Result<Option<MemberItem>, FlashdutyError> {
        let member = self
            .members_before
            .get(&member_id, || async {
                let all = self.list_members(None).await?;
                Ok::<_, FlashdutyError>(all.into_iter().map(|m| (m.member_id, m)).collect())
            })
            .await?;
        Ok(member.filter(|m| !m.is_deleted()))
    }

    /// The member whose email is `email` (compared case-insensitively),
    /// if any and not removed.
    pub async fn find_member_by_email(
        &self,
        email: &str,
    ) -> Result<Option<MemberItem>, FlashdutyError> {
        Ok(self
            .list_members(Some(email))
            .await?
            .into_iter()
            .find(|m| !m.is_deleted() && m.email.eq_ignore_ascii_case(email)))
    }

    /// `POST /member/role/update`: replaces the member's whole role set.
    /// Idempotent (the same body gives the same set), so it is retried. An
    /// unknown member or role is `ResourceNotFound`. Reads of members after
    /// it answers list again ([`crate::vendors::snapshot::ListSnapshot::write`]).
    pub async fn update_member_roles(
        &self,
        member_id: u64,
        role_ids: &[u64],
    ) -> Result<(), FlashdutyError> {
        let body = MemberRoleUpdateRequest {
            member_id,
            role_ids: role_ids.to_vec(),
        };
        let update = self.call::<_, serde_json::Value>("/member/role/update", &body, true);
        self.members.write(update).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn member_list_request_json() {
        let body = MemberListRequest {
            p: 2,
            limit: MEMBER_PAGE_SIZE,
            orderby: "created_at",
            asc: true,
            query: None,
            role_id: None,
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"p": 2, "limit": 100, "orderby": "created_at", "asc": true})
        );
        let body = MemberListRequest {
            query: Some("bob@example.com".into()),
            role_id: Some(2),
            ..body
        };
        let sent = serde_json::to_value(&body).unwrap();
        assert_eq!(sent["query"], "bob@example.com");
        assert_eq!(sent["role_id"], 2);
    }

    #[test]
    fn member_role_update_request_json() {
        let body = MemberRoleUpdateRequest {
            member_id: 5_068_740_052_131,
            role_ids: vec![],
        };
        // role_ids is required, even when empty.
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"member_id": 5_068_740_052_131_u64, "role_ids": []})
        );
    }

    #[test]
    fn member_items_decode_the_spec_example() {
        let m: MemberItem = serde_json::from_value(json!({
            "account_id": 2451002751131_u64, "member_id": 5068740052131_u64, "member_name": "Bob",
            "country_code": "", "phone": "+86151****6519", "email": "bob@example.com",
            "phone_verified": true, "email_verified": true, "avatar": "", "status": "enabled",
            "account_role_ids": [6, 2, 6], "created_at": 1752030749, "updated_at": 1775962064,
            "ref_id": "", "is_external": false
        }))
        .unwrap();
        assert_eq!(m.role_ids(), vec![2, 6]);
        assert!(!m.is_deleted());
    }
}
