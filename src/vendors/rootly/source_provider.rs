//! `moved` blocks from the vendor's own provider, `rootlyhq/rootly`
//! (Terraform's MoveResourceState): which of its resource types ours take
//! over, and reading the state it stored.
//!
//! That provider is built on terraform-plugin-sdk v2 (its
//! `provider/resource_on_call_role.go` and
//! `provider/resource_user_on_call_role.go`): the stored state is one JSON
//! object of attributes, with an `id` string, unset strings as `""` and
//! lists as JSON arrays. Neither resource declares a schema version, so its
//! states are version 0; a later version is read the same way, by
//! attribute name (whether one exists is unverified; docs/vendors/rootly.md,
//! "The vendor's Terraform provider").

use serde_json::{Map, Value as Json};

use crate::framework::protocol::MovedFrom;
use crate::framework::tf::Value;
use crate::framework::ValueStringSet;

/// The vendor's provider, as `namespace/type` in its registry address.
pub const SOURCE_PROVIDER: &str = "rootlyhq/rootly";

/// The `*_permissions` lists of the vendor's `rootly_on_call_role`, as its
/// docs list them (rootlyhq/terraform-provider-rootly
/// `docs/resources/on_call_role.md`; docs/vendors/rootly.md,
/// "`rootly_on_call_role`"). The test stand-in for that provider declares
/// these, and its test writes them into the stored state.
pub const VENDOR_PERMISSION_LISTS: [&str; 22] = [
    "alert_fields_permissions",
    "alert_groups_permissions",
    "alert_routing_rules_permissions",
    "alert_sources_permissions",
    "alert_urgency_permissions",
    "alerts_permissions",
    "api_keys_permissions",
    "audits_permissions",
    "contacts_permissions",
    "escalation_policies_permissions",
    "groups_permissions",
    "heartbeats_permissions",
    "integrations_permissions",
    "invitations_permissions",
    "live_call_routing_permissions",
    "on_call_readiness_report_permissions",
    "on_call_roles_permissions",
    "schedule_override_permissions",
    "schedules_permissions",
    "services_permissions",
    "webhooks_permissions",
    "workflows_permissions",
];

/// The stored state of one resource of `rootlyhq/rootly`.
pub struct Source<'a> {
    type_name: &'a str,
    target: &'a str,
    attributes: &'a Map<String, Json>,
}

/// Whether `from` was written by `rootlyhq/rootly`. Terraform records one
/// provider per resource, not per instance: when two instance-level moved
/// blocks split one `rootly_*` resource, the second move names the target
/// resource's provider, this one (seen with Terraform 1.11). No type of ours
/// is named `rootly_*`, so such a state is still the vendor's provider's.
fn from_vendors_provider(from: &MovedFrom) -> bool {
    let source = from.provider_source();
    source == SOURCE_PROVIDER
        || (source.rsplit('/').next() == Some(crate::framework::PROVIDER_NAME)
            && from.type_name.starts_with("rootly_"))
}

/// The state of `from` when it is a `type_name` of `rootlyhq/rootly` moving
/// into our `target`; `None` for any other provider or type (the adapter
/// then says which moves this resource takes), an error for a state that is
/// not an object of attributes.
pub fn source<'a>(
    from: &'a MovedFrom,
    type_name: &'a str,
    target: &'a str,
) -> Option<Result<Source<'a>, String>> {
    if !from_vendors_provider(from) || from.type_name != type_name {
        return None;
    }
    Some(match &from.state {
        Json::Object(attributes) => Ok(Source {
            type_name,
            target,
            attributes,
        }),
        other => Err(format!(
            "The stored state of this {type_name} is not an object of attributes (got {}). \
             Remove the moved block and import the object into {target} instead.",
            kind(other)
        )),
    })
}

impl Source<'_> {
    /// The `id` the vendor's provider recorded: without it nobody knows
    /// which object the resource manages, so the move is refused.
    pub fn id(&self, what: &str, import: &str) -> Result<String, String> {
        match self.attributes.get("id") {
            Some(Json::String(id)) if !id.trim().is_empty() => Ok(id.clone()),
            found => Err(format!(
                "The stored state of this {} has no id ({}), so it does not say which {what} it \
                 manages. Run `terraform apply -refresh-only` with the rootlyhq/rootly provider \
                 (without the moved block) so that it records the ID, or remove the moved block \
                 and import the object: {import}",
                self.type_name,
                match found {
                    None => "the attribute is missing".to_string(),
                    Some(Json::String(_)) => "it is empty".to_string(),
                    Some(other) => format!("found {}", kind(other)),
                }
            )),
        }
    }

    /// A string attribute; missing, null or `""` (how the SDK stores an
    /// unset string) is null: the refresh after the move reads the value.
    pub fn string(&self, name: &str) -> Result<Value<String>, String> {
        match self.attributes.get(name) {
            None | Some(Json::Null) => Ok(Value::Null),
            Some(Json::String(s)) if s.is_empty() => Ok(Value::Null),
            Some(Json::String(s)) => Ok(Value::Value(s.clone())),
            Some(other) => Err(self.malformed(name, "a string", other)),
        }
    }

    /// A list of strings as our set (sorted, without duplicates: the
    /// vendor's provider already ignores their order). Missing or null is
    /// null: that provider version does not know the attribute, and the
    /// refresh after the move reads it.
    pub fn string_set(&self, name: &str) -> Result<ValueStringSet, String> {
        let items = match self.attributes.get(name) {
            None | Some(Json::Null) => return Ok(Value::Null),
            Some(Json::Array(items)) => items,
            Some(other) => return Err(self.malformed(name, "a list of strings", other)),
        };
        let mut strings: Vec<String> = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Json::String(s) => strings.push(s.clone()),
                other => return Err(self.malformed(name, "a list of strings", other)),
            }
        }
        Ok(crate::framework::plan::string_set(&strings))
    }

    fn malformed(&self, name: &str, expected: &str, found: &Json) -> String {
        format!(
            "In the stored state of this {}, {name} is {} where the rootlyhq/rootly provider \
             stores {expected}. Remove the moved block and import the object into {} instead.",
            self.type_name,
            kind(found),
            self.target
        )
    }
}

/// How a JSON value is named in messages.
fn kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a bool",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

/// A `moved` block's `from` as Terraform sends it: `state`, stored by
/// `provider`'s `type_name` at schema version 0. For the tests of the
/// resources that take the vendor's states over, and of this module.
#[cfg(test)]
pub fn moved(provider: &str, type_name: &str, state: Json) -> MovedFrom {
    MovedFrom {
        provider: provider.into(),
        type_name: type_name.into(),
        schema_version: 0,
        state,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_vendors_provider_and_the_named_type_are_taken() {
        let state = json!({"id": "x"});
        let ours = moved(
            "registry.terraform.io/rootlyhq/rootly",
            "rootly_team",
            state.clone(),
        );
        assert!(source(&ours, "rootly_on_call_role", "t").is_none());
        let fork = moved(
            "registry.terraform.io/someone/rootly",
            "rootly_on_call_role",
            state,
        );
        assert!(source(&fork, "rootly_on_call_role", "t").is_none());
        // The second of two instance-level moves out of one resource names
        // this provider as the source.
        let split = moved(
            "registry.terraform.io/rbac-provider/rbac",
            "rootly_on_call_role",
            json!({"id": "x"}),
        );
        assert!(source(&split, "rootly_on_call_role", "t").is_some());
        let own = moved(
            "registry.terraform.io/rbac-provider/rbac",
            "rbac_rootly_on_call_role",
            json!({"id": "x"}),
        );
        assert!(source(&own, "rootly_on_call_role", "t").is_none());
        let list = moved(
            "registry.opentofu.org/rootlyhq/rootly",
            "rootly_on_call_role",
            json!([1]),
        );
        let err = source(&list, "rootly_on_call_role", "t").unwrap().err();
        assert!(err.unwrap().contains("not an object"));
    }

    #[test]
    fn strings_lists_and_a_missing_id() {
        let state = moved(
            "registry.terraform.io/rootlyhq/rootly",
            "rootly_on_call_role",
            json!({"id": "", "slug": "", "name": "n", "a": ["read", "create", "read"], "b": [1]}),
        );
        let s = source(&state, "rootly_on_call_role", "t").unwrap().unwrap();
        let err = s.id("on-call role", "terraform import t.x ID").unwrap_err();
        assert!(err.contains("has no id (it is empty)"), "{err}");
        assert!(err.contains("terraform import t.x ID"), "{err}");
        assert_eq!(s.string("slug").unwrap(), Value::Null);
        assert_eq!(s.string("name").unwrap(), Value::Value("n".into()));
        assert_eq!(
            s.string_set("a").unwrap(),
            crate::framework::plan::string_set(&["create".into(), "read".into()])
        );
        assert_eq!(s.string_set("missing").unwrap(), Value::Null);
        assert!(s.string_set("b").unwrap_err().contains("b is a number"));
    }
}
