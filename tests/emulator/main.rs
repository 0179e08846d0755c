//! Integration tests of the emulator (one test binary for all of them, to
//! keep link time down). Each test starts its own emulator on port 0.

mod cli;
mod common;
mod faults;
mod flashduty_members;
mod flashduty_roles;
mod flashduty_validation;
mod openapi;
mod people;
mod rootly;
mod rootly_users;
mod slashid;
mod zenml;
