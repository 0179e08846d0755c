//! Terraform's value, schema and diagnostic types, as resources, data
//! sources and the provider see them. Every module outside the protocol
//! layer imports them from here, never from the crate that defines them, so
//! that the types can change without touching vendor code.
//!
//! They come from `tf-provider` 0.2.2: its plain value types fit (a
//! `Value<T>` is null, unknown or known, and decodes from cty's MessagePack
//! through serde), while its server is replaced by our own
//! ([`crate::plugin`]).

pub use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, NestedBlock, Schema,
    StringKind,
};
pub use tf_provider::value::{Value, ValueEmpty};
pub use tf_provider::{AttributePath, AttributePathStep, Diagnostic, Diagnostics};
