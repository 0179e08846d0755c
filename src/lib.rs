//! terraform-provider-rbac: a Terraform/OpenTofu provider that manages roles
//! and permissions in Flashduty, SlashID, Rootly and ZenML Pro.
//!
//! See `DESIGN.md` for the shape of the crate: resources call typed vendor
//! clients, which send their requests through the shared [`http`] core.

pub mod http;
