//! Field validation shared by the role and assignment endpoints: FastAPI's
//! 422 error items (docs/vendors/zenml.md, "Errors").

use serde_json::{json, Map, Value};

use super::errors::{ApiError, ApiResult, FieldError};

/// The validation error for a field that must be a UUID.
pub fn uuid_error(loc: &[&str], input: &Value) -> FieldError {
    FieldError::new(
        loc,
        "uuid_parsing",
        "Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-]",
        input.clone(),
    )
}

pub(super) fn enum_error(loc: &[&str], allowed: &[&str], input: &Value) -> FieldError {
    let quoted: Vec<String> = allowed.iter().map(|a| format!("'{a}'")).collect();
    let expected = match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    };
    FieldError::new(
        loc,
        "enum",
        format!("Input should be {expected}"),
        input.clone(),
    )
    .with_ctx(json!({ "expected": expected }))
}

/// Checks an optional nullable string field of 1..=max characters.
pub(super) fn optional_string(
    body: &Map<String, Value>,
    field: &str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<Option<String>> {
    let value = body.get(field)?;
    let loc = ["body", field];
    match value {
        Value::Null => Some(None),
        Value::String(s) => {
            let len = s.chars().count();
            if len < 1 {
                errors.push(
                    FieldError::new(
                        &loc,
                        "string_too_short",
                        "String should have at least 1 character",
                        value.clone(),
                    )
                    .with_ctx(json!({"min_length": 1})),
                );
            } else if len > max {
                errors.push(
                    FieldError::new(
                        &loc,
                        "string_too_long",
                        format!("String should have at most {max} characters"),
                        value.clone(),
                    )
                    .with_ctx(json!({ "max_length": max })),
                );
            }
            Some(Some(s.clone()))
        }
        other => {
            errors.push(FieldError::new(
                &loc,
                "string_type",
                "Input should be a valid string",
                other.clone(),
            ));
            None
        }
    }
}

pub(super) fn body_object(body: &Value) -> ApiResult<&Map<String, Value>> {
    body.as_object().ok_or_else(|| {
        ApiError::validation(vec![FieldError::new(
            &["body"],
            "model_attributes_type",
            "Input should be a valid dictionary or object to extract fields from",
            body.clone(),
        )])
    })
}
