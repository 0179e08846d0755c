//! Provider configuration, shared by every vendor: how the attributes of one
//! vendor block become settings, and the slot through which that vendor's
//! resources and data sources get its client.
//!
//! Resolution happens here, once for all four vendors: an attribute's
//! configured value wins; a null attribute falls back to its environment
//! variable, then to the vendor default. An attribute that is **unknown**
//! (it depends on a value known only after apply) never falls back: the
//! vendor's client is then unavailable, and every operation that needs it
//! fails with one error that names the attribute. This is the plugin
//! framework's convention (its provider tutorial's "Unknown ... API Host"
//! error), so that an unknown `base_url` can never send requests to the
//! account an environment variable or a default points at.
//!
//! tf-provider builds resources before `ConfigureProvider`, so resources hold
//! an `Arc<ProviderData<V>>` that `configure` fills in; the client itself is
//! built on first use, so a vendor block (or its environment variables) is
//! only required when that vendor is used.

use std::fmt::Debug;
use std::sync::OnceLock;

use crate::framework::tf::Block;
use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::number::Number;

/// One vendor's provider block: its schema, plan-time checks, the settings
/// it resolves to and the client those settings build. Implemented in each
/// vendor's `config.rs`.
pub trait VendorConfig: Debug + Sized + Send + Sync + 'static {
    /// The vendor's name in messages (`"Flashduty"`).
    const VENDOR: &'static str;
    /// The block's name in the provider configuration (`"flashduty"`).
    const BLOCK: &'static str;
    /// The block as Terraform sends it (every attribute a `Value`).
    type Block: Debug + Default + Clone + Serialize + DeserializeOwned + Send + Sync;
    /// The typed API client the settings build.
    type Client: Clone + Send + Sync + 'static;

    /// The block's schema; its descriptions are the published documentation.
    fn schema() -> Block;
    /// Plan-time checks of one block's known values; `at` builds the path of
    /// one of its attributes.
    fn validate(
        diags: &mut Diagnostics,
        block: &Self::Block,
        at: &dyn Fn(&'static str) -> AttributePath,
    );
    /// The settings, every attribute read through `resolver`.
    fn resolve(block: Self::Block, resolver: &mut Resolver) -> Self;
    /// The client, or the error naming what is missing or invalid.
    fn client(&self, user_agent: String) -> Result<Self::Client, ConfigError>;
}

/// Why a vendor's client could not be built; shown as one clear diagnostic.
#[derive(Debug, Clone, thiserror::Error)]
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
    #[error("{}", unknown_message(vendor, vendor_block, attributes))]
    Unknown {
        vendor: &'static str,
        vendor_block: &'static str,
        /// The unknown attributes with their environment variables; empty
        /// when the whole block is unknown (a `dynamic` block).
        attributes: Vec<(&'static str, Option<&'static str>)>,
    },
}

impl ConfigError {
    /// Adds this error to `diags`.
    pub fn report(&self, diags: &mut Diagnostics) {
        self.report_as(diags, "Provider configuration error".into());
    }

    /// Adds this error to `diags` under `summary`, for operations whose
    /// diagnostics Terraform does not attach to a resource address (import).
    pub fn report_as(&self, diags: &mut Diagnostics, summary: String) {
        diags.root_error(summary, self.to_string());
    }
}

fn unknown_message(
    vendor: &str,
    block: &str,
    attributes: &[(&'static str, Option<&'static str>)],
) -> String {
    if attributes.is_empty() {
        return format!(
            "the provider's `{block}` block depends on values known only after apply, so the provider \
             cannot call {vendor} until they are known. Write the block without `dynamic`, or apply \
             what it depends on first (`terraform apply -target=<that resource>`), then apply the rest."
        );
    }
    let names: Vec<String> = attributes
        .iter()
        .map(|(a, _)| format!("`{block}.{a}`"))
        .collect();
    let envs: Vec<&str> = attributes.iter().filter_map(|(_, e)| *e).collect();
    let (it, depends, is) = if names.len() == 1 {
        ("it", "depends", "it is")
    } else {
        ("them", "depend", "they are")
    };
    // Only what could stand in for these attributes is named: keys have an
    // environment variable but no default.
    let fallback = if envs.is_empty() {
        "a default".to_string()
    } else {
        format!("an environment variable ({}) or a default", envs.join(", "))
    };
    let env_advice = if envs.is_empty() {
        String::new()
    } else {
        format!(
            ", or set {} and leave {it} out of the block",
            envs.join(" / ")
        )
    };
    format!(
        "{} {depends} on a value known only after apply. The provider never puts {fallback} in \
         place of an unknown value, so it cannot call {vendor} until {is} known. Set {it} \
         statically in the provider's `{block}` block{env_advice}, or apply what {it} {depends} on \
         first (`terraform apply -target=<that resource>`), then apply the rest.",
        names.join(", ")
    )
}

/// Reads the attributes of one vendor block: configured value, else (only
/// when the attribute is null) its environment variable. Unknown attributes
/// are recorded and read as unset; [`ProviderData::configure`] then refuses
/// to build the client.
#[derive(Debug, Default)]
pub struct Resolver {
    unknown: Vec<(&'static str, Option<&'static str>)>,
}

impl Resolver {
    /// A string attribute, trimmed; an empty string counts as unset.
    pub fn string(
        &mut self,
        attribute: &'static str,
        value: Value<String>,
        env: Option<&'static str>,
    ) -> Option<String> {
        let raw = match value {
            Value::Value(v) => Some(v),
            Value::Null => env.and_then(|e| std::env::var(e).ok()),
            Value::Unknown => {
                self.unknown.push((attribute, env));
                None
            }
        };
        raw.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
    }

    /// A number attribute (no environment fallback).
    pub fn number(&mut self, attribute: &'static str, value: Value<Number>) -> Option<i64> {
        match value {
            // Whole and within range: `validate` checked it.
            Value::Value(n) => n.whole(),
            Value::Null => None,
            Value::Unknown => {
                self.unknown.push((attribute, None));
                None
            }
        }
    }
}

/// What `configure` learned about one vendor.
#[derive(Debug)]
enum Configured<V> {
    Known { settings: V, user_agent: String },
    Unknown(ConfigError),
}

/// One vendor's configuration and client, shared by that vendor's resources
/// and data sources. Filled in once by [`ProviderData::configure`].
pub struct ProviderData<V: VendorConfig> {
    configured: OnceLock<Configured<V>>,
    client: OnceLock<V::Client>,
    /// Holders an authoritative resource of this process has planned (see
    /// [`Self::plan_holder`]).
    planned_holders: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl<V: VendorConfig> Default for ProviderData<V> {
    fn default() -> Self {
        Self {
            configured: OnceLock::new(),
            client: OnceLock::new(),
            planned_holders: Default::default(),
        }
    }
}

impl<V: VendorConfig> ProviderData<V> {
    /// Notes that a resource instance of this run manages `holder`'s whole
    /// set (`holder` names the resource type too); false when another
    /// instance already does. Terraform starts a provider process per walk
    /// and plans each instance once in it (a replacement's new half once
    /// more, without a prior state, which the caller leaves out).
    pub fn plan_holder(&self, holder: &str) -> bool {
        self.planned_holders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(holder.to_string())
    }

    /// Records the vendor's block (the first one; the schema allows one) as
    /// `ConfigureProvider` sent it. `user_agent` is the provider's
    /// `User-Agent` for this Terraform run.
    pub fn configure(&self, blocks: Value<Vec<V::Block>>, user_agent: String) {
        let configured = match blocks {
            Value::Unknown => Configured::Unknown(ConfigError::Unknown {
                vendor: V::VENDOR,
                vendor_block: V::BLOCK,
                attributes: vec![],
            }),
            blocks => {
                let block = blocks
                    .unwrap_or_default()
                    .into_iter()
                    .next()
                    .unwrap_or_default();
                let mut resolver = Resolver::default();
                let settings = V::resolve(block, &mut resolver);
                if resolver.unknown.is_empty() {
                    Configured::Known {
                        settings,
                        user_agent,
                    }
                } else {
                    Configured::Unknown(ConfigError::Unknown {
                        vendor: V::VENDOR,
                        vendor_block: V::BLOCK,
                        attributes: resolver.unknown,
                    })
                }
            }
        };
        tracing::debug!(vendor = V::VENDOR, ?configured, "provider configured");
        let _ = self.configured.set(configured);
    }

    /// The client, built on first use; or why there is none.
    pub fn client(&self) -> Result<V::Client, ConfigError> {
        if let Some(client) = self.client.get() {
            return Ok(client.clone());
        }
        match self.configured.get() {
            None => Err(ConfigError::NotConfigured),
            Some(Configured::Unknown(e)) => Err(e.clone()),
            Some(Configured::Known {
                settings,
                user_agent,
            }) => {
                let client = settings.client(user_agent.clone())?;
                Ok(self.client.get_or_init(|| client).clone())
            }
        }
    }

    /// The client, or `None` after adding the error to `diags`.
    pub fn client_or_report(&self, diags: &mut Diagnostics) -> Option<V::Client> {
        self.client().map_err(|e| e.report(diags)).ok()
    }

    /// The client for planning: `Some(Some(client))` when configured;
    /// `Some(None)` while the configuration is unknown — plan on without
    /// the checks that need the vendor, since Terraform configures the
    /// provider again with known values before it applies; `None` after
    /// reporting a missing or invalid setting, so that it fails at plan
    /// rather than halfway through an apply.
    pub fn client_at_plan(&self, diags: &mut Diagnostics) -> Option<Option<V::Client>> {
        match self.client() {
            Ok(client) => Some(Some(client)),
            Err(ConfigError::Unknown { .. }) => Some(None),
            Err(e) => {
                e.report(diags);
                None
            }
        }
    }
}

/// Plan-time checks every vendor block shares: `base_url` is an absolute
/// http(s) URL; a credential set in the block is not empty (unset means "use
/// the environment variable").
pub fn validate_common(
    diags: &mut Diagnostics,
    block: &'static str,
    at: &dyn Fn(&'static str) -> AttributePath,
    base_url: &Value<String>,
    credentials: &[(&'static str, &Value<String>, &'static str)],
) {
    if let Value::Value(raw) = base_url {
        if let Err(message) = parse_base_url(raw) {
            diags.error(
                format!("Invalid value for {block}.base_url"),
                message,
                at("base_url"),
            );
        }
    }
    for (attribute, value, env) in credentials {
        if matches!(value, Value::Value(k) if k.trim().is_empty()) {
            diags.error(
                format!("Invalid value for {block}.{attribute}"),
                format!("{attribute} must not be empty; leave it unset to use {env}."),
                at(attribute),
            );
        }
    }
}

/// An absolute http(s) URL without a query string.
pub fn parse_base_url(raw: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(raw).map_err(|e| format!("{raw:?} is not a URL ({e})"))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    // Plain http would send credentials (Flashduty's app_key is in the
    // query) in the clear: only a local emulator may use it.
    if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
        return Err(format!(
            "{raw:?} must start with https:// (http:// only for a local emulator on 127.0.0.1 or localhost)"
        ));
    }
    if url.query().is_some() {
        return Err("the URL must not have a query string".into());
    }
    Ok(url)
}

/// `base_url` resolved against the vendor default, parsed.
pub fn base_url_or(
    configured: Option<&str>,
    default: &str,
    vendor_block: &'static str,
) -> Result<url::Url, ConfigError> {
    parse_base_url(configured.unwrap_or(default)).map_err(|message| ConfigError::Invalid {
        vendor_block,
        attribute: "base_url",
        message,
    })
}

#[cfg(test)]
#[path = "provider_data_tests.rs"]
mod tests;
