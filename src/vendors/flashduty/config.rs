//! The provider's `flashduty { ... }` block: schema, plan-time validation,
//! settings (with the `FLASHDUTY_*` environment fallbacks, resolved by
//! [`crate::framework::provider_data`]) and the client they build.

use crate::framework::tf::Block;
use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use serde::{Deserialize, Serialize};

use super::api;
use super::{FlashdutyClient, FlashdutyConfig};
use crate::framework::provider_data::{
    base_url_or, validate_common, ConfigError, Resolver, VendorConfig,
};
use crate::framework::schema::{block, number, string};
use crate::framework::validate::{number_range, WholeNumber};

/// What Flashduty's resources and data sources hold.
pub type ProviderData = crate::framework::provider_data::ProviderData<FlashdutySettings>;

/// `flashduty { ... }`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FlashdutyBlock {
    pub app_key: Value<String>,
    pub base_url: Value<String>,
    pub max_requests_per_second: WholeNumber,
    pub max_requests_per_minute: WholeNumber,
}

/// The block's values once configured, environment fallbacks applied.
#[derive(Clone, Default)]
pub struct FlashdutySettings {
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

impl VendorConfig for FlashdutySettings {
    const VENDOR: &'static str = "Flashduty";
    const BLOCK: &'static str = "flashduty";
    type Block = FlashdutyBlock;
    type Client = FlashdutyClient;

    fn schema() -> Block {
        block(
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
        )
    }

    fn validate(
        diags: &mut Diagnostics,
        fd: &FlashdutyBlock,
        at: &dyn Fn(&'static str) -> AttributePath,
    ) {
        validate_common(
            diags,
            Self::BLOCK,
            at,
            &fd.base_url,
            &[("app_key", &fd.app_key, "FLASHDUTY_APP_KEY")],
        );
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
    }

    fn resolve(fd: FlashdutyBlock, r: &mut Resolver) -> Self {
        FlashdutySettings {
            app_key: r.string("app_key", fd.app_key, Some("FLASHDUTY_APP_KEY")),
            base_url: r.string("base_url", fd.base_url, Some("FLASHDUTY_BASE_URL")),
            max_requests_per_second: r
                .number("max_requests_per_second", fd.max_requests_per_second),
            max_requests_per_minute: r
                .number("max_requests_per_minute", fd.max_requests_per_minute),
        }
    }

    fn client(&self, user_agent: String) -> Result<FlashdutyClient, ConfigError> {
        let app_key = self.app_key.clone().ok_or(ConfigError::Missing {
            vendor: Self::VENDOR,
            vendor_block: Self::BLOCK,
            attribute: "app_key",
            env: "FLASHDUTY_APP_KEY",
        })?;
        let base_url = base_url_or(self.base_url.as_deref(), api::DEFAULT_BASE_URL, Self::BLOCK)?;
        FlashdutyClient::new(FlashdutyConfig {
            app_key,
            base_url,
            user_agent,
            retry: api::retry_policy(),
            rate_limits: api::rate_limits(
                self.max_requests_per_second,
                self.max_requests_per_minute,
            ),
        })
        .map_err(|e| ConfigError::Invalid {
            vendor_block: Self::BLOCK,
            attribute: "base_url",
            message: e.to_string(),
        })
    }
}
