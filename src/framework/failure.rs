//! [`Failure`]: why a resource or data-source operation failed, how the
//! adapters report it ("Error <doing> <what> <which>", then the vendor's
//! message), and the state to record when the vendor had already made a
//! change ([`Failure::keep`]: Terraform then taints the object rather than
//! forgetting it). [`Warnings`] carries an operation's warnings.

use std::fmt::Display;

use crate::framework::tf::ValueEmpty;
use crate::framework::tf::{AttributePath, Diagnostics};

/// Why an operation failed, and the state to record if the vendor already
/// made a change. `P` is the resource's private state (none by default).
pub struct Failure<S, P = ValueEmpty> {
    kind: FailureKind,
    keep: Option<S>,
    /// The private state to record with `keep`, when it is not the one the
    /// operation started with (a read-back gave a new ETag, say).
    keep_private: Option<P>,
}

enum FailureKind {
    /// A vendor or transport error: the adapter says what it was doing.
    Vendor(String),
    /// A message of the resource's own (bad import key, unknown value...).
    Message {
        summary: String,
        detail: String,
        attribute: Option<AttributePath>,
    },
    /// Errors the resource worded itself, possibly several (one per field
    /// the vendor refused, say), added as they are.
    Diagnostics(Diagnostics),
}

impl<S, P> Failure<S, P> {
    /// A vendor error; its Display carries code, message and request ID.
    pub fn vendor(err: impl Display) -> Self {
        Failure {
            kind: FailureKind::Vendor(err.to_string()),
            keep: None,
            keep_private: None,
        }
    }

    /// An error of the resource's own, shown as is.
    pub fn message(summary: impl Into<String>, detail: impl Into<String>) -> Self {
        Failure {
            kind: FailureKind::Message {
                summary: summary.into(),
                detail: detail.into(),
                attribute: None,
            },
            keep: None,
            keep_private: None,
        }
    }

    /// An error about one attribute.
    pub fn attribute(
        attribute: AttributePath,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Failure {
            kind: FailureKind::Message {
                summary: summary.into(),
                detail: detail.into(),
                attribute: Some(attribute),
            },
            keep: None,
            keep_private: None,
        }
    }

    /// Errors the resource already worded, added as they are: for a
    /// failure that is more than one diagnostic.
    pub fn diagnostics(diags: Diagnostics) -> Self {
        Failure {
            kind: FailureKind::Diagnostics(diags),
            keep: None,
            keep_private: None,
        }
    }

    /// Records `state` although the operation failed: the vendor confirmed
    /// the write, so the object exists and must not be forgotten.
    pub fn keep(mut self, state: S) -> Self {
        self.keep = Some(state);
        self
    }

    /// [`Self::keep`], with the private state to record beside it.
    pub fn keep_with(mut self, state: S, private: P) -> Self {
        self.keep = Some(state);
        self.keep_private = Some(private);
        self
    }

    /// Reports the failure; the kept state, if any, with the kept private
    /// state, or else `private`.
    pub(crate) fn report_with(
        mut self,
        diags: &mut Diagnostics,
        doing: &str,
        private: P,
    ) -> Option<(S, P)> {
        let private = self.keep_private.take().unwrap_or(private);
        self.report(diags, doing).map(|state| (state, private))
    }

    pub(crate) fn report(self, diags: &mut Diagnostics, doing: &str) -> Option<S> {
        match self.kind {
            FailureKind::Vendor(detail) => diags.root_error(format!("Error {doing}"), detail),
            FailureKind::Message {
                summary,
                detail,
                attribute: Some(path),
            } => diags.error(summary, detail, path),
            FailureKind::Message {
                summary, detail, ..
            } => diags.root_error(summary, detail),
            FailureKind::Diagnostics(own) => diags.add_diagnostics(own),
        }
        self.keep
    }
}

/// The result of an operation on a resource with private state `P`.
pub type Outcome<T, S, P = ValueEmpty> = Result<T, Failure<S, P>>;

/// Warnings shown beside an operation's result, whatever its outcome (say,
/// an import key that named another object than it reads as).
#[derive(Debug, Default)]
pub struct Warnings(Vec<(String, String)>);

impl Warnings {
    pub fn add(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.0.push((summary.into(), detail.into()));
    }

    pub(crate) fn report(self, diags: &mut Diagnostics) {
        for (summary, detail) in self.0 {
            diags.root_warning(summary, detail);
        }
    }
}
