//! One module per vendor: a typed API client (`api.rs`, no Terraform types)
//! and the resources and data sources built on it.

pub mod access;
pub mod authoritative;
pub mod conflict;
pub mod error;
pub mod flashduty;
pub mod lost_create;
pub mod rootly;
pub mod slashid;
pub mod snapshot;
pub mod zenml;
