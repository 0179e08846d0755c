//! terraform-provider-rbac: a Terraform/OpenTofu provider for roles and
//! permissions in Flashduty, SlashID, Rootly on-call and ZenML Pro, plus the
//! local emulator of those vendors' APIs that its tests and demo run against.
//!
//! Layers, from Terraform down: [`provider`] (configuration, clients) →
//! [`vendors`] (resources and data sources over typed clients) →
//! [`http`] (retries, rate limits, redaction, logging). [`framework`] is the
//! thin layer over `tf-provider` that resources share.

pub mod docs;
pub mod emulator;
pub mod framework;
pub mod http;
pub mod logging;
pub mod plugin;
pub mod provider;
pub mod vendors;
