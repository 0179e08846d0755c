//! Members and role assignment (docs/vendors/flashduty.md, "Role endpoints"):
//! `/member/list`, `/role/member/grant|revoke` and `/member/role/grant|revoke|update`.
//! The account has a few seeded members; there is no invite API here.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::listing::OrderBy;

const ACCOUNT_ID: u64 = 2_451_002_751_131;
/// `/role/member/grant|revoke` take at most this many member IDs.
pub const MAX_MEMBER_IDS: usize = 100;

/// A spec `MemberItem` (all required fields, plus locale and time zone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub(super) account_id: u64,
    pub(super) member_id: u64,
    pub(super) member_name: String,
    pub(super) country_code: String,
    pub(super) phone: String,
    pub(super) email: String,
    pub(super) locale: String,
    pub(super) time_zone: String,
    pub(super) phone_verified: bool,
    pub(super) email_verified: bool,
    pub(super) avatar: String,
    pub(super) status: String,
    pub(super) account_role_ids: BTreeSet<u64>,
    pub(super) created_at: i64,
    pub(super) updated_at: i64,
    pub(super) ref_id: String,
    pub(super) is_external: bool,
}

pub(super) fn member(
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
    pub(super) role_id: Option<u64>,
    #[serde(default)]
    pub(super) p: Option<u64>,
    #[serde(default)]
    pub(super) limit: Option<u64>,
    #[serde(default)]
    pub(super) orderby: Option<OrderBy>,
    #[serde(default)]
    pub(super) asc: Option<bool>,
    #[serde(default)]
    pub(super) query: Option<String>,
}

/// `data` of `/member/list`.
#[derive(Debug, Serialize)]
pub struct MemberList {
    pub(super) p: u64,
    pub(super) limit: u64,
    pub(super) total: usize,
    pub(super) items: Vec<Member>,
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
