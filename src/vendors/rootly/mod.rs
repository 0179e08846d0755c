//! Rootly: on-call roles.

pub mod api;
pub mod error;
pub mod families;
pub mod on_call_role_data_source;
pub mod on_call_role_resource;
pub mod on_call_roles_data_source;
pub mod reconcile;

pub use api::{RootlyClient, RootlyConfig};
pub use error::RootlyError;
