//! `rbac_rootly_on_call_role`: a custom Rootly on-call role and its
//! permission sets.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use super::api::{ListFilters, OnCallRole, RoleAttributes, RootlyClient, PERMISSION_FAMILIES};
use super::config::ProviderData;
use super::families::{family_description, with_permission_families};
use crate::framework::diag::vendor_error;
use crate::framework::plan::{known_string_set, string_set, use_state_for_unknown};
use crate::framework::schema::{schema, set_of, string, AttributeBuilder};
use crate::framework::timeouts::{self, has_timeouts, Op, ResourceTimeouts};
use crate::framework::validate::string_set_one_of;

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

/// The resource; it talks to Rootly only through [`RootlyClient`].
pub struct OnCallRoleResource {
    provider: Arc<ProviderData>,
}

impl OnCallRoleResource {
    pub fn new(provider: Arc<ProviderData>) -> Self {
        Self { provider }
    }

    /// The schema; its descriptions are the published documentation.
    pub fn schema() -> Schema {
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

    fn client(&self, diags: &mut Diagnostics) -> Option<RootlyClient> {
        self.provider.client_or_report(diags)
    }
}

/// Plan-time checks: exactly the vendor's allowed values per family.
pub fn validate_role(diags: &mut Diagnostics, config: &OnCallRoleState) {
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

/// The planned state. Unset families default to empty sets, taken from the
/// configuration: for a removed optional+computed attribute Terraform
/// proposes the prior value, yet the user asked for the default back.
fn plan(config: &OnCallRoleState, prior: Option<&OnCallRoleState>) -> OnCallRoleState {
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
            // (vendors/rootly.md): leave it to the server then.
            planned.slug = if config.name == prior.name {
                prior.slug.clone()
            } else {
                Value::Unknown
            };
        }
    }
    planned
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

fn role_id(diags: &mut Diagnostics, state: &OnCallRoleState) -> Option<String> {
    let id = state
        .id
        .as_ref_option()
        .filter(|id| !id.is_empty())
        .cloned();
    if id.is_none() {
        diags.root_error_short("the Rootly on-call role has no ID in state");
    }
    id
}

/// By UUID or slug: the API's `{id}` takes both (partly verified), with
/// `filter[slug]` as a fallback for a slug.
async fn find_role(
    client: &RootlyClient,
    key: &str,
) -> Result<Option<OnCallRole>, super::RootlyError> {
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

#[async_trait]
impl Resource for OnCallRoleResource {
    type State<'a> = OnCallRoleState;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Self::schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: OnCallRoleState) -> Option<()> {
        config.timeouts.validate(diags);
        validate_role(diags, &config);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: OnCallRoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(OnCallRoleState, ValueEmpty)> {
        state.timeouts.clone().run_with_state(Op::Read, diags, async |diags| {
            let id = role_id(diags, &state)?;
            let Some(client) = self.client(diags) else {
                return Some((state, ValueEmpty::default()));
            };
            match client.read_role(&id).await {
                Ok(Some(role)) => Some((state_from(&role), ValueEmpty::default())),
                Ok(None) => {
                    tracing::warn!(%id, "Rootly on-call role not found; removing it from state");
                    None
                }
                Err(err) => {
                    vendor_error(diags, format!("reading Rootly on-call role {id}"), &err);
                    Some((state, ValueEmpty::default()))
                }
            }
        }).await
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        _proposed: OnCallRoleState,
        config: OnCallRoleState,
        _meta: ValueEmpty,
    ) -> Option<(OnCallRoleState, ValueEmpty)> {
        self.provider.client_at_plan(diags)?;
        Some((plan(&config, None), ValueEmpty::default()))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: OnCallRoleState,
        _proposed: OnCallRoleState,
        config: OnCallRoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(OnCallRoleState, ValueEmpty, Vec<AttributePath>)> {
        self.provider.client_at_plan(diags)?;
        Some((plan(&config, Some(&prior)), ValueEmpty::default(), vec![]))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: OnCallRoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<ValueEmpty> {
        Some(ValueEmpty::default())
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: OnCallRoleState,
        _config: OnCallRoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(OnCallRoleState, ValueEmpty)> {
        planned.timeouts.clone().run_with_state(Op::Create, diags, async |diags| {
            let client = self.client(diags)?;
            let Some(attrs) = attributes(&planned) else {
                diags.root_error_short("name and every permission set must be known to create a role");
                return None;
            };
            let name = attrs.name.clone().unwrap_or_default();
            match client.create_role(&attrs).await {
                Ok(role) => {
                    tracing::info!(id = %role.id, slug = %role.slug, "created Rootly on-call role");
                    Some((state_from(&role), ValueEmpty::default()))
                }
                Err(err) => {
                    vendor_error(
                        diags,
                        format!("creating Rootly on-call role {name:?}"),
                        &err,
                    );
                    None
                }
            }
        }).await
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: OnCallRoleState,
        planned: OnCallRoleState,
        _config: OnCallRoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(OnCallRoleState, ValueEmpty)> {
        planned
            .timeouts
            .clone()
            .run_with_state(Op::Update, diags, async |diags| {
                let client = self.client(diags)?;
                let id = role_id(diags, &prior)?;
                let Some(attrs) = attributes(&planned) else {
                    diags.root_error_short(
                        "name and every permission set must be known to update a role",
                    );
                    return None;
                };
                match client.update_role(&id, &attrs).await {
                    Ok(role) => Some((state_from(&role), ValueEmpty::default())),
                    Err(err) => {
                        vendor_error(diags, format!("updating Rootly on-call role {id}"), &err);
                        None
                    }
                }
            })
            .await
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: OnCallRoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<()> {
        prior
            .timeouts
            .clone()
            .run(Op::Delete, diags, async |diags| {
                let client = self.client(diags)?;
                let id = role_id(diags, &prior)?;
                match client.delete_role(&id).await {
                    Ok(()) => Some(()),
                    Err(err) if err.is_not_found() => {
                        tracing::info!(%id, "Rootly on-call role already deleted");
                        Some(())
                    }
                    Err(err) => {
                        vendor_error(diags, format!("deleting Rootly on-call role {id}"), &err);
                        None
                    }
                }
            })
            .await
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(OnCallRoleState, ValueEmpty)> {
        let client = self.client(diags)?;
        let key = id.trim();
        let formats = "Import takes the role's UUID (terraform import rbac_rootly_on_call_role.x \
                       91b7d512-7444-4978-8350-7492b18ec2ad) or its slug (terraform import \
                       rbac_rootly_on_call_role.x infrastructure); list them with the \
                       `rbac_rootly_on_call_roles` data source.";
        match find_role(&client, key).await {
            // Built-in roles (`admin`, `user`, `observer`, `no_access`) cannot
            // be renamed or deleted (vendors/rootly.md, `system_role`): once
            // imported, every plan would propose changes that fail with 422.
            Ok(Some(role)) if role.system_role != "custom" => {
                diags.root_error(
                    format!("Cannot import Rootly on-call role {key:?}: it is a built-in role"),
                    format!(
                        "{:?} (slug {:?}, system_role {:?}) is one of Rootly's built-in on-call roles: it cannot \
                         be renamed or deleted, so Terraform cannot manage it. Reference it with the \
                         `rbac_rootly_on_call_role` data source instead (data \"rbac_rootly_on_call_role\" \"x\" \
                         {{ slug = {:?} }}).",
                        role.name, role.slug, role.system_role, role.slug
                    ),
                );
                None
            }
            Ok(Some(role)) => Some((state_from(&role), ValueEmpty::default())),
            Ok(None) => {
                diags.root_error(
                    format!("Cannot import Rootly on-call role {key:?}: no such role"),
                    format!("No on-call role has this UUID or slug. {formats}"),
                );
                None
            }
            Err(err) => {
                vendor_error(
                    diags,
                    format!("importing Rootly on-call role {key:?}"),
                    &err,
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::schema::assert_state_matches_schema;

    #[test]
    fn state_matches_schema() {
        assert_state_matches_schema::<OnCallRoleState>(&OnCallRoleResource::schema());
        assert_eq!(OnCallRoleState::default().families().len(), 24);
        for ((a, _), (b, _)) in OnCallRoleState::default()
            .families()
            .iter()
            .zip(PERMISSION_FAMILIES)
        {
            assert_eq!(*a, b);
        }
    }

    #[test]
    fn plan_defaults_families_from_the_config() {
        let config = OnCallRoleState {
            name: Value::Value("ops".into()),
            alerts_permissions: string_set(&["read".into()]),
            ..Default::default()
        };
        let planned = plan(&config, None);
        assert!(planned.id.is_unknown() && planned.slug.is_unknown());
        assert_eq!(planned.webhooks_permissions, Value::Value(vec![]));
        let prior = OnCallRoleState {
            id: Value::Value("u".into()),
            slug: Value::Value("ops".into()),
            system_role: Value::Value("custom".into()),
            ..planned.clone()
        };
        let again = plan(&config, Some(&prior));
        assert_eq!(again.id, prior.id);
        assert_eq!(again.slug, prior.slug);
        let renamed = OnCallRoleState {
            name: Value::Value("ops2".into()),
            ..config
        };
        assert!(plan(&renamed, Some(&prior)).slug.is_unknown());
    }

    #[test]
    fn validation_names_attribute_and_allowed_values() {
        let mut diags = Diagnostics::default();
        validate_role(
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
        let text: Vec<String> = diags
            .errors
            .iter()
            .map(|d| format!("{} {}", d.summary, d.detail))
            .collect();
        assert_eq!(text.len(), 3, "{text:?}");
        assert!(text
            .iter()
            .any(|t| t.contains("contacts_permissions") && t.contains("\"read\"")));
        assert!(text
            .iter()
            .any(|t| t.contains("schedule_override_permissions")
                && t.contains("\"create\", \"update\"")));
    }
}
