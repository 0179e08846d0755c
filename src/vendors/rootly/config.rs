//! The provider's `rootly { ... }` block: schema, plan-time validation,
//! settings (with the `ROOTLY_*` environment fallbacks, resolved by
//! [`crate::framework::provider_data`]) and the client they build.

use crate::framework::tf::Block;
use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use serde::{Deserialize, Serialize};

use super::api;
use super::{RootlyClient, RootlyConfig};
use crate::framework::provider_data::{
    base_url_or, validate_common, ConfigError, Resolver, VendorConfig,
};
use crate::framework::schema::{block, number, string};
use crate::framework::validate::{number_range, WholeNumber};

/// What Rootly's resources and data sources hold.
pub type ProviderData = crate::framework::provider_data::ProviderData<RootlySettings>;

/// `rootly { ... }`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RootlyBlock {
    pub api_token: Value<String>,
    pub base_url: Value<String>,
    pub max_requests_per_minute: WholeNumber,
}

/// The block's values once configured, environment fallbacks applied.
#[derive(Clone, Default)]
pub struct RootlySettings {
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

impl VendorConfig for RootlySettings {
    const VENDOR: &'static str = "Rootly";
    const BLOCK: &'static str = "rootly";
    type Block = RootlyBlock;
    type Client = RootlyClient;

    fn schema() -> Block {
        block(
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
        )
    }

    fn validate(
        diags: &mut Diagnostics,
        r: &RootlyBlock,
        at: &dyn Fn(&'static str) -> AttributePath,
    ) {
        validate_common(
            diags,
            Self::BLOCK,
            at,
            &r.base_url,
            &[("api_token", &r.api_token, "ROOTLY_API_TOKEN")],
        );
        number_range(
            diags,
            at("max_requests_per_minute"),
            &r.max_requests_per_minute,
            0,
            60_000_000,
            "0 turns the limit off",
        );
    }

    fn resolve(r: RootlyBlock, res: &mut Resolver) -> Self {
        RootlySettings {
            api_token: res.string("api_token", r.api_token, Some("ROOTLY_API_TOKEN")),
            base_url: res.string("base_url", r.base_url, Some("ROOTLY_BASE_URL")),
            max_requests_per_minute: res
                .number("max_requests_per_minute", r.max_requests_per_minute),
        }
    }

    fn client(&self, user_agent: String) -> Result<RootlyClient, ConfigError> {
        let api_token = self.api_token.clone().ok_or(ConfigError::Missing {
            vendor: Self::VENDOR,
            vendor_block: Self::BLOCK,
            attribute: "api_token",
            env: "ROOTLY_API_TOKEN",
        })?;
        let base_url = base_url_or(self.base_url.as_deref(), api::DEFAULT_BASE_URL, Self::BLOCK)?;
        RootlyClient::new(RootlyConfig {
            api_token,
            base_url,
            user_agent,
            retry: api::retry_policy(),
            max_requests_per_minute: self
                .max_requests_per_minute
                .map(|n| n.clamp(0, u32::MAX as i64) as u32)
                .unwrap_or(api::DEFAULT_REQUESTS_PER_MINUTE),
        })
        .map_err(|e| ConfigError::Invalid {
            vendor_block: Self::BLOCK,
            attribute: "base_url",
            message: e.to_string(),
        })
    }
}
