//! `rbac_zenml_role`: a custom ZenML Pro role of an organization, at the
//! workspace or project level.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use super::api::{Role, RoleCreate, RoleUpdate, ZenmlClient};
use super::config::ProviderData;
use super::error::ZenmlError;
use super::ids::{is_uuid, keep_spelling, report, validate_uuid};
use crate::framework::plan::{default_if_null, requires_replace};
use crate::framework::schema::{bool, schema, string};
use crate::framework::timeouts::{self, has_timeouts, Op, ResourceTimeouts};
use crate::framework::validate::{string_length, string_one_of};

/// Limits from the seed's RoleCreate / RoleUpdate.
pub const NAME_MAX: usize = 50;
pub const DESCRIPTION_MAX: usize = 256;
/// Levels a custom role can have: ZenML refuses `organization` for custom
/// roles (seed 004: "IllegalOperationError: If the role is an organization role").
pub const CUSTOM_LEVELS: [&str; 2] = ["workspace", "project"];
/// The default of RoleCreate's `type` (seed 004).
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

/// The resource; it talks to ZenML only through [`ZenmlClient`].
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

    fn client(&self, diags: &mut Diagnostics) -> Option<ZenmlClient> {
        self.provider.client_or_report(diags)
    }
}

/// Plan-time checks, mirroring the vendor's documented limits.
pub fn validate_role(diags: &mut Diagnostics, config: &RoleState) {
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

/// Create-only attributes: ZenML's RoleUpdate has only `name` and
/// `description` (vendors/zenml.md "RoleUpdate").
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
fn plan(config: RoleState, prior: Option<&RoleState>) -> (RoleState, Vec<AttributePath>) {
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

fn role_id<'a>(diags: &mut Diagnostics, state: &'a RoleState) -> Option<&'a str> {
    let id = state.id.as_ref_option().map(String::as_str);
    if id.is_none() {
        diags.root_error_short("the ZenML role has no ID in the state");
    }
    id
}

fn system_managed_error(diags: &mut Diagnostics, what: &str, state: &RoleState) {
    diags.root_error(
        format!("Cannot {what} a system-managed ZenML role"),
        format!(
            "Role {} is one of ZenML's built-in (system-managed) roles, which cannot be changed or \
             deleted. Stop managing it with `terraform state rm <address>`, and refer to it through \
             the rbac_zenml_roles data source instead.",
            state.id.as_ref_option().map(String::as_str).unwrap_or("?")
        ),
    );
}

/// Import formats, for error messages.
const IMPORT_FORMATS: &str = "Import takes the role's UUID \
     (terraform import rbac_zenml_role.x 3f0c…) or `<organization_id>/<name>` \
     (terraform import rbac_zenml_role.x 0b5e6a62-…/ml-engineers).";

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
            &format!("terraform import <address> {}/{name}", body.organization_id),
            &err.to_string(),
        )
    }
}

#[async_trait]
impl Resource for RoleResource {
    type State<'a> = RoleState;
    type PrivateState<'a> = ValueEmpty;
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
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(RoleState, ValueEmpty)> {
        state.timeouts.clone().run_with_state(Op::Read, diags, async |diags| {
            let id = role_id(diags, &state)?.to_string();
            let Some(client) = self.client(diags) else {
                return Some((state, ValueEmpty::default()));
            };
            let organization_id = state
                .organization_id
                .as_ref_option()
                .cloned()
                .unwrap_or_default();
            match client.read_role(&organization_id, &id).await {
                Ok(Some(role)) => Some((state_from(&role, Some(&state)), ValueEmpty::default())),
                Ok(None) => {
                    tracing::warn!(role_id = %id, "ZenML role not found; removing it from state");
                    None
                }
                Err(err) => {
                    report(diags, format!("reading ZenML role {id}"), &err, &[]);
                    Some((state, ValueEmpty::default()))
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
    ) -> Option<(RoleState, ValueEmpty)> {
        // Fail at plan, not halfway through an apply, when credentials are missing.
        self.provider.client_at_plan(diags)?;
        Some((plan(config, None).0, ValueEmpty::default()))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: RoleState,
        _proposed: RoleState,
        config: RoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(RoleState, ValueEmpty, Vec<AttributePath>)> {
        self.provider.client_at_plan(diags)?;
        let (planned, replace) = plan(config, Some(&prior));
        let changed = !replace.is_empty()
            || planned.name != prior.name
            || planned.description != prior.description;
        if changed && prior.system_managed == Value::Value(true) {
            system_managed_error(diags, "change", &prior);
            return None;
        }
        Some((planned, ValueEmpty::default(), replace))
    }

    async fn plan_destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: RoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<ValueEmpty> {
        if prior.system_managed == Value::Value(true) {
            system_managed_error(diags, "delete", &prior);
            return None;
        }
        Some(ValueEmpty::default())
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: RoleState,
        _config: RoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(RoleState, ValueEmpty)> {
        planned
            .timeouts
            .clone()
            .run_with_state(Op::Create, diags, async |diags| {
                let client = self.client(diags)?;
                let Some(body) = create_body(&planned) else {
                    diags.root_error_short("every argument must be known to create a ZenML role");
                    return None;
                };
                let what = match &body.name {
                    Some(name) => format!("creating ZenML role {name:?}"),
                    None => "creating a ZenML role".to_string(),
                };
                match client.create_role(&body).await {
                    Ok(role) => {
                        tracing::info!(role_id = %role.id, "created ZenML role");
                        Some((state_from(&role, Some(&planned)), ValueEmpty::default()))
                    }
                    Err(err) if err.is_conflict() => {
                        let detail = name_taken_detail(&client, &body, &err).await;
                        diags.error(
                            format!("Error {what}: the name is taken"),
                            detail,
                            AttributePath::new("name"),
                        );
                        None
                    }
                    Err(err) => {
                        report(diags, what, &err, &BODY_ATTRIBUTES);
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
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(RoleState, ValueEmpty)> {
        planned.timeouts.clone().run_with_state(Op::Update, diags, async |diags| {
            let client = self.client(diags)?;
            let id = role_id(diags, &prior)?.to_string();
            let body = update_body(&prior, &planned);
            let role = if body.is_empty() {
                client.get_role(&id).await
            } else {
                client.update_role(&id, &body).await
            };
            let role = match role {
                Ok(role) => role,
                Err(err) => {
                    report(
                        diags,
                        format!("updating ZenML role {id}"),
                        &err,
                        &BODY_ATTRIBUTES,
                    );
                    return None;
                }
            };
            let state = state_from(&role, Some(&planned));
            // ASSUMPTION (vendors/zenml.md "RoleUpdate": what an explicit null
            // does is **unverified**): if ZenML ignored it, say so plainly.
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
            Some((state, ValueEmpty::default()))
        }).await
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: RoleState,
        _private: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<()> {
        prior
            .timeouts
            .clone()
            .run(Op::Delete, diags, async |diags| {
                let client = self.client(diags)?;
                let id = role_id(diags, &prior)?.to_string();
                match client.delete_role(&id).await {
                    Ok(()) => Some(()),
                    Err(err) if err.is_not_found() => {
                        tracing::info!(role_id = %id, "ZenML role already deleted");
                        Some(())
                    }
                    Err(err) if err.is_illegal_operation() => {
                        system_managed_error(diags, "delete", &prior);
                        report(diags, format!("deleting ZenML role {id}"), &err, &[]);
                        None
                    }
                    Err(err) => {
                        report(diags, format!("deleting ZenML role {id}"), &err, &[]);
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
    ) -> Option<(RoleState, ValueEmpty)> {
        let client = self.client(diags)?;
        let id = id.trim();
        let found = if is_uuid(id) {
            match client.get_role(id).await {
                Ok(role) => Ok(vec![role]),
                Err(err) if err.is_not_found() => Ok(vec![]),
                Err(err) => Err(err),
            }
        } else if let Some((org, name)) = id.split_once('/').filter(|(org, _)| is_uuid(org)) {
            client.list_roles(org, None, Some(name)).await.map(|roles| {
                roles
                    .into_iter()
                    .filter(|r| r.name.as_deref() == Some(name))
                    .collect()
            })
        } else {
            diags.root_error(
                format!("Cannot import ZenML role {id:?}: unrecognised ID"),
                IMPORT_FORMATS,
            );
            return None;
        };
        let roles: Vec<Role> = match found {
            Ok(roles) => roles,
            Err(err) => {
                report(diags, format!("importing ZenML role {id:?}"), &err, &[]);
                return None;
            }
        };
        let custom: Vec<&Role> = roles.iter().filter(|r| !r.system_managed).collect();
        match (custom.as_slice(), roles.first()) {
            ([role], _) => Some((state_from(role, None), ValueEmpty::default())),
            ([], None) => {
                diags.root_error(
                    format!("Cannot import ZenML role {id:?}: no such role"),
                    format!("No role has this ID or name. {IMPORT_FORMATS}"),
                );
                None
            }
            ([], Some(role)) => {
                diags.root_error(
                    format!("Cannot import ZenML role {id:?}: it is a built-in role"),
                    format!(
                        "Role {} ({} level) is system-managed: ZenML does not let it be changed or deleted, \
                         so Terraform cannot manage it. Refer to it with the rbac_zenml_roles data source.",
                        role.id, role.level
                    ),
                );
                None
            }
            (several, _) => {
                let list: Vec<String> = several
                    .iter()
                    .map(|r| format!("{} ({} level)", r.id, r.level))
                    .collect();
                diags.root_error(
                    format!("Cannot import ZenML role {id:?}: the name is ambiguous"),
                    format!(
                        "Several custom roles of the organization have this name: {}. Import one by UUID.",
                        list.join(", ")
                    ),
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

    fn s(v: &str) -> Value<String> {
        Value::Value(v.to_string())
    }

    #[test]
    fn state_matches_schema() {
        assert_state_matches_schema::<RoleState>(&RoleResource::schema());
    }

    fn config() -> RoleState {
        RoleState {
            organization_id: s("0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30"),
            level: s("workspace"),
            name: s("ml"),
            ..Default::default()
        }
    }

    #[test]
    fn plan_defaults_type_and_replaces_on_create_only_attributes() {
        let (planned, _) = plan(config(), None);
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
        let (p, replace) = plan(renamed, Some(&prior));
        assert!(replace.is_empty());
        assert_eq!(p.id, s("r1"));
        let moved = RoleState {
            level: s("project"),
            ..config()
        };
        let (p, replace) = plan(moved, Some(&prior));
        assert_eq!(replace, vec![AttributePath::new("level")]);
        assert!(p.id.is_unknown());
        let upper = RoleState {
            organization_id: s("0B5E6A62-6F1D-4C3E-9D7A-2F4C8E1A9B30"),
            ..config()
        };
        assert!(plan(upper, Some(&prior)).1.is_empty());
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

    #[test]
    fn validation_names_attributes_and_limits() {
        let mut diags = Diagnostics::default();
        validate_role(
            &mut diags,
            &RoleState {
                organization_id: s("acme"),
                level: s("organization"),
                name: s(&"n".repeat(51)),
                description: s(""),
                ..Default::default()
            },
        );
        let text: Vec<String> = diags
            .errors
            .iter()
            .map(|d| format!("{} {}", d.summary, d.detail))
            .collect();
        assert_eq!(text.len(), 4, "{text:?}");
        assert!(text[0].contains("organization_id") && text[0].contains("UUID"));
        assert!(
            text[1].contains("level") && text[1].contains("refuses to create organization roles")
        );
        assert!(text[2].contains("name") && text[2].contains("between 1 and 50"));
        assert!(text[3].contains("description") && text[3].contains("between 1 and 256"));
    }
}
