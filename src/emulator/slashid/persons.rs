//! A person's roles and direct permissions on the [`Store`]
//! (`/persons/{id}/roles`, `/persons/{id}/permissions`, `/rbac/check`;
//! docs/vendors/slashid.md, "RBAC endpoints").

use super::errors::{ApiError, ApiResult};
use super::store::{check_if_match, etag, Person, Store};

impl Store {
    fn person(&self, person_id: &str) -> ApiResult<&Person> {
        self.persons
            .get(person_id)
            .ok_or_else(|| ApiError::not_found(format!("person {person_id:?} not found")))
    }

    pub fn person_roles(&self, person_id: &str) -> ApiResult<Vec<String>> {
        Ok(self.person(person_id)?.roles.iter().cloned().collect())
    }

    pub fn person_additional_permissions(&self, person_id: &str) -> ApiResult<Vec<String>> {
        Ok(self
            .person(person_id)?
            .additional_permissions
            .iter()
            .cloned()
            .collect())
    }

    /// Direct permissions plus those of the person's roles.
    pub fn person_permissions(&self, person_id: &str) -> ApiResult<Vec<String>> {
        let person = self.person(person_id)?;
        let mut all = person.additional_permissions.clone();
        for role in &person.roles {
            if let Some(r) = self.roles.get(role) {
                all.extend(r.permissions.iter().cloned());
            }
        }
        Ok(all.into_iter().collect())
    }

    /// `PUT /persons/{id}/roles`: replaces the set; every role must exist.
    pub fn set_person_roles(
        &mut self,
        person_id: &str,
        roles: Vec<String>,
        if_match: Option<&str>,
    ) -> ApiResult<()> {
        let current = self.person(person_id)?;
        check_if_match(if_match, &etag("pr", current.version), "the person's roles")?;
        for role in &roles {
            if !self.roles.contains_key(role) {
                return Err(ApiError::bad_request(format!(
                    "role {role:?} does not exist"
                )));
            }
        }
        let version = self.bump();
        let person = self.persons.get_mut(person_id).expect("checked above");
        person.roles = roles.into_iter().collect();
        person.version = version;
        Ok(())
    }

    /// `PUT /persons/{id}/additional-permissions`: replaces the set.
    pub fn set_person_permissions(
        &mut self,
        person_id: &str,
        permissions: Vec<String>,
        if_match: Option<&str>,
    ) -> ApiResult<()> {
        let current = self.person(person_id)?;
        check_if_match(
            if_match,
            &etag("pr", current.version),
            "the person's permissions",
        )?;
        self.check_permissions_exist(&permissions)?;
        let version = self.bump();
        let person = self.persons.get_mut(person_id).expect("checked above");
        person.additional_permissions = permissions.into_iter().collect();
        person.version = version;
        Ok(())
    }

    /// `POST /rbac/check`.
    pub fn check(&self, person_id: &str, permission: &str) -> ApiResult<bool> {
        Ok(self
            .person_permissions(person_id)?
            .iter()
            .any(|p| p == permission))
    }
}

/// The largest `limit` of `GET /persons` (docs/vendors/slashid.md "Listing
/// persons": "at most 1000").
pub const PERSONS_LIMIT_MAX: usize = 1000;

/// A handle of a listed person (`{type, value}`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Handle {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub value: String,
}

/// One item of `GET /persons` (the abridged `PersonRet`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ListedPerson {
    pub person_id: String,
    pub active: bool,
    pub person_type: &'static str,
    pub region: &'static str,
    /// Only with `fields=handles`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handles: Option<Vec<Handle>>,
}

impl Store {
    /// `GET /persons?offset=&limit=&handle=&fields=`: persons in ID order.
    /// `email` keeps only the person whose `email_address` handle is that
    /// address. ASSUMPTION (docs/vendors/slashid.md: handle matching rules
    /// **unverified**): email handles compare case-insensitively.
    pub fn list_persons(
        &self,
        offset: usize,
        limit: usize,
        email: Option<&str>,
        with_handles: bool,
    ) -> Vec<ListedPerson> {
        self.persons
            .iter()
            .filter(|(_, p)| {
                email.is_none_or(|e| {
                    p.email
                        .as_deref()
                        .is_some_and(|h| h.eq_ignore_ascii_case(e))
                })
            })
            .skip(offset)
            .take(limit)
            .map(|(id, p)| ListedPerson {
                person_id: id.clone(),
                active: true,
                person_type: "regular",
                region: "us-iowa",
                handles: with_handles.then(|| {
                    p.email
                        .iter()
                        .map(|e| Handle {
                            kind: "email_address",
                            value: e.clone(),
                        })
                        .collect()
                }),
            })
            .collect()
    }
}
