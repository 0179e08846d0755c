//! On-call roles: `POST`, `PUT`, `GET` and `DELETE /v1/on_call_roles[/{id}]`
//! (<https://docs.rootly.com/api-reference/oncallroles/creates-an-on-call-role>),
//! and the permission families a role holds.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{RootlyClient, MEDIA_TYPE};
use crate::http::{encode_path_segment, Request};
use crate::vendors::lost_create::create::{reconcile_create, Lookup};
use crate::vendors::lost_create::settle::{settle, window_start, Before, Found, Names};
use crate::vendors::rootly::RootlyError;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

const CRUD: &[&str] = &["create", "read", "update", "delete"];
const READ_ONLY: &[&str] = &["read"];
const CREATE_UPDATE: &[&str] = &["create", "update"];

/// Every permission array the provider manages, with the values the current
/// spec allows (docs/vendors/rootly.md, "Attributes"). The docs' create
/// example shows 17; the spec has 24. Arrays the API returns beyond these are ignored.
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

/// An on-call role as Rootly returns it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OnCallRole {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub system_role: String,
    /// Every `*_permissions` array in the answer, known to the provider or
    /// not (the vendor keeps adding families).
    pub permissions: BTreeMap<String, Vec<String>>,
    pub created_at: String,
    pub updated_at: String,
}

impl OnCallRole {
    /// The values of one family (`[]` when the answer lacks it).
    pub fn family(&self, name: &str) -> &[String] {
        self.permissions.get(name).map(Vec::as_slice).unwrap_or(&[])
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct ResourceObject {
    id: String,
    #[serde(default)]
    attributes: Map<String, Value>,
}

impl From<ResourceObject> for OnCallRole {
    fn from(r: ResourceObject) -> Self {
        let text = |k: &str| {
            r.attributes
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let permissions = r
            .attributes
            .iter()
            .filter(|(k, _)| k.ends_with("_permissions"))
            .filter_map(|(k, v)| {
                let values = match v {
                    Value::Null => Vec::new(),
                    Value::Array(items) => items
                        .iter()
                        .filter_map(|i| i.as_str().map(str::to_string))
                        .collect(),
                    _ => return None,
                };
                Some((k.clone(), values))
            })
            .collect();
        OnCallRole {
            name: text("name"),
            slug: text("slug"),
            system_role: text("system_role"),
            created_at: text("created_at"),
            updated_at: text("updated_at"),
            permissions,
            id: r.id,
        }
    }
}

/// The attributes of a create or update. Unset fields are left out; every
/// permission array given is sent in full (`[]` clears it, never `null`:
/// docs/vendors/rootly.md, "Behaviour the provider depends on").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RoleAttributes {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_role: Option<String>,
    #[serde(flatten)]
    pub permissions: BTreeMap<String, Vec<String>>,
}

#[derive(Serialize)]
struct Document<'a> {
    data: DocumentData<'a>,
}

#[derive(Serialize)]
struct DocumentData<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    attributes: &'a RoleAttributes,
}

#[derive(Deserialize)]
struct Single {
    data: ResourceObject,
}

impl RootlyClient {
    fn with_body(request: Request, attributes: &RoleAttributes) -> Request {
        let doc = Document {
            data: DocumentData {
                kind: "on_call_roles",
                attributes,
            },
        };
        request.json(&doc).header("Content-Type", MEDIA_TYPE)
    }

    /// `POST /v1/on_call_roles` (201, with the full role: nothing is read
    /// back). `system_role` is always `custom`: that is what the web app
    /// creates, and what the vendor's own provider sends (docs/vendors/rootly.md,
    /// "Attributes").
    ///
    /// A create is not idempotent and Rootly does not promise unique names
    /// (unverified). Only when a create's outcome is unknown (connection
    /// lost, 5xx, an unreadable answer) are the roles of that name listed:
    /// one that was not there before the create (`before`), made since it
    /// was sent, with exactly the requested permissions, is adopted (see
    /// [`find_created_role`](Self::find_created_role)); only if none
    /// appeared is the create sent again.
    pub async fn create_role(
        &self,
        attributes: &RoleAttributes,
        before: &Before,
    ) -> Result<OnCallRole, RootlyError> {
        let attributes = RoleAttributes {
            system_role: Some("custom".into()),
            ..attributes.clone()
        };
        let name = attributes.name.clone().unwrap_or_default();
        let (attributes, name) = (&attributes, &name);
        reconcile_create(
            name,
            || async move {
                let request = Self::with_body(Request::post("/v1/on_call_roles"), attributes);
                let created = self.snapshot.write(self.call::<Single>(request)).await;
                let role: OnCallRole = created?.data.into();
                self.claims.claim(&role.id);
                Ok(role)
            },
            |sent| self.find_created_role(attributes, Some(before), Some(sent)),
        )
        .await
    }

    /// Whether a create of `attributes` whose outcome is unknown made a
    /// role: among the roles of that name that were not there before it
    /// (`before`) nor made by another create of this client, the earliest
    /// with exactly the requested permissions, made (on Rootly's clock) no
    /// earlier than the create first sent at `sent` can have arrived (see
    /// [`settle`] and [`window_start`]). Used right after the create and,
    /// when that lookup kept failing, by the next refresh of the pending
    /// role ([`crate::vendors::lost_create::pending`]), without `sent`.
    pub async fn find_created_role(
        &self,
        attributes: &RoleAttributes,
        before: Option<&Before>,
        sent: Option<Instant>,
    ) -> Result<Lookup<OnCallRole>, RootlyError> {
        let name = attributes.name.as_deref().unwrap_or_default();
        let (named, server_now) = self.roles_named(name).await?;
        let start = sent
            .zip(server_now)
            .map(|(sent, date)| window_start(date, sent, Instant::now()));
        let found = named
            .into_iter()
            .filter(|r| r.name == name)
            .map(|role| Found {
                id: role.id.clone(),
                // `created_at` counts milliseconds: the stamp's millisecond
                // is added, so that a role made in the window's first
                // millisecond is never taken for an older one.
                created: OffsetDateTime::parse(&role.created_at, &Rfc3339)
                    .ok()
                    .map(|at| std::time::SystemTime::from(at) + Duration::from_millis(1)),
                same: same_permissions(&role, attributes),
                object: role,
            })
            .collect();
        Ok(settle(
            found,
            before,
            start,
            Some(&self.claims),
            Names::Repeat,
        ))
    }

    /// `PUT /v1/on_call_roles/{id}` (the spec declares PUT, not PATCH). The
    /// update is partial: attributes left out are kept; arrays sent replace
    /// the stored ones.
    pub async fn update_role(
        &self,
        id: &str,
        attributes: &RoleAttributes,
    ) -> Result<OnCallRole, RootlyError> {
        let path = format!("/v1/on_call_roles/{}", encode_path_segment(id));
        let request = Self::with_body(Request::put(path), attributes);
        let single: Single = self.snapshot.write(self.call(request)).await?;
        Ok(single.data.into())
    }

    /// `GET /v1/on_call_roles/{id}`: `id` is the UUID or the slug.
    pub async fn get_role(&self, id_or_slug: &str) -> Result<OnCallRole, RootlyError> {
        let path = format!("/v1/on_call_roles/{}", encode_path_segment(id_or_slug));
        let single: Single = self.call(Request::get(path)).await?;
        Ok(single.data.into())
    }

    /// `DELETE /v1/on_call_roles/{id}`: answers 200 with the deleted role
    /// (not 204), which is ignored.
    pub async fn delete_role(&self, id: &str) -> Result<(), RootlyError> {
        let path = format!("/v1/on_call_roles/{}", encode_path_segment(id));
        let delete = self.call::<Value>(Request::delete(path));
        self.snapshot.write(delete).await.map(|_| ())
    }
}

/// Whether `role` holds exactly the permissions of `attributes` (families
/// left out count as empty; order does not matter).
fn same_permissions(role: &OnCallRole, attributes: &RoleAttributes) -> bool {
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v.dedup();
        v
    };
    PERMISSION_FAMILIES.iter().all(|(family, _)| {
        let wanted = attributes
            .permissions
            .get(*family)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        sorted(wanted) == sorted(role.family(family))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rootly_request_documents_are_jsonapi() {
        let mut permissions = BTreeMap::new();
        permissions.insert("alerts_permissions".to_string(), vec!["read".to_string()]);
        permissions.insert("contacts_permissions".to_string(), vec![]);
        let attrs = RoleAttributes {
            name: Some("Infra".into()),
            system_role: None,
            permissions,
        };
        let doc = Document {
            data: DocumentData {
                kind: "on_call_roles",
                attributes: &attrs,
            },
        };
        assert_eq!(
            serde_json::to_value(&doc).unwrap(),
            json!({"data": {"type": "on_call_roles", "attributes": {
                "name": "Infra", "alerts_permissions": ["read"], "contacts_permissions": []
            }}})
        );
    }

    #[test]
    fn rootly_unknown_families_are_kept_but_harmless() {
        let r: ResourceObject = serde_json::from_value(json!({
            "id": "91b7d512-7444-4978-8350-7492b18ec2ad",
            "type": "on_call_roles",
            "attributes": {"name": "Infrastructure", "slug": "infrastructure", "team_id": 317,
                "system_role": "custom", "alerts_permissions": ["read"],
                "brand_new_permissions": ["frobnicate"], "schedules_permissions": null}
        }))
        .unwrap();
        let role = OnCallRole::from(r);
        assert_eq!(role.family("alerts_permissions"), ["read"]);
        assert!(role.family("schedules_permissions").is_empty());
        assert!(role.family("webhooks_permissions").is_empty());
        assert_eq!(role.slug, "infrastructure");
    }
}
