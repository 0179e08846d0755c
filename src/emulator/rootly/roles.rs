//! An on-call role as the emulator stores it, and the vendor's rules for
//! its attributes: the permission families and their allowed values,
//! `system_role`, the name's length and the slug (docs/vendors/rootly.md,
//! "Attributes").

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::errors::{ApiError, ErrorItem};

/// The four CRUD verbs, in the order the spec lists them.
const CRUD: &[&str] = &["create", "read", "update", "delete"];
const READ_ONLY: &[&str] = &["read"];
const CREATE_UPDATE: &[&str] = &["create", "update"];

/// Every permission array of the current spec with its allowed values
/// (docs/vendors/rootly.md, "Attributes").
pub const PERMISSION_FAMILIES: [(&str, &[&str]); 24] = [
    ("alert_fields_permissions", CRUD),
    ("alert_groups_permissions", CRUD),
    ("alert_routing_rules_permissions", CRUD),
    ("alert_sources_permissions", CRUD),
    ("alert_urgency_permissions", CRUD),
    ("alerts_permissions", CRUD),
    ("api_keys_permissions", CRUD),
    ("audits_permissions", CRUD),
    ("catalogs_permissions", CRUD),
    ("contacts_permissions", READ_ONLY),
    ("escalation_policies_permissions", CRUD),
    ("functionalities_permissions", CRUD),
    ("groups_permissions", CRUD),
    ("heartbeats_permissions", CRUD),
    ("integrations_permissions", CRUD),
    ("invitations_permissions", CRUD),
    ("live_call_routing_permissions", CRUD),
    ("on_call_readiness_report_permissions", READ_ONLY),
    ("on_call_roles_permissions", CRUD),
    ("schedule_override_permissions", CREATE_UPDATE),
    ("schedules_permissions", CRUD),
    ("services_permissions", CRUD),
    ("webhooks_permissions", CRUD),
    ("workflows_permissions", CRUD),
];

/// `system_role` values.
pub const SYSTEM_ROLES: [&str; 5] = ["admin", "user", "custom", "observer", "no_access"];

/// Longest `name` accepted. **Unverified**: the spec documents no limit; 255
/// is the usual Rails string column.
pub const NAME_MAX: usize = 255;

/// An on-call role as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub system_role: String,
    /// Family name → values, in the order they were sent (deduplicated).
    pub permissions: BTreeMap<String, Vec<String>>,
    pub created_at: String,
    pub updated_at: String,
}

impl Role {
    /// The JSON:API resource object (`on_call_role` with id and type).
    pub fn resource(&self) -> Value {
        let mut attrs = Map::new();
        attrs.insert("name".into(), Value::from(self.name.clone()));
        attrs.insert("slug".into(), Value::from(self.slug.clone()));
        attrs.insert("system_role".into(), Value::from(self.system_role.clone()));
        for (family, _) in PERMISSION_FAMILIES {
            let values = self.permissions.get(family).cloned().unwrap_or_default();
            attrs.insert(family.into(), Value::from(values));
        }
        attrs.insert("created_at".into(), Value::from(self.created_at.clone()));
        attrs.insert("updated_at".into(), Value::from(self.updated_at.clone()));
        serde_json::json!({"id": self.id, "type": "on_call_roles", "attributes": attrs})
    }

    /// Only `user` and `custom` roles are editable (the spec's description
    /// of `system_role`).
    pub(super) fn editable(&self) -> bool {
        self.system_role == "user" || self.system_role == "custom"
    }
}

pub(super) struct Checked {
    pub(super) system_role: Option<String>,
    pub(super) permissions: BTreeMap<String, Vec<String>>,
}

/// Checks `system_role` and every permission array sent. Unknown attributes
/// are ignored (whether the server rejects them is **unverified**).
pub(super) fn check_attrs(attrs: &Map<String, Value>, errors: &mut Vec<ErrorItem>) -> Checked {
    let mut checked = Checked {
        system_role: None,
        permissions: BTreeMap::new(),
    };
    if let Some(name) = attrs.get("name").and_then(Value::as_str) {
        if name.chars().count() > NAME_MAX {
            errors.push(ApiError::invalid(
                "name",
                &format!("is too long (maximum is {NAME_MAX} characters)"),
            ));
        }
    }
    match attrs.get("system_role") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if SYSTEM_ROLES.contains(&s.as_str()) => {
            checked.system_role = Some(s.clone());
        }
        Some(other) => errors.push(ApiError::invalid(
            "system_role",
            &format!(
                "{other} is not included in the list ({})",
                SYSTEM_ROLES.join(", ")
            ),
        )),
    }
    for (family, allowed) in PERMISSION_FAMILIES {
        let Some(value) = attrs.get(family) else {
            continue;
        };
        let items = match value {
            // Null clears the array (the official provider used to send it).
            Value::Null => Some(Vec::new()),
            Value::Array(items) => items
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>(),
            _ => None,
        };
        let Some(items) = items else {
            errors.push(ApiError::invalid(family, "must be an array of strings"));
            continue;
        };
        let mut kept: Vec<String> = Vec::new();
        for item in items {
            if !allowed.contains(&item.as_str()) {
                errors.push(ApiError::invalid(
                    family,
                    &format!(
                        "{item:?} is not a valid value; allowed values are: {}",
                        allowed.join(", ")
                    ),
                ));
            } else if !kept.contains(&item) {
                kept.push(item);
            }
        }
        checked.permissions.insert(family.to_string(), kept);
    }
    checked
}

/// Lowercase ASCII letters and digits, other runs become `-`.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "role".into()
    } else {
        out
    }
}
