//! Plan-time validators. Each one checks a configured value against a
//! vendor's documented limit and, when it fails, adds an error that names the
//! attribute (through its path) and states the limit. Unknown and null values
//! pass: they are checked again once known.

use crate::framework::tf::Value;
use regex::Regex;

use super::number::Number;
use super::ValueNumberSet;
use crate::framework::tf::{AttributePath, Diagnostics};

fn invalid(diags: &mut Diagnostics, path: &AttributePath, detail: String) {
    diags.error(
        format!("Invalid value for {}", display_path(path)),
        detail,
        path.clone(),
    );
}

/// `a.b[0].c` for an attribute path, as a user would write it in HCL.
pub fn display_path(path: &AttributePath) -> String {
    use crate::framework::tf::AttributePathStep as Step;
    let mut out = String::new();
    for step in &path.steps {
        match step {
            Step::Attribute(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Step::Key(key) => out.push_str(&format!("[{key:?}]")),
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Length in characters (Unicode scalar values), the unit vendors document.
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// `n` characters: "1 character", "0 characters", "39 characters".
pub fn characters(n: usize) -> String {
    if n == 1 {
        "1 character".into()
    } else {
        format!("{n} characters")
    }
}

/// `value` must be `min..=max` characters long.
pub fn string_length(
    diags: &mut Diagnostics,
    path: AttributePath,
    value: &Value<String>,
    min: usize,
    max: usize,
    vendor_rule: &str,
) {
    if let Value::Value(s) = value {
        let len = char_len(s);
        if len < min || len > max {
            let limit = if min == 0 {
                format!("at most {}", characters(max))
            } else {
                format!("between {min} and {}", characters(max))
            };
            invalid(
                diags,
                &path,
                format!(
                    "{} must be {limit} long ({vendor_rule}); got {}.",
                    display_path(&path),
                    characters(len)
                ),
            );
        }
    }
}

/// `value` must match `pattern` (anchored by the caller) as the vendor
/// documents. The error shows `pattern.as_str()`: build it without inline
/// flags (`RegexBuilder`), so that it reads as the vendor's reference.
pub fn string_matches(
    diags: &mut Diagnostics,
    path: AttributePath,
    value: &Value<String>,
    pattern: &Regex,
    vendor_rule: &str,
) {
    if let Value::Value(s) = value {
        if !pattern.is_match(s) {
            invalid(
                diags,
                &path,
                format!(
                    "{} must match {} ({vendor_rule}); got {s:?}.",
                    display_path(&path),
                    pattern.as_str()
                ),
            );
        }
    }
}

/// `value` must be one of `allowed`.
pub fn string_one_of(
    diags: &mut Diagnostics,
    path: AttributePath,
    value: &Value<String>,
    allowed: &[&str],
) {
    if let Value::Value(s) = value {
        if !allowed.contains(&s.as_str()) {
            let quoted: Vec<String> = allowed.iter().map(|a| format!("{a:?}")).collect();
            invalid(
                diags,
                &path,
                format!(
                    "{} must be one of {}; got {s:?}.",
                    display_path(&path),
                    quoted.join(", ")
                ),
            );
        }
    }
}

/// Every known element of the set `value` must be one of `allowed`; one
/// error per disallowed element, naming the attribute and the allowed values.
pub fn string_set_one_of(
    diags: &mut Diagnostics,
    path: AttributePath,
    value: &Value<Vec<Value<String>>>,
    allowed: &[&str],
    vendor_rule: &str,
) {
    let Value::Value(items) = value else {
        return;
    };
    for item in items {
        if let Value::Value(s) = item {
            if !allowed.contains(&s.as_str()) {
                let quoted: Vec<String> = allowed.iter().map(|a| format!("{a:?}")).collect();
                invalid(
                    diags,
                    &path,
                    format!(
                        "{} elements must be one of {} ({vendor_rule}); got {s:?}.",
                        display_path(&path),
                        quoted.join(", ")
                    ),
                );
            }
        }
    }
}

/// A whole-number attribute (a setting of the provider block, an ID),
/// decoded as any [`Number`] so that `2.5` gets an error naming the
/// attribute ([`whole_id`], [`number_range`]) rather than tf-provider's
/// decode failure. Serialized as `Value<i64>` was.
pub type WholeNumber = Value<Number>;

/// Why `n` is not an ID an `i64` holds, to follow "`attribute` must be":
/// `one` ("a whole number") for a fraction, the real range of an ID
/// (`i64` IDs are positive) for a huge one, and the value as written.
fn not_whole_id(n: &Number, one: &str, range: &str) -> Option<String> {
    match n {
        Number::Whole(_) => None,
        Number::Fraction(_) => Some(format!("{one}; got {n}.")),
        Number::Huge(_) => Some(format!("{range} up to {}; got {n}.", i64::MAX)),
    }
}

/// `value` must be a whole number that an `i64` holds: a vendor ID (they
/// are 64-bit). The number, when it is one, for the caller's own check
/// that it is positive (whose message names the kind of ID).
pub fn whole_id(diags: &mut Diagnostics, path: AttributePath, value: &WholeNumber) -> Option<i64> {
    let Value::Value(n) = value else {
        return None;
    };
    if let Some(problem) = not_whole_id(n, "a whole number", "a positive whole number") {
        invalid(
            diags,
            &path,
            format!("{} must be {problem}", display_path(&path)),
        );
    }
    n.whole()
}

/// Every known element of the set `value` must be a whole number that an
/// `i64` holds (vendor IDs); one error per other element. The whole
/// elements, for the caller's own check that they are positive.
pub fn whole_ids(diags: &mut Diagnostics, path: AttributePath, value: &ValueNumberSet) -> Vec<i64> {
    let Value::Value(items) = value else {
        return Vec::new();
    };
    let mut whole = Vec::with_capacity(items.len());
    for n in items.iter().filter_map(Value::as_ref_option) {
        match not_whole_id(n, "whole numbers", "positive whole numbers") {
            Some(problem) => invalid(
                diags,
                &path,
                format!("{} elements must be {problem}", display_path(&path)),
            ),
            None => whole.extend(n.whole()),
        }
    }
    whole
}

/// `value` must be a whole number within `min..=max`.
pub fn number_range(
    diags: &mut Diagnostics,
    path: AttributePath,
    value: &WholeNumber,
    min: i64,
    max: i64,
    vendor_rule: &str,
) {
    let Value::Value(n) = value else {
        return;
    };
    if let Number::Fraction(_) = n {
        invalid(
            diags,
            &path,
            format!("{} must be a whole number; got {n}.", display_path(&path)),
        );
    } else if !n.whole().is_some_and(|n| (min..=max).contains(&n)) {
        invalid(
            diags,
            &path,
            format!(
                "{} must be between {min} and {max} ({vendor_rule}); got {n}.",
                display_path(&path)
            ),
        );
    }
}

/// Whether an attribute holds a value, for [`exactly_one_of`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Set,
    Null,
    /// Known only after apply (e.g. one attribute of a `for_each` object):
    /// it may turn out either way.
    Unknown,
}

impl<T> From<&Value<T>> for Presence {
    fn from(value: &Value<T>) -> Self {
        match value {
            Value::Value(_) => Presence::Set,
            Value::Null => Presence::Null,
            Value::Unknown => Presence::Unknown,
        }
    }
}

/// Exactly one of the named values must be set. Unknown values are given
/// the benefit of the doubt: the error is only for two or more known
/// values, or none set and none unknown.
pub fn exactly_one_of(diags: &mut Diagnostics, names: &[&str], values: &[Presence]) {
    let set = values.iter().filter(|p| **p == Presence::Set).count();
    let unknown = values.iter().filter(|p| **p == Presence::Unknown).count();
    if set > 1 || (set == 0 && unknown == 0) {
        let list = names.join("`, `");
        diags.error(
            format!("Invalid combination of arguments: `{list}`"),
            format!("Exactly one of `{list}` must be set; {set} are set."),
            AttributePath::new(names[0].to_string()),
        );
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
