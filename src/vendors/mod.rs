//! One module per vendor: a typed API client (`api.rs`, no Terraform types)
//! and the resources and data sources built on it.

pub mod access;
pub mod authoritative;
pub mod conflict;
pub mod create;
pub mod error;
pub mod flashduty;
pub mod pending;
pub mod rootly;
pub mod settle;
pub mod slashid;
pub mod snapshot;
pub mod zenml;
