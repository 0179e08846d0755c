//! The member endpoints on one account's [`Store`] (docs/vendors/flashduty.md,
//! "Role endpoints" and "Listing members"): `/member/list`, `/role/member/grant|revoke` and
//! `/member/role/grant|revoke|update`. Kept apart from `members.rs` (the
//! types and seeds) so that `store.rs` and the members do not import each
//! other.

use super::errors::{ApiError, ApiResult};
use std::collections::BTreeSet;

use super::listing::{now, OrderBy};
use super::members::*;
use super::store::{Store, VIEWER_ROLE_ID};

fn required<T>(value: Option<T>, field: &str) -> ApiResult<T> {
    value.ok_or_else(|| ApiError::invalid(format!("{field} is required")))
}

impl Store {
    /// `/member/list`: paginated (`p` from 1, `limit` 1–100, default 20).
    pub fn member_list(&self, req: MemberListRequest) -> ApiResult<MemberList> {
        // Unverified (docs/vendors/flashduty.md, "Listing members"): the default
        // page size.
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
            // Unverified (docs/vendors/flashduty.md, "Behaviour the provider
            // depends on"): an empty list resets the member to Viewer (the
            // vendor CLI says so).
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
