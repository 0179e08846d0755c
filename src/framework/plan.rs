//! Plan helpers: defaults for optional+computed attributes, keeping prior
//! computed values, and set normalisation so that order never causes a diff.

use crate::framework::tf::AttributePath;
use crate::framework::tf::Value;

use super::number::Number;
use super::ValueNumberSet;

/// The planned value of an optional+computed attribute with a static default:
/// the configured value, or `default` when the configuration leaves it null.
pub fn default_if_null<T>(value: Value<T>, default: T) -> Value<T> {
    match value {
        Value::Null => Value::Value(default),
        other => other,
    }
}

/// A computed attribute that never changes once set (like an ID): keep the
/// prior state's value instead of "(known after apply)".
pub fn use_state_for_unknown<T>(planned: Value<T>, prior: Value<T>) -> Value<T> {
    match (planned, prior) {
        (Value::Unknown, prior @ Value::Value(_)) => prior,
        (Value::Null, prior @ Value::Value(_)) => prior,
        (planned, _) => planned,
    }
}

/// A set of numbers in canonical order (sorted, no duplicates). `None` when
/// the set or any element is unknown, or not a whole number (which
/// validation refuses before any plan: see [`super::validate::whole_ids`]).
pub fn known_number_set(set: &ValueNumberSet) -> Option<Vec<i64>> {
    match set {
        Value::Value(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::Value(n) => out.push(n.whole()?),
                    Value::Null => {}
                    Value::Unknown => return None,
                }
            }
            out.sort_unstable();
            out.dedup();
            Some(out)
        }
        Value::Null => Some(Vec::new()),
        Value::Unknown => None,
    }
}

/// A Terraform set of numbers from a slice, in canonical order.
pub fn number_set(items: &[i64]) -> ValueNumberSet {
    let mut items = items.to_vec();
    items.sort_unstable();
    items.dedup();
    Value::Value(
        items
            .into_iter()
            .map(|n| Value::Value(Number::Whole(n)))
            .collect(),
    )
}

/// A set of strings in canonical order (sorted, no duplicates). `None`
/// when the set or any element is unknown.
pub fn known_string_set(set: &Value<Vec<Value<String>>>) -> Option<Vec<String>> {
    match set {
        Value::Value(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::Value(s) => out.push(s.clone()),
                    Value::Null => {}
                    Value::Unknown => return None,
                }
            }
            out.sort_unstable();
            out.dedup();
            Some(out)
        }
        Value::Null => Some(Vec::new()),
        Value::Unknown => None,
    }
}

/// A Terraform set of strings from a slice, in canonical order.
pub fn string_set(items: &[String]) -> Value<Vec<Value<String>>> {
    let mut items = items.to_vec();
    items.sort_unstable();
    items.dedup();
    Value::Value(items.into_iter().map(Value::Value).collect())
}

/// The attributes whose change forces a replacement: `(name, changed)`
/// pairs in, the paths Terraform wants from `PlanResourceChange` out.
pub fn requires_replace(changes: &[(&'static str, bool)]) -> Vec<AttributePath> {
    changes
        .iter()
        .filter(|(_, changed)| *changed)
        .map(|(name, _)| AttributePath::new(*name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_ignore_order_and_duplicates() {
        let a = number_set(&[3, 1, 2, 3]);
        let b = Value::Value([2, 3, 1].map(|n| Value::Value(Number::Whole(n))).to_vec());
        assert_eq!(known_number_set(&a), known_number_set(&b));
        let fraction = Value::Value(vec![Value::Value(Number::Fraction(2.5))]);
        assert_eq!(known_number_set(&fraction), None);
        assert_eq!(known_number_set(&Value::Unknown), None);
        assert_eq!(known_number_set(&Value::Null), Some(vec![]));
    }

    #[test]
    fn string_sets_ignore_order_and_duplicates() {
        let a = string_set(&["read".into(), "create".into(), "read".into()]);
        let b = Value::Value(vec![
            Value::Value("create".to_string()),
            Value::Value("read".to_string()),
        ]);
        assert_eq!(a, b);
        assert_eq!(known_string_set(&Value::Null), Some(vec![]));
        assert_eq!(known_string_set(&Value::Value(vec![Value::Unknown])), None);
    }

    #[test]
    fn defaults_apply_to_null_only() {
        assert_eq!(default_if_null(Value::Null, 1), Value::Value(1));
        assert_eq!(default_if_null(Value::Value(2), 1), Value::Value(2));
        assert!(default_if_null(Value::<i64>::Unknown, 1).is_unknown());
    }
}
