//! From our schema, diagnostic and attribute path types to the protocol's
//! messages, and protocol values to [`DynamicValue`]s.

use std::collections::HashMap;

use super::proto;
use crate::framework::protocol::DynamicValue;
use crate::framework::tf::{
    Attribute, AttributeConstraint, AttributePath, AttributePathStep, AttributeType, Block,
    Description, Diagnostic, Diagnostics, NestedBlock, Schema, StringKind,
};

/// A protocol value: MessagePack when given, else JSON; absent is null.
pub fn value(v: Option<proto::DynamicValue>) -> DynamicValue {
    match v {
        Some(v) if v.msgpack.is_empty() && !v.json.is_empty() => DynamicValue::Json(v.json),
        Some(v) => DynamicValue::MessagePack(v.msgpack),
        None => DynamicValue::null(),
    }
}

/// Our value as the protocol's.
pub fn to_proto(v: DynamicValue) -> proto::DynamicValue {
    match v {
        DynamicValue::MessagePack(msgpack) => proto::DynamicValue {
            msgpack,
            json: vec![],
        },
        DynamicValue::Json(json) => proto::DynamicValue {
            msgpack: vec![],
            json,
        },
    }
}

pub fn schema(s: &Schema) -> proto::Schema {
    proto::Schema {
        version: s.version,
        block: Some(block(&s.block)),
    }
}

fn kind(d: &Description) -> i32 {
    match d.kind {
        StringKind::Plain => proto::StringKind::Plain as i32,
        StringKind::Markdown => proto::StringKind::Markdown as i32,
    }
}

/// Sorted by name: a `HashMap`'s order changes between runs, and a stable
/// schema answer is easier to compare and to cache.
fn sorted<T>(map: &HashMap<String, T>) -> Vec<(&String, &T)> {
    let mut v: Vec<_> = map.iter().collect();
    v.sort_by(|a, b| a.0.cmp(b.0));
    v
}

fn block(b: &Block) -> proto::SchemaBlock {
    proto::SchemaBlock {
        version: b.version,
        attributes: attributes(&b.attributes),
        block_types: sorted(&b.blocks)
            .into_iter()
            .map(|(name, nested)| nested_block(name, nested))
            .collect(),
        description: b.description.content.clone(),
        description_kind: kind(&b.description),
        deprecated: b.deprecated,
    }
}

fn nested_block(name: &str, nested: &NestedBlock) -> proto::SchemaNestedBlock {
    use proto::NestingMode as M;
    // max_items 0 is "no limit" in the protocol.
    let (nesting, b, min_items, max_items) = match nested {
        NestedBlock::Single(b) => (M::Single, b, 1, 1),
        NestedBlock::List(b) => (M::List, b, 0, 0),
        NestedBlock::Set(b) => (M::Set, b, 0, 0),
        NestedBlock::Map(b) => (M::Map, b, 0, 0),
        NestedBlock::Group(b) => (M::Group, b, 0, 0),
        // At most one, as a list (`value::serde_as_vec` in the state).
        NestedBlock::Optional(b) => (M::List, b, 0, 1),
    };
    proto::SchemaNestedBlock {
        type_name: name.to_string(),
        block: Some(block(b)),
        nesting: nesting as i32,
        min_items,
        max_items,
    }
}

fn attributes(attrs: &HashMap<String, Attribute>) -> Vec<proto::SchemaAttribute> {
    sorted(attrs)
        .into_iter()
        .map(|(name, a)| attribute(name, a))
        .collect()
}

fn attribute(name: &str, a: &Attribute) -> proto::SchemaAttribute {
    use proto::NestingMode as M;
    let nested = match &a.attr_type {
        AttributeType::AttributeSingle(n) => Some((M::Single, n)),
        AttributeType::AttributeList(n) => Some((M::List, n)),
        AttributeType::AttributeSet(n) => Some((M::Set, n)),
        AttributeType::AttributeMap(n) => Some((M::Map, n)),
        _ => None,
    };
    let (r#type, nested_type) = match nested {
        // A nested attribute is described by its attributes, not a type.
        Some((nesting, n)) => (
            vec![],
            Some(proto::SchemaObject {
                attributes: attributes(n),
                nesting: nesting as i32,
            }),
        ),
        None => (a.attr_type.to_string().into_bytes(), None),
    };
    use AttributeConstraint as C;
    proto::SchemaAttribute {
        name: name.to_string(),
        r#type,
        nested_type,
        description: a.description.content.clone(),
        required: a.constraint == C::Required,
        optional: matches!(a.constraint, C::Optional | C::OptionalComputed),
        computed: matches!(a.constraint, C::Computed | C::OptionalComputed),
        sensitive: a.sensitive,
        description_kind: kind(&a.description),
        deprecated: a.deprecated,
    }
}

pub fn attribute_path(path: AttributePath) -> proto::AttributePath {
    use proto::Selector;
    proto::AttributePath {
        steps: path
            .steps
            .into_iter()
            .map(|step| proto::AttributePathStep {
                selector: Some(match step {
                    AttributePathStep::Attribute(name) => {
                        Selector::AttributeName(name.into_owned())
                    }
                    AttributePathStep::Key(key) => Selector::ElementKeyString(key.into_owned()),
                    AttributePathStep::Index(i) => Selector::ElementKeyInt(i),
                }),
            })
            .collect(),
    }
}

/// Errors first, then warnings; an empty path is the whole configuration.
pub fn diagnostics(diags: Diagnostics) -> Vec<proto::Diagnostic> {
    let one = |d: Diagnostic, severity: proto::Severity| proto::Diagnostic {
        severity: severity as i32,
        summary: d.summary.into_owned(),
        detail: d.detail.into_owned(),
        attribute: (!d.attribute.steps.is_empty()).then(|| attribute_path(d.attribute)),
    };
    let errors = diags
        .errors
        .into_iter()
        .map(|d| one(d, proto::Severity::Error));
    let warnings = diags
        .warnings
        .into_iter()
        .map(|d| one(d, proto::Severity::Warning));
    errors.chain(warnings).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::schema as s;

    #[test]
    fn attributes_and_blocks_are_sorted_and_typed() {
        let schema = s::schema(
            "doc",
            vec![
                (
                    "b_set",
                    s::set_of(AttributeType::String).optional().description("x"),
                ),
                ("a_name", s::string().required().description("y")),
            ],
            vec![],
        );
        let p = schema_of(&schema);
        let names: Vec<_> = p.attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["a_name", "b_set"]);
        assert_eq!(p.attributes[0].r#type, b"\"string\"");
        assert!(p.attributes[0].required && !p.attributes[0].optional);
        assert_eq!(p.attributes[1].r#type, br#"["set","string"]"#);
    }

    fn schema_of(schema: &Schema) -> proto::SchemaBlock {
        super::schema(schema).block.unwrap()
    }

    #[test]
    fn a_diagnostic_keeps_its_path_and_severity() {
        let mut diags = Diagnostics::default();
        diags.warning("w", "", AttributePath::root());
        diags.error("e", "detail", AttributePath::new("roles").key("k").index(2));
        let p = diagnostics(diags);
        assert_eq!(p[0].severity, proto::Severity::Error as i32);
        assert_eq!(p[0].detail, "detail");
        let steps = &p[0].attribute.as_ref().unwrap().steps;
        assert_eq!(
            steps
                .iter()
                .map(|s| s.selector.clone().unwrap())
                .collect::<Vec<_>>(),
            [
                proto::Selector::AttributeName("roles".into()),
                proto::Selector::ElementKeyString("k".into()),
                proto::Selector::ElementKeyInt(2),
            ]
        );
        assert_eq!(p[1].severity, proto::Severity::Warning as i32);
        assert!(p[1].attribute.is_none());
    }

    #[test]
    fn json_is_taken_only_without_msgpack() {
        let json = proto::DynamicValue {
            msgpack: vec![],
            json: b"{}".to_vec(),
        };
        assert_eq!(value(Some(json)), DynamicValue::Json(b"{}".to_vec()));
        assert!(value(None).is_null());
    }
}
