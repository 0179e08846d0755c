//! Flashduty (Flashcat): custom roles and the permission catalogue.

pub mod api;
pub mod config;
pub mod error;
pub mod permissions_data_source;
pub mod role_data_source;
pub mod role_resource;

pub use api::{FlashdutyClient, FlashdutyConfig};
pub use error::FlashdutyError;
