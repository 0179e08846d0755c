//! What the plugin server ([`crate::plugin`]) calls: one object-safe
//! handler trait each for a resource type, a data source type and the
//! provider, over values still encoded as Terraform sent them
//! ([`DynamicValue`]). The generic adapters implement them for every
//! [`super::resource::ResourceType`] and [`super::data_source::DataSourceType`],
//! decoding with serde into the typed states; the server only speaks gRPC.
//!
//! A handler returns `None` when it reported an error in `diags` (and, for
//! a read, when the object is gone); the server turns a `None` without an
//! error into an internal-error diagnostic.

use std::collections::HashMap;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::tf::{AttributePath, Diagnostics, Schema};

/// A value as the protocol carries it: cty's MessagePack (unknown values
/// are MessagePack extension 0, which [`super::tf::Value`] decodes as
/// `Unknown`) or, for stored states being upgraded or moved, JSON. Empty
/// bytes mean null.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DynamicValue {
    MessagePack(Vec<u8>),
    Json(Vec<u8>),
}

const NULL_MESSAGE_PACK: &[u8] = &[0xc0];

/// How deep lists, maps and objects may nest in a MessagePack value. Our
/// schemas nest a few levels; rmp-serde's own limit (1024) let a malformed
/// value overflow a worker thread's stack, which aborts the process.
const MAX_DEPTH: usize = 32;

impl DynamicValue {
    /// The null value.
    pub fn null() -> Self {
        DynamicValue::MessagePack(NULL_MESSAGE_PACK.to_vec())
    }

    /// Whether the value is null (an absent resource in a plan).
    pub fn is_null(&self) -> bool {
        match self {
            DynamicValue::MessagePack(b) => b.is_empty() || b == NULL_MESSAGE_PACK,
            DynamicValue::Json(b) => b.is_empty() || b.trim_ascii() == b"null",
        }
    }

    /// Decodes `T`. A value that does not fit `T` (a malformed message, or a
    /// state of another shape) is an error diagnostic naming `what`, never a
    /// panic.
    pub fn decode<T: DeserializeOwned>(&self, diags: &mut Diagnostics, what: &str) -> Option<T> {
        let decoded = match self {
            DynamicValue::MessagePack(b) => {
                let b = if b.is_empty() { NULL_MESSAGE_PACK } else { b };
                let mut decoder = rmp_serde::Deserializer::from_read_ref(b);
                decoder.set_max_depth(MAX_DEPTH);
                T::deserialize(&mut decoder).map_err(|e| e.to_string())
            }
            DynamicValue::Json(b) => {
                let b = if b.is_empty() { &b"null"[..] } else { b };
                serde_json::from_slice(b).map_err(|e| e.to_string())
            }
        };
        match decoded {
            Ok(value) => Some(value),
            Err(e) => {
                diags.root_error(
                    format!("The provider could not decode the {what}"),
                    format!(
                        "Terraform sent a {what} that does not match this provider's schema: {e}. \
                         If the state was written by another version of the provider, run the \
                         version that wrote it, or remove the object from state and import it."
                    ),
                );
                None
            }
        }
    }

    /// Encodes `value` as MessagePack, with field names (cty's object
    /// encoding).
    pub fn encode<T: Serialize>(diags: &mut Diagnostics, value: &T) -> Option<Self> {
        encode_private(diags, value).map(DynamicValue::MessagePack)
    }
}

/// Private state: MessagePack bytes beside the state, for the provider
/// alone. Empty bytes decode as null (the `Default` of a `Value`).
pub fn decode_private<T: DeserializeOwned>(diags: &mut Diagnostics, bytes: &[u8]) -> Option<T> {
    DynamicValue::MessagePack(bytes.to_vec()).decode(diags, "private state")
}

/// Encodes private state (MessagePack with field names).
pub fn encode_private<T: Serialize>(diags: &mut Diagnostics, value: &T) -> Option<Vec<u8>> {
    match rmp_serde::to_vec_named(value) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            diags.root_error(
                "The provider could not encode a value",
                format!("Encoding as MessagePack failed: {e}. This is a bug in the provider."),
            );
            None
        }
    }
}

/// A planned update: the planned state and private state, and the
/// attributes whose change forces a replacement.
pub type PlannedUpdate = (DynamicValue, Vec<u8>, Vec<AttributePath>);

/// The source of a `moved` block whose `from` is another resource type,
/// possibly of another provider (MoveResourceState).
#[derive(Debug, Clone)]
pub struct MovedFrom {
    /// The source provider's address (`registry.terraform.io/rootlyhq/rootly`).
    pub provider: String,
    /// The source resource type (`rootly_on_call_role`).
    pub type_name: String,
    /// The source schema version the state was written with.
    pub schema_version: i64,
    /// The source state, as its provider stored it (JSON).
    pub state: serde_json::Value,
}

impl MovedFrom {
    /// The provider's `namespace/type` (`rootlyhq/rootly`), whatever the
    /// registry host.
    pub fn provider_source(&self) -> &str {
        let parts: Vec<&str> = self.provider.rsplitn(3, '/').collect();
        match parts.as_slice() {
            [_, _, host] => &self.provider[host.len() + 1..],
            _ => &self.provider,
        }
    }
}

/// One resource type, as the server calls it. The server dispatches on
/// which of the prior, proposed and planned states are null: a null prior
/// is a create, a null planned state a destroy.
#[async_trait]
pub trait ResourceHandler: Send + Sync {
    fn schema(&self) -> Schema;
    async fn validate(&self, diags: &mut Diagnostics, config: DynamicValue);
    /// The refreshed state and private state; `None` without an error when
    /// the object is gone.
    async fn read(
        &self,
        diags: &mut Diagnostics,
        state: DynamicValue,
        private: Vec<u8>,
    ) -> Option<(DynamicValue, Vec<u8>)>;
    async fn plan_create(
        &self,
        diags: &mut Diagnostics,
        config: DynamicValue,
    ) -> Option<(DynamicValue, Vec<u8>)>;
    async fn plan_update(
        &self,
        diags: &mut Diagnostics,
        prior: DynamicValue,
        config: DynamicValue,
        private: Vec<u8>,
    ) -> Option<PlannedUpdate>;
    async fn plan_destroy(
        &self,
        diags: &mut Diagnostics,
        prior: DynamicValue,
        private: Vec<u8>,
    ) -> Option<Vec<u8>>;
    async fn create(
        &self,
        diags: &mut Diagnostics,
        planned: DynamicValue,
    ) -> Option<(DynamicValue, Vec<u8>)>;
    async fn update(
        &self,
        diags: &mut Diagnostics,
        prior: DynamicValue,
        planned: DynamicValue,
        private: Vec<u8>,
    ) -> Option<(DynamicValue, Vec<u8>)>;
    async fn destroy(
        &self,
        diags: &mut Diagnostics,
        prior: DynamicValue,
        private: Vec<u8>,
    ) -> Option<()>;
    async fn import(&self, diags: &mut Diagnostics, id: String) -> Option<(DynamicValue, Vec<u8>)>;
    /// A stored state of schema `version` (JSON), as a state of today's
    /// schema.
    fn upgrade(&self, diags: &mut Diagnostics, version: i64, json: Vec<u8>)
        -> Option<DynamicValue>;
    /// The state for a `moved` block from another resource type; an error
    /// when `from` is not a type this one can take over.
    fn move_state(
        &self,
        diags: &mut Diagnostics,
        from: &MovedFrom,
    ) -> Option<(DynamicValue, Vec<u8>)>;
}

/// One data source type, as the server calls it.
#[async_trait]
pub trait DataSourceHandler: Send + Sync {
    fn schema(&self) -> Schema;
    async fn validate(&self, diags: &mut Diagnostics, config: DynamicValue);
    async fn read(&self, diags: &mut Diagnostics, config: DynamicValue) -> Option<DynamicValue>;
}

/// The provider, as the server calls it: its configuration, and its
/// resource and data source types keyed by type name without the
/// provider's prefix.
#[async_trait]
pub trait ProviderHandler: Send + Sync + 'static {
    fn schema(&self) -> Schema;
    async fn validate(&self, diags: &mut Diagnostics, config: DynamicValue);
    async fn configure(
        &self,
        diags: &mut Diagnostics,
        terraform_version: String,
        config: DynamicValue,
    );
    fn resources(&self) -> HashMap<String, Box<dyn ResourceHandler>>;
    fn data_sources(&self) -> HashMap<String, Box<dyn DataSourceHandler>>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::tf::Value;

    #[test]
    fn an_unknown_decodes_as_unknown_and_null_as_null() {
        let mut diags = Diagnostics::default();
        // cty's unknown: MessagePack fixext1, type 0.
        let unknown = DynamicValue::MessagePack(vec![0xd4, 0, 0]);
        let v: Value<String> = unknown.decode(&mut diags, "test value").unwrap();
        assert!(v.is_unknown());
        let v: Value<String> = DynamicValue::null()
            .decode(&mut diags, "test value")
            .unwrap();
        assert!(v.is_null());
        assert!(DynamicValue::MessagePack(vec![]).is_null());
        assert!(DynamicValue::Json(b" null ".to_vec()).is_null());
        assert!(diags.errors.is_empty());
    }

    #[test]
    fn a_malformed_value_is_a_diagnostic_not_a_panic() {
        let mut diags = Diagnostics::default();
        let garbage = DynamicValue::MessagePack(vec![0x92, 0xff, 0x00, 0xc1]);
        let v: Option<Value<String>> = garbage.decode(&mut diags, "planned state");
        assert!(v.is_none());
        assert_eq!(diags.errors.len(), 1);
        assert!(diags.errors[0].summary.contains("planned state"));
    }

    #[test]
    fn a_value_nested_too_deep_is_a_diagnostic_not_a_stack_overflow() {
        let mut diags = Diagnostics::default();
        let deep = DynamicValue::MessagePack(vec![0x91; 100_000]);
        let v: Option<Value<Vec<Value<String>>>> = deep.decode(&mut diags, "config");
        assert!(v.is_none());
        assert!(diags.errors[0].detail.contains("depth limit"), "{diags:?}");
    }

    #[test]
    fn the_provider_source_drops_the_registry_host() {
        let from = |provider: &str| MovedFrom {
            provider: provider.into(),
            type_name: "rootly_on_call_role".into(),
            schema_version: 0,
            state: serde_json::Value::Null,
        };
        assert_eq!(
            from("registry.terraform.io/rootlyhq/rootly").provider_source(),
            "rootlyhq/rootly"
        );
        assert_eq!(
            from("registry.opentofu.org/rootlyhq/rootly").provider_source(),
            "rootlyhq/rootly"
        );
        assert_eq!(from("rootlyhq/rootly").provider_source(), "rootlyhq/rootly");
    }
}
