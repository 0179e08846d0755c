//! Access reviews across every vendor: `rbac_access` (what given people
//! hold everywhere) and `rbac_role_holders` (who holds one role). Each
//! vendor's part is a file of its own, reading through that vendor's typed
//! client; the lookups each relies on, and their cost, are in
//! docs/vendors/*.md "People and lookups".
//!
//! These data sources belong to no one vendor: they hold the four vendors'
//! configurations ([`Vendors`]) and report a vendor without credentials as
//! not configured instead of failing. The framework's adapter still wants
//! a vendor; [`AcrossVendors`] is that vendor, with nothing to configure.

pub mod access_data_source;
mod flashduty;
pub mod model;
pub mod role_holders_data_source;
mod rootly;
mod slashid;
mod zenml;

use std::sync::Arc;

use crate::framework::provider_data::{ConfigError, ProviderData, Resolver, VendorConfig};
use crate::framework::schema::block;
use crate::framework::tf::{AttributePath, Block, Diagnostics, Value};
use crate::vendors::flashduty::config::FlashdutySettings;
use crate::vendors::rootly::config::RootlySettings;
use crate::vendors::slashid::config::SlashidSettings;
use crate::vendors::zenml::config::ZenmlSettings;

/// The four vendors' configurations, as the provider shares them with
/// their own resources.
#[derive(Clone, Default)]
pub struct Vendors {
    pub flashduty: Arc<ProviderData<FlashdutySettings>>,
    pub rootly: Arc<ProviderData<RootlySettings>>,
    pub slashid: Arc<ProviderData<SlashidSettings>>,
    pub zenml: Arc<ProviderData<ZenmlSettings>>,
}

/// The vendors' names, in the order answers list them.
pub const VENDOR_NAMES: [&str; 4] = ["flashduty", "rootly", "slashid", "zenml"];

/// Whether one vendor takes part, and why not.
pub enum Participation<C> {
    Configured(C),
    /// No credentials, in the block nor the environment: the reason.
    Skipped(String),
}

/// The vendor's client, or why it is skipped. Only missing credentials
/// skip a vendor; an invalid or unknown setting is an error, as for the
/// vendor's own data sources.
pub fn participation<V: VendorConfig>(
    data: &ProviderData<V>,
) -> Result<Participation<V::Client>, ConfigError> {
    match data.client() {
        Ok(client) => Ok(Participation::Configured(client)),
        Err(e @ ConfigError::Missing { .. }) => Ok(Participation::Skipped(e.to_string())),
        Err(e) => Err(e),
    }
}

/// The vendor of the cross-vendor data sources: nothing to configure, a
/// client that is nothing. Never part of the provider's schema.
#[derive(Debug)]
pub struct AcrossVendors;

impl VendorConfig for AcrossVendors {
    const VENDOR: &'static str = "every vendor";
    const BLOCK: &'static str = "";
    type Block = ();
    type Client = ();

    fn schema() -> Block {
        block("", vec![], vec![])
    }

    fn validate(_: &mut Diagnostics, _: &(), _: &dyn Fn(&'static str) -> AttributePath) {}

    fn resolve(_: (), _: &mut Resolver) -> Self {
        AcrossVendors
    }

    fn client(&self, _user_agent: String) -> Result<(), ConfigError> {
        Ok(())
    }
}

/// The configuration [`AcrossVendors`]' data sources are registered with:
/// already configured, since it has nothing to wait for.
pub fn across_vendors() -> Arc<ProviderData<AcrossVendors>> {
    let data = ProviderData::default();
    data.configure(Value::Null, String::new());
    Arc::new(data)
}
