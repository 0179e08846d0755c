//! SlashID's RBAC permissions and roles on the [`Store`]: create, read,
//! patch (with `If-Match`) and delete, with the vendor's uniqueness,
//! in-use and not-found rules (docs/vendors/slashid.md, "RBAC endpoints").

use std::collections::BTreeSet;
use std::time::Instant;

use serde::Deserialize;
use serde_json::{json, Value};

use super::errors::{ApiError, ApiResult};
use super::names::{check_permission_name, check_role_name};
use super::store::{check_if_match, etag, now_rfc3339, Permission, Role, Store};

/// `POST /rbac/permissions` body.
#[derive(Debug, Deserialize)]
pub struct PermissionCreate {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// `PATCH /rbac/permissions/{name}` body.
#[derive(Debug, Deserialize)]
pub struct PermissionPatch {
    #[serde(default)]
    pub description: Option<String>,
}

/// `POST /rbac/roles` body.
#[derive(Debug, Deserialize)]
pub struct RoleCreate {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub permissions: Option<Vec<String>>,
}

/// `PATCH /rbac/roles/{name}` body.
#[derive(Debug, Deserialize)]
pub struct RolePatch {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub permissions: Option<Vec<String>>,
}

impl Store {
    // ----- permissions -----

    pub fn create_permission(&mut self, req: PermissionCreate) -> ApiResult<()> {
        let name = req
            .name
            .ok_or_else(|| ApiError::bad_request("name is required"))?;
        check_permission_name(&name)?;
        if self.permissions.contains_key(&name) {
            // "No action will be taken" vs a declared 409: the emulator
            // answers 409 (docs/vendors/slashid.md, "Behaviour the provider depends on").
            return Err(ApiError::conflict(format!(
                "permission {name:?} already exists"
            )));
        }
        let version = self.bump();
        self.created_at.insert(format!("p:{name}"), Instant::now());
        self.permissions.insert(
            name.clone(),
            Permission {
                name,
                description: req.description,
                created: now_rfc3339(),
                version,
            },
        );
        Ok(())
    }

    pub fn list_permissions(&self) -> Vec<String> {
        self.permissions.keys().cloned().collect()
    }

    pub fn get_permission(&self, name: &str) -> ApiResult<Value> {
        let p = self
            .permissions
            .get(name)
            .ok_or_else(|| ApiError::not_found(format!("permission {name:?} not found")))?;
        let mut v = json!({"name": p.name, "created": p.created});
        if let Some(d) = &p.description {
            v["description"] = json!(d);
        }
        Ok(v)
    }

    pub fn patch_permission(
        &mut self,
        name: &str,
        req: PermissionPatch,
        if_match: Option<&str>,
    ) -> ApiResult<()> {
        let version = self.revision + 1;
        let p = self
            .permissions
            .get_mut(name)
            .ok_or_else(|| ApiError::not_found(format!("permission {name:?} not found")))?;
        check_if_match(if_match, &etag("p", p.version), "the permission")?;
        if let Some(d) = req.description {
            p.description = Some(d);
        }
        p.version = version;
        self.revision = version;
        Ok(())
    }

    /// Refused while a role includes the permission; the status is
    /// **unverified** (400 is declared, 409 is not), so 400 naming the role.
    pub fn delete_permission(&mut self, name: &str) -> ApiResult<()> {
        if !self.permissions.contains_key(name) {
            return Err(ApiError::not_found(format!(
                "permission {name:?} not found"
            )));
        }
        let users: Vec<&str> = self
            .roles
            .values()
            .filter(|r| r.permissions.contains(name))
            .map(|r| r.name.as_str())
            .collect();
        if !users.is_empty() {
            return Err(ApiError::bad_request(format!(
                "permission {name:?} is used by role(s) {}: remove it from them first",
                users.join(", ")
            )));
        }
        self.permissions.remove(name);
        self.created_at.remove(&format!("p:{name}"));
        for person in self.persons.values_mut() {
            person.additional_permissions.remove(name);
        }
        self.bump();
        Ok(())
    }

    // ----- roles -----

    pub fn create_role(&mut self, org_id: &str, req: RoleCreate) -> ApiResult<()> {
        let name = req
            .name
            .ok_or_else(|| ApiError::bad_request("name is required"))?;
        check_role_name(org_id, &name)?;
        if self.roles.contains_key(&name) {
            return Err(ApiError::conflict(format!("role {name:?} already exists")));
        }
        let permissions: BTreeSet<String> =
            req.permissions.unwrap_or_default().into_iter().collect();
        self.check_permissions_exist(&permissions)?;
        let version = self.bump();
        self.created_at.insert(format!("r:{name}"), Instant::now());
        self.roles.insert(
            name.clone(),
            Role {
                name,
                description: req.description,
                created: now_rfc3339(),
                permissions,
                version,
            },
        );
        Ok(())
    }

    pub fn list_roles(&self) -> Vec<String> {
        self.roles.keys().cloned().collect()
    }

    /// The role and its ETag.
    pub fn get_role(&self, name: &str) -> ApiResult<(Value, String)> {
        let r = self
            .roles
            .get(name)
            .ok_or_else(|| ApiError::not_found(format!("role {name:?} not found")))?;
        let mut v = json!({"name": r.name, "created": r.created, "permissions": r.permissions});
        if let Some(d) = &r.description {
            v["description"] = json!(d);
        }
        Ok((v, etag("r", r.version)))
    }

    /// PATCH replaces the permission set when `permissions` is present
    /// (**unverified**; the reference's most likely reading); an empty
    /// array clears it. A missing role gets 404 (**unverified**, not declared).
    pub fn patch_role(
        &mut self,
        name: &str,
        req: RolePatch,
        if_match: Option<&str>,
    ) -> ApiResult<()> {
        let current = self
            .roles
            .get(name)
            .ok_or_else(|| ApiError::not_found(format!("role {name:?} not found")))?;
        check_if_match(if_match, &etag("r", current.version), "the role")?;
        if let Some(perms) = &req.permissions {
            self.check_permissions_exist(perms)?;
        }
        let version = self.bump();
        let role = self.roles.get_mut(name).expect("checked above");
        if let Some(d) = req.description {
            role.description = Some(d);
        }
        if let Some(perms) = req.permissions {
            role.permissions = perms.into_iter().collect();
        }
        role.version = version;
        Ok(())
    }

    /// Deleting a role revokes it from every person.
    pub fn delete_role(&mut self, name: &str) -> ApiResult<()> {
        if self.roles.remove(name).is_none() {
            return Err(ApiError::not_found(format!("role {name:?} not found")));
        }
        self.created_at.remove(&format!("r:{name}"));
        for person in self.persons.values_mut() {
            person.roles.remove(name);
        }
        self.bump();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::slashid::names::{permission_name_regex, role_name_regex};

    const ORG: &str = "af5fbd30-7ce7-4548-8b30-4cd59cb2aba1";

    #[test]
    fn slashid_name_rules_are_ascii_and_prefixed() {
        assert!(role_name_regex().is_match("billing-viewer"));
        assert!(!role_name_regex().is_match("bé"));
        assert!(!role_name_regex().is_match("a/b"));
        assert!(permission_name_regex().is_match("billing/invoices\\list"));
        assert!(!permission_name_regex().is_match("a_"));
        let mut s = Store::seeded();
        let role = |name: &str| RoleCreate {
            name: Some(name.into()),
            description: None,
            permissions: None,
        };
        assert_eq!(s.create_role(ORG, role("viewer")).unwrap_err().status, 400);
        s.create_role(ORG, role(&format!("{ORG}/viewer"))).unwrap();
        let dup = s
            .create_role(ORG, role(&format!("{ORG}/viewer")))
            .unwrap_err();
        assert_eq!(dup.status, 409);
        let long = format!("{ORG}/{}", "a".repeat(101));
        assert_eq!(s.create_role(ORG, role(&long)).unwrap_err().status, 400);
    }

    #[test]
    fn slashid_permission_in_use_names_the_role() {
        let mut s = Store::seeded();
        s.create_permission(PermissionCreate {
            name: Some("billing.read".into()),
            description: None,
        })
        .unwrap();
        let name = format!("{ORG}/billing");
        s.create_role(
            ORG,
            RoleCreate {
                name: Some(name.clone()),
                description: None,
                permissions: Some(vec!["billing.read".into()]),
            },
        )
        .unwrap();
        let err = s.delete_permission("billing.read").unwrap_err();
        assert_eq!(err.status, 400);
        assert!(err.message.contains(&name), "{}", err.message);
        let (_, tag) = s.get_role(&name).unwrap();
        let patch = || RolePatch {
            description: Some("x".into()),
            permissions: Some(vec![]),
        };
        assert_eq!(
            s.patch_role(&name, patch(), Some("\"r-999\""))
                .unwrap_err()
                .status,
            412
        );
        s.patch_role(&name, patch(), Some(&tag)).unwrap();
        s.delete_permission("billing.read").unwrap();
    }
}
