//! The provider's `slashid { ... }` block: schema, plan-time validation,
//! settings (with the `SLASHID_*` environment fallbacks, resolved by
//! [`crate::framework::provider_data`]) and the client they build.

use crate::framework::tf::Block;
use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use serde::{Deserialize, Serialize};

use super::api::{self, Consistency};
use super::{SlashidClient, SlashidConfig};
use crate::framework::provider_data::{
    base_url_or, validate_common, ConfigError, Resolver, VendorConfig,
};
use crate::framework::schema::{block, number, string};
use crate::framework::validate::{number_range, string_one_of, WholeNumber};

/// What SlashID's resources and data sources hold.
pub type ProviderData = crate::framework::provider_data::ProviderData<SlashidSettings>;

/// `slashid { ... }`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SlashidBlock {
    pub org_id: Value<String>,
    pub api_key: Value<String>,
    pub base_url: Value<String>,
    pub consistency: Value<String>,
    pub consistency_timeout: WholeNumber,
    pub max_requests_per_second: WholeNumber,
}

/// The block's values once configured, environment fallbacks applied.
#[derive(Clone, Default)]
pub struct SlashidSettings {
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

impl VendorConfig for SlashidSettings {
    const VENDOR: &'static str = "SlashID";
    const BLOCK: &'static str = "slashid";
    type Block = SlashidBlock;
    type Client = SlashidClient;

    fn schema() -> Block {
        block_schema()
    }

    fn validate(
        diags: &mut Diagnostics,
        sid: &SlashidBlock,
        at: &dyn Fn(&'static str) -> AttributePath,
    ) {
        validate(diags, sid, at)
    }

    /// `SLASHID_ORG_ID`, `SLASHID_API_KEY` and `SLASHID_BASE_URL` are the
    /// fallbacks; the consistency settings have none.
    fn resolve(sid: SlashidBlock, r: &mut Resolver) -> Self {
        SlashidSettings {
            org_id: r.string("org_id", sid.org_id, Some("SLASHID_ORG_ID")),
            api_key: r.string("api_key", sid.api_key, Some("SLASHID_API_KEY")),
            base_url: r.string("base_url", sid.base_url, Some("SLASHID_BASE_URL")),
            consistency: r.string("consistency", sid.consistency, None),
            consistency_timeout: r.number("consistency_timeout", sid.consistency_timeout),
            max_requests_per_second: r
                .number("max_requests_per_second", sid.max_requests_per_second),
        }
    }

    fn client(&self, user_agent: String) -> Result<SlashidClient, ConfigError> {
        let sid = self;
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
        let base_url = base_url_or(sid.base_url.as_deref(), api::DEFAULT_BASE_URL, "slashid")?;
        let invalid = |attribute, message| ConfigError::Invalid {
            vendor_block: "slashid",
            attribute,
            message,
        };
        let consistency = match sid.consistency.as_deref() {
            None => None,
            Some(c) => Some(Consistency::parse(c).ok_or_else(|| {
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
        let client = SlashidClient::new(SlashidConfig {
            org_id,
            api_key,
            base_url,
            user_agent,
            retry: crate::http::RetryPolicy::default(),
            consistency,
            consistency_timeout,
            rate_limits: api::rate_limits(sid.max_requests_per_second),
        })
        .map_err(|e| invalid("base_url", e.to_string()))?;
        Ok(client)
    }
}

/// The `slashid` block of the provider's configuration schema.
fn block_schema() -> Block {
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

/// Plan-time checks of one `slashid` block, each naming its attribute.
fn validate(
    diags: &mut Diagnostics,
    sid: &SlashidBlock,
    path: &dyn Fn(&'static str) -> AttributePath,
) {
    {
        validate_common(
            diags,
            "slashid",
            path,
            &sid.base_url,
            &[
                ("org_id", &sid.org_id, "SLASHID_ORG_ID"),
                ("api_key", &sid.api_key, "SLASHID_API_KEY"),
            ],
        );
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
            &Consistency::NAMES,
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
}
