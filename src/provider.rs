//! The `rbac` provider: its configuration schema (one optional block per
//! vendor, each with environment variable fallbacks) and the clients it hands
//! to resources.
//!
//! tf-provider builds resources before `ConfigureProvider`, so resources hold
//! an `Arc<ProviderData>` whose settings are filled in by `configure`, and
//! each vendor's client is built lazily on first use: a vendor block (or its
//! environment variables) is only required when that vendor is used.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{NestedBlock, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, DynamicDataSource, DynamicResource, Provider};

use crate::framework::schema::{block, number, schema, string};
use crate::framework::validate::number_range;
use crate::vendors::{flashduty, rootly, slashid, zenml};

/// Name of the provider in resource types (`rbac_flashduty_role`).
pub const PROVIDER_NAME: &str = "rbac";

/// Configuration of the provider block.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProviderConfig {
    pub flashduty: Value<Vec<FlashdutyBlock>>,
    pub slashid: Value<Vec<slashid::config::SlashidBlock>>,
    pub rootly: Value<Vec<RootlyBlock>>,
    pub zenml: Value<Vec<ZenmlBlock>>,
}

/// `zenml { ... }`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ZenmlBlock {
    pub base_url: Value<String>,
    pub api_key: Value<String>,
}

/// `rootly { ... }`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RootlyBlock {
    pub api_token: Value<String>,
    pub base_url: Value<String>,
    pub max_requests_per_minute: Value<i64>,
}

/// `flashduty { ... }`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FlashdutyBlock {
    pub app_key: Value<String>,
    pub base_url: Value<String>,
    pub max_requests_per_second: Value<i64>,
    pub max_requests_per_minute: Value<i64>,
}

/// What `configure` learned, shared by every resource and data source.
#[derive(Default)]
pub struct ProviderData {
    settings: OnceLock<Settings>,
    flashduty: OnceLock<flashduty::FlashdutyClient>,
    slashid: OnceLock<slashid::SlashidClient>,
    rootly: OnceLock<rootly::RootlyClient>,
    zenml: OnceLock<zenml::ZenmlClient>,
}

#[derive(Debug, Clone, Default)]
struct Settings {
    terraform_version: Option<String>,
    flashduty: FlashdutySettings,
    slashid: slashid::config::SlashidSettings,
    rootly: RootlySettings,
    zenml: ZenmlSettings,
}

#[derive(Clone, Default)]
struct ZenmlSettings {
    base_url: Option<String>,
    api_key: Option<String>,
}

impl std::fmt::Debug for ZenmlSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZenmlSettings")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "REDACTED"))
            .finish()
    }
}

#[derive(Clone, Default)]
struct RootlySettings {
    api_token: Option<String>,
    base_url: Option<String>,
    max_requests_per_minute: Option<i64>,
}

impl std::fmt::Debug for RootlySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RootlySettings")
            .field("api_token", &self.api_token.as_ref().map(|_| "REDACTED"))
            .field("base_url", &self.base_url)
            .field("max_requests_per_minute", &self.max_requests_per_minute)
            .finish()
    }
}

#[derive(Clone, Default)]
struct FlashdutySettings {
    app_key: Option<String>,
    base_url: Option<String>,
    max_requests_per_second: Option<i64>,
    max_requests_per_minute: Option<i64>,
}

impl std::fmt::Debug for FlashdutySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlashdutySettings")
            .field("app_key", &self.app_key.as_ref().map(|_| "REDACTED"))
            .field("base_url", &self.base_url)
            .field("max_requests_per_second", &self.max_requests_per_second)
            .field("max_requests_per_minute", &self.max_requests_per_minute)
            .finish()
    }
}

/// Why a vendor's client could not be built; shown as one clear diagnostic.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("the provider has not been configured yet")]
    NotConfigured,
    #[error("{vendor} credentials are missing: set `{attribute}` in the provider's `{vendor_block}` block or the {env} environment variable")]
    Missing {
        vendor: &'static str,
        vendor_block: &'static str,
        attribute: &'static str,
        env: &'static str,
    },
    #[error("invalid `{vendor_block}.{attribute}`: {message}")]
    Invalid {
        vendor_block: &'static str,
        attribute: &'static str,
        message: String,
    },
}

impl ConfigError {
    /// Adds this error to `diags`.
    pub fn report(&self, diags: &mut Diagnostics) {
        diags.root_error("Provider configuration error", self.to_string());
    }
}

/// The value, else the environment variable `env`; trimmed, never empty.
pub(crate) fn non_empty(value: Value<String>, env: &str) -> Option<String> {
    value
        .as_option()
        .or_else(|| std::env::var(env).ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl ProviderData {
    fn settings(&self) -> Result<&Settings, ConfigError> {
        self.settings.get().ok_or(ConfigError::NotConfigured)
    }

    /// The Flashduty client, built on first use.
    pub fn flashduty(&self) -> Result<flashduty::FlashdutyClient, ConfigError> {
        if let Some(client) = self.flashduty.get() {
            return Ok(client.clone());
        }
        let settings = self.settings()?;
        let app_key = settings
            .flashduty
            .app_key
            .clone()
            .ok_or(ConfigError::Missing {
                vendor: "Flashduty",
                vendor_block: "flashduty",
                attribute: "app_key",
                env: "FLASHDUTY_APP_KEY",
            })?;
        let base = settings
            .flashduty
            .base_url
            .clone()
            .unwrap_or_else(|| flashduty::api::DEFAULT_BASE_URL.to_string());
        let base_url = parse_base_url(&base).map_err(|message| ConfigError::Invalid {
            vendor_block: "flashduty",
            attribute: "base_url",
            message,
        })?;
        let client = flashduty::FlashdutyClient::new(flashduty::FlashdutyConfig {
            app_key,
            base_url,
            user_agent: crate::http::user_agent(settings.terraform_version.as_deref()),
            retry: flashduty::api::retry_policy(),
            rate_limits: flashduty::api::rate_limits(
                settings.flashduty.max_requests_per_second,
                settings.flashduty.max_requests_per_minute,
            ),
        })
        .map_err(|e| ConfigError::Invalid {
            vendor_block: "flashduty",
            attribute: "base_url",
            message: e.to_string(),
        })?;
        Ok(self.flashduty.get_or_init(|| client).clone())
    }
}

impl ProviderData {
    /// The SlashID client, built on first use.
    pub fn slashid(&self) -> Result<slashid::SlashidClient, ConfigError> {
        if let Some(client) = self.slashid.get() {
            return Ok(client.clone());
        }
        let settings = self.settings()?;
        let client = settings.slashid.client(crate::http::user_agent(
            settings.terraform_version.as_deref(),
        ))?;
        Ok(self.slashid.get_or_init(|| client).clone())
    }

    /// The Rootly client, built on first use.
    pub fn rootly(&self) -> Result<rootly::RootlyClient, ConfigError> {
        if let Some(client) = self.rootly.get() {
            return Ok(client.clone());
        }
        let settings = self.settings()?;
        let api_token = settings
            .rootly
            .api_token
            .clone()
            .ok_or(ConfigError::Missing {
                vendor: "Rootly",
                vendor_block: "rootly",
                attribute: "api_token",
                env: "ROOTLY_API_TOKEN",
            })?;
        let base = settings
            .rootly
            .base_url
            .clone()
            .unwrap_or_else(|| rootly::api::DEFAULT_BASE_URL.to_string());
        let invalid = |message: String| ConfigError::Invalid {
            vendor_block: "rootly",
            attribute: "base_url",
            message,
        };
        let base_url = parse_base_url(&base).map_err(invalid)?;
        let client = rootly::RootlyClient::new(rootly::RootlyConfig {
            api_token,
            base_url,
            user_agent: crate::http::user_agent(settings.terraform_version.as_deref()),
            retry: rootly::api::retry_policy(),
            max_requests_per_minute: settings
                .rootly
                .max_requests_per_minute
                .map(|n| n.clamp(0, u32::MAX as i64) as u32)
                .unwrap_or(rootly::api::DEFAULT_REQUESTS_PER_MINUTE),
        })
        .map_err(|e| invalid(e.to_string()))?;
        Ok(self.rootly.get_or_init(|| client).clone())
    }
}

impl ProviderData {
    /// The ZenML Pro client, built on first use. There is no default URL:
    /// every deployment has its own control plane.
    pub fn zenml(&self) -> Result<zenml::ZenmlClient, ConfigError> {
        if let Some(client) = self.zenml.get() {
            return Ok(client.clone());
        }
        let settings = self.settings()?;
        let missing = |attribute, env| ConfigError::Missing {
            vendor: "ZenML Pro",
            vendor_block: "zenml",
            attribute,
            env,
        };
        let base = settings
            .zenml
            .base_url
            .clone()
            .ok_or(missing("base_url", "ZENML_PRO_URL"))?;
        let api_key = settings
            .zenml
            .api_key
            .clone()
            .ok_or(missing("api_key", "ZENML_PRO_API_KEY"))?;
        let invalid = |message: String| ConfigError::Invalid {
            vendor_block: "zenml",
            attribute: "base_url",
            message,
        };
        let base_url = parse_base_url(&base).map_err(invalid)?;
        let client = zenml::ZenmlClient::new(zenml::ZenmlConfig {
            api_key,
            base_url,
            user_agent: crate::http::user_agent(settings.terraform_version.as_deref()),
            retry: zenml::api::retry_policy(),
        })
        .map_err(|e| invalid(e.to_string()))?;
        Ok(self.zenml.get_or_init(|| client).clone())
    }
}

/// `zenml { base_url, api_key }` in the provider schema.
fn zenml_block() -> (&'static str, NestedBlock) {
    (
        "zenml",
        NestedBlock::Optional(block(
            "ZenML Pro control plane (the management API, not a workspace server). Every attribute \
             falls back to an environment variable.",
            vec![
                (
                    "base_url",
                    string().optional().description(
                        "Control-plane URL: `https://cloudapi.zenml.io` for ZenML Pro SaaS, your own URL when \
                         self-hosted. Falls back to `ZENML_PRO_URL`; one of them is required. Point it at \
                         `<emulator URL>/zenml` to use the bundled emulator.",
                    ),
                ),
                (
                    "api_key",
                    string().optional().sensitive().description(
                        "Organization service-account API key (`ZENPROKEY_…`). The provider exchanges it for \
                         short-lived access tokens (`POST /auth/login`) and renews them before they expire. \
                         Falls back to `ZENML_PRO_API_KEY`.",
                    ),
                ),
            ],
            vec![],
        )),
    )
}

fn validate_zenml(diags: &mut Diagnostics, blocks: Vec<ZenmlBlock>) {
    for (i, z) in blocks.iter().enumerate() {
        let path = |a: &'static str| AttributePath::new("zenml").index(i as i64).attribute(a);
        if let Value::Value(raw) = &z.base_url {
            if let Err(message) = parse_base_url(raw) {
                diags.error(
                    "Invalid value for zenml.base_url",
                    message,
                    path("base_url"),
                );
            }
        }
        if matches!(&z.api_key, Value::Value(k) if k.trim().is_empty()) {
            diags.error(
                "Invalid value for zenml.api_key",
                "api_key must not be empty; leave it unset to use ZENML_PRO_API_KEY.",
                path("api_key"),
            );
        }
    }
}

/// An absolute http(s) URL.
pub fn parse_base_url(raw: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(raw).map_err(|e| format!("{raw:?} is not a URL ({e})"))?;
    if url.scheme() != "https" && url.scheme() != "http" {
        return Err(format!(
            "{raw:?} must start with https:// (or http:// for a local emulator)"
        ));
    }
    if url.query().is_some() {
        return Err("the URL must not have a query string".into());
    }
    Ok(url)
}

/// The provider.
#[derive(Default)]
pub struct RbacProvider {
    data: Arc<ProviderData>,
}

impl RbacProvider {
    /// The resources, keyed by type name without the `rbac_` prefix.
    pub fn resources(&self) -> HashMap<String, Box<dyn DynamicResource>> {
        let mut map: HashMap<String, Box<dyn DynamicResource>> = HashMap::new();
        map.insert(
            "flashduty_role".into(),
            Box::new(flashduty::role_resource::RoleResource::new(
                self.data.clone(),
            )),
        );
        map.insert(
            "slashid_permission".into(),
            Box::new(slashid::permission_resource::PermissionResource::new(
                self.data.clone(),
            )),
        );
        map.insert(
            "slashid_role".into(),
            Box::new(slashid::role_resource::RoleResource::new(self.data.clone())),
        );
        map.insert(
            "slashid_person_roles".into(),
            Box::new(slashid::person_roles_resource::PersonRolesResource::new(
                self.data.clone(),
            )),
        );
        map.insert(
            "rootly_on_call_role".into(),
            Box::new(rootly::on_call_role_resource::OnCallRoleResource::new(
                self.data.clone(),
            )),
        );
        map.insert(
            "zenml_role".into(),
            Box::new(zenml::role_resource::RoleResource::new(self.data.clone())),
        );
        map.extend(crate::vendors::assignments::resources(&self.data));
        map.insert(
            "zenml_role_assignment".into(),
            Box::new(
                zenml::role_assignment_resource::RoleAssignmentResource::new(self.data.clone()),
            ),
        );
        map
    }

    /// The data sources, keyed by type name without the `rbac_` prefix.
    pub fn data_sources(&self) -> HashMap<String, Box<dyn DynamicDataSource>> {
        let mut map: HashMap<String, Box<dyn DynamicDataSource>> = HashMap::new();
        map.insert(
            "flashduty_role".into(),
            Box::new(flashduty::role_data_source::RoleDataSource::new(
                self.data.clone(),
            )),
        );
        map.insert(
            "flashduty_permissions".into(),
            Box::new(
                flashduty::permissions_data_source::PermissionsDataSource::new(self.data.clone()),
            ),
        );
        use slashid::data_sources as sds;
        map.insert(
            "slashid_roles".into(),
            Box::new(sds::RolesDataSource::new(self.data.clone())),
        );
        map.insert(
            "slashid_role".into(),
            Box::new(sds::RoleDataSource::new(self.data.clone())),
        );
        map.insert(
            "slashid_permissions".into(),
            Box::new(sds::PermissionsDataSource::new(self.data.clone())),
        );
        map.insert(
            "slashid_permission".into(),
            Box::new(sds::PermissionDataSource::new(self.data.clone())),
        );
        map.insert(
            "rootly_on_call_role".into(),
            Box::new(rootly::on_call_role_data_source::OnCallRoleDataSource::new(
                self.data.clone(),
            )),
        );
        map.insert(
            "rootly_on_call_roles".into(),
            Box::new(
                rootly::on_call_roles_data_source::OnCallRolesDataSource::new(self.data.clone()),
            ),
        );
        map.extend(crate::vendors::assignments::data_sources(&self.data));
        map.insert(
            "zenml_roles".into(),
            Box::new(zenml::roles_data_source::RolesDataSource::new(
                self.data.clone(),
            )),
        );
        map
    }

    /// The provider's configuration schema.
    pub fn provider_schema() -> Schema {
        schema(
            "Manages roles and permissions in Flashduty, SlashID, Rootly and ZenML Pro. \
             Each vendor has its own optional block; a block (or its environment variables) \
             is only needed when a resource or data source of that vendor is used.",
            vec![],
            vec![
            (
                "flashduty",
                NestedBlock::Optional(block(
                    "Flashduty (Flashcat) account. Every attribute falls back to an environment variable.",
                    vec![
                        (
                            "app_key",
                            string().optional().sensitive().description(
                                "App key from the Flashduty console (Account → APP Keys). It has all the \
                                 permissions of the member who created it. Falls back to `FLASHDUTY_APP_KEY`.",
                            ),
                        ),
                        (
                            "base_url",
                            string().optional().description(
                                "API base URL. Defaults to `FLASHDUTY_BASE_URL`, else \
                                 `https://api.flashcat.cloud`. Point it at `<emulator URL>/flashduty` to \
                                 use the bundled emulator.",
                            ),
                        ),
                        (
                            "max_requests_per_second",
                            number().optional().description(
                                "Client-side limit on requests per second to this account, shared by every \
                                 resource in the run. Defaults to Flashduty's documented limit, 50; `0` turns \
                                 the limit off (only for servers without one, such as a local emulator).",
                            ),
                        ),
                        (
                            "max_requests_per_minute",
                            number().optional().description(
                                "Client-side limit on requests per minute. Defaults to Flashduty's documented \
                                 limit, 1000; `0` turns the limit off.",
                            ),
                        ),
                    ],
                    vec![],
                )),
            ),
            (
                "slashid",
                NestedBlock::Optional(slashid::config::block_schema()),
            ),
            (
                "rootly",
                NestedBlock::Optional(block(
                    "Rootly organisation. Every attribute falls back to an environment variable.",
                    vec![
                        (
                            "api_token",
                            string().optional().sensitive().description(
                                "API key from Rootly (Organization Settings → API Keys), sent as a Bearer \
                                 token. Falls back to `ROOTLY_API_TOKEN`.",
                            ),
                        ),
                        (
                            "base_url",
                            string().optional().description(
                                "API base URL. Defaults to `ROOTLY_BASE_URL`, else `https://api.rootly.com`. \
                                 Point it at `<emulator URL>/rootly` to use the bundled emulator.",
                            ),
                        ),
                        (
                            "max_requests_per_minute",
                            number().optional().description(
                                "Client-side limit of requests per minute for this API key, shared by every \
                                 resource in the run. Defaults to 3000, Rootly's documented default (reads \
                                 and writes are counted separately by Rootly); `0` turns the limit off. The \
                                 provider also waits for `X-RateLimit-Reset` when Rootly says the budget is \
                                 used up or answers 429.",
                            ),
                        ),
                    ],
                    vec![],
                )),
            ),
            zenml_block(),
            ],
        )
    }
}

#[async_trait]
impl Provider for RbacProvider {
    type Config<'a> = ProviderConfig;
    type MetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Self::provider_schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::Config<'a>) -> Option<()> {
        validate_zenml(diags, config.zenml.clone().unwrap_or_default());
        for (i, fd) in config.flashduty.unwrap_or_default().iter().enumerate() {
            if let Value::Value(raw) = &fd.base_url {
                if let Err(message) = parse_base_url(raw) {
                    diags.error(
                        "Invalid value for flashduty.base_url",
                        message,
                        AttributePath::new("flashduty")
                            .index(i as i64)
                            .attribute("base_url"),
                    );
                }
            }
            let at = |name: &'static str| {
                AttributePath::new("flashduty")
                    .index(i as i64)
                    .attribute(name)
            };
            number_range(
                diags,
                at("max_requests_per_second"),
                &fd.max_requests_per_second,
                0,
                1_000_000,
                "0 turns the limit off",
            );
            number_range(
                diags,
                at("max_requests_per_minute"),
                &fd.max_requests_per_minute,
                0,
                60_000_000,
                "0 turns the limit off",
            );
            if matches!(&fd.app_key, Value::Value(k) if k.trim().is_empty()) {
                diags.error(
                    "Invalid value for flashduty.app_key",
                    "app_key must not be empty; leave it unset to use FLASHDUTY_APP_KEY.",
                    AttributePath::new("flashduty")
                        .index(i as i64)
                        .attribute("app_key"),
                );
            }
        }
        slashid::config::validate(diags, &config.slashid.unwrap_or_default());
        for (i, r) in config.rootly.unwrap_or_default().iter().enumerate() {
            let path = |a: &'static str| AttributePath::new("rootly").index(i as i64).attribute(a);
            if let Value::Value(raw) = &r.base_url {
                if let Err(message) = parse_base_url(raw) {
                    diags.error(
                        "Invalid value for rootly.base_url",
                        message,
                        path("base_url"),
                    );
                }
            }
            if matches!(&r.api_token, Value::Value(k) if k.trim().is_empty()) {
                diags.error(
                    "Invalid value for rootly.api_token",
                    "api_token must not be empty; leave it unset to use ROOTLY_API_TOKEN.",
                    path("api_token"),
                );
            }
            number_range(
                diags,
                path("max_requests_per_minute"),
                &r.max_requests_per_minute,
                0,
                60_000_000,
                "0 turns the limit off",
            );
        }
        Some(())
    }

    async fn configure<'a>(
        &self,
        _diags: &mut Diagnostics,
        terraform_version: String,
        config: Self::Config<'a>,
    ) -> Option<()> {
        let fd = config
            .flashduty
            .unwrap_or_default()
            .into_iter()
            .next()
            .unwrap_or_default();
        let rt = config
            .rootly
            .unwrap_or_default()
            .into_iter()
            .next()
            .unwrap_or_default();
        let zn = config
            .zenml
            .unwrap_or_default()
            .into_iter()
            .next()
            .unwrap_or_default();
        let settings = Settings {
            zenml: ZenmlSettings {
                base_url: non_empty(zn.base_url, "ZENML_PRO_URL"),
                api_key: non_empty(zn.api_key, "ZENML_PRO_API_KEY"),
            },
            terraform_version: Some(terraform_version).filter(|v| !v.is_empty()),
            flashduty: FlashdutySettings {
                app_key: non_empty(fd.app_key, "FLASHDUTY_APP_KEY"),
                base_url: non_empty(fd.base_url, "FLASHDUTY_BASE_URL"),
                max_requests_per_second: fd.max_requests_per_second.as_option(),
                max_requests_per_minute: fd.max_requests_per_minute.as_option(),
            },
            slashid: slashid::config::SlashidSettings::from_config(config.slashid),
            rootly: RootlySettings {
                api_token: non_empty(rt.api_token, "ROOTLY_API_TOKEN"),
                base_url: non_empty(rt.base_url, "ROOTLY_BASE_URL"),
                max_requests_per_minute: rt.max_requests_per_minute.as_option(),
            },
        };
        tracing::debug!(?settings, "provider configured");
        let _ = self.data.settings.set(settings);
        Some(())
    }

    fn get_resources(
        &self,
        _diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicResource>>> {
        Some(self.resources())
    }

    fn get_data_sources(
        &self,
        _diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicDataSource>>> {
        Some(self.data_sources())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_config_matches_schema() {
        crate::framework::schema::assert_state_matches_schema::<ProviderConfig>(
            &RbacProvider::provider_schema(),
        );
    }

    #[test]
    fn base_urls_must_be_http() {
        assert!(parse_base_url("https://api.flashcat.cloud").is_ok());
        assert!(parse_base_url("http://127.0.0.1:1234/flashduty").is_ok());
        assert!(parse_base_url("ftp://x").is_err());
        assert!(parse_base_url("api.flashcat.cloud").is_err());
    }

    #[test]
    fn missing_key_names_attribute_and_env_var() {
        let data = ProviderData::default();
        data.settings.set(Settings::default()).unwrap();
        let err = data.flashduty().err().unwrap().to_string();
        assert!(err.contains("app_key"), "{err}");
        assert!(err.contains("FLASHDUTY_APP_KEY"), "{err}");
        let err = data.slashid().err().unwrap().to_string();
        assert!(
            err.contains("org_id") && err.contains("SLASHID_ORG_ID"),
            "{err}"
        );
        let err = data.rootly().err().unwrap().to_string();
        assert!(
            err.contains("api_token") && err.contains("ROOTLY_API_TOKEN"),
            "{err}"
        );
    }

    #[test]
    fn zenml_needs_url_and_key_and_never_prints_the_key() {
        let data = ProviderData::default();
        data.settings.set(Settings::default()).unwrap();
        let err = data.zenml().err().unwrap().to_string();
        assert!(
            err.contains("base_url") && err.contains("ZENML_PRO_URL"),
            "{err}"
        );
        let data = ProviderData::default();
        let settings = Settings {
            zenml: ZenmlSettings {
                base_url: Some("https://cloudapi.zenml.io".into()),
                api_key: None,
            },
            ..Settings::default()
        };
        data.settings.set(settings).unwrap();
        let err = data.zenml().err().unwrap().to_string();
        assert!(
            err.contains("api_key") && err.contains("ZENML_PRO_API_KEY"),
            "{err}"
        );
        let settings = ZenmlSettings {
            base_url: None,
            api_key: Some("ZENPROKEY_secret".into()),
        };
        assert!(!format!("{settings:?}").contains("ZENPROKEY_secret"));
    }
}
