//! `rbac_rootly_on_call_role`: a custom Rootly on-call role and its
//! permission sets.

use std::collections::BTreeMap;

use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use crate::framework::tf::{AttributeType, Schema};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::{ListFilters, OnCallRole, RoleAttributes, RootlyClient, PERMISSION_FAMILIES};
use super::config::RootlySettings;
use super::families::{family_description, with_permission_families};
use crate::framework::plan::{known_string_set, string_set, use_state_for_unknown};
use crate::framework::protocol::MovedFrom;
use crate::framework::resource::{
    state_id, Deleted, Failure, NewState, Planned, Read, Refreshed, Removed, ResourceType,
};
use crate::framework::schema::{schema, set_of, string, AttributeBuilder};
use crate::framework::timeouts::{self, has_timeouts, ResourceTimeouts};
use crate::framework::validate::string_set_one_of;
use crate::vendors::lost_create::pending::{
    cannot_settle, is_pending, pending_id, settled, PendingCreate,
};
use crate::vendors::rootly::source_provider::source;
use crate::vendors::rootly::RootlyError;

/// Private state: when a create left pending was first sent (`None` for
/// every role with an ID). Rootly's names are not unique, so the refresh
/// that settles a pending role adopts only a role created since then.
type Private = Option<PendingCreate>;

with_permission_families! {
    /// Terraform state of `rbac_rootly_on_call_role`.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    pub struct OnCallRoleState {
        pub id: Value<String>,
        pub name: Value<String>,
        pub slug: Value<String>,
        pub system_role: Value<String>,
        pub timeouts: ResourceTimeouts,
    }
}
has_timeouts!(OnCallRoleState);

/// The resource; [`crate::framework::resource::Adapter`] serves it to Terraform.
pub struct OnCallRoleResource;

const IMPORT_FORMATS: &str =
    "Import takes the role's UUID (terraform import rbac_rootly_on_call_role.x \
     91b7d512-7444-4978-8350-7492b18ec2ad) or its slug (terraform import \
     rbac_rootly_on_call_role.x infrastructure); list them with the \
     `rbac_rootly_on_call_roles` data source.";

#[async_trait]
impl ResourceType for OnCallRoleResource {
    type Vendor = RootlySettings;
    type State = OnCallRoleState;
    type Private = Private;
    const TYPE_NAME: &'static str = "rootly_on_call_role";
    const KIND: &'static str = "Rootly on-call role";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        let mut attributes: Vec<(&str, AttributeBuilder)> = vec![
            (
                "id",
                string().computed().description("The role's UUID, assigned by Rootly."),
            ),
            (
                "name",
                string().required().description(
                    "Display name of the role. Renaming updates the role in place.",
                ),
            ),
            (
                "slug",
                string().computed().description(
                    "URL-friendly identifier that Rootly derives from the name when the role is created \
                     (made unique by Rootly). It cannot be set.",
                ),
            ),
            (
                "system_role",
                string().computed().description(
                    "Rootly's kind of role; roles created by Terraform are always `custom`.",
                ),
            ),
        ];
        for (family, allowed) in PERMISSION_FAMILIES {
            attributes.push((
                family,
                set_of(AttributeType::String)
                    .optional_computed()
                    .description(family_description(family, allowed, true)),
            ));
        }
        schema(
            "A custom Rootly on-call role: a named set of permissions per area of Rootly On-Call. \
             Import it by UUID or by slug.",
            attributes,
            vec![timeouts::resource_block()],
        )
    }

    /// Plan-time checks: exactly the vendor's allowed values per family.
    fn validate(diags: &mut Diagnostics, config: &OnCallRoleState) {
        match &config.name {
            Value::Value(n) if n.trim().is_empty() => diags.error(
                "Invalid value for name",
                "name must not be blank (Rootly requires a name).",
                AttributePath::new("name"),
            ),
            // Rootly trims the name it stores, so "Primary " would apply as
            // "Primary" and never converge: refuse it here instead.
            Value::Value(n) if n.trim() != n => diags.error(
                "Invalid value for name",
                format!(
                    "name must not start or end with whitespace: Rootly trims it, so {n:?} would be saved as {:?}. \
                     Write {:?} (check interpolations such as \"${{var.suffix}}\" that may be empty).",
                    n.trim(),
                    n.trim()
                ),
                AttributePath::new("name"),
            ),
            _ => {}
        }
        let allowed: BTreeMap<&str, &[&str]> = PERMISSION_FAMILIES.into_iter().collect();
        for (family, value) in config.families() {
            string_set_one_of(
                diags,
                AttributePath::new(family),
                value,
                allowed[family],
                "Rootly's allowed values for this permission",
            );
        }
    }

    /// The role's UUID, or the quoted name before there is one.
    fn label(state: &OnCallRoleState) -> String {
        crate::framework::resource::id_or_name(&state.id, &state.name)
    }

    /// A `moved` block from the vendor's own `rootly_on_call_role`: see
    /// [`from_rootly_provider`].
    fn moved_from(from: &MovedFrom) -> Option<std::result::Result<OnCallRoleState, String>> {
        from_rootly_provider(from)
    }

    async fn plan(
        &self,
        _: Option<&RootlyClient>,
        config: OnCallRoleState,
        prior: Option<&OnCallRoleState>,
    ) -> Planned<Self> {
        Ok((planned(&config, prior), vec![]))
    }

    /// One request: the answer holds the full role.
    async fn create(&self, client: &RootlyClient, planned: OnCallRoleState) -> NewState<Self> {
        let Some(attrs) = attributes(&planned) else {
            return Err(Failure::message(
                "name and every permission set must be known to create a role",
                "",
            ));
        };
        let name = attrs.name.as_deref().unwrap_or_default();
        let before = client.before_create(name).await.map_err(Failure::vendor)?;
        let sent = PendingCreate::now(before.clone());
        let role = match client.create_role(&attrs, &before).await {
            Ok(role) => role,
            // The role may exist: kept pending, settled by the next refresh,
            // which looks only at roles that were not there before it.
            Err(err @ RootlyError::Unsettled { .. }) => {
                let pending = OnCallRoleState {
                    id: pending_id(),
                    slug: Value::Null,
                    system_role: Value::Value("custom".into()),
                    ..planned
                };
                return Err(Failure::vendor(err).keep_with(pending, Some(sent)));
            }
            Err(err) => return Err(Failure::vendor(err)),
        };
        tracing::info!(id = %role.id, slug = %role.slug, "created Rootly on-call role");
        Ok((state_from(&role), None))
    }

    async fn read(
        &self,
        client: &RootlyClient,
        state: &OnCallRoleState,
        _: &Private,
    ) -> Refreshed<Self> {
        let id = state_id::<Self>(&state.id)?;
        match client.read_role(id).await.map_err(Failure::vendor)? {
            Some(role) => Ok(Read::Found((state_from(&role), None))),
            None => Ok(Read::Gone),
        }
    }

    fn pending(state: &OnCallRoleState) -> bool {
        is_pending(&state.id)
    }

    /// The refresh of a pending role: the lookup of its create settles it,
    /// among the roles of that name created since it was first sent. Found, it
    /// is recorded with its ID; otherwise it leaves the state and the plan
    /// creates it again. Without the create time (not given outside a
    /// refresh) it refuses rather than guess.
    async fn settle(
        &self,
        client: &RootlyClient,
        state: &OnCallRoleState,
        private: &Private,
    ) -> Refreshed<Self> {
        let Some(attrs) = attributes(state) else {
            return Ok(Read::Gone);
        };
        let Some(before) = PendingCreate::before(private) else {
            return Err(cannot_settle(
                Self::KIND,
                attrs.name.as_deref().unwrap_or_default(),
            ));
        };
        let found = client
            .find_created_role(&attrs, Some(before), None)
            .await
            .map_err(Failure::vendor)?;
        Ok(settled(OnCallRoleResource::KIND, found, |role| {
            (state_from(&role), None)
        }))
    }

    async fn update(
        &self,
        client: &RootlyClient,
        prior: OnCallRoleState,
        planned: OnCallRoleState,
        _: &Private,
    ) -> NewState<Self> {
        let id = state_id::<Self>(&prior.id)?;
        let Some(attrs) = attributes(&planned) else {
            return Err(Failure::message(
                "name and every permission set must be known to update a role",
                "",
            ));
        };
        let role = client
            .update_role(id, &attrs)
            .await
            .map_err(Failure::vendor)?;
        Ok((state_from(&role), None))
    }

    async fn delete(
        &self,
        client: &RootlyClient,
        prior: &OnCallRoleState,
        _: &Private,
    ) -> Removed<Self> {
        let id = state_id::<Self>(&prior.id)?;
        match client.delete_role(id).await {
            Ok(()) => Ok(Deleted::Done),
            Err(err) if err.is_not_found() => Ok(Deleted::AlreadyGone),
            Err(err) => Err(Failure::vendor(err)),
        }
    }

    async fn import(&self, client: &RootlyClient, key: &str) -> NewState<Self> {
        match find_role(client, key).await.map_err(Failure::vendor)? {
            // Built-in roles (`admin`, `user`, `observer`, `no_access`) cannot
            // be renamed or deleted (docs/vendors/rootly.md, "Attributes"): once
            // imported, every plan would propose changes that fail with 422.
            Some(role) if role.system_role != "custom" => Err(Failure::message(
                format!("Cannot import Rootly on-call role {key:?}: it is a built-in role"),
                format!(
                    "{:?} (slug {:?}, system_role {:?}) is one of Rootly's built-in on-call roles: it cannot \
                     be renamed or deleted, so Terraform cannot manage it. Reference it with the \
                     `rbac_rootly_on_call_role` data source instead (data \"rbac_rootly_on_call_role\" \"x\" \
                     {{ slug = {:?} }}).",
                    role.name, role.slug, role.system_role, role.slug
                ),
            )),
            Some(role) => Ok((state_from(&role), None)),
            None => Err(Failure::message(
                format!("Cannot import Rootly on-call role {key:?}: no such role"),
                format!("No on-call role has this UUID or slug. {IMPORT_FORMATS}"),
            )),
        }
    }
}

/// The state Terraform records for a role read from Rootly. Families the
/// provider does not know are ignored.
pub fn state_from(role: &OnCallRole) -> OnCallRoleState {
    let mut state = OnCallRoleState {
        id: Value::Value(role.id.clone()),
        name: Value::Value(role.name.clone()),
        slug: Value::Value(role.slug.clone()),
        system_role: Value::Value(role.system_role.clone()),
        ..Default::default()
    };
    for (family, value) in state.families_mut() {
        *value = string_set(role.family(family));
    }
    state
}

/// Name and every family in full (an emptied family is sent as `[]`).
fn attributes(planned: &OnCallRoleState) -> Option<RoleAttributes> {
    let mut permissions = BTreeMap::new();
    for (family, value) in planned.families() {
        permissions.insert(family.to_string(), known_string_set(value)?);
    }
    Some(RoleAttributes {
        name: Some(planned.name.as_ref_option()?.clone()),
        system_role: None,
        permissions,
    })
}

/// By UUID or slug: the API's `{id}` takes both (partly verified), with
/// `filter[slug]` as a fallback for a slug.
async fn find_role(
    client: &RootlyClient,
    key: &str,
) -> std::result::Result<Option<OnCallRole>, super::RootlyError> {
    match client.get_role(key).await {
        Ok(role) => Ok(Some(role)),
        Err(err) if err.is_not_found() => {
            let filters = ListFilters {
                slug: Some(key.to_string()),
                ..Default::default()
            };
            Ok(client
                .list_roles(&filters)
                .await?
                .into_iter()
                .find(|r| r.slug == key))
        }
        Err(err) => Err(err),
    }
}

/// The planned state. Unset families default to empty sets, taken from the
/// configuration: for a removed optional+computed attribute Terraform
/// proposes the prior value, yet the user asked for the default back.
fn planned(config: &OnCallRoleState, prior: Option<&OnCallRoleState>) -> OnCallRoleState {
    let mut planned = config.clone();
    for (_, value) in planned.families_mut() {
        if value.is_null() {
            *value = Value::Value(Vec::new());
        }
    }
    match prior {
        None => {
            planned.id = Value::Unknown;
            planned.slug = Value::Unknown;
            planned.system_role = Value::Unknown;
        }
        Some(prior) => {
            planned.id = use_state_for_unknown(Value::Unknown, prior.id.clone());
            planned.system_role = use_state_for_unknown(Value::Unknown, prior.system_role.clone());
            // Whether a rename regenerates the slug is unverified
            // (docs/vendors/rootly.md, "Attributes"): leave it to the server then.
            planned.slug = if config.name == prior.name {
                prior.slug.clone()
            } else {
                Value::Unknown
            };
        }
    }
    planned
}

/// The vendor's type this resource takes over.
const SOURCE_TYPE: &str = "rootly_on_call_role";

/// Our state for a `moved` block from the vendor's own `rootly_on_call_role`
/// (`rootlyhq/rootly`; read by [`source`]); `None` for any other type. It is
/// the same Rootly object under the same UUID, so the state is mapped
/// attribute by attribute and no request is sent. Its `name`, `slug`,
/// `system_role` and `*_permissions` lists (docs/vendors/rootly.md, "The
/// vendor's Terraform provider") have the same names here; the lists become
/// sets. A family that provider version does not store stays null until the
/// refresh that follows the move reads it from Rootly: its docs list 22 of
/// our 24 families, without `catalogs_permissions` and
/// `functionalities_permissions` (whether a later release stores them is
/// unverified).
fn from_rootly_provider(from: &MovedFrom) -> Option<Result<OnCallRoleState, String>> {
    let source = source(from, SOURCE_TYPE, "rbac_rootly_on_call_role")?;
    Some(source.and_then(|source| {
        let mut state = OnCallRoleState {
            id: Value::Value(source.id("on-call role", IMPORT_FORMATS)?),
            name: source.string("name")?,
            slug: source.string("slug")?,
            system_role: source.string("system_role")?,
            ..Default::default()
        };
        for (family, value) in state.families_mut() {
            *value = source.string_set(family)?;
        }
        Ok(state)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendors::rootly::source_provider::moved as from;
    use serde_json::{json, Value as Json};

    #[test]
    fn validation_names_attribute_and_allowed_values() {
        let mut diags = Diagnostics::default();
        OnCallRoleResource::validate(
            &mut diags,
            &OnCallRoleState {
                name: Value::Value("x".into()),
                contacts_permissions: string_set(&["create".into()]),
                schedule_override_permissions: string_set(&["read".into()]),
                on_call_readiness_report_permissions: string_set(&["update".into()]),
                alerts_permissions: string_set(&["delete".into()]),
                ..Default::default()
            },
        );
        let text = crate::framework::test_vendor::errors(&diags);
        assert_eq!(text.len(), 3, "{text:?}");
        assert!(text
            .iter()
            .any(|t| t.contains("contacts_permissions") && t.contains("\"read\"")));
        assert!(text
            .iter()
            .any(|t| t.contains("schedule_override_permissions")
                && t.contains("\"create\", \"update\"")));
    }

    #[test]
    fn plan_defaults_families_from_the_config() {
        let config = OnCallRoleState {
            name: Value::Value("ops".into()),
            alerts_permissions: string_set(&["read".into()]),
            ..Default::default()
        };
        let plan = planned(&config, None);
        assert!(plan.id.is_unknown() && plan.slug.is_unknown());
        assert_eq!(plan.webhooks_permissions, Value::Value(vec![]));
        let prior = OnCallRoleState {
            id: Value::Value("u".into()),
            slug: Value::Value("ops".into()),
            system_role: Value::Value("custom".into()),
            ..plan.clone()
        };
        let again = planned(&config, Some(&prior));
        assert_eq!(again.id, prior.id);
        assert_eq!(again.slug, prior.slug);
        let renamed = OnCallRoleState {
            name: Value::Value("ops2".into()),
            ..config
        };
        assert!(planned(&renamed, Some(&prior)).slug.is_unknown());
    }

    const UUID: &str = "91b7d512-7444-4978-8350-7492b18ec2ad";

    /// A state as the vendor's provider (terraform-plugin-sdk v2) stores it.
    fn stored() -> Json {
        json!({
            "id": UUID,
            "name": "Responders",
            "slug": "responders",
            "system_role": "custom",
            "alerts_permissions": ["update", "read", "create"],
            "schedules_permissions": ["read"],
            "webhooks_permissions": [],
        })
    }

    #[test]
    fn the_vendors_state_maps_attribute_by_attribute() {
        let moved = from(
            "registry.terraform.io/rootlyhq/rootly",
            SOURCE_TYPE,
            stored(),
        );
        let state = from_rootly_provider(&moved).unwrap().unwrap();
        assert_eq!(state.id, Value::Value(UUID.into()));
        assert_eq!(state.name, Value::Value("Responders".into()));
        assert_eq!(state.slug, Value::Value("responders".into()));
        assert_eq!(state.system_role, Value::Value("custom".into()));
        let set =
            |items: &[&str]| string_set(&items.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(state.alerts_permissions, set(&["create", "read", "update"]));
        assert_eq!(state.schedules_permissions, set(&["read"]));
        assert_eq!(state.webhooks_permissions, set(&[]));
        // Not stored by that provider version: read by the next refresh.
        assert_eq!(state.catalogs_permissions, Value::Null);
    }

    #[test]
    fn other_types_and_providers_are_not_taken() {
        for (provider, type_name) in [
            (
                "registry.terraform.io/rootlyhq/rootly",
                "rootly_user_on_call_role",
            ),
            ("registry.terraform.io/rootlyhq/rootly", "rootly_role"),
            ("registry.terraform.io/other/rootly", SOURCE_TYPE),
        ] {
            assert!(from_rootly_provider(&from(provider, type_name, stored())).is_none());
        }
    }

    #[test]
    fn a_state_without_id_is_refused_with_the_way_out() {
        let mut state = stored();
        state.as_object_mut().unwrap().remove("id");
        let moved = from("registry.terraform.io/rootlyhq/rootly", SOURCE_TYPE, state);
        let err = from_rootly_provider(&moved).unwrap().unwrap_err();
        assert!(err.contains("rootly_on_call_role has no id"), "{err}");
        assert!(
            err.contains("terraform import rbac_rootly_on_call_role.x"),
            "{err}"
        );
        let mut state = stored();
        state["alerts_permissions"] = json!("read");
        let moved = from("registry.terraform.io/rootlyhq/rootly", SOURCE_TYPE, state);
        let err = from_rootly_provider(&moved).unwrap().unwrap_err();
        assert!(err.contains("alerts_permissions is a string"), "{err}");
    }
}
