//! Diagnostics for errors that come back from a vendor.

use std::fmt::Display;

use tf_provider::{AttributePath, Diagnostics};

/// Adds an error for a failed vendor operation. `summary` says what we were
/// doing and to which object ("creating Flashduty role \"ops\""); the detail
/// is the error's Display, which carries the vendor code, message and request
/// ID (and never a secret: the HTTP core redacts them).
pub fn vendor_error(diags: &mut Diagnostics, summary: impl Display, err: &dyn Display) {
    diags.root_error(format!("Error {summary}"), err.to_string());
}

/// Adds an error pointing at one attribute.
pub fn attribute_error(
    diags: &mut Diagnostics,
    path: AttributePath,
    summary: impl Into<String>,
    detail: impl Into<String>,
) {
    diags.error(summary.into(), detail.into(), path);
}

/// Adds a warning without an attribute.
pub fn warning(diags: &mut Diagnostics, summary: impl Into<String>, detail: impl Into<String>) {
    diags.root_warning(summary.into(), detail.into());
}
