//! What an access review returns, shared by `rbac_access` and
//! `rbac_role_holders`: one role held ([`Grant`]), one account per vendor,
//! one holder of a role, and the Terraform types of each.
//!
//! A role is always a string ID (Flashduty's numeric IDs written in
//! decimal, SlashID's role names without the organization prefix), so that
//! every vendor's roles fit one type that `check` blocks can walk.

use crate::framework::tf::{AttributeType, Value};
use serde::{Deserialize, Serialize};

use crate::framework::plan::string_set;
use crate::framework::schema::object;
use crate::framework::{ValueNumberSet, ValueStringSet};

/// `Value::Value(x)`.
pub fn known<T>(x: T) -> Value<T> {
    Value::Value(x)
}

/// `Some(x)` known, `None` null.
pub fn nullable<T>(x: Option<T>) -> Value<T> {
    x.map_or(Value::Null, Value::Value)
}

/// One role a person holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Grant {
    pub role_id: Value<String>,
    pub role_name: Value<String>,
    /// The vendor's own role (Flashduty `editable = false`, Rootly
    /// `system_role` other than `custom`, ZenML `system_managed`), not one
    /// made by a customer. SlashID has no built-in roles.
    pub built_in: Value<bool>,
    /// ZenML's scope: the organization, and the workspace and project for
    /// roles of those levels (`rbac_zenml_role_assignment`'s names); null
    /// elsewhere.
    pub organization_id: Value<String>,
    pub workspace_id: Value<String>,
    pub project_id: Value<String>,
    /// The team through which the role is held (ZenML teams); null when
    /// held directly.
    pub team_id: Value<String>,
    pub team_name: Value<String>,
}

impl Grant {
    /// A role held directly, without scope.
    pub fn direct(role_id: String, role_name: String, built_in: bool) -> Self {
        Grant {
            role_id: known(role_id),
            role_name: known(role_name),
            built_in: known(built_in),
            ..Grant::default()
        }
    }

    pub fn attribute_type() -> AttributeType {
        use AttributeType::{Bool, String as S};
        object(&[
            ("role_id", S),
            ("role_name", S),
            ("built_in", Bool),
            ("organization_id", S),
            ("workspace_id", S),
            ("project_id", S),
            ("team_id", S),
            ("team_name", S),
        ])
    }
}

fn grants_type() -> AttributeType {
    AttributeType::List(Box::new(Grant::attribute_type()))
}

fn strings() -> AttributeType {
    AttributeType::Set(Box::new(AttributeType::String))
}

/// A Flashduty member (`rbac_flashduty_member_roles`' names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FlashdutyAccount {
    pub member_id: Value<i64>,
    pub member_name: Value<String>,
    pub email: Value<String>,
    /// `enabled` or `pending` (invited, not yet accepted).
    pub status: Value<String>,
    pub role_ids: ValueNumberSet,
    pub roles: Value<Vec<Value<Grant>>>,
    /// The catalogue names of every permission of the member's roles.
    pub permissions: ValueStringSet,
}

impl FlashdutyAccount {
    pub fn attribute_type() -> AttributeType {
        use AttributeType::{Number, String as S};
        object(&[
            ("member_id", Number),
            ("member_name", S),
            ("email", S),
            ("status", S),
            ("role_ids", AttributeType::Set(Box::new(Number))),
            ("roles", grants_type()),
            ("permissions", strings()),
        ])
    }
}

/// A Rootly user (`rbac_rootly_user_on_call_role`'s names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RootlyAccount {
    pub user_id: Value<String>,
    pub full_name: Value<String>,
    pub email: Value<String>,
    pub on_call_role_id: Value<String>,
    pub roles: Value<Vec<Value<Grant>>>,
    /// The on-call role's permissions, `<family>.<action>`
    /// (`alerts_permissions.read`).
    pub permissions: ValueStringSet,
}

impl RootlyAccount {
    pub fn attribute_type() -> AttributeType {
        use AttributeType::String as S;
        object(&[
            ("user_id", S),
            ("full_name", S),
            ("email", S),
            ("on_call_role_id", S),
            ("roles", grants_type()),
            ("permissions", strings()),
        ])
    }
}

/// A SlashID person (`rbac_slashid_person_roles`' `person_id`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SlashidAccount {
    pub person_id: Value<String>,
    pub email: Value<String>,
    pub roles: Value<Vec<Value<Grant>>>,
    /// `GET /persons/{id}/permissions`: direct and through roles.
    pub permissions: ValueStringSet,
}

impl SlashidAccount {
    pub fn attribute_type() -> AttributeType {
        use AttributeType::String as S;
        object(&[
            ("person_id", S),
            ("email", S),
            ("roles", grants_type()),
            ("permissions", strings()),
        ])
    }
}

/// A ZenML Pro user (`rbac_zenml_role_assignment`'s `user_id`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ZenmlAccount {
    pub user_id: Value<String>,
    pub name: Value<String>,
    pub email: Value<String>,
    /// Direct assignments and those of the user's teams.
    pub roles: Value<Vec<Value<Grant>>>,
    /// Always null: ZenML's role objects carry no permissions
    /// (docs/vendors/zenml.md "How permissions reach a role").
    pub permissions: ValueStringSet,
}

impl ZenmlAccount {
    pub fn attribute_type() -> AttributeType {
        use AttributeType::String as S;
        object(&[
            ("user_id", S),
            ("name", S),
            ("email", S),
            ("roles", grants_type()),
            ("permissions", strings()),
        ])
    }
}

/// Known grants, sorted by role then scope then team, for a stable answer.
pub fn grant_list(mut grants: Vec<Grant>) -> Value<Vec<Value<Grant>>> {
    let key = |g: &Grant| {
        [
            &g.role_id,
            &g.organization_id,
            &g.workspace_id,
            &g.project_id,
            &g.team_id,
        ]
        .map(|v| v.as_ref_option().cloned().unwrap_or_default())
    };
    grants.sort_by_key(key);
    grants.dedup();
    known(grants.into_iter().map(known).collect())
}

/// A known set of strings.
pub fn permission_set(items: impl IntoIterator<Item = String>) -> ValueStringSet {
    string_set(&items.into_iter().collect::<Vec<_>>())
}

/// One holder of a role (`rbac_role_holders`): the account, and how and
/// where it holds the role.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Holder {
    /// The account's ID in the vendor (a Flashduty member ID in decimal).
    pub account_id: Value<String>,
    pub email: Value<String>,
    pub name: Value<String>,
    pub organization_id: Value<String>,
    pub workspace_id: Value<String>,
    pub project_id: Value<String>,
    pub team_id: Value<String>,
    pub team_name: Value<String>,
}

impl Holder {
    /// A direct holder without scope.
    pub fn direct(account_id: String, email: String, name: Option<String>) -> Self {
        Holder {
            account_id: known(account_id),
            email: known(email),
            name: nullable(name),
            ..Holder::default()
        }
    }

    pub fn attribute_type() -> AttributeType {
        use AttributeType::String as S;
        object(&[
            ("account_id", S),
            ("email", S),
            ("name", S),
            ("organization_id", S),
            ("workspace_id", S),
            ("project_id", S),
            ("team_id", S),
            ("team_name", S),
        ])
    }
}

/// What a role is, for `rbac_role_holders`.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleInfo {
    pub name: String,
    pub built_in: bool,
}
