//! Terraform's value, schema and diagnostic types, as resources, data
//! sources and the provider see them. Every module outside the protocol
//! layer imports them from here, never from the crate that defines them, so
//! that the types can change without touching vendor code.
//!
//! The value and schema types come from `tf-provider` 0.2.2: they fit (a
//! `Value<T>` is null, unknown or known, and decodes from cty's MessagePack
//! through serde; a `Schema` is plain data), while its server is replaced
//! by ours ([`crate::plugin`]). Diagnostics and attribute paths are our own
//! ([`super::diagnostics`]): tf-provider's capture a backtrace into every
//! diagnostic's text whenever backtraces are enabled.

pub use super::diagnostics::{AttributePath, AttributePathStep, Diagnostic, Diagnostics};
pub use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, NestedBlock, Schema,
    StringKind,
};
pub use tf_provider::value::{Value, ValueEmpty};
