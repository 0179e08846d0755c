//! Diagnostics — the errors and warnings Terraform shows — and the
//! attribute paths they point at (`roles["admin"][0]`), as the plugin
//! protocol carries them (`tfplugin6.Diagnostic`, `tfplugin6.AttributePath`).

use std::borrow::Cow;
use std::fmt;

/// One step of an [`AttributePath`].
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum AttributePathStep {
    /// `.name`
    Attribute(Cow<'static, str>),
    /// `["key"]`: a map element, or a set element of strings.
    Key(Cow<'static, str>),
    /// `[2]`: a list element.
    Index(i64),
}

/// A path to an attribute; empty for the whole configuration.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct AttributePath {
    pub steps: Vec<AttributePathStep>,
}

impl AttributePath {
    /// The top-level attribute `name`.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        AttributePath::root().attribute(name)
    }

    /// The whole configuration.
    pub fn root() -> Self {
        AttributePath::default()
    }

    /// This path, then `.name`.
    pub fn attribute(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.steps.push(AttributePathStep::Attribute(name.into()));
        self
    }

    /// This path, then `["key"]`.
    pub fn key(mut self, key: impl Into<Cow<'static, str>>) -> Self {
        self.steps.push(AttributePathStep::Key(key.into()));
        self
    }

    /// This path, then `[index]`.
    pub fn index(mut self, index: impl Into<i64>) -> Self {
        self.steps.push(AttributePathStep::Index(index.into()));
        self
    }
}

/// As in HCL: `roles["admin"][0].name`.
impl fmt::Display for AttributePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.steps.iter().enumerate() {
            match step {
                AttributePathStep::Attribute(name) if i == 0 => write!(f, "{name}")?,
                AttributePathStep::Attribute(name) => write!(f, ".{name}")?,
                AttributePathStep::Key(key) => write!(f, "[{key:?}]")?,
                AttributePathStep::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// One error or warning.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Diagnostic {
    /// The one line Terraform shows after "Error:" or "Warning:".
    pub summary: Cow<'static, str>,
    /// The paragraphs below it.
    pub detail: Cow<'static, str>,
    /// The attribute it is about; Terraform shows that line of the
    /// configuration. Empty: the resource as a whole.
    pub attribute: AttributePath,
}

impl Diagnostic {
    pub fn new(
        summary: impl Into<Cow<'static, str>>,
        detail: impl Into<Cow<'static, str>>,
        attribute: AttributePath,
    ) -> Self {
        Diagnostic {
            summary: summary.into(),
            detail: detail.into(),
            attribute,
        }
    }
}

/// The errors and warnings of one call. An operation that fails reports at
/// least one error here.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Diagnostics {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An error about `attribute`.
    pub fn error(
        &mut self,
        summary: impl Into<Cow<'static, str>>,
        detail: impl Into<Cow<'static, str>>,
        attribute: AttributePath,
    ) {
        self.errors
            .push(Diagnostic::new(summary, detail, attribute));
    }

    /// An error about the resource (or configuration) as a whole.
    pub fn root_error(
        &mut self,
        summary: impl Into<Cow<'static, str>>,
        detail: impl Into<Cow<'static, str>>,
    ) {
        self.error(summary, detail, AttributePath::root());
    }

    /// A warning about `attribute`.
    pub fn warning(
        &mut self,
        summary: impl Into<Cow<'static, str>>,
        detail: impl Into<Cow<'static, str>>,
        attribute: AttributePath,
    ) {
        self.warnings
            .push(Diagnostic::new(summary, detail, attribute));
    }

    /// A warning about the resource (or configuration) as a whole.
    pub fn root_warning(
        &mut self,
        summary: impl Into<Cow<'static, str>>,
        detail: impl Into<Cow<'static, str>>,
    ) {
        self.warning(summary, detail, AttributePath::root());
    }

    /// Adds every error and warning of `other`.
    pub fn add_diagnostics(&mut self, other: Diagnostics) {
        self.errors.extend(other.errors);
        self.warnings.extend(other.warnings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_reads_as_hcl() {
        let path = AttributePath::new("roles")
            .key("admin")
            .index(0)
            .attribute("name");
        assert_eq!(path.to_string(), r#"roles["admin"][0].name"#);
        assert_eq!(AttributePath::root().to_string(), "");
    }

    #[test]
    fn the_detail_is_kept_as_given() {
        let mut diags = Diagnostics::default();
        diags.root_error("Error x", "the detail");
        assert_eq!(diags.errors[0].detail, "the detail");
        assert!(diags.errors[0].attribute.steps.is_empty());
    }
}
