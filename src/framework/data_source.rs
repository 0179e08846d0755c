//! Our own typed data source trait, [`DataSourceType`], and the one generic
//! [`DataAdapter`] that serves any of them as the protocol's
//! [`DataSourceHandler`]:
//! the counterpart of [`super::resource::Adapter`]. The adapter owns the
//! configured-client step, the refusal of a required attribute set to null
//! ([`super::required`]), the error-to-diagnostic mapping ("Error
//! reading <what>", then the vendor's message) and the `timeouts { read }`
//! deadline, so a data source file holds only its State, schema, checks,
//! client calls and conversions.

use std::sync::Arc;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::protocol::{DataSourceHandler, DynamicValue};
use super::tf::{Diagnostics, Schema};

use super::provider_data::{ProviderData, VendorConfig};
use super::required::Required;
use super::resource::Outcome;
use super::timeouts::{HasTimeouts, ReadTimeouts};

/// One Terraform data source type, in its own terms.
#[async_trait]
pub trait DataSourceType: Send + Sync + 'static {
    /// The vendor whose client the data source calls.
    type Vendor: VendorConfig;
    /// The configuration and result; a test compares it with the schema.
    /// It holds the `timeouts` block ([`super::timeouts::data_source_block`]).
    type State: Serialize
        + DeserializeOwned
        + HasTimeouts<Block = ReadTimeouts>
        + Default
        + Send
        + Sync
        + 'static;

    /// The Terraform type name without the provider's prefix
    /// (`flashduty_role` for `rbac_flashduty_role`), as the plugin
    /// framework's `Metadata` gives it.
    const TYPE_NAME: &'static str;

    /// What is read, in messages (`"Rootly users"`).
    const KIND: &'static str;

    /// The schema; its descriptions are the published documentation.
    fn schema() -> Schema;

    /// Plan-time checks of the configuration's known values.
    fn validate(_diags: &mut Diagnostics, _config: &Self::State) {}

    /// The configuration with its computed attributes filled in.
    async fn read(
        &self,
        client: &<Self::Vendor as VendorConfig>::Client,
        config: Self::State,
    ) -> Outcome<Self::State, ()>;
}

/// The protocol's [`DataSourceHandler`] for any [`DataSourceType`], written
/// once.
pub struct DataAdapter<D: DataSourceType> {
    data_source: D,
    provider: Arc<ProviderData<D::Vendor>>,
    /// The schema's required attributes, refused when null.
    required: Required,
}

impl<D: DataSourceType> DataAdapter<D> {
    pub fn new(data_source: D, provider: Arc<ProviderData<D::Vendor>>) -> Self {
        DataAdapter {
            data_source,
            provider,
            required: Required::of(&D::schema()),
        }
    }
}

#[async_trait]
impl<D: DataSourceType> DataSourceHandler for DataAdapter<D> {
    fn schema(&self) -> Schema {
        D::schema()
    }

    async fn validate(&self, diags: &mut Diagnostics, config: DynamicValue) {
        if let Some(config) = config.decode(diags, "configuration") {
            DataAdapter::validate(self, diags, config);
        }
    }

    async fn read(&self, diags: &mut Diagnostics, config: DynamicValue) -> Option<DynamicValue> {
        let config = config.decode(diags, "configuration")?;
        let state = DataAdapter::read(self, diags, config).await?;
        DynamicValue::encode(diags, &state)
    }
}

/// The typed operations.
impl<D: DataSourceType> DataAdapter<D> {
    fn validate(&self, diags: &mut Diagnostics, config: D::State) {
        self.required.check(diags, &config);
        config.timeouts().validate(diags);
        D::validate(diags, &config);
    }

    async fn read(&self, diags: &mut Diagnostics, config: D::State) -> Option<D::State> {
        // A null known only now (from a resource's output) is refused
        // before any call, as at validate.
        if !self.required.check(diags, &config) {
            return None;
        }
        let timeouts = config.timeouts().clone();
        timeouts
            .read(diags, async |diags| {
                let client = self.provider.client_or_report(diags)?;
                match self.data_source.read(&client, config).await {
                    Ok(state) => Some(state),
                    Err(failure) => {
                        failure.report(diags, &format!("reading {}", D::KIND));
                        None
                    }
                }
            })
            .await
    }
}

#[cfg(test)]
#[path = "data_source_tests.rs"]
mod tests;
