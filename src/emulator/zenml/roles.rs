//! Role calls on the [`Store`] (docs/vendors/zenml.md, "Role endpoints"):
//! create, update, delete and list, with FastAPI-style validation of the
//! bodies. Kept apart from `store.rs` (the state itself) to keep each file
//! short; only this file imports the other.

use serde_json::Value;

use super::errors::{ApiError, ApiResult, FieldError};
use super::store::{
    new_uuid, now, parse_uuid, Role, Store, DESCRIPTION_MAX, LEVELS, NAME_MAX, TYPES,
};
use super::validation::{body_object, enum_error, optional_string, uuid_error};

impl Store {
    /// One role by its (lower-case) ID; 404 when there is none.
    pub(super) fn role(&self, id: &str) -> ApiResult<&Role> {
        self.roles
            .get(id)
            .ok_or_else(|| ApiError::not_found(format!("Unable to find role with ID '{id}'.")))
    }

    fn organization(&self, id: &str) -> ApiResult<()> {
        if self.organizations.iter().any(|o| o == id) {
            Ok(())
        } else {
            Err(ApiError::not_found(format!(
                "Unable to find organization with ID '{id}'."
            )))
        }
    }

    /// ASSUMPTION (docs/vendors/zenml.md, "Errors": uniqueness **unverified**):
    /// role names are unique per organization and level (409
    /// `EntityExistsError`); the built-ins repeat Admin/Editor/Viewer per level.
    fn check_unique(
        &self,
        org: &str,
        level: &str,
        name: Option<&str>,
        except: Option<&str>,
    ) -> ApiResult<()> {
        let Some(name) = name else { return Ok(()) };
        let taken = self.roles.values().any(|r| {
            r.organization_id == org
                && r.level == level
                && r.name.as_deref() == Some(name)
                && Some(r.id.as_str()) != except
        });
        if taken {
            return Err(ApiError::exists(format!(
                "A {level} role named '{name}' already exists in organization {org}."
            )));
        }
        Ok(())
    }

    /// `POST /roles` (RoleCreate).
    pub(super) fn create_role(&mut self, body: &Value) -> ApiResult<Role> {
        let obj = body_object(body)?;
        let mut errors = Vec::new();
        let name = optional_string(obj, "name", NAME_MAX, &mut errors).flatten();
        let description =
            optional_string(obj, "description", DESCRIPTION_MAX, &mut errors).flatten();
        let missing = |field: &str| {
            FieldError::new(&["body", field], "missing", "Field required", body.clone())
        };
        let organization_id = match obj.get("organization_id") {
            None => {
                errors.push(missing("organization_id"));
                None
            }
            Some(v) => match v.as_str().and_then(parse_uuid) {
                Some(id) => Some(id),
                None => {
                    errors.push(uuid_error(&["body", "organization_id"], v));
                    None
                }
            },
        };
        let level = match obj.get("level") {
            None => {
                errors.push(missing("level"));
                None
            }
            Some(v) => match v.as_str().filter(|l| LEVELS.contains(l)) {
                Some(l) => Some(l.to_string()),
                None => {
                    errors.push(enum_error(&["body", "level"], &LEVELS, v));
                    None
                }
            },
        };
        let system_managed = match obj.get("system_managed") {
            None => {
                errors.push(missing("system_managed"));
                None
            }
            Some(Value::Bool(b)) => Some(*b),
            Some(v) => {
                errors.push(FieldError::new(
                    &["body", "system_managed"],
                    "bool_type",
                    "Input should be a valid boolean",
                    v.clone(),
                ));
                None
            }
        };
        let role_type = match obj.get("type") {
            None => Some("normal".to_string()),
            Some(v) => match v.as_str().filter(|t| TYPES.contains(t)) {
                Some(t) => Some(t.to_string()),
                None => {
                    errors.push(enum_error(&["body", "type"], &TYPES, v));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        let (Some(org), Some(level), Some(system_managed), Some(role_type)) =
            (organization_id, level, system_managed, role_type)
        else {
            unreachable!("every missing field was reported");
        };
        self.organization(&org)?;
        // The roles page raises IllegalOperationError "if the role is an organization
        // role" (docs/vendors/zenml.md, "Role endpoints").
        if level == "organization" {
            return Err(ApiError::illegal(
                "Custom roles cannot be organization roles: only workspace and project roles can be created.",
            ));
        }
        // ASSUMPTION (docs/vendors/zenml.md, "RoleCreate / RoleUpdate": behaviour for `true`
        // **unverified**): only ZenML itself creates system-managed roles.
        if system_managed {
            return Err(ApiError::illegal(
                "System-managed roles cannot be created through the API.",
            ));
        }
        // ASSUMPTION (docs/vendors/zenml.md, "How permissions reach a role"): the
        // "role has no permissions" IllegalOperationError is not emulated,
        // since neither RoleCreate nor RoleUpdate has a permissions field.
        self.check_unique(&org, &level, name.as_deref(), None)?;
        let id = new_uuid();
        let at = now();
        let role = Role {
            id: id.clone(),
            name,
            description,
            organization_id: org,
            level,
            system_managed: false,
            role_type,
            created: at.clone(),
            updated: at,
        };
        self.roles.insert(id, role.clone());
        Ok(role)
    }

    /// `PATCH /roles/{id}` (RoleUpdate). Merge semantics: an absent field is
    /// left alone. ASSUMPTION (docs/vendors/zenml.md, "RoleCreate / RoleUpdate": **unverified**):
    /// an explicit `null` clears the field.
    pub(super) fn update_role(&mut self, id: &str, body: &Value) -> ApiResult<Role> {
        let obj = body_object(body)?;
        let mut errors = Vec::new();
        let name = optional_string(obj, "name", NAME_MAX, &mut errors);
        let description = optional_string(obj, "description", DESCRIPTION_MAX, &mut errors);
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        let role = self.role(id)?.clone();
        // ASSUMPTION: system-managed roles cannot be changed either (the roles
        // page only says so for DELETE: docs/vendors/zenml.md, "Role endpoints").
        if role.system_managed {
            return Err(ApiError::illegal(format!(
                "Role '{}' is system managed and cannot be updated.",
                role.id
            )));
        }
        if let Some(Some(n)) = &name {
            self.check_unique(&role.organization_id, &role.level, Some(n), Some(id))?;
        }
        let role = self.roles.get_mut(id).expect("checked above");
        if let Some(n) = name {
            role.name = n;
        }
        if let Some(d) = description {
            role.description = d;
        }
        role.updated = now();
        Ok(role.clone())
    }

    /// `DELETE /roles/{id}`; also revokes its assignments.
    pub(super) fn delete_role(&mut self, id: &str) -> ApiResult<()> {
        let role = self.role(id)?;
        // The roles page raises IllegalOperationError "if the role is system
        // managed" (docs/vendors/zenml.md, "Role endpoints").
        if role.system_managed {
            return Err(ApiError::illegal(format!(
                "Role '{id}' is system managed and cannot be deleted."
            )));
        }
        self.roles.remove(id);
        self.assignments.retain(|a| a.role_id != id);
        Ok(())
    }

    /// `GET /organizations/{id}/roles?level=&name=`: a bare array, built-in
    /// roles first, then by creation.
    pub(super) fn list_roles(
        &self,
        org: &str,
        level: Option<&str>,
        name: Option<&str>,
    ) -> ApiResult<Vec<Role>> {
        self.organization(org)?;
        let mut roles: Vec<Role> = self
            .roles
            .values()
            .filter(|r| r.organization_id == org)
            .filter(|r| level.is_none_or(|l| r.level == l))
            .filter(|r| name.is_none_or(|n| r.name.as_deref() == Some(n)))
            .cloned()
            .collect();
        roles.sort_by(|a, b| {
            (!a.system_managed, &a.created, &a.id).cmp(&(!b.system_managed, &b.created, &b.id))
        });
        Ok(roles)
    }
}
