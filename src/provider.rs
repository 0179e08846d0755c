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
use crate::framework::validate::{number_range, string_one_of};
use crate::vendors::{flashduty, slashid};

/// Name of the provider in resource types (`rbac_flashduty_role`).
pub const PROVIDER_NAME: &str = "rbac";

/// Configuration of the provider block.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProviderConfig {
    pub flashduty: Value<Vec<FlashdutyBlock>>,
    pub slashid: Value<Vec<SlashidBlock>>,
}

/// `slashid { ... }`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SlashidBlock {
    pub org_id: Value<String>,
    pub api_key: Value<String>,
    pub base_url: Value<String>,
    pub consistency: Value<String>,
    pub consistency_timeout: Value<i64>,
    pub max_requests_per_second: Value<i64>,
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
}

#[derive(Debug, Clone, Default)]
struct Settings {
    terraform_version: Option<String>,
    flashduty: FlashdutySettings,
    slashid: SlashidSettings,
}

#[derive(Clone, Default)]
struct SlashidSettings {
    org_id: Option<String>,
    api_key: Option<String>,
    base_url: Option<String>,
    consistency: Option<String>,
    consistency_timeout: Option<i64>,
    max_requests_per_second: Option<i64>,
}

impl std::fmt::Debug for SlashidSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlashidSettings")
            .field("org_id", &self.org_id)
            .field("api_key", &self.api_key.as_ref().map(|_| "REDACTED"))
            .field("base_url", &self.base_url)
            .field("consistency", &self.consistency)
            .field("consistency_timeout", &self.consistency_timeout)
            .field("max_requests_per_second", &self.max_requests_per_second)
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

fn non_empty(value: Value<String>, env: &str) -> Option<String> {
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
        let sid = &settings.slashid;
        let org_id = sid.org_id.clone().ok_or(ConfigError::Missing {
            vendor: "SlashID",
            vendor_block: "slashid",
            attribute: "org_id",
            env: "SLASHID_ORG_ID",
        })?;
        if org_id.contains('/') {
            return Err(ConfigError::Invalid {
                vendor_block: "slashid",
                attribute: "org_id",
                message: "an organization ID holds no `/`".into(),
            });
        }
        let api_key = sid.api_key.clone().ok_or(ConfigError::Missing {
            vendor: "SlashID",
            vendor_block: "slashid",
            attribute: "api_key",
            env: "SLASHID_API_KEY",
        })?;
        let base = sid
            .base_url
            .clone()
            .unwrap_or_else(|| slashid::api::DEFAULT_BASE_URL.to_string());
        let invalid = |attribute, message| ConfigError::Invalid {
            vendor_block: "slashid",
            attribute,
            message,
        };
        let base_url = parse_base_url(&base).map_err(|m| invalid("base_url", m))?;
        let consistency = match sid.consistency.as_deref() {
            None => None,
            Some(c) => Some(slashid::api::Consistency::parse(c).ok_or_else(|| {
                invalid(
                    "consistency",
                    format!("{c:?} is not local_region or all_regions"),
                )
            })?),
        };
        let consistency_timeout = match sid.consistency_timeout {
            None => None,
            Some(t @ 1..=120) => Some(t as u32),
            Some(t) => {
                return Err(invalid(
                    "consistency_timeout",
                    format!("{t} is not between 1 and 120 seconds"),
                ))
            }
        };
        let client = slashid::SlashidClient::new(slashid::SlashidConfig {
            org_id,
            api_key,
            base_url,
            user_agent: crate::http::user_agent(settings.terraform_version.as_deref()),
            retry: crate::http::RetryPolicy::default(),
            consistency,
            consistency_timeout,
            rate_limits: slashid::api::rate_limits(sid.max_requests_per_second),
        })
        .map_err(|e| invalid("base_url", e.to_string()))?;
        Ok(self.slashid.get_or_init(|| client).clone())
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
            ("slashid", NestedBlock::Optional(slashid_block())),
            ],
        )
    }
}

fn slashid_block() -> tf_provider::schema::Block {
    block(
        "SlashID organization. Every attribute but the consistency settings falls back to an environment variable.",
        vec![
            (
                "org_id",
                string().optional().description(
                    "Organization ID, sent as `SlashID-OrgID` and used as the `<org_id>/` prefix of role names. \
                     Falls back to `SLASHID_ORG_ID`.",
                ),
            ),
            (
                "api_key",
                string().optional().sensitive().description(
                    "The organization's API key, sent as `SlashID-API-Key`. Falls back to `SLASHID_API_KEY`.",
                ),
            ),
            (
                "base_url",
                string().optional().description(
                    "API base URL. Defaults to `SLASHID_BASE_URL`, else `https://api.slashid.com` (the sandbox is \
                     `https://api.sandbox.slashid.com`). Point it at `<emulator URL>/slashid` to use the bundled emulator.",
                ),
            ),
            (
                "consistency",
                string().optional().description(
                    "Consistency required of writes, sent as `SlashID-Required-Consistency`: `local_region` (the \
                     vendor default) or `all_regions` (wait for replication to every region).",
                ),
            ),
            (
                "consistency_timeout",
                number().optional().description(
                    "Seconds a write may wait for the requested consistency, 1–120 (vendor default 30), sent as \
                     `SlashID-Required-Consistency-Timeout`. When it runs out SlashID answers 408 and the write may \
                     still happen; the provider then reads the object back before deciding.",
                ),
            ),
            (
                "max_requests_per_second",
                number().optional().description(
                    "Client-side limit on requests per second to this organization, shared by every resource and \
                     data source in the run (data sources read role and permission details several at a time). \
                     SlashID publishes no rate limit, so the default is none (`0`); a 429 with `Retry-After` is \
                     always waited out and retried.",
                ),
            ),
        ],
        vec![],
    )
}

#[async_trait]
impl Provider for RbacProvider {
    type Config<'a> = ProviderConfig;
    type MetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(Self::provider_schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::Config<'a>) -> Option<()> {
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
        for (i, sid) in config.slashid.unwrap_or_default().iter().enumerate() {
            let path = |attr: &'static str| {
                AttributePath::new("slashid")
                    .index(i as i64)
                    .attribute(attr)
            };
            if let Value::Value(raw) = &sid.base_url {
                if let Err(message) = parse_base_url(raw) {
                    diags.error(
                        "Invalid value for slashid.base_url",
                        message,
                        path("base_url"),
                    );
                }
            }
            for (attr, value) in [("org_id", &sid.org_id), ("api_key", &sid.api_key)] {
                if matches!(value, Value::Value(k) if k.trim().is_empty()) {
                    diags.error(
                        format!("Invalid value for slashid.{attr}"),
                        format!("{attr} must not be empty; leave it unset to use its environment variable."),
                        path(attr),
                    );
                }
            }
            if matches!(&sid.org_id, Value::Value(k) if k.contains('/')) {
                diags.error(
                    "Invalid value for slashid.org_id",
                    "org_id is the organization ID alone, without `/`.",
                    path("org_id"),
                );
            }
            string_one_of(
                diags,
                path("consistency"),
                &sid.consistency,
                &slashid::api::Consistency::NAMES,
            );
            number_range(
                diags,
                path("consistency_timeout"),
                &sid.consistency_timeout,
                1,
                120,
                "SlashID's limit for SlashID-Required-Consistency-Timeout, in seconds",
            );
            number_range(
                diags,
                path("max_requests_per_second"),
                &sid.max_requests_per_second,
                0,
                1_000_000,
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
        let sid = config
            .slashid
            .unwrap_or_default()
            .into_iter()
            .next()
            .unwrap_or_default();
        let settings = Settings {
            terraform_version: Some(terraform_version).filter(|v| !v.is_empty()),
            flashduty: FlashdutySettings {
                app_key: non_empty(fd.app_key, "FLASHDUTY_APP_KEY"),
                base_url: non_empty(fd.base_url, "FLASHDUTY_BASE_URL"),
                max_requests_per_second: fd.max_requests_per_second.as_option(),
                max_requests_per_minute: fd.max_requests_per_minute.as_option(),
            },
            slashid: SlashidSettings {
                org_id: non_empty(sid.org_id, "SLASHID_ORG_ID"),
                api_key: non_empty(sid.api_key, "SLASHID_API_KEY"),
                base_url: non_empty(sid.base_url, "SLASHID_BASE_URL"),
                consistency: sid.consistency.as_option(),
                consistency_timeout: sid.consistency_timeout.as_option(),
                max_requests_per_second: sid.max_requests_per_second.as_option(),
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
    }
}
