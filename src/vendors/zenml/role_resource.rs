//! `rbac_zenml_role`: a custom ZenML Pro role of an organization, at the
//! workspace or project level. Its plan rules are in `role_resource/plan.rs`,
//! the conversions to and from ZenML's bodies in `convert.rs`, import by
//! UUID or name in `import.rs`, the advice for a taken name in
//! `name_taken.rs`, its checks and the settling of a lost create in
//! `rules.rs`.

mod convert;
mod import;
mod name_taken;
mod plan;
mod rules;

use crate::framework::tf::Schema;
use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::ZenmlClient;
use super::config::ZenmlSettings;
use super::ids::{failure, validate_uuid};
use crate::framework::resource::{
    state_id, Deleted, Failure, NewState, Outcome, Planned, Read, Refreshed, Removed, ResourceType,
};
use crate::framework::schema::{bool, schema, string};
use crate::framework::timeouts::{self, has_timeouts, ResourceTimeouts};
use crate::framework::validate::{string_length, string_one_of};
use crate::vendors::pending::{cannot_settle, is_pending, pending_id, settled, PendingCreate};

/// Private state: for a create left pending, what was there before it
/// (see [`crate::vendors::settle`]); `None` otherwise.
type Private = Option<PendingCreate>;
use crate::vendors::zenml::ZenmlError;
use convert::state_from;
use convert::{create_body, update_body};
use rules::refuse_built_in;

/// Limits of RoleCreate / RoleUpdate (docs/vendors/zenml.md, "RoleCreate / RoleUpdate").
pub const NAME_MAX: usize = 50;
pub const DESCRIPTION_MAX: usize = 256;
/// Levels a custom role can have: ZenML refuses `organization` for custom
/// roles (docs/vendors/zenml.md, "Role endpoints": `IllegalOperationError` if the
/// role "is an organization role").
pub const CUSTOM_LEVELS: [&str; 2] = ["workspace", "project"];
/// The default of RoleCreate's `type` (docs/vendors/zenml.md, "RoleCreate / RoleUpdate").
pub const DEFAULT_TYPE: &str = "normal";

/// Attributes that can appear in a FastAPI validation error of a role call.
const BODY_ATTRIBUTES: [&str; 5] = ["name", "description", "organization_id", "level", "type"];

/// Terraform state of `rbac_zenml_role`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleState {
    pub id: Value<String>,
    pub organization_id: Value<String>,
    pub level: Value<String>,
    pub name: Value<String>,
    pub description: Value<String>,
    #[serde(rename = "type")]
    pub role_type: Value<String>,
    pub system_managed: Value<bool>,
    pub timeouts: ResourceTimeouts,
}
has_timeouts!(RoleState);

/// The resource; [`crate::framework::resource::Adapter`] serves it to
/// Terraform, and it talks to ZenML only through [`ZenmlClient`].
pub struct RoleResource;

type Result<T> = Outcome<T, RoleState, Private>;

#[async_trait]
impl ResourceType for RoleResource {
    type Vendor = ZenmlSettings;
    type State = RoleState;
    type Private = Private;
    const TYPE_NAME: &'static str = "zenml_role";
    const KIND: &'static str = "ZenML role";

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema {
        schema(
            "A custom ZenML Pro role of an organization, at the workspace or project level. \
             Built-in roles (Admin, Editor, Viewer at each level) are system-managed and cannot be \
             managed: find them with the `rbac_zenml_roles` data source and grant them with \
             `rbac_zenml_role_assignment`.",
            vec![
                ("id", string().computed().description("The role's UUID, assigned by ZenML.")),
                (
                    "organization_id",
                    string().required().description(
                        "UUID of the organization that owns the role. Changing it replaces the role.",
                    ),
                ),
                (
                    "level",
                    string().required().description(
                        "Scope level: `workspace` or `project`. ZenML refuses `organization` for custom roles \
                         (only its built-in organization roles exist). Changing it replaces the role.",
                    ),
                ),
                (
                    "name",
                    string().optional().description(
                        "Display name, 1–50 characters. Renaming updates the role in place; removing it \
                         clears the name.",
                    ),
                ),
                (
                    "description",
                    string().optional().description(
                        "Description, 1–256 characters. Updated in place; removing it clears the description.",
                    ),
                ),
                (
                    "type",
                    string().optional_computed().description(
                        "Role type. Defaults to `normal`, the only value documented. Changing it replaces the role.",
                    ),
                ),
                (
                    "system_managed",
                    bool().computed().description(
                        "`true` for ZenML's built-in roles, which cannot be changed or deleted; always `false` \
                         for roles this resource manages.",
                    ),
                ),
            ],
            vec![timeouts::resource_block()],
        )
    }

    /// Plan-time checks, mirroring the vendor's documented limits.
    fn validate(diags: &mut Diagnostics, config: &RoleState) {
        validate_uuid(diags, "organization_id", &config.organization_id);
        if config.level.as_ref_option().map(String::as_str) == Some("organization") {
            diags.error(
                "Invalid value for level",
                "level = \"organization\" is not possible for a custom role: ZenML Pro refuses to create \
                 organization roles (IllegalOperationError: the role is an organization role). Use \
                 \"workspace\" or \"project\"; to grant organization-wide access, assign a built-in \
                 organization role (see the rbac_zenml_roles data source) with rbac_zenml_role_assignment.",
                AttributePath::new("level"),
            );
        } else {
            string_one_of(
                diags,
                AttributePath::new("level"),
                &config.level,
                &CUSTOM_LEVELS,
            );
        }
        string_length(
            diags,
            AttributePath::new("name"),
            &config.name,
            1,
            NAME_MAX,
            "ZenML's limit for role names",
        );
        string_length(
            diags,
            AttributePath::new("description"),
            &config.description,
            1,
            DESCRIPTION_MAX,
            "ZenML's limit for role descriptions",
        );
        if matches!(&config.role_type, Value::Value(t) if t.is_empty()) {
            diags.error(
                "Invalid value for type",
                "type must not be empty; leave it unset for \"normal\".",
                AttributePath::new("type"),
            );
        }
    }

    /// The ID, or the name (quoted) before the role has one (or while it
    /// is pending).
    fn label(state: &RoleState) -> String {
        crate::framework::resource::id_or_name(&state.id, &state.name)
    }

    async fn plan(
        &self,
        _: Option<&ZenmlClient>,
        config: RoleState,
        prior: Option<&RoleState>,
    ) -> Planned<Self> {
        let (planned, replace) = plan::plan(config, prior);
        match prior {
            Some(prior)
                if prior.system_managed == Value::Value(true)
                    && plan::changes(prior, &planned, &replace) =>
            {
                Err(refuse_built_in("change", prior))
            }
            _ => Ok((planned, replace)),
        }
    }

    fn plan_destroy(prior: &RoleState) -> Result<()> {
        match prior.system_managed {
            Value::Value(true) => Err(refuse_built_in("delete", prior)),
            _ => Ok(()),
        }
    }

    async fn create(&self, client: &ZenmlClient, planned: RoleState) -> NewState<Self> {
        let Some(body) = create_body(&planned) else {
            return Err(Failure::message(
                "every argument must be known to create a ZenML role",
                "",
            ));
        };
        let what = match &body.name {
            Some(name) => format!("creating ZenML role {name:?}"),
            None => "creating a ZenML role".to_string(),
        };
        let before = client
            .before_create(&body)
            .await
            .map_err(|err| failure(what.clone(), &err, &BODY_ATTRIBUTES))?;
        let sent = PendingCreate::now(before.clone());
        match client.create_role(&body, &before).await {
            Ok(role) => {
                tracing::info!(role_id = %role.id, "created ZenML role");
                Ok((state_from(&role, Some(&planned)), None))
            }
            // A lost create settled as refused (the name was there before
            // it) gets the same advice as a refusal.
            Err(err) if err.is_conflict() || err.taken_before().is_some() => {
                Err(Failure::attribute(
                    AttributePath::new("name"),
                    format!("Error {what}: the name is taken"),
                    name_taken::detail(client, &body, &err).await,
                ))
            }
            // The role may exist: kept pending, settled by the next refresh.
            Err(err @ ZenmlError::Unsettled { .. }) => {
                let pending = RoleState {
                    id: pending_id(),
                    ..planned
                };
                Err(Failure::vendor(err).keep_with(pending, Some(sent)))
            }
            Err(err) => Err(failure(what, &err, &BODY_ATTRIBUTES)),
        }
    }

    async fn read(&self, client: &ZenmlClient, state: &RoleState, _: &Private) -> Refreshed<Self> {
        let id = state_id::<Self>(&state.id)?;
        let organization_id = state
            .organization_id
            .as_ref_option()
            .map(String::as_str)
            .unwrap_or_default();
        match client.read_role(organization_id, id).await {
            Ok(Some(role)) => Ok(Read::Found((state_from(&role, Some(state)), None))),
            Ok(None) => Ok(Read::Gone),
            Err(err) => Err(Failure::vendor(err)),
        }
    }

    fn pending(state: &RoleState) -> bool {
        is_pending(&state.id)
    }

    /// The refresh of a pending role: the lookup of its create settles it.
    /// Found, it is recorded with its ID; missing, or someone else's role of
    /// that name, it leaves the state and the plan creates it again.
    async fn settle(
        &self,
        client: &ZenmlClient,
        state: &RoleState,
        private: &Private,
    ) -> Refreshed<Self> {
        let Some(body) = create_body(state) else {
            return Ok(Read::Gone);
        };
        let Some(before) = PendingCreate::before(private) else {
            let name = body.name.as_deref().unwrap_or("(without a name)");
            return Err(cannot_settle(Self::KIND, name));
        };
        let found = client
            .find_created_role(&body, Some(before))
            .await
            .map_err(Failure::vendor)?;
        Ok(settled(RoleResource::KIND, found, |role| {
            (state_from(&role, Some(state)), None)
        }))
    }

    async fn update(
        &self,
        client: &ZenmlClient,
        prior: RoleState,
        planned: RoleState,
        _: &Private,
    ) -> NewState<Self> {
        let id = state_id::<Self>(&prior.id)?;
        let body = update_body(&prior, &planned);
        let role = if body.is_empty() {
            client.get_role(id).await
        } else {
            client.update_role(id, &body).await
        };
        let role = role
            .map_err(|err| failure(format!("updating ZenML role {id}"), &err, &BODY_ATTRIBUTES))?;
        let state = state_from(&role, Some(&planned));
        // ASSUMPTION (docs/vendors/zenml.md, "RoleCreate / RoleUpdate": what an explicit null
        // does is **unverified**): if ZenML ignored it, say so plainly.
        let mut diags = Diagnostics::default();
        for (attribute, wanted, got) in [
            ("name", &planned.name, &state.name),
            ("description", &planned.description, &state.description),
        ] {
            if wanted.is_null() && !got.is_null() {
                diags.error(
                    format!("ZenML did not clear the role's {attribute}"),
                    format!(
                        "The provider sent `{attribute}: null` to clear it (PATCH merges, and this provider \
                         assumes null clears a field), but ZenML Pro kept {got:?}. Set a value instead."
                    ),
                    AttributePath::new(attribute),
                );
            }
        }
        if diags.errors.is_empty() {
            Ok((state, None))
        } else {
            Err(Failure::diagnostics(diags).keep(state))
        }
    }

    async fn delete(&self, client: &ZenmlClient, prior: &RoleState, _: &Private) -> Removed<Self> {
        let id = state_id::<Self>(&prior.id)?;
        match client.delete_role(id).await {
            Ok(()) => Ok(Deleted::Done),
            Err(err) if err.is_not_found() => Ok(Deleted::AlreadyGone),
            Err(err) if err.is_illegal_operation() => {
                let mut diags = Diagnostics::default();
                plan::system_managed(&mut diags, "delete", prior);
                diags.root_error(format!("Error deleting ZenML role {id}"), err.to_string());
                Err(Failure::diagnostics(diags))
            }
            Err(err) => Err(Failure::vendor(err)),
        }
    }

    async fn import(&self, client: &ZenmlClient, key: &str) -> NewState<Self> {
        Ok((import::import(client, key).await?, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A known string (shared with the tests of `plan.rs` and `convert.rs`).
    pub(super) fn s(v: &str) -> Value<String> {
        Value::Value(v.to_string())
    }

    /// A workspace role's configuration.
    pub(super) fn config() -> RoleState {
        RoleState {
            organization_id: s("0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30"),
            level: s("workspace"),
            name: s("ml"),
            ..Default::default()
        }
    }

    #[test]
    fn validation_names_attributes_and_limits() {
        let mut diags = Diagnostics::default();
        RoleResource::validate(
            &mut diags,
            &RoleState {
                organization_id: s("acme"),
                level: s("organization"),
                name: s(&"n".repeat(51)),
                description: s(""),
                ..Default::default()
            },
        );
        let text = crate::framework::test_vendor::errors(&diags);
        assert_eq!(text.len(), 4, "{text:?}");
        assert!(text[0].contains("organization_id") && text[0].contains("UUID"));
        assert!(
            text[1].contains("level") && text[1].contains("refuses to create organization roles")
        );
        assert!(text[2].contains("name") && text[2].contains("between 1 and 50"));
        assert!(text[3].contains("description") && text[3].contains("between 1 and 256"));
    }
}
