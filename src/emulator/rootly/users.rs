//! Rootly users and their on-call role (docs/vendors/rootly.md, "Users and the
//! on-call role assignment"; `/v1/users*` in `tests/openapi/rootly-openapi.json`). Users cannot
//! be created through the API (they are invited in the web app), so the
//! organisation starts with [`SEEDED_USERS`]; tests add more through
//! `POST /__emulator/rootly/users`.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The seeded users: (ID, first name, last name, email, slug of the on-call
/// role they hold). The first one owns the API token (`GET /v1/users/me`).
/// The spec types user IDs as plain strings; the emulator uses decimal
/// numbers so that clients cannot assume UUIDs (the real format is
/// **unverified**).
pub const SEEDED_USERS: [(&str, &str, &str, &str, Option<&str>); 4] = [
    ("20001", "Ada", "Lovelace", "ada@example.com", Some("admin")),
    (
        "20002",
        "Grace",
        "Hopper",
        "grace@example.com",
        Some("user"),
    ),
    ("20003", "Alan", "Turing", "alan@example.com", None),
    (
        "20004",
        "Katherine",
        "Johnson",
        "katherine@example.com",
        Some("observer"),
    ),
];

/// First ID given to a user added through the control API.
pub(super) const FIRST_ADDED_USER_ID: u64 = 30001;

/// Attributes `update_user` accepts (`additionalProperties: false`).
pub(super) const UPDATABLE: [&str; 4] = ["first_name", "last_name", "role_id", "on_call_role_id"];

/// A user as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub time_zone: Option<String>,
    /// The one on-call role the user holds, if any.
    pub on_call_role_id: Option<String>,
    /// The base role (`role_id`): accepted by PUT and kept, but the
    /// emulator does not model base roles.
    #[serde(default)]
    pub role_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl User {
    pub(super) fn full_name(&self) -> Option<String> {
        let parts: Vec<&str> = [&self.first_name, &self.last_name]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// The JSON:API resource object, with the `on_call_role` relationship.
    pub fn resource(&self) -> Value {
        let role = self
            .on_call_role_id
            .as_ref()
            .map(|id| json!({"id": id, "type": "on_call_roles"}));
        let base = self
            .role_id
            .as_ref()
            .map(|id| json!({"id": id, "type": "roles"}));
        json!({
            "id": self.id,
            "type": "users",
            "attributes": {
                "email": self.email,
                "first_name": self.first_name,
                "last_name": self.last_name,
                "full_name": self.full_name(),
                "full_name_with_team": self.full_name(),
                "time_zone": self.time_zone,
                "created_at": self.created_at,
                "updated_at": self.updated_at,
            },
            "relationships": {
                "role": {"data": base},
                "on_call_role": {"data": role},
            },
        })
    }
}

/// `filter[...]` of `GET /v1/users`.
#[derive(Debug, Clone, Default)]
pub struct UserFilters {
    /// Exact email, compared case-insensitively (**unverified**).
    pub email: Option<String>,
    /// Substring of the name or email, case-insensitive (**unverified**).
    pub search: Option<String>,
}

/// `sort` of `GET /v1/users` (the spec's enum).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserSort {
    CreatedAt { desc: bool },
    UpdatedAt { desc: bool },
}
