//! SlashID: RBAC permissions and roles (name-keyed; role names carry the
//! `{org_id}/` prefix) and a person's role assignment.

pub mod api;
pub mod config;
pub mod error;
pub mod listing;
pub mod names;
pub mod permission_data_source;
pub mod permission_resource;
pub mod permissions_data_source;
pub mod person_roles_resource;
pub mod persons_data_source;
pub mod role_data_source;
pub mod role_resource;
pub mod roles_data_source;
pub mod written;

pub use api::{SlashidClient, SlashidConfig};
pub use error::SlashidError;
