//! Required attributes set to null. Terraform core refuses a required
//! attribute that is missing from the configuration, but not one set to
//! `null` (literally, or from a variable or expression that is null): like
//! terraform-plugin-framework's `ValidateResourceConfig`, the provider
//! refuses it, naming the attribute ("Missing Configuration for Required
//! Attribute"). The adapters check every configuration at validate and
//! again at plan (a null that only becomes known then, from another
//! resource's output, must fail before any write), and a data source's
//! configuration before it is read. Unknown values pass: they may still
//! become known.
//!
//! The check is generic: [`Required::of`] reads the schema's `required`
//! flags once, its nested blocks' (and nested attributes') too, and
//! [`Required::check`] walks a State struct serialized as JSON, where
//! `Value::Null` is `null` and `Value::Unknown` is not.

use crate::framework::tf::Schema;
use crate::framework::tf::{Attribute, AttributeConstraint, AttributeType, Block, NestedBlock};
use crate::framework::tf::{AttributePath, Diagnostics};
use serde::Serialize;
use serde_json::Value as Json;

/// How the elements of a nested block (or nested attribute) are held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nesting {
    /// One object (or null).
    Single,
    /// A list (or set) of objects: Terraform's list and "optional" blocks.
    List,
    /// A set of objects: elements have no index to point at.
    Set,
    /// A map of objects, by key.
    Map,
}

/// The required attributes of a schema and of its nested blocks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Required {
    /// Required attributes of this level, sorted (errors come in order).
    names: Vec<String>,
    /// Nested blocks or attributes holding required attributes, sorted.
    nested: Vec<(String, Nesting, Required)>,
}

impl Required {
    /// The required attributes of `schema`, at every level.
    pub fn of(schema: &Schema) -> Required {
        Required::of_block(&schema.block)
    }

    fn of_block(block: &Block) -> Required {
        let mut required = Required::of_attributes(block.attributes.iter());
        for (name, nested) in &block.blocks {
            let (nesting, inner) = match nested {
                NestedBlock::Single(b) | NestedBlock::Group(b) => (Nesting::Single, b),
                NestedBlock::List(b) | NestedBlock::Optional(b) => (Nesting::List, b),
                NestedBlock::Set(b) => (Nesting::Set, b),
                NestedBlock::Map(b) => (Nesting::Map, b),
            };
            required.push_nested(name, nesting, Required::of_block(inner));
        }
        required.nested.sort_by(|a, b| a.0.cmp(&b.0));
        required
    }

    fn of_attributes<'a>(
        attributes: impl Iterator<Item = (&'a String, &'a Attribute)>,
    ) -> Required {
        let mut required = Required::default();
        for (name, attr) in attributes {
            if matches!(attr.constraint, AttributeConstraint::Required) {
                required.names.push(name.clone());
            }
            let (nesting, fields) = match &attr.attr_type {
                AttributeType::AttributeSingle(f) => (Nesting::Single, f),
                AttributeType::AttributeList(f) => (Nesting::List, f),
                AttributeType::AttributeSet(f) => (Nesting::Set, f),
                AttributeType::AttributeMap(f) => (Nesting::Map, f),
                _ => continue,
            };
            required.push_nested(name, nesting, Required::of_attributes(fields.iter()));
        }
        required.names.sort();
        required.nested.sort_by(|a, b| a.0.cmp(&b.0));
        required
    }

    fn push_nested(&mut self, name: &str, nesting: Nesting, inner: Required) {
        if !inner.is_empty() {
            self.nested.push((name.to_string(), nesting, inner));
        }
    }

    /// Whether the schema has no required attribute at any level.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.nested.is_empty()
    }

    /// Adds an error for each required attribute that `config` (a State
    /// struct holding a configuration) sets to null; true when there is
    /// none.
    pub fn check<S: Serialize>(&self, diags: &mut Diagnostics, config: &S) -> bool {
        if self.is_empty() {
            return true;
        }
        // A State struct of `Value`s always serializes; were one not to,
        // the vendor's own checks still stand.
        let Ok(json) = serde_json::to_value(config) else {
            return true;
        };
        let before = diags.errors.len();
        self.check_object(diags, &json, &AttributePath::root());
        diags.errors.len() == before
    }

    /// Checks one object; anything else (null, unknown) holds nothing to
    /// check: a null block is an absent one, an unknown one may be anything.
    fn check_object(&self, diags: &mut Diagnostics, value: &Json, path: &AttributePath) {
        let Json::Object(fields) = value else {
            return;
        };
        for name in &self.names {
            if fields.get(name).is_none_or(Json::is_null) {
                missing(diags, path.clone().attribute(name.clone()));
            }
        }
        for (name, nesting, inner) in &self.nested {
            let at = path.clone().attribute(name.clone());
            match (nesting, fields.get(name)) {
                (Nesting::Single, Some(object)) => inner.check_object(diags, object, &at),
                (Nesting::List, Some(Json::Array(items))) => {
                    for (i, item) in items.iter().enumerate() {
                        inner.check_object(diags, item, &at.clone().index(i as i64));
                    }
                }
                (Nesting::Set, Some(Json::Array(items))) => {
                    for item in items {
                        inner.check_object(diags, item, &at);
                    }
                }
                (Nesting::Map, Some(Json::Object(items))) => {
                    for (key, item) in items {
                        inner.check_object(diags, item, &at.clone().key(key.clone()));
                    }
                }
                _ => {}
            }
        }
    }
}

/// The error for a required attribute set to null, in
/// terraform-plugin-framework's words, plus where such a null comes from.
fn missing(diags: &mut Diagnostics, path: AttributePath) {
    let detail = format!(
        "Must set a configuration value for the {path} attribute as the provider has marked it as \
         required.\n\nIt is null here: set to null, or to a variable, output or expression whose \
         value is null. A null is not an empty value; write the value the attribute should have."
    );
    diags.error(
        "Missing Configuration for Required Attribute".to_string(),
        detail,
        path,
    );
}

#[cfg(test)]
#[path = "required_tests.rs"]
mod tests;
