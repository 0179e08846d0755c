//! `rbac_slashid_permission`: a SlashID RBAC permission (name and description).

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use super::api::{Created, Permission, PermissionCreate, PermissionPatch, SlashidClient};
use super::names::validate_permission_name;
use super::written::Written;
use super::SlashidError;
use crate::framework::diag::vendor_error;
use crate::framework::plan::{default_if_null, requires_replace};
use crate::framework::schema::{schema, string};
use crate::provider::ProviderData;

/// Terraform state of `rbac_slashid_permission`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PermissionState {
    pub id: Value<String>,
    pub name: Value<String>,
    pub description: Value<String>,
}

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
             permissions from roles (Terraform then deletes the roles first).",
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
            vec![],
        )
    }

    fn client(&self, diags: &mut Diagnostics) -> Option<SlashidClient> {
        self.provider.slashid().map_err(|e| e.report(diags)).ok()
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
    }
}

/// The state Terraform records for a permission read from SlashID.
pub fn state_from(p: &Permission) -> PermissionState {
    PermissionState {
        id: Value::Value(p.name.clone()),
        name: Value::Value(p.name.clone()),
        description: Value::Value(p.description.clone().unwrap_or_default()),
    }
}

fn already_exists(diags: &mut Diagnostics, name: &str, detail: &str) {
    diags.error(
        format!("A SlashID permission named {name:?} already exists"),
        format!(
            "{detail} Terraform did not create it, so it will not adopt it silently. To manage it with \
             Terraform, import it:\n  terraform import <resource address> {name}\nor choose another name."
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
) -> Option<PermissionState> {
    let name = &body.name;
    match client.create_permission_settled(body).await {
        Ok(Created::Done) => Some(PermissionState {
            id: Value::Value(name.clone()),
            name: Value::Value(name.clone()),
            description: Value::Value(body.description.clone().unwrap_or_default()),
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
        let name = state.id.as_ref_option()?.clone();
        let Some(client) = self.client(diags) else {
            return Some((state, private));
        };
        match client.get_permission(&name).await {
            Ok(p) => Some((state_from(&p), private)),
            Err(err)
                if err.is_not_found() && private.may_be_invisible(client.visibility_window()) =>
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
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        _proposed: PermissionState,
        config: PermissionState,
        _meta: ValueEmpty,
    ) -> Option<(PermissionState, Written)> {
        self.client(diags)?;
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
        self.client(diags)?;
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
        let state = create(diags, &client, &body).await?;
        tracing::info!(name = %body.name, "created SlashID permission");
        Some((state, Written::created_now()))
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
                    ..planned
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
                Some((state_from(&p), private))
            }
            Ok(p) => {
                diags.root_error(
                    format!("SlashID permission {name:?} was not updated"),
                    "The description read back differs from the one sent; the write may still be replicating. \
                     Run terraform apply again.",
                );
                Some((state_from(&p), private))
            }
            Err(read_err) => {
                vendor_error(diags, format!("updating SlashID permission {name:?}"), &err);
                tracing::warn!(%name, error = %read_err, "reading the permission back failed too");
                None
            }
        }
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: PermissionState,
        private: Written,
        _meta: ValueEmpty,
    ) -> Option<()> {
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
                format!(
                    "Still included in role(s) {}. Remove it from their `permissions` (or reference this \
                     permission from them so Terraform orders the change), then apply again.\n\nSlashID said: {err}",
                    holders.join(", ")
                ),
            );
            return None;
        }
        report_write_error(diags, "deleting", &name, &err);
        None
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
