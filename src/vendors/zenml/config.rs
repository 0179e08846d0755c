//! The provider's `zenml { ... }` block: schema, plan-time validation,
//! settings (with the `ZENML_PRO_*` environment fallbacks, resolved by
//! [`crate::framework::provider_data`]) and the client they build.

use crate::framework::tf::Block;
use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use serde::{Deserialize, Serialize};

use super::api;
use super::{ZenmlClient, ZenmlConfig};
use crate::framework::provider_data::{
    parse_base_url, validate_common, ConfigError, Resolver, VendorConfig,
};
use crate::framework::schema::{block, string};

/// `zenml { ... }`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ZenmlBlock {
    pub base_url: Value<String>,
    pub api_key: Value<String>,
}

/// The block's values once configured, environment fallbacks applied.
#[derive(Clone, Default)]
pub struct ZenmlSettings {
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

impl VendorConfig for ZenmlSettings {
    const VENDOR: &'static str = "ZenML Pro";
    const BLOCK: &'static str = "zenml";
    type Block = ZenmlBlock;
    type Client = ZenmlClient;

    fn schema() -> Block {
        block(
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
        )
    }

    fn validate(
        diags: &mut Diagnostics,
        z: &ZenmlBlock,
        at: &dyn Fn(&'static str) -> AttributePath,
    ) {
        validate_common(
            diags,
            Self::BLOCK,
            at,
            &z.base_url,
            &[("api_key", &z.api_key, "ZENML_PRO_API_KEY")],
        );
    }

    fn resolve(z: ZenmlBlock, r: &mut Resolver) -> Self {
        ZenmlSettings {
            base_url: r.string("base_url", z.base_url, Some("ZENML_PRO_URL")),
            api_key: r.string("api_key", z.api_key, Some("ZENML_PRO_API_KEY")),
        }
    }

    /// There is no default URL: every deployment has its own control plane.
    fn client(&self, user_agent: String) -> Result<ZenmlClient, ConfigError> {
        let missing = |attribute, env| ConfigError::Missing {
            vendor: Self::VENDOR,
            vendor_block: Self::BLOCK,
            attribute,
            env,
        };
        let base = self
            .base_url
            .clone()
            .ok_or(missing("base_url", "ZENML_PRO_URL"))?;
        let api_key = self
            .api_key
            .clone()
            .ok_or(missing("api_key", "ZENML_PRO_API_KEY"))?;
        let invalid = |message: String| ConfigError::Invalid {
            vendor_block: Self::BLOCK,
            attribute: "base_url",
            message,
        };
        let base_url = parse_base_url(&base).map_err(invalid)?;
        ZenmlClient::new(ZenmlConfig {
            api_key,
            base_url,
            user_agent,
            retry: api::retry_policy(),
        })
        .map_err(|e| invalid(e.to_string()))
    }
}
