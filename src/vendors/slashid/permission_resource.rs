//! `rbac_slashid_permission`: a SlashID RBAC permission (name and description).

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use super::api::{Created, Permission, PermissionCreate, PermissionPatch, SlashidClient};
use super::config::ProviderData;
use super::names::validate_permission_name;
use super::written::Written;
use super::SlashidError;
use crate::framework::diag::vendor_error;
use crate::framework::plan::{default_if_null, requires_replace};
use crate::framework::schema::{schema, string};
use crate::framework::timeouts::{self, has_timeouts, Op, ResourceTimeouts};

/// Terraform state of `rbac_slashid_permission`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PermissionState {
    pub id: Value<String>,
    pub name: Value<String>,
    pub description: Value<String>,
    pub timeouts: ResourceTimeouts,
}
has_timeouts!(PermissionState);

/// The resource; it talks to SlashID only through [`SlashidClient`].
pub struct PermissionResource {
    provider: Arc<ProviderData>,
}

impl PermissionResource {
    pub fn new(provider: Arc<ProviderData>) -> Self {
        Self { provider }
    }

    /// The schema; its descriptions are the published documentation.
    pub fn schema() -> Schema {
        schema(
            "A SlashID RBAC permission, such as `billing.invoices.list`. Roles (`rbac_slashid_role`) grant \
             permissions; a permission cannot be deleted while a role still includes it, so reference \
             permissions from roles (Terraform then deletes the roles first), and give permissions that roles \
             grant `lifecycle { create_before_destroy = true }` so that a rename creates the new permission and \
             updates the roles before it deletes the old one.",
            vec![
                ("id", string().computed().description("The permission name (SlashID identifies permissions by name).")),
                (
                    "name",
                    string().required().description(
                        "Permission name, 2–1024 characters, unique and case-sensitive within the organization: \
                         letters, digits and `- _ . : / \\`, starting and ending with a letter or digit. Changing \
                         it replaces the permission (SlashID cannot rename).",
                    ),
                ),
                (
                    "description",
                    string().optional_computed().description("Description. Defaults to `\"\"`. Updated in place."),
                ),
            ],
            vec![timeouts::resource_block()],
        )
    }

    fn client(&self, diags: &mut Diagnostics) -> Option<SlashidClient> {
        self.provider.client_or_report(diags)
    }
}

/// Plan-time checks.
pub fn validate_permission(diags: &mut Diagnostics, config: &PermissionState) {
    validate_permission_name(diags, AttributePath::new("name"), &config.name);
}

fn plan(config: PermissionState) -> PermissionState {
    PermissionState {
        id: config.name.clone(),
        name: config.name,
        description: default_if_null(config.description, String::new()),
        timeouts: config.timeouts,
    }
}

/// The state Terraform records for a permission read from SlashID.
pub fn state_from(p: &Permission) -> PermissionState {
    PermissionState {
        id: Value::Value(p.name.clone()),
        name: Value::Value(p.name.clone()),
        description: Value::Value(p.description.clone().unwrap_or_default()),
        timeouts: Default::default(),
    }
}

fn already_exists(diags: &mut Diagnostics, name: &str, detail: &str) {
    diags.error(
        format!("A SlashID permission named {name:?} already exists"),
        format!(
            "{detail} Terraform did not create it, so it will not adopt it silently.\n\n{}",
            crate::vendors::conflict::name_taken(
                "SlashID permission",
                name,
                &format!("terraform import <resource address> {name}"),
                "",
            )
        ),
        AttributePath::new("name"),
    );
}

/// A delete refused because a role holds the permission is tried this many
/// times in all, waiting 250 ms, 0.5 s, 1 s, 2 s between (the holding role may
/// be being deleted by the same apply).
const IN_USE_ATTEMPTS: u32 = 5;
const IN_USE_FIRST_DELAY: std::time::Duration = std::time::Duration::from_millis(250);

/// Finds the roles that hold `permission`, to explain a refused delete.
/// Lists return names only, so the roles are read concurrently.
pub async fn roles_holding(client: &SlashidClient, permission: &str) -> Vec<String> {
    let Ok(names) = client.list_roles().await else {
        return vec![];
    };
    use futures::stream::{self, StreamExt};
    let roles: Vec<_> = stream::iter(names.into_iter().map(|n| {
        let client = client.clone();
        async move { client.get_role(&n).await }
    }))
    .buffered(super::data_sources::CONCURRENCY)
    .collect()
    .await;
    roles
        .into_iter()
        .filter_map(Result::ok)
        .filter(|(role, _)| role.permissions.iter().any(|p| p == permission))
        .map(|(role, _)| role.name)
        .collect()
}

/// Creates the permission: one request, the state is the plan (SlashID's
/// 204 carries nothing to read).
async fn create(
    diags: &mut Diagnostics,
    client: &SlashidClient,
    body: &PermissionCreate,
    planned: &PermissionState,
) -> Option<PermissionState> {
    let name = &body.name;
    match client.create_permission_settled(body).await {
        Ok(Created::Done) => Some(PermissionState {
            id: Value::Value(name.clone()),
            name: Value::Value(name.clone()),
            description: Value::Value(body.description.clone().unwrap_or_default()),
            ..planned.clone()
        }),
        Ok(Created::Conflict(err)) => {
            already_exists(diags, name, &format!("SlashID refused the create: {err}."));
            None
        }
        Err(err) => {
            vendor_error(diags, format!("creating SlashID permission {name:?}"), &err);
            None
        }
    }
}

#[async_trait]
impl Resource for PermissionResource {
    type State<'a> = PermissionState;
    type PrivateState<'a> = Written;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Self::schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: PermissionState) -> Option<()> {
        config.timeouts.validate(diags);
        validate_permission(diags, &config);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: PermissionState,
        private: Written,
        _meta: ValueEmpty,
    ) -> Option<(PermissionState, Written)> {
        state.timeouts.clone().run_with_state(Op::Read, diags, async |diags| {
            let name = state.id.as_ref_option()?.clone();
            let Some(client) = self.client(diags) else {
                return Some((state, private));
            };
            match client.get_permission(&name).await {
                Ok(p) => Some((state_from(&p), private)),
                Err(err)
                    if err.is_not_found()
                        && private.may_be_invisible(client.visibility_window()) =>
                {
                    tracing::info!(%name, "SlashID permission created moments ago is not visible yet; keeping it");
                    Some((state, private))
                }
                Err(err) if err.is_not_found() => {
                    tracing::warn!(%name, "SlashID permission not found; removing it from state");
                    None
                }
                Err(err) => {
                    vendor_error(diags, format!("reading SlashID permission {name:?}"), &err);
                    Some((state, private))
                }
            }
        }).await
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        _proposed: PermissionState,
        config: PermissionState,
        _meta: ValueEmpty,
    ) -> Option<(PermissionState, Written)> {
        self.provider.client_at_plan(diags)?;
        Some((plan(config), Written::default()))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: PermissionState,
        _proposed: PermissionState,
        config: PermissionState,
        private: Written,
        _meta: ValueEmpty,
    ) -> Option<(PermissionState, Written, Vec<AttributePath>)> {
        self.provider.client_at_plan(diags)?;
        // SlashID cannot rename: a new name is a new permission.
        let replace = requires_replace(&[("name", prior.name != config.name)]);
        Some((plan(config), private, replace))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: PermissionState,
        private: Written,
        _meta: ValueEmpty,
    ) -> Option<Written> {
        Some(private)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: PermissionState,
        _config: PermissionState,
        _private: Written,
        _meta: ValueEmpty,
    ) -> Option<(PermissionState, Written)> {
        planned
            .timeouts
            .clone()
            .run_with_state(Op::Create, diags, async |diags| {
                let client = self.client(diags)?;
                let body = PermissionCreate {
                    name: planned.name.as_ref_option()?.clone(),
                    description: Some(
                        planned
                            .description
                            .as_ref_option()
                            .cloned()
                            .unwrap_or_default(),
                    ),
                };
                let state = create(diags, &client, &body, &planned).await?;
                tracing::info!(name = %body.name, "created SlashID permission");
                Some((state, Written::created_now()))
            })
            .await
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: PermissionState,
        planned: PermissionState,
        _config: PermissionState,
        private: Written,
        _meta: ValueEmpty,
    ) -> Option<(PermissionState, Written)> {
        planned.timeouts.clone().run_with_state(Op::Update, diags, async |diags| {
            let client = self.client(diags)?;
            let name = prior.id.as_ref_option()?.clone();
            let description = planned
                .description
                .as_ref_option()
                .cloned()
                .unwrap_or_default();
            let body = PermissionPatch {
                description: Some(description.clone()),
            };
            // GET permission declares no ETag, so no If-Match is sent.
            let sent = private
                .until_visible(client.visibility_window(), || {
                    client.update_permission(&name, &body, None)
                })
                .await;
            let err = match sent {
                Ok(()) => {
                    let state = PermissionState {
                        description: Value::Value(description),
                        ..planned.clone()
                    };
                    return Some((state, private.rewritten()));
                }
                Err(err) if !err.is_ambiguous() => {
                    report_write_error(diags, "updating", &name, &err);
                    return None;
                }
                Err(err) => err,
            };
            // A 408 or a lost answer: only then is the permission read back.
            tracing::warn!(%name, error = %err, "update outcome unknown; reading the permission back");
            match client.read_back_permission(&name).await {
                Ok(p) if p.description.clone().unwrap_or_default() == description => {
                    Some((state_from(&p), private.clone()))
                }
                Ok(p) => {
                    diags.root_error(
                        format!("SlashID permission {name:?} was not updated"),
                        "The description read back differs from the one sent; the write may still be replicating. \
                         Run terraform apply again.",
                    );
                    Some((state_from(&p), private.clone()))
                }
                Err(read_err) => {
                    vendor_error(diags, format!("updating SlashID permission {name:?}"), &err);
                    tracing::warn!(%name, error = %read_err, "reading the permission back failed too");
                    None
                }
            }
        }).await
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: PermissionState,
        private: Written,
        _meta: ValueEmpty,
    ) -> Option<()> {
        prior.timeouts.clone().run(Op::Delete, diags, async |diags| {
            let client = self.client(diags)?;
            let name = prior.id.as_ref_option()?.clone();
            let window = client.visibility_window();
            let mut delay = IN_USE_FIRST_DELAY;
            let mut attempt = 1;
            let (err, holders) = loop {
                let deleted = private
                    .until_visible(window, || client.delete_permission(&name))
                    .await;
                let err = match deleted {
                    Ok(()) => return Some(()),
                    Err(err) if err.is_not_found() => return Some(()),
                    Err(err) => err,
                };
                if err.is_ambiguous()
                    && matches!(client.get_permission(&name).await, Err(e) if e.is_not_found())
                {
                    return Some(());
                }
                if !matches!(err.status(), Some(400 | 409)) {
                    break (err, Vec::new());
                }
                // Deleting a permission that a role includes is refused (status
                // **unverified**: 400 is declared, a 409 would fit too). The
                // role may be being deleted in this same apply (when the
                // configuration names the permission literally, Terraform does
                // not order the two): wait for it a little, then say which roles
                // still hold the permission.
                let holders = roles_holding(&client, &name).await;
                if attempt >= IN_USE_ATTEMPTS {
                    break (err, holders);
                }
                if !holders.is_empty() {
                    tracing::debug!(%name, ?holders, ?delay, "permission still held; retrying the delete");
                    tokio::time::sleep(delay).await;
                    delay *= 2;
                } else if attempt > 1 {
                    // Refused, yet no role holds it: not an in-use refusal.
                    break (err, holders);
                }
                attempt += 1;
            };
            if !holders.is_empty() {
                diags.root_error(
                    format!("Cannot delete SlashID permission {name:?}: a role still holds it"),
                    in_use_advice(&name, &holders, &err),
                );
                return None;
            }
            report_write_error(diags, "deleting", &name, &err);
            None
        }).await
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(PermissionState, Written)> {
        let client = self.client(diags)?;
        let name = id.trim();
        match client.get_permission(name).await {
            Ok(p) => Some((state_from(&p), Written::default())),
            Err(err) if err.is_not_found() => {
                diags.root_error(
                    format!("Cannot import SlashID permission {name:?}: no such permission"),
                    "Import takes the exact permission name, e.g. \
                     terraform import rbac_slashid_permission.x billing.invoices.list",
                );
                None
            }
            Err(err) => {
                vendor_error(
                    diags,
                    format!("importing SlashID permission {name:?}"),
                    &err,
                );
                None
            }
        }
    }
}

/// Why a delete refused because roles hold the permission cannot succeed,
/// and the fix for each situation that leads here. Terraform deletes a
/// replaced permission *before* it updates the roles that reference it
/// (destroy-then-create), and a provider cannot change that order; only
/// `create_before_destroy` on the permission does (issue 14).
fn in_use_advice(name: &str, holders: &[String], err: &SlashidError) -> String {
    format!(
        "SlashID refuses to delete a permission that a role includes, and role(s) {} still include \
         {name:?}.\n\n\
         - If Terraform is replacing this permission (a new name, or -replace) and those roles reference it: \
         Terraform deletes the old permission before it updates the roles. Add\n  lifecycle {{\n    \
         create_before_destroy = true\n  }}\nto this rbac_slashid_permission resource and apply again: the new \
         permission is created, the roles are updated, and {name:?} is deleted last, so nobody loses access. \
         (A -replace that keeps the name cannot work that way, since SlashID permission names are unique: \
         give it a new name, or take it out of the roles first.)\n\
         - Otherwise (the permission is being removed): take it out of those roles' `permissions` (or remove \
         those roles), then apply again.\n\nSlashID said: {err}",
        holders.join(", ")
    )
}

fn report_write_error(diags: &mut Diagnostics, doing: &str, name: &str, err: &SlashidError) {
    if err.is_precondition_failed() {
        diags.root_error(
            format!("SlashID permission {name:?} changed outside Terraform"),
            format!("SlashID refused the write because the permission changed since Terraform read it. Refresh (terraform apply -refresh-only) and retry.\n\nSlashID said: {err}"),
        );
    } else {
        vendor_error(diags, format!("{doing} SlashID permission {name:?}"), err);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::schema::assert_state_matches_schema;

    #[test]
    fn slashid_permission_state_matches_schema() {
        assert_state_matches_schema::<PermissionState>(&PermissionResource::schema());
    }

    #[test]
    fn slashid_permission_plan_defaults() {
        let planned = plan(PermissionState {
            name: Value::Value("a.b".into()),
            ..Default::default()
        });
        assert_eq!(planned.id, Value::Value("a.b".into()));
        assert_eq!(planned.description, Value::Value(String::new()));
    }
}
