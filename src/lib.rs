//! terraform-provider-rbac: a Terraform/OpenTofu provider for roles and
//! permissions in Flashduty, SlashID, Rootly and ZenML Pro, plus the local
//! emulator of those vendors' APIs that its tests run against.

pub mod emulator;
