//! What the SlashID RBAC API reads and writes: the objects, the request
//! bodies (serde structs whose unset optional fields are left out) and the
//! consistency level (docs/vendors/slashid.md, "RBAC endpoints" and "Transport").

use serde::{Deserialize, Serialize};

use super::SlashidError;

/// `SlashID-Required-Consistency`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consistency {
    LocalRegion,
    AllRegions,
}

impl Consistency {
    /// The accepted values, as sent.
    pub const NAMES: [&'static str; 2] = ["local_region", "all_regions"];

    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Consistency::LocalRegion => "local_region",
            Consistency::AllRegions => "all_regions",
        }
    }

    /// Parses a header value.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "local_region" => Some(Consistency::LocalRegion),
            "all_regions" => Some(Consistency::AllRegions),
            _ => None,
        }
    }
}

/// What a create came to.
#[derive(Debug)]
pub enum Created {
    /// SlashID confirmed it (204), possibly only on a later attempt after
    /// earlier ones had an unknown outcome.
    Done,
    /// SlashID refused the first attempt with 409: the name is taken.
    Conflict(SlashidError),
}

/// A permission (`GET /rbac/permissions/{name}`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Permission {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub created: Option<String>,
}

/// A role (`GET /rbac/roles/{name}`); `name` is the full, prefixed name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Role {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub permissions: Vec<String>,
}

/// Body of `POST /rbac/permissions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PermissionCreate {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Body of `PATCH /rbac/permissions/{name}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PermissionPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Body of `POST /rbac/roles`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleCreate {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub permissions: Vec<String>,
}

/// Body of `PATCH /rbac/roles/{name}`. The provider always sends the whole
/// permission set: whether PATCH replaces or adds is **unverified**, and
/// replacing is the likely reading (docs/vendors/slashid.md, "Behaviour the provider depends on").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RolePatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub permissions: Vec<String>,
}
