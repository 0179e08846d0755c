//! ZenML Pro (the management / control-plane API): custom roles, role
//! assignments and the built-in roles.

pub mod api;
mod auth;
pub mod config;
pub mod error;
pub mod ids;
mod lost_create;
pub mod role_assignment_resource;
pub mod role_assignments_data_source;
pub mod role_resource;
pub mod roles_data_source;
pub mod schemas;

pub use api::{ZenmlClient, ZenmlConfig};
pub use error::ZenmlError;
