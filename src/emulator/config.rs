//! Emulator options: the CLI flags of `rbac-emulator`, as a plain struct.

use std::net::SocketAddr;
use std::path::PathBuf;

use super::faults::{check_fault_rate, FaultKind, ScriptedFault};

/// The Flashduty `app_key` the emulator accepts unless told otherwise.
pub const DEFAULT_FLASHDUTY_APP_KEY: &str = "emulator-flashduty-key";

/// The SlashID organization ID the emulator serves unless told otherwise
/// (the example org ID of the vendor's documentation).
pub const DEFAULT_SLASHID_ORG_ID: &str = "af5fbd30-7ce7-4548-8b30-4cd59cb2aba1";

/// The `SlashID-API-Key` the emulator accepts unless told otherwise.
pub const DEFAULT_SLASHID_API_KEY: &str = "emulator-slashid-key";

/// The Rootly API token the emulator accepts unless told otherwise.
pub const DEFAULT_ROOTLY_API_TOKEN: &str = "emulator-rootly-token";

/// Rootly requests per 60 s per API key, counted separately for reads and
/// writes (the older swagger's 3000; docs/vendors/rootly.md, "Rate limits", says the
/// current numbers are **unverified**).
pub const DEFAULT_ROOTLY_RATE_LIMIT: usize = 3000;

/// The ZenML Pro service-account API key the emulator accepts unless told
/// otherwise (real keys start with `ZENPROKEY_`).
pub const DEFAULT_ZENML_API_KEY: &str = "ZENPROKEY_emulator-zenml-key";

/// How long a ZenML access token lives unless told otherwise (seconds).
pub const DEFAULT_ZENML_TOKEN_TTL_SECS: u64 = 3600;

/// Every option of the emulator. `Default` gives the documented defaults
/// (the same as running `rbac-emulator` with no flags).
#[derive(Debug, Clone, PartialEq)]
pub struct EmulatorConfig {
    /// Address to bind; loopback only. Port 0 picks a free port.
    pub listen: SocketAddr,
    /// The only `app_key` query parameter Flashduty routes accept.
    pub flashduty_app_key: String,
    /// The only `SlashID-OrgID` SlashID routes accept; role names are
    /// prefixed with it.
    pub slashid_org_id: String,
    /// The only `SlashID-API-Key` SlashID routes accept.
    pub slashid_api_key: String,
    /// For this long after a SlashID role or permission is created, reading
    /// it gives 404, as a read served by a lagging region might (0: off).
    pub slashid_stale_read_ms: u64,
    /// The next N successful SlashID writes are applied, then answered with
    /// 408 (consistency not reached in time).
    pub slashid_write_timeouts: u32,
    /// The only `Authorization: Bearer` token Rootly routes accept.
    pub rootly_api_token: String,
    /// Rootly reads (and, separately, writes) allowed per 60 s per token.
    pub rootly_rate_limit: usize,
    /// The only API key ZenML's `POST /auth/login` exchanges for a token.
    pub zenml_api_key: String,
    /// Lifetime of a ZenML access token (`expires_in`); short values test
    /// token renewal.
    pub zenml_token_ttl: std::time::Duration,
    /// Enforce the vendors' documented rate limits (Flashduty: 50 req/s and
    /// 1000 req/min per app_key).
    pub rate_limit: bool,
    /// Load state from this JSON file at start (if it exists) and rewrite it
    /// atomically after every successful write.
    pub state_file: Option<PathBuf>,
    /// Probability (0.0–1.0) that a vendor request gets an injected fault.
    pub fault_rate: f64,
    /// Which faults may be injected; one is picked uniformly per faulty request.
    pub faults: Vec<FaultKind>,
    /// How long the `delay` fault stalls before handling the request.
    pub fault_delay_ms: u64,
    /// Faults given to the next requests of named endpoints, whatever the rate.
    pub fault_script: Vec<ScriptedFault>,
    /// Seed of the fault RNG; `None` picks a random seed (see [`crate::emulator::Emulator::seed`]).
    pub seed: Option<u64>,
    /// Latency added to every vendor request.
    pub latency_ms: u64,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            flashduty_app_key: DEFAULT_FLASHDUTY_APP_KEY.to_string(),
            slashid_org_id: DEFAULT_SLASHID_ORG_ID.to_string(),
            slashid_api_key: DEFAULT_SLASHID_API_KEY.to_string(),
            slashid_stale_read_ms: 0,
            slashid_write_timeouts: 0,
            rootly_api_token: DEFAULT_ROOTLY_API_TOKEN.to_string(),
            rootly_rate_limit: DEFAULT_ROOTLY_RATE_LIMIT,
            zenml_api_key: DEFAULT_ZENML_API_KEY.to_string(),
            zenml_token_ttl: std::time::Duration::from_secs(DEFAULT_ZENML_TOKEN_TTL_SECS),
            rate_limit: true,
            state_file: None,
            fault_rate: 0.0,
            faults: FaultKind::ALL.to_vec(),
            fault_delay_ms: 2000,
            fault_script: Vec::new(),
            seed: None,
            latency_ms: 0,
        }
    }
}

impl EmulatorConfig {
    /// Checks the options that can be wrong: a non-loopback listen address,
    /// a fault rate outside 0.0–1.0, an empty fault list or app key.
    pub fn validate(&self) -> anyhow::Result<()> {
        check_loopback(self.listen)?;
        check_fault_rate(self.fault_rate)?;
        if self.faults.is_empty() {
            anyhow::bail!(
                "the fault list is empty: give at least one of {}",
                FaultKind::NAMES
            );
        }
        if self.flashduty_app_key.is_empty() {
            anyhow::bail!("the flashduty app key must not be empty");
        }
        if self.slashid_api_key.is_empty() {
            anyhow::bail!("the slashid API key must not be empty");
        }
        if self.slashid_org_id.is_empty() || self.slashid_org_id.contains('/') {
            anyhow::bail!("the slashid org ID must be non-empty and hold no `/`");
        }
        if self.rootly_api_token.trim().is_empty() {
            anyhow::bail!("the rootly API token must not be empty");
        }
        if self.rootly_rate_limit == 0 {
            anyhow::bail!("the rootly rate limit must be at least 1 request per minute");
        }
        if self.zenml_api_key.trim().is_empty() {
            anyhow::bail!("the zenml API key must not be empty");
        }
        if self.zenml_token_ttl.is_zero() {
            anyhow::bail!("the zenml token lifetime must be at least 1 second");
        }
        Ok(())
    }
}

/// Refuses addresses other than loopback: the emulator accepts any request
/// with a well-known key, so it must not be reachable from the network.
pub fn check_loopback(addr: SocketAddr) -> anyhow::Result<()> {
    if addr.ip().is_loopback() {
        Ok(())
    } else {
        anyhow::bail!(
            "refusing to listen on {addr}: the emulator only binds loopback addresses \
             (use 127.0.0.1:PORT or [::1]:PORT)"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emulator_config_defaults_are_valid() {
        let c = EmulatorConfig::default();
        c.validate().unwrap();
        assert_eq!(c.flashduty_app_key, "emulator-flashduty-key");
        assert_eq!(c.faults.len(), 6);
    }

    #[test]
    fn emulator_config_refuses_non_loopback() {
        let c = EmulatorConfig {
            listen: "0.0.0.0:8080".parse().unwrap(),
            ..Default::default()
        };
        let err = c.validate().unwrap_err().to_string();
        assert!(err.contains("loopback"), "{err}");
        assert!(check_loopback("[::1]:0".parse().unwrap()).is_ok());
    }
}
