//! [`Required`] on a schema with required attributes at the top level, in
//! an optional block and in nested attributes.

use std::collections::HashMap;

use crate::framework::tf::{AttributeType, NestedBlock};
use serde_json::json;

use super::*;
use crate::framework::schema::{block, schema, string};

fn test_schema() -> Schema {
    let mut s = schema(
        "Things.",
        vec![
            ("id", string().computed()),
            ("name", string().required()),
            ("role_ids", string().required()),
            ("note", string().optional()),
        ],
        vec![
            (
                "limits",
                NestedBlock::Optional(block(
                    "Limits.",
                    vec![("max", string().required()), ("min", string().optional())],
                    vec![],
                )),
            ),
            (
                "tags",
                NestedBlock::Set(block("Tags.", vec![("key", string().required())], vec![])),
            ),
            (
                "free",
                NestedBlock::List(block(
                    "No required.",
                    vec![("x", string().optional())],
                    vec![],
                )),
            ),
        ],
    );
    let fields: HashMap<String, Attribute> =
        [("k".to_string(), string().required().build())].into();
    let mut nested = string().optional().build();
    nested.attr_type = AttributeType::AttributeMap(fields);
    s.block.attributes.insert("by_key".into(), nested);
    s
}

fn errors_for(config: Json) -> Vec<(String, String)> {
    let mut diags = Diagnostics::default();
    let ok = Required::of(&test_schema()).check(&mut diags, &config);
    assert_eq!(ok, diags.errors.is_empty());
    diags
        .errors
        .iter()
        .map(|d| {
            let path = d.attribute.to_string();
            assert!(
                d.detail.contains(&format!("for the {path} attribute")),
                "{d:?}"
            );
            (d.summary.to_string(), path)
        })
        .collect()
}

fn paths(config: Json) -> Vec<String> {
    errors_for(config).into_iter().map(|(_, p)| p).collect()
}

/// How tf-provider's `Value::Unknown` serializes.
fn unknown() -> Json {
    serde_json::to_value(crate::framework::tf::Value::<String>::Unknown).unwrap()
}

#[test]
fn a_null_required_attribute_is_named() {
    let got = errors_for(json!({"name": "a", "role_ids": null, "limits": null}));
    assert_eq!(
        got,
        [(
            "Missing Configuration for Required Attribute".to_string(),
            "role_ids".to_string()
        )]
    );
    assert_eq!(paths(json!({})), ["name", "role_ids"]);
}

#[test]
fn set_unknown_and_optional_attributes_pass() {
    assert!(paths(json!({"name": "a", "role_ids": "x", "note": null, "id": null})).is_empty());
    assert!(paths(json!({"name": unknown(), "role_ids": unknown()})).is_empty());
}

#[test]
fn nested_blocks_and_attributes_are_checked_inside() {
    let config = json!({
        "name": "a", "role_ids": "x",
        "limits": [{"max": null, "min": null}],
        "tags": [{"key": "k"}, {"key": null}],
        "free": [{"x": null}],
        "by_key": {"one": {"k": null}, "two": {"k": "v"}},
    });
    assert_eq!(
        paths(config),
        ["by_key[\"one\"].k", "limits[0].max", "tags.key"]
    );
    // Absent or unknown blocks hold nothing to check.
    let config =
        json!({"name": "a", "role_ids": "x", "limits": [], "tags": unknown(), "by_key": null});
    assert!(paths(config).is_empty());
}

#[test]
fn a_schema_without_required_attributes_checks_nothing() {
    let s = schema("None.", vec![("id", string().computed())], vec![]);
    let required = Required::of(&s);
    assert!(required.is_empty());
    let mut diags = Diagnostics::default();
    assert!(required.check(&mut diags, &json!({"id": null})));
}
