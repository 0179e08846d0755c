//! Rootly: on-call roles and the on-call role each user holds.

pub mod api;
pub mod config;
pub mod error;
pub mod families;
pub mod on_call_role_data_source;
pub mod on_call_role_resource;
pub mod on_call_roles_data_source;
pub mod source_provider;
pub mod user_on_call_role_resource;
pub mod users_data_source;

pub use api::{RootlyClient, RootlyConfig};
pub use error::RootlyError;
