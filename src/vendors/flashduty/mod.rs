//! Flashduty (Flashcat): custom roles, the permission catalogue and the
//! roles members hold.

pub mod api;
pub mod error;
pub mod members;
pub mod permissions_data_source;
pub mod role_data_source;
pub mod role_resource;

pub use api::{FlashdutyClient, FlashdutyConfig};
pub use error::FlashdutyError;
