//! A create whose answer was lost: the one place that decides what became
//! of it, for every vendor.
//!
//! A create is not idempotent, and its answer can be lost (a timeout, a
//! dropped connection, a 5xx, an unreadable 2xx). Three steps, one module
//! each:
//!
//! * [`create`]: the create is sent, and when its outcome is unknown the
//!   object is looked up by its key (its unique name) before anything is
//!   sent again; a failing lookup is repeated, within a time limit.
//! * [`settle`]: which object found is the create's. What bore the key
//!   before this process's first create there (one listing per vendor or
//!   scope per run) is never adopted; a new object is adopted only with
//!   the requested content and when no other create of this process
//!   claimed it.
//! * [`pending`]: a create still unknown when the lookups give up is
//!   recorded in state without an ID (tainted), with the evidence of what
//!   was there before, and the next refresh settles it by the same rules.
//!
//! A vendor states only its key and its lookup: Flashduty and Rootly in
//! their role clients (`flashduty/api/roles.rs`, `rootly/api/on_call_roles.rs`),
//! ZenML in `zenml/lost_create.rs` (a role without a name is keyed by its
//! content), SlashID in `slashid/api/lost_create.rs` (its 204 carries no
//! ID, so a create is re-sent until it is confirmed or refused for certain).

pub mod create;
pub mod pending;
pub mod settle;
