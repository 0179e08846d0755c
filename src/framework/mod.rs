//! What every resource and data source shares, between the protocol server
//! ([`crate::plugin`]) and the vendors: schema building, validators, plan
//! helpers, diagnostics and operation timeouts.
//!
//! Vendor API clients never use this module, and vendor resources import
//! protocol types only from [`tf`], so that the protocol layer can change
//! without touching vendor code.

pub mod data_source;
pub mod diag;
pub mod diagnostics;
pub mod failure;
pub mod number;
pub mod plan;
pub mod protocol;
pub mod provider_data;
pub mod required;
pub mod resource;
pub mod schema;
#[cfg(test)]
pub(crate) mod test_vendor;
pub mod tf;
pub mod timeouts;
pub mod uuid;
pub mod validate;

pub use tf::Value;

/// Name of the provider in resource types (`rbac_flashduty_role`): what
/// Terraform puts before each type's `TYPE_NAME`.
pub const PROVIDER_NAME: &str = "rbac";
pub use tf::{AttributePath, Diagnostics};

/// A Terraform set of numbers (order is not meaningful; elements may be
/// unknown during plan). Elements are [`validate::WholeNumber`]s, so that
/// a fraction gets an error naming the attribute
/// ([`validate::whole_ids`]); whole ones are serialized as ints.
pub type ValueNumberSet = Value<Vec<validate::WholeNumber>>;

/// A Terraform set of strings, as tf-provider decodes it.
pub type ValueStringSet = Value<Vec<Value<String>>>;
