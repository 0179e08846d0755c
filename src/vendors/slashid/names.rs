//! SlashID's name rules (docs/vendors/slashid.md, "Names"), checked at plan
//! time exactly as strictly as the vendor's schema.

use std::sync::OnceLock;

use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use regex::{Regex, RegexBuilder};

use crate::framework::validate::{string_length, string_matches};

/// Role names: 2–100 characters, not counting the `{org_id}/` prefix.
pub const ROLE_NAME_MIN: usize = 2;
pub const ROLE_NAME_MAX: usize = 100;
/// Permission names: 2–1024 characters.
pub const PERMISSION_NAME_MIN: usize = 2;
pub const PERMISSION_NAME_MAX: usize = 1024;

/// The vendor's `pattern`, with `\w` ASCII (`[A-Za-z0-9_]`) as in the
/// vendor's regex; Rust's `\w` is Unicode by default. Set on the builder
/// rather than as a `(?-u)` prefix, so that `as_str()` (shown in errors) is
/// the pattern exactly as the vendor documents it.
fn vendor_regex(pattern: &str) -> Regex {
    RegexBuilder::new(pattern)
        .unicode(false)
        .build()
        .expect("SlashID's documented pattern is valid")
}

/// The schema's role regex `^[A-Za-z0-9]{1}[\w.\-:]*[A-Za-z0-9]$`, on the
/// part after the prefix.
pub fn role_name_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| vendor_regex(r"^[A-Za-z0-9]{1}[\w.\-:]*[A-Za-z0-9]$"))
}

/// The schema's permission regex `^[A-Za-z0-9]{1}[\w./\\\-:]*[A-Za-z0-9]$`.
pub fn permission_name_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| vendor_regex(r"^[A-Za-z0-9]{1}[\w./\\\-:]*[A-Za-z0-9]$"))
}

/// A role's short name (the user writes it without the prefix).
pub fn validate_role_name(diags: &mut Diagnostics, path: AttributePath, name: &Value<String>) {
    let before = diags.errors.len();
    string_length(
        diags,
        path.clone(),
        name,
        ROLE_NAME_MIN,
        ROLE_NAME_MAX,
        "SlashID's limit for role names, not counting the organization prefix",
    );
    if diags.errors.len() == before {
        string_matches(
            diags,
            path,
            name,
            role_name_regex(),
            "letters, digits and - _ . : only, starting and ending with a letter or digit; \
             write the name without the `<org_id>/` prefix, the provider adds it",
        );
    }
}

/// A permission name.
pub fn validate_permission_name(
    diags: &mut Diagnostics,
    path: AttributePath,
    name: &Value<String>,
) {
    let before = diags.errors.len();
    string_length(
        diags,
        path.clone(),
        name,
        PERMISSION_NAME_MIN,
        PERMISSION_NAME_MAX,
        "SlashID's limit for permission names",
    );
    if diags.errors.len() == before {
        string_matches(
            diags,
            path,
            name,
            permission_name_regex(),
            "letters, digits and - _ . : / \\ only, starting and ending with a letter or digit",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slashid_word_class_is_ascii() {
        assert!(role_name_regex().is_match("billing_viewer.v2:ro"));
        assert!(!role_name_regex().is_match("bé_x"));
        assert!(!role_name_regex().is_match("org/x"));
        assert!(!role_name_regex().is_match("_x"));
        assert!(permission_name_regex().is_match("billing/invoices\\list"));
        assert!(!permission_name_regex().is_match("ab "));
    }

    #[test]
    fn slashid_validation_names_attribute_and_limit() {
        let mut diags = Diagnostics::default();
        validate_role_name(
            &mut diags,
            AttributePath::new("name"),
            &Value::Value("a".repeat(101)),
        );
        validate_permission_name(
            &mut diags,
            AttributePath::new("name"),
            &Value::Value("é1".into()),
        );
        assert_eq!(diags.errors.len(), 2);
        assert!(
            diags.errors[0].detail.contains("between 2 and 100"),
            "{}",
            diags.errors[0].detail
        );
        assert!(diags.errors[1].summary.contains("name"));
    }
}
