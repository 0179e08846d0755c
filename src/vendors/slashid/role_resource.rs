//! `rbac_slashid_role`: a SlashID RBAC role, its description and permission set.
//!
//! The user writes the short name; SlashID stores `{org_id}/{name}`
//! (vendors/slashid.md, "Name rules"). The full name is the Terraform ID and
//! the computed `full_name`. The role's ETag is kept in private state and
//! sent as `If-Match` on updates.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use super::api::{Created, Role, RoleCreate, RolePatch, SlashidClient};
use super::config::ProviderData;
use super::names::{validate_permission_name, validate_role_name};
use super::written::Written;
use super::SlashidError;
use crate::framework::diag::vendor_error;
use crate::framework::plan::{default_if_null, known_string_set, requires_replace, string_set};
use crate::framework::schema::{schema, set_of, string};
use crate::framework::timeouts::{self, has_timeouts, Op, ResourceTimeouts};
use crate::framework::ValueStringSet;

/// Private state: the last ETag (sent as `If-Match`) and when this
/// provider created the role (see [`super::written`]: a 404 right after a
/// create is not a deletion). A write costs one request: SlashID's 204
/// carries nothing, and the state is the plan.
type Private = Written;

/// Terraform state of `rbac_slashid_role`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleState {
    pub id: Value<String>,
    pub name: Value<String>,
    pub full_name: Value<String>,
    pub description: Value<String>,
    pub permissions: ValueStringSet,
    pub generation: Value<String>,
    pub timeouts: ResourceTimeouts,
}
has_timeouts!(RoleState);

/// The resource; it talks to SlashID only through [`SlashidClient`].
pub struct RoleResource {
    provider: Arc<ProviderData>,
}

impl RoleResource {
    pub fn new(provider: Arc<ProviderData>) -> Self {
        Self { provider }
    }

    /// The schema; its descriptions are the published documentation.
    pub fn schema() -> Schema {
        schema(
            "A SlashID RBAC role: a named set of permissions that can be given to persons (see \
             `rbac_slashid_person_roles`).",
            vec![
                ("id", string().computed().description("The full role name, `<org_id>/<name>`.")),
                (
                    "name",
                    string().required().description(
                        "Role name without the organization prefix: 2–100 characters, letters, digits and \
                         `- _ . :`, starting and ending with a letter or digit; unique and case-sensitive. The \
                         provider adds the `<org_id>/` prefix SlashID requires. Changing it replaces the role \
                         (SlashID cannot rename).",
                    ),
                ),
                ("full_name", string().computed().description("The name as SlashID stores it, `<org_id>/<name>`.")),
                (
                    "description",
                    string().optional_computed().description("Description. Defaults to `\"\"`. Updated in place."),
                ),
                (
                    "permissions",
                    set_of(AttributeType::String).optional_computed().description(
                        "Names of the permissions the role grants; they must exist (reference \
                         `rbac_slashid_permission` resources so they are created first). This is the role's whole \
                         set: permissions not listed are removed. Defaults to none. Updated in place.",
                    ),
                ),
                ("generation", string().computed().description(GENERATION_DOC)),
            ],
            vec![timeouts::resource_block()],
        )
    }

    fn client(&self, diags: &mut Diagnostics) -> Option<SlashidClient> {
        self.provider.client_or_report(diags)
    }
}

const GENERATION_DOC: &str =
    "A random value that changes each time Terraform creates this role (a replacement, a re-creation after \
     drift), while `id` and `name` stay the same. SlashID revokes a deleted role from every person, so list \
     it in `rbac_slashid_person_roles.role_generations`: Terraform then grants a replaced role again in the \
     same apply.";

/// A fresh [`RoleState::generation`]: SlashID identifies roles by name
/// only and its `created` has one-second resolution, so a marker of our
/// own tells a re-created role from the one it replaced (issue 14).
fn new_generation() -> Value<String> {
    Value::Value(format!("{:016x}", rand::random::<u64>()))
}

/// Plan-time checks.
pub fn validate_role(diags: &mut Diagnostics, config: &RoleState) {
    validate_role_name(diags, AttributePath::new("name"), &config.name);
    if let Value::Value(items) = &config.permissions {
        for item in items {
            validate_permission_name(diags, AttributePath::new("permissions"), item);
        }
    }
}

/// `client` is `None` while the provider configuration (the organization)
/// is unknown: the full name is then known only after apply.
fn plan(client: Option<&SlashidClient>, config: RoleState, prior: Option<&RoleState>) -> RoleState {
    let full_name = match (&config.name, client) {
        (Value::Value(short), Some(client)) => Value::Value(client.full_role_name(short)),
        (Value::Value(_), None) => Value::Unknown,
        (_, _) => prior.map(|p| p.full_name.clone()).unwrap_or(Value::Unknown),
    };
    RoleState {
        id: full_name.clone(),
        full_name,
        name: config.name,
        description: default_if_null(config.description, String::new()),
        permissions: default_if_null(config.permissions, Vec::new()),
        // Unknown on (re-)create, so dependents that reference it re-apply.
        generation: prior.map_or(Value::Unknown, |p| p.generation.clone()),
        timeouts: config.timeouts,
    }
}

/// The state for a role read from SlashID.
pub fn state_from(client: &SlashidClient, role: &Role) -> RoleState {
    let short = client.short_role_name(&role.name).unwrap_or(&role.name);
    RoleState {
        id: Value::Value(role.name.clone()),
        name: Value::Value(short.to_string()),
        full_name: Value::Value(role.name.clone()),
        description: Value::Value(role.description.clone().unwrap_or_default()),
        permissions: string_set(&role.permissions),
        generation: new_generation(),
        timeouts: Default::default(),
    }
}

/// [`state_from`], keeping the generation `known` had (a role read again
/// is the same role).
fn state_keeping(client: &SlashidClient, role: &Role, known: &RoleState) -> RoleState {
    let mut state = state_from(client, role);
    if let Value::Value(g) = &known.generation {
        state.generation = Value::Value(g.clone());
    }
    state
}

/// Whether `role` has the description and permission set asked for.
fn matches(role: &Role, description: &str, permissions: &[String]) -> bool {
    let mut have = role.permissions.clone();
    have.sort_unstable();
    have.dedup();
    role.description.as_deref().unwrap_or_default() == description && have == permissions
}

fn already_exists(diags: &mut Diagnostics, full_name: &str, short: &str, detail: &str) {
    diags.error(
        format!("A SlashID role named {full_name:?} already exists"),
        format!(
            "{detail} Terraform did not create it, so it will not adopt it silently.\n\n{}",
            crate::vendors::conflict::name_taken(
                "SlashID role",
                short,
                &format!("terraform import <resource address> {short}"),
                "",
            )
        ),
        AttributePath::new("name"),
    );
}

fn report_write_error(diags: &mut Diagnostics, doing: &str, name: &str, err: &SlashidError) {
    if err.is_precondition_failed() {
        diags.root_error(
            format!("SlashID role {name:?} changed outside Terraform"),
            format!(
                "SlashID refused the write (HTTP 412): the role changed since Terraform last read it. \
                 Refresh and retry (terraform apply, without -refresh=false), and review the plan.\n\n\
                 SlashID said: {err}"
            ),
        );
    } else {
        vendor_error(diags, format!("{doing} SlashID role {name:?}"), err);
    }
}

#[async_trait]
impl Resource for RoleResource {
    type State<'a> = RoleState;
    type PrivateState<'a> = Private;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Self::schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: RoleState) -> Option<()> {
        config.timeouts.validate(diags);
        validate_role(diags, &config);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: RoleState,
        private: Private,
        _meta: ValueEmpty,
    ) -> Option<(RoleState, Private)> {
        state.timeouts.clone().run_with_state(Op::Read, diags, async |diags| {
            let full_name = state.id.as_ref_option()?.clone();
            let Some(client) = self.client(diags) else {
                return Some((state, private));
            };
            match client.get_role(&full_name).await {
                Ok((role, etag)) => Some((
                    state_keeping(&client, &role, &state),
                    private.clone().with_etag(etag),
                )),
                Err(err)
                    if err.is_not_found()
                        && private.may_be_invisible(client.visibility_window()) =>
                {
                    tracing::info!(%full_name, "SlashID role created moments ago is not visible yet; keeping it");
                    Some((state, private))
                }
                Err(err) if err.is_not_found() => {
                    tracing::warn!(%full_name, "SlashID role not found; removing it from state");
                    None
                }
                Err(err) => {
                    vendor_error(diags, format!("reading SlashID role {full_name:?}"), &err);
                    Some((state, private))
                }
            }
        }).await
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        _proposed: RoleState,
        config: RoleState,
        _meta: ValueEmpty,
    ) -> Option<(RoleState, Private)> {
        let client = self.provider.client_at_plan(diags)?;
        Some((plan(client.as_ref(), config, None), Written::default()))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: RoleState,
        _proposed: RoleState,
        config: RoleState,
        private: Private,
        _meta: ValueEmpty,
    ) -> Option<(RoleState, Private, Vec<AttributePath>)> {
        let client = self.provider.client_at_plan(diags)?;
        // SlashID cannot rename: a new name is a new role.
        let replace = requires_replace(&[("name", prior.name != config.name)]);
        Some((
            plan(client.as_ref(), config, Some(&prior)),
            private,
            replace,
        ))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: RoleState,
        private: Private,
        _meta: ValueEmpty,
    ) -> Option<Private> {
        Some(private)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: RoleState,
        _config: RoleState,
        _private: Private,
        _meta: ValueEmpty,
    ) -> Option<(RoleState, Private)> {
        planned
            .timeouts
            .clone()
            .run_with_state(Op::Create, diags, async |diags| {
                let client = self.client(diags)?;
                let short = planned.name.as_ref_option()?.clone();
                let Some(permissions) = known_string_set(&planned.permissions) else {
                    diags.root_error_short("permissions must be known to create a role");
                    return None;
                };
                let description = planned
                    .description
                    .as_ref_option()
                    .cloned()
                    .unwrap_or_default();
                let body = RoleCreate {
                    name: client.full_role_name(&short),
                    description: Some(description.clone()),
                    permissions: permissions.clone(),
                };
                let full = &body.name;
                match client.create_role_settled(&body).await {
                    Ok(Created::Done) => {
                        tracing::info!(%full, "created SlashID role");
                        let state = RoleState {
                            id: Value::Value(full.clone()),
                            full_name: Value::Value(full.clone()),
                            description: Value::Value(description),
                            permissions: string_set(&permissions),
                            generation: new_generation(),
                            ..planned.clone()
                        };
                        Some((state, Written::created_now()))
                    }
                    Ok(Created::Conflict(err)) => {
                        already_exists(
                            diags,
                            full,
                            &short,
                            &format!("SlashID refused the create: {err}."),
                        );
                        None
                    }
                    Err(err) => {
                        vendor_error(diags, format!("creating SlashID role {full:?}"), &err);
                        None
                    }
                }
            })
            .await
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: RoleState,
        planned: RoleState,
        _config: RoleState,
        private: Private,
        _meta: ValueEmpty,
    ) -> Option<(RoleState, Private)> {
        planned.timeouts.clone().run_with_state(Op::Update, diags, async |diags| {
            let client = self.client(diags)?;
            let full = prior.id.as_ref_option()?.clone();
            let Some(permissions) = known_string_set(&planned.permissions) else {
                diags.root_error_short("permissions must be known to update a role");
                return None;
            };
            let description = planned
                .description
                .as_ref_option()
                .cloned()
                .unwrap_or_default();
            // Always the whole set: PATCH's add-or-replace is unverified.
            let body = RolePatch {
                description: Some(description.clone()),
                permissions: permissions.clone(),
            };
            let window = client.visibility_window();
            let sent = private
                .until_visible(window, || {
                    client.update_role(&full, &body, private.etag.as_deref())
                })
                .await;
            let err = match sent {
                Ok(()) => {
                    let state = RoleState {
                        description: Value::Value(description),
                        permissions: string_set(&permissions),
                        generation: prior.generation.clone(),
                        ..planned.clone()
                    };
                    return Some((state, private.clone().rewritten()));
                }
                // A 412 may be our own update landing: when its answer was
                // lost, the HTTP core's retry carries the old If-Match. The
                // read-back below tells that apart from an outside change.
                Err(err) if !err.is_ambiguous() && !err.is_precondition_failed() => {
                    report_write_error(diags, "updating", &full, &err);
                    return None;
                }
                Err(err) => err,
            };
            // A 408 ("it may still be handled"), a lost answer or a 412: only
            // then is the role read back, to see whether the update landed.
            tracing::warn!(%full, error = %err, "update outcome unknown; reading the role back");
            match client.read_back_role(&full).await {
                Ok((role, etag)) if matches(&role, &description, &permissions) => {
                    Some((state_keeping(&client, &role, &prior), private.clone().with_etag(etag)))
                }
                Ok(_) if err.is_precondition_failed() => {
                    report_write_error(diags, "updating", &full, &err);
                    None
                }
                Ok((role, etag)) => {
                    diags.root_error(
                        format!("SlashID role {full:?} was not updated"),
                        "The role read back differs from what was sent; the write may still be replicating. \
                         Run terraform apply again.",
                    );
                    Some((state_keeping(&client, &role, &prior), private.clone().with_etag(etag)))
                }
                Err(read_err) => {
                    vendor_error(diags, format!("updating SlashID role {full:?}"), &err);
                    tracing::warn!(%full, error = %read_err, "reading the role back failed too");
                    None
                }
            }
        }).await
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: RoleState,
        private: Private,
        _meta: ValueEmpty,
    ) -> Option<()> {
        prior
            .timeouts
            .clone()
            .run(Op::Delete, diags, async |diags| {
                let client = self.client(diags)?;
                let full = prior.id.as_ref_option()?.clone();
                let deleted = private
                    .until_visible(client.visibility_window(), || client.delete_role(&full))
                    .await;
                match deleted {
                    Ok(()) => Some(()),
                    Err(err) if err.is_not_found() => Some(()),
                    Err(err)
                        if err.is_ambiguous()
                            && matches!(client.get_role(&full).await, Err(e) if e.is_not_found()) =>
                    {
                        Some(())
                    }
                    Err(err) => {
                        report_write_error(diags, "deleting", &full, &err);
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
    ) -> Option<(RoleState, Private)> {
        let client = self.client(diags)?;
        let id = id.trim();
        let full = match id.split_once('/') {
            None => client.full_role_name(id),
            Some(_) if client.short_role_name(id).is_some() => id.to_string(),
            // The organization ID in another letter case: the same
            // organization; SlashID's names carry its canonical spelling.
            Some((org, short)) if org.eq_ignore_ascii_case(client.org_id()) => {
                client.full_role_name(short)
            }
            // Short names hold no `/` (the vendor's name regex), so this is
            // another organization's full name.
            Some((org, short)) => {
                diags.root_error(
                    format!("Cannot import SlashID role {id:?}: it belongs to another organization"),
                    format!(
                        "The prefix {org:?} is not this provider's organization ({}). Import takes the short \
                         name (terraform import rbac_slashid_role.x {short}) or the full name in this \
                         organization (terraform import rbac_slashid_role.x {}/{short}); to manage roles of \
                         organization {org:?}, configure a provider with that org_id.",
                        client.org_id(),
                        client.org_id()
                    ),
                );
                return None;
            }
        };
        match client.get_role(&full).await {
            Ok((role, etag)) => Some((
                state_from(&client, &role),
                Written::default().with_etag(etag),
            )),
            Err(err) if err.is_not_found() => {
                diags.root_error(
                    format!("Cannot import SlashID role {id:?}: no such role"),
                    format!(
                        "No role {full:?} in organization {}. Import takes the short name \
                         (terraform import rbac_slashid_role.x billing-viewer) or the full name \
                         (terraform import rbac_slashid_role.x {}/billing-viewer).",
                        client.org_id(),
                        client.org_id()
                    ),
                );
                None
            }
            Err(err) => {
                vendor_error(diags, format!("importing SlashID role {full:?}"), &err);
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
    fn slashid_role_state_matches_schema() {
        assert_state_matches_schema::<RoleState>(&RoleResource::schema());
    }

    #[test]
    fn slashid_role_validation_names_attribute_and_limit() {
        let mut diags = Diagnostics::default();
        validate_role(
            &mut diags,
            &RoleState {
                name: Value::Value("org/x".into()),
                permissions: Value::Value(vec![Value::Value("é".into())]),
                ..Default::default()
            },
        );
        assert_eq!(diags.errors.len(), 2, "{:?}", diags.errors);
        assert!(diags.errors[0].summary.contains("name"));
        assert!(diags.errors[1].detail.contains("between 2 and 1024"));
    }
}
