//! Tests of the plan-time validators.

use super::*;

#[test]
fn exactly_one_of_gives_unknown_values_the_benefit_of_the_doubt() {
    use Presence::*;
    for (values, ok) in [
        (vec![Set, Null, Null], true),
        (vec![Unknown, Unknown, Unknown], true),
        (vec![Set, Unknown, Null], true),
        (vec![Null, Null, Null], false),
        (vec![Set, Set, Unknown], false),
    ] {
        let mut diags = Diagnostics::default();
        exactly_one_of(&mut diags, &["a", "b", "c"], &values);
        assert_eq!(diags.errors.is_empty(), ok, "{values:?}");
    }
}
fn s(v: &str) -> Value<String> {
    Value::Value(v.to_string())
}

#[test]
fn length_counts_characters_and_names_the_attribute() {
    let mut diags = Diagnostics::default();
    let path = AttributePath::new("role_name");
    string_length(&mut diags, path.clone(), &s(&"é".repeat(39)), 1, 39, "x");
    assert!(diags.errors.is_empty());
    string_length(&mut diags, path.clone(), &s(&"a".repeat(40)), 1, 39, "x");
    string_length(&mut diags, path, &s(""), 1, 39, "x");
    assert_eq!(diags.errors.len(), 2);
    assert!(diags.errors[0].summary.contains("role_name"));
    assert!(diags.errors[0].detail.contains("between 1 and 39"));
    assert!(diags.errors[0].detail.contains("got 40 characters."));
    assert!(diags.errors[1].detail.contains("got 0 characters."));
}

#[test]
fn lengths_are_pluralized() {
    let mut diags = Diagnostics::default();
    string_length(&mut diags, AttributePath::new("name"), &s("a"), 2, 100, "x");
    let detail = &diags.errors[0].detail;
    assert!(detail.contains("; got 1 character.") && !detail.contains("1 characters"));
    assert_eq!(characters(1), "1 character");
    assert_eq!(characters(2), "2 characters");
}

#[test]
fn unknown_and_null_pass() {
    let mut diags = Diagnostics::default();
    string_length(
        &mut diags,
        AttributePath::new("a"),
        &Value::Unknown,
        1,
        2,
        "x",
    );
    string_one_of(&mut diags, AttributePath::new("a"), &Value::Null, &["x"]);
    assert!(diags.errors.is_empty());
}

#[test]
fn one_of_lists_allowed_values() {
    let mut diags = Diagnostics::default();
    string_one_of(
        &mut diags,
        AttributePath::new("status"),
        &s("on"),
        &["enabled", "disabled"],
    );
    assert!(diags.errors[0].detail.contains("\"enabled\", \"disabled\""));
}

#[test]
fn ids_must_be_whole_and_fit_an_i64() {
    let mut diags = Diagnostics::default();
    let path = AttributePath::new("member_id");
    let n = |n| Value::Value(n);
    assert_eq!(
        whole_id(&mut diags, path.clone(), &n(Number::Whole(7))),
        Some(7)
    );
    assert_eq!(whole_id(&mut diags, path.clone(), &Value::Unknown), None);
    assert!(diags.errors.is_empty());
    whole_id(&mut diags, path.clone(), &n(Number::Fraction(1.5)));
    whole_id(
        &mut diags,
        path,
        &n(Number::Huge("1000000000000000000000000000000".into())),
    );
    let set = Value::Value(vec![
        n(Number::Whole(6)),
        Value::Unknown,
        n(Number::Fraction(2.5)),
        n(Number::Huge("-18446744073709551616".into())),
    ]);
    assert_eq!(
        whole_ids(&mut diags, AttributePath::new("role_ids"), &set),
        [6]
    );
    let details = crate::framework::test_vendor::details(&diags);
    assert_eq!(
        details,
        [
            "member_id must be a whole number; got 1.5.",
            "member_id must be a positive whole number up to 9223372036854775807; \
             got 1000000000000000000000000000000.",
            "role_ids elements must be whole numbers; got 2.5.",
            "role_ids elements must be positive whole numbers up to 9223372036854775807; \
             got -18446744073709551616.",
        ]
    );
    assert_eq!(diags.errors[2].summary, "Invalid value for role_ids");
}

#[test]
fn a_huge_setting_is_out_of_range_not_a_fraction() {
    let mut diags = Diagnostics::default();
    let path = AttributePath::new("max_requests_per_second");
    number_range(
        &mut diags,
        path.clone(),
        &Value::Value(Number::Huge("1000000000000000000000000000000".into())),
        0,
        50,
        "x",
    );
    number_range(
        &mut diags,
        path,
        &Value::Value(Number::Fraction(2.5)),
        0,
        50,
        "x",
    );
    assert!(diags.errors[0]
        .detail
        .contains("between 0 and 50 (x); got 1000000000000000000000000000000."));
    assert!(diags.errors[1]
        .detail
        .contains("must be a whole number; got 2.5"));
}

#[test]
fn paths_display_like_hcl() {
    let path = AttributePath::new("flashduty")
        .index(0)
        .attribute("app_key");
    assert_eq!(display_path(&path), "flashduty[0].app_key");
}
