//! Members and role assignment (vendors/flashduty.md, "Member assignment"):
//! `/member/list`, `/role/member/grant|revoke` and `/member/role/grant|revoke|update`.
//! The account has a few seeded members; there is no invite API here.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::errors::{ApiError, ApiResult};
use super::store::{now, OrderBy, Store, VIEWER_ROLE_ID};

const ACCOUNT_ID: u64 = 2_451_002_751_131;
/// `/role/member/grant|revoke` take at most this many member IDs.
pub const MAX_MEMBER_IDS: usize = 100;

/// A spec `MemberItem` (all required fields, plus locale and time zone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    account_id: u64,
    pub(super) member_id: u64,
    member_name: String,
    country_code: String,
    phone: String,
    email: String,
    locale: String,
    time_zone: String,
    phone_verified: bool,
    email_verified: bool,
    avatar: String,
    status: String,
    pub(super) account_role_ids: BTreeSet<u64>,
    created_at: i64,
    pub(super) updated_at: i64,
    ref_id: String,
    is_external: bool,
}

fn member(
    id: u64,
    name: &str,
    email: &str,
    status: &str,
    roles: &[u64],
    created_at: i64,
) -> Member {
    Member {
        account_id: ACCOUNT_ID,
        member_id: id,
        member_name: name.to_string(),
        country_code: String::new(),
        phone: String::new(),
        email: email.to_string(),
        locale: "en-US".to_string(),
        time_zone: "UTC".to_string(),
        phone_verified: false,
        email_verified: status == "enabled",
        avatar: String::new(),
        status: status.to_string(),
        account_role_ids: roles.iter().copied().collect(),
        created_at,
        updated_at: created_at,
        ref_id: String::new(),
        is_external: false,
    }
}

/// The seeded members (IDs around 5e12, as in the spec examples).
pub(super) fn seed_members() -> std::collections::BTreeMap<u64, Member> {
    [
        member(
            2_476_444_212_131,
            "Alice",
            "alice@example.com",
            "enabled",
            &[6],
            1_701_399_971,
        ),
        member(
            5_068_740_052_131,
            "Bob",
            "bob@example.com",
            "enabled",
            &[2, 6],
            1_752_030_749,
        ),
        member(
            5_102_993_140_131,
            "Carol",
            "carol@example.com",
            "enabled",
            &[8],
            1_760_000_000,
        ),
        member(
            5_230_118_400_131,
            "Dave",
            "dave@example.com",
            "pending",
            &[8],
            1_770_000_000,
        ),
    ]
    .into_iter()
    .map(|m| (m.member_id, m))
    .collect()
}

/// Body of `/member/list`.
#[derive(Debug, Deserialize)]
pub struct MemberListRequest {
    #[serde(default)]
    role_id: Option<u64>,
    #[serde(default)]
    p: Option<u64>,
    #[serde(default)]
    limit: Option<u64>,
    #[serde(default)]
    orderby: Option<OrderBy>,
    #[serde(default)]
    asc: Option<bool>,
    #[serde(default)]
    query: Option<String>,
}

/// `data` of `/member/list`.
#[derive(Debug, Serialize)]
pub struct MemberList {
    p: u64,
    limit: u64,
    total: usize,
    items: Vec<Member>,
}

/// Body of `/role/member/grant|revoke` (spec `RoleGrantRequest`).
#[derive(Debug, Deserialize)]
pub struct RoleGrantRequest {
    #[serde(default)]
    pub(super) role_id: Option<u64>,
    #[serde(default)]
    pub(super) member_ids: Option<Vec<u64>>,
}

/// Body of `/member/role/grant|revoke|update`.
#[derive(Debug, Deserialize)]
pub struct MemberRoleRequest {
    #[serde(default)]
    pub(super) member_id: Option<u64>,
    #[serde(default)]
    pub(super) role_ids: Option<Vec<u64>>,
}

/// How `/member/role/*` changes a member's roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberRoleChange {
    /// Append (deduplicated).
    Grant,
    /// Remove.
    Revoke,
    /// Replace the whole set.
    Update,
}

fn required<T>(value: Option<T>, field: &str) -> ApiResult<T> {
    value.ok_or_else(|| ApiError::invalid(format!("{field} is required")))
}

impl Store {
    /// `/member/list`: paginated (`p` from 1, `limit` 1–100, default 20).
    pub fn member_list(&self, req: MemberListRequest) -> ApiResult<MemberList> {
        // unverified in vendors/flashduty.md: the default page size.
        let (p, limit) = (req.p.unwrap_or(1), req.limit.unwrap_or(20));
        if p == 0 || !(1..=100).contains(&limit) {
            return Err(ApiError::invalid(
                "p must be >= 1 and limit between 1 and 100",
            ));
        }
        let query = req.query.unwrap_or_default().to_lowercase();
        let mut items: Vec<Member> = self
            .members
            .values()
            .filter(|m| req.role_id.is_none_or(|r| m.account_role_ids.contains(&r)))
            .filter(|m| {
                query.is_empty()
                    || m.member_name.to_lowercase().contains(&query)
                    || m.email.to_lowercase().contains(&query)
            })
            .cloned()
            .collect();
        items.sort_by_key(|m| match req.orderby.unwrap_or_default() {
            OrderBy::CreatedAt => (m.created_at, m.member_id),
            OrderBy::UpdatedAt => (m.updated_at, m.member_id),
        });
        if !req.asc.unwrap_or(false) {
            items.reverse();
        }
        let total = items.len();
        let start = ((p - 1) * limit).min(total as u64) as usize;
        let items = items.into_iter().skip(start).take(limit as usize).collect();
        Ok(MemberList {
            p,
            limit,
            total,
            items,
        })
    }

    /// `/role/member/grant` (`grant`) and `/role/member/revoke`: members who
    /// already have (or lack) the role are skipped silently.
    pub fn role_members(&mut self, req: RoleGrantRequest, grant: bool) -> ApiResult<()> {
        let role_id = required(req.role_id.filter(|id| *id != 0), "role_id")?;
        let member_ids = required(req.member_ids, "member_ids")?;
        if member_ids.is_empty() || member_ids.len() > MAX_MEMBER_IDS {
            return Err(ApiError::invalid(format!(
                "member_ids must hold 1 to {MAX_MEMBER_IDS} IDs, got {}",
                member_ids.len()
            )));
        }
        if !self.role_exists(role_id) {
            return Err(ApiError::not_found(format!("role {role_id} not found")));
        }
        self.check_members(&member_ids)?;
        let now = now();
        for id in member_ids {
            let m = self.members.get_mut(&id).expect("checked above");
            let changed = if grant {
                m.account_role_ids.insert(role_id)
            } else {
                m.account_role_ids.remove(&role_id)
            };
            if changed {
                m.updated_at = now;
            }
        }
        Ok(())
    }

    /// `/member/role/grant|revoke|update`.
    pub fn member_roles(
        &mut self,
        req: MemberRoleRequest,
        change: MemberRoleChange,
    ) -> ApiResult<()> {
        let member_id = required(req.member_id.filter(|id| *id != 0), "member_id")?;
        let role_ids = required(req.role_ids, "role_ids")?;
        self.check_members(&[member_id])?;
        if let Some(bad) = role_ids.iter().find(|id| !self.role_exists(**id)) {
            return Err(ApiError::not_found(format!("role {bad} not found")));
        }
        let m = self.members.get_mut(&member_id).expect("checked above");
        match change {
            MemberRoleChange::Grant => m.account_role_ids.extend(role_ids),
            MemberRoleChange::Revoke => m.account_role_ids.retain(|r| !role_ids.contains(r)),
            // unverified in vendors/flashduty.md: an empty list resets the
            // member to Viewer (the vendor CLI says so).
            MemberRoleChange::Update if role_ids.is_empty() => {
                m.account_role_ids = BTreeSet::from([VIEWER_ROLE_ID]);
            }
            MemberRoleChange::Update => m.account_role_ids = role_ids.into_iter().collect(),
        }
        m.updated_at = now();
        Ok(())
    }

    /// A removed member (status `deleted`) is not found, like one that
    /// never existed.
    fn check_members(&self, ids: &[u64]) -> ApiResult<()> {
        let gone = |id: &u64| self.members.get(id).is_none_or(|m| m.status == "deleted");
        match ids.iter().find(|id| gone(id)) {
            Some(bad) => Err(ApiError::not_found(format!("member {bad} not found"))),
            None => Ok(()),
        }
    }

    /// The control API's member changes: invitations (accepted at once,
    /// Viewer when no role is given, as the docs describe invites without
    /// a role) and removals. A removed member stays listed with status
    /// `deleted` and no roles (the spec's `MemberItem.status` documents
    /// that value; whether `/member/list` returns such members is
    /// **unverified**).
    pub fn apply_member_changes(&mut self, changes: MemberChanges) -> Result<Vec<Member>, String> {
        for id in &changes.remove {
            if !self.members.contains_key(id) {
                return Err(format!("no member {id}"));
            }
        }
        for new in &changes.add {
            if let Some(bad) = new.role_ids.iter().find(|r| !self.role_exists(**r)) {
                return Err(format!("no role {bad}"));
            }
            if self
                .members
                .values()
                .any(|m| m.email.eq_ignore_ascii_case(&new.email))
            {
                return Err(format!("a member with email {:?} exists", new.email));
            }
        }
        let now = now();
        for id in changes.remove {
            let m = self.members.get_mut(&id).expect("checked above");
            m.status = "deleted".into();
            m.account_role_ids.clear();
            m.updated_at = now;
        }
        let mut added = Vec::new();
        for new in changes.add {
            let id = self
                .members
                .keys()
                .max()
                .copied()
                .unwrap_or(5_000_000_000_000)
                + 1_000;
            let roles = if new.role_ids.is_empty() {
                vec![VIEWER_ROLE_ID]
            } else {
                new.role_ids
            };
            let m = member(id, &new.member_name, &new.email, "enabled", &roles, now);
            self.members.insert(id, m.clone());
            added.push(m);
        }
        Ok(added)
    }
}

/// Body of `POST /__emulator/flashduty/members`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberChanges {
    #[serde(default)]
    pub add: Vec<NewMember>,
    #[serde(default)]
    pub remove: Vec<u64>,
}

/// One invited member.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    pub member_name: String,
    pub email: String,
    #[serde(default)]
    pub role_ids: Vec<u64>,
}
