//! UUIDs and error reporting shared by the ZenML resources and data source.

use crate::framework::tf::Value;
use crate::framework::tf::{AttributePath, Diagnostics};
use regex::Regex;

use super::ZenmlError;
use crate::framework::resource::Failure;
use crate::framework::validate::string_matches;

/// A UUID as ZenML writes it, `8-4-4-4-12` hex digits. ZenML (pydantic)
/// also accepts other spellings, but answers with this one: anything else in
/// a configuration would never match the state. (Letter case is kept: see
/// [`keep_spelling`].)
fn uuid_pattern() -> &'static Regex {
    crate::framework::uuid::pattern()
}

pub use crate::framework::uuid::is_uuid;

/// Plan-time check that an attribute holds a UUID.
pub fn validate_uuid(diags: &mut Diagnostics, attribute: &str, value: &Value<String>) {
    string_matches(
        diags,
        AttributePath::new(attribute.to_string()),
        value,
        uuid_pattern(),
        "a ZenML ID is a UUID such as 0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30",
    );
}

/// `value` from ZenML, but spelt as before when only the letter case
/// differs, so that an upper-case UUID in a configuration is not a diff.
pub fn keep_spelling(from_vendor: &str, prior: &Value<String>) -> Value<String> {
    match prior {
        Value::Value(p) if p.eq_ignore_ascii_case(from_vendor) => Value::Value(p.clone()),
        _ => Value::Value(from_vendor.to_string()),
    }
}

/// What a failed call becomes: "Error <summary>" with the vendor's message.
/// FastAPI's validation errors about a body or query field that is also an
/// attribute (one of `attributes`) point at that attribute instead, one
/// error per field.
pub fn failure<S, P>(summary: String, err: &ZenmlError, attributes: &[&str]) -> Failure<S, P> {
    let fields = err.field_errors();
    if fields.is_empty()
        || !fields
            .iter()
            .all(|f| attributes.contains(&f.field.as_str()))
    {
        return Failure::message(format!("Error {summary}"), err.to_string());
    }
    let mut diags = Diagnostics::default();
    for f in fields {
        diags.error(
            format!("Error {summary}: ZenML Pro refused `{}`", f.field),
            format!("{}\n\n{err}", f.msg),
            AttributePath::new(f.field.clone()),
        );
    }
    Failure::diagnostics(diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_need_the_hyphenated_form() {
        assert!(is_uuid("0b5e6a62-6f1d-4c3e-9d7a-2f4c8e1a9b30"));
        assert!(is_uuid("0B5E6A62-6F1D-4C3E-9D7A-2F4C8E1A9B30"));
        assert!(!is_uuid("0b5e6a626f1d4c3e9d7a2f4c8e1a9b30"));
        assert!(!is_uuid("my-org"));
    }

    #[test]
    fn spelling_is_kept_when_only_case_differs() {
        let prior = Value::Value("AB-CD".to_string());
        assert_eq!(keep_spelling("ab-cd", &prior), prior);
        assert_eq!(keep_spelling("ef", &prior), Value::Value("ef".to_string()));
    }
}
