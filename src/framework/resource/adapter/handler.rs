//! The protocol's [`ResourceHandler`] for [`Adapter`]: decode the values
//! Terraform sent into `R`'s typed state, run the typed operation, encode
//! its answer. A value that does not decode is an error diagnostic.

use async_trait::async_trait;

use super::Adapter;
use crate::framework::protocol::{
    decode_private, encode_private, DynamicValue, MovedFrom, PlannedUpdate, ResourceHandler,
};
use crate::framework::resource::ResourceType;
use crate::framework::tf::{Diagnostics, Schema};
use crate::framework::PROVIDER_NAME;

/// `state` and `private`, encoded.
fn encode<R: ResourceType>(
    diags: &mut Diagnostics,
    (state, private): (R::State, R::Private),
) -> Option<(DynamicValue, Vec<u8>)> {
    Some((
        DynamicValue::encode(diags, &state)?,
        encode_private(diags, &private)?,
    ))
}

#[async_trait]
impl<R: ResourceType> ResourceHandler for Adapter<R> {
    fn schema(&self) -> Schema {
        R::schema()
    }

    async fn validate(&self, diags: &mut Diagnostics, config: DynamicValue) {
        if let Some(config) = config.decode(diags, "configuration") {
            Adapter::validate(self, diags, config);
        }
    }

    async fn read(
        &self,
        diags: &mut Diagnostics,
        state: DynamicValue,
        private: Vec<u8>,
    ) -> Option<(DynamicValue, Vec<u8>)> {
        let state = state.decode(diags, "state")?;
        let private = decode_private(diags, &private)?;
        let found = Adapter::read(self, diags, state, private).await?;
        encode::<R>(diags, found)
    }

    async fn plan_create(
        &self,
        diags: &mut Diagnostics,
        config: DynamicValue,
    ) -> Option<(DynamicValue, Vec<u8>)> {
        let config = config.decode(diags, "configuration")?;
        let planned = Adapter::plan_create(self, diags, config).await?;
        encode::<R>(diags, planned)
    }

    async fn plan_update(
        &self,
        diags: &mut Diagnostics,
        prior: DynamicValue,
        config: DynamicValue,
        private: Vec<u8>,
    ) -> Option<PlannedUpdate> {
        let prior = prior.decode(diags, "prior state")?;
        let config = config.decode(diags, "configuration")?;
        let private = decode_private(diags, &private)?;
        let (planned, private, replace) =
            Adapter::plan_update(self, diags, prior, config, private).await?;
        let (planned, private) = encode::<R>(diags, (planned, private))?;
        Some((planned, private, replace))
    }

    async fn plan_destroy(
        &self,
        diags: &mut Diagnostics,
        prior: DynamicValue,
        private: Vec<u8>,
    ) -> Option<Vec<u8>> {
        let prior = prior.decode(diags, "prior state")?;
        let private = decode_private(diags, &private)?;
        let private = Adapter::plan_destroy(self, diags, prior, private).await?;
        encode_private(diags, &private)
    }

    async fn create(
        &self,
        diags: &mut Diagnostics,
        planned: DynamicValue,
    ) -> Option<(DynamicValue, Vec<u8>)> {
        let planned = planned.decode(diags, "planned state")?;
        let created = Adapter::create(self, diags, planned).await?;
        encode::<R>(diags, created)
    }

    async fn update(
        &self,
        diags: &mut Diagnostics,
        prior: DynamicValue,
        planned: DynamicValue,
        private: Vec<u8>,
    ) -> Option<(DynamicValue, Vec<u8>)> {
        let prior = prior.decode(diags, "prior state")?;
        let planned = planned.decode(diags, "planned state")?;
        let private = decode_private(diags, &private)?;
        let updated = Adapter::update(self, diags, prior, planned, private).await?;
        encode::<R>(diags, updated)
    }

    async fn destroy(
        &self,
        diags: &mut Diagnostics,
        prior: DynamicValue,
        private: Vec<u8>,
    ) -> Option<()> {
        let prior = prior.decode(diags, "prior state")?;
        let private = decode_private(diags, &private)?;
        Adapter::destroy(self, diags, prior, private).await
    }

    async fn import(&self, diags: &mut Diagnostics, id: String) -> Option<(DynamicValue, Vec<u8>)> {
        let imported = Adapter::import(self, diags, id).await?;
        encode::<R>(diags, imported)
    }

    /// A stored state is decoded (so that one that does not fit the schema
    /// is a clear error here, and attributes a later version dropped are
    /// ignored) and re-encoded. Every schema so far is version 0.
    fn upgrade(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        json: Vec<u8>,
    ) -> Option<DynamicValue> {
        let current = self.schema_version;
        if version > current {
            diags.root_error(
                format!(
                    "The state of this {PROVIDER_NAME}_{} was written by a newer provider",
                    R::TYPE_NAME
                ),
                format!(
                    "It has schema version {version}; this provider knows versions up to {current}. \
                     Use the provider version that wrote the state, or a later one."
                ),
            );
            return None;
        }
        let state: R::State = DynamicValue::Json(json).decode(diags, "stored state")?;
        DynamicValue::encode(diags, &state)
    }

    fn move_state(
        &self,
        diags: &mut Diagnostics,
        from: &MovedFrom,
    ) -> Option<(DynamicValue, Vec<u8>)> {
        let target = format!("{PROVIDER_NAME}_{}", R::TYPE_NAME);
        match R::moved_from(from) {
            Some(Ok(state)) => encode::<R>(diags, (state, R::Private::default())),
            Some(Err(why)) => {
                diags.root_error(format!("Cannot move {} to {target}", from.type_name), why);
                None
            }
            None => {
                diags.root_error(
                    format!(
                        "{target} cannot take over a {} of {}",
                        from.type_name, from.provider
                    ),
                    format!(
                        "A moved block into {target} accepts only the resource types its documentation \
                         lists under \"Moving from another provider\". Import the object instead \
                         (terraform import, or an import block)."
                    ),
                );
                None
            }
        }
    }
}
