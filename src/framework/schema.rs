//! Builders for tf-provider schemas, so that a resource's schema reads as a
//! list of attributes with their documentation.
//!
//! tf-provider sends nested attributes with both `type` and `nested_type`,
//! which Terraform rejects (ARCHITECTURE.md, "Terraform's types"): use [`object_list`] /
//! [`object_set`] attribute types or blocks instead.

use std::collections::HashMap;

use crate::framework::tf::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, NestedBlock, Schema,
};

/// Starts a string attribute.
pub fn string() -> AttributeBuilder {
    AttributeBuilder::new(AttributeType::String)
}

/// Starts a number attribute. Decode a user-set one as
/// [`super::validate::WholeNumber`] (a set as [`super::ValueNumberSet`]):
/// `Value<i64>` cannot decode `2.5`, and the error would name nothing.
pub fn number() -> AttributeBuilder {
    AttributeBuilder::new(AttributeType::Number)
}

/// Starts a bool attribute.
pub fn bool() -> AttributeBuilder {
    AttributeBuilder::new(AttributeType::Bool)
}

/// Starts a set attribute whose elements have type `element`.
pub fn set_of(element: AttributeType) -> AttributeBuilder {
    AttributeBuilder::new(AttributeType::Set(Box::new(element)))
}

/// Starts a list attribute whose elements have type `element`.
pub fn list_of(element: AttributeType) -> AttributeBuilder {
    AttributeBuilder::new(AttributeType::List(Box::new(element)))
}

/// The type of an object with the given `(name, type)` fields.
pub fn object(fields: &[(&str, AttributeType)]) -> AttributeType {
    AttributeType::Object(
        fields
            .iter()
            .map(|(name, ty)| (name.to_string(), ty.clone()))
            .collect(),
    )
}

/// Fluent construction of a [`crate::framework::tf::Attribute`].
#[derive(Debug, Clone)]
pub struct AttributeBuilder {
    attr: Attribute,
}

impl AttributeBuilder {
    fn new(attr_type: AttributeType) -> Self {
        Self {
            attr: Attribute {
                attr_type,
                description: Description::markdown(""),
                constraint: AttributeConstraint::Optional,
                sensitive: false,
                deprecated: false,
            },
        }
    }

    /// The user must set it.
    pub fn required(mut self) -> Self {
        self.attr.constraint = AttributeConstraint::Required;
        self
    }

    /// The user may set it; when unset it is null.
    pub fn optional(mut self) -> Self {
        self.attr.constraint = AttributeConstraint::Optional;
        self
    }

    /// The user may set it; when unset the provider fills it (a default or
    /// the vendor's value).
    pub fn optional_computed(mut self) -> Self {
        self.attr.constraint = AttributeConstraint::OptionalComputed;
        self
    }

    /// Only the provider sets it.
    pub fn computed(mut self) -> Self {
        self.attr.constraint = AttributeConstraint::Computed;
        self
    }

    /// Hidden in plan output and logs.
    pub fn sensitive(mut self) -> Self {
        self.attr.sensitive = true;
        self
    }

    /// Markdown documentation; the docs generator publishes it as is.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.attr.description = Description::markdown(text.into());
        self
    }

    /// The finished attribute.
    pub fn build(self) -> Attribute {
        self.attr
    }
}

/// A block holding `attributes` and nested `blocks`, documented by `description`.
pub fn block(
    description: &str,
    attributes: Vec<(&str, AttributeBuilder)>,
    blocks: Vec<(&str, NestedBlock)>,
) -> Block {
    Block {
        version: 0,
        attributes: attributes
            .into_iter()
            .map(|(name, attr)| (name.to_string(), attr.build()))
            .collect::<HashMap<_, _>>(),
        blocks: blocks
            .into_iter()
            .map(|(name, b)| (name.to_string(), b))
            .collect(),
        description: Description::markdown(description),
        deprecated: false,
    }
}

/// A top-level schema (version 0) for a resource, data source or provider.
pub fn schema(
    description: &str,
    attributes: Vec<(&str, AttributeBuilder)>,
    blocks: Vec<(&str, NestedBlock)>,
) -> Schema {
    Schema {
        version: 0,
        block: block(description, attributes, blocks),
    }
}

/// Names of a block's attributes and nested blocks: what a State struct that
/// serializes this block must have as fields.
pub fn field_names(block: &Block) -> Vec<String> {
    let mut names: Vec<String> = block
        .attributes
        .keys()
        .chain(block.blocks.keys())
        .cloned()
        .collect();
    names.sort();
    names
}

/// Asserts that a State struct serializes to exactly the attributes of its
/// schema. Terraform's error for a mismatch does not name the attribute, so
/// every resource and data source keeps a test that calls this.
#[cfg(test)]
pub fn assert_state_matches_schema<S: serde::Serialize + Default>(schema: &Schema) {
    let value = serde_json::to_value(S::default()).expect("state serializes to JSON");
    let mut keys: Vec<String> = value
        .as_object()
        .expect("state is a struct")
        .keys()
        .cloned()
        .collect();
    keys.sort();
    assert_eq!(keys, field_names(&schema.block), "state fields vs schema");
}

/// Asserts that a data source's list element (`rbac_zenml_roles.roles`,
/// say) has exactly the attributes of the resource it describes, so that
/// `for_each` and import blocks can use it as is. The resource's
/// `timeouts` block is not an attribute of the object, so it is left out.
#[cfg(test)]
pub fn assert_item_matches_resource<S: serde::Serialize + Default>(resource: &Schema) {
    let mut block = resource.block.clone();
    block.blocks.remove("timeouts");
    assert_state_matches_schema::<S>(&Schema { version: 0, block });
}
