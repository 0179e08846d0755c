//! Flashduty (Flashcat): custom roles, the permission catalogue and the
//! roles members hold.

pub mod api;
pub mod config;
pub mod error;
pub mod member_roles_resource;
pub mod members_data_source;
pub mod permissions_data_source;
pub mod role_data_source;
pub mod role_resource;
pub mod roles_data_source;

pub use api::{FlashdutyClient, FlashdutyConfig};
pub use error::FlashdutyError;
