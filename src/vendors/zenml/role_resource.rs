//! `rbac_zenml_role`: a custom ZenML Pro role of an organization, at the
//! workspace or project level.

use crate::framework::tf::Schema;
use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::api::{Role, RoleCreate, RoleUpdate, ZenmlClient};
use super::config::ZenmlSettings;
use super::ids::{failure, is_uuid, keep_spelling, validate_uuid};
use crate::framework::plan::{default_if_null, requires_replace};
use crate::framework::resource::{
    state_id, Deleted, Failure, NewState, Outcome, Planned, Read, Refreshed, Removed, ResourceType,
};
use crate::framework::schema::{bool, schema, string};
use crate::framework::timeouts::{self, has_timeouts, ResourceTimeouts};
use crate::framework::validate::{string_length, string_one_of};
use crate::vendors::lost_create::pending::{
    cannot_settle, is_pending, pending_id, settled, PendingCreate,
};
use crate::vendors::zenml::ZenmlError;

/// Private state: for a create left pending, what was there before it
/// (see [`crate::vendors::lost_create::settle`]); `None` otherwise.
type Private = Option<PendingCreate>;

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
        let (planned, replace) = planned_and_replace(config, prior);
        match prior {
            Some(prior)
                if prior.system_managed == Value::Value(true)
                    && changes(prior, &planned, &replace) =>
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
                    name_taken_detail(client, &body, &err).await,
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
                system_managed(&mut diags, "delete", prior);
                diags.root_error(format!("Error deleting ZenML role {id}"), err.to_string());
                Err(Failure::diagnostics(diags))
            }
            Err(err) => Err(Failure::vendor(err)),
        }
    }

    async fn import(&self, client: &ZenmlClient, key: &str) -> NewState<Self> {
        Ok((import_role(client, key).await?, None))
    }
}

/// Create-only attributes: ZenML's RoleUpdate has only `name` and
/// `description` (docs/vendors/zenml.md, "RoleCreate / RoleUpdate").
fn replace_paths(prior: &RoleState, planned: &RoleState) -> Vec<AttributePath> {
    let differs = |a: &Value<String>, b: &Value<String>| match (a, b) {
        (Value::Value(a), Value::Value(b)) => !a.eq_ignore_ascii_case(b),
        (Value::Unknown, _) | (_, Value::Unknown) => true,
        (a, b) => a != b,
    };
    requires_replace(&[
        (
            "organization_id",
            differs(&prior.organization_id, &planned.organization_id),
        ),
        ("level", prior.level != planned.level),
        ("type", prior.role_type != planned.role_type),
    ])
}

/// The planned state: `type` defaults from the configuration (so removing
/// it restores `normal`), computed values kept from `prior` unless the role
/// is replaced.
fn planned_and_replace(
    config: RoleState,
    prior: Option<&RoleState>,
) -> (RoleState, Vec<AttributePath>) {
    let mut planned = RoleState {
        id: Value::Unknown,
        role_type: default_if_null(config.role_type, DEFAULT_TYPE.into()),
        system_managed: Value::Value(false),
        ..config
    };
    let Some(prior) = prior else {
        return (planned, vec![]);
    };
    let replace = replace_paths(prior, &planned);
    if replace.is_empty() {
        planned.id = prior.id.clone();
    }
    (planned, replace)
}

/// Whether a plan from `prior` changes the role: refused for a built-in
/// (system-managed) one.
fn changes(prior: &RoleState, planned: &RoleState, replace: &[AttributePath]) -> bool {
    !replace.is_empty() || planned.name != prior.name || planned.description != prior.description
}

/// ZenML never lets a built-in role be changed or deleted (`what`).
fn system_managed(diags: &mut Diagnostics, what: &str, state: &RoleState) {
    diags.root_error(
        format!("Cannot {what} a system-managed ZenML role"),
        format!(
            "Role {} is one of ZenML's built-in (system-managed) roles, which cannot be changed or \
             deleted. Stop managing it with `terraform state rm <address>`, and refer to it through \
             the rbac_zenml_roles data source instead.",
            state.id.as_ref_option().map(String::as_str).unwrap_or("?")
        ),
    )
}

/// The refusal to plan a change or delete (`what`) of a built-in role: see
/// [`system_managed`].
fn refuse_built_in(what: &str, prior: &RoleState) -> Failure<RoleState, Private> {
    let mut diags = Diagnostics::default();
    system_managed(&mut diags, what, prior);
    Failure::diagnostics(diags)
}

/// Why a create got 409: a built-in's name (ZenML's system-managed roles
/// repeat Admin/Editor/Viewer per level), or a custom role's.
async fn name_taken_detail(client: &ZenmlClient, body: &RoleCreate, err: &ZenmlError) -> String {
    let name = body.name.as_deref().unwrap_or_default();
    let built_in = client
        .list_roles(&body.organization_id, Some(&body.level), Some(name))
        .await
        .is_ok_and(|roles| {
            roles
                .iter()
                .any(|r| r.system_managed && r.name.as_deref() == Some(name))
        });
    let kind = format!("ZenML {} role", body.level);
    if built_in {
        crate::vendors::conflict::name_reserved(
            &kind,
            name,
            "To grant the built-in role, find it with the `rbac_zenml_roles` data source and assign it with \
             `rbac_zenml_role_assignment`.",
            &err.to_string(),
        )
    } else {
        crate::vendors::conflict::name_taken(
            &kind,
            name,
            &format!("{}/{name}", body.organization_id),
            &err.to_string(),
        )
    }
}

/// The state for a role read from ZenML; `prior` supplies the spelling of
/// IDs the user wrote.
pub fn state_from(role: &Role, prior: Option<&RoleState>) -> RoleState {
    let prior_org = prior.map(|p| p.organization_id.clone()).unwrap_or_default();
    RoleState {
        id: Value::Value(role.id.clone()),
        organization_id: keep_spelling(&role.organization_id, &prior_org),
        level: Value::Value(role.level.clone()),
        name: role.name.clone().into(),
        description: role.description.clone().into(),
        role_type: Value::Value(role.role_type.clone()),
        system_managed: Value::Value(role.system_managed),
        timeouts: Default::default(),
    }
}

/// The RoleCreate body for a fully planned state.
fn create_body(planned: &RoleState) -> Option<RoleCreate> {
    Some(RoleCreate {
        name: planned.name.as_option_ref_known()?,
        description: planned.description.as_option_ref_known()?,
        organization_id: planned
            .organization_id
            .as_ref_option()?
            .to_ascii_lowercase(),
        level: planned.level.as_ref_option()?.clone(),
        system_managed: false,
        role_type: planned.role_type.as_ref_option()?.clone(),
    })
}

/// The RoleUpdate body: only what changed, `null` to clear.
fn update_body(prior: &RoleState, planned: &RoleState) -> RoleUpdate {
    let change = |before: &Value<String>, after: &Value<String>| {
        (before != after).then(|| after.as_ref_option().cloned())
    };
    RoleUpdate {
        name: change(&prior.name, &planned.name),
        description: change(&prior.description, &planned.description),
    }
}

/// Known value or null, as an Option; `None` (outer) while unknown.
trait KnownOption {
    fn as_option_ref_known(&self) -> Option<Option<String>>;
}

impl KnownOption for Value<String> {
    fn as_option_ref_known(&self) -> Option<Option<String>> {
        match self {
            Value::Value(v) => Some(Some(v.clone())),
            Value::Null => Some(None),
            Value::Unknown => None,
        }
    }
}

/// Import formats, for error messages.
const IMPORT_FORMATS: &str = "Import takes the role's UUID \
     (terraform import rbac_zenml_role.x 3f0c…) or `<organization_id>/<name>` \
     (terraform import rbac_zenml_role.x 0b5e6a62-…/ml-engineers).";

/// The state of the one custom role `key` names.
async fn import_role(client: &ZenmlClient, key: &str) -> Result<RoleState> {
    let found = if is_uuid(key) {
        match client.get_role(key).await {
            Ok(role) => Ok(vec![role]),
            Err(err) if err.is_not_found() => Ok(vec![]),
            Err(err) => Err(err),
        }
    } else if let Some((org, name)) = key.split_once('/').filter(|(org, _)| is_uuid(org)) {
        client.list_roles(org, None, Some(name)).await.map(|roles| {
            roles
                .into_iter()
                .filter(|r| r.name.as_deref() == Some(name))
                .collect()
        })
    } else {
        return Err(Failure::message(
            format!("Cannot import ZenML role {key:?}: unrecognised ID"),
            IMPORT_FORMATS,
        ));
    };
    let roles: Vec<Role> = found.map_err(Failure::vendor)?;
    let custom: Vec<&Role> = roles.iter().filter(|r| !r.system_managed).collect();
    match (custom.as_slice(), roles.first()) {
        ([role], _) => Ok(state_from(role, None)),
        ([], None) => Err(Failure::message(
            format!("Cannot import ZenML role {key:?}: no such role"),
            format!("No role has this ID or name. {IMPORT_FORMATS}"),
        )),
        ([], Some(role)) => Err(Failure::message(
            format!("Cannot import ZenML role {key:?}: it is a built-in role"),
            format!(
                "Role {} ({} level) is system-managed: ZenML does not let it be changed or deleted, \
                 so Terraform cannot manage it. Refer to it with the rbac_zenml_roles data source.",
                role.id, role.level
            ),
        )),
        (several, _) => {
            let list: Vec<String> = several
                .iter()
                .map(|r| format!("{} ({} level)", r.id, r.level))
                .collect();
            Err(Failure::message(
                format!("Cannot import ZenML role {key:?}: the name is ambiguous"),
                format!(
                    "Several custom roles of the organization have this name: {}. Import one by UUID.",
                    list.join(", ")
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A known string.
    fn s(v: &str) -> Value<String> {
        Value::Value(v.to_string())
    }

    /// A workspace role's configuration.
    fn config() -> RoleState {
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

    #[test]
    fn plan_defaults_type_and_replaces_on_create_only_attributes() {
        let (planned, _) = planned_and_replace(config(), None);
        assert!(planned.id.is_unknown());
        assert_eq!(planned.role_type, s("normal"));
        assert_eq!(planned.system_managed, Value::Value(false));
        assert!(planned.description.is_null());
        let prior = RoleState {
            id: s("r1"),
            ..planned.clone()
        };
        let renamed = RoleState {
            name: s("ml2"),
            ..config()
        };
        let (p, replace) = planned_and_replace(renamed, Some(&prior));
        assert!(replace.is_empty());
        assert_eq!(p.id, s("r1"));
        let moved = RoleState {
            level: s("project"),
            ..config()
        };
        let (p, replace) = planned_and_replace(moved, Some(&prior));
        assert_eq!(replace, vec![AttributePath::new("level")]);
        assert!(p.id.is_unknown());
        let upper = RoleState {
            organization_id: s("0B5E6A62-6F1D-4C3E-9D7A-2F4C8E1A9B30"),
            ..config()
        };
        assert!(planned_and_replace(upper, Some(&prior)).1.is_empty());
    }

    #[test]
    fn update_body_sends_changes_and_clears() {
        let prior = RoleState {
            description: s("old"),
            ..config()
        };
        let planned = RoleState {
            name: s("new"),
            ..config()
        };
        let body = update_body(&prior, &planned);
        assert_eq!(body.name, Some(Some("new".into())));
        assert_eq!(body.description, Some(None));
        assert!(update_body(&prior, &prior).is_empty());
    }
}
